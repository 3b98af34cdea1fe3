/* i18n: .po parsing, lookup, plural forms, formatting, and the completeness check:
 * every msgid used in src/ has a Swedish and a Norwegian translation.
 * Run from the repository root (make test does). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/buf.h"
#include "core/strmap.h"
#include "i18n/i18n.h"

struct collect { int n; char ids[8][64]; };
static void collect(void *ctx, const char *id, const char *plural, const char *s0, const char *s1) {
    (void)plural; (void)s1;
    struct collect *c = ctx;
    if (c->n < 8) snprintf(c->ids[c->n++], 64, "%s=%s", id, s0);
}

static void po_parses_entries_and_continuations(void **st) {
    (void)st;
    const char *po = "# comment\nmsgid \"\"\nmsgstr \"Content-Type: text/plain\\n\"\n\n"
                     "msgid \"Hello\"\nmsgstr \"Hej\"\n\nmsgid \"Two \"\n\"lines\"\nmsgstr \"\"\n\"Två rader\"\n"
                     "msgid \"Quote \\\"x\\\"\"\nmsgstr \"Citat \\\"x\\\"\"\n";
    struct collect c = {0};
    assert_true(po_parse(po, collect, &c));
    assert_int_equal(c.n, 3);
    assert_string_equal(c.ids[0], "Hello=Hej");
    assert_string_equal(c.ids[1], "Two lines=Två rader");
    assert_string_equal(c.ids[2], "Quote \"x\"=Citat \"x\"");
}

static void po_rejects_garbage(void **st) {
    (void)st;
    struct collect c = {0};
    assert_false(po_parse("msgid \"unterminated\nmsgstr \"x\"\n", collect, &c));
    assert_false(po_parse("bogus line\n", collect, &c));
}

static void lookup_and_fallback(void **st) {
    (void)st;
    assert_string_equal(tr("sv", "Organisations"), "Organisationer");
    assert_string_equal(tr("nb", "Organisations"), "Organisasjoner");
    assert_string_equal(tr("en", "Organisations"), "Organisations");
    assert_string_equal(tr("sv", "a msgid nobody wrote"), "a msgid nobody wrote");
    assert_true(i18n_known("no"));
    assert_string_equal(i18n_canonical("no"), "nb");
    assert_false(i18n_known("de"));
}

static void plural_forms(void **st) {
    (void)st;
    assert_string_equal(trn("sv", "%s organisation", "%s organisations", 1), "%s organisation");
    assert_string_equal(trn("sv", "%s organisation", "%s organisations", 2), "%s organisationer");
    assert_string_equal(trn("nb", "%s organisation", "%s organisations", 5), "%s organisasjoner");
    assert_string_equal(trn("en", "%s organisation", "%s organisations", 0), "%s organisations");
}

static void formatting(void **st) {
    (void)st;
    arena_t *a = arena_new();
    setenv("TZ", "Europe/Stockholm", 1);
    time_t t = 1804105500; /* 2027-03-03T20:25:00Z = 21:25 in Stockholm (CET) */
    assert_string_equal(fmt_date(a, "sv", t), "3 mars 2027");
    assert_string_equal(fmt_date(a, "nb", t), "3. mars 2027");
    assert_string_equal(fmt_date(a, "en", t), "3 March 2027");
    assert_string_equal(fmt_datetime(a, "sv", t), "3 mars 2027 21:25");
    assert_string_equal(fmt_datetime(a, "en", 1814973900), "7 July 2027 17:25"); /* CEST */
    assert_string_equal(fmt_number(a, "sv", 1234567), "1\xC2\xA0" "234\xC2\xA0" "567");
    assert_string_equal(fmt_number(a, "en", 1234567), "1,234,567");
    assert_string_equal(fmt_number(a, "nb", -999), "-999");
    arena_free(a);
}

/* ---- completeness: scan the sources for msgids ---- */
static int missing;
static void check_id(const char *file, const char *id) {
    for (int i = 0; i < 2; i++) {
        const char *l = i ? "nb" : "sv";
        if (!i18n_has(l, id)) {
            printf("missing %s translation (%s): \"%s\"\n", l, file, id);
            missing++;
        }
    }
}

/* read_literal: parse a C string literal at p into out; returns the end or NULL */
static const char *read_literal(const char *p, buf_t *out) {
    if (*p != '"') return NULL;
    p++;
    while (*p && *p != '"') {
        if (*p == '\\' && p[1]) { if (p[1] == 'n') buf_putc(out, '\n'); else if (p[1] == 't') buf_putc(out, '\t'); else buf_putc(out, p[1]); p += 2; }
        else buf_putc(out, *p++);
    }
    return *p ? p + 1 : NULL;
}

static void scan(const char *file, const char *text, arena_t *a) {
    static const char *const calls[] = {"T(", "TN(", "tr(", "trn(", "N_(", "err(", "seterr(", NULL};
    for (const char *p = text; *p; p++) {
        for (int k = 0; calls[k]; k++) {
            size_t n = strlen(calls[k]);
            if (strncmp(p, calls[k], n)) continue;
            char prev = p > text ? p[-1] : ' ';
            if ((prev >= 'a' && prev <= 'z') || (prev >= 'A' && prev <= 'Z') || (prev >= '0' && prev <= '9') || prev == '_' || prev == '>' || prev == '.')
                continue;
            bool last_only = k >= 5; /* err/seterr: the message is the last literal; the field names come first */
            bool first_only = k == 1 || k == 3; /* TN/trn: the singular is the msgid; the plural is its msgid_plural */
            int seen = 0;
            int depth = 1;
            const char *q = p + n;
            const char *lastlit = NULL;
            while (*q && depth) {
                if (*q == '(') depth++;
                else if (*q == ')') depth--;
                else if (*q == '"') {
                    buf_t b;
                    buf_init(&b, a);
                    const char *e = read_literal(q, &b);
                    if (!e) break;
                    if (depth == 1) {
                        if (last_only) lastlit = b.data;
                        else if (*b.data && !(first_only && seen)) check_id(file, b.data);
                        seen++;
                    }
                    q = e;
                    continue;
                } else if (*q == '\'') { q += q[1] == '\\' ? 4 : 3; continue; }
                q++;
            }
            if (last_only && lastlit && strchr(lastlit, ' ')) check_id(file, lastlit);
        }
    }
}

static void scan_dir(const char *dir, arena_t *a) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t l = strlen(path);
        if (e->d_type == DT_DIR) { scan_dir(path, a); continue; }
        if (l < 2 || strcmp(path + l - 2, ".c")) continue;
        FILE *f = fopen(path, "rb");
        if (!f) continue;
        buf_t b;
        buf_init(&b, a);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f))) buf_append(&b, chunk, n);
        fclose(f);
        scan(path, b.data, a);
    }
    closedir(d);
}

static void every_msgid_is_translated(void **st) {
    (void)st;
    arena_t *a = arena_new();
    missing = 0;
    scan_dir("src", a);
    arena_free(a);
    assert_int_equal(missing, 0);
}

/* no msgid twice in a catalogue (merged branches tend to add the same one) */
struct dup { strmap_t seen; int dups; const char *file; };
static void no_dup(void *ctx, const char *id, const char *plural, const char *s0, const char *s1) {
    (void)plural; (void)s0; (void)s1;
    struct dup *d = ctx;
    if (!*id) return;   /* the header */
    int *slot = strmap_slot(&d->seen, id, true);
    if (*slot >= 0) { d->dups++; fprintf(stderr, "%s: msgid \"%s\" appears twice\n", d->file, id); }
    *slot = 1;
}
static void no_msgid_twice(void **st) {
    (void)st;
    static const char *const files[] = {"data/i18n/sv.po", "data/i18n/nb.po", "data/i18n/en.po"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        FILE *f = fopen(files[i], "rb");
        assert_non_null(f);
        buf_t b;
        arena_t *a = arena_new();
        buf_init(&b, a);
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
        fclose(f);
        struct dup d = {{0}, 0, files[i]};
        assert_true(po_parse(b.data, no_dup, &d));
        strmap_free(&d.seen);
        arena_free(a);
        assert_int_equal(d.dups, 0);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(po_parses_entries_and_continuations),
        cmocka_unit_test(po_rejects_garbage),
        cmocka_unit_test(lookup_and_fallback),
        cmocka_unit_test(plural_forms),
        cmocka_unit_test(formatting),
        cmocka_unit_test(every_msgid_is_translated),
        cmocka_unit_test(no_msgid_twice),
    };
    return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
