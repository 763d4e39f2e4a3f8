using System.Numerics;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Devnet.Monitoring;
using SupplyOracle.Devnet.View;

namespace SupplyOracle.Devnet.Tests.View;

public sealed class LiveViewTests
{
    private const string Directory = "/home/operator/src/supply-oracle/.devnet-with-a-rather-long-directory-name/keys-and-logs";

    /// <summary>A busy network: a global pause, four tokens (one paused), many commits, abandoned rounds, a node down, 30 governance events.</summary>
    internal static NetworkSnapshot Busy(bool paused = true)
    {
        var tokens = new[] { "AUR", "BDY", "CRX", "DLT" }.Select((symbol, i) => new TokenStatus(symbol, Address.Parse($"0x{i + 1:x40}"), 18, true,
            800_000_000_000_000_000, BigInteger.Pow(10, 18) * 123_456_789_012, 1_000, false, i == 2, i == 1)).ToList();
        var commits = Enumerable.Range(1, 12).Select(r => new CommitRecord((ulong)r, 1_000, (ulong)(r * 10 + 2), default, 123_456, 4, 0, 0)).ToList();
        var abandoned = new[] { new AbandonedRound(13, "below quorum at the deadline: 1 valid batch(es) of 3 needed, reporters reporter-3, reporter-4 silent") };
        var processes = new[] { new ProcessStatus("aggregator", true, "up"), new ProcessStatus("reporter-1", true, "up"), new ProcessStatus("reporter-2", false, "exited 137") };
        var governance = Enumerable.Range(1, 30).Select(i => new GovernanceEvent((ulong)i, 0,
            $"registry: queued #{i} add AUR 0x15d3…6A65 exchange-cold, eta 12-02 16:00Z and a long tail of words beyond 80 columns")).ToList();
        return new NetworkSnapshot(1_402, 1_600, 140, NetworkMonitor.Phase(1_402, 140, 12, 3, 10, paused, null), 12, paused,
            new Dictionary<ulong, int> { [140] = 3 }, true, tokens, commits, abandoned, processes,
            ["governance: supplyoracle registry execute --id 1: AUR exchange-cold wallet is excluded from circulating supply"])
        {
            Governance = governance,
        };
    }

    [Theory]
    [InlineData(80, 24)]
    [InlineData(60, 16)]
    [InlineData(132, 43)]
    [InlineData(40, 10)]
    public void Lines_BusyNetwork_FitTheTerminal(int width, int height)
    {
        var lines = LiveView.Lines(Busy(), Directory, width, height);

        Assert.True(lines.Count <= height, $"{lines.Count} lines for {height} rows");
        Assert.All(lines, l => Assert.True(l.Text.Length <= width, $"{l.Text.Length} > {width}: {l.Text}"));
        Assert.All(lines, l => Assert.DoesNotContain('\n', l.Text));
    }

    [Fact]
    public void Lines_At80x24_ShowPausesAbandonedRoundsDownNodesAndTheLatestGovernance()
    {
        var lines = LiveView.Lines(Busy(), Directory, 80, 24);
        var text = string.Join('\n', lines.Select(l => l.Text));

        Assert.Equal(24, lines.Count);
        Assert.Contains("PAUSED: the whole oracle", text, StringComparison.Ordinal);
        Assert.Contains("abandoned: r13 below quorum", text, StringComparison.Ordinal);
        Assert.Contains("processes DOWN: reporter-2 exited 137", text, StringComparison.Ordinal);
        Assert.Contains("governance on chain (30 events, latest first):", text, StringComparison.Ordinal);
        Assert.Contains("#30 registry: queued #30 add AUR", text, StringComparison.Ordinal);
        Assert.Contains("Ctrl-C", lines[^1].Text, StringComparison.Ordinal);
        Assert.Equal(Tone.Bad, lines.Single(l => l.Text.StartsWith("PAUSED", StringComparison.Ordinal)).Tone);
    }

    [Fact]
    public void Lines_TokenPausedOnly_NamesTheToken()
    {
        var text = string.Join('\n', LiveView.Lines(Busy(paused: false), Directory, 80, 24).Select(l => l.Text));

        Assert.Contains("PAUSED tokens: BDY", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_TallerTerminal_ShowsMoreGovernance()
    {
        int Count(int height) => LiveView.Lines(Busy(), Directory, 80, height).Count(l => l.Text.StartsWith("  #", StringComparison.Ordinal));

        Assert.True(Count(40) > Count(24));
        Assert.Equal(30, Count(60));
    }
}
