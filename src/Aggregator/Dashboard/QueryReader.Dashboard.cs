using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Query;

/// <summary>Reads only the web dashboard needs (README "Dashboard"): series over rounds and the participation grid.</summary>
public sealed partial class QueryReader
{
    /// <summary>
    /// Every token's committed factor and circulating over the newest <paramref name="rounds"/> rounds the log knows,
    /// oldest first per token: the token history's rows whose report was confirmed (outcome <c>committed</c>).
    /// </summary>
    public async Task<IReadOnlyDictionary<Address, IReadOnlyList<CommittedPoint>>> CommittedSeriesAsync(int rounds, Address? token = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var rows = await ReadListAsync("committed series", """
            SELECT h.token, h.round, h.factor, h.circulating
              FROM {q}.tokens t CROSS JOIN LATERAL (
                   -- a range of token_history's primary key (token, round) per token
                   SELECT * FROM {q}.token_history h
                    WHERE h.token = t.token AND h.round > coalesce((SELECT max(round) FROM {q}.rounds), 0) - $1) h
             WHERE h.outcome = 'committed' AND h.factor IS NOT NULL AND ($2::bytea IS NULL OR t.token = $2)
             ORDER BY h.token, h.round
            """, r => (Token: new Address(r.GetFieldValue<byte[]>(0)), Point: new CommittedPoint((ulong)r.GetInt64(1), new Wad((ulong)r.GetInt64(2)),
                AmountOrNull(r, 3))),
            cancellationToken, (long)Math.Min(rounds, MaxRounds), token is { } t ? t.ToArray() : DBNull.Value).ConfigureAwait(false);
        return rows.GroupBy(r => r.Token).ToDictionary(g => g.Key, g => (IReadOnlyList<CommittedPoint>)[.. g.Select(r => r.Point)]);
    }

    /// <summary>
    /// Who took part in the newest <paramref name="rounds"/> rounds: each reporter's accepted batch (from the round's
    /// timeline: <c>observation-accepted.v1</c>, whose detail starts with the reporter), its attestation carried by the
    /// commit, and its equivocation (docs/protocol.md section 5).
    /// </summary>
    public async Task<IReadOnlyList<Participation>> ParticipationAsync(int rounds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        return await ReadListAsync("participation", """
            WITH recent AS (SELECT round FROM {q}.rounds ORDER BY round DESC LIMIT $1),
            observed AS (
                SELECT DISTINCT t.round, decode(substr(split_part(t.detail, ':', 1), 3), 'hex') AS reporter
                  FROM {q}.round_timeline t JOIN recent USING (round)
                 WHERE t.event_type = 'observation-accepted.v1' AND t.detail ~ '^0x[0-9a-fA-F]{40}:')
            SELECT round, reporter, bool_or(o), bool_or(a), bool_or(e) FROM (
                SELECT round, reporter, true AS o, false AS a, false AS e FROM observed
                UNION ALL SELECT x.round, x.reporter, false, true, false FROM {q}.round_attesters x JOIN recent USING (round)
                UNION ALL SELECT x.round, x.reporter, false, false, true FROM {q}.round_equivocators x JOIN recent USING (round)) p
             GROUP BY round, reporter
             ORDER BY round DESC, reporter
            """, r => new Participation((ulong)r.GetInt64(0), new Address(r.GetFieldValue<byte[]>(1)), r.GetBoolean(2), r.GetBoolean(3), r.GetBoolean(4)),
            cancellationToken, (long)Math.Min(rounds, MaxRounds)).ConfigureAwait(false);
    }

    /// <summary>The newest <paramref name="limit"/> events of the given types across all rounds (e.g. equivocations with their evidence), newest first.</summary>
    public async Task<IReadOnlyList<(ulong Round, RoundTimelineEntry Entry)>> RecentEventsAsync(string eventType, int limit,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await ReadListAsync("recent events", """
            SELECT round, position, event_type, at, detail FROM {q}.round_timeline WHERE event_type = $1 ORDER BY position DESC LIMIT $2
            """, r => ((ulong)r.GetInt64(0), new RoundTimelineEntry(r.GetInt64(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3),
                r.IsDBNull(4) ? null : r.GetString(4))),
            cancellationToken, eventType, (long)Math.Min(limit, MaxRounds)).ConfigureAwait(false);
    }
}

/// <summary>A token's committed figures in one round.</summary>
/// <param name="Round">The round whose report was confirmed.</param>
/// <param name="Factor">The committed factor.</param>
/// <param name="Circulating">The committed circulating supply (native units), when the report carried it.</param>
public sealed record CommittedPoint(ulong Round, Wad Factor, TokenAmount? Circulating);

/// <summary>One reporter's part in one round.</summary>
/// <param name="Round">The round.</param>
/// <param name="Reporter">The reporter.</param>
/// <param name="Observed">An observation batch of it was accepted.</param>
/// <param name="Attested">The transmitted commit carried its attestation.</param>
/// <param name="Equivocated">It signed two different batches for the round.</param>
public sealed record Participation(ulong Round, Address Reporter, bool Observed, bool Attested, bool Equivocated);
