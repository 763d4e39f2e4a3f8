using System.Globalization;
using SupplyOracle.Devnet.Monitoring;

namespace SupplyOracle.Devnet.View;

/// <summary>Progress as plain lines when standard output is not a terminal (CI): one line per change worth knowing.</summary>
internal sealed class PlainProgress(TextWriter output)
{
    private readonly HashSet<string> _printedPhases = [];
    private readonly Dictionary<ulong, int> _printedBatches = [];
    private readonly HashSet<ulong> _printedAbandoned = [];
    private int _commits;
    private ulong _skipsShownTo;
    private int _events;
    private int _governance;
    private string _processes = "";

    /// <summary>Prints what changed since the last snapshot.</summary>
    public void Show(NetworkSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var e in snapshot.Events.Skip(_events))
        {
            output.WriteLine($"[devnet] {e}");
        }

        _events = snapshot.Events.Count;
        foreach (var g in snapshot.Governance.Skip(_governance))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[devnet] on chain, block {g.Block}: {g.Text}"));
        }

        _governance = snapshot.Governance.Count;
        var processes = string.Join(", ", snapshot.Processes.Where(p => !p.Up).Select(p => $"{p.Name} {p.Detail}"));
        if (processes != _processes && processes.Length > 0)
        {
            output.WriteLine($"[devnet] down: {processes}");
        }

        _processes = processes;
        if (_printedPhases.Add(snapshot.Phase.Split('(')[0]))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[devnet] block {snapshot.Head}: {snapshot.Phase}"));
        }

        foreach (var (round, batches) in snapshot.AcceptedBatches.OrderBy(kv => kv.Key))
        {
            if (_printedBatches.GetValueOrDefault(round) != batches)
            {
                _printedBatches[round] = batches;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[devnet] round {round}: {batches} batch(es) accepted by the aggregator"));
            }
        }

        foreach (var a in snapshot.Abandoned.Where(a => _printedAbandoned.Add(a.Round)))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[devnet] round {a.Round} abandoned: {a.Reason}"));
        }

        foreach (var c in snapshot.Commits.Skip(_commits))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[devnet] round {c.Round} committed in block {c.Block}: {c.Committed} committed, {c.Frozen} frozen, {c.Rejected} rejected, gas {c.GasUsed:N0}, tx {c.Transaction}"));
            output.WriteLine("[devnet]   " + string.Join("  ", snapshot.Tokens.Select(t => $"{t.Symbol} {Format.Factor(t.Factor)} ({t.Status})")));
        }

        _commits = snapshot.Commits.Count;
        foreach (var (round, skipped) in snapshot.PolicySkips.Where(kv => kv.Key > _skipsShownTo))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[devnet] round {round}: left out by the commit policy: {string.Join(", ", skipped)}"));
            _skipsShownTo = round;
        }

        output.Flush();
    }
}
