using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Engine;

namespace SupplyOracle.Rules.Batches;

/// <summary>
/// Reduces the signed batches an aggregator or reporter holds to the engine's input (docs/protocol.md section 5, Inputs):
/// at most one batch per reporter for the round; a reporter that signed two different batches for the round has
/// equivocated, and all its batches are dropped with the pair kept as evidence. Exact duplicates (gossip delivers the
/// same batch more than once) count once.
/// </summary>
public static class BatchSelection
{
    /// <summary>Selects the batches of <paramref name="header"/>'s round; the observations selected do not depend on input order.</summary>
    public static BatchSelectionResult Select(ReportHeader header, IEnumerable<ObservationBatch> batches)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var dropped = new List<DroppedBatch>();
        var firstByReporter = new SortedDictionary<Address, ObservationBatch>();
        var equivocations = new SortedDictionary<Address, Equivocation>();

        foreach (var batch in batches)
        {
            ArgumentNullException.ThrowIfNull(batch);
            if (batch.Header.Round != header.Round)
            {
                dropped.Add(new DroppedBatch(batch, BatchDropReason.OtherRound));
                continue;
            }

            // Any two different signed messages for one round are equivocation, whatever block they claim to be at.
            if (!firstByReporter.TryGetValue(batch.Reporter, out var first))
            {
                firstByReporter[batch.Reporter] = batch;
            }
            else if (!first.SameMessageAs(batch))
            {
                equivocations.TryAdd(batch.Reporter, new Equivocation(batch.Reporter, first, batch));
            }
        }

        var used = new List<ObservationBatch>();
        foreach (var (reporter, batch) in firstByReporter)
        {
            if (equivocations.ContainsKey(reporter))
            {
                dropped.Add(new DroppedBatch(batch, BatchDropReason.Equivocated));
            }
            else if (batch.Header != header)
            {
                dropped.Add(new DroppedBatch(batch, BatchDropReason.HeaderMismatch));
            }
            else
            {
                used.Add(batch);
            }
        }

        var observations = used
            .SelectMany(b => b.Observations.Select(o => new Observation(b.Reporter, o.Token, o.Circulating, o.Factor)))
            .ToArray();
        return new BatchSelectionResult(observations, used, equivocations.Values.ToArray(), dropped);
    }
}
