using System.Collections;

namespace SupplyOracle.Grpc;

/// <summary>
/// Custom gRPC metadata (grpc/grpc <c>doc/PROTOCOL-HTTP2.md</c>, "Custom-Metadata"): ordered key/value entries whose
/// keys are lowercase <c>[0-9a-z_.-]</c> and not <c>grpc-</c> reserved. Keys ending in <c>-bin</c> carry bytes
/// (base64 on the wire, emitted unpadded, accepted padded or not); other values are printable ASCII.
/// </summary>
public sealed class Metadata : IReadOnlyList<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary-valued key.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <inheritdoc />
    public int Count => _entries.Count;

    /// <inheritdoc />
    public Entry this[int index] => _entries[index];

    /// <summary>Adds an ASCII entry; throws <see cref="ArgumentException"/> for an invalid key or value.</summary>
    public Metadata Add(string key, string value)
    {
        _entries.Add(Entry.Ascii(key, value));
        return this;
    }

    /// <summary>Adds a binary entry; the key must end in <c>-bin</c>.</summary>
    public Metadata Add(string key, ReadOnlySpan<byte> value)
    {
        _entries.Add(Entry.Binary(key, value.ToArray()));
        return this;
    }

    /// <summary>The first ASCII value of <paramref name="key"/>, or null.</summary>
    public string? GetValue(string key) => _entries.FirstOrDefault(e => e.Key == key && !e.IsBinary)?.Value;

    /// <summary>The first binary value of <paramref name="key"/>, or null.</summary>
    public byte[]? GetBytes(string key) => _entries.FirstOrDefault(e => e.Key == key && e.IsBinary)?.ValueBytes;

    /// <inheritdoc />
    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void AddUnchecked(Entry entry) => _entries.Add(entry);

    /// <summary>One metadata entry: an ASCII value or, for <c>-bin</c> keys, bytes.</summary>
    public sealed class Entry
    {
        private readonly byte[]? _bytes;

        private Entry(string key, string? value, byte[]? bytes)
        {
            Key = key;
            Value = value;
            _bytes = bytes;
        }

        /// <summary>The lowercase key.</summary>
        public string Key { get; }

        /// <summary>True for a <c>-bin</c> key.</summary>
        public bool IsBinary => _bytes is not null;

        /// <summary>The ASCII value (null for binary entries).</summary>
        public string? Value { get; }

        /// <summary>A copy of the binary value (null for ASCII entries).</summary>
        public byte[]? ValueBytes => _bytes?.ToArray();

        internal ReadOnlySpan<byte> RawBytes => _bytes;

        /// <summary>Creates an ASCII entry after validating key and value.</summary>
        public static Entry Ascii(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(value);
            ValidateKey(key);
            if (key.EndsWith(BinarySuffix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"metadata key '{key}' ends in -bin: give its value as bytes", nameof(key));
            }

            // ASCII-Value = 1*( %x20-%x7E ) (PROTOCOL-HTTP2.md).
            foreach (var c in value)
            {
                if (c is < ' ' or > '~')
                {
                    throw new ArgumentException(
                        $"metadata value of '{key}' has character U+{(int)c:X4}: only printable ASCII is allowed", nameof(value));
                }
            }

            return new Entry(key, value, null);
        }

        /// <summary>Creates a binary entry after validating the key (it must end in <c>-bin</c>).</summary>
        public static Entry Binary(string key, byte[] value)
        {
            ArgumentNullException.ThrowIfNull(value);
            ValidateKey(key);
            if (!key.EndsWith(BinarySuffix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"binary metadata key '{key}' must end in -bin", nameof(key));
            }

            return new Entry(key, null, value);
        }

        private static void ValidateKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            foreach (var c in key)
            {
                if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.'))
                {
                    throw new ArgumentException($"metadata key '{key}' has '{c}': keys are lowercase [0-9a-z_.-]", nameof(key));
                }
            }

            if (key.StartsWith("grpc-", StringComparison.Ordinal))
            {
                throw new ArgumentException($"metadata key '{key}' is reserved: grpc-* keys belong to the protocol", nameof(key));
            }
        }
    }
}
