/* The obstacles JSON API (/api/v1/obstacles): a thin face over obstacles.h, with the
 * organisations API's conventions (problem+json errors, bearer token or session + X-CSRF-Token). */
#include <string.h>
#include "core/util.h"
#include "i18n/i18n.h"
#include "obstacles/obstacles.h"
#include "org/org.h"

static void jfree(void *p) { json_decref(p); }

void obs_api_list(req_t *r) {
    db_t *db = db_get();
    obs_filter_t f;
    const char *bad = obs_filter_read(r, &f);
    if (bad) { resp_problem(r, 422, "bad-filter", bad, NULL); return; }
    obs_row_t *rows;
    int n;
    long long total = obs_search(db, r->arena, &f, &rows, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = obs_load(db, r->arena, rows[i].id);
        if (!o) continue;
        json_object_del(o, "versions"); /* the list stays small; GET one obstacle for its versions */
        json_array_append_new(items, o);
    }
    resp_json(r, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", f.page, "per_page", f.per_page));
}

void obs_api_get(req_t *r) {
    json_t *o = obs_load(db_get(), r->arena, r->id[0]);
    if (!o) { resp_problem(r, 404, "not-found", T(r, "There is no such obstacle."), NULL); return; }
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

void obs_api_create(req_t *r) {
    db_t *db = db_get();
    json_t *in = body(r);
    if (!in) return;
    json_t *doc;
    json_t *errors = obs_validate(db, r->lang, in, NULL, r->user, &doc);
    arena_on_free(r->arena, jfree, errors);
    if (json_object_size(errors)) { invalid(r, errors); return; }
    arena_on_free(r->arena, jfree, doc);
    bool changed;
    int64_t id = obs_save(db, r->arena, 0, doc, r->user->id, NULL, &changed);
    if (!id) { resp_problem(r, 500, "db", T(r, "The obstacle could not be saved. Nothing was changed."), NULL); return; }
    resp_header(r, "Location", aprintf(r->arena, "/api/v1/obstacles/%lld", (long long)id));
    resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void obs_api_patch(req_t *r) {
    db_t *db = db_get();
    if (!obs_exists(db, r->id[0])) { resp_problem(r, 404, "not-found", T(r, "There is no such obstacle."), NULL); return; }
    if (!obs_can_edit(db, r->user, r->id[0])) {
        resp_problem(r, 403, "forbidden", T(r, "Only the person who reported the obstacle and the obstacle desk may edit it."), NULL);
        return;
    }
    json_t *in = body(r);
    if (!in) return;
    json_t *base = obs_load(db, r->arena, r->id[0]);
    arena_on_free(r->arena, jfree, base);
    json_t *doc;
    json_t *errors = obs_validate(db, r->lang, in, base, r->user, &doc);
    arena_on_free(r->arena, jfree, errors);
    if (json_object_size(errors)) { invalid(r, errors); return; }
    arena_on_free(r->arena, jfree, doc);
    bool changed;
    if (!obs_save(db, r->arena, r->id[0], doc, r->user->id, NULL, &changed)) {
        resp_problem(r, 500, "db", T(r, "The obstacle could not be saved. Nothing was changed."), NULL);
        return;
    }
    resp_json(r, 200, obs_load(db, r->arena, r->id[0]));
}

void obs_api_status(req_t *r) {
    db_t *db = db_get();
    if (!obs_exists(db, r->id[0])) { resp_problem(r, 404, "not-found", T(r, "There is no such obstacle."), NULL); return; }
    if (!obs_can_move(db, r->user)) {
        resp_problem(r, 403, "forbidden", T(r, "Only the obstacle desk and platform administrators may change the status."), NULL);
        return;
    }
    json_t *in = body(r);
    if (!in) return;
    json_t *e = json_object();
    arena_on_free(r->arena, jfree, e);
    const char *k;
    json_t *v;
    json_object_foreach(in, k, v)
        if (strcmp(k, "status") && strcmp(k, "comment")) json_object_set_new(e, k, json_string(T(r, "This field is unknown.")));
    const char *to = json_string_value(json_object_get(in, "status"));
    json_t *c = json_object_get(in, "comment");
    if (!obs_status_valid(to))
        json_object_set_new(e, "status", json_string(T(r, "Choose the new status: reported, analysis, raised, resolved, not-obstacle or closed.")));
    if (c && !json_is_null(c) && !json_is_string(c)) json_object_set_new(e, "comment", json_string(T(r, "This field must be text.")));
    else if (json_is_string(c) && utf8_len(json_string_value(c)) > 2000) json_object_set_new(e, "comment", json_string(T(r, "This text is too long.")));
    if (json_object_size(e)) { invalid(r, e); return; }
    const char *from;
    int rc = obs_move(db, r->arena, r->id[0], to, json_is_string(c) ? trim(r->arena, json_string_value(c)) : NULL, r->user->id, &from);
    if (rc == 404) { resp_problem(r, 404, "not-found", T(r, "There is no such obstacle."), NULL); return; }
    if (rc == 409) {
        json_t *allowed = json_array();
        for (int i = 0; i < 6; i++) if (obs_move_allowed(from, obs_statuses[i])) json_array_append_new(allowed, json_string(obs_statuses[i]));
        json_t *x = json_pack("{s:s, s:o}", "status", from, "allowed", allowed);
        arena_on_free(r->arena, jfree, x);
        json_incref(x);
        resp_problem(r, 409, "status-not-allowed",
                     aprintf(r->arena, T(r, "An obstacle with the status “%s” cannot move to “%s”."), obs_status_label(from, r->lang),
                             obs_status_label(to, r->lang)), x);
        return;
    }
    if (rc) { resp_problem(r, 500, "db", T(r, "The change could not be saved."), NULL); return; }
    resp_json(r, 200, obs_load(db, r->arena, r->id[0]));
}

/* affected: the organisation a request acts for, after checking that the user is its member;
 * 0 after answering with a problem */
static int64_t acting_org(req_t *r, json_t *org) {
    db_t *db = db_get();
    if (!obs_exists(db, r->id[0])) { resp_problem(r, 404, "not-found", T(r, "There is no such obstacle."), NULL); return 0; }
    if (!json_is_integer(org) || json_integer_value(org) < 1) {
        resp_problem(r, 422, "validation", T(r, "Some fields are not valid."),
                     json_pack("{s:s}", "organisation", T(r, "Give the id of the organisation you act for.")));
        return 0;
    }
    int64_t oid = json_integer_value(org);
    if (!org_exists(db, oid)) { resp_problem(r, 404, "not-found", T(r, "There is no such organisation."), NULL); return 0; }
    if (org_role(db, oid, r->user->id) < ROLE_MEMBER) {
        resp_problem(r, 403, "forbidden", T(r, "Only members of the organisation may say that it is affected."), NULL);
        return 0;
    }
    return oid;
}

static void affected(req_t *r, int64_t oid, bool on) {
    db_t *db = db_get();
    if (!obs_affected_set(db, r->arena, r->id[0], oid, r->user->id, on)) {
        resp_problem(r, 500, "db", T(r, "The change could not be saved."), NULL);
        return;
    }
    json_t *o = obs_load(db, r->arena, r->id[0]);
    json_t *out = json_pack("{s:O}", "affected_organisations", json_object_get(o, "affected_organisations"));
    json_decref(o);
    resp_json(r, 200, out);
}

void obs_api_affected_add(req_t *r) {
    json_t *in = body(r);
    if (!in) return;
    int64_t oid = acting_org(r, json_object_get(in, "organisation"));
    if (oid) affected(r, oid, true);
}

void obs_api_affected_remove(req_t *r) {
    /* DELETE …/affected?organisation=N (a body is not needed) */
    long long v;
    const char *q = req_query(r, "organisation");
    json_t *org = q && parse_int(q, 1, INT64_MAX, &v) ? json_integer(v) : json_null();
    arena_on_free(r->arena, jfree, org);
    int64_t oid = acting_org(r, org);
    if (oid) affected(r, oid, false);
}
