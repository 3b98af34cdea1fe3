/* Roundtables of events (break-out tables), their bullets, the published report and the action
 * plan (handlingsplan). Owns the tables rt_events, roundtables, rt_hosts, rt_questions, rt_bullets,
 * rt_bullet_orgs, rt_actions, rt_action_owners and rt_action_log (020_roundtables.sql). Events are
 * reached only through events/events.h, organisations through org/org.h, obstacles through
 * obstacles/obstacles.h (obs_link_add); the report's text shape is report.h.
 *
 * Who may do what: organisers of the event (event_can_edit) manage its tables, questions and
 * report texts; hosts (members of a host organisation) and organisers review, reorder, merge and
 * approve bullets and keep the action items; anyone holding a table's short-link token adds
 * bullets (pending, rate-limited per table and address). Only approved bullets are public.
 *
 * Functions taking `lang` return errors as {field: message in lang}. Returned json_t references
 * belong to the caller; arena strings to the arena given. */
#ifndef ROUNDTABLES_ROUNDTABLES_H
#define ROUNDTABLES_ROUNDTABLES_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "http/http.h"
#include "roundtables/report.h"

#define RT_MAX_BULLET 2000        /* code points in a bullet */
#define RT_MAX_TEXT 500           /* hosts, questions, moderator */
#define RT_MAX_HOSTS 10
#define RT_MAX_QUESTIONS 10
#define RT_MAX_PARAS 100          /* paragraphs of the introduction or the closing text */
#define RT_LINK_RATE 60           /* bullets per table and address through the short link in RT_LINK_WINDOW seconds
                                     * (per table: a venue's participants often share one address) */
#define RT_LINK_WINDOW 600

extern const char *const rt_bullet_types[3];    /* next-step, challenge, support */
extern const char *const rt_action_statuses[5]; /* proposed, agreed, in-progress, done, dropped */
const char *rt_type_label(const char *type, const char *lang);
const char *rt_action_status_label(const char *status, const char *lang);
bool rt_action_move_allowed(const char *from, const char *to);

/* The conference's three questions: [{sv, nb, en}]. */
json_t *rt_default_questions(void);

/* ---- an event's roundtables ---- */
/* rt_event_get: {intro:[…], outro:[…], questions:[{sv,nb,en}], custom_questions: bool}. */
json_t *rt_event_get(db_t *db, int64_t event_id);
/* rt_event_set: change intro, outro and/or questions (null restores the default). 0 or 422. */
int rt_event_set(db_t *db, arena_t *a, const char *lang, int64_t event_id, json_t *in, json_t **errors);

/* rt_table_save: create (id 0) or change a table from {hosts, label, theme, moderator, questions}.
 * hosts: a string as the report writes it ("A och B"), or a list of strings and {org: id} / {name}.
 * questions (create only): texts or {sv,nb,en} objects; default: the event's set, in `qlang`.
 * Returns the id, 0 with *errors set (422) or on a database error (*errors NULL). */
int64_t rt_table_save(db_t *db, arena_t *a, const char *lang, int64_t event_id, int64_t id, json_t *in, int64_t user_id,
                      json_t **errors);
bool rt_table_delete(db_t *db, int64_t id);          /* with its bullets and action items */
int64_t rt_table_event(db_t *db, int64_t table_id);  /* 0 when there is no such table */
int64_t rt_table_by_token(db_t *db, const char *token);
/* rt_table_load: {id, event, pos, label, hosts:[{name, org}], hosts_text, theme, moderator,
 * token (with_private), questions:[{id, text, text_sv, text_nb, text_en, bullets:[…]}]};
 * bullets all (with_private) or approved only. NULL when missing. */
json_t *rt_table_load(db_t *db, int64_t id, bool with_private);
json_t *rt_tables_of(db_t *db, int64_t event_id, bool with_private); /* [table…] in order */
int64_t *rt_table_ids(db_t *db, arena_t *a, int64_t event_id, int *n);
bool rt_can_host(db_t *db, const user_t *u, int64_t table_id);        /* a host or an organiser */

/* ---- bullets ---- */
/* rt_bullet_add: {question, text, type, themes, organisations, obstacles, status} into table_id.
 * source "host" (may set status approved), "link" (pending; rate-limited by ip) or "import".
 * Returns the id; 0 with *errors (422), or *code 429 when over the rate limit. */
int64_t rt_bullet_add(db_t *db, arena_t *a, const char *lang, int64_t table_id, json_t *in, const char *source, int64_t user_id,
                      const char *ip, json_t **errors, int *code);
/* rt_bullet_update: text, type, themes, organisations, obstacles (added), status, question, and the
 * "version" the editor saw (optional; the bullet's "version" rises with every update). 0, 404, 422,
 * 409 (the bullet changed since that version: nothing written, errors names "version") or 500. */
int rt_bullet_update(db_t *db, arena_t *a, const char *lang, int64_t id, json_t *in, int64_t user_id, json_t **errors);
/* rt_bullet_merge: append bullet id's text (or use `text`) into `into` (same question), mark it
 * merged. 0, 404, 422 (errors). */
int rt_bullet_merge(db_t *db, arena_t *a, const char *lang, int64_t id, int64_t into, const char *text, json_t **errors);
/* rt_bullet_move: one place up (-1) or down (+1) among its question's bullets. */
bool rt_bullet_move(db_t *db, int64_t id, int delta);
/* rt_question_order: the question's bullets in this order (every live bullet exactly once). 0, 422. */
int rt_question_order(db_t *db, const char *lang, int64_t question_id, json_t *ids, json_t **errors);
int64_t rt_bullet_table(db_t *db, int64_t id);      /* 0 when missing */
int64_t rt_question_table(db_t *db, int64_t id);    /* 0 when missing */
json_t *rt_bullet_load(db_t *db, int64_t id);       /* {id, table, question, pos, text, status, type, themes, organisations, action} */

/* ---- the report ---- */
/* rt_report: the event's report from its data: intro (or the event's description), each table's
 * hosts, questions and approved bullets in order, the closing text. Strings in the arena. */
bool rt_report(db_t *db, arena_t *a, int64_t event_id, report_t *out);
/* rt_import: add the tables of a parsed report to event_id (intro and closing text too when the
 * event has none). One transaction; false on a database error. */
bool rt_import(db_t *db, arena_t *a, int64_t event_id, const report_t *rep, int64_t user_id);
/* rt_import_file: granslos import report FILE [--event ID] [--org ID]: parse, create the event
 * when event_id is 0 (organiser org, past event on the date the file names), import. Prints the
 * event id to out; errors to err. Returns an exit code. */
#include <stdio.h>
int rt_import_file(db_t *db, const char *path, int64_t event_id, int64_t org, FILE *out, FILE *err);
/* rt_demo_load: the demo Mötesplats Vision 2022 event gets the seed report's roundtables (once). */
int rt_demo_load(db_t *db);

/* ---- the action plan ---- */
/* rt_action_create: make approved bullet_id an action item {owners, due, status, note}. 0 with errors /
 * *code 404 or 409 (exists). */
int64_t rt_action_create(db_t *db, arena_t *a, const char *lang, int64_t bullet_id, json_t *in, int64_t user_id, json_t **errors,
                         int *code);
/* rt_action_update: {status, due, owners, note, note_date}; every change logged. 0, 404, 409 (a status
 * move the plan does not allow from the current status; errors set), 422. */
int rt_action_update(db_t *db, arena_t *a, const char *lang, int64_t id, json_t *in, int64_t user_id, json_t **errors);
/* rt_action_load: {id, bullet:{…}, event, table, status, due, owners:[{id,name,country}], log:[…]}. */
json_t *rt_action_load(db_t *db, int64_t id);
int64_t rt_action_bullet(db_t *db, int64_t id);
/* rt_followup: every action item of the events of series_id (0: of every event with roundtables),
 * optionally of one theme (the bullet's themes or its table's key area): {items:[…],
 * summary:{by_status:{…}, by_country:{SE, NO, both, none}}}. */
json_t *rt_followup(db_t *db, int64_t series_id, const char *theme, const char *lang);

/* ---- QR codes (qr.c) ---- */
/* rt_qr_svg: the text as a QR code in SVG (libqrencode), into b. false when it cannot be encoded. */
bool rt_qr_svg(buf_t *b, const char *text);

/* Handlers (pages.c, api.c). */
void rt_event_page(req_t *r);          /* GET /events/{id}/roundtables */
void rt_bulk_approve_post(req_t *r);   /* POST /roundtables/{id}/approve (the ticked or all waiting bullets) */
void rt_event_post(req_t *r);          /* POST /events/{id}/roundtables (questions and texts) */
void rt_table_new_post(req_t *r);      /* POST /events/{id}/roundtables/new */
void rt_table_page(req_t *r);          /* GET /roundtables/{id} */
void rt_table_edit_post(req_t *r);     /* POST /roundtables/{id}/edit */
void rt_table_bullet_post(req_t *r);   /* POST /roundtables/{id}/bullets (hosts) */
void rt_table_qr(req_t *r);            /* GET /roundtables/{id}/qr.svg */
void rt_bullet_post(req_t *r);         /* POST /bullets/{id} (approve, reject, up, down, merge, edit, action) */
void rt_link_page(req_t *r);           /* GET /t/{token} */
void rt_link_post(req_t *r);           /* POST /t/{token} */
void rt_report_page(req_t *r);         /* GET /events/{id}/report */
void rt_report_md(req_t *r);           /* GET /events/{id}/report.md */
void rt_action_page(req_t *r);         /* GET /actions/{id} */
/* Personal data (model.c, for the registry in src/personal.c): a user's bullets, the action items
 * they created and their notes and changes; forgetting removes their id and IP address from
 * bullets, action items, the action log and roundtables (the texts stay, anonymous). */
json_t *rt_personal_data(db_t *db, int64_t user_id);
bool rt_forget_user(db_t *db, int64_t user_id);

void rt_action_post(req_t *r);         /* POST /actions/{id} */
void rt_followup_page(req_t *r);       /* GET /series/{id}/followup?theme= */
void rt_api_event_get(req_t *r);
void rt_api_event_patch(req_t *r);
void rt_api_table_create(req_t *r);
void rt_api_table_get(req_t *r);
void rt_api_table_patch(req_t *r);
void rt_api_table_delete(req_t *r);
void rt_api_bullet_create(req_t *r);
void rt_api_bullet_get(req_t *r);
void rt_api_bullet_patch(req_t *r);
void rt_api_bullet_merge(req_t *r);
void rt_api_question_order(req_t *r);
void rt_api_report(req_t *r);
void rt_api_report_md(req_t *r);
void rt_api_action_create(req_t *r);
void rt_api_action_get(req_t *r);
void rt_api_action_patch(req_t *r);
void rt_api_followup(req_t *r);
/* Organisations named as a table's hosts or an action item's owners (named.c; issue 11). kind is
 * "host" (ref a table) or "owner" (ref an action item). */
bool rt_named_confirmed(db_t *db, const char *kind, int64_t ref, int64_t org);
/* rt_named_sync: after the names of ref were written: forget confirmations of organisations no
 * longer named, confirm those user_id is a member of (all of them for 0: the CLI and the demo). */
bool rt_named_sync(db_t *db, arena_t *a, const char *kind, int64_t ref, int64_t user_id);
/* rt_named_unconfirmed: a notice naming ref's unconfirmed organisations, with confirm and decline
 * buttons for their administrators (nothing when all are confirmed). */
void rt_named_unconfirmed(req_t *r, db_t *db, const char *kind, int64_t ref);
void rt_hosts_answer_post(req_t *r);   /* POST /roundtables/{id}/hosts {organisation, answer} */
void rt_api_hosts_answer(req_t *r);    /* POST /api/v1/roundtables/{id}/hosts */
void rt_owners_answer_post(req_t *r);  /* POST /actions/{id}/owners */
void rt_api_owners_answer(req_t *r);   /* POST /api/v1/actions/{id}/owners */
#endif
