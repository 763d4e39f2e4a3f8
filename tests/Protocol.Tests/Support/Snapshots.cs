using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Protocol.Tests.Support;

/// <summary>Oracle snapshots without a chain, for unit tests.</summary>
internal static class Snapshots
{
    public static SupplyOracleContract.Params Parameters { get; } =
        new(10, 3, 200, 3_600, 1_000, 86_400, 2_500, 86_400, 30 * 86_400, 256, 43_200, 50);

    public static SupplyOracleContract.TokenView NeverCommitted { get; } = new(true, false, false, false, 18, 0, 0, 0, 0, 0);

    public static OracleSnapshot Create(IEnumerable<Address> reporters, IEnumerable<Address> tokens, ulong block = 100, ulong lastRound = 0,
        bool paused = false, Func<Address, SupplyOracleContract.TokenView>? view = null) =>
        new(block, Contracts.Bindings.Crypto.Keccak256.Hash(BitConverter.GetBytes(block)), 1_700_000_100, Parameters, [.. reporters],
            [.. tokens.Select(t => new ListedToken(t, view?.Invoke(t) ?? NeverCommitted))], lastRound, paused);
}
