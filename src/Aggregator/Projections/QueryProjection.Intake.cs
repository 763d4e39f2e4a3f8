using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>Intake events: accepted and rejected batches, equivocations.</summary>
public sealed partial class QueryProjection
{
    private async Task AcceptedAsync(ProjectionContext context, RecordedEvent recorded, ObservationAccepted accepted, CancellationToken cancellationToken)
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

        await ExecAsync(context, """
            INSERT INTO {q}.rounds (round, reference_block, reference_time, phase, batches, token_observations, first_seen_at, updated_position)
            VALUES ($1, $2, $3, 'observing', 1, $4, $5, $6)
            ON CONFLICT (round) DO UPDATE SET
                batches = {q}.rounds.batches + 1,
                token_observations = {q}.rounds.token_observations + $4,
                reference_block = coalesce({q}.rounds.reference_block, $2),
                reference_time = coalesce({q}.rounds.reference_time, $3),
                updated_position = $6
            """, cancellationToken, round, Db(accepted.ReferenceBlock), Db(accepted.ReferenceTime), observations.Count,
            recorded.Created.UtcDateTime, recorded.Position).ConfigureAwait(false);
        await ExecAsync(context, """
            INSERT INTO {q}.round_observations (round, reporter, token, circulating, factor)
            SELECT $1, $2, t.token, t.circulating::numeric, t.factor
              FROM unnest($3::bytea[], $4::text[], $5::bigint[]) AS t(token, circulating, factor)
            ON CONFLICT (round, token, reporter) DO NOTHING
            """, cancellationToken, round, reporter,
            observations.Select(o => o.Token.ToArray()).ToArray(),
            observations.Select(o => o.Circulating.ToString()).ToArray(),
            observations.Select(o => checked((long)o.Factor.Raw)).ToArray()).ConfigureAwait(false);
        await ExecAsync(context, """
            INSERT INTO {q}.reporters (reporter, batches_accepted, token_observations, last_observed_round) VALUES ($1, 1, $2, $3)
            ON CONFLICT (reporter) DO UPDATE SET
                batches_accepted = {q}.reporters.batches_accepted + 1,
                token_observations = {q}.reporters.token_observations + $2,
                last_observed_round = greatest({q}.reporters.last_observed_round, $3)
            """, cancellationToken, reporter, (long)observations.Count, round).ConfigureAwait(false);
        await TimelineAsync(context, round, recorded, $"{accepted.Reporter}: {observations.Count} tokens, batch {accepted.Digest}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Rejections are attributed to a reporter only when intake recovered the signer and it was registered (the
    /// <c>recoveredSigner</c> field): the claimed reporter field is unauthenticated, and an unknown signer is anyone.
    /// </summary>
    private async Task RejectedAsync(ProjectionContext context, ObservationRejected rejected, CancellationToken cancellationToken)
    {
        if (rejected.RecoveredSigner is null || !Address.TryParse(rejected.RecoveredSigner, out var signer))
        {
            return;
        }

        await ExecAsync(context, """
            INSERT INTO {q}.reporter_rejections (reporter, reason, count) VALUES ($1, $2, 1)
            ON CONFLICT (reporter, reason) DO UPDATE SET count = {q}.reporter_rejections.count + 1
            """, cancellationToken, signer.ToArray(), rejected.Reason).ConfigureAwait(false);
        await ExecAsync(context, "INSERT INTO {q}.reporters (reporter) VALUES ($1) ON CONFLICT (reporter) DO NOTHING",
            cancellationToken, signer.ToArray()).ConfigureAwait(false);
    }

    /// <summary>PROTOCOL.md section 5: both batches of an equivocating reporter are dropped from the round.</summary>
    private async Task EquivocationAsync(ProjectionContext context, RecordedEvent recorded, EquivocationDetected equivocation, CancellationToken cancellationToken)
    {
        var round = Db(equivocation.Round);
        var reporter = Address.Parse(equivocation.Reporter).ToArray();
        await ExecAsync(context, "DELETE FROM {q}.round_observations WHERE round = $1 AND reporter = $2", cancellationToken, round, reporter).ConfigureAwait(false);
        // Counted once per round, however many further batches the reporter signs for it.
        var first = await ExecAsync(context, "INSERT INTO {q}.round_equivocators (round, reporter) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            cancellationToken, round, reporter).ConfigureAwait(false);
        await ExecAsync(context, """
            INSERT INTO {q}.reporters (reporter, equivocations, last_equivocation_round) VALUES ($1, $2, $3)
            ON CONFLICT (reporter) DO UPDATE SET
                equivocations = {q}.reporters.equivocations + $2,
                last_equivocation_round = greatest({q}.reporters.last_equivocation_round, $3)
            """, cancellationToken, reporter, first, round).ConfigureAwait(false);
        await ExecAsync(context, """
            INSERT INTO {q}.rounds (round, phase, equivocations, first_seen_at, updated_position) VALUES ($1, 'observing', $2, $3, $4)
            ON CONFLICT (round) DO UPDATE SET equivocations = {q}.rounds.equivocations + $2, updated_position = $4
            """, cancellationToken, round, first, recorded.Created.UtcDateTime, recorded.Position).ConfigureAwait(false);
        await TimelineAsync(context, round, recorded, $"{equivocation.Reporter}: batches {equivocation.FirstDigest} and {equivocation.Second.Digest}", cancellationToken).ConfigureAwait(false);
    }
}
