-- 034: organisations named at a roundtable must agree (issue 11, "borrowed names");
-- src/roundtables/named.c owns this table. kind 'host': ref is a roundtable and org_id one of its
-- rt_hosts; kind 'owner': ref is an action item and org_id one of its rt_action_owners. A name is
-- confirmed when a member of that organisation gave it, or its administrator confirmed it; until
-- then pages and the API mark it unconfirmed and the follow-up does not count it. Existing names are
-- confirmed.
CREATE TABLE rt_named_confirmed (
  kind          TEXT NOT NULL CHECK (kind IN ('host','owner')),
  ref           INTEGER NOT NULL,
  org_id        INTEGER NOT NULL,
  confirmed_at  TEXT NOT NULL,
  PRIMARY KEY (kind, ref, org_id)
) STRICT;
INSERT INTO rt_named_confirmed (kind, ref, org_id, confirmed_at)
  SELECT DISTINCT 'host', table_id, org_id, strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM rt_hosts WHERE org_id IS NOT NULL;
INSERT INTO rt_named_confirmed (kind, ref, org_id, confirmed_at)
  SELECT DISTINCT 'owner', action_id, org_id, strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM rt_action_owners;
