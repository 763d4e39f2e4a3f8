using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Contracts.Bindings.Primitives;
using Npgsql;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>Intake events: accepted and rejected batches, equivocations.</summary>
public sealed partial class QueryProjection
{
    private void Accepted(NpgsqlBatch batch, RecordedEvent recorded, ObservationAccepted accepted)
    {
        var round = Db(accepted.Round);
        var reporter = Address.Parse(accepted.Reporter).ToArray();
        IReadOnlyList<TokenObservation> observations;
        try
        {
            observations = ObservationEncoding.Decode(Hex.Decode(accepted.Observations));
        }
        catch (Exception e) when (e is MessageEncodingException or FormatException or ArgumentException)
        {
            throw new ProjectionEventException(Name, recorded.Position, recorded.Type, e);
        }

        Add(batch, """
            INSERT INTO {q}.rounds (round, reference_block, reference_time, phase, batches, token_observations, first_seen_at, updated_position)
            VALUES ($1, $2, $3, 'observing', 1, $4, $5, $6)
            ON CONFLICT (round) DO UPDATE SET
                batches = {q}.rounds.batches + 1,
                token_observations = {q}.rounds.token_observations + $4,
                reference_block = coalesce({q}.rounds.reference_block, $2),
                reference_time = coalesce({q}.rounds.reference_time, $3),
                updated_position = $6
            """, round, Db(accepted.ReferenceBlock), Db(accepted.ReferenceTime), observations.Count,
            recorded.Created.UtcDateTime, recorded.Position);
        // Observations wait for the round's close (median, c*); one arriving after it counts for participation only.
        Add(batch, """
            INSERT INTO {q}.round_observations (round, reporter, token, circulating, factor)
            SELECT $1, $2, t.token, t.circulating::numeric, t.factor
              FROM unnest($3::bytea[], $4::text[], $5::bigint[]) AS t(token, circulating, factor)
             WHERE NOT EXISTS (SELECT 1 FROM {q}.rounds r WHERE r.round = $1 AND r.closed_at IS NOT NULL)
            ON CONFLICT (round, token, reporter) DO NOTHING
            """, round, reporter,
            observations.Select(o => o.Token.ToArray()).ToArray(),
            observations.Select(o => o.Circulating.ToString()).ToArray(),
            observations.Select(o => checked((long)o.Factor.Raw)).ToArray());
        Add(batch, """
            INSERT INTO {q}.reporters (reporter, batches_accepted, token_observations, last_observed_round) VALUES ($1, 1, $2, $3)
            ON CONFLICT (reporter) DO UPDATE SET
                batches_accepted = {q}.reporters.batches_accepted + 1,
                token_observations = {q}.reporters.token_observations + $2,
                last_observed_round = greatest({q}.reporters.last_observed_round, $3)
            """, reporter, (long)observations.Count, round);
        Timeline(batch, round, recorded, $"{accepted.Reporter}: {observations.Count} tokens, batch {accepted.Digest}");
    }

    /// <summary>
    /// Rejections are attributed to a reporter only when intake recovered the signer and it was registered (the
    /// <c>recoveredSigner</c> field): the claimed reporter field is unauthenticated, and an unknown signer is anyone.
    /// </summary>
    private void Rejected(NpgsqlBatch batch, ObservationRejected rejected)
    {
        if (rejected.RecoveredSigner is null || !Address.TryParse(rejected.RecoveredSigner, out var signer))
        {
            return;
        }

        Add(batch, """
            INSERT INTO {q}.reporter_rejections (reporter, reason, count) VALUES ($1, $2, 1)
            ON CONFLICT (reporter, reason) DO UPDATE SET count = {q}.reporter_rejections.count + 1
            """, signer.ToArray(), rejected.Reason);
        Add(batch, "INSERT INTO {q}.reporters (reporter) VALUES ($1) ON CONFLICT (reporter) DO NOTHING",
            signer.ToArray());
    }

    /// <summary>docs/protocol.md section 5: both batches of an equivocating reporter are dropped from the round.</summary>
    private void Equivocation(NpgsqlBatch batch, RecordedEvent recorded, EquivocationDetected equivocation)
    {
        var round = Db(equivocation.Round);
        var reporter = Address.Parse(equivocation.Reporter).ToArray();
        Add(batch, "DELETE FROM {q}.round_observations WHERE round = $1 AND reporter = $2", round, reporter);
        // Counted once per round, however many further batches the reporter signs for it.
        Add(batch, """
            WITH added AS (INSERT INTO {q}.round_equivocators (round, reporter) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1)
            INSERT INTO {q}.reporters (reporter, equivocations, last_equivocation_round) VALUES ($2, (SELECT count(*) FROM added), $1)
            ON CONFLICT (reporter) DO UPDATE SET
                equivocations = {q}.reporters.equivocations + EXCLUDED.equivocations,
                last_equivocation_round = greatest({q}.reporters.last_equivocation_round, EXCLUDED.last_equivocation_round)
            """, round, reporter);
        Add(batch, """
            INSERT INTO {q}.rounds (round, phase, equivocations, first_seen_at, updated_position)
            VALUES ($1, 'observing', (SELECT count(*) FROM {q}.round_equivocators WHERE round = $1), $2, $3)
            ON CONFLICT (round) DO UPDATE SET equivocations = EXCLUDED.equivocations, updated_position = $3
            """, round, recorded.Created.UtcDateTime, recorded.Position);
        Timeline(batch, round, recorded, $"{equivocation.Reporter}: batches {equivocation.FirstDigest} and {equivocation.Second.Digest}");
    }
}
