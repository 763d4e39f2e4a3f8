using System.Net;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.FreeFloatFeed;
using SupplyOracle.Reporter.FreeFloat;
using SupplyOracle.Reporter.Supply;

namespace SupplyOracle.Devnet.Tests.FreeFloatFeed;

public sealed class FeedServerTests
{
    private static readonly Address s_token = TokenPlan.Derive("AUR", "token");
    private static readonly BigInteger s_value = BigInteger.Parse("229850000000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task GetAsync_ReporterHttpJsonSource_ReadsTheFeedsFigure()
    {
        // The consumer is the reporter's own HttpJsonSource, configured as the devnet configures reporter-5.
        await using var feed = FeedServer.Start((token, _) => Task.FromResult<BigInteger?>(token == s_token ? s_value : null));
        using var http = new HttpClient();
        var source = new HttpJsonSource("http-0", http,
            new HttpJsonSourceSettings(feed.UrlOf(s_token), "value", null, TimeSpan.FromSeconds(2), 0, TimeSpan.FromDays(1)));
        var supply = new TokenSupply(s_token, s_value * 2, [], BigInteger.Zero, []);

        var value = await source.GetAsync(supply, new PinnedBlock(10, default, 1_700_000_000), CancellationToken.None);

        Assert.Equal(s_value, value);
    }

    [Fact]
    public async Task Get_UnknownToken_Answers404()
    {
        await using var feed = FeedServer.Start((_, _) => Task.FromResult<BigInteger?>(null));
        using var http = new HttpClient();

        using var response = await http.GetAsync(feed.UrlOf(TokenPlan.Derive("XXX", "token")));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_ValueFunctionFails_Answers503WithTheReason()
    {
        await using var feed = FeedServer.Start((_, _) => throw new InvalidOperationException("chain unreachable"));
        using var http = new HttpClient();

        using var response = await http.GetAsync(feed.UrlOf(s_token));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("chain unreachable", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
