using SupplyOracle.TestSupport;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>Files of the repository, by path relative to its root.</summary>
public static class Repo
{
    /// <summary>The absolute path of <paramref name="relative"/>; fails when the file does not exist.</summary>
    public static string File(string relative)
    {
        var path = Path.Combine(RepoPaths.Root, relative);
        Assert.True(System.IO.File.Exists(path), $"{relative} does not exist");
        return path;
    }

    /// <summary>The text of <paramref name="relative"/>.</summary>
    public static string Read(string relative) => System.IO.File.ReadAllText(File(relative));

    /// <summary>True when <paramref name="relative"/> is a file or directory of the repository.</summary>
    public static bool Exists(string relative)
    {
        var path = Path.Combine(RepoPaths.Root, relative);
        return System.IO.File.Exists(path) || Directory.Exists(path);
    }
}
