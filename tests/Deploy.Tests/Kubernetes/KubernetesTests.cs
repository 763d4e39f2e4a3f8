using System.Net;
using SupplyOracle.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SupplyOracle.Deploy.Tests.Kubernetes;

/// <summary>deploy/k8s: the workloads' settings against the programs' options, probes, secrets, volumes and services.</summary>
public sealed class KubernetesTests
{
    [Fact]
    public void Workloads_AggregatorTwoReplicasReporterOne_EachRunsItsProgram()
    {
        var workloads = Workload.All();
        var aggregator = Assert.Single(workloads, w => w.Program == DeployedProgram.Aggregator);
        Assert.Equal("2", aggregator.Spec.Str("replicas"));
        var reporter = Assert.Single(workloads, w => w.Program == DeployedProgram.Reporter);
        // One signer per key, ever: the old pod is gone before the new one starts.
        Assert.Equal("1", reporter.Spec.Str("replicas"));
        Assert.Equal("Recreate", reporter.Spec.Map("strategy")!.Str("type"));
    }

    [Fact]
    public void Settings_EveryKey_ExistsInTheProgramsOptions()
    {
        foreach (var w in Workload.All())
        {
            ConfigKeys.AssertKnown(w.Program, w.Environment.Keys, $"Deployment {w} env");
            var json = ConfigKeys.FromJson(w.Json);
            Assert.NotEmpty(json);
            Assert.All(json, k => Assert.True(w.Program.Schema.Owns(k), $"Deployment {w} config: {k} is outside section {w.Program.Schema.Section}"));
            ConfigKeys.AssertKnown(w.Program, json, $"Deployment {w} config");
        }
    }

    [Fact]
    public void Settings_EveryWorkload_PassTheProgramsOwnValidation()
    {
        foreach (var w in Workload.All())
        {
            var exception = Record.Exception(() => w.Program.Validate(w.Json, w.Environment));
            Assert.True(exception is null, $"Deployment {w}: {exception?.Message}");
        }
    }

    [Fact]
    public async Task Args_EveryWorkload_ParseAsTheProgramsCommandLine()
    {
        foreach (var w in Workload.All())
        {
            var problem = await w.Program.CommandLineProblemAsync(w.Args);
            Assert.True(problem is null, $"Deployment {w}: {string.Join(' ', w.Args)}: {problem}");
        }
    }

    [Fact]
    public void Probes_PathsAndPorts_AreTheHealthEndpointsTheProgramServes()
    {
        foreach (var w in Workload.All())
        {
            var listen = IPEndPoint.Parse(w.Setting(w.Program == DeployedProgram.Reporter ? "Reporter:Health:Listen" : "Aggregator:HttpListen")!);
            Assert.Equal(IPAddress.Any, listen.Address);
            var served = ServedPaths.Of(w.Program);
            foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
            {
                if (w.Container.Map(probe)!.Map("grpc") is { } grpc)
                {
                    // A Kubernetes gRPC probe asks grpc.health.v1.Health/Check on the gRPC endpoint (a number, not a port name).
                    Assert.Equal(DeployedProgram.Aggregator, w.Program);
                    Assert.True(ServedPaths.AggregatorServesGrpcHealth(), "the aggregator's web host does not map grpc.health.v1.Health");
                    Assert.Equal(IPEndPoint.Parse(w.Setting("Aggregator:GrpcListen")!).Port, int.Parse(grpc.Str("port")!, System.Globalization.CultureInfo.InvariantCulture));
                    continue;
                }

                var get = w.Container.Map(probe)!.Map("httpGet")!;
                Assert.Contains(get.Str("path")!, served);
                Assert.Equal(listen.Port, w.Port(get.Str("port")!));
            }
        }
        var aggregator = Assert.Single(Workload.All(), w => w.Program == DeployedProgram.Aggregator);
        Assert.NotNull(aggregator.Container.Map("readinessProbe")!.Map("grpc"));
        var reporter = Assert.Single(Workload.All(), w => w.Program == DeployedProgram.Reporter);
        Assert.Equal("/health/live", reporter.Container.Map("livenessProbe")!.Map("httpGet")!.Str("path"));
        Assert.Equal("/health/ready", reporter.Container.Map("readinessProbe")!.Map("httpGet")!.Str("path"));
    }

    [Fact]
    public void Key_KeystoreAndPassword_AreFilesOfTheMountedSecret()
    {
        foreach (var w in Workload.All())
        {
            var section = w.Program == DeployedProgram.Reporter ? "Reporter:Key:" : "Aggregator:";
            foreach (var setting in new[] { $"{section}Keystore", $"{section}PasswordFile" })
            {
                var path = w.Setting(setting);
                Assert.True(path is not null, $"Deployment {w}: {setting} is not set");
                var (volume, file) = Workload.VolumeAt(w.Container, path!);
                var secret = w.Volume(volume).Map("secret")!.Str("secretName")!;
                Assert.NotNull(Manifests.Get("Secret", secret).Map("stringData")!.Str(file));
            }
        }
    }

    [Fact]
    public void Journal_Reporter_IsOnAReadWriteOncePersistentVolume()
    {
        var reporter = Assert.Single(Workload.All(), w => w.Program == DeployedProgram.Reporter);
        var (volume, _) = Workload.VolumeAt(reporter.Container, reporter.Setting("Reporter:JournalPath")!);
        var claim = reporter.Volume(volume).Map("persistentVolumeClaim")!.Str("claimName")!;
        Assert.Equal(["ReadWriteOnce"], Manifests.Get("PersistentVolumeClaim", claim).Map("spec")!.Seq("accessModes").Strings());
    }

    [Fact]
    public void Services_TargetPortsAndSelectors_MatchTheirWorkloads()
    {
        var workloads = Workload.All();
        foreach (var service in Manifests.OfKind("Service"))
        {
            var selector = service.Map("spec")!.Map("selector")!.Scalars().ToList();
            var target = Assert.Single(workloads, w => selector.All(s => w.Spec.Map("template")!.Map("metadata")!.Map("labels")!.Str(s.Key) == s.Value));
            Assert.Equal(selector, target.Spec.Map("selector")!.Map("matchLabels")!.Scalars().ToList());
            foreach (var port in service.Map("spec")!.Seq("ports").Cast<YamlMappingNode>())
            {
                _ = target.Port(port.Str("targetPort")!);
            }
        }
        var reporter = Assert.Single(workloads, w => w.Program == DeployedProgram.Reporter);
        var aggregator = new Uri(reporter.Setting("Reporter:Gossip:Aggregators:0")!);
        var name = aggregator.Host.Split('.');
        Assert.Equal(["aggregator", "supplyoracle", "svc"], name);
        var grpc = Manifests.Get("Service", "aggregator").Map("spec")!.Seq("ports").Cast<YamlMappingNode>().Single(p => p.Str("port") == aggregator.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var aggregatorWorkload = Assert.Single(workloads, w => w.Program == DeployedProgram.Aggregator);
        Assert.Equal(IPEndPoint.Parse(aggregatorWorkload.Setting("Aggregator:GrpcListen")!).Port, aggregatorWorkload.Port(grpc.Str("targetPort")!));
        Assert.Equal(IPEndPoint.Parse(reporter.Setting("Reporter:Gossip:Listen")!).Port, reporter.Port("relay"));
    }

    [Fact]
    public void Pods_EveryWorkload_RunsAsTheImageUserWithResourceRequests()
    {
        foreach (var w in Workload.All())
        {
            var security = w.PodSpec.Map("securityContext")!;
            Assert.Equal("true", security.Str("runAsNonRoot"));
            Assert.Equal("1654", security.Str("runAsUser"));
            var requests = w.Container.Map("resources")!.Map("requests")!;
            Assert.NotNull(requests.Str("cpu"));
            Assert.NotNull(requests.Str("memory"));
            Assert.Equal("false", w.Container.Map("securityContext")!.Str("allowPrivilegeEscalation"));
        }
    }

    [Fact]
    public void Namespace_EveryObject_IsInTheDeclaredNamespace()
    {
        var ns = Assert.Single(Manifests.OfKind("Namespace")).Map("metadata")!.Str("name");
        foreach (var (file, obj) in Manifests.All().Where(o => o.Object.Str("kind") != "Namespace"))
        {
            Assert.True(obj.Map("metadata")!.Str("namespace") == ns, $"{file}: {obj.Str("kind")} {obj.Map("metadata")!.Str("name")} is not in namespace {ns}");
        }
    }
}
