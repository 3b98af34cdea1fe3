-- 072: the language an obstacle's text is written in (issue 12, "language honesty"): pages in another
-- language mark it (lang attribute, WCAG 3.1.2) and say so. The register's first obstacles, from the
-- Mötesplats Vision report, are in Swedish; new ones take the language their reporter chooses.
ALTER TABLE obstacles ADD COLUMN lang TEXT NOT NULL DEFAULT 'sv' CHECK (lang IN ('sv', 'nb', 'en'));
