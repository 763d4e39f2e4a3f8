using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Devnet.Monitoring;

/// <summary>A token's committed state as the oracle holds it.</summary>
/// <param name="Symbol">The token symbol.</param>
/// <param name="Address">The token address.</param>
/// <param name="Decimals">Its decimals.</param>
/// <param name="Initialized">Committed at least once.</param>
/// <param name="Factor">The committed factor (WAD).</param>
/// <param name="Circulating">The committed circulating supply (native units).</param>
/// <param name="CommittedAt">Reference time of the last commit.</param>
/// <param name="Frozen"><c>freeFloatFactor</c>'s frozen at the head: disputed by a report (docs/protocol.md section 5) or paused.</param>
/// <param name="Stale"><c>freeFloatFactor</c>'s stale at the head: older than the on-chain <c>reportStaleAfter</c> by chain time (sections 8, 9).</param>
/// <param name="Paused">The guardian paused the token or the whole oracle (supply reads revert).</param>
internal sealed record TokenStatus(string Symbol, Address Address, int Decimals, bool Initialized, ulong Factor, BigInteger Circulating,
    ulong CommittedAt, bool Frozen, bool Stale, bool Paused)
{
    /// <summary>paused, uncommitted, frozen, stale or fresh.</summary>
    public string Status => Paused ? "paused" : !Initialized ? "uncommitted" : Frozen ? "frozen" : Stale ? "stale" : "fresh";
}

/// <summary>A round the aggregator abandoned (its <c>round-abandoned.v1</c> event).</summary>
/// <param name="Round">The round.</param>
/// <param name="Reason">Why.</param>
internal sealed record AbandonedRound(ulong Round, string Reason);

/// <summary>One commit seen on chain (a <c>Committed</c> event and its receipt).</summary>
/// <param name="Round">The round.</param>
/// <param name="ReferenceTime">Its reference time.</param>
/// <param name="Block">The block it was mined in.</param>
/// <param name="Transaction">The commit transaction.</param>
/// <param name="GasUsed">Gas used by it.</param>
/// <param name="Committed">Tokens stored.</param>
/// <param name="Frozen">Tokens frozen.</param>
/// <param name="Rejected">Updates the contract rejected.</param>
internal sealed record CommitRecord(ulong Round, ulong ReferenceTime, ulong Block, Hash32 Transaction, ulong GasUsed, int Committed, int Frozen, int Rejected);

/// <summary>A node process and whether it runs.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Up">Running.</param>
/// <param name="Detail">Exit code or health.</param>
internal sealed record ProcessStatus(string Name, bool Up, string Detail);

/// <summary>Everything the view shows at one moment.</summary>
/// <param name="Head">The chain head.</param>
/// <param name="HeadTime">The head's timestamp.</param>
/// <param name="Round">The round of the head (<c>head / roundBlocks</c>).</param>
/// <param name="Phase">What the network is doing for <paramref name="Round"/>.</param>
/// <param name="LastRound">The oracle's <c>lastRound</c>.</param>
/// <param name="Paused">The oracle is globally paused.</param>
/// <param name="AcceptedBatches">Batches the aggregator accepted for the current and previous round (its event log).</param>
/// <param name="AggregatorHealthy">The aggregator's <c>/healthz</c> answered.</param>
/// <param name="Tokens">Per token state.</param>
/// <param name="Commits">Commits seen, oldest first.</param>
/// <param name="Abandoned">The latest rounds the aggregator abandoned, oldest first.</param>
/// <param name="Processes">Node processes.</param>
/// <param name="Events">Notable things that happened (governance steps), oldest first.</param>
internal sealed record NetworkSnapshot(ulong Head, ulong HeadTime, ulong Round, string Phase, ulong LastRound, bool Paused,
    IReadOnlyDictionary<ulong, int> AcceptedBatches, bool AggregatorHealthy, IReadOnlyList<TokenStatus> Tokens,
    IReadOnlyList<CommitRecord> Commits, IReadOnlyList<AbandonedRound> Abandoned, IReadOnlyList<ProcessStatus> Processes, IReadOnlyList<string> Events)
{
    /// <summary>
    /// Per round, the tokens the commit policy left out (docs/protocol.md section 5 step 12: <c>AUR Unchanged</c>,
    /// <c>BDY StillFrozen</c>), from the aggregator's closed rounds.
    /// </summary>
    public IReadOnlyDictionary<ulong, IReadOnlyList<string>> PolicySkips { get; init; } = new Dictionary<ulong, IReadOnlyList<string>>();

    /// <summary>Every governance event of the oracle and the registry on chain, oldest first (<see cref="GovernanceEvents"/>).</summary>
    public IReadOnlyList<GovernanceEvent> Governance { get; init; } = [];
}
