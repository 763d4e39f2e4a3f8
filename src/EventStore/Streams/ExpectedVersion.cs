using System.Globalization;

namespace SupplyOracle.EventStore.Streams;

/// <summary>What an append expects of the stream it writes to (docs/architecture.md "Event sourcing": KurrentDB's vocabulary).</summary>
public enum ExpectedVersionKind
{
    /// <summary>No expectation: the append goes after whatever is there.</summary>
    Any = 0,

    /// <summary>The stream must not exist yet (it has no event).</summary>
    NoStream = 1,

    /// <summary>The stream must exist (it has at least one event).</summary>
    StreamExists = 2,

    /// <summary>The stream's last event must have exactly the given version.</summary>
    Exact = 3,
}

/// <summary>
/// The optimistic-concurrency expectation of an append: <see cref="Any"/>, <see cref="NoStream"/>,
/// <see cref="StreamExists"/> or <see cref="Exact"/>(n). Stream versions are zero-based: the first event of a stream has
/// version 0, so <c>Exact(0)</c> means "the stream holds exactly one event". No magic negative numbers cross the API.
/// </summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(ExpectedVersionKind kind, long version)
    {
        Kind = kind;
        Version = version;
    }

    /// <summary>No expectation.</summary>
    public static ExpectedVersion Any => new(ExpectedVersionKind.Any, 0);

    /// <summary>The stream must be new.</summary>
    public static ExpectedVersion NoStream => new(ExpectedVersionKind.NoStream, 0);

    /// <summary>The stream must already hold at least one event.</summary>
    public static ExpectedVersion StreamExists => new(ExpectedVersionKind.StreamExists, 0);

    /// <summary>The kind of expectation.</summary>
    public ExpectedVersionKind Kind { get; }

    /// <summary>The expected version of the stream's last event; meaningful only for <see cref="ExpectedVersionKind.Exact"/>.</summary>
    public long Version { get; }

    /// <summary>The stream's last event must have version <paramref name="version"/> (zero-based).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="version"/> is negative.</exception>
    public static ExpectedVersion Exact(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        return new(ExpectedVersionKind.Exact, version);
    }

    /// <summary>Whether a stream whose last version is <paramref name="current"/> (null: no stream) meets this expectation.</summary>
    public bool IsMetBy(long? current) => Kind switch
    {
        ExpectedVersionKind.Any => true,
        ExpectedVersionKind.NoStream => current is null,
        ExpectedVersionKind.StreamExists => current is not null,
        _ => current == Version,
    };

    /// <inheritdoc />
    public override string ToString() =>
        Kind == ExpectedVersionKind.Exact ? Version.ToString(CultureInfo.InvariantCulture) : Kind.ToString();
}
