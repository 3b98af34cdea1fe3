/* Conference reports (roundtables/report.h): the seed report parses, every host, question and
 * bullet comes out character for character and in order, Markdown reads back to the same
 * structure, HTML is escaped, and malformed inputs give a line and a reason, never a crash.
 * Run from the repository root (make test does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "core/buf.h"
#include "roundtables/report.h"

#define SEED "tests/fixtures/motesplats-vision-2022.txt"

static char *slurp(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)len + 1);
    assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
    s[len] = 0;
    fclose(f);
    *n = (size_t)len;
    return s;
}

static const char *const questions[3] = {
    "Vilka konkreta aktiviteter ser ni som nästa steg?",
    "Vilka utmaningar finns det för samarbetet idag?",
    "Vilket stöd från nationella regeringar skulle kunna underlätta dessa utmaningar?",
};

static void seed_parses_with_every_host_question_and_bullet(void **st) {
    (void)st;
    size_t n;
    char *text = slurp(SEED, &n);
    arena_t *a = arena_new();
    report_t r;
    report_error_t e;
    assert_true(report_parse(a, text, n, REPORT_AUTO, &r, &e));
    /* the tables and their hosts */
    static const char *const hosts[6][3] = {
        {"Visit Värmland", "Visit Greater Oslo"},
        {"Region Värmland"},
        {"IUC Stål&Verkstad", "7Sterke"},
        {"Paper Province", "Norsk Emballasjeforening", "Norwegian Wood Cluster"},
        {"Compare", "DigitalInnlandet"},
        {"Glava Energy Center", "Solenergiklyngen"},
    };
    static const int nhosts[6] = {2, 1, 2, 3, 2, 2};
    static const int nbullets[6][3] = {{1, 1, 1}, {3, 2, 4}, {1, 1, 1}, {6, 1, 5}, {3, 4, 3}, {1, 1, 1}};
    assert_int_equal(r.ntables, 6);
    for (int i = 0; i < 6; i++) {
        assert_string_equal(r.tables[i].label, "Värd");
        assert_int_equal(r.tables[i].nhosts, nhosts[i]);
        for (int k = 0; k < nhosts[i]; k++) assert_string_equal(r.tables[i].hosts[k], hosts[i][k]);
        assert_int_equal(r.tables[i].nquestions, 3);
        for (int k = 0; k < 3; k++) {
            assert_string_equal(r.tables[i].questions[k].text, questions[k]);
            assert_int_equal(r.tables[i].questions[k].nbullets, nbullets[i][k]);
        }
    }
    assert_string_equal(r.tables[3].hosts_text, "Paper Province, Norsk Emballasjeforening, Norwegian Wood Cluster");
    assert_int_equal(r.tables[0].line, 26);
    /* every bullet, in order, character for character: the lines " • …" of the file */
    int bi = 0, ti = 0, qi = 0, ki = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, " \xE2\x80\xA2 ", 5)) continue;
        while (ki >= r.tables[ti].questions[qi].nbullets) {
            ki = 0;
            if (++qi == r.tables[ti].nquestions) { qi = 0; ti++; }
            assert_true(ti < r.ntables);
        }
        assert_string_equal(r.tables[ti].questions[qi].bullets[ki], line + 5);
        ki++;
        bi++;
    }
    assert_int_equal(bi, 40);
    assert_string_equal(r.tables[1].questions[2].bullets[1],
                        "Lagstiftning och regler för den Blå bioekonomin måste ses över och anpassas till förutsättningarna för "
                        "RAS-anläggningar och cirkulära industriella processer. Oavsett om det handlar om landbaserad fiskodling "
                        "eller annan typ av uppfödning eller växtodling. (Exempel finns i de bifogade filerna.) RAS-anläggningar "
                        "är exkluderade från möjligheten till regionalt investeringsstöd vid etablering inom stödområden. Likaså "
                        "finns möjlighet till avdrag från arbetsgivaravgifter inom stödområde A, men även här exkluderas "
                        "landbaserade fiskodlingar av något skäl. Då den här typen av etablering skulle passa mycket bra i "
                        "kommuner inom stödområden där det finns fina förutsättningar för etablering och där behovet av nya "
                        "arbetstillfällen är stort vore det viktigt att lagstiftningen ses över.");
    assert_string_equal(r.tables[2].questions[2].bullets[0], "Underlätta regelverk kring kloning.");
    /* the introduction before the first table, the closing lines after the last bullet */
    assert_string_equal(r.intro[0], "Till startsidan");
    assert_string_equal(r.intro[r.nintro - 1], "Hur ser de olika sektorerna på framtiden?");
    assert_int_equal(r.nintro, 13);
    assert_int_equal(r.noutro, 2);
    assert_string_equal(r.outro[0], "Sidan uppdaterad");
    assert_string_equal(r.outro[1], "Hjälpte sidan dig?");
    arena_free(a);
    free(text);
}

static void markdown_round_trip(void **st) {
    (void)st;
    size_t n;
    char *text = slurp(SEED, &n);
    arena_t *a = arena_new();
    report_t r, r2, r3;
    report_error_t e;
    assert_true(report_parse(a, text, n, REPORT_AUTO, &r, &e));
    buf_t md;
    buf_init(&md, a);
    report_markdown(&md, &r);
    assert_non_null(strstr(md.data, "## Värd: Visit Värmland och Visit Greater Oslo\n\n### Vilka konkreta aktiviteter ser ni som nästa steg?\n\n- Planera"));
    assert_true(report_parse(a, md.data, md.len, REPORT_AUTO, &r2, &e));
    assert_true(report_equal(&r, &r2));
    assert_true(report_parse(a, md.data, md.len, REPORT_MARKDOWN, &r3, &e));
    assert_true(report_equal(&r, &r3));
    /* a second round gives the same Markdown */
    buf_t md2;
    buf_init(&md2, a);
    report_markdown(&md2, &r2);
    assert_string_equal(md.data, md2.data);
    /* text that looks like Markdown survives */
    const char *tricky = "# not a heading\n1. not a list\n---\nVärd: A & B, C\\D och E_F\nQ *star* [link](x) `code` &amp; #tag #\n"
                         " • - dash bullet\n • 2) two\n • <b>bold</b> | pipe ~ tilde! \\\nLast line\n";
    report_t t1, t2;
    assert_true(report_parse(a, tricky, strlen(tricky), REPORT_TEXT, &t1, &e));
    assert_string_equal(t1.intro[0], "# not a heading");
    assert_string_equal(t1.intro[2], "---");
    assert_int_equal(t1.tables[0].nhosts, 3);
    assert_string_equal(t1.tables[0].hosts[1], "C\\D");
    assert_string_equal(t1.tables[0].questions[0].bullets[0], "- dash bullet");
    assert_string_equal(t1.outro[0], "Last line");
    buf_init(&md, a);
    report_markdown(&md, &t1);
    assert_true(report_parse(a, md.data, md.len, REPORT_AUTO, &t2, &e));
    assert_true(report_equal(&t1, &t2));
    arena_free(a);
    free(text);
}

static void html_is_escaped(void **st) {
    (void)st;
    arena_t *a = arena_new();
    const char *x = "<script>alert(1)</script>\"'&";
    char *in = arena_printf_libc(a, "Intro %s\nVärd: Host %s\nQuestion %s\n • Bullet %s\n", x, x, x, x);
    report_t r;
    report_error_t e;
    assert_true(report_parse(a, in, strlen(in), REPORT_AUTO, &r, &e));
    buf_t h;
    buf_init(&h, a);
    report_html(&h, &r);
    assert_null(strstr(h.data, "<script>"));
    assert_non_null(strstr(h.data, "<h2>Värd: Host &lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</h2>"));
    assert_non_null(strstr(h.data, "<li>Bullet &lt;script&gt;"));
    size_t n;
    char *text = slurp(SEED, &n);
    assert_true(report_parse(a, text, n, REPORT_AUTO, &r, &e));
    buf_init(&h, a);
    report_html(&h, &r);
    assert_non_null(strstr(h.data, "<h2>Värd: IUC Stål&amp;Verkstad och 7Sterke</h2>"));
    free(text);
    arena_free(a);
}

struct bad { const char *text; int line; const char *reason_part; };

static void malformed_inputs_give_line_and_reason(void **st) {
    (void)st;
    static const struct bad cases[] = {
        {"", 0, "No host line"},
        {"Just an introduction.\nAnd more.\n", 0, "No host line"},
        {"Intro\n • a bullet in the intro\nVärd: X\nQ\n • b\n", 2, "before the first host line"},
        {"Intro\nVärd: X\n • no question\n", 3, "needs a question"},
        {"Intro\nVärd:   \nQ\n • b\n", 2, "at least one host"},
        {"Intro\nVärd: A, , B\nQ\n • b\n", 2, "at least one host"},
        {"Intro\nVärd: A\nVärd: B\nQ\n • b\n", 3, "no questions"},
        {"Intro\nVärd: A\nQ\n • \n", 4, "empty"},
        {"Intro\nVärd: A\nQ\n •\n", 4, "empty"},
        {"Intro\nVärd: A\nQ one\nQ two\n", 2, "no answers"},
        {"Intro\nVärd: A\nQ\n • b\nVärd: B\nQ\n", 5, "no answers"},
        {"Intro\nVärd: A\nQ\n • b\xff\n", 4, "UTF-8"},
        {"Intro\nVärd: A\nQ\n • b\x01\n", 4, "control character"},
        {"Intro\nVärd: A\nQ\xe2\x80\n • b\n", 3, "UTF-8"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        arena_t *a = arena_new();
        report_t r;
        report_error_t e;
        bool ok = report_parse(a, cases[i].text, strlen(cases[i].text), REPORT_AUTO, &r, &e);
        if (ok || e.line != cases[i].line || !e.reason || !strstr(e.reason, cases[i].reason_part))
            fail_msg("case %zu: ok=%d line=%d reason=%s", i, ok, e.line, e.reason ? e.reason : "(none)");
        assert_int_equal(r.ntables, 0);
        arena_free(a);
    }
    /* a NUL byte inside the given length */
    arena_t *a = arena_new();
    report_t r;
    report_error_t e;
    const char nul[] = "Intro\nVärd: A\nQ\n • b\0c\n";
    assert_false(report_parse(a, nul, sizeof nul - 1, REPORT_AUTO, &r, &e));
    assert_int_equal(e.line, 4);
    assert_false(report_parse(a, NULL, 0, REPORT_AUTO, &r, &e));
    arena_free(a);
}

static void line_endings_bom_and_labels(void **st) {
    (void)st;
    arena_t *a = arena_new();
    const char *in = "\xEF\xBB\xBFIntro\r\n\r\nVert: Innovasjon Norge og Region Värmland\r\nSpørsmål?\r\n\xE2\x80\xA2\xC2\xA0Svar\xC2\xA0\r\n";
    report_t r;
    report_error_t e;
    assert_true(report_parse(a, in, strlen(in), REPORT_AUTO, &r, &e));
    assert_string_equal(r.intro[0], "Intro");
    assert_string_equal(r.tables[0].label, "Vert");
    assert_string_equal(r.tables[0].hosts[0], "Innovasjon Norge");
    assert_string_equal(r.tables[0].hosts[1], "Region Värmland");
    assert_string_equal(r.tables[0].questions[0].text, "Spørsmål?");
    assert_string_equal(r.tables[0].questions[0].bullets[0], "Svar");
    /* a byte-order mark inside the text (files pasted together): a line of it alone is blank, and
     * it is trimmed at a line's ends, so the Markdown written back (where a text may come first)
     * reads back the same (found by fuzz_markdown) */
    const char *in2 = "\n\xEF\xBB\xBF\nIntro\xEF\xBB\xBF\nV\xC3\xA4rd:o\n?\n- o";
    assert_true(report_parse(a, in2, strlen(in2), REPORT_MARKDOWN, &r, &e));
    assert_int_equal(r.nintro, 1);
    assert_string_equal(r.intro[0], "Intro");
    buf_t md;
    buf_init(&md, a);
    report_markdown(&md, &r);
    report_t r2;
    assert_true(report_parse(a, md.data, md.len, REPORT_MARKDOWN, &r2, &e));
    assert_true(report_equal(&r, &r2));
    arena_free(a);
}

/* every prefix and many mutations of the seed: an answer, never a crash; what parses round-trips */
static void truncated_and_mutated_inputs(void **st) {
    (void)st;
    size_t n;
    char *text = slurp(SEED, &n);
    unsigned seed = 12345;
    for (size_t cut = 0; cut <= n; cut += (cut < 3000 ? 97 : 401)) {
        for (int m = 0; m < 3; m++) {
            arena_t *a = arena_new();
            char *t = arena_strndup(a, text, cut);
            if (m && cut) { /* flip a few bytes */
                for (int k = 0; k < 4; k++) {
                    seed = seed * 1103515245u + 12345u;
                    t[(seed >> 8) % cut] = (char)(seed >> 16);
                }
            }
            report_t r, r2;
            report_error_t e;
            if (report_parse(a, t, cut, REPORT_AUTO, &r, &e)) {
                buf_t md;
                buf_init(&md, a);
                report_markdown(&md, &r);
                assert_true(report_parse(a, md.data, md.len, REPORT_AUTO, &r2, &e));
                assert_true(report_equal(&r, &r2));
                buf_t h;
                buf_init(&h, a);
                report_html(&h, &r);
            } else {
                assert_non_null(e.reason);
                assert_true(e.line >= 0 && e.line <= 200);
            }
            arena_free(a);
        }
    }
    free(text);
}

/* the introduction's subheadings: a short line without a final full stop followed by a paragraph
 * (the cleaned demo source's "Strategiskt samarbete"), kept through Markdown and rendered as headings */
static void intro_subheadings(void **st) {
    (void)st;
    arena_t *a = arena_new();
    const char *in = "Mötesplats Vision – Gränslöst företagande\n\nDen 15 mars 2022 genomfördes konferensen Mötesplats Vision i Karlstad.\n\n"
                     "Strategiskt samarbete\n\nDe båda ministrarna efterfrågade konkreta förslag.\n\n"
                     "Kort rad, men följd av en kort\nRad.\n\nEn mening som slutar med punkt.\nEn längre mening som också slutar med punkt.\n"
                     "Sist i inledningen\nVärd: A och B\nFråga?\n • svar\n";
    report_t r, r2;
    report_error_t e;
    assert_true(report_parse(a, in, strlen(in), REPORT_TEXT, &r, &e));
    assert_int_equal(r.nintro, 9);
    static const bool want[9] = {true, false, true, false, false, false, false, false, false};
    for (int i = 0; i < 9; i++) assert_int_equal(report_intro_heading(&r, i), want[i]);
    buf_t h;
    buf_init(&h, a);
    report_html(&h, &r);
    assert_non_null(strstr(h.data, "<h2 class=\"report-subhead\">Strategiskt samarbete</h2>\n<p>De båda ministrarna"));
    assert_non_null(strstr(h.data, "<p>Sist i inledningen</p>"));
    buf_t md;
    buf_init(&md, a);
    report_markdown(&md, &r);
    assert_non_null(strstr(md.data, "\n\n## Strategiskt samarbete\n\nDe båda"));
    assert_non_null(strstr(md.data, "\n\nEn mening som slutar med punkt.\n\n"));
    assert_true(report_parse(a, md.data, md.len, REPORT_AUTO, &r2, &e));
    assert_true(report_equal(&r, &r2));
    for (int i = 0; i < 9; i++) assert_int_equal(report_intro_heading(&r2, i), want[i]);
    /* built without marks (as stored): the same rule; a changed mark makes the reports differ */
    report_t r3 = r;
    r3.intro_heading = NULL;
    assert_true(report_intro_heading(&r3, 2));
    assert_true(report_equal(&r, &r3));
    unsigned char flipped[9];
    for (int i = 0; i < 9; i++) flipped[i] = want[i];
    flipped[1] = 1;
    r3.intro_heading = flipped;
    assert_false(report_equal(&r, &r3));
    arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(intro_subheadings),
        cmocka_unit_test(seed_parses_with_every_host_question_and_bullet),
        cmocka_unit_test(markdown_round_trip),
        cmocka_unit_test(html_is_escaped),
        cmocka_unit_test(malformed_inputs_give_line_and_reason),
        cmocka_unit_test(line_endings_bom_and_labels),
        cmocka_unit_test(truncated_and_mutated_inputs),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
