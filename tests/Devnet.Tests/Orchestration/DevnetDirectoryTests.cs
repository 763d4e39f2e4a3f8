using SupplyOracle.Devnet.Orchestration;

namespace SupplyOracle.Devnet.Tests.Orchestration;

public sealed class DevnetDirectoryTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("devnet-dir-").FullName;

    [Fact]
    public void Prepare_NewPath_CreatesTheLayout()
    {
        var directory = DevnetDirectory.Prepare(Path.Combine(_parent, "net"));

        foreach (var sub in new[] { directory.Keys, directory.Config, directory.Logs, directory.Journals, directory.Evidence })
        {
            Assert.True(Directory.Exists(sub), sub);
        }
    }

    [Fact]
    public void Prepare_ForeignNonEmptyDirectory_RefusesAndKeepsItsFiles()
    {
        var root = Path.Combine(_parent, "foreign");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "notes.txt"), "mine");

        var e = Assert.Throws<DevnetSetupException>(() => DevnetDirectory.Prepare(root));

        Assert.Equal("--dir", e.Setting);
        Assert.True(File.Exists(Path.Combine(root, "notes.txt")));
    }

    [Fact]
    public void Prepare_DirectoryOfAFinishedKeptRun_IsReclaimed()
    {
        var root = Path.Combine(_parent, "kept");
        var first = DevnetDirectory.Prepare(root);
        File.WriteAllText(Path.Combine(first.Logs, "old.log"), "old");
        // A finished run: its marker names a pid that no longer exists.
        File.WriteAllText(Path.Combine(root, ".supplyoracle-devnet"), int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var second = DevnetDirectory.Prepare(root);

        Assert.False(File.Exists(Path.Combine(second.Logs, "old.log")));
    }

    [Fact]
    public void Delete_RemovesEverything()
    {
        var directory = DevnetDirectory.Prepare(Path.Combine(_parent, "gone"));
        directory.Delete();
        Assert.False(Directory.Exists(directory.Root));
    }

    public void Dispose() => Directory.Delete(_parent, recursive: true);
}
