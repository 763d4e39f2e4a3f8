using System.Globalization;

namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>Rounds: the list (paged with <c>?before=</c>) and one round's timeline with its audit export.</summary>
internal static class RoundsPage
{
    private const int PageRounds = 50;

    public static async Task<string> RenderListAsync(DashboardSource source, ulong? before, CancellationToken ct)
    {
        var position = await source.StateAsync(ct).ConfigureAwait(false);
        var rounds = await source.Reader.ListRoundsAsync(before, PageRounds, ct).ConfigureAwait(false);
        var html = new Html();
        html.El("h1", "Rounds");
        var gas = rounds.Where(r => r.GasUsed is not null).Select(r => (r.Round, (double)r.GasUsed!.Value)).Reverse().ToList();
        html.Raw(SvgChart.Line("gas-chart", "Gas used by each commit on this page", gas, v => v.ToString("N0", CultureInfo.InvariantCulture), 640, 140));
        html.Raw("<div class=\"scroll\"><table id=\"rounds-table\"><thead><tr><th scope=\"col\">Round</th><th scope=\"col\">Phase</th><th scope=\"col\">Reference block</th>")
            .Raw("<th scope=\"col\">Batches</th><th scope=\"col\">Observations</th><th scope=\"col\">Updates</th><th scope=\"col\">Attestations</th><th scope=\"col\">Gas</th>")
            .Raw("<th scope=\"col\">Transaction</th><th scope=\"col\">Ended because</th></tr></thead><tbody>");
        foreach (var r in rounds)
        {
            html.Raw($"<tr data-round=\"{r.Round}\"><th scope=\"row\"><a href=\"/dashboard/rounds/{r.Round}\">").Number(r.Round).Raw("</a></th><td class=\"phase\">")
                .Badge(r.Phase, NetworkPage.PhaseKind(r.Phase)).Raw("</td><td>").Number(r.ReferenceBlock).Raw("</td><td>").Number((ulong)r.Batches).Raw("</td><td>")
                .Number((ulong)r.TokenObservations).Raw("</td><td>").Number(r.Updates is { } u ? (ulong)u : null).Raw("</td><td>").Number((ulong)r.Attestations)
                .Raw("</td><td>").Number(r.GasUsed).Raw("</td><td>").Hash(r.TransactionHash).Raw("</td><td>").Text(r.EndReason ?? "").Raw("</td></tr>");
        }

        if (rounds.Count == 0)
        {
            html.Raw("<tr><td colspan=\"10\">No round here.</td></tr>");
        }

        html.Raw("</tbody></table></div>");
        if (rounds.Count == PageRounds)
        {
            html.Raw($"<p><a rel=\"next\" href=\"/dashboard/rounds?before={rounds[^1].Round}\">Older rounds</a></p>");
        }

        return Layout.Page("Rounds", "Rounds", position, html);
    }

    public static async Task<string?> RenderOneAsync(DashboardSource source, ulong round, CancellationToken ct)
    {
        var position = await source.StateAsync(ct).ConfigureAwait(false);
        if (await source.Reader.GetRoundAsync(round, ct).ConfigureAwait(false) is not { } detail)
        {
            return null;
        }

        var r = detail.Round;
        var html = new Html();
        html.Raw("<h1>Round ").Number(r.Round).Raw(" ").Badge(r.Phase, NetworkPage.PhaseKind(r.Phase)).Raw("</h1>");
        html.Raw($"<p><a href=\"/v1/rounds/{r.Round}/audit\" download=\"round-{r.Round}-audit.json\">Audit export (JSON)</a> · ")
            .Raw($"<a href=\"/v1/rounds/{r.Round}\">round as JSON</a></p>");
        html.Raw("<dl class=\"facts\"><dt>Reference block</dt><dd>").Number(r.ReferenceBlock).Raw(" at ").UnixTime(r.ReferenceTime)
            .Raw("</dd><dt>Batches</dt><dd>").Number((ulong)r.Batches).Text($" ({r.TokenObservations} token observations, {r.Equivocations} equivocations)")
            .Raw("</dd><dt>State block</dt><dd>").Number(r.StateBlock).Raw("</dd><dt>Report digest</dt><dd>").Hash(r.ReportDigest)
            .Raw("</dd><dt>Commit</dt><dd>").Hash(r.TransactionHash).Raw(" in block ").Number(r.CommitBlock).Raw(", gas ").Number(r.GasUsed)
            .Text(r.Replacements is > 0 ? $", {r.Replacements} fee bumps" : "")
            .Raw("</dd>");
        if (r.EndReason is not null)
        {
            html.Raw("<dt>Ended because</dt><dd>").Text(r.EndReason).Raw("</dd>");
        }

        html.Raw("</dl><section aria-labelledby=\"tl\"><h2 id=\"tl\">Timeline</h2><ol class=\"timeline\" id=\"timeline\">");
        var start = detail.Timeline.Count > 0 ? detail.Timeline[0].At : r.FirstSeenAt;
        foreach (var e in detail.Timeline)
        {
            html.Raw("<li><span class=\"step\">").Text(Step(e.Event)).Raw("</span> ").Time(e.At)
                .Text($" (+{(e.At - start).TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture)} s)").Raw("<br><span class=\"detail\">")
                .Text(e.Detail ?? e.Event).Raw("</span></li>");
        }

        html.Raw("</ol></section>");
        html.Raw("<nav aria-label=\"Neighbouring rounds\"><p>");
        if (r.Round > 0)
        {
            html.Raw($"<a rel=\"prev\" href=\"/dashboard/rounds/{r.Round - 1}\">Round {r.Round - 1}</a> · ");
        }

        html.Raw($"<a rel=\"next\" href=\"/dashboard/rounds/{r.Round + 1}\">Round {r.Round + 1}</a></p></nav>");
        return Layout.Page($"Round {r.Round}", "Rounds", position, html);
    }

    // The lifecycle step an event type stands for (docs/protocol.md section 6): opened, batches, closed, proposed, attested, transmitted, confirmed or abandoned.
    private static string Step(string eventType) => eventType switch
    {
        "round-opened.v1" => "opened",
        "observation-accepted.v1" => "batch accepted",
        "observation-rejected.v1" => "batch rejected",
        "equivocation-detected.v1" => "equivocation",
        "round-closed.v1" => "closed",
        "round-proposed.v1" => "proposed",
        "proposal-refused.v1" => "proposal refused",
        "attestation-accepted.v1" => "attested",
        "attestation-rejected.v1" => "attestation rejected",
        "transmission-intended.v1" => "transmitted",
        "transmission-replaced.v1" => "fee bumped",
        "transmission-reorganised.v1" => "reorganised",
        "round-confirmed.v1" => "confirmed",
        "round-failed.v1" => "failed",
        "round-abandoned.v1" => "abandoned",
        "round-superseded.v1" => "superseded",
        _ => eventType,
    };
}
