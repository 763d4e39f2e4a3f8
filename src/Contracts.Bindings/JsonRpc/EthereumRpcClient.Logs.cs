using Nethereum.RPC.Eth.DTOs;
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
                var input = FilterInput(filter, from, to);
                var result = await RunAsync("eth_getLogs", () => _eth.Filters.GetLogs.SendRequestAsync(input), cancellationToken).ConfigureAwait(false)
                    ?? throw NethereumConvert.Unexpected("eth_getLogs", "a null result");
                logs.AddRange(result.Select(l => NethereumConvert.ToLog(l, "eth_getLogs")));
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

    private static NewFilterInput FilterInput(LogFilter filter, ulong from, ulong to) => new()
    {
        FromBlock = new BlockParameter(from),
        ToBlock = new BlockParameter(to),
        Address = filter.Addresses.Count > 0 ? [.. filter.Addresses.Select(a => a.ToString())] : null,
        Topics = filter.Topics is { } topics
            ? [.. topics.Select(position => position is null ? null : (object)position.Select(t => t.ToString()).ToArray())]
            : null,
    };
}
