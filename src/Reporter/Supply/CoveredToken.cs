using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Supply;

/// <summary>A token the reporter covers, with the extra locked addresses its operator knows of (read at <c>B_r</c> too).</summary>
/// <param name="Token">The ERC-20 token.</param>
/// <param name="ExtraLocked">Extra locked addresses (docs/protocol.md section 4 step 3), possibly empty.</param>
public sealed record CoveredToken(Address Token, IReadOnlyList<Address> ExtraLocked);

/// <summary>One configured JSON-RPC endpoint.</summary>
/// <param name="Name">A name for logs and metrics (never the URL's credentials).</param>
/// <param name="Transport">The transport to it.</param>
public sealed record RpcEndpoint(string Name, IJsonRpcTransport Transport);
