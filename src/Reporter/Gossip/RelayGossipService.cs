using SupplyOracle.Grpc;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Reporter.Gossip;

/// <summary>
/// The <c>Gossip</c> service as a reporter hosts it for peers: only <c>Relay</c>; <c>Connect</c> and <c>Submit</c> are
/// the aggregator's and answer UNIMPLEMENTED (grpc/grpc doc/statuscodes.md).
/// </summary>
public static class RelayGossipService
{
    /// <summary>Maps <c>Gossip</c> on <paramref name="endpoints"/> with <paramref name="relay"/> serving <c>Relay</c>.</summary>
    public static IEndpointConventionBuilder MapPeerRelay(this IEndpointRouteBuilder endpoints, PeerRelay relay)
    {
        ArgumentNullException.ThrowIfNull(relay);
        return endpoints.MapGrpcService(GossipReflection.Descriptor.Services[0], new Handler(relay));
    }

    internal sealed class Handler(PeerRelay relay)
    {
        public Task Connect(IGrpcStreamReader<ReporterMessage> requests, IGrpcStreamWriter<AggregatorMessage> responses, ServerCallContext context) =>
            throw new GrpcStatusException(StatusCode.Unimplemented, "a reporter serves only Gossip.Relay; connect to an aggregator");

        public Task<Acknowledgement> Submit(ObservationBatch batch, ServerCallContext context) =>
            throw new GrpcStatusException(StatusCode.Unimplemented, "a reporter serves only Gossip.Relay; submit to an aggregator");

        public Task<RelaySummary> Relay(IGrpcStreamReader<ObservationBatch> requests, ServerCallContext context) => relay.Relay(requests, context);
    }
}
