/* The database layer's own structures, shared by db.c (the API and SQLite) and pg.c (PostgreSQL
 * through libpq). Nothing outside src/db includes this. */
#ifndef DB_INTERNAL_H
#define DB_INTERNAL_H
#include <libpq-fe.h>
#include <sqlite3.h>
#include "db/db.h"

struct pgq; /* a statement translated for PostgreSQL (pg.c) */

struct stmt {
    sqlite3_stmt *st;         /* SQLite: the prepared statement */
    struct pgq *q;            /* PostgreSQL: the translated statement, its bindings and result */
    db_t *db;
    const char *key;          /* the SQL literal's address, for the cache */
    bool failed;
    uint64_t epoch;           /* the request that used it last */
    struct stmt *hnext;       /* hash chain */
    struct stmt *newer, *older; /* LRU list */
};

struct db {
    sqlite3 *h;               /* SQLite connection, or NULL on PostgreSQL */
    PGconn *pg;               /* PostgreSQL connection, or NULL on SQLite */
    char *url;                /* PostgreSQL: the store's URL (owned) */
    unsigned pg_gen;          /* bumped at every (re)connect: statements prepared before are gone */
    unsigned pg_names;        /* counter for server-side statement names */
    bool pg_down;             /* the connection broke during this request (answer 503) */
    int64_t last_id;          /* PostgreSQL: the id the last INSERT returned */
    int changes;              /* PostgreSQL: rows the last statement changed */
    struct pg_ident *idents;  /* PostgreSQL: identity column per table, looked up once */
    struct stmt **bucket;     /* nbucket chains (a power of two) */
    size_t nbucket, ncached;
    struct stmt *newest, *oldest;
    struct stmt bad;          /* what a failed prepare returns: takes no cache slot */
    uint64_t epoch, evictions;
    bool failed;              /* an error since db_request_begin */
    bool quiet;               /* migrations applied are not logged (a scratch store) */
    bool wrote;               /* a statement that may write ran since db_request_begin */
    bool uncounted;           /* its SELECTs are not in db_select_count (the change feed's polling) */
    int depth;
    bool in_read;       /* a read transaction from db_read_begin is open */
    db_t *next_global;  /* list of per-thread connections, under g_lock */
};

/* db_open_sqlite: db_open of a SQLite path (":memory:" too); quiet: do not log the migrations */
db_t *db_open_sqlite(const char *path, bool quiet);
/* db_connect: a connection of its own to path (not db_get's, not registered for
 * db_global_close; no migrations: db_global_init ran them). Caller owns it (db_close). On
 * PostgreSQL never NULL: a store that is down gives a connection marked down (pg_check). */
db_t *db_connect(const char *path);
void db_note_error(db_t *db);   /* count an error and mark the request failed */
void db_note_select(void);      /* count one SELECT started */

/* ---- pg.c ---- */
/* pg_connect: connect to url (a postgres:// or postgresql:// URL); the connection is kept even
 * when it failed (db_get: the request answers 503 until the store is back); false then. */
bool pg_connect(db_t *db, const char *url);
void pg_disconnect(db_t *db);
/* pg_check: before a request: reconnect a broken connection; false while the store is down. */
bool pg_check(db_t *db);
/* pg_rewrite: SQLite's dialect as PostgreSQL's (see the comment in pg.c); with names, :name
 * parameters become $1… and their names are collected (malloc'd array, *n of them). */
char *pg_rewrite(const char *sql, char ***names, int *n);
bool pg_exec(db_t *db, const char *sql);
void pg_idle(db_t *db);   /* roll back a transaction the connection still has open (depth 0) */
bool pg_backup(db_t *db, const char *dest);  /* pg_dump, custom format */
struct pgq *pg_prepare(db_t *db, const char *sql);
void pg_finalize(db_t *db, struct pgq *q);
int pg_param(struct pgq *q, const char *name);              /* 1-based, 0 when unknown */
void pg_bind(struct pgq *q, int i, const char *text, char kind); /* kind 'i' int, 't' text, 'n' NULL */
void pg_clear_bindings(struct pgq *q);
int pg_step(db_t *db, struct pgq *q);                       /* 1 row, 0 done, -1 error (logged) */
void pg_reset(struct pgq *q);
const char *pg_text(struct pgq *q, int col);   /* a timestamptz as SQLite's text (pg_instant) */
/* pg_instant: PostgreSQL's ISO text of a timestamptz ("2026-12-02 02:39:06.5+00", any offset) as
 * SQLite's UTC text "2026-12-02T02:39:06Z" (a fraction dropped, as SQLite's %S does); false when
 * v is not in that form ('infinity', a year BC or past 9999) */
#define PG_INSTANT_LEN 20
bool pg_instant(const char *v, char out[PG_INSTANT_LEN + 1]);
/* pg_forget_statements: after a migration: the statements prepared on the connection are
 * prepared again (the types the server gave their parameters may have changed) */
void pg_forget_statements(db_t *db);
bool pg_is_null(struct pgq *q, int col);
bool pg_is_int(struct pgq *q, int col);
const char *pg_sql(struct pgq *q);
#endif
