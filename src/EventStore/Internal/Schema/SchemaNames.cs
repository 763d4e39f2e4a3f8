using System.Text.RegularExpressions;

namespace SupplyOracle.EventStore.Internal.Schema;

/// <summary>The SQL names derived from one validated schema name (no user text is ever spliced into SQL unchecked).</summary>
internal sealed partial class SchemaNames
{
    public SchemaNames(string schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!IdentifierPattern().IsMatch(schema))
        {
            throw new ArgumentException(
                $"The event store schema name must match [a-z_][a-z0-9_]{{0,39}} (a plain lower-case PostgreSQL identifier); got '{schema}'.",
                nameof(schema));
        }

        Schema = schema;
        Quoted = $"\"{schema}\"";
        Channel = $"{schema}_appended";
    }

    /// <summary>The bare schema name.</summary>
    public string Schema { get; }

    /// <summary>The schema name quoted for SQL.</summary>
    public string Quoted { get; }

    /// <summary>The NOTIFY channel appends signal on (wake-up only).</summary>
    public string Channel { get; }

    /// <summary>Replaces <c>{s}</c> and <c>{channel}</c> in a SQL template.</summary>
    public string Sql(string template) => template.Replace("{s}", Quoted, StringComparison.Ordinal)
        .Replace("{channel}", Channel, StringComparison.Ordinal);

    /// <summary>Checks a projection table name (<c>table</c> or <c>schema.table</c>) and quotes it.</summary>
    public static string QuoteTable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('.');
        if (parts.Length is 0 or > 2 || parts.Any(p => !IdentifierPattern().IsMatch(p)))
        {
            throw new ArgumentException($"A projection table is 'table' or 'schema.table' of plain lower-case identifiers; got '{name}'.", nameof(name));
        }

        return string.Join('.', parts.Select(p => $"\"{p}\""));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();
}
