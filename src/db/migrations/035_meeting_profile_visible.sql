-- 035: a 1:1 meeting profile is shown to the other participants only when its owner says so
-- (issue 11, low: names and texts were visible to every registrant). src/events/meetings.c owns it.
-- Profiles saved before start hidden: their owners choose again.
ALTER TABLE event_meeting_profiles ADD COLUMN visible INTEGER NOT NULL DEFAULT 0 CHECK (visible IN (0, 1));
