using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Query;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Dashboard;

/// <summary><c>Aggregator:Dashboard:Enabled</c>: on by default; false serves no dashboard route and leaves the JSON API.</summary>
public sealed class DashboardSettingTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Theory]
    [InlineData(null, HttpStatusCode.OK, "text/html")]
    [InlineData("false", HttpStatusCode.NotFound, "application/json")]
    public async Task Get_DashboardSetting_ServedOnlyWhenEnabled(string? enabled, HttpStatusCode expected, string mediaType)
    {
        var settings = new Dictionary<string, string?>();
        if (enabled is not null)
        {
            settings["Aggregator:Dashboard:Enabled"] = enabled;
        }

        var options = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Aggregator")
            .Get<AggregatorOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new AggregatorOptions();
        await using var log = await QueryLog.CreateAsync(await postgres.Server.CreateDatabaseAsync());
        await using var services = await AggregatorQueryServices.StartAsync(log.DataSource, log.Events, options.ValidateQuery(), NullLoggerFactory.Instance,
            null, null, TimeProvider.System, default);
        await using var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), new IPEndPoint(IPAddress.Loopback, 0), null, services,
            logging => logging.ClearProviders());
        using var http = new HttpClient { BaseAddress = host.Http };

        using var dashboard = await http.GetAsync(new Uri("/dashboard", UriKind.Relative));
        using var api = await http.GetAsync(new Uri("/v1/tokens", UriKind.Relative));

        Assert.Equal(expected, dashboard.StatusCode);
        Assert.Equal(mediaType, dashboard.Content.Headers.ContentType?.MediaType);
        Assert.Equal(enabled is null, services.Dashboard is not null);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }
}
