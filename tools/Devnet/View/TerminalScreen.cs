using System.Runtime.InteropServices;
using System.Text;
using SupplyOracle.Devnet.Monitoring;

namespace SupplyOracle.Devnet.View;

/// <summary>
/// Draws <see cref="LiveView"/> frames in place on a terminal (ECMA-48 control sequences): the alternate screen while it
/// runs, every frame from the home position with each line cleared to its end and the rest of the screen cleared below,
/// so a shorter frame leaves nothing behind. The frame is laid out for the terminal's current size and never wraps; when
/// the size changes (SIGWINCH, or a changed <c>Console.WindowWidth</c>/<c>WindowHeight</c> seen at the next frame) the
/// whole screen is cleared and the last snapshot redrawn at once.
/// </summary>
internal sealed class TerminalScreen : IDisposable
{
    private const string Escape = "\u001b[";
    private readonly TextWriter _output;
    private readonly Func<(int Width, int Height)> _size;
    private readonly string _directory;
    private readonly Lock _lock = new();
    private readonly PosixSignalRegistration? _resize;
    private (int Width, int Height) _drawnSize;
    private NetworkSnapshot? _last;

    /// <param name="output">The terminal.</param>
    /// <param name="size">The terminal's size now (columns, rows).</param>
    /// <param name="directory">The devnet directory (named in the footer).</param>
    /// <param name="watchResize">Redraw on SIGWINCH (the process's terminal); tests leave it off.</param>
    public TerminalScreen(TextWriter output, Func<(int Width, int Height)> size, string directory, bool watchResize)
    {
        _output = output;
        _size = size;
        _directory = directory;
        _output.Write($"{Escape}?1049h{Escape}?25l"); // alternate screen, cursor hidden
        _output.Flush();
        if (watchResize && !OperatingSystem.IsWindows())
        {
            _resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, context =>
            {
                context.Cancel = true;
                Redraw();
            });
        }
    }

    /// <summary>The console's size, as .NET reads it from the terminal.</summary>
    public static (int Width, int Height) ConsoleSize() => (Console.WindowWidth, Console.WindowHeight);

    /// <summary>Draws a snapshot.</summary>
    public void Show(NetworkSnapshot snapshot)
    {
        lock (_lock)
        {
            _last = snapshot;
            Draw();
        }
    }

    /// <summary>Draws the last snapshot again (at the terminal's new size).</summary>
    public void Redraw()
    {
        lock (_lock)
        {
            if (_last is not null)
            {
                Draw();
            }
        }
    }

    /// <summary>Leaves the alternate screen and shows the cursor again.</summary>
    public void Dispose()
    {
        _resize?.Dispose();
        lock (_lock)
        {
            _output.Write($"{Escape}?25h{Escape}?1049l");
            _output.Flush();
        }
    }

    private void Draw()
    {
        var size = _size();
        var frame = new StringBuilder();
        if (size != _drawnSize)
        {
            frame.Append(Escape).Append("2J"); // resized: the old frame's wrapped remains go
            _drawnSize = size;
        }

        frame.Append(Escape).Append('H');
        var lines = LiveView.Lines(_last!, _directory, size.Width, size.Height);
        for (var i = 0; i < lines.Count; i++)
        {
            var (text, tone) = lines[i];
            frame.Append(Colour(tone)).Append(text).Append(Escape).Append("0m").Append(Escape).Append('K');
            if (i < lines.Count - 1)
            {
                frame.Append("\r\n");
            }
        }

        frame.Append(Escape).Append('J');
        _output.Write(frame.ToString());
        _output.Flush();
    }

    // SGR colours (ECMA-48 8.3.117).
    private static string Colour(Tone tone) => tone switch
    {
        Tone.Title => $"{Escape}1m",
        Tone.Good => $"{Escape}32m",
        Tone.Warn => $"{Escape}33m",
        Tone.Bad => $"{Escape}1;31m",
        Tone.Dim => $"{Escape}90m",
        _ => "",
    };
}
