using Marten;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Telemetry;
using SupplyOracle.Aggregator.Transmission.Internal;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Transmission;

/// <summary>How <see cref="SenderBalanceAlarm"/> sets its threshold.</summary>
public sealed record SenderBalanceAlarmOptions
{
    /// <summary>A fixed threshold (<c>Aggregator:LowBalanceWei</c>); null derives it from the fee ceiling and the gas used.</summary>
    public Wei? Threshold { get; init; }

    /// <summary>Without a fixed threshold: alarm when the balance pays for fewer than this many commits (<c>Aggregator:LowBalanceCommits</c>).</summary>
    public int Commits { get; init; } = 10;

    /// <summary>The sender's fee ceiling (maxFeePerGas never exceeds it): the worst price a commit can pay per gas.</summary>
    public required Wei FeeCeiling { get; init; }

    /// <summary>Checks the invariants, naming the setting at fault.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Threshold is { } t && t == Wei.Zero) throw new ArgumentException("Threshold must be positive when set", nameof(Threshold));
        if (Commits < 1) throw new ArgumentException("Commits must be at least 1", nameof(Commits));
        if (FeeCeiling == Wei.Zero) throw new ArgumentException("FeeCeiling must be positive", nameof(FeeCeiling));
    }
}

/// <summary>
/// Reads the sender's balance before each send and raises an alarm when it falls below a threshold: a warning log, the
/// gauge <c>supplyoracle.transmitter.balance_low</c> (1 while low) and counter <c>supplyoracle.transmitter.balance_alarms</c>,
/// and <c>sender-balance-low.v1</c> in stream <c>transmitter</c>, once per crossing (restarts included: the last alarm
/// event is read back first); <c>sender-balance-restored.v1</c> when it is refilled. The threshold is
/// <see cref="SenderBalanceAlarmOptions.Threshold"/> or, by default, <c>Commits × FeeCeiling × gas</c> with the gas used
/// by the last confirmed commit (before the first one: the gas limit of the commit about to be sent), i.e. what the next
/// <c>Commits</c> commits can cost at most. <see cref="IsLow"/> is for the health endpoint.
/// </summary>
public sealed class SenderBalanceAlarm
{
    private readonly IDocumentStore _store;
    private readonly EthereumRpcClient _client;
    private readonly Address _sender;
    private readonly SenderBalanceAlarmOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _loaded;
    private volatile bool _low;
    private ulong _lastGasUsed;

    /// <summary>Creates the alarm.</summary>
    public SenderBalanceAlarm(IDocumentStore store, EthereumRpcClient client, Address sender, SenderBalanceAlarmOptions options,
        ILogger<SenderBalanceAlarm>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _client = client;
        _sender = sender;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>True while the balance last read is below the threshold.</summary>
    public bool IsLow => _low;

    /// <summary>The balance last read, if any.</summary>
    public Wei? LastBalance { get; private set; }

    /// <summary>The threshold last applied, if any.</summary>
    public Wei? LastThreshold { get; private set; }

    /// <summary>Remembers the gas a confirmed commit used: the default threshold scales with it.</summary>
    public void RecordGasUsed(ulong gasUsed) => Interlocked.Exchange(ref _lastGasUsed, gasUsed);

    /// <summary>Reads the balance and raises or clears the alarm; returns <see cref="IsLow"/>.</summary>
    /// <param name="gasLimit">The gas limit of the transaction about to be sent (the default threshold's gas before any commit was confirmed).</param>
    /// <param name="cancellationToken">Cancels the reads and the append.</param>
    public async Task<bool> CheckAsync(ulong gasLimit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stream = TransmissionEventNames.TransmitterStream;
            if (!_loaded)
            {
                _low = await LoadAsync(stream, cancellationToken).ConfigureAwait(false);
                _loaded = true;
            }

            var balance = await _client.GetBalanceAsync(_sender, BlockId.Latest, cancellationToken).ConfigureAwait(false);
            var gas = Interlocked.Read(ref _lastGasUsed) is > 0 and var used ? used : gasLimit;
            var threshold = _options.Threshold ?? _options.FeeCeiling * (gas * (ulong)_options.Commits);
            LastBalance = balance;
            LastThreshold = threshold;
            var low = balance < threshold;
            if (low != _low)
            {
                var (b, t, s) = (Decimal(balance), Decimal(threshold), _sender.ToChecksumString());
                object @event = low ? new SenderBalanceLow(s, b, t) : new SenderBalanceRestored(s, b, t);
                await EventSourcing.RoundAppender.AppendAsync(_store, stream, [@event], cancellationToken).ConfigureAwait(false);
                if (low)
                {
                    Log.BalanceLow(_logger, s, b, t);
                    AggregatorTelemetry.BalanceAlarms.Add(1);
                }
                else
                {
                    Log.BalanceRestored(_logger, s, b, t);
                }

                _low = low;
            }

            AggregatorTelemetry.BalanceLow.Record(_low ? 1 : 0);
            return _low;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<bool> LoadAsync(string stream, CancellationToken cancellationToken)
    {
        var session = _store.QuerySession();
        await using var sessionScope = session.ConfigureAwait(false);
        var events = await session.Events.FetchStreamAsync(stream, token: cancellationToken).ConfigureAwait(false);
        var sender = _sender.ToChecksumString();
        for (var i = events.Count - 1; i >= 0; i--)
        {
            switch (events[i].Data)
            {
                case SenderBalanceLow low when low.Sender == sender:
                    return true;
                case SenderBalanceRestored restored when restored.Sender == sender:
                    return false;
                default:
                    break;
            }
        }

        return false;
    }

    private static string Decimal(Wei wei) => wei.Value.ToString(CultureInfo.InvariantCulture);
}
