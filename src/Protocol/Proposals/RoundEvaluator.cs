using SupplyOracle.Protocol.Observations;
using SupplyOracle.Protocol.State;
using SupplyOracle.Rules.Batches;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Protocol.Proposals;

/// <summary>The result of <see cref="RoundEvaluator.Evaluate"/>.</summary>
/// <param name="Result">The engine's result: the report and every token's outcome.</param>
/// <param name="Selection">Which batches were used, dropped (other round, other header) or equivocating.</param>
/// <param name="Evidence">The signed batches the report was computed from, reporters ascending (the proposal's evidence).</param>
public sealed record RoundEvaluation(RulesResult Result, BatchSelectionResult Selection, IReadOnlyList<SignedBatch> Evidence)
{
    /// <summary>The report to propose.</summary>
    public Report Report => Result.Report;

    /// <summary>False when the report has no Commit and no Frozen entry: it is not proposed (docs/protocol.md section 5).</summary>
    public bool ShouldPropose => Result.ShouldPropose;
}

/// <summary>
/// The one computation both sides of docs/protocol.md section 6 run: the aggregator to build a report, every attesting
/// reporter to re-check it. Verified batches → <see cref="BatchSelection"/> (one batch per reporter, equivocators
/// dropped, section 5 Inputs) → <see cref="RulesEngine.Evaluate"/> on the snapshot read at <c>stateBlock</c>.
/// </summary>
public static class RoundEvaluator
{
    /// <summary>
    /// Evaluates round <paramref name="header"/> from verified batches. Throws <see cref="Rules.RulesInputException"/>
    /// when a batch's reporter is not in the snapshot's reporter set (verify batches against the same snapshot).
    /// </summary>
    public static RoundEvaluation Evaluate(OracleSnapshot snapshot, ReportHeader header, IEnumerable<SignedBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(batches);
        var signedByBatch = new Dictionary<ObservationBatch, SignedBatch>(ReferenceEqualityComparer.Instance);
        foreach (var b in batches)
        {
            ArgumentNullException.ThrowIfNull(b);
            signedByBatch.TryAdd(b.Batch, b);
        }

        var selection = BatchSelection.Select(header, signedByBatch.Keys);
        var result = RulesEngine.Evaluate(snapshot.ToRulesInput(header, selection.Observations));
        return new RoundEvaluation(result, selection, [.. selection.Used.Select(u => signedByBatch[u])]);
    }
}
