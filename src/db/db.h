/* The database layer: the only code that talks to the store, SQLite (a file path) or
 * PostgreSQL (a postgres:// or postgresql:// URL, through libpq; see pg.c for how the one SQL
 * text of the modules runs on both, and docs/architecture.md, "The store").
 *
 * SQL uses named parameters (:name) bound by name; an unknown name, trailing SQL or any
 * error is logged with the statement and makes the step fail (and counts in /metrics).
 * Every such error also sets the connection's failure flag: the request layer (http/server.c)
 * then answers 500 with an error page in place of whatever the handler buffered, so a failing
 * query never reads as "no row". A transaction a handler leaves open is a logged 500 too.
 *
 * Statements prepared with db_prep() are cached per connection, keyed by the SQL text's
 * address. db_prep() accepts only a string literal (it will not compile otherwise);
 * db_prep_static() takes an element of a `static const char *const` table of literals.
 * Dynamic SQL (built from literal pieces) goes through db_prep_dyn(). The cache never aborts:
 * a statement that fails to prepare takes no slot, and past DB_CACHE_SOFT statements the least
 * recently used one not used by the current request is finalized (else the cache grows).
 *
 * Each server thread has its own connection (db_get()); connections live until
 * db_global_close() at shutdown. Transactions nest (savepoints) and remember their depth.
 * On PostgreSQL a broken connection is re-established at the start of the next request, and
 * while the store cannot be reached requests answer 503 (db_unavailable, DB_REQ_UNAVAILABLE). */
#ifndef DB_DB_H
#define DB_DB_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "core/arena.h"

typedef struct db db_t;
typedef struct stmt stmt_t;

/* db_is_url: whether a --db value names a PostgreSQL store (postgres:// or postgresql://). */
bool db_is_url(const char *path);
/* db_is_pg: whether the connection is to PostgreSQL (NULL: false). */
bool db_is_pg(db_t *db);
/* The advisory lock every write transaction on PostgreSQL takes (one writer at a time). */
#define DB_PG_WRITE_LOCK 7245515

/* Leases of background jobs (src/db/lease.c, table job_leases): work that must be done by one
 * node at a time (machine translation, the digest run) holds the lease of its name while it
 * works. db_lease: this process now holds the lease `name` (a string literal) for `seconds`:
 * taken when nobody holds it or the holder's term lapsed, renewed when it is already ours;
 * false when another process holds it (or the store failed). Renew it within each term while the
 * work goes on; a process that dies frees its leases when their terms lapse (at once for a
 * process of the same host that is gone: a restart after a crash takes the work up).
 * db_lease_release: give it up now (when it is ours). db_lease_holder: this process's name in
 * the table (host/pid/start; static, process lifetime). */
bool db_lease(db_t *db, const char *name, int seconds);
void db_lease_release(db_t *db, const char *name);
const char *db_lease_holder(void);

/* db_open: open (creating) the database at path (or connect to the URL), set pragmas, apply
 * migrations.
 * Returns NULL after logging on failure. Caller owns the result (db_close). */
db_t *db_open(const char *path);
void db_close(db_t *db);

/* Per-thread connections to one path, for the server. */
bool db_global_init(const char *path);   /* opens one connection to check and migrate */
/* db_get: on PostgreSQL never NULL: a connection to a store that is down is kept (and retried
 * at each db_request_begin) so that the request can answer 503. */
db_t *db_get(void);                       /* this thread's connection (opened on first use) */
void db_global_close(void);               /* closes every connection opened by db_get */
const char *db_global_path(void);

/* db_prep: a cached statement; `sql` must be a string literal ("" sql "" refuses anything else). */
#define db_prep(db, sql) db_prep_key((db), "" sql "")
/* db_prep_static: a cached statement from a table of literals (static const char *const t[]). */
#define db_prep_static(db, sql) db_prep_key((db), (sql))
/* db_prep_key: the cache itself, keyed by the address of `sql`, which must live as long as the
 * connection. Use the macros above; tests call it directly. Never returns NULL: a statement that
 * failed to prepare is a shared failed statement on which every step returns false. */
stmt_t *db_prep_key(db_t *db, const char *sql);
stmt_t *db_prep_dyn(db_t *db, arena_t *a, const char *sql); /* finalized with the arena */
void db_bind_text(stmt_t *s, const char *name, const char *v); /* NULL binds NULL */
void db_bind_int(stmt_t *s, const char *name, int64_t v);
void db_bind_null(stmt_t *s, const char *name);
bool db_step(stmt_t *s);          /* true while a row is available */
bool db_run(stmt_t *s);           /* step to completion; true on success */
void db_reset(stmt_t *s);
const char *db_text(stmt_t *s, int col);   /* valid until the next step/reset; NULL for NULL */
char *db_text_dup(stmt_t *s, int col, arena_t *a);
int64_t db_int(stmt_t *s, int col);
bool db_is_null(stmt_t *s, int col);
bool db_ok(stmt_t *s);            /* no error on this statement since it was prepared */

/* One-value helpers for the common lookups. */
/* db_int_of: step once; column 0 of the first row as an integer, or `none` when there is no row
 * (or on error, which is logged and fails the request). The statement is reset afterwards. */
int64_t db_int_of(stmt_t *s, int64_t none);
/* db_text_of: the same for text, copied into the arena; NULL when there is no row or it is NULL. */
char *db_text_of(stmt_t *s, arena_t *a);
/* db_exists: step once; whether a row came (false on error, which is logged and fails the
 * request). The statement is reset afterwards. */
bool db_exists(stmt_t *s);
/* db_int_for / db_int_for_text / db_exists_for: bind one parameter, then db_int_of(s, 0) /
 * db_exists(s): the one-parameter lookups ("the event of this table", "is there such an id"). */
int64_t db_int_for(stmt_t *s, const char *name, int64_t v);
int64_t db_int_for_text(stmt_t *s, const char *name, const char *v);
bool db_exists_for(stmt_t *s, const char *name, int64_t v);
/* db_run_for: bind the one parameter, then db_run(s): "delete the rows of this id" in one line. */
bool db_run_for(stmt_t *s, const char *name, int64_t v);
/* db_run_each: run every statement of `table` (a static const char *const table of literals) with
 * the one parameter `name` bound to v, in order; false at the first that fails (the rest do not run). */
#define db_run_each(db, table, name, v) db_run_all((db), (table), sizeof(table) / sizeof *(table), (name), (v))
bool db_run_all(db_t *db, const char *const *sql, size_t n, const char *name, int64_t v);
/* db_bind_id: bind a row id, or NULL when id <= 0 (the "bind id or NULL" pair). */
void db_bind_id(stmt_t *s, const char *name, int64_t id);

int64_t db_last_id(db_t *db);
int db_changes(db_t *db);
bool db_exec(db_t *db, const char *sql);   /* DDL or pragmas without parameters */

bool db_begin(db_t *db);          /* write transaction (BEGIN IMMEDIATE) or savepoint */
bool db_commit(db_t *db);
void db_rollback(db_t *db);
int db_depth(db_t *db);

/* db_read_begin: one read snapshot for a whole request (GET pages), so the file locks are
 * taken once per request instead of once per statement. db_begin() ends it first. */
void db_read_begin(db_t *db);

/* db_request_failed: whether any statement, exec or transaction on db failed since db_request_begin
 * (or since the connection was opened). */
bool db_request_failed(db_t *db);

/* db_request_begin: start a request on this connection: clear the failure flag and start a new
 * cache epoch (statements last used by earlier requests become evictable). NULL is ignored. */
void db_request_begin(db_t *db);

/* db_request_end: reset every statement so no read snapshot outlives a request, and say how the
 * request used the database. A transaction still open is logged and rolled back (all or
 * nothing) and reported as DB_REQ_OPEN_TX: the request layer must answer 500, never the page
 * that said "saved". DB_REQ_FAILED: some statement failed (already logged). NULL is DB_REQ_OK. */
/* DB_REQ_UNAVAILABLE: the store could not be reached (PostgreSQL): answer 503 with Retry-After. */
typedef enum { DB_REQ_OK = 0, DB_REQ_FAILED, DB_REQ_OPEN_TX, DB_REQ_UNAVAILABLE } db_req_status_t;
db_req_status_t db_request_end(db_t *db);
/* db_request_wrote: whether a statement that may write (anything but a SELECT) or a commit ran
 * on db since db_request_begin (NULL: false). */
bool db_request_wrote(db_t *db);
/* db_migrations_current: every migration this binary has is recorded in the store (a newer node
 * may have applied more: still current). */
bool db_migrations_current(db_t *db);
/* db_unavailable: the store is down (PostgreSQL, after db_request_begin tried to reconnect). */
bool db_unavailable(db_t *db);

/* db_cache_count: statements held in db's cache now; db_cache_evictions: finalized to make room. */
int db_cache_count(db_t *db);
uint64_t db_cache_evictions(db_t *db);

/* db_backup: copy the live database to dest with SQLite's online backup API; PostgreSQL: with
 * pg_dump in its custom format (pg_restore reads it). */
bool db_backup(db_t *db, const char *dest);

/* db_migrate_store: granslos migrate-store: copy the SQLite store at src_path into the
 * PostgreSQL store at url (migrated first), every table with its ids, versions and rowids, in
 * one transaction, then compare the counts and checksums of both and print them to out; commits
 * only when every table matches (see store.c). Returns the exit code: 0 moved, 1 failed (nothing
 * copied), 2 a wrong argument, 3 the target is not empty (nothing copied). */
int db_migrate_store(const char *src_path, const char *url, FILE *out, FILE *err);
/* db_checksums: granslos checksum: every table's row count and checksum (computed as
 * migrate-store does; order-independent), one line each, from one snapshot. */
bool db_checksums(db_t *db, FILE *out, FILE *err);

/* Counters for /metrics. */
uint64_t db_error_count(void);
/* SELECT statements started on any connection (db_count_selects: done by db_open). */
void db_count_selects(db_t *db);
uint64_t db_select_count(void);
/* db_request_select_count: of them, those run by requests (between db_request_begin and
 * db_request_end on the request's thread), not by background work */
uint64_t db_request_select_count(void);
bool db_is_int(stmt_t *s, int col);   /* the column holds an integer */

/* db_binds: bind several parameters in one call, in order, each as its db_bind_* function would:
 *     db_binds(s, DB_INT(":e", event_id), DB_TEXT(":st", status), DB_ID(":u", user_id));
 * DB_INT binds an integer, DB_TEXT text (NULL binds NULL), DB_ID a row id or NULL (db_bind_id).
 * The values are evaluated before any is bound, in no fixed order: no side effects that depend
 * on each other in one call. */
typedef enum { DB_PARAM_INT, DB_PARAM_TEXT, DB_PARAM_ID } db_param_type_t;
typedef struct {
    const char *name;
    db_param_type_t type;
    int64_t i;
    const char *t;
} db_param_t;
#define DB_INT(name, v)  ((db_param_t){(name), DB_PARAM_INT, (v), NULL})
#define DB_TEXT(name, v) ((db_param_t){(name), DB_PARAM_TEXT, 0, (v)})
#define DB_ID(name, v)   ((db_param_t){(name), DB_PARAM_ID, (v), NULL})
#define db_binds(s, ...) db_bind_all((s), (const db_param_t[]){__VA_ARGS__}, sizeof((const db_param_t[]){__VA_ARGS__}) / sizeof(db_param_t))
void db_bind_all(stmt_t *s, const db_param_t *p, size_t n);
/* db_id_list: ids[0..n) as a JSON array text ("[3,5,8]", in a), to bind as one parameter of
 * `… IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids))`: a list of any length in one
 * statement on both stores. */
const char *db_id_list(arena_t *a, const int64_t *ids, int n);
#endif
