-- 036: a claimed membership of a cluster or network is shown only once the cluster accepts it
-- (issue 11, "borrowed names"). src/org/networks.c owns this table. state 'confirmed': shown on
-- both profiles; 'declined': the cluster's administrators refused it (hidden, not asked again); no
-- row: waiting on the cluster's members page. Existing memberships are confirmed.
CREATE TABLE org_network_confirmed (
  org_id      INTEGER NOT NULL REFERENCES organisations(id),
  network_id  INTEGER NOT NULL REFERENCES organisations(id),
  state       TEXT NOT NULL CHECK (state IN ('confirmed','declined')),
  at          TEXT NOT NULL,
  PRIMARY KEY (org_id, network_id)
) STRICT;
INSERT INTO org_network_confirmed (org_id, network_id, state, at)
  SELECT org_id, network_id, 'confirmed', strftime('%Y-%m-%dT%H:%M:%SZ','now') FROM org_networks;
-- public pages show it: visitors' cached pages must see every change (002)
CREATE TRIGGER org_network_confirmed_ins AFTER INSERT ON org_network_confirmed BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_network_confirmed_upd AFTER UPDATE ON org_network_confirmed BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_network_confirmed_del AFTER DELETE ON org_network_confirmed BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
