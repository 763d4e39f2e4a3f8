namespace SupplyOracle.Aggregator.Rounds;

/// <summary>
/// The round was closed for intake and the rules applied (stream <c>round-&lt;r&gt;</c>, name <c>round-closed.v1</c>,
/// PROTOCOL.md section 5).
/// </summary>
/// <param name="Round">r.</param>
/// <param name="StateBlock">The block the oracle state was read at.</param>
/// <param name="BatchesUsed">Batches the report was computed from (after equivocation and header checks).</param>
/// <param name="Equivocators">Reporters dropped for equivocation.</param>
/// <param name="Outcomes">Per token: "token:in-report or left-out:reason".</param>
public sealed record RoundClosed(ulong Round, ulong StateBlock, int BatchesUsed, IReadOnlyList<string> Equivocators, IReadOnlyList<string> Outcomes);

/// <summary>A report was proposed for attestation (name <c>round-proposed.v1</c>, PROTOCOL.md section 6).</summary>
/// <param name="Round">r.</param>
/// <param name="ProposalId">The proposal id sent to reporters.</param>
/// <param name="StateBlock">The proposal's <c>state_block</c>.</param>
/// <param name="ReportDigest">The EIP-712 Report digest reporters sign (0x hex).</param>
/// <param name="Updates">The 45-byte update records (0x hex).</param>
/// <param name="Evidence">Digests of the batches used.</param>
public sealed record RoundProposed(ulong Round, string ProposalId, ulong StateBlock, string ReportDigest, string Updates, IReadOnlyList<string> Evidence);

/// <summary>The round ends without a commit (name <c>round-abandoned.v1</c>), with the reason.</summary>
/// <param name="Round">r.</param>
/// <param name="Reason">Why (e.g. nothing to propose, PROTOCOL.md section 5).</param>
public sealed record RoundAbandoned(ulong Round, string Reason);

/// <summary>Stable names of the round lifecycle events.</summary>
public static class RoundEventNames
{
    /// <summary><see cref="RoundClosed"/>.</summary>
    public const string RoundClosed = "round-closed.v1";

    /// <summary><see cref="RoundProposed"/>.</summary>
    public const string RoundProposed = "round-proposed.v1";

    /// <summary><see cref="RoundAbandoned"/>.</summary>
    public const string RoundAbandoned = "round-abandoned.v1";

    /// <summary>Registers the round events on <paramref name="map"/>.</summary>
    public static EventStore.Serialization.EventTypeMap RegisterRoundEvents(this EventStore.Serialization.EventTypeMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.Register<RoundClosed>(RoundClosed).Register<RoundProposed>(RoundProposed).Register<RoundAbandoned>(RoundAbandoned);
    }
}
