using System.Collections.Concurrent;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Protocol.Transport;
using SupplyOracle.Network.TestSupport;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Reporter.Attestation;
using SupplyOracle.Reporter.Gossip;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Journal;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>What one reporter does in a round.</summary>
public enum ReporterMode
{
    /// <summary>Sends its batch on its Connect stream and attests proposals (the real reporter's AggregatorConnection and ProposalAttester).</summary>
    Attest,

    /// <summary>Sends nothing.</summary>
    Silent,

    /// <summary>Attests, and signs two different batches for the round (equivocation).</summary>
    Equivocate,
}

/// <summary>
/// In-process reporters against running aggregators: the reporter project's own <see cref="AggregatorConnection"/>
/// (reconnects with backoff, resends until acknowledged) and <see cref="ProposalAttester"/> (re-runs the rules at the
/// proposal's state block before signing). Each round whose <c>B_r</c> has one confirmation, each reporter signs the
/// figures of <see cref="Factor"/> in its <see cref="Modes"/> mode.
/// </summary>
public sealed class LiveReporters : IAsyncDisposable
{
    private readonly OracleNetwork _network;
    private readonly List<List<AggregatorConnection>> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _driver;
    private readonly List<Task> _streams = [];
    private readonly ReporterTelemetry _telemetry = new();
    private readonly IReadOnlySet<int> _submitOnly;

    /// <param name="network">The chain.</param>
    /// <param name="aggregators">The aggregators' gRPC addresses.</param>
    /// <param name="submitOnly">Reporters that open no Connect stream: they send batches with the unary Submit only, so they never see a proposal.</param>
    public LiveReporters(OracleNetwork network, IReadOnlyList<Uri> aggregators, IReadOnlySet<int>? submitOnly = null)
    {
        _network = network;
        _submitOnly = submitOnly ?? new HashSet<int>();
        Modes = [.. Enumerable.Repeat(ReporterMode.Attest, network.Reporters.Count)];
        for (var i = 0; i < network.Reporters.Count; i++)
        {
            var attester = new ProposalAttester(network.Deployment, network.Client, network.StateReader, network.Reporters[i], new ReporterStatus(), _telemetry);
            var connections = aggregators.Select(a => new AggregatorConnection(a.ToString(), GrpcChannels.Create(a).WithCallMetrics(), attester,
                TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500))).ToList();
            _connections.Add(connections);
            if (!_submitOnly.Contains(i))
            {
                _streams.AddRange(connections.Select(c => c.RunAsync(_stop.Token)));
            }
        }

        _driver = DriveAsync(_stop.Token);
    }

    /// <summary>Each reporter's mode (read when a round is signed).</summary>
    public ReporterMode[] Modes { get; }

    /// <summary>A reporter's factor for a token (read when a round is signed); default 0.5.</summary>
    public Func<int, int, ulong> Factor { get; set; } = (_, _) => 500_000_000_000_000_000;

    /// <summary>The label of the current scenario, recorded per signed round.</summary>
    public string Phase { get; set; } = "start";

    /// <summary>The phase each round was signed in.</summary>
    public ConcurrentDictionary<ulong, string> SignedPhases { get; } = new();

    /// <summary>Batches a reporter signed (digests), for the "no accepted batch lost" checks.</summary>
    public ConcurrentBag<(ulong Round, int Reporter)> Signed { get; } = [];

    private async Task DriveAsync(CancellationToken cancellationToken)
    {
        ulong last = 0;
        var roundBlocks = _network.Options.Parameters.RoundBlocks;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var head = await _network.Client.BlockNumberAsync(cancellationToken);
                var round = head >= 1 ? (head - 1) / roundBlocks : 0;
                if (round > last && round > 0)
                {
                    last = round;
                    await SignRoundAsync(round, cancellationToken);
                }

                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is JsonRpcTransportException or HttpRequestException)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private async Task SignRoundAsync(ulong round, CancellationToken cancellationToken)
    {
        var header = await _network.HeaderAsync(new RoundId(round), cancellationToken);
        SignedPhases[round] = Phase;
        var tokens = _network.Tokens.Select(t => t.Address).Order().ToArray();
        for (var i = 0; i < _network.Reporters.Count; i++)
        {
            var mode = Modes[i];
            if (mode == ReporterMode.Silent)
            {
                continue;
            }

            IReadOnlyList<TokenObservation> figures = [.. tokens.Select((t, k) => new TokenObservation(t, TokenAmount.Parse("1000000000000000000000000"), new Wad(Factor(i, k))))];
            var batch = await Sign(i, header, figures, cancellationToken);
            Signed.Add((round, i));
            foreach (var connection in _connections[i])
            {
                if (_submitOnly.Contains(i))
                {
                    _ = connection.SubmitAsync(batch.Message, cancellationToken);
                }
                else
                {
                    connection.Enqueue(batch);
                }
            }

            if (mode == ReporterMode.Equivocate)
            {
                IReadOnlyList<TokenObservation> other = [.. figures.Select(f => new TokenObservation(f.Token, f.Circulating, new Wad(f.Factor.Raw / 2)))];
                var second = await Sign(i, header, other, cancellationToken);
                foreach (var connection in _connections[i])
                {
                    connection.Enqueue(second);
                }
            }
        }
    }

    private async Task<JournalEntry> Sign(int reporter, ReportHeader header, IReadOnlyList<TokenObservation> figures, CancellationToken cancellationToken)
    {
        var signed = await ObservationBatchSigner.SignAsync(_network.Reporters[reporter], _network.Deployment, header, _network.Options.Parameters.RoundBlocks, figures, cancellationToken);
        return new JournalEntry(header.Round, signed.Digest, signed.ToProto());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _driver;
        await Task.WhenAll(_streams);
        _stop.Dispose();
        _telemetry.Dispose();
    }
}
