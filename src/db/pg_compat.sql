-- PostgreSQL only: the SQLite functions the modules' SQL uses, as SQL functions, so that one
-- SQL text runs on both stores (src/db/pg.c). Applied by the layer before the migrations, on
-- every start (CREATE OR REPLACE: idempotent), under the store-wide write lock.
-- Times are UTC text "YYYY-MM-DDTHH:MM:SSZ" as in SQLite; 'now' is the statement's time.
-- The columns that hold instants are timestamptz on PostgreSQL (migrations/pg/084_timestamptz.sql):
-- the functions below take them as well as text, a timestamptz compares with text (the text read
-- as an instant), and strftime('%Y-%m-%dT%H:%M:%SZ', …) — what the modules write into those
-- columns — is rewritten by the layer into granslos_instant(…), a timestamptz (pg.c). The layer
-- reads a timestamptz back as SQLite's text ("2026-12-02T02:39:06Z").

CREATE OR REPLACE FUNCTION granslos_ts(t text) RETURNS timestamp LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN t IS NULL THEN NULL
              WHEN t = 'now' THEN statement_timestamp() AT TIME ZONE 'UTC'
              WHEN t ~ '^[0-9]+$' THEN to_timestamp(t::bigint) AT TIME ZONE 'UTC'
              ELSE t::timestamp END $$;

CREATE OR REPLACE FUNCTION granslos_ts(t timestamptz) RETURNS timestamp LANGUAGE sql STABLE AS $$
  SELECT t AT TIME ZONE 'UTC' $$;

-- granslos_mod: one SQLite date modifier ('+1 day', '-3 hours', 'start of day' …)
CREATE OR REPLACE FUNCTION granslos_mod(ts timestamp, m text) RETURNS timestamp LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN m IS NULL THEN ts
              WHEN lower(m) = 'start of day' THEN date_trunc('day', ts)
              WHEN lower(m) = 'start of month' THEN date_trunc('month', ts)
              WHEN lower(m) = 'start of year' THEN date_trunc('year', ts)
              WHEN lower(m) IN ('utc', 'localtime') THEN ts
              ELSE ts + m::interval END $$;

CREATE OR REPLACE FUNCTION strftime(fmt text, t text, m1 text DEFAULT NULL, m2 text DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN ts IS NULL THEN NULL
              WHEN fmt = '%s' THEN floor(extract(epoch FROM ts))::bigint::text
              ELSE to_char(ts, replace(replace(replace(replace(replace(replace(replace(replace(replace(fmt,
                     '%Y', 'YYYY'), '%m', 'MM'), '%d', 'DD'), '%H', 'HH24'), '%M', 'MI'), '%S', 'SS'),
                     'T', '"T"'), 'Z', '"Z"'), '%W', 'WW')) END
  FROM (SELECT granslos_mod(granslos_mod(granslos_ts(t), m1), m2) AS ts) x $$;

CREATE OR REPLACE FUNCTION strftime(fmt text, t timestamptz, m1 text DEFAULT NULL, m2 text DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT strftime(fmt, to_char(granslos_ts(t), 'YYYY-MM-DD HH24:MI:SS'), m1, m2) $$;

-- granslos_instant(t, m1, m2): strftime('%Y-%m-%dT%H:%M:%SZ', t, m1, m2) as a timestamptz (whole
-- seconds, as SQLite's %S), for the instant columns; the layer rewrites that strftime into it
CREATE OR REPLACE FUNCTION granslos_instant(t text, m1 text DEFAULT NULL, m2 text DEFAULT NULL) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT date_trunc('second', granslos_mod(granslos_mod(granslos_ts(t), m1), m2)) AT TIME ZONE 'UTC' $$;
CREATE OR REPLACE FUNCTION granslos_instant(t timestamptz, m1 text DEFAULT NULL, m2 text DEFAULT NULL) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT date_trunc('second', granslos_mod(granslos_mod(granslos_ts(t), m1), m2)) AT TIME ZONE 'UTC' $$;

CREATE OR REPLACE FUNCTION datetime(t timestamptz, m1 text DEFAULT NULL, m2 text DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(granslos_mod(granslos_mod(granslos_ts(t), m1), m2), 'YYYY-MM-DD HH24:MI:SS') $$;

CREATE OR REPLACE FUNCTION date(t timestamptz, m1 text DEFAULT NULL, m2 text DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(granslos_mod(granslos_mod(granslos_ts(t), m1), m2), 'YYYY-MM-DD') $$;

CREATE OR REPLACE FUNCTION unixepoch(t timestamptz) RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT floor(extract(epoch FROM t))::bigint $$;

CREATE OR REPLACE FUNCTION datetime(t text, m1 text DEFAULT NULL, m2 text DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(granslos_mod(granslos_mod(granslos_ts(t), m1), m2), 'YYYY-MM-DD HH24:MI:SS') $$;

CREATE OR REPLACE FUNCTION date(t text, m1 text DEFAULT NULL, m2 text DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(granslos_mod(granslos_mod(granslos_ts(t), m1), m2), 'YYYY-MM-DD') $$;

CREATE OR REPLACE FUNCTION unixepoch(t text DEFAULT 'now') RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT floor(extract(epoch FROM granslos_ts(t)))::bigint $$;

-- an instant compared with text (what a text-valued compat function or a text parameter gives):
-- the text read as an instant (SQLite compares the two texts; for its canonical instants, the same).
-- Comparison with an unknown-typed literal or parameter still takes timestamptz's own operators.
CREATE OR REPLACE FUNCTION granslos_tz_eq(a timestamptz, b text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a = b::timestamptz $$;
CREATE OR REPLACE FUNCTION granslos_tz_ne(a timestamptz, b text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a <> b::timestamptz $$;
CREATE OR REPLACE FUNCTION granslos_tz_lt(a timestamptz, b text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a < b::timestamptz $$;
CREATE OR REPLACE FUNCTION granslos_tz_le(a timestamptz, b text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a <= b::timestamptz $$;
CREATE OR REPLACE FUNCTION granslos_tz_gt(a timestamptz, b text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a > b::timestamptz $$;
CREATE OR REPLACE FUNCTION granslos_tz_ge(a timestamptz, b text) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a >= b::timestamptz $$;
CREATE OR REPLACE FUNCTION granslos_text_eq(a text, b timestamptz) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a::timestamptz = b $$;
CREATE OR REPLACE FUNCTION granslos_text_ne(a text, b timestamptz) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a::timestamptz <> b $$;
CREATE OR REPLACE FUNCTION granslos_text_lt(a text, b timestamptz) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a::timestamptz < b $$;
CREATE OR REPLACE FUNCTION granslos_text_le(a text, b timestamptz) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a::timestamptz <= b $$;
CREATE OR REPLACE FUNCTION granslos_text_gt(a text, b timestamptz) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a::timestamptz > b $$;
CREATE OR REPLACE FUNCTION granslos_text_ge(a text, b timestamptz) RETURNS boolean LANGUAGE sql STABLE AS $$ SELECT a::timestamptz >= b $$;
DO $$ DECLARE o record; BEGIN
  FOR o IN SELECT * FROM (VALUES ('=', 'eq'), ('<>', 'ne'), ('<', 'lt'), ('<=', 'le'), ('>', 'gt'), ('>=', 'ge')) v(op, fn) LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = o.op AND oprleft = 'timestamptz'::regtype AND oprright = 'text'::regtype) THEN
      EXECUTE format('CREATE OPERATOR %s (LEFTARG = timestamptz, RIGHTARG = text, FUNCTION = granslos_tz_%s)', o.op, o.fn);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_operator WHERE oprname = o.op AND oprleft = 'text'::regtype AND oprright = 'timestamptz'::regtype) THEN
      EXECUTE format('CREATE OPERATOR %s (LEFTARG = text, RIGHTARG = timestamptz, FUNCTION = granslos_text_%s)', o.op, o.fn);
    END IF;
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION instr(s text, sub text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(s, sub) $$;

CREATE OR REPLACE FUNCTION ifnull(a anyelement, b anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(a, b) $$;

-- max(a, b) / min(a, b): SQLite's scalar forms (NULL when either is NULL)
CREATE OR REPLACE FUNCTION max(a anyelement, b anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE greatest(a, b) END $$;
CREATE OR REPLACE FUNCTION min(a anyelement, b anyelement) RETURNS anyelement LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE least(a, b) END $$;

CREATE OR REPLACE FUNCTION round(v double precision, d integer) RETURNS double precision LANGUAGE sql IMMUTABLE AS $$
  SELECT round(v::numeric, d)::double precision $$;

-- group_concat(x [, sep]): string_agg of any type (SQLite's default separator is ',')
CREATE OR REPLACE FUNCTION granslos_gc(acc text, v anyelement, sep text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text ELSE acc || sep || v::text END $$;
CREATE OR REPLACE FUNCTION granslos_gc1(acc text, v anyelement) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v::text ELSE acc || ',' || v::text END $$;
CREATE OR REPLACE AGGREGATE group_concat(anyelement, text) (SFUNC = granslos_gc, STYPE = text);
CREATE OR REPLACE AGGREGATE group_concat(anyelement) (SFUNC = granslos_gc1, STYPE = text);

-- sum(condition): SQLite's booleans are integers
CREATE OR REPLACE FUNCTION granslos_bsum(acc bigint, v boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN acc ELSE coalesce(acc, 0) + v::int END $$;
CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = granslos_bsum, STYPE = bigint);
CREATE OR REPLACE AGGREGATE total(boolean) (SFUNC = granslos_bsum, STYPE = bigint, INITCOND = '0');

-- COLLATE NOCASE: compares ignoring case (ICU), as SQLite's NOCASE does for ASCII
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'nocase') THEN
    CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
  END IF;
END $$;

-- json_each(text) over a JSON array, as SQLite's: key is the position from 0, value the element
-- (a scalar as text, an object or array as its JSON text); anything but an array yields no rows.
-- (PostgreSQL's own json_each(json) takes objects; an unknown-typed parameter picks this one.)
CREATE OR REPLACE FUNCTION json_each(t text) RETURNS TABLE(key bigint, value text) LANGUAGE sql IMMUTABLE AS $$
  SELECT e.ord - 1, e.v FROM json_array_elements_text(CASE WHEN json_typeof(t::json) = 'array' THEN t::json ELSE '[]'::json END)
    WITH ORDINALITY AS e(v, ord) $$;

-- json_extract(text, '$.a.b'): the member at a simple path, as text (SQLite's for scalars)
CREATE OR REPLACE FUNCTION json_extract(t text, p text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT (t::json) #>> CASE WHEN p = '$' THEN '{}'::text[] ELSE string_to_array(substr(p, 3), '.') END $$;
