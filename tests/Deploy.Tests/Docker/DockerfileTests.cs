using System.Text.RegularExpressions;
using System.Xml.Linq;
using SupplyOracle.Deploy.Tests.Support;

namespace SupplyOracle.Deploy.Tests.Docker;

/// <summary>deploy/docker/*.Dockerfile against the projects they build and the programs they run.</summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string> Files => new()
    {
        { "deploy/docker/reporter.Dockerfile", "supplyoracle-reporter" },
        { "deploy/docker/aggregator.Dockerfile", "supplyoracle-aggregator" },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Publish_ProgramProject_EntrypointIsItsExecutable(string file, string executable)
    {
        var docker = Dockerfile.Load(file);
        var program = DeployedProgram.ByExecutable(executable)!;
        var publish = docker.Instructions.Where(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).ToList();
        var run = Assert.Single(publish);
        var match = Publish().Match(run.Arguments);
        Assert.True(match.Success, $"{file}: '{run.Arguments}' is not 'dotnet publish PROJECT ... -o DIR'");
        Assert.Equal(program.Project, match.Groups["project"].Value);
        var output = match.Groups["out"].Value;
        Assert.Contains(docker.Get("COPY"), c => c.Arguments == $"--from=build {output} {output}");
        Assert.Equal($"{output}/{program.Executable}", Dockerfile.ExecForm(Assert.Single(docker.Get("ENTRYPOINT")).Arguments).Single());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Copy_BuildStage_EverythingTheBuildReadsExists(string file, string executable)
    {
        _ = executable;
        var docker = Dockerfile.Load(file);
        var sources = docker.Get("COPY", 0).SelectMany(c => c.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToList();
        foreach (var source in sources)
        {
            Assert.True(Repo.Exists(source), $"{file}: COPY source {source} does not exist in the repository");
        }
        // What MSBuild reads besides the project tree: the build props above src/, central versions, the SDK pin, the
        // banned-API list and the proto files the Protocol project compiles.
        foreach (var needed in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "BannedSymbols.txt", "proto/", "src/" })
        {
            Assert.Contains(needed, sources);
        }
        var ignore = Repo.Read(file + ".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#');
        Assert.DoesNotContain(ignore, pattern => sources.Any(s => s.TrimEnd('/') == pattern.TrimEnd('/')));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void From_Images_MatchTheTargetFramework(string file, string executable)
    {
        _ = executable;
        var docker = Dockerfile.Load(file);
        var framework = XDocument.Load(Repo.File("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = framework["net".Length..];
        var froms = docker.Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments.Split(' ')[0]).ToList();
        Assert.Equal([$"mcr.microsoft.com/dotnet/sdk:{version}", $"mcr.microsoft.com/dotnet/aspnet:{version}"], froms);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Cmd_DefaultCommandLine_ParsesAsTheProgramsCommand(string file, string executable)
    {
        var args = Dockerfile.ExecForm(Assert.Single(Dockerfile.Load(file).Get("CMD")).Arguments);
        var problem = await DeployedProgram.ByExecutable(executable)!.CommandLineProblemAsync(args);
        Assert.True(problem is null, $"{file}: CMD {string.Join(' ', args)}: {problem}");
        Assert.Equal("run", args[0]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Healthcheck_Url_IsServedOnAnExposedPort(string file, string executable)
    {
        var docker = Dockerfile.Load(file);
        var command = Dockerfile.ExecForm(Assert.Single(docker.Get("HEALTHCHECK")).Arguments);
        Assert.Equal("curl", command[0]);
        var url = new Uri(command[^1]);
        Assert.Contains(url.AbsolutePath, ServedPaths.Of(DeployedProgram.ByExecutable(executable)!));
        Assert.Contains(url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(docker.Get("EXPOSE")).Arguments.Split(' '));
        Assert.Contains(docker.Get("RUN"), r => r.Arguments.Contains("apt-get install", StringComparison.Ordinal) && r.Arguments.Contains(" curl", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void User_FinalStage_IsNotRoot(string file, string executable)
    {
        _ = executable;
        var user = Assert.Single(Dockerfile.Load(file).Get("USER")).Arguments;
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
    }

    [Fact]
    public void Volume_Reporter_HoldsTheJournalDirectoryOwnedByTheUser()
    {
        var docker = Dockerfile.Load("deploy/docker/reporter.Dockerfile");
        var volume = Dockerfile.ExecForm(Assert.Single(docker.Get("VOLUME")).Arguments).Single();
        var user = Assert.Single(docker.Get("USER")).Arguments;
        Assert.Contains(docker.Get("RUN"), r => r.Arguments.Contains($"chown {user}:{user} {volume}", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj)\b.*\s-o (?<out>\S+)")]
    private static partial Regex Publish();
}
