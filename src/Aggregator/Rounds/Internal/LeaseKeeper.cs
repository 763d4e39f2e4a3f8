using SupplyOracle.EventStore.Leadership;

namespace SupplyOracle.Aggregator.Rounds.Internal;

/// <summary>
/// Holds the transmitter lease of the event store's <see cref="LeaderElection"/> (an advisory lock) whenever it can:
/// acquires it, waits until it is lost (the connection broke, PostgreSQL restarted) or the loop stops, and tries again.
/// Only the holder transmits (docs/architecture.md "Deployment shapes").
/// </summary>
internal sealed class LeaseKeeper(LeaderElection election)
{
    private volatile LeaderLease? _lease;

    /// <summary>The lease while it is held, else null.</summary>
    public LeaderLease? Current => _lease is { IsHeld: true } lease ? lease : null;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            LeaderLease lease;
            try
            {
                lease = await election.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            await using (lease.ConfigureAwait(false))
            {
                _lease = lease;
                using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
                try
                {
                    await Task.Delay(Timeout.Infinite, held.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // lost or stopping
                }
                finally
                {
                    _lease = null;
                }
            }
        }
    }
}
