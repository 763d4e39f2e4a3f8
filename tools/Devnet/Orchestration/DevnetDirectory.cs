using System.Diagnostics;
using System.Globalization;

namespace SupplyOracle.Devnet.Orchestration;

/// <summary>
/// The run's directory: keys, configuration, journals, evidence memos, logs, and (when the <c>postgres</c> user can
/// reach it) the PostgreSQL cluster. A marker file holding the owner's pid makes a directory left by an earlier
/// <c>--keep</c> run reusable, and keeps two live runs from sharing one directory.
/// </summary>
internal sealed class DevnetDirectory
{
    private const string Marker = ".supplyoracle-devnet";

    private DevnetDirectory(string root) => Root = root;

    /// <summary>The directory.</summary>
    public string Root { get; }

    /// <summary>Keystores and password files.</summary>
    public string Keys => Path.Combine(Root, "keys");

    /// <summary>Node configuration files.</summary>
    public string Config => Path.Combine(Root, "config");

    /// <summary>Process logs.</summary>
    public string Logs => Path.Combine(Root, "logs");

    /// <summary>Reporter signing journals.</summary>
    public string Journals => Path.Combine(Root, "journals");

    /// <summary>Evidence memos of the exclusions.</summary>
    public string Evidence => Path.Combine(Root, "evidence");

    /// <summary>Creates (or reclaims) the directory.</summary>
    /// <exception cref="DevnetSetupException">It is in use by a live run, or holds files this tool did not create.</exception>
    public static DevnetDirectory Prepare(string root)
    {
        var marker = Path.Combine(root, Marker);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            if (!File.Exists(marker))
            {
                throw new DevnetSetupException("--dir", $"{root} exists and was not made by devnet: remove it or choose another --dir");
            }

            if (int.TryParse(File.ReadAllText(marker).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsAlive(pid))
            {
                throw new DevnetSetupException("--dir", $"{root} is in use by a running devnet (pid {pid}): stop it or choose another --dir");
            }

            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows())
        {
            // The postgres user (the cluster runs as it when we are root) must be able to enter it.
            File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        }

        File.WriteAllText(marker, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var directory = new DevnetDirectory(root);
        foreach (var sub in new[] { directory.Keys, directory.Config, directory.Logs, directory.Journals, directory.Evidence })
        {
            Directory.CreateDirectory(sub);
        }

        return directory;
    }

    /// <summary>
    /// Where the PostgreSQL cluster goes: inside the directory, unless we are root and some parent of it is closed to
    /// other users (the cluster runs as <c>postgres</c>); then a fresh temporary directory, which the server deletes.
    /// </summary>
    public string PostgresDirectory()
    {
        if (!OperatingSystem.IsWindows() && Environment.UserName == "root")
        {
            for (var dir = Directory.GetParent(Root); dir is not null; dir = dir.Parent)
            {
                if ((File.GetUnixFileMode(dir.FullName) & UnixFileMode.OtherExecute) == 0)
                {
                    return Directory.CreateTempSubdirectory("supplyoracle-devnet-pg-").FullName;
                }
            }
        }

        return Path.Combine(Root, "postgres");
    }

    /// <summary>Deletes the directory.</summary>
    public void Delete()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && pid != Environment.ProcessId;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>The network could not be set up; <see cref="Setting"/> names the option or step at fault.</summary>
internal sealed class DevnetSetupException(string setting, string problem) : Exception($"{setting}: {problem}")
{
    /// <summary>The option or step at fault.</summary>
    public string Setting { get; } = setting;
}
