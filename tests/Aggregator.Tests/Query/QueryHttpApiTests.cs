using System.Net;
using System.Text.Json;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.TestSupport;
using static SupplyOracle.Aggregator.Tests.Support.QueryLog;

namespace SupplyOracle.Aggregator.Tests.Query;

/// <summary>The JSON API through HttpClient against the real host and a real PostgreSQL projection.</summary>
public sealed class QueryHttpApiTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(QueryHost host, string path)
    {
        using var response = await host.Http.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, document.RootElement.Clone());
    }

    [Fact]
    public async Task Get_SeededLog_TokensHistoryReportersAndRoundsInSnakeCase()
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());
        await StatusServiceTests.SeedAsync(host.Log);
        await host.WaitCaughtUpAsync();

        var (_, tokens) = await GetAsync(host, "/v1/tokens");
        var (status, token) = await GetAsync(host, $"/v1/tokens/{Token(1).ToString().ToLowerInvariant()}");
        var (_, history) = await GetAsync(host, $"/v1/tokens/{Token(1)}/history");
        var (_, reporters) = await GetAsync(host, "/v1/reporters");
        var (_, rounds) = await GetAsync(host, "/v1/rounds?limit=1");
        var (_, round) = await GetAsync(host, "/v1/rounds/7");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([Token(1).ToChecksumString(), Token(2).ToChecksumString()], tokens.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("token").GetString()));
        Assert.Equal("500000000000000000", token.GetProperty("factor").GetString());
        Assert.Equal("123456789012345678901234567", token.GetProperty("circulating").GetString());
        Assert.Equal(1_700_000_840UL, token.GetProperty("committed_at").GetUInt64());
        // No chain view in this host: what only the chain knows (age, stale, paused) is unknown, never guessed.
        Assert.Equal(JsonValueKind.Null, token.GetProperty("age_seconds").ValueKind);
        Assert.Equal(JsonValueKind.Null, token.GetProperty("stale").ValueKind);
        Assert.Equal(JsonValueKind.Null, token.GetProperty("paused").ValueKind);
        Assert.Equal(JsonValueKind.Null, tokens.GetProperty("oracle").ValueKind);
        Assert.False(token.GetProperty("frozen").GetBoolean());
        Assert.Equal("Commit", token.GetProperty("last_status").GetString());
        var entry = Assert.Single(history.GetProperty("history").EnumerateArray());
        Assert.Equal(("committed", "Commit", 7UL), (entry.GetProperty("outcome").GetString(), entry.GetProperty("reason").GetString(), entry.GetProperty("round").GetUInt64()));
        Assert.Equal("510000000000000000", entry.GetProperty("median").GetString());
        var first = reporters.GetProperty("reporters")[0];
        Assert.Equal(Addr(1).ToChecksumString(), first.GetProperty("reporter").GetString());
        Assert.Equal(2, first.GetProperty("batches_accepted").GetInt32());
        Assert.Equal(JsonValueKind.Object, first.GetProperty("rejections").ValueKind);
        Assert.Equal(8UL, Assert.Single(rounds.GetProperty("rounds").EnumerateArray()).GetProperty("round").GetUInt64());
        Assert.Equal("confirmed", round.GetProperty("round").GetProperty("phase").GetString());
        Assert.Equal(98_765UL, round.GetProperty("round").GetProperty("gas_used").GetUInt64());
        Assert.Equal(6, round.GetProperty("timeline").GetArrayLength());
        Assert.Equal("observation-accepted.v1", round.GetProperty("timeline")[0].GetProperty("event").GetString());
    }

    [Theory]
    [InlineData("/v1/tokens/0x7000000000000000000000000000000000000009", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/v1/tokens/0x7000000000000000000000000000000000000009/history", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/v1/rounds/424242", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/v1/rounds/424242/audit", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/v1/rounds/x/audit", HttpStatusCode.BadRequest, "bad_round")]
    [InlineData("/v1/no-such-route", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/v1/tokens/0x7000000000000000000000000000000000000009/no-such-route", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/", HttpStatusCode.NotFound, "not_found")]
    [InlineData("/v1/tokens/0x1234", HttpStatusCode.BadRequest, "bad_address")]
    [InlineData("/v1/tokens/not-an-address/history", HttpStatusCode.BadRequest, "bad_address")]
    [InlineData("/v1/tokens/0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", HttpStatusCode.BadRequest, "bad_address")] // EIP-55 case broken
    [InlineData("/v1/rounds/-1", HttpStatusCode.BadRequest, "bad_round")]
    [InlineData("/v1/rounds?limit=0", HttpStatusCode.BadRequest, "bad_limit")]
    [InlineData("/v1/rounds?limit=abc", HttpStatusCode.BadRequest, "bad_limit")]
    [InlineData("/v1/rounds?before=x", HttpStatusCode.BadRequest, "bad_before")]
    public async Task Get_UnknownOrMalformedIds_JsonErrorWithStatus(string path, HttpStatusCode expected, string code)
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());

        var (status, body) = await GetAsync(host, path);

        Assert.Equal(expected, status);
        Assert.Equal(code, body.GetProperty("error").GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Healthz_Running_OkJson()
    {
        await using var host = await QueryHost.StartAsync(await postgres.Server.CreateDatabaseAsync());

        var (status, body) = await GetAsync(host, "/healthz");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", body.GetProperty("status").GetString());
    }
}
