using System.Text.Json;
using Marten;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Projections.Documents;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Domain;

namespace SupplyOracle.Aggregator.Query;

/// <summary>Reads only the web dashboard needs (README "Dashboard"): series over rounds and the participation grid.</summary>
public sealed partial class QueryReader
{
    /// <summary>
    /// Every token's committed factor and circulating over the newest <paramref name="rounds"/> rounds the log knows,
    /// oldest first per token: the token history's entries whose report was confirmed (outcome <c>committed</c>). The
    /// entries are picked inside PostgreSQL (a JSON path over each <see cref="TokenHistoryDocument"/>), so a page reads only
    /// the points it draws.
    /// </summary>
    public async Task<IReadOnlyDictionary<Address, IReadOnlyList<CommittedPoint>>> CommittedSeriesAsync(int rounds, Address? token = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var histories = _store.Options.Schema.For(typeof(TokenHistoryDocument));
        var roundTable = _store.Options.Schema.For(typeof(RoundDocument));
        var rows = await ReadAsync("committed series", session => session.QueryAsync<string>($"""
            SELECT jsonb_build_object('token', h.id, 'round', e->'round', 'factor', e->'factor', 'circulating', e->'circulating')::text
              FROM {histories} h CROSS JOIN LATERAL jsonb_path_query(h.data, ?::jsonpath,
                   jsonb_build_object('min', (SELECT coalesce(max(id), 0) FROM {roundTable}) - ?)) e
             WHERE (?::text = '' OR h.id = ?::text)
            """, cancellationToken,
            "$.entries[*] ? (@.round > $min && @.outcome == \"committed\" && exists(@.factor))", (long)Math.Min(rounds, MaxRounds),
            token is { } t ? Key(t) : "", token is { } u ? Key(u) : "")).ConfigureAwait(false);
        return rows.Select(r => JsonSerializer.Deserialize<SeriesRow>(r, JsonOptions)!)
            .GroupBy(r => r.Token, StringComparer.Ordinal)
            .ToDictionary(g => Address.Parse(g.Key), g => (IReadOnlyList<CommittedPoint>)[.. g.OrderBy(r => r.Round)
                .Select(r => new CommittedPoint((ulong)r.Round, new Wad(r.Factor), Amount(r.Circulating)))]);
    }

    /// <summary>
    /// Who took part in the newest <paramref name="rounds"/> rounds: each reporter's accepted batch, its attestation
    /// carried by the commit, and its equivocation (docs/protocol.md section 5), from the rounds' documents.
    /// </summary>
    public Task<IReadOnlyList<Participation>> ParticipationAsync(int rounds, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        return ReadAsync<IReadOnlyList<Participation>>("participation", async session =>
        {
            var docs = await session.Query<RoundDocument>().OrderByDescending(r => r.Id).Take(Math.Min(rounds, MaxRounds))
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            return [.. docs.OrderByDescending(r => r.Id).SelectMany(r => r.Observers.Concat(r.Attesters).Concat(r.Equivocators)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(reporter => new Participation((ulong)r.Id, Address.Parse(reporter), r.Observers.Contains(reporter),
                    r.Attesters.Contains(reporter), r.Equivocators.Contains(reporter))))];
        });
    }

    /// <summary>
    /// The newest <paramref name="limit"/> equivocations (<c>equivocation-detected.v1</c> with their evidence) across all
    /// rounds, newest first: the timelines of the <paramref name="limit"/> rounds with the latest equivocations hold them all.
    /// </summary>
    public Task<IReadOnlyList<(ulong Round, RoundTimelineEntry Entry)>> RecentEquivocationsAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var take = Math.Min(limit, MaxRounds);
        return ReadAsync<IReadOnlyList<(ulong Round, RoundTimelineEntry Entry)>>("recent equivocations", async session =>
        {
            var rounds = await session.Query<RoundDocument>().Where(r => r.LastEquivocationPosition != null)
                .OrderByDescending(r => r.LastEquivocationPosition).Take(take).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
            if (rounds.Count == 0)
            {
                return [];
            }

            var timelines = await session.LoadManyAsync<RoundTimelineDocument>(cancellationToken, rounds.ToArray()).ConfigureAwait(false);
            return [.. timelines.SelectMany(t => t.Entries.Where(e => e.Event == IntakeEventNames.EquivocationDetected)
                    .Select(e => ((ulong)t.Id, new RoundTimelineEntry(e.Position, e.Event, e.At, e.Detail))))
                .OrderByDescending(x => x.Item2.Position).Take(take)];
        });
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>One committed point as the series query returns it.</summary>
    private sealed record SeriesRow(string Token, long Round, ulong Factor, string? Circulating);
}

/// <summary>A token's committed figures in one round.</summary>
/// <param name="Round">The round whose report was confirmed.</param>
/// <param name="Factor">The committed factor.</param>
/// <param name="Circulating">The committed circulating supply (native units), when the report carried it.</param>
public sealed record CommittedPoint(ulong Round, Wad Factor, TokenAmount? Circulating);

/// <summary>One reporter's part in one round.</summary>
/// <param name="Round">The round.</param>
/// <param name="Reporter">The reporter.</param>
/// <param name="Observed">An observation batch of it was accepted.</param>
/// <param name="Attested">The transmitted commit carried its attestation.</param>
/// <param name="Equivocated">It signed two different batches for the round.</param>
public sealed record Participation(ulong Round, Address Reporter, bool Observed, bool Attested, bool Equivocated);
