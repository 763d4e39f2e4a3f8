using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace SupplyOracle.Governance.Output;

/// <summary>Human output as Spectre.Console tables, or JSON for scripts (<c>--json</c>).</summary>
internal sealed class Printer
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };
    private readonly TextWriter _writer;
    private readonly IAnsiConsole _console;

    public Printer(TextWriter writer, bool json, bool raw = false)
    {
        _writer = writer;
        Json = json;
        Raw = raw;
        // Plain text without colours or control sequences: the output goes to pipes and logs as often as to terminals.
        _console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        _console.Profile.Width = 200;
    }

    /// <summary>True for JSON output.</summary>
    public bool Json { get; }

    /// <summary>True when token amounts print in the token's native units (<c>--raw</c>), not whole tokens.</summary>
    public bool Raw { get; }

    /// <summary>A token amount for a person: whole tokens with its symbol, or native units with <c>--raw</c>.</summary>
    public string Amount(BigInteger native, TokenUnits units) =>
        Raw ? $"{Int(native)} (native units{(units.Symbol is null ? "" : $" of {units.Symbol}")})" : Tokens(native, units);

    /// <summary>Writes a JSON document (one per command).</summary>
    public Task WriteJsonAsync(JsonNode node) => _writer.WriteLineAsync(node.ToJsonString(s_indented));

    /// <summary>Writes a table: a title, column headers and plain-text cells (never interpreted as markup).</summary>
    public void Table(string title, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)), Border = TableBorder.Rounded };
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c))]);
        }

        _console.Write(table);
    }

    /// <summary>Writes "key: value" lines as a two-column table.</summary>
    public void Fields(string title, IEnumerable<(string Key, string Value)> fields) =>
        Table(title, ["field", "value"], fields.Select(f => (IReadOnlyList<string>)[f.Key, f.Value]));

    /// <summary>Writes a line of text as is (never wrapped: calldata must survive copy and paste).</summary>
    public void Line(string text) => _writer.WriteLine(text);

    /// <summary>A WAD (1e18 = 1.0) as a decimal string with up to 18 places.</summary>
    public static string Wad(BigInteger wad)
    {
        var sign = wad.Sign < 0 ? "-" : "";
        var abs = BigInteger.Abs(wad);
        var whole = BigInteger.DivRem(abs, BigInteger.Pow(10, 18), out var fraction);
        var frac = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(18, '0').TrimEnd('0');
        return frac.Length == 0 ? $"{sign}{whole}" : $"{sign}{whole}.{frac}";
    }

    /// <summary>
    /// Native units as whole tokens: <c>1,234,567.5 TKA</c> (thousands separators, the exact fraction without trailing
    /// zeros, then the symbol when the token has one).
    /// </summary>
    public static string Tokens(BigInteger native, TokenUnits units)
    {
        var sign = native.Sign < 0 ? "-" : "";
        var whole = BigInteger.DivRem(BigInteger.Abs(native), BigInteger.Pow(10, units.Decimals), out var fraction);
        var text = sign + whole.ToString("N0", CultureInfo.InvariantCulture);
        if (!fraction.IsZero)
        {
            text += "." + fraction.ToString(CultureInfo.InvariantCulture).PadLeft(units.Decimals, '0').TrimEnd('0');
        }

        return units.Symbol is null ? text : $"{text} {units.Symbol}";
    }

    /// <summary>Basis points as a percentage with the raw figure: <c>2% (200 bps)</c>.</summary>
    public static string Bps(ulong bps) => $"{(bps / 100m).ToString("0.##", CultureInfo.InvariantCulture)}% ({bps} bps)";

    /// <summary>A duration as <c>1d 2h 3m 4s</c> (largest units first, zero units left out).</summary>
    public static string Duration(long seconds)
    {
        if (seconds <= 0)
        {
            return "0s";
        }

        var parts = new List<string>(4);
        var span = TimeSpan.FromSeconds(seconds);
        if (span.Days > 0) { parts.Add($"{span.Days}d"); }
        if (span.Hours > 0) { parts.Add($"{span.Hours}h"); }
        if (span.Minutes > 0) { parts.Add($"{span.Minutes}m"); }
        if (span.Seconds > 0) { parts.Add($"{span.Seconds}s"); }
        return string.Join(' ', parts);
    }

    /// <summary>Unix seconds as an ISO-8601 UTC time.</summary>
    public static string Time(ulong unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds((long)unixSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>An integer as a string (JSON carries big integers as strings so no precision is lost).</summary>
    public static string Int(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);
}
