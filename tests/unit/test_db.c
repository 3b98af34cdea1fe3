/* The database layer (db/db.h) against a real temporary store: failures are loud (the
 * connection's flag, the request end's status, the 500 that replaces the buffered answer), a
 * failed prepare takes no cache slot, thousands of distinct statements neither abort nor grow
 * the cache without bound, a forgotten commit is rolled back and reported, and the one-value
 * helpers. The same over HTTP: tests/http/dblayer.test.mjs.
 * With GRANSLOS_TEST_PG set (a base URL, as tests/pg-cluster prints) the same tests run on a
 * fresh PostgreSQL database of that cluster, with the ones only PostgreSQL has (the dialect, a
 * store that goes away and comes back). tests/run runs both. Also the change feed (db/feed.h):
 * catch-up in order, once per id, data_version, a pruned past, and its listener thread. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "core/buf.h"
#include "db/db.h"
#include "db/feed.h"
#include "http/http.h"

static char path[512];
static const char *pg; /* GRANSLOS_TEST_PG, or NULL: SQLite */
static db_t *db;
static arena_t *a;

static void psql(const char *sql) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "psql -X -q '%s/postgres' -c '%s' >/dev/null 2>&1", pg, sql);
    if (system(cmd) != 0) fprintf(stderr, "psql failed: %s\n", sql);
}

static void rm_db(void) {
    if (pg) {
        char q[160];
        snprintf(q, sizeof q, "DROP DATABASE IF EXISTS granslos_unit_%d WITH (FORCE)", (int)getpid());
        psql(q);
        return;
    }
    char p[600];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path); unlink(p);
    snprintf(p, sizeof p, "%s-shm", path); unlink(p);
}

static int setup(void **st) {
    (void)st;
    if (pg) snprintf(path, sizeof path, "%s/granslos_unit_%d", pg, (int)getpid());
    else snprintf(path, sizeof path, "/tmp/granslos-db-%d.db", (int)getpid());
    rm_db();
    if (pg) {
        char q[160];
        snprintf(q, sizeof q, "CREATE DATABASE granslos_unit_%d", (int)getpid());
        psql(q);
    }
    if (!db_global_init(path)) return -1;
    db = db_get();
    a = arena_new();
    if (!db || !db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")) return -1;
    return 0;
}
static int teardown(void **st) {
    (void)st;
    db_global_close();
    arena_free(a);
    rm_db();
    return 0;
}

static int64_t count_rows(void) { return db_int_of(db_prep(db, "SELECT count(*) FROM t"), -1); }

/* A failing statement is never "no row": the flag is set and the request end says so. */
static void failure_is_loud(void **st) {
    (void)st;
    db_request_begin(db);
    assert_false(db_request_failed(db));
    stmt_t *s = db_prep(db, "SELECT v FROM t WHERE id = :id");
    db_bind_int(s, ":id", 1);
    assert_false(db_step(s));                /* no row, and that is fine */
    assert_false(db_request_failed(db));
    assert_int_equal(db_request_end(db), DB_REQ_OK);

    db_request_begin(db);
    int before = db_cache_count(db);
    uint64_t errors = db_error_count();
    for (int i = 0; i < 3; i++) {           /* a failing prepare takes no slot, however often */
        s = db_prep(db, "SELECT v FROM no_such_table WHERE id = :id");
        db_bind_int(s, ":id", 1);            /* binding on a failed statement is harmless */
        assert_false(db_step(s));
        assert_false(db_ok(s));
        assert_null(db_text(s, 0));
    }
    assert_int_equal(db_cache_count(db), before);
    assert_true(db_error_count() >= errors + 3);
    assert_true(db_request_failed(db));
    assert_int_equal(db_request_end(db), DB_REQ_FAILED);

    /* an unknown parameter and a failing step count too */
    db_request_begin(db);
    s = db_prep(db, "SELECT v FROM t WHERE id = :id");
    db_bind_int(s, ":nope", 1);
    assert_false(db_run(s));
    assert_int_equal(db_request_end(db), DB_REQ_FAILED);
    db_request_begin(db);
    assert_true(db_run(db_prep(db, "INSERT INTO t (id, v) VALUES (1, 'a')")));
    assert_false(db_run(db_prep(db, "INSERT INTO t (id, v) VALUES (1, 'a')"))); /* primary key */
    assert_int_equal(db_request_end(db), DB_REQ_FAILED);
    /* trailing SQL is an error and takes no slot either */
    db_request_begin(db);
    before = db_cache_count(db);
    assert_false(db_run(db_prep(db, "SELECT 1; SELECT 2")));
    assert_int_equal(db_cache_count(db), before);
    assert_int_equal(db_request_end(db), DB_REQ_FAILED);
    /* the next request starts clean */
    db_request_begin(db);
    assert_int_equal(count_rows(), 1);
    assert_int_equal(db_request_end(db), DB_REQ_OK);
}

/* Thousands of distinct statements: no abort; past the soft limit, statements of earlier
 * requests are evicted (finalized), those of the current request are kept (it may hold them). */
static void cache_pressure(void **st) {
    (void)st;
    enum { N = 5000 };
    char **sql = arena_alloc(a, N * sizeof *sql);
    for (int i = 0; i < N; i++) sql[i] = arena_printf_libc(a, "SELECT %d + :x", i);
    /* all in one request: the cache grows, every statement stays valid */
    db_request_begin(db);
    stmt_t *first = db_prep_key(db, sql[0]);
    for (int i = 0; i < N; i++) {
        stmt_t *s = db_prep_key(db, sql[i]);
        db_bind_int(s, ":x", 1);
        assert_int_equal(db_int_of(s, -1), i + 1);
    }
    assert_true(db_cache_count(db) >= N);
    db_bind_int(first, ":x", 2);             /* the first one is still alive */
    assert_int_equal(db_int_of(first, -1), 2);
    assert_int_equal(db_request_end(db), DB_REQ_OK);
    /* later requests, each with new statements: the cache shrinks back to its bound by evicting
     * (finalizing) the least recently used, and stays there */
    char **more = arena_alloc(a, N * sizeof *more);
    for (int i = 0; i < N; i++) more[i] = arena_printf_libc(a, "SELECT %d - :x", i);
    uint64_t ev = db_cache_evictions(db);
    for (int i = 0; i < N; i++) {
        db_request_begin(db);
        stmt_t *s = db_prep_key(db, more[i]);
        db_bind_int(s, ":x", 1);
        assert_int_equal(db_int_of(s, -1), i - 1);
        s = db_prep_key(db, sql[i]);          /* old ones come back when asked for */
        db_bind_int(s, ":x", 0);
        assert_int_equal(db_int_of(s, -1), i);
        assert_true(db_cache_count(db) <= 512);
        assert_int_equal(db_request_end(db), DB_REQ_OK);
    }
    assert_true(db_cache_evictions(db) >= ev + N);
    /* a literal statement still works after all that */
    db_request_begin(db);
    assert_true(count_rows() >= 0);
    assert_int_equal(db_request_end(db), DB_REQ_OK);
}

/* A handler that forgets to commit: its write is rolled back and the request end reports it. */
static void forgotten_commit(void **st) {
    (void)st;
    db_request_begin(db);
    int64_t n = count_rows();
    assert_true(db_begin(db));
    assert_true(db_begin(db));              /* nested: a savepoint */
    stmt_t *s = db_prep(db, "INSERT INTO t (v) VALUES (:v)");
    db_bind_text(s, ":v", "forgotten");
    assert_true(db_run(s));
    assert_int_equal(db_depth(db), 2);
    assert_false(db_request_failed(db));    /* nothing failed, yet the request is wrong */
    assert_int_equal(db_request_end(db), DB_REQ_OPEN_TX);
    assert_int_equal(db_depth(db), 0);
    db_request_begin(db);
    assert_int_equal(count_rows(), n);      /* the write is gone, whole */
    assert_int_equal(db_request_end(db), DB_REQ_OK);
    /* committed properly: kept, and OK */
    db_request_begin(db);
    assert_true(db_begin(db));
    s = db_prep(db, "INSERT INTO t (v) VALUES (:v)");
    db_bind_text(s, ":v", "kept");
    assert_true(db_run(s));
    assert_true(db_commit(db));
    assert_int_equal(db_request_end(db), DB_REQ_OK);
    db_request_begin(db);
    assert_int_equal(count_rows(), n + 1);
    assert_int_equal(db_request_end(db), DB_REQ_OK);
}

static req_t *fake_req(const char *path_) {
    req_t *r = arena_alloc(a, sizeof *r);
    r->arena = a;
    r->method = "POST";
    r->path = path_;
    r->lang = "en";
    r->status = 200;
    buf_init(&r->out, a);
    return r;
}

/* The request layer's hook: a failed statement or an open transaction replaces the buffered
 * answer (here a "saved" JSON with a Location header) by a 500 that says what happened. */
static void request_end_answers_500(void **st) {
    (void)st;
    db_request_begin(db);
    req_t *r = fake_req("/api/v1/things");
    resp_header(r, "Location", "/things/1");
    bprintf(&r->out, "{\"saved\":true}");
    http_db_finish(r);                      /* nothing went wrong: untouched */
    assert_int_equal(r->status, 200);
    assert_string_equal(r->out.data, "{\"saved\":true}");
    assert_int_equal(r->headers.n, 1);

    db_request_begin(db);
    r = fake_req("/api/v1/things");
    resp_header(r, "Location", "/things/1");
    assert_true(db_begin(db));
    assert_true(db_run(db_prep(db, "INSERT INTO t (v) VALUES ('x')")));
    r->status = 201;
    bprintf(&r->out, "{\"saved\":true}");
    http_db_finish(r);                      /* forgot the commit */
    assert_int_equal(r->status, 500);
    assert_null(strstr(r->out.data, "saved\":true"));
    assert_non_null(strstr(r->out.data, "\"internal-error\""));
    assert_non_null(strstr(r->out.data, "A database operation failed"));
    assert_int_equal(r->headers.n, 0);      /* no Location to the thing that was not saved */
    assert_string_equal(r->ctype, "application/problem+json");

    db_request_begin(db);
    r = fake_req("/api/v1/things");
    bprintf(&r->out, "[]");                  /* an empty list from a failing query */
    assert_false(db_step(db_prep(db, "SELECT * FROM missing_table")));
    http_db_finish(r);
    assert_int_equal(r->status, 500);
    assert_non_null(strstr(r->out.data, "A database operation failed"));
}

static void helpers(void **st) {
    (void)st;
    db_request_begin(db);
    stmt_t *s = db_prep(db, "INSERT INTO t (id, v) VALUES (:id, :v)");
    db_bind_id(s, ":id", 0);                /* 0 binds NULL: a new rowid */
    db_bind_text(s, ":v", "helper");
    assert_true(db_run(s));
    int64_t id = db_last_id(db);
    assert_true(id > 0);
    s = db_prep(db, "SELECT id FROM t WHERE v = :v");
    db_bind_text(s, ":v", "helper");
    assert_int_equal(db_int_of(s, -1), id);
    s = db_prep(db, "SELECT id FROM t WHERE v = :v");
    db_bind_text(s, ":v", "nobody");
    assert_int_equal(db_int_of(s, -7), -7);
    s = db_prep(db, "SELECT v FROM t WHERE id = :id");
    db_bind_id(s, ":id", id);
    assert_string_equal(db_text_of(s, a), "helper");
    s = db_prep(db, "SELECT v FROM t WHERE id IS :id");
    db_bind_id(s, ":id", -1);               /* NULL: no row */
    assert_null(db_text_of(s, a));
    /* the one-parameter forms bind, step once and reset: asked twice, the same answer */
    for (int k = 0; k < 2; k++) {
        assert_int_equal(db_int_for_text(db_prep(db, "SELECT id FROM t WHERE v = :v"), ":v", "helper"), id);
        assert_int_equal(db_int_for_text(db_prep(db, "SELECT id FROM t WHERE v = :v"), ":v", "nobody"), 0);
        assert_int_equal(db_int_for(db_prep(db, "SELECT id * 2 FROM t WHERE id = :id"), ":id", id), id * 2);
        assert_true(db_exists_for(db_prep(db, "SELECT 1 FROM t WHERE id = :id"), ":id", id));
        assert_false(db_exists_for(db_prep(db, "SELECT 1 FROM t WHERE id = :id"), ":id", id + 1000));
        assert_true(db_exists(db_prep(db, "SELECT 1 FROM t")));
    }
    /* db_run_each: every statement in order, with the one parameter */
    static const char *const sql[] = {
        "INSERT INTO t (id, v) VALUES (:x, 'each')",
        "UPDATE t SET v = v || '-done' WHERE id = :x",
    };
    assert_true(db_run_each(db, sql, ":x", id + 1));
    s = db_prep(db, "SELECT v FROM t WHERE id = :id");
    db_bind_int(s, ":id", id + 1);
    assert_string_equal(db_text_of(s, a), "each-done");
    assert_int_equal(db_request_end(db), DB_REQ_OK);
    /* ... and stops at the first that fails: the second insert of the same id */
    db_request_begin(db);
    static const char *const bad[] = {
        "INSERT INTO t (id, v) VALUES (:x, 'again')",
        "DELETE FROM t WHERE id = :x",
    };
    assert_false(db_run_each(db, bad, ":x", id + 1));
    assert_int_equal(db_request_end(db), DB_REQ_FAILED);
    assert_true(db_exists_for(db_prep(db, "SELECT 1 FROM t WHERE id = :id"), ":id", id + 1));
}

/* db_binds: each parameter binds as its own db_bind_* would (DB_ID of 0 is NULL, DB_TEXT of NULL
 * is NULL), and an unknown name fails the statement as db_bind_* does */
static void binds(void **st) {
    (void)st;
    db_request_begin(db);
    stmt_t *s = db_prep(db, "SELECT :i, :t, :d IS NULL, :n IS NULL, :d2");
    db_binds(s, DB_INT(":i", 42), DB_TEXT(":t", "x"), DB_ID(":d", 0), DB_TEXT(":n", NULL), DB_ID(":d2", 7));
    assert_true(db_step(s));
    assert_int_equal(db_int(s, 0), 42);
    assert_string_equal(db_text(s, 1), "x");
    assert_int_equal(db_int(s, 2), 1);
    assert_int_equal(db_int(s, 3), 1);
    assert_int_equal(db_int(s, 4), 7);
    db_reset(s);
    assert_int_equal(db_request_end(db), DB_REQ_OK);
    db_request_begin(db);
    s = db_prep(db, "SELECT :i");
    db_binds(s, DB_INT(":i", 1), DB_INT(":nosuch", 2));
    assert_false(db_step(s));
    assert_int_equal(db_request_end(db), DB_REQ_FAILED);
}

/* Instants (created_at, deleted_at …) are text in SQLite and timestamptz on PostgreSQL: on both
 * the code writes and reads SQLite's text "YYYY-MM-DDTHH:MM:SSZ", compares them with bound text
 * (also where the parameter's type must be given: ":x IS NULL OR …", "CASE … THEN :now END"),
 * with the compat functions' text, and applies strftime, datetime, date and unixepoch to them. */
static void instants(void **st) {
    (void)st;
    db_request_begin(db);
    stmt_t *s = db_prep(db, "INSERT INTO users (name, created_at, deleted_at) VALUES (:n, :now, CASE WHEN :gone = 1 THEN :now END)");
    db_binds(s, DB_TEXT(":n", "Anna"), DB_TEXT(":now", "2020-01-01T00:00:00Z"), DB_INT(":gone", 1));
    assert_true(db_run(s));
    int64_t anna = db_last_id(db);
    s = db_prep(db, "INSERT INTO users (name, created_at, deleted_at) VALUES (:n, :now, CASE WHEN :gone = 1 THEN :now END)");
    db_binds(s, DB_TEXT(":n", "Ola"), DB_TEXT(":now", "2020-01-02T12:30:05Z"), DB_INT(":gone", 0));
    assert_true(db_run(s));
    assert_true(db_run(db_prep(db, "INSERT INTO users (name, created_at) VALUES ('Mia', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))")));
    int64_t mia = db_last_id(db);
    /* read back as written */
    s = db_prep(db, "SELECT created_at, deleted_at FROM users WHERE id = :id");
    db_bind_int(s, ":id", anna);
    assert_true(db_step(s));
    assert_string_equal(db_text(s, 0), "2020-01-01T00:00:00Z");
    assert_string_equal(db_text(s, 1), "2020-01-01T00:00:00Z");
    db_reset(s);
    s = db_prep(db, "SELECT created_at FROM users WHERE id = :id");
    db_bind_int(s, ":id", mia);
    char *now = db_text_of(s, a);
    assert_non_null(now);
    assert_int_equal(strlen(now), 20);
    assert_true(now[4] == '-' && now[10] == 'T' && now[13] == ':' && now[19] == 'Z');
    assert_string_equal(db_text_of(db_prep(db, "SELECT max(created_at) FROM users WHERE name <> 'Mia'"), a), "2020-01-02T12:30:05Z");
    /* compared with bound text, with and without a type the server can tell */
    s = db_prep(db, "SELECT count(*) FROM users WHERE created_at >= :since");
    db_bind_text(s, ":since", "2020-01-02T00:00:00Z");
    assert_int_equal(db_int_of(s, -1), 2);
    s = db_prep(db, "SELECT count(*) FROM users WHERE (:since IS NULL OR created_at >= :since)");
    db_bind_text(s, ":since", "2020-01-02T00:00:00Z");
    assert_int_equal(db_int_of(s, -1), 2);
    s = db_prep(db, "SELECT count(*) FROM users WHERE (:since IS NULL OR created_at >= :since)");
    db_bind_text(s, ":since", NULL);
    assert_int_equal(db_int_of(s, -1), 3);
    assert_int_equal(db_int_of(db_prep(db, "SELECT count(*) FROM users WHERE deleted_at IS NULL"), -1), 2);
    /* with the compat functions' text, and the functions applied to them */
    assert_int_equal(db_int_of(db_prep(db, "SELECT count(*) FROM users WHERE created_at < datetime('now', '-1 day')"), -1), 2);
    assert_int_equal(db_int_of(db_prep(db, "SELECT count(*) FROM users WHERE created_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')"), -1), 1);
    s = db_prep(db, "SELECT strftime('%s', created_at), datetime(created_at, '+1 day'), date(created_at), unixepoch(created_at), "
                    "strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+1 hour') FROM users WHERE id = :id");
    db_bind_int(s, ":id", anna);
    assert_true(db_step(s));
    assert_string_equal(db_text(s, 0), "1577836800");
    assert_string_equal(db_text(s, 1), "2020-01-02 00:00:00");
    assert_string_equal(db_text(s, 2), "2020-01-01");
    assert_int_equal(db_int(s, 3), 1577836800);
    assert_string_equal(db_text(s, 4), "2020-01-01T01:00:00Z");
    db_reset(s);
    /* NULL again, and written from another row's instant */
    s = db_prep(db, "UPDATE users SET deleted_at = :d WHERE id = :id");
    db_binds(s, DB_TEXT(":d", NULL), DB_INT(":id", anna));
    assert_true(db_run(s));
    s = db_prep(db, "UPDATE users SET deleted_at = (SELECT created_at FROM users WHERE name = 'Ola') WHERE id = :id");
    db_bind_int(s, ":id", mia);
    assert_true(db_run(s));
    assert_string_equal(db_text_of(db_prep(db, "SELECT deleted_at FROM users WHERE name = 'Mia'"), a), "2020-01-02T12:30:05Z");
    assert_int_equal(db_request_end(db), DB_REQ_OK);
}

/* ---- PostgreSQL only ---- */

/* Every column that holds an instant is timestamptz (migrations/pg/084_timestamptz.sql): a new
 * table or column named *_at, at, since or *_utc left as text fails here; one holding unix
 * seconds is an integer. A timestamptz of any offset and with a fraction reads as SQLite's text. */
static void pg_instant_columns(void **st) {
    (void)st;
    db_request_begin(db);
    stmt_t *s = db_prep(db, "SELECT c.table_name || '.' || c.column_name FROM information_schema.columns c "
                            "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
                            "AND t.table_type = 'BASE TABLE' WHERE c.table_schema = current_schema() AND c.data_type = 'text' "
                            "AND (c.column_name LIKE '%\\_at' ESCAPE '\\' OR c.column_name LIKE '%\\_utc' ESCAPE '\\' OR c.column_name IN ('at', 'since')) "
                            "ORDER BY 1");
    int text = 0;
    while (db_step(s)) { fprintf(stderr, "an instant column is text on PostgreSQL: %s\n", db_text(s, 0)); text++; }
    assert_int_equal(text, 0);
    int64_t n = db_int_of(db_prep(db, "SELECT count(*) FROM information_schema.columns c JOIN information_schema.tables t "
                                      "ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' "
                                      "WHERE c.table_schema = current_schema() AND c.data_type = 'timestamp with time zone'"), -1);
    assert_true(n >= 66);
    assert_string_equal(db_text_of(db_prep(db, "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() "
                                               "AND table_name = 'users' AND column_name = 'created_at'"), a),
                        "timestamp with time zone");
    assert_string_equal(db_text_of(db_prep(db, "SELECT TIMESTAMPTZ '2026-12-02 02:39:06.75+02'"), a), "2026-12-02T00:39:06Z");
    assert_string_equal(db_text_of(db_prep(db, "SELECT TIMESTAMPTZ '2026-12-02 02:39:06-05:30'"), a), "2026-12-02T08:09:06Z");
    assert_string_equal(db_text_of(db_prep(db, "SELECT TIMESTAMPTZ 'infinity'"), a), "infinity");
    assert_int_equal(db_request_end(db), DB_REQ_OK);
}

/* The modules' SQLite dialect runs as it means on PostgreSQL (src/db/pg.c): NULL order,
 * LIKE ignoring case, WHERE 1, IS as NULL-safe equality, booleans and sums of conditions as
 * integers, group_concat, strftime, rowid semantics of INTEGER PRIMARY KEY, last ids. */
static void pg_dialect(void **st) {
    (void)st;
    db_request_begin(db);
    assert_true(db_is_pg(db));
    assert_true(db_run(db_prep(db, "INSERT INTO t (id, v) VALUES (5, NULL)"))); /* explicit id 5, then 6 and 7 as in SQLite */
    assert_int_equal(db_last_id(db), 5);
    assert_true(db_run(db_prep(db, "INSERT INTO t (v) VALUES ('Beta')")));
    assert_true(db_run(db_prep(db, "INSERT INTO t (v) VALUES ('alpha')")));
    assert_int_equal(db_last_id(db), 7);
    stmt_t *s = db_prep(db, "INSERT INTO t (id, v) VALUES (:id, 'gamma')");
    db_bind_id(s, ":id", 0);                        /* NULL: the next id */
    assert_true(db_run(s));
    assert_int_equal(db_last_id(db), 8);
    assert_int_equal(db_changes(db), 1);
    /* NULLs first ascending, last descending */
    assert_null(db_text_of(db_prep(db, "SELECT v FROM t ORDER BY v LIMIT 1"), a));
    assert_string_equal(db_text_of(db_prep(db, "SELECT v FROM t ORDER BY v DESC LIMIT 1"), a), "gamma");
    assert_int_equal(db_int_of(db_prep(db, "SELECT count(*) FROM t WHERE 1 AND v LIKE 'BET%'"), -1), 1);
    assert_int_equal(db_int_of(db_prep(db, "SELECT sum(v IS NULL) FROM t WHERE 1"), -1), 1);
    s = db_prep(db, "SELECT v IS NOT NULL, id FROM t WHERE v IS :v");
    db_bind_null(s, ":v");
    assert_true(db_step(s));
    assert_true(db_is_int(s, 0));
    assert_int_equal(db_int(s, 0), 0);
    assert_string_equal(db_text(s, 0), "0");
    assert_int_equal(db_int(s, 1), 5);
    db_reset(s);
    assert_string_equal(db_text_of(db_prep(db, "SELECT group_concat(id) FROM (SELECT id FROM t ORDER BY id) x"), a), "5,6,7,8");
    assert_string_equal(db_text_of(db_prep(db, "SELECT group_concat(v, ' ') FROM (SELECT v FROM t WHERE v IS NOT NULL ORDER BY id) x"), a),
                        "Beta alpha gamma");
    char *now = db_text_of(db_prep(db, "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"), a);
    assert_non_null(now);
    assert_int_equal(strlen(now), 20);
    assert_true(now[10] == 'T' && now[19] == 'Z');
    assert_true(db_int_of(db_prep(db, "SELECT CAST(strftime('%s', 'now') AS INTEGER)"), 0) > 1700000000);
    /* a NULL bound where PostgreSQL cannot tell the type by itself */
    s = db_prep(db, "SELECT count(*) FROM t WHERE (:v IS NULL OR v = :v)");
    db_bind_text(s, ":v", NULL);
    assert_int_equal(db_int_of(s, -1), 4);
    s = db_prep(db, "SELECT count(*) FROM t WHERE (:v IS NULL OR v = :v)");
    db_bind_text(s, ":v", "alpha");
    assert_int_equal(db_int_of(s, -1), 1);
    assert_int_equal(db_request_end(db), DB_REQ_OK);
}

/* kill_backends: end every other connection to this test's database (a server restart, as the
 * connections see it) */
static void kill_backends(void) {
    char q[256];
    snprintf(q, sizeof q, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %sgranslos_unit_%d%s",
             "'\\''", (int)getpid(), "'\\''");
    psql(q);
}

/* The server drops the connection: a read is retried on a new connection; a write is not
 * (it may have been done): that request fails as unavailable (503), the next one reconnects. */
static void pg_reconnect(void **st) {
    (void)st;
    db_request_begin(db);
    assert_true(db_run(db_prep(db, "INSERT INTO t (v) VALUES ('before')")));
    assert_int_equal(db_request_end(db), DB_REQ_OK);
    kill_backends();
    db_request_begin(db);
    assert_int_equal(count_rows(), 1);               /* reconnected, and the read repeated */
    assert_int_equal(db_request_end(db), DB_REQ_OK);
    db_request_begin(db);                            /* a write prepared on the connection ... */
    assert_true(db_run(db_prep(db, "INSERT INTO t (v) VALUES ('lost')")));
    assert_int_equal(db_request_end(db), DB_REQ_OK);
    kill_backends();
    db_request_begin(db);                            /* ... and run again when it has gone */
    assert_false(db_run(db_prep(db, "INSERT INTO t (v) VALUES ('lost')")));
    assert_true(db_unavailable(db));
    assert_int_equal(db_request_end(db), DB_REQ_UNAVAILABLE);
    db_request_begin(db);                            /* the next request: back */
    assert_false(db_unavailable(db));
    assert_true(db_run(db_prep(db, "INSERT INTO t (v) VALUES ('after')")));
    assert_int_equal(count_rows(), 3);
    assert_int_equal(db_request_end(db), DB_REQ_OK);
}

/* A store that cannot be reached: db_open refuses, db_get still gives a connection (so that no
 * handler meets NULL), and the request answers 503 with Retry-After. */
static void pg_down(void **st) {
    (void)st;
    assert_null(db_open("postgresql://granslos@127.0.0.1:1/nothing"));
    db_global_close();
    assert_false(db_global_init("postgresql://granslos@127.0.0.1:1/nothing"));
    db_t *d = db_get();
    assert_non_null(d);
    db_request_begin(d);
    assert_true(db_unavailable(d));
    assert_false(db_step(db_prep(d, "SELECT 1")));
    req_t *r = fake_req("/organisations");
    r->method = "GET";
    bprintf(&r->out, "<p>a page</p>");
    http_db_finish(r);
    assert_int_equal(r->status, 503);
    assert_non_null(strstr(r->out.data, "cannot be reached"));
    bool retry = false;
    for (int i = 0; i < r->headers.n; i++) if (!strcmp(r->headers.items[i].name, "Retry-After")) retry = true;
    assert_true(retry);
    db_global_close();
    assert_true(db_global_init(path));               /* teardown closes this one */
    db = db_get();
}


/* ---- the change feed (db/feed.h) ---- */
static pthread_mutex_t got_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t got[64];
static int ngot, calls, resyncs;

static void on_unit(db_t *d, const int64_t *ids, int n) {
    (void)d;
    pthread_mutex_lock(&got_lock);
    calls++;
    if (n < 0) resyncs++;
    for (int i = 0; i < n && ngot < 64; i++) got[ngot++] = ids[i];
    pthread_mutex_unlock(&got_lock);
}
static void got_reset(void) {
    pthread_mutex_lock(&got_lock);
    ngot = calls = resyncs = 0;
    pthread_mutex_unlock(&got_lock);
}
static int got_calls(void) {
    pthread_mutex_lock(&got_lock);
    int c = calls;
    pthread_mutex_unlock(&got_lock);
    return c;
}

/* What was noted since feed_init reaches the subscriber of its kind once, each id once, in id
 * order; nothing again at the next catch-up; data_version is read with it. */
static void feed_catch_up_once(void **st) {
    (void)st;
    feed_subscribe("unit", on_unit);
    feed_init(db);
    got_reset();
    int64_t v0 = feed_data_version();
    assert_true(db_begin(db));
    assert_true(feed_note(db, "unit", 5) && feed_note(db, "unit", 3) && feed_note(db, "unit", 5) && feed_note(db, "elsewhere", 9));
    assert_true(db_run(db_prep(db, "UPDATE data_version SET v = v + 1 WHERE id = 1")));
    assert_true(db_commit(db));
    feed_catch_up(db);
    assert_int_equal(got_calls(), 1);
    assert_int_equal(ngot, 2);
    assert_int_equal(got[0], 3);
    assert_int_equal(got[1], 5);
    assert_int_equal(feed_data_version(), v0 + 1);
    feed_catch_up(db);
    assert_int_equal(got_calls(), 1);
    /* a rolled-back change never arrives */
    assert_true(db_begin(db));
    assert_true(feed_note(db, "unit", 7));
    db_rollback(db);
    assert_true(feed_note(db, "unit", 8));
    feed_catch_up(db);
    assert_int_equal(got_calls(), 2);
    assert_int_equal(ngot, 3);
    assert_int_equal(got[2], 8);
    assert_false(db_request_failed(db));
}

/* A node whose last seq was pruned away is told to read everything again (n = -1). */
static void feed_pruned_past(void **st) {
    (void)st;
    feed_subscribe("unit", on_unit);
    feed_init(db);
    got_reset();
    assert_true(feed_note(db, "unit", 1));
    assert_true(db_run(db_prep(db, "UPDATE changes_pruned SET seq = (SELECT max(seq) FROM changes) WHERE id = 1")));
    feed_catch_up(db);
    assert_int_equal(resyncs, 1);
    assert_true(feed_note(db, "unit", 2));
    feed_catch_up(db);
    assert_int_equal(resyncs, 1);
    assert_int_equal(ngot, 1);
    assert_int_equal(got[0], 2);
}

/* The listener thread: a change committed on another connection reaches the subscriber without
 * anyone asking (PostgreSQL: NOTIFY; SQLite: its polling), and it says it is live. */
static void feed_listener(void **st) {
    (void)st;
    feed_subscribe("unit", on_unit);
    feed_init(db);
    got_reset();
    assert_true(feed_start());
    db_t *other = db_open(path);
    assert_non_null(other);
    assert_true(db_begin(other));
    assert_true(feed_note(other, "unit", 42));
    assert_true(db_commit(other));
    for (int i = 0; i < 400 && got_calls() == 0; i++) usleep(25 * 1000); /* a deadline of 10 s, not a speed */
    feed_stop();
    db_close(other);
    assert_int_equal(got_calls(), 1);
    assert_int_equal(got[0], 42);
}

int main(void) {
    pg = getenv("GRANSLOS_TEST_PG");
    if (pg && !*pg) pg = NULL;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(failure_is_loud, setup, teardown),
        cmocka_unit_test_setup_teardown(cache_pressure, setup, teardown),
        cmocka_unit_test_setup_teardown(forgotten_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(request_end_answers_500, setup, teardown),
        cmocka_unit_test_setup_teardown(helpers, setup, teardown),
        cmocka_unit_test_setup_teardown(binds, setup, teardown),
        cmocka_unit_test_setup_teardown(instants, setup, teardown),
        cmocka_unit_test_setup_teardown(feed_catch_up_once, setup, teardown),
        cmocka_unit_test_setup_teardown(feed_pruned_past, setup, teardown),
        cmocka_unit_test_setup_teardown(feed_listener, setup, teardown),
    };
    const struct CMUnitTest pg_tests[] = {
        cmocka_unit_test_setup_teardown(pg_dialect, setup, teardown),
        cmocka_unit_test_setup_teardown(pg_instant_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(pg_reconnect, setup, teardown),
        cmocka_unit_test_setup_teardown(pg_down, setup, teardown),
    };
    int rc = cmocka_run_group_tests_name(pg ? "db on PostgreSQL" : "db", tests, NULL, NULL);
    if (pg) rc += cmocka_run_group_tests_name("db, PostgreSQL only", pg_tests, NULL, NULL);
    return rc;
}
