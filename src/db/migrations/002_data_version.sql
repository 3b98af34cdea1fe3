-- 002: a counter that every write to public data moves, on any node. Pages served to visitors
-- are cached per node (http/pagecache.c) and valid only while this counter stands still.
CREATE TABLE data_version (
  id  INTEGER PRIMARY KEY CHECK (id = 1),
  v   INTEGER NOT NULL
) STRICT;
INSERT INTO data_version VALUES (1, 0);

CREATE TRIGGER organisations_ins AFTER INSERT ON organisations BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_upd AFTER UPDATE ON organisations BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER organisations_del AFTER DELETE ON organisations BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_tags_ins AFTER INSERT ON org_tags BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_tags_del AFTER DELETE ON org_tags BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_themes_ins AFTER INSERT ON org_themes BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_themes_del AFTER DELETE ON org_themes BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_nace_ins AFTER INSERT ON org_nace BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_nace_del AFTER DELETE ON org_nace BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_contacts_ins AFTER INSERT ON org_contacts BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_contacts_del AFTER DELETE ON org_contacts BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_networks_ins AFTER INSERT ON org_networks BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_networks_del AFTER DELETE ON org_networks BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_successors_ins AFTER INSERT ON org_successors BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER org_successors_del AFTER DELETE ON org_successors BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER themes_ins AFTER INSERT ON themes BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER themes_upd AFTER UPDATE ON themes BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER themes_del AFTER DELETE ON themes BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
