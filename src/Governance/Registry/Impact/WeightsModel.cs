using System.Numerics;

namespace SupplyOracle.Governance.Registry.Impact;

/// <summary>What the reference consumer reads of one token (FreeFloatWeights.weights' inputs).</summary>
/// <param name="Readable">False when <c>committedFreeFloatSupply</c> reverts (paused, never committed, commit too old).</param>
/// <param name="Held">Frozen or stale: the consumer keeps the current weight.</param>
/// <param name="CommittedFreeFloat">committedFreeFloatSupply in native units (docs/protocol.md section 9).</param>
/// <param name="Decimals">The token's decimals.</param>
/// <param name="PriceWad">WAD price of one whole token.</param>
/// <param name="CurrentWeight">The vault's current weight (WAD).</param>
internal sealed record WeightInput(bool Readable, bool Held, BigInteger CommittedFreeFloat, int Decimals, BigInteger PriceWad, BigInteger CurrentWeight);

/// <summary>The consumer's answer: target weights (WAD), per-token action and whether the rebalance halts.</summary>
internal sealed record WeightOutput(IReadOnlyList<BigInteger> Target, IReadOnlyList<WeightAction> Actions, bool Halt);

/// <summary>FreeFloatWeights.Action.</summary>
internal enum WeightAction
{
    Rebalance = 0,
    Hold = 1,
    Halt = 2,
}

/// <summary>The capped split cannot be computed; the contract reverts with the same error.</summary>
internal sealed class WeightsModelException(string error) : Exception($"the reference consumer would revert with {error}")
{
    public string Error { get; } = error;
}

/// <summary>
/// The reference consumer's weights (src/Contracts.Bindings/Solidity/src/consumer/FreeFloatWeights.sol) evaluated
/// off-chain, for states that do not exist on chain yet (the state after the next commit). Same integer arithmetic
/// (mulDiv rounds down); a differential test checks it against the deployed contract.
/// </summary>
internal static class WeightsModel
{
    private static readonly BigInteger s_wad = BigInteger.Pow(10, 18);

    public static WeightOutput Evaluate(IReadOnlyList<WeightInput> tokens, BigInteger capWad)
    {
        var n = tokens.Count;
        var target = new BigInteger[n];
        var actions = new WeightAction[n];
        var caps = new BigInteger[n];
        var budget = s_wad;
        var live = 0;
        var halt = false;
        for (var i = 0; i < n; i++)
        {
            var t = tokens[i];
            if (!t.Readable)
            {
                actions[i] = WeightAction.Halt;
                halt = true;
            }
            else if (t.Held)
            {
                actions[i] = WeightAction.Hold;
                target[i] = t.CurrentWeight;
                budget = budget > t.CurrentWeight ? budget - t.CurrentWeight : 0;
            }
            else
            {
                caps[i] = t.CommittedFreeFloat * t.PriceWad / BigInteger.Pow(10, t.Decimals);
                live++;
            }
        }

        if (halt)
        {
            return new WeightOutput([.. tokens.Select(t => t.CurrentWeight)], actions, true);
        }

        if (live == 0)
        {
            return new WeightOutput(target, actions, false);
        }

        if (capWad * live < budget)
        {
            throw new WeightsModelException($"CapTooLow({capWad}, {live}, {budget})");
        }

        Distribute(target, actions, caps, budget, capWad);
        return new WeightOutput(target, actions, false);
    }

    private static void Distribute(BigInteger[] target, WeightAction[] actions, BigInteger[] marketCap, BigInteger budget, BigInteger capWad)
    {
        var capped = new bool[target.Length];
        while (true)
        {
            BigInteger total = 0;
            for (var i = 0; i < target.Length; i++)
            {
                if (actions[i] == WeightAction.Rebalance && !capped[i])
                {
                    total += marketCap[i];
                }
            }

            if (total.IsZero)
            {
                throw new WeightsModelException("NoMarketCap()");
            }

            var changed = false;
            for (var i = 0; i < target.Length; i++)
            {
                if (actions[i] != WeightAction.Rebalance || capped[i])
                {
                    continue;
                }

                var w = budget * marketCap[i] / total;
                if (w > capWad)
                {
                    capped[i] = true;
                    target[i] = capWad;
                    budget -= capWad;
                    changed = true;
                    break;
                }

                target[i] = w;
            }

            if (!changed)
            {
                return;
            }
        }
    }
}
