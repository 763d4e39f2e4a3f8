using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SupplyOracle.Contracts.Bindings.JsonRpc;

namespace SupplyOracle.Aggregator.Hosting;

/// <summary>
/// What the aggregator's health checks look at (ASP.NET Core health checks, served as <c>grpc.health.v1.Health</c> by
/// Grpc.AspNetCore.HealthChecks for Kubernetes gRPC probes and <c>grpc_health_probe</c>): <c>database</c> (PostgreSQL
/// answers), <c>chain</c> (the JSON-RPC node answers) and <c>role</c> (leader, follower or intake only; always healthy,
/// reported in its description). The overall service <c>""</c> is SERVING only when every check is healthy.
/// </summary>
/// <param name="Database">The event store's database, or null for none (no <c>database</c> check).</param>
/// <param name="Chain">The node, or null for none (no <c>chain</c> check).</param>
/// <param name="Role">This aggregator's role now (read at each check), or null for none (no <c>role</c> check).</param>
public sealed record AggregatorHealth(NpgsqlDataSource? Database, EthereumRpcClient? Chain, Func<string>? Role)
{
    /// <summary>How long a check may take before it counts as failed.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(3);

    internal void Register(IHealthChecksBuilder checks)
    {
        if (Database is { } database)
        {
            checks.AddAsyncCheck("database", ct => DatabaseAsync(database, ct), timeout: CheckTimeout);
        }

        if (Chain is { } chain)
        {
            checks.AddAsyncCheck("chain", ct => ChainAsync(chain, ct), timeout: CheckTimeout);
        }

        if (Role is { } role)
        {
            checks.AddCheck("role", () => HealthCheckResult.Healthy(role(), new Dictionary<string, object> { ["role"] = role() }));
        }
    }

    private static async Task<HealthCheckResult> DatabaseAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        try
        {
            var command = database.CreateCommand("SELECT 1");
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            }

            return HealthCheckResult.Healthy("PostgreSQL answers");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL is unreachable: {e.Message}");
        }
    }

    private static async Task<HealthCheckResult> ChainAsync(EthereumRpcClient chain, CancellationToken cancellationToken)
    {
        try
        {
            var head = await chain.BlockNumberAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"the node answers (head {head})");
        }
        catch (Exception e) when (e is JsonRpcException or JsonRpcTransportException or HttpRequestException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return HealthCheckResult.Unhealthy($"the JSON-RPC node is unreachable: {e.Message}");
        }
    }
}
