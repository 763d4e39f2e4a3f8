using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Aggregator.Query.Internal;

/// <summary>
/// The round audit as JSON (README "Round audit"). Field names are the EIP-712 member names of docs/protocol.md
/// section 7, so <c>domain</c>, <c>types</c> and each <c>message</c> can be handed to any EIP-712 tool as they are
/// (ethers' <c>verifyTypedData</c> and <c>TypedDataEncoder.hash</c>, viem, <c>cast</c>). Integers are decimal strings
/// (uint64 exceeds JavaScript's exact range), bytes 0x-hex, addresses EIP-55. <c>proposal.rulesInput</c> is a
/// <c>rules eval</c> input without its observations (they are the batches).
/// </summary>
internal static class RoundAuditJson
{
    private static readonly JsonSerializerOptions ParameterJson = CreateParameterJson();

    public static JsonObject ToJson(RoundAudit audit)
    {
        ArgumentNullException.ThrowIfNull(audit);
        var deployment = audit.Deployment;
        return new JsonObject
        {
            ["round"] = Str(audit.Round),
            ["phase"] = audit.Phase,
            ["endReason"] = audit.EndReason,
            ["domain"] = new JsonObject
            {
                ["name"] = "SupplyOracle",
                ["version"] = "1",
                ["chainId"] = Str(deployment.ChainId),
                ["verifyingContract"] = deployment.Oracle.ToChecksumString(),
            },
            ["registry"] = deployment.Registry.ToChecksumString(),
            ["types"] = new JsonObject
            {
                ["ObservationBatch"] = Members(SupplyOracleTypedData.ObservationBatchType, "observations"),
                ["Report"] = Members(SupplyOracleTypedData.ReportType, "updates"),
            },
            ["batches"] = new JsonArray([.. audit.Batches.Select(b => (JsonNode)new JsonObject
            {
                ["signer"] = b.Signer.ToChecksumString(),
                ["digest"] = b.Digest.ToString(),
                ["signature"] = Hex.Encode(b.Signature),
                ["equivocation"] = b.Equivocation,
                ["message"] = Message(b.Round, b.ReferenceBlock, b.ReferenceTime, b.ReferenceHash, "observations", b.Observations),
            })]),
            ["equivocations"] = new JsonArray([.. audit.Equivocations.Select(e => (JsonNode)new JsonObject
            {
                ["reporter"] = e.Reporter.ToChecksumString(),
                ["firstDigest"] = e.FirstDigest.ToString(),
                ["secondDigest"] = e.SecondDigest.ToString(),
            })]),
            ["proposal"] = audit.Proposal is { } p ? Proposal(audit.Round, p) : null,
            ["attestations"] = new JsonArray([.. audit.Attestations.Select(a => (JsonNode)new JsonObject
            {
                ["signer"] = a.Signer.ToChecksumString(),
                ["reportDigest"] = a.ReportDigest.ToString(),
                ["signature"] = Hex.Encode(a.Signature),
            })]),
            ["commit"] = audit.Commit is { } c
                ? new JsonObject { ["transactionHash"] = c.TransactionHash.ToString(), ["block"] = Str(c.Block), ["gasUsed"] = Str(c.GasUsed) }
                : null,
        };
    }

    /// <summary>The proposal's section 5 inputs as a <c>rules eval</c> input without observations, or null.</summary>
    public static JsonObject? RulesInput(RoundAudit audit) =>
        audit.Proposal is { Parameters: { } parameters, State: { } state } p ? RulesInput(audit.Round, p, parameters, state) : null;

    private static JsonObject Proposal(ulong round, AuditProposal p) => new()
    {
        ["proposalId"] = p.ProposalId,
        ["stateBlock"] = Str(p.StateBlock),
        ["reportDigest"] = p.ReportDigest.ToString(),
        ["evidence"] = new JsonArray([.. p.Evidence.Select(d => (JsonNode)JsonValue.Create(d.ToString()))]),
        ["report"] = Message(round, p.ReferenceBlock, p.ReferenceTime, p.ReferenceHash, "updates", p.Updates),
        ["rulesInput"] = p.Parameters is { } parameters && p.State is { } state ? RulesInput(round, p, parameters, state) : null,
    };

    // The rules eval input format (README "Rules what-if"), observations left out: parameters exactly as the rules
    // engine takes them (every property, so parameters added to the engine travel too) and the per-token state.
    private static JsonObject RulesInput(ulong round, AuditProposal p, RulesParameters parameters, IReadOnlyList<TokenState> state) => new()
    {
        ["round"] = Str(round),
        ["referenceBlock"] = Str(p.ReferenceBlock),
        ["referenceTime"] = Str(p.ReferenceTime),
        ["referenceHash"] = p.ReferenceHash.ToString(),
        ["parameters"] = JsonSerializer.SerializeToNode(parameters, ParameterJson),
        ["state"] = new JsonArray([.. state.Select(t => (JsonNode)(t.Initialized
            ? new JsonObject
            {
                ["token"] = t.Token.ToChecksumString(),
                ["initialized"] = true,
                ["factor"] = t.Factor.ToString(),
                ["committedAt"] = Str(t.CommittedAt),
                ["anchor"] = t.Anchor.ToString(),
                ["anchorAt"] = Str(t.AnchorAt),
                ["frozen"] = t.Frozen,
                ["circulating"] = t.Circulating.ToString(),
            }
            : new JsonObject { ["token"] = t.Token.ToChecksumString(), ["initialized"] = false, ["frozen"] = t.Frozen }))]),
    };

    private static JsonObject Message(ulong round, ulong referenceBlock, ulong referenceTime, Hash32 referenceHash, string bytesName, byte[] bytes) => new()
    {
        ["round"] = Str(round),
        ["referenceBlock"] = Str(referenceBlock),
        ["referenceTime"] = Str(referenceTime),
        ["referenceHash"] = referenceHash.ToString(),
        [bytesName] = Hex.Encode(bytes),
    };

    // "Name(uint64 round,...,bytes last)" → [{ "name": "round", "type": "uint64" }, ...] (ethers' types format).
    private static JsonArray Members(string typeString, string last)
    {
        var open = typeString.IndexOf('(', StringComparison.Ordinal);
        var members = typeString[(open + 1)..^1].Split(',').Select(m => m.Split(' ')).ToArray();
        if (members[^1][1] != last)
        {
            throw new InvalidOperationException($"unexpected EIP-712 type {typeString}");
        }

        return new JsonArray([.. members.Select(m => (JsonNode)new JsonObject { ["name"] = m[1], ["type"] = m[0] })]);
    }

    private static string Str(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static JsonSerializerOptions CreateParameterJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.WriteAsString };
        options.Converters.Add(new ChecksumAddressConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class ChecksumAddressConverter : JsonConverter<Address>
    {
        public override Address Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Address.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, Address value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToChecksumString());
    }
}
