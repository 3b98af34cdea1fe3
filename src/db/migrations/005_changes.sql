-- 005: the change feed (src/db/feed.c): one row for every change to what a node keeps in memory
-- (its search index), with a sequence, written by these triggers in the same transaction as the
-- change. Every node catches up from the last seq it has seen (after a start, a lost connection or
-- a wake-up: PostgreSQL's LISTEN/NOTIFY, see pg/005_changes.sql; SQLite: a second process on the
-- same file polls). kind names what changed ('organisation': its profile as the index reads it:
-- the row, tags, themes, industry codes; its translations are noted by org/index.c), id its id;
-- at (unix seconds) lets old rows go: rows older than a day are pruned, never the newest one (so a
-- seq is never given twice), and changes_pruned says up to where (a node behind it reads all again).
CREATE TABLE changes (
  seq   INTEGER PRIMARY KEY,
  kind  TEXT NOT NULL,
  id    INTEGER NOT NULL,
  at    INTEGER NOT NULL
) STRICT;
CREATE TABLE changes_pruned (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   INTEGER NOT NULL
) STRICT;
INSERT INTO changes_pruned VALUES (1, 0);

CREATE TRIGGER changes_org_ins AFTER INSERT ON organisations BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', NEW.id, unixepoch()); END;
CREATE TRIGGER changes_org_upd AFTER UPDATE ON organisations BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', NEW.id, unixepoch()); END;
CREATE TRIGGER changes_org_del AFTER DELETE ON organisations BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', OLD.id, unixepoch()); END;
CREATE TRIGGER changes_org_tags_ins AFTER INSERT ON org_tags BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', NEW.org_id, unixepoch()); END;
CREATE TRIGGER changes_org_tags_del AFTER DELETE ON org_tags BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', OLD.org_id, unixepoch()); END;
CREATE TRIGGER changes_org_themes_ins AFTER INSERT ON org_themes BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', NEW.org_id, unixepoch()); END;
CREATE TRIGGER changes_org_themes_del AFTER DELETE ON org_themes BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', OLD.org_id, unixepoch()); END;
CREATE TRIGGER changes_org_nace_ins AFTER INSERT ON org_nace BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', NEW.org_id, unixepoch()); END;
CREATE TRIGGER changes_org_nace_del AFTER DELETE ON org_nace BEGIN INSERT INTO changes (kind, id, at) VALUES ('organisation', OLD.org_id, unixepoch()); END;
