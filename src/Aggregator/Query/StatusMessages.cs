using System.Numerics;
using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Aggregator.Query;

/// <summary>Views to status.proto messages (units per the proto: WAD factors, unix seconds, uint256 big-endian circulating).</summary>
internal static class StatusMessages
{
    public static TokenState ToProto(TokenView view) => new()
    {
        Token = ByteString.CopyFrom(view.Token.ToArray()),
        Factor = view.Factor?.Raw ?? 0,
        CommittedAt = view.CommittedAt ?? 0,
        Frozen = view.Frozen,
        Stale = view.Stale,
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

    /// <summary>
    /// The projection's phases onto RoundPhase: <c>closed</c> (rules applied, nothing proposed yet) is still OBSERVING;
    /// <c>superseded</c> (another commit reached the oracle first) ended without this aggregator's commit: ABANDONED.
    /// </summary>
    public static RoundPhase Phase(string phase) => phase switch
    {
        "observing" or "closed" => RoundPhase.Observing,
        "proposed" => RoundPhase.Proposed,
        "transmitted" => RoundPhase.Transmitted,
        "confirmed" => RoundPhase.Confirmed,
        "abandoned" or "superseded" => RoundPhase.Abandoned,
        _ => RoundPhase.Unspecified,
    };

    /// <summary>uint256 big-endian without leading zero bytes; zero is empty (status.proto).</summary>
    private static ByteString BigEndian(BigInteger value) =>
        value.IsZero ? ByteString.Empty : ByteString.CopyFrom(value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
