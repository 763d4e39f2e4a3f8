namespace SupplyOracle.Aggregator.Cli.Internal;

/// <summary>Thrown when the what-if input is not the documented JSON; <see cref="Path"/> names the offending field.</summary>
internal sealed class JsonInputException(string path, string message) : Exception($"{path}: {message}")
{
    /// <summary>The JSON path of the offending field, e.g. <c>observations[2].factor</c>.</summary>
    public string Path { get; } = path;
}
