/* PostgreSQL implementation of the database layer (see db.h and docs/architecture.md, "The store").
 *
 * The modules write one SQL text for both stores: SQLite's dialect, kept portable. This file
 * translates each statement once, when it is first prepared on a connection (the translation
 * is cached with the statement), and otherwise maps the API onto libpq:
 *
 * - :name parameters become $1, $2 … (the same name is the same number);
 * - the few dialect tokens that differ are rewritten (pg_rewrite): INTEGER → BIGINT (SQLite's
 *   integers are 64-bit), INTEGER PRIMARY KEY → an identity column, REAL → DOUBLE PRECISION,
 *   BLOB → BYTEA, the STRICT / WITHOUT ROWID table options dropped, INSERT OR IGNORE → ON
 *   CONFLICT DO NOTHING, LIKE → ILIKE (SQLite's LIKE ignores ASCII case), ORDER BY items get
 *   SQLite's NULL order (NULLS FIRST ascending, NULLS LAST descending), and a trigger
 *   (CREATE TRIGGER … BEGIN stmts; END) becomes a PL/pgSQL function and its trigger;
 * - SQLite functions the code uses (strftime, group_concat, instr, sum of a boolean, …) exist
 *   in the database as SQL functions (src/db/pg_compat.sql, applied before the migrations);
 * - instants: the columns that hold them are timestamptz here (migrations/pg/084_timestamptz.sql)
 *   and read back as SQLite's text "YYYY-MM-DDTHH:MM:SSZ" (pg_text; the session is UTC, ISO);
 *   strftime('%Y-%m-%dT%H:%M:%SZ', …), what the modules write into them, becomes
 *   granslos_instant(…), a timestamptz; a bound text in that form is an instant where the
 *   parameter must be typed (below);
 * - every statement is prepared on the server once per connection and per typing of its
 *   parameters: first with every parameter of unknown type (PostgreSQL infers it, as for a
 *   quoted literal), and where it cannot (":x IS NULL") with integers as bigint and text as
 *   text, a NULL taking the type the parameter had when it was last bound to a value, and
 *   where text does not fit either, a text in the instant form as timestamptz (a value of
 *   "CASE WHEN … THEN :now END" for a timestamptz column);
 * - an INSERT into a table with an identity column gets RETURNING that column: db_last_id()
 *   is the id the last INSERT made, as sqlite3_last_insert_rowid() (triggers do not change it);
 * - a boolean result reads as 1 or 0 (SQLite has no booleans).
 *
 * A broken connection (the server restarted) marks the connection down: the request answers
 * 503 (db_request_end says DB_REQ_UNAVAILABLE) and the next request reconnects (PQreset); a
 * SELECT that failed on a connection broken before it was sent is retried once on the new one. */
#include <errno.h>
#include <spawn.h>
#include <stdatomic.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/arena.h"
#include "core/util.h"
#include "db/internal.h"

#define PG_TYPINGS 4          /* server-side statements kept per SQL text (one per typing) */

struct pg_ident {             /* a table's identity column ("" when none), per connection */
    char *table, *column;
    struct pg_ident *next;
};

struct pgprep {
    char *sig;                /* the kinds of the parameters it was prepared for */
    char name[24];
    unsigned gen;             /* the connection generation it was prepared on */
};

struct pgq {
    char *sql;                /* translated */
    int n;                    /* parameters */
    char **names;             /* ":name" of $1 … $n */
    char **vals;              /* bound values (malloc'd), NULL for NULL */
    char *kind;               /* per parameter: 'i' integer, 't' text, 'z' text that is an instant
                                 ("YYYY-MM-DDTHH:MM:SSZ"), 'n' NULL; n+1 bytes */
    char *hint;               /* per parameter: the last non-NULL kind bound ('n' when none) */
    PGresult *res;
    int row;
    unsigned char **blobs;    /* bytea and timestamptz values of the current row, as the code reads
                                 them (freed at the next row) */
    int nblobs;
    bool select, insert, returning_checked, returning; /* returning: RETURNING added for last_id */
    struct pgprep prep[PG_TYPINGS];
    int nprep;
};

/* ---- the dialect ---- */

static char *dupn(const char *s, size_t n) {
    char *d = xcalloc(1, n + 1);
    memcpy(d, s, n);
    return d;
}
static char *malloc_n(size_t n) { return xcalloc(1, n); }

typedef struct { char *p; size_t n, cap; } sb_t;

static void sb_put(sb_t *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2 + 64;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void sb_puts(sb_t *b, const char *s) { sb_put(b, s, strlen(s)); }

static bool is_word_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
static bool is_word_char(char c) { return is_word_start(c) || (c >= '0' && c <= '9'); }
static bool kw(const char *w, size_t n, const char *k) { return strlen(k) == n && strncasecmp(w, k, n) == 0; }

/* peek: the word that follows p after blanks (its length in *n, 0 when none) */
static const char *peek(const char *p, size_t *n) {
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
    size_t k = 0;
    if (is_word_start(*p)) while (is_word_char(p[k])) k++;
    *n = k;
    return p;
}

/* skip_quoted: p at a quote character; the position after the closing one */
static const char *skip_quoted(const char *p) {
    char q = *p++;
    while (*p) {
        if (*p == q) { if (p[1] == q) { p += 2; continue; } return p + 1; }
        p++;
    }
    return p;
}

/* skip_comment: p at "--" or a slash-star; the position after the comment */
static const char *skip_comment(const char *p) {
    if (p[0] == '-') { while (*p && *p != '\n') p++; return p; }
    const char *e = strstr(p + 2, "*/");
    return e ? e + 2 : p + strlen(p);
}

/* trim_back: drop trailing blanks from the output, then (drop_comma) one comma and blanks */
static void trim_back(sb_t *b, bool drop_comma) {
    while (b->n && strchr(" \t\r\n", b->p[b->n - 1])) b->n--;
    if (drop_comma && b->n && b->p[b->n - 1] == ',') { b->n--; while (b->n && strchr(" \t\r\n", b->p[b->n - 1])) b->n--; }
    if (b->p) b->p[b->n] = 0;
}
static char last_out(const sb_t *b) {
    size_t i = b->n;
    while (i && strchr(" \t\r\n", b->p[i - 1])) i--;
    return i ? b->p[i - 1] : 0;
}

/* find_word: the first top-level occurrence of word k at or after p (outside quotes and
 * comments), or NULL; with after_semicolon, only where the previous non-blank is ';' */
static const char *find_word(const char *p, const char *k, bool after_semicolon) {
    char prev = 0;
    while (*p) {
        if (*p == '\'' || *p == '"') { p = skip_quoted(p); prev = 'x'; continue; }
        if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) { p = skip_comment(p); continue; }
        if (is_word_start(*p)) {
            size_t n = 0;
            while (is_word_char(p[n])) n++;
            if (kw(p, n, k) && (!after_semicolon || prev == ';')) return p;
            p += n;
            prev = 'x';
            continue;
        }
        if (!strchr(" \t\r\n", *p)) prev = *p;
        p++;
    }
    return NULL;
}

/* is_keyword_operand: what may follow IS [NOT] in PostgreSQL as it is */
static bool is_keyword_operand(const char *w, size_t n) {
    return n && (kw(w, n, "NULL") || kw(w, n, "TRUE") || kw(w, n, "FALSE") || kw(w, n, "DISTINCT") || kw(w, n, "UNKNOWN") ||
                 kw(w, n, "DOCUMENT") || kw(w, n, "NORMALIZED") || kw(w, n, "NFC") || kw(w, n, "NFD") || kw(w, n, "NFKC") ||
                 kw(w, n, "NFKD"));
}

struct ob { int depth; bool desc, nulls; };   /* an ORDER BY list being copied */

static void order_item_end(sb_t *b, struct ob *o) {
    if (!o->nulls) {
        trim_back(b, false);
        sb_puts(b, o->desc ? " NULLS LAST" : " NULLS FIRST");
    }
    o->desc = o->nulls = false;
}

static void rewrite_into(sb_t *b, const char *sql, size_t len, char ***names, int *nn);

/* instant_format: p after the word strftime; when its first argument is the instant format
 * '%Y-%m-%dT%H:%M:%SZ' and more follow, the position after that argument's comma, else NULL */
static const char *instant_format(const char *p) {
    static const char fmt[] = "'%Y-%m-%dT%H:%M:%SZ'";
    p += strspn(p, " \t\r\n");
    if (*p != '(') return NULL;
    p += 1 + strspn(p + 1, " \t\r\n");
    if (strncmp(p, fmt, sizeof fmt - 1)) return NULL;
    p += sizeof fmt - 1;
    p += strspn(p, " \t\r\n");
    return *p == ',' ? p + 1 : NULL;
}

/* rowid_trigger: after CREATE TABLE t (c INTEGER PRIMARY KEY …): SQLite's rowid rules for the
 * identity column: a NULL id takes the next one, an explicit id moves the sequence past it */
static void rowid_trigger(sb_t *b, const char *t, const char *c) {
    char x[1400];
    snprintf(x, sizeof x,
             "; CREATE OR REPLACE FUNCTION trg_rowid_%s() RETURNS trigger LANGUAGE plpgsql AS $r$ BEGIN "
             "IF NEW.%s IS NULL THEN NEW.%s := nextval(pg_get_serial_sequence('%s', '%s')); "
             "ELSIF NEW.%s > coalesce(pg_sequence_last_value(pg_get_serial_sequence('%s', '%s')::regclass), 0) THEN "
             "PERFORM setval(pg_get_serial_sequence('%s', '%s'), NEW.%s); END IF; RETURN NEW; END $r$; "
             "CREATE OR REPLACE TRIGGER %s_rowid BEFORE INSERT ON %s FOR EACH ROW EXECUTE FUNCTION trg_rowid_%s()",
             t, c, c, t, c, c, t, c, t, c, c, t, t, t);
    trim_back(b, false);
    sb_puts(b, x);
}

/* trigger: p after "CREATE TRIGGER"; writes the PL/pgSQL function and the trigger; returns the
 * position after the trigger's END (or NULL when it is not in the expected shape) */
static const char *trigger(sb_t *b, const char *p) {
    const char *begin = find_word(p, "BEGIN", false);
    const char *end = begin ? find_word(begin + 5, "END", true) : NULL;
    const char *on = find_word(p, "ON", false);
    if (!begin || !end || !on || on > begin) return NULL;
    size_t n;
    const char *w = peek(p, &n);
    if (kw(w, n, "IF")) { w = peek(w + n, &n); w = peek(w + n, &n); w = peek(w + n, &n); } /* IF NOT EXISTS */
    if (!n) return NULL;
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)n, w);
    const char *event = w + n;               /* "AFTER INSERT [OF …]" up to ON */
    const char *t = peek(on + 2, &n);
    if (!n) return NULL;
    const char *table = t;
    size_t tn = n;
    const char *when = find_word(t + n, "WHEN", false);
    if (when && when > begin) when = NULL;
    sb_puts(b, "CREATE OR REPLACE FUNCTION trg_");
    sb_puts(b, name);
    sb_puts(b, "() RETURNS trigger LANGUAGE plpgsql AS $trg$ BEGIN ");
    rewrite_into(b, begin + 5, (size_t)(end - begin - 5), NULL, NULL);
    sb_puts(b, " IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $trg$; CREATE TRIGGER ");
    sb_puts(b, name);
    sb_put(b, event, (size_t)(on - event));
    sb_puts(b, "ON ");
    sb_put(b, table, tn);
    sb_puts(b, " FOR EACH ROW ");
    if (when) {
        sb_puts(b, "WHEN (");
        rewrite_into(b, when + 4, (size_t)(begin - when - 4), NULL, NULL);
        sb_puts(b, ") ");
    }
    sb_puts(b, "EXECUTE FUNCTION trg_");
    sb_puts(b, name);
    sb_puts(b, "()");
    return end + 3;
}

static void rewrite_into(sb_t *b, const char *sql, size_t len, char ***names, int *nn) {
    const char *p = sql, *stop = sql + len;
    int depth = 0;
    struct ob ord[16];
    int nord = 0;
    bool conflict = false;  /* INSERT OR IGNORE: ON CONFLICT DO NOTHING at the statement's end */
    bool cond = false;      /* the last token was WHERE, AND, OR, HAVING or NOT: a condition follows */
    char table[64] = "", rowid[64] = "";  /* CREATE TABLE table (rowid INTEGER PRIMARY KEY …) */
    const char *prev = NULL;              /* the word before the current one */
    size_t prevn = 0;
    while (p < stop && *p) {
        char c = *p;
        if (c >= '0' && c <= '9' && cond && (p[1] < '0' || p[1] > '9') && p[1] != '.') {
            /* WHERE 1 / AND 0: SQLite's integers as conditions */
            size_t n2;
            const char *w2 = peek(p + 1, &n2);
            if (!*w2 || *w2 == ')' || *w2 == ';' || kw(w2, n2, "AND") || kw(w2, n2, "OR") || kw(w2, n2, "ORDER") ||
                kw(w2, n2, "GROUP") || kw(w2, n2, "LIMIT") || kw(w2, n2, "UNION") || kw(w2, n2, "RETURNING") || kw(w2, n2, "HAVING")) {
                sb_puts(b, c == '0' ? "FALSE" : "TRUE");
                p++;
                cond = false;
                continue;
            }
        }
        if (!strchr(" \t\r\n", c)) cond = false;
        if (c == '\'' || c == '"') {
            const char *e = skip_quoted(p);
            if (e > stop) e = stop;
            sb_put(b, p, (size_t)(e - p));
            p = e;
            continue;
        }
        if ((c == '-' && p[1] == '-') || (c == '/' && p[1] == '*')) {
            const char *e = skip_comment(p);
            if (e > stop) e = stop;
            sb_put(b, p, (size_t)(e - p));
            p = e;
            continue;
        }
        if (c == ':' && p[1] == ':') { sb_put(b, p, 2); p += 2; continue; }
        if (c == ':' && names && is_word_start(p[1])) {
            size_t n = 1;
            while (is_word_char(p[n])) n++;
            int k = 0;
            while (k < *nn && !(strlen((*names)[k]) == n && !strncmp((*names)[k], p, n))) k++;
            if (k == *nn) {
                *names = xrealloc(*names, (size_t)(*nn + 1) * sizeof **names);
                (*names)[(*nn)++] = dupn(p, n);
            }
            char num[16];
            snprintf(num, sizeof num, "$%d", k + 1);
            sb_puts(b, num);
            p += n;
            continue;
        }
        if (c == '(') { depth++; sb_put(b, p++, 1); continue; }
        if (c == ')') {
            while (nord && ord[nord - 1].depth >= depth) order_item_end(b, &ord[--nord]);
            depth--;
            sb_put(b, p++, 1);
            continue;
        }
        if (c == ',' && nord && ord[nord - 1].depth == depth) { order_item_end(b, &ord[nord - 1]); sb_put(b, p++, 1); continue; }
        if (c == ';') {
            while (nord) order_item_end(b, &ord[--nord]);
            if (*rowid) rowid_trigger(b, table, rowid);
            *table = *rowid = 0;
            if (conflict) { trim_back(b, false); sb_puts(b, " ON CONFLICT DO NOTHING"); conflict = false; }
            sb_put(b, p++, 1);
            continue;
        }
        if (!is_word_start(c)) { sb_put(b, p++, 1); continue; }
        size_t n = 0;
        while (is_word_char(p[n])) n++;
        const char *w = p;
        p += n;
        cond = kw(w, n, "WHERE") || kw(w, n, "AND") || kw(w, n, "OR") || kw(w, n, "HAVING") || kw(w, n, "NOT");
        const char *before = prev;
        size_t beforen = prevn;
        prev = w;
        prevn = n;
        size_t n2;
        const char *w2 = peek(p, &n2);
        if (kw(w, n, "TABLE") && before && (kw(before, beforen, "CREATE") || kw(before, beforen, "TEMP") || kw(before, beforen, "TEMPORARY")) && !*table) {
            size_t tn;
            const char *t = peek(p, &tn);
            if (kw(t, tn, "IF")) { t = peek(t + tn, &tn); t = peek(t + tn, &tn); t = peek(t + tn, &tn); } /* IF NOT EXISTS */
            if (tn && tn < sizeof table) snprintf(table, sizeof table, "%.*s", (int)tn, t);
        }
        if (nord && ord[nord - 1].depth == depth) {
            struct ob *o = &ord[nord - 1];
            if (kw(w, n, "DESC")) o->desc = true;
            else if (kw(w, n, "NULLS")) o->nulls = true;
            else if (kw(w, n, "LIMIT") || kw(w, n, "OFFSET") || kw(w, n, "UNION") || kw(w, n, "EXCEPT") || kw(w, n, "INTERSECT") ||
                     kw(w, n, "ROWS") || kw(w, n, "RANGE") || kw(w, n, "GROUPS") || kw(w, n, "FETCH") || kw(w, n, "FOR") ||
                     kw(w, n, "RETURNING")) {
                order_item_end(b, o);
                nord--;
                sb_puts(b, " ");
            }
        }
        if (kw(w, n, "ORDER") && kw(w2, n2, "BY")) {
            sb_put(b, w, n);
            sb_put(b, p, (size_t)(w2 + n2 - p));
            p = w2 + n2;
            if (nord < 16) ord[nord++] = (struct ob){depth, false, false};
        } else if (kw(w, n, "INTEGER")) {
            size_t n3;
            const char *w3 = peek(w2 + n2, &n3);
            if (kw(w2, n2, "PRIMARY") && kw(w3, n3, "KEY")) {
                sb_puts(b, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
                if (*table && before && beforen < sizeof rowid) snprintf(rowid, sizeof rowid, "%.*s", (int)beforen, before);
                p = w3 + n3;
                size_t n4;
                const char *w4 = peek(p, &n4);
                if (kw(w4, n4, "AUTOINCREMENT")) p = w4 + n4;
            } else sb_puts(b, "BIGINT");
        } else if (kw(w, n, "REAL")) sb_puts(b, "DOUBLE PRECISION");
        else if (kw(w, n, "BLOB")) sb_puts(b, "BYTEA");
        else if (kw(w, n, "STRICT") && (last_out(b) == ')' || last_out(b) == ',')) trim_back(b, true);
        else if (kw(w, n, "WITHOUT") && kw(w2, n2, "ROWID") && (last_out(b) == ')' || last_out(b) == ',')) {
            trim_back(b, true);
            p = w2 + n2;
        } else if (kw(w, n, "INSERT") && kw(w2, n2, "OR")) {
            size_t n3;
            const char *w3 = peek(w2 + n2, &n3);
            sb_puts(b, "INSERT");
            p = w3 + n3;
            if (kw(w3, n3, "IGNORE")) conflict = true;
        } else if (kw(w, n, "RETURNING") && conflict) {
            trim_back(b, false);
            sb_puts(b, " ON CONFLICT DO NOTHING RETURNING");
            conflict = false;
        } else if (kw(w, n, "IS") && !is_keyword_operand(w2, n2)) {
            /* SQLite's a IS b / a IS NOT b compare with NULLs as values */
            if (kw(w2, n2, "NOT")) {
                size_t n3;
                const char *w3 = peek(w2 + n2, &n3);
                if (is_keyword_operand(w3, n3)) sb_put(b, w, n);
                else { sb_puts(b, "IS DISTINCT FROM"); p = w2 + n2; }
            } else sb_puts(b, "IS NOT DISTINCT FROM");
        } else if (kw(w, n, "LIKE")) sb_puts(b, "ILIKE");
        else if (kw(w, n, "strftime") && instant_format(p)) {
            /* the instant as timestamptz, for the timestamptz columns (pg_compat.sql) */
            sb_puts(b, "granslos_instant(");
            p = instant_format(p);
            depth++;
        }
        else if (kw(w, n, "CREATE") && kw(w2, n2, "TRIGGER")) {
            const char *after = trigger(b, w2 + n2);
            if (after) p = after;
            else sb_put(b, w, n);
        } else sb_put(b, w, n);
    }
    while (nord) order_item_end(b, &ord[--nord]);
    if (conflict) { trim_back(b, false); sb_puts(b, " ON CONFLICT DO NOTHING"); }
    if (*rowid) rowid_trigger(b, table, rowid);
}

char *pg_rewrite(const char *sql, char ***names, int *n) {
    sb_t b = {0};
    if (names) { *names = NULL; *n = 0; }
    rewrite_into(&b, sql, strlen(sql), names, n);
    if (!b.p) return xstrdup("");
    return b.p;
}

/* ---- connections ---- */

/* every connection: UTC and ISO dates (pg_instant reads timestamptz in that form), quiet
 * notices, and a write that waits for the store-wide write lock (or any row lock) longer than
 * 5 s fails, as SQLite's busy timeout */
#define PG_SESSION                                                                                    \
    "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET DateStyle = 'ISO, YMD'; SET lock_timeout = '5s'"

bool pg_connect(db_t *db, const char *url) {
    const char *const keys[] = {"dbname", "connect_timeout", "fallback_application_name", NULL};
    const char *const vals[] = {url, "5", "granslos", NULL};
    free(db->url);
    db->url = xstrdup(url);
    db->pg = PQconnectdbParams(keys, vals, 1);
    if (!db->pg) return false;
    db->pg_gen++;
    if (PQstatus(db->pg) != CONNECTION_OK) {
        log_msg("cannot connect to the store: %s", PQerrorMessage(db->pg));
        db->pg_down = true;
        return false;
    }
    PGresult *r = PQexec(db->pg, PG_SESSION);
    PQclear(r);
    db->pg_down = false;
    return true;
}

bool pg_instant(const char *v, char out[PG_INSTANT_LEN + 1]) {
    /* "YYYY-MM-DD HH:MM:SS", a fraction, and the offset "+HH", "+HH:MM" or "+HH:MM:SS" */
    int y, mo, d, h, mi, s, k = 0;
    if (!v || sscanf(v, "%4d-%2d-%2d %2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &k) != 6 || k != 19) return false;
    const char *p = v + 19;
    if (*p == '.') { p++; while (*p >= '0' && *p <= '9') p++; }
    if (*p != '+' && *p != '-') return false;
    int sign = *p++ == '-' ? -1 : 1, oh = 0, om = 0, os = 0, n = 0;
    if (sscanf(p, "%2d%n", &oh, &n) != 1 || n != 2) return false;
    p += 2;
    if (*p == ':') { if (sscanf(p, ":%2d%n", &om, &n) != 1 || n != 3) return false; p += 3; }
    if (*p == ':') { if (sscanf(p, ":%2d%n", &os, &n) != 1 || n != 3) return false; p += 3; }
    if (*p) return false;                        /* " BC", or anything else */
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = s};
    time_t t = timegm(&tm) - sign * (oh * 3600 + om * 60 + os);
    if (!gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999) return false;
    return strftime(out, PG_INSTANT_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm) == PG_INSTANT_LEN;
}

void pg_forget_statements(db_t *db) {
    if (!db->pg) return;
    PQclear(PQexec(db->pg, "DEALLOCATE ALL"));
    db->pg_gen++;
}

void pg_disconnect(db_t *db) {
    for (struct pg_ident *i = db->idents, *n; i; i = n) {
        n = i->next;
        free(i->table);
        free(i->column);
        free(i);
    }
    db->idents = NULL;
    PQfinish(db->pg);
    db->pg = NULL;
    free(db->url);
    db->url = NULL;
}

bool pg_backup(db_t *db, const char *dest) {
    char *const argv[] = {"pg_dump", "--format=custom", "--no-owner", "--file", (char *)dest, "--dbname", db->url, NULL};
    pid_t pid;
    int st = 0;
    if (posix_spawnp(&pid, "pg_dump", NULL, NULL, argv, environ) != 0) {
        log_msg("backup: cannot run pg_dump: %s", strerror(errno));
        return false;
    }
    if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        log_msg("backup: pg_dump failed (status %d)", st);
        return false;
    }
    return true;
}

bool pg_check(db_t *db) {
    if (PQstatus(db->pg) == CONNECTION_OK && !db->pg_down) return true;
    PQreset(db->pg);
    db->pg_gen++;
    if (PQstatus(db->pg) != CONNECTION_OK) {
        db->pg_down = true;
        return false;
    }
    PGresult *r = PQexec(db->pg, PG_SESSION);
    PQclear(r);
    log_msg("store: reconnected");
    db->pg_down = false;
    db->depth = 0;
    return true;
}

/* broken: after a failed call, whether the connection itself is gone */
static bool broken(db_t *db) {
    if (PQstatus(db->pg) == CONNECTION_OK) return false;
    db->pg_down = true;
    return true;
}

void pg_idle(db_t *db) {
    if (db->pg && PQstatus(db->pg) == CONNECTION_OK && PQtransactionStatus(db->pg) != PQTRANS_IDLE) {
        log_msg("db error: a transaction was left open on the connection: rolled back");
        db_note_error(db);
        PQclear(PQexec(db->pg, "ROLLBACK"));
    }
}

bool pg_exec(db_t *db, const char *sql) {
    char *t = pg_rewrite(sql, NULL, NULL);
    PGresult *r = PQexec(db->pg, t);
    ExecStatusType st = PQresultStatus(r);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY;
    if (!ok) {
        db_note_error(db);
        broken(db);
        log_msg("db error: %s [%.300s]", PQresultErrorMessage(r) ? PQresultErrorMessage(r) : PQerrorMessage(db->pg), t);
    }
    PQclear(r);
    free(t);
    return ok;
}

/* ---- statements ---- */

/* trailing: whether text other than blanks and semicolons follows the first statement */
static bool trailing(const char *p) {
    while (*p) {
        if (*p == '\'' || *p == '"') { p = skip_quoted(p); continue; }
        if ((p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*')) { p = skip_comment(p); continue; }
        if (*p == ';') return strspn(p, " \t\r\n;") != strlen(p);
        p++;
    }
    return false;
}

static const char *prepared(db_t *db, struct pgq *q, PGresult **err, int levels);
static bool retryable(const PGresult *r);
static void add_returning(db_t *db, struct pgq *q);

struct pgq *pg_prepare(db_t *db, const char *sql) {
    if (trailing(sql)) {
        db_note_error(db);
        log_msg("db error: trailing SQL after statement [%s]", sql);
        return NULL;
    }
    struct pgq *q = xcalloc(1, sizeof *q);
    q->sql = pg_rewrite(sql, &q->names, &q->n);
    q->vals = xcalloc((size_t)q->n + 1, sizeof *q->vals);
    q->kind = xcalloc((size_t)q->n + 1, 1);
    q->hint = xcalloc((size_t)q->n + 1, 1);
    memset(q->kind, 'n', (size_t)q->n);
    memset(q->hint, 'n', (size_t)q->n);
    size_t k;
    const char *w = peek(q->sql, &k);
    q->select = kw(w, k, "SELECT") || kw(w, k, "WITH");
    q->insert = kw(w, k, "INSERT") && !find_word(q->sql, "RETURNING", false);
    q->row = -1;
    /* prepared now, with its parameters' types left to the server: an error in the SQL shows
     * here and the statement takes no cache slot (as with SQLite); one that needs the types
     * of its parameters is prepared when they are bound */
    if (PQstatus(db->pg) != CONNECTION_OK || db->pg_down) {
        db->pg_down = true;
        db_note_error(db);
        pg_finalize(db, q);
        return NULL;
    }
    if (q->insert) add_returning(db, q);
    PGresult *err = NULL;
    const char *ok = prepared(db, q, &err, 1);
    if (!ok && broken(db) && db->depth == 0 && pg_check(db)) { /* the server restarted: nothing was sent */
        PQclear(err);
        err = NULL;
        ok = prepared(db, q, &err, 1);
    }
    if (!ok && (!retryable(err) || broken(db))) {
        db_note_error(db);
        log_msg("db error: prepare: %s [%s]", PQresultErrorMessage(err), q->sql);
        PQclear(err);
        pg_finalize(db, q);
        return NULL;
    }
    PQclear(err);
    return q;
}

const char *pg_sql(struct pgq *q) { return q->sql; }

static void free_blobs(struct pgq *q) {
    for (int i = 0; i < q->nblobs; i++) free(q->blobs[i]);
    free(q->blobs);
    q->blobs = NULL;
    q->nblobs = 0;
}

void pg_reset(struct pgq *q) {
    free_blobs(q);
    PQclear(q->res);
    q->res = NULL;
    q->row = -1;
}

void pg_clear_bindings(struct pgq *q) {
    for (int i = 0; i < q->n; i++) { free(q->vals[i]); q->vals[i] = NULL; q->kind[i] = 'n'; }
}

void pg_finalize(db_t *db, struct pgq *q) {
    if (!q) return;
    pg_reset(q);
    for (int i = 0; i < q->nprep; i++) {
        if (db && db->pg && q->prep[i].gen == db->pg_gen && PQstatus(db->pg) == CONNECTION_OK) {
            char sql[48];
            snprintf(sql, sizeof sql, "DEALLOCATE %s", q->prep[i].name);
            PQclear(PQexec(db->pg, sql));
        }
        free(q->prep[i].sig);
    }
    pg_clear_bindings(q);
    for (int i = 0; i < q->n; i++) free(q->names[i]);
    free(q->names);
    free(q->vals);
    free(q->kind);
    free(q->hint);
    free(q->sql);
    free(q);
}

int pg_param(struct pgq *q, const char *name) {
    for (int i = 0; i < q->n; i++) if (!strcmp(q->names[i], name)) return i + 1;
    return 0;
}

/* is_instant: whether s is SQLite's UTC text of an instant, "YYYY-MM-DDTHH:MM:SSZ" */
static bool is_instant(const char *s) {
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    for (int i = 0; shape[i]; i++)
        if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i]) return false;
    return s[sizeof shape - 1] == 0;
}

void pg_bind(struct pgq *q, int i, const char *text, char kind) {
    if (kind == 't' && text && is_instant(text)) kind = 'z';
    free(q->vals[i - 1]);
    q->vals[i - 1] = text ? xstrdup(text) : NULL;
    q->kind[i - 1] = text ? kind : 'n';
    if (text) q->hint[i - 1] = kind;
}

/* identity: the identity column of table (looked up once per connection), NULL when none */
static const char *identity(db_t *db, const char *table, size_t n) {
    for (struct pg_ident *i = db->idents; i; i = i->next)
        if (strlen(i->table) == n && !strncasecmp(i->table, table, n)) return *i->column ? i->column : NULL;
    char *t = dupn(table, n);
    const char *v[] = {t};
    PGresult *r = PQexecParams(db->pg,
                               "SELECT a.attname FROM pg_attribute a WHERE a.attrelid = to_regclass($1) "
                               "AND a.attidentity <> '' AND NOT a.attisdropped LIMIT 1",
                               1, NULL, v, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) { PQclear(r); free(t); return NULL; } /* not cached: try again */
    struct pg_ident *i = xcalloc(1, sizeof *i);
    i->table = t;
    i->column = xstrdup(PQntuples(r) ? PQgetvalue(r, 0, 0) : "");
    PQclear(r);
    i->next = db->idents;
    db->idents = i;
    return *i->column ? i->column : NULL;
}

/* add_returning: an INSERT into a table with an identity column returns it (db_last_id) */
static void add_returning(db_t *db, struct pgq *q) {
    q->returning_checked = true;
    const char *into = find_word(q->sql, "INTO", false);
    if (!into) return;
    size_t n;
    const char *t = peek(into + 4, &n);
    if (!n) return;
    const char *col = identity(db, t, n);
    if (!col) return;
    size_t len = strlen(q->sql);
    while (len && strchr(" \t\r\n;", q->sql[len - 1])) len--;
    char *s = malloc_n(len + strlen(col) + 16);
    snprintf(s, len + strlen(col) + 16, "%.*s RETURNING %s", (int)len, q->sql, col);
    free(q->sql);
    q->sql = s;
    q->returning = true;
}

/* retryable: a prepare that may have failed for want of parameter types: they could not be
 * deduced (42P18 indeterminate, 42P08 ambiguous parameter, 42725 ambiguous function) or the
 * deduced ones do not fit (42883 no such operator or function, 42804 datatype mismatch) */
static bool retryable(const PGresult *r) {
    const char *c = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return c && (!strcmp(c, "42P18") || !strcmp(c, "42P08") || !strcmp(c, "42725") || !strcmp(c, "42883") || !strcmp(c, "42804"));
}

/* prepared: the server-side statement for the current kinds of the parameters, prepared now if
 * needed (trying the typings in turn); NULL on failure (logged, *res holds the error) */
static const char *prepared(db_t *db, struct pgq *q, PGresult **err, int levels) {
    for (int i = 0; i < q->nprep; i++)
        if (q->prep[i].gen == db->pg_gen && (!strcmp(q->prep[i].sig, "*") || !strcmp(q->prep[i].sig, q->kind))) return q->prep[i].name;
    Oid *types = xcalloc((size_t)q->n + 1, sizeof *types);
    PGresult *r = NULL;
    char name[24];
    snprintf(name, sizeof name, "g%u", ++db->pg_names);
    /* in a transaction a failed prepare would abort it: each attempt inside a savepoint */
    bool intx = PQtransactionStatus(db->pg) == PQTRANS_INTRANS;
    if (intx) PQclear(PQexec(db->pg, "SAVEPOINT granslos_prepare"));
    int level = 0;
    for (; level < levels; level++) {
        for (int i = 0; i < q->n; i++) {
            char k = q->kind[i] == 'n' ? q->hint[i] : q->kind[i];
            /* level 1: integers bigint, text text, NULL left to the server; 2: NULL as text, an
             * instant's text as timestamptz; 3: NULL as bigint */
            types[i] = level == 0 ? 0 : k == 'i' ? 20 : k == 't' ? 25 : k == 'z' ? (level == 1 ? 25 : 1184)
                     : level == 1 ? 0 : level == 2 ? 25 : 20;
        }
        PQclear(r);
        r = PQprepare(db->pg, name, q->sql, q->n, types);
        if (PQresultStatus(r) == PGRES_COMMAND_OK) break;
        if (intx) PQclear(PQexec(db->pg, "ROLLBACK TO SAVEPOINT granslos_prepare"));
        if (!retryable(r) || !q->n) break;
    }
    if (intx) PQclear(PQexec(db->pg, "RELEASE SAVEPOINT granslos_prepare"));
    if (level == levels) level--;
    free(types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) { *err = r; return NULL; }
    PQclear(r);
    struct pgprep *p;
    if (q->nprep < PG_TYPINGS) p = &q->prep[q->nprep++];
    else {                                   /* the oldest typing goes */
        p = &q->prep[0];
        if (p->gen == db->pg_gen) {
            char sql[48];
            snprintf(sql, sizeof sql, "DEALLOCATE %s", p->name);
            PQclear(PQexec(db->pg, sql));
        }
        free(p->sig);
        memmove(&q->prep[0], &q->prep[1], sizeof *p * (PG_TYPINGS - 1));
        p = &q->prep[PG_TYPINGS - 1];
    }
    p->sig = xstrdup(level == 0 ? "*" : q->kind);   /* "*": the server typed every parameter */
    snprintf(p->name, sizeof p->name, "%s", name);
    p->gen = db->pg_gen;
    return p->name;
}

static bool run(db_t *db, struct pgq *q) {
    if (q->insert && !q->returning_checked) add_returning(db, q);
    if (q->select && !db->uncounted) db_note_select();
    else db->wrote = true;
    for (int attempt = 0; attempt < 2; attempt++) {
        PGresult *err = NULL;
        const char *name = prepared(db, q, &err, 4);
        PGresult *r = err;
        if (name) r = PQexecPrepared(db->pg, name, q->n, (const char *const *)q->vals, NULL, NULL, 0);
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) {
            /* as sqlite3_changes: the rows the last INSERT, UPDATE or DELETE changed */
            const char *cs = PQcmdStatus(r);
            if (!strncmp(cs, "INSERT", 6) || !strncmp(cs, "UPDATE", 6) || !strncmp(cs, "DELETE", 6))
                db->changes = atoi(PQcmdTuples(r));
            if (q->returning) {
                int nt = PQntuples(r);
                if (nt > 0) db->last_id = strtoll(PQgetvalue(r, nt - 1, 0), NULL, 10);
                PQclear(r);
                r = NULL;
            }
            q->res = r;
            q->row = -1;
            return true;
        }
        /* the schema changed under a prepared statement ("cached plan must not change result
         * type"): nothing ran; prepare it again and run it once more, as SQLite does */
        const char *code = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
        if (attempt == 0 && name && code && !strcmp(code, "0A000") && strstr(PQresultErrorMessage(r), "cached plan") &&
            PQtransactionStatus(db->pg) == PQTRANS_IDLE) { /* (in a transaction, that one is lost) */
            PQclear(r);
            for (int i = 0; i < q->nprep; i++) q->prep[i].gen = 0;
            continue;
        }
        /* a SELECT on a connection that broke before (the server restarted): reconnect and
         * run it once more; a write is not repeated (it may have been done): the request fails */
        bool gone = broken(db);
        if (gone && attempt == 0 && q->select && db->depth == 0 && pg_check(db)) { PQclear(r); continue; }
        db_note_error(db);
        log_msg("db error: %s [%s]", r ? PQresultErrorMessage(r) : PQerrorMessage(db->pg), q->sql);
        PQclear(r);
        return false;
    }
    return false;
}

int pg_step(db_t *db, struct pgq *q) {
    if (!q->res) {                                  /* not run since the last reset: run it */
        if (!run(db, q)) return -1;
        if (!q->res) return 0;                      /* an INSERT whose id was taken: no rows */
    }
    free_blobs(q);
    q->row++;
    if (q->row < PQntuples(q->res)) return 1;
    pg_reset(q);                                    /* done: the next step runs it again */
    return 0;
}

static bool has(struct pgq *q, int col) {
    return q->res && q->row >= 0 && q->row < PQntuples(q->res) && col >= 0 && col < PQnfields(q->res);
}

const char *pg_text(struct pgq *q, int col) {
    if (!has(q, col) || PQgetisnull(q->res, q->row, col)) return NULL;
    const char *v = PQgetvalue(q->res, q->row, col);
    Oid t = PQftype(q->res, col);
    if (t == 16) return *v == 't' ? "1" : "0";   /* bool */
    if (t == 1184) {                             /* timestamptz: SQLite's text of the instant */
        char z[PG_INSTANT_LEN + 1];
        if (!pg_instant(v, z)) return v;
        q->blobs = xrealloc(q->blobs, (size_t)(q->nblobs + 1) * sizeof *q->blobs);
        q->blobs[q->nblobs++] = (unsigned char *)xstrdup(z);
        return (const char *)q->blobs[q->nblobs - 1];
    }
    if (t == 17) {                               /* bytea: its bytes, as SQLite gives a blob's text */
        size_t n = 0;
        unsigned char *raw = PQunescapeBytea((const unsigned char *)v, &n);
        if (!raw) return NULL;
        unsigned char *z = xcalloc(1, n + 1);   /* the bytes and a NUL */
        memcpy(z, raw, n);
        PQfreemem(raw);
        q->blobs = xrealloc(q->blobs, (size_t)(q->nblobs + 1) * sizeof *q->blobs);
        q->blobs[q->nblobs++] = z;
        return (const char *)z;
    }
    return v;
}

bool pg_is_null(struct pgq *q, int col) { return !has(q, col) || PQgetisnull(q->res, q->row, col); }

bool pg_is_int(struct pgq *q, int col) {
    if (!has(q, col) || PQgetisnull(q->res, q->row, col)) return false;
    Oid t = PQftype(q->res, col);
    if (t == 20 || t == 21 || t == 23 || t == 16) return true;
    return t == 1700 && !strchr(PQgetvalue(q->res, q->row, col), '.');  /* numeric: sum() of integers */
}
