using System.Text;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>
/// A systemd unit file (systemd.syntax(7)): <c>[Section]</c> headers, <c>Key=Value</c> lines, <c>#</c>/<c>;</c>
/// comments; a key may repeat. <see cref="Environment"/> splits <c>Environment=</c> lines as systemd.exec(5) does
/// (whitespace-separated assignments, double quotes group) and expands the specifiers the units use.
/// </summary>
public sealed class SystemdUnit
{
    private readonly List<(string Section, string Key, string Value)> _entries;

    private SystemdUnit(string name, List<(string, string, string)> entries)
    {
        Name = name;
        _entries = entries;
    }

    /// <summary>The unit name, e.g. <c>supplyoracle-reporter.service</c>.</summary>
    public string Name { get; }

    /// <summary>Reads a unit file of the repository.</summary>
    public static SystemdUnit Load(string relative)
    {
        var entries = new List<(string, string, string)>();
        var section = "";
        foreach (var raw in Repo.Read(relative).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[')
            {
                section = line.Trim('[', ']');
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"{relative}: '{line}' is not Key=Value");
            entries.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }
        return new SystemdUnit(Path.GetFileName(relative), entries);
    }

    /// <summary>Every value of <paramref name="key"/> in <paramref name="section"/>, in order.</summary>
    public IReadOnlyList<string> All(string section, string key) =>
        [.. _entries.Where(e => e.Section == section && e.Key == key).Select(e => e.Value)];

    /// <summary>The single value of <paramref name="key"/>, or null.</summary>
    public string? One(string section, string key) => All(section, key) switch
    {
        [] => null,
        [var v] => v,
        var many => throw new InvalidOperationException($"{Name}: {key} is set {many.Count} times"),
    };

    /// <summary>The <c>Environment=</c> assignments of [Service], specifiers expanded.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Environment() =>
        [.. All("Service", "Environment").SelectMany(Words).Select(w =>
        {
            var eq = w.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"{Name}: Environment word '{w}' is not NAME=value");
            return KeyValuePair.Create(w[..eq], (string?)Expand(w[(eq + 1)..]));
        })];

    /// <summary>
    /// Expands the specifiers of systemd.unit(5) the units use: <c>%d</c> the credentials directory
    /// (<c>/run/credentials/UNIT</c>), <c>%S</c> the state directory root (<c>/var/lib</c>), <c>%%</c>.
    /// </summary>
    public string Expand(string value) => value
        .Replace("%%", "\0", StringComparison.Ordinal)
        .Replace("%d", $"/run/credentials/{Name}", StringComparison.Ordinal)
        .Replace("%S", "/var/lib", StringComparison.Ordinal)
        .Replace("\0", "%", StringComparison.Ordinal);

    private static IEnumerable<string> Words(string value)
    {
        var word = new StringBuilder();
        var quoted = false;
        foreach (var c in value)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (char.IsWhiteSpace(c) && !quoted)
            {
                if (word.Length > 0)
                {
                    yield return word.ToString();
                    word.Clear();
                }
            }
            else
            {
                word.Append(c);
            }
        }
        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
