/* Moving and checking a whole store (see db.h): `granslos migrate-store SQLITE_PATH URL` and
 * `granslos checksum`. The one part of the layer that works on tables it does not know by
 * name: it reads the schema from the stores' catalogues (sqlite_master, pg_class), so a new
 * migration needs nothing here.
 *
 * The checksum of a table is computed the same way on both stores and does not depend on the
 * order rows come in (collations differ between the stores): every row is rendered canonically
 * — per column a type letter and the value: "N" for NULL, "i" and the decimal integer, "f" and
 * the double as %.17g, "b" and the bytes in lower-case hex, "t", the byte length, ':' and the
 * text — the rendering is hashed with SHA-256, and the table's checksum is the sum of its rows'
 * digests as 256-bit numbers (mod 2^256). A changed, missing or extra row changes it; the row
 * count is compared besides. What a column is (integer, double, bytes or text) is its type in
 * the target store (PostgreSQL), or the declared type in SQLite. An instant (timestamptz on
 * PostgreSQL, text in SQLite) is rendered as text in SQLite's form, "t20:2026-12-02T02:39:06Z",
 * so both stores give the same lines for the same data; migrate-store reads SQLite's text of such
 * a column through strftime (the canonical form of any time SQLite reads; the text itself
 * where it reads none, which PostgreSQL then refuses).
 *
 * migrate-store: the target is migrated first (the same migrations as the source must have);
 * then, in one PostgreSQL transaction holding the store-wide write lock: the target must be
 * empty (no table holds more rows than a freshly migrated store has: the themes and the
 * data-version row the migrations make), its tables are emptied, user triggers disabled (a
 * copied row must not fire the data-version or rowid triggers), foreign keys deferred to the
 * end, every table copied with COPY in dependency order (parents first) — ids, versions and
 * SQLite's rowid (into PostgreSQL's rowid columns, which keep the order of the version
 * tables) as they are — then every sequence owned by a column set past that column's largest
 * value, the triggers and constraints restored, and the counts and checksums of the copy
 * computed in the same transaction and compared with those read from the source's snapshot
 * (one SQLite read transaction for the whole run). Only when every table matches is the
 * transaction committed; otherwise nothing of the copy remains. */
#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include "core/util.h"
#include "db/internal.h"

/* PostgreSQL type oids (pg_type.h) */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_TIMESTAMPTZ 1184

typedef struct {
    char *name;
    char cls;          /* 'i' integer, 'f' double, 'b' bytes, 't' text, 'z' instant */
    bool rowid;        /* PostgreSQL's rowid column: SQLite's implicit rowid */
} col_t;

typedef struct {
    char *name;
    col_t *cols;
    int ncols;
    int64_t rows;
    unsigned char sum[32];
    int64_t t_rows;    /* migrate-store: the copy's */
    unsigned char t_sum[32];
} table_t;

typedef struct {
    table_t *t;
    int n;
} schema_t;

static void schema_free(schema_t *s) {
    for (int i = 0; i < s->n; i++) {
        for (int c = 0; c < s->t[i].ncols; c++) free(s->t[i].cols[c].name);
        free(s->t[i].cols);
        free(s->t[i].name);
    }
    free(s->t);
    s->t = NULL;
    s->n = 0;
}

static table_t *schema_find(schema_t *s, const char *name) {
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->t[i].name, name)) return &s->t[i];
    return NULL;
}

static table_t *schema_add(schema_t *s, const char *name) {
    s->t = xrealloc(s->t, sizeof *s->t * (size_t)(s->n + 1));
    table_t *t = &s->t[s->n++];
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    return t;
}

static void table_add_col(table_t *t, const char *name, char cls, bool rowid) {
    t->cols = xrealloc(t->cols, sizeof *t->cols * (size_t)(t->ncols + 1));
    t->cols[t->ncols++] = (col_t){xstrdup(name), cls, rowid};
}

/* ---- the checksum ---- */

typedef struct {
    crypto_hash_sha256_state h;
} rowsum_t;

static void row_begin(rowsum_t *r) { crypto_hash_sha256_init(&r->h); }
static void row_null(rowsum_t *r) { crypto_hash_sha256_update(&r->h, (const unsigned char *)"N", 1); }
static void row_int(rowsum_t *r, int64_t v) {
    char b[32];
    int n = snprintf(b, sizeof b, "i%lld", (long long)v);
    crypto_hash_sha256_update(&r->h, (const unsigned char *)b, (unsigned long long)n);
}
static void row_double(rowsum_t *r, double v) {
    char b[40];
    int n = snprintf(b, sizeof b, "f%.17g", v);
    crypto_hash_sha256_update(&r->h, (const unsigned char *)b, (unsigned long long)n);
}
static void row_bytes(rowsum_t *r, const unsigned char *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    crypto_hash_sha256_update(&r->h, (const unsigned char *)"b", 1);
    char b[256];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        b[k++] = hex[p[i] >> 4];
        b[k++] = hex[p[i] & 15];
        if (k == sizeof b) { crypto_hash_sha256_update(&r->h, (const unsigned char *)b, k); k = 0; }
    }
    crypto_hash_sha256_update(&r->h, (const unsigned char *)b, k);
}
static void row_text(rowsum_t *r, const char *p, size_t n) {
    char b[32];
    int k = snprintf(b, sizeof b, "t%zu:", n);
    crypto_hash_sha256_update(&r->h, (const unsigned char *)b, (unsigned long long)k);
    crypto_hash_sha256_update(&r->h, (const unsigned char *)p, n);
}
/* row_end: add the row's digest to sum (256-bit little-endian, mod 2^256) */
static void row_end(rowsum_t *r, unsigned char sum[32]) {
    unsigned char d[32];
    crypto_hash_sha256_final(&r->h, d);
    unsigned carry = 0;
    for (int i = 0; i < 32; i++) {
        carry += (unsigned)sum[i] + d[i];
        sum[i] = (unsigned char)carry;
        carry >>= 8;
    }
}

static void sum_hex(const unsigned char sum[32], char out[65]) {
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) { out[2 * i] = hex[sum[31 - i] >> 4]; out[2 * i + 1] = hex[sum[31 - i] & 15]; }
    out[64] = 0;
}

/* ---- SQLite: schema and rows ---- */

static char *sq_ident(const char *name) {   /* "name" with inner quotes doubled (malloc'd) */
    size_t n = strlen(name);
    char *o = xmalloc(2 * n + 3), *p = o;
    *p++ = '"';
    for (const char *s = name; *s; s++) { if (*s == '"') *p++ = '"'; *p++ = *s; }
    *p++ = '"';
    *p = 0;
    return o;
}

static char sq_class(const char *decl) {
    if (!decl) return 't';
    if (strcasestr(decl, "INT")) return 'i';
    if (strcasestr(decl, "REAL") || strcasestr(decl, "FLOA") || strcasestr(decl, "DOUB")) return 'f';
    if (strcasestr(decl, "BLOB")) return 'b';
    return 't';
}

/* sq_schema: the SQLite store's tables (not SQLite's own, not schema_migrations) and their
 * declared columns */
static bool sq_schema(db_t *db, schema_t *s, FILE *err) {
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db->h, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                                  "AND name <> 'schema_migrations' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name",
                           -1, &q, NULL) != SQLITE_OK) {
        fprintf(err, "granslos: cannot read the SQLite schema: %s\n", sqlite3_errmsg(db->h));
        return false;
    }
    while (sqlite3_step(q) == SQLITE_ROW) schema_add(s, (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (sqlite3_prepare_v2(db->h, "SELECT name, type FROM pragma_table_info(?1) ORDER BY cid", -1, &q, NULL) != SQLITE_OK) return false;
    for (int i = 0; i < s->n; i++) {
        sqlite3_bind_text(q, 1, s->t[i].name, -1, SQLITE_STATIC);
        while (sqlite3_step(q) == SQLITE_ROW)
            table_add_col(&s->t[i], (const char *)sqlite3_column_text(q, 0), sq_class((const char *)sqlite3_column_text(q, 1)), false);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return true;
}

/* sq_select: SELECT of t's columns (a rowid column reads SQLite's rowid) */
static char *sq_select(const table_t *t) {
    size_t cap = 64;
    for (int c = 0; c < t->ncols; c++) cap += 4 * strlen(t->cols[c].name) + 64;
    cap += 2 * strlen(t->name) + 8;
    char *sql = xmalloc(cap);
    strcpy(sql, "SELECT ");
    for (int c = 0; c < t->ncols; c++) {
        char *id = t->cols[c].rowid ? xstrdup("rowid") : sq_ident(t->cols[c].name);
        if (c) strcat(sql, ", ");
        if (t->cols[c].cls == 'z') {
            strcat(sql, "coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', ");
            strcat(sql, id);
            strcat(sql, "), ");
            strcat(sql, id);
            strcat(sql, ")");
        } else strcat(sql, id);
        free(id);
    }
    char *tn = sq_ident(t->name);
    strcat(sql, " FROM ");
    strcat(sql, tn);
    free(tn);
    return sql;
}

/* sq_row_sum: add the current row of q (columns as t's) to sum */
static void sq_row_sum(sqlite3_stmt *q, const table_t *t, unsigned char sum[32]) {
    rowsum_t r;
    row_begin(&r);
    for (int c = 0; c < t->ncols; c++) {
        if (sqlite3_column_type(q, c) == SQLITE_NULL) { row_null(&r); continue; }
        switch (t->cols[c].cls) {
        case 'i': row_int(&r, sqlite3_column_int64(q, c)); break;
        case 'f': row_double(&r, sqlite3_column_double(q, c)); break;
        case 'b': {
            const unsigned char *p = sqlite3_column_blob(q, c);
            row_bytes(&r, p, (size_t)sqlite3_column_bytes(q, c));
            break;
        }
        default: {
            const char *p = (const char *)sqlite3_column_text(q, c);
            row_text(&r, p ? p : "", (size_t)sqlite3_column_bytes(q, c));
        }
        }
    }
    row_end(&r, sum);
}

/* ---- PostgreSQL: schema and rows ---- */

static PGresult *pq(db_t *db, FILE *err, const char *sql, int n, const char *const *vals) {
    PGresult *r = PQexecParams(db->pg, sql, n, NULL, vals, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        fprintf(err, "granslos: store error: %s[%.300s]\n", PQresultErrorMessage(r), sql);
        PQclear(r);
        return NULL;
    }
    return r;
}

static bool pq_ok(db_t *db, FILE *err, const char *sql) {
    PGresult *r = pq(db, err, sql, 0, NULL);
    PQclear(r);
    return r != NULL;
}

static char pg_class_of(unsigned oid) {
    switch (oid) {
    case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8: return 'i';
    case OID_FLOAT4: case OID_FLOAT8: return 'f';
    case OID_BYTEA: return 'b';
    case OID_TIMESTAMPTZ: return 'z';
    default: return 't';
    }
}

static bool pg_schema(db_t *db, schema_t *s, FILE *err) {
    PGresult *r = pq(db, err,
                     "SELECT c.relname, a.attname, a.atttypid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' "
                     "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations' "
                     "ORDER BY c.relname, a.attnum",
                     0, NULL);
    if (!r) return false;
    for (int i = 0; i < PQntuples(r); i++) {
        table_t *t = schema_find(s, PQgetvalue(r, i, 0));
        if (!t) t = schema_add(s, PQgetvalue(r, i, 0));
        table_add_col(t, PQgetvalue(r, i, 1), pg_class_of((unsigned)strtoul(PQgetvalue(r, i, 2), NULL, 10)), false);
    }
    PQclear(r);
    return true;
}

static char *pg_ident(db_t *db, const char *name) {
    char *e = PQescapeIdentifier(db->pg, name, strlen(name));
    char *o = xstrdup(e ? e : "\"?\"");
    PQfreemem(e);
    return o;
}

/* cols_list: "a", "b", … of t, quoted for PostgreSQL (malloc'd) */
static char *cols_list(db_t *db, const table_t *t) {
    size_t cap = 1, n = 0;
    char *o = xcalloc(1, cap);
    for (int c = 0; c < t->ncols; c++) {
        char *id = pg_ident(db, t->cols[c].name);
        size_t k = strlen(id);
        o = xrealloc(o, cap += k + 2);
        if (c) { memcpy(o + n, ", ", 2); n += 2; }
        memcpy(o + n, id, k + 1);
        n += k;
        free(id);
    }
    return o;
}

/* table_sql: SELECT of t's columns, or (copy) the COPY into them (malloc'd) */
static char *table_sql(db_t *db, const table_t *t, bool copy) {
    char *cols = cols_list(db, t), *tn = pg_ident(db, t->name);
    size_t n = strlen(cols) + strlen(tn) + 48;
    char *sql = xmalloc(n);
    if (copy) snprintf(sql, n, "COPY %s (%s) FROM STDIN", tn, cols);
    else snprintf(sql, n, "SELECT %s FROM %s", cols, tn);
    free(cols);
    free(tn);
    return sql;
}

/* pg_table_sum: rows and checksum of t on PostgreSQL (in the connection's transaction, if any) */
static bool pg_table_sum(db_t *db, const table_t *t, int64_t *rows, unsigned char sum[32], FILE *err) {
    char *sql = table_sql(db, t, false);
    memset(sum, 0, 32);
    *rows = 0;
    bool ok = PQsendQueryParams(db->pg, sql, 0, NULL, NULL, NULL, NULL, 0) && PQsetSingleRowMode(db->pg);
    if (!ok) fprintf(err, "granslos: store error: %s", PQerrorMessage(db->pg));
    PGresult *r;
    while ((r = PQgetResult(db->pg))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            rowsum_t rs;
            row_begin(&rs);
            for (int c = 0; c < t->ncols; c++) {
                if (PQgetisnull(r, 0, c)) { row_null(&rs); continue; }
                const char *v = PQgetvalue(r, 0, c);
                switch (t->cols[c].cls) {
                case 'i': row_int(&rs, !strcmp(v, "t") ? 1 : !strcmp(v, "f") ? 0 : strtoll(v, NULL, 10)); break;
                case 'f': row_double(&rs, strtod(v, NULL)); break;
                case 'b': {
                    size_t len = 0;
                    unsigned char *b = PQunescapeBytea((const unsigned char *)v, &len);
                    row_bytes(&rs, b, b ? len : 0);
                    PQfreemem(b);
                    break;
                }
                case 'z': {
                    char z[PG_INSTANT_LEN + 1];
                    if (pg_instant(v, z)) row_text(&rs, z, PG_INSTANT_LEN);
                    else row_text(&rs, v, (size_t)PQgetlength(r, 0, c));
                    break;
                }
                default: row_text(&rs, v, (size_t)PQgetlength(r, 0, c));
                }
            }
            row_end(&rs, sum);
            (*rows)++;
        } else if (st != PGRES_TUPLES_OK) {
            fprintf(err, "granslos: store error: %s[%.300s]\n", PQresultErrorMessage(r), sql);
            ok = false;
        }
        PQclear(r);
    }
    free(sql);
    return ok;
}

static bool sq_table_sum(db_t *db, const table_t *t, int64_t *rows, unsigned char sum[32], FILE *err) {
    char *sql = sq_select(t);
    sqlite3_stmt *q = NULL;
    memset(sum, 0, 32);
    *rows = 0;
    if (sqlite3_prepare_v2(db->h, sql, -1, &q, NULL) != SQLITE_OK) {
        fprintf(err, "granslos: %s [%s]\n", sqlite3_errmsg(db->h), sql);
        free(sql);
        return false;
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) { sq_row_sum(q, t, sum); (*rows)++; }
    if (rc != SQLITE_DONE) fprintf(err, "granslos: %s [%s]\n", sqlite3_errmsg(db->h), sql);
    sqlite3_finalize(q);
    free(sql);
    return rc == SQLITE_DONE;
}

/* ---- granslos checksum ---- */

bool db_checksums(db_t *db, FILE *out, FILE *err) {
    schema_t s = {0};
    bool ok = db->pg ? pg_schema(db, &s, err) : sq_schema(db, &s, err);
    /* PostgreSQL's rowid columns (migrations/pg/) are SQLite's implicit rowid, which SQLite's
     * column list does not show: left out, so that both stores print the same lines */
    for (int i = 0; ok && db->pg && i < s.n; i++)
        for (int c = 0; c < s.t[i].ncols; c++)
            if (!strcmp(s.t[i].cols[c].name, "rowid")) {
                free(s.t[i].cols[c].name);
                memmove(&s.t[i].cols[c], &s.t[i].cols[c + 1], sizeof *s.t[i].cols * (size_t)(s.t[i].ncols - c - 1));
                s.t[i].ncols--;
                c--;
            }
    if (ok && !db->pg) ok = sqlite3_exec(db->h, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    if (ok && db->pg) ok = pq_ok(db, err, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (int i = 0; ok && i < s.n; i++) {
        table_t *t = &s.t[i];
        ok = db->pg ? pg_table_sum(db, t, &t->rows, t->sum, err) : sq_table_sum(db, t, &t->rows, t->sum, err);
        char hex[65];
        sum_hex(t->sum, hex);
        if (ok) fprintf(out, "%-32s %10lld  %.16s\n", t->name, (long long)t->rows, hex);
    }
    if (db->pg) pq_ok(db, err, "COMMIT");
    else sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
    schema_free(&s);
    return ok;
}

/* ---- granslos migrate-store ---- */

struct sbuf { char *p; size_t n, cap; };

static void sput(struct sbuf *b, const char *s, size_t n) {
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 4096;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

/* copy_text: a value in COPY's text format: backslash, tab, newline and CR escaped */
static void copy_text(struct sbuf *b, const char *p, size_t n) {
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e = p[i] == '\\' ? "\\\\" : p[i] == '\t' ? "\\t" : p[i] == '\n' ? "\\n" : p[i] == '\r' ? "\\r" : NULL;
        if (!e) continue;
        sput(b, p + run, i - run);
        sput(b, e, 2);
        run = i + 1;
    }
    sput(b, p + run, n - run);
}

/* copy_bytes: a bytea value in COPY's text format: \\x and lower-case hex */
static void copy_bytes(struct sbuf *b, const unsigned char *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    sput(b, "\\\\x", 3);
    for (size_t i = 0; i < n; i++) {
        char h[2] = {hex[p[i] >> 4], hex[p[i] & 15]};
        sput(b, h, 2);
    }
}

/* copy_table: t from the SQLite store src into the PostgreSQL store dst with COPY; the source's
 * rows and checksum are taken on the way */
static bool copy_table(db_t *src, db_t *dst, table_t *t, FILE *err) {
    char *copy = table_sql(dst, t, true);
    PGresult *r = PQexec(dst->pg, copy);
    bool ok = PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok) fprintf(err, "granslos: store error: %s[%s]\n", PQresultErrorMessage(r), copy);
    PQclear(r);
    free(copy);
    if (!ok) return false;
    char *sql = sq_select(t);
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(src->h, sql, -1, &q, NULL);
    if (rc != SQLITE_OK) fprintf(err, "granslos: %s [%s]\n", sqlite3_errmsg(src->h), sql);
    bool prepared = rc == SQLITE_OK;
    struct sbuf b = {0};
    memset(t->sum, 0, sizeof t->sum);
    t->rows = 0;
    while (prepared && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        for (int c = 0; c < t->ncols; c++) {
            if (c) sput(&b, "\t", 1);
            char num[40];
            int k;
            switch (sqlite3_column_type(q, c)) {
            case SQLITE_NULL: sput(&b, "\\N", 2); break;
            case SQLITE_INTEGER:
                k = snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(q, c));
                sput(&b, num, (size_t)k);
                break;
            case SQLITE_FLOAT:
                k = snprintf(num, sizeof num, "%.17g", sqlite3_column_double(q, c));
                sput(&b, num, (size_t)k);
                break;
            default:
                if (t->cols[c].cls == 'b') copy_bytes(&b, sqlite3_column_blob(q, c), (size_t)sqlite3_column_bytes(q, c));
                else {
                    const char *p = (const char *)sqlite3_column_text(q, c);
                    copy_text(&b, p ? p : "", (size_t)sqlite3_column_bytes(q, c));
                }
            }
        }
        sput(&b, "\n", 1);
        sq_row_sum(q, t, t->sum);
        t->rows++;
        if (b.n >= (1 << 20)) {
            if (PQputCopyData(dst->pg, b.p, (int)b.n) != 1) { rc = SQLITE_ERROR; break; }
            b.n = 0;
        }
    }
    if (rc == SQLITE_DONE) rc = b.n && PQputCopyData(dst->pg, b.p, (int)b.n) != 1 ? SQLITE_ERROR : SQLITE_DONE;
    else if (rc != SQLITE_ERROR) fprintf(err, "granslos: reading %s: %s\n", t->name, sqlite3_errmsg(src->h));
    free(b.p);
    sqlite3_finalize(q);
    free(sql);
    /* ending the COPY with an error message aborts it (and so the transaction) */
    PQputCopyEnd(dst->pg, rc == SQLITE_DONE ? NULL : "the source could not be read");
    ok = rc == SQLITE_DONE;
    while ((r = PQgetResult(dst->pg))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            if (ok) fprintf(err, "granslos: copying %s: %s", t->name, PQresultErrorMessage(r));
            ok = false;
        }
        PQclear(r);
    }
    return ok;
}

/* copy_order: t's tables with every table after the tables its foreign keys reference (a
 * cycle, or a table referencing itself, is broken by the deferred constraints) */
static bool copy_order(db_t *dst, schema_t *s, FILE *err) {
    PGresult *r = pq(dst, err,
                     "SELECT c.relname, p.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                     "JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE k.contype = 'f' AND n.nspname = current_schema() AND k.conrelid <> k.confrelid",
                     0, NULL);
    if (!r) return false;
    table_t *sorted = xcalloc((size_t)s->n, sizeof *sorted);
    bool *placed = xcalloc((size_t)s->n, sizeof *placed);
    int n = 0;
    while (n < s->n) {
        int before = n;
        for (int i = 0; i < s->n; i++) {
            if (placed[i]) continue;
            bool ready = true;
            for (int e = 0; ready && e < PQntuples(r); e++) {
                if (strcmp(PQgetvalue(r, e, 0), s->t[i].name)) continue;
                for (int j = 0; j < s->n; j++)
                    if (!placed[j] && j != i && !strcmp(s->t[j].name, PQgetvalue(r, e, 1))) ready = false;
            }
            if (ready) { placed[i] = true; sorted[n++] = s->t[i]; }
        }
        if (n == before) /* a cycle: the rest in name order */
            for (int i = 0; i < s->n; i++) if (!placed[i]) { placed[i] = true; sorted[n++] = s->t[i]; }
    }
    PQclear(r);
    free(s->t);
    free(placed);
    s->t = sorted;
    return true;
}

/* run_each: for each row of the query, run fmt with the row's first two values as quoted
 * identifiers (%s %s) */
static bool run_each(db_t *dst, FILE *err, const char *query, const char *fmt) {
    PGresult *r = pq(dst, err, query, 0, NULL);
    if (!r) return false;
    bool ok = true;
    for (int i = 0; ok && i < PQntuples(r); i++) {
        char *a = pg_ident(dst, PQgetvalue(r, i, 0)), *b = pg_ident(dst, PQgetvalue(r, i, 1));
        size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
        char *sql = xmalloc(n);
        snprintf(sql, n, fmt, a, b);
        ok = pq_ok(dst, err, sql);
        free(sql);
        free(a);
        free(b);
    }
    PQclear(r);
    return ok;
}

#define FKS_IMMEDIATE                                                                                          \
    "SELECT c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "                   \
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype = 'f' AND NOT k.condeferrable "               \
    "AND n.nspname = current_schema()"

/* set_sequences: every sequence owned by a column (identity, serial) continues after that
 * column's largest value */
static bool set_sequences(db_t *dst, FILE *err, int *nseq) {
    PGresult *r = pq(dst, err,
                     "SELECT s.oid::regclass::text, t.relname, a.attname FROM pg_depend d "
                     "JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_class t ON t.oid = d.refobjid "
                     "JOIN pg_namespace n ON n.oid = t.relnamespace "
                     "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
                     "WHERE d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND n.nspname = current_schema()",
                     0, NULL);
    if (!r) return false;
    bool ok = true;
    *nseq = PQntuples(r);
    for (int i = 0; ok && i < PQntuples(r); i++) {
        char *t = pg_ident(dst, PQgetvalue(r, i, 1)), *c = pg_ident(dst, PQgetvalue(r, i, 2));
        size_t n = strlen(t) + 2 * strlen(c) + 96;
        char *sql = xmalloc(n);
        snprintf(sql, n, "SELECT setval($1::regclass, coalesce(max(%s), 0) + 1, false) FROM %s", c, t);
        const char *v[1] = {PQgetvalue(r, i, 0)};
        PGresult *x = pq(dst, err, sql, 1, v);
        ok = x != NULL;
        PQclear(x);
        free(sql);
        free(t);
        free(c);
    }
    PQclear(r);
    return ok;
}

/* set_triggers: the user triggers of every table on or off (transactional, as any ALTER TABLE) */
static bool set_triggers(db_t *dst, const schema_t *s, bool on, FILE *err) {
    for (int i = 0; i < s->n; i++) {
        char *tn = pg_ident(dst, s->t[i].name);
        char sql[300];
        snprintf(sql, sizeof sql, "ALTER TABLE %s %s TRIGGER USER", tn, on ? "ENABLE" : "DISABLE");
        free(tn);
        if (!pq_ok(dst, err, sql)) return false;
    }
    return true;
}

static double seconds_since(const struct timespec *t0) {
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* versions: the applied migrations, "1,2,3…" (malloc'd) */
static char *versions(db_t *db) {
    if (db->pg) {
        PGresult *r = PQexec(db->pg, "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations");
        char *v = xstrdup(PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) ? PQgetvalue(r, 0, 0) : "?");
        PQclear(r);
        return v;
    }
    sqlite3_stmt *q = NULL;
    char *v = NULL;
    if (sqlite3_prepare_v2(db->h, "SELECT group_concat(version, ',') FROM (SELECT version FROM schema_migrations ORDER BY version)",
                           -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        v = xstrdup(sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
    sqlite3_finalize(q);
    return v ? v : xstrdup("?");
}

/* match_schemas: the target's tables and columns are the source's (PostgreSQL's rowid columns
 * take SQLite's rowid); the copy and the sums use the target's columns */
static bool match_schemas(const schema_t *src, schema_t *dst, FILE *err) {
    bool ok = true;
    for (int i = 0; i < src->n; i++)
        if (!schema_find(dst, src->t[i].name)) { fprintf(err, "granslos: table %s is missing in the target\n", src->t[i].name); ok = false; }
    for (int i = 0; i < dst->n; i++) {
        table_t *d = &dst->t[i], *s = schema_find((schema_t *)src, d->name);
        if (!s) { fprintf(err, "granslos: table %s is not in the source\n", d->name); ok = false; continue; }
        for (int c = 0; c < d->ncols; c++) {
            bool found = false;
            for (int k = 0; k < s->ncols && !found; k++) found = !strcasecmp(s->cols[k].name, d->cols[c].name);
            if (!found && !strcmp(d->cols[c].name, "rowid")) d->cols[c].rowid = true;
            else if (!found) { fprintf(err, "granslos: column %s.%s is not in the source\n", d->name, d->cols[c].name); ok = false; }
        }
        for (int k = 0; k < s->ncols; k++) {
            bool found = false;
            for (int c = 0; c < d->ncols && !found; c++) found = !strcasecmp(s->cols[k].name, d->cols[c].name);
            if (!found) { fprintf(err, "granslos: column %s.%s is missing in the target\n", d->name, s->cols[k].name); ok = false; }
        }
    }
    return ok;
}

/* seed_rows: how many rows table has in a freshly migrated store (the migrations' own rows) */
static int64_t seed_rows(db_t *fresh, const char *table) {
    char *tn = sq_ident(table);
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tn);
    free(tn);
    sqlite3_stmt *q = NULL;
    int64_t n = 0;
    if (sqlite3_prepare_v2(fresh->h, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW) n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* not_empty: the name of a target table holding more than a new store's rows, or NULL */
static const table_t *not_empty(db_t *dst, db_t *fresh, const schema_t *s, int64_t *rows, int64_t *seed, FILE *err, bool *failed) {
    for (int i = 0; i < s->n; i++) {
        char *tn = pg_ident(dst, s->t[i].name);
        char sql[300];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tn);
        free(tn);
        PGresult *r = pq(dst, err, sql, 0, NULL);
        if (!r) { *failed = true; return NULL; }
        *rows = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        *seed = seed_rows(fresh, s->t[i].name);
        if (*rows > *seed) return &s->t[i];
    }
    return NULL;
}

int db_migrate_store(const char *src_path, const char *url, FILE *out, FILE *err) {
    struct stat sb;
    if (db_is_url(src_path) || stat(src_path, &sb) != 0) {
        fprintf(err, "granslos: migrate-store: %s is not a SQLite database file%s%s\n", src_path,
                db_is_url(src_path) ? "" : ": ", db_is_url(src_path) ? "" : strerror(errno));
        return 2;
    }
    if (!db_is_url(url)) { fprintf(err, "granslos: migrate-store: the target must be a postgres:// or postgresql:// URL\n"); return 2; }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    db_t *src = db_open(src_path), *dst = src ? db_open(url) : NULL, *fresh = dst ? db_open_sqlite(":memory:", true) : NULL;
    int rc = 1;
    schema_t ss = {0}, ds = {0};
    if (!fresh) { fprintf(err, "granslos: migrate-store: cannot open the stores (see the log above)\n"); goto done; }
    char *sv = versions(src), *dv = versions(dst);
    bool same = !strcmp(sv, dv);
    if (!same) fprintf(err, "granslos: migrate-store: the stores have different migrations (source %s; target %s)\n", sv, dv);
    free(sv);
    free(dv);
    if (!same) goto done;
    /* one snapshot of the source for the whole run */
    if (sqlite3_exec(src->h, "BEGIN", NULL, NULL, NULL) != SQLITE_OK || !sq_schema(src, &ss, err)) goto done;
    if (!pg_schema(dst, &ds, err) || !match_schemas(&ss, &ds, err) || !copy_order(dst, &ds, err)) goto done;
    char lock[80];
    snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%d)", DB_PG_WRITE_LOCK);
    if (!pq_ok(dst, err, "BEGIN") || !pq_ok(dst, err, lock)) goto done;
    int64_t rows = 0, seed = 0;
    bool failed = false;
    const table_t *full = not_empty(dst, fresh, &ds, &rows, &seed, err, &failed);
    if (failed) goto rollback;
    if (full) {
        fprintf(err, "granslos: migrate-store: the target is not empty: %s has %lld rows (a new store has %lld); "
                     "give an empty database (createdb) — nothing was copied\n", full->name, (long long)rows, (long long)seed);
        rc = 3;
        goto rollback;
    }
    /* the rows the target's migrations made (themes, the data-version row) come from the source */
    struct sbuf tr = {0};
    sput(&tr, "TRUNCATE ", 9);
    for (int i = 0; i < ds.n; i++) {
        char *tn = pg_ident(dst, ds.t[i].name);
        if (i) sput(&tr, ", ", 2);
        sput(&tr, tn, strlen(tn));
        free(tn);
    }
    sput(&tr, "", 1);
    bool ok = pq_ok(dst, err, tr.p);
    free(tr.p);
    ok = ok && set_triggers(dst, &ds, false, err);
    /* foreign keys checked once, at the end (a table referencing itself copies in any order) */
    ok = ok && run_each(dst, err, FKS_IMMEDIATE " ORDER BY 1, 2", "ALTER TABLE %s ALTER CONSTRAINT %s DEFERRABLE INITIALLY DEFERRED");
    ok = ok && pq_ok(dst, err, "SET CONSTRAINTS ALL DEFERRED");
    int64_t total = 0;
    for (int i = 0; ok && i < ds.n; i++) {
        ok = copy_table(src, dst, &ds.t[i], err);
        total += ds.t[i].rows;
    }
    ok = ok && pq_ok(dst, err, "SET CONSTRAINTS ALL IMMEDIATE");
    if (!ok) { fprintf(err, "granslos: migrate-store: the copy failed; nothing was copied\n"); goto rollback; }
    double copy_s = seconds_since(&t0);
    /* the constraints and triggers as the migrations made them */
    ok = run_each(dst, err,
                  "SELECT c.relname, k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype = 'f' AND k.condeferrable AND k.condeferred "
                  "AND n.nspname = current_schema() ORDER BY 1, 2",
                  "ALTER TABLE %s ALTER CONSTRAINT %s NOT DEFERRABLE");
    ok = ok && set_triggers(dst, &ds, true, err);
    int nseq = 0;
    ok = ok && set_sequences(dst, err, &nseq);
    if (!ok) goto rollback;
    /* compare: the copy's counts and checksums, read back in the same transaction */
    int bad = 0;
    fprintf(out, "%-32s %10s %10s  %-16s\n", "table", "source", "target", "checksum");
    for (int i = 0; i < ds.n; i++) {
        table_t *t = &ds.t[i];
        if (!pg_table_sum(dst, t, &t->t_rows, t->t_sum, err)) goto rollback;
        bool same_t = t->rows == t->t_rows && !memcmp(t->sum, t->t_sum, 32);
        char hs[65], ht[65];
        sum_hex(t->sum, hs);
        sum_hex(t->t_sum, ht);
        if (same_t) fprintf(out, "%-32s %10lld %10lld  %.16s ok\n", t->name, (long long)t->rows, (long long)t->t_rows, hs);
        else fprintf(out, "%-32s %10lld %10lld  %.16s DIFFERS (target %.16s)\n", t->name, (long long)t->rows, (long long)t->t_rows, hs, ht);
        bad += !same_t;
    }
    if (bad) {
        fprintf(err, "granslos: migrate-store: %d tables differ after the copy; nothing was copied\n", bad);
        goto rollback;
    }
    if (!pq_ok(dst, err, "COMMIT")) goto done;
    fprintf(out, "moved %lld rows in %d tables (%d sequences set) in %.1f s (copy %.1f s, check %.1f s): counts and checksums match\n",
            (long long)total, ds.n, nseq, seconds_since(&t0), copy_s, seconds_since(&t0) - copy_s);
    rc = 0;
    goto done;
rollback:
    PQclear(PQexec(dst->pg, "ROLLBACK"));
done:
    if (src && src->h) sqlite3_exec(src->h, "ROLLBACK", NULL, NULL, NULL);
    schema_free(&ss);
    schema_free(&ds);
    db_close(fresh);
    db_close(dst);
    db_close(src);
    return rc;
}
