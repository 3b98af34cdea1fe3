/* The database layer (see db.h): the API, the statement cache, migrations and SQLite; the
 * PostgreSQL side is pg.c (a db_t has either h or pg). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/embedded.h"
#include "core/util.h"
#include "db/internal.h"

/* The statement cache: a hash table on the SQL text's address, with an LRU list. Past
 * DB_CACHE_SOFT statements, the least recently used one is finalized to make room unless the
 * current request used it (it may still hold the pointer); then the cache grows instead. With
 * SQL only from literals the number of distinct statements is bounded by the code (about 230
 * today), so eviction is the safety net, never the normal case. */
#define DB_CACHE_SOFT 512

static atomic_ullong g_errors;
uint64_t db_error_count(void) { return atomic_load(&g_errors); }

void db_note_error(db_t *db) {
    atomic_fetch_add(&g_errors, 1);
    db->failed = true;
}

bool db_is_url(const char *path) {
    return path && (!strncmp(path, "postgres://", 11) || !strncmp(path, "postgresql://", 13));
}
bool db_is_pg(db_t *db) { return db && db->pg; }

static void fail(db_t *db, sqlite3_stmt *st, const char *what) {
    db_note_error(db);
    log_msg("db error: %s: %s [%s]", what, sqlite3_errmsg(db->h), st ? sqlite3_sql(st) : "");
}

bool db_exec(db_t *db, const char *sql) {
    if (db->pg) return pg_exec(db, sql);
    char *err = NULL;
    if (sqlite3_exec(db->h, sql, NULL, NULL, &err) != SQLITE_OK) {
        atomic_fetch_add(&g_errors, 1);
        db->failed = true;
        log_msg("db error: %s [%.200s]", err ? err : "?", sql);
        sqlite3_free(err);
        return false;
    }
    return true;
}

static int version_cmp(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* migration_done: whether version is recorded (inside the migration's transaction) */
static bool migration_done(db_t *db, int version) {
    return db_exists_for(db_prep(db, "SELECT 1 FROM schema_migrations WHERE version = :v"), ":v", version);
}

/* embedded_numbered: the embedded file under dir (ending in '/') whose name starts with the
 * three digits of version, or NULL */
static const struct embedded_file *embedded_numbered(const char *dir, int version) {
    char num[8];
    snprintf(num, sizeof num, "%03d_", version);
    size_t n = strlen(dir);
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        if (!strncmp(f->name, dir, n) && !strncmp(f->name + n, num, 4) && !strchr(f->name + n, '/')) return f;
    return NULL;
}

/* migrate: apply src/db/migrations/NNN_*.sql (embedded) not yet in schema_migrations, each in
 * its own write transaction (on PostgreSQL that takes the store-wide write lock, so two nodes
 * starting together apply each migration once). On PostgreSQL the SQLite functions the code
 * uses are created first (src/db/pg_compat.sql), and src/db/migrations/pg/NNN_*.sql, where one
 * exists, runs right after NNN in the same transaction: what PostgreSQL needs in addition
 * (rare; each says why). */
static bool migrate(db_t *db) {
    if (!db_begin(db)) return false;
    if (!db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT") ||
        (db->pg && !db_exec(db, embedded_find("src/db/pg_compat.sql")->data)) || !db_commit(db)) {
        db_rollback(db);
        return false;
    }
    const char *names[256];
    int n = 0;
    const char *prefix = "src/db/migrations/";
    for (const struct embedded_file *f = embedded_files; f->name && n < 256; f++)
        if (strncmp(f->name, prefix, strlen(prefix)) == 0 && !strchr(f->name + strlen(prefix), '/')) names[n++] = f->name;
    qsort(names, (size_t)n, sizeof *names, version_cmp);
    for (int i = 0; i < n; i++) {
        const char *base = names[i] + strlen(prefix);
        int version = atoi(base);
        if (migration_done(db, version)) continue;
        if (!db_begin(db)) return false;
        if (migration_done(db, version)) { db_commit(db); continue; } /* another node was first */
        const struct embedded_file *extra = db->pg ? embedded_numbered("src/db/migrations/pg/", version) : NULL;
        if (!db_exec(db, embedded_find(names[i])->data) || (extra && !db_exec(db, extra->data))) { db_rollback(db); return false; }
        /* the parameters of statements prepared before took their types from the old schema
         * (084 makes text columns timestamptz): prepared again when next run */
        if (db->pg) pg_forget_statements(db);
        char now[32];
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
        stmt_t *q = db_prep(db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :at)");
        db_bind_int(q, ":v", version);
        db_bind_text(q, ":n", base);
        db_bind_text(q, ":at", now);
        if (!db_run(q) || !db_commit(db)) { db_rollback(db); return false; }
        if (!db->quiet) log_msg("migration %s applied", base);
    }
    db->failed = false;
    return true;
}

static void sqlite_setup(void) {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* no global allocation counters: no lock per malloc */
    sqlite3_initialize();
}

static db_t *db_new(void) {
    db_t *db = xcalloc(1, sizeof *db);
    db->nbucket = 512;
    db->bucket = xcalloc(db->nbucket, sizeof *db->bucket);
    db->bad.db = db;
    db->bad.failed = true;
    return db;
}

/* open_pg: a connection to a PostgreSQL store; with keep_down, kept (and returned) when the
 * store cannot be reached (db_get: the request answers 503 until it is back) */
static db_t *open_pg(const char *url, bool keep_down, bool run_migrations) {
    db_t *db = db_new();
    if (!pg_connect(db, url) && !keep_down) {
        db_close(db);
        return NULL;
    }
    if (!db->pg_down && run_migrations && !migrate(db)) {
        db_close(db);
        return NULL;
    }
    return db;
}

db_t *db_open(const char *path) { return db_is_url(path) ? open_pg(path, false, true) : db_open_sqlite(path, false); }

db_t *db_open_sqlite(const char *path, bool quiet) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_setup);
    db_t *db = db_new();
    db->quiet = quiet;
    if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        log_msg("cannot open database %s: %s", path, db->h ? sqlite3_errmsg(db->h) : "out of memory");
        sqlite3_close(db->h);
        free(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->h, 5000);
    sqlite3_extended_result_codes(db->h, 1);
    db_count_selects(db);
    if (!db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;") ||
        !migrate(db)) {
        db_close(db);
        return NULL;
    }
    return db;
}

void db_close(db_t *db) {
    if (!db) return;
    for (struct stmt *s = db->newest, *n; s; s = n) {
        n = s->older;
        if (s->q) pg_finalize(db, s->q);
        else sqlite3_finalize(s->st);
        free(s);
    }
    free(db->bucket);
    if (db->pg) { pg_disconnect(db); free(db); return; }
    /* not sqlite3_next_stmt: virtual tables (FTS5) own statements of their own on the connection */
    if (sqlite3_close_v2(db->h) != SQLITE_OK) log_msg("db close: %s", sqlite3_errmsg(db->h));
    free(db);
}

/* ---- per-thread connections ---- */
static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static char *g_path;       /* owned by this module for the process */
static db_t *g_list;       /* every connection handed out by db_get */
static _Thread_local db_t *tl_db;

bool db_global_init(const char *path) {
    free(g_path); /* called again (tests): the old path goes */
    g_path = xstrdup(path);
    db_t *db = db_open(path);
    if (!db) return false;
    db_close(db);
    return true;
}
const char *db_global_path(void) { return g_path; }

db_t *db_connect(const char *path) {
    return db_is_url(path) ? open_pg(path, true, false) : db_open(path);
}

db_t *db_get(void) {
    if (tl_db) return tl_db;
    /* PostgreSQL: db_global_init migrated; a store that is down still gives a connection */
    db_t *db = db_is_url(g_path) ? open_pg(g_path, true, false) : db_open(g_path);
    if (!db) return NULL;
    pthread_mutex_lock(&g_lock);
    db->next_global = g_list;
    g_list = db;
    pthread_mutex_unlock(&g_lock);
    tl_db = db;
    return db;
}

void db_global_close(void) {
    pthread_mutex_lock(&g_lock);
    db_t *db = g_list;
    g_list = NULL;
    pthread_mutex_unlock(&g_lock);
    while (db) { db_t *n = db->next_global; db_close(db); db = n; }
    tl_db = NULL;
}

/* ---- statements ---- */

/* compile: prepare sql whole; NULL (logged, the connection marked failed) on an error or when
 * text other than blanks and semicolons follows the first statement. */
static sqlite3_stmt *compile(db_t *db, const char *sql, unsigned flags) {
    if (db->pg) return NULL;
    const char *tail = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(db->h, sql, -1, flags, &st, &tail) != SQLITE_OK) {
        atomic_fetch_add(&g_errors, 1);
        db->failed = true;
        log_msg("db error: prepare: %s [%s]", sqlite3_errmsg(db->h), sql);
        sqlite3_finalize(st);
        return NULL;
    }
    if (!st || (tail && *tail && strspn(tail, " \t\r\n;") != strlen(tail))) {
        atomic_fetch_add(&g_errors, 1);
        db->failed = true;
        log_msg("db error: %s [%s]", st ? "trailing SQL after statement" : "no statement", sql);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

static size_t slot(const db_t *db, const char *key) {
    uintptr_t h = (uintptr_t)key;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 7) & (db->nbucket - 1);
}

static void lru_unlink(db_t *db, struct stmt *s) {
    if (s->newer) s->newer->older = s->older; else db->newest = s->older;
    if (s->older) s->older->newer = s->newer; else db->oldest = s->newer;
    s->newer = s->older = NULL;
}

static void lru_push(db_t *db, struct stmt *s) {
    s->older = db->newest;
    s->newer = NULL;
    if (db->newest) db->newest->newer = s; else db->oldest = s;
    db->newest = s;
}

static void unhash(db_t *db, struct stmt *s) {
    for (struct stmt **p = &db->bucket[slot(db, s->key)]; *p; p = &(*p)->hnext)
        if (*p == s) { *p = s->hnext; return; }
}

static void rehash(db_t *db) {
    size_t n = db->nbucket * 2;
    struct stmt **old = db->bucket;
    size_t on = db->nbucket;
    db->bucket = xcalloc(n, sizeof *db->bucket);
    db->nbucket = n;
    for (size_t i = 0; i < on; i++)
        for (struct stmt *s = old[i], *nx; s; s = nx) {
            nx = s->hnext;
            size_t k = slot(db, s->key);
            s->hnext = db->bucket[k];
            db->bucket[k] = s;
        }
    free(old);
}

/* make_room: at the soft limit, finalize least recently used statements until there is room,
 * but none the current request used (it may hold them): the oldest is the only candidate, since
 * if the current request used it, it used every newer one too. Otherwise the cache grows, and
 * shrinks back below the limit at the next miss of a later request. */
static void make_room(db_t *db) {
    struct stmt *s;
    while (db->ncached >= DB_CACHE_SOFT && (s = db->oldest) && s->epoch != db->epoch && (s->q || !sqlite3_stmt_busy(s->st))) {
        lru_unlink(db, s);
        unhash(db, s);
        if (s->q) pg_finalize(db, s->q);
        else sqlite3_finalize(s->st);
        free(s);
        db->ncached--;
        db->evictions++;
    }
}

stmt_t *db_prep_key(db_t *db, const char *sql) {
    for (struct stmt *s = db->bucket[slot(db, sql)]; s; s = s->hnext) {
        if (s->key != sql) continue;
        if (s->q) { pg_reset(s->q); pg_clear_bindings(s->q); }
        else { sqlite3_reset(s->st); sqlite3_clear_bindings(s->st); }
        s->failed = false;
        s->epoch = db->epoch;
        if (db->newest != s) { lru_unlink(db, s); lru_push(db, s); }
        return s;
    }
    struct pgq *q = db->pg ? pg_prepare(db, sql) : NULL;
    sqlite3_stmt *st = q ? NULL : compile(db, sql, SQLITE_PREPARE_PERSISTENT);
    if (!st && !q) return &db->bad; /* no slot: the next call tries (and logs) again */
    make_room(db);
    struct stmt *s = xcalloc(1, sizeof *s);
    s->st = st;
    s->q = q;
    s->db = db;
    s->key = sql;
    s->epoch = db->epoch;
    if (db->ncached + 1 > db->nbucket) rehash(db);
    size_t k = slot(db, sql);
    s->hnext = db->bucket[k];
    db->bucket[k] = s;
    lru_push(db, s);
    db->ncached++;
    return s;
}

int db_cache_count(db_t *db) { return (int)db->ncached; }
uint64_t db_cache_evictions(db_t *db) { return db->evictions; }

static void finalize_dyn(void *p) {
    stmt_t *s = p;
    if (s->q) pg_finalize(s->db, s->q);
    else sqlite3_finalize(s->st);
}

stmt_t *db_prep_dyn(db_t *db, arena_t *a, const char *sql) {
    if (db->pg) {
        stmt_t *s = arena_alloc(a, sizeof *s);
        memset(s, 0, sizeof *s);
        s->q = pg_prepare(db, sql);
        s->db = db;
        arena_on_free(a, finalize_dyn, s);
        return s;
    }
    sqlite3_stmt *st = compile(db, sql, 0);
    if (!st) return &db->bad;
    stmt_t *s = arena_alloc(a, sizeof *s);
    s->st = st;
    s->db = db;
    arena_on_free(a, finalize_dyn, s);
    return s;
}

static int param(stmt_t *s, const char *name) {
    if (!s->st && !s->q) return 0;
    int i = s->q ? pg_param(s->q, name) : sqlite3_bind_parameter_index(s->st, name);
    if (!i) {
        atomic_fetch_add(&g_errors, 1);
        log_msg("db error: unknown parameter %s [%s]", name, s->q ? pg_sql(s->q) : sqlite3_sql(s->st));
        s->failed = true;
        s->db->failed = true;
    }
    return i;
}

void db_bind_text(stmt_t *s, const char *name, const char *v) {
    int i = param(s, name);
    if (!i) return;
    if (s->q) pg_bind(s->q, i, v, 't');
    else if (v) sqlite3_bind_text(s->st, i, v, -1, SQLITE_TRANSIENT);
    else sqlite3_bind_null(s->st, i);
}
void db_bind_int(stmt_t *s, const char *name, int64_t v) {
    int i = param(s, name);
    if (i && s->q) {
        char t[24];
        snprintf(t, sizeof t, "%lld", (long long)v);
        pg_bind(s->q, i, t, 'i');
    } else if (i) sqlite3_bind_int64(s->st, i, v);
}
void db_bind_null(stmt_t *s, const char *name) {
    int i = param(s, name);
    if (i && s->q) pg_bind(s->q, i, NULL, 'n');
    else if (i) sqlite3_bind_null(s->st, i);
}

bool db_step(stmt_t *s) {
    if (s->failed || (!s->st && !s->q)) return false;
    if (s->q) {
        int rc = pg_step(s->db, s->q);
        if (rc < 0) s->failed = true;
        return rc > 0;
    }
    if (!s->db->wrote && !sqlite3_stmt_readonly(s->st)) s->db->wrote = true;
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) { fail(s->db, s->st, "step"); s->failed = true; }
    sqlite3_reset(s->st);
    return false;
}

bool db_run(stmt_t *s) {
    while (db_step(s)) {}
    return !s->failed;
}

void db_reset(stmt_t *s) {
    if (s->q) pg_reset(s->q);
    else if (s->st) sqlite3_reset(s->st);
}
bool db_ok(stmt_t *s) { return !s->failed; }

int64_t db_int_of(stmt_t *s, int64_t none) {
    int64_t v = db_step(s) ? db_int(s, 0) : none;
    db_reset(s);
    return v;
}

char *db_text_of(stmt_t *s, arena_t *a) {
    char *v = db_step(s) ? db_text_dup(s, 0, a) : NULL;
    db_reset(s);
    return v;
}

bool db_exists(stmt_t *s) {
    bool v = db_step(s);
    db_reset(s);
    return v;
}

int64_t db_int_for(stmt_t *s, const char *name, int64_t v) {
    db_bind_int(s, name, v);
    return db_int_of(s, 0);
}

int64_t db_int_for_text(stmt_t *s, const char *name, const char *v) {
    db_bind_text(s, name, v);
    return db_int_of(s, 0);
}

bool db_exists_for(stmt_t *s, const char *name, int64_t v) {
    db_bind_int(s, name, v);
    return db_exists(s);
}

bool db_run_all(db_t *db, const char *const *sql, size_t n, const char *name, int64_t v) {
    for (size_t i = 0; i < n; i++) {
        stmt_t *s = db_prep_static(db, sql[i]);
        db_bind_int(s, name, v);
        if (!db_run(s)) return false;
    }
    return true;
}

void db_bind_id(stmt_t *s, const char *name, int64_t id) {
    if (id > 0) db_bind_int(s, name, id);
    else db_bind_null(s, name);
}

const char *db_text(stmt_t *s, int col) {
    if (s->q) return pg_text(s->q, col);
    return s->st ? (const char *)sqlite3_column_text(s->st, col) : NULL;
}
char *db_text_dup(stmt_t *s, int col, arena_t *a) { return arena_strdup(a, db_text(s, col)); }
int64_t db_int(stmt_t *s, int col) {
    if (s->q) {
        const char *t = pg_text(s->q, col);
        return t ? strtoll(t, NULL, 10) : 0;
    }
    return s->st ? sqlite3_column_int64(s->st, col) : 0;
}
bool db_is_null(stmt_t *s, int col) {
    if (s->q) return pg_is_null(s->q, col);
    return !s->st || sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

int64_t db_last_id(db_t *db) { return db->pg ? db->last_id : sqlite3_last_insert_rowid(db->h); }
int db_changes(db_t *db) { return db->pg ? db->changes : sqlite3_changes(db->h); }
int db_depth(db_t *db) { return db->depth; }

void db_read_begin(db_t *db) {
    if (db->pg) return; /* PostgreSQL: each statement sees committed data (READ COMMITTED) */
    if (db->depth == 0 && !db->in_read && db_run(db_prep(db, "BEGIN"))) db->in_read = true; /* prepared once */
}

static void read_end(db_t *db) {
    if (!db->in_read) return;
    for (sqlite3_stmt *st = sqlite3_next_stmt(db->h, NULL); st; st = sqlite3_next_stmt(db->h, st))
        if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
    db_run(db_prep(db, "COMMIT"));
    db->in_read = false;
}

bool db_begin(db_t *db) {
    char sql[48];
    read_end(db);
    /* one writer at a time, as SQLite's BEGIN IMMEDIATE: on PostgreSQL a transaction-scoped
     * advisory lock taken by every write transaction of every node (docs/architecture.md) */
    if (db->depth == 0 && db->pg) snprintf(sql, sizeof sql, "BEGIN; SELECT pg_advisory_xact_lock(%d)", DB_PG_WRITE_LOCK);
    else if (db->depth == 0) snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
    else snprintf(sql, sizeof sql, "SAVEPOINT s%d", db->depth);
    if (!db_exec(db, sql)) {
        /* PostgreSQL: BEGIN went through and the lock did not (lock_timeout): end that transaction */
        if (db->pg && db->depth == 0) pg_exec(db, "ROLLBACK");
        return false;
    }
    db->depth++;
    return true;
}

bool db_commit(db_t *db) {
    if (db->depth <= 0) return false;
    char sql[48];
    if (db->depth == 1) { snprintf(sql, sizeof sql, "COMMIT"); db->wrote = true; }
    else snprintf(sql, sizeof sql, "RELEASE s%d", db->depth - 1);
    if (!db_exec(db, sql)) { db_rollback(db); return false; }
    db->depth--;
    return true;
}

void db_rollback(db_t *db) {
    if (db->depth <= 0) return;
    char sql[64];
    if (db->depth == 1) snprintf(sql, sizeof sql, "ROLLBACK");
    else snprintf(sql, sizeof sql, "ROLLBACK TO s%d; RELEASE s%d", db->depth - 1, db->depth - 1);
    db_exec(db, sql);
    db->depth--;
}

bool db_request_failed(db_t *db) { return db && db->failed; }

static _Thread_local bool t_in_request; /* between db_request_begin and db_request_end (the SELECT counter) */

void db_request_begin(db_t *db) {
    if (!db) return;
    t_in_request = true;
    db->failed = false;
    db->wrote = false;
    db->epoch++;
    if (db->pg) pg_check(db);
}

bool db_request_wrote(db_t *db) { return db && db->wrote; }

bool db_migrations_current(db_t *db) {
    const char *prefix = "src/db/migrations/";
    size_t n = strlen(prefix);
    for (const struct embedded_file *f = embedded_files; f->name; f++)
        if (!strncmp(f->name, prefix, n) && !strchr(f->name + n, '/') && !migration_done(db, atoi(f->name + n))) return false;
    return true;
}

bool db_unavailable(db_t *db) { return db && db->pg && db->pg_down; }

db_req_status_t db_request_end(db_t *db) {
    t_in_request = false;
    if (!db) return DB_REQ_OK;
    db_req_status_t st = db->failed ? DB_REQ_FAILED : DB_REQ_OK;
    if (db->depth > 0) {
        /* a handler that forgot to finish loses its writes, never half; and it is a bug */
        atomic_fetch_add(&g_errors, 1);
        log_msg("db error: the request ended with a transaction open (depth %d): rolled back", db->depth);
        while (db->depth > 0) db_rollback(db);
        st = DB_REQ_OPEN_TX;
    }
    if (db->pg) {
        pg_idle(db); /* no transaction outlives a request, not even one the layer lost track of */
        /* the statements this request used are the newest in the LRU list */
        for (struct stmt *s = db->newest; s && s->epoch == db->epoch; s = s->older) pg_reset(s->q);
    } else {
        for (sqlite3_stmt *q = sqlite3_next_stmt(db->h, NULL); q; q = sqlite3_next_stmt(db->h, q))
            if (sqlite3_stmt_busy(q)) sqlite3_reset(q);
    }
    read_end(db);
    if (db->failed && st == DB_REQ_OK) st = DB_REQ_FAILED;
    if (db->pg && db->pg_down) st = DB_REQ_UNAVAILABLE;
    return st;
}

bool db_backup(db_t *db, const char *dest) {
    if (db->pg) return pg_backup(db, dest);
    sqlite3 *out;
    if (sqlite3_open(dest, &out) != SQLITE_OK) {
        log_msg("backup: cannot open %s: %s", dest, sqlite3_errmsg(out));
        sqlite3_close(out);
        return false;
    }
    sqlite3_backup *b = sqlite3_backup_init(out, "main", db->h, "main");
    if (!b) { log_msg("backup: %s", sqlite3_errmsg(out)); sqlite3_close(out); return false; }
    int rc;
    while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        sqlite3_sleep(10);
    sqlite3_backup_finish(b);
    bool ok = rc == SQLITE_DONE && sqlite3_errcode(out) == SQLITE_OK;
    if (!ok) log_msg("backup failed: %s", sqlite3_errmsg(out));
    sqlite3_close(out);
    return ok;
}

/* ---- the SELECT counter (/metrics; tests count the statements of a request with it) ---- */
static atomic_ullong g_selects;
/* the SELECTs run between db_request_begin and db_request_end on a request's thread, without
 * the background work (mail, digests, translations, catch-up) that runs meanwhile */
static atomic_ullong g_request_selects;
static void note_select(void) {
    atomic_fetch_add(&g_selects, 1);
    if (t_in_request) atomic_fetch_add(&g_request_selects, 1);
}

static int count_select(unsigned type, void *ctx, void *stmt, void *sql) {
    (void)stmt;
    if (((db_t *)ctx)->uncounted) return 0;
    /* SQLITE_TRACE_STMT: sql is the statement's text; a trigger's statements start with "--" */
    if (type == SQLITE_TRACE_STMT && sql && !strncasecmp(sql, "SELECT", 6)) note_select();
    return 0;
}

void db_note_select(void) { note_select(); }
void db_count_selects(db_t *db) {
    if (db->pg) return; /* pg.c counts as it runs them */
    sqlite3_trace_v2(db->h, SQLITE_TRACE_STMT, count_select, db); }
uint64_t db_select_count(void) { return atomic_load(&g_selects); }
uint64_t db_request_select_count(void) { return atomic_load(&g_request_selects); }

/* db_is_int: the column holds an integer (for code that turns rows into JSON). */
bool db_is_int(stmt_t *s, int col) {
    if (s->q) return pg_is_int(s->q, col);
    return sqlite3_column_type(s->st, col) == SQLITE_INTEGER;
}
