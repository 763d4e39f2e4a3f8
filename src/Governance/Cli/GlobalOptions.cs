using System.CommandLine;

namespace SupplyOracle.Governance.Cli;

/// <summary>The options every command takes (recursive on the root command).</summary>
internal sealed class GlobalOptions
{
    /// <summary>Environment variable of the JSON-RPC endpoint.</summary>
    public const string RpcVariable = "SUPPLYORACLE_RPC";

    /// <summary>Environment variable of the SupplyOracle address.</summary>
    public const string OracleVariable = "SUPPLYORACLE_ORACLE";

    /// <summary>Environment variable of the ExcludedAddressRegistry address.</summary>
    public const string RegistryVariable = "SUPPLYORACLE_REGISTRY";

    /// <summary>Environment variable of the keystore password (when no --password-file is given).</summary>
    public const string PasswordVariable = "SUPPLYORACLE_KEYSTORE_PASSWORD";

    public Option<string?> Rpc { get; } = new("--rpc") { Description = $"JSON-RPC endpoint (env {RpcVariable})", Recursive = true };

    public Option<string?> Oracle { get; } = new("--oracle") { Description = $"SupplyOracle address (env {OracleVariable})", Recursive = true };

    public Option<string?> Registry { get; } = new("--registry")
    {
        Description = $"ExcludedAddressRegistry address (env {RegistryVariable}; default: the oracle's registry)",
        Recursive = true,
    };

    public Option<string?> Keystore { get; } = new("--keystore") { Description = "Web3 Secret Storage (v3) keystore file of the sending key", Recursive = true };

    public Option<string?> PasswordFile { get; } = new("--password-file")
    {
        Description = $"File holding the keystore password (default: env {PasswordVariable})",
        Recursive = true,
    };

    public Option<string?> PrivateKeyEnv { get; } = new("--private-key-env")
    {
        Description = "Name of an environment variable holding the hex private key (never pass a key itself)",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of tables", Recursive = true };

    public Option<bool> Raw { get; } = new("--raw") { Description = "Print token amounts in native units instead of whole tokens", Recursive = true };

    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Send without asking for confirmation", Recursive = true };

    public Option<bool> CalldataOnly { get; } = new("--calldata-only")
    {
        Description = "Simulate, then print the target and calldata instead of sending (for a timelock or multisig owner)",
        Recursive = true,
    };

    public Option<string?> From { get; } = new("--from") { Description = "Sender address to simulate as (with --calldata-only and no key)", Recursive = true };

    public Option<decimal> MaxFeeGwei { get; } = new("--max-fee-gwei")
    {
        Description = "Ceiling of maxFeePerGas in gwei",
        DefaultValueFactory = _ => 500m,
        Recursive = true,
    };

    public Option<ulong> Confirmations { get; } = new("--confirmations")
    {
        Description = "Blocks a transaction must be buried under before it counts as done",
        DefaultValueFactory = _ => 1,
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        foreach (var option in new Option[] { Rpc, Oracle, Registry, Keystore, PasswordFile, PrivateKeyEnv, Json, Raw, Yes, CalldataOnly, From, MaxFeeGwei, Confirmations })
        {
            root.Options.Add(option);
        }
    }
}
