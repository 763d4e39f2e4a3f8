using SupplyOracle.EventStore.Errors;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyOracle.Aggregator.Hosting;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Leadership;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.EventStore.Streams;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// A live chain for the round loop: anvil mining a block every second (interval mining), the contracts deployed with
/// 5 reporters, 3 tokens, roundBlocks 4, minReporters 3 and a 1-second cooldown, and a fresh PostgreSQL database.
/// </summary>
public class LiveNetwork : IAsyncLifetime
{
    public const ulong RoundBlocks = 4;
    public const int SenderAccount = 9;
    private readonly PostgresFixture? _postgres;

    public LiveNetwork()
        : this(ownedPostgres: false)
    {
    }

    /// <param name="ownedPostgres">True: a PostgreSQL server of its own, which a test may restart (<see cref="Server"/>).</param>
    protected LiveNetwork(bool ownedPostgres)
    {
        _postgres = ownedPostgres ? null : new PostgresFixture();
    }

    /// <summary>The owned server (null on the shared one).</summary>
    public PostgresServer? Server { get; private set; }

    public string ConnectionString { get; private set; } = "";

    /// <summary>The first round whose reference block was mined by interval mining (distinct timestamps).</summary>
    public ulong FirstLiveRound { get; private set; }

    public OracleNetwork Network { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public IEventStore Store { get; private set; } = null!;

    public static EventTypeMap Map() => new EventTypeMap().RegisterIntakeEvents().RegisterRoundEvents().RegisterTransmissionEvents();

    public async Task InitializeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.InitializeAsync();
            ConnectionString = _postgres.ConnectionString;
        }
        else
        {
            Server = await PostgresServer.StartAsync(requireOwned: true);
            ConnectionString = await Server.CreateDatabaseAsync("live");
        }

        Network = await OracleNetwork.StartAsync(new OracleNetworkOptions
        {
            Reporters = 5,
            Tokens = 3,
            Parameters = OracleNetworkOptions.DefaultParameters with { RoundBlocks = (uint)RoundBlocks, MinCommitInterval = 1 },
        });
        await Network.Node.SetIntervalMiningAsync(1);
        // Blocks mined while deploying (automine) share timestamps: a round there is TooSoon after the one before it
        // (minCommitInterval, docs/protocol.md section 5 step 8). Rounds from here on are a second apart per block.
        FirstLiveRound = await Network.Client.BlockNumberAsync() / RoundBlocks + 2;
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await PostgresEventStore.MigrateAsync(DataSource, new EventStoreOptions());
        Store = PostgresEventStore.Create(DataSource, new EventStoreOptions());
    }

    /// <summary>An in-process aggregator replica (intake, hub, host, round loop) on this network's database.</summary>
    public async Task<LiveAggregator> StartAggregatorAsync(string id, TimeSpan? closeAfter = null, TimeSpan? attestationTimeout = null)
    {
        var map = Map();
        var chain = new RpcCanonicalChain(Network.Client, TimeProvider.System, TimeSpan.FromMilliseconds(200));
        var intake = new ObservationIntake(Store, map, new BatchVerifier(Network.Deployment),
            new ContractIntakeViewSource(Network.Client, Network.StateReader, TimeProvider.System, TimeSpan.FromMilliseconds(200)), chain, TimeProvider.System,
            NullLoggerFactory.Instance);
        var hub = new ProposalHub(Store, map);
        var host = await AggregatorWebHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), null, new GossipService(intake, NullLoggerFactory.Instance, hub));
        var coordinator = new RoundCoordinator(Store, map, new RoundCloser(Store, map, Network.Deployment, Network.StateReader, chain, id),
            new RoundTransmitter(Store, map, Network.Deployment, OracleNetwork.CreateSender(Network.Client, SenderAccount)), hub, Network.StateReader, chain,
            new LeaderElection(DataSource, "transmitter.live"),
            new RoundCoordinatorOptions(closeAfter ?? TimeSpan.FromSeconds(3), attestationTimeout ?? TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(200)),
            TimeProvider.System, NullLoggerFactory.Instance);
        return new LiveAggregator(host, coordinator);
    }

    /// <summary>The fold of round r's stream as it is now.</summary>
    public async Task<RoundState> RoundAsync(ulong round)
    {
        var map = Map();
        for (var attempt = 1; ; attempt++)
        {
            var state = new RoundState(round);
            try
            {
                await foreach (var e in Store.ReadStreamAsync(new StreamId(IntakeEventNames.RoundStream(round)), ReadDirection.Forwards))
                {
                    state.Apply(e, map);
                }

                return state;
            }
            catch (EventStoreDatabaseException) when (attempt < 10)
            {
                // Right after a PostgreSQL restart a pooled connection is dead on first use: read again.
                await Task.Delay(300);
            }
        }
    }

    /// <summary>The first event of type <paramref name="type"/> in round r's stream.</summary>
    public async Task<T> EventAsync<T>(ulong round, string type)
    {
        var map = Map();
        await foreach (var e in Store.ReadStreamAsync(new StreamId(IntakeEventNames.RoundStream(round)), ReadDirection.Forwards))
        {
            if (e.Type == type)
            {
                return (T)map.Deserialize(e);
            }
        }

        throw new InvalidOperationException($"round {round} has no {type}");
    }

    /// <summary>How many events of type <paramref name="type"/> round r's stream holds.</summary>
    public async Task<int> CountAsync(ulong round, string type)
    {
        var count = 0;
        await foreach (var e in Store.ReadStreamAsync(new StreamId(IntakeEventNames.RoundStream(round)), ReadDirection.Forwards))
        {
            count += e.Type == type ? 1 : 0;
        }

        return count;
    }

    /// <summary>Waits until round r is decided in the log.</summary>
    public async Task<RoundState> DecidedAsync(ulong round, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var state = await RoundAsync(round);
            if (state.IsDecided)
            {
                return state;
            }

            if (cancel.IsCancellationRequested)
            {
                Assert.Fail($"round {round} not decided within {timeout}: step {state.Step}, heard {state.Heard.Count}, attestations {state.Attestations.Count}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Committed events on chain up to <paramref name="toBlock"/> (default: the head), per round.</summary>
    public async Task<Dictionary<ulong, int>> CommitsPerRoundAsync(ulong? toBlock = null)
    {
        var events = await Network.Oracle.GetCommittedEventsAsync(0, toBlock ?? await Network.Client.BlockNumberAsync());
        return events.GroupBy(e => e.Round).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>
    /// The invariants of a crash or restart (issue 9): every round from <paramref name="from"/> to <paramref name="to"/>
    /// with anything in the log is decided; no round is committed twice on chain; the commit sender sent exactly one
    /// transaction per commit (no second send of a round, even one the contract would refuse).
    /// </summary>
    public async Task AssertSettledAsync(ulong from, ulong to)
    {
        for (var round = from; round <= to; round++)
        {
            if ((await RoundAsync(round)).Version is not null)
            {
                // A round overtaken by a later commit is marked superseded at the loop's next poll.
                await DecidedAsync(round, TimeSpan.FromSeconds(20));
            }
        }

        // A transaction broadcast just before the aggregator stopped is still mined afterwards (interval mining): wait
        // for the sender's pending nonce to reach the chain, then count commits and sent transactions at one block, so
        // a block mined between the two reads cannot make them disagree.
        var sender = OracleNetwork.CreateSender(Network.Client, SenderAccount).Address;
        using (var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (await Network.Client.GetTransactionCountAsync(sender, Contracts.Bindings.JsonRpc.BlockId.Pending)
                   != await Network.Client.GetTransactionCountAsync(sender, Contracts.Bindings.JsonRpc.BlockId.Latest))
            {
                Assert.False(cancel.IsCancellationRequested, "the commit sender still has a pending transaction after 30 s");
                await Task.Delay(200);
            }
        }

        var head = await Network.Client.BlockNumberAsync();
        var commits = await CommitsPerRoundAsync(head);
        Assert.All(commits, c => Assert.Equal(1, c.Value));
        Assert.Equal((ulong)commits.Count, await Network.Client.GetTransactionCountAsync(sender, Contracts.Bindings.JsonRpc.BlockId.AtNumber(head)));
    }

    /// <summary>The highest round with a confirmed commit recorded in the log, scanning down from the head's round.</summary>
    public async Task<ulong> LastConfirmedAsync()
    {
        var head = await Network.Client.BlockNumberAsync();
        for (var round = head / RoundBlocks; round > 0; round--)
        {
            if ((await RoundAsync(round)).Step == RoundStep.Confirmed)
            {
                return round;
            }
        }

        return 0;
    }

    /// <summary>Waits until a round after <paramref name="after"/> is confirmed and returns it.</summary>
    public async Task<ulong> NextConfirmedAsync(ulong after, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var last = await LastConfirmedAsync();
            if (last > after)
            {
                return last;
            }

            Assert.False(cancel.IsCancellationRequested, $"no round after {after} confirmed within {timeout}");
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Network.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}

/// <summary>A <see cref="LiveNetwork"/> on a PostgreSQL server of its own, for restart tests.</summary>
public sealed class OwnedPostgresLiveNetwork() : LiveNetwork(ownedPostgres: true);

/// <summary>A running in-process aggregator replica; dispose to stop it.</summary>
public sealed class LiveAggregator : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly RunningHost _host;
    private readonly Task _loop;

    public LiveAggregator(RunningHost host, RoundCoordinator coordinator)
    {
        _host = host;
        _loop = coordinator.RunAsync(_stop.Token);
    }

    public Uri Grpc => _host.Grpc;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _host.DisposeAsync();
        _stop.Dispose();
    }
}
