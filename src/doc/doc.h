/* Versioned documents: the one pipeline organisations, events and obstacles go through.
 *
 * A document kind (doc_kind_t) names its editable fields and read-only fields, how to check
 * an input (validate) and how to write the row and its child tables (write). doc_save() does
 * the rest, the same for every kind, in one transaction:
 *   begin → read the stored version (inside the transaction) → refuse or merge a save made
 *   from an older version (lost updates) → diff → unchanged: nothing written, no version →
 *   write → version row in doc_versions → commit → after-save hooks.
 * doc_versions (050_doc_versions.sql) holds every version of every kind: who, when, the
 * changed fields with old and new values and the editable fields after the edit. Its seq
 * column grows with every insert: the change feed another process or node can follow
 * (doc_feed_*). Returned json_t references belong to the caller unless said otherwise. */
#ifndef DOC_DOC_H
#define DOC_DOC_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "http/http.h"

typedef struct doc_kind doc_kind_t;

/* after-save hook: called after the commit of a save that made a version (not inside a
 * larger transaction: then the change feed tells). doc is the saved document (borrowed). */
typedef void (*doc_hook_fn)(db_t *db, const doc_kind_t *k, int64_t id, json_t *doc);

enum { DOC_MAX_HOOKS = 4 };

struct doc_kind {
    const char *name;               /* the kind column of doc_versions: "organisation", ... */
    const char *const *fields;      /* editable fields, in the order versions list them */
    const char *const *readonly;    /* fields a client may send back, ignored */
    /* validate: merge input onto base (NULL: new), check every field; returns the errors
     * {field: message in lang} (empty when valid) and on success sets *doc. */
    json_t *(*validate)(db_t *db, const char *lang, json_t *input, json_t *base, int64_t id, const user_t *u, json_t **doc);
    /* write: the row and its child tables inside doc_save's transaction; id 0 inserts.
     * old: the stored editable fields (NULL for a new document). Returns the id, 0 on error. */
    int64_t (*write)(db_t *db, arena_t *a, int64_t id, json_t *doc, json_t *old, int version, int64_t user_id);
    /* same: optional comparison of one field (NULL: json_equal) */
    bool (*same)(const char *field, json_t *a, json_t *b);
    /* load: the document as the API shows it to u (for the generic handlers), NULL if none;
     * editor: the caller has checked that u may edit it */
    json_t *(*load)(db_t *db, arena_t *a, int64_t id, const user_t *u, bool editor);
    bool (*may_edit)(db_t *db, const user_t *u, int64_t id);
    bool (*may_revert)(db_t *db, const user_t *u, int64_t id);
    /* may_create: optional, for a validated new document (NULL: any logged-in user) */
    bool (*may_create)(db_t *db, const user_t *u, json_t *doc);
    const char *api_path;           /* "/api/v1/organisations": Location of a created document */
    /* messages (msgids, translated when used); history and revert default to msg_forbidden_edit */
    const char *msg_not_found, *msg_forbidden_edit, *msg_forbidden_history, *msg_forbidden_revert, *msg_forbidden_create,
               *msg_save_failed;
    doc_hook_fn hooks[DOC_MAX_HOOKS]; /* after-save subscribers (doc_subscribe) */
};

/* doc_subscribe: call fn after every committed save of kind k (process lifetime). */
void doc_subscribe(doc_kind_t *k, doc_hook_fn fn);
bool doc_subscribed(const doc_kind_t *k, doc_hook_fn fn);

typedef enum { DOC_SAVED, DOC_UNCHANGED, DOC_CONFLICT, DOC_INVALID, DOC_NOT_FOUND, DOC_ERROR } doc_rc_t;

typedef struct doc_save_opts {
    int64_t user_id;        /* 0: the system (demo, import) */
    const char *note;       /* e.g. "revert to 3", NULL */
    int base_version;       /* the version the editor started from; 0: none (last save wins) */
    const char *lang;       /* for messages when a merge has to be checked again */
    const user_t *user;     /* for validate after a merge */
} doc_save_opts_t;

typedef struct doc_result {
    int64_t id;
    int version;            /* the stored version after the call */
    bool merged;            /* saved from an older version, merged field by field */
    json_t *conflicts;      /* DOC_CONFLICT: {field: {"yours": v, "theirs": v}}; DOC_INVALID: errors (arena-owned) */
    json_t *changes;        /* DOC_SAVED: {field: [old, new]} (arena-owned) */
} doc_result_t;

/* doc_save: doc is a validated document (kind->validate). See the top of this file. */
doc_rc_t doc_save(const doc_kind_t *k, db_t *db, arena_t *a, int64_t id, json_t *doc, const doc_save_opts_t *o, doc_result_t *res);

/* doc_save_simple: doc_save without a base version, for the modules' *_save functions: the id
 * (0 on an error), *changed when a version was made. */
int64_t doc_save_simple(const doc_kind_t *k, db_t *db, arena_t *a, int64_t id, json_t *doc, int64_t user_id, const char *note, bool *changed);

/* doc_revert: save the snapshot of version as a new version (note "revert to N").
 * Returns DOC_SAVED/DOC_UNCHANGED, DOC_NOT_FOUND for an unknown version, DOC_INVALID when the
 * old version no longer validates (res->conflicts: the errors), DOC_ERROR. */
doc_rc_t doc_revert(const doc_kind_t *k, db_t *db, arena_t *a, int64_t id, int version, const doc_save_opts_t *o, doc_result_t *res);

/* doc_history: [{version, at, user: {id, name, deleted} | null, note, changes}], newest first.
 * A deleted user is shown as {id, name: "", deleted: true}. */
json_t *doc_history(const doc_kind_t *k, db_t *db, int64_t id);
/* doc_snapshot: the editable fields as of version (0: the newest), or NULL; *version set. */
json_t *doc_snapshot(const doc_kind_t *k, db_t *db, int64_t id, int version, int *got);
/* doc_version: the newest version of a document, 0 if it has none. */
int doc_version(const doc_kind_t *k, db_t *db, int64_t id);

/* The change feed: the newest seq of a kind, and the distinct documents changed after seq. */
int64_t doc_feed_newest(const doc_kind_t *k, db_t *db);
int doc_feed_since(const doc_kind_t *k, db_t *db, int64_t seq, int64_t **ids); /* *ids malloc'ed: caller frees */

/* doc_user_edits: [{id_key: id, version, at}] of the versions of kind k a user saved. */
json_t *doc_user_edits(const doc_kind_t *k, db_t *db, int64_t user_id, const char *id_key);
/* doc_edited_by_user: whether any version of the document was saved by a user (not the system). */
bool doc_edited_by_user(const doc_kind_t *k, db_t *db, int64_t id);

/* Personal data: the versions a user saved, [{kind, id, version, at, note}] (for the export). */
json_t *doc_user_versions(db_t *db, int64_t user_id);

/* doc_demo_file: the embedded demo file (data/demo/NAME) as a JSON array (caller owns it), or
 * NULL after logging why not. */
json_t *doc_demo_file(const char *path);
/* doc_demo_input: a new object with o's members but "key" and those named in skip (NULL-ended):
 * the input a demo entry gives its kind's validate. The caller owns it. */
json_t *doc_demo_input(json_t *o, const char *const *skip);
/* doc_demo_each: for every entry of the demo file path with a "key" that found(db, key) does not
 * find yet, add(db, entry, key). Returns how many add saved, or -1 when the file does not parse or
 * some add failed (the others are still added: a demo load is idempotent and can be run again). */
int doc_demo_each(db_t *db, const char *path, int64_t (*found)(db_t *db, const char *key),
                  bool (*add)(db_t *db, json_t *entry, const char *key));
/* doc_demo_doc: a demo record's input validated as a new document of kind k, marked with its
 * demo key (caller owns it), or NULL after logging why it is not valid. in is borrowed. */
json_t *doc_demo_doc(const doc_kind_t *k, db_t *db, json_t *in, const char *key);
/* doc_demo_save: doc_demo_doc and save it as the system; the new id, or 0 (logged). */
int64_t doc_demo_save(const doc_kind_t *k, db_t *db, json_t *in, const char *key);

/* doc_conflict_text: one line naming the fields another editor changed, in lang (arena). */
const char *doc_conflict_text(arena_t *a, const char *lang, json_t *conflicts);

/* doc_rows: every row of s as an object (caller owns the array); keys is one name per column,
 * comma-separated, a name ending in '?' a boolean; integers as numbers, NULL as null, else text.
 * For the personal-data exports and other row-to-JSON lists. */
json_t *doc_rows(stmt_t *s, const char *keys);
/* doc_bind_int: bind a JSON integer (borrowed), or NULL when v is anything else or missing. */
void doc_bind_int(stmt_t *s, const char *name, json_t *v);
/* doc_row_into: the current row's columns from col on into o under keys (as doc_rows; a NULL
 * boolean is false). */
void doc_row_into(stmt_t *s, int col, const char *keys, json_t *o);
/* doc_user_rows: doc_rows of sql (a literal) with :u bound to user_id. */
json_t *doc_user_rows(db_t *db, const char *sql, int64_t user_id, const char *keys);

/* Shared checks (check.c): one rule for every kind. */
/* check_text: s has no control characters (C0 except TAB/LF/CR in multi-line text, DEL, C1)
 * and no bidirectional overrides or isolates (U+202A–202E, U+2066–2069). one_line: no TAB,
 * LF or CR either. */
bool check_text(const char *s, bool one_line);
/* check_url: an absolute http(s) URL with a host and no spaces, quotes or angle brackets. */
bool check_url(const char *s);
/* check_date: YYYY-MM-DD, a real date. */
bool check_date(const char *s);
/* check_fields: every key of input is an editable or read-only field of k; else errors[key]. */
void check_fields(const doc_kind_t *k, const char *lang, json_t *input, json_t *errors);
/* check_merge: input's editable fields over base (a new object the caller owns). */
json_t *check_merge(const doc_kind_t *k, json_t *input, json_t *base);
/* check_string: the one text cleaner. in trimmed and checked: absent or null is an error with
 * CHECK_REQUIRED, else null with CHECK_NULLABLE, else ""; not text, empty when required, longer
 * than max code points, or with control characters (newlines only with CHECK_LINES) is an error
 * (NULL returned). An empty nullable text is null. Returns a new reference. */
enum { CHECK_REQUIRED = 1, CHECK_NULLABLE = 2, CHECK_LINES = 4 };
typedef struct check_ctx check_ctx_t;
json_t *check_string(check_ctx_t *v, json_t *in, const char *field, size_t max, int flags);
/* check_ctx_t: what a kind's validate carries; check_err records an error as check_error does. */
struct check_ctx { db_t *db; const char *lang; json_t *errors; };
void check_err(check_ctx_t *v, const char *field, const char *msgid);
/* check_list: in is absent, null, or an array of at most max items; false after the error msgid. */
bool check_list(check_ctx_t *v, json_t *in, const char *field, size_t max, const char *msgid);
/* check_begin: the start of every kind's validate: *doc = NULL; a body that is not an object is
 * an error (NULL returned); else unknown fields are errors (check_fields) and the result is input
 * merged over base (check_merge), which the caller owns. */
json_t *check_begin(check_ctx_t *v, const doc_kind_t *k, json_t *input, json_t *base, json_t **doc);
/* check_error: errors[field] = tr(lang, msgid) unless the field already has an error. */
void check_error(json_t *errors, const char *lang, const char *field, const char *msgid);

/* Edit pages (page.c). doc_form_version writes the hidden "version" field of an edit form
 * (o's version, else the posted one); doc_form_base reads it back (0: none). */
void doc_form_version(req_t *r, json_t *o);
int doc_form_base(req_t *r);
/* doc_conflict_errors: {field: message} for a form, a text per language as "field.lang". */
json_t *doc_conflict_errors(arena_t *a, const char *lang, json_t *conflicts);
/* doc_page_save: save a validated document from an edit form opened at doc_form_base(r).
 * DOC_CONFLICT (status 409) and DOC_INVALID (422) set *errors (arena-owned) for the form and
 * in's version to the newest, so the form shown again keeps the editor's input. */
doc_rc_t doc_page_save(req_t *r, const doc_kind_t *k, int64_t id, json_t *doc, json_t *in, json_t **errors);

/* doc_page_may_edit: true, or false after a 404 or 403 page (r->id[0] is the document). */
bool doc_page_may_edit(req_t *r, const doc_kind_t *k);
/* doc_page_edit: validate the posted input over base and save it (doc_page_save); DOC_INVALID
 * (422) and DOC_CONFLICT (409) leave *errors for the form shown again; DOC_ERROR has answered 500. */
doc_rc_t doc_page_edit(req_t *r, const doc_kind_t *k, json_t *in, json_t *base, json_t **errors);
/* doc_form_fn: draws a kind's form filled from in, with its errors (NULL: none). */
typedef void (*doc_form_fn)(req_t *r, json_t *in, json_t *errors);
/* doc_page_create: the POST of a kind's "new" form: in validated as the user's (k->validate);
 * invalid: 422 and the page again, titled title (<title> and <h1>), form(r, in, errors), and 0;
 * else the new document's id, saved as the user's (a failed save answers 500 and gives 0). */
int64_t doc_page_create(req_t *r, const doc_kind_t *k, const char *title, json_t *in, doc_form_fn form);
/* doc_page_create_post: doc_page_create, then for the new document the flash and a redirect to
 * path/ID (path: the kind's pages, such as "/obstacles"). */
void doc_page_create_post(req_t *r, const doc_kind_t *k, const char *title, json_t *in, doc_form_fn form, const char *flash, const char *path);

/* doc_page_edit_head: an edit page's start: page_begin("Edit: title"), the title as <h1>, a link
 * back to the document (back_href, text back) and, unless NULL, a lead paragraph. */
void doc_page_edit_head(req_t *r, const char *title, const char *back_href, const char *back, const char *lead);
/* doc_page_edit_post: the rest of an edit form's POST after doc_page_may_edit: doc_page_edit of in
 * over base; invalid or in conflict: the page again ("Edit: title", <h1> title, form(r, in,
 * errors)); saved or unchanged: that flash and a redirect to done; otherwise already answered. */
void doc_page_edit_post(req_t *r, const doc_kind_t *k, json_t *in, json_t *base, const char *title, doc_form_fn form, const char *done);

/* The generic API handlers (doc/api.c): one line per route in the modules. */
void doc_api_get(req_t *r, const doc_kind_t *k);
void doc_api_history(req_t *r, const doc_kind_t *k);
/* doc_api_create: validate and save a new document from the body; returns its id with
 * Location and ETag set, or 0 after answering. doc_api_create_answer answers 201 {id}. */
int64_t doc_api_create(req_t *r, const doc_kind_t *k);
void doc_api_create_answer(req_t *r, const doc_kind_t *k);
void doc_api_revert(req_t *r, const doc_kind_t *k);
/* doc_api_patch: If-Match ("N" or W/"N") or the body's version give the editor's version;
 * a save from an older version is merged field by field or refused with 409 and the fields. */
void doc_api_patch(req_t *r, const doc_kind_t *k);
/* doc_api_save: save input over the stored document (its newest snapshot `stored` at version
 * `have`, or NULL to read it) for an API request whose permission was checked; false after answering 404/400/412/422/409/500. On true the ETag is set and the
 * caller answers. */
bool doc_api_save(req_t *r, const doc_kind_t *k, json_t *input, json_t *stored, int have);
/* doc_etag: answer the ETag "N" of the document's version. */
void doc_etag(req_t *r, int version);
/* doc_base_version: the editor's version from If-Match or the input's "version" (0: none;
 * -1: unreadable If-Match, answered with 400/412 by the caller). */
int doc_base_version(req_t *r, json_t *input);
#endif
