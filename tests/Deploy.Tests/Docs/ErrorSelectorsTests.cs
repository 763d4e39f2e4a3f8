using System.Text;
using System.Text.Json;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Deploy.Tests.Support;

namespace SupplyOracle.Deploy.Tests.Docs;

/// <summary>
/// The Consumer guide lists every custom error of SupplyOracle and ExcludedAddressRegistry with its 4-byte selector
/// (issue 19 item 9), computed here from the compiled artifacts: keccak256 of the canonical signature, first 4 bytes.
/// </summary>
public sealed class ErrorSelectorsTests
{
    [Theory]
    [InlineData("SupplyOracle")]
    [InlineData("ExcludedAddressRegistry")]
    public void ConsumerGuide_EveryCustomError_IsListedWithItsSelectorAndTheAbiFileIsNamed(string contract)
    {
        var artifact = $"src/Contracts.Bindings/Artifacts/{contract}.json";
        using var document = JsonDocument.Parse(Repo.Read(artifact));
        var abi = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement : document.RootElement.GetProperty("abi");
        var errors = abi.EnumerateArray().Where(e => e.GetProperty("type").GetString() == "error").ToList();
        var readme = Repo.Read("README.md");

        Assert.NotEmpty(errors);
        Assert.Contains($"`{artifact}`", readme, StringComparison.Ordinal);
        Assert.All(errors, e =>
        {
            var signature = $"{e.GetProperty("name").GetString()}({string.Join(',', e.GetProperty("inputs").EnumerateArray().Select(Canonical))})";
            var selector = "0x" + Convert.ToHexStringLower(Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).ToArray().AsSpan(0, 4));
            Assert.Contains($"| {contract} | `{signature}` | `{selector}` |", readme, StringComparison.Ordinal);
        });
    }

    private static string Canonical(JsonElement input)
    {
        var type = input.GetProperty("type").GetString()!;
        return type.StartsWith("tuple", StringComparison.Ordinal)
            ? $"({string.Join(',', input.GetProperty("components").EnumerateArray().Select(Canonical))}){type["tuple".Length..]}"
            : type;
    }
}
