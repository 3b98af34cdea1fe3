/* The border-obstacle register (gränshinder / grensehinder): obstacles people report, what
 * differs between the Swedish and the Norwegian rules, the organisations it affects, and the
 * public status workflow run by the obstacle desk.
 * Owns the tables obstacles, obstacle_themes, obstacle_refs, obstacle_status_log,
 * obstacle_versions, obstacle_affected, obstacle_links and obstacle_desk (010_obstacles.sql).
 * Organisations are reached only through org/org.h, users through account/auth.h.
 *
 * An obstacle's text is a JSON document with the API's fields (docs/api.md, "Border
 * obstacles"); pages and API both go through obs_validate() and obs_save(), and every save of
 * changed text is a new version (nothing is lost). Returned json_t references belong to the
 * caller. */
#ifndef OBSTACLES_OBSTACLES_H
#define OBSTACLES_OBSTACLES_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "doc/doc.h"
#include "http/http.h"

/* The obstacle kind of the document pipeline (doc/doc.h). */
extern doc_kind_t obs_kind;

/* The workflow: reported → analysis → raised → resolved | not-obstacle | closed, and back
 * (see obs_move_allowed). Statuses in display order. */
extern const char *const obs_statuses[6];
bool obs_status_valid(const char *s);
const char *obs_status_label(const char *status, const char *lang);
/* obs_move_allowed: whether the workflow lets an obstacle move from one status to another. */
bool obs_move_allowed(const char *from, const char *to);

/* obs_load: the obstacle as the API shows it (editable fields, status, reporter, reporting and
 * affected organisations, links, status history and text versions), or NULL. */
json_t *obs_load(db_t *db, arena_t *a, int64_t id);
bool obs_exists(db_t *db, int64_t id);
/* obs_demo_id: the demo obstacle with this key, or 0. */
int64_t obs_demo_id(db_t *db, const char *key);

/* obs_validate: merge input onto base (NULL for a new obstacle), check every field and return
 * {field: message in lang} (empty when valid); on success *doc is the normalised text to save.
 * The reporting organisation must be one the user is a member of (unless it is unchanged). */
json_t *obs_validate(db_t *db, const char *lang, json_t *input, json_t *base, const user_t *u, json_t **doc);

/* obs_save: write doc in one transaction: id 0 reports a new obstacle (status "reported", the
 * first entry of the status history); otherwise a new version when the text changed
 * (*changed false when it did not). demo_key marks demo data (NULL otherwise).
 * Returns the id, 0 on a database error (nothing written). */
int64_t obs_save(db_t *db, arena_t *a, int64_t id, json_t *doc, int64_t user_id, const char *demo_key, bool *changed);

/* obs_move: change the status, keeping who, when and why in the public history.
 * Returns 0, 404 (no such obstacle), 409 (not allowed from the current status; *from is set
 * to it) or 500. */
int obs_move(db_t *db, arena_t *a, int64_t id, const char *to, const char *comment, int64_t user_id, const char **from);

/* obs_affected_set: mark (on) or unmark that organisation org is affected too. Permission
 * (the user acts for org) is the caller's to check. Returns false on a database error. */
bool obs_affected_set(db_t *db, arena_t *a, int64_t id, int64_t org, int64_t user_id, bool on);
bool obs_is_affected(db_t *db, int64_t id, int64_t org);

/* obs_link_add: link an obstacle to a roundtable bullet, an event or a project (target_type
 * "bullet", "event", "project"); the module owning the target checks that it exists. */
bool obs_link_add(db_t *db, arena_t *a, int64_t id, const char *target_type, int64_t target_id, int64_t user_id);

/* Who may do what (checked on the server for every write). */
bool obs_is_desk(db_t *db, int64_t user_id);
bool obs_can_move(db_t *db, const user_t *u);               /* platform admin or obstacle desk */
bool obs_can_edit(db_t *db, const user_t *u, int64_t id);   /* its reporter, the desk, admins */
/* obs_user_orgs: the organisations the user is a member of ({id, name}), for the forms. */
json_t *obs_user_orgs(db_t *db, int64_t user_id);

/* Personal data of a user held by this module: {obstacles_reported, obstacle_status_changes,
 * obstacle_affected_marks, obstacle_desk}. */
json_t *obs_personal_data(db_t *db, int64_t user_id);
/* obs_forget_user: take the desk role away (call inside the account deletion's transaction);
 * reports, edits and status changes stay, pointing at the anonymous user. */
bool obs_forget_user(db_t *db, int64_t user_id);

/* The obstacle desk role. */
bool obs_desk_set(db_t *db, arena_t *a, int64_t user_id, int64_t by, bool on);
int64_t *obs_desk_list(db_t *db, arena_t *a, int *n);

/* The list: filters read from the query string (shared by the page, the feed and the API). */
typedef struct obs_filter {
    const char *status;   /* a status, "open" (not yet resolved or closed) or NULL */
    const char *theme, *country, *q;
    int page, per_page;
} obs_filter_t;
typedef struct obs_row {
    int64_t id;
    const char *title, *status, *country, *created_at, *updated_at, *description;
    long long naffected;
    bool demo;
    const char *lang;     /* the language of title and description */
} obs_row_t;
/* obs_filter_read: NULL, or the message (in r->lang) for a bad parameter. */
const char *obs_filter_read(req_t *r, obs_filter_t *f);
long long obs_search(db_t *db, arena_t *a, const obs_filter_t *f, obs_row_t **rows, int *n);

/* The platform admins' page: the desk section (admin/pages.c calls it). */
void obs_admin_section(req_t *r);

/* Handlers (pages.c, api.c, feed.c). */
void obs_list_page(req_t *r);
void obs_page(req_t *r);
void obs_new_page(req_t *r);
void obs_create_post(req_t *r);
void obs_edit_page(req_t *r);
void obs_edit_post(req_t *r);
void obs_status_page(req_t *r);
void obs_status_post(req_t *r);
void obs_affected_post(req_t *r);
void obs_desk_post(req_t *r);
void obs_feed(req_t *r);
void obs_status_feed(req_t *r);
void obs_api_list(req_t *r);
void obs_api_get(req_t *r);
void obs_api_create(req_t *r);
void obs_api_patch(req_t *r);
void obs_api_status(req_t *r);
void obs_api_affected_add(req_t *r);
void obs_api_affected_remove(req_t *r);
#endif
