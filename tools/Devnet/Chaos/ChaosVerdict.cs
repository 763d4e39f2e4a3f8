using System.Globalization;

namespace SupplyOracle.Devnet.Chaos;

/// <summary>A <c>Committed</c> event on chain.</summary>
/// <param name="Round">The round.</param>
/// <param name="Block">Its block.</param>
/// <param name="LogIndex">Its position in the block.</param>
/// <param name="Transaction">The transaction hash (0x hex).</param>
internal sealed record ChainCommit(ulong Round, ulong Block, ulong LogIndex, string Transaction);

/// <summary>A mined transaction of the aggregator's transmitter.</summary>
/// <param name="Hash">The transaction hash.</param>
/// <param name="Nonce">Its nonce.</param>
/// <param name="Succeeded">Receipt status 1.</param>
/// <param name="EmittedCommitted">Its receipt holds a <c>Committed</c> event of the oracle.</param>
internal sealed record TransmitterTransaction(string Hash, ulong Nonce, bool Succeeded, bool EmittedCommitted);

/// <summary>A round as the aggregator's query API serves it (<c>GET /v1/rounds</c>).</summary>
/// <param name="Round">The round.</param>
/// <param name="Phase">observing, closed, proposed, transmitted, confirmed, abandoned, superseded or failed.</param>
/// <param name="Transaction">The commit transaction, once transmitted.</param>
/// <param name="CommitBlock">The block it was mined in, once confirmed.</param>
/// <param name="EndReason">Why it ended without a commit.</param>
/// <param name="Equivocations">Equivocations detected in it.</param>
internal sealed record ApiRound(ulong Round, string Phase, string? Transaction, ulong? CommitBlock, string? EndReason, int Equivocations);

/// <summary>A fault as it was injected.</summary>
/// <param name="Plan">What was planned.</param>
/// <param name="Started">When it started (wall clock).</param>
/// <param name="Ended">When the node was back, running, honest or mining again.</param>
/// <param name="Detail">What happened (a pid, the transaction caught in the pool), or why it could not be injected.</param>
/// <param name="Injected">False when the fault could not be injected (e.g. no commit went to the pool in time).</param>
internal sealed record InjectedFault(PlannedFault Plan, DateTimeOffset Started, DateTimeOffset Ended, string Detail, bool Injected = true);

/// <summary>A reporter's signing journal after the run.</summary>
/// <param name="Reporter">e.g. reporter-3.</param>
/// <param name="Intact">It opens without <c>JournalCorruptedException</c>.</param>
/// <param name="Detail">The error, when damaged.</param>
internal sealed record JournalCheck(string Reporter, bool Intact, string Detail);

/// <summary>Everything the checks judge, gathered after the faults stopped and the network settled.</summary>
/// <param name="FirstRound">The first round judged (the first after the faults started).</param>
/// <param name="LastRound">The last round judged (old enough to have ended).</param>
/// <param name="RoundBlocks">Blocks per round.</param>
/// <param name="ReporterConfirmations">Blocks after <c>B_r</c> before reporters send.</param>
/// <param name="CloseWindow">The aggregator's <c>CloseAfterSeconds</c>.</param>
/// <param name="Commits">Every <c>Committed</c> event, chain order.</param>
/// <param name="Transactions">Every mined transaction of the transmitter.</param>
/// <param name="TransmitterNonce">The transmitter's nonce at the head.</param>
/// <param name="Rounds">The query API's rounds.</param>
/// <param name="Faults">The faults.</param>
/// <param name="HeadSeen">(head, when first seen) as the run polled the chain, ascending.</param>
/// <param name="Journals">The journals.</param>
internal sealed record ChaosObservations(ulong FirstRound, ulong LastRound, ulong RoundBlocks, ulong ReporterConfirmations, TimeSpan CloseWindow,
    IReadOnlyList<ChainCommit> Commits, IReadOnlyList<TransmitterTransaction> Transactions, ulong TransmitterNonce, IReadOnlyList<ApiRound> Rounds,
    IReadOnlyList<InjectedFault> Faults, IReadOnlyList<(ulong Head, DateTimeOffset At)> HeadSeen, IReadOnlyList<JournalCheck> Journals);

/// <summary>A judged round that did not end normally (committed, or left out by the commit policy).</summary>
/// <param name="Round">The round.</param>
/// <param name="Why">How it ended: unrecorded, below quorum, superseded, failed, reverted, open.</param>
/// <param name="Fault">The fault it is attributed to, or null when no fault was near it.</param>
internal sealed record LostRound(ulong Round, string Why, InjectedFault? Fault);

/// <summary>
/// The chaos run's judgement (issue 24): the safety checks (any failure makes the run fail), what each fault cost in
/// rounds, and the availability criteria of the issue's "Must show".
/// </summary>
internal sealed class ChaosVerdict
{
    /// <summary>A fault's effect is looked for this long after it ended (a restarted aggregator needs a few seconds to listen).</summary>
    public static readonly TimeSpan Aftermath = TimeSpan.FromSeconds(8);

    private ChaosVerdict(IReadOnlyList<string> safety, IReadOnlyList<string> availability, IReadOnlyList<LostRound> lost, IReadOnlyList<string> lines)
    {
        SafetyFailures = safety;
        AvailabilityFailures = availability;
        Lost = lost;
        Lines = lines;
    }

    /// <summary>Safety violations (double commit, rounds out of order, nonce hole, unexplained round, API different from the chain, journal damage).</summary>
    public IReadOnlyList<string> SafetyFailures { get; }

    /// <summary>Availability criteria not met (rounds lost per fault beyond the issue's bound).</summary>
    public IReadOnlyList<string> AvailabilityFailures { get; }

    /// <summary>The judged rounds that did not end normally.</summary>
    public IReadOnlyList<LostRound> Lost { get; }

    /// <summary>The report, one line each.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The kinds of fault that were injected at least once.</summary>
    public IReadOnlySet<FaultKind> InjectedKinds { get; private init; } = new HashSet<FaultKind>();

    /// <summary>Judges <paramref name="o"/>.</summary>
    public static ChaosVerdict Judge(ChaosObservations o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var safety = new List<string>();
        var lines = new List<string>();
        var judged = o.Commits.Where(c => c.Round >= o.FirstRound && c.Round <= o.LastRound).ToArray();

        // 1. No round committed twice (docs/protocol.md section 6: lastRound only grows).
        var doubles = o.Commits.GroupBy(c => c.Round).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        foreach (var r in doubles)
        {
            safety.Add(Say($"round {r} committed {o.Commits.Count(c => c.Round == r)} times"));
        }

        // 2. Committed rounds strictly increasing in chain order.
        var ordered = o.Commits.OrderBy(c => c.Block).ThenBy(c => c.LogIndex).ToArray();
        for (var i = 1; i < ordered.Length; i++)
        {
            if (ordered[i].Round <= ordered[i - 1].Round)
            {
                safety.Add(Say($"round {ordered[i].Round} committed in block {ordered[i].Block} after round {ordered[i - 1].Round}"));
            }
        }

        // 3. The transmitter's nonce is its commits plus its reverted transactions: nothing else was sent, no nonce hole.
        var commitsSent = o.Transactions.Count(t => t.Succeeded && t.EmittedCommitted);
        var reverted = o.Transactions.Count(t => !t.Succeeded);
        foreach (var t in o.Transactions.Where(t => t.Succeeded && !t.EmittedCommitted))
        {
            safety.Add(Say($"transmitter transaction {t.Hash} (nonce {t.Nonce}) succeeded without a Committed event"));
        }

        if (o.TransmitterNonce != (ulong)(commitsSent + reverted))
        {
            safety.Add(Say($"transmitter nonce {o.TransmitterNonce} != {commitsSent} commits + {reverted} reverted"));
        }

        // 4 and 5. Every round the aggregator recorded ended (committed, or abandoned with a reason), and its API equals the chain.
        var api = o.Rounds.GroupBy(r => r.Round).ToDictionary(g => g.Key, g => g.First());
        var lostData = 0;
        foreach (var c in o.Commits)
        {
            if (!api.TryGetValue(c.Round, out var row) || row.Phase != "confirmed"
                || !string.Equals(row.Transaction, c.Transaction, StringComparison.OrdinalIgnoreCase) || row.CommitBlock != c.Block)
            {
                lostData++;
                safety.Add(Say($"round {c.Round} committed on chain (tx {c.Transaction}, block {c.Block}) but the API says " +
                    (row is null ? "nothing" : $"{row.Phase}, tx {row.Transaction ?? "none"}, block {row.CommitBlock?.ToString(CultureInfo.InvariantCulture) ?? "none"}")));
            }
        }

        var onChain = o.Commits.Select(c => c.Round).ToHashSet();
        foreach (var row in o.Rounds.Where(r => r.Round <= o.LastRound))
        {
            if (row.Phase == "confirmed" && !onChain.Contains(row.Round))
            {
                safety.Add(Say($"round {row.Round} is confirmed in the API but not committed on chain"));
            }
            else if (row.Phase is "abandoned" or "superseded" or "failed" && string.IsNullOrWhiteSpace(row.EndReason))
            {
                safety.Add(Say($"round {row.Round} is {row.Phase} without a reason"));
            }
            else if (row.Phase is not ("confirmed" or "abandoned" or "superseded" or "failed") && row.Round >= o.FirstRound)
            {
                safety.Add(Say($"round {row.Round} is still {row.Phase} long after its deadline"));
            }
        }

        // 6. Journals intact, and no reporter signed two batches for a round.
        foreach (var j in o.Journals.Where(j => !j.Intact))
        {
            safety.Add(Say($"{j.Reporter}'s signing journal is damaged: {j.Detail}"));
        }

        var equivocations = o.Rounds.Sum(r => r.Equivocations);
        if (equivocations > 0)
        {
            safety.Add(Say($"{equivocations} equivocation(s) recorded"));
        }

        // Rounds: committed, left out by the commit policy (a quiet round is the policy working), or lost.
        var lost = new List<LostRound>();
        for (var r = o.FirstRound; r <= o.LastRound; r++)
        {
            if (onChain.Contains(r))
            {
                continue;
            }

            var row = api.GetValueOrDefault(r);
            var why = row is null ? "unrecorded"
                : row.Phase == "abandoned" && row.EndReason is { } reason && reason.Contains("commit policy", StringComparison.Ordinal) ? null
                : row.Phase == "abandoned" && row.EndReason is { } q && q.StartsWith("below quorum", StringComparison.Ordinal) ? "below quorum"
                : row.Phase == "abandoned" && row.EndReason is { } rv && rv.Contains("revert", StringComparison.Ordinal) ? "reverted"
                : row.Phase is "abandoned" or "superseded" or "failed" ? row.Phase
                : "open";
            if (why is not null)
            {
                lost.Add(new LostRound(r, why, Attribute(o, r)));
            }
        }

        var availability = new List<string>();
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"rounds judged: {o.FirstRound}..{o.LastRound} ({o.LastRound - o.FirstRound + 1}); committed {judged.Length}, left out by the commit policy {o.LastRound - o.FirstRound + 1 - (ulong)judged.Length - (ulong)lost.Count}, lost {lost.Count}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"double commits: {doubles.Length}; rounds out of order: {ordered.Zip(ordered.Skip(1)).Count(p => p.Second.Round <= p.First.Round)}; transmitter nonce {o.TransmitterNonce} = {commitsSent} commits + {reverted} reverted: {(o.TransmitterNonce == (ulong)(commitsSent + reverted) ? "yes" : "NO")}"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"lost data (commits the API does not show as on chain): {lostData}; journals intact: {o.Journals.Count(j => j.Intact)}/{o.Journals.Count}; equivocations: {equivocations}"));

        // Faults by kind, rounds lost by cause, rounds to recovery.
        lines.Add("faults by kind (injected/planned, rounds lost, rounds to recovery max/mean):");
        foreach (var kind in FaultPlan.Kinds)
        {
            var of = o.Faults.Where(f => f.Plan.Kind == kind).ToArray();
            var injected = of.Where(f => f.Injected).ToArray();
            var lostBy = injected.Select(f => lost.Count(l => ReferenceEquals(l.Fault, f))).ToArray();
            var recovery = injected.Select(f => RoundsToRecovery(o, lost, f)).ToArray();
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {kind,-24} {injected.Length}/{of.Length}  lost {lostBy.Sum()} (max {(lostBy.Length == 0 ? 0 : lostBy.Max())} per fault)  recovery {(recovery.Length == 0 ? "-" : $"{recovery.Max()}/{recovery.Average():F1}")}"));
            var bound = kind switch
            {
                FaultKind.AggregatorKill or FaultKind.AggregatorKillInFlight => 1,
                FaultKind.ReporterKill or FaultKind.ReporterStop or FaultKind.PostgresRestart or FaultKind.AnvilPause => 0,
                _ => (int?)null,
            };
            foreach (var (fault, count) in injected.Zip(lostBy).Where(p => bound is { } b && p.Second > b))
            {
                availability.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{fault.Plan} lost {count} round(s) ({string.Join(", ", lost.Where(l => ReferenceEquals(l.Fault, fault)).Select(l => $"{l.Round} {l.Why}"))}); at most {bound} allowed"));
            }
        }

        lines.Add("rounds lost by cause:");
        foreach (var group in lost.GroupBy(l => (l.Fault?.Plan.Kind.ToString() ?? "no fault near it", l.Why)).OrderBy(g => g.Key))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"  {group.Key.Item1,-24} {group.Key.Why,-14} {group.Count()} ({string.Join(", ", group.Select(l => l.Round))})"));
        }

        if (lost.Count == 0)
        {
            lines.Add("  none");
        }

        foreach (var l in lost.Where(l => l.Fault is null))
        {
            availability.Add(string.Create(CultureInfo.InvariantCulture, $"round {l.Round} lost ({l.Why}) with no fault near it"));
        }

        return new ChaosVerdict(safety, availability, lost, lines) { InjectedKinds = o.Faults.Where(f => f.Injected).Select(f => f.Plan.Kind).ToHashSet() };

        static string Say(string text) => text;
    }

    /// <summary>When the run first saw a head at or beyond <paramref name="block"/> (null: never).</summary>
    public static DateTimeOffset? SeenAt(ChaosObservations o, ulong block)
    {
        ArgumentNullException.ThrowIfNull(o);
        foreach (var (head, at) in o.HeadSeen)
        {
            if (head >= block)
            {
                return at;
            }
        }

        return null;
    }

    /// <summary>
    /// The fault a lost round is blamed on: the latest one active (or in its <see cref="Aftermath"/>) between the round's
    /// reference block and its close deadline (<c>B_r + ReporterConfirmations</c> seen, plus the close window).
    /// </summary>
    public static InjectedFault? Attribute(ChaosObservations o, ulong round)
    {
        ArgumentNullException.ThrowIfNull(o);
        var from = SeenAt(o, round * o.RoundBlocks);
        var opens = SeenAt(o, round * o.RoundBlocks + o.ReporterConfirmations);
        if (from is null || opens is null)
        {
            return null;
        }

        var until = opens.Value + o.CloseWindow + TimeSpan.FromSeconds(2);
        // A round is also lost to a fault of the round before (the aggregator was down when B_r came).
        var since = from.Value - TimeSpan.FromSeconds(o.RoundBlocks);
        return o.Faults.Where(f => f.Injected && f.Started <= until && f.Ended + Aftermath >= since).MaxBy(f => f.Started);
    }

    /// <summary>
    /// Rounds from the first one whose close deadline had not passed when <paramref name="fault"/> started to the first
    /// that ended normally (committed or left out by the commit policy): 0 when that round was not lost.
    /// </summary>
    public static int RoundsToRecovery(ChaosObservations o, IReadOnlyList<LostRound> lost, InjectedFault fault)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(lost);
        ArgumentNullException.ThrowIfNull(fault);
        var first = o.FirstRound;
        while (first <= o.LastRound && SeenAt(o, first * o.RoundBlocks + o.ReporterConfirmations) is { } opened && opened + o.CloseWindow < fault.Started)
        {
            first++;
        }

        var lostRounds = lost.Select(l => l.Round).ToHashSet();
        var r = first;
        while (r <= o.LastRound && lostRounds.Contains(r))
        {
            r++;
        }

        return (int)(r - first);
    }
}
