using System.Globalization;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Rounds.Internal;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.State;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Rounds;

public sealed partial class RoundCoordinator
{
    private async Task StepAsync(RoundState state, OracleSnapshot snapshot, ulong oldestLive, CancellationToken cancellationToken)
    {
        var round = state.Round;
        if (snapshot.LastRound >= round)
        {
            if (state.Step == RoundStep.Transmitting)
            {
                // Our own commit may be what moved lastRound (mined while this process was down: the chaos run's kill
                // between broadcast and mining, issue 24): the transmitter tells confirmed from superseded by the
                // receipts of its recorded versions. Only the lease holder writes that decision; a follower leaves it.
                await SettleAsync(state, cancellationToken).ConfigureAwait(false);
                return;
            }

            // The contract takes only rounds above lastRound (section 6): this one can never be committed any more.
            await AppendDecisionAsync(state, new RoundSuperseded(round, snapshot.LastRound), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (round < oldestLive)
        {
            var referenceBlock = new RoundId(round).ReferenceBlock(snapshot.Parameters.RoundBlocks);
            await AbandonAsync(state, string.Create(CultureInfo.InvariantCulture,
                $"too old: a commit now would be more than maxReportAgeBlocks ({snapshot.Parameters.MaxReportAgeBlocks}) blocks after B_r = {referenceBlock} (docs/protocol.md section 6)"),
                cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (state.Step)
        {
            case RoundStep.New:
                // docs/protocol.md section 3: reporters report r once their head reaches B_r + confirmations. The close
                // window starts when this aggregator first sees that head (when it could first hear batches), so a chain
                // stalled at B_r does not eat the window (issue 24 item 3).
                var referenceBlock = new RoundId(round).ReferenceBlock(snapshot.Parameters.RoundBlocks);
                if (snapshot.BlockNumber >= referenceBlock + _options.ReporterConfirmations)
                {
                    await OpenAsync(state, snapshot, cancellationToken).ConfigureAwait(false);
                }

                break;
            case RoundStep.Opened:
                var heardAll = snapshot.Reporters.Addresses.All(state.Heard.Contains);
                var now = _time.GetUtcNow();
                // After a (re)start, reporters need a moment to reconnect and resend what the outage cost them: a round
                // is closed without every reporter heard only once its deadline and the reconnect grace have both passed
                // (issue 24 item 2). Rounds past maxReportAgeBlocks never get here (abandoned as too old above), so the
                // grace applies only to rounds still committable. Design: the grace only delays this process's decision;
                // the decision itself stays one append at the stream's expected version (RoundCloser), taken once, so two
                // replicas never both decide. Reopening a round closed below quorum was not chosen: it would need a
                // second decision on a decided stream.
                // The grace ends early once every registered reporter has had a Connect stream open for a whole poll (it
                // had the chance to resend): waiting longer would only let a later round overtake this one.
                var graceOver = now >= _listeningSince + _options.ReconnectGrace
                    || (_allConnectedSince is { } connected && now >= connected + _options.PollInterval);
                if (heardAll || (now >= Deadline(state.Opened!) && graceOver))
                {
                    await CloseAsync(round, cancellationToken).ConfigureAwait(false);
                }

                break;
            case RoundStep.Proposed:
            case RoundStep.Transmitting:
                await AttestedAsync(state, snapshot, cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    private async Task OpenAsync(RoundState state, OracleSnapshot snapshot, CancellationToken cancellationToken)
    {
        var round = state.Round;
        var referenceBlock = new RoundId(round).ReferenceBlock(snapshot.Parameters.RoundBlocks);
        var closeBy = _time.GetUtcNow() + _options.CloseAfter;
        // The deadline is stored to the millisecond (whole seconds would shorten the window by up to a second); the
        // whole-second field is rounded up for readers of the older form.
        var closeByMilliseconds = closeBy.ToUnixTimeMilliseconds();
        var opened = new RoundOpened(round, referenceBlock, snapshot.BlockNumber, (closeByMilliseconds + 999) / 1000, snapshot.Reporters.Count)
        {
            CloseByMilliseconds = closeByMilliseconds,
        };
        // One opening per round, whoever writes it first (a replica, or this process before a crash): it is appended at the
        // version the fold read, so a second opener (or a batch appended meanwhile) makes this one retry at the next poll.
        try
        {
            await RoundAppender.AppendAtAsync(_store, round, state.Version, [opened], cancellationToken).ConfigureAwait(false);
            Log.Opened(_logger, round, referenceBlock, closeBy);
        }
        catch (Exception e) when (EventConflicts.IsConflict(e))
        {
            Log.Conflict(_logger, round);
        }
    }

    // Events recorded before the deadline had milliseconds hold whole seconds only.
    private static DateTimeOffset Deadline(RoundOpened opened) => opened.CloseByMilliseconds is { } milliseconds
        ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
        : DateTimeOffset.FromUnixTimeSeconds(opened.CloseBy);

    private async Task CloseAsync(ulong round, CancellationToken cancellationToken)
    {
        RoundCloseResult result;
        using var activity = AggregatorTelemetry.Source.StartActivity("round.close");
        activity?.SetTag("supplyoracle.round", round);
        try
        {
            result = await _closer.CloseAsync(round, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (EventConflicts.IsConflict(e))
        {
            Log.Conflict(_logger, round);
            return;
        }

        if (result.Proposal is not null)
        {
            Publish(result);
        }
    }

    private OpenProposal Publish(RoundCloseResult result)
    {
        var open = new OpenProposal(result.Proposal!, result.Report!, result.ReportDigest!.Value, result.Reporters!, _time.GetUtcNow());
        _hub.Publish(open);
        Log.Proposed(_logger, open.Round, open.Message.ProposalId, open.ReportDigest.ToString(), _hub.Streams);
        return open;
    }

    private async Task AttestedAsync(RoundState state, OracleSnapshot snapshot, CancellationToken cancellationToken)
    {
        var round = state.Round;
        if (!_hub.TryGet(round, out var open))
        {
            // After a restart (or on a replica that did not close the round) the recorded proposal is rebuilt and pushed again.
            var rebuilt = await _closer.CloseAsync(round, cancellationToken).ConfigureAwait(false);
            if (rebuilt.Proposal is null)
            {
                return;
            }

            open = Publish(rebuilt);
        }

        // The contract counts only signatures of currently registered reporters and skips the others (section 6): leaving
        // out the ones this snapshot no longer lists saves their ecrecover, and the quorum below counts what the contract
        // will count. A reporter removed after this snapshot is skipped on chain without sinking the commit.
        var attestations = state.Attestations
            .Where(a => snapshot.Reporters.Contains(Address.Parse(a.Reporter)))
            .Select(a => new SignedAttestation(new RoundId(round), Hash32.Parse(a.ReportDigest), Address.Parse(a.Reporter), Signature.Parse(a.Signature)))
            .ToList();
        var minReporters = snapshot.Parameters.MinReporters;
        if (attestations.Count < minReporters)
        {
            // The attestation window runs from this process's push: after a restart the reporters get the proposal only now.
            var windowStart = open.PushedAt > state.ProposedAt!.Value ? open.PushedAt : state.ProposedAt!.Value;
            if (state.Step == RoundStep.Proposed && _time.GetUtcNow() >= windowStart + _options.AttestationTimeout)
            {
                var refusals = state.Refusals.Count == 0 ? "" : $"; refusals: {string.Join("; ", state.Refusals.Distinct())}";
                await AbandonAsync(state, string.Create(CultureInfo.InvariantCulture,
                    $"no quorum: {attestations.Count} of {minReporters} attestations within {_options.AttestationTimeout.TotalSeconds}s of the proposal being pushed (docs/protocol.md section 6){refusals}"),
                    cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var lease = _leadership?.Current;
        if (_leadership is not null && lease is null)
        {
            return; // another replica holds the transmitter lease
        }

        await TransmitAsync(state, open, attestations, minReporters, lease, cancellationToken).ConfigureAwait(false);
    }

    private async Task TransmitAsync(RoundState state, OpenProposal open, List<SignedAttestation> attestations, int minReporters,
        TransmitterLease? lease, CancellationToken cancellationToken)
    {
        var round = state.Round;
        Log.Transmitting(_logger, round, attestations.Count);
        using var activity = AggregatorTelemetry.Source.StartActivity("round.transmit");
        activity?.SetTag("supplyoracle.round", round);
        try
        {
            var outcome = await _transmitter.TransmitAsync(open.Report, attestations, minReporters, cancellationToken, lease).ConfigureAwait(false);
            Log.Transmitted(_logger, round, outcome.ToString());
            RoundTelemetry.Outcome(outcome switch
            {
                TransmissionOutcome.Confirmed => "confirmed",
                TransmissionOutcome.Superseded => "superseded",
                _ => "abandoned", // round-failed.v1 recorded by the transmitter, with the reason
            });
            if (outcome == TransmissionOutcome.Confirmed && state.OpenedAt is { } openedAt)
            {
                RoundTelemetry.TimeToCommit.Record((_time.GetUtcNow() - openedAt).TotalSeconds);
            }
        }
        catch (NotLeaderException)
        {
            // lost the lease between the check and the send: the new leader resumes from the log
        }
        catch (OperationCanceledException) when (lease is { IsHeld: false } && !cancellationToken.IsCancellationRequested)
        {
            // lost the lease while sending
        }
        catch (TransactionRevertedException e)
        {
            await AbandonAsync(state, $"the commit reverted: {e.Message}", cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException e) when (e.RevertData is not null)
        {
            // The node's gas estimation ran the commit and the contract refused it (old round, reorganised B_r, paused).
            await AbandonAsync(state, $"the contract refuses the commit: {e.Message} (revert data {Hex.Encode(e.RevertData)})", cancellationToken).ConfigureAwait(false);
        }
        catch (CommitBuildException e)
        {
            await AbandonAsync(state, $"the commit cannot be built ({e.Error}): {e.Message}", cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SettleAsync(RoundState state, CancellationToken cancellationToken)
    {
        var lease = _leadership?.Current;
        if (_leadership is not null && lease is null)
        {
            return; // another replica holds the transmitter lease and settles the round
        }

        try
        {
            var outcome = await _transmitter.SettleAsync(state.Round, cancellationToken, lease).ConfigureAwait(false);
            Log.Transmitted(_logger, state.Round, outcome.ToString());
        }
        catch (NotLeaderException)
        {
            // lost the lease between the check and the read: the new leader settles the round from the log
        }
        catch (OperationCanceledException) when (lease is { IsHeld: false } && !cancellationToken.IsCancellationRequested)
        {
            // lost the lease while waiting for the confirmation depth
        }
    }

    private Task AbandonAsync(RoundState state, string reason, CancellationToken cancellationToken)
    {
        Log.Abandoned(_logger, state.Round, reason);
        return AppendDecisionAsync(state, new RoundAbandoned(state.Round, reason), cancellationToken);
    }

    // A decision is appended at the version the fold has read: if anything else was appended meanwhile (a replica's
    // decision, an attestation, a late batch), the append fails and the round is looked at again at the next poll.
    private async Task AppendDecisionAsync(RoundState state, object decision, CancellationToken cancellationToken)
    {
        try
        {
            await RoundAppender.AppendAtAsync(_store, state.Round, state.Version, [decision], cancellationToken).ConfigureAwait(false);
            RoundTelemetry.Outcome(decision is RoundAbandoned ? "abandoned" : "superseded");
        }
        catch (Exception e) when (EventConflicts.IsConflict(e))
        {
            Log.Conflict(_logger, state.Round);
        }
    }
}
