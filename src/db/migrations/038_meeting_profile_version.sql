-- A version per meeting profile: a save made from a page (or an API read) older than the profile
-- is refused (409) instead of overwriting what the same person saved meanwhile in another window.
ALTER TABLE event_meeting_profiles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
