-- Projects can be followed (issue 14): notify_follows' target gets 'project'. SQLite cannot change
-- a CHECK in place, so the table is made again with the same rows (both stores).
CREATE TABLE notify_follows_new (
  user_id     INTEGER NOT NULL REFERENCES users(id),
  target      TEXT NOT NULL CHECK (target IN ('org','theme','event','series','obstacle','search','project')),
  target_key  TEXT NOT NULL,                   -- the id as text, or the saved search's query string
  created_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, target, target_key)
) STRICT, WITHOUT ROWID;
INSERT INTO notify_follows_new (user_id, target, target_key, created_at)
  SELECT user_id, target, target_key, created_at FROM notify_follows;
DROP TABLE notify_follows;
ALTER TABLE notify_follows_new RENAME TO notify_follows;
CREATE INDEX notify_follows_target ON notify_follows(target, target_key);
