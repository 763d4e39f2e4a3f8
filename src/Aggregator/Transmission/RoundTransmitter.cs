using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Aggregator.Transmission.Internal;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Reports;

namespace SupplyOracle.Aggregator.Transmission;

/// <summary>How a transmission ended.</summary>
public enum TransmissionOutcome
{
    /// <summary>This aggregator's commit was confirmed.</summary>
    Confirmed,

    /// <summary>The oracle's <c>lastRound</c> had already reached the round without this aggregator's commit.</summary>
    Superseded,

    /// <summary>The round cannot be committed (a revert, a nonce consumed elsewhere): <c>round-failed.v1</c> says why; abandon it.</summary>
    Failed,
}

/// <summary>
/// Sends a round's commit (docs/protocol.md section 6), idempotently per round and safe across crashes and reorganisations:
/// <list type="number">
/// <item>The round's stream is read first: a settled round (confirmed, superseded, failed) returns its outcome; a
/// recorded intent is finished (the same transaction, the same nonce) and never replaced by a second one.</item>
/// <item>Otherwise, if the oracle's <c>lastRound</c> has reached the round it is superseded; else the commit is built,
/// estimated (a revert is recorded as <c>round-failed.v1</c> with the decoded custom error), signed, recorded in
/// <c>transmission-intended.v1</c> with its raw bytes (write-ahead), and only then broadcast.</item>
/// <item>Waiting: a stuck commit is replaced (same nonce, fees +bump under the ceiling), each replacement recorded before
/// its broadcast; a commit reorganised away before the confirmation depth is recorded and sent again, unless the contract
/// would now revert (then <c>round-failed.v1</c>); a mined revert is recorded as failed with its decoded error.</item>
/// </list>
/// </summary>
public sealed partial class RoundTransmitter
{
    private readonly IDocumentStore _store;
    private readonly OracleDeployment _deployment;
    private readonly SupplyOracleContract _oracle;
    private readonly TransactionSender _sender;
    private readonly SenderBalanceAlarm? _alarm;
    private readonly ILogger _logger;

    /// <summary>Creates the transmitter.</summary>
    /// <param name="store">The event store (stream <c>round-&lt;r&gt;</c>).</param>
    /// <param name="deployment">The oracle's deployment.</param>
    /// <param name="sender">The transaction key's sender.</param>
    /// <param name="alarm">The low-balance alarm checked before each send, if any.</param>
    /// <param name="logger">Logs.</param>
    public RoundTransmitter(IDocumentStore store, OracleDeployment deployment, TransactionSender sender, SenderBalanceAlarm? alarm = null,
        ILogger<RoundTransmitter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(sender);
        _store = store;
        _deployment = deployment;
        _sender = sender;
        _alarm = alarm;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _oracle = new SupplyOracleContract(sender.Client, deployment.Oracle);
    }

    /// <summary>
    /// Transmits <paramref name="report"/> with <paramref name="attestations"/> (already verified), or finishes the
    /// transmission of the round recorded earlier (after a crash), or returns the round's recorded outcome. With several
    /// replicas, pass the <paramref name="lease"/> from <see cref="EventSourcing.ITransmitterLeadership"/>: only its holder
    /// sends, and losing it cancels the send (docs/architecture.md "Deployment shapes": one transmits at a time).
    /// </summary>
    /// <exception cref="CommitBuildException">Fewer than <paramref name="minReporters"/> distinct attestations of the report.</exception>
    /// <exception cref="NotLeaderException">The lease is no longer held.</exception>
    /// <exception cref="TransmissionRecordException">The round's recorded transaction is unreadable.</exception>
    public async Task<TransmissionOutcome> TransmitAsync(Rules.Engine.Report report, IReadOnlyList<SignedAttestation> attestations, int minReporters,
        CancellationToken cancellationToken, EventSourcing.TransmitterLease? lease = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(attestations);
        var round = report.Header.Round.Value;
        using var activity = AggregatorTelemetry.Source.StartActivity("transmitter.transmit");
        activity?.SetTag("supplyoracle.round", round);
        var outcome = await FromRecordAsync(round, lease,
            (stream, token) => SendNewAsync(report, attestations, minReporters, round, stream, token), cancellationToken).ConfigureAwait(false);
        activity?.SetTag("supplyoracle.outcome", outcome.ToString());
        return outcome;
    }

    /// <summary>
    /// Settles a round whose transmission is recorded (<c>transmission-intended.v1</c>) once the oracle's <c>lastRound</c>
    /// has reached it: our own commit, mined while this process was down or not looking, is what moves <c>lastRound</c>,
    /// so only the recorded versions' receipts tell confirmed (one of ours mined: its depth is awaited) from superseded
    /// (none of ours mined). Nothing is sent: the round can no longer be committed (docs/protocol.md section 6).
    /// </summary>
    /// <exception cref="NotLeaderException">The lease is no longer held.</exception>
    /// <exception cref="TransmissionRecordException">The round's recorded transaction is unreadable.</exception>
    public Task<TransmissionOutcome> SettleAsync(ulong round, CancellationToken cancellationToken, EventSourcing.TransmitterLease? lease = null) =>
        FromRecordAsync(round, lease, async (stream, token) =>
            await SupersededAsync(round, stream, await _oracle.LastRoundAsync(cancellationToken: token).ConfigureAwait(false), token).ConfigureAwait(false),
            cancellationToken);

    // The round's transmission record decides: its recorded outcome, else the resumption of a recorded transaction, else
    // nothingSent. Only the lease holder acts, and losing the lease cancels what it does.
    private async Task<TransmissionOutcome> FromRecordAsync(ulong round, EventSourcing.TransmitterLease? lease,
        Func<string, CancellationToken, Task<TransmissionOutcome>> nothingSent, CancellationToken cancellationToken)
    {
        if (lease is { IsHeld: false })
        {
            throw new NotLeaderException(round);
        }

        using var linked = lease is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        cancellationToken = linked?.Token ?? cancellationToken;
        var stream = IntakeEventNames.RoundStream(round);
        var record = await TransmissionRecord.ReadAsync(_store, stream, cancellationToken).ConfigureAwait(false);
        return record.Terminal switch
        {
            RoundConfirmed => TransmissionOutcome.Confirmed,
            RoundSuperseded => TransmissionOutcome.Superseded,
            RoundFailed => TransmissionOutcome.Failed,
            _ => record.Versions.Count > 0
                ? await ResumeAsync(round, stream, record, cancellationToken).ConfigureAwait(false)
                : await nothingSent(stream, cancellationToken).ConfigureAwait(false),
        };
    }

    private async Task<TransmissionOutcome> SendNewAsync(Rules.Engine.Report report, IReadOnlyList<SignedAttestation> attestations, int minReporters,
        ulong round, string stream, CancellationToken cancellationToken)
    {
        var lastRound = await _oracle.LastRoundAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (lastRound >= round)
        {
            return await SupersededAsync(round, stream, lastRound, cancellationToken).ConfigureAwait(false);
        }

        var commit = CommitBuilder.Build(_deployment, report, attestations, minReporters);
        var call = commit.ToCall(_oracle);
        SignedTransaction signed;
        try
        {
            signed = await _sender.PrepareAsync(new TransactionRequest(call.To, call.Data), cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException ex) when (ex.RevertData is not null)
        {
            // eth_estimateGas executed the commit and it reverted: nothing is signed, nothing is sent.
            var revert = _oracle.DecodeRevert(ex.RevertData);
            return await RevertedAsync(round, stream, TransmissionFailureStage.Estimation, revert, null, null, cancellationToken).ConfigureAwait(false);
        }

        var tx = (Eip1559Transaction)signed.Transaction;
        try
        {
            if (_alarm is not null)
            {
                await _alarm.CheckAsync(signed.Transaction.GasLimit, cancellationToken).ConfigureAwait(false);
            }

            var intended = new TransmissionIntended(round, _sender.Address.ToChecksumString(), [.. commit.Signers.Select(s => s.ToChecksumString())], tx.Nonce,
                signed.Hash.ToString(), Hex.Encode(signed.Raw), Decimal(tx.MaxFeePerGas), Decimal(tx.MaxPriorityFeePerGas), tx.GasLimit);
            // Write-ahead: once this is stored, every later call for the round finishes this transaction (docs/protocol.md section 6:
            // the contract takes the first valid commit of a round; a second nonce for the round would only waste gas).
            await AppendAsync(stream, intended, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The prepared nonce is not broadcast now: let the next send read the nonce from the node, so no gap is left.
            _sender.ResetNonce();
            throw;
        }

        PendingTransaction pending;
        try
        {
            pending = await _sender.BroadcastAsync(signed, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonRpcException or JsonRpcTransportException)
        {
            // Refused or unreachable: the intent is recorded, so finish it exactly as after a crash.
            var record = new TransmissionRecord();
            record.Versions.Add(signed);
            return await ResumeAsync(round, stream, record, cancellationToken).ConfigureAwait(false);
        }

        Log.Broadcast(_logger, round, signed.Hash.ToString(), tx.Nonce);
        return await AwaitAsync(round, stream, pending, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TransmissionOutcome> SupersededAsync(ulong round, string stream, ulong lastRound, CancellationToken cancellationToken)
    {
        await AppendAsync(stream, new RoundSuperseded(round, lastRound), cancellationToken).ConfigureAwait(false);
        Log.Superseded(_logger, round, lastRound);
        AggregatorTelemetry.Transmissions.Add(1, new KeyValuePair<string, object?>("supplyoracle.outcome", "superseded"));
        return TransmissionOutcome.Superseded;
    }

    private async Task<TransmissionOutcome> FailedAsync(ulong round, string stream, RoundFailed failed, TransmissionFailureStage stage, CancellationToken cancellationToken)
    {
        await AppendAsync(stream, failed, cancellationToken).ConfigureAwait(false);
        Log.Failed(_logger, round, stage, failed.Detail);
        AggregatorTelemetry.Transmissions.Add(1, new KeyValuePair<string, object?>("supplyoracle.outcome", "failed"));
        return TransmissionOutcome.Failed;
    }

    private Task AppendAsync(string stream, object @event, CancellationToken cancellationToken) =>
        EventSourcing.RoundAppender.AppendAsync(_store, stream, [@event], cancellationToken);

    private static string Decimal(Wei wei) => wei.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A transmission was attempted without holding the leader lease.</summary>
public sealed class NotLeaderException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NotLeaderException(ulong round)
        : base($"round {round}: this replica does not hold the transmitter lease")
    {
        Round = round;
    }

    /// <summary>The round that was not sent.</summary>
    public ulong Round { get; }
}

/// <summary>A round's recorded transaction (<c>transmission-intended.v1</c> or <c>-replaced.v1</c>) cannot be used.</summary>
public sealed class TransmissionRecordException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransmissionRecordException(string stream, string transactionHash, string problem, Exception? innerException)
        : base($"{stream}: recorded transaction {transactionHash}: {problem}", innerException)
    {
        Stream = stream;
        TransactionHash = transactionHash;
    }

    /// <summary>The round's stream.</summary>
    public string Stream { get; }

    /// <summary>The recorded hash.</summary>
    public string TransactionHash { get; }
}
