using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using JasperFx.Events.Daemon;
using Marten;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Projections;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// The shared <see cref="OracleNetwork"/> (real anvil, contracts deployed; 7 reporters, 2 listed tokens, roundBlocks 2) with 100 blocks
/// mined, and a fresh PostgreSQL database with the Marten event store (no daemon). Shared by the tests of one class.
/// </summary>
public class IntakeNetwork : IAsyncLifetime
{
    public const ulong RoundBlocks = 2;
    private readonly PostgresFixture _postgres = new();

    public OracleNetwork Network { get; private set; } = null!;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public AggregatorEventStore Events { get; private set; } = null!;

    public IDocumentStore Store => Events.Store;

    /// <summary>Whether Marten's daemon runs the query projection (off: the intake and round tests read the log itself).</summary>
    protected virtual DaemonMode Daemon => DaemonMode.Disabled;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Network = await OracleNetwork.StartAsync(new OracleNetworkOptions
        {
            Reporters = 7,
            Tokens = 2,
            // heartbeat = minCommitInterval: a round two hours after the last commits the same figures again (the
            // transmission tests need a report every round; the commit policy has its own tests).
            Parameters = OracleNetworkOptions.DefaultParameters with { RoundBlocks = RoundBlocks, Heartbeat = 3_600 },
        });
        await Network.Node.MineAsync(100);
        DataSource = NpgsqlDataSource.Create(_postgres.ConnectionString);
        Events = await AggregatorEventStore.StartAsync(DataSource, new AggregatorStoreOptions("eventstore", new QuerySchema(), Daemon),
            NullLoggerFactory.Instance, TimeProvider.System, default);
    }

    public TestReporter Reporter(int index) => new(Network.Reporters[index], Network.Deployment.TypedData);

    public RoundCloser CreateCloser() => new(Store, Network.Deployment, Network.StateReader,
        new RpcCanonicalChain(Network.Client, TimeProvider.System, TimeSpan.Zero), "test-aggregator");

    public RoundTransmitter CreateTransmitter() => new(Store, Network.Deployment,
        OracleNetwork.CreateSender(Network.Client, 9));

    public ObservationIntake CreateIntake() => new(Store, new BatchVerifier(Network.Deployment),
        new ContractIntakeViewSource(Network.Client, Network.StateReader, TimeProvider.System, TimeSpan.FromMilliseconds(200)),
        new RpcCanonicalChain(Network.Client, TimeProvider.System, TimeSpan.FromMilliseconds(200)), TimeProvider.System, NullLoggerFactory.Instance);

    public async Task DisposeAsync()
    {
        await Events.DisposeAsync();
        await DataSource.DisposeAsync();
        await Network.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}

/// <summary>An <see cref="IntakeNetwork"/> whose query projection runs on Marten's daemon (for tests of the Status service).</summary>
public sealed class ProjectedIntakeNetwork : IntakeNetwork
{
    protected override DaemonMode Daemon => DaemonMode.HotCold;
}
