-- 073: the duplicate-name check of a new organisation (src/org/model.c: same country,
-- municipality and name) looked through every organisation of the country: an import of 100 000
-- rows slowed from 8 000 rows a minute to under 1 000 (docs/performance.md). By place it reads
-- the few of the municipality.
CREATE INDEX organisations_place ON organisations(country, municipality);
