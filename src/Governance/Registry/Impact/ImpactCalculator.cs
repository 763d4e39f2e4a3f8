using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Governance.Registry.Impact;

/// <summary>How the consumer would weigh the listed tokens.</summary>
/// <param name="Tokens">The oracle's listed tokens, in its order.</param>
/// <param name="Before">The weights now (from the deployed FreeFloatWeights when given, else <see cref="WeightsModel"/>).</param>
/// <param name="Projected">The weights after the next commit carries the new circulating (same factors), or null.</param>
/// <param name="BeforeError">Why <paramref name="Before"/> is null.</param>
/// <param name="ProjectionError">Why <paramref name="Projected"/> is null.</param>
internal sealed record WeightsImpact(IReadOnlyList<Address> Tokens, WeightOutput? Before, WeightOutput? Projected, string? BeforeError, string? ProjectionError);

/// <summary>
/// The effect of a registry change, all read at one block: circulating (ExcludedAddressRegistry.onChainCirculating),
/// live free-float supply (SupplyOracle.getFreeFloatSupply, docs/protocol.md section 9) which moves as soon as the change
/// executes, committed free-float supply which moves only when the next round commits the new circulating, and the
/// reference consumer's weights, which read the committed value.
/// </summary>
internal sealed record ImpactReport(
    ulong Block,
    ulong Timestamp,
    ProposedChange Change,
    BigInteger AccountBalance,
    BigInteger CirculatingBefore,
    BigInteger CirculatingAfter,
    BigInteger? LiveFreeFloatBefore,
    BigInteger? LiveFreeFloatAfter,
    string? LiveFreeFloatError,
    BigInteger? CommittedFreeFloat,
    BigInteger? ProjectedCommittedFreeFloat,
    WeightsImpact Weights,
    string? Note);

/// <summary>Computes an <see cref="ImpactReport"/> with batched reads (one JSON-RPC round trip for the state).</summary>
internal static class ImpactCalculator
{
    private static readonly BigInteger s_wad = BigInteger.Pow(10, 18);

    public static async Task<ImpactReport> ComputeAsync(EthereumRpcClient client, SupplyOracleContract oracle, ExcludedAddressRegistryContract registry,
        FreeFloatWeightsContract? weights, ProposedChange change, IReadOnlyDictionary<Address, BigInteger> prices, BigInteger capWad, ulong blockNumber,
        ulong timestamp, CancellationToken cancellationToken)
    {
        var block = BlockId.AtNumber(blockNumber);
        var listed = await oracle.ListedTokensAsync(block, cancellationToken).ConfigureAwait(false);
        var token = new TestTokenContract(client, change.Token); // only its ERC-20 balanceOf is used
        var tokenIndex = listed.ToList().IndexOf(change.Token);
        List<CallRequest> calls =
        [
            registry.OnChainCirculatingCall(change.Token),
            token.BalanceOfCall(change.Account),
            registry.ExclusionCall(change.Token, change.Account),
            oracle.TokenStatesCall(listed),
            oracle.GetFreeFloatSupplyCall(change.Token),
            .. listed.Select(oracle.FreeFloatFactorCall),
            .. listed.Select(oracle.CommittedFreeFloatSupplyCall),
        ];
        var r = await client.CallBatchAsync(calls, block, cancellationToken).ConfigureAwait(false);
        var circulating = Decode(registry, "onChainCirculating", r[0], ExcludedAddressRegistryContract.DecodeOnChainCirculating);
        var balance = TestTokenContract.DecodeBalanceOf(r[1].GetOrThrow());
        var exclusion = ExcludedAddressRegistryContract.DecodeExclusion(r[2].GetOrThrow());
        var states = SupplyOracleContract.DecodeTokenStates(r[3].GetOrThrow());
        var factors = listed.Select((_, i) => SupplyOracleContract.DecodeFreeFloatFactor(r[5 + i].GetOrThrow())).ToList();
        var committed = listed.Select((_, i) => r[5 + listed.Count + i]).ToList();

        // Section 10: onChainCirculating = totalSupply - sum(excluded balances). An update changes neither.
        var after = change.Op switch
        {
            ProposedOp.Add when !exclusion.Excluded => circulating - balance,
            ProposedOp.Remove when exclusion.Excluded => circulating + balance,
            _ => circulating,
        };

        BigInteger? liveBefore = null, liveAfter = null, committedNow = null, committedProjected = null;
        string? liveError = null;
        if (tokenIndex < 0)
        {
            liveError = "token not listed in the oracle";
        }
        else if (r[4].Succeeded)
        {
            liveBefore = SupplyOracleContract.DecodeGetFreeFloatSupply(r[4].ReturnData!);
            // Section 9: floor(floor(liveCirculating / 10**decimals) * factor / 1e18).
            var state = states[tokenIndex];
            liveAfter = after < 0 ? null : after / BigInteger.Pow(10, (int)state.Decimals) * state.Factor / s_wad;
            liveError = after < 0 ? "the registry would revert: excluded balances exceed the total supply" : null;
        }
        else
        {
            liveError = Explain(oracle, r[4]);
        }

        if (tokenIndex >= 0 && committed[tokenIndex].Succeeded)
        {
            committedNow = SupplyOracleContract.DecodeCommittedFreeFloatSupply(committed[tokenIndex].ReturnData!);
            // Section 9: committedCirculating * factor / 1e18, with the new circulating committed at the same factor.
            committedProjected = after < 0 ? null : after * states[tokenIndex].Factor / s_wad;
        }

        var inputs = listed.Select((t, i) => new WeightInput(committed[i].Succeeded, factors[i].Frozen || factors[i].Stale,
            committed[i].Succeeded ? SupplyOracleContract.DecodeCommittedFreeFloatSupply(committed[i].ReturnData!) : 0,
            (int)states[i].Decimals, prices.TryGetValue(t, out var p) ? p : s_wad, 0)).ToList();
        var note = change.Op switch
        {
            ProposedOp.Add when exclusion.Excluded => "the account is already excluded: the change would revert (AlreadyExcluded) and changes nothing",
            ProposedOp.Remove when !exclusion.Excluded => "the account is not excluded: the change would revert (NotExcluded) and changes nothing",
            ProposedOp.Update => "an update changes only kind and evidence, not supply",
            _ => null,
        };
        var weightsImpact = await WeightsAsync(weights, listed, inputs, tokenIndex, committedProjected, prices, capWad, block, cancellationToken).ConfigureAwait(false);
        return new ImpactReport(blockNumber, timestamp, change, balance, circulating, after, liveBefore, liveAfter, liveError, committedNow, committedProjected, weightsImpact, note);
    }

    private static async Task<WeightsImpact> WeightsAsync(FreeFloatWeightsContract? contract, IReadOnlyList<Address> listed, List<WeightInput> inputs,
        int tokenIndex, BigInteger? projected, IReadOnlyDictionary<Address, BigInteger> prices, BigInteger capWad, BlockId block, CancellationToken cancellationToken)
    {
        if (listed.Count == 0)
        {
            return new WeightsImpact(listed, null, null, "the oracle lists no token", "the oracle lists no token");
        }

        WeightOutput? before = null;
        string? beforeError = null;
        try
        {
            if (contract is not null)
            {
                var result = await contract.WeightsAsync(listed, [.. listed.Select(t => prices.TryGetValue(t, out var p) ? p : s_wad)],
                    [.. listed.Select(_ => BigInteger.Zero)], capWad, block, cancellationToken).ConfigureAwait(false);
                before = new WeightOutput(result.Target, [.. result.Actions.Select(a => (WeightAction)a)], result.Halt);
            }
            else
            {
                before = WeightsModel.Evaluate(inputs, capWad);
            }
        }
        catch (ContractRevertException ex)
        {
            beforeError = $"the consumer reverts: {ex.Revert}";
        }
        catch (WeightsModelException ex)
        {
            beforeError = ex.Message;
        }

        WeightOutput? after = null;
        string? afterError = null;
        if (tokenIndex >= 0 && projected is { } supply)
        {
            inputs[tokenIndex] = inputs[tokenIndex] with { CommittedFreeFloat = supply };
        }

        try
        {
            after = WeightsModel.Evaluate(inputs, capWad);
        }
        catch (WeightsModelException ex)
        {
            afterError = ex.Message;
        }

        return new WeightsImpact(listed, before, after, beforeError, afterError);
    }

    private static BigInteger Decode(ContractBinding contract, string function, CallResult result, Func<ReadOnlySpan<byte>, BigInteger> decode)
    {
        if (result.Error is { RevertData: not null } error)
        {
            throw new ContractRevertException(function, contract.DecodeRevert(error.RevertData), error);
        }

        return decode(result.GetOrThrow());
    }

    private static string Explain(SupplyOracleContract oracle, CallResult result) =>
        result.Error is { RevertData: not null } error ? $"the oracle reverts: {oracle.DecodeRevert(error.RevertData)}" : result.Error?.Message ?? "failed";
}
