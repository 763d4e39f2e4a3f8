using SupplyOracle.Contracts.Bindings.Bindings;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.Verification;
using SupplyOracle.Rules.Domain;
using SupplyOracle.Rules.Engine;
using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Protocol.State;

/// <summary>One listed token as <c>SupplyOracle.tokenStates</c> returned it.</summary>
/// <param name="Token">The token.</param>
/// <param name="View">The contract's view (listed, initialized, frozen, paused, decimals, factor, times, circulating).</param>
public sealed record ListedToken(Address Token, SupplyOracleContract.TokenView View);

/// <summary>
/// Everything the rules of docs/protocol.md section 5 need from the oracle, read at ONE block (<see cref="BlockHash"/>,
/// pinned with EIP-1898 by <see cref="OracleStateReader"/>): parameters, reporter set, listed tokens and their state,
/// <c>lastRound</c> and the global pause. The aggregator's proposal names this block as <c>stateBlock</c>; an
/// attesting reporter reads the same block and must get the same snapshot.
/// </summary>
public sealed class OracleSnapshot
{
    /// <summary>Creates a snapshot; throws <see cref="Rules.RulesInputException"/> when the parameters break section 8.</summary>
    public OracleSnapshot(ulong blockNumber, Hash32 blockHash, ulong blockTime, SupplyOracleContract.Params contractParameters,
        IReadOnlyList<Address> reporters, IReadOnlyList<ListedToken> tokens, ulong lastRound, bool paused)
    {
        ArgumentNullException.ThrowIfNull(contractParameters);
        ArgumentNullException.ThrowIfNull(reporters);
        ArgumentNullException.ThrowIfNull(tokens);
        BlockNumber = blockNumber;
        BlockHash = blockHash;
        BlockTime = blockTime;
        ContractParameters = contractParameters;
        Reporters = new ReporterSet(reporters);
        Tokens = tokens;
        LastRound = lastRound;
        Paused = paused;
        Parameters = ToRulesParameters(contractParameters, Reporters.Addresses);
        Parameters.Validate();
        TokenStates = [.. tokens.Where(t => t.View.Listed && !t.View.Paused).OrderBy(t => t.Token).Select(t => ToTokenState(t.Token, t.View))];
    }

    /// <summary>The block the snapshot was read at (<c>stateBlock</c>).</summary>
    public ulong BlockNumber { get; }

    /// <summary>Its hash.</summary>
    public Hash32 BlockHash { get; }

    /// <summary>Its timestamp.</summary>
    public ulong BlockTime { get; }

    /// <summary>The parameters as the contract returned them.</summary>
    public SupplyOracleContract.Params ContractParameters { get; }

    /// <summary>The parameters and reporter set as the rules engine takes them (section 8).</summary>
    public RulesParameters Parameters { get; }

    /// <summary>The registered reporters.</summary>
    public ReporterSet Reporters { get; }

    /// <summary>Every listed token with the contract's view of it.</summary>
    public IReadOnlyList<ListedToken> Tokens { get; }

    /// <summary>
    /// The rules engine's state input, tokens ascending: every listed token that is not paused. A token the guardian
    /// paused is left out, so the engine treats it as unlisted and leaves it out of the report: the contract would
    /// skip its update with <c>Rejected(token, round, TOKEN_PAUSED)</c>.
    /// </summary>
    public IReadOnlyList<TokenState> TokenStates { get; }

    /// <summary>The last committed round; only a later round can be committed (section 6).</summary>
    public ulong LastRound { get; }

    /// <summary>True while the oracle is globally paused: every commit reverts.</summary>
    public bool Paused { get; }

    /// <summary>The checks a received batch gets against this snapshot (roundBlocks, reporters, optional canonical header).</summary>
    public BatchExpectations BatchExpectations(ReportHeader? canonical = null) => new(Parameters.RoundBlocks, Reporters, canonical);

    /// <summary>The engine's input for a round from these observations (see <see cref="Proposals.RoundEvaluator"/>).</summary>
    public RulesInput ToRulesInput(ReportHeader header, IReadOnlyList<Observation> observations) => new(header, Parameters, TokenStates, observations);

    /// <summary>The rules parameters of contract parameters and a reporter set.</summary>
    public static RulesParameters ToRulesParameters(SupplyOracleContract.Params p, IReadOnlyList<Address> reporters)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new RulesParameters
        {
            RoundBlocks = p.RoundBlocks,
            MinReporters = checked((int)p.MinReporters),
            DivergenceToleranceBps = checked((uint)p.DivergenceToleranceBps),
            MinCommitInterval = p.MinCommitInterval,
            MaxFactorDeltaBps = checked((uint)p.MaxFactorDeltaBps),
            Window = p.Window,
            MaxWindowDeltaBps = checked((uint)p.MaxWindowDeltaBps),
            ReportStaleAfter = p.ReportStaleAfter,
            MaxCommitAge = p.MaxCommitAge,
            MaxReportAgeBlocks = p.MaxReportAgeBlocks,
            Reporters = reporters,
        };
    }

    /// <summary>The rules engine's state of one token from the contract's view.</summary>
    public static TokenState ToTokenState(Address token, SupplyOracleContract.TokenView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new TokenState(token, new Wad(view.Factor), view.CommittedAt, new Wad(view.Anchor), view.AnchorAt, view.Initialized, view.Frozen,
            new TokenAmount(view.CommittedCirculating));
    }
}
