using System.CommandLine;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Governance.Changes;
using SupplyOracle.Governance.Cli;
using SupplyOracle.Governance.Output;

namespace SupplyOracle.Governance.Registry;

/// <summary><c>registry list | pending | history</c>.</summary>
internal sealed partial class RegistryCommands
{
    private readonly Option<string?> _optionalToken = new("--token") { Description = "Token address (default: every token the oracle lists)" };
    private readonly Option<ulong> _sinceBlock = new("--since-block") { Description = "First block to read events from", DefaultValueFactory = _ => 0 };

    private Command CreateList(CommandRunner runner)
    {
        var list = new Command("list", "The excluded addresses of a token (or of every listed token), with kind and evidence") { _optionalToken };
        runner.Bind(list, ListAsync);
        return list;
    }

    private Command CreatePending(CommandRunner runner)
    {
        var pending = new Command("pending", "Pending proposals with their timelock status (waiting, executable, expired)");
        runner.Bind(pending, PendingAsync);
        return pending;
    }

    private Command CreateHistory(CommandRunner runner)
    {
        var history = new Command("history", "Proposed, executed and cancelled changes from the registry's events") { _optionalToken, _sinceBlock };
        runner.Bind(history, HistoryAsync);
        return history;
    }

    private async Task<int> ListAsync(Session session, CancellationToken cancellationToken)
    {
        var registry = await session.RegistryAsync(cancellationToken).ConfigureAwait(false);
        var tokenText = session.Value(_optionalToken);
        IReadOnlyList<Address> tokens = tokenText is not null
            ? [Session.ParseAddress("--token", tokenText)]
            : session.HasOracle
                ? await session.Oracle.ListedTokensAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
                : throw new CliInputException("--token", "required when no --oracle is given (the oracle's listed tokens are the default)");
        var block = BlockId.AtNumber((await session.LatestBlockAsync(cancellationToken).ConfigureAwait(false)).Number);
        var results = await session.Client.CallBatchAsync([.. tokens.Select(registry.ExcludedOfCall)], block, cancellationToken).ConfigureAwait(false);
        var rows = new List<IReadOnlyList<string>>();
        var json = new JsonArray();
        for (var i = 0; i < tokens.Count; i++)
        {
            var entries = ExcludedAddressRegistryContract.DecodeExcludedOf(results[i].GetOrThrow());
            for (var j = 0; j < entries.Accounts.Count; j++)
            {
                var kind = RevertExplainer.Bytes32Text(entries.Kinds[j]);
                rows.Add([tokens[i].ToString(), entries.Accounts[j].ToString(), kind, entries.Evidence[j].ToString()]);
                json.Add(new JsonObject
                {
                    ["token"] = tokens[i].ToString(),
                    ["account"] = entries.Accounts[j].ToString(),
                    ["kind"] = kind,
                    ["evidence"] = entries.Evidence[j].ToString(),
                });
            }
        }

        if (session.Json)
        {
            await session.Printer.WriteJsonAsync(new JsonObject { ["excluded"] = json }).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Table($"excluded addresses ({rows.Count})", ["token", "account", "kind", "evidence"], rows);
        }

        return ExitCodes.Ok;
    }

    private async Task<int> PendingAsync(Session session, CancellationToken cancellationToken)
    {
        var registry = await session.RegistryAsync(cancellationToken).ConfigureAwait(false);
        var latest = await session.LatestBlockAsync(cancellationToken).ConfigureAwait(false);
        var proposals = await ReadProposalsAsync(session, registry, BlockId.AtNumber(latest.Number), cancellationToken).ConfigureAwait(false);
        var pending = proposals.Where(p => p.Proposal.State == 1).ToList();
        var rows = new List<IReadOnlyList<string>>();
        var json = new JsonArray();
        foreach (var (id, p) in pending)
        {
            var (status, note) = TimelockStatus(p, latest.Timestamp);
            var kind = p.Op == (ulong)ProposedOp.Remove ? "" : RevertExplainer.Bytes32Text(p.Kind);
            rows.Add([Printer.Int(id), ProposalStates.Op(p.Op), p.Token.ToString(), p.Account.ToString(), kind, status, note]);
            json.Add(new JsonObject
            {
                ["id"] = Printer.Int(id),
                ["op"] = ProposalStates.Op(p.Op),
                ["token"] = p.Token.ToString(),
                ["account"] = p.Account.ToString(),
                ["kind"] = kind,
                ["evidence"] = p.Evidence.ToString(),
                ["eta"] = p.Eta,
                ["expiresAt"] = p.ExpiresAt,
                ["status"] = status,
                ["note"] = note,
            });
        }

        if (session.Json)
        {
            await session.Printer.WriteJsonAsync(new JsonObject { ["block"] = latest.Number, ["timestamp"] = latest.Timestamp, ["pending"] = json }).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Table($"pending proposals ({rows.Count}) at block {latest.Number}", ["id", "op", "token", "account", "kind", "status", "when"], rows);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Where a pending proposal stands against the timelock (ExcludedAddressRegistry.execute's checks).</summary>
    internal static (string Status, string Note) TimelockStatus(ExcludedAddressRegistryContract.Proposal p, ulong now) =>
        now < p.Eta ? ("waiting", $"executable in {Printer.Duration((long)(p.Eta - now))}")
        : now < p.ExpiresAt ? ("executable", $"expires in {Printer.Duration((long)(p.ExpiresAt - now))}")
        : ("expired", $"expired {Printer.Duration((long)(now - p.ExpiresAt))} ago");

    internal static async Task<List<(BigInteger Id, ExcludedAddressRegistryContract.Proposal Proposal)>> ReadProposalsAsync(Session session,
        ExcludedAddressRegistryContract registry, BlockId block, CancellationToken cancellationToken)
    {
        var count = await registry.ProposalCountAsync(block, cancellationToken).ConfigureAwait(false);
        var ids = Enumerable.Range(1, (int)count).Select(i => new BigInteger(i)).ToList();
        var results = await session.Client.CallBatchAsync([.. ids.Select(registry.ProposalCall)], block, cancellationToken).ConfigureAwait(false);
        return [.. ids.Select((id, i) => (id, ExcludedAddressRegistryContract.DecodeProposal(results[i].GetOrThrow())))];
    }

    private async Task<int> HistoryAsync(Session session, CancellationToken cancellationToken)
    {
        var registry = await session.RegistryAsync(cancellationToken).ConfigureAwait(false);
        var tokenText = session.Value(_optionalToken);
        Address? token = tokenText is null ? null : Session.ParseAddress("--token", tokenText);
        var from = session.Value(_sinceBlock);
        var to = (await session.LatestBlockAsync(cancellationToken).ConfigureAwait(false)).Number;
        if (from > to)
        {
            throw new CliInputException("--since-block", $"{from} is past the latest block {to}");
        }

        var proposed = await registry.GetChangeProposedEventsAsync(from, to, cancellationToken).ConfigureAwait(false);
        var executed = await registry.GetChangeExecutedEventsAsync(from, to, cancellationToken).ConfigureAwait(false);
        var cancelled = await registry.GetChangeCancelledEventsAsync(from, to, cancellationToken).ConfigureAwait(false);
        var byId = proposed.ToDictionary(e => e.Id);
        var entries = proposed.Select(e => (e.Log, Event: "proposed", e.Id, e.Token, e.Account, Op: ProposalStates.Op(e.Op),
                Detail: $"kind {RevertExplainer.Bytes32Text(e.Kind)}, evidence {e.Evidence}, eta {Printer.Time(e.Eta)}, expires {Printer.Time(e.ExpiresAt)}"))
            .Concat(executed.Select(e => (e.Log, Event: "executed", e.Id, e.Token, e.Account, Op: ProposalStates.Op(e.Op), Detail: "")))
            .Concat(cancelled.Select(e => (e.Log, Event: "cancelled", e.Id,
                Token: byId.TryGetValue(e.Id, out var p) ? p.Token : default, Account: p?.Account ?? default, Op: p is null ? "" : ProposalStates.Op(p.Op),
                Detail: $"by {e.By}")))
            .Where(e => token is null || e.Token == token)
            .OrderBy(e => e.Log.BlockNumber).ThenBy(e => e.Log.LogIndex)
            .ToList();

        if (session.Json)
        {
            await session.Printer.WriteJsonAsync(new JsonObject
            {
                ["history"] = new JsonArray([.. entries.Select(e => (JsonNode)new JsonObject
                {
                    ["block"] = e.Log.BlockNumber,
                    ["transaction"] = e.Log.TransactionHash.ToString(),
                    ["event"] = e.Event,
                    ["id"] = Printer.Int(e.Id),
                    ["op"] = e.Op,
                    ["token"] = e.Token.ToString(),
                    ["account"] = e.Account.ToString(),
                    ["detail"] = e.Detail,
                })]),
            }).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Table($"registry history, blocks {from}..{to}", ["block", "event", "id", "op", "token", "account", "detail"],
                entries.Select(e => (IReadOnlyList<string>)[e.Log.BlockNumber.ToString(CultureInfo.InvariantCulture), e.Event, Printer.Int(e.Id), e.Op,
                    e.Token.ToString(), e.Account.ToString(), e.Detail]));
        }

        return ExitCodes.Ok;
    }
}
