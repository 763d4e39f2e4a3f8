using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Internal;

namespace SupplyOracle.Contracts.Bindings.JsonRpc;

public sealed partial class EthereumRpcClient
{
    /// <summary>
    /// eth_getLogs over <paramref name="filter"/>'s range, split into windows of at most <paramref name="maxBlockRange"/>
    /// blocks; a window the node refuses as too large (EIP-1474 -32005 limit exceeded) is halved and retried, down
    /// to a single block. Logs come back in block order.
    /// </summary>
    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, ulong maxBlockRange = 2_000, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.FromBlock > filter.ToBlock)
        {
            throw new ArgumentException($"fromBlock {filter.FromBlock} is after toBlock {filter.ToBlock}", nameof(filter));
        }

        ArgumentOutOfRangeException.ThrowIfZero(maxBlockRange);
        var logs = new List<LogEntry>();
        var from = filter.FromBlock;
        var window = maxBlockRange;
        while (true)
        {
            var to = filter.ToBlock - from < window ? filter.ToBlock : from + window - 1;
            try
            {
                var result = await SendAsync("eth_getLogs", cancellationToken, FilterJson(filter, from, to)).ConfigureAwait(false);
                if (result.ValueKind != JsonValueKind.Array)
                {
                    throw Quantity.Unexpected("eth_getLogs", result);
                }

                logs.AddRange(result.EnumerateArray().Select(RpcParsing.Log));
            }
            catch (JsonRpcException ex) when (ex.IsLimitExceeded && to > from)
            {
                window = Math.Max(1, (to - from + 1) / 2);
                continue;
            }

            if (to == filter.ToBlock)
            {
                return logs;
            }

            from = to + 1;
        }
    }

    private static JsonObject FilterJson(LogFilter filter, ulong from, ulong to)
    {
        var json = new JsonObject
        {
            ["fromBlock"] = Quantity.Encode(from),
            ["toBlock"] = Quantity.Encode(to),
        };
        if (filter.Addresses.Count > 0)
        {
            json["address"] = new JsonArray([.. filter.Addresses.Select(a => (JsonNode)JsonValue.Create(a.ToString()))]);
        }

        if (filter.Topics is { } topics)
        {
            json["topics"] = new JsonArray([.. topics.Select(position => position is null
                ? null
                : (JsonNode)new JsonArray([.. position.Select(t => (JsonNode)JsonValue.Create(t.ToString()))]))]);
        }

        return json;
    }
}
