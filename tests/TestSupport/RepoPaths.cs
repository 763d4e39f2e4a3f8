namespace SupplyOracle.TestSupport;

/// <summary>
/// Locates the repository and the pinned tools (deploy/package.json) so that fixtures fail fast with the command
/// that installs what is missing.
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the directory holding SupplyOracle.sln).</summary>
    public static string Root => s_root.Value;

    /// <summary>deploy/node_modules, where <c>npm ci --prefix deploy</c> installs the pinned tools.</summary>
    public static string NodeModules => Path.Combine(Root, "deploy", "node_modules");

    /// <summary>The Foundry project of the contracts.</summary>
    public static string Solidity => Path.Combine(Root, "src", "Contracts.Bindings", "Solidity");

    /// <summary>Path of a pinned Foundry binary (anvil, forge, cast); throws <see cref="ToolMissingException"/> if absent.</summary>
    public static string Foundry(string tool)
    {
        var path = Path.Combine(NodeModules, "@foundry-rs", $"{tool}-linux-amd64", "bin", tool);
        return File.Exists(path)
            ? path
            : throw new ToolMissingException(tool, path, "./deploy/install-tools.sh (or: npm ci --prefix deploy)");
    }

    /// <summary>The node executable, used by interop scripts (ethers, grpc-js).</summary>
    public static string Node()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "node");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new ToolMissingException("node", "node on PATH", "apt-get install -y nodejs npm");
    }

    /// <summary>Finds an executable on PATH or in the given fallback directories, or returns null.</summary>
    public static string? FindExecutable(string name, params string[] fallbackDirectories)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(fallbackDirectories);
        return dirs.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupplyOracle.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"SupplyOracle.sln not found above {AppContext.BaseDirectory}: run the tests from inside the repository.");
    }
}

/// <summary>A tool a fixture needs is not installed; the message names the tool and the command that installs it.</summary>
public sealed class ToolMissingException(string tool, string lookedAt, string installCommand)
    : Exception($"{tool} is missing (looked at {lookedAt}). Install it with: {installCommand}")
{
    /// <summary>The missing tool.</summary>
    public string Tool { get; } = tool;

    /// <summary>The command that installs it.</summary>
    public string InstallCommand { get; } = installCommand;
}
