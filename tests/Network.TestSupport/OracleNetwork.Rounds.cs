using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Network.TestSupport;

public sealed partial class OracleNetwork
{
    /// <summary>The header of round <paramref name="round"/>: block <c>B_r = r * roundBlocks</c>, its time and hash (docs/protocol.md section 3).</summary>
    public async Task<ReportHeader> HeaderAsync(RoundId round, CancellationToken cancellationToken = default)
    {
        var referenceBlock = round.ReferenceBlock(Options.Parameters.RoundBlocks);
        var block = await Client.GetBlockAsync(BlockId.AtNumber(referenceBlock), cancellationToken)
            ?? throw new InvalidOperationException($"block {referenceBlock} of round {round} is not mined yet");
        return new ReportHeader(round, referenceBlock, block.Timestamp, block.Hash);
    }

    /// <summary>
    /// Mines to the first round whose reference block is after the current head, plus one block so that
    /// <c>B_r &lt; block.number</c> holds for a commit (section 6), and returns its header. Call
    /// <c>Node.IncreaseTimeAsync</c> first to move the reference time forward.
    /// </summary>
    public async Task<ReportHeader> NextRoundAsync(CancellationToken cancellationToken = default)
    {
        var roundBlocks = Options.Parameters.RoundBlocks;
        var head = await Client.BlockNumberAsync(cancellationToken);
        var round = new RoundId(head / roundBlocks + 1);
        var referenceBlock = round.ReferenceBlock(roundBlocks);
        await Node.MineAsync(referenceBlock + 1 - head);
        return await HeaderAsync(round, cancellationToken);
    }
}
