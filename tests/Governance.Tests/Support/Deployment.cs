using System.Numerics;
using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.JsonRpc;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Contracts.Bindings.Transactions;
using SupplyOracle.TestSupport;

namespace SupplyOracle.Governance.Tests.Support;

/// <summary>
/// A real anvil with the contracts deployed from the artifacts through the generated bindings: registry (delay 1 h,
/// grace 1 day), oracle (one reporter, roundBlocks 1 so any past block can be a round), two listed TestTokens with
/// holders, and the reference consumer. Each test starts from the same state (<see cref="ResetAsync"/>).
/// </summary>
public sealed class Deployment : IAsyncLifetime
{
    public const ulong Delay = 3600;
    public const ulong Grace = 86_400;
    private static readonly HttpClient s_http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string _snapshot = "";

    public AnvilNode Node { get; private set; } = null!;
    public EthereumRpcClient Client { get; private set; } = null!;
    public SupplyOracleContract Oracle { get; private set; } = null!;
    public ExcludedAddressRegistryContract Registry { get; private set; } = null!;
    public FreeFloatWeightsContract Weights { get; private set; } = null!;
    public TestTokenContract TokenA { get; private set; } = null!;
    public TestTokenContract TokenB { get; private set; } = null!;
    public TransactionSender OwnerSender { get; private set; } = null!;

    public static PrivateKey Owner { get; } = Key(0);
    public static PrivateKey Guardian { get; } = Key(1);
    public static PrivateKey Stranger { get; } = Key(2);
    public static PrivateKey Reporter { get; } = Key(3);
    public static PrivateKey Transmitter { get; } = Key(6);
    public static Address HolderA { get; } = Key(4).Address;
    public static Address HolderB { get; } = Key(5).Address;
    public static BigInteger Whole { get; } = BigInteger.Pow(10, 18);

    public static SupplyOracleContract.Params DefaultParams { get; } = new(RoundBlocks: 1, MinReporters: 1, DivergenceToleranceBps: 200, MinCommitInterval: 60,
        MaxFactorDeltaBps: 1000, Window: 86_400, MaxWindowDeltaBps: 2500, ReportStaleAfter: 86_400, MaxCommitAge: 30 * 86_400, MaxReportAgeBlocks: 256);

    public async Task InitializeAsync()
    {
        Node = await AnvilNode.StartAsync();
        Client = new EthereumRpcClient(new HttpJsonRpcTransport(s_http, Node.RpcUrl));
        OwnerSender = Sender(Owner);
        Registry = await ExcludedAddressRegistryContract.DeployAsync(OwnerSender, Owner.Address, Guardian.Address, Delay, Grace);
        Oracle = await SupplyOracleContract.DeployAsync(OwnerSender, Owner.Address, Guardian.Address, Registry.Address, [Reporter.Address], DefaultParams);
        Weights = await FreeFloatWeightsContract.DeployAsync(OwnerSender, Oracle.Address);
        TokenA = await TestTokenContract.DeployAsync(OwnerSender, "Token A", "TKA", 18, Owner.Address);
        TokenB = await TestTokenContract.DeployAsync(OwnerSender, "Token B", "TKB", 6, Owner.Address);
        await TokenA.MintAsync(OwnerSender, HolderA, 600_000 * Whole);
        await TokenA.MintAsync(OwnerSender, HolderB, 400_000 * Whole);
        await TokenB.MintAsync(OwnerSender, HolderA, 2_000_000 * BigInteger.Pow(10, 6));
        await TokenB.MintAsync(OwnerSender, HolderB, 1_000_000 * BigInteger.Pow(10, 6));
        await Oracle.ListTokenAsync(OwnerSender, TokenA.Address);
        await Oracle.ListTokenAsync(OwnerSender, TokenB.Address);
        _snapshot = await Node.SnapshotAsync();
    }

    public async Task DisposeAsync() => await Node.DisposeAsync();

    /// <summary>Back to the state right after deployment.</summary>
    public async Task ResetAsync()
    {
        Assert.True(await Node.RevertAsync(_snapshot));
        _snapshot = await Node.SnapshotAsync();
        OwnerSender.ResetNonce();
    }

    public TransactionSender Sender(PrivateKey key) => new(Client, key, new SenderOptions
    {
        MaxFeePerGasCeiling = Wei.FromGwei(500),
        ConfirmationDepth = 1,
        PollInterval = TimeSpan.FromMilliseconds(50),
    });

    /// <summary>
    /// Commits a report signed by the reporter (docs/protocol.md sections 6 and 7) for the last mined block as round
    /// (roundBlocks = 1): updates of 45 bytes, tokens ascending, status 0 Commit.
    /// </summary>
    public async Task CommitAsync(params (Address Token, BigInteger Circulating, ulong Factor)[] updates)
    {
        await Node.MineAsync();
        var head = await Client.BlockNumberAsync();
        var reference = (await Client.GetBlockAsync(BlockId.AtNumber(head - 1)))!;
        var encoded = new byte[45 * updates.Length];
        var i = 0;
        foreach (var (token, circulating, factor) in updates.OrderBy(u => u.Token))
        {
            var slot = encoded.AsSpan(45 * i++, 45);
            token.CopyTo(slot[..20]);
            // circulating: uint128 big-endian, right-aligned in its 16 bytes.
            var value = circulating.ToByteArray(isUnsigned: true, isBigEndian: true);
            value.CopyTo(slot.Slice(36 - value.Length, value.Length));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(slot.Slice(36, 8), factor);
            slot[44] = 0;
        }

        var typed = new SupplyOracleTypedData(await Client.ChainIdAsync(), Oracle.Address);
        var digest = typed.ReportDigest(reference.Number, reference.Number, reference.Timestamp, reference.Hash, encoded);
        var signature = Reporter.Sign(digest).ToArray();
        // Any account may transmit (section 6); a fresh sender so nonces used by the CLI runs do not matter.
        var confirmed = await Oracle.CommitAsync(Sender(Transmitter), reference.Number, reference.Timestamp, reference.Hash, encoded, signature);
        var committed = SupplyOracleContract.CommittedEvent.TryDecode(confirmed.Receipt.Logs.Single(l => l.Topics[0] == SupplyOracleContract.CommittedEvent.Topic));
        Assert.Equal((BigInteger)updates.Length, committed!.Committed);
    }

    /// <summary>Moves the chain's clock forward and mines a block at the new time.</summary>
    public async Task AdvanceAsync(ulong seconds)
    {
        await Node.IncreaseTimeAsync(seconds);
        await Node.MineAsync();
    }

    public async Task<ulong> NowAsync() => (await Client.GetBlockAsync(BlockId.Latest))!.Timestamp;

    private static PrivateKey Key(int index) => PrivateKey.Parse(AnvilNode.DevAccounts[index].PrivateKey);
}
