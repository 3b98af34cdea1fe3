/* Naming organisations on an event (issue 11, "borrowed names"): an organisation listed as an
 * organiser by someone who does not act for it is an unconfirmed organiser until one of its
 * administrators confirms it (or declines, which takes it off the event), or it accepted an
 * invitation to the event before. Owns the table
 * event_organisers_confirmed (migration 033). The rules for a save are in event_organisers_check:
 * the editor keeps at least one organisation they act for among the organisers, and an event joins
 * an existing series only when the editor acts for a confirmed organiser of one of its events. */
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "events/events.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "http/api.h"

static void jfree(void *p) { json_decref(p); }
static json_t *own(req_t *r, json_t *j) { if (j) arena_on_free(r->arena, jfree, j); return j; }

/* event_organiser_confirmed: see events.h */
bool event_organiser_confirmed(db_t *db, int64_t event, int64_t org) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM event_organisers_confirmed WHERE event_id = :e AND org_id = :o");
    db_bind_int(s, ":e", event);
    db_bind_int(s, ":o", org);
    return db_exists(s);
}

/* event_unconfirmed_organisers: see events.h */
json_t *event_unconfirmed_organisers(db_t *db, int64_t event) {
    stmt_t *s = db_prep(db, "SELECT o.org_id FROM event_organisers o WHERE o.event_id = :e AND NOT EXISTS "
                            "(SELECT 1 FROM event_organisers_confirmed c WHERE c.event_id = o.event_id AND c.org_id = o.org_id) ORDER BY o.pos");
    db_bind_int(s, ":e", event);
    json_t *a = json_array();
    while (db_step(s)) json_array_append_new(a, json_integer(db_int(s, 0)));
    db_reset(s);
    return a;
}

/* event_organisers_confirm: see events.h */
bool event_organisers_confirm(db_t *db, arena_t *a, int64_t event, int64_t user_id) {
    stmt_t *s = db_prep(db, "DELETE FROM event_organisers_confirmed WHERE event_id = :e AND org_id NOT IN "
                            "(SELECT org_id FROM event_organisers WHERE event_id = :e)");
    db_bind_int(s, ":e", event);
    if (!db_run(s)) return false;
    /* an organisation that accepted an invitation to this event has agreed already */
    s = db_prep(db, "INSERT INTO event_organisers_confirmed (event_id, org_id, confirmed_at) SELECT DISTINCT i.event_id, i.org_id, :now "
                    "FROM event_invitations i JOIN event_organisers o ON o.event_id = i.event_id AND o.org_id = i.org_id "
                    "WHERE i.event_id = :e AND i.status = 'accepted' ON CONFLICT DO NOTHING");
    db_bind_int(s, ":e", event);
    db_bind_text(s, ":now", now_utc(a));
    if (!db_run(s)) return false;
    user_t *u = user_id ? user_load(db, a, user_id) : NULL;
    if (user_id && !u) return true;
    user_t member; /* as a member only: a platform admin's edit confirms nobody else's name */
    if (u) { member = *u; member.is_admin = false; u = &member; }
    int64_t orgs[EVENT_MAX_ORGANISERS];
    int n = 0;
    s = db_prep(db, "SELECT org_id FROM event_organisers WHERE event_id = :e ORDER BY pos");
    db_bind_int(s, ":e", event);
    while (db_step(s) && n < EVENT_MAX_ORGANISERS) orgs[n++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < n; i++) {
        if (u && !org_can_edit(db, u, orgs[i])) continue; /* named by someone else: unconfirmed */
        s = db_prep(db, "INSERT INTO event_organisers_confirmed (event_id, org_id, confirmed_at) VALUES (:e, :o, :now) ON CONFLICT DO NOTHING");
        db_bind_int(s, ":e", event);
        db_bind_int(s, ":o", orgs[i]);
        db_bind_text(s, ":now", now_utc(a));
        if (!db_run(s)) return false;
    }
    return true;
}

/* series_of: the id of the existing series doc names (by id or name), or 0 */
static int64_t series_of(db_t *db, json_t *doc) {
    json_t *se = json_object_get(doc, "series");
    if (!json_is_object(se)) return 0;
    if (json_is_integer(json_object_get(se, "id"))) return json_integer_value(json_object_get(se, "id"));
    if (!jstr(se, "name")) return 0;
    stmt_t *s = db_prep(db, "SELECT id FROM event_series WHERE name = :n");
    db_bind_text(s, ":n", jstr(se, "name"));
    int64_t id = db_int_of(s, 0);
    return id;
}

/* series_open_to: the user acts for a confirmed organiser of an event of the series, or it has none */
static bool series_open_to(db_t *db, const user_t *u, int64_t series) {
    stmt_t *s = db_prep(db, "SELECT DISTINCT c.org_id FROM events e JOIN event_organisers_confirmed c ON c.event_id = e.id "
                            "WHERE e.series_id = :s LIMIT 200");
    db_bind_int(s, ":s", series);
    int64_t orgs[200];
    int n = 0;
    while (db_step(s) && n < 200) orgs[n++] = db_int(s, 0);
    db_reset(s);
    if (!n) return true;
    for (int i = 0; i < n; i++) if (org_can_edit(db, u, orgs[i])) return true;
    return false;
}

/* event_organisers_check: see events.h */
json_t *event_organisers_check(db_t *db, const user_t *u, json_t *doc, json_t *base, const char *lang) {
    json_t *errors = NULL;
    if (!u || u->is_admin) return NULL;
    bool mine = false;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "organisers"), i, x) if (org_can_edit(db, u, json_integer_value(x))) mine = true;
    if (!mine) {
        errors = json_object();
        json_object_set_new(errors, "organisers",
                            json_string(tr(lang, "Keep at least one organisation you are a member of among the organisers. To leave an event, your organisation's administrators decline it on the event's page.")));
    }
    int64_t series = series_of(db, doc);
    json_t *bse = json_object_get(base, "series");
    int64_t before = json_is_object(bse) ? json_integer_value(json_object_get(bse, "id")) : 0;
    if (series && series != before && !series_open_to(db, u, series)) {
        if (!errors) errors = json_object();
        json_object_set_new(errors, "series", json_string(tr(lang, "This series belongs to other organisations: only their members add events to it.")));
    }
    return errors;
}

/* answer: an administrator of org confirms it as an organiser of event, or declines (takes it off).
 * 0, or an HTTP status with *msg set (in lang). */
static int answer(db_t *db, arena_t *a, const user_t *u, int64_t event, int64_t org, bool confirm, const char *lang, const char **msg) {
    *msg = NULL;
    json_t *e = event_load(db, event);
    if (!e) { *msg = tr(lang, "There is no such event."); return 404; }
    bool listed = false;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(e, "organisers"), i, x) if (json_integer_value(x) == org) listed = true;
    int rc = 0;
    if (!listed) { *msg = tr(lang, "That organisation is not an organiser of this event."); rc = 404; }
    else if (!org_can_admin(db, u, org)) { *msg = tr(lang, "Only the organisation's administrators may answer for it."); rc = 403; }
    else if (confirm) {
        stmt_t *s = db_prep(db, "INSERT INTO event_organisers_confirmed (event_id, org_id, confirmed_at) VALUES (:e, :o, :now) ON CONFLICT DO NOTHING");
        db_bind_int(s, ":e", event);
        db_bind_int(s, ":o", org);
        db_bind_text(s, ":now", now_utc(a));
        if (!db_run(s)) rc = 500;
    } else {
        /* declining takes the organisation off the event, as a new version; the event keeps a confirmed organiser */
        json_t *rest = json_array();
        bool confirmed_left = false;
        json_array_foreach(json_object_get(e, "organisers"), i, x) {
            if (json_integer_value(x) == org) continue;
            json_array_append(rest, x);
            if (event_organiser_confirmed(db, event, json_integer_value(x))) confirmed_left = true;
        }
        if (!confirmed_left) {
            *msg = tr(lang, "The event has no other confirmed organiser: ask its organisers to cancel it instead.");
            rc = 409;
        } else {
            json_t *in = json_pack("{s:o}", "organisers", rest), *doc = NULL;
            rest = NULL;
            json_t *errs = event_validate(db, lang, in, e, event, &doc);
            bool changed;
            if (json_object_size(errs) || !doc || !event_save(db, a, event, doc, u->id, "declined", &changed)) rc = 500;
            json_decref(errs);
            json_decref(doc);
            json_decref(in);
        }
        json_decref(rest);
    }
    json_decref(e);
    return rc;
}

/* event_organiser_answer_post: POST /events/{id}/organisers (organisation, answer=confirm|decline) */
void event_organiser_answer_post(req_t *r) {
    const char *ans = req_form(r, "answer");
    long long org = 0;
    if ((!streq(ans, "confirm") && !streq(ans, "decline")) || !parse_int(req_form(r, "organisation"), 1, INT64_MAX, &org)) {
        resp_error(r, 422, "validation", T(r, "The answer is confirm or decline, for one organisation."));
        return;
    }
    const char *msg;
    int rc = answer(db_get(), r->arena, r->user, r->id[0], org, streq(ans, "confirm"), r->lang, &msg);
    if (rc) { resp_error(r, rc, rc == 403 ? "forbidden" : rc == 404 ? "not-found" : rc == 409 ? "conflict" : "db", msg ? msg : T(r, "The answer could not be saved.")); return; }
    resp_redirect(r, aprintf(r->arena, "/events/%lld?done=answered", (long long)r->id[0]));
}

/* event_api_organiser_answer: POST /api/v1/events/{id}/organisers {organisation, answer} */
void event_api_organiser_answer(req_t *r) {
    const char *ct = req_header(r, "Content-Type");
    if (!ct || strncmp(ct, "application/json", 16)) {
        resp_problem(r, 415, "unsupported-media-type", T(r, "Send JSON with Content-Type: application/json."), NULL);
        return;
    }
    json_error_t e;
    json_t *in = own(r, r->body ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e) : NULL);
    if (!json_is_object(in)) { resp_problem(r, 400, "malformed-json", T(r, "The request body is not valid JSON."), NULL); return; }
    const char *ans = jstr(in, "answer");
    json_t *org = json_object_get(in, "organisation");
    if ((!streq(ans, "confirm") && !streq(ans, "decline")) || !json_is_integer(org)) {
        resp_problem(r, 422, "validation", T(r, "The answer is confirm or decline, for one organisation."), NULL);
        return;
    }
    db_t *db = db_get();
    const char *msg;
    int rc = answer(db, r->arena, r->user, r->id[0], json_integer_value(org), streq(ans, "confirm"), r->lang, &msg);
    if (rc) {
        resp_problem(r, rc, rc == 403 ? "forbidden" : rc == 404 ? "not-found" : rc == 409 ? "last-organiser" : "db",
                     msg ? msg : T(r, "The answer could not be saved."), NULL);
        return;
    }
    resp_json(r, 200, json_pack("{s:I, s:o}", "id", (json_int_t)r->id[0], "unconfirmed_organisers", event_unconfirmed_organisers(db, r->id[0])));
}

/* event_organiser_mark: see events.h */
void event_organiser_mark(req_t *r, db_t *db, int64_t event, int64_t org) {
    if (event_organiser_confirmed(db, event, org)) return;
    bprintf(&r->out, " <span class=\"badge unconfirmed\">%h</span>", T(r, "unconfirmed"));
    if (!r->user || !org_can_admin(db, r->user, org)) return;
    for (int k = 0; k < 2; k++) {
        const char *const hidden[][2] = {{"organisation", aprintf_text(r->arena, "%lld", (long long)org)},
                                         {"answer", k ? "decline" : "confirm"}};
        buf_puts(&r->out, " ");
        form_button(r, aprintf_text(r->arena, "/events/%lld/organisers", (long long)event), hidden, 2, k ? "secondary" : "",
                    k ? T(r, "Decline: we do not organise this") : T(r, "Confirm: we organise this"));
    }
}
