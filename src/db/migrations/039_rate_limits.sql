-- The throttling counters of logins, registrations, password resets and contact messages, in the
-- store (they were an in-memory table per process): every node of an installation sees the same
-- counts, and a restart forgets nothing. One row per key; `until_at` is a login back-off's end.
CREATE TABLE rate_limits (
  key       TEXT PRIMARY KEY,
  start_at  INTEGER NOT NULL,     -- the fixed window's start (unix seconds)
  last_at   INTEGER NOT NULL,     -- the last counted attempt
  until_at  INTEGER NOT NULL DEFAULT 0,
  count     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX rate_limits_last ON rate_limits(last_at);
