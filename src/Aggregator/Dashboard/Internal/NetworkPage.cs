using SupplyOracle.Aggregator.Query;
using SupplyOracle.Contracts.Bindings.Bindings;

namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>Network: chain head, current round and phase, last commits, readiness, reporters, pauses, trust parameters.</summary>
internal static class NetworkPage
{
    public static async Task<string> RenderAsync(DashboardSource source, CancellationToken ct)
    {
        var position = await source.StateAsync(ct).ConfigureAwait(false);
        var rounds = await source.Reader.ListRoundsAsync(null, 200, ct).ConfigureAwait(false);
        var readiness = await source.Monitor.CheckAsync(ct).ConfigureAwait(false);
        var snapshot = await source.SnapshotAsync(ct).ConfigureAwait(false);
        var (chain, tokens) = await source.JudgeAsync(await source.Reader.ListTokensAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var html = new Html();
        html.El("h1", "Network");
        html.Raw("<section aria-labelledby=\"now\"><h2 id=\"now\">Now</h2><dl class=\"facts\">");
        html.Raw("<dt>Chain head</dt><dd id=\"chain-head\">");
        if (snapshot is null)
        {
            html.Raw("<span class=\"none\">no chain configured</span>");
        }
        else
        {
            html.Raw("block ").Number(snapshot.BlockNumber).Raw(" at ").UnixTime(snapshot.BlockTime);
        }

        html.Raw("</dd><dt>Current round</dt><dd id=\"current-round\">");
        if (rounds.Count == 0)
        {
            html.Raw("<span class=\"none\">no round yet</span>");
        }
        else
        {
            html.Raw($"<a href=\"/dashboard/rounds/{rounds[0].Round}\">").Number(rounds[0].Round).Raw("</a> ").Badge(rounds[0].Phase, PhaseKind(rounds[0].Phase));
        }

        html.Raw("</dd><dt>Readiness</dt><dd id=\"readiness\">")
            .Badge(readiness.Ready ? "ready" : "not ready", readiness.Ready ? "ok" : "bad")
            .Text($" database {(readiness.Database.Ok ? "reachable" : "unreachable")}; projection lag {(readiness.Projection.Lag is { } lag ? lag.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown")} events (bound {readiness.Projection.MaxLag})")
            .Text(readiness.Chain is { } c ? $"; chain {(c.Ok ? "reachable" : "unreachable")}" : "");
        html.Raw("</dd><dt>This replica</dt><dd id=\"replica\">");
        if (source.Replica is { } replica)
        {
            html.Badge(replica.Role, replica.Role == "leader" ? "ok" : "info")
                .Text(replica.Role switch
                {
                    "leader" => " (holds the HotCold lock: it projects and transmits)",
                    "follower" => " (another replica holds the HotCold lock and transmits)",
                    _ => " (no transaction key: it records batches only)",
                })
                .Text(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"; {replica.ReporterStreams} reporter stream(s) connected to it"));
        }
        else
        {
            html.Raw("<span class=\"none\">not known to this page (query-only host)</span>");
        }

        var last = rounds.FirstOrDefault(r => r.Sender is not null);
        html.Raw("</dd><dt>Last transmitter (leader's key)</dt><dd>");
        if (last?.Sender is { } sender)
        {
            html.Address(sender).Text($" in round {last.Round}");
        }
        else
        {
            html.Raw("<span class=\"none\">none yet</span>");
        }

        html.Raw("</dd><dt>Reporters</dt><dd id=\"reporters-now\">");
        var registered = snapshot?.Reporters.Addresses.Count;
        var lastBatches = rounds.Count > 0 ? rounds[0].Batches : 0;
        html.Text(registered is { } n ? $"{n} registered; " : "").Text($"{lastBatches} sent a batch for the current round");
        html.Raw("</dd><dt>Pauses</dt><dd id=\"pauses\">");
        var pausedTokens = tokens.Where(t => t.Paused == true).ToList();
        if (chain is null)
        {
            html.Raw("<span class=\"none\">unknown (no chain)</span>");
        }
        else if (chain.Paused)
        {
            html.Badge("oracle paused", "bad").Text(" every commit reverts until the guardian unpauses");
        }
        else if (pausedTokens.Count > 0)
        {
            html.Badge($"{pausedTokens.Count} token(s) paused", "warn").Text(" ");
            foreach (var t in pausedTokens)
            {
                html.Raw($"<a href=\"/dashboard/tokens/{t.Token.ToChecksumString()}\">").Address(t.Token).Raw("</a> ");
            }
        }
        else
        {
            html.Badge("none", "ok");
        }

        html.Raw("</dd></dl></section>");
        if (snapshot is not null)
        {
            Parameters(html, snapshot.ContractParameters, snapshot.Reporters.Addresses.Count);
        }

        Commits(html, rounds.Where(r => r.Phase == "confirmed").Take(10).ToList());
        return Layout.Page("Network", "Network", position, html);
    }

    /// <summary>The trust parameters in force, in words (docs/protocol.md section 8).</summary>
    public static void Parameters(Html html, SupplyOracleContract.Params p, int reporters)
    {
        html.Raw("<section aria-labelledby=\"trust\"><h2 id=\"trust\">Trust parameters in force</h2><ul class=\"words\" id=\"parameters\">")
            .El("li", $"A round is {p.RoundBlocks} blocks long; a report needs batches from at least {p.MinReporters} of the {reporters} registered reporters (quorum).")
            .El("li", $"Reporters' factors may differ from their median by at most {Html.Bps(p.DivergenceToleranceBps)}, else the token is frozen for the round.")
            .El("li", $"A commit may move a factor by at most {Html.Bps(p.MaxFactorDeltaBps)} from the last committed value (clamp), and at most {Html.Bps(p.MaxWindowDeltaBps)} over a window of {Html.Duration(p.Window)}.")
            .El("li", $"Commits of one token are at least {Html.Duration(p.MinCommitInterval)} apart; an unchanged value is re-committed every {Html.Duration(p.Heartbeat)} (heartbeat) or when the supply moves by {Html.Bps(p.SupplyDeviationBps)}.")
            .El("li", $"A committed factor is stale {Html.Duration(p.ReportStaleAfter)} after its reference time; a report older than {Html.Duration(p.MaxCommitAge)} or {p.MaxReportAgeBlocks} blocks is refused.")
            .Raw("</ul></section>");
    }

    private static void Commits(Html html, IReadOnlyList<RoundView> commits)
    {
        html.Raw("<section aria-labelledby=\"commits\"><h2 id=\"commits\">Last commits</h2><div class=\"scroll\"><table id=\"commits-table\"><thead><tr>")
            .Raw("<th scope=\"col\">Round</th><th scope=\"col\">Block</th><th scope=\"col\">Updates</th><th scope=\"col\">Attestations</th><th scope=\"col\">Gas</th><th scope=\"col\">Transaction</th><th scope=\"col\">Confirmed</th></tr></thead><tbody>");
        if (commits.Count == 0)
        {
            html.Raw("<tr><td colspan=\"7\">No commit yet.</td></tr>");
        }

        foreach (var r in commits)
        {
            html.Raw($"<tr><th scope=\"row\"><a href=\"/dashboard/rounds/{r.Round}\">").Number(r.Round).Raw("</a></th><td>").Number(r.CommitBlock)
                .Raw("</td><td>").Number(r.Updates is { } u ? (ulong)u : null).Raw("</td><td>").Number((ulong)r.Attestations).Raw("</td><td>")
                .Number(r.GasUsed).Raw("</td><td>").Hash(r.TransactionHash).Raw("</td><td>").Time(r.ConfirmedAt).Raw("</td></tr>");
        }

        html.Raw("</tbody></table></div></section>");
    }

    public static string PhaseKind(string phase) => phase switch
    {
        "confirmed" => "ok",
        "abandoned" or "superseded" => "bad",
        _ => "info",
    };
}
