using System.Text.RegularExpressions;
using Marten;
using SupplyOracle.Aggregator.Projections.Documents;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>
/// The PostgreSQL schema of the query documents (<c>Aggregator:Query:Schema</c>, default <c>aggregator_query</c>): Marten
/// creates their tables there at start (<c>ApplyAllDatabaseChangesOnStartup</c>), beside nothing else of ours.
/// </summary>
public sealed partial class QuerySchema
{
    /// <summary>The default schema name.</summary>
    public const string DefaultName = "aggregator_query";

    /// <summary>Creates the schema name <paramref name="schema"/> (a plain lower-case SQL identifier).</summary>
    /// <exception cref="ArgumentException">The name is not a plain identifier.</exception>
    public QuerySchema(string schema = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!IdentifierPattern().IsMatch(schema))
        {
            throw new ArgumentException($"A query schema name is a plain lower-case identifier ([a-z_][a-z0-9_]{{0,62}}); got '{schema}'.", nameof(schema));
        }

        Name = schema;
    }

    /// <summary>True when <paramref name="name"/> is a plain lower-case SQL identifier (safe to splice into SQL unquoted).</summary>
    internal static bool IsIdentifier(string name) => IdentifierPattern().IsMatch(name);

    /// <summary>The schema name.</summary>
    public string Name { get; }

    /// <summary>Maps the projection's documents into this schema, with the indexes the query API reads by.</summary>
    internal void Register(StoreOptions marten)
    {
        marten.Schema.For<RoundDocument>().DatabaseSchemaName(Name).Index(x => x.UpdatedPosition).Index(x => x.LastEquivocationPosition);
        marten.Schema.For<RoundTimelineDocument>().DatabaseSchemaName(Name);
        marten.Schema.For<RoundTokensDocument>().DatabaseSchemaName(Name);
        marten.Schema.For<RoundObservationsDocument>().DatabaseSchemaName(Name);
        marten.Schema.For<TokenDocument>().DatabaseSchemaName(Name).Index(x => x.UpdatedPosition);
        marten.Schema.For<TokenHistoryDocument>().DatabaseSchemaName(Name);
        marten.Schema.For<ReporterDocument>().DatabaseSchemaName(Name);
        marten.Schema.For<QueryTotalsDocument>().DatabaseSchemaName(Name);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}
