using System.Text;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Protocol.State;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Network.TestSupport;

/// <summary>
/// A deployed oracle network on anvil: ExcludedAddressRegistry, SupplyOracle (owner and guardian = dev account 0,
/// reporters registered at deployment) and listed TestTokens, all deployed from the artifacts with the generated
/// bindings. <see cref="StartAsync"/> starts its own anvil; <see cref="DeployAsync"/> uses one the caller owns.
/// Round helpers mine to the next round and read its header; <see cref="RunRoundAsync"/> runs the whole section 6 flow.
/// </summary>
public sealed partial class OracleNetwork : IAsyncDisposable
{
    private readonly bool _ownsNode;

    private OracleNetwork(AnvilNode node, bool ownsNode, EthereumRpcClient client, TransactionSender owner, OracleDeployment deployment,
        SupplyOracleContract oracle, ExcludedAddressRegistryContract registry, IReadOnlyList<PrivateKeySigner> reporters,
        IReadOnlyList<TestTokenContract> tokens, OracleNetworkOptions options)
    {
        Node = node;
        _ownsNode = ownsNode;
        Client = client;
        Owner = owner;
        Deployment = deployment;
        Oracle = oracle;
        Registry = registry;
        Reporters = reporters;
        Tokens = tokens;
        Options = options;
        StateReader = new OracleStateReader(client, deployment);
    }

    /// <summary>The anvil node.</summary>
    public AnvilNode Node { get; }

    /// <summary>A JSON-RPC client of the node.</summary>
    public EthereumRpcClient Client { get; }

    /// <summary>The owner's (dev account 0) transaction sender: governance calls and commits.</summary>
    public TransactionSender Owner { get; }

    /// <summary>Chain id and contract addresses.</summary>
    public OracleDeployment Deployment { get; }

    /// <summary>The SupplyOracle binding.</summary>
    public SupplyOracleContract Oracle { get; }

    /// <summary>The registry binding.</summary>
    public ExcludedAddressRegistryContract Registry { get; }

    /// <summary>The registered reporters' signers, in registration order.</summary>
    public IReadOnlyList<PrivateKeySigner> Reporters { get; }

    /// <summary>The listed tokens, addresses ascending.</summary>
    public IReadOnlyList<TestTokenContract> Tokens { get; }

    /// <summary>What was deployed.</summary>
    public OracleNetworkOptions Options { get; }

    /// <summary>A state reader of the oracle.</summary>
    public OracleStateReader StateReader { get; }

    /// <summary>Starts a fresh anvil (automine) and deploys the network on it; disposing stops the node.</summary>
    public static async Task<OracleNetwork> StartAsync(OracleNetworkOptions? options = null, CancellationToken cancellationToken = default)
    {
        var node = await AnvilNode.StartAsync(cancellationToken: cancellationToken);
        try
        {
            return await DeployCoreAsync(node, ownsNode: true, options ?? new OracleNetworkOptions(), cancellationToken);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Deploys the network on a node the caller owns (disposing the network leaves the node running).</summary>
    public static Task<OracleNetwork> DeployAsync(AnvilNode node, OracleNetworkOptions? options = null, CancellationToken cancellationToken = default) =>
        DeployCoreAsync(node, ownsNode: false, options ?? new OracleNetworkOptions(), cancellationToken);

    /// <summary>A JSON-RPC client of a node.</summary>
    public static EthereumRpcClient CreateClient(AnvilNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return EthereumRpcClient.Connect(node.RpcUrl);
    }

    /// <summary>A sender for dev account <paramref name="account"/> (one confirmation, fast polling).</summary>
    public static TransactionSender CreateSender(EthereumRpcClient client, int account) =>
        new(client, PrivateKey.Parse(AnvilNode.DevAccounts[account].PrivateKey), new SenderOptions
        {
            MaxFeePerGasCeiling = Wei.FromGwei(500),
            ConfirmationDepth = 1,
            PollInterval = TimeSpan.FromMilliseconds(20),
            StuckAfter = TimeSpan.FromSeconds(60),
        });

    /// <summary>The signer of reporter <paramref name="index"/>: dev accounts 1..9, then deterministic generated keys.</summary>
    public static PrivateKeySigner ReporterSigner(int index) =>
        index < AnvilNode.DevAccounts.Count - 1
            ? new PrivateKeySigner(PrivateKey.Parse(AnvilNode.DevAccounts[index + 1].PrivateKey))
            : new PrivateKeySigner(PrivateKey.FromBytes(Keccak256.Hash(Encoding.ASCII.GetBytes($"supply-oracle test reporter {index}")).ToArray()));

    private static async Task<OracleNetwork> DeployCoreAsync(AnvilNode node, bool ownsNode, OracleNetworkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        var client = CreateClient(node);
        var owner = CreateSender(client, 0);
        var chainId = await client.ChainIdAsync(cancellationToken);
        var registry = await ExcludedAddressRegistryContract.DeployAsync(owner, owner.Address, owner.Address, options.RegistryDelay, options.RegistryGrace, cancellationToken);
        var reporters = Enumerable.Range(0, options.Reporters).Select(ReporterSigner).ToArray();
        var oracle = await SupplyOracleContract.DeployAsync(owner, owner.Address, owner.Address, registry.Address,
            [.. reporters.Select(r => r.Address)], options.Parameters, cancellationToken);
        var tokens = new List<TestTokenContract>();
        for (var i = 0; i < options.Tokens; i++)
        {
            var token = await TestTokenContract.DeployAsync(owner, $"Test {i}", $"T{i}", 18, owner.Address, cancellationToken);
            await oracle.ListTokenAsync(owner, token.Address, cancellationToken);
            tokens.Add(token);
        }

        return new OracleNetwork(node, ownsNode, client, owner, new OracleDeployment(chainId, oracle.Address, registry.Address), oracle, registry,
            reporters, [.. tokens.OrderBy(t => t.Address)], options);
    }

    /// <summary>Stops the node when the network started it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsNode)
        {
            await Node.DisposeAsync();
        }
    }
}
