using System.Globalization;
using System.Text;

namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>
/// Line charts drawn on the server as inline SVG (no script, no library): x is the round, y a value scaled to the
/// series' own range. Each chart carries a <c>&lt;title&gt;</c> and <c>&lt;desc&gt;</c> (first, last, min, max) for
/// screen readers; the numbers themselves are in the page's tables.
/// </summary>
internal static class SvgChart
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A chart with axes and labels.</summary>
    public static string Line(string id, string title, IReadOnlyList<(ulong X, double Y)> points, Func<double, string> format, int width = 640, int height = 200)
    {
        var sb = new StringBuilder(512 + points.Count * 16);
        sb.Append(Inv, $"<figure class=\"chart\"><svg id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\">");
        sb.Append(Inv, $"<title id=\"{id}-t\">").Append(Html.Attr(title)).Append("</title>");
        if (points.Count == 0)
        {
            sb.Append(Inv, $"<desc id=\"{id}-d\">No data yet.</desc><text x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\" class=\"axis\">no data yet</text></svg>");
            sb.Append("<figcaption>").Append(Html.Attr(title)).Append("</figcaption></figure>");
            return sb.ToString();
        }

        const int left = 8, right = 8, top = 18, bottom = 18;
        var (minX, maxX, minY, maxY) = Bounds(points);
        sb.Append(Inv, $"<desc id=\"{id}-d\">Rounds {minX} to {maxX}: first {Html.Attr(format(points[0].Y))}, last {Html.Attr(format(points[^1].Y))}, ")
            .Append(Inv, $"lowest {Html.Attr(format(minY))}, highest {Html.Attr(format(maxY))}.</desc>");
        sb.Append(Inv, $"<line class=\"grid\" x1=\"{left}\" y1=\"{top}\" x2=\"{width - right}\" y2=\"{top}\"/>");
        sb.Append(Inv, $"<line class=\"grid\" x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\"/>");
        sb.Append(Inv, $"<text class=\"axis\" x=\"{left}\" y=\"12\">").Append(Html.Attr(format(maxY))).Append("</text>");
        sb.Append(Inv, $"<text class=\"axis\" x=\"{left}\" y=\"{height - 4}\">").Append(Html.Attr(format(minY))).Append(Inv, $" · round {minX}</text>");
        sb.Append(Inv, $"<text class=\"axis\" x=\"{width - right}\" y=\"{height - 4}\" text-anchor=\"end\">round {maxX}</text>");
        sb.Append("<polyline class=\"series\" points=\"");
        AppendPoints(sb, points, minX, maxX, minY, maxY, left, top, width - left - right, height - top - bottom);
        sb.Append("\"/>");
        if (points.Count == 1)
        {
            // One point draws no line: mark it.
            sb.Append(Inv, $"<circle class=\"dot\" cx=\"{left + (width - left - right) / 2}\" cy=\"{top + (height - top - bottom) / 2}\" r=\"4\"/>");
        }

        sb.Append("</svg><figcaption>").Append(Html.Attr(title)).Append("</figcaption></figure>");
        return sb.ToString();
    }

    /// <summary>A small chart without axes for a table cell.</summary>
    public static string Spark(string label, IReadOnlyList<(ulong X, double Y)> points, int width = 120, int height = 28)
    {
        if (points.Count < 2)
        {
            return "<span class=\"none\">–</span>";
        }

        var (minX, maxX, minY, maxY) = Bounds(points);
        var sb = new StringBuilder(128 + points.Count * 14);
        sb.Append(Inv, $"<svg class=\"spark\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"").Append(Html.Attr(label))
            .Append("\"><polyline class=\"series\" points=\"");
        AppendPoints(sb, points, minX, maxX, minY, maxY, 1, 2, width - 2, height - 4);
        return sb.Append("\"/></svg>").ToString();
    }

    private static (ulong MinX, ulong MaxX, double MinY, double MaxY) Bounds(IReadOnlyList<(ulong X, double Y)> points)
    {
        ulong minX = ulong.MaxValue, maxX = 0;
        double minY = double.MaxValue, maxY = double.MinValue;
        foreach (var (x, y) in points)
        {
            minX = Math.Min(minX, x);
            maxX = Math.Max(maxX, x);
            minY = Math.Min(minY, y);
            maxY = Math.Max(maxY, y);
        }

        return (minX, maxX, minY, maxY);
    }

    private static void AppendPoints(StringBuilder sb, IReadOnlyList<(ulong X, double Y)> points, ulong minX, ulong maxX, double minY, double maxY,
        double left, double top, double w, double h)
    {
        var spanX = Math.Max(1, maxX - minX);
        var spanY = maxY - minY;
        foreach (var (x, y) in points)
        {
            var px = left + w * (x - minX) / spanX;
            // A flat series is drawn across the middle.
            var py = spanY <= 0 ? top + h / 2 : top + h * (1 - (y - minY) / spanY);
            sb.Append(px.ToString("0.#", Inv)).Append(',').Append(py.ToString("0.#", Inv)).Append(' ');
        }
    }
}
