-- 001: accounts, sessions, API tokens, themes, organisations with their versions.
-- Times are UTC text "YYYY-MM-DDTHH:MM:SSZ". Booleans are 0/1 integers.

CREATE TABLE users (
  id          INTEGER PRIMARY KEY,
  email       TEXT UNIQUE,                 -- NULL once the account is deleted
  name        TEXT NOT NULL,
  pw_hash     TEXT,                        -- argon2id string (libsodium), NULL once deleted
  is_admin    INTEGER NOT NULL DEFAULT 0,
  lang        TEXT,                        -- 'sv' | 'nb' | 'en' or NULL (use the browser's)
  created_at  TEXT NOT NULL,
  deleted_at  TEXT                         -- set when the user deleted the account
) STRICT;

CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,            -- hex BLAKE2b of the cookie value; the value is never stored
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  INTEGER NOT NULL             -- unix seconds
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
) STRICT;

CREATE TABLE themes (
  slug        TEXT PRIMARY KEY,
  name_sv     TEXT NOT NULL,
  name_nb     TEXT NOT NULL,
  name_en     TEXT NOT NULL,
  pos         INTEGER NOT NULL DEFAULT 100
) STRICT;
INSERT INTO themes VALUES
 ('energy', 'Energi', 'Energi', 'Energy', 1),
 ('forest-bioeconomy', 'Skogsbaserad bioekonomi', 'Skogbasert bioøkonomi', 'Forest bioeconomy', 2),
 ('manufacturing', 'Tillverkningsindustri', 'Industri og produksjon', 'Manufacturing', 3),
 ('tech', 'Tech', 'Teknologi', 'Tech', 4),
 ('transport', 'Transport', 'Transport', 'Transport', 5),
 ('tourism', 'Besöksnäring', 'Reiseliv', 'Tourism', 6),
 ('blue-bioeconomy', 'Blå bioekonomi', 'Blå bioøkonomi', 'Blue bioeconomy', 7);

CREATE TABLE organisations (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  country       TEXT NOT NULL CHECK (country IN ('SE','NO')),
  orgnr         TEXT,
  kind          TEXT NOT NULL CHECK (kind IN ('company','cluster','public-body','municipality-region','research','investor','network')),
  municipality  TEXT,                       -- 4-digit code, unique with country
  county        TEXT,                       -- derived from municipality, for facets
  search_text   TEXT,                       -- case-folded name, descriptions and tags (plain search)
  website       TEXT,
  desc_sv       TEXT, desc_nb TEXT, desc_en TEXT,
  competences_text TEXT, offers_text TEXT, needs_text TEXT,
  employees     INTEGER,
  status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','dissolved','merged')),
  ended_on      TEXT,                       -- date dissolved or merged
  demo_key      TEXT UNIQUE,                -- set on demo records
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX organisations_orgnr ON organisations(country, orgnr) WHERE orgnr IS NOT NULL;
CREATE INDEX organisations_country ON organisations(country, created_at);

CREATE TABLE org_tags (
  org_id  INTEGER NOT NULL REFERENCES organisations(id),
  kind    TEXT NOT NULL CHECK (kind IN ('competence','offer','need')),
  pos     INTEGER NOT NULL,
  tag     TEXT NOT NULL,
  PRIMARY KEY (org_id, kind, pos)
) STRICT;

CREATE TABLE org_themes (
  org_id  INTEGER NOT NULL REFERENCES organisations(id),
  theme   TEXT NOT NULL REFERENCES themes(slug),
  PRIMARY KEY (org_id, theme)
) STRICT;
CREATE INDEX org_themes_theme ON org_themes(theme);

CREATE TABLE org_nace (
  org_id  INTEGER NOT NULL REFERENCES organisations(id),
  pos     INTEGER NOT NULL,
  code    TEXT NOT NULL,                     -- "62.010"
  section TEXT,                              -- NACE section letter, for facets
  PRIMARY KEY (org_id, pos)
) STRICT;
CREATE INDEX org_nace_code ON org_nace(code);

CREATE TABLE org_contacts (
  org_id  INTEGER NOT NULL REFERENCES organisations(id),
  pos     INTEGER NOT NULL,
  name    TEXT NOT NULL,
  role    TEXT,
  email   TEXT,
  phone   TEXT,
  consent INTEGER NOT NULL DEFAULT 0,        -- shown to others only with consent
  PRIMARY KEY (org_id, pos)
) STRICT;

-- clusters and networks an organisation belongs to
CREATE TABLE org_networks (
  org_id     INTEGER NOT NULL REFERENCES organisations(id),
  network_id INTEGER NOT NULL REFERENCES organisations(id),
  PRIMARY KEY (org_id, network_id)
) STRICT;
CREATE INDEX org_networks_network ON org_networks(network_id);

-- successors of a dissolved or merged organisation
CREATE TABLE org_successors (
  org_id       INTEGER NOT NULL REFERENCES organisations(id),
  successor_id INTEGER NOT NULL REFERENCES organisations(id),
  PRIMARY KEY (org_id, successor_id)
) STRICT;

-- people who act for an organisation; records belong to the organisation
CREATE TABLE org_members (
  org_id   INTEGER NOT NULL REFERENCES organisations(id),
  user_id  INTEGER NOT NULL REFERENCES users(id),
  role     TEXT NOT NULL CHECK (role IN ('admin','member')),
  since    TEXT NOT NULL,
  PRIMARY KEY (org_id, user_id)
) STRICT;
CREATE INDEX org_members_user ON org_members(user_id);

CREATE TABLE org_join_requests (
  id          INTEGER PRIMARY KEY,
  org_id      INTEGER NOT NULL REFERENCES organisations(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  message     TEXT,
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','rejected')),
  created_at  TEXT NOT NULL,
  decided_by  INTEGER REFERENCES users(id),
  decided_at  TEXT
) STRICT;
CREATE INDEX org_join_requests_org ON org_join_requests(org_id, status);

-- every edit: who, when, which fields (old and new) and the whole record after it
CREATE TABLE org_versions (
  org_id     INTEGER NOT NULL REFERENCES organisations(id),
  version    INTEGER NOT NULL,
  user_id    INTEGER REFERENCES users(id),   -- NULL for the system (demo, import)
  at         TEXT NOT NULL,
  note       TEXT,                            -- e.g. "revert to 3"
  changes    TEXT NOT NULL,                   -- JSON {"field": [old, new], ...}
  snapshot   TEXT NOT NULL,                   -- JSON of the organisation after this version
  PRIMARY KEY (org_id, version)
) STRICT;
