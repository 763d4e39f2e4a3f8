using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Rules.Batches;

/// <summary>
/// A reporter's ObservationBatch for a round (docs/protocol.md sections 4 and 7) whose signature the caller has already
/// checked against the registered reporter set; <see cref="Reporter"/> is the recovered signer.
/// </summary>
/// <param name="Reporter">The signer.</param>
/// <param name="Header">round, referenceBlock, referenceTime, referenceHash as signed.</param>
/// <param name="Observations">The entries, tokens strictly ascending.</param>
public sealed record ObservationBatch(Address Reporter, ReportHeader Header, IReadOnlyList<TokenObservation> Observations)
{
    /// <summary>True when both batches sign the same message: the same header and the same observation bytes.</summary>
    public bool SameMessageAs(ObservationBatch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Header == other.Header
            && ObservationEncoding.Encode(Observations).AsSpan().SequenceEqual(ObservationEncoding.Encode(other.Observations));
    }
}

/// <summary>Two different batches one reporter signed for one round: the evidence of equivocation (docs/protocol.md section 5).</summary>
/// <param name="Reporter">The reporter.</param>
/// <param name="First">The first batch seen.</param>
/// <param name="Second">A different batch for the same round.</param>
public sealed record Equivocation(Address Reporter, ObservationBatch First, ObservationBatch Second);

/// <summary>Why a batch was not used.</summary>
public enum BatchDropReason
{
    /// <summary>The batch is for another round: observations never count for another round (section 3).</summary>
    OtherRound,

    /// <summary>Same round, but a different reference block, time or hash (e.g. a block reorganised away).</summary>
    HeaderMismatch,

    /// <summary>The reporter signed two different batches for the round: all its batches are dropped.</summary>
    Equivocated,
}

/// <summary>A batch left out, with the reason.</summary>
/// <param name="Batch">The batch.</param>
/// <param name="Reason">Why.</param>
public sealed record DroppedBatch(ObservationBatch Batch, BatchDropReason Reason);

/// <summary>The result of <see cref="BatchSelection.Select"/>.</summary>
/// <param name="Observations">The observations to give the engine: one batch per reporter at most.</param>
/// <param name="Used">The batches the observations come from, reporters ascending (the proposal's evidence).</param>
/// <param name="Equivocations">Evidence of equivocation, reporters ascending.</param>
/// <param name="Dropped">Batches left out, with the reason.</param>
public sealed record BatchSelectionResult(
    IReadOnlyList<Observation> Observations,
    IReadOnlyList<ObservationBatch> Used,
    IReadOnlyList<Equivocation> Equivocations,
    IReadOnlyList<DroppedBatch> Dropped);
