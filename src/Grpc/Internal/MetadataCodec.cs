using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace SupplyOracle.Grpc.Internal;

/// <summary>
/// Converts between <see cref="Metadata"/> and HTTP/2 headers (PROTOCOL-HTTP2.md "Custom-Metadata": binary values are
/// base64, emitted unpadded and accepted padded or unpadded; several values of one key may be comma-joined).
/// </summary>
internal static class MetadataCodec
{
    /// <summary>Headers that belong to HTTP or the gRPC protocol itself, never surfaced as metadata.</summary>
    public static bool IsReserved(string key) =>
        key.Length == 0 || key[0] == ':' || key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || key.Equals("te", StringComparison.OrdinalIgnoreCase)
        || key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || key.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || key.Equals("host", StringComparison.OrdinalIgnoreCase);

    public static string EncodeBinary(ReadOnlySpan<byte> value) => Convert.ToBase64String(value).TrimEnd('=');

    /// <summary>Decodes a base64 value, padded or not; a value that is not base64 fails with INTERNAL.</summary>
    public static byte[] DecodeBinary(string key, string value)
    {
        var trimmed = value.Trim();
        var padded = (trimmed.Length % 4) switch
        {
            2 => trimmed + "==",
            3 => trimmed + "=",
            _ => trimmed,
        };
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException e)
        {
            throw new GrpcStatusException(StatusCode.Internal, $"Metadata '{key}' is not valid base64.", innerException: e);
        }
    }

    public static Metadata FromHeaders(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (key, values) in headers)
        {
            Add(metadata, key, values);
        }

        return metadata;
    }

    public static Metadata FromHeaders(HttpHeaders headers, Metadata? into = null)
    {
        var metadata = into ?? new Metadata();
        foreach (var (key, values) in headers.NonValidated)
        {
            foreach (var value in values)
            {
                Add(metadata, key, [value]);
            }
        }

        return metadata;
    }

    private static void Add(Metadata metadata, string key, IEnumerable<string?> values)
    {
        if (IsReserved(key))
        {
            return;
        }

        var lower = key.ToLowerInvariant();
        var binary = lower.EndsWith(Metadata.BinarySuffix, StringComparison.Ordinal);
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            if (binary)
            {
                // Comma-joined repeated binary values (base64 never contains a comma).
                foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    metadata.AddUnchecked(Metadata.Entry.Binary(lower, DecodeBinary(lower, part)));
                }
            }
            else
            {
                metadata.AddUnchecked(Metadata.Entry.Ascii(lower, value));
            }
        }
    }
}
