/* The roundtables JSON API: tables, bullets, the report (JSON and Markdown), action items and the
 * follow-up of a series, with the organisations API's conventions (problem+json errors, bearer
 * token or session + X-CSRF-Token). A thin face over roundtables.h. */
#include <string.h>
#include "core/util.h"
#include "doc/doc.h"
#include "events/events.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "roundtables/roundtables.h"

/* invalid: 422 with errors, which the request then owns */
static void invalid(req_t *r, json_t *errors) { api_invalid(r, api_own(r, errors)); }

static void db_failed(req_t *r) { resp_problem(r, 500, "db", T(r, "This could not be saved. Nothing was changed."), NULL); }

/* saved: true for a model's 0, else false after answering its 422 (with errors) or 500 */
static bool saved(req_t *r, int rc, json_t *errors) {
    if (rc == 422) invalid(r, errors);
    else if (rc) db_failed(r);
    return rc == 0;
}

static bool event_found(req_t *r, db_t *db) { return api_found(r, event_exists(db, r->id[0]), "There is no such event."); }

static bool organiser(req_t *r, db_t *db, int64_t event_id) {
    return api_may(r, event_can_edit(db, r->user, event_id), "Only the event's organisers may manage its roundtables.");
}

/* event_body: the body of an organiser's change to the event of the path, or NULL after answering */
static json_t *event_body(req_t *r, db_t *db) {
    if (!event_found(r, db) || !organiser(r, db, r->id[0])) return NULL;
    return api_body(r);
}

static bool table_found(req_t *r, db_t *db, int64_t id) {
    return api_found(r, rt_table_event(db, id) != 0, "There is no such roundtable.");
}

static bool host(req_t *r, db_t *db, int64_t table_id) {
    return api_may(r, rt_can_host(db, r->user, table_id), "Only the table's hosts and the event's organisers may do this.");
}

/* ---- an event's roundtables ---- */
void rt_api_event_get(req_t *r) {
    db_t *db = db_get();
    if (!event_found(r, db)) return;
    json_t *o = rt_event_get(db, r->id[0]);
    json_object_set_new(o, "event", json_integer(r->id[0]));
    json_object_set_new(o, "tables", rt_tables_of(db, r->id[0], event_can_edit(db, r->user, r->id[0])));
    resp_json(r, 200, o);
}

void rt_api_event_patch(req_t *r) {
    db_t *db = db_get();
    json_t *in = event_body(r, db);
    if (!in) return;
    json_t *errors;
    int rc = rt_event_set(db, r->arena, r->lang, r->id[0], in, &errors);
    if (!saved(r, rc, errors)) return;
    resp_json(r, 200, rt_event_get(db, r->id[0]));
}

void rt_api_table_create(req_t *r) {
    db_t *db = db_get();
    json_t *in = event_body(r, db);
    if (!in) return;
    json_t *errors;
    int64_t id = rt_table_save(db, r->arena, r->lang, r->id[0], 0, in, r->user->id, &errors);
    if (!id && errors) { invalid(r, errors); return; }
    if (!id) { db_failed(r); return; }
    resp_header(r, "Location", aprintf(r->arena, "/api/v1/roundtables/%lld", (long long)id));
    resp_json(r, 201, rt_table_load(db, id, true));
}

void rt_api_table_get(req_t *r) {
    db_t *db = db_get();
    if (!table_found(r, db, r->id[0])) return;
    resp_json(r, 200, rt_table_load(db, r->id[0], rt_can_host(db, r->user, r->id[0])));
}

void rt_api_table_patch(req_t *r) {
    db_t *db = db_get();
    if (!table_found(r, db, r->id[0]) || !organiser(r, db, rt_table_event(db, r->id[0]))) return;
    json_t *in = api_body(r);
    if (!in) return;
    json_t *errors;
    int64_t id = rt_table_save(db, r->arena, r->lang, rt_table_event(db, r->id[0]), r->id[0], in, r->user->id, &errors);
    if (!id && errors) { invalid(r, errors); return; }
    if (!id) { db_failed(r); return; }
    resp_json(r, 200, rt_table_load(db, id, true));
}

void rt_api_table_delete(req_t *r) {
    db_t *db = db_get();
    if (!table_found(r, db, r->id[0]) || !organiser(r, db, rt_table_event(db, r->id[0]))) return;
    if (!rt_table_delete(db, r->id[0])) { db_failed(r); return; }
    r->status = 204;
}

/* ---- bullets ---- */
void rt_api_bullet_create(req_t *r) {
    db_t *db = db_get();
    if (!table_found(r, db, r->id[0])) return;
    json_t *in = api_body(r);
    if (!in) return;
    const char *source;
    if (rt_can_host(db, r->user, r->id[0])) source = "host";
    else {
        const char *tok = json_string_value(json_object_get(in, "token"));
        if (!tok || rt_table_by_token(db, tok) != r->id[0]) {
            api_may(r, false, "Only the table's hosts, or someone with the table's link, may add bullets.");
            return;
        }
        source = "link";
    }
    json_t *errors;
    int code;
    int64_t id = rt_bullet_add(db, r->arena, r->lang, r->id[0], in, source, r->user ? r->user->id : 0, r->ip, &errors, &code);
    if (code == 422) { invalid(r, errors); return; }
    if (code == 429) {
        resp_header(r, "Retry-After", "600");
        resp_problem(r, 429, "rate-limited", T(r, "Too many bullets from your address just now. Wait a few minutes and try again."), NULL);
        return;
    }
    if (!id) { db_failed(r); return; }
    resp_header(r, "Location", aprintf(r->arena, "/api/v1/bullets/%lld", (long long)id));
    resp_json(r, 201, rt_bullet_load(db, id));
}

static bool bullet_found(req_t *r, db_t *db, int64_t *table) {
    *table = rt_bullet_table(db, r->id[0]);
    return api_found(r, *table != 0, "There is no such bullet.");
}

/* host_body: the body of a request on bullet r->id[0] by one of its table's hosts, or NULL after
 * answering 404, 401/403 or the body's error */
static json_t *host_body(req_t *r, db_t *db) {
    int64_t table;
    if (!bullet_found(r, db, &table) || !host(r, db, table)) return NULL;
    return api_body(r);
}

void rt_api_bullet_get(req_t *r) {
    db_t *db = db_get();
    int64_t table;
    if (!bullet_found(r, db, &table)) return;
    json_t *b = api_own(r, rt_bullet_load(db, r->id[0]));
    if (!streq(json_string_value(json_object_get(b, "status")), "approved") && !rt_can_host(db, r->user, table)) {
        resp_problem(r, 404, "not-found", T(r, "There is no such bullet."), NULL);
        return;
    }
    resp_json(r, 200, json_incref(b));
}

void rt_api_bullet_patch(req_t *r) {
    db_t *db = db_get();
    json_t *in = host_body(r, db);
    if (!in) return;
    /* If-Match "N" (or the body's "version") names the version the client saw */
    int seen = doc_base_version(r, in);
    if (seen < 0) { resp_problem(r, 400, "bad-if-match", T(r, "If-Match must be the ETag of a version, such as \"3\"."), NULL); return; }
    if (seen) json_object_set_new(in, "version", json_integer(seen));
    json_t *errors;
    int rc = rt_bullet_update(db, r->arena, r->lang, r->id[0], in, r->user->id, &errors);
    if (rc == 409) { api_own(r, errors); resp_problem(r, 409, "conflict", json_string_value(json_object_get(errors, "version")), NULL); return; }
    if (!saved(r, rc, errors)) return;
    json_t *b = rt_bullet_load(db, r->id[0]);
    resp_header(r, "ETag", aprintf_text(r->arena, "\"%lld\"", (long long)json_integer_value(json_object_get(b, "version"))));
    resp_json(r, 200, b);
}

void rt_api_bullet_merge(req_t *r) {
    db_t *db = db_get();
    json_t *in = host_body(r, db);
    if (!in) return;
    json_t *into = json_object_get(in, "into"), *text = json_object_get(in, "text");
    if (!json_is_integer(into) || (text && !json_is_string(text))) {
        json_t *e = json_object();
        if (!json_is_integer(into)) json_object_set_new(e, "into", json_string(T(r, "Merge into another bullet of the same question.")));
        else json_object_set_new(e, "text", json_string(T(r, "This field must be text.")));
        invalid(r, e);
        return;
    }
    json_t *errors;
    int rc = rt_bullet_merge(db, r->arena, r->lang, r->id[0], json_integer_value(into), json_string_value(text), &errors);
    if (!saved(r, rc, errors)) return;
    resp_json(r, 200, rt_bullet_load(db, json_integer_value(into)));
}

void rt_api_question_order(req_t *r) {
    db_t *db = db_get();
    int64_t table = rt_question_table(db, r->id[0]);
    if (!table) { resp_problem(r, 404, "not-found", T(r, "There is no such question."), NULL); return; }
    if (!host(r, db, table)) return;
    json_t *in = api_body(r);
    if (!in) return;
    json_t *errors;
    int rc = rt_question_order(db, r->lang, r->id[0], json_object_get(in, "bullets"), &errors);
    if (!saved(r, rc, errors)) return;
    resp_json(r, 200, rt_table_load(db, table, true));
}

/* ---- the report ---- */
static json_t *strs(const char *const *s, int n) {
    json_t *a = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(a, json_string(s[i]));
    return a;
}

void rt_api_report(req_t *r) {
    db_t *db = db_get();
    if (!event_found(r, db)) return;
    report_t rep;
    if (!rt_report(db, r->arena, r->id[0], &rep)) { db_failed(r); return; }
    json_t *tables = json_array();
    for (int i = 0; i < rep.ntables; i++) {
        const report_table_t *t = &rep.tables[i];
        json_t *qs = json_array();
        for (int k = 0; k < t->nquestions; k++)
            json_array_append_new(qs, json_pack("{s:s, s:o}", "text", t->questions[k].text, "bullets", strs(t->questions[k].bullets, t->questions[k].nbullets)));
        json_array_append_new(tables, json_pack("{s:s, s:s, s:o, s:o}", "label", t->label, "hosts_text", t->hosts_text, "hosts",
                                                strs(t->hosts, t->nhosts), "questions", qs));
    }
    resp_json(r, 200, json_pack("{s:I, s:o, s:o, s:o}", "event", (json_int_t)r->id[0], "intro", strs(rep.intro, rep.nintro), "tables", tables,
                                "outro", strs(rep.outro, rep.noutro)));
}

void rt_api_report_md(req_t *r) {
    db_t *db = db_get();
    if (!event_found(r, db)) return;
    report_t rep;
    if (!rt_report(db, r->arena, r->id[0], &rep)) { db_failed(r); return; }
    report_markdown(&r->out, &rep);
    r->ctype = "text/markdown; charset=utf-8";
    r->status = 200;
}

/* ---- action items ---- */
void rt_api_action_create(req_t *r) {
    db_t *db = db_get();
    json_t *in = host_body(r, db);
    if (!in) return;
    json_t *errors;
    int code;
    int64_t id = rt_action_create(db, r->arena, r->lang, r->id[0], in, r->user->id, &errors, &code);
    if (code == 422) { invalid(r, errors); return; }
    if (code == 409) { resp_problem(r, 409, "exists", T(r, "This bullet is an action item already."), NULL); return; }
    if (!id) { db_failed(r); return; }
    resp_header(r, "Location", aprintf(r->arena, "/api/v1/actions/%lld", (long long)id));
    resp_json(r, 201, rt_action_load(db, id));
}

void rt_api_action_get(req_t *r) {
    json_t *a = rt_action_load(db_get(), r->id[0]);
    if (!a) { resp_problem(r, 404, "not-found", T(r, "There is no such action item."), NULL); return; }
    resp_json(r, 200, a);
}

void rt_api_action_patch(req_t *r) {
    db_t *db = db_get();
    int64_t bullet = rt_action_bullet(db, r->id[0]);
    if (!bullet) { resp_problem(r, 404, "not-found", T(r, "There is no such action item."), NULL); return; }
    if (!host(r, db, rt_bullet_table(db, bullet))) return;
    json_t *in = api_body(r);
    if (!in) return;
    json_t *errors;
    int rc = rt_action_update(db, r->arena, r->lang, r->id[0], in, r->user->id, &errors);
    if (rc == 409) {
        api_own(r, errors);
        resp_problem(r, 409, "status-not-allowed", json_string_value(json_object_get(errors, "status")), json_incref(errors));
        return;
    }
    if (!saved(r, rc, errors)) return;
    resp_json(r, 200, rt_action_load(db, r->id[0]));
}

void rt_api_followup(req_t *r) {
    const char *theme = req_query(r, "theme");
    resp_json(r, 200, rt_followup(db_get(), r->id[0], theme, r->lang));
}
