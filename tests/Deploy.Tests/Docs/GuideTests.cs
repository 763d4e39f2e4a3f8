using System.Text.RegularExpressions;
using System.Xml.Linq;
using SupplyOracle.Deploy.Tests.Support;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Deploy.Tests.Docs;

/// <summary>README.md and docs/*.md: the snippet, commands, paths and metric names they show exist.</summary>
public sealed partial class GuideTests
{
    private const string Example = "src/Contracts.Bindings/Solidity/src/consumer/examples/RebalanceGuard.sol";

    public static TheoryData<string> Guides => new() { "README.md", "docs/operator-guide.md", "docs/governance-guide.md", "docs/troubleshooting.md" };

    [Fact]
    public void ConsumerSnippet_Readme_IsIdenticalToTheForgeCompiledExample()
    {
        var lines = Repo.Read(Example).Split('\n');
        var begin = Array.FindIndex(lines, l => l.Trim() == "// README snippet begin");
        var end = Array.FindIndex(lines, l => l.Trim() == "// README snippet end");
        Assert.True(begin >= 0 && end > begin + 1, $"{Example} has no README snippet markers");
        var indent = lines[begin].Length - lines[begin].TrimStart().Length;
        var expected = string.Join('\n', lines[(begin + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        var snippets = CodeBlocks(Repo.Read("README.md")).Where(b => b.Language == "solidity").ToList();
        Assert.Equal(expected, Assert.Single(snippets).Text);
    }

    [Fact]
    public void Troubleshooting_EverySkipReason_HasARow()
    {
        // A reporter log line "skipped (Reason)" is what an operator searches for: each reason the reporter can give
        // must be explained (issue 19 item 9: NoCode was missing).
        var text = Repo.Read("docs/troubleshooting.md");
        foreach (var reason in Enum.GetNames<SupplyOracle.Reporter.Supply.SupplySkipReason>())
        {
            Assert.True(text.Contains($"skipped ({reason})", StringComparison.Ordinal), $"docs/troubleshooting.md has no row for skip reason {reason}");
        }
    }

    [Theory]
    [MemberData(nameof(Guides))]
    public async Task Commands_EveryProgramCommandShown_ExistsWithItsOptions(string guide)
    {
        var commands = Commands(Repo.Read(guide)).ToList();
        foreach (var (executable, args) in commands)
        {
            var problem = await CommandLines.ProblemAsync(executable, CommandLines.Programs[executable], args);
            Assert.True(problem is null, $"{guide}: {executable} {string.Join(' ', args)}: {problem}");
        }
        if (guide != "docs/troubleshooting.md")
        {
            Assert.NotEmpty(commands);
        }
    }

    [Theory]
    [MemberData(nameof(Guides))]
    public void Paths_EveryRepositoryPathShown_Exists(string guide)
    {
        foreach (Match m in RepoPath().Matches(Repo.Read(guide)))
        {
            var path = m.Groups[1].Value.TrimEnd('.', ',', ':');
            Assert.True(Repo.Exists(path) || Repo.Exists($"src/Contracts.Bindings/Solidity/{path}"), $"{guide}: `{path}` does not exist");
        }
    }

    [Fact]
    public void Metrics_EveryNameInTheOperatorGuide_IsAnInstrumentOfTheCode()
    {
        var sources = string.Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal)).Select(File.ReadAllText));
        var names = MetricName().Matches(Repo.Read("docs/operator-guide.md")).Select(m => m.Value).Distinct().ToList();
        Assert.True(names.Count >= 10, $"only {names.Count} metric names found");
        Assert.All(names, n => Assert.Contains($"\"{n}\"", sources, StringComparison.Ordinal));
    }

    /// <summary>Fenced code blocks: their info string and text.</summary>
    private static IEnumerable<(string Language, string Text)> CodeBlocks(string markdown)
    {
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = lines[i].TrimStart();
            if (!open.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }
            var indent = lines[i].Length - open.Length;
            var start = ++i;
            while (i < lines.Length && lines[i].Trim() != "```")
            {
                i++;
            }
            yield return (open[3..].Trim(), string.Join('\n', lines[start..i].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())));
        }
    }

    /// <summary>
    /// Command lines of the three programs in shell code blocks: <c>supplyoracle ...</c>, <c>supplyoracle-reporter ...</c>,
    /// <c>dotnet run --project src/Reporter -c Release -- ...</c>; <c>$ </c> prompts, <c>\</c> continuations and
    /// <c># comments</c> handled.
    /// </summary>
    private static IEnumerable<(string Executable, string[] Args)> Commands(string markdown)
    {
        foreach (var (language, text) in CodeBlocks(markdown).Where(b => b.Language is "" or "sh" or "bash" or "console"))
        {
            foreach (var line in text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
            {
                var command = line.Trim();
                command = command.StartsWith("$ ", StringComparison.Ordinal) ? command[2..] : command;
                var hash = command.IndexOf(" #", StringComparison.Ordinal);
                command = hash >= 0 ? command[..hash] : command;
                var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (words is ["dotnet", "run", "--project", var project, "-c", "Release", "--", .. var rest])
                {
                    var csproj = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src", Path.GetFileName(project)), "*.csproj").Single();
                    yield return (XDocument.Load(csproj).Descendants("AssemblyName").Single().Value, rest);
                }
                else if (words.Length > 0 && CommandLines.Programs.ContainsKey(words[0]))
                {
                    yield return (words[0], words[1..]);
                }
            }
            _ = language;
        }
    }

    [GeneratedRegex(@"`((?:deploy|src|tests|docs|proto|tools|bench|script|test)/[A-Za-z0-9_./-]+)`")]
    private static partial Regex RepoPath();

    [GeneratedRegex(@"supplyoracle\.[a-z_]+(?:\.[a-z_]+)*(?<![._])(?![.*a-z_])")]
    private static partial Regex MetricName();
}
