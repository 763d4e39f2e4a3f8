using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace SupplyOracle.TestSupport;

/// <summary>How a test anvil mines.</summary>
/// <param name="BlockTimeSeconds">null: automine (a block per transaction); n: a block every n seconds.</param>
/// <param name="ChainId">The chain id (anvil's default is 31337).</param>
/// <param name="Accounts">How many funded dev accounts to create from the default mnemonic.</param>
/// <param name="ExtraArguments">More anvil arguments (for example <c>--code-size-limit</c>).</param>
/// <param name="LogFile">A file that receives anvil's output (the local network keeps it with the other logs), or null.</param>
public sealed record AnvilOptions(int? BlockTimeSeconds = null, ulong ChainId = 31337, int Accounts = 10, IReadOnlyList<string>? ExtraArguments = null,
    string? LogFile = null);

/// <summary>
/// A real anvil node on a free loopback port, for tests: deterministic accounts (anvil's default mnemonic), a ready
/// wait, snapshots for isolation and a way to reorganise the chain. Its own minimal JSON-RPC helper covers only the
/// node-control calls a fixture needs; production code talks to nodes through Contracts.Bindings.
/// </summary>
public sealed class AnvilNode : IAsyncDisposable
{
    /// <summary>The funded dev accounts of anvil's default mnemonic ("test test … junk"), address and private key.</summary>
    public static readonly IReadOnlyList<(string Address, string PrivateKey)> DevAccounts =
    [
        ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
        ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
        ("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
        ("0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
        ("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
        ("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc", "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"),
        ("0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"),
        ("0x14dC79964da2C08b23698B3D3cc7Ca32193d9955", "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"),
        ("0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
        ("0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"),
    ];

    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly TiedProcess _process;
    private long _nextId;

    private AnvilNode(TiedProcess process, int port, AnvilOptions options)
    {
        _process = process;
        Port = port;
        Options = options;
        RpcUrl = new Uri($"http://127.0.0.1:{port}");
    }

    /// <summary>The JSON-RPC endpoint.</summary>
    public Uri RpcUrl { get; }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The options it was started with.</summary>
    public AnvilOptions Options { get; }

    /// <summary>Starts anvil and waits until it answers <c>eth_chainId</c>.</summary>
    public static async Task<AnvilNode> StartAsync(AnvilOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AnvilOptions();
        var anvil = RepoPaths.Foundry("anvil");
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            List<string> args =
            [
                "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
                "--chain-id", options.ChainId.ToString(CultureInfo.InvariantCulture),
                "--accounts", options.Accounts.ToString(CultureInfo.InvariantCulture),
                "--balance", "1000000",
            ];
            if (options.BlockTimeSeconds is { } bt)
            {
                args.AddRange(["--block-time", bt.ToString(CultureInfo.InvariantCulture)]);
            }

            args.AddRange(options.ExtraArguments ?? []);
            var process = TiedProcess.Start("anvil", anvil, args, logFile: options.LogFile);
            var node = new AnvilNode(process, port, options);
            try
            {
                await node.WaitReadyAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
                return node;
            }
            catch (AnvilException) when (attempt < 5 && !process.IsRunning)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await process.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Sends one JSON-RPC request and returns its result; a JSON-RPC error throws <see cref="AnvilException"/>.</summary>
    public async Task<JsonElement> RpcAsync(string method, params object?[] parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = method,
            ["params"] = JsonSerializer.SerializeToNode(parameters),
        };
        using var response = await s_http.PostAsJsonAsync(RpcUrl, request).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().ConfigureAwait(false);
        if (body.TryGetProperty("error", out var error))
        {
            throw new AnvilException($"{method} failed: {error}");
        }

        return body.GetProperty("result").Clone();
    }

    /// <summary>The chain id the node reports.</summary>
    public async Task<ulong> ChainIdAsync() => ParseQuantity(await RpcAsync("eth_chainId").ConfigureAwait(false));

    /// <summary>The latest block number.</summary>
    public async Task<ulong> BlockNumberAsync() => ParseQuantity(await RpcAsync("eth_blockNumber").ConfigureAwait(false));

    /// <summary>A block by number (transaction hashes only).</summary>
    public Task<JsonElement> BlockAsync(ulong number) => RpcAsync("eth_getBlockByNumber", Quantity(number), false);

    /// <summary>
    /// Waits for a transaction's receipt (anvil may answer eth_sendTransaction before the automined block is
    /// visible) and returns it; throws <see cref="AnvilException"/> after <paramref name="timeout"/>.
    /// </summary>
    public async Task<JsonElement> WaitForReceiptAsync(string transactionHash, TimeSpan? timeout = null)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var receipt = await RpcAsync("eth_getTransactionReceipt", transactionHash).ConfigureAwait(false);
            if (receipt.ValueKind != JsonValueKind.Null)
            {
                return receipt;
            }

            if (sw.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new AnvilException($"no receipt for {transactionHash} after {sw.Elapsed.TotalSeconds:F0} s");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a value transfer from an unlocked dev account and waits for its receipt.</summary>
    public async Task<JsonElement> SendValueAsync(string from, string to, ulong wei)
    {
        var hash = (await RpcAsync("eth_sendTransaction", new Dictionary<string, string>
        {
            ["from"] = from,
            ["to"] = to,
            ["value"] = Quantity(wei),
        }).ConfigureAwait(false)).GetString()!;
        return await WaitForReceiptAsync(hash).ConfigureAwait(false);
    }

    /// <summary>Mines <paramref name="blocks"/> blocks at once.</summary>
    public Task MineAsync(ulong blocks = 1) => RpcAsync("anvil_mine", Quantity(blocks));

    /// <summary>Takes a snapshot of the chain state; pass its id to <see cref="RevertAsync"/>.</summary>
    public async Task<string> SnapshotAsync() => (await RpcAsync("evm_snapshot").ConfigureAwait(false)).GetString()!;

    /// <summary>Reverts to a snapshot (which is consumed); false if the id is unknown.</summary>
    public async Task<bool> RevertAsync(string snapshotId) => (await RpcAsync("evm_revert", snapshotId).ConfigureAwait(false)).GetBoolean();

    /// <summary>
    /// Reorganises the chain: replaces the last <paramref name="depth"/> blocks with as many new blocks (with different
    /// hashes and without their transactions), keeping the height. Uses anvil_reorg.
    /// </summary>
    public Task ReorgAsync(ulong depth) => RpcAsync("anvil_reorg", depth, Array.Empty<object>());

    /// <summary>Switches automine on or off.</summary>
    public Task SetAutomineAsync(bool enabled) => RpcAsync("evm_setAutomine", enabled);

    /// <summary>Sets interval mining (0 turns it off).</summary>
    public Task SetIntervalMiningAsync(ulong seconds) => RpcAsync("evm_setIntervalMining", seconds);

    /// <summary>Moves the next block's timestamp forward.</summary>
    public Task IncreaseTimeAsync(ulong seconds) => RpcAsync("evm_increaseTime", seconds);

    /// <summary>The JSON-RPC quantity encoding (hex, no leading zeros).</summary>
    public static string Quantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>Parses a JSON-RPC quantity.</summary>
    public static ulong ParseQuantity(JsonElement value) =>
        ulong.Parse(value.GetString()!.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_process.IsRunning)
            {
                throw new AnvilException($"anvil exited with {_process.ExitCode} during start-up:\n{_process.RecentOutput}");
            }

            try
            {
                await ChainIdAsync().ConfigureAwait(false);
                return;
            }
            catch (HttpRequestException) when (sw.Elapsed < timeout)
            {
                await Task.Delay(25, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new AnvilException($"anvil on port {Port} not ready after {timeout.TotalSeconds} s: {e.Message}\n{_process.RecentOutput}");
            }
        }
    }
}

/// <summary>The test anvil failed to start or answered a control call with an error.</summary>
public sealed class AnvilException(string message) : Exception(message);

/// <summary>xunit class fixture: one automining anvil per test class.</summary>
public sealed class AnvilFixture : IAsyncLifetime
{
    /// <summary>The node.</summary>
    public AnvilNode Node { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Node = await AnvilNode.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await Node.DisposeAsync();
}
