using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Projections.Documents;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Projections.Internal;

/// <summary>Intake events: accepted and rejected batches, equivocations; and the documents' shared helpers.</summary>
internal sealed partial class QueryPage
{
    private void Accepted(Recorded recorded, ObservationAccepted accepted, IReadOnlyList<TokenObservation> observations)
    {
        var round = Db(accepted.Round);
        var reporter = Key(accepted.Reporter);
        var doc = UpsertRound(round, recorded, "observing", r =>
        {
            r.Batches++;
            r.TokenObservations += observations.Count;
            r.ReferenceBlock ??= Db(accepted.ReferenceBlock);
            r.ReferenceTime ??= Db(accepted.ReferenceTime);
            if (!r.Observers.Contains(reporter))
            {
                r.Observers.Add(reporter);
            }
        });
        // Observations wait for the round's close (median, c*); one arriving after it counts for participation only.
        if (doc.ClosedAt is null)
        {
            var pending = Observations(round);
            if (!pending.Batches.TryGetValue(reporter, out var batches))
            {
                pending.Batches[reporter] = batches = [];
            }

            batches.Add(accepted.Observations);
            // The page decoded it already: the close (usually in the same page) reads it from here.
            _decoded[accepted.Observations] = observations;
            Touch(pending);
        }

        var participant = Reporter(reporter);
        participant.BatchesAccepted++;
        participant.TokenObservations += observations.Count;
        participant.LastObservedRound = Max(participant.LastObservedRound, round);
        Timeline(round, recorded, $"{accepted.Reporter}: {observations.Count} tokens, batch {accepted.Digest}");
    }

    /// <summary>
    /// Rejections are attributed to a reporter only when intake recovered the signer and it was registered (the
    /// <c>recoveredSigner</c> field): the claimed reporter field is unauthenticated, and an unknown signer is anyone.
    /// </summary>
    private void Rejected(ObservationRejected rejected)
    {
        if (Signer(rejected) is not { } signer)
        {
            return;
        }

        var reporter = Reporter(signer);
        reporter.Rejections[rejected.Reason] = reporter.Rejections.GetValueOrDefault(rejected.Reason) + 1;
    }

    /// <summary>docs/protocol.md section 5: both batches of an equivocating reporter are dropped from the round.</summary>
    private void Equivocation(Recorded recorded, EquivocationDetected equivocation)
    {
        var round = Db(equivocation.Round);
        var reporter = Key(equivocation.Reporter);
        DropObservations(round, [reporter]);
        var doc = UpsertRound(round, recorded, "observing", r => r.LastEquivocationPosition = Math.Max(r.LastEquivocationPosition ?? 0, recorded.Position));
        // Counted once per round, however many further batches the reporter signs for it.
        var added = !doc.Equivocators.Contains(reporter);
        if (added)
        {
            doc.Equivocators.Add(reporter);
        }

        var equivocator = Reporter(reporter);
        equivocator.Equivocations += added ? 1 : 0;
        equivocator.LastEquivocationRound = Max(equivocator.LastEquivocationRound, round);
        Timeline(round, recorded, $"{equivocation.Reporter}: batches {equivocation.FirstDigest} and {equivocation.Second.Digest}");
    }

    /// <summary>Unknown types: counted; on a round stream the event still appears on the timeline (type and time).</summary>
    private void Unknown(Recorded recorded)
    {
        _totals.IgnoredEvents[recorded.Type] = _totals.IgnoredEvents.GetValueOrDefault(recorded.Type) + 1;
        Touch(_totals);
        if (QueryProjection.RoundOf(recorded.StreamId) is { } round)
        {
            Timeline(round, recorded, null);
        }
    }

    /// <summary>Removes the observations of <paramref name="reporters"/> from the open round <paramref name="round"/>.</summary>
    private void DropObservations(long round, IReadOnlyCollection<string> reporters)
    {
        if (reporters.Count == 0 || _observationsDeleted.Contains(round) || !_observations.TryGetValue(round, out var pending))
        {
            return;
        }

        var removed = false;
        foreach (var reporter in reporters)
        {
            removed |= pending.Batches.Remove(reporter);
        }

        if (!removed)
        {
            return;
        }

        Touch(pending);
    }

    private RoundObservationsDocument Observations(long round)
    {
        if (!_observations.TryGetValue(round, out var doc))
        {
            _observations[round] = doc = new RoundObservationsDocument { Id = round };
        }

        _observationsDeleted.Remove(round);
        return doc;
    }

    /// <summary>
    /// The round's document, created at <paramref name="phase"/> with <paramref name="recorded"/> as its first sighting
    /// when the log had no event of it yet, then changed by <paramref name="update"/> (both cases) at this position.
    /// </summary>
    private RoundDocument UpsertRound(long round, Recorded recorded, string phase, Action<RoundDocument> update)
    {
        if (!_rounds.TryGetValue(round, out var doc))
        {
            _rounds[round] = doc = new RoundDocument { Id = round, Phase = phase, FirstSeenAt = recorded.Created };
            _totals.Phases[phase] = _totals.Phases.GetValueOrDefault(phase) + 1;
            Touch(_totals);
        }

        var attestations = doc.Attestations;
        update(doc);
        if (doc.Attestations != attestations)
        {
            _totals.Attestations += doc.Attestations - attestations;
            Touch(_totals);
        }

        Touch(doc, recorded.Position);
        return doc;
    }

    /// <summary>Moves a round to <paramref name="phase"/> (the totals follow).</summary>
    private void SetPhase(RoundDocument round, string phase)
    {
        if (round.Phase == phase)
        {
            return;
        }

        _totals.Phases[round.Phase] -= 1;
        _totals.Phases[phase] = _totals.Phases.GetValueOrDefault(phase) + 1;
        Touch(_totals);
        round.Phase = phase;
    }

    private ReporterDocument Reporter(string reporter)
    {
        if (!_reporters.TryGetValue(reporter, out var doc))
        {
            _reporters[reporter] = doc = new ReporterDocument { Id = reporter };
        }

        Touch(doc);
        return doc;
    }

    private TokenDocument Token(string token)
    {
        if (!_tokens.TryGetValue(token, out var doc))
        {
            _tokens[token] = doc = new TokenDocument { Id = token };
        }

        return doc;
    }

    private RoundTokensDocument RoundTokens(long round)
    {
        if (!_roundTokens.TryGetValue(round, out var doc))
        {
            _roundTokens[round] = doc = new RoundTokensDocument { Id = round };
        }

        Touch(doc);
        return doc;
    }

    /// <summary>A token's entry in its history (kept in step with its <see cref="RoundTokenEntry"/>), created when missing.</summary>
    private void History(string token, long round, RoundTokenEntry entry)
    {
        if (!_histories.TryGetValue(token, out var doc))
        {
            _histories[token] = doc = new TokenHistoryDocument { Id = token };
        }

        var index = doc.Entries.FindIndex(h => h.Round <= round);
        TokenHistoryItem item;
        if (index >= 0 && doc.Entries[index].Round == round)
        {
            item = doc.Entries[index];
        }
        else
        {
            item = new TokenHistoryItem { Round = round };
            doc.Entries.Insert(index < 0 ? doc.Entries.Count : index, item);
            if (doc.Entries.Count > TokenHistoryDocument.MaxEntries)
            {
                doc.Entries.RemoveAt(doc.Entries.Count - 1);
            }
        }

        item.Outcome = entry.Outcome ?? "";
        item.Reason = entry.Reason ?? "";
        item.Median = entry.Median;
        item.Factor = entry.Factor;
        item.Circulating = entry.Circulating;
        item.Status = entry.Status;
        Touch(doc);
    }

    private void Timeline(long round, Recorded recorded, string? detail)
    {
        if (!_timelines.TryGetValue(round, out var doc))
        {
            _timelines[round] = doc = new RoundTimelineDocument { Id = round };
        }

        // A position is on the timeline once (a replayed page changes nothing); entries stay in log order.
        var index = doc.Entries.FindLastIndex(t => t.Position <= recorded.Position);
        if (index >= 0 && doc.Entries[index].Position == recorded.Position)
        {
            return;
        }

        doc.Entries.Insert(index + 1, new TimelineEntry { Position = recorded.Position, Event = recorded.Type, At = recorded.Created, Detail = detail });
        Touch(doc);
    }

    private static long? Max(long? a, long b) => a is { } x && x > b ? x : b;
}
