using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Reporter.Gossip;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Supply;

namespace SupplyOracle.Reporter.Rounds;

/// <summary>
/// The node's main loop (docs/protocol.md section 3): polls the head, reads <c>roundBlocks</c> from the contract, observes
/// each round once it has its confirmations, and hands the journaled batch to every aggregator connection, which keeps
/// its stream open and resends until acknowledged, and to the peer relay when one is configured. A reorg during a read retries the round at the next poll.
/// </summary>
public sealed partial class ReporterNode(RoundObserver observer, EthereumRpcClient head, SupplyOracleContract oracle,
    IReadOnlyList<AggregatorConnection> aggregators, ReporterStatus status, TimeSpan pollInterval, TimeProvider time, ILogger<ReporterNode> logger,
    PeerRelay? relay = null)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connections = aggregators.Select(a => a.RunAsync(stoppingToken)).Append(relay?.RunAsync(stoppingToken) ?? Task.CompletedTask).ToArray();
        ulong lastRound = 0;
        using var timer = new PeriodicTimer(pollInterval, time);
        do
        {
            try
            {
                var parameters = await oracle.ParamsAsync(BlockId.Latest, stoppingToken).ConfigureAwait(false);
                var headNumber = await head.BlockNumberAsync(stoppingToken).ConfigureAwait(false);
                status.SetReady(true);
                if (observer.DueRound(headNumber, parameters.RoundBlocks) is { } round && round.Value > lastRound)
                {
                    var entry = await observer.ObserveAsync(round, parameters.RoundBlocks, stoppingToken).ConfigureAwait(false);
                    lastRound = round.Value;
                    if (entry is not null)
                    {
                        foreach (var aggregator in aggregators)
                        {
                            aggregator.Enqueue(entry);
                        }
                        if (relay is not null)
                        {
                            await relay.PublishOwnAsync(entry.Message, stoppingToken).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (BlockReorganisedException ex)
            {
                Log.Reorganised(logger, ex.BlockNumber, ex.Expected.ToString(), ex.Actual?.ToString() ?? "none");
            }
            catch (Exception ex) when (ex is JsonRpcTransportException or JsonRpcException or HttpRequestException or TimeoutException
                                           || (ex is OperationCanceledException && !stoppingToken.IsCancellationRequested))
            {
                status.SetReady(false);
                Log.ChainUnavailable(logger, ex);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(700, LogLevel.Warning, "Reference block {Block} was reorganised ({Expected} -> {Actual}); the round is read again")]
        public static partial void Reorganised(ILogger logger, ulong block, string expected, string actual);

        [LoggerMessage(701, LogLevel.Warning, "Chain unavailable; not ready")]
        public static partial void ChainUnavailable(ILogger logger, Exception exception);
    }
}
