using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Aggregator.Tests.Cli;

/// <summary><c>supplyoracle-aggregator rules eval</c>, run in-process through <see cref="Program.RunAsync"/> and as a process.</summary>
public sealed class RulesCommandTests
{
    private static readonly Lazy<string> ReadmeText = new(() => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")));

    /// <summary>The input example of the README section, so the documentation is tested as it is written.</summary>
    private static string ReadmeExample
    {
        get
        {
            var text = ReadmeText.Value;
            var section = text.IndexOf("## Rules what-if (`supplyoracle-aggregator rules eval`)", StringComparison.Ordinal);
            Assert.True(section >= 0, "README.md has no rules what-if section");
            var start = text.IndexOf("```json\n", section, StringComparison.Ordinal) + "```json\n".Length;
            return text[start..text.IndexOf("```", start, StringComparison.Ordinal)];
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string stdin, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Program.RunAsync(args, new StringReader(stdin), output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task RulesEval_ReadmeExampleOnStdin_PrintsDocumentedOutcomes()
    {
        var (code, output, error) = await RunAsync(ReadmeExample, "rules", "eval", "--input", "-");

        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(["Commit", "Commit", "FrozenSupply", "NoQuorum"], json["outcomes"]!.AsArray().Select(o => (string)o!["reason"]!));
        Assert.True((bool)json["proposed"]!);
        Assert.Equal("1500000", (string)json["referenceBlock"]!);
        var first = json["outcomes"]![0]!;
        Assert.Equal("550000000000000000", (string)first["next"]!);
        Assert.True((bool)first["clamps"]!["stepHigh"]! && (bool)first["clamps"]!["anchorRolled"]!);
        Assert.Equal("300000000000000000", (string)json["report"]!["entries"]![1]!["factor"]!);
        // The README shows the output: its report bytes and first outcome must be what the command prints.
        var updates = (string)json["report"]!["updates"]!;
        Assert.Equal(3 * 45 * 2 + 2, updates.Length);
        Assert.Contains(updates, ReadmeText.Value, StringComparison.Ordinal);
        var firstIndented = first.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n    ");
        Assert.Contains(firstIndented, ReadmeText.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesEval_FileInput_SameOutputAsStdin()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rules-eval-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, ReadmeExample);
        try
        {
            var fromFile = await RunAsync("", "rules", "eval", "--input", path);
            var fromStdin = await RunAsync(ReadmeExample, "rules", "eval", "-i", "-");

            Assert.Equal(0, fromFile.Code);
            Assert.Equal(fromStdin.Output, fromFile.Output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RulesEval_OnlyCooldownTokens_NotProposedAndEmptyUpdates()
    {
        var input = JsonNode.Parse(ReadmeExample)!;
        input["referenceTime"] = "1699990001"; // one second after the commits: cooldown everywhere, first token too
        input["state"]!.AsArray().RemoveAt(2); // drop the supply dispute
        input["state"]!.AsArray().RemoveAt(1); // and the first commit
        input["observations"] = new JsonArray([.. input["observations"]!.AsArray().Take(3).Select(o => o!.DeepClone())]);

        var (code, output, _) = await RunAsync(input.ToJsonString(), "rules", "eval", "--input", "-");

        Assert.Equal(0, code);
        var json = JsonNode.Parse(output)!;
        Assert.False((bool)json["proposed"]!);
        Assert.Equal("0x", (string)json["report"]!["updates"]!);
        Assert.Equal("TooSoon", (string)json["outcomes"]![0]!["reason"]!);
    }

    /// <summary>
    /// Section 5 step 12: the README's third token (committed at 0.25 with circulating 42000000) observed with the same
    /// figures an hour later is Unchanged with the default heartbeat, and commits when <c>parameters.heartbeat</c> is the
    /// cooldown; a <c>supplyDeviationBps</c> of 10001 is refused naming the field.
    /// </summary>
    [Fact]
    public async Task RulesEval_SameFiguresBeforeHeartbeat_UnchangedNotProposedCommitsWithShortHeartbeat()
    {
        var input = JsonNode.Parse(ReadmeExample)!;
        input["referenceTime"] = "1699993600"; // an hour after the third token's commit
        var third = input["state"]![2]!.DeepClone();
        input["state"] = new JsonArray(third);
        input["observations"] = new JsonArray([.. input["observations"]!.AsArray().Skip(6).Select(o => o!.DeepClone())]);
        foreach (var o in input["observations"]!.AsArray())
        {
            o!["circulating"] = "42000000";
        }

        var (code, output, error) = await RunAsync(input.ToJsonString(), "rules", "eval", "--input", "-");
        Assert.True(code == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.False((bool)json["proposed"]!);
        Assert.Equal("Unchanged", (string)json["outcomes"]![0]!["reason"]!);
        Assert.Equal("250000000000000000", (string)json["outcomes"]![0]!["next"]!);
        Assert.False((bool)json["outcomes"]![0]!["inReport"]!);

        input["parameters"]!["heartbeat"] = "3600";
        (code, output, error) = await RunAsync(input.ToJsonString(), "rules", "eval", "--input", "-");
        Assert.True(code == 0, error);
        Assert.Equal("Commit", (string)JsonNode.Parse(output)!["outcomes"]![0]!["reason"]!);

        input["parameters"]!["supplyDeviationBps"] = "10001";
        (code, _, error) = await RunAsync(input.ToJsonString(), "rules", "eval", "--input", "-");
        Assert.Equal(2, code);
        Assert.StartsWith("error: parameters.supplyDeviationBps:", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "not json", "input" },
        { "unknown property", "parameters.minReporter" },
        { "missing reporters", "parameters.reporters" },
        { "missing referenceTime", "referenceTime" },
        { "exponent factor", "observations[0].factor" },
        { "factor above one", "observations[1].factor" },
        { "zero factor", "observations[1].factor" },
        { "negative circulating", "observations[2].circulating" },
        { "fraction", "round" },
        { "circulating above uint256", "observations[0].circulating" },
        { "bad checksum", "observations[0].token" },
        { "unregistered reporter", "observations[0].reporter" },
        { "duplicate observation", "observations[9]" },
        { "invalid parameter", "parameters.maxFactorDeltaBps" },
        { "minReporters above set", "parameters.minReporters" },
        { "reference block mismatch", "referenceBlock" },
        { "state inconsistent", "state[0].anchor" },
        { "duplicate property", "input" },
        { "wrong type", "state[1].initialized" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task RulesEval_BadInput_ExitCode2AndErrorNamesField(string broken, string field)
    {
        var input = JsonNode.Parse(ReadmeExample)!;
        var observations = input["observations"]!.AsArray();
        var text = broken switch
        {
            "not json" => "{ \"round\": ",
            "duplicate property" => ReadmeExample.Replace("\"round\": \"5000\",", "\"round\": \"5000\", \"round\": \"5001\",", StringComparison.Ordinal),
            _ => null,
        };
        switch (broken)
        {
            case "unknown property": input["parameters"]!["minReporter"] = 3; break;
            case "missing reporters": input["parameters"]!.AsObject().Remove("reporters"); break;
            case "missing referenceTime": input.AsObject().Remove("referenceTime"); break;
            case "exponent factor": observations[0]!["factor"] = "1e17"; break;
            case "factor above one": observations[1]!["factor"] = "1000000000000000001"; break;
            case "zero factor": observations[1]!["factor"] = "0"; break;
            case "negative circulating": observations[2]!["circulating"] = "-5"; break;
            case "fraction": input["round"] = JsonValue.Create(1.5); break;
            case "circulating above uint256": observations[0]!["circulating"] = "115792089237316195423570985008687907853269984665640564039457584007913129639936"; break;
            case "bad checksum": observations[0]!["token"] = "0xAbcdef0000000000000000000000000000000001"; break;
            case "unregistered reporter": observations[0]!["reporter"] = "0x00000000000000000000000000000000000000a9"; break;
            case "duplicate observation": observations.Add(observations[0]!.DeepClone()); break;
            case "invalid parameter": input["parameters"]!["maxFactorDeltaBps"] = 0; break;
            case "minReporters above set": input["parameters"]!["minReporters"] = 5; break;
            case "reference block mismatch": input["referenceBlock"] = "1500001"; break;
            case "state inconsistent": input["state"]![0]!["anchor"] = "0"; break;
            case "wrong type": input["state"]![1]!["initialized"] = "yes"; break;
        }

        var (code, output, error) = await RunAsync(text ?? input.ToJsonString(), "rules", "eval", "--input", "-");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"error: {field}: ", error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> IncompleteInputs => new()
    {
        // Issue 18 item 5: required state of an initialized token is never defaulted.
        { "committedAt", "state[0].committedAt", "is required when initialized is true" },
        { "anchorAt", "state[0].anchorAt", "is required when initialized is true" },
        { "circulating", "state[0].circulating", "is required when initialized is true" },
        { "factor", "state[0].factor", "is required when initialized is true" },
        { "anchor", "state[0].anchor", "is required when initialized is true" },
        { "initialized", "state[0].initialized", "\"initialized\": true" },
        { "initialized false with state", "state[0].initialized", "is false but" },
    };

    [Theory]
    [MemberData(nameof(IncompleteInputs))]
    public async Task RulesEval_InitializedTokenMissingState_ErrorNamesFieldNoDefault(string removed, string field, string message)
    {
        var input = JsonNode.Parse(ReadmeExample)!;
        var state = input["state"]![0]!.AsObject();
        if (removed == "initialized false with state")
        {
            state["initialized"] = false;
        }
        else
        {
            state.Remove(removed);
        }

        var (code, output, error) = await RunAsync(input.ToJsonString(), "rules", "eval", "--input", "-");

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.StartsWith($"error: {field}: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> RawParserInputs => new()
    {
        { "{ \"round\": ", "input", "line 1" },
        { "{ \"round\": \"5000\" \"x\": 1 }", "input", "line 1" },
        { "negative minReporters", "parameters.minReporters", "must be an unsigned integer" },
        { "negative divergence", "parameters.divergenceToleranceBps", "must be an unsigned integer" },
        { "negative round", "round", "must be an unsigned integer" },
    };

    [Theory]
    [MemberData(nameof(RawParserInputs))]
    public async Task RulesEval_ParserErrors_PlainMessagesNotDotNetText(string text, string field, string message)
    {
        var input = JsonNode.Parse(ReadmeExample)!;
        switch (text)
        {
            case "negative minReporters": input["parameters"]!["minReporters"] = -1; text = input.ToJsonString(); break;
            case "negative divergence": input["parameters"]!["divergenceToleranceBps"] = "-200"; text = input.ToJsonString(); break;
            case "negative round": input["round"] = "-5"; text = input.ToJsonString(); break;
        }

        var (code, _, error) = await RunAsync(text, "rules", "eval", "--input", "-");

        Assert.Equal(2, code);
        Assert.StartsWith($"error: {field}: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
        foreach (var raw in new[] { "LineNumber", "BytePositionInLine", "does not fit uint32", "expected an unsigned 64-bit integer (digits only)", "System." })
        {
            Assert.DoesNotContain(raw, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RulesEval_MissingFileOrOption_ExitCode2()
    {
        var missing = await RunAsync("", "rules", "eval", "--input", "/nonexistent/rules.json");
        var noOption = await RunAsync("", "rules", "eval");

        Assert.Equal((2, 2), (missing.Code, noOption.Code));
        Assert.StartsWith("error: --input: cannot read '/nonexistent/rules.json'", missing.Error, StringComparison.Ordinal);
        Assert.Contains("--input", noOption.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesEval_AsProcess_ReadsStdinAndExitsWithCode()
    {
        var ok = await RunProcessAsync(ReadmeExample);
        var bad = await RunProcessAsync("[]");

        Assert.True(ok.Code == 0, ok.Error);
        Assert.Equal(4, JsonNode.Parse(ok.Output)!["outcomes"]!.AsArray().Count);
        Assert.Equal(2, bad.Code);
        Assert.StartsWith("error: input: expected an object", bad.Error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> RunProcessAsync(string stdin)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "supplyoracle-aggregator.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { dll, "rules", "eval", "--input", "-" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
