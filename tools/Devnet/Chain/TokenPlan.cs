using System.Numerics;
using System.Text;
using SupplyOracle.Contracts.Bindings.Crypto;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Devnet.Chain;

/// <summary>Who holds a slice of a token, and what the network knows about it.</summary>
internal enum HolderRole
{
    /// <summary>The project treasury: excluded at deployment (kind <c>treasury</c>).</summary>
    Treasury,

    /// <summary>A vesting contract: excluded at deployment (kind <c>vesting</c>).</summary>
    Vesting,

    /// <summary>A team wallet: excluded at deployment (kind <c>team</c>).</summary>
    Team,

    /// <summary>The burn address 0x…dEaD: excluded at deployment (kind <c>burn</c>).</summary>
    Burn,

    /// <summary>An exchange's cold wallet: excluded later through the governance CLI (kind <c>exchange-cold</c>).</summary>
    ExchangeCold,

    /// <summary>An exchange's hot wallet: circulating.</summary>
    ExchangeHot,

    /// <summary>A market maker's locked inventory: not in the registry, but the reporters know it (their free-float source).</summary>
    MarketMaker,

    /// <summary>One of many small holders: circulating.</summary>
    Community,
}

/// <summary>One holder's balance at deployment.</summary>
/// <param name="Label">A readable name (for logs and the summary).</param>
/// <param name="Role">What it is.</param>
/// <param name="Account">The address.</param>
/// <param name="Amount">The balance in the token's native units.</param>
internal sealed record Holding(string Label, HolderRole Role, Address Account, BigInteger Amount)
{
    /// <summary>The registry kind it is excluded with at deployment, or null (docs/protocol.md section 10 kinds).</summary>
    public string? DeploymentExclusionKind => Role switch
    {
        HolderRole.Treasury => "treasury",
        HolderRole.Vesting => "vesting",
        HolderRole.Team => "team",
        HolderRole.Burn => "burn",
        _ => null,
    };
}

/// <summary>A token of the local network and its holder distribution (amounts sum to <see cref="TotalSupply"/>).</summary>
/// <param name="Name">ERC-20 name.</param>
/// <param name="Symbol">ERC-20 symbol.</param>
/// <param name="Decimals">ERC-20 decimals.</param>
/// <param name="TotalSupply">Total supply in native units.</param>
/// <param name="Holdings">Every holder's balance.</param>
internal sealed record TokenPlan(string Name, string Symbol, byte Decimals, BigInteger TotalSupply, IReadOnlyList<Holding> Holdings)
{
    /// <summary>The burn address conventionally used by token projects.</summary>
    public static readonly Address BurnAddress = Address.Parse("0x000000000000000000000000000000000000dEaD");

    /// <summary>How many small holders each token gets.</summary>
    public const int CommunityHolders = 40;

    /// <summary>The four tokens of the local network, with shares (bps of supply) per role that resemble real launches.</summary>
    public static IReadOnlyList<TokenPlan> Default { get; } =
    [
        Create("Aurora Governance", "AUR", 18, 1_000_000_000, treasuryBps: 2_500, vestingBps: 2_000, teamBps: [400, 400, 400], burnBps: 200,
            exchangeColdBps: 1_000, exchangeHotBps: 500, marketMakerBps: 800),
        Create("Borealis Dollar Yield", "BDY", 6, 250_000_000, treasuryBps: 1_500, vestingBps: 1_000, teamBps: [300, 200], burnBps: 0,
            exchangeColdBps: 1_200, exchangeHotBps: 800, marketMakerBps: 500),
        Create("Cinder Network", "CND", 8, 21_000_000, treasuryBps: 3_000, vestingBps: 2_500, teamBps: [500, 500, 250, 250], burnBps: 500,
            exchangeColdBps: 600, exchangeHotBps: 400, marketMakerBps: 300),
        Create("Drift Protocol", "DRF", 18, 5_000_000_000, treasuryBps: 1_000, vestingBps: 3_500, teamBps: [600, 600], burnBps: 1_000,
            exchangeColdBps: 800, exchangeHotBps: 600, marketMakerBps: 1_200),
    ];

    /// <summary>The holding of a role (the first one when there are several).</summary>
    public Holding Of(HolderRole role) => Holdings.First(h => h.Role == role);

    /// <summary>
    /// Builds a distribution: each named role gets its share of <paramref name="wholeTokens"/> (bps of the supply), the
    /// rest goes to <see cref="CommunityHolders"/> small holders in unequal slices (weights 1..n), the last taking what
    /// integer division leaves, so the amounts sum to the total supply exactly.
    /// </summary>
    public static TokenPlan Create(string name, string symbol, byte decimals, long wholeTokens, int treasuryBps, int vestingBps, int[] teamBps,
        int burnBps, int exchangeColdBps, int exchangeHotBps, int marketMakerBps)
    {
        ArgumentNullException.ThrowIfNull(teamBps);
        var named = treasuryBps + vestingBps + teamBps.Sum() + burnBps + exchangeColdBps + exchangeHotBps + marketMakerBps;
        if (named >= 10_000 || new[] { treasuryBps, vestingBps, burnBps, exchangeColdBps, exchangeHotBps, marketMakerBps }.Concat(teamBps).Any(b => b < 0))
        {
            throw new ArgumentException($"{symbol}: shares must be non-negative and leave something for the community (named roles take {named} bps)");
        }

        var total = new BigInteger(wholeTokens) * BigInteger.Pow(10, decimals);
        var holdings = new List<Holding>();
        void Add(string label, HolderRole role, int bps, Address? account = null)
        {
            if (bps > 0)
            {
                holdings.Add(new Holding(label, role, account ?? Derive(symbol, label), total * bps / 10_000));
            }
        }

        Add("treasury", HolderRole.Treasury, treasuryBps);
        Add("vesting", HolderRole.Vesting, vestingBps);
        for (var i = 0; i < teamBps.Length; i++)
        {
            Add($"team-{i + 1}", HolderRole.Team, teamBps[i]);
        }

        Add("burn", HolderRole.Burn, burnBps, BurnAddress);
        Add("exchange-cold", HolderRole.ExchangeCold, exchangeColdBps);
        Add("exchange-hot", HolderRole.ExchangeHot, exchangeHotBps);
        Add("market-maker", HolderRole.MarketMaker, marketMakerBps);

        var rest = total - holdings.Aggregate(BigInteger.Zero, (sum, h) => sum + h.Amount);
        var weights = CommunityHolders * (CommunityHolders + 1) / 2;
        var given = BigInteger.Zero;
        for (var i = 1; i <= CommunityHolders; i++)
        {
            var amount = i == CommunityHolders ? rest - given : rest * i / weights;
            holdings.Add(new Holding($"holder-{i}", HolderRole.Community, Derive(symbol, $"holder-{i}"), amount));
            given += amount;
        }

        return new TokenPlan(name, symbol, decimals, total, holdings);
    }

    /// <summary>A deterministic address per token and label (keccak256 of a tag, last 20 bytes): nobody holds its key.</summary>
    public static Address Derive(string symbol, string label)
    {
        var hash = Keccak256.Hash(Encoding.UTF8.GetBytes($"supplyoracle devnet {symbol} {label}"));
        return new Address(hash.ToArray().AsSpan(12));
    }
}
