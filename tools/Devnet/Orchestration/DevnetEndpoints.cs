using System.Globalization;
using System.Text;

namespace SupplyOracle.Devnet.Orchestration;

/// <summary>
/// Where a running local network can be reached, as the devnet prints it at start and writes it to
/// <c>DIR/endpoints.env</c>: the addresses an operator points <c>grpcurl</c>, <c>curl</c>, <c>cast</c> or the
/// governance CLI at, and where the owner key lives. The file is shell-sourceable (<c>. .devnet/endpoints.env</c>).
/// </summary>
/// <param name="AnvilRpc">anvil's JSON-RPC URL.</param>
/// <param name="PostgresPort">The throwaway PostgreSQL cluster's port on 127.0.0.1.</param>
/// <param name="ChainId">The chain id.</param>
/// <param name="Oracle">The SupplyOracle address.</param>
/// <param name="Registry">The ExcludedAddressRegistry address.</param>
/// <param name="AggregatorGrpc">The aggregator's gRPC endpoint (gossip and status).</param>
/// <param name="AggregatorHttp">The aggregator's HTTP endpoint (JSON API and health).</param>
/// <param name="ReporterHealth">Each reporter's name and health base URL.</param>
/// <param name="OwnerAddress">The contracts' owner and guardian (anvil's dev account 0).</param>
/// <param name="OwnerKeyFile">The file holding the owner's private key (anvil's well-known dev key).</param>
/// <param name="Logs">The directory of the node logs.</param>
internal sealed record DevnetEndpoints(
    Uri AnvilRpc,
    int PostgresPort,
    ulong ChainId,
    string Oracle,
    string Registry,
    Uri AggregatorGrpc,
    Uri AggregatorHttp,
    IReadOnlyList<(string Name, Uri Health)> ReporterHealth,
    string OwnerAddress,
    string OwnerKeyFile,
    string Logs)
{
    /// <summary>The file name, inside the devnet directory, that <see cref="WriteAsync"/> writes.</summary>
    public const string FileName = "endpoints.env";

    /// <summary>The lines printed at start, one endpoint a line.</summary>
    public IReadOnlyList<string> Lines()
    {
        var lines = new List<string>
        {
            $"anvil JSON-RPC      {AnvilRpc} (chain id {ChainId.ToString(CultureInfo.InvariantCulture)})",
            $"PostgreSQL          127.0.0.1:{PostgresPort.ToString(CultureInfo.InvariantCulture)} (user postgres, database aggregator)",
            $"SupplyOracle        {Oracle}",
            $"Registry            {Registry}",
            $"aggregator gRPC     {AggregatorGrpc}",
            $"aggregator HTTP     {AggregatorHttp} (JSON API under v1/, health at healthz and readyz)",
            $"dashboard           {new Uri(AggregatorHttp, "dashboard")} (open in a browser)",
        };
        lines.AddRange(ReporterHealth.Select(r => $"{r.Name + " health",-19} {new Uri(r.Health, "health/ready")}"));
        lines.Add($"owner and guardian  {OwnerAddress}, private key in {OwnerKeyFile}");
        lines.Add($"logs                {Logs}");
        return lines;
    }

    /// <summary>The same facts as <c>KEY=value</c> lines a shell can source.</summary>
    public string ToEnvFile()
    {
        var env = new StringBuilder();
        void Add(string key, string value) => env.Append(CultureInfo.InvariantCulture, $"{key}='{value}'\n");
        Add("DEVNET_RPC_URL", AnvilRpc.ToString());
        Add("DEVNET_CHAIN_ID", ChainId.ToString(CultureInfo.InvariantCulture));
        Add("DEVNET_POSTGRES_PORT", PostgresPort.ToString(CultureInfo.InvariantCulture));
        Add("DEVNET_ORACLE", Oracle);
        Add("DEVNET_REGISTRY", Registry);
        Add("DEVNET_AGGREGATOR_GRPC", AggregatorGrpc.ToString());
        Add("DEVNET_AGGREGATOR_HTTP", AggregatorHttp.ToString());
        Add("DEVNET_DASHBOARD", new Uri(AggregatorHttp, "dashboard").ToString());
        for (var i = 0; i < ReporterHealth.Count; i++)
        {
            Add($"DEVNET_REPORTER_{(i + 1).ToString(CultureInfo.InvariantCulture)}_HEALTH", ReporterHealth[i].Health.ToString());
        }

        Add("DEVNET_OWNER", OwnerAddress);
        Add("DEVNET_OWNER_KEY_FILE", OwnerKeyFile);
        Add("DEVNET_LOGS", Logs);
        return env.ToString();
    }

    /// <summary>Writes <see cref="ToEnvFile"/> to <paramref name="directory"/>/<see cref="FileName"/> and returns the path.</summary>
    public async Task<string> WriteAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, FileName);
        await File.WriteAllTextAsync(path, ToEnvFile(), cancellationToken).ConfigureAwait(false);
        return path;
    }
}
