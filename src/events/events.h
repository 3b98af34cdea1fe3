/* Events: the shared calendar of both sides of the border, from the idea stage on; clashes and
 * holidays, registration with a waiting list, invitations to organisations, the notification
 * outbox, iCalendar feeds and import.
 * Owns the tables event_series, events, event_organisers, event_themes, event_audiences,
 * event_versions, event_registrations, event_invitations, event_notifications, and for the 1:1
 * meetings (meetings.c) event_meeting_setup, event_meeting_profiles and event_meetings. Organisations
 * are reached only through org/org.h.
 *
 * An event is handled as a JSON document with the fields of the API (docs/api.md): pages, API and
 * importer all go through event_validate() and event_save(). Returned json_t references belong
 * to the caller; arena strings to the arena given. */
#ifndef EVENTS_EVENTS_H
#define EVENTS_EVENTS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "db/db.h"
#include "doc/doc.h"
#include "http/http.h"

/* The event kind of the document pipeline (doc/doc.h). */
extern doc_kind_t event_kind;

#define EVENT_MAX_DAYS 31          /* the longest an event may last */
#define EVENT_MAX_ORGANISERS 20
#define EVENT_MAX_CLASHES 50       /* warnings describe at most this many clashes, the most similar first */

extern const char *const event_statuses[4];    /* idea, planned, confirmed, cancelled */
extern const char *const event_audiences[6];   /* companies, clusters, public-sector, researchers, investors, everyone */
extern const char *const event_languages[4];   /* sv, nb, en, sv-nb */
const char *event_status_label(const char *status, const char *lang);
const char *event_audience_label(const char *aud, const char *lang);
const char *event_language_label(const char *code, const char *lang);

/* ---- the document (model.c) ---- */
bool event_exists(db_t *db, int64_t id);
/* event_load: the document of event id, or NULL. Adds id, uid, county, start_utc, end_utc,
 * series {id, name} or null, registered and waiting counts, demo, version, created_at, updated_at. */
json_t *event_load(db_t *db, int64_t id);
/* event_validate: merge input onto base (NULL for a new event), check every rule and return the
 * errors {field: message in lang} (empty when valid); then *doc is the normalised document.
 * self_id is the event being edited (0 for a new one). */
json_t *event_validate(db_t *db, const char *lang, json_t *input, json_t *base, int64_t self_id, json_t **doc);
/* event_save: write doc in one transaction as a new version (id 0 creates; doc may carry "uid" and
 * "source_org" from an import, "demo_key" from the demo loader). Moves the waiting list up when the
 * capacity grows and tells the registrants when the event is cancelled. Returns the id, 0 on a
 * database error; *changed is false when nothing differed (nothing written). */
int64_t event_save(db_t *db, arena_t *a, int64_t id, json_t *doc, int64_t user_id, const char *note, bool *changed);
/* event_native_uid: a new native iCalendar UID, "<32 random hex digits>@granslos" (ical.c; in a). */
char *event_native_uid(arena_t *a);
/* event_find_uid: the event with this iCalendar UID, or 0. */
int64_t event_find_uid(db_t *db, const char *uid);

/* Permissions: members of an organising organisation (and platform admins) edit. */
bool event_can_edit(db_t *db, const user_t *u, int64_t id);

/* ---- the calendar ---- */
typedef struct event_filter {
    time_t from, to;           /* events overlapping [from, to) */
    const char *country, *county, *theme, *audience, *status; /* county "SE-17"; status NULL = not cancelled, "all" = any */
    int64_t org;               /* an organiser */
    int limit;                 /* 0: 500 */
} event_filter_t;
typedef struct event_row {
    int64_t id;
    const char *title, *title_lang, *status, *country, *municipality, *venue, *online_url, *timezone, *uid, *updated_at;
    const char *desc, *desc_lang, *themes; /* themes: comma-separated slugs */
    time_t start, end;
    bool demo;
} event_row_t;
/* event_list: events matching f in time order, titles in lang (or another language when missing). */
int event_list(db_t *db, arena_t *a, const event_filter_t *f, const char *lang, event_row_t **rows);
/* event_filter_read: the filter from the query string (country, county, theme, audience, status,
 * org); returns an error message in the user's language, or NULL. */
const char *event_filter_read(req_t *r, event_filter_t *f);

/* ---- coordination (model.c) ---- */
typedef struct clash_query {
    time_t start, end;
    int days;                  /* also events within this many days before or after */
    const char *country, *county;
    json_t *themes, *audiences; /* arrays of strings, may be NULL */
    int64_t exclude;           /* the event itself */
    const char *lang;          /* language of titles and reasons */
} clash_query_t;
/* event_warnings: [{kind:"clash", event, title, start, country, reasons:[{type, value}]} ...,
 * {kind:"holiday", country, name, name_en, date} ...]: clashes first, the most similar first (shared
 * themes count twice, the same county twice, an audience or the border region once), then the
 * nearest in time; at most EVENT_MAX_CLASHES of them. */
json_t *event_warnings(db_t *db, const clash_query_t *q);
/* event_warnings_of: the warnings of a saved event (itself excluded). */
json_t *event_warnings_of(db_t *db, int64_t id, const char *lang);
/* event_region: the cross-border area a county belongs to (1..4), 0 for none. */
int event_region(const char *country, const char *county);

/* ---- registration (model.c) ---- */
typedef enum { REG_OK = 0, REG_NO_EVENT, REG_EVENT_CANCELLED, REG_CLOSED, REG_NOT_REGISTERED, REG_DB } reg_result_t;
/* event_register: register user; past the capacity they wait. *status: "registered" or "waiting".
 * Registering again changes only the sharing choice. */
reg_result_t event_register(db_t *db, arena_t *a, int64_t event_id, int64_t user_id, bool share, const char *affiliation,
                            const char **status);
/* event_unregister: cancel the user's registration; the first on the waiting list moves up. */
reg_result_t event_unregister(db_t *db, arena_t *a, int64_t event_id, int64_t user_id);
/* event_my_status: "registered", "waiting" or NULL. */
const char *event_my_status(db_t *db, arena_t *a, int64_t event_id, int64_t user_id);
/* event_participants: [{name, email, affiliation, status, registered_at, shared}] in order;
 * name, email and affiliation only for those who agreed to share them. */
json_t *event_participants(db_t *db, int64_t event_id);
/* event_participants_csv: the same as CSV (RFC 4180, formula-safe) into the arena. */
char *event_participants_csv(db_t *db, arena_t *a, int64_t event_id, const char *lang);

/* ---- invitations (model.c) ---- */
/* event_invite: invite an organisation (once; again returns the same invitation). Returns its id, 0 on error. */
int64_t event_invite(db_t *db, arena_t *a, int64_t event_id, int64_t org_id, int64_t by, const char *message);
/* event_invitations: [{id, organisation, name, country, status, answered_at}] of an event. */
json_t *event_invitations(db_t *db, arena_t *a, int64_t event_id);
/* event_invitations_for_user: pending and answered invitations of the organisations the user
 * administers: [{id, event, title, start, organisation, name, status}]. */
json_t *event_invitations_for_user(db_t *db, arena_t *a, const user_t *u, const char *lang);
/* event_answer: accept or decline invitation id on behalf of its organisation: 0, 404 (no such
 * invitation), 403 (not an administrator of the invited organisation), 500. */
int event_answer(db_t *db, arena_t *a, const user_t *u, int64_t invitation_id, bool accept, int64_t *event_id);

/* ---- notifications (model.c) ---- */
bool event_notify(db_t *db, arena_t *a, int64_t user_id, int64_t event_id, const char *kind, const char *detail);
/* event_notifications_for: [{id, kind, event, title, detail, created_at, read}] newest first; marks them read when mark. */
json_t *event_notifications_for(db_t *db, arena_t *a, int64_t user_id, const char *lang, bool mark);
const char *event_notification_text(const char *kind, const char *lang); /* "%s" is the event's title */

/* event_new_since: events after_id < id <= upto_id, not cancelled and not over, created at or
 * after created_after (ISO UTC, may be NULL), ascending: id, country and their titles and
 * descriptions in every language joined (in a); malloc'ed (caller frees), *n the count.
 * event_last_id: the highest event id (0 when none). For notify/'s news from the other side. */
typedef struct event_brief { int64_t id; const char *country, *text; } event_brief_t;
event_brief_t *event_new_since(db_t *db, arena_t *a, int64_t after_id, int64_t upto_id, const char *created_after, size_t *n);
int64_t event_last_id(db_t *db);

/* ---- personal data (model.c) ---- */
/* event_personal_data: {event_registrations, meeting_profiles, meetings, notifications} of a user. */
json_t *event_personal_data(db_t *db, int64_t user_id);
/* event_forget_user: end the user's registrations (waiting lists move up), remove their meeting
 * profiles, messages and notifications (call inside the account deletion's transaction). */
bool event_forget_user(db_t *db, arena_t *a, int64_t user_id);

/* ---- iCalendar (ical.c) ---- */
/* event_ics: a VCALENDAR (RFC 5545, built with libical) of the events ids, named name, texts in
 * lang where there is a choice; into the arena. Times are written in UTC. */
char *event_ics(db_t *db, arena_t *a, const int64_t *ids, int n, const char *name, const char *lang);
typedef struct ics_stats { int events, created, updated, unchanged, skipped; } ics_stats_t;
/* event_import_ics: import the VEVENTs of text (len bytes) into organisation org's events, matched
 * by UID (an event imported before is updated). All or nothing: on a hostile or invalid file (too
 * large, invalid UTF-8, nested too deep, too many events, an event without UID or with invalid
 * times) nothing is saved, error gets the reason (English, for the command line) and false is
 * returned. Recurring events are imported as their first occurrence. */
#define ICS_MAX_BYTES (4 * 1024 * 1024)
#define ICS_MAX_EVENTS 2000
bool event_import_ics(db_t *db, const char *text, size_t len, int64_t org, int64_t user_id, ics_stats_t *st, char *error,
                      size_t error_len, const char *lang);   /* lang: of the error message */

/* The e-mail sender of the notification outbox (mail.c): started by `serve --smtp URL`, off by
 * default. event_mailer_start copies its arguments; event_mailer_stop joins the thread. */
bool event_mailer_start(const char *db_path, const char *url, const char *from);
void event_mailer_stop(void);

/* event_bench: granslos bench events (bench.c); figures to out. Returns an exit code. */
#include <stdio.h>
int event_bench(FILE *out);

/* Demo events (demo.c, data/demo/events.json): idempotent; returns the number added, -1 on error. */
int event_demo_load(db_t *db);
/* event_demo_fictional: whether event id is a made-up demo event; demo events that took place
 * (marked "real" in data/demo/events.json, the 2022 conference) and other events are not. */
bool event_demo_fictional(db_t *db, int64_t id);

/* Handlers (pages.c, api.c). */
void event_calendar_page(req_t *r);
void event_board_page(req_t *r);
void event_page(req_t *r);
void event_new_page(req_t *r);
void event_create_post(req_t *r);
void event_edit_page(req_t *r);
void event_edit_post(req_t *r);
void event_cancel_post(req_t *r);
void event_register_post(req_t *r);
void event_unregister_post(req_t *r);
void event_participants_csv_get(req_t *r);
void event_invite_post(req_t *r);
void event_answer_post(req_t *r);
void event_import_page(req_t *r);
void event_import_post(req_t *r);
void event_file_get(req_t *r);        /* /events/{N}.ics */
void event_calendar_ics(req_t *r);    /* /calendar.ics?org=&theme=&country= */
void event_atom(req_t *r);            /* /events.atom */
void event_api_list(req_t *r);
void event_api_create(req_t *r);
void event_api_get(req_t *r);
void event_api_patch(req_t *r);
void event_api_cancel(req_t *r);
void event_api_clashes(req_t *r);
void event_api_history(req_t *r);
void event_api_register(req_t *r);
void event_api_unregister(req_t *r);
void event_api_participants(req_t *r);
void event_api_invite(req_t *r);
void event_api_invitations(req_t *r);
void event_api_answer(req_t *r);
/* 1:1 meetings (meetings.c) */
void event_meetings_page(req_t *r);
void event_meetings_setup_post(req_t *r);
void event_meetings_profile_post(req_t *r);
void event_meetings_request_post(req_t *r);
void event_meeting_answer_post(req_t *r);
void event_meetings_schedule_post(req_t *r);
void event_agenda_page(req_t *r);
void event_agenda_ics(req_t *r);
void event_api_meetings_setup(req_t *r);
void event_api_meetings_profile(req_t *r);
void event_api_meetings_profiles(req_t *r);
void event_api_meetings_request(req_t *r);
void event_api_meeting_answer(req_t *r);
void event_api_meetings_schedule(req_t *r);
void event_api_agenda(req_t *r);

/* ---- naming organisations on an event (organisers.c; issue 11) ---- */
/* event_organiser_confirmed: org confirmed that it organises event (named by its own member, or
 * confirmed by its administrator). */
bool event_organiser_confirmed(db_t *db, int64_t event, int64_t org);
/* event_unconfirmed_organisers: the organisers of event not confirmed yet, in order (caller owns). */
json_t *event_unconfirmed_organisers(db_t *db, int64_t event);
/* event_organisers_confirm: inside event_save: forget confirmations of organisations no longer
 * listed, confirm those the saving user is a member of (every one when user_id is 0: the CLI). */
bool event_organisers_confirm(db_t *db, arena_t *a, int64_t event, int64_t user_id);
/* event_organisers_check: the naming rules for a save of doc over base (NULL for a new event) by u:
 * u keeps an organisation they are a member of among the organisers, and joins an existing series
 * only if they are a member of a confirmed organiser of one of its events (platform admins may).
 * NULL, or the errors {field: message in lang} (caller owns). */
json_t *event_organisers_check(db_t *db, const user_t *u, json_t *doc, json_t *base, const char *lang);
/* event_organiser_mark: after an organiser's name on the event page: "unconfirmed" and, for that
 * organisation's administrators, the confirm and decline buttons. */
void event_organiser_mark(req_t *r, db_t *db, int64_t event, int64_t org);
void event_organiser_answer_post(req_t *r);
void event_api_organiser_answer(req_t *r);
#endif
