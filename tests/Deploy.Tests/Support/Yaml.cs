using YamlDotNet.RepresentationModel;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>Reads YAML files of the repository with YamlDotNet (an independent YAML 1.1/1.2 parser).</summary>
public static class Yaml
{
    /// <summary>Every document of a (multi-document) YAML file.</summary>
    public static IReadOnlyList<YamlMappingNode> Documents(string relative)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Repo.Read(relative));
        stream.Load(reader);
        return [.. stream.Documents.Select(d => Assert.IsType<YamlMappingNode>(d.RootNode))];
    }

    /// <summary>The child mapping at <paramref name="key"/>, or null.</summary>
    public static YamlMappingNode? Map(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    /// <summary>The child sequence at <paramref name="key"/> (empty when absent).</summary>
    public static IReadOnlyList<YamlNode> Seq(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode s ? [.. s.Children] : [];

    /// <summary>The scalar at <paramref name="key"/>, or null.</summary>
    public static string? Str(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode s ? s.Value : null;

    /// <summary>The entries of a mapping as (key, scalar value) pairs.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Scalars(this YamlMappingNode node) =>
        node.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (c.Value as YamlScalarNode)?.Value));

    /// <summary>The scalars of a sequence.</summary>
    public static string[] Strings(this IEnumerable<YamlNode> nodes) => [.. nodes.Select(n => ((YamlScalarNode)n).Value!)];
}
