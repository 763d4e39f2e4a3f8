using System.Diagnostics;
using System.Globalization;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Benchmarks.GasDay;

/// <summary>
/// <c>./bench.sh gas-day [hours] [tokens] [seed] [drift-percent-per-day] [random|daily]</c>: the commit policy of docs/protocol.md section 5 step 12 (protocol 1.1)
/// over a simulated week on one anvil. Two SupplyOracles (7 reporters, quorum 5, section 8 defaults otherwise) see the
/// same <see cref="ChangePattern"/> every hour: one with the policy (heartbeat 12 hours, supplyDeviationBps 50; protocol 1.2:
/// the heartbeat falls due at the start of each 12-hour period, so the quiet tokens' heartbeats share a transaction), one
/// committing every round as before protocol 1.1 (heartbeat = minCommitInterval = 1 hour, so every round is due). Every
/// round runs the whole section 6 flow of the protocol layer (signed batches, the rules engine, proposal verification
/// by every reporter, attestations, the commit transaction); gas is the commits' receipt <c>gasUsed</c>. The first
/// round (every token's first commit) is not counted. Targets: policy &lt;= 0.1 of every-round, &lt;= 15,000 gas per
/// token per day.
/// </summary>
public sealed class GasDayBenchmark : IBenchmark
{
    private const int Reporters = 7;
    private const int Quorum = 5;
    private const ulong Hour = 3_600;

    /// <inheritdoc />
    public string Name => "gas-day";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var hours = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 168;
        var tokens = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        var driftPercentPerDay = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 0.1;
        var daily = args.Length > 4 && args[4] == "daily";
        var clock = Stopwatch.StartNew();

        await using var node = await AnvilNode.StartAsync(cancellationToken: cancellationToken);
        var defaults = OracleNetworkOptions.DefaultParameters with { MinReporters = Quorum };
        var policy = await OracleNetwork.DeployAsync(node, new OracleNetworkOptions { Reporters = Reporters, Tokens = tokens, Parameters = defaults },
            cancellationToken);
        var everyRound = await OracleNetwork.DeployAsync(node,
            new OracleNetworkOptions { Reporters = Reporters, Tokens = tokens, Parameters = defaults with { Heartbeat = defaults.MinCommitInterval } },
            cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gas-day: {tokens} tokens, {Reporters} reporters, quorum {Quorum}, {hours} hourly rounds ({hours / 24.0:0.#} days), seed {seed}; set-up {clock.Elapsed.TotalSeconds:F0} s"));

        var pattern = new ChangePattern(tokens, hours, seed, driftPercentPerDay / 100, daily);
        var a = new Tally("policy (heartbeat 43200 s, supplyDeviationBps 50)", policy);
        var b = new Tally("every round (heartbeat = minCommitInterval = 3600 s)", everyRound);
        for (var hour = 0; hour <= hours; hour++)
        {
            if (hour > 0)
            {
                pattern.Advance(hour);
                await node.IncreaseTimeAsync(Hour);
            }

            var header = await policy.NextRoundAsync(cancellationToken);
            foreach (var tally in new[] { a, b })
            {
                // Both networks send from dev account 0 with their own sender: let each read the nonce from the node.
                tally.Network.Owner.ResetNonce();
                var run = await tally.Network.RunRoundAsync(header, await BatchesAsync(tally.Network, header, pattern, hour, cancellationToken), cancellationToken);
                if (hour > 0)
                {
                    tally.Add(run);
                }
            }

            if (hour % 24 == 0 && hour > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  day {hour / 24}: policy {a.Transactions} tx / {a.Updates} updates / {a.Gas:N0} gas; every round {b.Transactions} tx / {b.Updates} updates / {b.Gas:N0} gas ({clock.Elapsed.TotalSeconds:F0} s)"));
            }
        }

        var days = hours / 24.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pattern: {pattern.TierChanges} factor tier changes ({(daily ? "at one hour of the day" : "at random hours")}), {pattern.UnlocksDone} vesting unlocks, excluded balances drifting {driftPercentPerDay} %/day (see bench/Benchmarks/GasDay/ChangePattern.cs)"));
        foreach (var t in new[] { a, b })
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{t.Label}: {t.Transactions} commits, {t.Updates} token updates, {t.Gas:N0} gas; outcomes in the rounds that committed: {t.Reasons}"));
            // Where the gas goes: commits per day (each carries the fixed ~80k of a commit) and gas per token update.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {t.Transactions / days:F1} commits/day, {t.Updates / days / tokens:F2} updates per token per day, {(t.Updates == 0 ? 0 : t.Gas / (ulong)t.Updates):N0} gas per token update (fixed cost included)"));
        }

        var perA = a.Gas / (double)tokens / days;
        var perB = b.Gas / (double)tokens / days;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gas per token per day, every-round commits: {perB:N0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio policy / every-round: {perA / perB:F3} (target <= 0.1)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gas per token per day with the commit policy: {perA:N0} (target <= 15,000)"));
        return 0;
    }

    // Every reporter's signed batch for the round: the pattern's figures at this hour, tokens ascending by address.
    private static async Task<List<SignedBatch>> BatchesAsync(OracleNetwork network, ReportHeader header, ChangePattern pattern, int hour,
        CancellationToken cancellationToken)
    {
        var batches = new List<SignedBatch>(Reporters);
        for (var r = 0; r < Reporters; r++)
        {
            var observations = network.Tokens.Select((t, i) => new TokenObservation(t.Address, pattern.Circulating(i, hour), pattern.Factor(i, r, hour)));
            batches.Add(await network.SignBatchAsync(r, header, observations, cancellationToken));
        }

        return batches;
    }

    private sealed class Tally(string label, OracleNetwork network)
    {
        private readonly Dictionary<OutcomeReason, int> _reasons = [];

        public string Label { get; } = label;

        public OracleNetwork Network { get; } = network;

        public int Transactions { get; private set; }

        public int Updates { get; private set; }

        public ulong Gas { get; private set; }

        public string Reasons => string.Join(", ", _reasons.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"));

        public void Add(RoundRun? run)
        {
            if (run is null)
            {
                return; // nothing to propose: no transaction (section 5)
            }

            foreach (var o in run.Evaluation.Result.Outcomes)
            {
                _reasons[o.Reason] = _reasons.GetValueOrDefault(o.Reason) + 1;
            }

            var committed = run.Transaction.Receipt.Logs.Select(SupplyOracleContract.CommittedEvent.TryDecode).OfType<SupplyOracleContract.CommittedEvent>().Single();
            if (committed.Rejected != 0)
            {
                throw new InvalidOperationException($"{Label}: round {committed.Round} had {committed.Rejected} rejected updates");
            }

            Transactions++;
            Updates += run.Evaluation.Report.Updates.Count;
            Gas += run.Transaction.Receipt.GasUsed;
        }
    }
}
