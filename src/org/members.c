/* Membership pages: join requests, approving them, handing over admin rights. */
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "org/org.h"

void org_join_post(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    if (!org_exists(db, id)) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    if (org_role(db, id, r->user->id) != ROLE_NONE) {
        resp_redirect(r, aprintf(r->arena, "/organisations/%lld", (long long)id));
        return;
    }
    const char *msg = req_form(r, "message");
    if (msg && utf8_len(msg) > 1000) { resp_error(r, 400, "too-long", T(r, "This text is too long.")); return; }
    if (!org_request_join(db, r->arena, id, r->user->id, msg)) {
        resp_error(r, 500, "db", T(r, "Your request could not be saved."));
        return;
    }
    notify_emit(db, "join-request", "org", id, (notify_audience_t){.org_admins = id}, r->user->name);   /* issue 14 */
    flash_set(r, "join-requested");
    resp_redirect(r, aprintf(r->arena, "/organisations/%lld", (long long)id));
}

void org_members_page(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    const char *name = org_name(db, r->arena, id);
    if (!name) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    if (!org_can_edit(db, r->user, id)) { resp_error(r, 403, "forbidden", T(r, "Only the organisation's members may see this.")); return; }
    bool admin = org_can_admin(db, r->user, id);
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Members"), name));
    bprintf(&r->out, "<h1>%h</h1><p><a href=\"/organisations/%lld\">%h</a></p>", name, (long long)id, T(r, "Back to the profile"));
    bprintf(&r->out, "<p class=\"lead\">%h</p>", T(r, "The record belongs to the organisation. Administrators approve new members and can hand their rights over to others."));
    if (admin) {
        stmt_t *s = db_prep(db, "SELECT j.id, u.name, u.email, j.message, j.created_at FROM org_join_requests j JOIN users u ON u.id = j.user_id "
                                "WHERE j.org_id = :id AND j.status = 'pending' AND u.deleted_at IS NULL ORDER BY j.created_at");
        db_bind_int(s, ":id", id);
        bprintf(&r->out, "<section><h2>%h</h2>", T(r, "Requests to join"));
        bool any = false;
        while (db_step(s)) {
            if (!any) buf_puts(&r->out, "<ul class=\"requests\">");
            any = true;
            bprintf(&r->out, "<li><p><strong>%h</strong> (%h)</p>", db_text(s, 1), db_text(s, 2));
            if (db_text(s, 3) && *db_text(s, 3)) bprintf(&r->out, "<p>%h</p>", db_text(s, 3));
            buf_puts(&r->out, "<p class=\"actions\">");
            for (int k = 0; k < 2; k++)
                form_button(r, aprintf(r->arena, "/organisations/%lld/members", (long long)id),
                            (const char *const[][2]){{"request", aprintf(r->arena, "%lld", (long long)db_int(s, 0))}, {"action", k ? "reject" : "approve"}},
                            2, k ? "secondary" : "", k ? T(r, "Decline") : T(r, "Approve"));
            buf_puts(&r->out, "</p></li>");
        }
        if (any) buf_puts(&r->out, "</ul>");
        else bprintf(&r->out, "<p>%h</p>", T(r, "No requests are waiting."));
        buf_puts(&r->out, "</section>");
    }
    if (admin) org_messages_section(r, db, id); /* issue 12: what "Contact" sent */
    org_network_requests(r, db, id); /* issue 11: organisations that say they are members */
    stmt_t *s = db_prep(db, "SELECT u.id, u.name, u.email, m.role, m.since FROM org_members m JOIN users u ON u.id = m.user_id "
                            "WHERE m.org_id = :id AND u.deleted_at IS NULL ORDER BY m.role, u.name");
    db_bind_int(s, ":id", id);
    bprintf(&r->out, "<section><h2>%h</h2><table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>%s</tr></thead><tbody>",
            T(r, "Members"), T(r, "Name"), T(r, "Role"), admin ? aprintf(r->arena, "<th scope=\"col\">%h</th>", T(r, "Change")) : "");
    int rows = 0;
    while (db_step(s)) {
        rows++;
        int64_t uid = db_int(s, 0);
        bool is_admin = streq(db_text(s, 3), "admin");
        bprintf(&r->out, "<tr><td>%h<br><span class=\"small\">%h</span></td><td>%h</td>", db_text(s, 1), db_text(s, 2),
                is_admin ? T(r, "Administrator") : T(r, "Member"));
        if (admin) {
            buf_puts(&r->out, "<td>");
            const char *acts[2][2] = {{is_admin ? "make-member" : "make-admin", is_admin ? T(r, "Make member") : T(r, "Make administrator")},
                                      {"remove", T(r, "Remove")}};
            for (int k = 0; k < 2; k++)
            {
                form_button(r, aprintf(r->arena, "/organisations/%lld/members", (long long)id),
                            (const char *const[][2]){{"user", aprintf(r->arena, "%lld", (long long)uid)}, {"action", acts[k][0]}}, 2, "secondary",
                            acts[k][1]);
                buf_putc(&r->out, ' ');
            }
            buf_puts(&r->out, "</td>");
        }
        buf_puts(&r->out, "</tr>");
    }
    if (!rows) bprintf(&r->out, "<tr><td colspan=\"%d\">%h</td></tr>", admin ? 3 : 2, T(r, "No members yet."));
    buf_puts(&r->out, "</tbody></table></section>");
    page_end(r);
}

void org_members_post(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    if (!org_exists(db, id)) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    if (!org_can_admin(db, r->user, id)) {
        resp_error(r, 403, "forbidden", T(r, "Only the organisation's administrators may change its members."));
        return;
    }
    const char *action = req_form(r, "action");
    long long v;
    if (streq(action, "approve") || streq(action, "reject")) {
        if (!parse_int(req_form(r, "request"), 1, INT64_MAX, &v) ||
            !org_decide_request(db, r->arena, v, id, streq(action, "approve"), r->user->id)) {
            resp_error(r, 404, "not-found", T(r, "There is no such request."));
            return;
        }
    } else if (streq(action, "make-admin") || streq(action, "make-member") || streq(action, "remove")) {
        if (!parse_int(req_form(r, "user"), 1, INT64_MAX, &v) || org_role(db, id, v) == ROLE_NONE) {
            resp_error(r, 404, "not-found", T(r, "This person is not a member."));
            return;
        }
        bool demotes_admin = org_role(db, id, v) == ROLE_ADMIN && !streq(action, "make-admin");
        if (demotes_admin && org_active_admins(db, id) <= 1 && !r->user->is_admin) {
            resp_error(r, 409, "last-admin", T(r, "The organisation needs an administrator: make someone else administrator first."));
            return;
        }
        if (!org_set_role(db, r->arena, id, v, streq(action, "remove") ? NULL : streq(action, "make-admin") ? "admin" : "member")) {
            resp_error(r, 500, "db", T(r, "The change could not be saved."));
            return;
        }
    } else {
        resp_error(r, 400, "bad-action", T(r, "Unknown action."));
        return;
    }
    flash_set(r, "members");
    resp_redirect(r, aprintf(r->arena, "/organisations/%lld/members", (long long)id));
}
