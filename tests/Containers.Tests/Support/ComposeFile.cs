using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SupplyOracle.Containers.Tests.Support;

/// <summary>One service of deploy/compose/compose.yaml as the container test needs it.</summary>
/// <param name="Environment">Its <c>environment</c> map with <c>${NAME}</c> values substituted.</param>
/// <param name="Command">Its <c>command</c> (empty when absent).</param>
/// <param name="Secrets">The secrets it mounts at <c>/run/secrets/NAME</c>.</param>
/// <param name="Configs">Its configs: the file under deploy/compose and the target path in the container.</param>
public sealed record ComposeService(IReadOnlyDictionary<string, string> Environment, IReadOnlyList<string> Command, IReadOnlyList<string> Secrets,
    IReadOnlyList<(string File, string Target)> Configs);

/// <summary>
/// Reads deploy/compose/compose.yaml so that the containers the test starts are configured exactly as the shipped
/// compose file configures them (docker compose v2 itself is not installable here; issue 22).
/// </summary>
public static partial class ComposeFile
{
    /// <summary>The compose directory.</summary>
    public static string Directory => Path.Combine(SupplyOracle.TestSupport.RepoPaths.Root, "deploy", "compose");

    /// <summary>Reads <paramref name="service"/>, substituting <c>${NAME}</c> from <paramref name="variables"/> (the .env file's role).</summary>
    public static ComposeService Service(string service, IReadOnlyDictionary<string, string> variables)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(Directory, "compose.yaml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var node = (YamlMappingNode)((YamlMappingNode)root["services"])[service];
        var configs = root.Children.TryGetValue("configs", out var c) ? (YamlMappingNode)c : new YamlMappingNode();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node.Children.TryGetValue("environment", out var env))
        {
            foreach (var (key, value) in ((YamlMappingNode)env).Children)
            {
                environment[((YamlScalarNode)key).Value!] = Substitute(((YamlScalarNode)value).Value ?? "", variables);
            }
        }

        var command = node.Children.TryGetValue("command", out var cmd)
            ? ((YamlSequenceNode)cmd).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray()
            : [];
        var secrets = node.Children.TryGetValue("secrets", out var s)
            ? ((YamlSequenceNode)s).Children.Select(n => ((YamlScalarNode)n).Value!).ToArray()
            : [];
        var mounted = new List<(string, string)>();
        if (node.Children.TryGetValue("configs", out var cs))
        {
            foreach (YamlMappingNode config in ((YamlSequenceNode)cs).Children)
            {
                var source = ((YamlScalarNode)config["source"]).Value!;
                var file = ((YamlScalarNode)((YamlMappingNode)configs[source])["file"]).Value!;
                mounted.Add((Path.GetFullPath(Path.Combine(Directory, file)), ((YamlScalarNode)config["target"]).Value!));
            }
        }

        return new ComposeService(environment, command, secrets, mounted);
    }

    private static string Substitute(string value, IReadOnlyDictionary<string, string> variables) =>
        Variable().Replace(value, m => variables.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"compose.yaml uses ${{{m.Groups[1].Value}}}, which the test does not set"));

    [GeneratedRegex(@"\$\{([A-Z0-9_]+)\}")]
    private static partial Regex Variable();
}
