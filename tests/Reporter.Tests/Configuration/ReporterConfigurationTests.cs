using SupplyOracle.Reporter.Configuration;

namespace SupplyOracle.Reporter.Tests.Configuration;

public sealed class ReporterConfigurationTests : IDisposable
{
    private const string Valid = """
        {
          "Reporter": {
            "Chain": { "ChainId": 31337, "Oracle": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "Registry": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512" },
            "Rpc": { "Endpoints": [ "http://127.0.0.1:8545", "http://127.0.0.1:8546" ], "Quorum": 2 },
            "Key": { "Keystore": "/keys/reporter.json", "PasswordFile": "/keys/password" },
            "JournalPath": "/data/journal.bin",
            "Tokens": [
              { "Address": "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", "ExtraLocked": [ "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" ],
                "Http": [ { "Url": "https://feed.example/ff", "ValuePath": "data.freeFloat", "TimestampPath": "data.asOf" } ],
                "Fixed": { "Value": "1000", "Note": "treasury report Q3" } }
            ],
            "Gossip": { "Aggregators": [ "http://127.0.0.1:7001" ] }
          }
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_ValidJson_BindsEverySectionWithDefaults()
    {
        var options = Load(Valid);

        Assert.Equal(31337UL, options.Chain.ChainId);
        Assert.Equal(2, options.Rpc.Endpoints.Count);
        Assert.Equal(2UL, options.Confirmations);
        Assert.Equal("data.asOf", options.Tokens[0].Http[0].TimestampPath);
        Assert.Equal(5, options.Tokens[0].Http[0].TimeoutSeconds);
        Assert.Equal("127.0.0.1:8080", options.Health.Listen);
        Assert.Equal("", options.Gossip.Listen);
        Assert.Equal(8UL, options.Gossip.RelayRounds);
    }

    [Fact]
    public void Load_EnvironmentAndCommandLine_OverrideTheFileInOrder()
    {
        var options = Load(Valid, env: new Dictionary<string, string?>
        {
            ["Reporter__Rpc__Endpoints__0"] = "http://10.0.0.1:8545",
            ["Reporter__Confirmations"] = "5",
        }, args: ["--Reporter:Confirmations=7"]);

        Assert.Equal("http://10.0.0.1:8545", options.Rpc.Endpoints[0]);
        Assert.Equal(7UL, options.Confirmations);
    }

    [Theory]
    [InlineData("Reporter__Rpc__Endpoints__1", "ftp://x", "Reporter:Rpc:Endpoints:1")]
    [InlineData("Reporter__Rpc__Quorum", "3", "Reporter:Rpc:Quorum")]
    [InlineData("Reporter__Chain__Oracle", "0x1234", "Reporter:Chain:Oracle")]
    [InlineData("Reporter__Chain__Registry", "0x0000000000000000000000000000000000000000", "Reporter:Chain:Registry")]
    [InlineData("Reporter__Key__PasswordEnvironmentVariable", "PW", "Reporter:Key:PasswordFile")]
    [InlineData("Reporter__Tokens__0__Fixed__Note", "", "Reporter:Tokens:0:Fixed:Note")]
    [InlineData("Reporter__Tokens__0__Fixed__Value", "-3", "Reporter:Tokens:0:Fixed:Value")]
    [InlineData("Reporter__Tokens__0__Http__0__Retries", "50", "Reporter:Tokens:0:Http:0:Retries")]
    [InlineData("Reporter__Tokens__1__Address", "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0", "Reporter:Tokens:1:Address")]
    [InlineData("Reporter__Health__Listen", "localhost", "Reporter:Health:Listen")]
    [InlineData("Reporter__Gossip__Listen", "localhost:7443", "Reporter:Gossip:Listen")]
    [InlineData("Reporter__Gossip__Listen", "127.0.0.1:8080", "Reporter:Gossip:Listen")]
    [InlineData("Reporter__Gossip__RelayRounds", "0", "Reporter:Gossip:RelayRounds")]
    [InlineData("Reporter__JournalPath", "", "Reporter:JournalPath")]
    public void Load_BadSetting_ThrowsNamingTheSetting(string variable, string value, string setting)
    {
        var error = Assert.Throws<ReporterConfigurationException>(() => Load(Valid, env: new Dictionary<string, string?> { [variable] = value }));

        Assert.Equal(setting, error.Setting);
    }

    [Fact]
    public void Load_UnknownKey_ThrowsNamingIt()
    {
        var error = Assert.Throws<ReporterConfigurationException>(() => Load(Valid, env: new Dictionary<string, string?> { ["Reporter__Rpc__Endpoint"] = "x" }));

        Assert.Contains("Endpoint", error.Problem, StringComparison.Ordinal);
    }

    private ReporterOptions Load(string json, Dictionary<string, string?>? env = null, string[]? args = null)
    {
        var path = Path.Combine(_dir, "reporter.json");
        File.WriteAllText(path, json);
        return ReporterConfiguration.Load(ReporterConfiguration.Build(path, args ?? [], env ?? []));
    }
}
