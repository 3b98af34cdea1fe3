-- PostgreSQL only, after 005: the change feed across nodes.
-- 1. seq in commit order: a node that has seen seq N must never later find a row below N. Every
--    insert into changes first takes the store-wide write lock (DB_PG_WRITE_LOCK, db/db.h; a write
--    transaction of db_begin already holds it, so only a lone statement waits here), then draws its
--    seq; the lock is held to the commit, so seqs are drawn and committed in the same order. (The
--    identity default was drawn before BEFORE triggers run: drawn again under the lock.)
--    A lone statement on a table whose changes are recorded takes the lock before it locks any
--    row (a BEFORE … FOR EACH STATEMENT trigger), so it never holds a row a lock holder waits for
--    while it waits for the lock itself (a deadlock).
-- 2. NOTIFY granslos_changes at every commit that added changes or moved data_version (the
--    visitors' page cache, 002_data_version.sql): the nodes' listeners (src/db/feed.c) wake up.
--    NOTIFY is sent at commit, and one per transaction (equal payloads fold into one).
-- (CREATE OR REPLACE TRIGGER: the layer's translation of SQLite triggers leaves these as they are.)
CREATE OR REPLACE FUNCTION granslos_changes_seq() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
  PERFORM pg_advisory_xact_lock(7245515);
  NEW.seq := nextval(pg_get_serial_sequence('changes', 'seq'));
  RETURN NEW;
END $f$;
CREATE OR REPLACE TRIGGER changes_a_seq BEFORE INSERT ON changes FOR EACH ROW EXECUTE FUNCTION granslos_changes_seq();
CREATE OR REPLACE FUNCTION granslos_write_lock() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
  PERFORM pg_advisory_xact_lock(7245515);
  RETURN NULL;
END $f$;
CREATE OR REPLACE TRIGGER changes_lock BEFORE INSERT OR UPDATE OR DELETE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION granslos_write_lock();
CREATE OR REPLACE TRIGGER changes_lock BEFORE INSERT OR UPDATE OR DELETE ON org_tags FOR EACH STATEMENT EXECUTE FUNCTION granslos_write_lock();
CREATE OR REPLACE TRIGGER changes_lock BEFORE INSERT OR UPDATE OR DELETE ON org_themes FOR EACH STATEMENT EXECUTE FUNCTION granslos_write_lock();
CREATE OR REPLACE TRIGGER changes_lock BEFORE INSERT OR UPDATE OR DELETE ON org_nace FOR EACH STATEMENT EXECUTE FUNCTION granslos_write_lock();
CREATE OR REPLACE FUNCTION granslos_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN
  PERFORM pg_notify('granslos_changes', '');
  RETURN NULL;
END $f$;
CREATE OR REPLACE TRIGGER changes_notify AFTER INSERT ON changes FOR EACH STATEMENT EXECUTE FUNCTION granslos_changes_notify();
CREATE OR REPLACE TRIGGER data_version_notify AFTER UPDATE ON data_version FOR EACH STATEMENT EXECUTE FUNCTION granslos_changes_notify();
