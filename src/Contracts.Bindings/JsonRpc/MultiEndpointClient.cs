using Nethereum.JsonRpc.Client;
using Nethereum.JsonRpc.Client.RpcMessages;
using SupplyOracle.Contracts.Bindings.Internal;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

/// <summary>How several endpoints answer one request.</summary>
public enum EndpointPolicy
{
    /// <summary>
    /// Ask the first healthy endpoint; on a transport failure mark it unhealthy for a cool-down and ask the next. A
    /// JSON-RPC error is the node's answer and is returned as is.
    /// </summary>
    FirstHealthy,

    /// <summary>
    /// Ask every endpoint; their answers (results or errors) must be identical, or the request fails with
    /// <see cref="JsonRpcTransportFailure.Disagreement"/>. For reads whose answer must not depend on one provider.
    /// </summary>
    AllMustAgree,
}

/// <summary>Several JSON-RPC endpoints (Nethereum clients) behind one Nethereum <see cref="IClient"/>, with a policy.</summary>
public sealed class MultiEndpointClient : DelegatingRpcClient
{
    private readonly IReadOnlyList<IClient> _endpoints;
    private readonly EndpointPolicy _policy;
    private readonly TimeProvider _time;
    private readonly TimeSpan _coolDown;
    private readonly long[] _unhealthyUntil;

    /// <summary>Creates the client.</summary>
    /// <param name="endpoints">The endpoints, in order of preference.</param>
    /// <param name="policy">How to combine them.</param>
    /// <param name="timeProvider">The clock for cool-downs.</param>
    /// <param name="coolDown">How long a failed endpoint is skipped (default 30 s).</param>
    public MultiEndpointClient(IReadOnlyList<IClient> endpoints, EndpointPolicy policy, TimeProvider? timeProvider = null, TimeSpan? coolDown = null)
        : base(null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("at least one endpoint is needed", nameof(endpoints));
        }

        _endpoints = endpoints;
        _policy = policy;
        _time = timeProvider ?? TimeProvider.System;
        _coolDown = coolDown ?? TimeSpan.FromSeconds(30);
        _unhealthyUntil = new long[endpoints.Count];
    }

    /// <inheritdoc />
    public override Task<RpcResponseMessage> SendAsync(RpcRequestMessage rpcRequestMessage, string? route = null)
    {
        ArgumentNullException.ThrowIfNull(rpcRequestMessage);
        return _policy == EndpointPolicy.FirstHealthy
            ? FirstHealthyAsync(c => c.SendAsync(rpcRequestMessage, route))
            : AllAgreeAsync(c => c.SendAsync(rpcRequestMessage, route), r => [r], rpcRequestMessage.Method);
    }

    /// <inheritdoc />
    public override Task<RpcResponseMessage[]> SendBatchAsync(RpcRequestMessage[] requests) =>
        _policy == EndpointPolicy.FirstHealthy
            ? FirstHealthyAsync(c => SendRawBatchAsync(c, requests))
            : AllAgreeAsync(c => SendRawBatchAsync(c, requests), r => r, "batch");

    private async Task<T> FirstHealthyAsync<T>(Func<IClient, Task<T>> send)
    {
        var now = _time.GetTimestamp();
        List<Exception> failures = [];
        // Healthy endpoints first, in order; then the unhealthy ones as a last resort rather than failing outright.
        var order = Enumerable.Range(0, _endpoints.Count).OrderBy(i => Volatile.Read(ref _unhealthyUntil[i]) > now ? 1 : 0).ThenBy(i => i);
        foreach (var i in order)
        {
            try
            {
                var result = await send(_endpoints[i]).ConfigureAwait(false);
                Volatile.Write(ref _unhealthyUntil[i], 0);
                return result;
            }
            catch (JsonRpcTransportException ex)
            {
                failures.Add(ex);
                Volatile.Write(ref _unhealthyUntil[i], _time.GetTimestamp() + (long)(_coolDown.TotalSeconds * _time.TimestampFrequency));
            }
        }

        throw new JsonRpcTransportException(JsonRpcTransportFailure.NoHealthyEndpoint, "first-healthy",
            $"all {_endpoints.Count} endpoints failed: {string.Join("; ", failures.Select(f => f.Message))}", new AggregateException(failures));
    }

    private async Task<T> AllAgreeAsync<T>(Func<IClient, Task<T>> send, Func<T, IReadOnlyList<RpcResponseMessage>> responses, string method)
    {
        var results = await Task.WhenAll(_endpoints.Select(send)).ConfigureAwait(false);
        var first = Canonical(responses(results[0]));
        for (var i = 1; i < results.Length; i++)
        {
            if (Canonical(responses(results[i])) != first)
            {
                throw new JsonRpcTransportException(JsonRpcTransportFailure.Disagreement, "all-must-agree",
                    $"{method}: endpoint {i} answered differently from endpoint 0");
            }
        }

        return results[0];
    }

    // Results compare by their JSON text; errors by code and data (messages differ between clients).
    private static string Canonical(IReadOnlyList<RpcResponseMessage> responses) => string.Join('\n', responses.Select(r => r.Error is { } e
        ? $"error {e.Code} {NethereumConvert.Json(e.Data)}"
        : NethereumConvert.Json(r.Result)));
}
