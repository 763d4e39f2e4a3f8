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
    /// <c>stale</c> quickly, a 25 s heartbeat (section 5 step 12) so an unchanged token is left out (Unchanged) for one
    /// or two rounds and re-committed in the first round of each 25 s heartbeat period (protocol 1.2); quorum, divergence
    /// band, clamps and supplyDeviationBps at their defaults.
    /// Valid per section 8 (a test checks).
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
        MaxReportAgeBlocks: 256,
        Heartbeat: HeartbeatSeconds,
        SupplyDeviationBps: 50);

    /// <summary>The devnet's heartbeat: an unchanged token commits in the first ~10 s round of every 25 s period.</summary>
    public const ulong HeartbeatSeconds = 25;

    /// <summary>The chain id (anvil's default).</summary>
    public const ulong ChainId = 31_337;
}
