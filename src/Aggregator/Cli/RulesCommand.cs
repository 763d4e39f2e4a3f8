using System.CommandLine;
using SupplyOracle.Aggregator.Cli.Internal;
using SupplyOracle.Rules;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Cli;

/// <summary>
/// <c>supplyoracle-aggregator rules eval --input FILE|-</c>: the what-if tool for operators and governance. It runs
/// the rules of docs/protocol.md section 5 on parameters, per-token oracle state and plain observations given as JSON, and
/// prints the report and every token's outcome as JSON (schema in README.md, "Rules what-if").
/// <c>rules eval --round N --from URL</c> replays a round from an aggregator's audit trail instead (README "Round
/// audit"): signatures checked, section 5 re-run, the report digest compared with the proposed one.
/// </summary>
public static class RulesCommand
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for bad input: unreadable file, malformed JSON, or values the protocol does not allow.</summary>
    public const int BadInput = 2;

    /// <summary>Exit code of a replay that does not reproduce the proposed report (or has a signature that does not verify).</summary>
    public const int NotReproduced = 3;

    /// <summary>Builds the <c>rules</c> command; <paramref name="stdin"/> is read for <c>--input -</c>.</summary>
    public static Command Create(TextReader stdin)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        var input = new Option<string>("--input", "-i")
        {
            Description = "JSON file with parameters, state and observations, or - for standard input",
        };
        var round = new Option<ulong?>("--round")
        {
            Description = "Replay this round from an aggregator's audit trail (with --from)",
        };
        var from = new Option<string>("--from")
        {
            Description = "The aggregator's HTTP API URL (or the audit URL itself) to fetch the round's audit trail from",
        };
        var eval = new Command("eval", "Evaluate the rules (docs/protocol.md section 5) on a JSON input, or replay a committed round, and print the report and outcomes")
        {
            input, round, from,
        };
        eval.SetAction((parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetValue(input);
            var replay = parseResult.GetValue(round);
            var url = parseResult.GetValue(from);
            return (path, replay, url) switch
            {
                ({ } p, null, null) => EvalAsync(p, stdin, output, error, cancellationToken),
                (null, { } r, { } u) => ReplayAsync(r, u, output, error, cancellationToken),
                _ => UsageAsync(error),
            };
        });

        return new Command("rules", "What-if evaluation of the supply oracle rules") { eval };
    }

    private static async Task<int> UsageAsync(TextWriter error)
    {
        await error.WriteLineAsync("error: give either --input FILE|- (what-if) or both --round N and --from URL (replay a round)").ConfigureAwait(false);
        return BadInput;
    }

    private static async Task<int> ReplayAsync(ulong round, string from, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ReplayResult result;
        try
        {
            var url = RoundReplay.AuditUrl(from, round);
            string json;
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) })
            {
                using var response = await http.GetAsync(url, cancellationToken).ConfigureAwait(false);
                json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    await error.WriteLineAsync($"error: --from: {url} answered {(int)response.StatusCode}: {json}").ConfigureAwait(false);
                    return BadInput;
                }
            }

            result = RoundReplay.Replay(round, json);
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"error: --from: cannot fetch the audit of round {round} from '{from}': {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync($"error: --from: '{from}' did not answer within 60 s").ConfigureAwait(false);
            return BadInput;
        }
        catch (Exception ex) when (ex is JsonInputException or RulesInputException or FormatException or ArgumentException)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }

        await output.WriteLineAsync(result.Output.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
        if (!result.Reproduced)
        {
            await error.WriteLineAsync($"error: round {round} does not reproduce: report digest {result.Output["reportDigest"]} vs proposed {result.Output["proposedReportDigest"]}; refused: {result.Output["refused"]?.ToJsonString()}").ConfigureAwait(false);
            return NotReproduced;
        }

        return Ok;
    }

    private static async Task<int> EvalAsync(string path, TextReader stdin, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = path == "-"
                ? await stdin.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
                : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: --input: cannot read '{path}': {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }

        RulesResult result;
        try
        {
            result = RulesEngine.Evaluate(RulesJsonReader.Read(json));
        }
        catch (JsonInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }
        catch (RulesInputException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return BadInput;
        }

        await output.WriteLineAsync(RulesJsonWriter.Write(result)).ConfigureAwait(false);
        return Ok;
    }
}
