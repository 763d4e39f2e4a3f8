-- The previous release's query read model (main at 7752865: src/Aggregator/Projections/QuerySchema.cs, version 1), as it
-- created it in schema "aggregator_query" beside Marten's event tables, fed by the Marten projection "aggregator-query".
-- The upgrade test creates it over a Marten log, with that projection's checkpoint at the log's head.
CREATE SCHEMA IF NOT EXISTS aggregator_query;
CREATE TABLE IF NOT EXISTS aggregator_query.schema_version (id boolean PRIMARY KEY DEFAULT true CHECK (id), version int NOT NULL);
INSERT INTO aggregator_query.schema_version (id, version) VALUES (true, 1) ON CONFLICT (id) DO NOTHING;

-- One row per round: the latest phase and the figures of each lifecycle step (docs/protocol.md sections 5 and 6).
CREATE TABLE IF NOT EXISTS aggregator_query.rounds (
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
CREATE INDEX IF NOT EXISTS rounds_updated_position ON aggregator_query.rounds (updated_position);

-- Every event of a round stream, with its time: the round's timeline (unknown event types included).
CREATE TABLE IF NOT EXISTS aggregator_query.round_timeline (
    round      bigint NOT NULL,
    position   bigint NOT NULL,
    event_type text   NOT NULL,
    at         timestamptz NOT NULL,
    detail     text,
    PRIMARY KEY (round, position));

-- The accepted token observations of an open round, minus equivocators (section 5): the median and c* are taken
-- from here when the round closes, then its rows are deleted.
CREATE TABLE IF NOT EXISTS aggregator_query.round_observations (
    round       bigint  NOT NULL,
    reporter    bytea   NOT NULL,
    token       bytea   NOT NULL,
    circulating numeric(78) NOT NULL,
    factor      bigint  NOT NULL,
    PRIMARY KEY (round, token, reporter));

-- Per round and token, at close: the median factor (step 4) and the supply base c* (step 3).
CREATE TABLE IF NOT EXISTS aggregator_query.round_figures (
    round            bigint NOT NULL,
    token            bytea  NOT NULL,
    observations     int    NOT NULL,
    median           bigint NOT NULL,
    supply_base      numeric(78) NOT NULL,
    supply_base_count int   NOT NULL,
    PRIMARY KEY (round, token));

-- The proposed report's updates (section 7: token, circulating, factor, status).
CREATE TABLE IF NOT EXISTS aggregator_query.round_updates (
    round       bigint NOT NULL,
    token       bytea  NOT NULL,
    circulating numeric(78) NOT NULL,
    factor      bigint NOT NULL,
    status      smallint NOT NULL,
    PRIMARY KEY (round, token));

CREATE TABLE IF NOT EXISTS aggregator_query.round_equivocators (round bigint NOT NULL, reporter bytea NOT NULL, PRIMARY KEY (round, reporter));
CREATE TABLE IF NOT EXISTS aggregator_query.round_attesters (round bigint NOT NULL, reporter bytea NOT NULL, PRIMARY KEY (round, reporter));

-- Committed state per token as this aggregator saw it confirmed (section 9's factor, committedAt, frozen).
CREATE TABLE IF NOT EXISTS aggregator_query.tokens (
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
CREATE INDEX IF NOT EXISTS tokens_updated_position ON aggregator_query.tokens (updated_position);

-- One row per round that touched a token: the rules' outcome, then what became of the report.
CREATE TABLE IF NOT EXISTS aggregator_query.token_history (
    token       bytea  NOT NULL,
    round       bigint NOT NULL,
    outcome     text   NOT NULL,
    reason      text   NOT NULL,
    median      bigint,
    factor      bigint,
    circulating numeric(78),
    status      smallint,
    PRIMARY KEY (token, round));

CREATE TABLE IF NOT EXISTS aggregator_query.reporters (
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
CREATE TABLE IF NOT EXISTS aggregator_query.reporter_rejections (
    reporter bytea NOT NULL,
    reason   text  NOT NULL,
    count    int   NOT NULL,
    PRIMARY KEY (reporter, reason));

-- Event types this projection does not know (new ones appear as the aggregator grows): counted, not failed on.
CREATE TABLE IF NOT EXISTS aggregator_query.ignored_events (event_type text PRIMARY KEY, count bigint NOT NULL);

