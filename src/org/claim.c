/* A member's first hour (issue 12): claiming an organisation that has no administrator, the
 * moderators' queue of claims, what the profile offers a signed-in user (claim, join, pending),
 * and the organisation look-up behind the type-ahead (html/ field_pick, web/app.js).
 * Owns the table org_claims (migration 070). */
#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "account/auth.h"
#include "core/util.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "org/org.h"
#include "ref/ref.h"
#include "search/index.h"

/* ---- the e-mail domain rule ---- */

/* host_of: the lower-case host of a web address without "www.", in the arena; NULL if none. */
static char *host_of(arena_t *a, const char *url) {
    if (!url) return NULL;
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    if (!strncasecmp(p, "www.", 4)) p += 4;
    size_t n = strcspn(p, "/:?#");
    if (!n) return NULL;
    char *h = arena_strndup(a, p, n);
    for (char *q = h; *q; q++) *q = (char)tolower((unsigned char)*q);
    return h;
}

bool org_domain_matches(arena_t *a, const char *email, const char *website) {
    const char *at = email ? strrchr(email, '@') : NULL;
    char *host = host_of(a, website);
    if (!at || !host || !strchr(host, '.')) return false;
    /* a site of its own, not a page on a platform (facebook.com/name, sites.google.com/view/name) */
    const char *rest = strstr(website, "://");
    rest = rest ? rest + 3 : website;
    rest += strcspn(rest, "/?#");
    if (*rest && strcmp(rest, "/")) return false;
    char *dom = arena_strdup(a, at + 1);
    for (char *q = dom; *q; q++) *q = (char)tolower((unsigned char)*q);
    size_t dl = strlen(dom), hl = strlen(host);
    if (streq(dom, host)) return true;
    return dl > hl && dom[dl - hl - 1] == '.' && streq(dom + dl - hl, host); /* mail.example.se for example.se */
}

/* ---- claims ---- */

/* org_claim_pending: the user's pending claim on the organisation (its id), or 0. */
static int64_t org_claim_pending(db_t *db, int64_t org_id, int64_t user_id) {
    stmt_t *s = db_prep(db, "SELECT id FROM org_claims WHERE org_id = :o AND user_id = :u AND status = 'pending'");
    db_bind_int(s, ":o", org_id);
    db_bind_int(s, ":u", user_id);
    return db_int_of(s, 0);
}

static bool join_pending(db_t *db, int64_t org_id, int64_t user_id) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM org_join_requests WHERE org_id = :o AND user_id = :u AND status = 'pending'");
    db_bind_int(s, ":o", org_id);
    db_bind_int(s, ":u", user_id);
    return db_int_of(s, 0) == 1;
}

/* others_refused: once the organisation has its administrator, the other pending claims on it
 * are answered (refused: the administrator now approves who joins). */
static bool others_refused(db_t *db, arena_t *a, int64_t org_id, int64_t by) {
    stmt_t *s = db_prep(db, "UPDATE org_claims SET status = 'refused', decided_by = :by, decided_at = :now WHERE org_id = :o AND status = 'pending'");
    db_bind_id(s, ":by", by);
    db_bind_text(s, ":now", now_utc(a));
    db_bind_int(s, ":o", org_id);
    return db_run(s);
}

static bool claim_insert(db_t *db, arena_t *a, int64_t org_id, int64_t user_id, const char *message, bool approved) {
    stmt_t *s = db_prep(db, "INSERT INTO org_claims (org_id, user_id, message, status, auto, created_at, decided_at) "
                            "VALUES (:o, :u, :m, :st, :auto, :now, CASE WHEN :auto = 1 THEN :now END)");
    db_binds(s, DB_INT(":o", org_id), DB_INT(":u", user_id), DB_TEXT(":m", message), DB_TEXT(":st", approved ? "approved" : "pending"),
                DB_INT(":auto", approved ? 1 : 0), DB_TEXT(":now", now_utc(a)));
    return db_run(s);
}

void org_claim_post(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    org_view_t o;
    if (!org_view(db, r->arena, id, false, &o)) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    if (org_active_admins(db, id) > 0) {
        resp_error(r, 409, "has-admin", T(r, "This organisation already has administrators: ask to join it instead."));
        return;
    }
    const char *msg = trim(r->arena, req_form(r, "message"));
    if (msg && (utf8_len(msg) > 1000 || !check_text(msg, false))) {
        resp_error(r, 400, "bad-text", T(r, "The message is too long or holds control characters."));
        return;
    }
    if (org_claim_pending(db, id, r->user->id)) { flash_set(r, "claim-pending"); resp_redirect(r, aprintf(r->arena, "/organisations/%lld", (long long)id)); return; }
    bool automatic = org_domain_matches(r->arena, r->user->email, o.website);
    if (!db_begin(db)) { resp_error(r, 500, "db", T(r, "Your request could not be saved.")); return; }
    bool ok = claim_insert(db, r->arena, id, r->user->id, str_empty(msg) ? NULL : msg, automatic);
    if (ok && automatic) ok = org_set_role(db, r->arena, id, r->user->id, "admin") && others_refused(db, r->arena, id, 0);
    if (!ok || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "Your request could not be saved.")); return; }
    flash_set(r, automatic ? "claim-approved" : "claim-pending");
    resp_redirect(r, aprintf(r->arena, "/organisations/%lld", (long long)id));
}

/* org_claims_section: the moderators' queue on /admin (pending claims, oldest first). */
void org_claims_section(req_t *r) {
    db_t *db = db_get();
    stmt_t *s = db_prep(db, "SELECT c.id, c.org_id, o.name, o.country, o.website, u.name, u.email, c.message, c.created_at "
                            "FROM org_claims c JOIN organisations o ON o.id = c.org_id JOIN users u ON u.id = c.user_id "
                            "WHERE c.status = 'pending' AND u.deleted_at IS NULL ORDER BY c.id LIMIT 200");
    bprintf(&r->out, "<section aria-labelledby=\"claims-h\"><h2 id=\"claims-h\">%h</h2><p>%h</p>", T(r, "Claims waiting for a moderator"),
            T(r, "People who say they may administer an organisation that has nobody yet. Their e-mail domain is not the organisation's web address: check before approving."));
    bool any = false;
    while (db_step(s)) {
        if (!any) buf_puts(&r->out, "<ul class=\"requests\">");
        any = true;
        bprintf(&r->out, "<li><p><a href=\"/organisations/%lld\">%h</a> <span class=\"country country-%h\">%h</span></p><p><strong>%h</strong> (%h)",
                (long long)db_int(s, 1), db_text(s, 2), db_text(s, 3), ref_country_name(db_text(s, 3), r->lang), db_text(s, 5), db_text(s, 6));
        if (db_text(s, 4)) bprintf(&r->out, " · %h %h", T(r, "Web address:"), db_text(s, 4));
        buf_puts(&r->out, "</p>");
        if (db_text(s, 7)) bprintf(&r->out, "<p>%h</p>", db_text(s, 7));
        buf_puts(&r->out, "<p class=\"actions\">");
        const char *cid = aprintf_text(r->arena, "%lld", (long long)db_int(s, 0));
        form_button(r, "/admin/claims", (const char *const[][2]){{"claim", cid}, {"action", "approve"}}, 2, "",
                    aprintf_text(r->arena, T(r, "Approve: %s administers %s"), db_text(s, 5), db_text(s, 2)));
        buf_putc(&r->out, ' ');
        form_button(r, "/admin/claims", (const char *const[][2]){{"claim", cid}, {"action", "refuse"}}, 2, "secondary", T(r, "Refuse"));
        buf_puts(&r->out, "</p></li>");
    }
    if (any) buf_puts(&r->out, "</ul>");
    else bprintf(&r->out, "<p>%h</p>", T(r, "No claims are waiting."));
    buf_puts(&r->out, "</section>");
}

void org_claim_decide_post(req_t *r) {
    db_t *db = db_get();
    const char *action = req_form(r, "action");
    long long cid;
    if (!streq(action, "approve") && !streq(action, "refuse")) { resp_error(r, 400, "bad-action", T(r, "Unknown action.")); return; }
    if (!parse_int(req_form(r, "claim"), 1, INT64_MAX, &cid)) { resp_error(r, 404, "not-found", T(r, "There is no such request.")); return; }
    if (!db_begin(db)) { resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    stmt_t *s = db_prep(db, "SELECT org_id, user_id FROM org_claims WHERE id = :id AND status = 'pending'");
    db_bind_int(s, ":id", cid);
    int64_t org = 0, uid = 0;
    if (db_step(s)) { org = db_int(s, 0); uid = db_int(s, 1); }
    db_reset(s);
    if (!org) { db_rollback(db); resp_error(r, 404, "not-found", T(r, "There is no such request.")); return; }
    if (streq(action, "approve") && org_active_admins(db, org) > 0) {
        db_rollback(db);
        resp_error(r, 409, "has-admin", T(r, "This organisation already has administrators: ask to join it instead."));
        return;
    }
    s = db_prep(db, "UPDATE org_claims SET status = :st, decided_by = :by, decided_at = :now WHERE id = :id");
    db_binds(s, DB_TEXT(":st", streq(action, "approve") ? "approved" : "refused"), DB_INT(":by", r->user->id),
                DB_TEXT(":now", now_utc(r->arena)), DB_INT(":id", cid));
    bool ok = db_run(s);
    if (ok && streq(action, "approve")) ok = org_set_role(db, r->arena, org, uid, "admin") && others_refused(db, r->arena, org, r->user->id);
    if (!ok || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    /* the one who claimed it hears the moderators' answer (issue 14) */
    if (!notify_emit(db, streq(action, "approve") ? "claim-approved" : "claim-refused", "org", org, (notify_audience_t){.user = uid}, NULL))
        log_msg("org: the answer to claim %lld could not be told", cid);
    flash_set(r, streq(action, "approve") ? "claim-decided" : "claim-refused");
    resp_redirect(r, "/admin#claims-h");
}

/* org_profile_actions: the profile's buttons for this viewer (the list items of ul.actions after
 * "Find partners"): edit, history, members for members; for others the contact link, and claim
 * (nobody administers it) or join, or the pending state of their request. */
void org_profile_actions(req_t *r, db_t *db, int64_t id, bool can_edit) {
    if (can_edit) {
        bprintf(&r->out, "<li><a class=\"button\" href=\"/organisations/%lld/edit\">%h</a></li>", (long long)id, T(r, "Edit"));
        bprintf(&r->out, "<li><a href=\"/organisations/%lld/history\">%h</a></li>", (long long)id, T(r, "History"));
        bprintf(&r->out, "<li><a href=\"/organisations/%lld/members\">%h</a></li>", (long long)id, T(r, "Members"));
        return;
    }
    bprintf(&r->out, "<li><a class=\"button\" href=\"/organisations/%lld/contact\">%h</a></li>", (long long)id, T(r, "Contact the organisation"));
    if (!r->user) return;
    if (org_claim_pending(db, id, r->user->id)) {
        bprintf(&r->out, "<li><p class=\"badge pending\" role=\"status\">%h</p></li>", T(r, "Your claim is waiting for a moderator."));
    } else if (join_pending(db, id, r->user->id)) {
        bprintf(&r->out, "<li><p class=\"badge pending\" role=\"status\">%h</p></li>", T(r, "Your request to join is pending: the administrators have not answered yet."));
    } else if (org_active_admins(db, id) == 0) {
        buf_puts(&r->out, "<li>");
        form_button(r, aprintf(r->arena, "/organisations/%lld/claim", (long long)id), NULL, 0, "secondary",
                    T(r, "Nobody administers this record yet: claim it"));
        buf_puts(&r->out, "</li>");
    } else {
        buf_puts(&r->out, "<li>");
        form_button(r, aprintf(r->arena, "/organisations/%lld/join", (long long)id), NULL, 0, "secondary", T(r, "I work here: join this organisation"));
        buf_puts(&r->out, "</li>");
    }
}

/* ---- look-up: organisations by name or number ---- */

static char *fold(arena_t *a, const char *s);

/* lookup_push: the organisation of the current row of s (id, name, country, municipality, orgnr) into out. */
static void lookup_push(arena_t *a, stmt_t *s, const char *lang, json_t *out) {
    const municipality_t *m = db_text(s, 3) ? ref_municipality(db_text(s, 2), db_text(s, 3)) : NULL;
    const char *country = ref_country_name(db_text(s, 2), lang);
    const char *label = m ? aprintf_text(a, "%s, %s", m->name, country) : country;
    json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s}", "id", (json_int_t)db_int(s, 0), "name", db_text(s, 1), "country",
                                         db_text(s, 2), "municipality", m ? m->name : NULL, "orgnr", db_text(s, 4), "label", label));
}

json_t *org_lookup(db_t *db, arena_t *a, const char *q, const char *lang, int limit) {
    json_t *out = json_array();
    q = trim(a, q);
    if (str_empty(q) || utf8_len(q) > 100) return out;
    /* a number: an id, an address ending in one, or an organisation number (digits, dash ignored) */
    const char *tail = strrchr(q, '/');
    long long idv;
    char *digits = arena_alloc(a, strlen(q) + 1), *d = digits;
    for (const char *p = q; *p; p++) if (*p != '-' && *p != ' ') *d++ = *p;
    *d = 0;
    char *like = arena_alloc(a, strlen(q) * 2 + 3), *l = like;
    *l++ = '%';
    for (const char *p = q; *p; p++) { if (*p == '%' || *p == '_' || *p == '\\') *l++ = '\\'; *l++ = *p; }
    *l++ = '%';
    *l = 0;
    stmt_t *s = db_prep(db, "SELECT id, name, country, municipality, orgnr, website FROM organisations "
                            "WHERE status = 'active' AND (id = :id OR replace(orgnr, '-', '') = :nr OR name LIKE :like ESCAPE '\\') "
                            "ORDER BY id = :id DESC, replace(orgnr, '-', '') = :nr DESC, lower(name) = lower(:q) DESC, "
                            "name LIKE substr(:like, 2) ESCAPE '\\' DESC, length(name), name LIMIT :lim");
    db_binds(s, DB_INT(":id", parse_int(tail ? tail + 1 : q, 1, INT64_MAX, &idv) ? idv : 0),
                DB_TEXT(":nr", strlen(digits) >= 6 ? digits : "-"), DB_TEXT(":like", like), DB_TEXT(":q", q), DB_INT(":lim", limit));
    while (db_step(s)) lookup_push(a, s, lang, out);
    /* SQLite's LIKE folds ASCII letters only: "östersund" misses "Östersund". For a query with other
     * letters, the search index (which folds them) proposes names, kept when their folded name
     * holds the folded query. */
    bool ascii = true;
    for (const char *p = q; *p; p++) if ((unsigned char)*p >= 0x80) ascii = false;
    if (!ascii && (int)json_array_size(out) < limit && search_doc_count()) {
        org_index_catch_up(db);
        search_hit_t *hits = NULL;
        int nh = 0;
        search_orgs(a, q, &(search_filter_t){0}, 0, 50, &hits, &nh, NULL);
        const char *fq = fold(a, q);
        stmt_t *one = db_prep(db, "SELECT id, name, country, municipality, orgnr FROM organisations WHERE id = :id AND status = 'active'");
        for (int i = 0; i < nh && (int)json_array_size(out) < limit; i++) {
            bool have = false;
            size_t k;
            json_t *x;
            json_array_foreach(out, k, x) if (json_integer_value(json_object_get(x, "id")) == hits[i].id) have = true;
            if (have) continue;
            db_bind_int(one, ":id", hits[i].id);
            if (db_step(one) && strstr(fold(a, db_text(one, 1)), fq)) lookup_push(a, one, lang, out);
            db_reset(one);
        }
    }
    return out;
}

void org_lookup_api(req_t *r) {
    const char *q = req_query(r, "q");
    if (q && utf8_len(q) > 100) { resp_problem(r, 400, "too-long", T(r, "This text is too long."), NULL); return; }
    json_t *items = org_lookup(db_get(), r->arena, q, r->lang, 10);
    resp_json(r, 200, json_pack("{s:o}", "items", items));
}

int64_t org_resolve_name(db_t *db, arena_t *a, const char *text, const char *lang) {
    json_t *m = org_lookup(db, a, text, lang, 10);
    int64_t id = 0;
    int exact = 0;
    size_t i;
    json_t *x;
    /* one match; or, among several, the only one whose name is the text (letter case aside) */
    if (json_array_size(m) == 1) id = json_integer_value(json_object_get(json_array_get(m, 0), "id"));
    else json_array_foreach(m, i, x) {
        const char *n = json_string_value(json_object_get(x, "name"));
        if (strlen(n) == strlen(text) && !strcasecmp(n, text)) { exact++; id = json_integer_value(json_object_get(x, "id")); }
    }
    if (json_array_size(m) > 1 && exact != 1) id = 0;
    size_t found = json_array_size(m);
    json_decref(m);
    if (!id && !found && !str_empty(text)) {
        /* written with other spacing ("IUC Stål&Verkstad" for "IUC Stål & Verkstad"): the only
         * active organisation whose name is the text without spaces, letter case aside */
        stmt_t *s = db_prep(db, "SELECT id FROM organisations WHERE status = 'active' "
                                "AND replace(lower(name), ' ', '') = replace(lower(:t), ' ', '') LIMIT 2");
        db_bind_text(s, ":t", text);
        int n = 0;
        while (db_step(s)) { id = db_int(s, 0); n++; }
        if (n != 1) id = 0;
    }
    return id;
}

json_t *org_resolve_names(db_t *db, arena_t *a, const char *text, const char *lang) {
    json_t *out = json_array();
    for (const char *p = text; p && *p;) {
        while (*p == ' ' || *p == ',' || *p == ';') p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ';') e++;
        const char *q = e;
        while (q > p && q[-1] == ' ') q--;
        if (q > p) {
            char *tok = arena_strndup(a, p, (size_t)(q - p));
            int64_t oid = org_resolve_name(db, a, tok, lang);
            json_array_append_new(out, oid ? json_integer(oid) : json_string(tok));
        }
        p = e;
    }
    return out;
}

/* org_pick_resolve: the organisation a pick field names: `<name>_id` (set by the type-ahead or a
 * choice of the pick step), else `<name>` as a number, an address or a name matching exactly one
 * organisation. Returns the id, or 0 with *choices (caller owns; maybe empty) set when the
 * text needs a choice. */
int64_t org_pick_resolve(req_t *r, db_t *db, const char *name, json_t **choices) {
    *choices = NULL;
    long long v;
    const char *pid = req_form(r, aprintf_text(r->arena, "%s_id", name));
    if (parse_int(pid, 1, INT64_MAX, &v) && org_exists(db, v)) return v;
    const char *text = trim(r->arena, req_form(r, name));
    if (str_empty(text)) { *choices = json_array(); return 0; }
    const char *tail = strrchr(text, '/');
    if (parse_int(tail ? tail + 1 : text, 1, INT64_MAX, &v) && org_exists(db, v)) return v;
    int64_t id = org_resolve_name(db, r->arena, text, r->lang);
    if (id) return id;
    *choices = org_lookup(db, r->arena, text, r->lang, 8);
    return 0;
}

/* ---- the landing page of a new account ---- */

/* org_welcome_page: GET /welcome[?q=] — where a new account lands: "Is your organisation already
 * here?" (by name or organisation number), each match with its next step (claim, join, pending,
 * member), and adding a new one with what was typed prefilled. */
void org_welcome_page(req_t *r) {
    db_t *db = db_get();
    const char *q = trim(r->arena, req_query(r, "q"));
    page_begin(r, T(r, "Welcome"));
    bprintf(&r->out, "<div class=\"narrow welcome\"><h1>%h</h1><p class=\"lead\">%h</p>", aprintf_text(r->arena, T(r, "Welcome, %s"), r->user->name),
            T(r, "First step: find your organisation. If it is already here, claim it or ask to join; if not, add it."));
    /* memberships the user already has */
    stmt_t *s = db_prep(db, "SELECT o.id, o.name, m.role FROM org_members m JOIN organisations o ON o.id = m.org_id WHERE m.user_id = :u ORDER BY o.name LIMIT 20");
    db_bind_int(s, ":u", r->user->id);
    bool any = false;
    while (db_step(s)) {
        if (!any) bprintf(&r->out, "<section><h2>%h</h2><ul class=\"plain\">", T(r, "Your organisations"));
        any = true;
        bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a> · %h</li>", (long long)db_int(s, 0), db_text(s, 1),
                streq(db_text(s, 2), "admin") ? T(r, "Administrator") : T(r, "Member"));
    }
    if (any) buf_puts(&r->out, "</ul></section>");
    bprintf(&r->out, "<section aria-labelledby=\"find-h\"><h2 id=\"find-h\">%h</h2>"
                     "<form method=\"get\" action=\"/welcome\" role=\"search\" class=\"search-form\"><div class=\"field\"><label for=\"f-q\">%h</label>"
                     "<input id=\"f-q\" name=\"q\" type=\"search\" value=\"%h\" autocomplete=\"organization\"></div>"
                     "<p class=\"actions\"><button type=\"submit\">%h</button></p></form>",
            T(r, "Is your organisation already here?"), T(r, "Name or organisation number"), q ? q : "", T(r, "Search"));
    if (!str_empty(q)) {
        json_t *m = api_own(r, org_lookup(db, r->arena, q, r->lang, 20));
        if (!json_array_size(m)) bprintf(&r->out, "<p role=\"status\">%h</p>", T(r, "No organisation by this name or number is here yet."));
        else {
            bprintf(&r->out, "<p role=\"status\">%h</p><ul class=\"results plain\">", T(r, "Is it one of these?"));
            size_t i;
            json_t *x;
            json_array_foreach(m, i, x) {
                int64_t id = json_integer_value(json_object_get(x, "id"));
                bprintf(&r->out, "<li><p><a href=\"/organisations/%lld\">%h</a> <span class=\"small\">%h%s%h</span></p><p class=\"actions\">", (long long)id,
                        jstr(x, "name"), jstr(x, "label"), jstr(x, "orgnr") ? " · " : "", jstr(x, "orgnr") ? jstr(x, "orgnr") : "");
                org_role_t role = org_role(db, id, r->user->id);
                if (role != ROLE_NONE) bprintf(&r->out, "%h", role == ROLE_ADMIN ? T(r, "You administer it.") : T(r, "You are a member."));
                else if (org_claim_pending(db, id, r->user->id)) bprintf(&r->out, "%h", T(r, "Your claim is waiting for a moderator."));
                else if (join_pending(db, id, r->user->id)) bprintf(&r->out, "%h", T(r, "Your request to join is pending: the administrators have not answered yet."));
                else if (org_active_admins(db, id) == 0)
                    form_button(r, aprintf(r->arena, "/organisations/%lld/claim", (long long)id), NULL, 0, "",
                                aprintf_text(r->arena, T(r, "Claim %s"), jstr(x, "name")));
                else
                    form_button(r, aprintf(r->arena, "/organisations/%lld/join", (long long)id), NULL, 0, "secondary",
                                aprintf_text(r->arena, T(r, "Ask to join %s"), jstr(x, "name")));
                buf_puts(&r->out, "</p></li>");
            }
            buf_puts(&r->out, "</ul>");
        }
        /* not here: add it, with what was typed */
        char digits[32];
        size_t nd = 0;
        bool numeric = true;
        for (const char *p = q; *p && numeric; p++) {
            if (*p >= '0' && *p <= '9') { if (nd < sizeof digits - 1) digits[nd++] = *p; }
            else if (*p != '-' && *p != ' ') numeric = false;
        }
        digits[nd] = 0;
        const char *country = nd == 10 ? "SE" : nd == 9 ? "NO" : NULL;
        const char *href_html = numeric && country ? aprintf(r->arena, "/organisations/new?orgnr=%U&amp;country=%U", digits, country)
                                              : aprintf(r->arena, "/organisations/new?name=%U", q);
        bprintf(&r->out, "<p><a class=\"button secondary\" href=\"%s\">%h</a></p>", href_html, T(r, "Not here: add my organisation"));
    } else {
        bprintf(&r->out, "<p><a href=\"/organisations/new\">%h</a></p>", T(r, "Add my organisation"));
    }
    bprintf(&r->out, "</section><p class=\"small\"><a href=\"/account\">%h</a></p></div>", T(r, "Later: go to my account settings"));
    page_end(r);
}

/* ---- look-up: industry codes by code or by words of their label ---- */

/* fold: s case-folded (Unicode), in the arena (for look-ups: matches "Östersund" with "östersund"). */
static char *fold(arena_t *a, const char *s) {
    utf8proc_uint8_t *out = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out, UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0 || !out)
        return arena_strdup(a, s);
    char *r = arena_strdup(a, (const char *)out);
    free(out);
    return r;
}

json_t *org_industry_lookup(arena_t *a, const char *q, const char *lang, int limit) {
    json_t *out = json_array();
    q = trim(a, q);
    if (str_empty(q) || utf8_len(q) > 100) return out;
    const char *country = streq(lang, "nb") ? "NO" : "SE";
    bool code = (*q >= '0' && *q <= '9');
    const char *fq = fold(a, q);
    int n = 0;
    ref_nace_code(0, &n);
    for (int pass = 0; pass < 2 && (int)json_array_size(out) < limit; pass++) /* codes or labels that begin with it, then that hold it */
        for (int i = 0; i < n && (int)json_array_size(out) < limit; i++) {
            const char *c = ref_nace_code(i, &n);
            const char *label = ref_nace_label(c, country, NULL);
            if (!label) continue;
            const char *hay = code ? c : fold(a, label);
            const char *at = strstr(hay, fq);
            if (!at || (pass == 0) != (at == hay)) continue;
            json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s}", "id", c, "value", c, "name", label, "label", c));
        }
    return out;
}

void org_industry_lookup_api(req_t *r) {
    const char *q = req_query(r, "q");
    if (q && utf8_len(q) > 100) { resp_problem(r, 400, "too-long", T(r, "This text is too long."), NULL); return; }
    resp_json(r, 200, json_pack("{s:o}", "items", org_industry_lookup(r->arena, q, r->lang, 10)));
}

const char *org_industry_resolve(arena_t *a, const char *text, const char *lang) {
    if (ref_nace_valid(text)) return text;
    size_t k = strspn(text, "0123456789.");
    if (k >= 4 && (text[k] == ' ' || !text[k])) { /* "62.010 Dataprogrammering": the code in front */
        char *c = arena_strndup(a, text, k);
        if (ref_nace_valid(c)) return c;
    }
    json_t *m = org_industry_lookup(a, text, lang, 2);
    const char *c = json_array_size(m) == 1 ? arena_strdup(a, json_string_value(json_object_get(json_array_get(m, 0), "id"))) : NULL;
    json_decref(m);
    return c;
}
