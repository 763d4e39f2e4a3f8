using System.Collections;
using System.Reflection;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>
/// The configuration keys a program accepts, by reflection over its options class and the nested types, read the way
/// Microsoft.Extensions.Configuration binds them: <c>:</c> or <c>__</c> separates sections, names are
/// case-insensitive, a list takes a numeric index.
/// </summary>
public sealed class OptionsSchema(string section, Type root)
{
    /// <summary>The section name, e.g. <c>Reporter</c>.</summary>
    public string Section { get; } = section;

    /// <summary>The options class bound to the section.</summary>
    public Type Root { get; } = root;

    /// <summary>True when <paramref name="key"/> names this program's section (<c>Reporter__X</c>, <c>Reporter:X</c>).</summary>
    public bool Owns(string key) => Split(key) is [var first, _, ..] && first.Equals(Section, StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="key"/> names a settable leaf of the options; otherwise what is wrong with it.</summary>
    public string? Problem(string key)
    {
        var parts = Split(key);
        if (parts.Length < 2 || !parts[0].Equals(Section, StringComparison.OrdinalIgnoreCase))
        {
            return $"'{key}' is not under section {Section}";
        }
        var type = Root;
        for (var i = 1; i < parts.Length; i++)
        {
            var part = parts[i];
            if (ListElement(type) is { } element)
            {
                if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    return $"'{key}': '{part}' indexes the list {string.Join(':', parts[..i])} and must be a number";
                }
                type = element;
                continue;
            }
            if (IsScalar(type))
            {
                return $"'{key}': {string.Join(':', parts[..i])} is a single value, it has no '{part}'";
            }
            var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => p.Name.Equals(part, StringComparison.OrdinalIgnoreCase) && p.CanWrite);
            if (property is null)
            {
                return $"'{key}': {type.Name} has no setting '{part}'";
            }
            type = property.PropertyType;
        }
        return IsScalar(type) ? null : $"'{key}' names a section ({type.Name}), not a value";
    }

    /// <summary>The key's parts; <c>__</c> and <c>:</c> both separate sections.</summary>
    public static string[] Split(string key) => key.Replace("__", ":", StringComparison.Ordinal).Split(':');

    private static Type? ListElement(Type type) =>
        type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri);
    }
}
