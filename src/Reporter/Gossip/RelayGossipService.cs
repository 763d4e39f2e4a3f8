using Grpc.Core;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Reporter.Gossip;

/// <summary>
/// The <c>Gossip</c> service as a reporter hosts it for peers: only <c>Relay</c> (to <see cref="PeerRelay"/>);
/// <c>Connect</c> and <c>Submit</c> are the aggregator's and keep the generated base's UNIMPLEMENTED (grpc/grpc
/// doc/statuscodes.md). Map with <c>app.MapGrpcService&lt;RelayGossipService&gt;()</c> with a <see cref="PeerRelay"/> in DI.
/// </summary>
public sealed class RelayGossipService(PeerRelay relay) : Protocol.V1.Gossip.GossipBase
{
    /// <inheritdoc />
    public override Task<RelaySummary> Relay(IAsyncStreamReader<ObservationBatch> requestStream, ServerCallContext context) => relay.Relay(requestStream, context);
}
