using System.Globalization;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Chain;
using SupplyOracle.Devnet.Processes;

namespace SupplyOracle.Devnet.Governance;

/// <summary>
/// Drives the governance CLI (<c>supplyoracle</c>, README "Governance CLI") as an operator would: the owner's key is
/// passed by environment variable name (<c>--private-key-env</c>), never on the command line.
/// </summary>
internal sealed class GovernanceCli(Uri rpcUrl, Address oracle)
{
    /// <summary>The environment variable the CLI reads the owner's key from.</summary>
    public const string OwnerKeyVariable = "DEVNET_OWNER_KEY";

    /// <summary><c>supplyoracle registry propose</c>: queues an exclusion; returns the CLI's output.</summary>
    public Task<string> ProposeExclusionAsync(Address token, Address account, string kind, string evidenceFile, CancellationToken cancellationToken) =>
        RunAsync(["registry", "propose", "--token", token.ToString(), "--account", account.ToString(), "--kind", kind, "--evidence", evidenceFile],
            cancellationToken);

    /// <summary><c>supplyoracle registry execute</c>: executes a proposal whose timelock has elapsed; returns the CLI's output.</summary>
    public Task<string> ExecuteAsync(BigInteger id, CancellationToken cancellationToken) =>
        RunAsync(["registry", "execute", "--id", id.ToString(CultureInfo.InvariantCulture)], cancellationToken);

    private Task<string> RunAsync(IReadOnlyList<string> command, CancellationToken cancellationToken) =>
        CommandLine.RunAsync(Executables.Governance,
            [.. command, "--rpc", rpcUrl.ToString(), "--oracle", oracle.ToString(), "--private-key-env", OwnerKeyVariable, "--yes"],
            new Dictionary<string, string> { [OwnerKeyVariable] = DevnetChain.OwnerPrivateKey },
            cancellationToken);
}
