namespace SupplyOracle.Aggregator.Configuration;

/// <summary>The web dashboard block: <c>Aggregator:Dashboard:*</c>.</summary>
public sealed partial class AggregatorOptions
{
    /// <summary><c>Aggregator:Dashboard:*</c>: the read-only web dashboard on the HTTP endpoint (README "Dashboard").</summary>
    public DashboardOptions Dashboard { get; set; } = new();
}

/// <summary>The <c>Aggregator:Dashboard</c> section.</summary>
public sealed class DashboardOptions
{
    /// <summary>
    /// <c>Aggregator:Dashboard:Enabled</c>: serve the dashboard under <c>/dashboard</c> on <c>HttpListen</c>. Default true;
    /// false leaves only the JSON API and the health endpoints.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
