using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Reporter.Journal;

/// <summary>One journaled signed ObservationBatch: the round, its EIP-712 digest and the exact gossip message sent.</summary>
/// <param name="Round">The round.</param>
/// <param name="Digest">The batch's EIP-712 digest (its identity).</param>
/// <param name="Message">The signed gossip message, byte for byte as it left (or will leave) the process.</param>
public sealed record JournalEntry(RoundId Round, Hash32 Digest, Protocol.V1.ObservationBatch Message);
