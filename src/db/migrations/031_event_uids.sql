-- 031: iCalendar UIDs that nobody can forge or take (issue 11, High 1).
-- events.uid stays the UID every feed publishes and stays unique; existing rows keep theirs, so
-- calendars subscribed to our feeds see no change. New native events get a random
-- "<32 hex>@granslos" at insert (events/ical.c event_native_uid), never renamed afterwards.
-- An imported event is matched by the UID its organisation's feed gave it, kept here and unique per
-- importing organisation: two organisations' feeds may use the same UID without meeting, and a
-- feed's UID can no longer occupy a native one (an import UID in our namespace "…@granslos", or one
-- another event already publishes, is published under a fresh native UID instead).
ALTER TABLE events ADD COLUMN import_uid TEXT;
UPDATE events SET import_uid = uid WHERE source_org IS NOT NULL;
CREATE UNIQUE INDEX events_import_uid ON events(source_org, import_uid) WHERE import_uid IS NOT NULL;
