/** The cluster's SQL (cluster/pg-store.ts runs it). */

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS updates (
  doc text NOT NULL,
  seq bigint NOT NULL,
  time bigint NOT NULL,
  member text NOT NULL,
  token text NOT NULL,
  clients text NOT NULL,
  node text NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (doc, seq)
);
CREATE TABLE IF NOT EXISTS doc_heads (
  doc text PRIMARY KEY,
  seq bigint NOT NULL,
  bytes bigint NOT NULL,
  last_time bigint NOT NULL
);
-- Rows that relay doc repair left out (cluster/pg-repair.ts): kept for the trace, never loaded.
CREATE TABLE IF NOT EXISTS skipped_updates (
  doc text NOT NULL,
  seq bigint NOT NULL,
  reason text NOT NULL,
  time bigint NOT NULL,
  PRIMARY KEY (doc, seq)
);
CREATE TABLE IF NOT EXISTS checkpoints (
  doc text PRIMARY KEY,
  seq bigint NOT NULL,
  data bytea NOT NULL
);
-- Who first wrote each Yjs client id up to the checkpoint, [[client, member], …]: a room loads
-- from the checkpoint and the rows after it, never every row's clients. NULL in checkpoints
-- written before the column existed (those loads read the whole log's clients).
ALTER TABLE checkpoints ADD COLUMN IF NOT EXISTS owners text;
CREATE TABLE IF NOT EXISTS tokens (
  id text PRIMARY KEY,
  workspace text NOT NULL,
  member text NOT NULL,
  access text NOT NULL CHECK (access IN ('read', 'write')),
  secret_hash bytea NOT NULL,
  created_at bigint NOT NULL,
  revoked_at bigint
);
CREATE INDEX IF NOT EXISTS tokens_by_workspace ON tokens (workspace);
`

/** Rows a repair marked are left out of everything a room is built from (as in SQLite). */
export const NOT_SKIPPED =
  'NOT EXISTS (SELECT 1 FROM skipped_updates s WHERE s.doc = updates.doc AND s.seq = updates.seq)'

/** Milliseconds since the epoch by the database's clock: the one clock every node shares. */
export const NOW_MS = '(extract(epoch from clock_timestamp()) * 1000)::bigint'

/**
 * The group commit (PgStore.append). `locked` takes the heads' row locks in document order (no
 * deadlock between nodes) and reads the current heads; `h` moves only the heads that equal the
 * node's expected one; `ins` writes the rows of exactly those documents.
 */
export const APPEND = `
WITH locked AS (
  SELECT doc, seq FROM doc_heads WHERE doc = ANY($1::text[]) ORDER BY doc FOR UPDATE
), h AS (
  UPDATE doc_heads d SET seq = v.seq, bytes = d.bytes + v.bytes, last_time = GREATEST(${NOW_MS}, d.last_time)
  FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) AS v(doc, expected, seq, bytes)
  JOIN locked l ON l.doc = v.doc AND l.seq = v.expected
  WHERE d.doc = v.doc
  RETURNING d.doc, d.last_time
), ins AS (
  INSERT INTO updates (doc, seq, time, member, token, clients, node, data)
  SELECT r.doc, r.seq, h.last_time, r.member, r.token, r.clients, $5, r.data
  FROM unnest($6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::bytea[])
    AS r(doc, seq, member, token, clients, data)
  JOIN h ON h.doc = r.doc
)
SELECT l.doc, l.seq, h.doc IS NOT NULL AS written FROM locked l LEFT JOIN h ON h.doc = l.doc`
