// Contracts.Bindings gained its own Primitives.TokenAmount; inside Rules the name means the rules' domain value.
global using TokenAmount = SupplyOracle.Rules.Domain.TokenAmount;
