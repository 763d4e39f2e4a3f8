using SupplyOracle.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace SupplyOracle.Deploy.Tests.Compose;

/// <summary>A service of deploy/compose/compose.yaml that runs one of the programs, with its effective settings.</summary>
public sealed record ComposeService(string Name, DeployedProgram Program, YamlMappingNode Node, string[] Command, string? Json,
    IReadOnlyDictionary<string, string?> Environment)
{
    public const string Directory = "deploy/compose";

    /// <summary>The compose file's root mapping.</summary>
    public static YamlMappingNode Root() => Assert.Single(Yaml.Documents($"{Directory}/compose.yaml"));

    /// <summary>The .env values compose interpolates.</summary>
    public static IReadOnlyDictionary<string, string> DotEnv() => ConfigKeys.DotEnv($"{Directory}/.env");

    /// <summary>Every service built from one of deploy/docker's Dockerfiles.</summary>
    public static IReadOnlyList<ComposeService> All()
    {
        var root = Root();
        var variables = DotEnv();
        var services = new List<ComposeService>();
        foreach (var (key, value) in root.Map("services")!.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            var node = (YamlMappingNode)value;
            var dockerfile = node.Map("build")?.Str("dockerfile");
            if (dockerfile is null)
            {
                continue;
            }
            var context = node.Map("build")!.Str("context")!;
            Assert.Equal("../..", context);
            var program = Path.GetFileName(dockerfile) switch
            {
                "reporter.Dockerfile" => DeployedProgram.Reporter,
                "aggregator.Dockerfile" => DeployedProgram.Aggregator,
                var other => throw new InvalidOperationException($"service {name}: unknown Dockerfile {other}"),
            };
            Assert.True(Repo.Exists(dockerfile), $"service {name}: {dockerfile} does not exist");
            var command = node.Seq("command").Strings();
            var env = node.Map("environment")!.Scalars()
                .ToDictionary(e => e.Key, e => (string?)ConfigKeys.Interpolate(e.Value ?? "", variables, $"service {name}: {e.Key}"));
            services.Add(new ComposeService(name, program, node, command, ConfigFile(root, node, command), env));
        }
        return services;
    }

    /// <summary>The JSON file compose mounts where <c>--config</c> points (a top-level <c>configs</c> entry).</summary>
    private static string? ConfigFile(YamlMappingNode root, YamlMappingNode service, string[] command)
    {
        var at = Array.IndexOf(command, "--config");
        if (at < 0)
        {
            return null;
        }
        var target = command[at + 1];
        var mount = service.Seq("configs").Cast<YamlMappingNode>().Single(c => c.Str("target") == target);
        var file = root.Map("configs")!.Map(mount.Str("source")!)!.Str("file")!;
        return Repo.Read(Path.Combine(Directory, file));
    }

    /// <summary>The secret names mounted into the service.</summary>
    public IReadOnlyList<string> Secrets => Node.Seq("secrets").Strings();

    /// <summary>The volume mounts (<c>source:target</c>).</summary>
    public IReadOnlyList<(string Source, string Target)> Volumes =>
        [.. Node.Seq("volumes").Strings().Select(v => v.Split(':')).Select(p => (p[0], p[1]))];

    /// <summary>A setting's effective value: environment first (it wins), then the JSON file.</summary>
    public string? Setting(string key)
    {
        var env = Environment.FirstOrDefault(e => OptionsSchema.Split(e.Key).SequenceEqual(key.Split(':'), StringComparer.OrdinalIgnoreCase));
        if (env.Key is not null)
        {
            return env.Value;
        }
        return Json is null ? null : ConfigKeys.JsonValue(Json, key);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
