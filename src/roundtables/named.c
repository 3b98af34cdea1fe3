/* Organisations named at a roundtable (issue 11, "borrowed names"): a table's host organisations
 * and an action item's owners. An organisation named by someone who is not its member is
 * unconfirmed — shown so, and left out of the follow-up's country counts — until one of its
 * administrators confirms it; declining takes it off the table or the action item. Owns the table
 * rt_named_confirmed (migration 034). */
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "roundtables/roundtables.h"
#include "http/api.h"

static void jfree(void *p) { json_decref(p); }
static json_t *own(req_t *r, json_t *j) { if (j) arena_on_free(r->arena, jfree, j); return j; }

/* named_orgs: the organisations named as kind ("host" of table ref, "owner" of action ref) */
static int named_orgs(db_t *db, const char *kind, int64_t ref, int64_t *orgs, int max) {
    stmt_t *s = streq(kind, "host") ? db_prep(db, "SELECT org_id FROM rt_hosts WHERE table_id = :r AND org_id IS NOT NULL ORDER BY pos")
                                    : db_prep(db, "SELECT org_id FROM rt_action_owners WHERE action_id = :r ORDER BY org_id");
    db_bind_int(s, ":r", ref);
    int n = 0;
    while (db_step(s) && n < max) orgs[n++] = db_int(s, 0);
    db_reset(s);
    return n;
}

/* rt_named_confirmed: see roundtables.h */
bool rt_named_confirmed(db_t *db, const char *kind, int64_t ref, int64_t org) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM rt_named_confirmed WHERE kind = :k AND ref = :r AND org_id = :o");
    db_bind_text(s, ":k", kind);
    db_bind_int(s, ":r", ref);
    db_bind_int(s, ":o", org);
    return db_exists(s);
}

static bool confirm(db_t *db, arena_t *a, const char *kind, int64_t ref, int64_t org) {
    stmt_t *s = db_prep(db, "INSERT INTO rt_named_confirmed (kind, ref, org_id, confirmed_at) VALUES (:k, :r, :o, :now) ON CONFLICT DO NOTHING");
    db_binds(s, DB_TEXT(":k", kind), DB_INT(":r", ref), DB_INT(":o", org), DB_TEXT(":now", now_utc(a)));
    return db_run(s);
}

/* rt_named_sync: see roundtables.h */
bool rt_named_sync(db_t *db, arena_t *a, const char *kind, int64_t ref, int64_t user_id) {
    int64_t orgs[32];
    int n = named_orgs(db, kind, ref, orgs, 32);
    /* forget organisations no longer named (named again, they confirm again) */
    stmt_t *s = streq(kind, "host")
                    ? db_prep(db, "DELETE FROM rt_named_confirmed WHERE kind = 'host' AND ref = :r AND org_id NOT IN "
                                  "(SELECT org_id FROM rt_hosts WHERE table_id = :r AND org_id IS NOT NULL)")
                    : db_prep(db, "DELETE FROM rt_named_confirmed WHERE kind = 'owner' AND ref = :r AND org_id NOT IN "
                                  "(SELECT org_id FROM rt_action_owners WHERE action_id = :r)");
    db_bind_int(s, ":r", ref);
    if (!db_run(s)) return false;
    user_t *u = user_id ? user_load(db, a, user_id) : NULL;
    if (user_id && !u) return true;
    user_t member; /* as a member: a platform administrator's edit confirms nobody else's name */
    if (u) { member = *u; member.is_admin = false; u = &member; }
    for (int i = 0; i < n; i++)
        if ((!u || org_can_edit(db, u, orgs[i])) && !confirm(db, a, kind, ref, orgs[i])) return false;
    return true;
}

/* answer: an administrator of org confirms or declines being named as kind of ref. 0 or a status
 * with *msg (in lang). Declining goes through rt_table_save / rt_action_update without org. */
static int answer(db_t *db, arena_t *a, const user_t *u, const char *kind, int64_t ref, int64_t org, bool yes, const char *lang,
                  const char **msg) {
    *msg = NULL;
    int64_t orgs[32];
    int n = named_orgs(db, kind, ref, orgs, 32);
    bool named = false;
    for (int i = 0; i < n; i++) if (orgs[i] == org) named = true;
    if (!named) { *msg = tr(lang, "That organisation is not named here."); return 404; }
    if (!org_can_admin(db, u, org)) { *msg = tr(lang, "Only the organisation's administrators may answer for it."); return 403; }
    if (yes) return confirm(db, a, kind, ref, org) ? 0 : 500;
    json_t *errors = NULL;
    int rc = 0;
    if (streq(kind, "host")) {
        json_t *t = rt_table_load(db, ref, false), *hosts = json_array();
        size_t i;
        json_t *h;
        json_array_foreach(json_object_get(t, "hosts"), i, h)
            if (json_integer_value(json_object_get(h, "org")) != org)
                json_array_append_new(hosts, json_pack("{s:s, s:O}", "name", jstr(h, "name"), "org", json_object_get(h, "org")));
        if (!json_array_size(hosts)) { *msg = tr(lang, "The table has no other host: ask the event's organisers to change it."); rc = 409; }
        else {
            json_t *in = json_pack("{s:O}", "hosts", hosts);
            if (!rt_table_save(db, a, lang, json_integer_value(json_object_get(t, "event")), ref, in, u->id, &errors)) rc = 500;
            json_decref(in);
        }
        json_decref(hosts);
        json_decref(t);
    } else {
        json_t *rest = json_array();
        for (int i = 0; i < n; i++) if (orgs[i] != org) json_array_append_new(rest, json_integer(orgs[i]));
        json_t *in = json_pack("{s:o}", "owners", rest);
        if (rt_action_update(db, a, lang, ref, in, u->id, &errors)) rc = 500;
        json_decref(in);
    }
    json_decref(errors);
    return rc;
}

/* answer_of: the form's or the JSON body's {organisation, answer}; false after answering 4xx */
static bool answer_of(req_t *r, bool api, int64_t *org, bool *yes) {
    const char *ans = NULL;
    long long o = 0;
    if (api) {
        const char *ct = req_header(r, "Content-Type");
        if (!ct || strncmp(ct, "application/json", 16)) {
            resp_problem(r, 415, "unsupported-media-type", T(r, "Send JSON with Content-Type: application/json."), NULL);
            return false;
        }
        json_error_t e;
        json_t *in = own(r, r->body ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e) : NULL);
        if (!json_is_object(in)) { resp_problem(r, 400, "malformed-json", T(r, "The request body is not valid JSON."), NULL); return false; }
        ans = jstr(in, "answer");
        if (json_is_integer(json_object_get(in, "organisation"))) o = json_integer_value(json_object_get(in, "organisation"));
    } else {
        ans = req_form(r, "answer");
        if (!parse_int(req_form(r, "organisation"), 1, INT64_MAX, &o)) o = 0;
    }
    if ((!streq(ans, "confirm") && !streq(ans, "decline")) || o < 1) {
        resp_error(r, 422, "validation", T(r, "The answer is confirm or decline, for one organisation."));
        return false;
    }
    *org = o;
    *yes = streq(ans, "confirm");
    return true;
}

static void respond(req_t *r, bool api, const char *kind, int64_t ref) {
    int64_t org;
    bool yes;
    if (!answer_of(r, api, &org, &yes)) return;
    db_t *db = db_get();
    bool exists = streq(kind, "host") ? rt_table_event(db, ref) != 0 : rt_action_bullet(db, ref) != 0;
    if (!exists) { resp_error(r, 404, "not-found", T(r, "There is no such page.")); return; }
    const char *msg;
    int rc = answer(db, r->arena, r->user, kind, ref, org, yes, r->lang, &msg);
    if (rc) { resp_error(r, rc, rc == 403 ? "forbidden" : rc == 404 ? "not-found" : rc == 409 ? "last-host" : "db", msg ? msg : T(r, "The answer could not be saved.")); return; }
    if (api) resp_json(r, 200, json_pack("{s:I, s:s, s:b}", "organisation", (json_int_t)org, "answer", yes ? "confirm" : "decline", "confirmed", yes));
    else resp_redirect(r, aprintf(r->arena, streq(kind, "host") ? "/roundtables/%lld" : "/actions/%lld", (long long)ref));
}

void rt_hosts_answer_post(req_t *r) { respond(r, false, "host", r->id[0]); }
void rt_api_hosts_answer(req_t *r) { respond(r, true, "host", r->id[0]); }
void rt_owners_answer_post(req_t *r) { respond(r, false, "owner", r->id[0]); }
void rt_api_owners_answer(req_t *r) { respond(r, true, "owner", r->id[0]); }

/* rt_named_unconfirmed: see roundtables.h */
void rt_named_unconfirmed(req_t *r, db_t *db, const char *kind, int64_t ref) {
    int64_t orgs[32];
    int n = named_orgs(db, kind, ref, orgs, 32), shown = 0;
    for (int i = 0; i < n; i++) {
        if (rt_named_confirmed(db, kind, ref, orgs[i])) continue;
        if (!shown++) bprintf(&r->out, "<p class=\"notice unconfirmed\">%h ", streq(kind, "host") ? T(r, "Named as host, not confirmed yet by the organisation:") : T(r, "Named as owner, not confirmed yet by the organisation:"));
        const char *nm = org_name(db, r->arena, orgs[i]);
        bprintf(&r->out, "<span class=\"badge unconfirmed\">%h</span> ", nm ? nm : "?");
        if (!r->user || !org_can_admin(db, r->user, orgs[i])) continue;
        for (int k = 0; k < 2; k++) {
            const char *const hidden[][2] = {{"organisation", aprintf_text(r->arena, "%lld", (long long)orgs[i])},
                                             {"answer", k ? "decline" : "confirm"}};
            form_button(r, aprintf_text(r->arena, "/%s/%lld/%s", streq(kind, "host") ? "roundtables" : "actions", (long long)ref,
                                        streq(kind, "host") ? "hosts" : "owners"),
                        hidden, 2, k ? "secondary" : "", k ? T(r, "Decline for my organisation") : T(r, "Confirm for my organisation"));
            buf_puts(&r->out, " ");
        }
    }
    if (shown) buf_puts(&r->out, "</p>\n");
}
