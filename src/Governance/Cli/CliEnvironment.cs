namespace SupplyOracle.Governance.Cli;

/// <summary>What the CLI takes from its process: environment variables, the clock and the HTTP handler for JSON-RPC.</summary>
/// <param name="GetVariable">Reads an environment variable (null when unset).</param>
/// <param name="Time">The clock (retry and confirmation timing of the transaction sender).</param>
/// <param name="HttpHandler">The HTTP handler JSON-RPC goes through (null: the process-wide pooled handler).</param>
public sealed record CliEnvironment(Func<string, string?> GetVariable, TimeProvider Time, HttpMessageHandler? HttpHandler = null)
{
    /// <summary>The real process environment and clock.</summary>
    public static CliEnvironment FromProcess() => new(Environment.GetEnvironmentVariable, TimeProvider.System);
}
