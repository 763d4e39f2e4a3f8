using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using SupplyOracle.Governance.Changes;
using SupplyOracle.Governance.Cli;
using Params = SupplyOracle.Contracts.Bindings.Bindings.SupplyOracleContract.Params;

namespace SupplyOracle.Governance.Oracle;

/// <summary><c>oracle params show | set</c> (docs/protocol.md section 8; the contract validates, the simulation shows its verdict).</summary>
internal sealed partial class OracleCommands
{
    /// <summary>One parameter: its option, its Solidity width (OracleTypes.sol Params) and its field.</summary>
    private sealed record ParamField(string Name, Option<ulong?> Option, int Bits, Func<Params, ulong> Get, Func<Params, ulong, Params> Set);

    private readonly ParamField[] _fields =
    [
        Field("roundBlocks", "--round-blocks", 32, "blocks per round (> 0)", p => p.RoundBlocks, (p, v) => p with { RoundBlocks = v }),
        Field("minReporters", "--min-reporters", 8, "signatures a commit needs (1 ..= reporter count)", p => p.MinReporters, (p, v) => p with { MinReporters = v }),
        Field("divergenceToleranceBps", "--divergence-tolerance-bps", 16, "agreement band (..= 10000)", p => p.DivergenceToleranceBps,
            (p, v) => p with { DivergenceToleranceBps = v }),
        Field("minCommitInterval", "--min-commit-interval", 32, "seconds between commits of a token (> 0)", p => p.MinCommitInterval,
            (p, v) => p with { MinCommitInterval = v }),
        Field("maxFactorDeltaBps", "--max-factor-delta-bps", 16, "step clamp (1 ..= 10000)", p => p.MaxFactorDeltaBps, (p, v) => p with { MaxFactorDeltaBps = v }),
        Field("window", "--window", 32, "window clamp period in seconds (> 0)", p => p.Window, (p, v) => p with { Window = v }),
        Field("maxWindowDeltaBps", "--max-window-delta-bps", 16, "window clamp (1 ..= 10000)", p => p.MaxWindowDeltaBps, (p, v) => p with { MaxWindowDeltaBps = v }),
        Field("reportStaleAfter", "--report-stale-after", 32, "seconds until reads flag a factor stale", p => p.ReportStaleAfter,
            (p, v) => p with { ReportStaleAfter = v }),
        Field("maxCommitAge", "--max-commit-age", 32, "seconds until supply reads revert (>= reportStaleAfter)", p => p.MaxCommitAge,
            (p, v) => p with { MaxCommitAge = v }),
        Field("maxReportAgeBlocks", "--max-report-age-blocks", 16, "blocks a report may lag (1 ..= 256)", p => p.MaxReportAgeBlocks,
            (p, v) => p with { MaxReportAgeBlocks = v }),
    ];

    private static ParamField Field(string name, string option, int bits, string description, Func<Params, ulong> get, Func<Params, ulong, Params> set) =>
        new(name, new Option<ulong?>(option) { Description = $"{name}: {description}" }, bits, get, set);

    private Command CreateParams(CommandRunner runner)
    {
        var show = new Command("show", "The oracle's parameters");
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
            session.Printer.Fields($"parameters of {session.Oracle.Address}",
                _fields.Select(f => (f.Name, f.Get(current).ToString(CultureInfo.InvariantCulture))));
        }

        return ExitCodes.Ok;
    }

    private async Task<int> SetParamsAsync(Session session, CancellationToken cancellationToken)
    {
        var oracle = session.Oracle;
        var current = await oracle.ParamsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var next = current;
        var details = new List<(string, string)>();
        foreach (var field in _fields)
        {
            if (session.Value(field.Option) is not { } value)
            {
                continue;
            }

            if (field.Bits < 64 && value >= 1UL << field.Bits)
            {
                throw new CliInputException(field.Option.Name, $"{value} does not fit the contract's uint{field.Bits}");
            }

            details.Add((field.Name, $"{field.Get(current).ToString(CultureInfo.InvariantCulture)} -> {value.ToString(CultureInfo.InvariantCulture)}"));
            next = field.Set(next, value);
        }

        if (details.Count == 0)
        {
            throw new CliInputException("oracle params set", $"nothing to change: give at least one of {string.Join(", ", _fields.Select(f => f.Option.Name))}");
        }

        return await ChangeExecutor.RunAsync(session, new PlannedChange(oracle, "setParams", oracle.SetParamsCall(next), details), cancellationToken).ConfigureAwait(false);
    }
}
