using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SupplyOracle.Governance.Changes;
using SupplyOracle.Governance.Cli;
using Params = SupplyOracle.Contracts.Bindings.Bindings.SupplyOracleContract.Params;

namespace SupplyOracle.Governance.Oracle;

/// <summary>
/// <c>oracle params show | set</c> (docs/protocol.md section 8): values shown in their units; a new value is checked
/// against its range (<see cref="ParamRules"/>) and a change to the current values is refused, before any simulation.
/// </summary>
internal sealed partial class OracleCommands
{
    /// <summary>One parameter: its option, its Solidity width (OracleTypes.sol Params), its unit and its field.</summary>
    private sealed record ParamField(string Name, Option<ulong?> Option, int Bits, ParamUnit Unit, string Constraint, Func<Params, ulong> Get, Func<Params, ulong, Params> Set);

    private readonly ParamField[] _fields =
    [
        Field("roundBlocks", "--round-blocks", 32, ParamUnit.Blocks, "blocks per round", "> 0", p => p.RoundBlocks, (p, v) => p with { RoundBlocks = v }),
        Field("minReporters", "--min-reporters", 8, ParamUnit.Count, "signatures a commit needs", "1 ..= reporter count", p => p.MinReporters,
            (p, v) => p with { MinReporters = v }),
        Field("divergenceToleranceBps", "--divergence-tolerance-bps", 16, ParamUnit.Bps, "agreement band", "..= 10000", p => p.DivergenceToleranceBps,
            (p, v) => p with { DivergenceToleranceBps = v }),
        Field("minCommitInterval", "--min-commit-interval", 32, ParamUnit.Seconds, "seconds between commits of a token", "> 0", p => p.MinCommitInterval,
            (p, v) => p with { MinCommitInterval = v }),
        Field("maxFactorDeltaBps", "--max-factor-delta-bps", 16, ParamUnit.Bps, "step clamp", "1 ..= 10000", p => p.MaxFactorDeltaBps,
            (p, v) => p with { MaxFactorDeltaBps = v }),
        Field("window", "--window", 32, ParamUnit.Seconds, "window clamp period in seconds", "> 0", p => p.Window, (p, v) => p with { Window = v }),
        Field("maxWindowDeltaBps", "--max-window-delta-bps", 16, ParamUnit.Bps, "window clamp", "1 ..= 10000", p => p.MaxWindowDeltaBps,
            (p, v) => p with { MaxWindowDeltaBps = v }),
        Field("reportStaleAfter", "--report-stale-after", 32, ParamUnit.Seconds, "seconds until reads flag a factor stale", "any", p => p.ReportStaleAfter,
            (p, v) => p with { ReportStaleAfter = v }),
        Field("maxCommitAge", "--max-commit-age", 32, ParamUnit.Seconds, "seconds until supply reads revert", ">= reportStaleAfter", p => p.MaxCommitAge,
            (p, v) => p with { MaxCommitAge = v }),
        Field("maxReportAgeBlocks", "--max-report-age-blocks", 16, ParamUnit.Blocks, "blocks a report may lag", "1 ..= 256", p => p.MaxReportAgeBlocks,
            (p, v) => p with { MaxReportAgeBlocks = v }),
        Field("heartbeat", "--heartbeat", 32, ParamUnit.Seconds, "seconds: an unchanged token is re-committed at least this often",
            "minCommitInterval ..= reportStaleAfter / 2", p => p.Heartbeat, (p, v) => p with { Heartbeat = v }),
        Field("supplyDeviationBps", "--supply-deviation-bps", 16, ParamUnit.Bps, "a circulating change beyond this commits at once", "..= 10000",
            p => p.SupplyDeviationBps, (p, v) => p with { SupplyDeviationBps = v }),
    ];

    private static ParamField Field(string name, string option, int bits, ParamUnit unit, string description, string constraint, Func<Params, ulong> get,
        Func<Params, ulong, Params> set) =>
        new(name, new Option<ulong?>(option) { Description = $"{name}: {description} ({constraint})" }, bits, unit, constraint, get, set);

    private Command CreateParams(CommandRunner runner)
    {
        var show = new Command("show", "The oracle's parameters, in their units");
        runner.Bind(show, ShowParamsAsync);
        var set = new Command("set", "Change parameters (owner); the ones not given keep their current value");
        foreach (var field in _fields)
        {
            set.Options.Add(field.Option);
        }

        runner.Bind(set, SetParamsAsync);
        return new Command("params", "The oracle's parameters (docs/protocol.md section 8)") { show, set };
    }

    private async Task<int> ShowParamsAsync(Session session, CancellationToken cancellationToken)
    {
        var current = await session.Oracle.ParamsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (session.Json)
        {
            var json = new JsonObject();
            foreach (var field in _fields)
            {
                json[field.Name] = field.Get(current);
            }

            await session.Printer.WriteJsonAsync(json).ConfigureAwait(false);
        }
        else
        {
            session.Printer.Table($"parameters of {session.Oracle.Address} (docs/protocol.md section 8)", ["parameter", "value", "allowed"],
                _fields.Select(f => (IReadOnlyList<string>)[f.Name, ParamRules.Display(f.Get(current), f.Unit), f.Constraint]));
        }

        return ExitCodes.Ok;
    }

    private async Task<int> SetParamsAsync(Session session, CancellationToken cancellationToken)
    {
        var oracle = session.Oracle;
        var current = await oracle.ParamsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var next = current;
        var details = new List<(string, string)>();
        var given = new List<ParamField>();
        foreach (var field in _fields)
        {
            if (session.Value(field.Option) is not { } value)
            {
                continue;
            }

            if (field.Bits < 64 && value >= 1UL << field.Bits)
            {
                throw new CliInputException(field.Option.Name, $"{value} does not fit the contract's uint{field.Bits} (0 ..= {(1UL << field.Bits) - 1})");
            }

            given.Add(field);
            if (value != field.Get(current))
            {
                details.Add((field.Name, $"{ParamRules.Display(field.Get(current), field.Unit)} -> {ParamRules.Display(value, field.Unit)}"));
            }

            next = field.Set(next, value);
        }

        if (given.Count == 0)
        {
            throw new CliInputException("oracle params set", $"nothing to change: give at least one of {string.Join(", ", _fields.Select(f => f.Option.Name))}");
        }

        if (details.Count == 0)
        {
            // A no-op is refused before anything is simulated or sent.
            throw new CliInputException(given[0].Option.Name, $"nothing to change: {string.Join(", ",
                given.Select(f => $"{f.Name} is already {ParamRules.Display(f.Get(current), f.Unit)}"))}; nothing was sent");
        }

        var reporters = await oracle.ReportersAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (ParamRules.Check(next, reporters.Count) is [var violation, ..])
        {
            var field = _fields.Single(f => f.Name == violation.Name);
            var option = given.Contains(field) ? field.Option.Name : given[0].Option.Name;
            var what = given.Contains(field) ? "" : $" (with this change, {field.Name} = {violation.Value.ToString(CultureInfo.InvariantCulture)} would break it)";
            throw new CliInputException(option,
                $"{field.Name} = {ParamRules.Display(violation.Value, field.Unit)} is out of range: allowed {violation.Allowed}{what} (docs/protocol.md section 8)");
        }

        return await ChangeExecutor.RunAsync(session, new PlannedChange(oracle, "setParams", oracle.SetParamsCall(next), details), cancellationToken).ConfigureAwait(false);
    }
}
