using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.Support;

/// <summary>Clients and senders on a test anvil.</summary>
internal static class Chain
{
    public static EthereumRpcClient Client(AnvilNode node) => EthereumRpcClient.Connect(node.RpcUrl);

    /// <summary>A client for bindings that only build calls or decode (nothing listens at the address).</summary>
    public static EthereumRpcClient UnusedClient() => EthereumRpcClient.Connect(new Uri("http://127.0.0.1:9"));

    public static RpcEndpointClient Transport(Uri url) => new(url);

    public static TransactionSender Sender(AnvilNode node, int account, SenderOptions? options = null) =>
        new(Client(node), PrivateKey.Parse(AnvilNode.DevAccounts[account].PrivateKey), options ?? Options());

    public static SenderOptions Options(ulong depth = 1) => new()
    {
        MaxFeePerGasCeiling = Wei.FromGwei(500),
        ConfirmationDepth = depth,
        PollInterval = TimeSpan.FromMilliseconds(50),
        StuckAfter = TimeSpan.FromSeconds(30),
    };
}
