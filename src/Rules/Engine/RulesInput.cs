using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Rules.Engine;

/// <summary>
/// Everything docs/protocol.md section 5 takes, and nothing else: no clock, no I/O. <see cref="State"/> lists every token
/// listed in the oracle at <c>stateBlock</c> (one entry each); <see cref="Observations"/> holds at most one observation
/// per (reporter, token), from deduplicated, non-equivocating batches (see <c>Batches.BatchSelection</c>).
/// </summary>
/// <param name="Header">The round, <c>B_r</c>, and the reference time (<c>now</c>) and hash.</param>
/// <param name="Parameters">The on-chain parameters and reporter set.</param>
/// <param name="State">The listed tokens' state at <c>stateBlock</c>.</param>
/// <param name="Observations">The observations of the round.</param>
public sealed record RulesInput(
    ReportHeader Header,
    RulesParameters Parameters,
    IReadOnlyList<TokenState> State,
    IReadOnlyList<Observation> Observations);
