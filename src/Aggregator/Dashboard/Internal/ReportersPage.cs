using System.Globalization;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>Reporters: participation grid of the last rounds, distance from the median, disagreements, equivocations, rejections, attestations.</summary>
internal static class ReportersPage
{
    private const int GridRounds = 30;

    public static async Task<string> RenderAsync(DashboardSource source, CancellationToken ct)
    {
        var position = await source.StateAsync(ct).ConfigureAwait(false);
        var reporters = await source.Reader.ListReportersAsync(ct).ConfigureAwait(false);
        var grid = await source.Reader.ParticipationAsync(GridRounds, ct).ConfigureAwait(false);
        var rounds = await source.Reader.ListRoundsAsync(null, GridRounds, ct).ConfigureAwait(false);
        var equivocations = await source.Reader.RecentEquivocationsAsync(20, ct).ConfigureAwait(false);
        var snapshot = await source.SnapshotAsync(ct).ConfigureAwait(false);
        var registered = snapshot?.Reporters.Addresses.ToHashSet() ?? [];
        var everyone = reporters.Select(r => r.Reporter).Union(registered).Order().ToList();
        var html = new Html();
        html.El("h1", "Reporters");
        html.Raw("<div class=\"scroll\"><table id=\"reporters-table\"><caption>Totals from the log; distance from the median in basis points of the median.</caption><thead><tr>")
            .Raw("<th scope=\"col\">Reporter</th><th scope=\"col\">Registered</th><th scope=\"col\">Batches</th><th scope=\"col\">Last observed</th><th scope=\"col\">Attestations</th>")
            .Raw("<th scope=\"col\">Mean distance</th><th scope=\"col\">Last distance</th><th scope=\"col\">Disagreements (rounds)</th><th scope=\"col\">Equivocations</th><th scope=\"col\">Rejections</th></tr></thead><tbody>");
        var byAddress = reporters.ToDictionary(r => r.Reporter);
        foreach (var address in everyone)
        {
            var r = byAddress.GetValueOrDefault(address);
            html.Raw($"<tr data-reporter=\"{address.ToChecksumString()}\"><th scope=\"row\">").Address(address).Raw("</th><td>")
                .Text(snapshot is null ? "unknown" : registered.Contains(address) ? "yes" : "no").Raw("</td><td class=\"batches\">")
                .Number(r is null ? 0 : (ulong)r.BatchesAccepted).Raw("</td><td>").Number(r?.LastObservedRound).Raw("</td><td class=\"attestations\">")
                .Number(r is null ? 0 : (ulong)r.Attestations).Raw("</td><td>")
                .Text(r?.MeanMedianDistanceBps is { } mean ? mean.ToString("0.#", CultureInfo.InvariantCulture) + " bps" : "–").Raw("</td><td>")
                .Text(r?.LastMedianDistanceBps is { } d ? $"{d} bps (round {r.LastMedianRound})" : "–").Raw("</td><td>")
                .Text(r is null ? "0" : $"{r.Disagreements} ({r.DisagreementRounds})").Raw("</td><td>")
                .Text(r is null ? "0" : r.Equivocations.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>")
                .Text(r is null || r.Rejections.Count == 0 ? "none" : string.Join(", ", r.Rejections.Select(x => $"{x.Key}: {x.Value}"))).Raw("</td></tr>");
        }

        if (everyone.Count == 0)
        {
            html.Raw("<tr><td colspan=\"10\">No reporter yet.</td></tr>");
        }

        html.Raw("</tbody></table></div>");
        Grid(html, everyone, rounds.Select(r => r.Round).ToList(), grid);
        html.Raw("<section aria-labelledby=\"equiv\"><h2 id=\"equiv\">Equivocations</h2>");
        if (equivocations.Count == 0)
        {
            html.Raw("<p>None seen.</p>");
        }
        else
        {
            html.Raw("<ul class=\"evidence\">");
            foreach (var (round, entry) in equivocations)
            {
                html.Raw($"<li><a href=\"/dashboard/rounds/{round}\">Round {round}</a>: ").Text(entry.Detail).Raw(" ")
                    .Raw($"<a href=\"/v1/rounds/{round}/audit\">audit (both signed batches)</a></li>");
            }

            html.Raw("</ul>");
        }

        html.Raw("</section>");
        return Layout.Page("Reporters", "Reporters", position, html);
    }

    private static void Grid(Html html, IReadOnlyList<Address> reporters, IReadOnlyList<ulong> rounds, IReadOnlyList<Query.Participation> grid)
    {
        var cells = grid.ToDictionary(p => (p.Round, p.Reporter));
        html.Raw("<section aria-labelledby=\"part\"><h2 id=\"part\">Participation, last ").Text(rounds.Count.ToString(CultureInfo.InvariantCulture)).Raw(" rounds</h2>")
            .Raw("<p class=\"legend\"><span class=\"cell both\">A</span> batch and attestation · <span class=\"cell obs\">B</span> batch only · ")
            .Raw("<span class=\"cell att\">a</span> attestation only · <span class=\"cell eqv\">E</span> equivocated · <span class=\"cell none\">·</span> absent</p>")
            .Raw("<div class=\"scroll\"><table id=\"participation\" class=\"grid\"><thead><tr><th scope=\"col\">Reporter</th>");
        foreach (var round in rounds)
        {
            html.Raw($"<th scope=\"col\"><a href=\"/dashboard/rounds/{round}\">{round}</a></th>");
        }

        html.Raw("</tr></thead><tbody>");
        foreach (var reporter in reporters)
        {
            html.Raw("<tr><th scope=\"row\">").Address(reporter).Raw("</th>");
            foreach (var round in rounds)
            {
                var (cls, mark, words) = cells.GetValueOrDefault((round, reporter)) switch
                {
                    { Equivocated: true } => ("eqv", "E", "equivocated"),
                    { Observed: true, Attested: true } => ("both", "A", "batch and attestation"),
                    { Observed: true } => ("obs", "B", "batch"),
                    { Attested: true } => ("att", "a", "attestation"),
                    _ => ("none", "·", "absent"),
                };
                html.Raw($"<td class=\"cell {cls}\" title=\"round {round}: {words}\"><span aria-hidden=\"true\">{mark}</span><span class=\"sr\">{words}</span></td>");
            }

            html.Raw("</tr>");
        }

        html.Raw("</tbody></table></div></section>");
    }
}
