using System.Numerics;
using System.Text;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Devnet.Chain;

/// <summary>A deployed token and its plan.</summary>
/// <param name="Plan">Name, decimals and holders.</param>
/// <param name="Contract">The TestToken binding.</param>
internal sealed record DeployedToken(TokenPlan Plan, TestTokenContract Contract)
{
    /// <summary>The token address.</summary>
    public Address Address => Contract.Address;
}

/// <summary>
/// The chain side of the local network: deploys ExcludedAddressRegistry, SupplyOracle and the TestTokens with the
/// generated bindings from dev account 0 (owner and guardian), mints the holder distributions, lists the tokens and
/// registers the deployment-time exclusions (proposed, timelock skipped with <c>evm_increaseTime</c>, executed).
/// </summary>
internal sealed class DevnetChain
{
    private DevnetChain(AnvilNode node, EthereumRpcClient client, TransactionSender owner, SupplyOracleContract oracle,
        ExcludedAddressRegistryContract registry, IReadOnlyList<DeployedToken> tokens)
    {
        Node = node;
        Client = client;
        Owner = owner;
        Oracle = oracle;
        Registry = registry;
        Tokens = tokens;
    }

    /// <summary>The node.</summary>
    public AnvilNode Node { get; }

    /// <summary>A JSON-RPC client of the node.</summary>
    public EthereumRpcClient Client { get; }

    /// <summary>The owner's sender (dev account 0).</summary>
    public TransactionSender Owner { get; }

    /// <summary>The oracle.</summary>
    public SupplyOracleContract Oracle { get; }

    /// <summary>The registry.</summary>
    public ExcludedAddressRegistryContract Registry { get; }

    /// <summary>The tokens, addresses ascending.</summary>
    public IReadOnlyList<DeployedToken> Tokens { get; }

    /// <summary>The owner's private key (anvil's well-known dev account 0), for the governance CLI.</summary>
    public static string OwnerPrivateKey => AnvilNode.DevAccounts[0].PrivateKey;

    /// <summary>A client of <paramref name="node"/>.</summary>
    public static EthereumRpcClient CreateClient(AnvilNode node) => EthereumRpcClient.Connect(node.RpcUrl);

    /// <summary>Deploys everything while anvil automines (fast), writing evidence memos to <paramref name="evidenceDirectory"/>.</summary>
    public static async Task<DevnetChain> DeployAsync(AnvilNode node, HttpClient http, IReadOnlyList<Address> reporters, IReadOnlyList<TokenPlan> plans,
        string evidenceDirectory, Action<string> progress, CancellationToken cancellationToken)
    {
        var client = CreateClient(node);
        var owner = new TransactionSender(client, PrivateKey.Parse(OwnerPrivateKey), new SenderOptions
        {
            MaxFeePerGasCeiling = Wei.FromGwei(500),
            ConfirmationDepth = 1,
            PollInterval = TimeSpan.FromMilliseconds(20),
        });
        var registry = await ExcludedAddressRegistryContract.DeployAsync(owner, owner.Address, owner.Address,
            DevnetParameters.RegistryDelaySeconds, DevnetParameters.RegistryGraceSeconds, cancellationToken).ConfigureAwait(false);
        progress($"ExcludedAddressRegistry at {registry.Address} (timelock {DevnetParameters.RegistryDelaySeconds} s)");
        var oracle = await SupplyOracleContract.DeployAsync(owner, owner.Address, owner.Address, registry.Address, reporters,
            DevnetParameters.Oracle, cancellationToken).ConfigureAwait(false);
        progress($"SupplyOracle at {oracle.Address} ({reporters.Count} reporters, roundBlocks {DevnetParameters.Oracle.RoundBlocks}, quorum {DevnetParameters.Oracle.MinReporters})");

        var tokens = new List<DeployedToken>();
        foreach (var plan in plans)
        {
            var token = await TestTokenContract.DeployAsync(owner, plan.Name, plan.Symbol, plan.Decimals, owner.Address, cancellationToken).ConfigureAwait(false);
            foreach (var holding in plan.Holdings)
            {
                await token.MintAsync(owner, holding.Account, holding.Amount, cancellationToken).ConfigureAwait(false);
            }

            await oracle.ListTokenAsync(owner, token.Address, cancellationToken).ConfigureAwait(false);
            tokens.Add(new DeployedToken(plan, token));
            progress($"{plan.Symbol} at {token.Address}: {plan.Holdings.Count} holders, listed");
        }

        var chain = new DevnetChain(node, client, owner, oracle, registry, [.. tokens.OrderBy(t => t.Address)]);
        await chain.RegisterExclusionsAsync(evidenceDirectory, progress, cancellationToken).ConfigureAwait(false);
        return chain;
    }

    /// <summary>Switches anvil from automine to one block every <see cref="DevnetParameters.BlockTimeSeconds"/>.</summary>
    public Task StartIntervalMiningAsync() => Node.SetIntervalMiningAsync(DevnetParameters.BlockTimeSeconds);

    /// <summary>Moves anvil's clock forward (the next block's timestamp), e.g. past the registry's timelock.</summary>
    public Task IncreaseTimeAsync(ulong seconds) => Node.IncreaseTimeAsync(seconds);

    /// <summary>Funds <paramref name="account"/> from dev account 0.</summary>
    public Task FundAsync(Address account, ulong ether) =>
        Node.SendValueAsync(AnvilNode.DevAccounts[0].Address, account.ToString(), ether * 1_000_000_000_000_000_000UL);

    /// <summary>The token balances of <paramref name="accounts"/> at the latest block, in one round trip.</summary>
    public async Task<BigInteger> BalanceSumAsync(DeployedToken token, IReadOnlyList<Address> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var calls = accounts.Select(a => token.Contract.BalanceOfCall(a)).ToArray();
        var results = await Client.CallBatchAsync(calls, BlockId.Latest, cancellationToken).ConfigureAwait(false);
        return results.Aggregate(BigInteger.Zero, (sum, r) => sum + TestTokenContract.DecodeBalanceOf(r.GetOrThrow()));
    }

    /// <summary>Writes an evidence memo and returns its path and keccak256 (what the registry stores).</summary>
    public static async Task<(string Path, Hash32 Hash)> WriteEvidenceAsync(string directory, string name, string memo, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(directory, name);
        var bytes = Encoding.UTF8.GetBytes(memo);
        await File.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        return (path, Keccak256.Hash(bytes));
    }

    private async Task RegisterExclusionsAsync(string evidenceDirectory, Action<string> progress, CancellationToken cancellationToken)
    {
        var proposed = new List<BigInteger>();
        foreach (var token in Tokens)
        {
            foreach (var holding in token.Plan.Holdings.Where(h => h.DeploymentExclusionKind is not null))
            {
                var (_, evidence) = await WriteEvidenceAsync(evidenceDirectory, $"{token.Plan.Symbol}-{holding.Label}.txt",
                    ExclusionKinds.Memo(token.Plan, holding), cancellationToken).ConfigureAwait(false);
                await Registry.ProposeAsync(Owner, token.Address, holding.Account, op: 0, ExclusionKinds.Encode(holding.DeploymentExclusionKind!),
                    evidence, cancellationToken).ConfigureAwait(false);
                proposed.Add(await Registry.ProposalCountAsync(cancellationToken: cancellationToken).ConfigureAwait(false));
            }
        }

        // The registry's timelock (section 10) holds at deployment too: move the clock past it, then execute.
        await IncreaseTimeAsync(DevnetParameters.RegistryDelaySeconds + 1).ConfigureAwait(false);
        foreach (var id in proposed)
        {
            await Registry.ExecuteAsync(Owner, id, cancellationToken).ConfigureAwait(false);
        }

        progress($"{proposed.Count} exclusions registered (treasury, vesting, team, burn) through the timelock");
    }
}
