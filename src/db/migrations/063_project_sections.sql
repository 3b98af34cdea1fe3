-- 063: writing an application together, owned by src/projects/ (issue 16): comments on a
-- section, a section marked ready (at a version, so a later change of the section shows), the
-- versions that were submitted (frozen: the snapshot of that version in doc_versions stays
-- readable whatever is edited later), and the deadlines as rows for the shared calendar.

CREATE TABLE project_comments (
  id         INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  section    TEXT NOT NULL,
  user_id    INTEGER REFERENCES users(id),  -- NULL once the author's account is deleted
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX project_comments_section ON project_comments(project_id, section, id);
CREATE INDEX project_comments_user ON project_comments(user_id);

CREATE TABLE project_ready (
  project_id INTEGER NOT NULL REFERENCES projects(id),
  section    TEXT NOT NULL,
  user_id    INTEGER REFERENCES users(id),
  version    INTEGER NOT NULL,               -- the project's version when it was marked ready
  at         TEXT NOT NULL,
  PRIMARY KEY (project_id, section)
) STRICT;
CREATE INDEX project_ready_user ON project_ready(user_id);

CREATE TABLE project_submissions (
  project_id   INTEGER NOT NULL REFERENCES projects(id),
  version      INTEGER NOT NULL,             -- the version that was sent
  submitted_at TEXT NOT NULL,
  user_id      INTEGER REFERENCES users(id),
  PRIMARY KEY (project_id, version)
) STRICT;

CREATE TABLE project_deadlines (
  project_id INTEGER NOT NULL REFERENCES projects(id),
  pos        INTEGER NOT NULL,
  date       TEXT NOT NULL,                  -- YYYY-MM-DD
  title      TEXT NOT NULL,
  PRIMARY KEY (project_id, pos)
) STRICT;
CREATE INDEX project_deadlines_date ON project_deadlines(date);
