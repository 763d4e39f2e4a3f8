using Google.Protobuf;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Reports;

/// <summary>Converts reports (docs/protocol.md sections 6 and 7) between the rules engine's <see cref="Report"/> and the gossip message.</summary>
public static class ReportMessages
{
    /// <summary>The gossip message of a report: header and the exact 45-byte-per-entry <c>updates</c> bytes.</summary>
    public static V1.Report ToProto(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new V1.Report
        {
            Round = report.Header.Round.Value,
            ReferenceBlock = report.Header.ReferenceBlock,
            ReferenceTime = report.Header.ReferenceTime,
            ReferenceHash = ByteString.CopyFrom(report.Header.ReferenceHash.ToArray()),
            Updates = ByteString.CopyFrom(report.EncodeUpdates()),
        };
    }

    /// <summary>
    /// Decodes a report message strictly. Throws <see cref="MessageEncodingException"/> for a reference hash that is
    /// not 32 bytes, or updates that are not 45-byte entries with tokens strictly ascending, factor in [1, 1e18] and a
    /// status of 0, 1 or 2.
    /// </summary>
    public static Report FromProto(V1.Report message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Report(Header(message), UpdateEncoding.Decode(message.Updates.Span));
    }

    /// <summary>The header of a report message; throws <see cref="MessageEncodingException"/> for a reference hash that is not 32 bytes.</summary>
    public static ReportHeader Header(V1.Report message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.ReferenceHash.Length != Hash32.Size)
        {
            throw new MessageEncodingException("referenceHash", 0, $"reference_hash has {message.ReferenceHash.Length} bytes, expected 32");
        }

        return new ReportHeader(new RoundId(message.Round), message.ReferenceBlock, message.ReferenceTime, new Hash32(message.ReferenceHash.Span));
    }

    /// <summary>The EIP-712 digest a report attestation signs (docs/protocol.md section 7).</summary>
    public static Hash32 Digest(OracleDeployment deployment, Report report)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        ArgumentNullException.ThrowIfNull(report);
        var h = report.Header;
        return deployment.TypedData.ReportDigest(h.Round.Value, h.ReferenceBlock, h.ReferenceTime, h.ReferenceHash, report.EncodeUpdates());
    }
}
