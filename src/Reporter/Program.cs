using System.CommandLine;

namespace SupplyOracle.Reporter;

/// <summary>Entry point of <c>supplyoracle-reporter</c>, the node a reporter operator runs (PROTOCOL.md sections 3, 4, 6).</summary>
public static class Program
{
    /// <summary>Parses the command line and runs the chosen command.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Supply Oracle reporter node: observes free-float supply at pinned blocks, signs and gossips it.");
        return root.Parse(args).InvokeAsync();
    }
}
