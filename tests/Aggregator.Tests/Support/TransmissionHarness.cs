using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.Protocol.Reports;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Support;

/// <summary>
/// Transmitters with chosen sender options, rounds ready to transmit one after another on one network, and a crash
/// simulated by doing by hand what <see cref="RoundTransmitter"/> does before it dies.
/// </summary>
public static class TransmissionHarness
{
    /// <summary>The transmitter's dev account (0 owns the contracts, 1..7 are the reporters).</summary>
    public const int SenderAccount = 9;

    public static Address SenderAddress => Address.Parse(AnvilNode.DevAccounts[SenderAccount].Address);

    public static SenderOptions Options(ulong depth = 1, TimeSpan? stuckAfter = null, Wei? tip = null, Wei? ceiling = null) => new()
    {
        MaxFeePerGasCeiling = ceiling ?? Wei.FromGwei(500),
        ConfirmationDepth = depth,
        PollInterval = TimeSpan.FromMilliseconds(20),
        StuckAfter = stuckAfter ?? TimeSpan.FromSeconds(60),
        MaxPriorityFeePerGas = tip,
    };

    /// <summary>A fresh sender of the transmitter's key: nothing in memory, as after a restart.</summary>
    public static TransactionSender Sender(IntakeNetwork network, SenderOptions? options = null) =>
        new(network.Network.Client, PrivateKey.Parse(AnvilNode.DevAccounts[SenderAccount].PrivateKey), options ?? Options());

    public static RoundTransmitter Transmitter(IntakeNetwork network, SenderOptions? options = null, SenderBalanceAlarm? alarm = null) =>
        new(network.Store, network.Network.Deployment, Sender(network, options), alarm);

    /// <summary>
    /// A round whose commit the contract accepts: two hours later than the last one (past minCommitInterval), B_r among
    /// the last blocks, 3 batches accepted, closed, 3 verified attestations.
    /// </summary>
    public static async Task<(Rules.Engine.Report Report, List<SignedAttestation> Attestations)> NextRoundAsync(IntakeNetwork network)
    {
        await network.Network.Node.IncreaseTimeAsync(7_200);
        await network.Network.Node.MineAsync(4);
        var head = await network.Network.Client.BlockNumberAsync();
        return await RoundScenario.PrepareAsync(network, (head - 2) / IntakeNetwork.RoundBlocks);
    }

    /// <summary>What the transmitter does up to its write-ahead record: build, sign, append <c>transmission-intended.v1</c>.</summary>
    public static async Task<SignedTransaction> RecordIntentAsync(IntakeNetwork network, Rules.Engine.Report report, IReadOnlyList<SignedAttestation> attestations,
        TransactionSender sender)
    {
        var commit = CommitBuilder.Build(network.Network.Deployment, report, attestations, 3);
        var call = commit.ToCall(network.Network.Oracle);
        var signed = await sender.PrepareAsync(new TransactionRequest(call.To, call.Data));
        var tx = (Eip1559Transaction)signed.Transaction;
        var intended = new TransmissionIntended(report.Header.Round.Value, sender.Address.ToChecksumString(), [.. commit.Signers.Select(s => s.ToChecksumString())],
            tx.Nonce, signed.Hash.ToString(), Hex.Encode(signed.Raw), tx.MaxFeePerGas.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            tx.MaxPriorityFeePerGas.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), tx.GasLimit);
        await network.Store.AppendAsync(IntakeEventNames.RoundStream(report.Header.Round.Value), intended);
        return signed;
    }

    /// <summary>The transmission events of the round, in order (intake and round events left out).</summary>
    public static async Task<List<(string Type, object Event)>> EventsAsync(IntakeNetwork network, ulong round)
    {
        var events = new List<(string, object)>();
        await foreach (var e in network.Store.ReadStreamAsync(IntakeEventNames.RoundStream(round)))
        {
            if (e.Type.StartsWith("transmission-", StringComparison.Ordinal) || e.Type.StartsWith("round-confirmed", StringComparison.Ordinal)
                || e.Type.StartsWith("round-superseded", StringComparison.Ordinal) || e.Type.StartsWith("round-failed", StringComparison.Ordinal))
            {
                events.Add((e.Type, e.Data));
            }
        }

        return events;
    }

    public static Task<ulong> MinedNonceAsync(IntakeNetwork network) => network.Network.Client.GetTransactionCountAsync(SenderAddress, BlockId.Latest);

    /// <summary>The raw transactions of the oracle's <c>commit</c> calls mined in blocks <paramref name="from"/>..head (commits of the round).</summary>
    public static async Task<int> CommitsOnChainAsync(IntakeNetwork network, ulong from, ulong round)
    {
        var head = await network.Network.Client.BlockNumberAsync();
        var events = await network.Network.Oracle.GetCommittedEventsAsync(from, head);
        return events.Count(e => e.Round == round);
    }
}
