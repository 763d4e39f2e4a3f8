using System.Text.Json.Nodes;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.Model;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Governance.Cli;

namespace SupplyOracle.Governance.Changes;

/// <summary>
/// Runs every state-changing command the same way: simulate with <c>eth_call</c> as the sender (a revert is decoded
/// and explained, nothing is sent), show the plan and the simulated outcome, then either print the calldata
/// (<c>--calldata-only</c>, for a timelock or multisig owner) or ask for confirmation (<c>--yes</c> skips it) and send.
/// </summary>
internal static class ChangeExecutor
{
    public static async Task<int> RunAsync(Session session, PlannedChange change, CancellationToken cancellationToken)
    {
        var from = session.SimulationSender ?? (session.CalldataOnly
            ? throw new CliInputException("--from", "required with --calldata-only when no key is given: the address the call will come from (the owner, timelock or multisig)")
            : throw new CliInputException("--keystore", "a key is needed to send: give --keystore or --private-key-env, or use --calldata-only with --from"));
        var function = change.Target.Abi.Functions.Single(f => f.Name == change.Function);
        var outcome = await SimulateAsync(session, change, function, from, cancellationToken).ConfigureAwait(false);
        var calldata = Hex.Encode(change.Call.Data.Span);
        var json = new JsonObject
        {
            ["contract"] = change.Target.Address.ToString(),
            ["function"] = function.Signature,
            ["from"] = from.ToString(),
            ["details"] = Details(change.Details),
            ["simulation"] = new JsonObject { ["ok"] = true, ["outcome"] = outcome },
        };

        if (!session.Json)
        {
            session.Printer.Fields($"{function.Name} on {change.Target.Address}",
            [
                .. change.Details,
                ("from", from.ToString()),
                ("simulation", outcome is null ? "ok" : $"ok, returns {outcome}"),
            ]);
        }

        if (session.CalldataOnly)
        {
            json["to"] = change.Target.Address.ToString();
            json["calldata"] = calldata;
            if (session.Json)
            {
                await session.Printer.WriteJsonAsync(json).ConfigureAwait(false);
            }
            else
            {
                session.Printer.Line($"to:       {change.Target.Address}");
                session.Printer.Line($"calldata: {calldata}");
            }

            return ExitCodes.Ok;
        }

        var sender = session.Sender();
        if (!session.Yes && !await ConfirmAsync(session, function.Name).ConfigureAwait(false))
        {
            throw new CommandFailedException("aborted", "not confirmed: nothing was sent (answer y, or pass --yes)");
        }

        ConfirmedTransaction confirmed;
        try
        {
            var pending = await sender.SendAsync(new TransactionRequest(change.Target.Address, change.Call.Data), cancellationToken).ConfigureAwait(false);
            confirmed = await sender.WaitForConfirmationAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException ex) when (ex.RevertData is not null)
        {
            // The state changed between the simulation and the send (gas estimation reverted).
            throw new ContractRevertException(function.Name, change.Target.DecodeRevert(ex.RevertData), ex);
        }

        var events = DecodeEvents(change.Target, confirmed.Receipt);
        json["transaction"] = new JsonObject
        {
            ["hash"] = confirmed.Receipt.TransactionHash.ToString(),
            ["block"] = confirmed.Receipt.BlockNumber,
            ["gasUsed"] = confirmed.Receipt.GasUsed,
            ["events"] = new JsonArray([.. events.Select(e => (JsonNode)JsonValue.Create(e))]),
        };
        if (session.Json)
        {
            await session.Printer.WriteJsonAsync(json).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Fields("sent",
            [
                ("transaction", confirmed.Receipt.TransactionHash.ToString()),
                ("block", confirmed.Receipt.BlockNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("gas used", confirmed.Receipt.GasUsed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                .. events.Select(e => ("event", e)),
            ]);
        }

        return ExitCodes.Ok;
    }

    private static async Task<string?> SimulateAsync(Session session, PlannedChange change, FunctionABI function, Address from, CancellationToken cancellationToken)
    {
        byte[] returned;
        try
        {
            returned = await session.Client.CallAsync(change.Call with { From = from }, BlockId.Latest, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonRpcException ex) when (ex.RevertData is not null)
        {
            throw new ContractRevertException(function.Name, change.Target.DecodeRevert(ex.RevertData), ex);
        }

        if (function.OutputParameters is not { Length: > 0 })
        {
            return null;
        }

        var values = function.DecodeOutputDataToDefault(Hex.Encode(returned));
        return string.Join(", ", values.Select(o => $"{(string.IsNullOrEmpty(o.Parameter.Name) ? "result" : o.Parameter.Name)} = {Format(o.Result)}"));
    }

    private static async Task<bool> ConfirmAsync(Session session, string function)
    {
        // The question goes to standard error so that standard output stays a clean result (tables or JSON).
        await session.Error.WriteAsync($"Send {function} as a transaction? [y/N] ").ConfigureAwait(false);
        var answer = await session.Input.ReadLineAsync().ConfigureAwait(false);
        return answer?.Trim().ToUpperInvariant() is "Y" or "YES";
    }

    private static List<string> DecodeEvents(ContractBinding target, TransactionReceipt receipt)
    {
        var decoded = new List<string>();
        foreach (var log in receipt.Logs.Where(l => l.Address == target.Address && l.Topics.Count > 0))
        {
            var abiEvent = target.Abi.Events.FirstOrDefault(e => Hash32.Parse(e.Sha3Signature) == log.Topics[0]);
            if (abiEvent is null)
            {
                decoded.Add($"unknown event {log.Topics[0]}");
                continue;
            }

            var values = new EventTopicDecoder().DecodeDefaultTopics(abiEvent, [.. log.Topics.Select(t => (object)t.ToString())], Hex.Encode(log.Data));
            decoded.Add($"{abiEvent.Name}({string.Join(", ", values.Select(p => $"{p.Parameter.Name}={Format(p.Result)}"))})");
        }

        return decoded;
    }

    private static JsonObject Details(IReadOnlyList<(string Key, string Value)> details)
    {
        var json = new JsonObject();
        foreach (var (key, value) in details)
        {
            json[key] = value;
        }

        return json;
    }

    internal static string Format(object value) => value switch
    {
        byte[] bytes => Hex.Encode(bytes),
        ParameterOutput tupleMember => Format(tupleMember.Result),
        System.Collections.IEnumerable list and not string => $"[{string.Join(", ", list.Cast<object>().Select(Format))}]",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
