using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules;
using SupplyOracle.Rules.Batches;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Cli.Internal;

/// <summary>What replaying a round's audit found (see <see cref="RoundReplay.Replay"/>).</summary>
/// <param name="Reproduced">Every signature verified and the recomputed report digest equals the proposed one.</param>
/// <param name="Output">The JSON to print.</param>
internal sealed record ReplayResult(bool Reproduced, JsonObject Output);

/// <summary>
/// <c>rules eval --round N --from URL</c>: fetches a round's audit (<c>GET /v1/rounds/N/audit</c>, README "Round
/// audit") and checks it without trusting the aggregator: every batch signature is recovered under the exported
/// EIP-712 domain and must be a registered reporter's (docs/protocol.md sections 4 and 7), the batches are selected
/// and the rules re-run (section 5) on the exported state, the report digest is recomputed from the result and
/// compared with the proposed one, and every attestation must recover to a registered reporter over that digest
/// (section 6). The state itself is the oracle's at <c>stateBlock</c>, which anyone can read from the chain.
/// </summary>
internal static class RoundReplay
{
    /// <summary>The audit URL for <paramref name="from"/>: an aggregator's base URL, or the audit URL itself.</summary>
    public static Uri AuditUrl(string from, ulong round)
    {
        if (!Uri.TryCreate(from, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new JsonInputException("--from", $"must be the aggregator's http(s) URL; got '{from}'");
        }

        return uri.AbsolutePath.EndsWith("/audit", StringComparison.Ordinal)
            ? uri
            : new Uri(uri, string.Create(CultureInfo.InvariantCulture, $"{uri.AbsolutePath.TrimEnd('/')}/v1/rounds/{round}/audit"));
    }

    /// <summary>Replays one audit document (the JSON of <c>/v1/rounds/N/audit</c>).</summary>
    /// <exception cref="JsonInputException">The document is not an audit of <paramref name="round"/> or lacks what a replay needs.</exception>
    /// <exception cref="RulesInputException">The exported rules input breaks the protocol's rules.</exception>
    public static ReplayResult Replay(ulong round, string json)
    {
        JsonNode root;
        try
        {
            root = JsonNode.Parse(json) ?? throw new JsonInputException("audit", "is null");
        }
        catch (JsonException ex)
        {
            throw new JsonInputException("audit", ex.LineNumber is { } line ? $"not valid JSON (line {line + 1})" : "not valid JSON");
        }

        if (Text(root, "round") != round.ToString(CultureInfo.InvariantCulture))
        {
            throw new JsonInputException("audit.round", $"the document is the audit of round {Text(root, "round")}, not of round {round}");
        }

        var proposal = root["proposal"] as JsonObject
            ?? throw new JsonInputException("audit.proposal", $"round {round} was not proposed (phase {Text(root, "phase")}: {Text(root, "endReason")}); there is no report to reproduce");
        var rulesInput = proposal["rulesInput"] as JsonObject
            ?? throw new JsonInputException("audit.proposal.rulesInput", "is missing: the aggregator could not read the oracle at the state block");
        var domain = root["domain"]!;
        var deployment = new OracleDeployment(ulong.Parse(Text(domain, "chainId"), CultureInfo.InvariantCulture), Address.Parse(Text(domain, "verifyingContract")),
            Address.Parse(Text(root, "registry")));

        // The section 5 inputs other than the observations, through the same reader as `rules eval --input`.
        var withoutObservations = (JsonObject)rulesInput.DeepClone();
        withoutObservations["observations"] = new JsonArray();
        var input = RulesJsonReader.Read(withoutObservations.ToJsonString());
        var reporters = new ReporterSet(input.Parameters.Reporters);

        // Sections 4 and 7: every batch's signature under the exported domain, by a registered reporter, as named.
        var verifier = new BatchVerifier(deployment);
        var verified = new List<SignedBatch>();
        var refused = new JsonArray();
        foreach (var (batch, i) in (root["batches"] as JsonArray ?? []).Select((b, i) => (b!, i)))
        {
            var message = batch["message"]!;
            var proto = new Protocol.V1.ObservationBatch
            {
                Round = ulong.Parse(Text(message, "round"), CultureInfo.InvariantCulture),
                ReferenceBlock = ulong.Parse(Text(message, "referenceBlock"), CultureInfo.InvariantCulture),
                ReferenceTime = ulong.Parse(Text(message, "referenceTime"), CultureInfo.InvariantCulture),
                ReferenceHash = ByteString.CopyFrom(Hex.Decode(Text(message, "referenceHash"))),
                Observations = ByteString.CopyFrom(Hex.Decode(Text(message, "observations"))),
                Signature = ByteString.CopyFrom(Hex.Decode(Text(batch, "signature"))),
                Reporter = ByteString.CopyFrom(Address.Parse(Text(batch, "signer")).ToArray()),
            };
            var result = verifier.Verify(proto, new BatchExpectations(input.Parameters.RoundBlocks, reporters));
            if (result.IsValid)
            {
                verified.Add(result.Value);
            }
            else
            {
                refused.Add(new JsonObject { ["batch"] = i, ["signer"] = Text(batch, "signer"), ["reason"] = result.Rejection.ToString() });
            }
        }

        // Section 5: one batch per reporter (equivocators dropped), the rules on the exported state at stateBlock.
        var selection = BatchSelection.Select(input.Header, verified.Select(v => v.Batch));
        var result5 = RulesEngine.Evaluate(input with { Observations = selection.Observations });
        var header = input.Header;
        var updates = result5.Report.EncodeUpdates();
        var digest = deployment.TypedData.ReportDigest(round, header.ReferenceBlock, header.ReferenceTime, header.ReferenceHash, updates);
        var proposedDigest = Hash32.Parse(Text(proposal, "reportDigest"));
        var proposedUpdates = Text(proposal["report"]!, "updates");

        // Section 6: each attestation recovers to a registered reporter over the proposed digest.
        var attested = 0;
        foreach (var (attestation, i) in (root["attestations"] as JsonArray ?? []).Select((a, i) => (a!, i)))
        {
            var check = AttestationVerifier.Verify(new Protocol.V1.Attestation
            {
                Round = round,
                ReportDigest = ByteString.CopyFrom(proposedDigest.ToArray()),
                Signature = ByteString.CopyFrom(Hex.Decode(Text(attestation, "signature"))),
                Reporter = ByteString.CopyFrom(Address.Parse(Text(attestation, "signer")).ToArray()),
            }, new RoundId(round), proposedDigest, reporters);
            if (check.IsValid)
            {
                attested++;
            }
            else
            {
                refused.Add(new JsonObject { ["attestation"] = i, ["signer"] = Text(attestation, "signer"), ["reason"] = check.Rejection.ToString() });
            }
        }

        var reproduced = digest == proposedDigest && string.Equals(Hex.Encode(updates), proposedUpdates, StringComparison.OrdinalIgnoreCase) && refused.Count == 0;
        var output = new JsonObject
        {
            ["round"] = round.ToString(CultureInfo.InvariantCulture),
            ["reproduced"] = reproduced,
            ["reportDigest"] = digest.ToString(),
            ["proposedReportDigest"] = proposedDigest.ToString(),
            ["batchesVerified"] = verified.Count,
            ["batchesUsed"] = selection.Used.Count,
            ["attestationsVerified"] = attested,
            ["refused"] = refused,
            ["commit"] = root["commit"]?.DeepClone(),
            ["evaluation"] = JsonNode.Parse(RulesJsonWriter.Write(result5)),
        };
        return new ReplayResult(reproduced, output);
    }

    private static string Text(JsonNode node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new JsonInputException($"audit.{name}", "is missing or not a string");
}
