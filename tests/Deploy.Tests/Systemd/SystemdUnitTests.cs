using System.Diagnostics;
using SupplyOracle.Deploy.Tests.Support;

namespace SupplyOracle.Deploy.Tests.Systemd;

/// <summary>deploy/systemd: the units against the programs, and against systemd's own parser (systemd-analyze verify).</summary>
public sealed class SystemdUnitTests
{
    public static TheoryData<string> Units => new() { "supplyoracle-reporter.service", "supplyoracle-aggregator.service" };

    private static SystemdUnit Load(string unit) => SystemdUnit.Load($"deploy/systemd/{unit}");

    private static (DeployedProgram Program, string[] Args) ExecStart(SystemdUnit unit)
    {
        var words = unit.One("Service", "ExecStart")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var program = DeployedProgram.ByExecutable(words[0]);
        Assert.True(program is not null, $"{unit.Name}: ExecStart runs {words[0]}, not one of the programs");
        Assert.Equal($"{Path.GetFileNameWithoutExtension(unit.Name)}", program!.Executable);
        return (program, words[1..]);
    }

    /// <summary>The example settings file installed where <c>--config</c> points (same file name, beside the unit).</summary>
    private static string Json(string[] args) => Repo.Read($"deploy/systemd/{Path.GetFileName(args[Array.IndexOf(args, "--config") + 1])}");

    [Theory]
    [MemberData(nameof(Units))]
    public async Task ExecStart_CommandLine_ParsesAsTheProgramsCommand(string name)
    {
        var (program, args) = ExecStart(Load(name));
        var problem = await program.CommandLineProblemAsync(args);
        Assert.True(problem is null, $"{name}: {string.Join(' ', args)}: {problem}");
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void Settings_EnvironmentAndConfigFile_ExistAndPassValidation(string name)
    {
        var unit = Load(name);
        var (program, args) = ExecStart(unit);
        var env = unit.Environment();
        Assert.NotEmpty(env);
        Assert.All(env, e => Assert.True(program.Schema.Owns(e.Key), $"{name}: Environment {e.Key} is not a {program.Schema.Section} setting"));
        ConfigKeys.AssertKnown(program, env.Select(e => e.Key), name);
        var json = Json(args);
        ConfigKeys.AssertKnown(program, ConfigKeys.FromJson(json), $"{name} config file");
        var exception = Record.Exception(() => program.Validate(json, env));
        Assert.True(exception is null, $"{name}: {exception?.Message}");
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void Credentials_EveryCredentialPath_IsLoadedByTheUnit(string name)
    {
        var unit = Load(name);
        var loaded = unit.All("Service", "LoadCredential").Select(c => c.Split(':')[0]).ToHashSet();
        var directory = $"/run/credentials/{unit.Name}/";
        var used = unit.Environment().SelectMany(e => (e.Value ?? "").Split(';', '='))
            .Where(v => v.StartsWith(directory, StringComparison.Ordinal)).Select(v => v[directory.Length..]).ToList();
        Assert.NotEmpty(used);
        Assert.Equal(loaded.Order(), used.Order());
    }

    [Theory]
    [MemberData(nameof(Units))]
    public void Hardening_Unit_RunsUnprivilegedOnAReadOnlySystem(string name)
    {
        var unit = Load(name);
        Assert.Equal("yes", unit.One("Service", "DynamicUser"));
        Assert.Equal("strict", unit.One("Service", "ProtectSystem"));
        Assert.Equal("yes", unit.One("Service", "NoNewPrivileges"));
        Assert.Equal("", unit.One("Service", "CapabilityBoundingSet"));
        // Exit code 2 (bad settings, key or password) is not worth a restart loop.
        Assert.Equal(SupplyOracle.Reporter.Program.BadInput.ToString(System.Globalization.CultureInfo.InvariantCulture), unit.One("Service", "RestartPreventExitStatus"));
        Assert.Equal(SupplyOracle.Aggregator.Hosting.RunCommand.BadConfiguration, SupplyOracle.Reporter.Program.BadInput);
    }

    [Fact]
    public void Journal_Reporter_IsInTheUnitsStateDirectory()
    {
        var unit = Load("supplyoracle-reporter.service");
        var journal = unit.Environment().Single(e => e.Key == "Reporter__JournalPath").Value!;
        Assert.Equal($"/var/lib/{unit.One("Service", "StateDirectory")}", Path.GetDirectoryName(journal));
    }

    [Theory]
    [MemberData(nameof(Units))]
    public async Task Verify_SystemdAnalyze_ReportsNothingButTheUninstalledExecutable(string name)
    {
        var start = new ProcessStartInfo("systemd-analyze", ["verify", "--man=no", Repo.File($"deploy/systemd/{name}")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = StartAnalyzer(start);
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (program, _) = ExecStart(Load(name));
        var problems = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains($"/{program.Executable} is not executable", StringComparison.Ordinal)).ToList();
        Assert.True(problems.Count == 0, $"systemd-analyze verify {name}:\n{string.Join('\n', problems)}");
    }

    private static Process StartAnalyzer(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("systemd-analyze is required for this test (Debian package systemd)", e);
        }
    }
}
