using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Proposals;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.State;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Reporter.Attestation;

/// <summary>
/// Answers a proposal (docs/protocol.md section 6) with the shared <see cref="ProposalVerifier"/>: every evidence signature
/// checked against the registered reporter set and section 5 re-run on the oracle state at <c>stateBlock</c>; only a
/// byte-identical report is signed (EIP-712). A refusal is logged and counted with its reason and goes back as a
/// proposal verdict.
/// </summary>
/// <remarks>
/// The report's reference header is compared with the chain's current block at <c>referenceBlock</c>: after a reorg
/// between observing and attesting the hash differs, and the proposal is refused (NOT_CANONICAL) because the contract
/// would reject it (<c>blockhash(B_r) == referenceHash</c>, section 6).
/// </remarks>
public sealed partial class ProposalAttester(OracleDeployment deployment, EthereumRpcClient chain, OracleStateReader stateReader, ISigner signer,
    ReporterStatus status, ReporterTelemetry telemetry, ILogger<ProposalAttester>? logger = null)
{
    private readonly ProposalVerifier _verifier = new(deployment);
    private readonly ILogger _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The message to send back: an attestation, or a verdict carrying the refusal reason.</summary>
    public async Task<ReporterMessage> AnswerAsync(Proposal proposal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        using var activity = ReporterTelemetry.ActivitySource.StartActivity("proposal.verify");
        var round = proposal.Report?.Round ?? 0;
        activity?.SetTag("round", round);
        ProposalVerdict verdict;
        try
        {
            var canonical = proposal.Report is { } report ? await CanonicalHeaderAsync(report, cancellationToken).ConfigureAwait(false) : null;
            verdict = await _verifier.VerifyAsync(proposal, stateReader, canonical, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonRpcTransportException or JsonRpcException or HttpRequestException or OracleStateException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Without the oracle state at state_block the rules cannot be re-run: refuse, never attest unchecked.
            const string unavailable = "StateUnavailable";
            telemetry.AttestationRefused(unavailable);
            Log.Refused(_logger, round, proposal.ProposalId, unavailable, ex.Message);
            return new ReporterMessage
            {
                ProposalVerdict = new Acknowledgement { Accepted = false, Reason = RejectReason.Unavailable, Round = round, Message = $"oracle state at block {proposal.StateBlock} unavailable" },
            };
        }
        if (!verdict.IsAccepted)
        {
            var reason = verdict.Refusal!.Reason.ToString();
            telemetry.AttestationRefused(reason);
            Log.Refused(_logger, round, proposal.ProposalId, reason, verdict.Refusal.Rejection.Message);
            return new ReporterMessage { ProposalVerdict = verdict.ToAcknowledgement(round) };
        }
        var attestation = await AttestationSigner.SignAsync(signer, deployment, verdict.Report!, cancellationToken).ConfigureAwait(false);
        telemetry.AttestationGiven();
        status.Attested(attestation.Round.Value);
        Log.Attested(_logger, attestation.Round.Value, proposal.ProposalId, attestation.ReportDigest.ToString());
        return new ReporterMessage { Attestation = attestation.ToProto(proposal.ProposalId) };
    }

    private async Task<ReportHeader?> CanonicalHeaderAsync(Protocol.V1.Report report, CancellationToken cancellationToken)
    {
        var block = await chain.GetBlockAsync(BlockId.AtNumber(report.ReferenceBlock), cancellationToken).ConfigureAwait(false);
        return block is null ? null : new ReportHeader(new RoundId(report.Round), block.Number, block.Timestamp, block.Hash);
    }

    private static partial class Log
    {
        [LoggerMessage(500, LogLevel.Information, "Round {Round}: attested proposal {ProposalId}, report {Digest}")]
        public static partial void Attested(ILogger logger, ulong round, string proposalId, string digest);

        [LoggerMessage(501, LogLevel.Warning, "Round {Round}: refused proposal {ProposalId} ({Reason}): {Detail}")]
        public static partial void Refused(ILogger logger, ulong round, string proposalId, string reason, string detail);
    }
}
