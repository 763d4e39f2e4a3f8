using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Governance.Changes;
using SupplyOracle.Governance.Cli;
using SupplyOracle.Governance.Output;
using SupplyOracle.Governance.Roles;

namespace SupplyOracle.Governance.Oracle;

/// <summary>
/// <c>supplyoracle oracle ...</c>: the oracle's state and settings (docs/protocol.md sections 8 and 9): per-token status,
/// parameters, the reporter set, and the pause switches (guardian pauses, owner unpauses).
/// </summary>
internal sealed partial class OracleCommands
{
    private readonly Option<string?> _pauseToken = new("--token") { Description = "Pause or unpause this token only (default: the whole oracle)" };
    private readonly Option<string> _reporter = new("--address") { Description = "Reporter address", Required = true };

    public static Command Create(CommandRunner runner) => new OracleCommands().Build(runner);

    private Command Build(CommandRunner runner)
    {
        var status = new Command("status", "Per listed token: factor, age, frozen, paused, stale (at the latest block)");
        runner.Bind(status, StatusAsync);

        var pause = new Command("pause", "Pause the oracle, or one token with --token (guardian)") { _pauseToken };
        runner.Bind(pause, (s, ct) => PauseAsync(s, true, ct));
        var unpause = new Command("unpause", "Lift the pause of the oracle, or of one token with --token (owner)") { _pauseToken };
        runner.Bind(unpause, (s, ct) => PauseAsync(s, false, ct));

        var add = new Command("add", "Register a reporter (owner)") { _reporter };
        runner.Bind(add, (s, ct) => ReporterAsync(s, true, ct));
        var remove = new Command("remove", "Deregister a reporter (owner); refused if fewer than minReporters would remain") { _reporter };
        runner.Bind(remove, (s, ct) => ReporterAsync(s, false, ct));
        var list = new Command("list", "The registered reporters");
        runner.Bind(list, ListReportersAsync);

        var oracle = new Command("oracle", "Inspect and configure the SupplyOracle")
        {
            status,
            CreateParams(runner),
            new Command("reporters", "Manage the reporter set") { add, remove, list },
            CreateTokens(runner),
            pause,
            unpause,
        };
        foreach (var roles in RoleCommands.Create(runner, "oracle", (s, _) => Task.FromResult(RoleTarget.For(s.Oracle))))
        {
            oracle.Subcommands.Add(roles);
        }

        return oracle;
    }

    private async Task<int> StatusAsync(Session session, CancellationToken cancellationToken)
    {
        var oracle = session.Oracle;
        var latest = await session.LatestBlockAsync(cancellationToken).ConfigureAwait(false);
        var block = BlockId.AtNumber(latest.Number);
        var tokens = await oracle.ListedTokensAsync(block, cancellationToken).ConfigureAwait(false);
        var results = await session.Client.CallBatchAsync(
            [oracle.TokenStatesCall(tokens), oracle.PausedCall(), oracle.LastRoundCall(), .. tokens.Select(oracle.FreeFloatFactorCall)], block, cancellationToken)
            .ConfigureAwait(false);
        var states = SupplyOracleContract.DecodeTokenStates(results[0].GetOrThrow());
        var paused = SupplyOracleContract.DecodePaused(results[1].GetOrThrow());
        var lastRound = SupplyOracleContract.DecodeLastRound(results[2].GetOrThrow());
        var units = await TokenUnits.ReadAsync(session.Client, tokens, block, cancellationToken).ConfigureAwait(false);
        var rows = new List<IReadOnlyList<string>>();
        var json = new JsonArray();
        for (var i = 0; i < tokens.Count; i++)
        {
            var s = states[i];
            var f = SupplyOracleContract.DecodeFreeFloatFactor(results[3 + i].GetOrThrow());
            var age = s.Initialized ? Printer.Duration((long)latest.Timestamp - (long)s.CommittedAt) : "never committed";
            rows.Add([tokens[i].ToString(), s.Initialized ? Printer.Wad(s.Factor) : "-", age, YesNo(f.Frozen), YesNo(s.Paused || paused), YesNo(f.Stale),
                session.Printer.Amount(s.CommittedCirculating, new TokenUnits((int)s.Decimals, units[tokens[i]].Symbol))]);
            json.Add(new JsonObject
            {
                ["token"] = tokens[i].ToString(),
                ["symbol"] = units[tokens[i]].Symbol,
                ["decimals"] = s.Decimals,
                ["initialized"] = s.Initialized,
                ["factor"] = s.Factor.ToString(CultureInfo.InvariantCulture),
                ["committedAt"] = s.CommittedAt,
                ["ageSeconds"] = s.Initialized ? (long)latest.Timestamp - (long)s.CommittedAt : null,
                ["frozen"] = f.Frozen,
                ["paused"] = s.Paused || paused,
                ["stale"] = f.Stale,
                ["committedCirculating"] = Printer.Int(s.CommittedCirculating),
                ["anchor"] = s.Anchor.ToString(CultureInfo.InvariantCulture),
                ["anchorAt"] = s.AnchorAt,
            });
        }

        if (session.Json)
        {
            await session.Printer.WriteJsonAsync(new JsonObject
            {
                ["block"] = latest.Number,
                ["timestamp"] = latest.Timestamp,
                ["paused"] = paused,
                ["lastRound"] = lastRound,
                ["tokens"] = json,
            }).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Table($"oracle {oracle.Address} at block {latest.Number}: last round {lastRound}{(paused ? ", PAUSED" : "")}",
                ["token", "factor", "age", "frozen", "paused", "stale", "committed circulating"], rows);
        }

        return ExitCodes.Ok;
    }

    private async Task<int> PauseAsync(Session session, bool pause, CancellationToken cancellationToken)
    {
        var oracle = session.Oracle;
        var tokenText = session.Value(_pauseToken);
        if (tokenText is null)
        {
            // The contract accepts a pause of a paused oracle (it only emits the event again): refuse the no-op here.
            if (await oracle.PausedAsync(cancellationToken: cancellationToken).ConfigureAwait(false) == pause)
            {
                throw new CliInputException(pause ? "oracle pause" : "oracle unpause",
                    $"nothing to do: the oracle is {(pause ? "already paused" : "not paused")}; nothing was sent");
            }

            return await ChangeExecutor.RunAsync(session, new PlannedChange(oracle, pause ? "pause" : "unpause", pause ? oracle.PauseCall() : oracle.UnpauseCall(),
                [("scope", "the whole oracle")]), cancellationToken).ConfigureAwait(false);
        }

        var token = Session.ParseAddress("--token", tokenText);
        var state = await oracle.TokenStateAsync(token, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (state.Listed && state.Paused == pause)
        {
            throw new CliInputException("--token", $"nothing to do: token {token} is {(pause ? "already paused" : "not paused")}; nothing was sent");
        }

        return await ChangeExecutor.RunAsync(session, new PlannedChange(oracle, pause ? "pauseToken" : "unpauseToken",
            pause ? oracle.PauseTokenCall(token) : oracle.UnpauseTokenCall(token), [("token", token.ToString())]), cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ReporterAsync(Session session, bool add, CancellationToken cancellationToken)
    {
        var oracle = session.Oracle;
        var reporter = Session.ParseAddress("--address", session.Value(_reporter)!);
        var change = new PlannedChange(oracle, add ? "addReporter" : "removeReporter", add ? oracle.AddReporterCall(reporter) : oracle.RemoveReporterCall(reporter),
            [("reporter", reporter.ToString())]);
        return await ChangeExecutor.RunAsync(session, change, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> ListReportersAsync(Session session, CancellationToken cancellationToken)
    {
        var oracle = session.Oracle;
        var reporters = await oracle.ReportersAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var parameters = await oracle.ParamsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (session.Json)
        {
            await session.Printer.WriteJsonAsync(new JsonObject
            {
                ["minReporters"] = parameters.MinReporters,
                ["reporters"] = new JsonArray([.. reporters.Select(r => (JsonNode)JsonValue.Create(r.ToString()))]),
            }).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Table($"reporters ({reporters.Count}, minReporters {parameters.MinReporters})", ["#", "address"],
                reporters.Select((r, i) => (IReadOnlyList<string>)[(i + 1).ToString(CultureInfo.InvariantCulture), r.ToString()]));
        }

        return ExitCodes.Ok;
    }

    private static string YesNo(bool value) => value ? "yes" : "no";
}
