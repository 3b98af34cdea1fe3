/* Organisations: the directory's records, their versions, members and permissions.
 * Owns the tables organisations, org_tags, org_themes, org_nace, org_contacts, org_networks,
 * org_successors, org_members, org_join_requests and org_versions.
 *
 * An organisation is handled as a JSON document (jansson) with the fields of the API
 * (docs/api.md). Pages and API both go through org_validate() and org_save(), so there is
 * one implementation of every rule. Returned json_t references belong to the caller. */
#ifndef ORG_ORG_H
#define ORG_ORG_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "doc/doc.h"
#include "http/http.h"

/* The organisation kind of the document pipeline (model.c): its after-save hooks are set
 * at start (org_index_all subscribes the search index). */
extern doc_kind_t org_kind;

typedef enum { ROLE_NONE = 0, ROLE_MEMBER = 1, ROLE_ADMIN = 2 } org_role_t;

/* org_load: the document of organisation id, or NULL. Contacts without consent are
 * left out unless with_private. Adds id, county, version, demo, created_at, updated_at. */
json_t *org_load(db_t *db, int64_t id, bool with_private);
/* org_load_many: out[i] = org_load(db, ids[i], with_private) for i < n, read with one statement
 * per part for all of them (a page of hits, a batch of the index build); the caller owns each
 * out[i] (json_decref; NULL for an id that does not exist). */
void org_load_many(db_t *db, const int64_t *ids, int n, bool with_private, json_t **out);
bool org_exists(db_t *db, int64_t id);
/* org_demo_id: the organisation loaded under a demo key, or 0 (for other modules' demo data). */
int64_t org_demo_id(db_t *db, const char *key);

/* org_view: what the profile page shows, read in four statements into plain arena strings
 * (no JSON): the page is the hottest path of the platform. */
typedef struct org_link { int64_t id; const char *name, *country; } org_link_t;
typedef struct org_contact { const char *name, *role, *email, *phone; bool consent; } org_contact_t;
typedef struct org_view {
    int64_t id;
    const char *name, *country, *orgnr, *kind, *municipality, *website, *desc[3], *text[3], *status, *ended_on, *updated_at;
    long long employees;                 /* -1: not known */
    bool demo;
    const char **tags[3]; int ntags[3];  /* competences, offers, needs */
    const char **nace; int nnace;
    const char **themes; int nthemes;
    org_contact_t *contacts; int ncontacts;
    org_link_t *links[4]; int nlinks[4]; /* member of, members, successors, predecessors */
} org_view_t;
enum { LINK_MEMBER_OF, LINK_MEMBERS, LINK_SUCCESSORS, LINK_PREDECESSORS };
bool org_view(db_t *db, arena_t *a, int64_t id, bool with_private, org_view_t *v);
const char *org_name(db_t *db, arena_t *a, int64_t id);

/* org_validate: merge `input` onto `base` (NULL for a new organisation), check every field
 * and return the errors as {field: message in lang} (empty object when valid). On success
 * *doc is the normalised document to save. */
json_t *org_validate(db_t *db, const char *lang, json_t *input, json_t *base, int64_t self_id, json_t **doc);

/* org_save: write doc as a new version in one transaction. id 0 creates the organisation
 * (the creating user becomes its admin). Returns the id, 0 on a database error.
 * *changed is false when the document equals the current version (nothing written). */
int64_t org_save(db_t *db, arena_t *a, int64_t id, json_t *doc, int64_t user_id, const char *note, bool *changed);

/* Versions. */
json_t *org_history(db_t *db, int64_t id);                /* [{version, at, user, note, changes}], newest first */

/* org_revert: save the snapshot of `version` as a new version. Returns 0 on success,
 * 404 for an unknown version, 409 when the old version no longer validates (errors set),
 * 500 on a database error. */
int org_revert(db_t *db, arena_t *a, const char *lang, int64_t id, int version, int64_t user_id, json_t **errors);

/* Roles and permissions (checked on the server for every write). */
org_role_t org_role(db_t *db, int64_t org_id, int64_t user_id);
bool org_can_edit(db_t *db, const user_t *u, int64_t org_id);   /* member, org admin or platform admin */
bool org_can_admin(db_t *db, const user_t *u, int64_t org_id);  /* org admin or platform admin */

/* Members and join requests. */
bool org_request_join(db_t *db, arena_t *a, int64_t org_id, int64_t user_id, const char *message);
bool org_decide_request(db_t *db, arena_t *a, int64_t request_id, int64_t org_id, bool approve, int64_t by);
bool org_set_role(db_t *db, arena_t *a, int64_t org_id, int64_t user_id, const char *role); /* NULL removes */
int org_active_admins(db_t *db, int64_t org_id);
/* org_member_ids: up to max active users of an organisation (only its admins when admins); the count. */
int org_member_ids(db_t *db, int64_t org_id, bool admins, int64_t *out, int max);
/* org_of_user_ids: up to max organisations the user belongs to; the count. */
int org_of_user_ids(db_t *db, int64_t user_id, int64_t *out, int max);
/* org_member_users: every live user of some organisation (malloc'ed, caller frees); *n the count. */
int64_t *org_member_users(db_t *db, size_t *n);
/* org_new_since: organisations after_id < id <= upto_id created at or after created_after (NULL:
 * any time), ascending, with their country (in a); malloc'ed array, caller frees; *n the count. */
typedef struct org_brief { int64_t id; const char *country; } org_brief_t;
org_brief_t *org_new_since(db_t *db, arena_t *a, int64_t after_id, int64_t upto_id, const char *created_after, size_t *n);
int64_t org_last_id(db_t *db);   /* the highest organisation id, 0 when there is none */

/* org_find_orgnr: the organisation with this number in that country, or 0. */
int64_t org_find_orgnr(db_t *db, const char *country, const char *orgnr);
/* org_find_name: the one organisation named exactly name (ignoring ASCII case), or 0 when there is
 * none or more than one (a name that is not unique names nobody). */
int64_t org_find_name(db_t *db, const char *name);
/* org_has_owner: whether people have taken the record in hand (members, or edits by a user):
 * then importers only refresh the register's facts. */
bool org_has_owner(db_t *db, int64_t id);

/* Personal data of a user held by this module: {memberships, join_requests, edits}. */
json_t *org_personal_data(db_t *db, int64_t user_id);
/* org_forget_user: end the user's memberships and clear their join-request messages
 * (call inside the account deletion's transaction). */
bool org_forget_user(db_t *db, int64_t user_id);
/* org_without_admin: organisations with no active administrator, for the platform admins'
 * queue: [{id, name, country, pending}] (pending join requests), at most limit. */
json_t *org_without_admin(db_t *db, int limit, long long *total);

/* The search index (index.c): org_index_all builds it at start and subscribes it to every
 * committed save of an organisation (doc_subscribe) and to the change feed (db/feed.h), which
 * brings what other nodes and processes changed. */
int org_index_all(db_t *db);
/* org_index_catch_up: index what other processes changed since (an import run beside the server,
 * another node): the change feed's rows after the last one seen. Cheap when nothing changed (one
 * statement); the feed's listener does the same as it is woken. */
void org_index_catch_up(db_t *db);
/* org_index_built: org_index_all has built the index in this process (/readyz) */
bool org_index_built(void);
/* org_index_refresh: index one organisation again as stored (after its translations changed);
 * the other nodes learn of it from the change feed (translate/ notes a 'translation'). */
void org_index_refresh(db_t *db, int64_t id);
/* org_index_changed: index the organisations ids[0..n) again as stored (n = -1: all), as the
 * change feed's subscriber does (for feeds of other kinds that change what the index reads). */
void org_index_changed(db_t *db, const int64_t *ids, int n);
/* org_index_surface: terms (folded index words, as search_suggest spells a query) as the
 * organisations that match them write them ("varmland" -> "Värmland"), the most common spelling
 * in the best five matches; a term none of them writes stays as it is. */
char *org_index_surface(db_t *db, arena_t *a, const char *terms);

/* Handlers (pages.c, api.c, members.c). */
void org_home_page(req_t *r);
void org_directory_page(req_t *r);
void org_directory_csv(req_t *r);   /* GET /organisations.csv: the directory with the page's filters */
void org_profile_page(req_t *r);
void org_new_page(req_t *r);
void org_create_post(req_t *r);
void org_edit_page(req_t *r);
void org_edit_post(req_t *r);
void org_history_page(req_t *r);
void org_revert_post(req_t *r);
void org_join_post(req_t *r);
void org_members_page(req_t *r);
void org_members_post(req_t *r);
void org_api_list(req_t *r);
void org_api_get(req_t *r);
void org_api_create(req_t *r);
void org_api_patch(req_t *r);
void org_api_history(req_t *r);
void org_api_revert(req_t *r);
void org_api_matches(req_t *r);
void org_partners_page(req_t *r);
void search_page(req_t *r);     /* GET /search (search.c) */
void search_api(req_t *r);      /* GET /api/v1/search */
void partners_page(req_t *r);
/* Cluster and network memberships (networks.c; issue 11). org_networks_sync: inside org_save, after
 * the networks were written: forget answers for networks no longer listed, accept at once those the
 * saving user is a member of (all for user 0: the CLI and the demo), and tell the administrators of
 * a network newly listed (not in was, the stored version's list) that waits for their answer
 * (issue 14). org_network_requests: for the network's administrators, the organisations waiting for
 * its answer, with the buttons. */
bool org_networks_sync(db_t *db, arena_t *a, int64_t org, int64_t user_id, bool listed, json_t *was); /* listed: the document names networks */
void org_network_requests(req_t *r, db_t *db, int64_t network);
void org_networks_answer_post(req_t *r);  /* POST /organisations/{id}/networks {member, answer} */

/* A member's first hour (issue 12). claim.c: claiming an organisation nobody administers
 * (approved at once when the user's confirmed e-mail domain is the website's, else by a platform
 * moderator), the profile's buttons, and the organisation look-up behind the type-ahead. */
/* org_domain_matches: the address's domain is the website's host (without "www.") or a subdomain
 * of it, and the website is a site of its own (no path: not a page on a platform). */
bool org_domain_matches(arena_t *a, const char *email, const char *website);
void org_claim_post(req_t *r);          /* POST /organisations/{id}/claim */
void org_claim_decide_post(req_t *r);   /* POST /admin/claims {claim, action: approve|refuse} */
void org_claims_section(req_t *r);      /* the moderators' queue on /admin */
void org_profile_actions(req_t *r, db_t *db, int64_t id, bool can_edit);
/* org_lookup: active organisations by id, address, organisation number or part of the name,
 * best first: [{id, name, country, municipality?, orgnr?, label}] (caller owns). */
json_t *org_lookup(db_t *db, arena_t *a, const char *q, const char *lang, int limit);
void org_lookup_api(req_t *r);          /* GET /api/v1/lookup/organisations?q= */
/* org_industry_lookup: industry codes whose code begins with q, or whose label (SNI 2007 for sv
 * and en, SN2007 for nb) holds its words: [{id, value: code, name: label, label: code}].
 * org_industry_resolve: the code a text names (a code, "code label", or a label only one
 * code has), else NULL. */
json_t *org_industry_lookup(arena_t *a, const char *q, const char *lang, int limit);
void org_industry_lookup_api(req_t *r);  /* GET /api/v1/lookup/industries?q= */
const char *org_industry_resolve(arena_t *a, const char *text, const char *lang);
/* org_resolve_name: the one organisation that text (a name, number, address or organisation
 * number) names: the only match, or the only one of several with exactly that name; else 0. */
int64_t org_resolve_name(db_t *db, arena_t *a, const char *text, const char *lang);
/* org_resolve_names: the names in text (a field_pick_names: separated with commas or semicolons),
 * each as the id of the organisation it names (org_resolve_name), or as its text when it names
 * none or several (caller owns). */
json_t *org_resolve_names(db_t *db, arena_t *a, const char *text, const char *lang);
/* org_pick_resolve: the organisation a field_pick named `name` (html/html.h) chose: its
 * `<name>_id`, else the text as number, address or a name matching one organisation. 0 with
 * *choices (caller owns) when the text matches none (empty array) or several. */
int64_t org_pick_resolve(req_t *r, db_t *db, const char *name, json_t **choices);
/* contact.c: "Contact" (GET/POST /organisations/{id}/contact) and the administrators' messages. */
void org_contact_page(req_t *r);
void org_contact_post(req_t *r);
void org_messages_section(req_t *r, db_t *db, int64_t org_id);
/* org_no_result_help: under a search of the directory (path "/organisations") or of /search that
 * found nothing: key areas that share a word (or its beginning) with q in any of the three
 * languages, "did you mean" — q spelt with the index's own words (search_suggest) when that finds
 * something, shown and searched as the organisations write them (org_index_surface), and names of
 * key areas and places close to its words — and the partner finder. */
void org_no_result_help(req_t *r, db_t *db, const char *q, const char *path);
/* org_welcome_page: GET /welcome — where a new account lands (claim.c). */
void org_welcome_page(req_t *r);
#endif
