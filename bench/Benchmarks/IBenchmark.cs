namespace SupplyOracle.Benchmarks;

/// <summary>A benchmark run by <c>./bench.sh NAME</c>: it prints its own figures and returns an exit code.</summary>
public interface IBenchmark
{
    /// <summary>The name on the command line (bench/NAME.sh calls this host with it).</summary>
    string Name { get; }

    /// <summary>Runs the benchmark and prints its figures to standard output.</summary>
    Task<int> RunAsync(string[] args, CancellationToken cancellationToken);
}
