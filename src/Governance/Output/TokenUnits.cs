using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Governance.Output;

/// <summary>How a token's amounts read: its ERC-20 <c>decimals</c> and <c>symbol</c> (null when it has none readable).</summary>
internal readonly record struct TokenUnits(int Decimals, string? Symbol)
{
    /// <summary>
    /// Reads decimals and symbol of every token in one batch at <paramref name="block"/>. A token without a readable
    /// symbol (none, or a bytes32 one) prints without it; one without readable decimals prints in native units (0).
    /// </summary>
    public static async Task<IReadOnlyDictionary<Address, TokenUnits>> ReadAsync(EthereumRpcClient client, IReadOnlyList<Address> tokens, BlockId block,
        CancellationToken cancellationToken)
    {
        var distinct = tokens.Distinct().ToList();
        var contracts = distinct.Select(t => new TestTokenContract(client, t)).ToList(); // only its ERC-20 metadata calls are used
        var results = await client.CallBatchAsync([.. contracts.SelectMany(c => new[] { c.DecimalsCall(), c.SymbolCall() })], block, cancellationToken)
            .ConfigureAwait(false);
        var units = new Dictionary<Address, TokenUnits>();
        for (var i = 0; i < distinct.Count; i++)
        {
            units[distinct[i]] = new TokenUnits(Try(results[2 * i], r => (int?)Math.Min(TestTokenContract.DecodeDecimals(r), 77)) ?? 0,
                Try(results[(2 * i) + 1], r => TestTokenContract.DecodeSymbol(r) is { Length: > 0 } s ? s : null));
        }

        return units;
    }

    private static T? Try<T>(CallResult result, Func<byte[], T> decode)
    {
        if (!result.Succeeded || result.ReturnData is not { Length: > 0 } data)
        {
            return default;
        }

        try
        {
            return decode(data);
        }
        catch (Exception ex) when (ex is AbiException or ArgumentException or FormatException or OverflowException or InvalidOperationException)
        {
            return default;
        }
    }
}
