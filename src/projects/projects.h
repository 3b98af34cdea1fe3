/* Projects and Interreg applications (issue 16): a project is a document of the pipeline
 * (doc/doc.h, kind "project"): identification, partners with roles and invitations, the
 * budget in SEK, NOK and EUR, the eligibility checklist.
 * Owns the tables projects, project_themes, project_partners and currency_rates
 * (060_projects.sql). Organisations are reached through org/org.h only.
 *
 * Money is exact: amounts are int64 in 1/100 of the currency unit (cents, öre), rates and
 * percentages in 1/10000 and 1/100 of a percent; never a binary float. Rounding (half away
 * from zero, to the cent) happens at these steps and only there:
 *   1. each budget line: units × unit price;
 *   2. each flat rate: the partner's rounded staff total × the rate;
 *   3. each partner's total in its own currency converted to EUR, once;
 *   4. each side's funding amount: the side's total × the funding rate.
 * Sums are sums of rounded amounts, so every figure shown adds up. Returned json_t references
 * belong to the caller. */
#ifndef PROJECTS_PROJECTS_H
#define PROJECTS_PROJECTS_H
#include <jansson.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "doc/doc.h"
#include "http/http.h"

extern doc_kind_t proj_kind;

enum { PROJ_MAX_PARTNERS = 50, PROJ_MAX_LINES = 20000, PROJ_PERIOD_MONTHS = 6 };

/* ---- fixed-point decimals (money.c) ---- */
/* dec_parse: a non-negative decimal "123", "123.4", "123.45" with at most `scale` decimals
 * (scale 2 or 4) into units of 10^-scale; false for anything else or above max. */
bool dec_parse(const char *s, int scale, int64_t max, int64_t *out);
/* dec_fmt: v in units of 10^-scale as "1234.50" (scale digits always shown) into buf. */
const char *dec_fmt(char *buf, size_t n, int64_t v, int scale);
/* money_mul: a × b where both are in 1/100 → the product in 1/100, rounded half away from zero. */
int64_t money_mul(int64_t a_e2, int64_t b_e2);
/* money_pct: amount (1/100) × percent (1/100 of a percent, 100 % = 10000), rounded. */
int64_t money_pct(int64_t cents, int64_t pct_e2);
/* money_to_eur: an amount in a currency (1/100) at rate units per EUR (1/10000), rounded. */
int64_t money_to_eur(int64_t cents, int64_t per_eur_e4);

/* ---- the budget and the checklist (money.c): pure functions over plain data ---- */
typedef enum { CAT_STAFF, CAT_OFFICE, CAT_TRAVEL, CAT_EXTERNAL, CAT_EQUIPMENT, CAT_INFRA, CAT_N } proj_cat_t;
extern const char *const proj_categories[CAT_N];
int proj_category(const char *s); /* -1 if unknown */

typedef struct proj_partner_info {
    int64_t org;
    const char *role, *state, *country, *county, *name;
} proj_partner_info_t;

/* proj_budget_compute: the totals of a project's budget document (the "budget" field), for
 * partners p[0..np): per side and partner, in their currency and in EUR. sek_rate: the SEK
 * rate (1/10000 per EUR) of the submission month, 0 if missing; nok_rate the programme's
 * fixed rate. Returns the totals (new object); with a missing SEK rate for a SEK partner,
 * NULL and *missing_currency = "SEK". */
json_t *proj_budget_compute(json_t *budget, const proj_partner_info_t *p, int np, int64_t sek_rate, int64_t nok_rate,
                            const char *month, const char **missing_currency);

/* proj_checklist: {"eligible", "items": [{code, ok, message}]} for a project document, its
 * partners and the computed budget (or NULL with missing_rate naming the month), messages in lang. */
json_t *proj_checklist(const char *lang, json_t *doc, const proj_partner_info_t *p, int np, json_t *totals, bool rate_missing);

/* proj_in_area: whether a county (2-digit code) of country is in the programme's area
 * (data/ref/interreg-programme-areas.csv); programmes without an area list accept all. */
bool proj_in_area(const char *programme, const char *country, const char *county);
int proj_periods(int duration_months); /* reporting periods of PROJ_PERIOD_MONTHS */
int64_t proj_fixed_nok_rate(const char *programme); /* 1/10000 NOK per EUR: 10.0000 for Sverige–Norge */

/* ---- the workflow ---- */
extern const char *const proj_statuses[11];
const char *proj_status_label(const char *status, const char *lang);
bool proj_move_allowed(const char *from, const char *to);

/* ---- the store (model.c) ---- */
json_t *proj_load(db_t *db, arena_t *a, int64_t id);
bool proj_exists(db_t *db, int64_t id);
bool proj_may_edit(db_t *db, const user_t *u, int64_t id);
/* proj_partners: the partner rows of the newest version (arena). */
proj_partner_info_t *proj_partners(db_t *db, arena_t *a, int64_t id, int *n);
/* proj_rate: the SEK or NOK rate of a month (1/10000 per EUR), 0 if none; *source set. */
int64_t proj_rate(db_t *db, arena_t *a, const char *month, const char *currency, const char **source);
bool proj_rate_set(db_t *db, const char *month, const char *currency, int64_t per_eur, const char *source);
/* proj_totals: the budget's totals and the checklist of a stored project (arena-owned json);
 * *missing the month without a SEK rate, or NULL. */
json_t *proj_totals(db_t *db, arena_t *a, int64_t id, json_t *doc, json_t **checklist, const char **missing, const char *lang);
/* proj_answer: an organisation admin's answer to an invitation; 0, 404, 403, 409 or 500. */
int proj_answer(db_t *db, arena_t *a, int64_t id, int64_t org, const user_t *u, bool accept);

/* proj_born_from: the projects (at most 32, arena) born from a roundtable bullet or action item
 * (type "bullet" or "action"), for the roundtables' pages and action plan to link back. */
int64_t *proj_born_from(db_t *db, arena_t *a, const char *type, int64_t id, int *n);

/* The list. */
typedef struct proj_filter {
    const char *programme, *status, *theme, *country;
    bool seeking;
    int page, per_page;
} proj_filter_t;
typedef struct proj_row {
    int64_t id;
    const char *acronym, *title, *programme, *status, *start, *summary;
    long long npartners;
} proj_row_t;
const char *proj_filter_read(req_t *r, proj_filter_t *f);
long long proj_search(db_t *db, arena_t *a, const char *lang, const proj_filter_t *f, proj_row_t **rows, int *n);

/* Personal data: {projects_started: [{project, acronym, created_at}]} (the versions are doc's). */
json_t *proj_personal_data(db_t *db, int64_t user_id);

/* CLI: granslos import rates FILE [YYYY-MM], granslos bench projects, demo data. */
int proj_import_rates(db_t *db, const char *path, const char *month, FILE *out, FILE *err);
/* granslos import keep FILE: keep.eu's project or partner CSV (keep.c), all or nothing. */
int proj_import_keep(db_t *db, const char *path, FILE *out, FILE *err);
/* proj_track_record: [{programme, acronym, name, lead, country}] of the past projects whose
 * partner has the organisation's name (case-folded). */
json_t *proj_track_record(db_t *db, arena_t *a, int64_t org);
/* proj_partner_search: per sought-partner profile of doc, the best five organisations that are not
 * partners yet (matchmaking, org/match.h), those with a keep.eu track record first, with reasons. */
json_t *proj_partner_search(db_t *db, arena_t *a, int64_t id, json_t *doc, const char *lang);
int proj_bench(FILE *out);
int proj_demo_load(db_t *db);

/* Handlers (api.c, pages.c). */
void proj_api_list(req_t *r);
void proj_api_create(req_t *r);
void proj_api_get(req_t *r);
void proj_api_patch(req_t *r);
void proj_api_history(req_t *r);
void proj_api_revert(req_t *r);
void proj_api_checklist(req_t *r);
void proj_api_budget_get(req_t *r);
void proj_api_budget_put(req_t *r);
void proj_api_partner_add(req_t *r);
void proj_api_partner_remove(req_t *r);
void proj_api_partner_answer(req_t *r);
void proj_api_rate_put(req_t *r);
void proj_budget_csv(req_t *r);
void proj_budget_xlsx(req_t *r); /* xlsx.c */
void proj_markdown(req_t *r);
void proj_list_page(req_t *r);
void proj_page(req_t *r);
void proj_new_page(req_t *r);
void proj_create_post(req_t *r);
void proj_edit_page(req_t *r);
void proj_edit_post(req_t *r);
void proj_answer_post(req_t *r);
void proj_budget_page(req_t *r);
void proj_invite_post(req_t *r);        /* POST /projects/{id}/invite */
void proj_org_projects_page(req_t *r);   /* GET /organisations/{id}/projects */
void proj_api_org_projects(req_t *r);    /* GET /api/v1/organisations/{id}/projects */
void proj_api_partner_search(req_t *r);  /* GET /api/v1/projects/{id}/partner-search */
void proj_budget_post(req_t *r);
#endif
