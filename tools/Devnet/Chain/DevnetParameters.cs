using SupplyOracle.Contracts.Bindings.Bindings;

namespace SupplyOracle.Devnet.Chain;

/// <summary>The oracle and registry settings of the local network.</summary>
internal static class DevnetParameters
{
    /// <summary>anvil mines a block every second (interval mining).</summary>
    public const int BlockTimeSeconds = 1;

    /// <summary>The registry's timelock: the protocol's minimum, 1 hour (docs/protocol.md section 10); anvil's clock is moved past it.</summary>
    public const ulong RegistryDelaySeconds = 3_600;

    /// <summary>The registry's grace period: the protocol's default, 14 days.</summary>
    public const ulong RegistryGraceSeconds = 14 * 86_400;

    /// <summary>
    /// docs/protocol.md section 8 parameters scaled to a ~10 s round: <c>roundBlocks = 10</c> at one block a second, a
    /// cooldown shorter than a round so every round may commit, staleness after 2 minutes so a stalled network shows
    /// <c>stale</c> quickly; quorum, divergence band and clamps at their defaults. Valid per section 8 (a test checks).
    /// </summary>
    public static SupplyOracleContract.Params Oracle { get; } = new(
        RoundBlocks: 10,
        MinReporters: 3,
        DivergenceToleranceBps: 200,
        MinCommitInterval: 5,
        MaxFactorDeltaBps: 1_000,
        Window: 86_400,
        MaxWindowDeltaBps: 2_500,
        ReportStaleAfter: 120,
        MaxCommitAge: 30 * 86_400,
        MaxReportAgeBlocks: 256);

    /// <summary>The chain id (anvil's default).</summary>
    public const ulong ChainId = 31_337;
}
