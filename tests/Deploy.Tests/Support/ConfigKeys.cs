using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>Configuration keys and values found in the deployment files.</summary>
public static partial class ConfigKeys
{
    /// <summary>Every leaf key (<c>Reporter:Tokens:0:Address</c>) of a JSON settings file, as the JSON provider flattens it.</summary>
    public static IReadOnlyList<string> FromJson(string json) =>
        [.. new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build()
            .AsEnumerable().Where(e => e.Value is not null).Select(e => e.Key)];

    /// <summary>The value of <paramref name="key"/> (<c>Reporter:Key:Keystore</c>) in a JSON settings file, or null.</summary>
    public static string? JsonValue(string json, string key) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build()[key];

    /// <summary>
    /// Asserts that every key of <paramref name="keys"/> that belongs to a program's section exists in its options, and
    /// that no key is under a section of a program other than <paramref name="program"/>.
    /// </summary>
    public static void AssertKnown(DeployedProgram program, IEnumerable<string> keys, string where)
    {
        foreach (var key in keys)
        {
            foreach (var other in DeployedProgram.All.Where(p => p != program))
            {
                Assert.False(other.Schema.Owns(key), $"{where}: {key} is a {other.Schema.Section} setting given to {program}");
            }
            if (program.Schema.Owns(key))
            {
                Assert.Null(program.Schema.Problem(key) is { } problem ? $"{where}: {problem}" : null);
            }
        }
    }

    /// <summary>
    /// Compose's interpolation (compose-spec "Interpolation"): <c>${VAR}</c>, <c>${VAR:-default}</c>,
    /// <c>${VAR-default}</c>, <c>${VAR:?error}</c>, <c>${VAR?error}</c>, <c>$VAR</c> and <c>$$</c>; a variable
    /// without a value and without default fails.
    /// </summary>
    public static string Interpolate(string value, IReadOnlyDictionary<string, string> variables, string where) =>
        Variable().Replace(value, m =>
        {
            if (m.Value == "$$")
            {
                return "$";
            }
            var name = m.Groups["name"].Success ? m.Groups["name"].Value : m.Groups["bare"].Value;
            var op = m.Groups["op"].Value;
            var arg = m.Groups["arg"].Value;
            var has = variables.TryGetValue(name, out var v);
            var empty = !has || (op.StartsWith(':') && string.IsNullOrEmpty(v));
            return op switch
            {
                ":-" or "-" when empty => arg,
                ":?" or "?" when empty => throw new InvalidOperationException($"{where}: ${{{name}}} is required: {arg}"),
                _ when !has => throw new InvalidOperationException($"{where}: ${{{name}}} has no value in .env and no default"),
                _ => v!,
            };
        });

    /// <summary>Reads a compose <c>.env</c> file: <c>NAME=value</c> lines, <c>#</c> comments.</summary>
    public static IReadOnlyDictionary<string, string> DotEnv(string relative) =>
        Repo.Read(relative).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#')
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim().Trim('"', '\''));

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:-|-|:\?|\?)(?<arg>[^}]*))?\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Variable();
}
