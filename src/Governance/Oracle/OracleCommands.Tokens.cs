using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Governance.Changes;
using SupplyOracle.Governance.Cli;
using SupplyOracle.Governance.Output;

namespace SupplyOracle.Governance.Oracle;

/// <summary><c>oracle tokens list | add | remove</c>: the tokens the oracle serves (OracleGovernance.listToken / delistToken, owner).</summary>
internal sealed partial class OracleCommands
{
    private readonly Option<string> _listToken = new("--token") { Description = "Token address", Required = true };

    private Command CreateTokens(CommandRunner runner)
    {
        var list = new Command("list", "The listed tokens with symbol, decimals and state");
        runner.Bind(list, ListTokensAsync);
        var add = new Command("add", "List a token (owner); its decimals are read once, its first commit starts it") { _listToken };
        runner.Bind(add, (s, ct) => ListingAsync(s, true, ct));
        var remove = new Command("remove", "Delist a token and erase its state (owner)") { _listToken };
        runner.Bind(remove, (s, ct) => ListingAsync(s, false, ct));
        return new Command("tokens", "The tokens the oracle serves") { list, add, remove };
    }

    private async Task<int> ListTokensAsync(Session session, CancellationToken cancellationToken)
    {
        var oracle = session.Oracle;
        var block = BlockId.AtNumber((await session.LatestBlockAsync(cancellationToken).ConfigureAwait(false)).Number);
        var tokens = await oracle.ListedTokensAsync(block, cancellationToken).ConfigureAwait(false);
        var states = await oracle.TokenStatesAsync(tokens, block, cancellationToken).ConfigureAwait(false);
        var units = await TokenUnits.ReadAsync(session.Client, tokens, block, cancellationToken).ConfigureAwait(false);
        if (session.Json)
        {
            await session.Printer.WriteJsonAsync(new JsonObject
            {
                ["tokens"] = new JsonArray([.. tokens.Select((t, i) => (JsonNode)new JsonObject
                {
                    ["token"] = t.ToString(),
                    ["symbol"] = units[t].Symbol,
                    ["decimals"] = states[i].Decimals,
                    ["initialized"] = states[i].Initialized,
                    ["paused"] = states[i].Paused,
                })]),
            }).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Table($"listed tokens ({tokens.Count})", ["token", "symbol", "decimals", "committed", "paused"],
                tokens.Select((t, i) => (IReadOnlyList<string>)[t.ToString(), units[t].Symbol ?? "-", states[i].Decimals.ToString(CultureInfo.InvariantCulture),
                    YesNo(states[i].Initialized), YesNo(states[i].Paused)]));
        }

        return ExitCodes.Ok;
    }

    private async Task<int> ListingAsync(Session session, bool list, CancellationToken cancellationToken)
    {
        var oracle = session.Oracle;
        var token = Session.ParseAddress("--token", session.Value(_listToken)!);
        var listed = (await oracle.ListedTokensAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Contains(token);
        if (listed == list)
        {
            throw new CliInputException("--token", $"nothing to do: token {token} is {(list ? "already listed" : "not listed")}; nothing was sent");
        }

        var units = (await TokenUnits.ReadAsync(session.Client, [token], BlockId.Latest, cancellationToken).ConfigureAwait(false))[token];
        return await ChangeExecutor.RunAsync(session, new PlannedChange(oracle, list ? "listToken" : "delistToken",
            list ? oracle.ListTokenCall(token) : oracle.DelistTokenCall(token), [("token", token.ToString()), ("symbol", units.Symbol ?? "-")]), cancellationToken)
            .ConfigureAwait(false);
    }
}
