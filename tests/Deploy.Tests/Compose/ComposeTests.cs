using System.Net;
using SupplyOracle.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SupplyOracle.Deploy.Tests.Compose;

/// <summary>deploy/compose: the services' settings against the programs' options, and their wiring.</summary>
public sealed class ComposeTests
{
    [Fact]
    public void Services_OneAggregatorThreeReporters_AreBuiltFromTheDockerfiles()
    {
        var services = ComposeService.All();
        Assert.Single(services, s => s.Program == DeployedProgram.Aggregator);
        Assert.Equal(3, services.Count(s => s.Program == DeployedProgram.Reporter));
        var others = ComposeService.Root().Map("services")!.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value).Except(services.Select(s => s.Name));
        Assert.Equal(["postgres", "chain"], others);
    }

    [Fact]
    public void Environment_EveryKey_ExistsInTheProgramsOptions()
    {
        foreach (var service in ComposeService.All())
        {
            var keys = service.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(keys);
            Assert.All(keys, k => Assert.True(service.Program.Schema.Owns(k), $"service {service}: {k} is not a {service.Program.Schema.Section} setting"));
            ConfigKeys.AssertKnown(service.Program, keys, $"compose service {service}");
            ConfigKeys.AssertKnown(service.Program, ConfigKeys.FromJson(service.Json!), $"compose service {service} config file");
        }
    }

    [Fact]
    public void Settings_EveryService_PassTheProgramsOwnValidation()
    {
        foreach (var service in ComposeService.All())
        {
            var exception = Record.Exception(() => service.Program.Validate(service.Json, service.Environment));
            Assert.True(exception is null, $"compose service {service}: {exception?.Message}");
        }
    }

    [Fact]
    public async Task Command_EveryService_ParsesAsTheProgramsCommandLine()
    {
        foreach (var service in ComposeService.All())
        {
            var problem = await service.Program.CommandLineProblemAsync(service.Command);
            Assert.True(problem is null, $"compose service {service}: {string.Join(' ', service.Command)}: {problem}");
        }
    }

    [Fact]
    public void Secrets_KeysAndPasswords_AreDeclaredSecretsMountedIntoTheService()
    {
        var declared = ComposeService.Root().Map("secrets")!;
        foreach (var service in ComposeService.All())
        {
            var paths = service.Program == DeployedProgram.Reporter
                ? new[] { service.Setting("Reporter:Key:Keystore")!, service.Setting("Reporter:Key:PasswordFile")! }
                : [Passfile(service.Setting("Aggregator:Database")!), service.Setting("Aggregator:Keystore")!, service.Setting("Aggregator:PasswordFile")!];
            foreach (var path in paths)
            {
                Assert.StartsWith("/run/secrets/", path);
                var name = path["/run/secrets/".Length..];
                Assert.Contains(name, service.Secrets);
                Assert.StartsWith("./secrets/", declared.Map(name)!.Str("file"));
            }
        }
        Assert.Equal("secrets/", Repo.Read($"{ComposeService.Directory}/.gitignore").Trim());
    }

    [Fact]
    public void Journal_EveryReporter_WritesToItsOwnNamedVolume()
    {
        var declared = ComposeService.Root().Map("volumes")!.Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value).ToList();
        var reporters = ComposeService.All().Where(s => s.Program == DeployedProgram.Reporter).ToList();
        var volumes = reporters.Select(r =>
        {
            var directory = Path.GetDirectoryName(r.Setting("Reporter:JournalPath"))!;
            var (source, _) = Assert.Single(r.Volumes, v => v.Target == directory);
            Assert.Contains(source, declared);
            return source;
        }).ToList();
        Assert.Equal(volumes.Count, volumes.Distinct().Count());
    }

    [Fact]
    public void Urls_RpcGossipAndPeers_PointAtServicesListeningOnThosePorts()
    {
        var services = ComposeService.All();
        var root = ComposeService.Root().Map("services")!;
        var chain = root.Map("chain")!.Seq("command").Strings();
        var anvilPort = chain[Array.IndexOf(chain, "--port") + 1];
        Assert.Equal(ComposeService.DotEnv()["CHAIN_ID"], chain[Array.IndexOf(chain, "--chain-id") + 1]);
        foreach (var service in services)
        {
            var (rpcs, grpc) = service.Program == DeployedProgram.Reporter
                ? (new[] { service.Setting("Reporter:Rpc:Endpoints:0")! }, service.Setting("Reporter:Gossip:Listen"))
                : ([service.Setting("Aggregator:RpcUrl")!], service.Setting("Aggregator:GrpcListen"));
            Assert.All(rpcs, u => Assert.Equal($"chain:{anvilPort}", new Uri(u).Authority));
            if (grpc is not null)
            {
                // Other containers reach it only on a non-loopback address.
                Assert.Equal(IPAddress.Any, IPEndPoint.Parse(grpc).Address);
            }
            if (service.Program == DeployedProgram.Reporter)
            {
                var aggregator = new Uri(service.Setting("Reporter:Gossip:Aggregators:0")!);
                var target = Assert.Single(services, s => s.Name == aggregator.Host);
                Assert.Equal(DeployedProgram.Aggregator, target.Program);
                Assert.Equal(IPEndPoint.Parse(target.Setting("Aggregator:GrpcListen")!).Port, aggregator.Port);
                for (var i = 0; service.Setting($"Reporter:Gossip:Peers:{i}") is { } peer; i++)
                {
                    var url = new Uri(peer);
                    var other = Assert.Single(services, s => s.Name == url.Host);
                    Assert.NotEqual(service, other);
                    Assert.Equal(IPEndPoint.Parse(other.Setting("Reporter:Gossip:Listen")!).Port, url.Port);
                }
            }
            else
            {
                Assert.Contains("Host=postgres;", service.Setting("Aggregator:Database"), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Ports_PublishedHealthPorts_AreTheHealthListeners()
    {
        foreach (var service in ComposeService.All())
        {
            var listen = IPEndPoint.Parse(service.Setting(service.Program == DeployedProgram.Reporter ? "Reporter:Health:Listen" : "Aggregator:HttpListen")!);
            Assert.Equal(IPAddress.Any, listen.Address);
            var published = Assert.Single(service.Node.Seq("ports").Strings());
            Assert.StartsWith("127.0.0.1:", published);
            Assert.EndsWith($":{listen.Port}", published);
        }
    }

    [Fact]
    public void DependsOn_ServiceHealthy_TargetsHaveAHealthCheck()
    {
        var services = ComposeService.Root().Map("services")!;
        var waits = 0;
        foreach (var (_, node) in services.Children)
        {
            var dependsOn = ((YamlMappingNode)node).Map("depends_on");
            foreach (var (target, condition) in dependsOn?.Children.ToList() ?? [])
            {
                if (((YamlMappingNode)condition).Str("condition") != "service_healthy")
                {
                    continue;
                }
                waits++;
                var dependency = services.Map(((YamlScalarNode)target).Value!)!;
                var dockerfile = dependency.Map("build")?.Str("dockerfile");
                Assert.True(dependency.Map("healthcheck") is not null || (dockerfile is not null && Dockerfile.Load(dockerfile).Effective("HEALTHCHECK").Any()),
                    $"{target} is waited for as healthy but has no health check");
            }
        }
        Assert.True(waits >= 4, $"only {waits} services wait for a healthy dependency");
    }

    private static string Passfile(string connectionString) =>
        connectionString.Split(';').Select(p => p.Split('=', 2)).Single(p => p[0].Trim().Equals("Passfile", StringComparison.OrdinalIgnoreCase))[1];
}
