using SupplyOracle.Contracts.Bindings.Abi;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;

namespace SupplyOracle.Contracts.Bindings.Bindings;

/// <summary>
/// The base of generated contract bindings: ABI-encoded calls at a block, transactions through a
/// <see cref="TransactionSender"/>, and reverts decoded with the contract's errors into a
/// <see cref="ContractRevertException"/>.
/// </summary>
public abstract class ContractBinding
{
    /// <summary>Binds a deployed contract.</summary>
    protected ContractBinding(EthereumRpcClient client, Address address, ContractAbi abi)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(abi);
        Client = client;
        Address = address;
        Abi = abi;
    }

    /// <summary>The contract's address.</summary>
    public Address Address { get; }

    /// <summary>The RPC client reads go through.</summary>
    public EthereumRpcClient Client { get; }

    /// <summary>The contract's ABI.</summary>
    public ContractAbi Abi { get; }

    /// <summary>The eth_call request of a function call (for <see cref="EthereumRpcClient.CallBatchAsync"/>).</summary>
    public CallRequest BuildCall(AbiFunction function, params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(function);
        return new CallRequest(Address, function.EncodeCall(arguments));
    }

    /// <summary>Calls a function at a block and decodes its outputs.</summary>
    /// <exception cref="ContractRevertException">the call reverted.</exception>
    protected async Task<IReadOnlyList<object>> CallAsync(AbiFunction function, object[] arguments, BlockId block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        try
        {
            var data = await Client.CallAsync(BuildCall(function, arguments), block, cancellationToken).ConfigureAwait(false);
            return function.DecodeOutput(data);
        }
        catch (JsonRpcException ex) when (ex.RevertData is not null)
        {
            throw new ContractRevertException(function.Name, Abi.DecodeRevert(ex.RevertData), ex);
        }
    }

    /// <summary>Sends a function call as a transaction and waits for its confirmation.</summary>
    /// <exception cref="ContractRevertException">gas estimation reverted (the transaction would fail).</exception>
    protected async Task<ConfirmedTransaction> TransactAsync(TransactionSender sender, AbiFunction function, object[] arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(function);
        var pending = await SendAsync(sender, new TransactionRequest(Address, function.EncodeCall(arguments)), function.Name, Abi, cancellationToken).ConfigureAwait(false);
        return await sender.WaitForConfirmationAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deploys bytecode with ABI-encoded constructor arguments; returns the new contract's address.</summary>
    protected static async Task<Address> DeployAsync(TransactionSender sender, ContractAbi abi, ReadOnlyMemory<byte> bytecode, object[] arguments,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(abi);
        var args = AbiEncoder.Encode([.. abi.ConstructorInputs.Select(i => i.Type)], arguments);
        var initCode = new byte[bytecode.Length + args.Length];
        bytecode.Span.CopyTo(initCode);
        args.CopyTo(initCode, bytecode.Length);
        var pending = await SendAsync(sender, new TransactionRequest(null, initCode), "constructor", abi, cancellationToken).ConfigureAwait(false);
        var confirmed = await sender.WaitForConfirmationAsync(pending, cancellationToken).ConfigureAwait(false);
        return confirmed.Receipt.ContractAddress
            ?? throw new JsonRpcTransportException(JsonRpcTransportFailure.UnexpectedResult, "receipt", "a creation receipt without contractAddress");
    }

    private static async Task<PendingTransaction> SendAsync(TransactionSender sender, TransactionRequest request, string function, ContractAbi abi,
        CancellationToken cancellationToken)
    {
        try
        {
            return await sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException ex) when (ex.RevertData is not null)
        {
            throw new ContractRevertException(function, abi.DecodeRevert(ex.RevertData), ex);
        }
    }
}

/// <summary>A contract call reverted; <see cref="Revert"/> is the decoded reason (custom error, Error(string) or Panic).</summary>
public sealed class ContractRevertException(string function, DecodedRevert revert, JsonRpcException inner)
    : Exception($"{function} reverted: {revert}", inner)
{
    /// <summary>The function that reverted.</summary>
    public string Function { get; } = function;

    /// <summary>The decoded revert.</summary>
    public DecodedRevert Revert { get; } = revert;

    /// <summary>The error's name (<c>Error</c>, <c>Panic</c>, a custom error) or null when unknown.</summary>
    public string? ErrorName => Revert.Name;
}
