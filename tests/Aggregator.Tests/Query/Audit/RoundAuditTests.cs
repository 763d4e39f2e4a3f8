using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.Aggregator.Cli;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Tests.Support;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.V1;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Query.Audit;

/// <summary>
/// Issue 18: a round's audit trail, served by a real aggregator (round loop, PostgreSQL, anvil, five reporters),
/// checked end to end by an independent client (ethers 6 in node), by <c>rules eval --round N --from URL</c> and over
/// gRPC.
/// </summary>
public sealed class RoundAuditTests(LiveNetwork live) : IClassFixture<LiveNetwork>
{
    [Fact]
    public async Task Audit_ConfirmedRound_EthersRecoversEverySignerAndRulesEvalReproducesTheReport()
    {
        await using var aggregator = await live.StartAggregatorAsync("audit");
        await using var reporters = new LiveReporters(live.Network, [aggregator.Grpc]);
        var round = await ConfirmedRoundAsync(reporters);
        await using var host = await QueryHost.StartAsync(live.ConnectionString, live.Network.Client, deployment: live.Network.Deployment);
        var auditUrl = new Uri(host.Host.Http!, $"/v1/rounds/{round}/audit");

        using var document = JsonDocument.Parse(await host.Http.GetStringAsync(auditUrl));
        var audit = document.RootElement;
        Assert.Equal("confirmed", audit.GetProperty("phase").GetString());
        Assert.True(audit.GetProperty("batches").GetArrayLength() >= 3);
        Assert.True(audit.GetProperty("attestations").GetArrayLength() >= 3);

        // ethers, from the export alone and the chain: every signer, the report digest, the commit's calldata and event.
        var ethers = await RunNodeAsync(auditUrl, live.Network.Node.RpcUrl);
        var batches = ethers.GetProperty("batches").EnumerateArray().ToList();
        Assert.Equal(audit.GetProperty("batches").GetArrayLength(), batches.Count);
        Assert.All(batches, b =>
        {
            Assert.Equal(b.GetProperty("signer").GetString(), b.GetProperty("recovered").GetString());
            Assert.True(b.GetProperty("digestMatches").GetBoolean());
            Assert.True(b.GetProperty("registered").GetBoolean());
        });
        var digest = audit.GetProperty("proposal").GetProperty("reportDigest").GetString();
        Assert.Equal(digest, ethers.GetProperty("reportDigest").GetString());
        Assert.All(ethers.GetProperty("attestations").EnumerateArray(), a =>
            Assert.Equal((a.GetProperty("signer").GetString(), true), (a.GetProperty("recovered").GetString(), a.GetProperty("digestMatches").GetBoolean())));
        var commit = ethers.GetProperty("commit");
        Assert.Equal(round.ToString(CultureInfo.InvariantCulture), commit.GetProperty("round").GetString());
        Assert.True(commit.GetProperty("updatesMatch").GetBoolean() && commit.GetProperty("referenceHashMatches").GetBoolean()
            && commit.GetProperty("referenceTimeMatches").GetBoolean());
        Assert.Equal(digest, commit.GetProperty("committedDigest").GetString());

        // rules eval replays it: signatures, section 5 on the state at stateBlock, the same digest.
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Program.RunAsync(["rules", "eval", "--round", round.ToString(CultureInfo.InvariantCulture), "--from", host.Host.Http!.ToString()],
            TextReader.Null, output, error);
        Assert.True(code == 0, error.ToString());
        var replay = JsonNode.Parse(output.ToString())!;
        Assert.True((bool)replay["reproduced"]!);
        Assert.Equal(digest, (string)replay["reportDigest"]!);

        // The same over gRPC (Status.GetRoundAudit).
        var grpc = await host.Status.GetRoundAuditAsync(new GetRoundAuditRequest { Round = round });
        Assert.Equal(batches.Count, grpc.Batches.Count);
        Assert.Equal(digest, Hex.Encode(grpc.ReportDigest.Span));
        Assert.Equal(audit.GetProperty("commit").GetProperty("transactionHash").GetString(), Hex.Encode(grpc.CommitTxHash.Span));
        Assert.Equal(audit.GetProperty("attestations").GetArrayLength(), grpc.Attestations.Count);
        Assert.Equal(live.Network.Deployment.Oracle.ToArray(), grpc.VerifyingContract.ToByteArray());
        Assert.False(string.IsNullOrEmpty(grpc.RulesInputJson));

        // A tampered export (one observation byte changed) does not replay: non-zero exit.
        var tampered = JsonNode.Parse(document.RootElement.GetRawText())!;
        var observations = (string)tampered["batches"]![0]!["message"]!["observations"]!;
        tampered["batches"]![0]!["message"]!["observations"] = observations[..^1] + (observations[^1] == '0' ? '1' : '0');
        await using var server = await StaticJsonServer.StartAsync(tampered.ToJsonString());
        using var tamperedOutput = new StringWriter();
        using var tamperedError = new StringWriter();
        var tamperedCode = await Program.RunAsync(["rules", "eval", "--round", round.ToString(CultureInfo.InvariantCulture), "--from", server.Url.ToString()],
            TextReader.Null, tamperedOutput, tamperedError);
        Assert.Equal(RulesCommand.NotReproduced, tamperedCode);
        Assert.Contains("does not reproduce", tamperedError.ToString(), StringComparison.Ordinal);
    }

    private async Task<ulong> ConfirmedRoundAsync(LiveReporters reporters)
    {
        reporters.Phase = "audit";
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (true)
        {
            // The first round of the phase may have been signed before the switch: take a later one.
            var rounds = reporters.SignedPhases.Where(p => p.Value == "audit" && p.Key >= live.FirstLiveRound).Select(p => p.Key).Order().ToList();
            if (rounds.Count >= 2)
            {
                var state = await live.DecidedAsync(rounds[1], TimeSpan.FromSeconds(40));
                Assert.True(state.Step == RoundStep.Confirmed, $"round {rounds[1]}: {state.Step} {state.AbandonedReason}");
                return rounds[1];
            }

            await Task.Delay(200, cancel.Token);
        }
    }

    private static async Task<JsonElement> RunNodeAsync(Uri auditUrl, Uri rpcUrl)
    {
        var psi = new ProcessStartInfo(RepoPaths.Node()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Query", "Audit", "verify-audit.js"));
        psi.ArgumentList.Add(auditUrl.ToString());
        psi.ArgumentList.Add(rpcUrl.ToString());
        psi.Environment["NODE_PATH"] = RepoPaths.NodeModules;
        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"verify-audit.js failed ({process.ExitCode}): {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }

    /// <summary>Serves one fixed JSON body at every path (a tampered copy of an audit).</summary>
    private sealed class StaticJsonServer : IAsyncDisposable
    {
        private readonly HttpListener _listener;
        private readonly Task _loop;

        private StaticJsonServer(HttpListener listener, string body, Uri url)
        {
            _listener = listener;
            Url = url;
            _loop = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }

                    var bytes = System.Text.Encoding.UTF8.GetBytes(body);
                    context.Response.ContentType = "application/json";
                    await context.Response.OutputStream.WriteAsync(bytes);
                    context.Response.Close();
                }
            });
        }

        public Uri Url { get; }

        public static Task<StaticJsonServer> StartAsync(string body)
        {
            var url = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(url.ToString());
            listener.Start();
            return Task.FromResult(new StaticJsonServer(listener, body, url));
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
        }
    }
}
