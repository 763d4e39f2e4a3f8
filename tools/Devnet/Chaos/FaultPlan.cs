using System.Globalization;

namespace SupplyOracle.Devnet.Chaos;

/// <summary>The faults the chaos run injects (issue 24).</summary>
internal enum FaultKind
{
    /// <summary>kill -9 the aggregator, start it again after a moment.</summary>
    AggregatorKill,

    /// <summary>kill -9 the aggregator while its commit transaction sits unmined in anvil's pool, then let the chain mine it.</summary>
    AggregatorKillInFlight,

    /// <summary>SIGSTOP the aggregator, SIGCONT it later.</summary>
    AggregatorStop,

    /// <summary>kill -9 a reporter, start it again after a moment.</summary>
    ReporterKill,

    /// <summary>SIGSTOP a reporter, SIGCONT it later.</summary>
    ReporterStop,

    /// <summary>PostgreSQL stopped in immediate mode (<c>pg_ctl -m immediate</c>: SIGQUIT to the postmaster) and started again.</summary>
    PostgresRestart,

    /// <summary>SIGSTOP anvil (the chain stalls), SIGCONT it later; shorter than the aggregator's close window.</summary>
    AnvilPause,

    /// <summary>The proxied reporters' JSON-RPC endpoint lies: a head a few blocks behind and block hashes that are not the chain's.</summary>
    RpcLie,

    /// <summary>The proxied reporters' JSON-RPC endpoint never answers (longer than their RPC timeout).</summary>
    RpcTimeout,
}

/// <summary>One scheduled fault.</summary>
/// <param name="Index">Its position in the schedule (1-based).</param>
/// <param name="Kind">What it does.</param>
/// <param name="At">When it starts, from the start of the fault phase.</param>
/// <param name="Duration">How long the node stays down, stopped or lying (zero: as short as the fault allows).</param>
/// <param name="Reporter">For reporter faults, which reporter (0-based); otherwise 0.</param>
internal sealed record PlannedFault(int Index, FaultKind Kind, TimeSpan At, TimeSpan Duration, int Reporter)
{
    /// <summary>e.g. <c>#3 ReporterKill reporter-2 for 2.5 s at +60 s</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"#{Index} {Kind}{(Kind is FaultKind.ReporterKill or FaultKind.ReporterStop ? $" reporter-{Reporter + 1}" : "")} for {Duration.TotalSeconds:F1} s at +{At.TotalSeconds:F0} s");
}

/// <summary>
/// The seeded fault schedule: every kind once in a shuffled order, then again, until the run's faults are placed; the
/// same seed gives the same faults, targets, durations and times. Faults are spread evenly over the run with a
/// seeded jitter, so that each is followed by rounds without faults (rounds lost are attributed to it).
/// </summary>
internal static class FaultPlan
{
    /// <summary>The least spacing between two faults: three ~10 s rounds, so a fault's effect ends before the next.</summary>
    public static readonly TimeSpan MinimumSpacing = TimeSpan.FromSeconds(20);

    /// <summary>Spacing aimed at in long runs.</summary>
    public static readonly TimeSpan PreferredSpacing = TimeSpan.FromSeconds(30);

    /// <summary>Every kind, in declaration order.</summary>
    public static IReadOnlyList<FaultKind> Kinds { get; } = Enum.GetValues<FaultKind>();

    /// <summary>
    /// The schedule of a <paramref name="length"/> fault phase: one fault every ~30 s, at least one of each kind
    /// (the spacing shrinks to <see cref="MinimumSpacing"/> to fit them), never more than fit at that spacing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The phase is too short for one fault of each kind.</exception>
    public static IReadOnlyList<PlannedFault> Create(int seed, TimeSpan length, int reporters, TimeSpan closeWindow)
    {
        var fit = (int)(length / MinimumSpacing);
        if (fit < Kinds.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length,
                string.Create(CultureInfo.InvariantCulture, $"{Kinds.Count} fault kinds need at least {(Kinds.Count * MinimumSpacing).TotalMinutes:F0} minutes"));
        }

        var count = Math.Max(Kinds.Count, (int)(length / PreferredSpacing));
        var spacing = length / count;
        var random = new Random(seed);
        var kinds = new List<FaultKind>();
        while (kinds.Count < count)
        {
            var round = Kinds.ToArray();
            random.Shuffle(round);
            kinds.AddRange(round);
        }

        var faults = new List<PlannedFault>();
        for (var i = 0; i < count; i++)
        {
            var kind = kinds[i];
            var at = spacing * i + spacing * (random.NextDouble() * 0.25);
            var duration = kind switch
            {
                FaultKind.AggregatorKill or FaultKind.AggregatorKillInFlight => Seconds(random, 1, 4),
                FaultKind.AggregatorStop => Seconds(random, 2, 8),
                FaultKind.ReporterKill => Seconds(random, 1, 5),
                FaultKind.ReporterStop => Seconds(random, 2, 10),
                FaultKind.PostgresRestart => TimeSpan.Zero,
                // A chain stall shorter than the close window must lose no round (issue 24 "Must show").
                FaultKind.AnvilPause => Seconds(random, 2, Math.Max(2.5, closeWindow.TotalSeconds - 1)),
                FaultKind.RpcLie or FaultKind.RpcTimeout => Seconds(random, 8, 16),
                _ => throw new InvalidOperationException($"unknown fault kind {kind}"),
            };
            var reporter = kind is FaultKind.ReporterKill or FaultKind.ReporterStop ? random.Next(reporters) : 0;
            faults.Add(new PlannedFault(i + 1, kind, at, duration, reporter));
        }

        return faults;
    }

    private static TimeSpan Seconds(Random random, double min, double max) =>
        TimeSpan.FromSeconds(Math.Round(min + random.NextDouble() * (max - min), 1));
}
