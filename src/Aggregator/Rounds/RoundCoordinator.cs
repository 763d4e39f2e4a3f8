using Marten;
using SupplyOracle.Aggregator.EventSourcing;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Rounds.Internal;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Aggregator.Rounds;

/// <summary>The round loop's timing.</summary>
/// <param name="CloseAfter">After <c>B_r + ReporterConfirmations</c> is first seen, close at this deadline even if not every reporter was heard.</param>
/// <param name="AttestationTimeout">A proposal without quorum after this long is abandoned.</param>
/// <param name="PollInterval">How often the head and the oracle are polled.</param>
public sealed record RoundCoordinatorOptions(TimeSpan CloseAfter, TimeSpan AttestationTimeout, TimeSpan PollInterval)
{
    /// <summary>
    /// The reporters' <c>confirmations</c> (docs/protocol.md section 3): a reporter reports round <c>r</c> once its head
    /// reaches <c>B_r + confirmations</c>, so the close window starts when this aggregator first sees that head. Default 0.
    /// </summary>
    public ulong ReporterConfirmations { get; init; }

    /// <summary>
    /// After this process starts, rounds whose deadline has passed are not closed below a full hearing until this grace
    /// has passed, so reporters can reconnect and resend their batches (issue 24); it ends early once every registered
    /// reporter has had a Connect stream open for a poll. Zero: no grace. Default zero.
    /// </summary>
    public TimeSpan ReconnectGrace { get; init; }

    /// <summary>Checks the invariants.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A duration is not positive (the grace: negative).</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CloseAfter, TimeSpan.Zero, nameof(CloseAfter));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(AttestationTimeout, TimeSpan.Zero, nameof(AttestationTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(PollInterval, TimeSpan.Zero, nameof(PollInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectGrace, TimeSpan.Zero, nameof(ReconnectGrace));
    }
}

/// <summary>
/// The aggregator's live round loop (docs/protocol.md sections 3, 5 and 6; README.md "Round lifecycle"). Every poll it reads
/// the head and the oracle; for each round whose <c>B_r</c> has the reporters' confirmations and is still committable it opens the round, closes it
/// with the <see cref="RoundCloser"/> once every registered reporter was heard or the deadline passed, pushes the
/// proposal through the <see cref="ProposalHub"/>, and when <c>minReporters</c> attestations are recorded, the holder of
/// the leader lease transmits with the <see cref="RoundTransmitter"/>. A proposal without quorum by the timeout, and a
/// round past <c>maxReportAgeBlocks</c>, are abandoned with the reason.
/// </summary>
/// <remarks>
/// Every decision is taken from the <see cref="RoundState"/> fold of <c>round-&lt;r&gt;</c>, never from in-memory flags,
/// and every decision is an append at the version read (or with a deterministic event id), so a restarted process or a
/// second replica on the same database resumes each round at its recorded step and no step is taken twice. A round whose
/// transmission was intended but not confirmed goes back to the transmitter, which checks <c>lastRound</c> first.
/// </remarks>
public sealed partial class RoundCoordinator
{
    private readonly IDocumentStore _store;
    private readonly RoundCloser _closer;
    private readonly RoundTransmitter _transmitter;
    private readonly ProposalHub _hub;
    private readonly OracleStateReader _reader;
    private readonly ICanonicalChain _chain;
    private readonly ITransmitterLeadership? _leadership;
    private readonly RoundCoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SortedDictionary<ulong, RoundState> _rounds = [];
    private bool _resumed;
    private DateTimeOffset _listeningSince;
    private DateTimeOffset? _allConnectedSince;

    /// <summary>Creates the loop.</summary>
    /// <param name="store">The event log (Marten, configured with <see cref="AggregatorEvents"/>).</param>
    /// <param name="closer">Closes rounds.</param>
    /// <param name="transmitter">Sends commits.</param>
    /// <param name="hub">Open proposals and reporters' streams.</param>
    /// <param name="reader">Reads the oracle (parameters, reporters, <c>lastRound</c>).</param>
    /// <param name="chain">The head.</param>
    /// <param name="leadership">Who transmits among several replicas (<see cref="DaemonLeadership"/>); null: this process always transmits.</param>
    /// <param name="options">Timing.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    public RoundCoordinator(IDocumentStore store, RoundCloser closer, RoundTransmitter transmitter, ProposalHub hub,
        OracleStateReader reader, ICanonicalChain chain, ITransmitterLeadership? leadership, RoundCoordinatorOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(closer);
        ArgumentNullException.ThrowIfNull(transmitter);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        options.Validate();
        _store = store;
        _closer = closer;
        _transmitter = transmitter;
        _hub = hub;
        _reader = reader;
        _chain = chain;
        _leadership = leadership;
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger<RoundCoordinator>();
    }

    /// <summary>
    /// True while this process may transmit: it holds the transmitter lease, or runs without an election (reported by
    /// the <c>role</c> health check as leader, else follower).
    /// </summary>
    public bool HoldsLease => _leadership is null || _leadership.Current is not null;

    /// <summary>
    /// Runs the loop until <paramref name="cancellationToken"/> is cancelled (then completes normally). Transient failures
    /// (database, RPC) are logged and retried at the next poll.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _time);
        do
        {
            try
            {
                await TickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // stopping: the log holds every step taken; the next start resumes from it
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                Log.StepFailed(_logger, e);
            }
        }
        while (await WaitAsync(timer, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>One pass over the live rounds (the loop calls this every poll).</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var head = await _chain.HeadAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await _reader.ReadAsync(head, cancellationToken).ConfigureAwait(false);
        var roundBlocks = snapshot.Parameters.RoundBlocks;
        var current = head / roundBlocks;
        if (current == 0)
        {
            return;
        }

        // docs/protocol.md section 6: the contract requires block.number - B_r <= maxReportAgeBlocks; head + 1 is the
        // earliest block a commit sent now can be mined in.
        var maxAge = snapshot.Parameters.MaxReportAgeBlocks;
        var oldestBlock = head + 1 > maxAge ? head + 1 - maxAge : 0;
        var oldestLive = Math.Max(1, (oldestBlock + roundBlocks - 1) / roundBlocks);
        if (!_resumed)
        {
            // The first pass runs once the gRPC server listens (RunCommand starts the host first): the reconnect grace runs from here.
            _listeningSince = _time.GetUtcNow();
            await ResumeAsync(oldestLive, current, maxAge / roundBlocks + 1, cancellationToken).ConfigureAwait(false);
            _resumed = true;
        }

        // Since when every registered reporter has a Connect stream open here (ends the reconnect grace early).
        _allConnectedSince = _hub.Streams < snapshot.Reporters.Count ? null : _allConnectedSince ?? _time.GetUtcNow();
        for (var round = Math.Max(oldestLive, snapshot.LastRound + 1); round <= current; round++)
        {
            if (!_rounds.ContainsKey(round))
            {
                _rounds[round] = new RoundState(round);
            }
        }

        foreach (var state in _rounds.Values.ToList())
        {
            await RefreshAsync(state, cancellationToken).ConfigureAwait(false);
            if (!state.IsDecided)
            {
                try
                {
                    await StepAsync(state, snapshot, oldestLive, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!IsTransient(e, cancellationToken) && e is not OperationCanceledException)
                {
                    // A round whose step fails for a reason retrying cannot fix (a log it cannot rebuild, a bug) must not
                    // stop the other rounds: it is logged and left to its deadline (too old: abandoned).
                    Log.RoundStepFailed(_logger, state.Round, state.Step.ToString(), e);
                }

                await RefreshAsync(state, cancellationToken).ConfigureAwait(false);
            }

            if (state.IsDecided)
            {
                _hub.Close(state.Round);
                if (state.Round < oldestLive)
                {
                    _rounds.Remove(state.Round);
                }
            }
        }
    }

    // On start: every round stream in the window (and one window further back, to abandon leftovers explicitly) that
    // the log shows undecided is resumed at its recorded step.
    private async Task ResumeAsync(ulong oldestLive, ulong current, ulong windowRounds, CancellationToken cancellationToken)
    {
        var from = oldestLive > windowRounds ? oldestLive - windowRounds : 1;
        for (var round = from; round <= current; round++)
        {
            var state = new RoundState(round);
            await RefreshAsync(state, cancellationToken).ConfigureAwait(false);
            if (state.Version > 0 && !state.IsDecided)
            {
                _rounds[round] = state;
            }
        }

        if (_rounds.Count > 0)
        {
            Log.Resumed(_logger, _rounds.Count, _rounds.Keys.First());
        }
    }

    /// <summary>Applies the events appended to the round's stream since the last refresh (the fold's catch-up).</summary>
    private async Task RefreshAsync(RoundState state, CancellationToken cancellationToken)
    {
        var session = _store.QuerySession();
        await using var sessionScope = session.ConfigureAwait(false);
        var events = await session.Events.FetchStreamAsync(IntakeEventNames.RoundStream(state.Round), fromVersion: state.Version + 1,
            token: cancellationToken).ConfigureAwait(false);
        foreach (var recorded in events)
        {
            state.Apply(recorded);
        }
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        EventConflicts.IsTransient(e) || e is JsonRpcTransportException or JsonRpcException or HttpRequestException or OracleStateException
            or TimeoutException or RoundLogException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

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
}
