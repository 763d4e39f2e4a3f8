using System.CommandLine;

namespace SupplyOracle.Aggregator;

/// <summary>Entry point of <c>supplyoracle-aggregator</c>, the service that turns signed observations into commits.</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Supply Oracle aggregator: collects signed observations, applies the rules, commits reports.");
        return root.Parse(args).InvokeAsync();
    }
}
