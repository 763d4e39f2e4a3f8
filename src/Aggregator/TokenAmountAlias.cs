// Contracts.Bindings gained its own Primitives.TokenAmount; in the aggregator the name means the rules' domain value.
global using TokenAmount = SupplyOracle.Rules.Domain.TokenAmount;
