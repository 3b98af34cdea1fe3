/* Exact money, the budget totals and the eligibility checklist (projects.h): pure functions
 * over plain data, so the unit tests and the benchmark need no store. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/embedded.h"
#include "core/util.h"
#include "i18n/i18n.h"
#include "projects/projects.h"

/* ---- fixed point ---- */
bool dec_parse(const char *s, int scale, int64_t max, int64_t *out) {
    if (!s || !*s || scale < 0 || scale > 4) return false;
    int64_t whole = 0, frac = 0;
    int nd = 0, nf = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, nd++) {
        if (nd >= 15) return false;
        whole = whole * 10 + (*p - '0');
    }
    if (!nd) return false;
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, nf++) {
            if (nf >= scale) return false;
            frac = frac * 10 + (*p - '0');
        }
        if (!nf) return false;
    }
    if (*p) return false;
    for (int i = nf; i < scale; i++) frac *= 10;
    int64_t unit = 1;
    for (int i = 0; i < scale; i++) unit *= 10;
    if (whole > max / unit) return false;
    int64_t v = whole * unit + frac;
    if (v > max) return false;
    *out = v;
    return true;
}

const char *dec_fmt(char *buf, size_t n, int64_t v, int scale) {
    int64_t unit = 1;
    for (int i = 0; i < scale; i++) unit *= 10;
    bool neg = v < 0;
    uint64_t a = neg ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    if (scale) snprintf(buf, n, "%s%llu.%0*llu", neg ? "-" : "", (unsigned long long)(a / (uint64_t)unit), scale,
                        (unsigned long long)(a % (uint64_t)unit));
    else snprintf(buf, n, "%s%llu", neg ? "-" : "", (unsigned long long)a);
    return buf;
}

/* divround: n / d rounded half away from zero (d > 0) */
static int64_t divround(__int128 n, __int128 d) {
    __int128 q = (n < 0 ? -n : n) * 2 + d;
    q /= 2 * d;
    return (int64_t)(n < 0 ? -q : q);
}

int64_t money_mul(int64_t a_e2, int64_t b_e2) { return divround((__int128)a_e2 * b_e2, 100); }
int64_t money_pct(int64_t cents, int64_t pct_e2) { return divround((__int128)cents * pct_e2, 10000); }
int64_t money_to_eur(int64_t cents, int64_t per_eur_e4) { return per_eur_e4 > 0 ? divround((__int128)cents * 10000, per_eur_e4) : 0; }

/* ---- reference data ---- */
const char *const proj_categories[CAT_N] = {"staff", "office", "travel", "external", "equipment", "infrastructure", "lump_sum", "other"};
const char *const proj_category_labels[CAT_N] = {N_("Staff costs"), N_("Office and administration"), N_("Travel and accommodation"),
                                                 N_("External expertise and services"), N_("Equipment"), N_("Infrastructure and works"),
                                                 N_("Lump sums"), N_("Other costs (flat rate)")};

int proj_category(const char *s) {
    for (int i = 0; s && i < CAT_N; i++) if (!strcmp(s, proj_categories[i])) return i;
    return -1;
}

int proj_periods(int duration_months, int period_months) {
    if (period_months < 1) period_months = 6;
    return duration_months <= 0 ? 0 : (duration_months + period_months - 1) / period_months;
}

void proj_period_months_of(int i, int duration_months, int period_months, int *first, int *last) {
    if (period_months < 1) period_months = 6;
    *first = period_months * (i - 1) + 1;
    *last = period_months * i;
    if (*last > duration_months && i == proj_periods(duration_months, period_months)) *last = duration_months;
}

/* month_add: "YYYY-MM" plus n months (n >= 0) into out */
static bool month_add(const char *start, int n, char *out) {
    int y, m;
    if (!start || strlen(start) != 7 || sscanf(start, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12) return false;
    int k = y * 12 + (m - 1) + n;
    char b[24];
    snprintf(b, sizeof b, "%04d-%02d", (k / 12) % 10000, k % 12 + 1);
    memcpy(out, b, 8);
    return true;
}

bool proj_period_dates(const char *start, int i, int duration_months, int period_months, char *from, char *to) {
    int first, last;
    proj_period_months_of(i, duration_months, period_months, &first, &last);
    return month_add(start, first - 1, from) && month_add(start, last - 1, to);
}

int64_t proj_fixed_nok_rate(const char *programme) {
    /* data/interreg/currency-rules.csv: 10 NOK/EUR for Sverige–Norge and Aurora 2021–27;
     * Interreg Nord 8.20 (DOMAIN.md); others use the Commission's rate like SEK (0 here). */
    if (streq(programme, "interreg-se-no") || streq(programme, "interreg-aurora")) return 100000;
    if (streq(programme, "interreg-nord")) return 82000;
    return 100000;
}

/* the programme areas: programme, country, county code (data/ref/interreg-programme-areas.csv) */
typedef struct area { char prog[24], country[3], county[3]; } area_t;
static area_t areas[64];
static int nareas;
static pthread_once_t areas_once = PTHREAD_ONCE_INIT;

/* csv_field: the k-th field of a CSV line (quotes honoured) into out */
static void csv_field(const char *line, int k, char *out, size_t n) {
    int f = 0;
    size_t o = 0;
    bool q = false;
    for (const char *p = line; *p && *p != '\n' && *p != '\r'; p++) {
        if (*p == '"') { q = !q; continue; }
        if (*p == ',' && !q) { if (f++ == k) break; continue; }
        if (f == k && o + 1 < n) out[o++] = *p;
    }
    out[o] = 0;
}

/* csv_each: fn on each line after the header of an embedded CSV file, while fn returns true */
static void csv_each(const char *path, bool (*fn)(const char *line)) {
    const struct embedded_file *f = embedded_find(path);
    for (const char *line = f ? strchr(f->data, '\n') : NULL; line && *++line; line = strchr(line, '\n'))
        if (!fn(line)) return;
}

static bool area_line(const char *line) {
    char prog[64], country[8], code[8];
    csv_field(line, 0, prog, sizeof prog);
    csv_field(line, 3, country, sizeof country);
    csv_field(line, 5, code, sizeof code);
    const char *slug = streq(prog, "Interreg Sverige-Norge") ? "interreg-se-no" : streq(prog, "Interreg Aurora") ? "interreg-aurora" : NULL;
    if (slug && strlen(code) == 2 && strlen(country) == 2) {
        area_t *a = &areas[nareas++];
        snprintf(a->prog, sizeof a->prog, "%s", slug);
        memcpy(a->country, country, 3);
        memcpy(a->county, code, 3);
    }
    return nareas < 64;
}
static void areas_load(void) { csv_each("data/ref/interreg-programme-areas.csv", area_line); }

bool proj_in_area(const char *programme, const char *country, const char *county) {
    pthread_once(&areas_once, areas_load);
    bool listed = false;
    for (int i = 0; i < nareas; i++) {
        if (!streq(areas[i].prog, programme)) continue;
        listed = true;
        if (streq(areas[i].country, country) && streq(areas[i].county, county)) return true;
    }
    return !listed;
}

/* ---- the call's rules: programme, rule, value, partner_may_lower (data/ref/interreg-call-rules.csv) ---- */
const char *const proj_flat_keys[FLAT_N] = {"staff", "office", "office_direct", "travel", "other"};
const char *const proj_flat_labels[FLAT_N] = {N_("Staff costs, % of the other direct costs"), N_("Office and administration, % of staff costs"),
                                              N_("Office and administration, % of direct costs"), N_("Travel and accommodation, % of staff costs"),
                                              N_("Other costs, % of staff costs")};
const char *const proj_flat_bases[FLAT_N] = {"other-direct-costs", "staff", "direct-costs", "staff", "staff"};
const proj_cat_t proj_flat_category[FLAT_N] = {CAT_STAFF, CAT_OFFICE, CAT_OFFICE, CAT_TRAVEL, CAT_OTHER};

int proj_flat_key(const char *s) {
    for (int f = 0; s && f < FLAT_N; f++) if (!strcmp(s, proj_flat_keys[f])) return f;
    return -1;
}

enum { RULE_PERIOD = -1, MAX_RULES = 96 };
typedef struct rule { char prog[24]; int what; int64_t value; bool may_lower; } rule_t;  /* what: a FLAT_ or RULE_PERIOD */
static rule_t rules[MAX_RULES];
static int nrules;
static pthread_once_t rules_once = PTHREAD_ONCE_INIT;

static bool rule_line(const char *line) {
    char prog[32], what[24], value[16], lower[8];
    csv_field(line, 0, prog, sizeof prog);
    csv_field(line, 1, what, sizeof what);
    csv_field(line, 2, value, sizeof value);
    csv_field(line, 3, lower, sizeof lower);
    int64_t v;
    int w = streq(what, "period_months") ? RULE_PERIOD : proj_flat_key(what);
    if (!*prog || strlen(prog) >= sizeof rules[0].prog || (w == -1 && !streq(what, "period_months"))) return true;
    if (!dec_parse(value, w == RULE_PERIOD ? 0 : 2, w == RULE_PERIOD ? PROJ_MAX_PERIOD_MONTHS : 10000, &v) || (w == RULE_PERIOD && v < 1)) return true;
    rule_t *r = &rules[nrules++];
    memcpy(r->prog, prog, strlen(prog) + 1);   /* shorter than r->prog: checked above */
    r->what = w;
    r->value = v;
    r->may_lower = streq(lower, "yes");
    return nrules < MAX_RULES;
}
static void rules_load(void) { csv_each("data/ref/interreg-call-rules.csv", rule_line); }

/* rule_find: the programme's row for what, else (when the programme has no row of that kind) the "*" row */
static const rule_t *rule_find(const char *programme, int what) {
    pthread_once(&rules_once, rules_load);
    bool own = false;
    for (int i = 0; i < nrules; i++)
        if (programme && streq(rules[i].prog, programme) && (rules[i].what == RULE_PERIOD) == (what == RULE_PERIOD)) {
            own = true;
            if (rules[i].what == what) return &rules[i];
        }
    if (own) return NULL;
    for (int i = 0; i < nrules; i++) if (streq(rules[i].prog, "*") && rules[i].what == what) return &rules[i];
    return NULL;
}

proj_flat_rule_t proj_flat_rule(const char *programme, int f) {
    const rule_t *r = f >= 0 && f < FLAT_N ? rule_find(programme, f) : NULL;
    return r ? (proj_flat_rule_t){true, r->may_lower, r->value} : (proj_flat_rule_t){false, false, 0};
}

int proj_period_months(const char *programme) {
    const rule_t *r = rule_find(programme, RULE_PERIOD);
    return r ? (int)r->value : 6;
}

int proj_doc_period_months(json_t *doc) {
    json_t *pm = json_object_get(doc, "period_months");
    if (json_is_integer(pm) && json_integer_value(pm) >= 1 && json_integer_value(pm) <= PROJ_MAX_PERIOD_MONTHS) return (int)json_integer_value(pm);
    return proj_period_months(json_string_value(json_object_get(doc, "programme")));
}

void proj_flat_rates(json_t *fr, bool set[FLAT_N], int64_t rate[FLAT_N]) {
    for (int f = 0; f < FLAT_N; f++) {
        rate[f] = 0;
        set[f] = dec_parse(json_string_value(json_object_get(fr, proj_flat_keys[f])), 2, 10000, &rate[f]);
    }
}

bool proj_flat_allowed(const char *lang, const char *programme, json_t *fr, char *msg, size_t n) {
    bool set[FLAT_N];
    int64_t rate[FLAT_N];
    proj_flat_rates(fr, set, rate);
    int others = set[FLAT_STAFF] + set[FLAT_OFFICE] + set[FLAT_OFFICE_DIRECT] + set[FLAT_TRAVEL];
    char b[32];
    if (set[FLAT_OTHER] && others) {
        snprintf(msg, n, "%s", tr(lang, N_("The flat rate for other costs covers every cost besides staff: it combines with no other flat rate.")));
        return false;
    }
    if (set[FLAT_OFFICE] && set[FLAT_OFFICE_DIRECT]) {
        snprintf(msg, n, "%s", tr(lang, N_("Office and administration is a flat rate of staff costs or of direct costs, not both.")));
        return false;
    }
    if (set[FLAT_STAFF] && set[FLAT_TRAVEL]) {
        snprintf(msg, n, "%s", tr(lang, N_("Travel cannot be a share of staff costs when the staff costs are themselves a flat rate of the other direct costs.")));
        return false;
    }
    for (int f = 0; f < FLAT_N; f++) {
        if (!set[f]) continue;
        proj_flat_rule_t r = proj_flat_rule(programme, f);
        if (!r.allowed) {
            snprintf(msg, n, tr(lang, N_("%s: the programme's call does not allow this flat rate.")), tr(lang, proj_flat_labels[f]));
            return false;
        }
        if (rate[f] > r.max_e2) {
            snprintf(msg, n, tr(lang, N_("%s: at most %s %% in this programme.")), tr(lang, proj_flat_labels[f]), dec_fmt(b, sizeof b, r.max_e2, 2));
            return false;
        }
        if (rate[f] < r.max_e2 && !r.may_lower) {
            snprintf(msg, n, tr(lang, N_("%s: the programme's rate is %s %%, and a partner may not lower it.")), tr(lang, proj_flat_labels[f]),
                     dec_fmt(b, sizeof b, r.max_e2, 2));
            return false;
        }
    }
    return true;
}

/* the EU's common indicators: code, kind, English name, unit (data/ref/interreg-indicators-rco-rcr.csv) */
typedef struct indicator { char code[8], kind[8], name[160], unit[64]; } indicator_t;
enum { MAX_INDICATORS = 200 };
static indicator_t indicators[MAX_INDICATORS];
static int nindicators;
static pthread_once_t indicators_once = PTHREAD_ONCE_INIT;

static bool indicator_line(const char *line) {
    indicator_t *x = &indicators[nindicators];
    csv_field(line, 0, x->code, sizeof x->code);
    csv_field(line, 1, x->kind, sizeof x->kind);
    csv_field(line, 2, x->name, sizeof x->name);
    csv_field(line, 3, x->unit, sizeof x->unit);
    if (*x->code) nindicators++;
    return nindicators < MAX_INDICATORS;
}
static void indicators_load(void) { csv_each("data/ref/interreg-indicators-rco-rcr.csv", indicator_line); }

const char *proj_indicator(const char *code, const char **kind, const char **unit) {
    pthread_once(&indicators_once, indicators_load);
    for (int i = 0; code && i < nindicators; i++)
        if (!strcmp(indicators[i].code, code)) {
            if (kind) *kind = indicators[i].kind;
            if (unit) *unit = indicators[i].unit;
            return indicators[i].name;
        }
    return NULL;
}

int proj_indicator_count(void) {
    pthread_once(&indicators_once, indicators_load);
    return nindicators;
}

const char *proj_indicator_at(int i, const char **code, const char **kind) {
    if (i < 0 || i >= proj_indicator_count()) return NULL;
    *code = indicators[i].code;
    *kind = indicators[i].kind;
    return indicators[i].name;
}

/* ---- the workflow ---- */
const char *const proj_statuses[11] = {"idea", "seeking-partners", "drafting", "submitted", "approved", "approved-with-conditions",
                                       "not-approved", "running", "closed", "withdrawn", NULL};
static const char *const status_labels[10] = {N_("Idea"), N_("Seeking partners"), N_("Drafting the application"), N_("Submitted"),
                                              N_("Approved"), N_("Approved with conditions"), N_("Not approved"), N_("Running"),
                                              N_("Closed"), N_("Withdrawn")};
/* the moves of the workflow, each " from>to " (a withdrawal is possible until the project runs) */
static const char *const moves =
    " idea>seeking-partners idea>drafting idea>withdrawn seeking-partners>idea seeking-partners>drafting seeking-partners>withdrawn"
    " drafting>seeking-partners drafting>submitted drafting>withdrawn submitted>drafting submitted>approved"
    " submitted>approved-with-conditions submitted>not-approved submitted>withdrawn approved-with-conditions>approved"
    " approved-with-conditions>running approved-with-conditions>withdrawn approved>running approved>withdrawn"
    " not-approved>drafting not-approved>closed running>closed ";

const char *proj_status_label(const char *status, const char *lang) {
    int i = 0;
    while (i < 10 && !streq(status, proj_statuses[i])) i++;
    return i < 10 ? tr(lang, status_labels[i]) : status ? status : "";
}

bool proj_move_allowed(const char *from, const char *to) {
    char key[64];
    if (!from || !to || strchr(from, ' ') || strchr(to, ' ') || snprintf(key, sizeof key, " %s>%s ", from, to) >= (int)sizeof key) return false;
    return strstr(moves, key) != NULL;
}

/* ---- the budget ---- */
typedef struct ptot {
    int64_t cat[CAT_N], total, eur, *periods, flat_base[FLAT_N], flat_amount[FLAT_N];
    int nperiods;
    const char *currency;
    bool has_lines;
} ptot_t;

static const char *fmt2(char *b, int64_t v) { return dec_fmt(b, 32, v, 2); }

static const char *home_currency(const char *country) { return streq(country, "SE") ? "SEK" : streq(country, "NO") ? "NOK" : "EUR"; }

/* slot: the index in a partner's periods[0..maxp+1] of a line's or lump sum's period: 0 the
 * preparation, maxp + 1 the closure; -1 for anything else */
static int slot(json_t *per, int maxp) {
    if (json_is_integer(per)) return json_integer_value(per) >= 1 && json_integer_value(per) <= maxp ? (int)json_integer_value(per) : -1;
    return streq(json_string_value(per), "preparation") ? 0 : streq(json_string_value(per), "closure") ? maxp + 1 : -1;
}

/* flat_step: step 2 for one partner (the order and bases of projects.h); c its category totals */
static void flat_step(ptot_t *t, const bool set[FLAT_N], const int64_t rate[FLAT_N]) {
    int64_t *c = t->cat;
    for (int f = 0; f < FLAT_N; f++) {
        if (!set[f]) continue;
        int64_t base = f == FLAT_STAFF ? c[CAT_TRAVEL] + c[CAT_EXTERNAL] + c[CAT_EQUIPMENT] + c[CAT_INFRA]
                       : f == FLAT_OFFICE_DIRECT ? c[CAT_STAFF] + c[CAT_TRAVEL] + c[CAT_EXTERNAL] + c[CAT_EQUIPMENT] + c[CAT_INFRA]
                       : c[CAT_STAFF];
        t->flat_base[f] = base;
        t->flat_amount[f] = money_pct(base, rate[f]);
        if (f == FLAT_OFFICE_DIRECT && set[FLAT_OFFICE]) c[CAT_OFFICE] += t->flat_amount[f];   /* both: refused on saving, added here */
        else c[proj_flat_category[f]] = t->flat_amount[f];
    }
}

json_t *proj_budget_compute(json_t *budget, const proj_partner_info_t *p, int np, int64_t sek_rate, int64_t nok_rate,
                            const char *month, const char **missing_currency) {
    *missing_currency = NULL;
    ptot_t *t = calloc((size_t)(np ? np : 1), sizeof *t);
    int maxp = 1;
    size_t i;
    json_t *x;
    for (int list = 0; list < 2; list++)
        json_array_foreach(json_object_get(budget, list ? "lump_sums" : "lines"), i, x) {
            int per = (int)json_integer_value(json_object_get(x, "period"));
            if (per > maxp) maxp = per;
        }
    for (int k = 0; k < np; k++) {
        t[k].periods = calloc((size_t)maxp + 2, sizeof(int64_t));
        t[k].nperiods = maxp;
        t[k].currency = home_currency(p[k].country);
    }
    /* step 1: each line rounded to the cent (lines of one partner usually follow each other) */
    int64_t last_org = -1;
    int last_k = np;
    json_array_foreach(json_object_get(budget, "lines"), i, x) {
        int64_t org = json_integer_value(json_object_get(x, "partner")), units, price;
        if (org != last_org) { last_org = org; for (last_k = 0; last_k < np && p[last_k].org != org; last_k++) {} }
        int k = last_k;
        int c = proj_category(json_string_value(json_object_get(x, "category")));
        if (k == np || c < 0 || !dec_parse(json_string_value(json_object_get(x, "units")), 2, INT64_MAX / 4, &units) ||
            !dec_parse(json_string_value(json_object_get(x, "unit_price")), 2, INT64_MAX / 4, &price))
            continue;   /* validated before: cannot happen */
        int64_t amount = money_mul(units, price);
        t[k].cat[c] += amount;
        int per = (int)json_integer_value(json_object_get(x, "period"));
        if (per >= 1 && per <= maxp) t[k].periods[per] += amount;
        t[k].currency = json_string_value(json_object_get(x, "currency"));
        t[k].has_lines = true;
    }
    /* lump sums: an amount each, in the partner's currency (validated: the same as its lines) */
    json_array_foreach(json_object_get(budget, "lump_sums"), i, x) {
        int64_t org = json_integer_value(json_object_get(x, "partner")), amount;
        int k = 0;
        while (k < np && p[k].org != org) k++;
        if (k == np || !dec_parse(json_string_value(json_object_get(x, "amount")), 2, INT64_MAX / 4, &amount)) continue;
        t[k].cat[CAT_LUMP] += amount;
        int per = slot(json_object_get(x, "period"), maxp);
        if (per >= 0) t[k].periods[per] += amount;
        t[k].currency = json_string_value(json_object_get(x, "currency"));
        t[k].has_lines = true;
    }
    /* step 2: the flat rates on the rounded totals of their bases */
    bool fset[FLAT_N];
    int64_t frate[FLAT_N];
    proj_flat_rates(json_object_get(budget, "flat_rates"), fset, frate);
    for (int k = 0; k < np; k++) {
        flat_step(&t[k], fset, frate);
        for (int c = 0; c < CAT_N; c++) t[k].total += t[k].cat[c];
    }
    /* step 3: each partner's total converted once */
    char b1[32], b2[32], b3[32];
    for (int k = 0; k < np; k++) {
        if (streq(t[k].currency, "SEK") && t[k].has_lines && !sek_rate) *missing_currency = "SEK";
        t[k].eur = streq(t[k].currency, "SEK") ? money_to_eur(t[k].total, sek_rate)
                   : streq(t[k].currency, "NOK") ? money_to_eur(t[k].total, nok_rate) : t[k].total;
    }
    json_t *out = NULL;
    if (!*missing_currency) {
        out = json_object();
        json_t *fund = json_object_get(budget, "funding");
        json_t *sides = json_array();
        int64_t all_eur = 0;
        for (int s = 0; s < 2; s++) {
            bool no = s == 1;
            json_t *parts = json_array();
            int64_t tot_cur = 0, tot_eur = 0;
            for (int k = 0; k < np; k++) {
                if (streq(p[k].country, "NO") != no || streq(p[k].role, "associated") || streq(p[k].state, "declined")) continue;
                json_t *cats = json_object(), *pers = json_object();
                for (int c = 0; c < CAT_N; c++) json_object_set_new(cats, proj_categories[c], json_string(fmt2(b1, t[k].cat[c])));
                for (int q = 0; q <= t[k].nperiods + 1; q++)
                    if (t[k].periods[q])
                        json_object_set_new(pers, q == 0 ? "preparation" : q > t[k].nperiods ? "closure" : dec_fmt(b2, sizeof b2, q, 0),
                                            json_string(fmt2(b1, t[k].periods[q])));
                json_t *flats = json_array();
                for (int f = 0; f < FLAT_N; f++)
                    if (fset[f])
                        json_array_append_new(flats, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "rate", proj_flat_keys[f], "category",
                            proj_categories[proj_flat_category[f]], "percent", dec_fmt((char[32]){0}, 32, frate[f], 2), "base", proj_flat_bases[f],
                            "base_amount", dec_fmt((char[32]){0}, 32, t[k].flat_base[f], 2), "amount", dec_fmt((char[32]){0}, 32, t[k].flat_amount[f], 2)));
                bool sek = streq(t[k].currency, "SEK"), nok = streq(t[k].currency, "NOK");
                json_array_append_new(parts, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s, s:s?, s:s?}",
                    "partner", (json_int_t)p[k].org, "name", p[k].name ? p[k].name : "", "currency", t[k].currency,
                    "categories", cats, "periods", pers, "flat_rates", flats, "total", fmt2(b1, t[k].total), "total_eur", fmt2(b2, t[k].eur),
                    "rate", sek ? dec_fmt(b3, sizeof b3, sek_rate, 4) : nok ? dec_fmt(b3, sizeof b3, nok_rate, 4) : "1.0000",
                    "rate_source", sek ? "commission" : nok ? "programme-fixed" : NULL, "rate_month", sek ? month : NULL));
                tot_cur += no ? (nok ? t[k].total : 0) : t[k].eur;
                tot_eur += t[k].eur;
            }
            /* step 4: the side's funding */
            int64_t pct = 0;
            dec_parse(json_string_value(json_object_get(fund, no ? "ir" : "erdf")), 2, 10000, &pct);
            int64_t grant = money_pct(tot_cur, pct);
            json_array_append_new(sides, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "side", no ? "no" : "se", "currency",
                no ? "NOK" : "EUR", "total", fmt2(b1, tot_cur), "total_eur", fmt2(b2, tot_eur), "fund", no ? "IR" : "ERDF",
                "funding_percent", dec_fmt((char[32]){0}, 32, pct, 2), "funding", dec_fmt((char[32]){0}, 32, grant, 2), "partners", parts));
            json_object_set_new(json_array_get(sides, (size_t)s), "other_funding", json_string(fmt2(b1, tot_cur - grant)));
            all_eur += tot_eur;
        }
        json_object_set_new(out, "sides", sides);
        json_t *applied = json_array();
        for (int f = 0; f < FLAT_N; f++)
            if (fset[f])
                json_array_append_new(applied, json_pack("{s:s, s:s, s:s, s:s}", "rate", proj_flat_keys[f], "category", proj_categories[proj_flat_category[f]],
                                                         "percent", dec_fmt((char[32]){0}, 32, frate[f], 2), "base", proj_flat_bases[f]));
        json_object_set_new(out, "flat_rates", applied);
        json_object_set_new(out, "total_eur", json_string(fmt2(b1, all_eur)));
        json_object_set_new(out, "month", month ? json_string(month) : json_null());
    }
    for (int k = 0; k < np; k++) free(t[k].periods);
    free(t);
    return out;
}

/* ---- the checklist ---- */
static void item(json_t *items, bool *eligible, const char *lang, const char *code, bool ok, const char *msgid) {
    json_array_append_new(items, json_pack("{s:s, s:b, s:s}", "code", code, "ok", ok, "message", tr(lang, msgid)));
    if (!ok) *eligible = false;
}

#define SUMMARY_FORM_LIMIT 2000

json_t *proj_checklist(const char *lang, json_t *doc, const proj_partner_info_t *p, int np, json_t *totals, bool rate_missing) {
    json_t *items = json_array();
    bool eligible = true;
    const char *prog = json_string_value(json_object_get(doc, "programme"));
    bool two = streq(prog, "interreg-se-no") || streq(prog, "interreg-aurora") || streq(prog, "interreg-nord");
    int se = 0, no = 0, lse = 0, lno = 0, pending = 0;
    for (int k = 0; k < np; k++) {
        if (streq(p[k].state, "declined")) continue;
        if (streq(p[k].state, "invited")) pending++;
        if (streq(p[k].country, "SE")) se++;
        if (streq(p[k].country, "NO")) no++;
        if (streq(p[k].role, "lead-se") && streq(p[k].country, "SE")) lse++;
        if (streq(p[k].role, "lead-no") && streq(p[k].country, "NO")) lno++;
    }
    if (two) item(items, &eligible, lang, "both-countries", se && no, N_("At least one Swedish and one Norwegian partner."));
    if (streq(prog, "interreg-se-no"))
        item(items, &eligible, lang, "lead-partners", lse == 1 && lno == 1,
             N_("A Swedish project owner (lead partner of the Swedish side) and a Norwegian one."));
    item(items, &eligible, lang, "partners-confirmed", np > 0 && !pending, N_("Every invited partner has answered."));
    if (prog) {
        /* outside the area: at most 20 % of the budget (in EUR) */
        int64_t outside = 0, all = 0;
        bool any_out = false;
        size_t s, i;
        json_t *side, *x;
        json_array_foreach(json_object_get(totals, "sides"), s, side) json_array_foreach(json_object_get(side, "partners"), i, x) {
            int64_t v = 0;
            dec_parse(json_string_value(json_object_get(x, "total_eur")), 2, INT64_MAX / 4, &v);
            all += v;
            int64_t org = json_integer_value(json_object_get(x, "partner"));
            for (int k = 0; k < np; k++)
                if (p[k].org == org && !proj_in_area(prog, p[k].country, p[k].county)) outside += v;
        }
        for (int k = 0; k < np; k++)
            if (!streq(p[k].state, "declined") && !proj_in_area(prog, p[k].country, p[k].county)) any_out = true;
        item(items, &eligible, lang, "programme-area", !any_out || (all > 0 && outside * 5 <= all),
             N_("Every partner is in the programme area, or the partners outside it have at most 20 % of the budget."));
    }
    json_t *cb = json_object_get(doc, "cross_border");
    const char *just = json_string_value(json_object_get(doc, "cross_border_justification"));
    item(items, &eligible, lang, "cross-border-criterion", json_array_size(cb) > 0 && !str_empty(just),
         N_("At least one cross-border criterion is chosen and justified."));
    const char *summary = json_string_value(json_object_get(doc, "summary"));
    item(items, &eligible, lang, "text-limits", !str_empty(summary) && utf8_len(summary) <= SUMMARY_FORM_LIMIT,
         N_("The summary is written and has at most 2000 characters."));
    json_t *budget = json_object_get(doc, "budget");
    int nper = proj_periods((int)json_integer_value(json_object_get(doc, "duration_months")), proj_doc_period_months(doc));
    bool within = true;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(budget, "lines"), i, x) if (json_integer_value(json_object_get(x, "period")) > nper) within = false;
    json_array_foreach(json_object_get(budget, "lump_sums"), i, x) if (json_integer_value(json_object_get(x, "period")) > nper) within = false;
    /* the work plan: every activity within the duration and with at least one partner */
    bool staffed = true;
    size_t w, a;
    json_t *wp, *act;
    json_array_foreach(json_object_get(doc, "work_plan"), w, wp) json_array_foreach(json_object_get(wp, "activities"), a, act) {
        if (json_integer_value(json_object_get(act, "end")) > nper) within = false;
        if (!json_array_size(json_object_get(act, "partners"))) staffed = false;
    }
    item(items, &eligible, lang, "periods-within-duration", within,
         N_("Every budget line, lump sum and activity is in a period within the project's duration."));
    item(items, &eligible, lang, "activities-partner", staffed, N_("Every activity of the work plan has at least one partner."));
    /* a main project states what it produces and changes: an output (RCO) and a result (RCR) indicator */
    if (streq(json_string_value(json_object_get(doc, "type")), "main")) {
        bool out = false, res = false;
        json_array_foreach(json_object_get(doc, "indicators"), i, x) {
            const char *kind = NULL;
            if (proj_indicator(json_string_value(json_object_get(x, "code")), &kind, NULL)) {
                if (streq(kind, "output")) out = true;
                if (streq(kind, "result")) res = true;
            }
        }
        item(items, &eligible, lang, "indicators", out && res,
             N_("At least one output indicator (RCO) and one result indicator (RCR) with a target value."));
    }
    /* co-financing: every partner with budget lines has lines summing to exactly 100 % (one
     * pass over the lines and one over the co-financing) */
    bool cof = true, any_budget = false, has[PROJ_MAX_PARTNERS] = {0};
    int64_t sum[PROJ_MAX_PARTNERS] = {0}, last = -1;
    int lk = -1;
    for (int list = 0; list < 2; list++)
        json_array_foreach(json_object_get(budget, list ? "lump_sums" : "lines"), i, x) {
            int64_t org = json_integer_value(json_object_get(x, "partner"));
            if (org != last) { last = org; for (lk = 0; lk < np && p[lk].org != org; lk++) {} }
            if (lk < np && lk < PROJ_MAX_PARTNERS) has[lk] = true;
        }
    json_array_foreach(json_object_get(budget, "cofinancing"), i, x) {
        int64_t org = json_integer_value(json_object_get(x, "partner")), v;
        int k = 0;
        while (k < np && p[k].org != org) k++;
        if (k < np && k < PROJ_MAX_PARTNERS && dec_parse(json_string_value(json_object_get(x, "percent")), 2, 10000, &v)) sum[k] += v;
    }
    for (int k = 0; k < np && k < PROJ_MAX_PARTNERS; k++) {
        if (!has[k]) continue;
        any_budget = true;
        if (sum[k] != 10000) cof = false;
    }
    item(items, &eligible, lang, "cofinancing-100", any_budget && cof, N_("Every partner's co-financing lines sum to exactly 100 %."));
    /* the flat rates: a combination the call allows, each within its maximum (the message says what is wrong) */
    char why[400];
    if (proj_flat_allowed(lang, prog, json_object_get(budget, "flat_rates"), why, sizeof why))
        item(items, &eligible, lang, "flat-rates-allowed", true, N_("The flat rates are a combination the programme's call allows, each within its maximum."));
    else {
        json_array_append_new(items, json_pack("{s:s, s:b, s:s}", "code", "flat-rates-allowed", "ok", false, "message", why));
        eligible = false;
    }
    item(items, &eligible, lang, "rate-available", !rate_missing,
         N_("The Commission's exchange rate of the month of submission is known for the Swedish amounts."));
    return json_pack("{s:b, s:o}", "eligible", eligible, "items", items);
}
