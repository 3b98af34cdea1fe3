/* Text analysis: folding, stemming hazards, compounds and the cross-language lexicon. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "search/text.h"

static bool has(term_list_t *l, const char *t) {
    for (int i = 0; i < l->n; i++) if (!strcmp(l->terms[i], t)) return true;
    return false;
}
static void dump(const char *what, term_list_t *l) {
    printf("%s:", what);
    for (int i = 0; i < l->n; i++) printf(" %s", l->terms[i]);
    printf("\n");
}

static int setup(void **st) { (void)st; search_text_init(NULL); return 0; }

static void folding(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_string_equal(text_fold_word(a, "Malmö"), text_fold_word(a, "Malmo"));
    assert_string_equal(text_fold_word(a, "Tromsø"), text_fold_word(a, "TROMSO"));
    assert_string_equal(text_fold_word(a, "Göteborg"), "goteborg");
    assert_string_equal(text_fold_word(a, "Træ"), text_fold_word(a, "trä"));
    assert_string_equal(text_fold_word(a, "Aasen"), text_fold_word(a, "Åsen"));
    assert_string_equal(text_fold_word(a, "Café"), "cafe");
    arena_free(a);
}

static void stemming(void **st) {
    (void)st;
    arena_t *a = arena_new();
    /* Swedish Snowball turns fastigheter into fast: overruled */
    assert_string_equal(text_stem(a, "fastigheter", LANG_SV), text_stem(a, "fastighet", LANG_SV));
    assert_string_not_equal(text_stem(a, "fastigheter", LANG_SV), "fast");
    assert_string_equal(text_stem(a, "förpackningar", LANG_SV), "forpackning");
    assert_string_equal(text_stem(a, "klynger", LANG_NB), text_stem(a, "klynge", LANG_NB));
    /* the stemmers disagree on konsulterna: the query side tries every language */
    term_list_t v = {0};
    text_variants(a, "konsulterna", &v);
    assert_true(has(&v, "konsult"));
    arena_free(a);
}

static void compounds(void **st) {
    (void)st;
    arena_t *a = arena_new();
    term_list_t t = {0};
    text_analyze(a, "Redovisningsbyrå i Karlstad", LANG_SV, &t);
    dump("redovisningsbyrå", &t);
    assert_true(has(&t, "redovisning"));
    assert_true(has(&t, "byra"));
    term_list_t u = {0};
    text_analyze(a, "solenergiklynge", LANG_NB, &u);
    dump("solenergiklynge", &u);
    assert_true(has(&u, "solenergi"));
    term_list_t w = {0};
    text_analyze(a, "fastighetsförvaltning", LANG_SV, &w);
    dump("fastighetsförvaltning", &w);
    assert_true(has(&w, text_stem(a, "förvaltning", LANG_SV)));
    arena_free(a);
}

/* the written form of an index term: å/ä/ö/ø kept, the exact word before an inflection, a
 * sentence-start capital not taken for the spelling, none when the text has no such word */
static void surface(void **st) {
    (void)st;
    arena_t *a = arena_new();
    const char *const cases[][3] = {
        {"varmland", "Färjor i Värmland. Värmland runt.", "Värmland"},
        {"rommegrot", "Rømmegrøt er godt; vi lager rømmegrøt.", "rømmegrøt"},
        {"tromso", "Fra Tromsø og Tromsøs havn", "Tromsø"},
        {text_stem(a, "fiskerier", LANG_NB), "Vi driver fiskerier.", "fiskerier"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) assert_string_equal(text_surface(a, cases[i][0], cases[i][1]), cases[i][2]);
    assert_null(text_surface(a, "varmland", "Dalsland och Vänern"));
    assert_null(text_surface(a, "varmland", ""));
    arena_free(a);
}

static void cross_language(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_true(search_lexicon_size() > 10000);
    term_list_t v = {0};
    text_variants(a, "förpackning", &v);
    dump("förpackning", &v);
    assert_true(has(&v, text_stem(a, "emballasje", LANG_NB)));
    assert_true(has(&v, text_stem(a, "packaging", LANG_EN)));
    term_list_t k = {0};
    text_variants(a, "kluster", &k);
    assert_true(has(&k, text_stem(a, "klynge", LANG_NB)));
    term_list_t h = {0};
    text_variants(a, "hållbar", &h);
    dump("hållbar", &h);
    assert_true(has(&h, text_stem(a, "bærekraftig", LANG_NB)));
    term_list_t s = {0};
    text_variants(a, "skog", &s); /* from the dictionary */
    assert_true(has(&s, "skau"));
    arena_free(a);
}

/* translations into the documents' language only: FreeDict's "korn" (Swedish, barley) is bokmål
 * "bygg", so read for any texts "bygg" also reaches "korn" (bokmål: grain); read for bokmål texts
 * it must not, and read for Swedish texts the bokmål "bygg" still finds the Swedish "korn" */
static void towards_one_language(void **st) {
    (void)st;
    arena_t *a = arena_new();
    const char *korn = text_stem(a, "korn", LANG_SV);
    term_list_t any = {0}, nb = {0}, sv = {0};
    text_variants(a, "bygg", &any);
    text_variants_for(a, "bygg", LANG_NB, &nb);
    text_variants_for(a, "bygg", LANG_SV, &sv);
    dump("bygg (any)", &any);
    dump("bygg (for bokmål texts)", &nb);
    assert_true(has(&any, korn));
    assert_false(has(&nb, korn));
    assert_true(has(&sv, korn));
    assert_true(has(&nb, "bygg"));
    /* the other direction still translates: a Swedish word for bokmål texts */
    term_list_t f = {0};
    text_variants_for(a, "förpackning", LANG_NB, &f);
    assert_true(has(&f, text_stem(a, "emballasje", LANG_NB)));
    arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(folding),
        cmocka_unit_test(stemming),
        cmocka_unit_test(compounds),
        cmocka_unit_test(cross_language),
        cmocka_unit_test(towards_one_language),
        cmocka_unit_test(surface),
    };
    return cmocka_run_group_tests_name("text analysis", tests, setup, NULL);
}
