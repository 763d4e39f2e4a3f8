using System.Numerics;
using System.Text.Json;
using Microsoft.Playwright;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Dashboard;

/// <summary>
/// Issue 21's "must show": the dashboard in a real browser (Debian's Chromium through Playwright) against the real query
/// host on PostgreSQL and an oracle network on anvil. Each page loads without console errors and shows what the JSON
/// API serves; pages update live (server-sent events) when a round commits and when the guardian pauses a token.
/// Screenshots go to artifacts/dashboard-screenshots (README "Dashboard").
/// </summary>
public sealed class DashboardBrowserTests(PostgresFixture postgres, Browser browser) : IClassFixture<PostgresFixture>, IClassFixture<Browser>
{
    private static readonly BigInteger Supply = BigInteger.Parse("1000000000000000000000", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Pages_SeededNetwork_LoadWithoutErrorsAndShowTheJsonApiValues()
    {
        await using var net = await DashboardNetwork.StartAsync(postgres);
        var account = Addr(77);
        await net.Network.Registry.ProposeAsync(net.Network.Owner, net.Tokens[0], account, 0, Bytes32("treasury"), Bytes32("evidence"));
        var (page, errors) = await browser.OpenAsync();

        // Network
        await GoAsync(page, net, "/dashboard", "network");
        var latest = (await net.JsonAsync("/v1/rounds?limit=1")).GetProperty("rounds")[0];
        Assert.Equal(latest.GetProperty("round").GetUInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
            await page.Locator("#current-round data").GetAttributeAsync("value"));
        Assert.Contains(latest.GetProperty("phase").GetString()!, await page.Locator("#current-round").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("quorum", await page.Locator("#parameters").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("#commits-table tbody tr").CountAsync());

        // Tokens: every row's factor and circulating are the API's, digit for digit.
        await GoAsync(page, net, "/dashboard/tokens", "tokens");
        var tokens = (await net.JsonAsync("/v1/tokens")).GetProperty("tokens").EnumerateArray().ToList();
        Assert.Equal(2, tokens.Count);
        foreach (var token in tokens)
        {
            var row = page.Locator($"#tokens-table tr[data-token='{token.GetProperty("token").GetString()}']");
            Assert.Equal(token.GetProperty("factor").GetString(), await row.Locator(".factor data").GetAttributeAsync("value"));
            Assert.Equal(token.GetProperty("circulating").GetString(), await row.Locator(".circulating data").GetAttributeAsync("value"));
            Assert.Contains(token.GetProperty("stale").GetBoolean() ? "stale" : "fresh", await row.Locator(".status").InnerTextAsync(), StringComparison.Ordinal);
        }

        // One token: the chart, its history and its excluded addresses as the registry holds them.
        await GoAsync(page, net, $"/dashboard/tokens/{net.Tokens[0]}", "token");
        Assert.Equal(tokens[0].GetProperty("factor").GetString(), await page.Locator("dl[data-token] .factor data").GetAttributeAsync("value"));
        Assert.Equal(1, await page.Locator("#factor-chart polyline").CountAsync());
        var history = (await net.JsonAsync($"/v1/tokens/{net.Tokens[0]}/history")).GetProperty("history");
        Assert.Equal(history.GetArrayLength(), await page.Locator("#history-table tbody tr").CountAsync());

        // Reporters: batches and attestations per reporter; the participation grid has a cell per reporter and round.
        await GoAsync(page, net, "/dashboard/reporters", "reporters");
        foreach (var reporter in (await net.JsonAsync("/v1/reporters")).GetProperty("reporters").EnumerateArray())
        {
            var row = page.Locator($"#reporters-table tr[data-reporter='{reporter.GetProperty("reporter").GetString()}']");
            Assert.Equal(reporter.GetProperty("batches_accepted").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                await row.Locator(".batches data").GetAttributeAsync("value"));
            Assert.Equal(reporter.GetProperty("attestations").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                await row.Locator(".attestations data").GetAttributeAsync("value"));
        }

        Assert.Equal(3, await page.Locator("#participation td.both").CountAsync() + await page.Locator("#participation td.obs").CountAsync());

        // Rounds and one round's timeline with its audit export.
        await GoAsync(page, net, "/dashboard/rounds", "rounds");
        Assert.Equal(latest.GetProperty("phase").GetString(), (await page.Locator($"#rounds-table tr[data-round='{net.Round}'] .phase").InnerTextAsync()).Trim());
        await GoAsync(page, net, $"/dashboard/rounds/{net.Round}", "round");
        var detail = await net.JsonAsync($"/v1/rounds/{net.Round}");
        Assert.Equal(detail.GetProperty("timeline").GetArrayLength(), await page.Locator("#timeline li").CountAsync());
        // The link names the API's audit route (the audit itself is the API's, tested in Query/Audit; this log's
        // synthetic blocks are not on the chain, so it cannot be built here).
        Assert.Equal(1, await page.Locator($"a[href='/v1/rounds/{net.Round}/audit']").CountAsync());

        // Governance: the pending registry change with its eta.
        await GoAsync(page, net, "/dashboard/governance", "governance");
        var pending = await page.Locator("#proposals-pending tbody").InnerTextAsync();
        Assert.Contains("treasury", pending, StringComparison.Ordinal);
        Assert.Contains("add", pending, StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("#reporter-set li").CountAsync());

        Assert.Empty(errors);
    }

    [Fact]
    public async Task TokensPage_JavaScriptOffAndPhoneWidth_TablesReadableAndKeyboardReachable()
    {
        await using var net = await DashboardNetwork.StartAsync(postgres);
        var (page, errors) = await browser.OpenAsync(javaScript: false, width: 390);

        await page.GotoAsync(new Uri(net.Host.Host.Http!, "/dashboard/tokens").ToString());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotDirectory, "tokens-phone-nojs.png"), FullPage = true });

        Assert.Equal(2, await page.Locator("#tokens-table tbody tr").CountAsync());
        // The page itself never scrolls sideways on a phone; wide tables scroll inside their own box.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than a phone's screen");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Network", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task TokensPage_RoundCommitsThenGuardianPausesToken_PageUpdatesLiveWithoutReload()
    {
        await using var net = await DashboardNetwork.StartAsync(postgres);
        var (page, errors) = await browser.OpenAsync();
        await page.GotoAsync(new Uri(net.Host.Host.Http!, "/dashboard/tokens").ToString());
        await page.WaitForFunctionAsync("() => document.getElementById('live').textContent.startsWith('Live')");
        // A marker on the window: a reload would lose it, a live update keeps it.
        await page.EvaluateAsync("() => { window.__notReloaded = true; }");
        var factorCell = $"#tokens-table tr[data-token='{net.Tokens[0].ToChecksumString()}'] .factor data";
        Assert.Equal("500000000000000000", await page.Locator(factorCell).GetAttributeAsync("value"));

        // The next round commits a new factor: the row shows it without a reload.
        await net.AppendRoundAsync(net.Round + 1, 510_000_000_000_000_000);
        await page.WaitForFunctionAsync("([s, v]) => document.querySelector(s)?.getAttribute('value') === v", new object[] { factorCell, "510000000000000000" },
            new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"));

        // The guardian pauses the other token on chain: its row says paused, again without a reload, within one round.
        var statusCell = $"#tokens-table tr[data-token='{net.Tokens[1].ToChecksumString()}'] .status";
        Assert.DoesNotContain("paused", await page.Locator(statusCell).InnerTextAsync(), StringComparison.Ordinal);
        await net.Network.Oracle.PauseTokenAsync(net.Network.Owner, net.Tokens[1]);
        await page.WaitForFunctionAsync("([s]) => document.querySelector(s)?.textContent.includes('paused')", new object[] { statusCell },
            new PageWaitForFunctionOptions { Timeout = 20_000 });
        Assert.True((await net.JsonAsync($"/v1/tokens/{net.Tokens[1]}")).GetProperty("paused").GetBoolean());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__notReloaded === true"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotDirectory, "tokens-live-paused.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Theory]
    [InlineData("/dashboard/tokens/0x1234", 400)]
    [InlineData("/dashboard/tokens/0x7000000000000000000000000000000000000009", 404)]
    [InlineData("/dashboard/rounds/x", 400)]
    [InlineData("/dashboard/rounds/424242", 404)]
    [InlineData("/dashboard/rounds?before=0", 400)]
    [InlineData("/dashboard/assets/nope.js", 404)]
    public async Task Get_MalformedOrUnknownIds_HtmlProblemPageWithStatus(string path, int status)
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());

        using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"problem\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task GoAsync(IPage page, DashboardNetwork net, string path, string screenshot)
    {
        var response = await page.GotoAsync(new Uri(net.Host.Host.Http!, path).ToString());
        Assert.Equal(200, response!.Status);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ScreenshotDirectory, screenshot + ".png"), FullPage = true });
    }

    private static Hash32 Bytes32(string text)
    {
        var word = new byte[Hash32.Size];
        System.Text.Encoding.ASCII.GetBytes(text, word);
        return new Hash32(word);
    }

    /// <summary>An oracle network on anvil with one round committed on chain, and the query host's log holding that round.</summary>
    private sealed class DashboardNetwork : IAsyncDisposable
    {
        private DashboardNetwork(OracleNetwork network, QueryHost host, Address[] tokens, ulong round)
        {
            Network = network;
            Host = host;
            Tokens = tokens;
            Round = round;
        }

        public OracleNetwork Network { get; }

        public QueryHost Host { get; }

        public Address[] Tokens { get; }

        public ulong Round { get; }

        public static async Task<DashboardNetwork> StartAsync(PostgresFixture postgres)
        {
            var network = await OracleNetwork.StartAsync(new OracleNetworkOptions
            {
                Reporters = 3,
                Tokens = 2,
                Parameters = OracleNetworkOptions.DefaultParameters with { MinCommitInterval = 5, ReportStaleAfter = 3_600, Heartbeat = 60 },
            });
            try
            {
                var tokens = network.Tokens.Select(t => t.Address).Order().ToArray();
                var header = await network.NextRoundAsync();
                var batches = new List<Protocol.Observations.SignedBatch>();
                for (var i = 0; i < 3; i++)
                {
                    batches.Add(await network.SignBatchAsync(i, header, tokens.Select(t => new TokenObservation(t, new TokenAmount(Supply), new Wad(500_000_000_000_000_000)))));
                }

                Assert.NotNull(await network.RunRoundAsync(header, batches));
                var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync(), network.Client, deployment: network.Deployment);
                var net = new DashboardNetwork(network, host, tokens, header.Round.Value);
                await net.AppendRoundAsync(net.Round, 500_000_000_000_000_000);
                return net;
            }
            catch
            {
                await network.DisposeAsync();
                throw;
            }
        }

        /// <summary>Appends a round's events as the aggregator logs them (3 batches, close, proposal, transmission, confirmation).</summary>
        public async Task AppendRoundAsync(ulong round, ulong factor)
        {
            var reporters = Network.Reporters.Select(r => r.Address).ToArray();
            await Host.Log.AppendAsync([
                .. reporters.Select(r => (object)Accepted(round, r, (Tokens[0], Supply, factor), (Tokens[1], Supply, 300_000_000_000_000_000))),
                Closed(round, null, (Tokens[0], true, "Commit"), (Tokens[1], true, "Commit")),
                Proposed(round, (Tokens[0], (UInt128)Supply, factor, UpdateStatus.Commit), (Tokens[1], (UInt128)Supply, 300_000_000_000_000_000, UpdateStatus.Commit)),
                Intended(round, reporters[0], reporters[1]),
                Confirmed(round, gas: 150_000 + round)]);
            await Host.WaitCaughtUpAsync();
        }

        public async Task<JsonElement> JsonAsync(string path)
        {
            using var document = JsonDocument.Parse(await Host.Http.GetStringAsync(new Uri(path, UriKind.Relative)));
            return document.RootElement.Clone();
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await Network.DisposeAsync();
        }
    }
}
