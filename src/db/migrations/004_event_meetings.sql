-- 004: 1:1 meetings at events (as brokerage events do): the event's slots and tables, what each
-- registered participant offers and seeks there, meeting requests and their place in the schedule.
-- Owned by src/events/ (meetings.c).

CREATE TABLE event_meeting_setup (
  event_id        INTEGER PRIMARY KEY REFERENCES events(id),
  first_slot_unix INTEGER NOT NULL,             -- start of the first slot (UTC)
  slot_minutes    INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 240),
  slots           INTEGER NOT NULL CHECK (slots BETWEEN 1 AND 100),
  tables          INTEGER NOT NULL CHECK (tables BETWEEN 1 AND 1000),
  scheduled_at    TEXT                          -- when the organisers last ran the scheduler
) STRICT;

CREATE TABLE event_meeting_profiles (
  event_id    INTEGER NOT NULL REFERENCES events(id),
  user_id     INTEGER NOT NULL REFERENCES users(id),
  offer       TEXT,
  seek        TEXT,
  unavailable TEXT NOT NULL DEFAULT '',         -- slot numbers (from 0) the person cannot meet in: "0,3"
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (event_id, user_id)
) STRICT;

CREATE TABLE event_meetings (
  id          INTEGER PRIMARY KEY,
  event_id    INTEGER NOT NULL REFERENCES events(id),
  requester   INTEGER NOT NULL REFERENCES users(id),
  invitee     INTEGER NOT NULL REFERENCES users(id),
  message     TEXT,
  status      TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested','accepted','declined')),
  slot        INTEGER,                          -- place in the schedule, NULL while not placed
  table_no    INTEGER,
  created_at  TEXT NOT NULL,
  answered_at TEXT,
  UNIQUE (event_id, requester, invitee),
  CHECK (requester <> invitee)
) STRICT;
CREATE INDEX event_meetings_invitee ON event_meetings(event_id, invitee);
