-- The platform's notification system (issue 14), owned by src/notify/: the inbox, what users
-- follow, their choice of delivery per kind, the digests made, the items "news from the other
-- side" already showed an organisation, and the key that signs unsubscribe links. mail/ gets the
-- multipart outbox and the addresses that bounce.

CREATE TABLE notify_items (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  kind        TEXT NOT NULL,                   -- registered, invited, join-request, followed-org ...
  subject     TEXT NOT NULL,                   -- 'event', 'org', 'obstacle', 'series', 'theme', 'search'
  subject_id  INTEGER,                         -- the subject's row id (NULL for a saved search)
  detail      TEXT,                            -- e.g. the organisation's name for invitations
  created_at  TEXT NOT NULL,                   -- UTC, ISO 8601
  read_at     TEXT,
  mode        TEXT NOT NULL DEFAULT 'immediately' CHECK (mode IN ('immediately','daily','weekly','never')),
  mail_status TEXT NOT NULL DEFAULT 'pending' CHECK (mail_status IN ('pending','sent','failed','digest','none')),
  digest_id   INTEGER,                         -- the digest that carried it
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_try    INTEGER NOT NULL DEFAULT 0,      -- unix seconds
  last_error  TEXT,
  legacy_id   INTEGER UNIQUE                   -- the event_notifications row it was migrated from
) STRICT;
CREATE INDEX notify_items_user ON notify_items(user_id, id);
CREATE INDEX notify_items_mail ON notify_items(mail_status, mode, next_try);

-- the events' outbox moves here without loss: every row, read or not, with its mail status
INSERT INTO notify_items (user_id, kind, subject, subject_id, detail, created_at, read_at, mode, mail_status,
                          attempts, next_try, last_error, legacy_id)
  SELECT user_id, kind, 'event', event_id, detail, created_at, read_at, 'immediately', mail_status,
         attempts, next_try, last_error, id FROM event_notifications ORDER BY id;
DELETE FROM event_notifications;   -- kept (empty) for the events module's code paths; notify_items is the store

CREATE TABLE notify_follows (
  user_id     INTEGER NOT NULL REFERENCES users(id),
  target      TEXT NOT NULL CHECK (target IN ('org','theme','event','series','obstacle','search')),
  target_key  TEXT NOT NULL,                   -- the id as text, or the saved search's query string
  created_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, target, target_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX notify_follows_target ON notify_follows(target, target_key);

CREATE TABLE notify_prefs (
  user_id     INTEGER NOT NULL REFERENCES users(id),
  kind        TEXT NOT NULL,                   -- a group of kinds: invitations, answers, registrations, follows, matches
  mode        TEXT NOT NULL CHECK (mode IN ('immediately','daily','weekly','never')),
  PRIMARY KEY (user_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE notify_settings (
  user_id     INTEGER PRIMARY KEY REFERENCES users(id),
  timezone    TEXT NOT NULL DEFAULT 'Europe/Stockholm' CHECK (timezone IN ('Europe/Stockholm','Europe/Oslo')),
  unsubscribed_at TEXT                         -- one-click unsubscribe: no mail at all
) STRICT;

-- one row per digest made; the UNIQUE key is what makes a restart never send one twice
CREATE TABLE notify_digests (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  period      TEXT NOT NULL CHECK (period IN ('daily','weekly')),
  period_key  TEXT NOT NULL,                   -- local date (daily) or ISO week (weekly)
  items       INTEGER NOT NULL,
  news        INTEGER NOT NULL DEFAULT 0,
  mail_id     INTEGER,                         -- its mail_outbox row
  created_at  TEXT NOT NULL,
  UNIQUE (user_id, period, period_key)
) STRICT;

-- news from the other side: what an organisation was already shown (never twice)
CREATE TABLE notify_news_seen (
  org_id      INTEGER NOT NULL,
  item        TEXT NOT NULL,                   -- 'org' or 'event'
  item_id     INTEGER NOT NULL,
  shown_at    TEXT NOT NULL,
  PRIMARY KEY (org_id, item, item_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE notify_key (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  key         BLOB NOT NULL                    -- crypto_auth key of the unsubscribe links
) STRICT;

-- mail/: multipart messages with their own headers, and addresses that fail permanently
ALTER TABLE mail_outbox ADD COLUMN html TEXT;      -- text/html alternative, or NULL (plain only)
ALTER TABLE mail_outbox ADD COLUMN headers TEXT;   -- extra header lines (CRLF separated), e.g. List-Unsubscribe
CREATE TABLE mail_bounces (
  addr        TEXT PRIMARY KEY,
  failures    INTEGER NOT NULL DEFAULT 0,        -- permanent (5xx) refusals
  last_error  TEXT,
  suppressed_at TEXT                            -- set after 3: no more mail to this address
) STRICT, WITHOUT ROWID;

-- news from the other side: each weekly run's window of new organisations (ids after from_id up
-- to to_id), fixed when the week's run first starts, so a run that restarts sees the same news
CREATE TABLE notify_news_runs (
  period_key  TEXT PRIMARY KEY,                -- ISO week
  from_id     INTEGER NOT NULL,                -- 0: the first run (organisations of the last 7 days)
  to_id       INTEGER NOT NULL,
  started_at  TEXT NOT NULL
) STRICT;
