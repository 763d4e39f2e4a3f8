namespace SupplyOracle.Devnet.Chaos;

/// <summary>What one chaos run does (<c>supplyoracle-devnet chaos</c>, <c>./bench.sh chaos</c>).</summary>
/// <param name="Length">How long faults are injected (the run also sets up, waits for a first commit and settles).</param>
/// <param name="Seed">The schedule's seed: the same seed gives the same faults.</param>
/// <param name="Directory">Keys, configuration, journals, logs.</param>
/// <param name="Keep">Keep <paramref name="Directory"/> afterwards.</param>
internal sealed record ChaosOptions(TimeSpan Length, int Seed, string Directory, bool Keep);
