-- The previous release's event store schema (src/EventStore, retired by issue 17), as its migrator created it in
-- schema "eventstore", with a few events: the upgrade test starts the Marten aggregator on it.
CREATE SCHEMA IF NOT EXISTS eventstore;
CREATE TABLE IF NOT EXISTS eventstore.schema_migrations (
                    version     int         PRIMARY KEY,
                    description text        NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now());
-- migration 1: streams, global log with head row, events, checkpoints
-- REFERENCES.md rule 3(a): one transactional head row; UPDATE … SET pos = pos + n RETURNING pos draws
-- positions under a row lock held until commit, so the global log is gap-free and in commit order.
CREATE TABLE eventstore.log_head (
    id  boolean PRIMARY KEY DEFAULT true CHECK (id),
    pos bigint  NOT NULL CHECK (pos >= 0));
INSERT INTO eventstore.log_head (id, pos) VALUES (true, 0);

-- One row per stream: locked by each append to it (per-stream concurrency in one atomic step, rule 1).
-- version is the last event's zero-based version; -1 only inside an append that creates the stream.
CREATE TABLE eventstore.streams (
    stream_id text   PRIMARY KEY,
    version   bigint NOT NULL CHECK (version >= -1));

-- UNIQUE(stream_id, version) stays as the last line of defence (rule 1); UNIQUE(event_id) makes ids
-- idempotency keys. No ON CONFLICT on this table, ever.
CREATE TABLE eventstore.events (
    position       bigint      NOT NULL CONSTRAINT events_pkey PRIMARY KEY,
    stream_id      text        NOT NULL,
    version        bigint      NOT NULL CHECK (version >= 0),
    event_id       uuid        NOT NULL CONSTRAINT events_event_id_key UNIQUE,
    event_type     text        NOT NULL,
    data           jsonb       NOT NULL,
    correlation_id uuid,
    causation_id   uuid,
    created_at     timestamptz NOT NULL,
    CONSTRAINT events_stream_version_key UNIQUE (stream_id, version));

-- Projection checkpoints: written in the same transaction as the projection's own writes (rule 5).
CREATE TABLE eventstore.checkpoints (
    name     text   PRIMARY KEY,
    position bigint NOT NULL CHECK (position >= 0));
INSERT INTO eventstore.schema_migrations (version, description) VALUES (1, 'streams, global log with head row, events, checkpoints');
-- migration 2: append_events: one round trip, custom SQLSTATEs, idempotent event ids
-- What an earlier append with these ids left: how many exist, whether they are exactly one run of this
-- stream in this order, and that run's last version and positions. EXECUTE plans it for each call:
-- PL/pgSQL caches plans per connection, and a generic plan made while the log was small (a seq scan of
-- events) would be kept as the log grows, making every call O(log size).
CREATE FUNCTION eventstore.prior_append(p_stream text, p_ids uuid[],
    OUT found_n int, OUT same_run boolean, OUT last_version bigint, OUT first_position bigint, OUT last_position bigint)
LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE 'SELECT count(*)::int,
                    coalesce(bool_and(e.stream_id = $2), false)
                        AND count(DISTINCT e.version - array_position($1, e.event_id)) = 1,
                    max(e.version), min(e.position), max(e.position)
               FROM eventstore.events e
              WHERE e.event_id = ANY ($1)'
       INTO found_n, same_run, last_version, first_position, last_position
      USING p_ids, p_stream;
END
$fn$;

CREATE FUNCTION eventstore.append_events(
    p_stream text, p_expected_kind int, p_expected_version bigint,
    p_ids uuid[], p_types text[], p_data jsonb[], p_correlation uuid[], p_causation uuid[],
    p_created timestamptz)
RETURNS TABLE (stream_version bigint, first_position bigint, last_position bigint, already_appended boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
    n        int := coalesce(cardinality(p_ids), 0);
    cur      bigint;
    row_id   tid;
    head     bigint;
    found_n  int; -- null until an earlier append with these ids is looked for
    same_run boolean;
    f_ver    bigint;
    f_min    bigint;
    f_max    bigint;
BEGIN
    IF n = 0 OR cardinality(p_types) <> n OR cardinality(p_data) <> n
       OR cardinality(p_correlation) <> n OR cardinality(p_causation) <> n THEN
        RAISE EXCEPTION 'append_events: the event arrays must be non-empty and of one length'
            USING ERRCODE = '22023';
    END IF;

    -- Lock the stream row (creating it at -1 when new) and read its version: one statement. The lock also
    -- makes a retry wait for a first attempt still committing, so the idempotency checks below see it.
    INSERT INTO eventstore.streams AS st (stream_id, version) VALUES (p_stream, -1)
    ON CONFLICT (stream_id) DO UPDATE SET version = st.version
    RETURNING st.version, st.ctid INTO cur, row_id;

    -- Expected version (0 Any, 1 NoStream, 2 StreamExists, 3 Exact), against the locked row. A refused
    -- append may be the retry of one that committed (its expectation is stale now): idempotency first
    -- (REFERENCES.md rule 2), so the retry gets the original result.
    IF NOT (p_expected_kind = 0
            OR (p_expected_kind = 1 AND cur = -1)
            OR (p_expected_kind = 2 AND cur >= 0)
            OR (p_expected_kind = 3 AND cur = p_expected_version)) THEN
        SELECT * INTO found_n, same_run, f_ver, f_min, f_max FROM eventstore.prior_append(p_stream, p_ids);
        IF found_n = 0 THEN
            RAISE EXCEPTION 'append to % expected version kind % (%), stream is at %',
                p_stream, p_expected_kind, p_expected_version, cur
                USING ERRCODE = 'SOE01', HINT = cur::text;
        END IF;
    ELSE
        BEGIN
            -- By the locked row's ctid (a TID scan whatever the table's size: a cached generic plan cannot
            -- turn into a scan of all streams).
            UPDATE eventstore.streams SET version = cur + n WHERE ctid = row_id;
            -- Draw n positions from the head row; its lock serializes appends until commit (rule 3(a)).
            -- Taken last, so only the insert and the commit run under it.
            UPDATE eventstore.log_head SET pos = pos + n WHERE id RETURNING pos INTO head;
            -- A reused event id is caught by the event_id key: the one check, made by the insert itself.
            INSERT INTO eventstore.events
                (position, stream_id, version, event_id, event_type, data, correlation_id, causation_id, created_at)
            SELECT head - n + i.ord, p_stream, cur + i.ord, i.id, i.t, i.d, i.c, i.k, p_created
              FROM unnest(p_ids, p_types, p_data, p_correlation, p_causation) WITH ORDINALITY AS i(id, t, d, c, k, ord);
        EXCEPTION WHEN unique_violation THEN
            -- Everything in this block is undone (no position drawn); only a reused id is ours to explain.
            SELECT * INTO found_n, same_run, f_ver, f_min, f_max FROM eventstore.prior_append(p_stream, p_ids);
            IF found_n = 0 THEN
                RAISE;
            END IF;
        END;
    END IF;

    IF found_n IS NOT NULL THEN
        -- Exactly these ids, as one run of this stream in this order: the original result. Else an error.
        IF found_n = n AND same_run THEN
            RETURN QUERY SELECT f_ver, f_min, f_max, true;
            RETURN;
        ELSIF found_n = n THEN
            RAISE EXCEPTION 'append to % repeats event ids of a different append', p_stream
                USING ERRCODE = 'SOE03';
        END IF;
        RAISE EXCEPTION 'append to % repeats % of its % event ids', p_stream, found_n, n
            USING ERRCODE = 'SOE02';
    END IF;

    -- Only wakes pollers (rule 5): delivered at commit, never used for ordering.
    PERFORM pg_notify('eventstore_appended', head::text);
    RETURN QUERY SELECT cur + n, head - n + 1, head, false;
END
$fn$;
INSERT INTO eventstore.schema_migrations (version, description) VALUES (2, 'append_events: one round trip, custom SQLSTATEs, idempotent event ids');
-- Round 7: one accepted batch and the opening, as the previous release appended them.
UPDATE eventstore.log_head SET pos = 2;
INSERT INTO eventstore.streams (stream_id, version) VALUES ('round-7', 1);
INSERT INTO eventstore.events (position, stream_id, version, event_id, event_type, data, created_at) VALUES
  (1, 'round-7', 0, '0190a0b0-0000-8000-8000-000000000001', 'round-opened.v1',
   '{"round":7,"referenceBlock":28,"head":29,"closeBy":1700000000,"reporters":5}', '2026-11-30T10:00:00Z'),
  (2, 'round-7', 1, '0190a0b0-0000-8000-8000-000000000002', 'round-abandoned.v1',
   '{"round":7,"reason":"too old"}', '2026-11-30T10:01:00Z');
