using System.Globalization;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using Npgsql;
using SupplyOracle.EventStore.Streams;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>Transmission events: intended (the attesting signers), confirmed (the token state moves), superseded.</summary>
public sealed partial class QueryProjection
{
    private void Intended(NpgsqlBatch batch, RecordedEvent recorded, TransmissionIntended intended)
    {
        var round = Db(intended.Round);
        Attested(batch, round, intended.Signers.Select(s => Address.Parse(s).ToArray()).ToArray());
        Add(batch, """
            INSERT INTO {q}.rounds (round, phase, first_seen_at, transmitted_at, sender, updated_position) VALUES ($1, 'transmitted', $2, $2, $3, $4)
            ON CONFLICT (round) DO UPDATE SET
                phase = CASE WHEN {q}.rounds.phase IN ('observing', 'closed', 'proposed') THEN 'transmitted' ELSE {q}.rounds.phase END,
                transmitted_at = coalesce({q}.rounds.transmitted_at, $2), sender = $3, updated_position = $4
            """, round, recorded.Created.UtcDateTime, Address.Parse(intended.Sender).ToArray(), recorded.Position);
        Timeline(batch, round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"sender {intended.Sender}, {intended.Signers.Count} attestations"));
    }

    /// <summary>Attesters of a round, each counted once per round however often the round is (re)transmitted.</summary>
    private void Attested(NpgsqlBatch batch, long round, byte[][] reporters)
    {
        Add(batch, """
            WITH added AS (
                INSERT INTO {q}.round_attesters (round, reporter) SELECT $1, r FROM unnest($2::bytea[]) AS r
                ON CONFLICT DO NOTHING RETURNING reporter)
            INSERT INTO {q}.reporters (reporter, attestations, last_attested_round) SELECT reporter, 1, $1 FROM added
            ON CONFLICT (reporter) DO UPDATE SET attestations = {q}.reporters.attestations + 1,
                last_attested_round = greatest({q}.reporters.last_attested_round, EXCLUDED.last_attested_round)
            """, round, reporters);
        Add(batch, """
            UPDATE {q}.rounds SET attestations = (SELECT count(*) FROM {q}.round_attesters WHERE round = $1) WHERE round = $1
            """, round);
    }

    /// <summary>
    /// The commit is final: every update of the proposed report becomes the token's committed state (docs/protocol.md
    /// section 6: Commit stores factor and circulating with committedAt = referenceTime; a Frozen entry carries the
    /// unchanged factor and marks the token frozen). A later round's state is never overwritten by an earlier one.
    /// </summary>
    private void Confirmed(NpgsqlBatch batch, RecordedEvent recorded, RoundConfirmed confirmed)
    {
        var round = Db(confirmed.Round);
        Add(batch, """
            INSERT INTO {q}.rounds (round, phase, first_seen_at, confirmed_at, tx_hash, commit_block, gas_used, replacements, updated_position)
            VALUES ($1, 'confirmed', $2, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (round) DO UPDATE SET phase = 'confirmed', confirmed_at = $2, tx_hash = $3, commit_block = $4, gas_used = $5,
                replacements = $6, ended_at = NULL, end_reason = NULL, updated_position = $7
            """, round, recorded.Created.UtcDateTime, confirmed.TransactionHash, Db(confirmed.BlockNumber), Db(confirmed.GasUsed),
            confirmed.Replacements, recorded.Position);
        Add(batch, """
            INSERT INTO {q}.tokens (token, factor, circulating, committed_at, frozen, round, last_status, updated_position)
            SELECT u.token, u.factor, u.circulating, CASE WHEN u.status = 0 THEN r.reference_time END, u.status <> 0, u.round, u.status, $2
              FROM {q}.round_updates u JOIN {q}.rounds r ON r.round = u.round
             WHERE u.round = $1
            ON CONFLICT (token) DO UPDATE SET
                factor = EXCLUDED.factor, circulating = EXCLUDED.circulating,
                committed_at = CASE WHEN EXCLUDED.last_status = 0 THEN EXCLUDED.committed_at ELSE {q}.tokens.committed_at END,
                frozen = EXCLUDED.frozen, round = EXCLUDED.round, last_status = EXCLUDED.last_status, updated_position = EXCLUDED.updated_position
             WHERE {q}.tokens.round IS NULL OR {q}.tokens.round <= EXCLUDED.round
            """, round, recorded.Position);
        Add(batch, """
            UPDATE {q}.token_history h SET outcome = CASE WHEN u.status = 0 THEN 'committed' ELSE 'frozen' END
              FROM {q}.round_updates u WHERE u.round = $1 AND h.round = $1 AND h.token = u.token
            """, round);
        Timeline(batch, round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"tx {confirmed.TransactionHash} in block {confirmed.BlockNumber}, gas {confirmed.GasUsed}, {confirmed.Replacements} replacements"));
    }

    private void Superseded(NpgsqlBatch batch, RecordedEvent recorded, RoundSuperseded superseded)
    {
        var round = Db(superseded.Round);
        var reason = string.Create(CultureInfo.InvariantCulture, $"the oracle's lastRound was already {superseded.LastRound}");
        End(batch, recorded, round, "superseded", reason);
        Timeline(batch, round, recorded, reason);
    }

    /// <summary>The round ends without a commit: the contract would revert, or a mined commit reverted (issue 9 "failed").</summary>
    private void Failed(NpgsqlBatch batch, RecordedEvent recorded, RoundFailed failed)
    {
        var round = Db(failed.Round);
        var reason = $"{failed.Stage}: {failed.Error ?? failed.Detail}";
        End(batch, recorded, round, "failed", reason);
        Timeline(batch, round, recorded, failed.TransactionHash is null ? reason : $"{reason} (tx {failed.TransactionHash})");
    }

    private void Replaced(NpgsqlBatch batch, RecordedEvent recorded, TransmissionReplaced replaced) =>
        Timeline(batch, Db(replaced.Round), recorded, string.Create(CultureInfo.InvariantCulture,
            $"nonce {replaced.Nonce}: tx {replaced.TransactionHash} replaces {replaced.Replaces}, max fee {replaced.MaxFeePerGas} wei"));

    private void Reorganised(NpgsqlBatch batch, RecordedEvent recorded, TransmissionReorganised reorganised) =>
        Timeline(batch, Db(reorganised.Round), recorded, string.Create(CultureInfo.InvariantCulture,
            $"tx {reorganised.TransactionHash} in block {reorganised.BlockNumber} was reorganised away"));
}
