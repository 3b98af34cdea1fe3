/* The language bridge: compounds of both languages, every glossary entry, the industry classes
 * on both sides of the border, stop words and snippets with marked words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "core/embedded.h"
#include "org/match.h"
#include "ref/ref.h"
#include "search/index.h"
#include "search/snippet.h"
#include "search/text.h"

static bool has(const term_list_t *l, const char *t) {
    for (int i = 0; i < l->n; i++) if (!strcmp(l->terms[i], t)) return true;
    return false;
}

static int setup(void **st) { (void)st; ref_init(); search_text_init(NULL); search_text_wait_lexicon(); return 0; }

static void compounds_swedish(void **st) {
    (void)st;
    arena_t *a = arena_new();
    term_list_t t = {0}, v = {0};
    text_analyze(a, "bokföringsbyrå", LANG_SV, &t);          /* linking -s- */
    assert_true(has(&t, "bokforing"));
    assert_true(has(&t, "byra"));
    /* a firm's generic head is dropped: what it does stands for it, with its translations */
    text_variants(a, "bokföringsbyrå", &v);
    assert_true(has(&v, "bokforing"));
    assert_true(has(&v, "regnskap"));
    assert_false(has(&v, "byra"));
    term_list_t g = {0};
    assert_int_equal(text_compound_parts(a, "tradgardsanlaggning", &g), 2);
    assert_true(has(&g, "tradgard") && has(&g, "anlaggning"));
    arena_free(a);
}

static void compounds_norwegian(void **st) {
    (void)st;
    arena_t *a = arena_new();
    term_list_t t = {0}, v = {0};
    text_analyze(a, "regnskapsbyrå", LANG_NB, &t);           /* linking -s- */
    assert_true(has(&t, "regnskap"));
    assert_true(has(&t, "byra"));
    text_variants(a, "regnskapsbyrå", &v);
    assert_true(has(&v, "redovisning"));
    term_list_t e = {0};
    assert_int_equal(text_compound_parts(a, "hundeoppdrett", &e), 2);   /* linking -e- */
    assert_true(has(&e, "hund") && has(&e, "oppdrett"));
    term_list_t m = {0};
    assert_int_equal(text_compound_meaning(a, "regnskapsbyra", &m), 1);
    assert_string_equal(m.terms[0], "regnskap");
    term_list_t none = {0};
    assert_int_equal(text_compound_parts(a, "kvzxqpt", &none), 0);
    arena_free(a);
}

/* first_word: the first single-word synonym of a |-separated column, or NULL */
static char *first_word(arena_t *a, const char *col) {
    char *copy = arena_strdup(a, col);
    for (char *save = NULL, *p = strtok_r(copy, "|", &save); p; p = strtok_r(NULL, "|", &save)) {
        term_list_t w = {0};
        text_tokens(a, p, &w);
        if (w.n == 1) return w.terms[0];
    }
    return NULL;
}

/* every entry of the glossary: each Swedish word reaches the entry's first bokmål and English
 * words, and the bokmål word reaches the Swedish one */
static void glossary_entries(void **st) {
    (void)st;
    const struct embedded_file *f = embedded_find("data/search/glossary.tsv");
    assert_non_null(f);
    arena_t *a = arena_new();
    char *copy = arena_strdup(a, f->data);
    int entries = 0, failed = 0;
    bool header = true;
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        if (header) { header = false; continue; }
        char *col[3] = {line, NULL, NULL};
        for (int c = 1; c < 3; c++) { char *t = col[c - 1] ? strchr(col[c - 1], '\t') : NULL; if (t) { *t = 0; col[c] = t + 1; } }
        if (!col[2]) { printf("glossary line without three columns: %s\n", line); failed++; continue; }
        entries++;
        char *sv = first_word(a, col[0]), *nb = first_word(a, col[1]), *en = first_word(a, col[2]);
        if (!sv || !nb) continue;
        term_list_t v = {0}, back = {0};
        text_variants(a, sv, &v);
        text_variants(a, nb, &back);
        bool ok = has(&v, text_stem(a, nb, LANG_NB)) && has(&back, text_stem(a, sv, LANG_SV)) &&
                  (!en || has(&v, text_stem(a, en, LANG_EN)));
        if (!ok) { printf("glossary entry %s / %s / %s: not linked\n", col[0], col[1], col[2]); failed++; }
    }
    assert_true(entries >= 65);
    assert_int_equal(failed, 0);
    arena_free(a);
}

static void industries_both_sides(void **st) {
    (void)st;
    ref_nace_class_t c;
    assert_true(ref_nace_class("69.201", &c));        /* a Swedish 5-digit code: its class */
    assert_string_equal(c.code, "69.20");
    assert_non_null(strstr(c.sv, "Redovisning och bokföring"));
    assert_non_null(strstr(c.sv, "Revision"));
    assert_string_equal(c.nb, "Regnskap, revisjon og skatterådgivning");
    assert_non_null(c.notes);
    assert_non_null(strstr(c.notes, "bokføring"));
    assert_null(strstr(c.notes, "Ekskluderer"));       /* what a class excludes names other classes */
    assert_true(ref_nace_class("62.01", &c));
    assert_string_equal(c.sv, "Dataprogrammering");
    assert_string_equal(c.nb, "Programmeringstjenester");
    assert_true(ref_nace_class("43.210", &c));
    assert_string_equal(c.sv, "Elinstallationer");
    assert_false(ref_nace_class("99.999", &c));
    assert_false(ref_nace_class("6", &c));
    assert_false(ref_nace_class(NULL, &c));
}

static void stop_words(void **st) {
    (void)st;
    assert_true(text_stopword("vi"));
    assert_true(text_stopword("soker"));
    assert_true(text_stopword("trenger"));
    assert_true(text_stopword("norska"));
    assert_false(text_stopword("elektriker"));
    assert_false(text_stopword(""));
    /* English function words, but none that is a Scandinavian word too */
    assert_true(text_stopword("after"));
    assert_true(text_stopword("every"));
    assert_false(text_stopword("do"));     /* bokmål: toilet */
    assert_false(text_stopword("get"));    /* Swedish: goat */
    assert_false(text_stopword("more"));   /* Møre, folded */
    arena_t *a = arena_new();
    term_list_t w = {0};
    assert_int_equal(text_content_words(a, "Vi söker en elektriker i Norge", &w), 6);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.terms[0], "elektriker");
    term_list_t none = {0};
    text_content_words(a, "vi trenger noen som kan", &none);
    assert_int_equal(none.n, 0);
    arena_free(a);
}

static void snippets(void **st) {
    (void)st;
    arena_t *a = arena_new();
    snippet_query_t q;
    snippet_query(a, "regnskap", &q);
    snippet_t s;
    assert_true(snippet_find(a, "Vi gör <programvara>. Vi säljer redovisning & mer.", LANG_SV, &q, &s));
    assert_string_equal(s.text, "Vi säljer redovisning & mer.");
    assert_int_equal(s.nmarks, 1);
    assert_int_equal(s.len[0], (int)strlen("redovisning"));
    buf_t b;
    buf_init(&b, a);
    snippet_html(&b, &s);
    assert_string_equal(b.data, "Vi säljer <mark>redovisning</mark> &amp; mer.");
    assert_string_equal(snippet_marked(a, &s), "redovisning");
    assert_false(snippet_find(a, "Inget här.", LANG_SV, &q, &s));
    arena_free(a);
}

/* no_apertium: Apertium's pair is not installed or turned off (then there is nothing to check) */
static bool no_apertium(void) {
    if (access("/usr/share/apertium/apertium-swe-nor/swe-nob.autobil.bin", R_OK) || system("command -v lt-proc >/dev/null 2>&1") ||
        getenv("GRANSLOS_APERTIUM") || getenv("GRANSLOS_APERTIUM_DIR")) {
        printf("Apertium not installed or turned off: nothing to check\n");
        return true;
    }
    return false;
}

/* Apertium's pair, when installed (scripts/install-deps installs it), links what FreeDict and
 * the glossary do not: "städning" reaches "opprydding", "ställning" reaches "stilling" */
static void apertium_pairs(void **st) {
    (void)st;
    if (no_apertium()) return;
    arena_t *a = arena_new();
    term_list_t v = {0}, h = {0};
    text_variants(a, "städning", &v);
    assert_true(has(&v, "opprydding"));
    text_variants(a, "ställning", &h);
    assert_true(has(&h, "stilling"));
    arena_free(a);
}

/* A query word splits with Apertium's stems as parts too ("fastighetsbolag": neither FreeDict
 * nor the labels know "bolag"), so its firm's head drops and the rest is translated; the index's
 * splitting stays the narrow one, which does not change when Apertium's pairs come in. */
static void compounds_wide_for_queries(void **st) {
    (void)st;
    if (no_apertium()) return;
    arena_t *a = arena_new();
    term_list_t v = {0}, p = {0};
    text_variants(a, "fastighetsbolag", &v);
    assert_true(has(&v, "fastighet"));
    assert_true(has(&v, "eiendom"));
    assert_false(has(&v, "bolag"));
    assert_int_equal(text_compound_parts(a, "fastighetsbolag", &p), 0);
    arena_free(a);
}

/* Neither register labels its classes in English: the NACE Rev. 2 labels (data/search/nace-en.tsv)
 * let an English need reach a class no glossary entry names ("tax" is in none) */
static void english_labels_map_needs(void **st) {
    (void)st;
    arena_t *a = arena_new();
    const char *m = match_need_industries(a, NULL, "tax consultancy", NULL, NULL, "en");
    assert_true(!strncmp(m, "69.20", 5));
    const char *sw = match_need_industries(a, NULL, "skatterådgivning", "SE", NULL, "sv");
    assert_true(!strncmp(sw, "69.20", 5));
    /* the deed meets the doer: no class text has "dentistry", 86.23's words have "dentist" */
    assert_true(!strncmp(match_need_industries(a, NULL, "dentistry", NULL, NULL, "en"), "86.23", 5));
    /* a word the English texts have as it is is not split: "plumber" is not "plum" + "ber" (01.24) */
    const char *pl = match_need_industries(a, NULL, "plumber", NULL, NULL, "en");
    assert_true(!strncmp(pl, "43.22", 5));
    assert_null(strstr(pl, "01.24"));
    /* nor a word the texts have given its kin: "car" is not "carer" (88.10, home care) */
    const char *car = match_need_industries(a, NULL, "car repair", NULL, NULL, "en");
    assert_non_null(strstr(car, "45.20"));
    assert_null(strstr(car, "88.10"));
    /* a word met only inside a class's English phrase says less without the phrase's other
     * words: "opening" is in "open-air cinema" (59.14) and "open-air museum" (91.02), "flowers"
     * stands alone for the florist (47.76) */
    const char *fl = match_need_industries(a, NULL, "flowers for our opening", NULL, NULL, "en");
    assert_non_null(strstr(fl, "47.76"));
    assert_null(strstr(fl, "59.14"));
    assert_null(strstr(fl, "91.02"));
    /* an English word is not split into Scandinavian parts: "harvest" is not "harv" (harrow) + "est" */
    term_list_t hv = {0};
    text_analyze(a, "harvest", LANG_EN, &hv);
    assert_int_equal(hv.n, 1);
    /* a place name is where, not what: "in Oslo" is not Oslo Børs (66.11) */
    const char *os = match_need_industries(a, NULL, "An accountant in Oslo", NULL, NULL, "en");
    assert_true(!strncmp(os, "69.20", 5));
    assert_null(strstr(os, "66.11"));
    /* a common English word gets no Scandinavian reading: "take" is not "tak" (roof) */
    assert_true(text_english_known("take"));
    assert_false(text_english_known("barnehag"));
    /* and counts fully beside another word of the phrase: "hoof" of "hoof trimming" (01.62) */
    const char *hf = match_need_industries(a, NULL, "hoof trimming for our dairy cows", NULL, NULL, "en");
    assert_true(!strncmp(hf, "01.62", 5));
    /* a word that stands alone in a class's texts still makes a phrase whole with its other word:
     * "nursing" is in 87.10's label, "home" only in its phrases ("nursing home", "care home") */
    const char *nh = match_need_industries(a, NULL, "nursing home", NULL, NULL, "en");
    assert_non_null(strstr(nh, "87.10 (1.00)"));
    /* an English need's head names what it asks for; the words of what it is for ("try", "test",
     * "sensors", "robot") each reach classes of their own and outweighed it */
    assert_true(!strncmp(match_need_industries(a, NULL, "A sawmill willing to try our new moisture sensors and drying software", NULL, NULL, "en"), "16.10", 5));
    assert_true(!strncmp(match_need_industries(a, NULL, "A dentist who will test our new booking app", NULL, NULL, "en"), "86.23", 5));
    assert_non_null(strstr(match_need_industries(a, NULL, "A fish farm willing to test our new net-cleaning robot", NULL, NULL, "en"), "03.21"));
    /* in Swedish as well: "Ett sågverk | som vill testa ..." (without the head, 62.01 software) */
    const char *sv = match_need_industries(a, NULL, "Ett sågverk som vill testa våra nya fuktsensorer och vår torkmjukvara", "SE", NULL, "sv");
    assert_true(!strncmp(sv, "16.10", 5));
    assert_null(strstr(sv, "62.01"));
    /* a question has no head: its first words are not what it asks for */
    assert_null(strstr(match_need_industries(a, NULL, "Where can a fish farm test our new net-cleaning robot", NULL, NULL, "en"), "03.21"));
    arena_free(a);
}

/* every line of data/ref/nace-words.tsv: its everyday words, read as a need in their own
 * language (Swedish from Sweden, bokmål from Norway, English on an English page), map to the
 * line's class among the classes a need is mapped to (the labels alone, no store) */
static void class_words_map(void **st) {
    (void)st;
    const struct embedded_file *f = embedded_find("data/ref/nace-words.tsv");
    assert_non_null(f);
    char *copy = strdup(f->data);
    int lines = 0, failed = 0;
    static const char *const from[3] = {"SE", "NO", NULL}, *const lang[3] = {"sv", "nb", "en"};
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        char *col[4] = {line, NULL, NULL, NULL};
        for (int k = 1; k < 4; k++) {
            char *tab = col[k - 1] ? strchr(col[k - 1], '\t') : NULL;
            if (tab) { *tab = 0; col[k] = tab + 1; }
        }
        if (!col[3] || strlen(col[0]) != 5) { printf("class words: line without four columns: %s\n", line); failed++; continue; }
        lines++;
        for (int k = 0; k < 3; k++) {
            arena_t *a = arena_new();
            char *need = strdup(col[k + 1]);
            for (char *p = need; *p; p++) if (*p == '|') *p = ',';
            const char *m = match_need_industries(a, NULL, need, from[k], NULL, lang[k]);
            if (!strstr(m, col[0])) { printf("class words %s (%s): \"%s\" maps to %s\n", col[0], lang[k], col[k + 1], *m ? m : "nothing"); failed++; }
            free(need);
            arena_free(a);
        }
    }
    free(copy);
    printf("class words: %d lines, %d not mapped to their class\n", lines, failed);
    assert_true(lines >= 600);
    assert_int_equal(failed, 0);
}

/* the index's classes: one posting per document and class, found through the class's texts */
static void put(int64_t id, const char *country, const char *text, const char *cls) {
    search_org_t o = {0};
    o.id = id;
    o.name = "Testbolaget AS";
    o.country = country;
    o.kind = "company";
    o.status = "active";
    o.employees = -1;
    o.lang = !strcmp(country, "NO") ? LANG_NB : LANG_SV;
    o.text[0] = text;
    o.text_lang[0] = o.lang;
    if (cls) { o.classes[0] = cls; o.nclasses = 1; }
    search_put_org(&o);
}
static int64_t first(const char *q, const char *country, long long *total) {
    arena_t *a = arena_new();
    search_filter_t f = {0};
    f.country = country;
    search_hit_t *h;
    int nh;
    *total = search_orgs(a, q, &f, 0, 10, &h, &nh, NULL);
    int64_t id = nh ? h[0].id : 0;
    arena_free(a);
    return id;
}
static void class_postings(void **st) {
    (void)st;
    search_set_class_texts(ref_nace_key_texts);
    put(1, "NO", "Vi lager apper for mobil", "c62.01");
    put(2, "NO", "Regnskap for små bedrifter", "c69.20");
    put(3, "NO", "Konsulenttjenester", "c69.20");
    put(4, "SE", "Vi bygger hus", NULL);
    long long n;
    /* Swedish labels of Norwegian organisations' classes */
    assert_int_equal(first("dataprogrammering", "NO", &n), 1);
    assert_int_equal(n, 1);
    assert_int_equal(first("bokföring", "NO", &n), 2);
    assert_int_equal(n, 2);
    /* the word in the text and in the class outranks the class alone, which still finds it */
    assert_int_equal(first("regnskap", "NO", &n), 2);
    assert_int_equal(n, 2);
    /* an unknown key is no class */
    put(5, "NO", "Ingenting", "c99.99");
    assert_int_equal(first("ingenting", NULL, &n), 5);
    /* the memory a class costs a document: a posting, not its texts (those would be hundreds of
     * bytes: labels, notes and words of 62.01 are some 60 terms) */
    size_t before = search_memory();
    search_bulk(true);
    for (int i = 0; i < 4000; i++) put(1000 + i, "NO", "Vi lager apper for mobil", NULL);
    search_bulk(false);
    size_t plain = search_memory() - before;
    before = search_memory();
    search_bulk(true);
    for (int i = 0; i < 4000; i++) put(10000 + i, "NO", "Vi lager apper for mobil", "c62.01");
    search_bulk(false);
    size_t classed = search_memory() - before;
    printf("class postings: 4000 documents %zu bytes, with a class %zu bytes\n", plain, classed);
    assert_true(classed < plain + 4000 * 24);
    assert_int_equal(first("dataprogrammering", "NO", &n), 1);
    assert_int_equal(n, 4001);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compounds_swedish),
        cmocka_unit_test(compounds_norwegian),
        cmocka_unit_test(glossary_entries),
        cmocka_unit_test(industries_both_sides),
        cmocka_unit_test(stop_words),
        cmocka_unit_test(snippets),
        cmocka_unit_test(apertium_pairs),
        cmocka_unit_test(compounds_wide_for_queries),
        cmocka_unit_test(english_labels_map_needs),
        cmocka_unit_test(class_words_map),
        cmocka_unit_test(class_postings),
    };
    return cmocka_run_group_tests_name("language bridge", tests, setup, NULL);
}
