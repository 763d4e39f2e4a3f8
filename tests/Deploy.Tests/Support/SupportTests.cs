using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Reporter.Configuration;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>The checks the deployment tests rely on reject what they must.</summary>
public sealed class SupportTests
{
    [Theory]
    [InlineData("Reporter__Key__Keystore")]
    [InlineData("Reporter:Tokens:3:Http:0:Url")]
    [InlineData("reporter__gossip__peers__1")]
    public void Problem_KnownReporterKey_IsNull(string key) => Assert.Null(DeployedProgram.Reporter.Schema.Problem(key));

    [Theory]
    [InlineData("Reporter__Key__Password", "KeyOptions has no setting 'Password'")]
    [InlineData("Reporter__Tokens__first__Address", "must be a number")]
    [InlineData("Reporter__Key", "names a section")]
    [InlineData("Reporter__JournalPath__Dir", "is a single value")]
    [InlineData("Aggregator__RpcUrl", "is not under section Reporter")]
    public void Problem_BadReporterKey_SaysWhy(string key, string expected) =>
        Assert.Contains(expected, DeployedProgram.Reporter.Schema.Problem(key), StringComparison.Ordinal);

    [Fact]
    public void Problem_UnknownAggregatorKey_IsReported()
    {
        Assert.Contains("has no setting 'TransmitterKey'", DeployedProgram.Aggregator.Schema.Problem("Aggregator__TransmitterKey"), StringComparison.Ordinal);
        Assert.Null(DeployedProgram.Aggregator.Schema.Problem("Aggregator__Keystore"));
    }

    [Fact]
    public void Validate_ReporterMissingJournal_ThrowsNamingTheSetting()
    {
        var env = new Dictionary<string, string?>
        {
            ["Reporter__Chain__ChainId"] = "1",
            ["Reporter__Chain__Oracle"] = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            ["Reporter__Chain__Registry"] = "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            ["Reporter__Rpc__Endpoints__0"] = "http://127.0.0.1:8545",
            ["Reporter__Key__Keystore"] = "/k.json",
            ["Reporter__Key__PasswordFile"] = "/p",
        };
        var e = Assert.Throws<ReporterConfigurationException>(() => DeployedProgram.Reporter.Validate(null, env));
        Assert.Equal("Reporter:JournalPath", e.Setting);
    }

    [Fact]
    public void Validate_AggregatorWithoutDatabase_ThrowsNamingTheSetting()
    {
        var json = """{ "Aggregator": { "ChainId": 1, "Oracle": "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", "Registry": "0x5FbDB2315678afecb367f032d93F642f64180aa3", "RpcUrl": "http://127.0.0.1:8545" } }""";
        var e = Assert.Throws<AggregatorConfigurationException>(() => DeployedProgram.Aggregator.Validate(json, []));
        Assert.Equal("Aggregator:Database", e.Setting);
    }

    [Fact]
    public void Interpolate_DefaultsAndRequired_FollowCompose()
    {
        var vars = new Dictionary<string, string> { ["A"] = "1", ["E"] = "" };
        Assert.Equal("1-x-y-$", ConfigKeys.Interpolate("${A}-${B:-x}-${E:-y}-$$", vars, "t"));
        Assert.Equal("", ConfigKeys.Interpolate("${E-z}", vars, "t"));
        Assert.Contains("is required: set it", Assert.Throws<InvalidOperationException>(() => ConfigKeys.Interpolate("${B:?set it}", vars, "t")).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => ConfigKeys.Interpolate("${B}", vars, "t"));
    }

    [Theory]
    [InlineData("serve", "--config", "x.json")]
    [InlineData("keys", "--config", "x.json")]
    [InlineData("run", "--configuration", "x.json")]
    public async Task CommandLineProblem_UnknownCommandOrOption_IsReported(params string[] args) =>
        Assert.NotNull(await DeployedProgram.Reporter.CommandLineProblemAsync(args));

    [Fact]
    public async Task CommandLineProblem_ExistingCommands_AreNull()
    {
        Assert.Null(await DeployedProgram.Reporter.CommandLineProblemAsync(["keys", "new", "--keystore", "k.json", "--password-file", "p"]));
        Assert.Null(await DeployedProgram.Aggregator.CommandLineProblemAsync(["run", "--config", "a.json"]));
        Assert.NotNull(await DeployedProgram.Aggregator.CommandLineProblemAsync(["run", "--keystore", "a.json"]));
    }

    [Fact]
    public void ServedPaths_Reporter_AreTheHealthAndMetricsEndpoints() =>
        Assert.Equal(new HashSet<string> { "/health/live", "/health/ready", "/metrics" }, ServedPaths.Reporter());

    [Fact]
    public void Environment_SystemdUnit_SplitsQuotedAssignmentsAndExpandsSpecifiers()
    {
        var unit = SystemdUnit.Load("deploy/systemd/supplyoracle-aggregator.service");
        var database = Assert.Single(unit.Environment(), e => e.Key == "Aggregator__Database").Value;
        Assert.Contains(";SSL Mode=VerifyFull;", database, StringComparison.Ordinal);
        Assert.EndsWith("Passfile=/run/credentials/supplyoracle-aggregator.service/pgpass", database, StringComparison.Ordinal);
        Assert.Equal("100%", unit.Expand("100%%"));
    }

    [Fact]
    public void Load_Dockerfile_JoinsContinuationsAndNumbersStages()
    {
        var docker = Dockerfile.Load("deploy/docker/reporter.Dockerfile");
        Assert.Equal(3, docker.FinalStage);
        Assert.Equal([0, 1, 2, 3], new[] { "runtime", "prebuilt", "build", "final" }.Select(docker.Stage));
        Assert.Equal("runtime", docker.From(docker.FinalStage));
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", docker.ArgDefault("RUNTIME_IMAGE"));
        var mkdir = Assert.Single(docker.Get("RUN", 0));
        Assert.Contains("&& chown app:app /var/lib/supplyoracle", mkdir.Arguments, StringComparison.Ordinal);
        Assert.Empty(docker.Get("HEALTHCHECK"));
        Assert.Contains("/health/ready", Assert.Single(docker.Effective("HEALTHCHECK")).Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void MetricNames_Expression_AreTheSelectedMetricsOnly()
    {
        var names = MonitoringFiles.MetricNames(
            "histogram_quantile(0.95, sum by (endpoint, le) (rate(a_seconds_bucket{outcome=\"error\", x=~\"b_c\"}[10m]))) > 5 " +
            "and on (instance) group_left () (0.8 * b_total offset 1h) or up{job=\"r\"} == 1e3");

        Assert.Equal(["a_seconds_bucket", "b_total", "up"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ScrapedNames_TextFormat_AreTheSampleNames()
    {
        var names = MonitoringFiles.ScrapedNames("# TYPE x_total counter\nx_total{a=\"b\"} 1 123\ny 2\n\n# EOF\n");

        Assert.Equal(["x_total", "y"], names.Order(StringComparer.Ordinal));
    }
}
