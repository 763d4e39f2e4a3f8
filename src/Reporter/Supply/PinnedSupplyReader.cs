using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.Supply.Internal;
using SupplyOracle.Reporter.Telemetry;

namespace SupplyOracle.Reporter.Supply;

/// <summary>
/// Reads the on-chain figures of every covered token at a round's reference block (docs/protocol.md sections 3 and 4):
/// two JSON-RPC batch round trips per endpoint whatever the token count, every call pinned by block hash. All
/// configured endpoints are read in parallel; a token whose figures differ between endpoints is skipped
/// (<see cref="SupplySkipReason.EndpointsDisagree"/>, logged and counted), never guessed. Fewer than
/// <c>quorum</c> answering endpoints skips every token (<see cref="SupplySkipReason.RpcUnavailable"/>).
/// </summary>
public sealed class PinnedSupplyReader
{
    private readonly IReadOnlyList<RpcEndpoint> _endpoints;
    private readonly Address _registry;
    private readonly int _quorum;
    private readonly ReporterTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates a reader over the configured endpoints.</summary>
    /// <param name="endpoints">The endpoints (at least one, distinct names).</param>
    /// <param name="registry">The ExcludedAddressRegistry address.</param>
    /// <param name="quorum">How many endpoints must answer (1 ..= endpoint count); all that answer must agree.</param>
    /// <param name="telemetry">Metrics.</param>
    /// <param name="timeProvider">Clock for latency.</param>
    /// <param name="logger">Logger.</param>
    public PinnedSupplyReader(IReadOnlyList<RpcEndpoint> endpoints, Address registry, int quorum, ReporterTelemetry telemetry,
        TimeProvider? timeProvider = null, ILogger<PinnedSupplyReader>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(telemetry);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one RPC endpoint is required", nameof(endpoints));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(quorum, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quorum, endpoints.Count);
        _endpoints = endpoints;
        _registry = registry;
        _quorum = quorum;
        _telemetry = telemetry;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Reads every token at <paramref name="block"/>.</summary>
    /// <exception cref="BlockReorganisedException">An endpoint no longer has <paramref name="block"/> as canonical.</exception>
    public async Task<SupplyReadResult> ReadAsync(PinnedBlock block, IReadOnlyList<CoveredToken> tokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        using var activity = ReporterTelemetry.ActivitySource.StartActivity("supply.read");
        activity?.SetTag("block", block.Number);
        var ordered = tokens.GroupBy(t => t.Token).Select(g => g.First()).OrderBy(t => t.Token).ToArray();
        var reads = await Task.WhenAll(_endpoints.Select(e => ReadOneAsync(e, block, ordered, cancellationToken))).ConfigureAwait(false);
        var answered = reads.OfType<EndpointRead>().ToArray();
        var roundTrips = answered.Length == 0 ? 0 : answered.Max(r => r.RoundTrips);

        var result = new List<TokenSupply>();
        var skipped = new List<SkippedToken>();
        foreach (var token in ordered.Select(t => t.Token))
        {
            var outcome = answered.Length < _quorum
                ? new SkippedToken(token, SupplySkipReason.RpcUnavailable, $"{answered.Length} of {_endpoints.Count} endpoints answered, {_quorum} required")
                : Agree(token, answered);
            if (outcome is TokenSupply figures)
            {
                if (figures.Circulating.Sign < 0)
                {
                    outcome = new SkippedToken(token, SupplySkipReason.NegativeCirculating,
                        $"excluded balances {figures.ExcludedBalance} exceed total supply {figures.TotalSupply}");
                }
                else if (figures.Circulating.IsZero)
                {
                    outcome = new SkippedToken(token, SupplySkipReason.ZeroCirculating, "circulating supply is zero");
                }
            }
            if (outcome is SkippedToken skip)
            {
                skipped.Add(skip);
                _telemetry.TokenSkipped(skip.Reason);
                if (skip.Reason == SupplySkipReason.EndpointsDisagree)
                {
                    _telemetry.EndpointDisagreement();
                }
                SupplyLog.TokenSkipped(_logger, block.Number, token, skip.Reason, skip.Detail);
            }
            else
            {
                result.Add((TokenSupply)outcome);
            }
        }
        activity?.SetTag("tokens.read", result.Count);
        activity?.SetTag("tokens.skipped", skipped.Count);
        return new SupplyReadResult(block, result, skipped, roundTrips);
    }

    private static object Agree(Address token, IReadOnlyList<EndpointRead> answered)
    {
        var first = answered[0];
        if (first.Tokens.TryGetValue(token, out var figures))
        {
            var disagreeing = answered.Skip(1).FirstOrDefault(r => !r.Tokens.TryGetValue(token, out var other) || !other.SameFiguresAs(figures));
            return disagreeing is null
                ? figures
                : new SkippedToken(token, SupplySkipReason.EndpointsDisagree, $"{first.Endpoint} and {disagreeing.Endpoint} returned different figures");
        }
        var skip = first.Skipped[token];
        var differing = answered.Skip(1).FirstOrDefault(r => !r.Skipped.TryGetValue(token, out var other) || other.Reason != skip.Reason);
        return differing is null
            ? skip
            : new SkippedToken(token, SupplySkipReason.EndpointsDisagree, $"{first.Endpoint} ({skip.Reason}) and {differing.Endpoint} answered differently");
    }

    private async Task<EndpointRead?> ReadOneAsync(RpcEndpoint endpoint, PinnedBlock block, IReadOnlyList<CoveredToken> tokens, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        try
        {
            var read = await EndpointSupplyRead.ReadAsync(endpoint, _registry, block, tokens, cancellationToken).ConfigureAwait(false);
            _telemetry.RpcRead(endpoint.Name, _time.GetElapsedTime(started), succeeded: true);
            return read;
        }
        catch (Exception ex) when (ex is JsonRpcTransportException or JsonRpcException or HttpRequestException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _telemetry.RpcRead(endpoint.Name, _time.GetElapsedTime(started), succeeded: false);
            SupplyLog.EndpointFailed(_logger, endpoint.Name, block.Number, ex);
            return null;
        }
    }
}
