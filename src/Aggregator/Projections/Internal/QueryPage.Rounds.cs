using System.Globalization;
using System.Numerics;
using SupplyOracle.Aggregator.Projections.Documents;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Projections.Internal;

/// <summary>Round lifecycle events: closed (with the per-token figures and reporter statistics), proposed, abandoned.</summary>
internal sealed partial class QueryPage
{
    private void Closed(Recorded recorded, RoundClosed closed, IReadOnlyList<Outcome> outcomes)
    {
        var round = Db(closed.Round);
        var tokens = RoundTokens(round);
        // The figures are taken once, at the first close, from the observations minus equivocators; the raw observations
        // (reporters x tokens) are not kept. A second close finds none left and changes no figure.
        if (!_observationsDeleted.Contains(round) && _observations.TryGetValue(round, out var pending))
        {
            DropObservations(round, [.. closed.Equivocators.Select(Key)]);
            Figures(round, tokens, pending);
            _observationsDeleted.Add(round);
            _observations.Remove(round);
        }

        foreach (var outcome in outcomes)
        {
            var entry = Entry(tokens, outcome.Token);
            entry.Outcome = outcome.Kind;
            entry.Reason = outcome.Reason;
            entry.Median = entry.FigureMedian;
            entry.InHistory = true;
            History(outcome.Token, round, entry);
            var known = _tokens.ContainsKey(outcome.Token);
            var token = Token(outcome.Token);
            if (!known || token.LastOutcomeRound is null || token.LastOutcomeRound <= round)
            {
                token.LastOutcome = outcome.Reason;
                token.LastOutcomeRound = round;
                Touch(token, recorded.Position);
            }
        }

        var doc = UpsertRound(round, recorded, "closed", r =>
        {
            r.ClosedAt ??= recorded.Created;
            r.StateBlock = Db(closed.StateBlock);
            r.BatchesUsed = closed.BatchesUsed;
        });
        if (doc.Phase == "observing")
        {
            SetPhase(doc, "closed");
        }

        Timeline(round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"state block {closed.StateBlock}, {closed.BatchesUsed} batches used, {closed.Equivocators.Count} equivocators, {outcomes.Count(o => o.Kind == "in-report")}/{outcomes.Count} tokens in the report"));
    }

    /// <summary>
    /// docs/protocol.md section 5 steps 3 and 4 over the round's accepted observations minus equivocators: median = the
    /// middle value, or floor((a + b) / 2) of the two middle values; c* = the circulating value reported most often, ties
    /// to the smaller value. Then per reporter: the distance of each factor from the token's median in bps of the median
    /// (floor), summed for the mean and the largest kept as the latest round's; circulating values other than c* are
    /// disagreements (step 3).
    /// </summary>
    private void Figures(long round, RoundTokensDocument tokens, RoundObservationsDocument pending)
    {
        // Per token, each reporter's first observation of it (a later batch of the same reporter adds only tokens it had
        // not observed yet).
        var byToken = new Dictionary<Address, List<(string Reporter, ulong Factor, BigInteger Circulating)>>();
        foreach (var (reporter, batches) in pending.Batches)
        {
            var seen = new HashSet<Address>();
            foreach (var batch in batches)
            {
                foreach (var o in Decoded(batch))
                {
                    if (!seen.Add(o.Token))
                    {
                        continue;
                    }

                    if (!byToken.TryGetValue(o.Token, out var list))
                    {
                        byToken[o.Token] = list = new(pending.Batches.Count);
                    }

                    list.Add((reporter, o.Factor.Raw, o.Circulating.Value));
                }
            }
        }

        var statistics = new Dictionary<string, (long Samples, BigInteger Sum, long Max, int Disagreements)>(StringComparer.Ordinal);
        var counts = new Dictionary<BigInteger, int>();
        foreach (var (token, observations) in byToken)
        {
            var entry = Entry(tokens, Key(token));
            BigInteger figureBase;
            if (entry.FigureMedian is null)
            {
                var factors = new ulong[observations.Count];
                counts.Clear();
                for (var i = 0; i < factors.Length; i++)
                {
                    factors[i] = observations[i].Factor;
                    counts[observations[i].Circulating] = counts.GetValueOrDefault(observations[i].Circulating) + 1;
                }

                Array.Sort(factors);
                var n = factors.Length;
                var (supplyBase, supplyBaseCount) = (BigInteger.Zero, 0);
                foreach (var (value, count) in counts)
                {
                    if (count > supplyBaseCount || (count == supplyBaseCount && value < supplyBase))
                    {
                        (supplyBase, supplyBaseCount) = (value, count);
                    }
                }

                entry.Observations = n;
                entry.FigureMedian = (ulong)(((UInt128)factors[(n - 1) / 2] + factors[n / 2]) / 2);
                entry.SupplyBase = supplyBase.ToString(CultureInfo.InvariantCulture);
                entry.SupplyBaseCount = supplyBaseCount;
                figureBase = supplyBase;
            }
            else
            {
                figureBase = BigInteger.Parse(entry.SupplyBase!, CultureInfo.InvariantCulture);
            }

            var figureMedian = entry.FigureMedian.Value;
            foreach (var (reporter, factor, circulating) in observations)
            {
                var gap = factor > figureMedian ? factor - figureMedian : figureMedian - factor;
                var distance = figureMedian == 0 ? 0 : checked((long)((UInt128)gap * 10_000 / figureMedian));
                var s = statistics.GetValueOrDefault(reporter);
                statistics[reporter] = (s.Samples + 1, s.Sum + distance, Math.Max(s.Max, distance), s.Disagreements + (circulating == figureBase ? 0 : 1));
            }
        }

        foreach (var (reporter, s) in statistics)
        {
            // Only reporters the log has seen (every observation came with an accepted batch, so all of them).
            if (!_reporters.TryGetValue(reporter, out var doc))
            {
                continue;
            }

            doc.MedianSamples += s.Samples;
            doc.MedianDistanceBpsSum = (BigInteger.Parse(doc.MedianDistanceBpsSum, CultureInfo.InvariantCulture) + s.Sum).ToString(CultureInfo.InvariantCulture);
            if (doc.LastMedianRound is null || round >= doc.LastMedianRound)
            {
                doc.LastMedianDistanceBps = s.Max;
            }

            doc.LastMedianRound = Max(doc.LastMedianRound, round);
            doc.Disagreements += s.Disagreements;
            doc.DisagreementRounds += s.Disagreements > 0 ? 1 : 0;
            Touch(doc);
        }
    }

    /// <summary>A batch's observations: decoded by this page when it accepted the batch, else from the stored document.</summary>
    private IReadOnlyList<TokenObservation> Decoded(string batch) =>
        _decoded.TryGetValue(batch, out var observations) ? observations : ObservationEncoding.Decode(Hex.Decode(batch));

    private void Proposed(Recorded recorded, RoundProposed proposed, IReadOnlyList<Update> updates)
    {
        var round = Db(proposed.Round);
        var tokens = RoundTokens(round);
        foreach (var update in updates)
        {
            var entry = Entry(tokens, update.Token);
            if (!entry.InHistory)
            {
                entry.Reason = update.Status switch { 0 => "Commit", 1 => "FrozenDivergence", _ => "FrozenSupply" };
                entry.Median = null;
                entry.InHistory = true;
            }

            entry.Outcome = "proposed";
            entry.Factor = update.Factor;
            entry.Circulating = update.Circulating;
            entry.Status = update.Status;
            History(update.Token, round, entry);
        }

        var doc = UpsertRound(round, recorded, "proposed", r =>
        {
            r.ProposedAt ??= recorded.Created;
            r.ProposalId = proposed.ProposalId;
            r.ReportDigest = proposed.ReportDigest;
            r.Updates = updates.Count;
            r.StateBlock = Db(proposed.StateBlock);
        });
        if (doc.Phase is "observing" or "closed")
        {
            SetPhase(doc, "proposed");
        }

        Timeline(round, recorded, string.Create(CultureInfo.InvariantCulture,
            $"proposal {proposed.ProposalId}: {updates.Count} updates, report {proposed.ReportDigest}"));
    }

    private void Abandoned(Recorded recorded, RoundAbandoned abandoned)
    {
        var round = Db(abandoned.Round);
        End(recorded, round, "abandoned", abandoned.Reason);
        Timeline(round, recorded, abandoned.Reason);
    }

    /// <summary>The round ends without this aggregator's commit: its in-report and proposed tokens' history says so.</summary>
    private void End(Recorded recorded, long round, string phase, string reason)
    {
        var doc = UpsertRound(round, recorded, phase, r =>
        {
            r.EndedAt ??= recorded.Created;
            r.EndReason = reason;
        });
        if (doc.Phase != "confirmed")
        {
            SetPhase(doc, phase);
        }

        if (_roundTokens.TryGetValue(round, out var tokens))
        {
            foreach (var (token, entry) in tokens.Tokens.Where(t => t.Value.InHistory && t.Value.Outcome is "in-report" or "proposed"))
            {
                entry.Outcome = phase;
                Touch(tokens);
                History(token, round, entry);
            }
        }
    }

    private static RoundTokenEntry Entry(RoundTokensDocument tokens, string token)
    {
        if (!tokens.Tokens.TryGetValue(token, out var entry))
        {
            tokens.Tokens[token] = entry = new RoundTokenEntry();
        }

        return entry;
    }
}
