namespace SupplyOracle.Aggregator.Transmission;

/// <summary>
/// The commit is signed and about to be broadcast (stream <c>round-&lt;r&gt;</c>, name <c>transmission-intended.v1</c>),
/// appended BEFORE the broadcast (write-ahead) so that a restarted aggregator finishes this very transaction (same nonce,
/// same bytes) rather than starting a second one for the round.
/// </summary>
/// <param name="Round">r.</param>
/// <param name="Sender">The transaction key's address.</param>
/// <param name="Signers">The attesting reporters, ascending (docs/protocol.md section 6).</param>
/// <param name="Nonce">The transaction's nonce: every version sent for the round has it.</param>
/// <param name="TransactionHash">The transaction hash (keccak256 of <paramref name="RawTransaction"/>).</param>
/// <param name="RawTransaction">The signed EIP-2718 transaction, 0x hex: re-broadcast byte for byte on resume.</param>
/// <param name="MaxFeePerGas">EIP-1559 fee cap, wei (decimal).</param>
/// <param name="MaxPriorityFeePerGas">EIP-1559 tip cap, wei (decimal).</param>
/// <param name="GasLimit">The gas limit.</param>
public sealed record TransmissionIntended(ulong Round, string Sender, IReadOnlyList<string> Signers, ulong Nonce = 0, string TransactionHash = "",
    string RawTransaction = "", string MaxFeePerGas = "", string MaxPriorityFeePerGas = "", ulong GasLimit = 0);

/// <summary>
/// A stuck commit is replaced by a version with higher fees and the same nonce (name <c>transmission-replaced.v1</c>),
/// appended before the replacement is broadcast.
/// </summary>
/// <param name="Round">r.</param>
/// <param name="Nonce">The nonce (unchanged).</param>
/// <param name="Replaces">The hash of the version it replaces.</param>
/// <param name="TransactionHash">The replacement's hash.</param>
/// <param name="RawTransaction">The replacement, 0x hex.</param>
/// <param name="MaxFeePerGas">Its fee cap, wei.</param>
/// <param name="MaxPriorityFeePerGas">Its tip cap, wei.</param>
public sealed record TransmissionReplaced(ulong Round, ulong Nonce, string Replaces, string TransactionHash, string RawTransaction, string MaxFeePerGas,
    string MaxPriorityFeePerGas);

/// <summary>
/// The mined commit left the canonical chain before reaching the confirmation depth (name
/// <c>transmission-reorganised.v1</c>); the same signed transaction is broadcast again.
/// </summary>
/// <param name="Round">r.</param>
/// <param name="TransactionHash">The version that had been mined.</param>
/// <param name="BlockNumber">The block it had been mined in.</param>
/// <param name="BlockHash">That block's hash, no longer canonical.</param>
public sealed record TransmissionReorganised(ulong Round, string TransactionHash, ulong BlockNumber, string BlockHash);

/// <summary>The commit was mined and confirmed (name <c>round-confirmed.v1</c>).</summary>
/// <param name="Round">r.</param>
/// <param name="TransactionHash">The transaction.</param>
/// <param name="BlockNumber">Its block.</param>
/// <param name="GasUsed">Gas used.</param>
/// <param name="Replacements">Fee bumps it took.</param>
/// <param name="BlockHash">Its block's hash.</param>
/// <param name="Nonce">Its nonce.</param>
/// <param name="Reorganisations">How often a mined version was reorganised away while this process waited.</param>
public sealed record RoundConfirmed(ulong Round, string TransactionHash, ulong BlockNumber, ulong GasUsed, int Replacements, string BlockHash = "",
    ulong Nonce = 0, int Reorganisations = 0);

/// <summary>The round was committed on chain by someone else first (name <c>round-superseded.v1</c>): nothing (more) is sent.</summary>
/// <param name="Round">r.</param>
/// <param name="LastRound">The oracle's <c>lastRound</c> when it was seen.</param>
public sealed record RoundSuperseded(ulong Round, ulong LastRound);

/// <summary>
/// The round cannot be committed by this aggregator (name <c>round-failed.v1</c>); the coordinator abandons it. Nothing
/// more is sent for it.
/// </summary>
/// <param name="Round">r.</param>
/// <param name="Stage">Where it failed: see <see cref="TransmissionFailureStage"/> (its name).</param>
/// <param name="Error">The contract's custom error name (<c>Paused</c>, <c>ReferenceHashMismatch</c>, ...), <c>Error</c>/<c>Panic</c>, or null when unknown.</param>
/// <param name="Detail">The decoded revert with its arguments, or what happened.</param>
/// <param name="TransactionHash">The transaction concerned, if one was sent.</param>
/// <param name="BlockNumber">The block it reverted in, if mined.</param>
public sealed record RoundFailed(ulong Round, string Stage, string? Error, string Detail, string? TransactionHash = null, ulong? BlockNumber = null);

/// <summary>Where a transmission failed (<see cref="RoundFailed.Stage"/>).</summary>
public enum TransmissionFailureStage
{
    /// <summary>Gas estimation reverted: nothing was signed or sent.</summary>
    Estimation,

    /// <summary>The commit was mined and reverted (receipt status 0).</summary>
    Mined,

    /// <summary>After a reorganisation the commit would now revert (e.g. the reference block hash changed).</summary>
    Reorganised,

    /// <summary>The round's nonce was used by another transaction of the sender and the round is not committed.</summary>
    NonceConsumed,
}

/// <summary>
/// The sender's balance fell below the alarm threshold (stream <c>transmitter</c>, name <c>sender-balance-low.v1</c>);
/// appended once per crossing.
/// </summary>
/// <param name="Sender">The transaction key's address.</param>
/// <param name="Balance">Its balance, wei (decimal).</param>
/// <param name="Threshold">The threshold, wei (decimal).</param>
public sealed record SenderBalanceLow(string Sender, string Balance, string Threshold);

/// <summary>The sender's balance is back at or above the threshold (stream <c>transmitter</c>, name <c>sender-balance-restored.v1</c>).</summary>
/// <param name="Sender">The transaction key's address.</param>
/// <param name="Balance">Its balance, wei (decimal).</param>
/// <param name="Threshold">The threshold, wei (decimal).</param>
public sealed record SenderBalanceRestored(string Sender, string Balance, string Threshold);

/// <summary>Stable names of the transmission events.</summary>
public static class TransmissionEventNames
{
    /// <summary>The stream of the transmitter's own events (balance alarms).</summary>
    public const string TransmitterStream = "transmitter";

    /// <summary><see cref="TransmissionIntended"/>.</summary>
    public const string TransmissionIntended = "transmission-intended.v1";

    /// <summary><see cref="TransmissionReplaced"/>.</summary>
    public const string TransmissionReplaced = "transmission-replaced.v1";

    /// <summary><see cref="TransmissionReorganised"/>.</summary>
    public const string TransmissionReorganised = "transmission-reorganised.v1";

    /// <summary><see cref="RoundConfirmed"/>.</summary>
    public const string RoundConfirmed = "round-confirmed.v1";

    /// <summary><see cref="RoundSuperseded"/>.</summary>
    public const string RoundSuperseded = "round-superseded.v1";

    /// <summary><see cref="RoundFailed"/>.</summary>
    public const string RoundFailed = "round-failed.v1";

    /// <summary><see cref="SenderBalanceLow"/>.</summary>
    public const string SenderBalanceLow = "sender-balance-low.v1";

    /// <summary><see cref="SenderBalanceRestored"/>.</summary>
    public const string SenderBalanceRestored = "sender-balance-restored.v1";

    /// <summary>Registers the transmission events on <paramref name="map"/>.</summary>
    public static EventStore.Serialization.EventTypeMap RegisterTransmissionEvents(this EventStore.Serialization.EventTypeMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.Register<TransmissionIntended>(TransmissionIntended)
            .Register<TransmissionReplaced>(TransmissionReplaced)
            .Register<TransmissionReorganised>(TransmissionReorganised)
            .Register<RoundConfirmed>(RoundConfirmed)
            .Register<RoundSuperseded>(RoundSuperseded)
            .Register<RoundFailed>(RoundFailed)
            .Register<SenderBalanceLow>(SenderBalanceLow)
            .Register<SenderBalanceRestored>(SenderBalanceRestored);
    }
}
