using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using SupplyOracle.Devnet.Monitoring;

namespace SupplyOracle.Devnet.View;

/// <summary>The terminal view (Spectre.Console): chain and round, tokens, recent commits, processes, governance steps.</summary>
internal static class LiveView
{
    /// <summary>Renders one snapshot.</summary>
    public static IRenderable Render(NetworkSnapshot s, string directory)
    {
        ArgumentNullException.ThrowIfNull(s);
        var header = new Markup(string.Create(CultureInfo.InvariantCulture,
            $"[bold]Supply Oracle local network[/]  block [green]{s.Head}[/]  round [green]{s.Round}[/]  lastRound [green]{s.LastRound}[/]  aggregator {(s.AggregatorHealthy ? "[green]healthy[/]" : "[red]down[/]")}{(s.Paused ? "  [red bold]ORACLE PAUSED[/]" : "")}\n{Markup.Escape(s.Phase)}"));

        var tokens = new Table().Border(TableBorder.Rounded).Title("tokens")
            .AddColumns("token", "factor", "circulating (whole tokens)", "age", "status", "left out since the last commit");
        var lastCommit = s.Commits.Count > 0 ? s.Commits[^1].Round : 0;
        foreach (var t in s.Tokens)
        {
            var age = t.Initialized && s.HeadTime >= t.CommittedAt ? Format.Age(s.HeadTime - t.CommittedAt) : "-";
            var color = t.Status switch { "fresh" => "green", "frozen" => "yellow", "stale" or "paused" => "red", _ => "grey" };
            tokens.AddRow(t.Symbol, t.Initialized ? Format.Factor(t.Factor) : "-", t.Initialized ? Format.Tokens(t.Circulating, t.Decimals) : "-", age,
                $"[{color}]{t.Status}[/]", Markup.Escape(LastRound(s, t.Symbol, lastCommit)));
        }

        var commits = new Table().Border(TableBorder.Rounded).Title("last commits")
            .AddColumns("round", "block", "committed", "frozen", "rejected", "gas used", "transaction");
        foreach (var c in s.Commits.TakeLast(6))
        {
            commits.AddRow(c.Round.ToString(CultureInfo.InvariantCulture), c.Block.ToString(CultureInfo.InvariantCulture),
                c.Committed.ToString(CultureInfo.InvariantCulture), c.Frozen.ToString(CultureInfo.InvariantCulture),
                c.Rejected.ToString(CultureInfo.InvariantCulture), c.GasUsed.ToString("N0", CultureInfo.InvariantCulture), Format.Short(c.Transaction.ToString()));
        }

        var processes = new Table().Border(TableBorder.Rounded).Title("processes").AddColumns("process", "state");
        foreach (var p in s.Processes)
        {
            processes.AddRow(p.Name, p.Up ? "[green]up[/]" : $"[red]{Markup.Escape(p.Detail)}[/]");
        }

        var abandoned = new Table().Border(TableBorder.Rounded).Title("abandoned rounds").AddColumns("round", "reason");
        foreach (var a in s.Abandoned.TakeLast(4))
        {
            abandoned.AddRow(a.Round.ToString(CultureInfo.InvariantCulture), Markup.Escape(a.Reason));
        }

        var batches = string.Join(", ", s.AcceptedBatches.OrderBy(kv => kv.Key).Select(kv => $"round {kv.Key}: {kv.Value}"));
        var events = new Rows(s.Events.TakeLast(6).Select(e => (IRenderable)new Markup(Markup.Escape(e))).DefaultIfEmpty(new Markup("[grey]none yet[/]")));
        return new Rows(
            header,
            new Markup($"batches accepted by the aggregator: {(batches.Length == 0 ? "none yet" : batches)}"),
            tokens,
            new Columns(commits, processes),
            s.Abandoned.Count == 0 ? new Markup("[grey]abandoned rounds: none[/]") : abandoned,
            new Panel(events).Header("governance and events").Expand(),
            new Markup($"[grey]logs, keys and configuration in {Markup.Escape(directory)}; Ctrl-C stops everything and cleans up[/]"));
    }

    // The latest round after the last commit that left the token out by the commit policy (docs/protocol.md section 5 step
    // 12: Unchanged, StillFrozen), with the reason.
    private static string LastRound(NetworkSnapshot s, string symbol, ulong lastCommit)
    {
        var skipped = s.PolicySkips.Where(kv => kv.Key > lastCommit).OrderBy(kv => kv.Key).LastOrDefault();
        var reason = skipped.Value?.FirstOrDefault(x => x.StartsWith(symbol + " ", StringComparison.Ordinal));
        return reason is not null
            ? string.Create(CultureInfo.InvariantCulture, $"{skipped.Key}: {reason[(symbol.Length + 1)..]}")
            : "-";
    }
}
