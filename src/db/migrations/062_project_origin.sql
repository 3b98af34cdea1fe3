-- 062: where a project was born (a roundtable bullet or action item), owned by src/projects/: the
-- link back from the roundtable side (proj_born_from in projects.h) reads it.
ALTER TABLE projects ADD COLUMN origin_type TEXT CHECK (origin_type IN ('bullet','action'));
ALTER TABLE projects ADD COLUMN origin_id INTEGER;
CREATE INDEX projects_origin ON projects(origin_type, origin_id) WHERE origin_type IS NOT NULL;
