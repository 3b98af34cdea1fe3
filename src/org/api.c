/* The organisations JSON API (/api/v1/organisations): a thin face over org.h. */
#include <string.h>
#include "core/util.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "org/query.h"

static void jfree(void *p) { json_decref(p); }

void org_api_list(req_t *r) {
    db_t *db = db_get();
    org_filter_t f;
    const char *bad = org_filter_read(r, &f);
    if (bad) { resp_problem(r, 422, "bad-filter", bad, NULL); return; }
    org_row_t *rows;
    int n;
    long long total = org_search(db, r->arena, &f, r->lang, &rows, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = org_load(db, rows[i].id, org_can_edit(db, r->user, rows[i].id));
        if (o) json_array_append_new(items, o);
    }
    json_t *out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", f.page, "per_page", f.per_page);
    if (streq(req_query(r, "facets"), "1") || streq(req_query(r, "facets"), "true"))
        json_object_set_new(out, "facets", org_facets(db, r->arena, &f, r->lang));
    resp_json(r, 200, out);
}

void org_api_get(req_t *r) {
    db_t *db = db_get();
    json_t *o = org_load(db, r->id[0], org_can_edit(db, r->user, r->id[0]));
    if (!o) { resp_problem(r, 404, "not-found", T(r, "There is no such organisation."), NULL); return; }
    resp_json(r, 200, o);
}

/* body: the request's JSON object, or NULL after answering with a problem */
static json_t *body(req_t *r) {
    if (!req_media_type_is(r, "application/json")) { /* exactly: not application/jsonx */
        resp_problem(r, 415, "unsupported-media-type", T(r, "Send JSON with Content-Type: application/json."), NULL);
        return NULL;
    }
    json_error_t e;
    json_t *j = r->body ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e) : NULL;
    if (!j) {
        resp_problem(r, 400, "malformed-json", aprintf(r->arena, "%s (%s)", T(r, "The request body is not valid JSON."), r->body ? e.text : "empty"), NULL);
        return NULL;
    }
    arena_on_free(r->arena, jfree, j);
    if (!json_is_object(j)) {
        resp_problem(r, 422, "validation", T(r, "The request must be a JSON object."), NULL);
        return NULL;
    }
    return j;
}

static void invalid(req_t *r, json_t *errors) {
    json_incref(errors);
    resp_problem(r, 422, "validation", T(r, "Some fields are not valid."), errors);
}

void org_api_create(req_t *r) {
    db_t *db = db_get();
    json_t *in = body(r);
    if (!in) return;
    json_t *doc;
    json_t *errors = org_validate(db, r->lang, in, NULL, 0, &doc);
    arena_on_free(r->arena, jfree, errors);
    if (json_object_size(errors)) { invalid(r, errors); return; }
    arena_on_free(r->arena, jfree, doc);
    bool changed;
    int64_t id = org_save(db, r->arena, 0, doc, r->user->id, NULL, &changed);
    if (!id) { resp_problem(r, 500, "db", T(r, "The organisation could not be saved. Nothing was changed."), NULL); return; }
    resp_header(r, "Location", aprintf(r->arena, "/api/v1/organisations/%lld", (long long)id));
    resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void org_api_patch(req_t *r) {
    db_t *db = db_get();
    if (!org_exists(db, r->id[0])) { resp_problem(r, 404, "not-found", T(r, "There is no such organisation."), NULL); return; }
    if (!org_can_edit(db, r->user, r->id[0])) {
        resp_problem(r, 403, "forbidden", T(r, "Only the organisation's members may edit it."), NULL);
        return;
    }
    json_t *in = body(r);
    if (!in) return;
    json_t *base = org_load(db, r->id[0], true);
    arena_on_free(r->arena, jfree, base);
    json_t *doc;
    json_t *errors = org_validate(db, r->lang, in, base, r->id[0], &doc);
    arena_on_free(r->arena, jfree, errors);
    if (json_object_size(errors)) { invalid(r, errors); return; }
    arena_on_free(r->arena, jfree, doc);
    bool changed;
    if (!org_save(db, r->arena, r->id[0], doc, r->user->id, NULL, &changed)) {
        resp_problem(r, 500, "db", T(r, "The organisation could not be saved. Nothing was changed."), NULL);
        return;
    }
    resp_json(r, 200, org_load(db, r->id[0], true));
}

void org_api_history(req_t *r) {
    db_t *db = db_get();
    if (!org_exists(db, r->id[0])) { resp_problem(r, 404, "not-found", T(r, "There is no such organisation."), NULL); return; }
    if (!org_can_edit(db, r->user, r->id[0])) {
        resp_problem(r, 403, "forbidden", T(r, "Only the organisation's members may see its history."), NULL);
        return;
    }
    resp_json(r, 200, json_pack("{s:o}", "items", org_history(db, r->id[0])));
}

void org_api_revert(req_t *r) {
    db_t *db = db_get();
    if (!org_exists(db, r->id[0])) { resp_problem(r, 404, "not-found", T(r, "There is no such organisation."), NULL); return; }
    if (!org_can_admin(db, r->user, r->id[0])) {
        resp_problem(r, 403, "forbidden", T(r, "Only the organisation's administrators may revert it."), NULL);
        return;
    }
    json_t *in = body(r);
    if (!in) return;
    json_t *v = json_object_get(in, "version");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 1000000000) {
        resp_problem(r, 422, "validation", T(r, "There is no such version."), NULL);
        return;
    }
    json_t *errors;
    int rc = org_revert(db, r->arena, r->lang, r->id[0], (int)json_integer_value(v), r->user->id, &errors);
    if (rc == 404) { resp_problem(r, 404, "not-found", T(r, "There is no such version."), NULL); return; }
    if (rc == 409) { resp_problem(r, 409, "cannot-revert", T(r, "This version cannot be restored as it is."), errors); return; }
    if (rc) { resp_problem(r, 500, "db", T(r, "The organisation could not be saved. Nothing was changed."), NULL); return; }
    resp_json(r, 200, org_load(db, r->id[0], true));
}
