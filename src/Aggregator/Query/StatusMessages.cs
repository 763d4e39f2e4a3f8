using System.Numerics;
using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Query;

/// <summary>Views to status.proto messages (units per the proto: WAD factors, unix seconds, uint256 big-endian circulating).</summary>
internal static class StatusMessages
{
    public static TokenState ToProto(TokenStatus view) => new()
    {
        Token = ByteString.CopyFrom(view.Token.ToArray()),
        Factor = view.Factor?.Raw ?? 0,
        CommittedAt = view.CommittedAt ?? 0,
        Frozen = view.Frozen,
        // Unknown without a chain view: never reported fresh then (a consumer must not take an unknown as fresh).
        Stale = view.Stale ?? true,
        Paused = view.Paused ?? false,
        AgeSeconds = view.AgeSeconds ?? 0,
        Circulating = view.Circulating is { } c ? BigEndian(c.Value) : ByteString.Empty,
        Round = view.Round ?? 0,
        LastStatus = view.LastStatus is { } s ? (uint)s : 0,
    };

    public static RoundInfo ToProto(RoundView view) => new()
    {
        Round = view.Round,
        ReferenceBlock = view.ReferenceBlock ?? 0,
        ReferenceTime = view.ReferenceTime ?? 0,
        Phase = Phase(view.Phase),
        Observations = (uint)view.Batches,
        Attestations = (uint)view.Attestations,
        CommitTxHash = view.TransactionHash is { } hash ? ByteString.CopyFrom(Hash32.Parse(hash).ToArray()) : ByteString.Empty,
        CommitBlock = view.CommitBlock ?? 0,
        EndReason = view.EndReason ?? "",
    };

    public static ReporterInfo ToProto(ReporterView view) => new()
    {
        Reporter = ByteString.CopyFrom(view.Reporter.ToArray()),
        LastObservedRound = view.LastObservedRound ?? 0,
        LastAttestedRound = view.LastAttestedRound ?? 0,
        Observations = (uint)view.BatchesAccepted,
        Disagreements = (uint)view.DisagreementRounds,
        Equivocated = view.Equivocations > 0,
    };

    /// <summary>The round audit as status.proto's RoundAudit (reporter fields carry the recovered signers).</summary>
    public static Protocol.V1.RoundAudit ToProto(RoundAudit audit)
    {
        var message = new Protocol.V1.RoundAudit
        {
            Round = audit.Round,
            Phase = Phase(audit.Phase),
            EndReason = audit.EndReason ?? "",
            ChainId = audit.Deployment.ChainId,
            VerifyingContract = Bytes(audit.Deployment.Oracle.ToArray()),
            Registry = Bytes(audit.Deployment.Registry.ToArray()),
            RulesInputJson = Internal.RoundAuditJson.RulesInput(audit)?.ToJsonString() ?? "",
        };
        message.Batches.AddRange(audit.Batches.Select(ToProto));
        message.EquivocatedDigests.AddRange(audit.Batches.Where(b => b.Equivocation).Select(b => Bytes(b.Digest.ToArray())));
        if (audit.Proposal is { } p)
        {
            var evidence = p.Evidence.ToHashSet();
            message.Proposal = new Proposal
            {
                Report = new Report
                {
                    Round = audit.Round,
                    ReferenceBlock = p.ReferenceBlock,
                    ReferenceTime = p.ReferenceTime,
                    ReferenceHash = Bytes(p.ReferenceHash.ToArray()),
                    Updates = Bytes(p.Updates),
                },
                StateBlock = p.StateBlock,
                ProposalId = p.ProposalId,
            };
            message.Proposal.Evidence.AddRange(audit.Batches.Where(b => !b.Equivocation && evidence.Contains(b.Digest)).Select(ToProto));
            message.ReportDigest = Bytes(p.ReportDigest.ToArray());
        }

        message.Attestations.AddRange(audit.Attestations.Select(a => new Attestation
        {
            Round = audit.Round,
            ReportDigest = Bytes(a.ReportDigest.ToArray()),
            Signature = Bytes(a.Signature),
            Reporter = Bytes(a.Signer.ToArray()),
            ProposalId = audit.Proposal?.ProposalId ?? "",
        }));
        if (audit.Commit is { } c)
        {
            message.CommitTxHash = Bytes(c.TransactionHash.ToArray());
            message.CommitBlock = c.Block;
        }

        return message;
    }

    private static ObservationBatch ToProto(AuditBatch b) => new()
    {
        Round = b.Round,
        ReferenceBlock = b.ReferenceBlock,
        ReferenceTime = b.ReferenceTime,
        ReferenceHash = Bytes(b.ReferenceHash.ToArray()),
        Observations = Bytes(b.Observations),
        Signature = Bytes(b.Signature),
        Reporter = Bytes(b.Signer.ToArray()),
    };

    private static ByteString Bytes(byte[] bytes) => ByteString.CopyFrom(bytes);

    /// <summary>
    /// The projection's phases onto RoundPhase: <c>closed</c> (rules applied, nothing proposed yet) is still OBSERVING;
    /// <c>superseded</c> (another commit reached the oracle first) and <c>failed</c> (the commit reverted or would) ended
    /// without this aggregator's commit: ABANDONED (status.proto: "no quorum, nothing to report, or a failed transaction").
    /// </summary>
    public static RoundPhase Phase(string phase) => phase switch
    {
        "observing" or "closed" => RoundPhase.Observing,
        "proposed" => RoundPhase.Proposed,
        "transmitted" => RoundPhase.Transmitted,
        "confirmed" => RoundPhase.Confirmed,
        "abandoned" or "superseded" or "failed" => RoundPhase.Abandoned,
        _ => RoundPhase.Unspecified,
    };

    /// <summary>uint256 big-endian without leading zero bytes; zero is empty (status.proto).</summary>
    private static ByteString BigEndian(BigInteger value) =>
        value.IsZero ? ByteString.Empty : ByteString.CopyFrom(value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
