-- 010: the border-obstacle register (gränshinder / grensehinder), owned by src/obstacles/.
-- Times are UTC text "YYYY-MM-DDTHH:MM:SSZ".

CREATE TABLE obstacles (
  id            INTEGER PRIMARY KEY,
  title         TEXT NOT NULL,
  description   TEXT NOT NULL,
  rules_se      TEXT NOT NULL DEFAULT '',   -- what the Swedish rules say
  rules_no      TEXT NOT NULL DEFAULT '',   -- what the Norwegian rules say
  consequences  TEXT NOT NULL DEFAULT '',
  affected      TEXT NOT NULL DEFAULT '',   -- who is affected, in words
  country       TEXT NOT NULL CHECK (country IN ('SE','NO','both')), -- where it is felt
  org_id        INTEGER REFERENCES organisations(id),  -- the reporting organisation, if any
  reporter_id   INTEGER REFERENCES users(id),          -- NULL for demo data
  status        TEXT NOT NULL DEFAULT 'reported'
                CHECK (status IN ('reported','analysis','raised','resolved','not-obstacle','closed')),
  search_text   TEXT NOT NULL DEFAULT '',   -- case-folded text of every field (instr() search)
  demo_key      TEXT UNIQUE,                -- set on demo records
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,              -- text or status changed
  status_at     TEXT NOT NULL
) STRICT;
CREATE INDEX obstacles_status ON obstacles(status, updated_at);

CREATE TABLE obstacle_themes (
  obstacle_id INTEGER NOT NULL REFERENCES obstacles(id),
  theme       TEXT NOT NULL REFERENCES themes(slug),
  PRIMARY KEY (obstacle_id, theme)
) STRICT;
CREATE INDEX obstacle_themes_theme ON obstacle_themes(theme);

-- references to laws and regulations on each side
CREATE TABLE obstacle_refs (
  obstacle_id INTEGER NOT NULL REFERENCES obstacles(id),
  country     TEXT NOT NULL CHECK (country IN ('SE','NO')),
  pos         INTEGER NOT NULL,
  title       TEXT NOT NULL,
  url         TEXT,
  PRIMARY KEY (obstacle_id, country, pos)
) STRICT;

-- every status change: from, to, who, when, why (public)
CREATE TABLE obstacle_status_log (
  id          INTEGER PRIMARY KEY,
  obstacle_id INTEGER NOT NULL REFERENCES obstacles(id),
  from_status TEXT,                        -- NULL for the report itself
  to_status   TEXT NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  at          TEXT NOT NULL,
  comment     TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX obstacle_status_log_obstacle ON obstacle_status_log(obstacle_id, id);

-- every edit of the text: who, when, the changed fields and the whole record after it
CREATE TABLE obstacle_versions (
  obstacle_id INTEGER NOT NULL REFERENCES obstacles(id),
  version     INTEGER NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  at          TEXT NOT NULL,
  changes     TEXT NOT NULL,               -- JSON {"field": [old, new]}
  snapshot    TEXT NOT NULL,               -- JSON of the obstacle's text after this version
  PRIMARY KEY (obstacle_id, version)
) STRICT;

-- organisations that say "this affects us too"
CREATE TABLE obstacle_affected (
  obstacle_id INTEGER NOT NULL REFERENCES obstacles(id),
  org_id      INTEGER NOT NULL REFERENCES organisations(id),
  user_id     INTEGER REFERENCES users(id),  -- who marked it for the organisation
  at          TEXT NOT NULL,
  PRIMARY KEY (obstacle_id, org_id)
) STRICT;
CREATE INDEX obstacle_affected_org ON obstacle_affected(org_id);

-- links to what discusses an obstacle elsewhere: roundtable bullets, events, projects. The
-- targets belong to other modules (not yet built); target_id is their id, checked by the
-- module that adds the link.
CREATE TABLE obstacle_links (
  obstacle_id INTEGER NOT NULL REFERENCES obstacles(id),
  target_type TEXT NOT NULL CHECK (target_type IN ('bullet','event','project')),
  target_id   INTEGER NOT NULL,
  user_id     INTEGER REFERENCES users(id),
  at          TEXT NOT NULL,
  PRIMARY KEY (obstacle_id, target_type, target_id)
) STRICT;
CREATE INDEX obstacle_links_target ON obstacle_links(target_type, target_id);

-- the obstacle desk: people who move obstacles through the workflow (granted by platform admins)
CREATE TABLE obstacle_desk (
  user_id    INTEGER PRIMARY KEY REFERENCES users(id),
  granted_by INTEGER REFERENCES users(id),
  granted_at TEXT NOT NULL
) STRICT;

-- public data: visitors' cached pages depend on it (see 002_data_version.sql)
CREATE TRIGGER obstacles_ins AFTER INSERT ON obstacles BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacles_upd AFTER UPDATE ON obstacles BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_themes_ins AFTER INSERT ON obstacle_themes BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_themes_del AFTER DELETE ON obstacle_themes BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_refs_ins AFTER INSERT ON obstacle_refs BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_refs_del AFTER DELETE ON obstacle_refs BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_status_log_ins AFTER INSERT ON obstacle_status_log BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_affected_ins AFTER INSERT ON obstacle_affected BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_affected_del AFTER DELETE ON obstacle_affected BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_links_ins AFTER INSERT ON obstacle_links BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER obstacle_links_del AFTER DELETE ON obstacle_links BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
