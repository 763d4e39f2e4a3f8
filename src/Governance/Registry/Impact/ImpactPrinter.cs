using System.Numerics;
using System.Text.Json.Nodes;
using SupplyOracle.Governance.Output;

namespace SupplyOracle.Governance.Registry.Impact;

/// <summary>Renders an <see cref="ImpactReport"/> as tables or JSON.</summary>
internal static class ImpactPrinter
{
    public static async Task PrintAsync(Printer printer, ImpactReport r)
    {
        if (printer.Json)
        {
            await printer.WriteJsonAsync(ToJson(r)).ConfigureAwait(false);
            return;
        }

        printer.Fields($"impact of {ProposalStates.Op((ulong)r.Change.Op)} {r.Change.Account} on {r.Change.Token} at block {r.Block} ({Printer.Time(r.Timestamp)})",
        [
            ("account balance", Printer.Int(r.AccountBalance)),
            .. r.Note is null ? Array.Empty<(string, string)>() : [("note", r.Note)],
            ("circulating", $"{Printer.Int(r.CirculatingBefore)} -> {Printer.Int(r.CirculatingAfter)} ({Delta(r.CirculatingBefore, r.CirculatingAfter)})"),
            ("free-float supply (live, whole tokens)", r.LiveFreeFloatBefore is { } lb && r.LiveFreeFloatAfter is { } la
                ? $"{Printer.Int(lb)} -> {Printer.Int(la)} ({Delta(lb, la)}), moves when the change executes"
                : $"n/a: {r.LiveFreeFloatError}"),
            ("committed free-float supply", r.CommittedFreeFloat is { } c && r.ProjectedCommittedFreeFloat is { } cp
                ? $"{Printer.Int(c)} now, unchanged until the next commit; {Printer.Int(cp)} once a round commits the new circulating at the same factor"
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

    private static string Delta(BigInteger before, BigInteger after) => after >= before ? $"+{Printer.Int(after - before)}" : $"-{Printer.Int(before - after)}";

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
