namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>Checks command lines against the programs' own parsers.</summary>
public static class CommandLines
{
    /// <summary>The executables and how to run each in-process.</summary>
    public static IReadOnlyDictionary<string, Func<string[], TextWriter, TextWriter, Task<int>>> Programs { get; } =
        new Dictionary<string, Func<string[], TextWriter, TextWriter, Task<int>>>
        {
            ["supplyoracle-reporter"] = (a, o, e) => SupplyOracle.Reporter.Program.RunAsync(a, TextReader.Null, o, e),
            ["supplyoracle-aggregator"] = (a, o, e) => SupplyOracle.Aggregator.Program.RunAsync(a, TextReader.Null, o, e),
            ["supplyoracle"] = (a, o, e) => SupplyOracle.Governance.Program.RunAsync(a, TextReader.Null, o, e),
        };

    /// <summary>
    /// Null when <paramref name="args"/> names an existing (sub)command of <paramref name="executable"/> and only options
    /// it has; otherwise what is wrong. It asks the program for the command's help (<c>--help</c> never starts
    /// anything): the usage line must name the command path and the help must list every option used.
    /// </summary>
    public static async Task<string?> ProblemAsync(string executable, Func<string[], TextWriter, TextWriter, Task<int>> run, IEnumerable<string> args)
    {
        var words = args.ToList();
        var path = words.TakeWhile(w => !w.StartsWith('-')).ToList();
        var options = words.Where(w => w.StartsWith("--", StringComparison.Ordinal)).Select(w => w.Split('=')[0]).ToList();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await run([.. path, "--help"], output, error);
        var help = output.ToString();
        var usage = help.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains($" {string.Join(' ', path)} [options]", StringComparison.Ordinal));
        if (code != 0 || usage is null || path.Count == 0)
        {
            return $"'{executable} {string.Join(' ', path)}' is not a command (exit {code}): {help}{error}";
        }
        var listed = help.Split([' ', ',', '\n', '\r', '|'], StringSplitOptions.RemoveEmptyEntries);
        var missing = options.Where(o => !listed.Contains(o)).ToList();
        return missing.Count == 0 ? null : $"'{executable} {string.Join(' ', path)}' has no option {string.Join(", ", missing)}";
    }
}
