namespace SupplyOracle.BindingsGenerator;

/// <summary>
/// <c>dotnet run --project tools/BindingsGenerator -- [ARTIFACTS_DIR OUTPUT_DIR NAMESPACE]</c>: writes one
/// <c>NAME.g.cs</c> per <c>NAME.json</c> artifact (<c>abi</c>, <c>bytecode</c>, <c>deployedBytecode</c>). Defaults:
/// src/Contracts.Bindings/Artifacts → src/Contracts.Bindings/Bindings, namespace SupplyOracle.Contracts.Bindings.Bindings.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var root = FindRoot();
        var artifacts = args.Length > 0 ? args[0] : Path.Combine(root, "src", "Contracts.Bindings", "Artifacts");
        var output = args.Length > 1 ? args[1] : Path.Combine(root, "src", "Contracts.Bindings", "Bindings");
        var ns = args.Length > 2 ? args[2] : "SupplyOracle.Contracts.Bindings.Bindings";
        if (!Directory.Exists(artifacts))
        {
            Console.Error.WriteLine($"no artifacts directory at {artifacts}");
            return 1;
        }

        foreach (var (name, code) in BindingGenerator.GenerateDirectory(artifacts, ns))
        {
            var path = Path.Combine(output, name + ".g.cs");
            File.WriteAllText(path, code);
            Console.WriteLine($"wrote {path}");
        }

        return 0;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupplyOracle.sln")))
            {
                return dir.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }
}
