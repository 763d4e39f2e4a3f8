using SupplyOracle.Rules.Parameters;

namespace SupplyOracle.Rules.Engine.Internal;

/// <summary>
/// docs/protocol.md section 5 step 12, the commit policy (protocol 1.1): every stored update costs gas, so an update that
/// changes nothing a consumer would see waits for the heartbeat, and a token already frozen on chain is not frozen
/// again. Both are left out of the report and recorded off-chain (<see cref="OutcomeReason.Unchanged"/>,
/// <see cref="OutcomeReason.StillFrozen"/>).
/// </summary>
internal static class CommitPolicy
{
    /// <summary>Applies step 12 to the outcome of steps 2 to 11.</summary>
    public static TokenOutcome Apply(RulesParameters p, ulong now, TokenState state, TokenOutcome outcome)
    {
        switch (outcome.Reason)
        {
            case OutcomeReason.FrozenSupply or OutcomeReason.FrozenDivergence when state.Initialized && state.Frozen:
                // The frozen flag is already what consumers see; the freeze would store nothing new.
                return outcome with { Reason = OutcomeReason.StillFrozen, Update = null, NewState = null };
            case OutcomeReason.Commit when IsUnchanged(p, now, state, outcome):
                return outcome with { Reason = OutcomeReason.Unchanged, Update = null, NewState = null };
            default:
                return outcome;
        }
    }

    // next == prev, |c* - committedCirculating| * 10000 <= committedCirculating * supplyDeviationBps and the heartbeat
    // is not due (protocol 1.2: floor(now / heartbeat) == floor(committedAt / heartbeat), see HeartbeatDue). A token
    // frozen on chain is never Unchanged: its Commit clears the frozen flag, which consumers see (the step's own
    // premise: only an update that changes nothing visible waits).
    private static bool IsUnchanged(RulesParameters p, ulong now, TokenState state, TokenOutcome outcome)
    {
        if (!state.Initialized || state.Frozen || outcome.Update is not { } update || update.Factor != state.Factor)
        {
            return false;
        }

        var committed = state.Circulating.Value;
        var proposed = outcome.Figures.SupplyBase!.Value.Value;
        var change = proposed >= committed ? proposed - committed : committed - proposed;
        if (change * RulesParameters.BpsDenominator > committed * p.SupplyDeviationBps)
        {
            return false;
        }

        return !HeartbeatDue(p.Heartbeat, now, state.CommittedAt);
    }

    /// <summary>
    /// docs/protocol.md section 5 step 12 (protocol 1.2): the heartbeat of a token committed at <paramref name="committedAt"/>
    /// is due once <paramref name="now"/> lies in a later heartbeat period, <c>floor(now / heartbeat) &gt;
    /// floor(committedAt / heartbeat)</c>, periods counted from unix time 0. It is due whenever
    /// <c>now &gt;= committedAt + heartbeat</c> (so an unchanged token is still committed at least once per heartbeat),
    /// and at the same boundary for every token, so the heartbeats of all quiet tokens share one transaction.
    /// </summary>
    public static bool HeartbeatDue(ulong heartbeat, ulong now, ulong committedAt) => now / heartbeat > committedAt / heartbeat;
}
