using System.Numerics;
using System.Text;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Reporter.Tests.Support;

/// <summary>
/// A real ExcludedAddressRegistry and ERC-20 TestTokens on an anvil, with excluded addresses added through the
/// registry's timelocked propose/execute (shared by the tests and bench/Benchmarks/SupplyRead).
/// </summary>
internal sealed class SupplyChain
{
    private const ulong Delay = 3_600;
    private string? _lastTransaction;
    private int _unchecked;

    private SupplyChain(AnvilNode node, EthereumRpcClient client, ExcludedAddressRegistryContract registry)
    {
        Node = node;
        Client = client;
        Registry = registry;
    }

    public AnvilNode Node { get; }

    public EthereumRpcClient Client { get; }

    public ExcludedAddressRegistryContract Registry { get; }

    public static string Owner => AnvilNode.DevAccounts[0].Address;

    public static RpcEndpointClient Transport(Uri url) => new(url);

    public static async Task<SupplyChain> DeployAsync(AnvilNode node)
    {
        var client = new EthereumRpcClient(Transport(node.RpcUrl));
        var sender = Sender(client);
        var owner = Address.Parse(Owner);
        var registry = await ExcludedAddressRegistryContract.DeployAsync(sender, owner, Address.Parse(AnvilNode.DevAccounts[1].Address), Delay, 14 * 86_400);
        return new SupplyChain(node, client, registry);
    }

    public async Task<TestTokenContract> DeployTokenAsync(string symbol, BigInteger ownerMint)
    {
        var token = await TestTokenContract.DeployAsync(Sender(Client), symbol, symbol, 18, Address.Parse(Owner));
        await SendAsync(token.MintCall(Address.Parse(Owner), ownerMint));
        return token;
    }

    /// <summary>Deploys a SupplyOracle over this registry with the given reporters, one reporter quorum and a short round.</summary>
    public async Task<SupplyOracleContract> DeployOracleAsync(IReadOnlyList<Address> reporters, ulong roundBlocks)
    {
        var owner = Address.Parse(Owner);
        var parameters = new SupplyOracleContract.Params(roundBlocks, 1, 200, 3_600, 1_000, 86_400, 2_500, 86_400, 30 * 86_400, 256, 43_200, 50);
        return await SupplyOracleContract.DeployAsync(Sender(Client), owner, Address.Parse(AnvilNode.DevAccounts[1].Address), Registry.Address, reporters, parameters);
    }

    /// <summary>Mints to each account and excludes it through propose, the timelock, and execute.</summary>
    public async Task ExcludeAsync(IReadOnlyList<(TestTokenContract Token, Address Account, BigInteger Balance)> entries)
    {
        var first = (ulong)await Registry.ProposalCountAsync() + 1;
        var kind = Kind("treasury");
        foreach (var (token, account, balance) in entries)
        {
            if (!balance.IsZero)
            {
                await SendAsync(token.MintCall(account, balance));
            }
            await SendAsync(Registry.ProposeCall(token.Address, account, 0, kind, Keccak256.Hash(account.ToArray())));
        }
        await FlushAsync();
        await Node.IncreaseTimeAsync(Delay + 1);
        await Node.MineAsync();
        for (var i = 0UL; i < (ulong)entries.Count; i++)
        {
            await SendAsync(Registry.ExecuteCall(first + i));
        }
        await FlushAsync();
    }

    /// <summary>Whether each transaction's receipt is fetched and checked (the benchmark's bulk setup skips it).</summary>
    public bool CheckReceipts { get; set; } = true;

    /// <summary>A transaction from an unlocked anvil account, mined at once (automine).</summary>
    public async Task SendAsync(CallRequest call, int account = 0)
    {
        var hash = await Node.RpcAsync("eth_sendTransaction", new Dictionary<string, string>
        {
            ["from"] = AnvilNode.DevAccounts[account].Address,
            ["to"] = call.To!.Value.ToString(),
            ["data"] = Hex.Encode(call.Data.Span),
        });
        _lastTransaction = hash.GetString()!;
        // Unchecked sends still wait every 100 transactions, so anvil's pool never holds a long backlog.
        if (!CheckReceipts && ++_unchecked % 100 != 0)
        {
            return;
        }
        await CheckAsync(_lastTransaction);
    }

    /// <summary>Waits until the last transaction sent is mined (anvil mines in order) and checks it succeeded.</summary>
    public Task FlushAsync() => _lastTransaction is null ? Task.CompletedTask : CheckAsync(_lastTransaction);

    private async Task CheckAsync(string hash)
    {
        var receipt = await Node.WaitForReceiptAsync(hash);
        if (receipt.GetProperty("status").GetString() != "0x1")
        {
            throw new InvalidOperationException($"transaction {hash} reverted");
        }
    }

    public static Address RandomAddress() => new(Keccak256.Hash(Guid.NewGuid().ToByteArray()).ToArray().AsSpan(12));

    private static Hash32 Kind(string name)
    {
        var bytes = new byte[32];
        Encoding.ASCII.GetBytes(name).CopyTo(bytes, 0);
        return new Hash32(bytes);
    }

    private static TransactionSender Sender(EthereumRpcClient client) =>
        new(client, PrivateKey.Parse(AnvilNode.DevAccounts[0].PrivateKey), new SenderOptions
        {
            MaxFeePerGasCeiling = Wei.FromGwei(500),
            ConfirmationDepth = 1,
            PollInterval = TimeSpan.FromMilliseconds(20),
        });
}
