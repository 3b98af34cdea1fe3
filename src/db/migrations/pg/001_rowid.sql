-- PostgreSQL only, after 001: SQLite gives every table an implicit rowid; the code reads it for
-- tables whose key is text (the sessions and tokens lists of the account pages) and orders the
-- old version tables by it (migration 050). PostgreSQL has none: an identity column named rowid.
ALTER TABLE sessions ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE api_tokens ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE org_versions ADD COLUMN rowid BIGINT GENERATED ALWAYS AS IDENTITY;
