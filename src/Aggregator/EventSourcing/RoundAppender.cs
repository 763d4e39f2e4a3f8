using Marten;
using SupplyOracle.Aggregator.Intake;

namespace SupplyOracle.Aggregator.EventSourcing;

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

    /// <summary>
    /// Appends <paramref name="events"/> to <paramref name="stream"/> unless an append with the same
    /// <paramref name="idempotencyKey"/> was committed before: the key is inserted as an <see cref="AppendKey"/> document
    /// in the transaction of the events, so of two appends with one key (a retry, a relayed copy, another replica) exactly
    /// one commits. Marten has no unique index on event ids; this is the idempotency the previous store's event id gave.
    /// Returns false when the key was already recorded (nothing appended).
    /// </summary>
    public static async Task<bool> AppendOnceAsync(IDocumentStore store, string stream, string idempotencyKey, IReadOnlyList<object> events,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentNullException.ThrowIfNull(events);
        var session = store.LightweightSession();
        await using var sessionScope = session.ConfigureAwait(false);
        session.Insert(new AppendKey { Id = idempotencyKey });
        session.Events.Append(stream, events.ToArray());
        try
        {
            await session.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (JasperFx.DocumentAlreadyExistsException)
        {
            return false;
        }
    }
}

/// <summary>The key of an append made at most once (<see cref="RoundAppender.AppendOnceAsync"/>), a Marten document.</summary>
public sealed class AppendKey
{
    /// <summary>The idempotency key.</summary>
    public string Id { get; set; } = "";
}
