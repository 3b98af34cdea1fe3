-- The reminders of project deadlines already made (issue 14), owned by src/projects/: the daily
-- job (proj_remind_deadlines, run by notify/'s digest tick) reminds the project's members once per
-- deadline. Keyed by the deadline's date and title, not by a project_deadlines row: those rows are
-- written again at every save of the project.
CREATE TABLE project_reminders (
  project_id  INTEGER NOT NULL REFERENCES projects(id),
  date        TEXT NOT NULL,                   -- the deadline, YYYY-MM-DD
  title       TEXT NOT NULL,
  reminded_at TEXT NOT NULL,                   -- UTC, ISO 8601
  PRIMARY KEY (project_id, date, title)
) STRICT, WITHOUT ROWID;
