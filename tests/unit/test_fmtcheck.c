/* The checked formatter: tools/fmtcheck (run by make before src/ is compiled) rejects each
 * deliberate mistake in tests/fixtures/fmtcheck/bad.c with its line and reason (a plain-text
 * buffer written by bprintf_text printed through a raw %s among them) and accepts
 * tests/fixtures/fmtcheck/good.c; the formatter's own guards (numbers wider than its stack
 * buffer, FMT_AS, bfmt_signature); and every translation in the shipped catalogues has the
 * conversions of its msgid. Run from the repository root (as tests/run does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "core/buf.h"
#include "core/embedded.h"
#include "i18n/i18n.h"

#define FIX "tests/fixtures/fmtcheck/"

/* run: the checker's exit status and its output (stdout and stderr). */
static int run(const char *args, char *out, size_t n) {
    char cmd[512];
    snprintf(cmd, sizeof cmd, "build/fmtcheck %s 2>&1", args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t k = fread(out, 1, n - 1, p);
    out[k] = 0;
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void rejects_wrong_calls(void **st) {
    (void)st;
    static char out[16384];
    int rc = run("-v --po " FIX "catalogue.po " FIX "bad.c", out, sizeof out);
    assert_int_equal(rc, 1);
    static const char *const want[] = {
        "bad.c:4: bprintf: the format consumes 2 arguments, the call passes 1",
        "bad.c:5: bprintf: the format consumes 1 argument, the call passes 2",
        "bad.c:6: format: \"%p\": a conversion the formatter does not implement",
        "bad.c:7: raw %s of \"name\"",
        "bad.c:8: raw %s of \"T(r, \"Hello\")\"",
        "bad.c:9: the format is neither a literal nor a translation lookup",
        "bad.c:10: translation 0 of \"%d new messages for %s\" in " FIX "catalogue.po:21 has the conversions \"sd\", the msgid \"ds\"",
        "bad.c:11: \"Welcome, %s\" is a format: mark it \"#, c-format\"",
        "bad.c:12: the branches of the format consume different arguments",
        "bad.c:13: format: \"%-20h\": flags or a width on a string",
        "bad.c:14: format: \"%\": a lone '%' at the end",
        "bad.c:15: raw %s of \"aprintf_text(a, \"%s!\", name)\"",
        "bad.c:23: raw %s of \"b.data\"",
        "bad.c:27: raw %s of \"m->text.data\"",
        "19 calls of the escaping formatter checked",
        "14 problems",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        if (!strstr(out, want[i])) fail_msg("fmtcheck did not say: %s\n--- it said:\n%s", want[i], out);
    }
}

static void accepts_right_calls(void **st) {
    (void)st;
    static char out[16384];
    int rc = run("-v --po " FIX "catalogue.po " FIX "good.c", out, sizeof out);
    if (rc != 0) fail_msg("fmtcheck rejected good.c:\n%s", out);
    assert_non_null(strstr(out, "14 calls of the escaping formatter checked (4 translated formats, 6 raw %s), 0 problems"));
    /* no catalogue given: the translated formats are still counted, nothing to compare */
    rc = run(FIX "good.c", out, sizeof out);
    assert_int_equal(rc, 0);
    assert_string_equal(out, "");
}

/* Numbers wider than the formatter's 64-byte stack buffer come out whole (it used to append
 * snprintf's would-be length from a 64-byte buffer). */
static void wide_numbers(void **st) {
    (void)st;
    arena_t *a = arena_new();
    char *s = aprintf(a, "[%70d]", 42);
    assert_int_equal(strlen(s), 72);
    assert_string_equal(s + 69, "42]");
    s = aprintf(a, "%.80f", 1.0);
    assert_int_equal(strlen(s), 82);
    assert_memory_equal(s, "1.000", 5);
    s = aprintf(a, "%f|%lld", 1e300, -9223372036854775807LL - 1);
    assert_int_equal(strlen(s), 301 + 7 + 1 + 20);
    assert_non_null(strstr(s, "|-9223372036854775808"));
    s = aprintf(a, "%h|%.3s|%.*h", "<", "abcdef", 2, "<<<");
    assert_string_equal(s, "&lt;|abc|&lt;&lt;");
    s = aprintf(a, "%q|%", 1);            /* unknown conversions print as written, nothing read */
    assert_string_equal(s, "%q|%");
    arena_free(a);
}

static void signatures_and_fmt_as(void **st) {
    (void)st;
    char sig[32];
    assert_true(bfmt_signature("a %s %h %%  %.*s %5.2f %lld %zu %x %c %d", sig, sizeof sig));
    assert_string_equal(sig, "sh*sfLzucd");
    assert_false(bfmt_signature("%p", sig, sizeof sig));
    assert_false(bfmt_signature("100%", sig, sizeof sig));
    assert_false(bfmt_signature("%s%s%s", sig, 3));   /* too small */
    assert_string_equal(bfmt_as("%s", "Du är anmäld till %s."), "Du är anmäld till %s.");
    assert_string_equal(bfmt_as("%s", "%s och %s"), "%s");     /* would read a second argument */
    assert_string_equal(bfmt_as("%s", "%d"), "%s");
    assert_string_equal(bfmt_as("%s", NULL), "%s");
    arena_t *a = arena_new();
    assert_string_equal(aprintf_text(a, FMT_AS("%s", "%s then %s"), "x"), "x");
    arena_free(a);
}

/* Every translation in the shipped catalogues consumes what its msgid consumes. */
struct ctx { const char *file; int checked, bad; };
static void entry(void *p, const char *id, const char *plural, const char *s0, const char *s1) {
    struct ctx *c = p;
    char want[64], got[64];
    if (!strchr(id, '%') || !bfmt_signature(id, want, sizeof want)) return;
    if (plural) {
        if (!bfmt_signature(plural, got, sizeof got) || strcmp(got, want)) { c->bad++; print_error("%s: plural of \"%s\"\n", c->file, id); }
    }
    const char *strs[2] = {s0, s1};
    for (int i = 0; i < 2; i++) {
        if (!strs[i] || !*strs[i]) continue;
        c->checked++;
        if (!bfmt_signature(strs[i], got, sizeof got) || strcmp(got, want)) {
            c->bad++;
            print_error("%s: \"%s\" translated as \"%s\"\n", c->file, id, strs[i]);
        }
    }
}

static void catalogues_match(void **st) {
    (void)st;
    int total = 0;
    for (const struct embedded_file *f = embedded_files; f->name; f++) {
        if (strncmp(f->name, "data/i18n/", 10)) continue;
        struct ctx c = {f->name, 0, 0};
        assert_true(po_parse(f->data, entry, &c));
        assert_int_equal(c.bad, 0);
        total += c.checked;
    }
    assert_true(total > 100); /* the catalogues were read: sv and nb have over 90 formats each */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rejects_wrong_calls),
        cmocka_unit_test(accepts_right_calls),
        cmocka_unit_test(wide_numbers),
        cmocka_unit_test(signatures_and_fmt_as),
        cmocka_unit_test(catalogues_match),
    };
    return cmocka_run_group_tests_name("fmtcheck", tests, NULL, NULL);
}
