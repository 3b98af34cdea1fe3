-- 060: projects and Interreg applications, owned by src/projects/ (issue 16).
-- A project is a document of the pipeline (doc_versions, kind 'project'): its editable fields,
-- the partners and the budget live in the versions' snapshots; these tables hold what lists,
-- filters and other modules' pages need. Times are UTC text "YYYY-MM-DDTHH:MM:SSZ".

CREATE TABLE projects (
  id          INTEGER PRIMARY KEY,
  acronym     TEXT NOT NULL,
  title_sv    TEXT NOT NULL DEFAULT '',
  title_nb    TEXT NOT NULL DEFAULT '',
  title_en    TEXT NOT NULL DEFAULT '',
  summary     TEXT NOT NULL DEFAULT '',
  programme   TEXT,                         -- interreg-se-no, interreg-aurora, interreg-nord, oks, npa; NULL: none
  type        TEXT NOT NULL CHECK (type IN ('pre-project','main','small')),
  status      TEXT NOT NULL,
  start       TEXT NOT NULL,                -- YYYY-MM
  duration    INTEGER NOT NULL,
  search_text TEXT NOT NULL DEFAULT '',
  created_by  INTEGER REFERENCES users(id), -- NULL for demo data
  demo_key    TEXT UNIQUE,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX projects_status ON projects(status, updated_at);

CREATE TABLE project_themes (
  project_id INTEGER NOT NULL REFERENCES projects(id),
  theme      TEXT NOT NULL,
  PRIMARY KEY (project_id, theme)
) STRICT;

-- the partners as of the newest version, with the organisation's country and county then
CREATE TABLE project_partners (
  project_id INTEGER NOT NULL REFERENCES projects(id),
  org_id     INTEGER NOT NULL REFERENCES organisations(id),
  pos        INTEGER NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('lead-se','lead-no','partner','associated')),
  state      TEXT NOT NULL CHECK (state IN ('invited','confirmed','declined')),
  country    TEXT NOT NULL DEFAULT '',
  county     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (project_id, org_id)
) STRICT;
CREATE INDEX project_partners_org ON project_partners(org_id);

-- exchange rates: per_eur in 1/10000 of a unit (11.1234 SEK per EUR = 111234), per month and source
-- ('commission': the Commission's monthly accounting rate (InforEuro), 'manual': typed by an admin)
CREATE TABLE currency_rates (
  month    TEXT NOT NULL,                   -- YYYY-MM
  currency TEXT NOT NULL CHECK (currency IN ('SEK','NOK')),
  per_eur  INTEGER NOT NULL CHECK (per_eur > 0),
  source   TEXT NOT NULL,
  PRIMARY KEY (month, currency)
) STRICT;
