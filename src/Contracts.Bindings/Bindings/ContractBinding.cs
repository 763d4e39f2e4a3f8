using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;

namespace SupplyOracle.Contracts.Bindings.Bindings;

/// <summary>
/// The base of generated contract bindings, a thin typed façade over Nethereum's ABI layer: calls are encoded from
/// Nethereum <see cref="FunctionMessage"/>s and decoded into <see cref="IFunctionOutputDTO"/>s, events into
/// <see cref="IEventDTO"/>s, reverts into the contract's typed errors (<see cref="ContractRevertException"/>). Reads go
/// through our <see cref="EthereumRpcClient"/> at a block (batched reads build <see cref="CallRequest"/>s), transactions
/// through a <see cref="TransactionSender"/>.
/// </summary>
public abstract class ContractBinding
{
    private static readonly EventTopicDecoder s_eventDecoder = new();

    /// <summary>Binds a deployed contract.</summary>
    protected ContractBinding(EthereumRpcClient client, Address address, ContractABI abi, RevertDecoder errors)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(abi);
        ArgumentNullException.ThrowIfNull(errors);
        Client = client;
        Address = address;
        Abi = abi;
        Reverts = errors;
    }

    /// <summary>The contract's address.</summary>
    public Address Address { get; }

    /// <summary>The RPC client reads go through.</summary>
    public EthereumRpcClient Client { get; }

    /// <summary>The contract's ABI (Nethereum's model: functions, events, errors).</summary>
    public ContractABI Abi { get; }

    /// <summary>The decoder of the contract's reverts (its custom errors).</summary>
    public RevertDecoder Reverts { get; }

    /// <summary>Decodes revert data with the contract's errors (and Error(string), Panic(uint256)).</summary>
    public DecodedRevert DecodeRevert(ReadOnlySpan<byte> data) => Reverts.Decode(data);

    /// <summary>The eth_call request of a Nethereum function message.</summary>
    protected CallRequest BuildCall<TFunction>(TFunction function) where TFunction : FunctionMessage, new() =>
        new(Address, function.GetCallData());

    /// <summary>Calls at a block (latest when null) and returns the return data.</summary>
    /// <exception cref="ContractRevertException">the call reverted.</exception>
    protected async Task<byte[]> CallAsync(CallRequest call, string function, BlockId? block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await Client.CallAsync(call, block ?? BlockId.Latest, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException ex) when (ex.RevertData is not null)
        {
            throw new ContractRevertException(function, DecodeRevert(ex.RevertData), ex);
        }
    }

    /// <summary>Sends a call as a transaction and waits for its confirmation.</summary>
    /// <exception cref="ContractRevertException">gas estimation reverted (the transaction would fail).</exception>
    protected async Task<ConfirmedTransaction> TransactAsync(TransactionSender sender, CallRequest call, string function, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(call);
        var pending = await SendAsync(sender, new TransactionRequest(Address, call.Data), function, Reverts, cancellationToken).ConfigureAwait(false);
        return await sender.WaitForConfirmationAsync(pending, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deploys a Nethereum deployment message (bytecode and encoded constructor arguments); returns the new contract's address.</summary>
    protected static async Task<Address> DeployAsync<TDeployment>(TransactionSender sender, TDeployment deployment, RevertDecoder errors,
        CancellationToken cancellationToken) where TDeployment : ContractDeploymentMessage, new()
    {
        ArgumentNullException.ThrowIfNull(sender);
        var initCode = Hex.Decode(new Nethereum.Contracts.MessageEncodingServices.DeploymentMessageEncodingService<TDeployment>().GetDeploymentData(deployment));
        var pending = await SendAsync(sender, new TransactionRequest(null, initCode), "constructor", errors, cancellationToken).ConfigureAwait(false);
        var confirmed = await sender.WaitForConfirmationAsync(pending, cancellationToken).ConfigureAwait(false);
        return confirmed.Receipt.ContractAddress
            ?? throw new JsonRpcTransportException(JsonRpcTransportFailure.UnexpectedResult, "receipt", "a creation receipt without contractAddress");
    }

    /// <summary>Decodes return data into a Nethereum output DTO.</summary>
    /// <exception cref="AbiException">empty or malformed return data.</exception>
    protected static TOutput DecodeOutput<TOutput>(ReadOnlySpan<byte> returnData) where TOutput : IFunctionOutputDTO, new()
    {
        if (returnData.IsEmpty)
        {
            // Nethereum answers an empty result with default values: here it means no such function (or no code).
            throw new AbiException(typeof(TOutput).Name, "empty return data");
        }

        var hex = Hex.Encode(returnData);
        return Decoding(typeof(TOutput).Name, () => new FunctionCallDecoder().DecodeFunctionOutput(new TOutput(), hex));
    }

    /// <summary>Decodes a log into a Nethereum event DTO.</summary>
    /// <exception cref="AbiException">the topics or data do not match the event.</exception>
    protected static TEvent DecodeEvent<TEvent>(LogEntry log) where TEvent : IEventDTO, new()
    {
        ArgumentNullException.ThrowIfNull(log);
        var topics = log.Topics.Select(t => (object)t.ToString()).ToArray();
        var data = Hex.Encode(log.Data);
        return Decoding(typeof(TEvent).Name, () => s_eventDecoder.DecodeTopics<TEvent>(topics, data));
    }

    /// <summary>topic[0] of a Nethereum event DTO: keccak256 of its signature.</summary>
    protected static Hash32 TopicOf<TEvent>() where TEvent : IEventDTO => Hash32.Parse(ABITypedRegistry.GetEvent<TEvent>().Sha3Signature);

    internal static T Decoding<T>(string what, Func<T> decode)
    {
        try
        {
            return decode();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not AbiException)
        {
            throw new AbiException(what, ex.Message, ex);
        }
    }

    private static async Task<PendingTransaction> SendAsync(TransactionSender sender, TransactionRequest request, string function, RevertDecoder errors,
        CancellationToken cancellationToken)
    {
        try
        {
            return await sender.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException ex) when (ex.RevertData is not null)
        {
            throw new ContractRevertException(function, errors.Decode(ex.RevertData), ex);
        }
    }
}

/// <summary>
/// A contract call reverted; <see cref="Revert"/> is the decoded reason (custom error, Error(string) or Panic), and
/// <see cref="DecodedRevert.Error"/> the typed error record of a custom error (the generated <c>XError.From</c>).
/// </summary>
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

/// <summary>ABI data (return data, a log, revert data) is empty or malformed: Nethereum could not decode it.</summary>
public sealed class AbiException(string type, string message, Exception? inner = null) : Exception($"{type}: {message}", inner)
{
    /// <summary>What was being decoded (a DTO or error name).</summary>
    public string Type { get; } = type;
}
