using System.Globalization;
using System.Numerics;
using Marten;
using Npgsql;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Aggregator.Projections.Documents;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Query;

/// <summary>
/// Reads the query projection's documents (<see cref="QueryProjection"/>) through Marten. Each method is one read (a
/// list, a load or a batched query), so each answer is one consistent snapshot. Ages, stale flags and pauses are the
/// chain's, not the log's: <see cref="OracleChainView"/> adds them (<see cref="OracleChainStatus.Apply"/>).
/// </summary>
public sealed partial class QueryReader
{
    /// <summary>The most rounds one list returns.</summary>
    public const int MaxRounds = TokenHistoryDocument.MaxEntries;

    /// <summary>Rounds returned when the caller names no limit.</summary>
    public const int DefaultRounds = 50;

    private readonly IDocumentStore _store;

    /// <summary>Creates the reader.</summary>
    /// <param name="store">The aggregator's Marten store (the query documents are in its <c>Aggregator:Query:Schema</c>).</param>
    public QueryReader(IDocumentStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Every token the log has seen an outcome or a commit for, ascending.</summary>
    public Task<IReadOnlyList<TokenView>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<TokenView>>("list tokens", async session =>
        {
            var tokens = await session.Query<TokenDocument>().ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. tokens.OrderBy(t => t.Id, StringComparer.Ordinal).Select(ToView)];
        });

    /// <summary>One token, or null when the log has never mentioned it.</summary>
    public Task<TokenView?> GetTokenAsync(Address token, CancellationToken cancellationToken = default) =>
        ReadAsync("get token", async session =>
            await session.LoadAsync<TokenDocument>(Key(token), cancellationToken).ConfigureAwait(false) is { } doc ? ToView(doc) : null);

    /// <summary>A token's history, newest round first (at most <paramref name="limit"/> rounds), or null when the token is unknown.</summary>
    public async Task<IReadOnlyList<TokenHistoryEntry>?> GetTokenHistoryAsync(Address token, int limit = MaxRounds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await ReadAsync<IReadOnlyList<TokenHistoryEntry>?>("token history", async session =>
        {
            var batch = session.CreateBatchQuery();
            var known = batch.Load<TokenDocument>(Key(token));
            var history = batch.Load<TokenHistoryDocument>(Key(token));
            await batch.Execute(cancellationToken).ConfigureAwait(false);
            if (await known.ConfigureAwait(false) is null)
            {
                return null;
            }

            var entries = (await history.ConfigureAwait(false))?.Entries ?? [];
            return [.. entries.Take(Math.Min(limit, MaxRounds)).Select(h => new TokenHistoryEntry((ulong)h.Round, h.Outcome, h.Reason,
                h.Median is { } m ? new Wad(m) : null, h.Factor is { } f ? new Wad(f) : null, Amount(h.Circulating),
                h.Status is { } s ? (UpdateStatus)s : null))];
        }).ConfigureAwait(false);
    }

    private static TokenView ToView(TokenDocument t) => new(Address.Parse(t.Id), t.Factor is { } f ? new Wad(f) : null, Amount(t.Circulating),
        (ulong?)t.CommittedAt, t.Frozen, (ulong?)t.Round, t.LastStatus is { } s ? (UpdateStatus)s : null, t.LastOutcome, (ulong?)t.LastOutcomeRound);

    /// <summary>Runs one read in its own query session; an unreachable database is <see cref="QueryUnavailableException"/>.</summary>
    private async Task<T> ReadAsync<T>(string operation, Func<IQuerySession, Task<T>> read)
    {
        try
        {
            var session = _store.QuerySession();
            await using var sessionScope = session.ConfigureAwait(false);
            return await read(session).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException || e.InnerException is NpgsqlException)
        {
            throw new QueryUnavailableException(operation, e);
        }
    }

    private static string Key(Address address) => Hex.Encode(address.ToArray());

    private static TokenAmount? Amount(string? value) => value is null ? null : new TokenAmount(BigInteger.Parse(value, CultureInfo.InvariantCulture));
}
