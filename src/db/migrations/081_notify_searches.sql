-- Saved searches (issue 14), owned by src/notify/: a user's search with its filters, kept to run
-- again and followed for what is new. The scope says what is searched: organisations ('org') now;
-- calls, testbeds, listings and posts join with their own scope and matcher (notify/searches.c).
CREATE TABLE notify_searches (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  scope       TEXT NOT NULL,                   -- 'org' (later 'call', 'testbed', 'listing', 'post')
  path        TEXT NOT NULL,                   -- the page it was saved on and runs again on: '/search', '/organisations'
  query       TEXT NOT NULL,                   -- the query string, canonical: the scope's parameters in order, values sorted
  name        TEXT NOT NULL,                   -- the user's name for it
  notify      INTEGER NOT NULL DEFAULT 1 CHECK (notify IN (0, 1)),   -- followed: a new match is notified
  created_at  TEXT NOT NULL,
  UNIQUE (user_id, scope, query)
) STRICT;
CREATE INDEX notify_searches_scope ON notify_searches(scope, notify);

-- what a saved search already told its owner of: never the same item twice
CREATE TABLE notify_search_hits (
  search_id   INTEGER NOT NULL REFERENCES notify_searches(id) ON DELETE CASCADE,
  item_id     INTEGER NOT NULL,
  at          TEXT NOT NULL,
  PRIMARY KEY (search_id, item_id)
) STRICT, WITHOUT ROWID;

-- per scope, the newest item the saved searches were asked about (notify_searches_catch_up: items
-- other processes made are told at the next look; the first look only sets the mark)
CREATE TABLE notify_search_marks (
  scope       TEXT PRIMARY KEY,
  last_id     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- follows of a search made before (the key was the directory's query string) become saved searches
INSERT INTO notify_searches (user_id, scope, path, query, name, created_at)
  SELECT user_id, 'org', '/organisations', target_key, target_key, created_at FROM notify_follows WHERE target = 'search'
  ON CONFLICT DO NOTHING;
DELETE FROM notify_follows WHERE target = 'search';

-- news from the other side takes the week's new events too: their window of ids, like the organisations'
ALTER TABLE notify_news_runs ADD COLUMN ev_from INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notify_news_runs ADD COLUMN ev_to INTEGER NOT NULL DEFAULT 0;
