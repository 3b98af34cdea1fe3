-- 050: one table for the versions of every document kind (src/doc/doc.h), moved without loss
-- from org_versions, event_versions and obstacle_versions. Those names stay as read-only views.

-- every edit of a document: who, when, which fields (old and new) and its editable fields after it.
-- seq grows with every insert: the change feed (search index catch-up, another node) follows it
-- per kind in order (a PostgreSQL store uses a sequence for the same).
CREATE TABLE doc_versions (
  seq        INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,                   -- 'organisation', 'event', 'obstacle', ...
  doc_id     INTEGER NOT NULL,
  version    INTEGER NOT NULL,
  user_id    INTEGER REFERENCES users(id),   -- NULL for the system (demo, import)
  at         TEXT NOT NULL,
  note       TEXT,                            -- e.g. "revert to 3"
  changes    TEXT NOT NULL,                   -- JSON {"field": [old, new], ...}
  snapshot   TEXT NOT NULL,                   -- JSON of the editable fields after this version
  UNIQUE (kind, doc_id, version)
) STRICT;
CREATE INDEX doc_versions_feed ON doc_versions(kind, seq);
CREATE INDEX doc_versions_user ON doc_versions(user_id) WHERE user_id IS NOT NULL;

-- each kind's rows in their original order, so each kind's feed keeps its order
INSERT INTO doc_versions (kind, doc_id, version, user_id, at, note, changes, snapshot)
  SELECT 'organisation', org_id, version, user_id, at, note, changes, snapshot FROM org_versions ORDER BY rowid;
INSERT INTO doc_versions (kind, doc_id, version, user_id, at, note, changes, snapshot)
  SELECT 'event', event_id, version, user_id, at, note, changes, snapshot FROM event_versions ORDER BY rowid;
INSERT INTO doc_versions (kind, doc_id, version, user_id, at, note, changes, snapshot)
  SELECT 'obstacle', obstacle_id, version, user_id, at, NULL, changes, snapshot FROM obstacle_versions ORDER BY rowid;

DROP TABLE org_versions;
DROP TABLE event_versions;
DROP TABLE obstacle_versions;

-- the old names, read-only, for reports and tools written against them
CREATE VIEW org_versions AS
  SELECT doc_id AS org_id, version, user_id, at, note, changes, snapshot FROM doc_versions WHERE kind = 'organisation';
CREATE VIEW event_versions AS
  SELECT doc_id AS event_id, version, user_id, at, note, changes, snapshot FROM doc_versions WHERE kind = 'event';
CREATE VIEW obstacle_versions AS
  SELECT doc_id AS obstacle_id, version, user_id, at, changes, snapshot FROM doc_versions WHERE kind = 'obstacle';
