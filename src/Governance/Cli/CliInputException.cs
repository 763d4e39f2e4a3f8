namespace SupplyOracle.Governance.Cli;

/// <summary>Bad input (exit code 2): <see cref="Option"/> names the option or setting at fault.</summary>
internal sealed class CliInputException(string option, string problem) : Exception($"{option}: {problem}")
{
    /// <summary>The option (or environment variable, or file) the problem is with.</summary>
    public string Option { get; } = option;

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; } = problem;
}

/// <summary>A command that cannot go on for a reason other than bad input (exit code 1), already explained.</summary>
internal sealed class CommandFailedException(string error, string message) : Exception(message)
{
    /// <summary>A short machine-readable cause (a custom error's name, <c>aborted</c>, <c>reverted</c>, ...).</summary>
    public string Error { get; } = error;
}
