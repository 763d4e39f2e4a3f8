using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Devnet.Configuration;

/// <summary>The deployment every node is configured against.</summary>
/// <param name="ChainId">The chain id.</param>
/// <param name="Oracle">The SupplyOracle address.</param>
/// <param name="Registry">The ExcludedAddressRegistry address.</param>
/// <param name="RpcUrl">anvil's JSON-RPC endpoint.</param>
internal sealed record ChainEndpoint(ulong ChainId, Address Oracle, Address Registry, Uri RpcUrl);

/// <summary>Where a reporter's free float for one token comes from (README "Reporter configuration").</summary>
/// <param name="Token">The token.</param>
/// <param name="ExtraLocked">Extra locked addresses (source "circulating minus their balances"), or empty.</param>
/// <param name="HttpUrl">An HTTP JSON source (value at <c>value</c>), or null.</param>
internal sealed record ReporterTokenSource(Address Token, IReadOnlyList<Address> ExtraLocked, Uri? HttpUrl);

/// <summary>One reporter's files and ports.</summary>
/// <param name="Name">e.g. <c>reporter-1</c>.</param>
/// <param name="Keystore">Its keystore V3 file.</param>
/// <param name="PasswordFile">Its password file.</param>
/// <param name="JournalPath">Its signing journal.</param>
/// <param name="HealthListen">Its health endpoint.</param>
/// <param name="Tokens">Its tokens and free-float sources.</param>
internal sealed record ReporterNode(string Name, string Keystore, string PasswordFile, string JournalPath, IPEndPoint HealthListen,
    IReadOnlyList<ReporterTokenSource> Tokens);

/// <summary>The aggregator's files and ports.</summary>
/// <param name="Database">The event store's connection string.</param>
/// <param name="GrpcListen">The gossip endpoint.</param>
/// <param name="HttpListen">The <c>/healthz</c> endpoint.</param>
/// <param name="Keystore">The transmitter's keystore V3 file.</param>
/// <param name="PasswordFile">Its password file.</param>
internal sealed record AggregatorNode(string Database, IPEndPoint GrpcListen, IPEndPoint HttpListen, string Keystore, string PasswordFile);

/// <summary>
/// Writes the configuration files of the aggregator and the reporters. Every key is one of the options classes'
/// settings (<c>ReporterOptions</c>, <c>AggregatorOptions</c>); a test loads the files through the programs' own
/// binders, with unknown keys as errors, so a renamed setting fails the build's tests rather than the network.
/// </summary>
internal static class NodeConfigs
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>Seconds between rounds are ~10 on the local network: the nodes poll faster than their production defaults.</summary>
    public static JsonObject Reporter(ChainEndpoint chain, ReporterNode node, Uri aggregatorGrpc)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(node);
        var tokens = new JsonArray();
        foreach (var t in node.Tokens)
        {
            var token = new JsonObject { ["Address"] = t.Token.ToString() };
            if (t.ExtraLocked.Count > 0)
            {
                token["ExtraLocked"] = new JsonArray([.. t.ExtraLocked.Select(a => JsonValue.Create(a.ToString()))]);
            }

            if (t.HttpUrl is not null)
            {
                token["Http"] = new JsonArray(new JsonObject
                {
                    ["Url"] = t.HttpUrl.ToString(),
                    ["ValuePath"] = "value",
                    ["TimeoutSeconds"] = 2,
                    ["Retries"] = 1,
                });
            }

            tokens.Add(token);
        }

        return new JsonObject
        {
            ["Reporter"] = new JsonObject
            {
                ["Chain"] = Chain(chain),
                ["Rpc"] = new JsonObject { ["Endpoints"] = new JsonArray(chain.RpcUrl.ToString()), ["TimeoutSeconds"] = 5 },
                ["Confirmations"] = 2,
                ["PollIntervalSeconds"] = 0.5,
                ["Key"] = new JsonObject { ["Keystore"] = node.Keystore, ["PasswordFile"] = node.PasswordFile },
                ["JournalPath"] = node.JournalPath,
                ["Tokens"] = tokens,
                ["Gossip"] = new JsonObject
                {
                    ["Aggregators"] = new JsonArray(aggregatorGrpc.ToString()),
                    ["ReconnectMinSeconds"] = 0.5,
                    ["ReconnectMaxSeconds"] = 5,
                },
                ["Health"] = new JsonObject { ["Listen"] = node.HealthListen.ToString() },
            },
        };
    }

    /// <summary>The aggregator's configuration.</summary>
    public static JsonObject Aggregator(ChainEndpoint chain, AggregatorNode node)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(node);
        return new JsonObject
        {
            ["Aggregator"] = new JsonObject
            {
                ["ChainId"] = chain.ChainId,
                ["Oracle"] = chain.Oracle.ToString(),
                ["Registry"] = chain.Registry.ToString(),
                ["RpcUrl"] = chain.RpcUrl.ToString(),
                ["Database"] = node.Database,
                ["GrpcListen"] = node.GrpcListen.ToString(),
                ["HttpListen"] = node.HttpListen.ToString(),
                ["ViewRefreshSeconds"] = 1,
                ["BlockCacheSeconds"] = 0.5,
                // The round loop (README "Round lifecycle"): the transmitter's keystore, and deadlines that fit a ~10 s round
                // (every reporter is local, so a round closes as soon as all five are heard; the deadline covers a lagging one).
                ["Id"] = "devnet-aggregator",
                ["Keystore"] = node.Keystore,
                ["PasswordFile"] = node.PasswordFile,
                ["CloseAfterSeconds"] = 6,
                ["AttestationTimeoutSeconds"] = 20,
                ["ConfirmationDepth"] = 1,
                ["PollIntervalMilliseconds"] = 250,
            },
        };
    }

    /// <summary>Writes a configuration as indented JSON.</summary>
    public static Task WriteAsync(string path, JsonObject configuration, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, configuration.ToJsonString(s_indented), cancellationToken);

    private static JsonObject Chain(ChainEndpoint chain) => new()
    {
        ["ChainId"] = chain.ChainId.ToString(CultureInfo.InvariantCulture),
        ["Oracle"] = chain.Oracle.ToString(),
        ["Registry"] = chain.Registry.ToString(),
    };
}
