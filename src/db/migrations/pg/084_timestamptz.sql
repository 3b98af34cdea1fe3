-- PostgreSQL only, after 084: every column that holds a UTC instant (written by the modules as
-- "YYYY-MM-DDTHH:MM:SSZ", now_utc() in core/util.c) becomes timestamptz. The layer reads it back as
-- that text (pg.c, pg_text), so the modules see no difference; a text parameter or a compat
-- function's text compared with it is read as an instant (pg_compat.sql).
-- Not instants, and so left as they are: local dates (organisations.ended_on, rt_actions.due,
-- rt_action_log.note_date, project_deadlines.date, project_reminders.date: text 'YYYY-MM-DD'),
-- months ('YYYY-MM': projects.start, currency_rates.month), free text, and the instants kept as
-- unix seconds (INTEGER: expires_at, next_try, start_unix, changes.at, mail_outbox.created_at …).
-- A new migration with an instant column writes it TEXT (both stores) and converts it here in
-- pg/ beside it; tests/unit/test_db.c fails while one is left as text on PostgreSQL.
-- The version views of 050 read doc_versions.at: made again around the change.
DROP VIEW org_versions;
DROP VIEW event_versions;
DROP VIEW obstacle_versions;
ALTER TABLE schema_migrations ALTER COLUMN applied_at TYPE timestamptz USING applied_at::timestamptz;
ALTER TABLE users ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN deleted_at TYPE timestamptz USING deleted_at::timestamptz;
ALTER TABLE sessions ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE api_tokens ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN revoked_at TYPE timestamptz USING revoked_at::timestamptz;
ALTER TABLE organisations ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE org_members ALTER COLUMN since TYPE timestamptz USING since::timestamptz;
ALTER TABLE org_join_requests ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN decided_at TYPE timestamptz USING decided_at::timestamptz;
ALTER TABLE event_series ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE events ALTER COLUMN start_utc TYPE timestamptz USING start_utc::timestamptz, ALTER COLUMN end_utc TYPE timestamptz USING end_utc::timestamptz, ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE event_registrations ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE event_invitations ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN answered_at TYPE timestamptz USING answered_at::timestamptz;
ALTER TABLE event_notifications ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN read_at TYPE timestamptz USING read_at::timestamptz;
ALTER TABLE event_meeting_setup ALTER COLUMN scheduled_at TYPE timestamptz USING scheduled_at::timestamptz;
ALTER TABLE event_meeting_profiles ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE event_meetings ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN answered_at TYPE timestamptz USING answered_at::timestamptz;
ALTER TABLE obstacles ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz, ALTER COLUMN status_at TYPE timestamptz USING status_at::timestamptz;
ALTER TABLE obstacle_status_log ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE obstacle_affected ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE obstacle_links ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE obstacle_desk ALTER COLUMN granted_at TYPE timestamptz USING granted_at::timestamptz;
ALTER TABLE rt_events ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE roundtables ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE rt_bullets ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE rt_actions ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE rt_action_log ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE account_links ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE known_devices ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE event_organisers_confirmed ALTER COLUMN confirmed_at TYPE timestamptz USING confirmed_at::timestamptz;
ALTER TABLE rt_named_confirmed ALTER COLUMN confirmed_at TYPE timestamptz USING confirmed_at::timestamptz;
ALTER TABLE org_network_confirmed ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE doc_versions ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE projects ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN updated_at TYPE timestamptz USING updated_at::timestamptz;
ALTER TABLE project_comments ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE project_ready ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE project_submissions ALTER COLUMN submitted_at TYPE timestamptz USING submitted_at::timestamptz;
ALTER TABLE translations ALTER COLUMN translated_at TYPE timestamptz USING translated_at::timestamptz;
ALTER TABLE org_claims ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN decided_at TYPE timestamptz USING decided_at::timestamptz;
ALTER TABLE org_messages ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE notify_items ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz, ALTER COLUMN read_at TYPE timestamptz USING read_at::timestamptz;
ALTER TABLE notify_settings ALTER COLUMN unsubscribed_at TYPE timestamptz USING unsubscribed_at::timestamptz;
ALTER TABLE notify_digests ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE notify_news_seen ALTER COLUMN shown_at TYPE timestamptz USING shown_at::timestamptz;
ALTER TABLE mail_bounces ALTER COLUMN suppressed_at TYPE timestamptz USING suppressed_at::timestamptz;
ALTER TABLE notify_news_runs ALTER COLUMN started_at TYPE timestamptz USING started_at::timestamptz;
ALTER TABLE notify_searches ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE notify_search_hits ALTER COLUMN at TYPE timestamptz USING at::timestamptz;
ALTER TABLE notify_follows ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz;
ALTER TABLE project_reminders ALTER COLUMN reminded_at TYPE timestamptz USING reminded_at::timestamptz;
CREATE VIEW org_versions AS
  SELECT doc_id AS org_id, version, user_id, at, note, changes, snapshot FROM doc_versions WHERE kind = 'organisation';
CREATE VIEW event_versions AS
  SELECT doc_id AS event_id, version, user_id, at, note, changes, snapshot FROM doc_versions WHERE kind = 'event';
CREATE VIEW obstacle_versions AS
  SELECT doc_id AS obstacle_id, version, user_id, at, changes, snapshot FROM doc_versions WHERE kind = 'obstacle';
