using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Governance.Changes;

/// <summary>A state-changing call the CLI is about to simulate and send.</summary>
/// <param name="Target">The contract called.</param>
/// <param name="Function">The function's name in the target's ABI (its outputs decode the simulated outcome).</param>
/// <param name="Call">The call (target and calldata) from the generated binding's <c>XCall</c> builder.</param>
/// <param name="Details">What the call does, for the operator to read before confirming.</param>
internal sealed record PlannedChange(ContractBinding Target, string Function, CallRequest Call, IReadOnlyList<(string Key, string Value)> Details);
