using Google.Protobuf;
using SupplyOracle.Grpc;
using SupplyOracle.Grpc.Server;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Benchmarks.Grpc;

/// <summary>supplyoracle.v1.Gossip for the benchmark: Submit acknowledges at once (same as grpcjs-bench-server.js).</summary>
internal sealed class BenchGossip
{
    public Task<Acknowledgement> Submit(ObservationBatch batch, ServerCallContext context) =>
        Task.FromResult(new Acknowledgement { Accepted = true, Round = batch.Round });

    public Task<RelaySummary> Relay(IGrpcStreamReader<ObservationBatch> batches, ServerCallContext context) =>
        throw new GrpcStatusException(StatusCode.Unimplemented, "not in the benchmark");

    public Task Connect(IGrpcStreamReader<ReporterMessage> messages, IGrpcStreamWriter<AggregatorMessage> responses, ServerCallContext context) =>
        throw new GrpcStatusException(StatusCode.Unimplemented, "not in the benchmark");
}

/// <summary>supplyoracle.v1.Status for the benchmark: Watch streams updates until the client cancels.</summary>
internal sealed class BenchStatus
{
    private static readonly ByteString s_token = ByteString.CopyFrom([.. Enumerable.Range(1, 20).Select(i => (byte)i)]);
    private static readonly ByteString s_circulating = ByteString.CopyFrom(1, 0);

    public Task<TokenState> GetTokenState(GetTokenStateRequest request, ServerCallContext context) => throw Unimplemented();

    public Task<ListTokenStatesResponse> ListTokenStates(ListTokenStatesRequest request, ServerCallContext context) => throw Unimplemented();

    public Task<ListRoundsResponse> ListRounds(ListRoundsRequest request, ServerCallContext context) => throw Unimplemented();

    public Task<ListReportersResponse> ListReporters(ListReportersRequest request, ServerCallContext context) => throw Unimplemented();

    public Task<RoundAudit> GetRoundAudit(GetRoundAuditRequest request, ServerCallContext context) => throw Unimplemented();

    public async Task Watch(WatchRequest request, IGrpcStreamWriter<StatusUpdate> updates, ServerCallContext context)
    {
        for (ulong round = 1; !context.CancellationToken.IsCancellationRequested; round++)
        {
            await updates.WriteAsync(new StatusUpdate
            {
                Token = new TokenState { Token = s_token, Factor = 500_000_000_000_000_000, CommittedAt = 1_700_000_000 + round, Round = round, Circulating = s_circulating },
            });
        }
    }

    private static GrpcStatusException Unimplemented() => new(StatusCode.Unimplemented, "not in the benchmark");
}
