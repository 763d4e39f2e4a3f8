using System.Xml.Linq;
using Microsoft.Extensions.Configuration;
using SupplyOracle.Aggregator.Configuration;
using SupplyOracle.Reporter.Configuration;

namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>One of the two long-running executables the deployment files run.</summary>
public sealed class DeployedProgram
{
    private DeployedProgram(string project, OptionsSchema schema, Action<IConfiguration> validate, Func<string[], TextWriter, TextWriter, Task<int>> run)
    {
        Project = project;
        Schema = schema;
        _validate = validate;
        _run = run;
    }

    private readonly Action<IConfiguration> _validate;
    private readonly Func<string[], TextWriter, TextWriter, Task<int>> _run;

    /// <summary><c>supplyoracle-reporter</c> (src/Reporter).</summary>
    public static DeployedProgram Reporter { get; } = new("src/Reporter/Reporter.csproj", new OptionsSchema(ReporterOptions.Section, typeof(ReporterOptions)),
        c => ReporterConfiguration.Load(c),
        (args, output, error) => SupplyOracle.Reporter.Program.RunAsync(args, TextReader.Null, output, error));

    /// <summary><c>supplyoracle-aggregator</c> (src/Aggregator).</summary>
    public static DeployedProgram Aggregator { get; } = new("src/Aggregator/Aggregator.csproj", new OptionsSchema(AggregatorOptions.Section, typeof(AggregatorOptions)),
        c =>
        {
            var options = c.GetSection(AggregatorOptions.Section).Get<AggregatorOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new AggregatorOptions();
            options.Validate();
            options.ValidateQuery();
        },
        (args, output, error) => SupplyOracle.Aggregator.Program.RunAsync(args, TextReader.Null, output, error));

    /// <summary>Both programs.</summary>
    public static IReadOnlyList<DeployedProgram> All { get; } = [Reporter, Aggregator];

    /// <summary>The project file, relative to the repository root.</summary>
    public string Project { get; }

    /// <summary>The configuration keys it accepts.</summary>
    public OptionsSchema Schema { get; }

    /// <summary>The executable's name: the project's AssemblyName.</summary>
    public string Executable => XDocument.Load(Repo.File(Project)).Descendants("AssemblyName").Single().Value;

    /// <summary>The program whose executable is <paramref name="name"/>, or null.</summary>
    public static DeployedProgram? ByExecutable(string name) => All.SingleOrDefault(p => p.Executable == Path.GetFileName(name));

    /// <summary>
    /// Binds and validates the settings the program would see (JSON file first, then environment variables), with its
    /// own validation: throws the program's configuration exception, naming the setting, when one is missing or bad.
    /// </summary>
    public void Validate(string? json, IEnumerable<KeyValuePair<string, string?>> environment)
    {
        var builder = new ConfigurationBuilder();
        if (json is not null)
        {
            builder.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        }
        builder.AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)));
        _validate(builder.Build());
    }

    /// <summary>Null when <paramref name="args"/> is a command line of this program; otherwise what is wrong (<see cref="CommandLines"/>).</summary>
    public Task<string?> CommandLineProblemAsync(IEnumerable<string> args) => CommandLines.ProblemAsync(Executable, _run, args);

    /// <inheritdoc />
    public override string ToString() => Executable;
}
