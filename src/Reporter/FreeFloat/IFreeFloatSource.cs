using System.Numerics;
using SupplyOracle.Reporter.Supply;

namespace SupplyOracle.Reporter.FreeFloat;

/// <summary>
/// One free-float source of a token (docs/protocol.md section 4 step 3): the operator's own off-chain knowledge. A source
/// answers in the token's native units or throws <see cref="FreeFloatSourceException"/>.
/// </summary>
public interface IFreeFloatSource
{
    /// <summary>A short name for logs and metrics (kind and index, never a secret URL).</summary>
    string Name { get; }

    /// <summary>The free-float supply of the token at the round, given its on-chain figures at <c>B_r</c>.</summary>
    Task<BigInteger> GetAsync(TokenSupply supply, PinnedBlock block, CancellationToken cancellationToken);
}

/// <summary>Why a free-float source gave no value.</summary>
public enum FreeFloatFailure
{
    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>The HTTP request failed (network or status).</summary>
    Unavailable,

    /// <summary>The answer is not JSON, lacks the field, or the field is not a non-negative integer.</summary>
    Malformed,

    /// <summary>The answer is older than the configured maximum age.</summary>
    Stale,

    /// <summary>The source's value is impossible for the token (e.g. more locked than circulating).</summary>
    OutOfRange,
}

/// <summary>A free-float source failed; <see cref="Failure"/> says how.</summary>
public sealed class FreeFloatSourceException(string source, FreeFloatFailure failure, string message, Exception? inner = null)
    : Exception($"free-float source {source}: {message}", inner)
{
    /// <summary>The source name.</summary>
    public string SourceName { get; } = source;

    /// <summary>The kind of failure.</summary>
    public FreeFloatFailure Failure { get; } = failure;
}
