using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Intake.Chain;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.EventStore;
using SupplyOracle.EventStore.Serialization;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// A real anvil with the ExcludedAddressRegistry and SupplyOracle deployed (reporters = dev accounts 1..7,
/// roundBlocks 2) and a fresh PostgreSQL database with the event store migrated. Shared by the tests of one class.
/// </summary>
public sealed class OracleNetwork : IAsyncLifetime
{
    public const ulong RoundBlocks = 2;
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly PostgresFixture _postgres = new();

    public AnvilNode Anvil { get; private set; } = null!;

    public EthereumRpcClient Client { get; private set; } = null!;

    public SupplyOracleContract Oracle { get; private set; } = null!;

    public SupplyOracleTypedData TypedData { get; private set; } = null!;

    public IReadOnlyList<PrivateKey> Reporters { get; } = [.. Enumerable.Range(1, 7).Select(i => PrivateKey.Parse(AnvilNode.DevAccounts[i].PrivateKey))];

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public IEventStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        Anvil = await AnvilNode.StartAsync();
        Client = new EthereumRpcClient(new HttpJsonRpcTransport(s_http, Anvil.RpcUrl));
        var sender = new TransactionSender(Client, PrivateKey.Parse(AnvilNode.DevAccounts[0].PrivateKey), new SenderOptions
        {
            MaxFeePerGasCeiling = Wei.FromGwei(500),
            ConfirmationDepth = 1,
            PollInterval = TimeSpan.FromMilliseconds(50),
        });
        var owner = sender.Address;
        var registry = await ExcludedAddressRegistryContract.DeployAsync(sender, owner, owner, 3600, 14 * 86400);
        var parameters = new SupplyOracleContract.Params(RoundBlocks, 3, 200, 3600, 1000, 86400, 2500, 86400, 30 * 86400, 256);
        Oracle = await SupplyOracleContract.DeployAsync(sender, owner, owner, registry.Address, [.. Reporters.Select(r => r.Address)], parameters);
        TypedData = new SupplyOracleTypedData(await Anvil.ChainIdAsync(), Oracle.Address);
        await Anvil.MineAsync(100);
        DataSource = NpgsqlDataSource.Create(_postgres.ConnectionString);
        var options = new EventStoreOptions();
        await PostgresEventStore.MigrateAsync(DataSource, options);
        Store = PostgresEventStore.Create(DataSource, options);
    }

    public ObservationIntake CreateIntake() => new(Store, new EventTypeMap().RegisterIntakeEvents(), TypedData,
        new ContractIntakeViewSource(Oracle, TimeProvider.System, TimeSpan.FromMilliseconds(200)),
        new RpcCanonicalChain(Client, TimeProvider.System, TimeSpan.FromMilliseconds(200)), TimeProvider.System, NullLoggerFactory.Instance);

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await Anvil.DisposeAsync();
        await _postgres.DisposeAsync();
    }
}
