namespace SupplyOracle.Devnet.Orchestration;

/// <summary>What one run of the local network does.</summary>
/// <param name="Rounds">Stop after this many rounds committed on chain (null: run until Ctrl-C).</param>
/// <param name="Directory">Where keys, configuration, logs and the PostgreSQL cluster live.</param>
/// <param name="Keep">Keep <paramref name="Directory"/> when the network stops.</param>
/// <param name="Timeout">With <paramref name="Rounds"/>: how long the whole run may take.</param>
internal sealed record DevnetOptions(int? Rounds, string Directory, bool Keep, TimeSpan Timeout);
