using JasperFx.Events;
using Marten;
using SupplyOracle.Aggregator.Intake;
using SupplyOracle.Aggregator.Projections.Documents;
using SupplyOracle.Aggregator.Rounds;
using SupplyOracle.Aggregator.Transmission;
using SupplyOracle.Contracts.Bindings.Primitives;
using SupplyOracle.Rules.Encoding;

namespace SupplyOracle.Aggregator.Projections.Internal;

/// <summary>
/// One daemon page of <see cref="QueryProjection"/>: the documents its events touch, loaded in two batched reads
/// (<see cref="LoadAsync"/>), changed in memory event by event (<see cref="ApplyAll"/>) and stored once each
/// (<see cref="Store"/>) in the page's transaction.
/// </summary>
internal sealed partial class QueryPage(string projection, IReadOnlyList<IEvent> events)
{
    private readonly object?[] _parsed = new object?[events.Count];
    private readonly Dictionary<long, RoundDocument> _rounds = [];
    private readonly Dictionary<long, RoundTimelineDocument> _timelines = [];
    private readonly Dictionary<long, RoundTokensDocument> _roundTokens = [];
    private readonly Dictionary<long, RoundObservationsDocument> _observations = [];
    private readonly HashSet<long> _observationsDeleted = [];
    private readonly Dictionary<string, IReadOnlyList<TokenObservation>> _decoded = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, TokenDocument> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TokenHistoryDocument> _histories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReporterDocument> _reporters = new(StringComparer.Ordinal);
    private readonly HashSet<object> _dirty = new(ReferenceEqualityComparer.Instance);
    private QueryTotalsDocument _totals = new();

    /// <summary>Parses the page's payloads and loads every document they touch.</summary>
    public async Task LoadAsync(IQuerySession session, CancellationToken cancellationToken)
    {
        var rounds = new HashSet<long>();
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        var reporters = new HashSet<string>(StringComparer.Ordinal);
        var roundsEnding = new HashSet<long>();
        var roundsClosing = new HashSet<long>();
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            _parsed[i] = Parse(e);
            switch (e.Data)
            {
                case ObservationAccepted a:
                    reporters.Add(Key(a.Reporter));
                    break;
                case ObservationRejected r:
                    if (Signer(r) is { } signer)
                    {
                        reporters.Add(signer);
                    }

                    break;
                case EquivocationDetected q:
                    reporters.Add(Key(q.Reporter));
                    break;
                case RoundClosed:
                    roundsClosing.Add(Db(RoundOfEvent(e.Data)!.Value));
                    tokens.UnionWith(((IReadOnlyList<Outcome>)_parsed[i]!).Select(o => o.Token));
                    break;
                case RoundProposed:
                    tokens.UnionWith(((IReadOnlyList<Update>)_parsed[i]!).Select(u => u.Token));
                    break;
                case TransmissionIntended t:
                    reporters.UnionWith(t.Signers.Select(Key));
                    break;
                case RoundConfirmed or RoundAbandoned or RoundSuperseded or RoundFailed:
                    roundsEnding.Add(Db(RoundOfEvent(e.Data)!.Value));
                    break;
                default:
                    break;
            }

            if (RoundOf(e) is { } round)
            {
                rounds.Add(round);
            }
        }

        // Read 1: the rounds' documents and the totals.
        var ids = rounds.ToArray();
        var first = session.CreateBatchQuery();
        var roundDocs = first.LoadMany<RoundDocument>().ById(ids);
        var timelineDocs = first.LoadMany<RoundTimelineDocument>().ById(ids);
        var tokenDocs = first.LoadMany<RoundTokensDocument>().ById(ids);
        var observationDocs = first.LoadMany<RoundObservationsDocument>().ById(ids);
        var totals = first.Load<QueryTotalsDocument>(QueryTotalsDocument.TheId);
        await first.Execute(cancellationToken).ConfigureAwait(false);
        foreach (var d in await roundDocs.ConfigureAwait(false))
        {
            _rounds[d.Id] = d;
        }

        foreach (var d in await timelineDocs.ConfigureAwait(false))
        {
            _timelines[d.Id] = d;
        }

        foreach (var d in await tokenDocs.ConfigureAwait(false))
        {
            _roundTokens[d.Id] = d;
            if (roundsEnding.Contains(d.Id))
            {
                tokens.UnionWith(d.Tokens.Keys);
            }
        }

        foreach (var d in await observationDocs.ConfigureAwait(false))
        {
            _observations[d.Id] = d;
            if (roundsClosing.Contains(d.Id))
            {
                reporters.UnionWith(d.Batches.Keys);
            }
        }

        _totals = await totals.ConfigureAwait(false) ?? new QueryTotalsDocument();

        // Read 2: the tokens and reporters those rounds and events name.
        if (tokens.Count == 0 && reporters.Count == 0)
        {
            return;
        }

        var second = session.CreateBatchQuery();
        var tokenIds = tokens.ToArray();
        var tokenStates = second.LoadMany<TokenDocument>().ById(tokenIds);
        var histories = second.LoadMany<TokenHistoryDocument>().ById(tokenIds);
        var reporterDocs = second.LoadMany<ReporterDocument>().ById(reporters.ToArray());
        await second.Execute(cancellationToken).ConfigureAwait(false);
        foreach (var d in await tokenStates.ConfigureAwait(false))
        {
            _tokens[d.Id] = d;
        }

        foreach (var d in await histories.ConfigureAwait(false))
        {
            _histories[d.Id] = d;
        }

        foreach (var d in await reporterDocs.ConfigureAwait(false))
        {
            _reporters[d.Id] = d;
        }
    }

    /// <summary>Applies the page's events in log order.</summary>
    public void ApplyAll()
    {
        for (var i = 0; i < events.Count; i++)
        {
            Apply(events[i], _parsed[i]);
        }
    }

    /// <summary>Queues every changed document (and the deleted observations) on the page's unit of work.</summary>
    public void Store(IDocumentOperations operations)
    {
        StoreChanged(operations, _rounds.Values);
        StoreChanged(operations, _timelines.Values);
        StoreChanged(operations, _roundTokens.Values);
        StoreChanged(operations, _observations.Values);
        StoreChanged(operations, _tokens.Values);
        StoreChanged(operations, _histories.Values);
        StoreChanged(operations, _reporters.Values);
        StoreChanged(operations, [_totals]);
        foreach (var round in _observationsDeleted)
        {
            operations.Delete<RoundObservationsDocument>(round);
        }
    }

    private void StoreChanged<T>(IDocumentOperations operations, IEnumerable<T> documents)
        where T : notnull
    {
        var changed = documents.Where(d => _dirty.Contains(d)).ToArray();
        if (changed.Length > 0)
        {
            operations.Store(changed);
        }
    }

    private void Apply(IEvent e, object? parsed)
    {
        var recorded = new Recorded(e.Sequence, e.EventTypeName, e.Timestamp.ToUniversalTime(), e.StreamKey ?? e.StreamId.ToString());
        switch (e.Data)
        {
            case ObservationAccepted accepted:
                Accepted(recorded, accepted, (IReadOnlyList<TokenObservation>)parsed!);
                break;
            case ObservationRejected rejected:
                Rejected(rejected);
                break;
            case EquivocationDetected equivocation:
                Equivocation(recorded, equivocation);
                break;
            case RoundClosed closed:
                Closed(recorded, closed, (IReadOnlyList<Outcome>)parsed!);
                break;
            case RoundProposed proposed:
                Proposed(recorded, proposed, (IReadOnlyList<Update>)parsed!);
                break;
            case RoundAbandoned abandoned:
                Abandoned(recorded, abandoned);
                break;
            case TransmissionIntended intended:
                Intended(recorded, intended);
                break;
            case RoundConfirmed confirmed:
                Confirmed(recorded, confirmed);
                break;
            case RoundSuperseded superseded:
                Superseded(recorded, superseded);
                break;
            case RoundFailed failed:
                Failed(recorded, failed);
                break;
            case TransmissionReplaced replaced:
                Replaced(recorded, replaced);
                break;
            case TransmissionReorganised reorganised:
                Reorganised(recorded, reorganised);
                break;
            default:
                Unknown(recorded);
                break;
        }
    }

    /// <summary>Decodes what the projection needs of a payload (once per page); a body that does not fit fails the page.</summary>
    private object? Parse(IEvent e)
    {
        try
        {
            return e.Data switch
            {
                ObservationAccepted a => ObservationEncoding.Decode(Hex.Decode(a.Observations)),
                RoundClosed c => c.Outcomes.Select(ParseOutcome).ToList(),
                RoundProposed p => UpdateEncoding.Decode(Hex.Decode(p.Updates))
                    .Select(u => new Update(Key(u.Token), u.Circulating.ToString(System.Globalization.CultureInfo.InvariantCulture), u.Factor.Raw, (short)u.Status))
                    .ToList(),
                _ => null,
            };
        }
        catch (Exception ex) when (ex is MessageEncodingException or FormatException or ArgumentException)
        {
            throw new ProjectionEventException(projection, e.Sequence, e.EventTypeName, ex);
        }
    }

    /// <summary>RoundClosed outcomes are <c>token:in-report|left-out:reason</c> (RoundCloser).</summary>
    private static Outcome ParseOutcome(string outcome)
    {
        var parts = outcome.Split(':');
        if (parts.Length != 3 || !Address.TryParse(parts[0], out var token) || parts[1] is not ("in-report" or "left-out") || parts[2].Length == 0)
        {
            throw new FormatException($"outcome '{outcome}' is not token:in-report|left-out:reason");
        }

        return new Outcome(Key(token), parts[1], parts[2]);
    }

    /// <summary>The round a document of this page is about: the event's round, or for another type the round of its stream.</summary>
    private static long? RoundOf(IEvent e) =>
        RoundOfEvent(e.Data) is { } round ? Db(round) : QueryProjection.RoundOf(e.StreamKey ?? "");

    private static ulong? RoundOfEvent(object data) => data switch
    {
        ObservationAccepted a => a.Round,
        EquivocationDetected q => q.Round,
        RoundClosed c => c.Round,
        RoundProposed p => p.Round,
        RoundAbandoned a => a.Round,
        TransmissionIntended t => t.Round,
        RoundConfirmed c => c.Round,
        RoundSuperseded s => s.Round,
        RoundFailed f => f.Round,
        TransmissionReplaced r => r.Round,
        TransmissionReorganised r => r.Round,
        _ => null,
    };

    /// <summary>A rejection's recovered, registered signer as a key, or null (the claimed reporter field is unauthenticated).</summary>
    private static string? Signer(ObservationRejected rejected) =>
        rejected.RecoveredSigner is not null && Address.TryParse(rejected.RecoveredSigner, out var signer) ? Key(signer) : null;

    /// <summary>A document key of an address: lower-case 0x hex (ordinal order = the unsigned 160-bit order of docs/protocol.md section 2).</summary>
    internal static string Key(Address address) => Hex.Encode(address.ToArray());

    private static string Key(string address) => Key(Address.Parse(address));

    /// <summary>Protocol rounds, blocks and gas are uint64; they are stored as long (checked: a value past 2^63 is a bug upstream).</summary>
    private static long Db(ulong value) => checked((long)value);

    private void Touch(object document, long? position = null)
    {
        _dirty.Add(document);
        switch (document)
        {
            case RoundDocument r when position is { } p:
                r.UpdatedPosition = p;
                break;
            case TokenDocument t when position is { } p:
                t.UpdatedPosition = p;
                break;
            default:
                break;
        }
    }

    /// <summary>What the projection uses of an event's envelope.</summary>
    private sealed record Recorded(long Position, string Type, DateTimeOffset Created, string StreamId);

    private sealed record Outcome(string Token, string Kind, string Reason);

    private sealed record Update(string Token, string Circulating, ulong Factor, short Status);
}
