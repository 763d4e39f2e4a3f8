namespace SupplyOracle.Rules;

/// <summary>What is wrong with an input the rules engine was given.</summary>
public enum RulesInputError
{
    /// <summary>A value lies outside the range the protocol allows.</summary>
    OutOfRange,

    /// <summary>Two values conflict with each other (e.g. <c>minReporters</c> above the reporter count).</summary>
    Inconsistent,

    /// <summary>The same key appears twice where it must be unique.</summary>
    Duplicate,

    /// <summary>An observation names a reporter outside the registered set.</summary>
    UnknownReporter,
}

/// <summary>
/// Thrown when the rules engine is given input that breaks the protocol (docs/protocol.md sections 5 and 8). Callers branch
/// on <see cref="Error"/> and <see cref="Field"/>, never on the message.
/// </summary>
public sealed class RulesInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RulesInputException(string field, RulesInputError error, string message)
        : base($"{field}: {message}")
    {
        Field = field;
        Error = error;
    }

    /// <summary>Creates the exception.</summary>
    public RulesInputException()
        : this("input", RulesInputError.OutOfRange, "invalid rules input")
    {
    }

    /// <summary>Creates the exception.</summary>
    public RulesInputException(string message)
        : this("input", RulesInputError.OutOfRange, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RulesInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "input";
    }

    /// <summary>The offending field, e.g. <c>parameters.minReporters</c> or <c>observations[3].factor</c>.</summary>
    public string Field { get; } = "input";

    /// <summary>The kind of problem.</summary>
    public RulesInputError Error { get; }
}
