using SupplyOracle.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SupplyOracle.Deploy.Tests.Kubernetes;

/// <summary>Every object of deploy/k8s/*.yaml.</summary>
public static class Manifests
{
    public const string Directory = "deploy/k8s";

    public static readonly string[] Files = ["namespace.yaml", "secrets.yaml", "aggregator.yaml", "reporter.yaml"];

    /// <summary>All objects, with the file each comes from.</summary>
    public static IReadOnlyList<(string File, YamlMappingNode Object)> All() =>
        [.. Files.SelectMany(f => Yaml.Documents($"{Directory}/{f}").Select(d => (f, d)))];

    /// <summary>The object of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public static YamlMappingNode Get(string kind, string name) =>
        Assert.Single(All(), o => o.Object.Str("kind") == kind && o.Object.Map("metadata")!.Str("name") == name).Object;

    /// <summary>The objects of <paramref name="kind"/>.</summary>
    public static IReadOnlyList<YamlMappingNode> OfKind(string kind) => [.. All().Where(o => o.Object.Str("kind") == kind).Select(o => o.Object)];
}

/// <summary>One container of a Deployment that runs one of the programs, with its effective settings.</summary>
public sealed record Workload(string Deployment, YamlMappingNode Spec, YamlMappingNode PodSpec, YamlMappingNode Container, DeployedProgram Program,
    string[] Args, string Json, IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>Every program container of every Deployment.</summary>
    public static IReadOnlyList<Workload> All() =>
        [.. Manifests.OfKind("Deployment").SelectMany(d =>
        {
            var spec = d.Map("spec")!;
            var pod = spec.Map("template")!.Map("spec")!;
            return pod.Seq("containers").Cast<YamlMappingNode>().Select(c => Create(d.Map("metadata")!.Str("name")!, spec, pod, c));
        })];

    private static Workload Create(string deployment, YamlMappingNode spec, YamlMappingNode pod, YamlMappingNode container)
    {
        var image = container.Str("image")!;
        var executable = image.Split('/')[^1].Split(':')[0];
        var program = DeployedProgram.ByExecutable(executable);
        Assert.True(program is not null, $"Deployment {deployment}: image {image} is not one of the programs");
        var args = container.Seq("args").Strings();
        var config = args[Array.IndexOf(args, "--config") + 1];
        var env = container.Seq("env").Cast<YamlMappingNode>().ToDictionary(e => e.Str("name")!, e => e.Str("value") ?? SecretValue(deployment, e));
        return new Workload(deployment, spec, pod, container, program!, args, Mounted(deployment, pod, container, config), env);
    }

    /// <summary>The file at <paramref name="path"/> in the container: a key of a mounted ConfigMap.</summary>
    private static string Mounted(string deployment, YamlMappingNode pod, YamlMappingNode container, string path)
    {
        var (volume, key) = VolumeAt(container, path);
        var configMap = pod.Seq("volumes").Cast<YamlMappingNode>().Single(v => v.Str("name") == volume).Map("configMap");
        Assert.True(configMap is not null, $"Deployment {deployment}: {path} is not on a ConfigMap volume");
        var data = Manifests.Get("ConfigMap", configMap!.Str("name")!).Map("data")!;
        return data.Str(key) ?? throw new InvalidOperationException($"Deployment {deployment}: ConfigMap {configMap.Str("name")} has no key {key}");
    }

    /// <summary>The volume mounted at the directory of <paramref name="path"/>, and the file name in it.</summary>
    public static (string Volume, string File) VolumeAt(YamlMappingNode container, string path)
    {
        var directory = Path.GetDirectoryName(path)!;
        var mount = Assert.Single(container.Seq("volumeMounts").Cast<YamlMappingNode>(), m => m.Str("mountPath") == directory);
        return (mount.Str("name")!, Path.GetFileName(path));
    }

    /// <summary>The volume definition named <paramref name="name"/>.</summary>
    public YamlMappingNode Volume(string name) => PodSpec.Seq("volumes").Cast<YamlMappingNode>().Single(v => v.Str("name") == name);

    private static string? SecretValue(string deployment, YamlMappingNode env)
    {
        var reference = env.Map("valueFrom")?.Map("secretKeyRef");
        Assert.True(reference is not null, $"Deployment {deployment}: env {env.Str("name")} has neither value nor secretKeyRef");
        var data = Manifests.Get("Secret", reference!.Str("name")!).Map("stringData")!;
        return data.Str(reference.Str("key")!) ?? throw new InvalidOperationException($"Deployment {deployment}: Secret {reference.Str("name")} has no key {reference.Str("key")}");
    }

    /// <summary>A setting's effective value: environment first (it wins), then the ConfigMap's JSON.</summary>
    public string? Setting(string key) =>
        Environment.FirstOrDefault(e => OptionsSchema.Split(e.Key).SequenceEqual(key.Split(':'), StringComparer.OrdinalIgnoreCase)) is { Key: not null } env
            ? env.Value
            : ConfigKeys.JsonValue(Json, key);

    /// <summary>The containerPort of the port named <paramref name="name"/>.</summary>
    public int Port(string name) =>
        int.Parse(Container.Seq("ports").Cast<YamlMappingNode>().Single(p => p.Str("name") == name).Str("containerPort")!, System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => Deployment;
}
