using System.Diagnostics;
using System.Globalization;

namespace SupplyOracle.Devnet.Chaos;

/// <summary>Finds a node's process by its command line and signals it, as an operator's <c>kill</c> would.</summary>
internal static class ProcessSignals
{
    /// <summary>
    /// The pid of the process whose program ends with <paramref name="program"/> and whose arguments include
    /// <paramref name="argument"/> (a configuration path or port unique to this run), or null.
    /// </summary>
    public static int? Find(string program, string argument)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (args.Length > 1 && args[0].EndsWith(program, StringComparison.Ordinal) && args.Skip(1).Contains(argument))
            {
                return pid;
            }
        }

        return null;
    }

    /// <summary>Sends <paramref name="signal"/> (KILL, STOP, CONT) to <paramref name="pid"/> with <c>kill</c>; false if it failed.</summary>
    public static bool Send(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-s", signal, pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        kill.WaitForExit();
        return kill.ExitCode == 0;
    }
}
