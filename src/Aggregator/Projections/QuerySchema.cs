using System.Text.RegularExpressions;
using Npgsql;

namespace SupplyOracle.Aggregator.Projections;

/// <summary>
/// The query projection's tables, in a schema of their own (default <c>aggregator_query</c>), created idempotently by
/// <see cref="MigrateAsync"/>. Every table is owned by <see cref="QueryProjection"/>: emptied and replayed on a rebuild.
/// Addresses are stored as 20-byte <c>bytea</c> (byte order = the unsigned 160-bit order of docs/protocol.md section 2),
/// factors as <c>bigint</c> (WAD &lt;= 1e18 fits), circulating as <c>numeric(78)</c> (uint256).
/// </summary>
public sealed partial class QuerySchema
{
    /// <summary>The default schema name.</summary>
    public const string DefaultName = "aggregator_query";

    // Bumped when the DDL below changes: a rebuild is then required (the projection's checkpoint is reset).
    private const int Version = 1;

    /// <summary>Creates the schema names for <paramref name="schema"/> (a plain lower-case SQL identifier).</summary>
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

    /// <summary>The projection's tables, qualified.</summary>
    public IReadOnlyList<string> Tables =>
    [
        $"{Name}.rounds", $"{Name}.round_timeline", $"{Name}.round_observations", $"{Name}.round_figures", $"{Name}.round_updates",
        $"{Name}.round_equivocators", $"{Name}.round_attesters", $"{Name}.tokens", $"{Name}.token_history", $"{Name}.reporters",
        $"{Name}.reporter_rejections", $"{Name}.ignored_events",
    ];

    /// <summary>Replaces <c>{q}</c> in <paramref name="sql"/> by the schema name.</summary>
    internal string Sql(string sql) => sql.Replace("{q}", Name, StringComparison.Ordinal);

    /// <summary>
    /// Creates the schema and its tables if they do not exist (safe from every replica at once: one transaction under a
    /// transaction-level advisory lock keyed by the schema name).
    /// </summary>
    public async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var connectionScope = connection.ConfigureAwait(false);
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var transactionScope = transaction.ConfigureAwait(false);
        using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "supplyoracle-query-schema:" + Name });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        using (var command = new NpgsqlCommand(Sql(Ddl), connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();

    private static readonly string Ddl = $$"""
        CREATE SCHEMA IF NOT EXISTS {q};
        CREATE TABLE IF NOT EXISTS {q}.schema_version (id boolean PRIMARY KEY DEFAULT true CHECK (id), version int NOT NULL);
        INSERT INTO {q}.schema_version (id, version) VALUES (true, {{Version}}) ON CONFLICT (id) DO NOTHING;

        -- One row per round: the latest phase and the figures of each lifecycle step (docs/protocol.md sections 5 and 6).
        CREATE TABLE IF NOT EXISTS {q}.rounds (
            round              bigint PRIMARY KEY,
            reference_block    bigint,
            reference_time     bigint,
            phase              text   NOT NULL,
            batches            int    NOT NULL DEFAULT 0,
            token_observations int    NOT NULL DEFAULT 0,
            equivocations      int    NOT NULL DEFAULT 0,
            first_seen_at      timestamptz NOT NULL,
            closed_at          timestamptz,
            state_block        bigint,
            batches_used       int,
            proposed_at        timestamptz,
            proposal_id        text,
            report_digest      text,
            updates            int,
            attestations       int    NOT NULL DEFAULT 0,
            transmitted_at     timestamptz,
            sender             bytea,
            confirmed_at       timestamptz,
            tx_hash            text,
            commit_block       bigint,
            gas_used           bigint,
            replacements       int,
            ended_at           timestamptz,
            end_reason         text,
            updated_position   bigint NOT NULL);
        CREATE INDEX IF NOT EXISTS rounds_updated_position ON {q}.rounds (updated_position);

        -- Every event of a round stream, with its time: the round's timeline (unknown event types included).
        CREATE TABLE IF NOT EXISTS {q}.round_timeline (
            round      bigint NOT NULL,
            position   bigint NOT NULL,
            event_type text   NOT NULL,
            at         timestamptz NOT NULL,
            detail     text,
            PRIMARY KEY (round, position));

        -- The accepted token observations of an open round, minus equivocators (section 5): the median and c* are taken
        -- from here when the round closes, then its rows are deleted.
        CREATE TABLE IF NOT EXISTS {q}.round_observations (
            round       bigint  NOT NULL,
            reporter    bytea   NOT NULL,
            token       bytea   NOT NULL,
            circulating numeric(78) NOT NULL,
            factor      bigint  NOT NULL,
            PRIMARY KEY (round, token, reporter));

        -- Per round and token, at close: the median factor (step 4) and the supply base c* (step 3).
        CREATE TABLE IF NOT EXISTS {q}.round_figures (
            round            bigint NOT NULL,
            token            bytea  NOT NULL,
            observations     int    NOT NULL,
            median           bigint NOT NULL,
            supply_base      numeric(78) NOT NULL,
            supply_base_count int   NOT NULL,
            PRIMARY KEY (round, token));

        -- The proposed report's updates (section 7: token, circulating, factor, status).
        CREATE TABLE IF NOT EXISTS {q}.round_updates (
            round       bigint NOT NULL,
            token       bytea  NOT NULL,
            circulating numeric(78) NOT NULL,
            factor      bigint NOT NULL,
            status      smallint NOT NULL,
            PRIMARY KEY (round, token));

        CREATE TABLE IF NOT EXISTS {q}.round_equivocators (round bigint NOT NULL, reporter bytea NOT NULL, PRIMARY KEY (round, reporter));
        CREATE TABLE IF NOT EXISTS {q}.round_attesters (round bigint NOT NULL, reporter bytea NOT NULL, PRIMARY KEY (round, reporter));

        -- Committed state per token as this aggregator saw it confirmed (section 9's factor, committedAt, frozen).
        CREATE TABLE IF NOT EXISTS {q}.tokens (
            token            bytea PRIMARY KEY,
            factor           bigint,
            circulating      numeric(78),
            committed_at     bigint,
            frozen           boolean NOT NULL DEFAULT false,
            round            bigint,
            last_status      smallint,
            last_outcome     text,
            last_outcome_round bigint,
            updated_position bigint NOT NULL);
        CREATE INDEX IF NOT EXISTS tokens_updated_position ON {q}.tokens (updated_position);

        -- One row per round that touched a token: the rules' outcome, then what became of the report.
        CREATE TABLE IF NOT EXISTS {q}.token_history (
            token       bytea  NOT NULL,
            round       bigint NOT NULL,
            outcome     text   NOT NULL,
            reason      text   NOT NULL,
            median      bigint,
            factor      bigint,
            circulating numeric(78),
            status      smallint,
            PRIMARY KEY (token, round));

        CREATE TABLE IF NOT EXISTS {q}.reporters (
            reporter             bytea PRIMARY KEY,
            batches_accepted     int    NOT NULL DEFAULT 0,
            token_observations   bigint NOT NULL DEFAULT 0,
            last_observed_round  bigint,
            attestations         int    NOT NULL DEFAULT 0,
            last_attested_round  bigint,
            median_samples       bigint NOT NULL DEFAULT 0,
            median_distance_bps_sum numeric NOT NULL DEFAULT 0,
            last_median_distance_bps bigint,
            last_median_round    bigint,
            disagreement_rounds  int    NOT NULL DEFAULT 0,
            disagreements        int    NOT NULL DEFAULT 0,
            equivocations        int    NOT NULL DEFAULT 0,
            last_equivocation_round bigint);

        -- Rejected batches whose signer was recovered and registered, by reason (intake-rejections stream).
        CREATE TABLE IF NOT EXISTS {q}.reporter_rejections (
            reporter bytea NOT NULL,
            reason   text  NOT NULL,
            count    int   NOT NULL,
            PRIMARY KEY (reporter, reason));

        -- Event types this projection does not know (new ones appear as the aggregator grows): counted, not failed on.
        CREATE TABLE IF NOT EXISTS {q}.ignored_events (event_type text PRIMARY KEY, count bigint NOT NULL);
        """;
}
