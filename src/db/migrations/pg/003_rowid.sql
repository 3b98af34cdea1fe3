-- PostgreSQL only, after 003: event_versions' rowid (see pg/001_rowid.sql).
ALTER TABLE event_versions ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
