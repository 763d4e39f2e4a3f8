using System.Numerics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.FreeFloat;
using SupplyOracle.Reporter.Supply;
using SupplyOracle.Reporter.Telemetry;

namespace SupplyOracle.Reporter.Tests.FreeFloat;

/// <summary>The HTTP JSON source against a real local HTTP server that answers well, slowly, stale, with garbage, or fails first.</summary>
public sealed class HttpJsonSourceTests : IAsyncLifetime
{
    private const ulong ReferenceTime = 1_700_000_000;
    private static readonly PinnedBlock Block = new(300, Hash32.Zero, ReferenceTime);
    private static readonly TokenSupply Supply = new(Address.Parse("0x00000000000000000000000000000000000000aa"), 1_000_000, [], 0, []);
    private static readonly HttpClient s_http = new();
    private WebApplication _app = null!;
    private Uri _base = null!;
    private int _flakyCalls;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapGet("/good", () => Results.Text($$$"""{"data":{"freeFloat":"750000","asOf":{{{ReferenceTime - 60}}}}}""", "application/json"));
        _app.MapGet("/array", () => Results.Text("""{"items":[{"v":1},{"v":640000}]}""", "application/json"));
        _app.MapGet("/slow", async (CancellationToken ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            return Results.Text("""{"data":{"freeFloat":"1"}}""", "application/json");
        });
        _app.MapGet("/stale", () => Results.Text($$$"""{"data":{"freeFloat":"750000","asOf":{{{ReferenceTime - 90_000}}}}}""", "application/json"));
        _app.MapGet("/garbage", () => Results.Text("<html>maintenance</html>", "text/html"));
        _app.MapGet("/negative", () => Results.Text("""{"data":{"freeFloat":"-5"}}""", "application/json"));
        _app.MapGet("/flaky", () => Interlocked.Increment(ref _flakyCalls) < 3
            ? Results.StatusCode(503)
            : Results.Text("""{"data":{"freeFloat":123456}}""", "application/json"));
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task GetAsync_FreshAnswer_ReturnsSelectedField()
    {
        Assert.Equal(new BigInteger(750_000), await Source("/good", "data.freeFloat", "data.asOf").GetAsync(Supply, Block, default));
        Assert.Equal(new BigInteger(640_000), await Source("/array", "items.1.v").GetAsync(Supply, Block, default));
    }

    [Fact]
    public async Task GetAsync_SlowServer_ThrowsTimeout()
    {
        var error = await Assert.ThrowsAsync<FreeFloatSourceException>(() => Source("/slow", "data.freeFloat", timeout: 0.3, retries: 1).GetAsync(Supply, Block, default));
        Assert.Equal(FreeFloatFailure.Timeout, error.Failure);
    }

    [Fact]
    public async Task GetAsync_StaleAnswer_ThrowsStale()
    {
        var error = await Assert.ThrowsAsync<FreeFloatSourceException>(() => Source("/stale", "data.freeFloat", "data.asOf").GetAsync(Supply, Block, default));
        Assert.Equal(FreeFloatFailure.Stale, error.Failure);
    }

    [Theory]
    [InlineData("/garbage", "data.freeFloat")]
    [InlineData("/good", "data.missing")]
    [InlineData("/negative", "data.freeFloat")]
    [InlineData("/good", "data")]
    public async Task GetAsync_GarbageOrMissingField_ThrowsMalformed(string path, string field)
    {
        var error = await Assert.ThrowsAsync<FreeFloatSourceException>(() => Source(path, field).GetAsync(Supply, Block, default));
        Assert.Equal(FreeFloatFailure.Malformed, error.Failure);
    }

    [Fact]
    public async Task GetAsync_ServerFailsTwiceThenAnswers_RetriesAndReturnsValue()
    {
        Assert.Equal(new BigInteger(123_456), await Source("/flaky", "data.freeFloat", retries: 2).GetAsync(Supply, Block, default));
        Assert.Equal(3, _flakyCalls);
    }

    [Fact]
    public async Task ObserveAsync_OneSourceFailing_UsesMedianOfTheOthers()
    {
        var calculator = new FreeFloatCalculator(new ReporterTelemetry());
        var supply = Supply with { ExtraLocked = [KeyValuePair.Create(SupplyChainAddress(), new BigInteger(400_000))] };

        var (observation, skipped) = await calculator.ObserveAsync(supply, Block,
            [Source("/garbage", "x"), Source("/good", "data.freeFloat"), new ExtraLockedSource(), new FixedSource(700_000, "audit 2026")], default);

        Assert.Null(skipped);
        // median of 750_000, 600_000, 700_000 = 700_000 → factor 0.7.
        Assert.Equal(700_000_000_000_000_000UL, observation!.Value.Factor.Raw);
    }

    [Fact]
    public async Task ObserveAsync_AllSourcesFailing_SkipsWithSourceFailed()
    {
        var (observation, skipped) = await new FreeFloatCalculator(new ReporterTelemetry()).ObserveAsync(Supply, Block, [Source("/garbage", "x")], default);

        Assert.Null(observation);
        Assert.Equal(SupplySkipReason.SourceFailed, skipped!.Reason);
    }

    private static Address SupplyChainAddress() => Address.Parse("0x00000000000000000000000000000000000000bb");

    private HttpJsonSource Source(string path, string field, string? timestampField = null, double timeout = 2, int retries = 0) =>
        new("http-0", s_http, new HttpJsonSourceSettings(new Uri(_base, path), field, timestampField, TimeSpan.FromSeconds(timeout), retries, TimeSpan.FromHours(24)));
}
