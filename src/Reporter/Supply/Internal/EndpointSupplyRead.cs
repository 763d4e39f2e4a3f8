using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Reporter.Supply.Internal;

/// <summary>What one endpoint answered for a round: figures or a skip per token.</summary>
internal sealed record EndpointRead(string Endpoint, IReadOnlyDictionary<Address, TokenSupply> Tokens,
    IReadOnlyDictionary<Address, SkippedToken> Skipped, int RoundTrips);

/// <summary>
/// One endpoint's read of every covered token at one pinned block in two JSON-RPC batch round trips, whatever the
/// token count (docs/protocol.md section 4 steps 1 and 2): (1) per token the registry's <c>excludedOf</c> and
/// <c>totalSupply</c>; (2) every <c>balanceOf</c> needed. Both are pinned by block hash (EIP-1898, requireCanonical).
/// A third request (the block header) is made only when a call failed, to tell a reorg from a failing token.
/// </summary>
internal static class EndpointSupplyRead
{
    public static async Task<EndpointRead> ReadAsync(RpcEndpoint endpoint, Address registryAddress, PinnedBlock block,
        IReadOnlyList<CoveredToken> tokens, CancellationToken cancellationToken)
    {
        var counting = new CountingTransport(endpoint.Transport);
        var client = new EthereumRpcClient(counting);
        var registry = new ExcludedAddressRegistryContract(client, registryAddress);
        var at = BlockId.AtHash(block.Hash, requireCanonical: true);

        // Round trip 1: excludedOf(token) and totalSupply() for every token.
        var first = new List<CallRequest>(tokens.Count * 2);
        foreach (var t in tokens)
        {
            first.Add(registry.ExcludedOfCall(t.Token));
            first.Add(Erc20(client, t.Token).TotalSupplyCall());
        }
        var firstResults = await client.CallBatchAsync(first, at, cancellationToken).ConfigureAwait(false);
        ExpectCount(endpoint, first.Count, firstResults.Count);

        var skipped = new Dictionary<Address, SkippedToken>();
        var partial = new List<(CoveredToken Token, BigInteger Total, Address[] Excluded, Address[] Extra)>();
        var anyError = false;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i].Token;
            var excludedResult = firstResults[2 * i];
            var totalResult = firstResults[2 * i + 1];
            if (excludedResult.Error is { } e1 || totalResult.Error is { } e2)
            {
                anyError = true;
                var error = excludedResult.Error ?? totalResult.Error!;
                skipped[token] = new SkippedToken(token, SupplySkipReason.ReadFailed, $"{endpoint.Name}: {error.Method} failed with code {error.Code}");
                continue;
            }
            if (totalResult.ReturnData!.Length == 0)
            {
                skipped[token] = new SkippedToken(token, SupplySkipReason.NoCode, $"{endpoint.Name}: totalSupply() returned no data at block {block.Number}");
                continue;
            }
            try
            {
                var total = TestTokenContract.DecodeTotalSupply(totalResult.ReturnData);
                var excluded = ExcludedAddressRegistryContract.DecodeExcludedOf(excludedResult.ReturnData!).Accounts.Distinct().Order().ToArray();
                var excludedSet = excluded.ToHashSet();
                var extra = tokens[i].ExtraLocked.Where(a => !excludedSet.Contains(a)).Distinct().Order().ToArray();
                partial.Add((tokens[i], total, excluded, extra));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                skipped[token] = new SkippedToken(token, SupplySkipReason.ReadFailed, $"{endpoint.Name}: undecodable answer: {ex.GetType().Name}");
            }
        }

        // Round trip 2: every balanceOf, excluded and extra locked addresses alike.
        var second = new List<CallRequest>();
        foreach (var p in partial)
        {
            var erc20 = Erc20(client, p.Token.Token);
            second.AddRange(p.Excluded.Select(erc20.BalanceOfCall));
            second.AddRange(p.Extra.Select(erc20.BalanceOfCall));
        }
        var secondResults = second.Count == 0 ? [] : await client.CallBatchAsync(second, at, cancellationToken).ConfigureAwait(false);
        ExpectCount(endpoint, second.Count, secondResults.Count);

        var figures = new Dictionary<Address, TokenSupply>();
        var index = 0;
        foreach (var p in partial)
        {
            var slice = secondResults.Skip(index).Take(p.Excluded.Length + p.Extra.Length).ToArray();
            index += slice.Length;
            var token = p.Token.Token;
            if (slice.FirstOrDefault(r => r.Error is not null) is { Error: { } error })
            {
                anyError = true;
                skipped[token] = new SkippedToken(token, SupplySkipReason.ReadFailed, $"{endpoint.Name}: balanceOf failed with code {error.Code}");
                continue;
            }
            try
            {
                var balances = slice.Select(r => TestTokenContract.DecodeBalanceOf(r.ReturnData!)).ToArray();
                var excludedBalance = balances.Take(p.Excluded.Length).Aggregate(BigInteger.Zero, (s, b) => s + b);
                var extra = p.Extra.Zip(balances.Skip(p.Excluded.Length), KeyValuePair.Create).ToArray();
                figures[token] = new TokenSupply(token, p.Total, p.Excluded, excludedBalance, extra);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                skipped[token] = new SkippedToken(token, SupplySkipReason.ReadFailed, $"{endpoint.Name}: undecodable balanceOf answer: {ex.GetType().Name}");
            }
        }

        if (anyError)
        {
            // A call pinned to a hash that is no longer canonical fails (EIP-1898); tell that apart from a token
            // whose call reverts, so a reorg aborts the whole round instead of looking like a failing token.
            var canonical = await client.GetBlockAsync(BlockId.AtNumber(block.Number), cancellationToken).ConfigureAwait(false);
            if (canonical is null || canonical.Hash != block.Hash)
            {
                throw new BlockReorganisedException(endpoint.Name, block.Number, block.Hash, canonical?.Hash);
            }
        }
        return new EndpointRead(endpoint.Name, figures, skipped, counting.RoundTrips);
    }

    // The generated TestToken binding carries the standard ERC-20 ABI (totalSupply(), balanceOf(address)); only those
    // two views are used, so it serves any ERC-20.
    private static TestTokenContract Erc20(EthereumRpcClient client, Address token) => new(client, token);

    private static void ExpectCount(RpcEndpoint endpoint, int expected, int actual)
    {
        if (expected != actual)
        {
            throw new JsonRpcTransportException(JsonRpcTransportFailure.MalformedResponse, endpoint.Name,
                $"batch of {expected} calls answered with {actual} responses");
        }
    }
}
