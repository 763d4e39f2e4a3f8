using Google.Protobuf;
using Grpc.Core;
using SupplyOracle.Protocol.V1;

namespace SupplyOracle.Benchmarks.Grpc;

/// <summary>
/// supplyoracle.v1.Gossip for the benchmark, a generated <see cref="Gossip.GossipBase"/>: Submit acknowledges at once (as
/// grpcjs-bench-server.js does); the other methods keep the base's UNIMPLEMENTED.
/// </summary>
internal sealed class BenchGossip : Gossip.GossipBase
{
    public override Task<Acknowledgement> Submit(ObservationBatch request, ServerCallContext context) =>
        Task.FromResult(new Acknowledgement { Accepted = true, Round = request.Round });
}

/// <summary>
/// supplyoracle.v1.Status for the benchmark: Watch streams updates until the client cancels, in batches of
/// <see cref="Batch"/> with one flush each (as StatusService.Watch flushes once per poll; the grpc-js server's writes
/// are likewise buffered by Node until the stream's buffer is full).
/// </summary>
internal sealed class BenchStatus : SupplyOracle.Protocol.V1.Status.StatusBase
{
    private const int Batch = 32;
    private static readonly WriteOptions s_buffered = new(WriteFlags.BufferHint);

    private static readonly ByteString s_token = ByteString.CopyFrom([.. Enumerable.Range(1, 20).Select(i => (byte)i)]);
    private static readonly ByteString s_circulating = ByteString.CopyFrom(1, 0);

    public override async Task Watch(WatchRequest request, IServerStreamWriter<StatusUpdate> responseStream, ServerCallContext context)
    {
        for (ulong round = 1; !context.CancellationToken.IsCancellationRequested; round++)
        {
            responseStream.WriteOptions = round % Batch == 0 ? null : s_buffered;
            await responseStream.WriteAsync(new StatusUpdate
            {
                Token = new TokenState { Token = s_token, Factor = 500_000_000_000_000_000, CommittedAt = 1_700_000_000 + round, Round = round, Circulating = s_circulating },
            });
        }
    }
}
