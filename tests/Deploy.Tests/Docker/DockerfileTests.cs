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
        Assert.Equal(docker.Stage("build"), run.Stage);
        var match = Publish().Match(run.Arguments);
        Assert.True(match.Success, $"{file}: '{run.Arguments}' is not 'dotnet publish PROJECT ... -o DIR'");
        Assert.Equal(program.Project, match.Groups["project"].Value);
        var output = match.Groups["out"].Value;
        Assert.Contains(docker.Get("COPY"), c => c.Arguments == $"--from=build {output} {output}");
        Assert.Equal($"{output}/{program.Executable}", Dockerfile.ExecForm(Assert.Single(docker.Effective("ENTRYPOINT")).Arguments).Single());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Prebuilt_Target_CopiesTheHostPublishOutputToTheSameDirectory(string file, string executable)
    {
        // deploy/docker/bases.sh machines (no registry) build --target prebuilt: the classic builder builds every stage up
        // to the target, so the SDK stage must come after it, and the program must land where the final image has it.
        var docker = Dockerfile.Load(file);
        var prebuilt = docker.Stage("prebuilt");
        Assert.True(prebuilt < docker.Stage("build"), $"{file}: the prebuilt stage must come before the SDK stage");
        Assert.Equal("runtime", docker.From(prebuilt));
        Assert.Equal("runtime", docker.From(docker.FinalStage));
        var copy = Assert.Single(docker.Get("COPY", prebuilt)).Arguments.Split(' ');
        var name = executable["supplyoracle-".Length..];
        Assert.Equal($"artifacts/publish/{name}/", copy[0]);
        Assert.Equal(Assert.Single(docker.Get("COPY")).Arguments.Split(' ')[^1].TrimEnd('/'), copy[1].TrimEnd('/'));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Copy_BuildStage_EverythingTheBuildReadsExists(string file, string executable)
    {
        _ = executable;
        var docker = Dockerfile.Load(file);
        var sources = docker.Get("COPY", docker.Stage("build")).SelectMany(c => c.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToList();
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
    public void From_DefaultImages_MatchTheTargetFramework(string file, string executable)
    {
        _ = executable;
        var docker = Dockerfile.Load(file);
        var framework = XDocument.Load(Repo.File("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = framework["net".Length..];
        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{version}", docker.ArgDefault("SDK_IMAGE"));
        Assert.Equal($"mcr.microsoft.com/dotnet/aspnet:{version}", docker.ArgDefault("RUNTIME_IMAGE"));
        Assert.Equal("${SDK_IMAGE}", docker.From(docker.Stage("build")));
        Assert.Equal("${RUNTIME_IMAGE}", docker.From(docker.Stage("runtime")));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Cmd_DefaultCommandLine_ParsesAsTheProgramsCommand(string file, string executable)
    {
        var args = Dockerfile.ExecForm(Assert.Single(Dockerfile.Load(file).Effective("CMD")).Arguments);
        var problem = await DeployedProgram.ByExecutable(executable)!.CommandLineProblemAsync(args);
        Assert.True(problem is null, $"{file}: CMD {string.Join(' ', args)}: {problem}");
        Assert.Equal("run", args[0]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Healthcheck_Url_IsServedOnAnExposedPort(string file, string executable)
    {
        // The probe is bash's /dev/tcp (the runtime images have no HTTP client); tests/Containers.Tests runs it for real.
        var docker = Dockerfile.Load(file);
        var command = Dockerfile.ExecForm(Assert.Single(docker.Effective("HEALTHCHECK")).Arguments);
        Assert.Equal(["bash", "-c"], command[..2]);
        var probe = Probe().Match(command[2]);
        Assert.True(probe.Success, $"{file}: the HEALTHCHECK '{command[2]}' is not a GET over /dev/tcp/127.0.0.1/PORT");
        Assert.Contains(probe.Groups["path"].Value, ServedPaths.Of(DeployedProgram.ByExecutable(executable)!));
        Assert.Contains(probe.Groups["port"].Value, Assert.Single(docker.Effective("EXPOSE")).Arguments.Split(' '));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void User_FinalStage_IsNotRoot(string file, string executable)
    {
        _ = executable;
        var user = Assert.Single(Dockerfile.Load(file).Effective("USER")).Arguments;
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
    }

    [Fact]
    public void Volume_Reporter_HoldsTheJournalDirectoryOwnedByTheUser()
    {
        var docker = Dockerfile.Load("deploy/docker/reporter.Dockerfile");
        var volume = Dockerfile.ExecForm(Assert.Single(docker.Effective("VOLUME")).Arguments).Single();
        var user = Assert.Single(docker.Effective("USER")).Arguments;
        Assert.Contains(docker.Effective("RUN"), r => r.Arguments.Contains($"chown {user}:{user} {volume}", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"/dev/tcp/127\.0\.0\.1/(?<port>[0-9]+) .*'GET (?<path>/\S*) HTTP/1\.1")]
    private static partial Regex Probe();

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj)\b.*\s-o (?<out>\S+)")]
    private static partial Regex Publish();
}
