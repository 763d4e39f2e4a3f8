namespace SupplyOracle.Benchmarks;

/// <summary>Finds the benchmark named on the command line among the IBenchmark classes of this assembly and runs it.</summary>
public static class Program
{
    /// <summary>Entry point: <c>SupplyOracle.Benchmarks NAME [args...]</c>.</summary>
    public static async Task<int> Main(string[] args)
    {
        var benchmarks = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsInterface: false } && typeof(IBenchmark).IsAssignableFrom(t))
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .ToDictionary(b => b.Name, StringComparer.Ordinal);
        if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
        {
            await Console.Error.WriteLineAsync(
                $"usage: SupplyOracle.Benchmarks NAME [args...]; known: {string.Join(", ", benchmarks.Keys.Order(StringComparer.Ordinal))}");
            return 2;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return await benchmark.RunAsync(args[1..], cts.Token);
    }
}
