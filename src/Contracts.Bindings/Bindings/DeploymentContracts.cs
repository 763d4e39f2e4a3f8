using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Contracts.Bindings.Bindings;

/// <summary>
/// The start-up check every program (reporter, aggregator, governance CLI) makes of the contracts it is configured
/// with: code is present and the contract answers a read only its kind has. A wrong address thus fails at once with
/// the setting's name instead of an ABI decoding error or an unknown revert later on.
/// </summary>
public static class DeploymentContracts
{
    /// <summary>
    /// Checks that <paramref name="oracle"/> is a SupplyOracle of chain <paramref name="chainId"/>: its EIP-712 domain
    /// (EIP-5267 <c>eip712Domain()</c>) is <c>{"SupplyOracle", "1", chainId, oracle}</c> (docs/protocol.md section 7).
    /// </summary>
    /// <exception cref="ContractMismatchException">It is not; <paramref name="setting"/> names the setting at fault.</exception>
    public static async Task VerifyOracleAsync(EthereumRpcClient client, Address oracle, ulong chainId, string setting, CancellationToken cancellationToken)
    {
        const string Kind = "a SupplyOracle";
        await RequireCodeAsync(client, oracle, setting, Kind, cancellationToken).ConfigureAwait(false);
        SupplyOracleContract.Eip712DomainResult domain;
        try
        {
            domain = await new SupplyOracleContract(client, oracle).Eip712DomainAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsNotThisContract(ex))
        {
            throw new ContractMismatchException(setting, oracle, Kind, $"eip712Domain() failed: {ex.Message}");
        }

        if (domain.Name != "SupplyOracle" || domain.Version != "1" || domain.ChainId != chainId || domain.VerifyingContract != oracle)
        {
            throw new ContractMismatchException(setting, oracle, Kind,
                $"its EIP-712 domain is name '{domain.Name}', version '{domain.Version}', chain {domain.ChainId}, contract {domain.VerifyingContract}");
        }
    }

    /// <summary>Checks that <paramref name="registry"/> is an ExcludedAddressRegistry: it answers <c>MAX_EXCLUDED()</c> and <c>delay()</c>.</summary>
    /// <exception cref="ContractMismatchException">It is not; <paramref name="setting"/> names the setting at fault.</exception>
    public static async Task VerifyRegistryAsync(EthereumRpcClient client, Address registry, string setting, CancellationToken cancellationToken)
    {
        const string Kind = "an ExcludedAddressRegistry";
        await RequireCodeAsync(client, registry, setting, Kind, cancellationToken).ConfigureAwait(false);
        var contract = new ExcludedAddressRegistryContract(client, registry);
        try
        {
            _ = await contract.MAX_EXCLUDEDAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            _ = await contract.DelayAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsNotThisContract(ex))
        {
            throw new ContractMismatchException(setting, registry, Kind, $"a registry read failed: {ex.Message}");
        }
    }

    private static async Task RequireCodeAsync(EthereumRpcClient client, Address address, string setting, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var code = await client.GetCodeAsync(address, BlockId.Latest, cancellationToken).ConfigureAwait(false);
        if (code.Length == 0)
        {
            throw new ContractMismatchException(setting, address, kind, "no contract code at this address");
        }
    }

    // A revert (no such function), an answer that does not decode, or a call error with revert data: the contract is
    // something else. Transport failures stay what they are (the endpoint, not the address, is at fault).
    private static bool IsNotThisContract(Exception ex) =>
        ex is ContractRevertException or AbiException or InvalidCastException || (ex is JsonRpcException rpc && rpc.RevertData is not null);
}

/// <summary>A configured contract address is not the contract the setting names (exit code 2 in every program); <c>expected</c> is "a SupplyOracle" or "an ExcludedAddressRegistry".</summary>
public sealed class ContractMismatchException(string setting, Address address, string expected, string found)
    : Exception($"{setting}: {address} is not {expected} ({found})")
{
    /// <summary>The setting or option at fault, as the program's configuration names it.</summary>
    public string Setting { get; } = setting;

    /// <summary>The configured address.</summary>
    public Address Address { get; } = address;

    /// <summary>What was found instead.</summary>
    public string Found { get; } = found;
}
