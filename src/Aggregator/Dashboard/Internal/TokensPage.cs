using SupplyOracle.Aggregator.Query;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.State;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Dashboard.Internal;

/// <summary>Tokens: the list with status, factor and circulating over time, clamp headroom; one token in detail.</summary>
internal static class TokensPage
{
    // Rounds drawn in the list's small charts and in a token's page.
    private const int SparkRounds = 50;
    private const int ChartRounds = 1_000;

    public static async Task<string> RenderListAsync(DashboardSource source, CancellationToken ct)
    {
        var position = await source.StateAsync(ct).ConfigureAwait(false);
        var (chain, tokens) = await source.JudgeAsync(await source.Reader.ListTokensAsync(ct).ConfigureAwait(false), ct).ConfigureAwait(false);
        var snapshot = await source.SnapshotAsync(ct).ConfigureAwait(false);
        var series = await source.Reader.CommittedSeriesAsync(SparkRounds, null, ct).ConfigureAwait(false);
        var latest = (await source.Reader.ListRoundsAsync(null, 1, ct).ConfigureAwait(false)).FirstOrDefault();
        var html = new Html();
        html.El("h1", "Tokens");
        if (chain?.Paused == true)
        {
            html.Raw("<p class=\"alert\" role=\"alert\">").Badge("oracle paused", "bad").Text(" The guardian paused the whole oracle: every token reads frozen.").Raw("</p>");
        }

        html.Raw("<div class=\"scroll\"><table id=\"tokens-table\"><caption>")
            .Text($"{tokens.Count} tokens; status as the contract's freeFloatFactor says it at block {(chain is null ? "unknown" : chain.Block.ToString(System.Globalization.CultureInfo.InvariantCulture))}. Factor over the last {SparkRounds} rounds.")
            .Raw("</caption><thead><tr><th scope=\"col\">Token</th><th scope=\"col\">Status</th><th scope=\"col\">Factor</th><th scope=\"col\">Factor, last rounds</th>")
            .Raw("<th scope=\"col\">Circulating</th><th scope=\"col\">Clamp headroom</th><th scope=\"col\">Last outcome</th><th scope=\"col\">Age</th></tr></thead><tbody>");
        foreach (var t in tokens)
        {
            var checksum = t.Token.ToChecksumString();
            html.Raw($"<tr data-token=\"{checksum}\"><th scope=\"row\"><a href=\"/dashboard/tokens/{checksum}\">").Address(t.Token).Raw("</a></th><td class=\"status\">");
            Status(html, t, latest);
            html.Raw("</td><td class=\"factor\">").Factor(t.Factor).Raw("</td><td>");
            var points = series.TryGetValue(t.Token, out var s) ? s.Select(p => (p.Round, (double)p.Factor.Raw / Wad.OneRaw)).ToList() : [];
            html.Raw(SvgChart.Spark($"factor of {checksum} over the last {SparkRounds} rounds", points));
            html.Raw("</td><td class=\"circulating\">").Amount(t.Circulating).Raw("</td><td>");
            Headroom(html, t.Factor, snapshot);
            html.Raw("</td><td>").Text(t.LastOutcome ?? "–").Text(t.LastOutcomeRound is { } r ? $" (round {r})" : "")
                .Raw("</td><td>").Text(t.AgeSeconds is { } age ? Html.Duration((ulong)Math.Max(0, age)) : "–").Raw("</td></tr>");
        }

        if (tokens.Count == 0)
        {
            html.Raw("<tr><td colspan=\"8\">No token has an outcome yet.</td></tr>");
        }

        html.Raw("</tbody></table></div>");
        return Layout.Page("Tokens", "Tokens", position, html);
    }

    public static async Task<string?> RenderOneAsync(DashboardSource source, Address token, CancellationToken ct)
    {
        var position = await source.StateAsync(ct).ConfigureAwait(false);
        if (await source.Reader.GetTokenAsync(token, ct).ConfigureAwait(false) is not { } view)
        {
            return null;
        }

        var (_, judged) = await source.JudgeAsync([view], ct).ConfigureAwait(false);
        var t = judged[0];
        var snapshot = await source.SnapshotAsync(ct).ConfigureAwait(false);
        var latest = (await source.Reader.ListRoundsAsync(null, 1, ct).ConfigureAwait(false)).FirstOrDefault();
        var series = (await source.Reader.CommittedSeriesAsync(ChartRounds, token, ct).ConfigureAwait(false)).GetValueOrDefault(token) ?? [];
        var history = await source.Reader.GetTokenHistoryAsync(token, 30, ct).ConfigureAwait(false) ?? [];
        var checksum = token.ToChecksumString();
        var html = new Html();
        html.Raw("<h1>Token <span class=\"mono\">").Text(checksum).Raw("</span></h1>");
        html.Raw($"<dl class=\"facts\" data-token=\"{checksum}\"><dt>Status</dt><dd class=\"status\">");
        Status(html, t, latest);
        html.Raw("</dd><dt>Factor</dt><dd class=\"factor\">").Factor(t.Factor).Raw("</dd><dt>Circulating</dt><dd class=\"circulating\">").Amount(t.Circulating)
            .Raw("</dd><dt>Committed at</dt><dd>").UnixTime(t.CommittedAt).Text(t.Round is { } r ? $" (round {r})" : "")
            .Raw("</dd><dt>Clamp headroom</dt><dd>");
        Headroom(html, t.Factor, snapshot);
        html.Raw("</dd></dl>");
        html.Raw(SvgChart.Line("factor-chart", $"Committed factor over the last {ChartRounds} rounds", [.. series.Select(p => (p.Round, (double)p.Factor.Raw / Wad.OneRaw))],
            v => v.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture)));
        html.Raw(SvgChart.Line("circulating-chart", $"Committed circulating over the last {ChartRounds} rounds",
            [.. series.Where(p => p.Circulating is not null).Select(p => (p.Round, (double)p.Circulating!.Value.Value))],
            v => v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)));
        await ExcludedAsync(html, source, token, snapshot, latest, ct).ConfigureAwait(false);
        html.Raw("<section aria-labelledby=\"hist\"><h2 id=\"hist\">Last rounds</h2><div class=\"scroll\"><table id=\"history-table\"><thead><tr><th scope=\"col\">Round</th>")
            .Raw("<th scope=\"col\">Outcome</th><th scope=\"col\">Rules' reason</th><th scope=\"col\">Median</th><th scope=\"col\">Factor</th><th scope=\"col\">Circulating</th></tr></thead><tbody>");
        foreach (var h in history)
        {
            html.Raw($"<tr><th scope=\"row\"><a href=\"/dashboard/rounds/{h.Round}\">").Number(h.Round).Raw("</a></th><td>").Text(h.Outcome).Raw("</td><td>").Text(h.Reason)
                .Raw("</td><td>").Factor(h.Median).Raw("</td><td>").Factor(h.Factor).Raw("</td><td>").Amount(h.Circulating).Raw("</td></tr>");
        }

        html.Raw("</tbody></table></div></section>");
        return Layout.Page($"Token {Html.Short(checksum)}", "Tokens", position, html);
    }

    /// <summary>
    /// Status words (docs/protocol.md section 9): paused (guardian), frozen and why (the last report's status), stale
    /// (chain time past committedAt + reportStaleAfter), fresh, and unchanged when the latest round left it alone.
    /// </summary>
    private static void Status(Html html, TokenStatus t, RoundView? latest)
    {
        if (t.Paused == true)
        {
            html.Badge("paused", "bad").Raw(" ");
        }

        if (t.Frozen && t.Paused != true)
        {
            html.Badge(t.LastStatus is { } s && s != Rules.Engine.UpdateStatus.Commit ? $"frozen: {s}" : "frozen", "bad").Raw(" ");
        }

        if (t.Stale == true)
        {
            html.Badge("stale", "warn").Raw(" ");
        }
        else if (t.Stale == false && !t.Frozen)
        {
            html.Badge("fresh", "ok").Raw(" ");
        }

        if (latest is not null && t.LastOutcomeRound != latest.Round)
        {
            html.Badge("unchanged this round", "info");
        }
    }

    // How far the next commit may move the factor: maxFactorDeltaBps of the committed factor each way (section 8's clamp).
    private static void Headroom(Html html, Wad? factor, OracleSnapshot? snapshot)
    {
        if (factor is not { } f || snapshot is null)
        {
            html.Raw("<span class=\"none\">–</span>");
            return;
        }

        var delta = (decimal)f.Raw * snapshot.ContractParameters.MaxFactorDeltaBps / 10_000m / Wad.OneRaw;
        var value = (decimal)f.Raw / Wad.OneRaw;
        html.Text($"±{Html.Bps(snapshot.ContractParameters.MaxFactorDeltaBps)}: {Math.Max(0, value - delta):0.000000} to {Math.Min(1, value + delta):0.000000}");
    }

    private static async Task ExcludedAsync(Html html, DashboardSource source, Address token, OracleSnapshot? snapshot, RoundView? latest, CancellationToken ct)
    {
        html.Raw("<section aria-labelledby=\"excl\"><h2 id=\"excl\">Excluded addresses</h2>");
        var block = latest?.ReferenceBlock;
        IReadOnlyList<ExcludedBalance>? rows;
        try
        {
            rows = snapshot is null ? null : await source.ExcludedAsync(token, block, ct).ConfigureAwait(false);
        }
        catch (QueryUnavailableException)
        {
            // e.g. a node that prunes state no longer has the reference block: the rest of the page still stands.
            html.Raw("<p class=\"none\">").Text($"Unknown: the node could not be read at block {block}.").Raw("</p></section>");
            return;
        }

        if (rows is null)
        {
            html.Raw("<p class=\"none\">Unknown: this aggregator has no chain to read the registry from.</p></section>");
            return;
        }

        html.Raw("<div class=\"scroll\"><table id=\"excluded-table\"><caption>").Text(block is { } b ? $"Balances at the last reference block, {b}." : "Balances at the chain head.")
            .Raw("</caption><thead><tr><th scope=\"col\">Kind</th><th scope=\"col\">Address</th><th scope=\"col\">Balance</th></tr></thead><tbody>");
        foreach (var group in rows.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var row in group)
            {
                html.Raw("<tr><td>").Text(row.Kind).Raw("</td><td>").Address(row.Account).Raw("</td><td>").Data(row.Balance.ToString(System.Globalization.CultureInfo.InvariantCulture), Html.Grouped(row.Balance)).Raw("</td></tr>");
            }
        }

        if (rows.Count == 0)
        {
            html.Raw("<tr><td colspan=\"3\">None: the whole supply circulates.</td></tr>");
        }

        html.Raw("</tbody></table></div></section>");
    }
}
