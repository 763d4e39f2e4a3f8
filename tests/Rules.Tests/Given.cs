using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Rules.Tests;

/// <summary>Small builders for rules inputs: addresses from integers, factors from decimal strings.</summary>
internal static class Given
{
    public const ulong One = Wad.OneRaw;
    public const ulong Now = 1_700_000_000;
    public static readonly Hash32 ReferenceHash = Hash32.Parse("0x" + new string('a', 64));

    public static Address Addr(int n)
    {
        var bytes = new byte[20];
        bytes[0] = (byte)(n >> 24);
        bytes[17] = (byte)(n >> 16);
        bytes[18] = (byte)(n >> 8);
        bytes[19] = (byte)n;
        return new Address(bytes);
    }

    public static Address Token(int n) => Addr(0x7000 + n);

    public static Address Reporter(int n) => Addr(0x100 + n);

    public static IReadOnlyList<Address> Reporters(int count) => [.. Enumerable.Range(0, count).Select(Reporter)];

    /// <summary>
    /// Section 8 defaults, except the heartbeat equals the cooldown: once the cooldown has passed a token commits as
    /// steps 2 to 11 say (the examples of those steps); step 12's tests set the heartbeat they need.
    /// </summary>
    public static RulesParameters Params(int reporters = 5, int minReporters = 3) =>
        new() { Reporters = Reporters(reporters), MinReporters = minReporters, Heartbeat = 3_600 };

    public static ReportHeader Header(ulong now = Now, ulong round = 10, ulong roundBlocks = 300) =>
        new(new RoundId(round), round * roundBlocks, now, ReferenceHash);

    public static TokenState Committed(Address token, ulong factor, ulong committedAt = Now - 7_200, ulong? anchor = null,
        ulong anchorAt = Now - 3_600, ulong circulating = 1_000_000) =>
        new(token, new Wad(factor), committedAt, new Wad(anchor ?? factor), anchorAt, true, false, new TokenAmount(circulating));

    public static Observation Obs(int reporter, Address token, ulong factor, ulong circulating = 1_000_000) =>
        new(Reporter(reporter), token, new TokenAmount(circulating), new Wad(factor));

    /// <summary>Reporters 0..n-1 each observe <paramref name="token"/> with the given factors and one circulating value.</summary>
    public static IEnumerable<Observation> Factors(Address token, params ulong[] factors) =>
        factors.Select((f, i) => Obs(i, token, f));

    public static RulesInput Input(IEnumerable<TokenState> state, IEnumerable<Observation> observations,
        RulesParameters? parameters = null, ulong now = Now) =>
        new(Header(now), parameters ?? Params(), [.. state], [.. observations]);

    /// <summary>Evaluates a single token and returns its outcome.</summary>
    public static TokenOutcome Outcome(TokenState state, IEnumerable<Observation> observations, RulesParameters? parameters = null, ulong now = Now) =>
        RulesEngine.Evaluate(Input([state], observations, parameters, now)).Outcomes.Single(o => o.Token == state.Token);
}
