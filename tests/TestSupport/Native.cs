using System.Runtime.InteropServices;

namespace SupplyOracle.TestSupport;

/// <summary>The few POSIX calls the fixtures need (signals other than SIGKILL, the effective user).</summary>
internal static partial class Native
{
    public const int SigInt = 2;
    public const int SigQuit = 3;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    /// <summary>Sends a signal; false if the process no longer exists.</summary>
    public static bool Signal(int pid, int signal) => KillNative(pid, signal) == 0;
}
