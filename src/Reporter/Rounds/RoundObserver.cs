using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Signing;
using SupplyOracle.Reporter.FreeFloat;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Journal;
using SupplyOracle.Reporter.Supply;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Encoding;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Reporter.Rounds;

/// <summary>A token the node covers with its free-float sources.</summary>
/// <param name="Token">The token and its extra locked addresses.</param>
/// <param name="Sources">Its free-float sources.</param>
public sealed record TokenCoverage(CoveredToken Token, IReadOnlyList<IFreeFloatSource> Sources);

/// <summary>
/// Observes rounds (docs/protocol.md sections 3 and 4): round <c>r</c> is due once <c>head >= B_r + confirmations</c>; its
/// reference block header is fetched, every token is read pinned to that block's hash, free float and factor are
/// computed, and the batch is signed through the journal, which returns the already journaled batch when the round was
/// signed before (equivocation protection). Only the returned journal entry is ever sent.
/// </summary>
public sealed partial class RoundObserver
{
    private readonly EthereumRpcClient _head;
    private readonly PinnedSupplyReader _reader;
    private readonly FreeFloatCalculator _calculator;
    private readonly IReadOnlyList<TokenCoverage> _tokens;
    private readonly SigningJournal _journal;
    private readonly ISigner _signer;
    private readonly OracleDeployment _deployment;
    private readonly ulong _confirmations;
    private readonly ReporterStatus _status;
    private readonly ReporterTelemetry _telemetry;
    private readonly ILogger _logger;

    /// <summary>Creates the observer.</summary>
    public RoundObserver(EthereumRpcClient head, PinnedSupplyReader reader, FreeFloatCalculator calculator, IReadOnlyList<TokenCoverage> tokens,
        SigningJournal journal, ISigner signer, OracleDeployment deployment, ulong confirmations, ReporterStatus status, ReporterTelemetry telemetry,
        ILogger<RoundObserver>? logger = null)
    {
        _head = head;
        _reader = reader;
        _calculator = calculator;
        _tokens = tokens;
        _journal = journal;
        _signer = signer;
        _deployment = deployment;
        _confirmations = confirmations;
        _status = status;
        _telemetry = telemetry;
        _logger = (ILogger?)logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>The latest round due at <paramref name="head"/> (section 3), or null when none is.</summary>
    public RoundId? DueRound(ulong head, ulong roundBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfZero(roundBlocks);
        if (head < _confirmations)
        {
            return null;
        }
        var round = (head - _confirmations) / roundBlocks;
        return round == 0 ? null : new RoundId(round);
    }

    /// <summary>
    /// Observes and signs round <paramref name="round"/>: returns the journal entry to send (journaled now or before),
    /// or null when every token was skipped.
    /// </summary>
    /// <exception cref="BlockReorganisedException">The reference block changed during the read; try the round again.</exception>
    public async Task<JournalEntry?> ObserveAsync(RoundId round, ulong roundBlocks, CancellationToken cancellationToken)
    {
        if (_journal.Find(round) is { } journaled)
        {
            return journaled;
        }
        using var activity = ReporterTelemetry.ActivitySource.StartActivity("round.observe");
        activity?.SetTag("round", round.Value);
        var number = round.Value * roundBlocks;
        var header = await _head.GetBlockAsync(BlockId.AtNumber(number), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"block {number} of round {round.Value} is not available");
        var block = new PinnedBlock(header.Number, header.Hash, header.Timestamp);
        var read = await _reader.ReadAsync(block, [.. _tokens.Select(t => t.Token)], cancellationToken).ConfigureAwait(false);
        _status.Observed(round.Value);

        var observations = new List<TokenObservation>();
        foreach (var supply in read.Tokens)
        {
            var sources = _tokens.First(t => t.Token.Token == supply.Token).Sources;
            var (observation, _) = await _calculator.ObserveAsync(supply, block, sources, cancellationToken).ConfigureAwait(false);
            if (observation is { } o)
            {
                observations.Add(o);
            }
        }
        if (observations.Count == 0)
        {
            Log.NothingToSign(_logger, round.Value, read.Skipped.Count);
            return null;
        }
        var reportHeader = new ReportHeader(round, block.Number, block.Timestamp, block.Hash);
        var (entry, signedNow) = await _journal.GetOrSignAsync(round,
            ct => ObservationBatchSigner.SignAsync(_signer, _deployment, reportHeader, roundBlocks, observations, ct), cancellationToken).ConfigureAwait(false);
        _status.Signed(round.Value);
        if (signedNow)
        {
            _telemetry.RoundObserved();
            Log.Signed(_logger, round.Value, observations.Count, entry.Digest.ToString());
        }
        return entry;
    }

    private static partial class Log
    {
        [LoggerMessage(400, LogLevel.Information, "Round {Round}: signed {Tokens} observations as {Digest}")]
        public static partial void Signed(ILogger logger, ulong round, int tokens, string digest);

        [LoggerMessage(401, LogLevel.Warning, "Round {Round}: nothing to sign ({Skipped} tokens skipped)")]
        public static partial void NothingToSign(ILogger logger, ulong round, int skipped);
    }
}
