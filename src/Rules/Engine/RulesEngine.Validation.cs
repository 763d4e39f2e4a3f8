using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Rules.Engine;

public static partial class RulesEngine
{
    // Rejects input that breaks the protocol before any rule runs, naming the offending field.
    private static (Dictionary<Address, TokenState> States, Dictionary<Address, List<Observation>> ObservationsByToken) Validate(RulesInput input)
    {
        ArgumentNullException.ThrowIfNull(input.Parameters);
        ArgumentNullException.ThrowIfNull(input.State);
        ArgumentNullException.ThrowIfNull(input.Observations);
        var p = input.Parameters;
        p.Validate();

        // docs/protocol.md section 3: B_r = r * roundBlocks.
        var header = input.Header;
        if ((UInt128)header.Round.Value * p.RoundBlocks != header.ReferenceBlock)
        {
            throw new RulesInputException("referenceBlock", RulesInputError.Inconsistent,
                $"round {header.Round} with roundBlocks {p.RoundBlocks} has reference block {(UInt128)header.Round.Value * p.RoundBlocks}, got {header.ReferenceBlock}");
        }

        var states = new Dictionary<Address, TokenState>();
        for (var i = 0; i < input.State.Count; i++)
        {
            var s = input.State[i] ?? throw new RulesInputException($"state[{i}]", RulesInputError.OutOfRange, "is null");
            ValidateState(s, $"state[{i}]");
            if (!states.TryAdd(s.Token, s))
            {
                throw new RulesInputException($"state[{i}].token", RulesInputError.Duplicate, $"{s.Token} has two state entries");
            }
        }

        var reporters = p.Reporters.ToHashSet();
        var byToken = new Dictionary<Address, List<Observation>>();
        var seen = new HashSet<(Address, Address)>();
        for (var i = 0; i < input.Observations.Count; i++)
        {
            var o = input.Observations[i];
            if (!reporters.Contains(o.Reporter))
            {
                throw new RulesInputException($"observations[{i}].reporter", RulesInputError.UnknownReporter,
                    $"{o.Reporter} is not a registered reporter");
            }

            if (!seen.Add((o.Reporter, o.Token)))
            {
                throw new RulesInputException($"observations[{i}]", RulesInputError.Duplicate,
                    $"reporter {o.Reporter} observed token {o.Token} twice; a reporter has at most one batch per round");
            }

            if (!byToken.TryGetValue(o.Token, out var list))
            {
                byToken[o.Token] = list = [];
            }

            list.Add(o);
        }

        return (states, byToken);
    }

    private static void ValidateState(TokenState s, string field)
    {
        if (s.Initialized)
        {
            // Everything the contract stores on a commit: a factor and anchor in [1, 1e18], a uint128 circulating.
            Require(s.Factor.IsCommittable, field + ".factor", "an initialized token has a factor in [1, 1e18]");
            Require(s.Anchor.IsCommittable, field + ".anchor", "an initialized token has an anchor in [1, 1e18]");
            Require(s.Circulating.FitsUInt128, field + ".circulating", "a committed circulating value fits uint128");
        }
        else
        {
            Require(!s.Frozen, field + ".frozen", "a token never committed cannot be frozen");
            Require(!s.Factor.IsCommittable, field + ".factor", "a token never committed has no factor (0)");
        }
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw new RulesInputException(field, RulesInputError.Inconsistent, message);
        }
    }
}
