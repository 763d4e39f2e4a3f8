using System.CommandLine;
using SupplyOracle.Aggregator.Cli.Internal;
using SupplyOracle.Rules;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Aggregator.Cli;

/// <summary>
/// <c>supplyoracle-aggregator rules eval --input FILE|-</c>: the what-if tool for operators and governance. It runs
/// the rules of docs/protocol.md section 5 on parameters, per-token oracle state and plain observations given as JSON, and
/// prints the report and every token's outcome as JSON (schema in README.md, "Rules what-if").
/// </summary>
public static class RulesCommand
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code for bad input: unreadable file, malformed JSON, or values the protocol does not allow.</summary>
    public const int BadInput = 2;

    /// <summary>Builds the <c>rules</c> command; <paramref name="stdin"/> is read for <c>--input -</c>.</summary>
    public static Command Create(TextReader stdin)
    {
        ArgumentNullException.ThrowIfNull(stdin);
        var input = new Option<string>("--input", "-i")
        {
            Description = "JSON file with parameters, state and observations, or - for standard input",
            Required = true,
        };
        var eval = new Command("eval", "Evaluate the rules (docs/protocol.md section 5) on a JSON input and print the report and outcomes") { input };
        eval.SetAction((parseResult, cancellationToken) =>
            EvalAsync(parseResult.GetValue(input)!, stdin, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));

        return new Command("rules", "What-if evaluation of the supply oracle rules") { eval };
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
