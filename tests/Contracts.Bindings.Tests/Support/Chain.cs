using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Contracts.Bindings.Tests.Support;

/// <summary>Clients and senders on a test anvil.</summary>
internal static class Chain
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static EthereumRpcClient Client(AnvilNode node) => new(new HttpJsonRpcTransport(s_http, node.RpcUrl));

    public static HttpJsonRpcTransport Transport(Uri url) => new(s_http, url);

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
