using System.Globalization;
using System.Numerics;
using Marten;
using SupplyOracle.Aggregator.Projections.Documents;
using SupplyOracle.Contracts.Bindings.Primitives;

namespace SupplyOracle.Aggregator.Query;

/// <summary>Rounds, reporters and changes.</summary>
public sealed partial class QueryReader
{
    /// <summary>Rounds strictly below <paramref name="beforeRound"/> (all when null), newest first, at most <paramref name="limit"/> (capped at <see cref="MaxRounds"/>).</summary>
    public Task<IReadOnlyList<RoundView>> ListRoundsAsync(ulong? beforeRound, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var before = beforeRound is { } b ? (long)Math.Min(b, long.MaxValue) : long.MaxValue;
        return ReadAsync<IReadOnlyList<RoundView>>("list rounds", async session =>
        {
            var rounds = await session.Query<RoundDocument>().Where(r => r.Id < before).OrderByDescending(r => r.Id).Take(Math.Min(limit, MaxRounds))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. rounds.Select(ToView)];
        });
    }

    /// <summary>One round with its timeline, or null when the log has no event of it.</summary>
    public Task<RoundDetail?> GetRoundAsync(ulong round, CancellationToken cancellationToken = default)
    {
        if (round > long.MaxValue)
        {
            return Task.FromResult<RoundDetail?>(null);
        }

        return ReadAsync("get round", async session =>
        {
            var batch = session.CreateBatchQuery();
            var state = batch.Load<RoundDocument>((long)round);
            var timeline = batch.Load<RoundTimelineDocument>((long)round);
            await batch.Execute(cancellationToken).ConfigureAwait(false);
            if (await state.ConfigureAwait(false) is not { } doc)
            {
                return null;
            }

            var entries = (await timeline.ConfigureAwait(false))?.Entries ?? [];
            return new RoundDetail(ToView(doc), [.. entries.Select(t => new RoundTimelineEntry(t.Position, t.Event, t.At, t.Detail))]);
        });
    }

    /// <summary>Every reporter seen in the log, ascending, with its rejections by reason.</summary>
    public Task<IReadOnlyList<ReporterView>> ListReportersAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ReporterView>>("list reporters", async session =>
        {
            var reporters = await session.Query<ReporterDocument>().ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. reporters.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => new ReporterView(Address.Parse(r.Id), r.BatchesAccepted,
                r.TokenObservations, (ulong?)r.LastObservedRound, r.Attestations, (ulong?)r.LastAttestedRound,
                r.MedianSamples == 0 ? null : (double)BigInteger.Parse(r.MedianDistanceBpsSum, CultureInfo.InvariantCulture) / r.MedianSamples,
                r.LastMedianDistanceBps, (ulong?)r.LastMedianRound, r.DisagreementRounds, r.Disagreements, r.Equivocations, (ulong?)r.LastEquivocationRound,
                new Dictionary<string, int>(r.Rejections, StringComparer.Ordinal)))];
        });

    /// <summary>
    /// Tokens and rounds whose documents changed after log position <paramref name="afterPosition"/>, and the position to
    /// pass next time. The reads are bounded by the position read first: a document that moves past it meanwhile is
    /// returned by the next call, so no change is lost between the reads.
    /// </summary>
    public async Task<QueryChanges> ChangesSinceAsync(long afterPosition, CancellationToken cancellationToken = default)
    {
        var upTo = await CurrentPositionAsync(cancellationToken).ConfigureAwait(false);
        if (upTo <= afterPosition)
        {
            return new QueryChanges(afterPosition, [], []);
        }

        return await ReadAsync("changes", async session =>
        {
            var batch = session.CreateBatchQuery();
            var tokens = batch.Query<TokenDocument>().Where(t => t.UpdatedPosition > afterPosition && t.UpdatedPosition <= upTo).ToList();
            var rounds = batch.Query<RoundDocument>().Where(r => r.UpdatedPosition > afterPosition && r.UpdatedPosition <= upTo).ToList();
            await batch.Execute(cancellationToken).ConfigureAwait(false);
            return new QueryChanges(upTo,
                [.. (await tokens.ConfigureAwait(false)).OrderBy(t => t.UpdatedPosition).ThenBy(t => t.Id, StringComparer.Ordinal).Select(ToView)],
                [.. (await rounds.ConfigureAwait(false)).OrderBy(r => r.UpdatedPosition).Select(ToView)]);
        }).ConfigureAwait(false);
    }

    /// <summary>The highest log position the projection's documents reflect (0 when empty): where a new watcher starts.</summary>
    public Task<long> CurrentPositionAsync(CancellationToken cancellationToken = default) =>
        ReadAsync("position", async session =>
        {
            var batch = session.CreateBatchQuery();
            var token = batch.Query<TokenDocument>().OrderByDescending(t => t.UpdatedPosition).FirstOrDefault();
            var round = batch.Query<RoundDocument>().OrderByDescending(r => r.UpdatedPosition).FirstOrDefault();
            await batch.Execute(cancellationToken).ConfigureAwait(false);
            return Math.Max((await token.ConfigureAwait(false))?.UpdatedPosition ?? 0, (await round.ConfigureAwait(false))?.UpdatedPosition ?? 0);
        });

    private static RoundView ToView(RoundDocument r) => new(
        (ulong)r.Id, (ulong?)r.ReferenceBlock, (ulong?)r.ReferenceTime, r.Phase, r.Batches, r.TokenObservations, r.Equivocators.Count, r.Attestations,
        r.ClosedAt, (ulong?)r.StateBlock, r.BatchesUsed, r.ProposedAt, r.ReportDigest, r.Updates, r.TransmittedAt,
        r.Sender is null ? null : Address.Parse(r.Sender), r.ConfirmedAt, r.TransactionHash, (ulong?)r.CommitBlock, (ulong?)r.GasUsed, r.Replacements,
        r.EndedAt, r.EndReason, r.FirstSeenAt);
}
