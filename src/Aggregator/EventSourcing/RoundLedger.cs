using Marten;
using JasperFx;
using Marten.Exceptions;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds;

namespace SupplyOracle.Aggregator.EventSourcing;

/// <summary>
/// The write model of a <c>round-&lt;r&gt;</c> stream that intake and the proposal hub decide on: each reporter's first
/// accepted batch, the equivocators, every (reporter, digest) seen and every (digest, signer) attestation recorded. An
/// inline Marten snapshot (updated in the transaction of every append), so <see cref="RoundAppender"/> loads it and the
/// stream version with <c>FetchForWriting</c> in one round trip and appends at that version.
/// </summary>
/// <remarks>
/// Marten has no unique index on event ids, so a retried or relayed batch is recognised here, in the state read at the
/// version the append expects: two writers deciding on the same version cannot both append (the loser re-reads).
/// </remarks>
public sealed class RoundLedger
{
    /// <summary>The stream key (<c>round-&lt;r&gt;</c>).</summary>
    public string Id { get; set; } = "";

    /// <summary>Reporter (EIP-55) to the digest of its first accepted batch.</summary>
    public Dictionary<string, string> Accepted { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Reporters caught signing two batches (PROTOCOL.md section 5).</summary>
    public HashSet<string> Equivocators { get; set; } = new(StringComparer.Ordinal);

    /// <summary>"reporter/digest" of every batch recorded (accepted or as equivocation evidence).</summary>
    public HashSet<string> Seen { get; set; } = new(StringComparer.Ordinal);

    /// <summary>"digest/signer" of every accepted attestation.</summary>
    public HashSet<string> Attested { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key of a batch in <see cref="Seen"/>.</summary>
    public static string BatchKey(string reporter, string digest) => string.Concat(reporter, "/", digest).ToLowerInvariant();

    /// <summary>Folds an accepted batch.</summary>
    public void Apply(ObservationAccepted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Accepted.TryAdd(e.Reporter, e.Digest);
        Seen.Add(BatchKey(e.Reporter, e.Digest));
    }

    /// <summary>Folds an equivocation.</summary>
    public void Apply(EquivocationDetected e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Equivocators.Add(e.Reporter);
        Seen.Add(BatchKey(e.Reporter, e.Second.Digest));
    }

    /// <summary>Folds an accepted attestation.</summary>
    public void Apply(AttestationAccepted e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Attested.Add(BatchKey(e.Reporter, e.ReportDigest));
    }
}

/// <summary>Appends to round streams with Marten's optimistic concurrency (one <c>FetchForWriting</c>, one commit).</summary>
public static class RoundAppender
{
    /// <summary>
    /// Loads the ledger of <paramref name="round"/> and its version in one round trip, lets <paramref name="decide"/>
    /// choose the events (none: nothing is written) and appends them expecting that version. On a conflict (another
    /// writer appended meanwhile) the ledger is read again and <paramref name="decide"/> called again, up to
    /// <paramref name="attempts"/> times. Returns what <paramref name="decide"/> returned last.
    /// </summary>
    /// <exception cref="JasperFx.ConcurrencyException">Still conflicting after <paramref name="attempts"/> attempts.</exception>
    public static async Task<T> DecideAsync<T>(IDocumentStore store, ulong round, Func<RoundLedger, (IReadOnlyList<object> Events, T Result)> decide,
        CancellationToken cancellationToken, int attempts = 20)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decide);
        var key = IntakeEventNames.RoundStream(round);
        for (var attempt = 1; ; attempt++)
        {
            var session = store.LightweightSession();
            await using var sessionScope = session.ConfigureAwait(false);
            var stream = await session.Events.FetchForWriting<RoundLedger>(key, cancellationToken).ConfigureAwait(false);
            var (events, result) = decide(stream.Aggregate ?? new RoundLedger { Id = key });
            if (events.Count == 0)
            {
                return result;
            }

            stream.AppendMany(events);
            try
            {
                await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (Exception e) when (EventConflicts.IsConflict(e) && attempt < attempts)
            {
                // Someone appended between the fetch and the commit: decide again on what is there now.
            }
        }
    }

    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="round"/>'s stream only if its version is still
    /// <paramref name="expectedVersion"/> (Marten versions are 1-based: the number of events in the stream, 0 when absent).
    /// </summary>
    /// <exception cref="JasperFx.ConcurrencyException">The stream moved on: another writer decided, or something was appended.</exception>
    public static async Task AppendAtAsync(IDocumentStore store, ulong round, long expectedVersion, IReadOnlyList<object> events,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(events);
        var session = store.LightweightSession();
        await using var sessionScope = session.ConfigureAwait(false);
        var stream = await session.Events.FetchForWriting<RoundLedger>(IntakeEventNames.RoundStream(round), expectedVersion, cancellationToken)
            .ConfigureAwait(false);
        stream.AppendMany(events);
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends <paramref name="events"/> to <paramref name="stream"/> with no expectation (Marten serializes them per stream).</summary>
    public static async Task AppendAsync(IDocumentStore store, string stream, IReadOnlyList<object> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(events);
        var session = store.LightweightSession();
        await using var sessionScope = session.ConfigureAwait(false);
        session.Events.Append(stream, events.ToArray());
        await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Classifies Marten's exceptions.</summary>
public static class EventConflicts
{
    /// <summary>True when <paramref name="e"/> is an optimistic-concurrency conflict on a stream (retry after re-reading).</summary>
    public static bool IsConflict(Exception e) => e is ConcurrencyException or ExistingStreamIdCollisionException;

    /// <summary>
    /// True when <paramref name="e"/> is a failure of the event log worth retrying later (connection lost, server restart,
    /// timeout, conflict): nothing, or a complete append, was written; the caller reports "unavailable" or retries.
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is MartenException or Npgsql.NpgsqlException or TimeoutException
        || (e is InvalidOperationException && e.InnerException is Npgsql.NpgsqlException);
}
