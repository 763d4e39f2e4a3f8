namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>The page shell every dashboard page shares: skip link, navigation, the live-update status line, main, footer.</summary>
internal static class Layout
{
    public static readonly (string Path, string Name)[] Pages =
    [
        ("/dashboard", "Network"),
        ("/dashboard/tokens", "Tokens"),
        ("/dashboard/reporters", "Reporters"),
        ("/dashboard/rounds", "Rounds"),
        ("/dashboard/governance", "Governance"),
    ];

    /// <summary>A whole page. <paramref name="section"/> is the navigation entry marked current.</summary>
    public static string Page(string title, string section, string state, Html main)
    {
        var page = new Html();
        page.Raw("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<meta name=\"color-scheme\" content=\"light dark\">")
            .Raw("<title>").Text(title).Raw(" · Supply Oracle</title>")
            .Raw("<link rel=\"icon\" href=\"data:,\">")
            .Raw($"<link rel=\"stylesheet\" href=\"{DashboardEndpoints.AssetPath}/dashboard.css\">")
            .Raw($"<script src=\"{DashboardEndpoints.AssetPath}/dashboard.js\" defer></script>")
            .Raw("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a><header><p class=\"brand\">Supply Oracle</p>")
            .Raw("<nav aria-label=\"Dashboard\"><ul>");
        foreach (var (path, name) in Pages)
        {
            page.Raw("<li><a href=\"").Raw(path).Raw(name == section ? "\" aria-current=\"page\">" : "\">").Text(name).Raw("</a></li>");
        }

        page.Raw("</ul></nav><p id=\"live\" class=\"live\" role=\"status\" aria-live=\"polite\">Static page: reload for news.</p></header>")
            .Raw($"<main id=\"main\" tabindex=\"-1\" data-state=\"{Html.Attr(state)}\">")
            .Raw(main.ToString())
            .Raw("</main><footer><p>Read-only view of this aggregator's query model. JSON: <a href=\"/v1/tokens\">/v1/tokens</a>, ")
            .Raw("<a href=\"/v1/rounds\">/v1/rounds</a>, <a href=\"/v1/reporters\">/v1/reporters</a>, <a href=\"/readyz\">/readyz</a>.</p></footer></body></html>");
        return page.ToString();
    }
}
