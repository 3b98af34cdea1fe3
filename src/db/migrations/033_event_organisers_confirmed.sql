-- 033: organisers an event names must agree (issue 11, "borrowed names"). src/events/organisers.c
-- owns this table. An organisation is a confirmed organiser of an event when a member of it named it
-- (the save confirms it) or one of its administrators confirmed it on the event's page or through
-- POST /api/v1/events/{id}/organisers; until then the event shows it as "unconfirmed" and does not
-- appear under its name in the calendar's organisation filter. Existing organisers are confirmed.
CREATE TABLE event_organisers_confirmed (
  event_id      INTEGER NOT NULL REFERENCES events(id),
  org_id        INTEGER NOT NULL,
  confirmed_at  TEXT NOT NULL,
  PRIMARY KEY (event_id, org_id)
) STRICT;
INSERT INTO event_organisers_confirmed (event_id, org_id, confirmed_at)
  SELECT DISTINCT event_id, org_id, strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM event_organisers;
-- an organisation's cached public profile lists its coming events: a confirmation moves the counter (002)
CREATE TRIGGER event_organisers_confirmed_ins AFTER INSERT ON event_organisers_confirmed BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER event_organisers_confirmed_del AFTER DELETE ON event_organisers_confirmed BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
