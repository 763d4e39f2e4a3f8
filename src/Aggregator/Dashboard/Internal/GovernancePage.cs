using System.Globalization;

namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>Governance: registry proposals (pending with eta and impact, executed, cancelled), parameters and the reporter set in force.</summary>
internal static class GovernancePage
{
    private const int Proposals = 50;

    // ExcludedAddressRegistry.sol's Op and State enums.
    private static readonly string[] Ops = ["add", "remove", "update"];

    public static async Task<string> RenderAsync(DashboardSource source, CancellationToken ct)
    {
        var position = await source.StateAsync(ct).ConfigureAwait(false);
        var snapshot = await source.SnapshotAsync(ct).ConfigureAwait(false);
        var registry = await source.RegistryAsync(Proposals, ct).ConfigureAwait(false);
        var html = new Html();
        html.El("h1", "Governance");
        if (snapshot is null || registry is null)
        {
            html.Raw("<p class=\"none\">Unknown: this aggregator has no chain and deployment to read the oracle and the registry from.</p>");
            return Layout.Page("Governance", "Governance", position, html);
        }

        html.Raw("<section aria-labelledby=\"reg\"><h2 id=\"reg\">Excluded-address registry</h2><p>")
            .Text($"Changes wait {Html.Duration(registry.Delay)} (timelock) after they are proposed and expire {Html.Duration(registry.Grace)} after that; {registry.Count} proposed so far.")
            .Raw("</p>");
        foreach (var (state, title) in new[] { (1UL, "Pending"), (2UL, "Executed"), (3UL, "Cancelled") })
        {
            var rows = registry.Proposals.Where(p => p.Proposal.State == state).ToList();
            html.Raw($"<h3>{title}</h3><div class=\"scroll\"><table id=\"proposals-{title.ToLowerInvariant()}\"><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Change</th>")
                .Raw("<th scope=\"col\">Token</th><th scope=\"col\">Account</th><th scope=\"col\">Kind</th><th scope=\"col\">")
                .Text(state == 1 ? "Eta (executable from)" : "Eta").Raw("</th><th scope=\"col\">Impact</th></tr></thead><tbody>");
            foreach (var (id, p) in rows)
            {
                var op = p.Op < (ulong)Ops.Length ? Ops[p.Op] : $"op {p.Op}";
                var kind = op == "remove" ? "–" : DashboardSource.KindName(p.Kind);
                html.Raw("<tr><th scope=\"row\">").Text(id.ToString(CultureInfo.InvariantCulture)).Raw("</th><td>").Text(op).Raw("</td><td>")
                    .Raw($"<a href=\"/dashboard/tokens/{p.Token.ToChecksumString()}\">").Address(p.Token).Raw("</a></td><td>").Address(p.Account)
                    .Raw("</td><td>").Text(kind).Raw("</td><td>").UnixTime(p.Eta);
                if (state == 1)
                {
                    html.Text(p.Eta <= snapshot.BlockTime ? " (executable now)" : $" (in {Html.Duration(p.Eta - snapshot.BlockTime)})");
                }

                html.Raw("</td><td>").Text(op switch
                {
                    "add" => "the account's balance leaves the token's circulating supply",
                    "remove" => "the account's balance counts as circulating again",
                    _ => "the account's kind changes; its balance stays excluded",
                }).Raw("</td></tr>");
            }

            if (rows.Count == 0)
            {
                html.Raw("<tr><td colspan=\"7\">None.</td></tr>");
            }

            html.Raw("</tbody></table></div>");
        }

        html.Raw("</section>");
        NetworkPage.Parameters(html, snapshot.ContractParameters, snapshot.Reporters.Addresses.Count);
        html.Raw("<section aria-labelledby=\"set\"><h2 id=\"set\">Reporter set</h2><p>").Text($"{snapshot.Reporters.Addresses.Count} registered at block {snapshot.BlockNumber}:").Raw("</p><ul id=\"reporter-set\">");
        foreach (var reporter in snapshot.Reporters.Addresses)
        {
            html.Raw("<li class=\"mono\">").Text(reporter.ToChecksumString()).Raw("</li>");
        }

        html.Raw("</ul></section><section aria-labelledby=\"listed\"><h2 id=\"listed\">Listed tokens</h2><ul>");
        foreach (var token in snapshot.Tokens)
        {
            html.Raw("<li><span class=\"mono\">").Text(token.Token.ToChecksumString()).Raw("</span> ")
                .Text(token.View.Listed ? "listed" : "delisted").Text(token.View.Paused ? ", paused" : "").Raw("</li>");
        }

        html.Raw("</ul><p class=\"none\">Past parameter and reporter-set changes are in the contract's ParamsSet and reporter events; this page shows the set in force.</p></section>");
        return Layout.Page("Governance", "Governance", position, html);
    }
}
