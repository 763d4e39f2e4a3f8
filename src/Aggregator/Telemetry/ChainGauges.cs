using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyOracle.Aggregator.Telemetry.Internal;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.State;

namespace SupplyOracle.Aggregator.Telemetry;

/// <summary>
/// Feeds the chain-side gauges of <see cref="AggregatorTelemetry"/> (issue 19 item 4): every interval it reads one
/// pinned oracle snapshot at the head (<see cref="OracleStateReader"/>) for each token's time since its last commit,
/// in chain time like the contract's own staleness (docs/protocol.md section 7), and the oracle's
/// <c>reportStaleAfter</c>; and, with a transmitter, the sender's balance. The gauges show the last successful read; a
/// failed read is logged at Debug and retried at the next interval (the RPC's own health is reported elsewhere).
/// </summary>
public sealed class ChainGauges
{
    private static readonly BigInteger s_weiPerEther = BigInteger.Pow(10, 18);
    private readonly EthereumRpcClient _client;
    private readonly OracleStateReader _reader;
    private readonly Address? _sender;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private volatile ChainMeasurements? _last;

    /// <summary>Creates the poller (call <see cref="RunAsync"/> to start it).</summary>
    /// <param name="client">The chain.</param>
    /// <param name="reader">Reads the oracle's snapshot.</param>
    /// <param name="sender">The transmitter's address, or null when this aggregator does not transmit.</param>
    /// <param name="interval">Time between reads.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where failed reads go (Debug).</param>
    public ChainGauges(EthereumRpcClient client, OracleStateReader reader, Address? sender, TimeSpan interval, TimeProvider time, ILogger<ChainGauges>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        _client = client;
        _reader = reader;
        _sender = sender;
        _interval = interval;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The last successful read, if any.</summary>
    internal ChainMeasurements? Last => _last;

    /// <summary>Reads once and updates the gauges.</summary>
    public async Task PollAsync(CancellationToken cancellationToken)
    {
        var head = await _client.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
        var snapshot = await _reader.ReadAsync(head, cancellationToken).ConfigureAwait(false);
        var ages = snapshot.TokenStates
            .Where(t => t.Initialized && t.CommittedAt > 0)
            .Select(t => new TokenCommitAge(t.Token.ToChecksumString(), snapshot.BlockTime >= t.CommittedAt ? snapshot.BlockTime - t.CommittedAt : 0))
            .ToList();
        double? balance = null;
        if (_sender is { } sender)
        {
            var wei = await _client.GetBalanceAsync(sender, BlockId.AtNumber(head), cancellationToken).ConfigureAwait(false);
            balance = Ether(wei);
        }

        _last = new ChainMeasurements(ages, snapshot.Parameters.ReportStaleAfter, balance);
    }

    /// <summary>Polls until cancelled, with the gauges registered meanwhile.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var registration = AggregatorTelemetry.RegisterChain(() => _last);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await PollAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is JsonRpcTransportException or JsonRpcException or HttpRequestException or OracleStateException or Rules.RulesInputException)
            {
                Log.GaugeReadFailed(_logger, e.Message);
            }

            try
            {
                await Task.Delay(_interval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Wei as ether, to about 15 significant digits (a gauge's double).</summary>
    internal static double Ether(Wei wei)
    {
        var whole = BigInteger.DivRem(wei.Value, s_weiPerEther, out var rest);
        return (double)whole + (double)rest / (double)s_weiPerEther;
    }
}

/// <summary>One token's time since its last commit, in chain seconds.</summary>
/// <param name="Token">The token (checksummed address: the set is bounded by the oracle's listed tokens).</param>
/// <param name="AgeSeconds">Head block time minus the token's <c>committedAt</c>.</param>
internal sealed record TokenCommitAge(string Token, ulong AgeSeconds);

/// <summary>What <see cref="ChainGauges"/> last read.</summary>
/// <param name="CommitAges">Every committed, unpaused listed token.</param>
/// <param name="ReportStaleAfter">The oracle's <c>reportStaleAfter</c>, seconds.</param>
/// <param name="BalanceEther">The transmitter's balance in ether, or null without a transmitter.</param>
internal sealed record ChainMeasurements(IReadOnlyList<TokenCommitAge> CommitAges, ulong ReportStaleAfter, double? BalanceEther);
