-- A version per roundtable bullet: a host's edit or approval made from a page older than the
-- bullet is refused (409) instead of overwriting what another host saved meanwhile.
ALTER TABLE rt_bullets ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
