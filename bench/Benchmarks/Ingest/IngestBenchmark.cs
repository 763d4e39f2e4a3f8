using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using JasperFx.Events.Daemon;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Protocol.Transport;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.V1;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Benchmarks.Ingest;

/// <summary>
/// <c>./bench.sh ingest</c>: end-to-end ingestion into the aggregator (gRPC Connect streams, batch verification with the
/// EIP-712 signature check against the on-chain reporter set, canonical-block check, event append to PostgreSQL) with
/// 7 reporters and 200 tokens per batch, in token-observations per second. Target: &gt;= 20,000/s on 2 cores.
/// Batches are signed before the clock starts (signing is the reporters' cost, not the aggregator's).
/// </summary>
public sealed class IngestBenchmark : IBenchmark
{
    private const int Reporters = 7;
    private const int TokensPerBatch = 200;

    /// <inheritdoc />
    public string Name => "ingest";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
        if (rounds is < 10 or > 240)
        {
            await Console.Error.WriteLineAsync("--rounds is 10..240 (each round's block must stay within maxReportAgeBlocks = 256)");
            return 2;
        }

        await using var postgres = await PostgresServer.StartAsync(requireOwned: true, cancellationToken);
        var connectionString = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync("ingest", cancellationToken)) { MaxAutoPrepare = 16 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        // The aggregator's Marten store as it runs (HotCold daemon with the query projection catching up beside intake).
        await using var events = await AggregatorEventStore.StartAsync(dataSource, new AggregatorStoreOptions("eventstore", new QuerySchema(), DaemonMode.HotCold),
            NullLoggerFactory.Instance, TimeProvider.System, cancellationToken);
        var store = events.Store;

        await using var network = await OracleNetwork.StartAsync(new OracleNetworkOptions
        {
            Reporters = Reporters,
            Tokens = 0,
            Parameters = OracleNetworkOptions.DefaultParameters with { RoundBlocks = 1 },
        }, cancellationToken);
        await network.Node.MineAsync((ulong)rounds + 20);
        var head = await network.Client.BlockNumberAsync(cancellationToken);
        var firstRound = head - (ulong)rounds - 5;

        // Pre-sign: one batch per reporter per round, 200 tokens each.
        var tokens = Enumerable.Range(1, TokensPerBatch).Select(i =>
        {
            var bytes = new byte[20];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), i);
            return new TokenObservation(new Address(bytes), TokenAmount.Parse("1000000000000000000000000"), new Wad(500_000_000_000_000_000));
        }).ToArray();
        var batches = new ObservationBatch[Reporters][];
        for (var r = 0; r < Reporters; r++)
        {
            batches[r] = new ObservationBatch[rounds + 1];
        }

        for (var i = 0; i <= rounds; i++)
        {
            var round = firstRound + (ulong)i;
            var block = (await network.Client.GetBlockAsync(BlockId.AtNumber(round), cancellationToken))!;
            var header = new SupplyOracle.Rules.Engine.ReportHeader(new RoundId(round), block.Number, block.Timestamp, block.Hash);
            for (var r = 0; r < Reporters; r++)
            {
                var signed = await ObservationBatchSigner.SignAsync(network.Reporters[r], network.Deployment, header, 1, tokens, cancellationToken);
                batches[r][i] = signed.ToProto();
            }
        }

        var intake = new ObservationIntake(store, new BatchVerifier(network.Deployment),
            new ContractIntakeViewSource(network.Client, network.StateReader, TimeProvider.System, TimeSpan.FromSeconds(5)),
            new RpcCanonicalChain(network.Client, TimeProvider.System, TimeSpan.FromSeconds(5)), TimeProvider.System, NullLoggerFactory.Instance);
        await using var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, new GossipService(intake, NullLoggerFactory.Instance),
            logging => logging.ClearProviders(), cancellationToken);

        using var channel = GrpcChannels.Create(host.Grpc);
        var client = new Gossip.GossipClient(channel.WithCallMetrics());

        // Warm-up: round 0 of the range, every reporter.
        var warm = await RunAsync(client, batches, 0, 1, cancellationToken);
        var measured = await RunAsync(client, batches, 1, rounds, cancellationToken);
        var observations = (long)measured.Accepted * TokensPerBatch;
        Console.WriteLine($"ingest: {Reporters} reporters x {rounds} rounds, {TokensPerBatch} tokens per batch, over gRPC Connect streams (h2c, loopback, client and server in one process), PostgreSQL own throwaway server (fsync=off), {Environment.ProcessorCount} cores");
        Console.WriteLine($"  warm-up accepted {warm.Accepted}/{Reporters}; measured accepted {measured.Accepted}/{Reporters * rounds}, rejected {measured.Rejected}");
        Console.WriteLine($"  {measured.Accepted / measured.Elapsed.TotalSeconds:N0} batches/s, {observations / measured.Elapsed.TotalSeconds:N0} token-observations/s ({measured.Elapsed.TotalSeconds:N2} s) (target >= 20,000)");
        return measured.Accepted == Reporters * rounds ? 0 : 1;
    }

    private static async Task<(int Accepted, int Rejected, TimeSpan Elapsed)> RunAsync(Gossip.GossipClient client,
        ObservationBatch[][] batches, int from, int count, CancellationToken cancellationToken)
    {
        var accepted = 0;
        var rejected = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(batches.Select(async reporterBatches =>
        {
            using var call = client.Connect(cancellationToken: cancellationToken);
            var reader = Task.Run(async () =>
            {
                for (var i = 0; i < count; i++)
                {
                    if (!await call.ResponseStream.MoveNext(cancellationToken))
                    {
                        throw new InvalidOperationException("the aggregator closed the stream early");
                    }

                    if (call.ResponseStream.Current.Acknowledgement.Accepted)
                    {
                        Interlocked.Increment(ref accepted);
                    }
                    else if (Interlocked.Increment(ref rejected) == 1)
                    {
                        Console.WriteLine($"  first rejection: {call.ResponseStream.Current.Acknowledgement.Reason}: {call.ResponseStream.Current.Acknowledgement.Message}");
                    }
                }
            }, cancellationToken);
            for (var i = from; i < from + count; i++)
            {
                await call.RequestStream.WriteAsync(new ReporterMessage { Observation = reporterBatches[i] }, cancellationToken);
            }

            await reader;
            await call.RequestStream.CompleteAsync();
        }));
        return (accepted, rejected, stopwatch.Elapsed);
    }
}
