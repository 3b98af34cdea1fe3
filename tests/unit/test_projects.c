/* Projects (projects/projects.h): the fixed-point decimals, the budget arithmetic (flat rates,
 * co-financing, rounding to the cent at the documented steps, conversions at stored rates)
 * against hand-computed examples, the checklist on valid and invalid projects, the workflow
 * and the programme areas. The store, pages and API are tested over HTTP
 * (tests/http/projects.test.mjs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "i18n/i18n.h"
#include "projects/projects.h"

static void decimals(void **st) {
    (void)st;
    int64_t v;
    assert_true(dec_parse("0", 2, 1000, &v));
    assert_int_equal(v, 0);
    assert_true(dec_parse("12.5", 2, 100000, &v));
    assert_int_equal(v, 1250);
    assert_true(dec_parse("12.05", 2, 100000, &v));
    assert_int_equal(v, 1205);
    assert_true(dec_parse("10.673", 4, 1000000, &v));
    assert_int_equal(v, 106730);
    /* refused: signs, exponents, too many decimals, empty parts, spaces, commas, above max */
    const char *bad[] = {"-1", "+1", "1e3", "1.234", ".5", "5.", "", " 1", "1 ", "1,5", "0x10", "1.2.3", "NaN", NULL};
    for (int i = 0; bad[i]; i++) assert_false(dec_parse(bad[i], 2, INT64_MAX, &v));
    assert_false(dec_parse("10.01", 2, 1000, &v));
    assert_true(dec_parse("10.00", 2, 1000, &v));
    assert_false(dec_parse("1234567890123456", 2, INT64_MAX, &v)); /* more than 15 digits */
    char b[32];
    assert_string_equal(dec_fmt(b, sizeof b, 123450, 2), "1234.50");
    assert_string_equal(dec_fmt(b, sizeof b, 5, 2), "0.05");
    assert_string_equal(dec_fmt(b, sizeof b, -5, 2), "-0.05");
    assert_string_equal(dec_fmt(b, sizeof b, 100000, 4), "10.0000");
    assert_string_equal(dec_fmt(b, sizeof b, 7, 0), "7");
}

static void rounding(void **st) {
    (void)st;
    /* units × unit price, half away from zero to the cent */
    assert_int_equal(money_mul(3350, 61240), 2051540);    /* 33.50 × 612.40 = 20 515.40 */
    assert_int_equal(money_mul(150, 333), 500);           /* 1.50 × 3.33 = 4.995 → 5.00 */
    assert_int_equal(money_mul(150, 331), 497);           /* 1.50 × 3.31 = 4.965 → 4.97 */
    assert_int_equal(money_mul(101, 101), 102);           /* 1.01 × 1.01 = 1.0201 → 1.02 */
    /* percentages: 15 % of 20 515.40 = 3 077.31; 12.5 % of 0.04 = 0.005 → 0.01 */
    assert_int_equal(money_pct(2051540, 1500), 307731);
    assert_int_equal(money_pct(4, 1250), 1);
    assert_int_equal(money_pct(3, 1250), 0);              /* 0.00375 → 0.00 */
    /* conversions: 75 595.67 SEK at 10.6730 = 7 082.888… → 7 082.89 EUR; NOK at 10 */
    assert_int_equal(money_to_eur(7559567, 106730), 708289);
    assert_int_equal(money_to_eur(2559269, 100000), 255927);
    assert_int_equal(money_to_eur(5, 100000), 1);         /* 0.05 NOK = 0.005 EUR → 0.01 */
    assert_int_equal(money_to_eur(4, 100000), 0);
    assert_int_equal(money_to_eur(100, 0), 0);            /* no rate: no figure (the caller says so) */
    /* large amounts do not overflow: 10^13 SEK in öre at 11.1234 */
    assert_int_equal(money_to_eur(1000000000000000LL, 111234), 89900569969614LL);
}

static proj_partner_info_t P[3] = {
    {1, "lead-se", "confirmed", "SE", "17", "Visit Värmland"},
    {2, "lead-no", "confirmed", "NO", "34", "Innlandet fylkeskommune"},
    {3, "partner", "confirmed", "SE", "17", "Eda kommun"},
};

static json_t *example_budget(void) {
    return json_pack("{s:[{s:i, s:s, s:i, s:s, s:s, s:s}, {s:i, s:s, s:i, s:s, s:s, s:s}, {s:i, s:s, s:i, s:s, s:s, s:s},"
                     "{s:i, s:s, s:i, s:s, s:s, s:s}, {s:i, s:s, s:i, s:s, s:s, s:s}],"
                     "s:{s:s, s:s}, s:[{s:i, s:s, s:s}, {s:i, s:s, s:s}, {s:i, s:s, s:s}, {s:i, s:s, s:s}, {s:i, s:s, s:s}], s:{s:s, s:s}}",
                     "lines",
                     "partner", 1, "category", "staff", "period", 1, "units", "800.00", "unit_price", "550.00", "currency", "SEK",
                     "partner", 1, "category", "external", "period", 2, "units", "1.00", "unit_price", "120000.00", "currency", "SEK",
                     "partner", 2, "category", "staff", "period", 1, "units", "700.00", "unit_price", "620.00", "currency", "NOK",
                     "partner", 2, "category", "equipment", "period", 2, "units", "4.00", "unit_price", "12500.00", "currency", "NOK",
                     "partner", 3, "category", "staff", "period", 2, "units", "333.33", "unit_price", "480.15", "currency", "EUR",
                     "flat_rates", "office", "15.00", "travel", "10.00",
                     "cofinancing", "partner", 1, "source", "ERDF", "percent", "60.00", "partner", 1, "source", "Region", "percent", "40.00",
                     "partner", 2, "source", "IR", "percent", "50.00", "partner", 2, "source", "Fylket", "percent", "50.00",
                     "partner", 3, "source", "ERDF", "percent", "100.00",
                     "funding", "erdf", "60.00", "ir", "50.00");
}

static const char *jpath(json_t *t, int side, int partner, const char *key) {
    json_t *s = json_array_get(json_object_get(t, "sides"), (size_t)side);
    if (partner < 0) return json_string_value(json_object_get(s, key));
    return json_string_value(json_object_get(json_array_get(json_object_get(s, "partners"), (size_t)partner), key));
}

static void budget(void **st) {
    (void)st;
    json_t *b = example_budget();
    const char *miss;
    json_t *t = proj_budget_compute(b, P, 3, 106730, 100000, "2026-03", &miss);
    assert_non_null(t);
    assert_null(miss);
    /* Visit Värmland (SEK): staff 800 × 550 = 440 000.00; external 120 000.00;
     * office 15 % of staff = 66 000.00; travel 10 % = 44 000.00 → 670 000.00 SEK;
     * at 10.6730: 62 775.23 EUR (62 775.2271…) */
    json_t *cats = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "sides"), 0), "partners"), 0), "categories");
    assert_string_equal(json_string_value(json_object_get(cats, "staff")), "440000.00");
    assert_string_equal(json_string_value(json_object_get(cats, "office")), "66000.00");
    assert_string_equal(json_string_value(json_object_get(cats, "travel")), "44000.00");
    assert_string_equal(json_string_value(json_object_get(cats, "infrastructure")), "0.00");
    assert_string_equal(jpath(t, 0, 0, "total"), "670000.00");
    assert_string_equal(jpath(t, 0, 0, "total_eur"), "62775.23");
    assert_string_equal(jpath(t, 0, 0, "rate"), "10.6730");
    assert_string_equal(jpath(t, 0, 0, "rate_source"), "commission");
    assert_string_equal(jpath(t, 0, 0, "rate_month"), "2026-03");
    /* Eda kommun (EUR): staff 333.33 × 480.15 = 160 048.3995 → 160 048.40; office 15 % =
     * 24 007.26; travel 10 % = 16 004.84 → 200 060.50 EUR, no conversion */
    assert_string_equal(jpath(t, 0, 1, "total"), "200060.50");
    assert_string_equal(jpath(t, 0, 1, "total_eur"), "200060.50");
    assert_string_equal(jpath(t, 0, 1, "rate"), "1.0000");
    /* Swedish side: 62 775.23 + 200 060.50 = 262 835.73 EUR; ERDF 60 % = 157 701.438 → 157 701.44 */
    assert_string_equal(jpath(t, 0, -1, "total"), "262835.73");
    assert_string_equal(jpath(t, 0, -1, "funding"), "157701.44");
    assert_string_equal(jpath(t, 0, -1, "other_funding"), "105134.29");
    /* Innlandet (NOK): staff 434 000.00; equipment 50 000.00; office 65 100.00; travel 43 400.00
     * → 592 500.00 NOK = 59 250.00 EUR at 10; IR 50 % = 296 250.00 NOK */
    assert_string_equal(jpath(t, 1, 0, "total"), "592500.00");
    assert_string_equal(jpath(t, 1, 0, "total_eur"), "59250.00");
    assert_string_equal(jpath(t, 1, 0, "rate_source"), "programme-fixed");
    assert_string_equal(jpath(t, 1, -1, "currency"), "NOK");
    assert_string_equal(jpath(t, 1, -1, "funding"), "296250.00");
    /* the project: 262 835.73 + 59 250.00 */
    assert_string_equal(json_string_value(json_object_get(t, "total_eur")), "322085.73");
    /* periods: direct lines only */
    json_t *per = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "sides"), 0), "partners"), 0), "periods");
    assert_string_equal(json_string_value(json_object_get(per, "1")), "440000.00");
    assert_string_equal(json_string_value(json_object_get(per, "2")), "120000.00");
    json_decref(t);
    /* a missing SEK rate is said, not guessed */
    t = proj_budget_compute(b, P, 3, 0, 100000, "2031-01", &miss);
    assert_null(t);
    assert_string_equal(miss, "SEK");
    /* an associated or declined partner has no place in the totals */
    proj_partner_info_t q[3] = {P[0], P[1], P[2]};
    q[2].state = "declined";
    t = proj_budget_compute(b, q, 3, 106730, 100000, "2026-03", &miss);
    assert_string_equal(jpath(t, 0, -1, "total"), "62775.23");
    json_decref(t);
    json_decref(b);
}

/* lump sums: an amount each, in the partner's own currency, added after the flat rates (which stay
 * a share of the staff costs) and converted with the rest of the partner's total */
static void lump_sums(void **st) {
    (void)st;
    json_t *b = example_budget();
    json_object_set_new(b, "lump_sums", json_pack("[{s:i, s:i, s:s, s:s, s:s}, {s:i, s:i, s:s, s:s, s:s}]", "partner", 1, "period", 1, "description",
                                                  "Preparation", "amount", "25000.50", "currency", "SEK", "partner", 2, "period", 2, "description", "Testbed",
                                                  "amount", "30000.00", "currency", "NOK"));
    const char *miss;
    json_t *t = proj_budget_compute(b, P, 3, 106730, 100000, "2026-03", &miss);
    assert_non_null(t);
    /* Visit Värmland: 670 000.00 + 25 000.50 = 695 000.50 SEK (office and travel unchanged:
     * 15 % and 10 % of the 440 000.00 staff costs); at 10.6730: 65 117.63 EUR (65 117.6333…) */
    json_t *cats = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "sides"), 0), "partners"), 0), "categories");
    assert_string_equal(json_string_value(json_object_get(cats, "lump_sum")), "25000.50");
    assert_string_equal(json_string_value(json_object_get(cats, "office")), "66000.00");
    assert_string_equal(jpath(t, 0, 0, "total"), "695000.50");
    assert_string_equal(jpath(t, 0, 0, "total_eur"), "65117.63");
    json_t *per = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "sides"), 0), "partners"), 0), "periods");
    assert_string_equal(json_string_value(json_object_get(per, "1")), "465000.50");
    /* Innlandet: 592 500.00 + 30 000.00 = 622 500.00 NOK = 62 250.00 EUR; IR 50 % = 311 250.00 NOK */
    assert_string_equal(jpath(t, 1, 0, "total"), "622500.00");
    assert_string_equal(jpath(t, 1, 0, "total_eur"), "62250.00");
    assert_string_equal(jpath(t, 1, -1, "funding"), "311250.00");
    /* the project: 65 117.63 + 200 060.50 + 62 250.00 */
    assert_string_equal(json_string_value(json_object_get(t, "total_eur")), "327428.13");
    json_decref(t);
    json_decref(b);
}

/* a main project names an output and a result indicator; other types need not */
static void indicators_rule(void **st) {
    (void)st;
    json_t *doc = json_pack("{s:s, s:s, s:i, s:[{s:s, s:s}]}", "programme", "interreg-se-no", "type", "main", "duration_months", 24, "indicators",
                            "code", "RCO87", "target", "3.00");
    json_t *c = proj_checklist("en", doc, P, 3, NULL, false);
    json_t *x;
    size_t i;
    int seen = 0;
    json_array_foreach(json_object_get(c, "items"), i, x)
        if (!strcmp(json_string_value(json_object_get(x, "code")), "indicators")) { seen++; assert_false(json_is_true(json_object_get(x, "ok"))); }
    assert_int_equal(seen, 1);
    json_decref(c);
    json_array_append_new(json_object_get(doc, "indicators"), json_pack("{s:s, s:s}", "code", "RCR84", "target", "3.00"));
    c = proj_checklist("en", doc, P, 3, NULL, false);
    json_array_foreach(json_object_get(c, "items"), i, x)
        if (!strcmp(json_string_value(json_object_get(x, "code")), "indicators")) assert_true(json_is_true(json_object_get(x, "ok")));
    json_decref(c);
    json_object_set_new(doc, "type", json_string("small"));
    json_array_clear(json_object_get(doc, "indicators"));
    c = proj_checklist("en", doc, P, 3, NULL, false);
    json_array_foreach(json_object_get(c, "items"), i, x) assert_string_not_equal(json_string_value(json_object_get(x, "code")), "indicators");
    json_decref(c);
    json_decref(doc);
    /* the EU list: kinds and units, an unknown code */
    const char *kind, *unit;
    assert_string_equal(proj_indicator("RCR84", &kind, &unit), "Organisations cooperating across borders after project completion");
    assert_string_equal(kind, "result");
    assert_string_equal(unit, "organisations");
    assert_null(proj_indicator("RCO999", &kind, &unit));
    assert_int_equal(proj_indicator_count(), 161);
}

static void workflow_moves(void **st) {
    (void)st;
    assert_true(proj_move_allowed("drafting", "submitted"));
    assert_true(proj_move_allowed("submitted", "approved-with-conditions"));
    assert_false(proj_move_allowed("idea", "submitted"));
    assert_false(proj_move_allowed("drafting", "draft"));     /* a prefix of a status is not one */
    assert_false(proj_move_allowed("idea>seeking-partners idea", "drafting"));
    assert_false(proj_move_allowed(NULL, "idea"));
    assert_false(proj_move_allowed("closed", "running"));
}

static json_t *item(json_t *c, const char *code) {
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(c, "items"), i, x) if (!strcmp(json_string_value(json_object_get(x, "code")), code)) return x;
    return NULL;
}

static bool ok(json_t *c, const char *code) {
    json_t *x = item(c, code);
    assert_non_null(x);
    return json_is_true(json_object_get(x, "ok"));
}

static void checklist(void **st) {
    (void)st;
    json_t *doc = json_pack("{s:s, s:s, s:i, s:[s], s:s, s:o}", "programme", "interreg-se-no", "summary", "Tourism in the Finnskog.", "duration_months", 24,
                            "cross_border", "border-as-resource", "cross_border_justification", "One forest.", "budget", example_budget());
    const char *miss;
    json_t *t = proj_budget_compute(json_object_get(doc, "budget"), P, 3, 106730, 100000, "2026-03", &miss);
    json_t *c = proj_checklist("en", doc, P, 3, t, false);
    assert_true(json_is_true(json_object_get(c, "eligible")));
    json_decref(c);
    /* in Swedish */
    c = proj_checklist("sv", doc, P, 3, t, false);
    assert_string_not_equal(json_string_value(json_object_get(item(c, "both-countries"), "message")), "At least one Swedish and one Norwegian partner.");
    json_decref(c);
    /* 99.99 %: one co-financing line short of 100 */
    json_t *cof = json_object_get(json_object_get(doc, "budget"), "cofinancing");
    json_object_set_new(json_array_get(cof, 1), "percent", json_string("39.99"));
    c = proj_checklist("en", doc, P, 3, t, false);
    assert_false(ok(c, "cofinancing-100"));
    assert_false(json_is_true(json_object_get(c, "eligible")));
    json_decref(c);
    json_object_set_new(json_array_get(cof, 1), "percent", json_string("40.00"));
    /* only Swedish partners; no Norwegian lead */
    proj_partner_info_t se[2] = {P[0], P[2]};
    c = proj_checklist("en", doc, se, 2, t, false);
    assert_false(ok(c, "both-countries"));
    assert_false(ok(c, "lead-partners"));
    json_decref(c);
    /* a pending invitation; a partner outside the area with most of the budget (Bergen: 46) */
    proj_partner_info_t q[3] = {P[0], P[1], P[2]};
    q[1].state = "invited";
    c = proj_checklist("en", doc, q, 3, t, false);
    assert_false(ok(c, "partners-confirmed"));
    assert_true(ok(c, "programme-area"));
    json_decref(c);
    q[1].state = "confirmed";
    q[2].county = "01";   /* Stockholm: outside; Eda's 200 060.50 of 322 085.73 EUR is over 20 % */
    c = proj_checklist("en", doc, q, 3, t, false);
    assert_false(ok(c, "programme-area"));
    json_decref(c);
    q[2] = P[2];
    q[1].county = "46";   /* Vestland: outside, 59 250.00 of 322 085.73 = 18.4 %: allowed */
    c = proj_checklist("en", doc, q, 3, t, false);
    assert_true(ok(c, "programme-area"));
    json_decref(c);
    /* the work plan: an activity without partners; one beyond the duration */
    json_t *wp = json_pack("[{s:s, s:[{s:s, s:i, s:i, s:[i]}, {s:s, s:i, s:i, s:[]}]}]", "title", "WP1", "activities", "title", "Map", "start", 1, "end", 2,
                           "partners", 1, "title", "Walk", "start", 3, "end", 4, "partners");
    json_object_set_new(doc, "work_plan", wp);
    c = proj_checklist("en", doc, P, 3, t, false);
    assert_false(ok(c, "activities-partner"));
    assert_true(ok(c, "periods-within-duration"));   /* 24 months: 4 periods */
    json_decref(c);
    json_object_set_new(json_array_get(json_object_get(json_array_get(wp, 0), "activities"), 1), "partners", json_pack("[i]", 2));
    json_object_set_new(json_array_get(json_object_get(json_array_get(wp, 0), "activities"), 1), "end", json_integer(5));
    c = proj_checklist("en", doc, P, 3, t, false);
    assert_true(ok(c, "activities-partner"));
    assert_false(ok(c, "periods-within-duration"));
    json_decref(c);
    json_object_del(doc, "work_plan");
    /* no criterion; a summary over the form's limit; a line after the last period; no rate */
    json_object_set_new(doc, "cross_border", json_array());
    char *longtext = malloc(2100);
    memset(longtext, 'a', 2050);
    longtext[2050] = 0;
    json_object_set_new(doc, "summary", json_string(longtext));
    free(longtext);
    json_object_set_new(doc, "duration_months", json_integer(6));   /* one period; lines use period 2 */
    c = proj_checklist("en", doc, P, 3, NULL, true);
    assert_false(ok(c, "cross-border-criterion"));
    assert_false(ok(c, "text-limits"));
    assert_false(ok(c, "periods-within-duration"));
    assert_false(ok(c, "rate-available"));
    json_decref(c);
    json_decref(t);
    json_decref(doc);
}

static void workflow_and_areas(void **st) {
    (void)st;
    assert_true(proj_move_allowed("idea", "seeking-partners"));
    assert_true(proj_move_allowed("drafting", "submitted"));
    assert_true(proj_move_allowed("submitted", "approved-with-conditions"));
    assert_true(proj_move_allowed("approved", "running"));
    assert_true(proj_move_allowed("running", "closed"));
    assert_false(proj_move_allowed("idea", "submitted"));
    assert_false(proj_move_allowed("idea", "approved"));
    assert_false(proj_move_allowed("closed", "running"));
    assert_false(proj_move_allowed("withdrawn", "idea"));
    assert_false(proj_move_allowed("running", "running"));
    for (int i = 0; proj_statuses[i]; i++) assert_false(proj_move_allowed(proj_statuses[i], proj_statuses[i]));
    assert_string_not_equal(proj_status_label("seeking-partners", "sv"), "Seeking partners");
    assert_int_equal(proj_periods(24), 4);
    assert_int_equal(proj_periods(25), 5);
    assert_int_equal(proj_periods(6), 1);
    assert_int_equal(proj_fixed_nok_rate("interreg-se-no"), 100000);
    assert_int_equal(proj_fixed_nok_rate("interreg-nord"), 82000);
    /* Sverige–Norge: Värmland (17), Innlandet (34), Trøndelag (50) in; Stockholm (01), Vestland (46) out */
    assert_true(proj_in_area("interreg-se-no", "SE", "17"));
    assert_true(proj_in_area("interreg-se-no", "NO", "34"));
    assert_true(proj_in_area("interreg-se-no", "NO", "50"));
    assert_false(proj_in_area("interreg-se-no", "SE", "01"));
    assert_false(proj_in_area("interreg-se-no", "NO", "46"));
    assert_true(proj_in_area("interreg-aurora", "SE", "25"));
    assert_false(proj_in_area("interreg-aurora", "SE", "17"));
    assert_true(proj_in_area("npa", "SE", "01"));   /* no area list: not checked here */
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decimals),
        cmocka_unit_test(rounding),
        cmocka_unit_test(budget),
        cmocka_unit_test(checklist),
        cmocka_unit_test(lump_sums),
        cmocka_unit_test(indicators_rule),
        cmocka_unit_test(workflow_moves),
        cmocka_unit_test(workflow_and_areas),
    };
    return cmocka_run_group_tests_name("projects", tests, NULL, NULL);
}
