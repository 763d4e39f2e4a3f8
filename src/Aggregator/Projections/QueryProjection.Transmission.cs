using System.Globalization;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.EventStore.Projections;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>Transmission events: intended (the attesting signers), confirmed (the token state moves), superseded.</summary>
public sealed partial class QueryProjection
{
    private async Task IntendedAsync(ProjectionContext context, RecordedEvent recorded, TransmissionIntended intended, CancellationToken cancellationToken)
    {
        var round = Db(intended.Round);
        await AttestedAsync(context, round, intended.Signers.Select(s => Address.Parse(s).ToArray()).ToArray(), cancellationToken).ConfigureAwait(false);
        await ExecAsync(context, """
            INSERT INTO {q}.rounds (round, phase, first_seen_at, transmitted_at, sender, updated_position) VALUES ($1, 'transmitted', $2, $2, $3, $4)
            ON CONFLICT (round) DO UPDATE SET
                phase = CASE WHEN {q}.rounds.phase IN ('observing', 'closed', 'proposed') THEN 'transmitted' ELSE {q}.rounds.phase END,
                transmitted_at = coalesce({q}.rounds.transmitted_at, $2), sender = $3, updated_position = $4
            """, cancellationToken, round, recorded.Created.UtcDateTime, Address.Parse(intended.Sender).ToArray(), recorded.Position).ConfigureAwait(false);
        await TimelineAsync(context, round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"sender {intended.Sender}, {intended.Signers.Count} attestations"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Attesters of a round, each counted once per round however often the round is (re)transmitted.</summary>
    private async Task AttestedAsync(ProjectionContext context, long round, byte[][] reporters, CancellationToken cancellationToken)
    {
        await ExecAsync(context, """
            WITH added AS (
                INSERT INTO {q}.round_attesters (round, reporter) SELECT $1, r FROM unnest($2::bytea[]) AS r
                ON CONFLICT DO NOTHING RETURNING reporter)
            INSERT INTO {q}.reporters (reporter, attestations, last_attested_round) SELECT reporter, 1, $1 FROM added
            ON CONFLICT (reporter) DO UPDATE SET attestations = {q}.reporters.attestations + 1,
                last_attested_round = greatest({q}.reporters.last_attested_round, EXCLUDED.last_attested_round)
            """, cancellationToken, round, reporters).ConfigureAwait(false);
        await ExecAsync(context, """
            UPDATE {q}.rounds SET attestations = (SELECT count(*) FROM {q}.round_attesters WHERE round = $1) WHERE round = $1
            """, cancellationToken, round).ConfigureAwait(false);
    }

    /// <summary>
    /// The commit is final: every update of the proposed report becomes the token's committed state (PROTOCOL.md
    /// section 6: Commit stores factor and circulating with committedAt = referenceTime; a Frozen entry carries the
    /// unchanged factor and marks the token frozen). A later round's state is never overwritten by an earlier one.
    /// </summary>
    private async Task ConfirmedAsync(ProjectionContext context, RecordedEvent recorded, RoundConfirmed confirmed, CancellationToken cancellationToken)
    {
        var round = Db(confirmed.Round);
        await ExecAsync(context, """
            INSERT INTO {q}.rounds (round, phase, first_seen_at, confirmed_at, tx_hash, commit_block, gas_used, replacements, updated_position)
            VALUES ($1, 'confirmed', $2, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (round) DO UPDATE SET phase = 'confirmed', confirmed_at = $2, tx_hash = $3, commit_block = $4, gas_used = $5,
                replacements = $6, ended_at = NULL, end_reason = NULL, updated_position = $7
            """, cancellationToken, round, recorded.Created.UtcDateTime, confirmed.TransactionHash, Db(confirmed.BlockNumber), Db(confirmed.GasUsed),
            confirmed.Replacements, recorded.Position).ConfigureAwait(false);
        await ExecAsync(context, """
            INSERT INTO {q}.tokens (token, factor, circulating, committed_at, frozen, round, last_status, updated_position)
            SELECT u.token, u.factor, u.circulating, CASE WHEN u.status = 0 THEN r.reference_time END, u.status <> 0, u.round, u.status, $2
              FROM {q}.round_updates u JOIN {q}.rounds r ON r.round = u.round
             WHERE u.round = $1
            ON CONFLICT (token) DO UPDATE SET
                factor = EXCLUDED.factor, circulating = EXCLUDED.circulating,
                committed_at = CASE WHEN EXCLUDED.last_status = 0 THEN EXCLUDED.committed_at ELSE {q}.tokens.committed_at END,
                frozen = EXCLUDED.frozen, round = EXCLUDED.round, last_status = EXCLUDED.last_status, updated_position = EXCLUDED.updated_position
             WHERE {q}.tokens.round IS NULL OR {q}.tokens.round <= EXCLUDED.round
            """, cancellationToken, round, recorded.Position).ConfigureAwait(false);
        await ExecAsync(context, """
            UPDATE {q}.token_history h SET outcome = CASE WHEN u.status = 0 THEN 'committed' ELSE 'frozen' END
              FROM {q}.round_updates u WHERE u.round = $1 AND h.round = $1 AND h.token = u.token
            """, cancellationToken, round).ConfigureAwait(false);
        await TimelineAsync(context, round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"tx {confirmed.TransactionHash} in block {confirmed.BlockNumber}, gas {confirmed.GasUsed}, {confirmed.Replacements} replacements"),
            cancellationToken).ConfigureAwait(false);
    }

    private async Task SupersededAsync(ProjectionContext context, RecordedEvent recorded, RoundSuperseded superseded, CancellationToken cancellationToken)
    {
        var round = Db(superseded.Round);
        var reason = string.Create(CultureInfo.InvariantCulture, $"the oracle's lastRound was already {superseded.LastRound}");
        await EndAsync(context, recorded, round, "superseded", reason, cancellationToken).ConfigureAwait(false);
        await TimelineAsync(context, round, recorded, reason, cancellationToken).ConfigureAwait(false);
    }
}
