-- 003: events and cross-border coordination (src/events/ owns every table here).
-- Times are UTC text "YYYY-MM-DDTHH:MM:SSZ" plus unix seconds for range queries; the zone the
-- organisers entered them in is kept so pages and feeds show them as entered.

-- a recurring series, e.g. the annual Mötesplats Vision that moves between the countries
CREATE TABLE event_series (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE events (
  id            INTEGER PRIMARY KEY,
  uid           TEXT NOT NULL UNIQUE,          -- iCalendar UID: ours "event-N@granslos", imported ones keep theirs
  title_sv      TEXT, title_nb TEXT, title_en TEXT,
  desc_sv       TEXT, desc_nb TEXT, desc_en TEXT,
  status        TEXT NOT NULL CHECK (status IN ('idea','planned','confirmed','cancelled')),
  start_utc     TEXT NOT NULL,
  end_utc       TEXT NOT NULL,
  start_unix    INTEGER NOT NULL,
  end_unix      INTEGER NOT NULL CHECK (end_unix > start_unix),
  timezone      TEXT NOT NULL CHECK (timezone IN ('Europe/Stockholm','Europe/Oslo')),
  country       TEXT NOT NULL CHECK (country IN ('SE','NO')),
  municipality  TEXT,                          -- 4-digit code in country
  county        TEXT,                          -- derived, for filters and clash regions
  venue         TEXT,
  online_url    TEXT,
  language      TEXT,                          -- 'sv' | 'nb' | 'en' | 'sv-nb'
  capacity      INTEGER CHECK (capacity IS NULL OR capacity > 0),
  reg_deadline_unix INTEGER,
  series_id     INTEGER REFERENCES event_series(id),
  themes_csv    TEXT,                          -- event_themes and event_audiences as "a,b", written with them:
  audiences_csv TEXT,                          -- clash detection reads one row per candidate
  source_org    INTEGER,                       -- organisation whose imported feed it came from
  demo_key      TEXT UNIQUE,
  version       INTEGER NOT NULL DEFAULT 1,
  created_by    INTEGER REFERENCES users(id),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX events_time ON events(start_unix, end_unix);
-- events longer than two days, apart: a time-window query looks back two days in events_time and
-- up to 31 days only among these few
CREATE INDEX events_long ON events(start_unix, end_unix) WHERE end_unix - start_unix > 172800;
CREATE INDEX events_series ON events(series_id, start_unix);

-- organising organisations (ids of organisations; the org module owns those)
CREATE TABLE event_organisers (
  event_id  INTEGER NOT NULL REFERENCES events(id),
  pos       INTEGER NOT NULL,
  org_id    INTEGER NOT NULL,
  PRIMARY KEY (event_id, pos)
) STRICT;
CREATE INDEX event_organisers_org ON event_organisers(org_id);

CREATE TABLE event_themes (
  event_id  INTEGER NOT NULL REFERENCES events(id),
  theme     TEXT NOT NULL,
  PRIMARY KEY (event_id, theme)
) STRICT;
CREATE INDEX event_themes_theme ON event_themes(theme);

CREATE TABLE event_audiences (
  event_id  INTEGER NOT NULL REFERENCES events(id),
  audience  TEXT NOT NULL,
  PRIMARY KEY (event_id, audience)
) STRICT;

-- every edit: who, when, which fields (old and new) and the whole event after it
CREATE TABLE event_versions (
  event_id   INTEGER NOT NULL REFERENCES events(id),
  version    INTEGER NOT NULL,
  user_id    INTEGER REFERENCES users(id),
  at         TEXT NOT NULL,
  note       TEXT,
  changes    TEXT NOT NULL,
  snapshot   TEXT NOT NULL,
  PRIMARY KEY (event_id, version)
) STRICT;

-- people who come: registered in order; past capacity they wait and move up on a cancellation
CREATE TABLE event_registrations (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES events(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  status      TEXT NOT NULL CHECK (status IN ('registered','waiting','cancelled')),
  share       INTEGER NOT NULL DEFAULT 0,      -- agreed to share name, e-mail and organisation with the organisers
  affiliation TEXT,                            -- the organisation they come from, in their words
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (event_id, user_id)
) STRICT;
CREATE INDEX event_registrations_event ON event_registrations(event_id, status, id);

-- organisations invited by the organisers; the invited organisation's administrators answer
CREATE TABLE event_invitations (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES events(id),
  org_id      INTEGER NOT NULL,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','declined')),
  message     TEXT,
  invited_by  INTEGER REFERENCES users(id),
  created_at  TEXT NOT NULL,
  answered_by INTEGER REFERENCES users(id),
  answered_at TEXT,
  UNIQUE (event_id, org_id)
) STRICT;
CREATE INDEX event_invitations_org ON event_invitations(org_id, status);

-- the outbox: what people are told (listed in the app; mailed when an SMTP sender is configured)
CREATE TABLE event_notifications (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  event_id    INTEGER REFERENCES events(id),
  kind        TEXT NOT NULL,                   -- registered, waiting, promoted, cancelled, invited, answered
  detail      TEXT,                            -- e.g. the organisation's name for invitations
  created_at  TEXT NOT NULL,
  read_at     TEXT,
  mail_status TEXT NOT NULL DEFAULT 'pending' CHECK (mail_status IN ('pending','sent','failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_try    INTEGER NOT NULL DEFAULT 0,      -- unix seconds
  last_error  TEXT
) STRICT;
CREATE INDEX event_notifications_user ON event_notifications(user_id, id);
CREATE INDEX event_notifications_mail ON event_notifications(mail_status, next_try);

CREATE TRIGGER events_ins AFTER INSERT ON events BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER events_upd AFTER UPDATE ON events BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER event_registrations_ins AFTER INSERT ON event_registrations BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER event_registrations_upd AFTER UPDATE ON event_registrations BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
