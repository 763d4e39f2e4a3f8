using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.Aggregator.Transmission.Internal;

/// <summary>
/// What the round's stream says about its transmission: the recorded intent and every version (the intent's transaction,
/// then each replacement, all one nonce), and the terminal event if the round is settled.
/// </summary>
internal sealed class TransmissionRecord
{
    private static readonly HashSet<string> s_names =
    [
        TransmissionEventNames.TransmissionIntended, TransmissionEventNames.TransmissionReplaced, TransmissionEventNames.RoundConfirmed,
        TransmissionEventNames.RoundSuperseded, TransmissionEventNames.RoundFailed,
    ];

    public TransmissionIntended? Intended { get; private set; }

    public List<SignedTransaction> Versions { get; } = [];

    /// <summary><see cref="RoundConfirmed"/>, <see cref="RoundSuperseded"/> or <see cref="RoundFailed"/>; null while unsettled.</summary>
    public object? Terminal { get; private set; }

    /// <exception cref="TransmissionRecordException">A recorded transaction does not decode or its hash does not match.</exception>
    public static async Task<TransmissionRecord> ReadAsync(IEventStore store, EventTypeMap map, StreamId stream, CancellationToken cancellationToken)
    {
        var record = new TransmissionRecord();
        await foreach (var e in store.ReadStreamAsync(stream, ReadDirection.Forwards, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!s_names.Contains(e.Type) || record.Terminal is not null)
            {
                continue; // intake and round events share the stream; the first terminal event settles the round
            }

            switch (map.Deserialize(e))
            {
                case TransmissionIntended intended:
                    // One intent per round; a second exists only after an intent recorded without its raw transaction
                    // (before raw transactions were recorded), which gives nothing to resume.
                    record.Intended = intended;
                    record.AddVersion(intended.RawTransaction, intended.TransactionHash, stream);
                    break;
                case TransmissionReplaced replaced:
                    record.AddVersion(replaced.RawTransaction, replaced.TransactionHash, stream);
                    break;
                case RoundConfirmed or RoundSuperseded or RoundFailed:
                    record.Terminal = map.Deserialize(e);
                    break;
            }
        }

        return record;
    }

    private void AddVersion(string raw, string hash, StreamId stream)
    {
        if (raw.Length == 0)
        {
            return; // an intent recorded before raw transactions were (reconciled through lastRound only)
        }

        SignedTransaction signed;
        try
        {
            signed = SignedTransaction.Decode(Hex.Decode(raw));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or Contracts.Bindings.Crypto.InvalidSignatureException)
        {
            throw new TransmissionRecordException(stream.Value, hash, "the recorded raw transaction does not decode", ex);
        }

        if (!string.Equals(signed.Hash.ToString(), hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new TransmissionRecordException(stream.Value, hash, $"the recorded raw transaction hashes to {signed.Hash}", null);
        }

        Versions.Add(signed);
    }
}
