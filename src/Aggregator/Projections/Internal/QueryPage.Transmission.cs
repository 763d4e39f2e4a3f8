using System.Globalization;
using SupplyOracle.Aggregator.Transmission;

namespace SupplyOracle.Aggregator.Projections.Internal;

/// <summary>Transmission events: intended (the attesting signers), confirmed (the token state moves), superseded.</summary>
internal sealed partial class QueryPage
{
    private void Intended(Recorded recorded, TransmissionIntended intended)
    {
        var round = Db(intended.Round);
        // Attesters of a round, each counted once per round however often the round is (re)transmitted; the round's count
        // is set when the round is already known (a transmission is never a round's first event in practice).
        var existed = _rounds.TryGetValue(round, out var before);
        var attesters = before?.Attesters ?? [];
        foreach (var signer in intended.Signers.Select(Key).Distinct(StringComparer.Ordinal))
        {
            if (attesters.Contains(signer))
            {
                continue;
            }

            attesters.Add(signer);
            var reporter = Reporter(signer);
            reporter.Attestations++;
            reporter.LastAttestedRound = Max(reporter.LastAttestedRound, round);
        }

        var doc = UpsertRound(round, recorded, "transmitted", r =>
        {
            r.Attesters = attesters;
            if (existed)
            {
                r.Attestations = attesters.Count;
            }

            r.TransmittedAt ??= recorded.Created;
            r.Sender = Key(intended.Sender);
        });
        if (doc.Phase is "observing" or "closed" or "proposed")
        {
            SetPhase(doc, "transmitted");
        }

        Timeline(round, recorded, string.Create(CultureInfo.InvariantCulture, $"sender {intended.Sender}, {intended.Signers.Count} attestations"));
    }

    /// <summary>
    /// The commit is final: every update of the proposed report becomes the token's committed state (docs/protocol.md
    /// section 6: Commit stores factor and circulating with committedAt = referenceTime; a Frozen entry carries the
    /// unchanged factor and marks the token frozen). A later round's state is never overwritten by an earlier one.
    /// </summary>
    private void Confirmed(Recorded recorded, RoundConfirmed confirmed)
    {
        var round = Db(confirmed.Round);
        var doc = UpsertRound(round, recorded, "confirmed", r =>
        {
            r.ConfirmedAt = recorded.Created;
            r.TransactionHash = confirmed.TransactionHash;
            r.CommitBlock = Db(confirmed.BlockNumber);
            r.GasUsed = Db(confirmed.GasUsed);
            r.Replacements = confirmed.Replacements;
            r.EndedAt = null;
            r.EndReason = null;
        });
        SetPhase(doc, "confirmed");
        _totals.LastConfirmedRound = Math.Max(_totals.LastConfirmedRound, round);
        Touch(_totals);
        if (_roundTokens.TryGetValue(round, out var tokens))
        {
            foreach (var (key, entry) in tokens.Tokens.Where(t => t.Value.Status is not null))
            {
                var committed = entry.Status == 0;
                var known = _tokens.ContainsKey(key);
                var token = Token(key);
                if (!known || token.Round is null || token.Round <= round)
                {
                    token.Factor = entry.Factor;
                    token.Circulating = entry.Circulating;
                    token.CommittedAt = committed ? doc.ReferenceTime : known ? token.CommittedAt : null;
                    token.Frozen = !committed;
                    token.Round = round;
                    token.LastStatus = entry.Status;
                    Touch(token, recorded.Position);
                }

                if (entry.InHistory)
                {
                    entry.Outcome = committed ? "committed" : "frozen";
                    Touch(tokens);
                    History(key, round, entry);
                }
            }
        }

        Timeline(round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"tx {confirmed.TransactionHash} in block {confirmed.BlockNumber}, gas {confirmed.GasUsed}, {confirmed.Replacements} replacements"));
    }

    private void Superseded(Recorded recorded, RoundSuperseded superseded)
    {
        var round = Db(superseded.Round);
        var reason = string.Create(CultureInfo.InvariantCulture, $"the oracle's lastRound was already {superseded.LastRound}");
        End(recorded, round, "superseded", reason);
        Timeline(round, recorded, reason);
    }

    /// <summary>The round ends without a commit: the contract would revert, or a mined commit reverted (issue 9 "failed").</summary>
    private void Failed(Recorded recorded, RoundFailed failed)
    {
        var round = Db(failed.Round);
        var reason = $"{failed.Stage}: {failed.Error ?? failed.Detail}";
        End(recorded, round, "failed", reason);
        Timeline(round, recorded, failed.TransactionHash is null ? reason : $"{reason} (tx {failed.TransactionHash})");
    }

    private void Replaced(Recorded recorded, TransmissionReplaced replaced) =>
        Timeline(Db(replaced.Round), recorded, string.Create(CultureInfo.InvariantCulture,
            $"nonce {replaced.Nonce}: tx {replaced.TransactionHash} replaces {replaced.Replaces}, max fee {replaced.MaxFeePerGas} wei"));

    private void Reorganised(Recorded recorded, TransmissionReorganised reorganised) =>
        Timeline(Db(reorganised.Round), recorded, string.Create(CultureInfo.InvariantCulture,
            $"tx {reorganised.TransactionHash} in block {reorganised.BlockNumber} was reorganised away"));
}
