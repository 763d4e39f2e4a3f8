using System.Globalization;
using SupplyOracle.Governance.Output;
using Params = SupplyOracle.Contracts.Bindings.Bindings.SupplyOracleContract.Params;

namespace SupplyOracle.Governance.Oracle;

/// <summary>What a parameter counts; it decides how <c>params show</c> prints it.</summary>
internal enum ParamUnit
{
    Count,
    Blocks,
    Seconds,
    Bps,
}

/// <summary>
/// The constraints of docs/protocol.md section 8, as OracleGovernance._setParams checks them, so that a bad value is
/// refused with its allowed range before anything is simulated or sent.
/// </summary>
internal static class ParamRules
{
    /// <summary>A parameter outside its range: its name, the value and the range allowed (with the figures it depends on).</summary>
    internal sealed record Violation(string Name, ulong Value, string Allowed);

    /// <summary>Every parameter of <paramref name="p"/> outside its range, with <paramref name="reporters"/> registered reporters.</summary>
    public static IReadOnlyList<Violation> Check(Params p, int reporters)
    {
        var found = new List<Violation>();
        void Need(bool ok, string name, ulong value, string allowed)
        {
            if (!ok)
            {
                found.Add(new Violation(name, value, allowed));
            }
        }

        Need(p.RoundBlocks > 0, "roundBlocks", p.RoundBlocks, "1 ..= 4294967295");
        Need(p.MinReporters >= 1 && p.MinReporters <= (ulong)reporters, "minReporters", p.MinReporters, $"1 ..= the number of reporters ({reporters})");
        Need(p.DivergenceToleranceBps <= 10_000, "divergenceToleranceBps", p.DivergenceToleranceBps, "0 ..= 10000 (100%)");
        Need(p.MinCommitInterval > 0, "minCommitInterval", p.MinCommitInterval, "1 ..= 4294967295 seconds");
        Need(p.MaxFactorDeltaBps is >= 1 and <= 10_000, "maxFactorDeltaBps", p.MaxFactorDeltaBps, "1 ..= 10000 (100%)");
        Need(p.Window > 0, "window", p.Window, "1 ..= 4294967295 seconds");
        Need(p.MaxWindowDeltaBps is >= 1 and <= 10_000, "maxWindowDeltaBps", p.MaxWindowDeltaBps, "1 ..= 10000 (100%)");
        Need(p.MaxCommitAge >= p.ReportStaleAfter, "maxCommitAge", p.MaxCommitAge, $"at least reportStaleAfter ({Seconds(p.ReportStaleAfter)})");
        Need(p.MaxReportAgeBlocks is >= 1 and <= 256, "maxReportAgeBlocks", p.MaxReportAgeBlocks, "1 ..= 256 (how far back blockhash reaches)");
        Need(p.Heartbeat >= p.MinCommitInterval && p.Heartbeat <= p.ReportStaleAfter / 2, "heartbeat", p.Heartbeat,
            $"minCommitInterval ..= reportStaleAfter / 2 ({Seconds(p.MinCommitInterval)} ..= {Seconds(p.ReportStaleAfter / 2)})");
        Need(p.SupplyDeviationBps <= 10_000, "supplyDeviationBps", p.SupplyDeviationBps, "0 ..= 10000 (100%)");
        return found;
    }

    /// <summary>A value in its unit: <c>2% (200 bps)</c>, <c>1h (3600 s)</c>, <c>300 blocks</c>.</summary>
    public static string Display(ulong value, ParamUnit unit) => unit switch
    {
        ParamUnit.Bps => Printer.Bps(value),
        ParamUnit.Seconds => Seconds(value),
        ParamUnit.Blocks => $"{value.ToString(CultureInfo.InvariantCulture)} blocks",
        _ => value.ToString(CultureInfo.InvariantCulture),
    };

    private static string Seconds(ulong seconds) => $"{Printer.Duration((long)seconds)} ({seconds.ToString(CultureInfo.InvariantCulture)} s)";
}
