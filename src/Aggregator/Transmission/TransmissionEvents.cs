namespace SupplyOracle.Aggregator.Transmission;

/// <summary>
/// The commit is about to be sent (stream <c>round-&lt;r&gt;</c>, name <c>transmission-intended.v1</c>), appended
/// BEFORE the broadcast so a restarted aggregator knows a transaction may be in flight and reconciles with the chain
/// (<c>lastRound</c>) before any new send.
/// </summary>
/// <param name="Round">r.</param>
/// <param name="Sender">The transaction key's address.</param>
/// <param name="Signers">The attesting reporters, ascending (PROTOCOL.md section 6).</param>
public sealed record TransmissionIntended(ulong Round, string Sender, IReadOnlyList<string> Signers);

/// <summary>The commit was mined and confirmed (name <c>round-confirmed.v1</c>).</summary>
/// <param name="Round">r.</param>
/// <param name="TransactionHash">The transaction.</param>
/// <param name="BlockNumber">Its block.</param>
/// <param name="GasUsed">Gas used.</param>
/// <param name="Replacements">Fee bumps it took.</param>
public sealed record RoundConfirmed(ulong Round, string TransactionHash, ulong BlockNumber, ulong GasUsed, int Replacements);

/// <summary>The round was committed on chain by someone else first (name <c>round-superseded.v1</c>): nothing is sent.</summary>
/// <param name="Round">r.</param>
/// <param name="LastRound">The oracle's <c>lastRound</c> when it was seen.</param>
public sealed record RoundSuperseded(ulong Round, ulong LastRound);

/// <summary>Stable names of the transmission events.</summary>
public static class TransmissionEventNames
{
    /// <summary><see cref="TransmissionIntended"/>.</summary>
    public const string TransmissionIntended = "transmission-intended.v1";

    /// <summary><see cref="RoundConfirmed"/>.</summary>
    public const string RoundConfirmed = "round-confirmed.v1";

    /// <summary><see cref="RoundSuperseded"/>.</summary>
    public const string RoundSuperseded = "round-superseded.v1";

    /// <summary>Registers the transmission events on <paramref name="map"/>.</summary>
    public static EventStore.Serialization.EventTypeMap RegisterTransmissionEvents(this EventStore.Serialization.EventTypeMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.Register<TransmissionIntended>(TransmissionIntended).Register<RoundConfirmed>(RoundConfirmed).Register<RoundSuperseded>(RoundSuperseded);
    }
}
