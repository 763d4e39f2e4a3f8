using System.Text.Json;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Aggregator.Cli.Internal;

/// <summary>Reads the what-if input (README, "Rules what-if") into a <see cref="RulesInput"/>.</summary>
internal static class RulesJsonReader
{
    private static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static RulesInput Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException ex)
        {
            // The parser's own text names .NET internals; the position is what a user needs.
            throw new JsonInputException("input", ex.LineNumber is { } line
                ? $"not valid JSON (line {line + 1}, column {(ex.BytePositionInLine ?? 0) + 1})"
                : "not valid JSON");
        }

        using (document)
        {
            var root = new JsonFields(document.RootElement, "", "round", "referenceBlock", "referenceTime", "referenceHash", "parameters", "state", "observations");
            var parameters = ReadParameters(new JsonFields(root.Required("parameters"), "parameters",
                "roundBlocks", "minReporters", "divergenceToleranceBps", "minCommitInterval", "maxFactorDeltaBps", "window",
                "maxWindowDeltaBps", "reportStaleAfter", "maxCommitAge", "maxReportAgeBlocks", "heartbeat", "supplyDeviationBps", "reporters"));

            var round = new RoundId(root.UInt64("round"));
            var referenceBlock = root.Has("referenceBlock")
                ? root.UInt64("referenceBlock")
                : (UInt128)round.Value * parameters.RoundBlocks <= ulong.MaxValue
                    ? round.Value * parameters.RoundBlocks
                    : throw new JsonInputException("round", $"round * roundBlocks ({round} * {parameters.RoundBlocks}) does not fit uint64");
            var header = new ReportHeader(round, referenceBlock, root.UInt64("referenceTime"), root.Hash("referenceHash", Hash32.Zero));

            var state = root.Array("state", required: true).Select(x => ReadState(x.Item, x.Path)).ToArray();
            var observations = root.Array("observations", required: true).Select(x => ReadObservation(x.Item, x.Path)).ToArray();
            return new RulesInput(header, parameters, state, observations);
        }
    }

    private static RulesParameters ReadParameters(JsonFields p)
    {
        var defaults = new RulesParameters();
        var minReporters = p.UInt32("minReporters", (uint)defaults.MinReporters);
        return new RulesParameters
        {
            RoundBlocks = p.UInt64("roundBlocks", defaults.RoundBlocks),
            MinReporters = minReporters <= int.MaxValue ? (int)minReporters : throw new JsonInputException(p.PathOf("minReporters"), "too large"),
            DivergenceToleranceBps = p.UInt32("divergenceToleranceBps", defaults.DivergenceToleranceBps),
            MinCommitInterval = p.UInt64("minCommitInterval", defaults.MinCommitInterval),
            MaxFactorDeltaBps = p.UInt32("maxFactorDeltaBps", defaults.MaxFactorDeltaBps),
            Window = p.UInt64("window", defaults.Window),
            MaxWindowDeltaBps = p.UInt32("maxWindowDeltaBps", defaults.MaxWindowDeltaBps),
            ReportStaleAfter = p.UInt64("reportStaleAfter", defaults.ReportStaleAfter),
            MaxCommitAge = p.UInt64("maxCommitAge", defaults.MaxCommitAge),
            MaxReportAgeBlocks = p.UInt64("maxReportAgeBlocks", defaults.MaxReportAgeBlocks),
            Heartbeat = p.UInt64("heartbeat", defaults.Heartbeat),
            SupplyDeviationBps = p.UInt32("supplyDeviationBps", defaults.SupplyDeviationBps),
            Reporters = p.Array("reporters", required: true).Select(x => JsonFields.AddressAt(x.Item, x.Path)).ToArray(),
        };
    }

    // The committed state of an initialized token: none of it has a safe default (a missing committedAt would skip the
    // cooldown, a missing anchorAt would roll the window, a missing circulating would freeze at 0), so each is required.
    private static readonly string[] CommittedFields = ["factor", "committedAt", "anchor", "anchorAt", "circulating"];

    private static TokenState ReadState(JsonElement element, string path)
    {
        var s = new JsonFields(element, path, "token", "initialized", "factor", "committedAt", "anchor", "anchorAt", "frozen", "circulating");
        var token = s.Address("token");
        var given = CommittedFields.Where(s.Has).ToArray();
        if (!s.Has("initialized"))
        {
            // A never-committed token needs only its address; committed figures without the flag are a forgotten flag.
            return given.Length == 0
                ? new TokenState(token, Wad.Zero, 0, Wad.Zero, 0, false, s.Bool("frozen", false), TokenAmount.Zero)
                : throw new JsonInputException(s.PathOf("initialized"),
                    $"is required when the committed state is given ({string.Join(", ", given)}): add \"initialized\": true for a token committed before");
        }

        if (!s.Bool("initialized", false))
        {
            return given.Length == 0
                ? new TokenState(token, Wad.Zero, 0, Wad.Zero, 0, false, s.Bool("frozen", false), TokenAmount.Zero)
                : throw new JsonInputException(s.PathOf("initialized"),
                    $"is false but the committed state is given ({string.Join(", ", given)}): a never-committed token has none; set \"initialized\": true or remove them");
        }

        foreach (var field in CommittedFields.Where(f => !s.Has(f)))
        {
            throw new JsonInputException(s.PathOf(field), "is required when initialized is true (the token's committed state, read from the oracle)");
        }

        return new TokenState(token, s.Wad("factor"), s.UInt64("committedAt"), s.Wad("anchor"), s.UInt64("anchorAt"), true, s.Bool("frozen", false),
            s.Amount("circulating"));
    }

    private static Observation ReadObservation(JsonElement element, string path)
    {
        var o = new JsonFields(element, path, "reporter", "token", "circulating", "factor");
        var circulating = o.Amount("circulating");
        var factor = o.Wad("factor");
        // docs/protocol.md section 4, step 4: a reporter skips a token with zero circulating or a zero factor.
        if (circulating.IsZero)
        {
            throw new JsonInputException(o.PathOf("circulating"), "must be > 0 (a reporter skips a token whose circulating supply is 0)");
        }

        if (!factor.IsCommittable)
        {
            throw new JsonInputException(o.PathOf("factor"), "must be in [1, 1e18] (a reporter skips a token whose factor is 0)");
        }

        return new Observation(o.Address("reporter"), o.Address("token"), circulating, factor);
    }
}
