using Marten;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;

namespace SupplyOracle.Aggregator.Transmission.Internal;

/// <summary>
/// What the round's stream says about its transmission: the recorded intent and every version (the intent's transaction,
/// then each replacement, all one nonce), and the terminal event if the round is settled.
/// </summary>
internal sealed class TransmissionRecord
{
    public TransmissionIntended? Intended { get; private set; }

    public List<SignedTransaction> Versions { get; } = [];

    /// <summary><see cref="RoundConfirmed"/>, <see cref="RoundSuperseded"/> or <see cref="RoundFailed"/>; null while unsettled.</summary>
    public object? Terminal { get; private set; }

    /// <exception cref="TransmissionRecordException">A recorded transaction does not decode or its hash does not match.</exception>
    public static async Task<TransmissionRecord> ReadAsync(IDocumentStore store, string stream, CancellationToken cancellationToken)
    {
        var record = new TransmissionRecord();
        IReadOnlyList<JasperFx.Events.IEvent> events;
        var session = store.QuerySession();
        await using (session.ConfigureAwait(false))
        {
            events = await session.Events.FetchStreamAsync(stream, token: cancellationToken).ConfigureAwait(false);
        }

        foreach (var e in events)
        {
            if (record.Terminal is not null)
            {
                break; // intake and round events share the stream; the first terminal event settles the round
            }

            switch (e.Data)
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
                    record.Terminal = e.Data;
                    break;
                default:
                    break;
            }
        }

        return record;
    }

    private void AddVersion(string raw, string hash, string stream)
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
            throw new TransmissionRecordException(stream, hash, "the recorded raw transaction does not decode", ex);
        }

        if (!string.Equals(signed.Hash.ToString(), hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new TransmissionRecordException(stream, hash, $"the recorded raw transaction hashes to {signed.Hash}", null);
        }

        Versions.Add(signed);
    }
}
