using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>
/// The metric names used by the shipped Prometheus rules and Grafana dashboard (deploy/monitoring), and the names a
/// Prometheus text-format scrape exposes.
/// </summary>
public static partial class MonitoringFiles
{
    /// <summary>The alert rules file.</summary>
    public const string RulesFile = "deploy/monitoring/supplyoracle-alerts.yml";

    /// <summary>The dashboard.</summary>
    public const string DashboardFile = "deploy/monitoring/grafana-dashboard.json";

    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan",
    };

    /// <summary>Every PromQL expression of the rules file (<c>groups[].rules[].expr</c>) with the rule's group.</summary>
    public static IReadOnlyList<(string Group, string Expression)> RuleExpressions() =>
        [.. Yaml.Documents(RulesFile).Single().Seq("groups").Cast<YamlMappingNode>()
            .SelectMany(g => g.Seq("rules").Cast<YamlMappingNode>().Select(r => (g.Str("name")!, r.Str("expr") ?? "")))];

    /// <summary>Every PromQL expression of the dashboard (<c>panels[].targets[].expr</c>).</summary>
    public static IReadOnlyList<string> DashboardExpressions()
    {
        using var document = JsonDocument.Parse(Repo.Read(DashboardFile));
        return [.. document.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(t => t.GetProperty("expr").GetString()!)];
    }

    /// <summary>
    /// The metric names an expression selects: identifiers left once strings, label matchers, range selectors and
    /// label lists (<c>by (…)</c>, <c>on (…)</c>, …) are removed, that are neither functions (followed by a
    /// parenthesis) nor keywords nor numbers.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var s = Strings().Replace(expression, " ");
        s = Matchers().Replace(s, " ");
        s = Ranges().Replace(s, " ");
        s = LabelLists().Replace(s, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in Identifier().Matches(s))
        {
            var rest = s.AsSpan(m.Index + m.Length).TrimStart();
            if (!s_keywords.Contains(m.Value.ToLowerInvariant()) && !(rest.Length > 0 && rest[0] == '('))
            {
                names.Add(m.Value);
            }
        }

        return names;
    }

    /// <summary>The metric names of a Prometheus text-format scrape (its sample lines).</summary>
    public static IReadOnlySet<string> ScrapedNames(string scrape) =>
        new HashSet<string>(scrape.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l[..l.IndexOfAny(['{', ' '])]), StringComparer.Ordinal);

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();
}
