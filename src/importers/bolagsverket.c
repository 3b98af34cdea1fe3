/* Bolagsverket's bulk file of Swedish companies and associations (see bolagsverket.h).
 *
 * The file (Bolagsverket's high-value dataset, "bolagsverket_bulkfil.txt" inside a zip) is one
 * record per line, `;`-separated, every field in double quotes with inner quotes doubled, and
 * sub-values packed with `$`:
 *   organisationsidentitet  "5566778899$ORGNR-IDORG" (or a personal identity number: PERSON-IDORG)
 *   namnskyddslopnummer     "1", "2" … (one person may run several sole traderships)
 *   registreringsland       "SE-LAND"
 *   organisationsnamn       "Name$FORETAGSNAMN-ORGNAM$2001-02-03|Other name$ANNATSPRAK-ORGNAM$…"
 *   organisationsform       "AB-ORGFO"
 *   avregistreringsdatum, avregistreringsorsak, pagandeAvvecklingsEllerOmstruktureringsforfarande,
 *   registreringsdatum, verksamhetsbeskrivning (the activity, free text),
 *   postadress              "street$c/o$CITY$postcode$SE-LAND"
 * The real file has stray single quotes inside fields, so a record is a line, split at `";"`.
 * It gives no kommun: the postal code's kommun stands for it (data/ref/se-postcodes.csv).
 * A line that is not valid UTF-8 is read as Latin-1 (older extracts were). */
#include "importers/bolagsverket.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "core/buf.h"
#include "core/util.h"
#include "org/org.h"
#include "org/orgnr.h"
#include "ref/ref.h"

#define BATCH 500            /* rows per transaction */
#define MAX_LINE (1 << 20)   /* a longer line is bad */

enum { F_ID, F_SEQ, F_LAND, F_NAME, F_FORM, F_DEREG_DATE, F_DEREG_WHY, F_PROCEEDINGS, F_REG_DATE, F_ACTIVITY, F_ADDRESS, NF };
static const char *const header[NF] = {"organisationsidentitet", "namnskyddslopnummer", "registreringsland", "organisationsnamn",
                                       "organisationsform", "avregistreringsdatum", "avregistreringsorsak",
                                       "pagandeAvvecklingsEllerOmstruktureringsforfarande", "registreringsdatum",
                                       "verksamhetsbeskrivning", "postadress"};

/* read_line: the next line (without its end) into b; false at the end of the file. *too_long
 * is set when the line had to be cut. */
static bool read_line(gzFile z, buf_t *b, bool *too_long, bool *unterminated) {
    b->len = 0;
    b->data[0] = 0;
    *too_long = *unterminated = false;
    int c;
    bool any = false;
    while ((c = gzgetc(z)) != -1) {
        any = true;
        if (c == '\n') return true;
        if (b->len < MAX_LINE) buf_putc(b, (char)c);
        else *too_long = true;
    }
    *unterminated = any;
    return any;
}

/* latin1: the line read as ISO-8859-1, in UTF-8 */
static char *latin1(arena_t *a, const char *s) {
    buf_t o;
    buf_init(&o, a);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x80) buf_putc(&o, (char)*p);
        else { buf_putc(&o, (char)(0xC0 | (*p >> 6))); buf_putc(&o, (char)(0x80 | (*p & 0x3F))); }
    }
    return o.data;
}

/* split: the quoted fields of one line; -1 if it is not a line of quoted fields */
static int split(arena_t *a, char *line, char **f, int max) {
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
    if (n < 2 || line[0] != '"' || line[n - 1] != '"') return -1;
    line[n - 1] = 0;
    char *p = line + 1;
    int k = 0;
    for (;;) {
        char *end = strstr(p, "\";\"");
        if (end) *end = 0;
        if (k == max) return -1;
        /* doubled quotes stand for one */
        char *v = arena_strdup(a, p), *w = v;
        for (const char *r = p; *r; r++) { *w++ = *r; if (r[0] == '"' && r[1] == '"') r++; }
        *w = 0;
        f[k++] = v;
        if (!end) break;
        p = end + 3;
    }
    return k;
}

/* part: the i-th `$`-separated sub-value of s, in the arena ("" if absent) */
static char *part(arena_t *a, const char *s, int i) {
    for (; i > 0 && s; i--) { s = strchr(s, '$'); if (s) s++; }
    if (!s) return arena_strdup(a, "");
    const char *e = strchr(s, '$');
    return e ? arena_strndup(a, s, (size_t)(e - s)) : arena_strdup(a, s);
}

/* the company name: the FORETAGSNAMN entry of the list, else the first */
static char *company_name(arena_t *a, const char *names) {
    char *copy = arena_strdup(a, names), *save = NULL, *first = NULL;
    for (char *n = strtok_r(copy, "|", &save); n; n = strtok_r(NULL, "|", &save)) {
        if (!first) first = n;
        if (!strcmp(part(a, n, 1), "FORETAGSNAMN-ORGNAM")) return part(a, n, 0);
    }
    return first ? part(a, first, 0) : arena_strdup(a, "");
}

static const char *kind_of(const char *form) {
    static const char *const network[] = {"I", "S", "FL", "EGTS"};   /* ideell förening, stiftelse, filial, EGTS */
    for (size_t i = 0; i < sizeof network / sizeof *network; i++) if (!strcmp(form, network[i])) return "network";
    return "company";
}

static void apply(db_t *db, arena_t *a, char **f, long long line, FILE *err, import_stats_t *st) {
    st->rows++;
    const char *id = part(a, f[F_ID], 0), *idtype = part(a, f[F_ID], 1);
    if (!strcmp(idtype, "PERSON-IDORG")) {
        /* a sole trader is known by a personal identity number: not for a public directory */
        import_bad(err, st, line, "personal identity number", "a sole trader (personal identity number), not imported");
        return;
    }
    char digits[32];
    if (!orgnr_normalise(id, digits, sizeof digits) || !orgnr_valid_se(digits)) {
        import_bad(err, st, line, id, "not a valid Swedish organisation number");
        return;
    }
    long long seq = 1;
    if (*f[F_SEQ] && (!parse_int(f[F_SEQ], 0, 100000, &seq) || seq > 1)) {
        import_bad(err, st, line, digits, "a further name-protection number of an organisation already read");
        return;
    }
    char *name = company_name(a, f[F_NAME]);
    if (str_empty(name)) { import_bad(err, st, line, digits, "no name"); return; }
    const municipality_t *m = ref_se_postcode(part(a, f[F_ADDRESS], 3));
    if (!m) { import_bad(err, st, line, digits, "no Swedish postal code to place it in a municipality"); return; }
    const char *form = part(a, f[F_FORM], 0);
    bool deregistered = !str_empty(f[F_DEREG_DATE]);
    if (deregistered && !org_find_orgnr(db, "SE", digits)) {
        import_bad(err, st, line, digits, "deregistered, and not in the directory");
        return;
    }
    json_t *facts = json_object();
    json_object_set_new(facts, "name", json_string(name));
    json_object_set_new(facts, "country", json_string("SE"));
    json_object_set_new(facts, "orgnr", json_string(digits));
    json_object_set_new(facts, "municipality", json_string(m->code));
    if (deregistered) { /* the register's word on that counts whoever holds the record */
        json_object_set_new(facts, "status", json_string("dissolved"));
        json_object_set_new(facts, "ended_on", json_string(f[F_DEREG_DATE]));
    }
    json_t *own = json_object();
    if (!deregistered) json_object_set_new(own, "status", json_string("active"));
    json_object_set_new(own, "kind", json_string(kind_of(form)));
    json_object_set_new(own, "competences_text", json_string(f[F_ACTIVITY]));
    import_upsert(db, a, "SE", digits, facts, own, "Bolagsverket", line, err, st);
    json_decref(own);
    json_decref(facts);
}

int import_bolagsverket(db_t *db, const char *path, FILE *err, import_stats_t *st) {
    memset(st, 0, sizeof *st);
    off_t size;
    gzFile z = import_open(path, err, &size);
    if (!z) return 1;
    gzbuffer(z, 1 << 17);
    arena_t *h = arena_new();
    buf_t b;
    buf_init(&b, h);
    bool too_long, unterminated;
    if (!read_line(z, &b, &too_long, &unterminated)) { fprintf(err, "granslos: %s is empty\n", path); arena_free(h); gzclose(z); return 1; }
    /* the header: the columns this importer knows, in this order (a byte-order mark is allowed) */
    const char *hd = b.data;
    if (!strncmp(hd, "\xEF\xBB\xBF", 3)) hd += 3;
    char *want = arena_strdup(h, "");
    for (int i = 0; i < NF; i++) want = aprintf_text(h, "%s%s%s", want, i ? ";" : "", header[i]);
    char *got = arena_strdup(h, hd);
    for (char *p = got; *p; p++) if (*p == '"') memmove(p, p + 1, strlen(p));
    size_t gl = strlen(got);
    while (gl && (got[gl - 1] == '\r' || got[gl - 1] == ' ')) got[--gl] = 0;
    if (strcmp(got, want)) {
        fprintf(err, "granslos: %s does not start with the header of Bolagsverket's bulk file (%s)\n", path, want);
        arena_free(h);
        gzclose(z);
        return 1;
    }
    if (!db_begin(db)) { arena_free(h); gzclose(z); return 1; }
    long long line = 1;
    while (read_line(z, &b, &too_long, &unterminated)) {
        line++;
        if (!b.len || (b.len == 1 && b.data[0] == '\r')) continue;   /* a blank line */
        arena_t *a = arena_new();
        char *text = utf8_valid(b.data, b.len) ? b.data : latin1(a, b.data);
        char *f[NF + 1];
        int n = too_long ? -1 : split(a, text, f, NF + 1);
        if (too_long) { st->rows++; import_bad(err, st, line, NULL, "the line is too long"); }
        else if (n != NF) {
            st->rows++;
            import_bad(err, st, line, NULL, unterminated ? "the file ends inside this row"
                                                         : aprintf(a, "%d fields where %d were expected", n < 0 ? 0 : n, NF));
        } else apply(db, a, f, line, err, st);
        arena_free(a);
        if (st->rows % BATCH == 0) {
            if (!db_commit(db) || !db_begin(db)) { arena_free(h); gzclose(z); return 1; }
            import_progress(err, gzoffset(z), size, st);
        }
    }
    bool ok = db_commit(db);
    import_progress(err, gzoffset(z), size, st);
    if (isatty(fileno(err))) fputc('\n', err);
    arena_free(h);
    gzclose(z);
    return ok ? 0 : 1;
}
