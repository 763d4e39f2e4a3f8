using SupplyOracle.Devnet.View;

namespace SupplyOracle.Devnet.Tests.View;

public sealed class TerminalScreenTests
{
    [Fact]
    public void Show_ThenResize_ClearsTheScreenOnceAndRedrawsAtTheNewSize()
    {
        using var output = new StringWriter();
        var size = (Width: 80, Height: 24);
        string Frame(Action draw)
        {
            output.GetStringBuilder().Clear();
            draw();
            return output.ToString();
        }

        using var screen = new TerminalScreen(output, () => size, "/tmp/devnet", watchResize: false);
        var first = Frame(() => screen.Show(LiveViewTests.Busy()));
        var same = Frame(() => screen.Show(LiveViewTests.Busy()));
        size = (60, 16);
        var resized = Frame(screen.Redraw);

        Assert.Contains("\u001b[2J", first, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[2J", same, StringComparison.Ordinal); // same size: drawn over in place, no flicker
        Assert.StartsWith("\u001b[2J\u001b[H", resized, StringComparison.Ordinal);
        var lines = Visible(resized);
        Assert.True(lines.Count <= 16);
        Assert.All(lines, l => Assert.True(l.Length <= 60, l));
        Assert.EndsWith("\u001b[J", resized, StringComparison.Ordinal); // whatever the larger frame left below is cleared
    }

    // The frame's text without its control sequences, one entry per terminal row.
    private static List<string> Visible(string frame) =>
        [.. System.Text.RegularExpressions.Regex.Replace(frame, @"\u001b\[[0-9;?]*[A-Za-z]", "").Split("\r\n")];
}
