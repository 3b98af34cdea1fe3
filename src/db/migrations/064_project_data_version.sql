-- 064: visitors' cached pages (the project list, organisation profiles with their projects and
-- track record) are rendered again after a project, its partners or the keep.eu track record
-- change: the data_version counter of 002_data_version.sql moves with them.
CREATE TRIGGER projects_ins AFTER INSERT ON projects BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER projects_upd AFTER UPDATE ON projects BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER projects_del AFTER DELETE ON projects BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER project_partners_ins AFTER INSERT ON project_partners BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER project_partners_del AFTER DELETE ON project_partners BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER keep_partners_ins AFTER INSERT ON keep_partners BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
CREATE TRIGGER keep_partners_del AFTER DELETE ON keep_partners BEGIN UPDATE data_version SET v = v + 1 WHERE id = 1; END;
