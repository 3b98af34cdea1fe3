/* The generic JSON API handlers of every document kind (doc.h): get, patch with lost-update
 * protection (ETag / If-Match / version), history and revert. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/util.h"
#include "doc/doc.h"
#include "http/api.h"
#include "i18n/i18n.h"

void doc_etag(req_t *r, int version) {
    if (version > 0) resp_header(r, "ETag", arena_printf_libc(r->arena, "\"%d\"", version));
}

/* parse_tag: "N" or W/"N" → N, else -1 */
static int parse_tag(const char *h) {
    while (*h == ' ') h++;
    if (!strncmp(h, "W/", 2)) h += 2;
    if (*h != '"') return -1;
    char *end;
    long v = strtol(h + 1, &end, 10);
    if (end == h + 1 || *end != '"' || v < 1 || v > 1000000000) return -1;
    for (end++; *end == ' '; end++) {}
    return *end ? -1 : (int)v;
}

int doc_base_version(req_t *r, json_t *input) {
    const char *im = req_header(r, "If-Match");
    if (im && *im) return parse_tag(im);
    json_t *v = json_object_get(input, "version");
    if (json_is_integer(v) && json_integer_value(v) >= 1 && json_integer_value(v) <= 1000000000) return (int)json_integer_value(v);
    return 0;
}

static bool has_header(req_t *r, const char *name) {
    for (int i = 0; i < r->headers.n; i++) if (!strcasecmp(r->headers.items[i].name, name)) return true;
    return false;
}

/* answer: the document as stored, with its ETag (unless set) */
static void answer(req_t *r, const doc_kind_t *k, db_t *db, int status, bool editor) {
    json_t *d = k->load(db, r->arena, r->id[0], r->user, editor);
    if (!api_found(r, d != NULL, k->msg_not_found)) return;
    if (!has_header(r, "ETag")) doc_etag(r, (int)json_integer_value(json_object_get(d, "version")));
    resp_json(r, status, d);
}

void doc_api_get(req_t *r, const doc_kind_t *k) { answer(r, k, db_get(), 200, false); }

/* conflict: 409 naming what others changed since the editor's version */
static void conflict(req_t *r, const doc_kind_t *k, db_t *db, const doc_result_t *res) {
    json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:s, s:I, s:O}", "type", "about:blank", "title", "Conflict", "status", 409, "code",
                          "conflict", "detail", doc_conflict_text(r->arena, r->lang, res->conflicts), "version", (json_int_t)res->version,
                          "conflicts", res->conflicts);
    doc_etag(r, doc_version(k, db, r->id[0]));
    resp_json(r, 409, p);
    r->ctype = "application/problem+json";
}

bool doc_api_save(req_t *r, const doc_kind_t *k, json_t *in, json_t *stored, int have) {
    db_t *db = db_get();
    if (!stored) stored = api_own(r, doc_snapshot(k, db, r->id[0], 0, &have));
    if (!api_found(r, stored != NULL, k->msg_not_found)) return false;
    int base = doc_base_version(r, in);
    if (base < 0) { resp_problem(r, 400, "bad-if-match", T(r, "If-Match must be the ETag of a version, such as \"3\"."), NULL); return false; }
    if (base > have) { resp_problem(r, 412, "precondition-failed", T(r, "There is no such version."), NULL); return false; }
    /* without a version the edit is of the version just read: a save committed meanwhile (between
     * this read and doc_save's transaction) is merged with it, not overwritten */
    if (!base) base = have;
    json_t *doc;
    json_t *errors = api_own(r, k->validate(db, r->lang, in, stored, r->id[0], r->user, &doc));
    if (json_object_size(errors)) { api_invalid(r, errors); return false; }
    api_own(r, doc);
    doc_save_opts_t o = {.user_id = r->user->id, .base_version = base, .lang = r->lang, .user = r->user};
    doc_result_t res;
    doc_rc_t rc = doc_save(k, db, r->arena, r->id[0], doc, &o, &res);
    if (rc == DOC_CONFLICT) { conflict(r, k, db, &res); return false; }
    if (rc == DOC_INVALID) { api_invalid(r, res.conflicts); return false; }
    if (rc == DOC_NOT_FOUND) { api_found(r, false, k->msg_not_found); return false; }
    if (rc == DOC_ERROR) { resp_problem(r, 500, "db", T(r, k->msg_save_failed), NULL); return false; }
    doc_etag(r, res.version);
    return true;
}

void doc_api_patch(req_t *r, const doc_kind_t *k) {
    db_t *db = db_get();
    int have = 0;
    json_t *stored = api_own(r, doc_snapshot(k, db, r->id[0], 0, &have));
    if (!api_found(r, stored != NULL, k->msg_not_found)) return;
    if (!api_allowed(r, k->may_edit(db, r->user, r->id[0]), k->msg_forbidden_edit)) return;
    json_t *in = api_body(r);
    if (in && doc_api_save(r, k, in, stored, have)) answer(r, k, db, 200, true);
}

int64_t doc_api_create(req_t *r, const doc_kind_t *k) {
    db_t *db = db_get();
    json_t *in = api_body(r);
    if (!in) return 0;
    json_t *doc;
    json_t *errors = api_own(r, k->validate(db, r->lang, in, NULL, 0, r->user, &doc));
    if (json_object_size(errors)) { api_invalid(r, errors); return 0; }
    api_own(r, doc);
    if (k->may_create && !api_allowed(r, k->may_create(db, r->user, doc), k->msg_forbidden_create)) return 0;
    doc_save_opts_t o = {.user_id = r->user->id, .lang = r->lang, .user = r->user};
    doc_result_t res;
    if (doc_save(k, db, r->arena, 0, doc, &o, &res) != DOC_SAVED) {
        resp_problem(r, 500, "db", T(r, k->msg_save_failed), NULL);
        return 0;
    }
    resp_header(r, "Location", arena_printf_libc(r->arena, "%s/%lld", k->api_path, (long long)res.id));
    doc_etag(r, res.version);
    return res.id;
}

void doc_api_create_answer(req_t *r, const doc_kind_t *k) {
    int64_t id = doc_api_create(r, k);
    if (id) resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void doc_api_history(req_t *r, const doc_kind_t *k) {
    db_t *db = db_get();
    if (!api_found(r, doc_version(k, db, r->id[0]) > 0, k->msg_not_found)) return;
    if (!api_allowed(r, k->may_edit(db, r->user, r->id[0]), k->msg_forbidden_history ? k->msg_forbidden_history : k->msg_forbidden_edit)) return;
    resp_json(r, 200, json_pack("{s:o}", "items", doc_history(k, db, r->id[0])));
}

void doc_api_revert(req_t *r, const doc_kind_t *k) {
    db_t *db = db_get();
    if (!api_found(r, doc_version(k, db, r->id[0]) > 0, k->msg_not_found)) return;
    if (!api_allowed(r, k->may_revert(db, r->user, r->id[0]), k->msg_forbidden_revert ? k->msg_forbidden_revert : k->msg_forbidden_edit)) return;
    json_t *in = api_body(r);
    if (!in) return;
    json_t *v = json_object_get(in, "version");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000000) {
        resp_problem(r, 422, "validation", T(r, "There is no such version."), NULL);
        return;
    }
    doc_save_opts_t o = {.user_id = r->user->id, .lang = r->lang, .user = r->user};
    doc_result_t res;
    doc_rc_t rc = doc_revert(k, db, r->arena, r->id[0], (int)json_integer_value(v), &o, &res);
    if (rc == DOC_NOT_FOUND) { resp_problem(r, 404, "not-found", T(r, "There is no such version."), NULL); return; }
    if (rc == DOC_INVALID) {
        resp_problem(r, 409, "cannot-revert", T(r, "This version cannot be restored as it is."), json_incref(res.conflicts));
        return;
    }
    if (rc != DOC_SAVED && rc != DOC_UNCHANGED) { resp_problem(r, 500, "db", T(r, k->msg_save_failed), NULL); return; }
    answer(r, k, db, 200, true);
}
