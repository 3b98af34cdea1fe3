/* Membership of clusters and networks (issue 11, "borrowed names"): an organisation that lists a
 * cluster among its networks is shown as its member — on both profiles — only once the cluster has
 * accepted, which it does at once when the editor is a member of the cluster too, else through its
 * administrators on its members page. Owns the table org_network_confirmed (migration 036). */
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "org/org.h"

static bool set_state(db_t *db, arena_t *a, int64_t org, int64_t network, const char *state) {
    stmt_t *s = db_prep(db, "INSERT INTO org_network_confirmed (org_id, network_id, state, at) VALUES (:o, :n, :st, :now) "
                            "ON CONFLICT (org_id, network_id) DO UPDATE SET state = :st, at = :now");
    db_binds(s, DB_INT(":o", org), DB_INT(":n", network), DB_TEXT(":st", state), DB_TEXT(":now", now_utc(a)));
    return db_run(s);
}

/* org_networks_sync: see org.h */
static bool listed_in(json_t *list, int64_t id) {
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) if (json_integer_value(x) == id) return true;
    return false;
}

bool org_networks_sync(db_t *db, arena_t *a, int64_t org, int64_t user_id, bool listed, json_t *was) {
    stmt_t *s = db_prep(db, "DELETE FROM org_network_confirmed WHERE org_id = :o AND network_id NOT IN (SELECT network_id FROM org_networks WHERE org_id = :o)");
    db_bind_int(s, ":o", org);
    if (!db_run(s)) return false;
    if (!listed) return true;   /* no network named: nothing to confirm (and no query: a save stays cheap) */
    int64_t nets[64];
    int n = 0;
    s = db_prep(db, "SELECT n.network_id FROM org_networks n WHERE n.org_id = :o AND NOT EXISTS "
                    "(SELECT 1 FROM org_network_confirmed c WHERE c.org_id = n.org_id AND c.network_id = n.network_id)");
    db_bind_int(s, ":o", org);
    while (db_step(s) && n < 64) nets[n++] = db_int(s, 0);
    db_reset(s);
    if (!n) return true;
    user_t *u = user_id ? user_load(db, a, user_id) : NULL;
    if (user_id && !u) return true;
    for (int i = 0; i < n; i++) {
        if (!u || org_role(db, nets[i], u->id) != ROLE_NONE) {
            if (!set_state(db, a, org, nets[i], "confirmed")) return false;
        } else if (!listed_in(was, nets[i]) &&   /* a new claim waits for the network: its administrators hear of it (issue 14) */
                   !notify_emit(db, "network-request", "org", nets[i], (notify_audience_t){.org_admins = nets[i]}, org_name(db, a, org))) {
            return false;
        }
    }
    return true;
}

/* org_network_requests: see org.h */
void org_network_requests(req_t *r, db_t *db, int64_t network) {
    if (!r->user || !org_can_admin(db, r->user, network)) return;
    stmt_t *s = db_prep(db, "SELECT o.id, o.name FROM org_networks n JOIN organisations o ON o.id = n.org_id WHERE n.network_id = :n AND NOT EXISTS "
                            "(SELECT 1 FROM org_network_confirmed c WHERE c.org_id = n.org_id AND c.network_id = n.network_id) ORDER BY o.name");
    db_bind_int(s, ":n", network);
    bprintf(&r->out, "<section><h2>%h</h2>", T(r, "Organisations that say they are members"));
    int k = 0;
    while (db_step(s)) {
        if (!k++) buf_puts(&r->out, "<ul class=\"plain\">");
        bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a> ", (long long)db_int(s, 0), db_text(s, 1));
        for (int j = 0; j < 2; j++) {
            const char *const hidden[][2] = {{"member", aprintf_text(r->arena, "%lld", (long long)db_int(s, 0))},
                                             {"answer", j ? "decline" : "confirm"}};
            form_button(r, aprintf_text(r->arena, "/organisations/%lld/networks", (long long)network), hidden, 2, j ? "secondary" : "",
                        j ? T(r, "Not our member") : T(r, "Confirm the membership"));
            buf_puts(&r->out, " ");
        }
        buf_puts(&r->out, "</li>");
    }
    db_reset(s);
    if (k) buf_puts(&r->out, "</ul>");
    else bprintf(&r->out, "<p>%h</p>", T(r, "No requests are waiting."));
    buf_puts(&r->out, "</section>");
}

/* org_networks_answer_post: POST /organisations/{id}/networks (member, answer=confirm|decline): the
 * cluster's administrators accept an organisation's claim to be its member, or refuse it (it then
 * stays off both profiles, and off this list) */
void org_networks_answer_post(req_t *r) {
    db_t *db = db_get();
    int64_t network = r->id[0];
    const char *ans = req_form(r, "answer");
    long long member = 0;
    if ((!streq(ans, "confirm") && !streq(ans, "decline")) || !parse_int(req_form(r, "member"), 1, INT64_MAX, &member)) {
        resp_error(r, 422, "validation", T(r, "The answer is confirm or decline, for one organisation."));
        return;
    }
    if (!org_exists(db, network)) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    if (!org_can_admin(db, r->user, network)) { resp_error(r, 403, "forbidden", T(r, "Only the organisation's administrators may answer for it.")); return; }
    stmt_t *s = db_prep(db, "SELECT 1 FROM org_networks WHERE org_id = :o AND network_id = :n");
    db_bind_int(s, ":o", member);
    db_bind_int(s, ":n", network);
    bool claimed = db_exists(s);
    if (!claimed) { resp_error(r, 404, "not-found", T(r, "That organisation does not say it is a member.")); return; }
    if (!set_state(db, r->arena, member, network, streq(ans, "confirm") ? "confirmed" : "declined")) {
        resp_error(r, 500, "db", T(r, "The answer could not be saved."));
        return;
    }
    /* stored (one statement): the member organisation's administrators hear the answer (issue 14) */
    if (!notify_emit(db, streq(ans, "confirm") ? "network-confirmed" : "network-declined", "org", network,
                     (notify_audience_t){.org_admins = member, .except = r->user->id}, org_name(db, r->arena, member)))
        log_msg("org: the answer of network %lld could not be told", (long long)network);
    resp_redirect(r, aprintf(r->arena, "/organisations/%lld/members", (long long)network));
}
