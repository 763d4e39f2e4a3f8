using System.Numerics;
using Npgsql;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Query;

/// <summary>
/// Reads the query projection (<see cref="QueryProjection"/>'s tables). Each method is one statement, so each answer is
/// one consistent snapshot. Ages, stale flags and pauses are the chain's, not the log's: <see cref="OracleChainView"/>
/// adds them (<see cref="OracleChainStatus.Apply"/>).
/// </summary>
public sealed partial class QueryReader
{
    /// <summary>The most rounds one list returns.</summary>
    public const int MaxRounds = 1_000;

    /// <summary>Rounds returned when the caller names no limit.</summary>
    public const int DefaultRounds = 50;

    private readonly NpgsqlDataSource _dataSource;
    private readonly QuerySchema _schema;

    /// <summary>Creates the reader.</summary>
    /// <param name="dataSource">The database holding the projection.</param>
    /// <param name="schema">The projection's schema.</param>
    public QueryReader(NpgsqlDataSource dataSource, QuerySchema schema)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(schema);
        _dataSource = dataSource;
        _schema = schema;
    }

    private const string TokenColumns = "token, factor, circulating, committed_at, frozen, round, last_status, last_outcome, last_outcome_round";

    /// <summary>Every token the log has seen an outcome or a commit for, ascending.</summary>
    public Task<IReadOnlyList<TokenView>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        ReadListAsync("list tokens", $"SELECT {TokenColumns} FROM {{q}}.tokens ORDER BY token", ReadToken(), cancellationToken);

    /// <summary>One token, or null when the log has never mentioned it.</summary>
    public async Task<TokenView?> GetTokenAsync(Address token, CancellationToken cancellationToken = default)
    {
        var rows = await ReadListAsync("get token", $"SELECT {TokenColumns} FROM {{q}}.tokens WHERE token = $1", ReadToken(), cancellationToken,
            token.ToArray()).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>A token's history, newest round first (at most <paramref name="limit"/> rounds), or null when the token is unknown.</summary>
    public async Task<IReadOnlyList<TokenHistoryEntry>?> GetTokenHistoryAsync(Address token, int limit = MaxRounds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var rows = await ReadListAsync("token history", """
            SELECT h.round, h.outcome, h.reason, h.median, h.factor, h.circulating, h.status
              FROM {q}.tokens t LEFT JOIN LATERAL (
                   SELECT * FROM {q}.token_history h WHERE h.token = t.token ORDER BY h.round DESC LIMIT $2) h ON true
             WHERE t.token = $1
             ORDER BY h.round DESC
            """, r => r.IsDBNull(0) ? null : new TokenHistoryEntry(
                (ulong)r.GetInt64(0), r.GetString(1), r.GetString(2), WadOrNull(r, 3), WadOrNull(r, 4), AmountOrNull(r, 5),
                r.IsDBNull(6) ? null : (UpdateStatus)r.GetInt16(6)),
            cancellationToken, token.ToArray(), Math.Min(limit, MaxRounds)).ConfigureAwait(false);
        // The LATERAL join yields one all-null row for a known token without history, and no row for an unknown token.
        return rows.Count == 0 ? null : [.. rows.OfType<TokenHistoryEntry>()];
    }

    private static Func<NpgsqlDataReader, TokenView> ReadToken() => r => new TokenView(new Address(r.GetFieldValue<byte[]>(0)), WadOrNull(r, 1),
        AmountOrNull(r, 2), UInt64OrNull(r, 3), r.GetBoolean(4), UInt64OrNull(r, 5), r.IsDBNull(6) ? null : (UpdateStatus)r.GetInt16(6),
        r.IsDBNull(7) ? null : r.GetString(7), UInt64OrNull(r, 8));

    private async Task<IReadOnlyList<T>> ReadListAsync<T>(string operation, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken,
        params object[] parameters)
    {
        try
        {
            using var command = _dataSource.CreateCommand(_schema.Sql(sql));
            foreach (var parameter in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = parameter });
            }

            using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(read(reader));
            }

            return rows;
        }
        catch (NpgsqlException e)
        {
            throw new QueryUnavailableException(operation, e);
        }
    }

    private static Wad? WadOrNull(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : new Wad((ulong)r.GetInt64(i));

    private static TokenAmount? AmountOrNull(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : new TokenAmount(r.GetFieldValue<BigInteger>(i));

    private static ulong? UInt64OrNull(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : (ulong)r.GetInt64(i);

    private static DateTimeOffset? TimeOrNull(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
