/* The database layer: the only code that talks to SQLite.
 *
 * SQL uses named parameters (:name) bound by name; an unknown name, trailing SQL or any
 * error is logged with the statement and makes the step fail (and counts in /metrics).
 * Statements prepared with db_prep() are cached per connection, keyed by the SQL text's
 * address: pass string literals only. Dynamic SQL goes through db_prep_dyn().
 *
 * Each server thread has its own connection (db_get()); connections live until
 * db_global_close() at shutdown. Transactions nest (savepoints) and remember their depth. */
#ifndef DB_DB_H
#define DB_DB_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"

typedef struct db db_t;
typedef struct stmt stmt_t;

/* db_open: open (creating) the database at path, set pragmas, apply migrations.
 * Returns NULL after logging on failure. Caller owns the result (db_close). */
db_t *db_open(const char *path);
void db_close(db_t *db);

/* Per-thread connections to one path, for the server. */
bool db_global_init(const char *path);   /* opens one connection to check and migrate */
db_t *db_get(void);                       /* this thread's connection (opened on first use) */
void db_global_close(void);               /* closes every connection opened by db_get */
const char *db_global_path(void);

stmt_t *db_prep(db_t *db, const char *sql);                /* cached; sql must be a literal */
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

/* db_request_end: reset every statement so no read snapshot outlives a request. */
void db_request_end(db_t *db);

/* db_backup: copy the live database to dest with SQLite's online backup API. */
bool db_backup(db_t *db, const char *dest);

/* Counters for /metrics. */
uint64_t db_error_count(void);
/* SELECT statements started on any connection (db_count_selects: done by db_open). */
void db_count_selects(db_t *db);
uint64_t db_select_count(void);
bool db_is_int(stmt_t *s, int col);   /* the column holds an integer */
#endif
