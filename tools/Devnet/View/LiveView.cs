using System.Globalization;
using SupplyOracle.Devnet.Monitoring;

namespace SupplyOracle.Devnet.View;

/// <summary>How a line of the view is coloured.</summary>
internal enum Tone
{
    Normal,
    Title,
    Good,
    Warn,
    Bad,
    Dim,
}

/// <summary>One line of the view: plain text (no control characters) and its colour.</summary>
internal readonly record struct ViewLine(string Text, Tone Tone = Tone.Normal);

/// <summary>
/// The live view as a pure function of a <see cref="NetworkSnapshot"/> and the terminal's size: at most
/// <c>height</c> lines of at most <c>width</c> characters (an 80×24 terminal shows all of it), so a frame never wraps
/// and <see cref="TerminalScreen"/> can redraw it in place. Shown: head, round and phase, pauses, tokens, last commits,
/// abandoned rounds, processes, and the governance events read from the contracts' logs (every one, whoever sent it);
/// the governance panel takes the rows left over.
/// </summary>
internal static class LiveView
{
    /// <summary>The smallest size the view lays out for (a smaller terminal gets the first lines, cut).</summary>
    public const int MinWidth = 40;

    /// <summary>Lays out one snapshot for a <paramref name="width"/> × <paramref name="height"/> terminal.</summary>
    public static IReadOnlyList<ViewLine> Lines(NetworkSnapshot s, string directory, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(s);
        width = Math.Max(width, 1);
        height = Math.Max(height, 1);
        var top = new List<ViewLine>
        {
            new(string.Create(CultureInfo.InvariantCulture,
                $"Supply Oracle devnet  block {s.Head}  round {s.Round}  lastRound {s.LastRound}  aggregator {(s.AggregatorHealthy ? "up" : "DOWN")}"), Tone.Title),
            new(s.Phase, s.Paused ? Tone.Bad : s.Phase.Contains("abandoned", StringComparison.Ordinal) ? Tone.Warn : Tone.Normal),
            Pauses(s),
            new(string.Create(CultureInfo.InvariantCulture, $"{"token",-6} {"factor",-9} {"circulating",-17} {"age",-7} {"status",-11} left out"), Tone.Dim),
        };
        var lastCommit = s.Commits.Count > 0 ? s.Commits[^1].Round : 0;
        foreach (var t in s.Tokens)
        {
            var age = t.Initialized && s.HeadTime >= t.CommittedAt ? Format.Age(s.HeadTime - t.CommittedAt) : "-";
            var tone = t.Status switch { "fresh" => Tone.Good, "frozen" => Tone.Warn, "stale" or "paused" => Tone.Bad, _ => Tone.Dim };
            top.Add(new(string.Create(CultureInfo.InvariantCulture,
                $"{t.Symbol,-6} {(t.Initialized ? Format.Factor(t.Factor) : "-"),-9} {(t.Initialized ? Format.Tokens(t.Circulating, t.Decimals) : "-"),-17} {age,-7} {t.Status,-11} {LastRound(s, t.Symbol, lastCommit)}"),
                tone));
        }

        top.Add(new("commits: " + (s.Commits.Count == 0 ? "none yet" : string.Join("  ", s.Commits.TakeLast(3).Reverse().Select(c => string.Create(CultureInfo.InvariantCulture,
            $"r{c.Round} #{c.Block} {c.Committed}c/{c.Frozen}f/{c.Rejected}r gas {c.GasUsed:N0}"))))));
        top.Add(s.Abandoned.Count == 0
            ? new("abandoned rounds: none", Tone.Dim)
            : new("abandoned: " + string.Join("; ", s.Abandoned.TakeLast(3).Reverse().Select(a => string.Create(CultureInfo.InvariantCulture, $"r{a.Round} {a.Reason}"))), Tone.Warn));
        var down = s.Processes.Where(p => !p.Up).ToList();
        top.Add(down.Count == 0
            ? new($"processes: all {s.Processes.Count} up", Tone.Good)
            : new("processes DOWN: " + string.Join(", ", down.Select(p => $"{p.Name} {p.Detail}")), Tone.Bad));

        var bottom = new List<ViewLine>();
        if (s.Events.Count > 0)
        {
            bottom.Add(new("devnet: " + s.Events[^1], Tone.Dim));
        }

        bottom.Add(new($"Ctrl-C stops and cleans up; logs, keys and endpoints.env in {directory}", Tone.Dim));

        // The governance panel gets what is left (at least its title and one event when the terminal allows).
        var rows = Math.Max(height - top.Count - bottom.Count - 1, 1);
        var panel = new List<ViewLine>
        {
            new(string.Create(CultureInfo.InvariantCulture, $"governance on chain ({s.Governance.Count} events, latest first):"), Tone.Title),
        };
        panel.AddRange(s.Governance.Count == 0
            ? [new ViewLine("  none yet", Tone.Dim)]
            : s.Governance.Reverse().Take(rows).Select(g => new ViewLine(string.Create(CultureInfo.InvariantCulture, $"  #{g.Block} {g.Text}"),
                g.Text.Contains("PAUSED", StringComparison.Ordinal) ? Tone.Bad : Tone.Normal)));

        return [.. top.Concat(panel).Concat(bottom).Take(height).Select(l => l with { Text = Fit(l.Text, width) })];
    }

    /// <summary>The text cut to <paramref name="width"/> characters, with an ellipsis where it was cut.</summary>
    public static string Fit(string text, int width)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= width ? flat : width <= 1 ? flat[..width] : string.Concat(flat.AsSpan(0, width - 1), "…");
    }

    private static ViewLine Pauses(NetworkSnapshot s)
    {
        var tokens = s.Tokens.Where(t => t.Paused).Select(t => t.Symbol).ToList();
        return s.Paused ? new("PAUSED: the whole oracle (guardian); commits revert, supply reads revert", Tone.Bad)
            : tokens.Count > 0 ? new($"PAUSED tokens: {string.Join(", ", tokens)} (guardian); their updates are rejected", Tone.Bad)
            : new("pauses: none", Tone.Dim);
    }

    // The latest round after the last commit that left the token out by the commit policy (docs/protocol.md section 5 step
    // 12: Unchanged, StillFrozen), with the reason.
    private static string LastRound(NetworkSnapshot s, string symbol, ulong lastCommit)
    {
        var skipped = s.PolicySkips.Where(kv => kv.Key > lastCommit).OrderBy(kv => kv.Key).LastOrDefault();
        var reason = skipped.Value?.FirstOrDefault(x => x.StartsWith(symbol + " ", StringComparison.Ordinal));
        return reason is not null
            ? string.Create(CultureInfo.InvariantCulture, $"r{skipped.Key} {reason[(symbol.Length + 1)..]}")
            : "-";
    }
}
