-- PostgreSQL only, after 010: obstacle_versions' rowid (see pg/001_rowid.sql).
ALTER TABLE obstacle_versions ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
