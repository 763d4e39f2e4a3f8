using System.Globalization;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Contracts.Bindings.Primitives;
using Npgsql;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>Round lifecycle events: closed (with the per-token figures and reporter statistics), proposed, abandoned.</summary>
public sealed partial class QueryProjection
{
    private void Closed(NpgsqlBatch batch, RecordedEvent recorded, RoundClosed closed)
    {
        var round = Db(closed.Round);
        // A second close of the round finds no observations left (they are deleted below), so these change nothing.
        Add(batch, "DELETE FROM {q}.round_observations WHERE round = $1 AND reporter = ANY ($2::bytea[])", round,
            closed.Equivocators.Select(e => Address.Parse(e).ToArray()).ToArray());
        Add(batch, FiguresSql, round);
        Add(batch, ReporterStatisticsSql, round);
        // The figures and statistics are taken: the raw observations (reporters x tokens rows) are not kept.
        Add(batch, "DELETE FROM {q}.round_observations WHERE round = $1", round);

        var outcomes = closed.Outcomes.Select(o => ParseOutcome(recorded, o)).ToList();
        Add(batch, """
            INSERT INTO {q}.token_history (token, round, outcome, reason, median)
            SELECT t.token, $1, t.outcome, t.reason, f.median
              FROM unnest($2::bytea[], $3::text[], $4::text[]) AS t(token, outcome, reason)
              LEFT JOIN {q}.round_figures f ON f.round = $1 AND f.token = t.token
            ON CONFLICT (token, round) DO UPDATE SET outcome = EXCLUDED.outcome, reason = EXCLUDED.reason, median = EXCLUDED.median
            """, round, outcomes.Select(o => o.Token.ToArray()).ToArray(), outcomes.Select(o => o.Outcome).ToArray(),
            outcomes.Select(o => o.Reason).ToArray());
        Add(batch, """
            INSERT INTO {q}.tokens (token, last_outcome, last_outcome_round, updated_position)
            SELECT t.token, t.reason, $1, $4 FROM unnest($2::bytea[], $3::text[]) AS t(token, reason)
            ON CONFLICT (token) DO UPDATE SET last_outcome = EXCLUDED.last_outcome, last_outcome_round = EXCLUDED.last_outcome_round,
                updated_position = EXCLUDED.updated_position
             WHERE {q}.tokens.last_outcome_round IS NULL OR {q}.tokens.last_outcome_round <= EXCLUDED.last_outcome_round
            """, round, outcomes.Select(o => o.Token.ToArray()).ToArray(), outcomes.Select(o => o.Reason).ToArray(),
            recorded.Position);
        Add(batch, """
            INSERT INTO {q}.rounds (round, phase, first_seen_at, closed_at, state_block, batches_used, updated_position)
            VALUES ($1, 'closed', $2, $2, $3, $4, $5)
            ON CONFLICT (round) DO UPDATE SET
                phase = CASE WHEN {q}.rounds.phase = 'observing' THEN 'closed' ELSE {q}.rounds.phase END,
                closed_at = coalesce({q}.rounds.closed_at, $2), state_block = $3, batches_used = $4, updated_position = $5
            """, round, recorded.Created.UtcDateTime, Db(closed.StateBlock), closed.BatchesUsed, recorded.Position);
        Timeline(batch, round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"state block {closed.StateBlock}, {closed.BatchesUsed} batches used, {closed.Equivocators.Count} equivocators, {outcomes.Count(o => o.Outcome == "in-report")}/{outcomes.Count} tokens in the report"));
    }

    private void Proposed(NpgsqlBatch batch, RecordedEvent recorded, RoundProposed proposed)
    {
        var round = Db(proposed.Round);
        IReadOnlyList<Rules.Engine.ReportUpdate> updates;
        try
        {
            updates = UpdateEncoding.Decode(Hex.Decode(proposed.Updates));
        }
        catch (Exception e) when (e is MessageEncodingException or FormatException or ArgumentException)
        {
            throw new ProjectionEventException(Name, recorded.Position, recorded.Type, e);
        }

        var tokens = updates.Select(u => u.Token.ToArray()).ToArray();
        var circulating = updates.Select(u => u.Circulating.ToString(CultureInfo.InvariantCulture)).ToArray();
        var factors = updates.Select(u => checked((long)u.Factor.Raw)).ToArray();
        var statuses = updates.Select(u => (short)u.Status).ToArray();
        Add(batch, """
            INSERT INTO {q}.round_updates (round, token, circulating, factor, status)
            SELECT $1, t.token, t.circulating::numeric, t.factor, t.status
              FROM unnest($2::bytea[], $3::text[], $4::bigint[], $5::smallint[]) AS t(token, circulating, factor, status)
            ON CONFLICT (round, token) DO UPDATE SET circulating = EXCLUDED.circulating, factor = EXCLUDED.factor, status = EXCLUDED.status
            """, round, tokens, circulating, factors, statuses);
        Add(batch, """
            INSERT INTO {q}.token_history (token, round, outcome, reason, factor, circulating, status)
            SELECT t.token, $1, 'proposed', CASE t.status WHEN 0 THEN 'Commit' WHEN 1 THEN 'FrozenDivergence' ELSE 'FrozenSupply' END,
                   t.factor, t.circulating::numeric, t.status
              FROM unnest($2::bytea[], $3::text[], $4::bigint[], $5::smallint[]) AS t(token, circulating, factor, status)
            ON CONFLICT (token, round) DO UPDATE SET outcome = 'proposed', factor = EXCLUDED.factor, circulating = EXCLUDED.circulating,
                status = EXCLUDED.status
            """, round, tokens, circulating, factors, statuses);
        Add(batch, """
            INSERT INTO {q}.rounds (round, phase, first_seen_at, proposed_at, proposal_id, report_digest, updates, state_block, updated_position)
            VALUES ($1, 'proposed', $2, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (round) DO UPDATE SET
                phase = CASE WHEN {q}.rounds.phase IN ('observing', 'closed') THEN 'proposed' ELSE {q}.rounds.phase END,
                proposed_at = coalesce({q}.rounds.proposed_at, $2), proposal_id = $3, report_digest = $4, updates = $5,
                state_block = $6, updated_position = $7
            """, round, recorded.Created.UtcDateTime, proposed.ProposalId, proposed.ReportDigest, updates.Count,
            Db(proposed.StateBlock), recorded.Position);
        Timeline(batch, round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"proposal {proposed.ProposalId}: {updates.Count} updates, report {proposed.ReportDigest}"));
    }

    private void Abandoned(NpgsqlBatch batch, RecordedEvent recorded, RoundAbandoned abandoned)
    {
        var round = Db(abandoned.Round);
        End(batch, recorded, round, "abandoned", abandoned.Reason);
        Timeline(batch, round, recorded, abandoned.Reason);
    }

    /// <summary>The round ends without this aggregator's commit: its in-report tokens' history says so.</summary>
    private void End(NpgsqlBatch batch, RecordedEvent recorded, long round, string phase, string reason)
    {
        Add(batch, """
            INSERT INTO {q}.rounds (round, phase, first_seen_at, ended_at, end_reason, updated_position) VALUES ($1, $2, $3, $3, $4, $5)
            ON CONFLICT (round) DO UPDATE SET
                phase = CASE WHEN {q}.rounds.phase = 'confirmed' THEN 'confirmed' ELSE $2 END,
                ended_at = coalesce({q}.rounds.ended_at, $3), end_reason = $4, updated_position = $5
            """, round, phase, recorded.Created.UtcDateTime, reason, recorded.Position);
        Add(batch, "UPDATE {q}.token_history SET outcome = $2 WHERE round = $1 AND outcome IN ('in-report', 'proposed')",
            round, phase);
    }

    /// <summary>RoundClosed outcomes are <c>token:in-report|left-out:reason</c> (RoundCloser).</summary>
    private (Address Token, string Outcome, string Reason) ParseOutcome(RecordedEvent recorded, string outcome)
    {
        var parts = outcome.Split(':');
        if (parts.Length != 3 || !Address.TryParse(parts[0], out var token) || parts[1] is not ("in-report" or "left-out") || parts[2].Length == 0)
        {
            throw new ProjectionEventException(Name, recorded.Position, recorded.Type,
                new FormatException($"outcome '{outcome}' is not token:in-report|left-out:reason"));
        }

        return (token, parts[1], parts[2]);
    }

    // docs/protocol.md section 5 steps 3 and 4 over the round's accepted observations minus equivocators:
    // median = the middle value, or floor((a + b) / 2) of the two middle values (rows (n+1)/2 and (n+2)/2 of the sorted
    // factors: the same row when n is odd; div() is exact integer division, where avg() would round);
    // c* = the circulating value reported most often, ties to the smaller value.
    private const string FiguresSql = """
        INSERT INTO {q}.round_figures (round, token, observations, median, supply_base, supply_base_count)
        SELECT $1, m.token, m.n, m.median, c.circulating, c.cnt
          FROM (SELECT token, max(n)::int AS n, div(sum(factor::numeric), count(*))::bigint AS median
                  FROM (SELECT token, factor, row_number() OVER (PARTITION BY token ORDER BY factor) AS rn,
                               count(*) OVER (PARTITION BY token) AS n
                          FROM {q}.round_observations WHERE round = $1) v
                 WHERE rn IN ((n + 1) / 2, (n + 2) / 2)
                 GROUP BY token) m
          JOIN (SELECT DISTINCT ON (token) token, circulating, count(*)::int AS cnt
                  FROM {q}.round_observations WHERE round = $1
                 GROUP BY token, circulating
                 ORDER BY token, count(*) DESC, circulating ASC) c ON c.token = m.token
        ON CONFLICT (round, token) DO NOTHING
        """;

    // Per reporter: distance of each factor from the token's median in bps of the median (floor), summed for the mean
    // and the largest kept as the latest round's; circulating values other than c* are disagreements (section 5 step 3).
    private const string ReporterStatisticsSql = """
        WITH d AS (
            SELECT o.reporter,
                   count(*) AS samples,
                   sum(floor(abs(o.factor - f.median)::numeric * 10000 / f.median)) AS distance_sum,
                   max(floor(abs(o.factor - f.median)::numeric * 10000 / f.median))::bigint AS distance_max,
                   count(*) FILTER (WHERE o.circulating <> f.supply_base)::int AS disagreements
              FROM {q}.round_observations o
              JOIN {q}.round_figures f ON f.round = o.round AND f.token = o.token
             WHERE o.round = $1
             GROUP BY o.reporter)
        UPDATE {q}.reporters r SET
            median_samples = r.median_samples + d.samples,
            median_distance_bps_sum = r.median_distance_bps_sum + d.distance_sum,
            last_median_distance_bps = CASE WHEN r.last_median_round IS NULL OR $1 >= r.last_median_round THEN d.distance_max ELSE r.last_median_distance_bps END,
            last_median_round = greatest(r.last_median_round, $1),
            disagreements = r.disagreements + d.disagreements,
            disagreement_rounds = r.disagreement_rounds + (d.disagreements > 0)::int
          FROM d
         WHERE r.reporter = d.reporter
        """;
}
