using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using SupplyOracle.Protocol.Transport;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Deployment;
using SupplyOracle.Protocol.State;
using SupplyOracle.Reporter.Attestation;
using SupplyOracle.Reporter.Configuration;
using SupplyOracle.Reporter.FreeFloat;
using SupplyOracle.Reporter.Gossip;
using SupplyOracle.Reporter.Health;
using SupplyOracle.Reporter.Journal;
using SupplyOracle.Reporter.Keys;
using SupplyOracle.Reporter.Rounds;
using SupplyOracle.Reporter.Supply;
using SupplyOracle.Reporter.Telemetry;
using SupplyOracle.Telemetry;

namespace SupplyOracle.Reporter.Cli;

/// <summary>
/// <c>run --config FILE [--Reporter:Setting=value ...]</c>: validates the settings (errors name the setting, exit 2),
/// loads the key, opens the journal, checks every endpoint's chain id and that the contracts are what the settings say
/// (<see cref="DeploymentContracts"/>, exit 2 otherwise), then runs the node with its health endpoint
/// until stopped.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "JSON settings file (section Reporter)", Required = true };
        var command = new Command("run", "Run the reporter node") { config };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (r, ct) =>
        {
            var error = r.InvocationConfiguration.Error;
            try
            {
                var configuration = ReporterConfiguration.Build(r.GetValue(config)!, r.UnmatchedTokens);
                var options = ReporterConfiguration.Load(configuration);
                await RunAsync(options, ct, r.InvocationConfiguration.Output).ConfigureAwait(false);
                return Program.Ok;
            }
            catch (ReporterConfigurationException ex)
            {
                await error.WriteLineAsync($"error: {ex.Setting}: {ex.Problem}").ConfigureAwait(false);
                return Program.BadInput;
            }
            catch (ContractMismatchException ex)
            {
                await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
                return Program.BadInput;
            }
            catch (KeySetupException ex)
            {
                await error.WriteLineAsync($"error: Reporter:Key:{ex.Setting}: {ex.Message}").ConfigureAwait(false);
                return Program.BadInput;
            }
            catch (FileNotFoundException ex)
            {
                await error.WriteLineAsync($"error: --config: {ex.Message}").ConfigureAwait(false);
                return Program.BadInput;
            }
        });
        return command;
    }

    /// <summary>Builds and runs the node until <paramref name="cancellationToken"/> is cancelled; the start-up banner goes to <paramref name="output"/>.</summary>
    public static async Task RunAsync(ReporterOptions options, CancellationToken cancellationToken, TextWriter? output = null)
    {
        var signer = KeystoreSigner.Load(options.Key.Keystore, PasswordSource.From(options.Key.PasswordFile, options.Key.PasswordEnvironmentVariable,
            "Reporter:Key:PasswordFile", "Reporter:Key:PasswordEnvironmentVariable"));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(options.Rpc.TimeoutSeconds) };
        var endpoints = options.Rpc.Endpoints.Select((url, i) => new RpcEndpoint($"rpc{i}",
            new RpcEndpointClient(new Uri(url), timeout: TimeSpan.FromSeconds(options.Rpc.TimeoutSeconds)))).ToArray();
        for (var i = 0; i < endpoints.Length; i++)
        {
            ulong chainId;
            try
            {
                chainId = await new EthereumRpcClient(endpoints[i].Transport).ChainIdAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is JsonRpcTransportException or JsonRpcException or HttpRequestException)
            {
                throw new ReporterConfigurationException($"{ReporterOptions.Section}:Rpc:Endpoints:{i}", $"cannot reach the endpoint {options.Rpc.Endpoints[i]} ({ex.Message})");
            }
            if (chainId != options.Chain.ChainId)
            {
                throw new ReporterConfigurationException($"{ReporterOptions.Section}:Rpc:Endpoints:{i}", $"endpoint is on chain {chainId}, expected Reporter:Chain:ChainId {options.Chain.ChainId}");
            }
        }
        var deployment = new OracleDeployment(options.Chain.ChainId, Address.Parse(options.Chain.Oracle), Address.Parse(options.Chain.Registry));
        var headClient = new EthereumRpcClient(endpoints[0].Transport);
        await DeploymentContracts.VerifyOracleAsync(headClient, deployment.Oracle, deployment.ChainId, $"{ReporterOptions.Section}:Chain:Oracle", cancellationToken).ConfigureAwait(false);
        await DeploymentContracts.VerifyRegistryAsync(headClient, deployment.Registry, $"{ReporterOptions.Section}:Chain:Registry", cancellationToken).ConfigureAwait(false);

        // Built before any instrument records, so the series ReporterTelemetry starts at 0 are in the first scrape.
        using var prometheus = new PrometheusExport(TelemetryExport.Meters);
        var builder = WebApplication.CreateSlimBuilder();
        // A probe every few seconds is no news: ASP.NET Core's per-request lines ("Request starting", "Executing
        // endpoint") stay below Information, as in the aggregator; its warnings and errors still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var relayListen = string.IsNullOrWhiteSpace(options.Gossip.Listen) ? null : IPEndPoint.Parse(options.Gossip.Listen);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPEndPoint.Parse(options.Health.Listen));
            if (relayListen is not null)
            {
                // Cleartext HTTP/2 needs Http2 alone (no ALPN to negotiate; grpc-dotnet#979).
                k.Listen(relayListen, l => l.Protocols = HttpProtocols.Http2);
            }
        });
        var services = builder.Services;
        // Gossip.Relay behind the same interceptor as the aggregator's services (exceptions become statuses there only);
        // the reporter registers no exception mappings, so a failure in the relay is UNKNOWN.
        services.AddSingleton(new GrpcExceptionMap());
        services.AddSingleton<ServerCallInterceptor>();
        services.AddGrpc(o =>
        {
            o.Interceptors.Add<ServerCallInterceptor>();
            o.MaxReceiveMessageSize = GrpcChannels.DefaultMaxReceiveMessageSize;
            o.ResponseCompressionAlgorithm = "gzip";
            o.ResponseCompressionLevel = System.IO.Compression.CompressionLevel.Fastest;
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ReporterTelemetry>();
        services.AddSingleton<ReporterStatus>();
        services.AddSingleton(_ => new TelemetryExport(options.Telemetry));
        services.AddSingleton(sp => SigningJournal.Open(options.JournalPath, sp.GetRequiredService<ILogger<SigningJournal>>()));
        services.AddSingleton(sp => new PinnedSupplyReader(endpoints, deployment.Registry, options.Rpc.Quorum == 0 ? endpoints.Length : options.Rpc.Quorum,
            sp.GetRequiredService<ReporterTelemetry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PinnedSupplyReader>>()));
        services.AddSingleton<FreeFloatCalculator>();
        services.AddSingleton(sp => new ProposalAttester(deployment, headClient, new OracleStateReader(headClient, deployment), signer,
            sp.GetRequiredService<ReporterStatus>(), sp.GetRequiredService<ReporterTelemetry>(), sp.GetRequiredService<ILogger<ProposalAttester>>()));
        services.AddSingleton<IReadOnlyList<AggregatorConnection>>(sp => [.. options.Gossip.Aggregators.Select(url => new AggregatorConnection(url,
            GrpcChannels.Create(new Uri(url), loggerFactory: sp.GetRequiredService<ILoggerFactory>()).WithCallMetrics(), sp.GetRequiredService<ProposalAttester>(),
            TimeSpan.FromSeconds(options.Gossip.ReconnectMinSeconds), TimeSpan.FromSeconds(options.Gossip.ReconnectMaxSeconds),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AggregatorConnection>>()))]);
        services.AddSingleton(sp => new RoundObserver(headClient, sp.GetRequiredService<PinnedSupplyReader>(), sp.GetRequiredService<FreeFloatCalculator>(),
            Coverage(options, http), sp.GetRequiredService<SigningJournal>(), signer, deployment, options.Confirmations,
            sp.GetRequiredService<ReporterStatus>(), sp.GetRequiredService<ReporterTelemetry>(), sp.GetRequiredService<ILogger<RoundObserver>>()));
        var relayEnabled = relayListen is not null || options.Gossip.Peers.Count > 0;
        services.AddSingleton(sp => new PeerRelay(signer.Address.ToString(), new BatchVerifier(deployment),
            new ChainRelayView(headClient, new OracleStateReader(headClient, deployment), TimeSpan.FromSeconds(options.PollIntervalSeconds), sp.GetRequiredService<TimeProvider>()).GetAsync,
            sp.GetRequiredService<IReadOnlyList<AggregatorConnection>>(),
            [.. options.Gossip.Peers.Select(url => new PeerLink(url, GrpcChannels.Create(new Uri(url), loggerFactory: sp.GetRequiredService<ILoggerFactory>()).WithCallMetrics(), signer.Address.ToString(),
                TimeSpan.FromSeconds(options.Gossip.ReconnectMinSeconds), TimeSpan.FromSeconds(options.Gossip.ReconnectMaxSeconds),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PeerLink>>()))],
            options.Gossip.RelayRounds, sp.GetRequiredService<ReporterTelemetry>(), sp.GetRequiredService<ILogger<PeerRelay>>()));
        services.AddHostedService(sp => new ReporterNode(sp.GetRequiredService<RoundObserver>(), headClient,
            new SupplyOracleContract(headClient, deployment.Oracle), sp.GetRequiredService<IReadOnlyList<AggregatorConnection>>(),
            sp.GetRequiredService<ReporterStatus>(), TimeSpan.FromSeconds(options.PollIntervalSeconds), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ReporterNode>>(), relayEnabled ? sp.GetRequiredService<PeerRelay>() : null));

        var app = builder.Build();
        await using var disposeApp = app.ConfigureAwait(false);
        _ = app.Services.GetRequiredService<TelemetryExport>();
        app.MapReporterHealth(app.Services.GetRequiredService<ReporterStatus>(), signer.Address,
            app.Services.GetRequiredService<IReadOnlyList<AggregatorConnection>>(), app.Services.GetRequiredService<TimeProvider>());
        // Prometheus beside OTLP (issue 19 item 4), on the health listener's port like the probes.
        prometheus.Map(app);
        if (relayListen is not null)
        {
            // Gossip.Relay for peers (docs/protocol.md section 4).
            app.MapGrpcService<RelayGossipService>();
        }
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            var setting = relayListen is not null && ex.Message.Contains(relayListen.ToString(), StringComparison.Ordinal) ? "Gossip:Listen" : "Health:Listen";
            var address = setting == "Gossip:Listen" ? options.Gossip.Listen : options.Health.Listen;
            throw new ReporterConfigurationException($"{ReporterOptions.Section}:{setting}", $"{address} is in use by another process");
        }
        if (output is not null)
        {
            await output.WriteLineAsync(Banner(options, signer.Address)).ConfigureAwait(false);
        }

        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The one-line start-up banner (issue 19 item 5): who, on which chain, which contracts, tokens and endpoints.</summary>
    internal static string Banner(ReporterOptions options, Address address) =>
        $"reporter {address} on chain {options.Chain.ChainId}: oracle {Address.Parse(options.Chain.Oracle)}, registry {Address.Parse(options.Chain.Registry)}, "
        + $"tokens [{string.Join(", ", options.Tokens.Select(t => Address.Parse(t.Address)))}], rpc [{string.Join(", ", options.Rpc.Endpoints)}], "
        + $"aggregators [{string.Join(", ", options.Gossip.Aggregators)}], health and metrics http://{options.Health.Listen}"
        + (string.IsNullOrWhiteSpace(options.Gossip.Listen) ? "" : $", relay {options.Gossip.Listen}");

    /// <summary>The covered tokens and their free-float sources, from the settings.</summary>
    internal static IReadOnlyList<TokenCoverage> Coverage(ReporterOptions options, HttpClient http) =>
        [.. options.Tokens.Select(t =>
        {
            var sources = new List<IFreeFloatSource>();
            if (t.ExtraLocked.Count > 0)
            {
                sources.Add(new ExtraLockedSource());
            }
            sources.AddRange(t.Http.Select((h, i) => new HttpJsonSource($"http-{i}", http, new HttpJsonSourceSettings(new Uri(h.Url), h.ValuePath, h.TimestampPath,
                TimeSpan.FromSeconds(h.TimeoutSeconds), h.Retries, TimeSpan.FromSeconds(h.MaxAgeSeconds)))));
            if (t.Fixed is { } f)
            {
                sources.Add(new FixedSource(BigInteger.Parse(f.Value, NumberStyles.None, CultureInfo.InvariantCulture), f.Note));
            }
            return new TokenCoverage(new CoveredToken(Address.Parse(t.Address), [.. t.ExtraLocked.Select(Address.Parse)]), sources);
        })];
}
