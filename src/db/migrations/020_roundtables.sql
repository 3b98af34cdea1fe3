-- 020: roundtables of events, their bullets, the published report's texts and the action plan
-- (src/roundtables/ owns every table here; events and organisations are referred to by id).

-- per event: the report's introduction and closing text (JSON arrays of paragraphs) and the
-- organisers' question set (JSON [{sv, nb, en}], NULL = the conference's three questions)
CREATE TABLE rt_events (
  event_id    INTEGER PRIMARY KEY,
  intro       TEXT NOT NULL DEFAULT '[]',
  outro       TEXT NOT NULL DEFAULT '[]',
  questions   TEXT,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE roundtables (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL,
  pos         INTEGER NOT NULL,
  label       TEXT NOT NULL DEFAULT 'Värd',      -- "Värd", "Värdar", "Vert", "Host" as the report writes it
  hosts_text  TEXT NOT NULL,                     -- the hosts as the report writes them
  theme       TEXT,                              -- a theme slug (key area)
  moderator   TEXT,
  token       TEXT NOT NULL UNIQUE,              -- the short link participants use
  created_by  INTEGER,
  created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX roundtables_event ON roundtables(event_id, pos);

CREATE TABLE rt_hosts (
  table_id    INTEGER NOT NULL REFERENCES roundtables(id),
  pos         INTEGER NOT NULL,
  name        TEXT NOT NULL,
  org_id      INTEGER,                           -- the organisation, when it is on the platform
  PRIMARY KEY (table_id, pos)
) STRICT;
CREATE INDEX rt_hosts_org ON rt_hosts(org_id);

CREATE TABLE rt_questions (
  id          INTEGER PRIMARY KEY,
  table_id    INTEGER NOT NULL REFERENCES roundtables(id),
  pos         INTEGER NOT NULL,
  text        TEXT NOT NULL,                     -- as the report prints it
  text_sv     TEXT, text_nb TEXT, text_en TEXT   -- for the pages, when known
) STRICT;
CREATE INDEX rt_questions_table ON rt_questions(table_id, pos);

CREATE TABLE rt_bullets (
  id          INTEGER PRIMARY KEY,
  table_id    INTEGER NOT NULL REFERENCES roundtables(id),
  question_id INTEGER NOT NULL REFERENCES rt_questions(id),
  pos         INTEGER NOT NULL,
  text        TEXT NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','merged')),
  type        TEXT CHECK (type IS NULL OR type IN ('next-step','challenge','support')),
  themes      TEXT NOT NULL DEFAULT '',          -- comma-separated theme slugs
  merged_into INTEGER REFERENCES rt_bullets(id),
  source      TEXT NOT NULL CHECK (source IN ('host','link','import')),
  user_id     INTEGER,
  ip          TEXT,                              -- short-link entries only, for the rate limit
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX rt_bullets_question ON rt_bullets(question_id, pos);
CREATE INDEX rt_bullets_ip ON rt_bullets(table_id, ip, created_at) WHERE ip IS NOT NULL;

CREATE TABLE rt_bullet_orgs (
  bullet_id   INTEGER NOT NULL REFERENCES rt_bullets(id),
  org_id      INTEGER NOT NULL,
  PRIMARY KEY (bullet_id, org_id)
) STRICT;

-- the action plan: a bullet that became an action item
CREATE TABLE rt_actions (
  id          INTEGER PRIMARY KEY,
  bullet_id   INTEGER NOT NULL UNIQUE REFERENCES rt_bullets(id),
  status      TEXT NOT NULL CHECK (status IN ('proposed','agreed','in-progress','done','dropped')),
  due         TEXT,                              -- YYYY-MM-DD
  created_by  INTEGER,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE rt_action_owners (
  action_id   INTEGER NOT NULL REFERENCES rt_actions(id),
  org_id      INTEGER NOT NULL,
  PRIMARY KEY (action_id, org_id)
) STRICT;

-- every change of an action item, kept: created, status, due, owners, a follow-up note
CREATE TABLE rt_action_log (
  id          INTEGER PRIMARY KEY,
  action_id   INTEGER NOT NULL REFERENCES rt_actions(id),
  at          TEXT NOT NULL,
  user_id     INTEGER,
  field       TEXT NOT NULL CHECK (field IN ('created','status','due','owners','note')),
  old         TEXT,
  new         TEXT,
  note        TEXT,
  note_date   TEXT                               -- the date the note is about (YYYY-MM-DD)
) STRICT;
CREATE INDEX rt_action_log_action ON rt_action_log(action_id, id);
