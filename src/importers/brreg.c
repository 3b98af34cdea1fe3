/* Enhetsregisteret importer (see brreg.h). */
#include "importers/brreg.h"
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "core/buf.h"
#include "core/util.h"
#include "org/org.h"
#include "org/orgnr.h"
#include "ref/ref.h"
#include "http/api.h"

#define BATCH 500            /* rows per transaction */
#define MAX_RECORD (1 << 20) /* a record longer than this is bad */

/* ---- reading: a streaming CSV record reader and a JSON array element reader ---- */
typedef struct reader { gzFile z; bool eof, truncated; long long line; } reader_t;

/* csv_record: the next record's fields (RFC 4180: quotes, doubled quotes, newlines in quotes) */
static bool csv_record(reader_t *r, arena_t *a, char ***fields, int *n) {
    buf_t f;
    buf_init(&f, a);
    int cap = 64;
    *fields = arena_alloc(a, sizeof(char *) * (size_t)cap);
    *n = 0;
    bool quoted = false, any = false;
    size_t total = 0;
    for (;;) {
        int c = gzgetc(r->z);
        if (c == -1) {
            r->eof = true;
            if (quoted) r->truncated = true;
            if (!any && !f.len) return false;
            break;
        }
        any = true;
        if (++total > MAX_RECORD) { r->truncated = true; return false; }
        if (quoted) {
            if (c == '"') {
                int d = gzgetc(r->z);
                if (d == '"') buf_putc(&f, '"');
                else { quoted = false; if (d != -1) gzungetc(d, r->z); }
            } else {
                if (c == '\n') r->line++;
                buf_putc(&f, (char)c);
            }
            continue;
        }
        if (c == '"' && !f.len) { quoted = true; continue; }
        if (c == ',' || c == '\n') {
            if (*n == cap) { char **nf = arena_alloc(a, sizeof(char *) * (size_t)cap * 2); memcpy(nf, *fields, sizeof(char *) * (size_t)cap); *fields = nf; cap *= 2; }
            (*fields)[(*n)++] = arena_strndup(a, f.data, f.len);
            f.len = 0;
            f.data[0] = 0;
            if (c == '\n') { r->line++; return true; }
            continue;
        }
        if (c != '\r') buf_putc(&f, (char)c);
    }
    if (*n == cap) { char **nf = arena_alloc(a, sizeof(char *) * (size_t)cap * 2); memcpy(nf, *fields, sizeof(char *) * (size_t)cap); *fields = nf; }
    (*fields)[(*n)++] = arena_strndup(a, f.data, f.len);
    r->line++;
    return true;
}

/* json_element: the next object of a top-level array, as text; false at the end */
static bool json_element(reader_t *r, buf_t *out) {
    int c;
    do { c = gzgetc(r->z); } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ',' || c == '[');
    if (c == -1 || c == ']') { r->eof = true; return false; }
    if (c != '{') { r->truncated = true; return false; }
    buf_putc(out, '{');
    int depth = 1;
    bool str = false, esc = false;
    while (depth > 0) {
        c = gzgetc(r->z);
        if (c == -1) { r->eof = r->truncated = true; return false; }
        if (out->len > MAX_RECORD) { r->truncated = true; return false; }
        buf_putc(out, (char)c);
        if (str) {
            if (esc) esc = false;
            else if (c == '\\') esc = true;
            else if (c == '"') str = false;
        } else if (c == '"') str = true;
        else if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') depth--;
    }
    r->line++;
    return true;
}

/* ---- one record ---- */
typedef struct record {
    const char *orgnr, *name, *form, *nace[3], *employees, *website, *kommune, *activity;
    bool bankrupt, winding_up;
} record_t;

static const char *kind_of(const char *form) {
    static const char *const map[][2] = {{"KOMM", "municipality-region"}, {"FYLK", "municipality-region"},
                                         {"STAT", "public-body"}, {"ORGL", "public-body"}, {"SF", "public-body"},
                                         {"KF", "public-body"}, {"IKS", "public-body"}, {"SÆR", "public-body"},
                                         {"FLI", "network"}, {"STI", "network"}, {"SA", "network"}};
    for (size_t i = 0; form && i < sizeof map / sizeof *map; i++) if (!strcmp(map[i][0], form)) return map[i][1];
    return "company";
}

#define bad import_bad

/* apply: insert or refresh one organisation */
static void apply(db_t *db, arena_t *a, const record_t *rec, long long line, FILE *err, import_stats_t *st) {
    st->rows++;
    char digits[32];
    if (str_empty(rec->name)) { bad(err, st, line, rec->orgnr, "no name"); return; }
    if (!orgnr_normalise(rec->orgnr, digits, sizeof digits) || !orgnr_valid_no(digits)) {
        bad(err, st, line, rec->orgnr, "not a valid Norwegian organisation number");
        return;
    }
    if (!ref_municipality("NO", rec->kommune)) { bad(err, st, line, rec->orgnr, "unknown municipality"); return; }
    json_t *facts = json_object();
    json_object_set_new(facts, "name", json_string(rec->name));
    json_object_set_new(facts, "country", json_string("NO"));
    json_object_set_new(facts, "orgnr", json_string(digits));
    json_object_set_new(facts, "municipality", json_string(rec->kommune));
    json_t *nace = json_array();
    for (int i = 0; i < 3; i++) if (!str_empty(rec->nace[i]) && ref_nace_valid(rec->nace[i])) json_array_append_new(nace, json_string(rec->nace[i]));
    json_object_set_new(facts, "nace", nace);
    long long emp;
    json_object_set_new(facts, "employees", parse_int(rec->employees, 0, 10000000, &emp) ? json_integer(emp) : json_null());
    /* the register speaks for organisations nobody has taken in hand */
    json_t *own = json_object();
    json_object_set_new(own, "kind", json_string(kind_of(rec->form)));
    if (!str_empty(rec->website)) {
        const char *w = rec->website;
        json_object_set_new(own, "website", json_string(strncmp(w, "http", 4) ? aprintf_text(a, "https://%s", w) : w));
    }
    json_object_set_new(own, "competences_text", json_string(rec->activity ? rec->activity : ""));
    import_upsert(db, a, "NO", digits, facts, own, "Enhetsregisteret", line, err, st);
    json_decref(own);
    json_decref(facts);
}

static void progress(FILE *err, reader_t *r, off_t size, import_stats_t *st) { import_progress(err, gzoffset(r->z), size, st); }

int import_brreg(db_t *db, const char *path, FILE *err, import_stats_t *st) {
    memset(st, 0, sizeof *st);
    off_t size;
    reader_t r = {import_open(path, err, &size), false, false, 0};
    if (!r.z) return 1;
    gzbuffer(r.z, 1 << 17);
    int c;
    do { c = gzgetc(r.z); } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB || c == 0xBF);
    bool json = c == '[';
    if (c != -1) gzungetc(c, r.z);
    int col[16];
    if (!json) {
        arena_t *h = arena_new();
        char **names;
        int n;
        if (!csv_record(&r, h, &names, &n)) { fprintf(err, "granslos: %s is empty\n", path); arena_free(h); gzclose(r.z); return 1; }
        static const char *const want[] = {"organisasjonsnummer", "navn", "organisasjonsform.kode", "naeringskode1.kode",
                                           "naeringskode2.kode", "naeringskode3.kode", "antallAnsatte", "hjemmeside",
                                           "forretningsadresse.kommunenummer", "aktivitet", "konkurs", "underAvvikling"};
        for (int k = 0; k < 12; k++) {
            col[k] = -1;
            for (int i = 0; i < n; i++) if (!strcmp(names[i], want[k])) col[k] = i;
        }
        arena_free(h);
        if (col[0] < 0 || col[1] < 0) { fprintf(err, "granslos: %s has no organisasjonsnummer and navn columns\n", path); gzclose(r.z); return 1; }
    }
    if (!db_begin(db)) { gzclose(r.z); return 1; }
    for (;;) {
        arena_t *a = arena_new();
        record_t rec = {0};
        long long line = r.line + 1;
        bool got;
        json_t *obj = NULL;
        if (json) {
            buf_t text;
            buf_init(&text, a);
            got = json_element(&r, &text);
            if (got) {
                json_error_t e;
                obj = json_loadb(text.data, text.len, 0, &e);
                if (!obj) { st->rows++; bad(err, st, line, NULL, aprintf_text(a, "not valid JSON (%s)", e.text)); arena_free(a); continue; }
                rec.orgnr = jstr(obj, "organisasjonsnummer");
                rec.name = jstr(obj, "navn");
                rec.form = jstr(json_object_get(obj, "organisasjonsform"), "kode");
                for (int i = 0; i < 3; i++) rec.nace[i] = jstr(json_object_get(obj, aprintf(a, "naeringskode%d", i + 1)), "kode");
                json_t *emp = json_object_get(obj, "antallAnsatte");
                rec.employees = json_is_integer(emp) ? aprintf(a, "%lld", (long long)json_integer_value(emp)) : NULL;
                rec.website = jstr(obj, "hjemmeside");
                rec.kommune = jstr(json_object_get(obj, "forretningsadresse"), "kommunenummer");
                if (!rec.kommune) rec.kommune = jstr(json_object_get(obj, "postadresse"), "kommunenummer");
                json_t *act = json_object_get(obj, "aktivitet");
                rec.activity = json_is_array(act) ? json_string_value(json_array_get(act, 0)) : json_string_value(act);
            }
        } else {
            char **fl;
            int n;
            got = csv_record(&r, a, &fl, &n);
            if (got && n == 1 && !*fl[0]) { arena_free(a); if (r.eof) break; continue; } /* blank line */
            if (got) {
#define COL(k) (col[k] >= 0 && col[k] < n ? fl[col[k]] : NULL)
                rec.orgnr = COL(0); rec.name = COL(1); rec.form = COL(2);
                rec.nace[0] = COL(3); rec.nace[1] = COL(4); rec.nace[2] = COL(5);
                rec.employees = COL(6); rec.website = COL(7); rec.kommune = COL(8); rec.activity = COL(9);
#undef COL
                if (r.truncated) { st->rows++; bad(err, st, line, rec.orgnr, "the file ends inside this row"); got = false; }
            }
        }
        if (got) apply(db, a, &rec, line, err, st);
        json_decref(obj);
        arena_free(a);
        if (got && st->rows % BATCH == 0) {
            if (!db_commit(db) || !db_begin(db)) { gzclose(r.z); return 1; }
            progress(err, &r, size, st);
        }
        if (!got) break;
    }
    if (r.truncated && json) { st->rows++; st->skipped++; fprintf(err, "\rthe file ends inside a record after row %lld\n", r.line); }
    bool ok = db_commit(db);
    progress(err, &r, size, st);
    if (isatty(fileno(err))) fputc('\n', err);
    gzclose(r.z);
    return ok ? 0 : 1;
}
