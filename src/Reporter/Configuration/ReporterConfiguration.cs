
namespace SupplyOracle.Reporter.Configuration;

/// <summary>Loads <see cref="ReporterOptions"/> from a JSON file, then environment variables, then command-line overrides.</summary>
public static class ReporterConfiguration
{
    /// <summary>Builds the configuration sources in precedence order (later wins).</summary>
    public static IConfigurationRoot Build(string jsonFile, IEnumerable<string> commandLineOverrides, IDictionary<string, string?>? environment = null)
    {
        var builder = new ConfigurationBuilder().AddJsonFile(Path.GetFullPath(jsonFile), optional: false, reloadOnChange: false);
        builder = environment is null ? builder.AddEnvironmentVariables() : builder.AddInMemoryCollection(environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value)));
        return builder.AddCommandLine([.. commandLineOverrides]).Build();
    }

    /// <summary>Binds the <c>Reporter</c> section (unknown keys are an error) and validates it.</summary>
    /// <exception cref="ReporterConfigurationException">A setting is missing, unknown or not acceptable.</exception>
    public static ReporterOptions Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ReporterOptions options;
        try
        {
            options = configuration.GetSection(ReporterOptions.Section).Get<ReporterOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new ReporterOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The binder reports unknown keys and unconvertible values (e.g. "abc" for a number) this way.
            throw new ReporterConfigurationException(ReporterOptions.Section, ex.Message);
        }
        ReporterOptionsValidator.Validate(options);
        return options;
    }
}
