using JasperFx.Events.Daemon;

namespace SupplyOracle.Aggregator.EventSourcing;

/// <summary>Decides which replica transmits (docs/architecture.md "Deployment shapes": one transmits at a time).</summary>
public interface ITransmitterLeadership
{
    /// <summary>The lease while this process is the leader, else null.</summary>
    TransmitterLease? Current { get; }
}

/// <summary>
/// Leadership held by this process until <see cref="Lost"/> is cancelled. A transmission linked to <see cref="Lost"/> stops
/// when the leadership moves; the new leader resumes the round from the log.
/// </summary>
public sealed class TransmitterLease : IDisposable
{
    private readonly CancellationTokenSource _lost = new();

    /// <summary>True while the leadership is held.</summary>
    public bool IsHeld => !_lost.IsCancellationRequested;

    /// <summary>Cancelled when the leadership is lost.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>Gives the leadership up (cancels <see cref="Lost"/>).</summary>
    public void Revoke() => _lost.Cancel();

    /// <inheritdoc />
    public void Dispose() => _lost.Dispose();
}

/// <summary>
/// The one leader mechanism of the aggregator: Marten's HotCold daemon election. Marten takes a PostgreSQL advisory lock
/// per async projection on a dedicated, monitored connection (REFERENCES.md event store rule 7) and runs the projection in
/// exactly one process of those sharing the database; the transmitter follows it: this process transmits while its
/// daemon runs the query projection's shard (<see cref="AggregatorStoreOptions.QueryShard"/>). One lock, not two, so
/// the replica that projects is the one that transmits, failover happens once (Marten detects a lost lock, for instance
/// after a PostgreSQL restart, and stops the shard; the lease is then revoked at the next poll), and no second election
/// (the former <c>transmitter.*</c> advisory lock of src/EventStore/Leadership) can disagree with the daemon's.
/// </summary>
public sealed class DaemonLeadership : ITransmitterLeadership, IDisposable
{
    private readonly IProjectionCoordinator _coordinator;
    private readonly string _shard;
    private readonly TimeProvider _time;
    private readonly TimeSpan _poll;
    private TransmitterLease? _lease;

    /// <summary>Creates the leadership view.</summary>
    /// <param name="coordinator">Marten's HotCold projection coordinator.</param>
    /// <param name="shard">The shard whose holder transmits (the query projection's).</param>
    /// <param name="time">The clock.</param>
    /// <param name="poll">How often the daemon is asked.</param>
    public DaemonLeadership(IProjectionCoordinator coordinator, string shard, TimeProvider time, TimeSpan poll)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentException.ThrowIfNullOrEmpty(shard);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(poll, TimeSpan.Zero);
        _coordinator = coordinator;
        _shard = shard;
        _time = time;
        _poll = poll;
    }

    /// <inheritdoc />
    public TransmitterLease? Current => Volatile.Read(ref _lease) is { IsHeld: true } lease ? lease : null;

    /// <summary>
    /// True when this process's daemon holds the shard now: running, or paused by Marten after a projection error (the
    /// HotCold lock is still this process's; a projection hiccup must not move the transmitter).
    /// </summary>
    public bool RunsShard()
    {
        try
        {
            return _coordinator.DaemonForMainDatabase().CurrentAgents()
                .Any(a => a.Name.Identity == _shard && a.Status != JasperFx.AgentStatus.Stopped);
        }
        catch (InvalidOperationException)
        {
            return false; // the daemon is not started (yet) or is stopping
        }
    }

    /// <summary>Follows the daemon until <paramref name="cancellationToken"/> is cancelled; the lease is revoked then.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_poll, _time);
        try
        {
            do
            {
                Update(RunsShard());
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Update(false);
        }
    }

    private void Update(bool leader)
    {
        var current = Volatile.Read(ref _lease);
        if (leader && current is not { IsHeld: true })
        {
            Volatile.Write(ref _lease, new TransmitterLease());
        }
        else if (!leader && current is { IsHeld: true })
        {
            current.Revoke();
        }
    }

    /// <inheritdoc />
    public void Dispose() => Volatile.Read(ref _lease)?.Dispose();
}
