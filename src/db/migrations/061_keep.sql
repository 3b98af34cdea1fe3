-- 061: past Interreg projects from keep.eu (2014–20), owned by src/projects/: the track record of
-- organisations (`granslos import keep FILE`). Partners are matched to the directory by their
-- case-folded name when shown, so a later import or a renamed organisation needs no migration.

CREATE TABLE keep_projects (
  programme TEXT NOT NULL,
  acronym   TEXT NOT NULL,
  name      TEXT NOT NULL DEFAULT '',
  lead      TEXT NOT NULL DEFAULT '',
  period    TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (programme, acronym)
) STRICT;

CREATE TABLE keep_partners (
  programme TEXT NOT NULL,
  acronym   TEXT NOT NULL,
  partner   TEXT NOT NULL,
  name_fold TEXT NOT NULL,                  -- text_fold(partner), for the match
  lead      INTEGER NOT NULL DEFAULT 0,
  country   TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (programme, acronym, partner)
) STRICT;
CREATE INDEX keep_partners_fold ON keep_partners(name_fold);
