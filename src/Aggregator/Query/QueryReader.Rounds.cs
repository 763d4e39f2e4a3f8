using Npgsql;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Query;

/// <summary>Rounds, reporters and changes.</summary>
public sealed partial class QueryReader
{
    private const string RoundColumns = """
        round, reference_block, reference_time, phase, batches, token_observations, equivocations, attestations, closed_at, state_block,
        batches_used, proposed_at, report_digest, updates, transmitted_at, sender, confirmed_at, tx_hash, commit_block, gas_used, replacements,
        ended_at, end_reason, first_seen_at
        """;

    /// <summary>Rounds strictly below <paramref name="beforeRound"/> (all when null), newest first, at most <paramref name="limit"/> (capped at <see cref="MaxRounds"/>).</summary>
    public Task<IReadOnlyList<RoundView>> ListRoundsAsync(ulong? beforeRound, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadListAsync("list rounds", $"SELECT {RoundColumns} FROM {{q}}.rounds WHERE round < $1 ORDER BY round DESC LIMIT $2", ReadRound,
            cancellationToken, beforeRound is { } before ? (long)Math.Min(before, long.MaxValue) : long.MaxValue, (long)Math.Min(limit, MaxRounds));
    }

    /// <summary>One round with its timeline, or null when the log has no event of it.</summary>
    public async Task<RoundDetail?> GetRoundAsync(ulong round, CancellationToken cancellationToken = default)
    {
        if (round > long.MaxValue)
        {
            return null;
        }

        var rows = await ReadListAsync("get round", $"SELECT {RoundColumns} FROM {{q}}.rounds WHERE round = $1", ReadRound, cancellationToken, (long)round)
            .ConfigureAwait(false);
        if (rows.Count == 0)
        {
            return null;
        }

        var timeline = await ReadListAsync("round timeline", "SELECT position, event_type, at, detail FROM {q}.round_timeline WHERE round = $1 ORDER BY position",
            r => new RoundTimelineEntry(r.GetInt64(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.IsDBNull(3) ? null : r.GetString(3)),
            cancellationToken, (long)round).ConfigureAwait(false);
        return new RoundDetail(rows[0], timeline);
    }

    /// <summary>Every reporter seen in the log, ascending, with its rejections by reason.</summary>
    public async Task<IReadOnlyList<ReporterView>> ListReportersAsync(CancellationToken cancellationToken = default)
    {
        var rows = await ReadListAsync("list reporters", """
            SELECT r.reporter, r.batches_accepted, r.token_observations, r.last_observed_round, r.attestations, r.last_attested_round,
                   CASE WHEN r.median_samples = 0 THEN NULL ELSE (r.median_distance_bps_sum / r.median_samples)::float8 END,
                   r.last_median_distance_bps, r.last_median_round, r.disagreement_rounds, r.disagreements, r.equivocations,
                   r.last_equivocation_round,
                   coalesce((SELECT array_agg(x.reason ORDER BY x.reason) FROM {q}.reporter_rejections x WHERE x.reporter = r.reporter), '{}'),
                   coalesce((SELECT array_agg(x.count ORDER BY x.reason) FROM {q}.reporter_rejections x WHERE x.reporter = r.reporter), '{}')
              FROM {q}.reporters r ORDER BY r.reporter
            """, r =>
            {
                var reasons = r.GetFieldValue<string[]>(13);
                var counts = r.GetFieldValue<int[]>(14);
                return new ReporterView(new Address(r.GetFieldValue<byte[]>(0)), r.GetInt32(1), r.GetInt64(2), UInt64OrNull(r, 3), r.GetInt32(4),
                    UInt64OrNull(r, 5), r.IsDBNull(6) ? null : r.GetDouble(6), r.IsDBNull(7) ? null : r.GetInt64(7), UInt64OrNull(r, 8), r.GetInt32(9),
                    r.GetInt32(10), r.GetInt32(11), UInt64OrNull(r, 12),
                    reasons.Zip(counts).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
            }, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// Tokens and rounds whose rows changed after log position <paramref name="afterPosition"/>, and the position to
    /// pass next time. The reads are bounded by the position read first: a row that moves past it meanwhile is returned
    /// by the next call, so no change is lost between the two statements.
    /// </summary>
    public async Task<QueryChanges> ChangesSinceAsync(long afterPosition, CancellationToken cancellationToken = default)
    {
        var upTo = await CurrentPositionAsync(cancellationToken).ConfigureAwait(false);
        if (upTo <= afterPosition)
        {
            return new QueryChanges(afterPosition, [], []);
        }

        var tokens = await ReadListAsync("changed tokens",
            $"SELECT {TokenColumns} FROM {{q}}.tokens WHERE updated_position > $1 AND updated_position <= $2 ORDER BY updated_position, token",
            ReadToken(), cancellationToken, afterPosition, upTo).ConfigureAwait(false);
        var rounds = await ReadListAsync("changed rounds",
            $"SELECT {RoundColumns} FROM {{q}}.rounds WHERE updated_position > $1 AND updated_position <= $2 ORDER BY updated_position",
            ReadRound, cancellationToken, afterPosition, upTo).ConfigureAwait(false);
        return new QueryChanges(upTo, tokens, rounds);
    }

    /// <summary>The highest log position the projection's rows reflect (0 when empty): where a new watcher starts.</summary>
    public async Task<long> CurrentPositionAsync(CancellationToken cancellationToken = default)
    {
        var rows = await ReadListAsync("position", """
            SELECT greatest(coalesce((SELECT max(updated_position) FROM {q}.tokens), 0), coalesce((SELECT max(updated_position) FROM {q}.rounds), 0))
            """, r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return rows[0];
    }

    private static RoundView ReadRound(NpgsqlDataReader r) => new(
        (ulong)r.GetInt64(0), UInt64OrNull(r, 1), UInt64OrNull(r, 2), r.GetString(3), r.GetInt32(4), r.GetInt32(5), r.GetInt32(6), r.GetInt32(7),
        TimeOrNull(r, 8), UInt64OrNull(r, 9), r.IsDBNull(10) ? null : r.GetInt32(10), TimeOrNull(r, 11), r.IsDBNull(12) ? null : r.GetString(12),
        r.IsDBNull(13) ? null : r.GetInt32(13), TimeOrNull(r, 14), r.IsDBNull(15) ? null : new Address(r.GetFieldValue<byte[]>(15)), TimeOrNull(r, 16),
        r.IsDBNull(17) ? null : r.GetString(17), UInt64OrNull(r, 18), UInt64OrNull(r, 19), r.IsDBNull(20) ? null : r.GetInt32(20), TimeOrNull(r, 21),
        r.IsDBNull(22) ? null : r.GetString(22), r.GetFieldValue<DateTimeOffset>(23));
}
