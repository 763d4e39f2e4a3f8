namespace SupplyOracle.Governance.Cli;

/// <summary>What the CLI takes from its process: environment variables, the clock and the HTTP client for JSON-RPC.</summary>
/// <param name="GetVariable">Reads an environment variable (null when unset).</param>
/// <param name="Time">The clock (retry and confirmation timing of the transaction sender).</param>
/// <param name="Http">The HTTP client JSON-RPC goes through.</param>
public sealed record CliEnvironment(Func<string, string?> GetVariable, TimeProvider Time, HttpClient Http)
{
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The real process environment and clock.</summary>
    public static CliEnvironment FromProcess() => new(Environment.GetEnvironmentVariable, TimeProvider.System, s_http);
}
