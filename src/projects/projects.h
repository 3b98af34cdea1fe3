/* Projects and Interreg applications (issue 16): a project is a document of the pipeline
 * (doc/doc.h, kind "project"): identification, partners with roles and invitations, the
 * budget in SEK, NOK and EUR, the eligibility checklist.
 * Owns the tables projects, project_themes, project_partners and currency_rates
 * (060_projects.sql), keep_* (061), project_comments, project_ready, project_submissions and
 * project_deadlines (063_project_sections.sql), project_reminders (083). Organisations are reached through org/org.h only.
 *
 * Money is exact: amounts are int64 in 1/100 of the currency unit (cents, öre), rates and
 * percentages in 1/10000 and 1/100 of a percent; never a binary float. Rounding (half away
 * from zero, to the cent) happens at these steps and only there:
 *   1. each budget line: units × unit price;
 *   2. each flat rate: the rate × its base, the sum of the partner's rounded amounts, in this
 *      order: staff (base: travel, external, equipment, infrastructure), travel (base: staff),
 *      office (base: staff, or the direct costs staff + travel + external + equipment +
 *      infrastructure), other costs (base: staff); lump sums are never in a base;
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

enum { PROJ_MAX_PARTNERS = 50, PROJ_MAX_LINES = 20000, PROJ_MAX_PERIOD_MONTHS = 12 };

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
/* The six cost categories of budget lines, then the lump sums (budget.lump_sums, never a line). */
/* CAT_OTHER: the "other costs" flat rate's amount (never a line nor a lump sum). */
typedef enum { CAT_STAFF, CAT_OFFICE, CAT_TRAVEL, CAT_EXTERNAL, CAT_EQUIPMENT, CAT_INFRA, CAT_LUMP, CAT_OTHER, CAT_N } proj_cat_t;
enum { CAT_LINES = CAT_LUMP };
extern const char *const proj_categories[CAT_N];
extern const char *const proj_category_labels[CAT_N]; /* msgids */
int proj_category(const char *s); /* -1 if unknown */
/* proj_indicator: the EU common output (RCO) or result (RCR) indicator of a code
 * (data/ref/interreg-indicators-rco-rcr.csv, Regulation (EU) 2021/1058 Annex I): its English
 * name, or NULL; *kind "output" or "result", *unit its measurement unit. */
const char *proj_indicator(const char *code, const char **kind, const char **unit);
/* proj_indicator_each: every indicator in the file's order; returns how many. */
int proj_indicator_count(void);
const char *proj_indicator_at(int i, const char **code, const char **kind);

/* ---- the call's rules per programme (data/ref/interreg-call-rules.csv) ---- */
/* The flat rates a budget may have ("flat_rates": {key: "percent"}): staff costs as a share of
 * the other direct costs; office and administration as a share of staff costs (office) or of the
 * direct costs (office_direct), never both; travel and accommodation as a share of staff costs
 * (not when staff costs are themselves a flat rate); other costs as a share of staff costs,
 * covering every other cost and combining with no other flat rate. */
typedef enum { FLAT_STAFF, FLAT_OFFICE, FLAT_OFFICE_DIRECT, FLAT_TRAVEL, FLAT_OTHER, FLAT_N } proj_flat_t;
extern const char *const proj_flat_keys[FLAT_N];
extern const char *const proj_flat_labels[FLAT_N];   /* msgids */
extern const char *const proj_flat_bases[FLAT_N];    /* "other-direct-costs", "staff", "direct-costs" */
extern const proj_cat_t proj_flat_category[FLAT_N];   /* the category the amount goes to */
int proj_flat_key(const char *s);                     /* -1 if unknown */
/* proj_flat_rule: whether the programme's call allows flat rate f, its maximum (1/100 of a
 * percent) and whether a partner may choose a lower rate (else the rate is exactly the maximum).
 * A programme with flat-rate rows of its own allows only those; others use the "*" rows. */
typedef struct proj_flat_rule { bool allowed, may_lower; int64_t max_e2; } proj_flat_rule_t;
proj_flat_rule_t proj_flat_rule(const char *programme, int f);
/* proj_flat_rates: the rates of a (validated) "flat_rates" object: set[f] and rate[f] in 1/100 %. */
void proj_flat_rates(json_t *flat_rates, bool set[FLAT_N], int64_t rate[FLAT_N]);
/* proj_flat_allowed: whether the rates are a combination the programme's call allows, each within
 * its maximum and lowered only where allowed; if not, the first reason in lang into msg. */
bool proj_flat_allowed(const char *lang, const char *programme, json_t *flat_rates, char *msg, size_t n);
/* proj_period_months: the programme's reporting period length; proj_doc_period_months: a
 * project's (its call's "period_months" when typed in, else its programme's). */
int proj_period_months(const char *programme);
int proj_doc_period_months(json_t *doc);
/* proj_periods: the reporting periods of a duration: ceil(duration / length). Period i runs from
 * month length×(i−1)+1 to length×i, the last ends at the duration (proj_period_months_of). */
int proj_periods(int duration_months, int period_months);
void proj_period_months_of(int i, int duration_months, int period_months, int *first, int *last);
/* proj_period_dates: period i's first and last month as "YYYY-MM" from the planned start
 * (a YYYY-MM), into from and to (8 bytes each); false if start is not a month. */
bool proj_period_dates(const char *start, int i, int duration_months, int period_months, char *from, char *to);
/* Lump sums may also sit in the preparation or the closure of a project: their "period" is then
 * the string "preparation" or "closure" (the totals' "periods" use those keys). */

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
int64_t proj_fixed_nok_rate(const char *programme); /* 1/10000 NOK per EUR: 10.0000 for Sverige–Norge */

/* ---- the workflow ---- */
extern const char *const proj_statuses[11];
const char *proj_status_label(const char *status, const char *lang);
bool proj_move_allowed(const char *from, const char *to);

/* ---- the store (model.c) ---- */
json_t *proj_load(db_t *db, arena_t *a, int64_t id);
bool proj_exists(db_t *db, int64_t id);
bool proj_may_edit(db_t *db, const user_t *u, int64_t id);
/* proj_confirmed_orgs: the confirmed partner organisations (only the lead partners: leads), at
 * most max into out; how many. proj_started_by: u created the project. proj_member_of: u is a
 * member of one of orgs[0..n). */
int proj_confirmed_orgs(db_t *db, int64_t id, bool leads, int64_t *out, int max);
bool proj_started_by(db_t *db, const user_t *u, int64_t id);
bool proj_member_of(db_t *db, const user_t *u, const int64_t *orgs, int n);
/* proj_partners: the partner rows of the newest version (arena). */
proj_partner_info_t *proj_partners(db_t *db, arena_t *a, int64_t id, int *n);
/* proj_rate: the SEK or NOK rate of a month (1/10000 per EUR), 0 if none; *source set. */
int64_t proj_rate(db_t *db, arena_t *a, const char *month, const char *currency, const char **source);
bool proj_rate_set(db_t *db, const char *month, const char *currency, int64_t per_eur, const char *source);
/* proj_totals: the budget's totals and the checklist of a stored project (arena-owned json);
 * *missing the month without a SEK rate, or NULL. */
json_t *proj_totals(db_t *db, arena_t *a, int64_t id, json_t *doc, json_t **checklist, const char **missing, const char *lang);
/* proj_totals_of: the same for a document and its partners p (a submitted version's: see
 * proj_doc_partners). */
json_t *proj_totals_of(db_t *db, arena_t *a, json_t *doc, const proj_partner_info_t *p, int n, json_t **checklist, const char **missing, const char *lang);
/* proj_doc_partners: the partner rows of a document's own partner list (a snapshot), with the
 * organisations' country, county and name now; each partner of doc gets its name and country. */
proj_partner_info_t *proj_doc_partners(db_t *db, arena_t *a, json_t *doc, int *n);
/* proj_answer: an organisation admin's answer to an invitation; 0, 404, 403, 409 or 500. */
int proj_answer(db_t *db, arena_t *a, int64_t id, int64_t org, const user_t *u, bool accept);

/* ---- writing together: sections, comments, ready marks, submitted versions (model.c) ---- */
/* The sections of the application, in the order of the form; each owns some fields of the document.
 * lead: only the project's creator, platform admins and members of a lead partner edit it (while
 * the project has no lead partner, every editor does). */
typedef struct proj_section {
    const char *slug, *letter, *label;       /* label: a msgid */
    const char *const *fields;
    bool lead;
} proj_section_t;
extern const proj_section_t proj_sections[];
enum { PROJ_NSECTIONS = 6 };
const proj_section_t *proj_section(const char *slug);  /* NULL if unknown */
const proj_section_t *proj_section_of(const char *field);
bool proj_may_edit_section(db_t *db, const user_t *u, int64_t id, const proj_section_t *s);
/* proj_section_history: the versions that changed a field of the section (doc_history's shape). */
json_t *proj_section_history(db_t *db, int64_t id, const proj_section_t *s);
/* proj_comment_add: a comment on a section by u (body checked: 1..4000 characters, no control
 * characters); its id, or 0 with *error a msgid. */
int64_t proj_comment_add(db_t *db, int64_t id, const proj_section_t *s, const user_t *u, const char *body, const char **error);
/* proj_comments: [{id, at, body, user: {id, name} | null}] of a section, oldest first. */
json_t *proj_comments(db_t *db, int64_t id, const char *section);
/* proj_ready_set: mark the section ready at the project's newest version (or clear the mark). */
bool proj_ready_set(db_t *db, int64_t id, const proj_section_t *s, const user_t *u, bool ready);
/* proj_sections_state: [{section, letter, ready, ready_version, ready_by, changed_since_ready,
 * comments, changed_version}] for every section (labels in lang). */
json_t *proj_sections_state(db_t *db, arena_t *a, int64_t id, const char *lang);
/* proj_submissions: [{version, at, user}] newest first; proj_submitted: the snapshot of a
 * submitted version (NULL if that version was not submitted). */
json_t *proj_submissions(db_t *db, int64_t id);
json_t *proj_submitted(db_t *db, int64_t id, int version, const char **at);
/* proj_deadlines_between: [{project, acronym, title, date, pos, updated_at}] of every project's
 * deadlines with from <= date <= to (YYYY-MM-DD), at most 200, by date (org not 0: only the
 * projects it is a confirmed partner of): the shared calendar and its feed show them. Projects are
 * public from the idea on, so every project's deadlines are; withdrawn and closed ones are left out. */
json_t *proj_deadlines_between(db_t *db, const char *from, const char *to, int64_t org);
/* proj_deadline_vevents: the deadlines (proj_deadlines_between's shape) as all-day VEVENTs added
 * to the VCALENDAR cal (libical's icalcomponent); links on base (the site's address). */
struct icalcomponent_impl;
void proj_deadline_vevents(struct icalcomponent_impl *cal, arena_t *a, const char *base, json_t *deadlines);
/* proj_sections_write: the deadlines' rows and a new submission, inside a save (proj_write). */
bool proj_sections_write(db_t *db, arena_t *a, int64_t id, json_t *d, json_t *old, int version, int64_t user_id);
/* proj_run_json: run s with :id and :list bound, :list the compact JSON text of v (an empty list
 * for NULL), for the child rows a statement reads with json_each. */
bool proj_run_json(stmt_t *s, int64_t id, json_t *v);

/* ---- what a project tells (notices.c, issue 14) ---- */
/* proj_label: "ACRONYM – title" in lang (another language's title when lang's is empty), or NULL. */
const char *proj_label(db_t *db, arena_t *a, int64_t id, const char *lang);
/* proj_notices_init: the after-save hook that tells invitations, new statuses and submissions, and
 * the daily job of deadline reminders (notify_job_add); in the serving process and `granslos digest`. */
void proj_notices_init(void);
/* proj_notice_note: inside a save (proj_write), what it changed, for the hook to tell after the commit. */
void proj_notice_note(int64_t id, json_t *d, json_t *old, int version, int64_t user_id);
/* proj_notice_answer: org's answer to its invitation (inviter: the inviting organisation or 0). */
bool proj_notice_answer(db_t *db, arena_t *a, int64_t id, int64_t org, int64_t inviter, const user_t *u, bool accept);
/* proj_notice_section: kind "project-comment" or "project-ready" on a section, by u. */
bool proj_notice_section(db_t *db, int64_t id, const char *kind, const char *section, const user_t *u);

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

/* Personal data: {projects_started: [{project, acronym, created_at}], project_comments: [{project,
 * section, body, at}], project_sections_marked_ready: [...]} (the versions are doc's). */
json_t *proj_personal_data(db_t *db, int64_t user_id);
/* proj_forget: a deleted account's comments, ready marks and submissions lose their author. */
bool proj_forget(db_t *db, arena_t *a, int64_t user_id);

/* CLI: granslos import rates FILE [YYYY-MM], granslos bench projects, demo data. */
int proj_import_rates(db_t *db, const char *path, const char *month, FILE *out, FILE *err);
/* proj_read_file: a whole file of at most max bytes, NUL-terminated (malloc'ed: the caller frees),
 * or NULL after saying why on err. */
char *proj_read_file(const char *path, size_t max, FILE *err);
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

/* proj_api_flag: the body is exactly {key: true|false}: *out set; else 422 with msgid on key. */
bool proj_api_flag(req_t *r, json_t *in, const char *key, const char *msgid, bool *out);

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
/* The exports (budget.csv, budget.xlsx, application.md) show the project as it is now, or with
 * ?version=N the frozen snapshot of that submitted version. proj_export_doc: that document (with
 * its partners in *pp); proj_export_totals: its budget totals (the document in *doc). Both NULL
 * after an error response (404 no such version, 409 a rate missing). */
json_t *proj_export_doc(req_t *r, proj_partner_info_t **pp, int *np);
json_t *proj_export_totals(req_t *r, json_t **doc);
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
/* proj_org_summary_html: on an organisation's profile, its projects (five) and its track record
 * per programme, with a link to the whole list (org/pages.c). */
void proj_org_summary_html(req_t *r, int64_t org);
void proj_api_org_projects(req_t *r);    /* GET /api/v1/organisations/{id}/projects */
void proj_api_partner_search(req_t *r);  /* GET /api/v1/projects/{id}/partner-search */
void proj_budget_post(req_t *r);
void proj_section_page(req_t *r);        /* GET /projects/{id}/sections/{x} (sections.c) */
void proj_section_post(req_t *r);        /* POST /projects/{id}/sections/{x} */
void proj_comment_post(req_t *r);        /* POST /projects/{id}/sections/{x}/comments */
void proj_ready_post(req_t *r);          /* POST /projects/{id}/sections/{x}/ready */
void proj_submitted_page(req_t *r);      /* GET /projects/{id}/submitted/{id} */
void proj_deadlines_ics(req_t *r);       /* GET /projects/{id}/deadlines.ics */
void proj_api_sections(req_t *r);        /* GET /api/v1/projects/{id}/sections */
void proj_api_section_comments(req_t *r);/* GET /api/v1/projects/{id}/sections/{x}/comments */
void proj_api_comment_add(req_t *r);     /* POST /api/v1/projects/{id}/sections/{x}/comments */
void proj_api_ready_put(req_t *r);       /* PUT /api/v1/projects/{id}/sections/{x}/ready */
void proj_api_submissions(req_t *r);     /* GET /api/v1/projects/{id}/submissions */
void proj_api_submission(req_t *r);      /* GET /api/v1/projects/{id}/submissions/{id} */
void proj_api_indicators(req_t *r);      /* GET /api/v1/indicators */
/* proj_born_html: " · Project: ACR" for each project born from the roundtable bullet or action
 * item (type "bullet" or "action"), and for a logged-in user " · Make this a project" (the
 * roundtables' pages and action plan). */
void proj_born_html(req_t *r, const char *type, int64_t id);
/* proj_deadlines_html: the shared calendar's list of project deadlines from today on (events/pages.c). */
void proj_deadlines_html(req_t *r);
#endif
