using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>
/// Writes a page's HTML: every text goes through <see cref="Text"/> (HTML-encoded); markup is only this code's.
/// Machine values are kept next to their readable form in <c>&lt;data value&gt;</c> and <c>&lt;time datetime&gt;</c>
/// elements, in the JSON API's notation, so scripts and tests compare them with <c>/v1</c> exactly.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _sb = new(16 * 1024);

    public Html Raw(string markup)
    {
        _sb.Append(markup);
        return this;
    }

    public Html Text(string? text)
    {
        _sb.Append(WebUtility.HtmlEncode(text ?? ""));
        return this;
    }

    /// <summary>An element with encoded text content.</summary>
    public Html El(string tag, string? text, string? attributes = null) =>
        Raw("<").Raw(tag).Raw(attributes is null ? "" : " " + attributes).Raw(">").Text(text).Raw("</").Raw(tag).Raw(">");

    /// <summary>A value with its machine form: <c>&lt;data value="raw"&gt;readable&lt;/data&gt;</c>.</summary>
    public Html Data(string raw, string readable, string? cssClass = null) =>
        Raw("<data value=\"").Text(raw).Raw(cssClass is null ? "\"" : $"\" class=\"{cssClass}\"").Raw(">").Text(readable).Raw("</data>");

    public Html Factor(Wad? factor) => factor is { } f ? Data(f.ToString(), FactorText(f)) : Raw("<span class=\"none\">none</span>");

    public Html Amount(TokenAmount? amount) => amount is { } a ? Data(a.ToString(), Grouped(a.Value)) : Raw("<span class=\"none\">none</span>");

    public Html Number(ulong? value) => value is { } v ? Data(v.ToString(CultureInfo.InvariantCulture), v.ToString("N0", CultureInfo.InvariantCulture)) : Raw("<span class=\"none\">–</span>");

    public Html Time(DateTimeOffset? at) => at is { } t
        ? Raw("<time datetime=\"").Text(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Raw("\">")
            .Text(t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Raw("</time>")
        : Raw("<span class=\"none\">–</span>");

    public Html UnixTime(ulong? seconds) => seconds is { } s && s <= long.MaxValue / 1000 ? Time(DateTimeOffset.FromUnixTimeSeconds((long)s)) : Raw("<span class=\"none\">–</span>");

    /// <summary>An address, shortened on screen with the full checksum form in its title and value.</summary>
    public Html Address(Address address) =>
        Raw("<data class=\"addr\" value=\"").Text(address.ToChecksumString()).Raw("\" title=\"").Text(address.ToChecksumString()).Raw("\">")
            .Text(Short(address.ToChecksumString())).Raw("</data>");

    /// <summary>A hash or transaction, shortened on screen.</summary>
    public Html Hash(string? hash) => hash is null
        ? Raw("<span class=\"none\">–</span>")
        : Raw("<data class=\"addr\" value=\"").Text(hash).Raw("\" title=\"").Text(hash).Raw("\">").Text(Short(hash)).Raw("</data>");

    /// <summary>A status badge: the word is the information, the colour only repeats it.</summary>
    public Html Badge(string word, string kind) => Raw("<span class=\"badge ").Raw(kind).Raw("\">").Text(word).Raw("</span>");

    public override string ToString() => _sb.ToString();

    public static string Attr(string value) => WebUtility.HtmlEncode(value);

    public static string FactorText(Wad factor) =>
        ((decimal)factor.Raw / Wad.OneRaw).ToString("0.000000", CultureInfo.InvariantCulture);

    public static string Grouped(BigInteger value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Short(string hex) => hex.Length > 14 ? string.Concat(hex.AsSpan(0, 8), "…", hex.AsSpan(hex.Length - 4)) : hex;

    public static string Bps(ulong bps) => (bps / 100m).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Duration(ulong seconds) => seconds switch
    {
        0 => "0 s",
        < 120 => $"{seconds} s",
        < 7_200 when seconds % 60 == 0 => $"{seconds / 60} min",
        < 172_800 when seconds % 3_600 == 0 => $"{seconds / 3_600} h",
        _ when seconds % 86_400 == 0 => $"{seconds / 86_400} days",
        _ => $"{seconds:N0} s ({seconds / 3_600m:0.#} h)",
    };
}
