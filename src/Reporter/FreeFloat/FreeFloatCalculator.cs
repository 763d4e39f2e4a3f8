using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.Supply;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Reporter.FreeFloat;

/// <summary>
/// Turns a token's on-chain figures and its free-float sources into its observation (docs/protocol.md section 4 steps 3
/// and 4): the median of the sources that answered (even count: floor of the mean of the two middle values), then
/// <c>factor = min(1e18, freeFloat * 1e18 / circulating)</c>. A failing source is logged and left out; no answering
/// source, zero circulating or a zero factor skips the token.
/// </summary>
public sealed partial class FreeFloatCalculator(ReporterTelemetry telemetry, ILogger<FreeFloatCalculator>? logger = null)
{
    private static readonly BigInteger One = BigInteger.Pow(10, 18);
    private readonly ILogger _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The observation of the token, or why it is skipped.</summary>
    public async Task<(TokenObservation? Observation, SkippedToken? Skipped)> ObserveAsync(TokenSupply supply, PinnedBlock block,
        IReadOnlyList<IFreeFloatSource> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(supply);
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            return Skip(supply.Token, SupplySkipReason.NoSource, "no free-float source is configured");
        }
        var values = new List<BigInteger>();
        var failures = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                values.Add(await source.GetAsync(supply, block, cancellationToken).ConfigureAwait(false));
            }
            catch (FreeFloatSourceException ex)
            {
                failures.Add($"{ex.SourceName}: {ex.Failure}");
                Log.SourceFailed(_logger, supply.Token, ex.SourceName, ex.Failure, ex.Message);
            }
        }
        if (values.Count == 0)
        {
            return Skip(supply.Token, SupplySkipReason.SourceFailed, string.Join("; ", failures));
        }
        if (supply.Circulating.Sign <= 0)
        {
            return Skip(supply.Token, SupplySkipReason.ZeroCirculating, "circulating supply is zero");
        }
        var freeFloat = Median(values);
        var factor = BigInteger.Min(One, freeFloat * One / supply.Circulating);
        if (factor.IsZero)
        {
            return Skip(supply.Token, SupplySkipReason.ZeroFactor, $"free float {freeFloat} of circulating {supply.Circulating} rounds to a zero factor");
        }
        if (supply.Circulating >= BigInteger.One << 128)
        {
            return Skip(supply.Token, SupplySkipReason.ReadFailed, $"circulating {supply.Circulating} does not fit uint128 (docs/protocol.md section 2)");
        }
        return (new TokenObservation(supply.Token, new TokenAmount(supply.Circulating), new Wad((ulong)factor)), null);
    }

    /// <summary>Median; for an even count the floor of the mean of the two middle values (as docs/protocol.md section 5 step 4).</summary>
    public static BigInteger Median(IReadOnlyCollection<BigInteger> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private (TokenObservation?, SkippedToken?) Skip(Address token, SupplySkipReason reason, string detail)
    {
        telemetry.TokenSkipped(reason);
        Log.TokenSkipped(_logger, token, reason, detail);
        return (null, new SkippedToken(token, reason, detail));
    }

    private static partial class Log
    {
        [LoggerMessage(300, LogLevel.Warning, "Token {Token}: free-float source {Source} failed ({Failure}): {Detail}")]
        public static partial void SourceFailed(ILogger logger, Address token, string source, FreeFloatFailure failure, string detail);

        [LoggerMessage(301, LogLevel.Warning, "Token {Token} skipped ({Reason}): {Detail}")]
        public static partial void TokenSkipped(ILogger logger, Address token, SupplySkipReason reason, string detail);
    }
}
