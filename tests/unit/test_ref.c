/* Reference data: every current municipality and county of both countries, NACE labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "ref/ref.h"

static void municipalities(void **st) {
    (void)st;
    int n, se = 0, no = 0;
    const municipality_t *m = ref_municipalities(&n);
    for (int i = 0; i < n; i++) { if (!strcmp(m[i].country, "SE")) se++; else no++; }
    assert_int_equal(se, 290);
    assert_int_equal(no, 357);   /* the 2024 structure */
    assert_string_equal(ref_municipality("SE", "1780")->name, "Karlstad");
    assert_string_equal(ref_municipality("SE", "1780")->county, "17");
    assert_string_equal(ref_municipality("NO", "0301")->name, "Oslo");
    assert_string_equal(ref_municipality("NO", "3403")->name, "Hamar");
    assert_null(ref_municipality("SE", "0301"));   /* codes collide across the border: country matters */
    assert_null(ref_municipality("NO", "2411"));   /* SSB's "air space" pseudo-region is no municipality */
    assert_null(ref_municipality("NO", "3001"));   /* Viken's former code */
    int nc, sec = 0, noc = 0;
    const county_t *c = ref_counties(&nc);
    for (int i = 0; i < nc; i++) { if (!strcmp(c[i].country, "SE")) sec++; else noc++; }
    assert_int_equal(sec, 21);
    assert_int_equal(noc, 15);
    assert_string_equal(ref_county("SE", "17")->name, "Värmlands län");
    assert_string_equal(ref_county("NO", "34")->name, "Innlandet");
    assert_string_equal(ref_county("NO", "50")->name, "Trøndelag");   /* Sami name left out */
}

static void nace(void **st) {
    (void)st;
    assert_true(ref_nace_valid("62.010"));
    assert_true(ref_nace_valid("16.232"));  /* Swedish detail group */
    assert_true(ref_nace_valid("16.100"));
    assert_false(ref_nace_valid("99.999"));
    assert_false(ref_nace_valid("62"));
    const char *lang = NULL;
    assert_string_equal(ref_nace_label("16.100", "NO", &lang), "Saging, høvling og impregnering av tre");
    assert_string_equal(lang, "nb");
    assert_string_equal(ref_nace_label("16.232", "SE", &lang), "Tillverkning av dörrar av trä");
    assert_string_equal(lang, "sv");
    /* the fifth digit is national: 16.232 means something else in Norway */
    assert_string_equal(ref_nace_label("16.232", "NO", &lang), "Produksjon av bygningsartikler");
    /* a Swedish-only detail group on a Norwegian organisation falls back to the Swedish label */
    assert_string_equal(ref_nace_label("16.233", "NO", &lang), "Tillverkning av fönster av trä");
    assert_string_equal(lang, "sv");
    assert_string_equal(ref_nace_section("62.010"), "J");
    assert_string_equal(ref_nace_section("16.232"), "C");
    assert_string_equal(ref_section_label("C", "sv"), "Tillverkning");
    assert_string_equal(ref_section_label("C", "nb"), "Industri");
    assert_string_equal(ref_section_label("C", "en"), "Manufacturing");
    assert_true(ref_kind_valid("municipality-region"));
    assert_false(ref_kind_valid("pirate"));
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(municipalities), cmocka_unit_test(nace)};
    return cmocka_run_group_tests_name("reference data", tests, NULL, NULL);
}
