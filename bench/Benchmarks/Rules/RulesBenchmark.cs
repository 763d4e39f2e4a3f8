using System.Diagnostics;
using System.Globalization;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Benchmarks.Rules;

/// <summary>
/// <c>./bench.sh rules [tokens] [seconds]</c>: how long <see cref="RulesEngine.Evaluate"/> takes for one round with
/// the largest reporter set (31 reporters, every one observing every token), and the 45-byte update encoding.
/// Every reporter re-runs this per proposal, so it must stay far below a block time.
/// </summary>
public sealed class RulesBenchmark : IBenchmark
{
    private const ulong Now = 1_700_000_000;

    /// <inheritdoc />
    public string Name => "rules";

    /// <inheritdoc />
    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var tokens = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var input = BuildInput(tokens, reporters: 31);

        // Warm up, then count whole rounds for the given time.
        var result = RulesEngine.Evaluate(input);
        var rounds = 0;
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed.TotalSeconds < seconds && !cancellationToken.IsCancellationRequested)
        {
            result = RulesEngine.Evaluate(input);
            _ = result.Report.EncodeUpdates();
            rounds++;
        }

        stopwatch.Stop();
        var perRoundMs = stopwatch.Elapsed.TotalMilliseconds / rounds;
        var commits = result.Outcomes.Count(o => o.Reason == OutcomeReason.Commit);
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"rules: {tokens} tokens x 31 reporters ({tokens * 31} observations, {commits} commits): {rounds} rounds in {stopwatch.Elapsed.TotalSeconds:F1} s, {perRoundMs:F3} ms/round, {perRoundMs * 1000 / tokens:F1} us/token"));
        return 0;
    }

    private static RulesInput BuildInput(int tokenCount, int reporters)
    {
        var random = new Random(7);
        var reporterSet = Enumerable.Range(1, reporters).Select(i => AddressOf(0x100000 + i)).ToArray();
        var state = new List<TokenState>();
        var observations = new List<Observation>();
        for (var t = 0; t < tokenCount; t++)
        {
            var token = AddressOf(0x200000 + t);
            var prev = (ulong)random.NextInt64(100_000_000_000_000_000, 900_000_000_000_000_000);
            state.Add(new TokenState(token, new Wad(prev), Now - 7_200, new Wad(prev), Now - 90_000, true, false, new TokenAmount(1_000_000UL)));
            foreach (var reporter in reporterSet)
            {
                var factor = prev + (ulong)random.NextInt64(0, 10_000_000_000_000_000);
                observations.Add(new Observation(reporter, token, new TokenAmount(1_000_000UL), new Wad(factor)));
            }
        }

        var parameters = new RulesParameters { Reporters = reporterSet, MinReporters = 21 };
        return new RulesInput(new ReportHeader(new RoundId(10), 3_000, Now, Hash32.Zero), parameters, state, observations);
    }

    private static Address AddressOf(int n)
    {
        var bytes = new byte[Address.Size];
        bytes[16] = (byte)(n >> 24);
        bytes[17] = (byte)(n >> 16);
        bytes[18] = (byte)(n >> 8);
        bytes[19] = (byte)n;
        return new Address(bytes);
    }
}
