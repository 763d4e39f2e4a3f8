using System.Numerics;
using System.Text.Json.Nodes;
using SupplyOracle.Governance.Output;

namespace SupplyOracle.Governance.Registry.Impact;

/// <summary>Renders an <see cref="ImpactReport"/> as tables or JSON.</summary>
internal static class ImpactPrinter
{
    /// <param name="printer">The output.</param>
    /// <param name="r">The report.</param>
    /// <param name="units">The changed token's decimals and symbol: amounts print as whole tokens (native with --raw).</param>
    public static async Task PrintAsync(Printer printer, ImpactReport r, TokenUnits units)
    {
        if (printer.Json)
        {
            await printer.WriteJsonAsync(ToJson(r)).ConfigureAwait(false);
            return;
        }

        printer.Fields($"impact of {ProposalStates.Op((ulong)r.Change.Op)} {r.Change.Account} on {r.Change.Token} at block {r.Block} ({Printer.Time(r.Timestamp)})",
        [
            ("account balance", printer.Amount(r.AccountBalance, units)),
            .. r.Note is null ? Array.Empty<(string, string)>() : [("note", r.Note)],
            ("circulating", Move(printer, r.CirculatingBefore, r.CirculatingAfter, units)),
            // getFreeFloatSupply counts whole tokens already (docs/protocol.md section 9).
            ("free-float supply (live)", r.LiveFreeFloatBefore is { } lb && r.LiveFreeFloatAfter is { } la
                ? $"{Move(printer, lb, la, units with { Decimals = 0 })}, moves when the change executes"
                : $"n/a: {r.LiveFreeFloatError}"),
            ("committed free-float supply", r.CommittedFreeFloat is { } c && r.ProjectedCommittedFreeFloat is { } cp
                ? $"{printer.Amount(c, units)} now, unchanged until the next commit; {printer.Amount(cp, units)} once a round commits the new circulating at the same factor"
                : "n/a: no readable committed factor"),
        ]);

        var w = r.Weights;
        printer.Table("reference consumer weights (FreeFloatWeights)", ["token", "now", "after execution", "after next commit"],
            w.Tokens.Select((t, i) => (IReadOnlyList<string>)[t.ToString(), Weight(w.Before, w.BeforeError, i), Weight(w.Before, w.BeforeError, i),
                Weight(w.Projected, w.ProjectionError, i)]));
    }

    private static string Weight(WeightOutput? weights, string? error, int i) =>
        weights is null ? $"n/a: {error}"
        : weights.Halt ? "halt (current weights kept)"
        : $"{Printer.Wad(weights.Target[i])}{(weights.Actions[i] == WeightAction.Hold ? " (hold)" : "")}";

    private static string Move(Printer printer, BigInteger before, BigInteger after, TokenUnits units) =>
        $"{printer.Amount(before, units)} -> {printer.Amount(after, units)} ({(after >= before ? "+" : "-")}{printer.Amount(BigInteger.Abs(after - before), units)})";

    private static JsonObject ToJson(ImpactReport r) => new()
    {
        ["block"] = r.Block,
        ["timestamp"] = r.Timestamp,
        ["token"] = r.Change.Token.ToString(),
        ["account"] = r.Change.Account.ToString(),
        ["op"] = ProposalStates.Op((ulong)r.Change.Op),
        ["accountBalance"] = Printer.Int(r.AccountBalance),
        ["note"] = r.Note,
        ["circulating"] = new JsonObject { ["before"] = Printer.Int(r.CirculatingBefore), ["after"] = Printer.Int(r.CirculatingAfter) },
        ["liveFreeFloatSupply"] = new JsonObject
        {
            ["before"] = Opt(r.LiveFreeFloatBefore),
            ["after"] = Opt(r.LiveFreeFloatAfter),
            ["error"] = r.LiveFreeFloatError,
        },
        ["committedFreeFloatSupply"] = new JsonObject { ["now"] = Opt(r.CommittedFreeFloat), ["afterNextCommit"] = Opt(r.ProjectedCommittedFreeFloat) },
        ["weights"] = new JsonObject
        {
            ["tokens"] = new JsonArray([.. r.Weights.Tokens.Select(t => (JsonNode)JsonValue.Create(t.ToString()))]),
            ["now"] = Weights(r.Weights.Before, r.Weights.BeforeError),
            ["afterExecution"] = Weights(r.Weights.Before, r.Weights.BeforeError),
            ["afterNextCommit"] = Weights(r.Weights.Projected, r.Weights.ProjectionError),
        },
    };

    private static JsonObject Weights(WeightOutput? w, string? error) => w is null
        ? new JsonObject { ["error"] = error }
        : new JsonObject
        {
            ["target"] = new JsonArray([.. w.Target.Select(t => (JsonNode)JsonValue.Create(Printer.Int(t)))]),
            ["actions"] = new JsonArray([.. w.Actions.Select(a => (JsonNode)JsonValue.Create(a.ToString().ToUpperInvariant() switch
            {
                "REBALANCE" => "rebalance",
                "HOLD" => "hold",
                _ => "halt",
            }))]),
            ["halt"] = w.Halt,
        };

    private static JsonValue? Opt(BigInteger? value) => value is { } v ? JsonValue.Create(Printer.Int(v)) : null;
}
