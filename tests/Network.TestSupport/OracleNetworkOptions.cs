using SupplyOracle.Contracts.Bindings.Bindings;

namespace SupplyOracle.Network.TestSupport;

/// <summary>What <see cref="OracleNetwork"/> deploys.</summary>
public sealed record OracleNetworkOptions
{
    /// <summary>How many registered reporters (dev accounts 1..9 first, then deterministic generated keys). Default 5.</summary>
    public int Reporters { get; init; } = 5;

    /// <summary>How many TestTokens to deploy and list (18 decimals). Default 3.</summary>
    public int Tokens { get; init; } = 3;

    /// <summary>
    /// The oracle parameters. Default: docs/protocol.md section 8 defaults except <c>roundBlocks = 10</c> (rounds cheap to
    /// mine on anvil).
    /// </summary>
    public SupplyOracleContract.Params Parameters { get; init; } = DefaultParameters;

    /// <summary>The registry's timelock delay in seconds (1 hour ..= 30 days). Default 1 hour.</summary>
    public ulong RegistryDelay { get; init; } = 3_600;

    /// <summary>The registry's grace period in seconds. Default 14 days.</summary>
    public ulong RegistryGrace { get; init; } = 14 * 86_400;

    /// <summary>Section 8 defaults with <c>roundBlocks = 10</c>.</summary>
    public static SupplyOracleContract.Params DefaultParameters { get; } =
        new(RoundBlocks: 10, MinReporters: 3, DivergenceToleranceBps: 200, MinCommitInterval: 3_600, MaxFactorDeltaBps: 1_000,
            Window: 86_400, MaxWindowDeltaBps: 2_500, ReportStaleAfter: 86_400, MaxCommitAge: 30 * 86_400, MaxReportAgeBlocks: 256);
}
