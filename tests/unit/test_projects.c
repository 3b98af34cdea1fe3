/* Projects (projects/projects.h): the fixed-point decimals, the budget arithmetic (flat rates,
 * co-financing, rounding to the cent at the documented steps, conversions at stored rates)
 * against hand-computed examples (the call's flat-rate methods and their rules, reporting periods),
 * the checklist on valid and invalid projects, the workflow
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


/* the flat rates of the call (projects.h, step 2), against hand-computed examples; one partner in EUR */
static proj_partner_info_t EURP[1] = {{9, "lead-se", "confirmed", "SE", "17", "Eda kommun"}};

static const char *cat_of(json_t *t, const char *cat) {
    return json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "sides"), 0), "partners"), 0), "categories"), cat));
}

static void flat_rate_methods(void **st) {
    (void)st;
    const char *miss;
    /* staff 20 % of the other direct costs, office 7 % of the direct costs:
     * travel 10 × 1 000.00 = 10 000.00; external 33 333.33; equipment 3 × 1 111.11 = 3 333.33
     * → other direct costs 46 666.66; staff 20 % = 9 333.332 → 9 333.33;
     * direct costs 9 333.33 + 46 666.66 = 55 999.99; office 7 % = 3 919.9993 → 3 920.00;
     * total 59 919.99 EUR */
    json_t *b = json_pack("{s:[{s:i, s:s, s:i, s:s, s:s, s:s}, {s:i, s:s, s:i, s:s, s:s, s:s}, {s:i, s:s, s:i, s:s, s:s, s:s}], s:{s:s, s:s}}",
                          "lines", "partner", 9, "category", "travel", "period", 1, "units", "10.00", "unit_price", "1000.00", "currency", "EUR",
                          "partner", 9, "category", "external", "period", 1, "units", "1.00", "unit_price", "33333.33", "currency", "EUR",
                          "partner", 9, "category", "equipment", "period", 2, "units", "3.00", "unit_price", "1111.11", "currency", "EUR",
                          "flat_rates", "staff", "20.00", "office_direct", "7.00");
    json_t *t = proj_budget_compute(b, EURP, 1, 0, 100000, "2026-03", &miss);
    assert_non_null(t);
    assert_string_equal(cat_of(t, "staff"), "9333.33");
    assert_string_equal(cat_of(t, "office"), "3920.00");
    assert_string_equal(jpath(t, 0, 0, "total"), "59919.99");
    /* the rates applied, with their bases, in the totals */
    json_t *fl = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "sides"), 0), "partners"), 0), "flat_rates");
    assert_int_equal(json_array_size(fl), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(fl, 0), "rate")), "staff");
    assert_string_equal(json_string_value(json_object_get(json_array_get(fl, 0), "base")), "other-direct-costs");
    assert_string_equal(json_string_value(json_object_get(json_array_get(fl, 0), "base_amount")), "46666.66");
    assert_string_equal(json_string_value(json_object_get(json_array_get(fl, 1), "base")), "direct-costs");
    assert_string_equal(json_string_value(json_object_get(json_array_get(fl, 1), "base_amount")), "55999.99");
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(t, "flat_rates"), 1), "percent")), "7.00");
    json_decref(t);
    json_decref(b);
    /* Aurora's method A: other costs 40 % of staff: 123 × 456.78 = 56 183.94; 40 % = 22 473.576
     * → 22 473.58; total 78 657.52 */
    b = json_pack("{s:[{s:i, s:s, s:i, s:s, s:s, s:s}], s:{s:s}}", "lines", "partner", 9, "category", "staff", "period", 1, "units", "123.00",
                  "unit_price", "456.78", "currency", "EUR", "flat_rates", "other", "40.00");
    t = proj_budget_compute(b, EURP, 1, 0, 100000, "2026-03", &miss);
    assert_string_equal(cat_of(t, "other"), "22473.58");
    assert_string_equal(cat_of(t, "office"), "0.00");
    assert_string_equal(jpath(t, 0, 0, "total"), "78657.52");
    json_decref(t);
    /* method B: office 15 % and travel 15 % of the same staff costs: 8 427.591 → 8 427.59 each; 73 039.12 */
    json_object_set_new(b, "flat_rates", json_pack("{s:s, s:s}", "office", "15.00", "travel", "15.00"));
    t = proj_budget_compute(b, EURP, 1, 0, 100000, "2026-03", &miss);
    assert_string_equal(cat_of(t, "office"), "8427.59");
    assert_string_equal(cat_of(t, "travel"), "8427.59");
    assert_string_equal(cat_of(t, "other"), "0.00");
    assert_string_equal(jpath(t, 0, 0, "total"), "73039.12");
    json_decref(t);
    json_decref(b);
}

/* allowed(programme, JSON of the rates): proj_flat_allowed's answer */
static bool allowed(const char *programme, const char *rates, char *msg) {
    json_t *fr = json_loads(rates, 0, NULL);
    assert_non_null(fr);
    bool ok = proj_flat_allowed("en", programme, fr, msg, 400);
    json_decref(fr);
    return ok;
}

static void flat_rate_rules(void **st) {
    (void)st;
    char msg[400];
    /* programme, rates, allowed, the reason (NULL: not compared) */
    static const struct { const char *prog, *rates; bool ok; const char *why; } cases[] = {
        /* Sverige–Norge: the legal ceilings, a partner may choose lower rates */
        {"interreg-se-no", "{}", true, NULL},
        {"interreg-se-no", "{\"office\": \"15.00\", \"travel\": \"10.00\"}", true, NULL},
        {"interreg-se-no", "{\"staff\": \"20.00\", \"office_direct\": \"7.00\"}", true, NULL},
        {"interreg-se-no", "{\"other\": \"40.00\"}", true, NULL},
        {"interreg-se-no", "{\"office\": \"15.01\"}", false, "Office and administration, % of staff costs: at most 15.00 % in this programme."},
        {"interreg-se-no", "{\"staff\": \"20.50\"}", false, NULL},
        {"interreg-se-no", "{\"other\": \"40.00\", \"travel\": \"15.00\"}", false,
         "The flat rate for other costs covers every cost besides staff: it combines with no other flat rate."},
        {"interreg-se-no", "{\"office\": \"10.00\", \"office_direct\": \"5.00\"}", false,
         "Office and administration is a flat rate of staff costs or of direct costs, not both."},
        {"interreg-se-no", "{\"staff\": \"20.00\", \"travel\": \"15.00\"}", false, NULL},
        /* Aurora: method B (15 % + 15 %) or method A (40 %), at exactly the programme's rates */
        {"interreg-aurora", "{\"office\": \"15.00\", \"travel\": \"15.00\"}", true, NULL},
        {"interreg-aurora", "{\"other\": \"40.00\"}", true, NULL},
        {"interreg-aurora", "{\"office\": \"10.00\"}", false,
         "Office and administration, % of staff costs: the programme's rate is 15.00 %, and a partner may not lower it."},
        {"interreg-aurora", "{\"staff\": \"20.00\"}", false, "Staff costs, % of the other direct costs: the programme's call does not allow this flat rate."},
        {"interreg-aurora", "{\"office_direct\": \"7.00\"}", false, NULL},
        /* a programme without rows of its own: the defaults, lower rates allowed */
        {"npa", "{\"other\": \"35.00\"}", true, NULL},
        {NULL, "{\"office_direct\": \"7.00\"}", true, NULL},
        {NULL, "{\"office_direct\": \"7.01\"}", false, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(allowed(cases[i].prog, cases[i].rates, msg), cases[i].ok);
        if (cases[i].why) assert_string_equal(msg, cases[i].why);
    }
    proj_flat_rule_t ru = proj_flat_rule("interreg-aurora", FLAT_TRAVEL);
    assert_true(ru.allowed);
    assert_false(ru.may_lower);
    assert_int_equal(ru.max_e2, 1500);
    /* the reason in the user's language */
    json_t *fr = json_pack("{s:s, s:s}", "other", "40.00", "office", "15.00");
    assert_false(proj_flat_allowed("sv", "interreg-se-no", fr, msg, sizeof msg));
    assert_string_not_equal(msg, "The flat rate for other costs covers every cost besides staff: it combines with no other flat rate.");
    /* on the checklist: an Aurora project with Sverige–Norge's office 15 % and travel 10 % */
    json_t *doc = json_pack("{s:s, s:s, s:i, s:{s:o}}", "programme", "interreg-aurora", "summary", "x", "duration_months", 12, "budget", "flat_rates", fr);
    json_t *c = proj_checklist("en", doc, P, 3, NULL, false);
    assert_false(ok(c, "flat-rates-allowed"));
    assert_string_equal(json_string_value(json_object_get(item(c, "flat-rates-allowed"), "message")),
                        "The flat rate for other costs covers every cost besides staff: it combines with no other flat rate.");
    assert_false(json_is_true(json_object_get(c, "eligible")));
    json_decref(c);
    json_object_set_new(json_object_get(doc, "budget"), "flat_rates", json_pack("{s:s, s:s}", "office", "15.00", "travel", "10.00"));
    c = proj_checklist("en", doc, P, 3, NULL, false);
    assert_false(ok(c, "flat-rates-allowed"));   /* Aurora's travel rate is 15 %, not lowered */
    json_decref(c);
    json_object_set_new(doc, "programme", json_string("interreg-se-no"));
    c = proj_checklist("en", doc, P, 3, NULL, false);
    assert_true(ok(c, "flat-rates-allowed"));
    json_decref(c);
    json_decref(doc);
}

/* reporting periods: ceil(duration / the call's length); period i from month length×(i−1)+1 to
 * length×i, the last ending at the duration; dates from the planned start */
static void periods(void **st) {
    (void)st;
    assert_int_equal(proj_periods(36, 6), 6);
    assert_int_equal(proj_periods(10, 4), 3);
    assert_int_equal(proj_periods(12, 12), 1);
    assert_int_equal(proj_periods(0, 6), 0);
    int a, b;
    proj_period_months_of(3, 10, 4, &a, &b);
    assert_int_equal(a, 9);
    assert_int_equal(b, 10);   /* the last period ends at the duration */
    proj_period_months_of(2, 10, 4, &a, &b);
    assert_int_equal(a, 5);
    assert_int_equal(b, 8);
    char from[8], to[8];
    assert_true(proj_period_dates("2026-09", 2, 24, 6, from, to));
    assert_string_equal(from, "2027-03");
    assert_string_equal(to, "2027-08");
    assert_true(proj_period_dates("2026-11", 1, 3, 3, from, to));
    assert_string_equal(from, "2026-11");
    assert_string_equal(to, "2027-01");
    assert_true(proj_period_dates("2026-09", 3, 14, 6, from, to));   /* months 13–14 */
    assert_string_equal(from, "2027-09");
    assert_string_equal(to, "2027-10");
    assert_false(proj_period_dates("2026-9", 1, 6, 6, from, to));
    /* the programme's length (data/ref/interreg-call-rules.csv), or the call's typed on the project */
    assert_int_equal(proj_period_months("interreg-se-no"), 6);
    assert_int_equal(proj_period_months("interreg-aurora"), 6);
    assert_int_equal(proj_period_months(NULL), 6);
    json_t *doc = json_pack("{s:s, s:s, s:i, s:i, s:{s:[{s:i, s:s, s:i, s:s, s:s, s:s}]}}", "programme", "interreg-se-no", "summary", "x",
                            "duration_months", 12, "period_months", 4, "budget", "lines", "partner", 1, "category", "staff", "period", 3,
                            "units", "1.00", "unit_price", "1.00", "currency", "SEK");
    assert_int_equal(proj_doc_period_months(doc), 4);
    json_t *c = proj_checklist("en", doc, P, 3, NULL, false);
    assert_true(ok(c, "periods-within-duration"));   /* 12 months of 4: three periods */
    json_decref(c);
    json_object_del(doc, "period_months");
    c = proj_checklist("en", doc, P, 3, NULL, false);
    assert_false(ok(c, "periods-within-duration"));   /* 12 months of 6: two */
    json_decref(c);
    /* lump sums in the preparation and the closure are always within */
    json_object_set_new(json_object_get(doc, "budget"), "lines", json_array());
    json_object_set_new(json_object_get(doc, "budget"), "lump_sums",
                        json_pack("[{s:i, s:s, s:s, s:s, s:s}, {s:i, s:s, s:s, s:s, s:s}]", "partner", 1, "period", "preparation", "description", "Prep",
                                  "amount", "1000.00", "currency", "SEK", "partner", 1, "period", "closure", "description", "Close", "amount", "250.50", "currency", "SEK"));
    c = proj_checklist("en", doc, P, 3, NULL, false);
    assert_true(ok(c, "periods-within-duration"));
    json_decref(c);
    const char *miss;
    json_t *t = proj_budget_compute(json_object_get(doc, "budget"), P, 3, 106730, 100000, "2026-03", &miss);
    json_t *per = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(t, "sides"), 0), "partners"), 0), "periods");
    assert_string_equal(json_string_value(json_object_get(per, "preparation")), "1000.00");
    assert_string_equal(json_string_value(json_object_get(per, "closure")), "250.50");
    assert_string_equal(jpath(t, 0, 0, "total"), "1250.50");
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
    assert_int_equal(proj_periods(24, 6), 4);
    assert_int_equal(proj_periods(25, 6), 5);
    assert_int_equal(proj_periods(6, 6), 1);
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
        cmocka_unit_test(flat_rate_methods),
        cmocka_unit_test(flat_rate_rules),
        cmocka_unit_test(periods),
    };
    return cmocka_run_group_tests_name("projects", tests, NULL, NULL);
}
