using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace SupplyOracle.Devnet.Chaos;

/// <summary>
/// The chaos run's own JSON-RPC calls to anvil, with a short timeout (anvil may be paused by the run itself): the
/// head, nonces, mining control, and the blocks and receipts the checks read.
/// </summary>
internal sealed class ChainProbe(Uri rpc) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private long _id;

    /// <summary>The head, or null when anvil does not answer in time.</summary>
    public async Task<ulong?> TryHeadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return Quantity(await CallAsync("eth_blockNumber", [], cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary><c>eth_getTransactionCount</c> at <paramref name="tag"/> (latest or pending).</summary>
    public async Task<ulong> NonceAsync(string address, string tag, CancellationToken cancellationToken) =>
        Quantity(await CallAsync("eth_getTransactionCount", [address, tag], cancellationToken).ConfigureAwait(false));

    /// <summary>Interval mining every <paramref name="seconds"/> s; 0 stops mining (transactions stay in the pool).</summary>
    public Task SetIntervalMiningAsync(ulong seconds, CancellationToken cancellationToken) =>
        CallAsync("evm_setIntervalMining", [seconds], cancellationToken);

    /// <summary>Block <paramref name="number"/> with its transactions.</summary>
    public Task<JsonElement> BlockAsync(ulong number, CancellationToken cancellationToken) =>
        CallAsync("eth_getBlockByNumber", ["0x" + number.ToString("x", CultureInfo.InvariantCulture), true], cancellationToken);

    /// <summary>A receipt.</summary>
    public Task<JsonElement> ReceiptAsync(string hash, CancellationToken cancellationToken) =>
        CallAsync("eth_getTransactionReceipt", [hash], cancellationToken);

    /// <summary>Parses a hex quantity.</summary>
    public static ulong Quantity(JsonElement value) =>
        ulong.Parse(value.GetString()!.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    private async Task<JsonElement> CallAsync(string method, object[] parameters, CancellationToken cancellationToken)
    {
        var request = new { jsonrpc = "2.0", id = Interlocked.Increment(ref _id), method, @params = parameters };
        using var response = await _http.PostAsJsonAsync(rpc, request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new HttpRequestException($"{method}: {error}");
        }

        return document.RootElement.GetProperty("result").Clone();
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
