/* notify/'s pages and API: the inbox (grouped by day, read on POST), follow buttons, the
 * one-click unsubscribe (signed, no session), preferences and the inbox in JSON. */
#include <stdlib.h>
#include <string.h>
#include "account/account.h"
#include "core/util.h"
#include "events/events.h"
#include "html/html.h"
#include "http/api.h"
#include "http/csrf.h"
#include "i18n/i18n.h"
#include "notify/internal.h"
#include "ref/ref.h"


static bool tz_ok(const char *tz) { return streq(tz, "Europe/Stockholm") || streq(tz, "Europe/Oslo"); }

/* ---- follow ---- */

void notify_follow_button(req_t *r, const char *target, const char *key) {
    if (!r->user || !key) return;
    bool on = notify_following(db_get(), r->user->id, target, key);
    buf_puts(&r->out, "<form method=\"post\" action=\"/follow\" class=\"inline follow\">");
    csrf_input(r);
    bprintf(&r->out, "<input type=\"hidden\" name=\"target\" value=\"%h\"><input type=\"hidden\" name=\"key\" value=\"%h\">"
                     "<input type=\"hidden\" name=\"on\" value=\"%s\"><input type=\"hidden\" name=\"back\" value=\"%h\">"
                     "<button type=\"submit\" class=\"secondary\" aria-pressed=\"%s\">%h</button></form>",
            target, key, on ? "0" : "1", r->path, on ? "true" : "false", on ? T(r, "Following – stop") : T(r, "Follow"));
}

void notify_follow_id(req_t *r, const char *target, int64_t id) {
    if (id > 0) notify_follow_button(r, target, aprintf_text(r->arena, "%lld", (long long)id));
}

void notify_follow_search(req_t *r) { notify_save_search(r, "org"); }

void notify_follow_theme(req_t *r) {
    const char **v;
    if (!r->user || req_query_all(r, "theme", &v) != 1 || !ref_theme_slug_valid(v[0])) return;
    bool on = notify_following(db_get(), r->user->id, "theme", v[0]);
    const char *name = ref_theme_name(db_get(), r->arena, v[0], r->lang);
    buf_puts(&r->out, "<form method=\"post\" action=\"/follow\" class=\"inline follow\">");
    csrf_input(r);
    bprintf(&r->out, "<input type=\"hidden\" name=\"target\" value=\"theme\"><input type=\"hidden\" name=\"key\" value=\"%h\">"
                     "<input type=\"hidden\" name=\"on\" value=\"%s\"><input type=\"hidden\" name=\"back\" value=\"%h\">"
                     "<button type=\"submit\" class=\"secondary\" aria-pressed=\"%s\">%h</button></form>",
            v[0], on ? "0" : "1", r->query.n ? aprintf_text(r->arena, "%s?theme=%U", r->path, v[0]) : r->path, on ? "true" : "false",
            aprintf_text(r->arena, on ? T(r, "You follow the key area %s – stop") : T(r, "Follow the key area %s"), name));
}

static bool key_ok(const char *target, const char *key) {
    if (!key || !*key || strlen(key) > 500) return false;
    if (streq(target, "search")) return notify_search_query_ok(key);
    if (streq(target, "theme")) return ref_theme_slug_valid(key);
    long long v;
    return parse_int(key, 1, INT64_MAX, &v);
}

void notify_follow_post(req_t *r) {
    const char *target = req_form(r, "target"), *key = req_form(r, "key"), *back = req_form(r, "back");
    if (!notify_target_valid(target) || !key_ok(target, key)) { resp_error(r, 400, "bad-request", T(r, "This cannot be followed.")); return; }
    bool on = !streq(req_form(r, "on"), "0");
    if (!(streq(target, "search") ? notify_search_follow(db_get(), r->arena, r->user->id, key, on, r->lang)
                                  : notify_set_follow(db_get(), r->arena, r->user->id, target, key, on))) {
        resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed."));
        return;
    }
    resp_redirect(r, back && back[0] == '/' && back[1] != '/' ? back : "/inbox");
}

/* ---- inbox ---- */

/* the invitations of the user's organisations: those waiting with their answer buttons */
static void invitations(req_t *r, db_t *db) {
    json_t *inv = api_own(r, event_invitations_for_user(db, r->arena, r->user, r->lang)), *v;
    if (!json_array_size(inv)) return;
    size_t i;
    bprintf(&r->out, "<section aria-labelledby=\"inv-h\"><h2 id=\"inv-h\">%h</h2><ul class=\"plain invitations\">",
            T(r, "Invitations to your organisations"));
    json_array_foreach(inv, i, v) {
        bprintf(&r->out, "<li><a href=\"/events/%lld\">%h</a> (%h) – %h: ", (long long)json_integer_value(json_object_get(v, "event")),
                jstr(v, "title"), jstr(v, "start"), jstr(v, "name"));
        const char *s = jstr(v, "status");
        if (streq(s, "pending")) {
            const char *act = aprintf_text(r->arena, "/invitations/%lld/answer", (long long)json_integer_value(json_object_get(v, "id")));
            const char *const acc[][2] = {{"answer", "accept"}}, *const dec[][2] = {{"answer", "decline"}};
            form_button(r, act, acc, 1, "", aprintf_text(r->arena, T(r, "Accept for %s"), jstr(v, "name")));
            form_button(r, act, dec, 1, "secondary", aprintf_text(r->arena, T(r, "Decline for %s"), jstr(v, "name")));
        } else bprintf(&r->out, "%h", streq(s, "accepted") ? T(r, "accepted") : T(r, "declined"));
        buf_puts(&r->out, "</li>");
    }
    buf_puts(&r->out, "</ul></section>");
}

void notify_notifications_redirect(req_t *r) {
    resp_redirect(r, "/inbox");
    r->status = 301;
}

void notify_inbox_page(req_t *r) {
    db_t *db = db_get();
    json_t *ns = api_own(r, notify_items_json(db, r->arena, r->user->id, r->lang, false, NULL));
    page_begin(r, T(r, "Inbox"));
    bprintf(&r->out, "<h1>%h</h1>", T(r, "Inbox"));
    size_t i;
    json_t *v;
    bool unread = false;
    json_array_foreach(ns, i, v) if (!json_is_true(json_object_get(v, "read"))) unread = true;
    if (unread) {
        form_open(r, "/inbox/read");
        bprintf(&r->out, "<button type=\"submit\" class=\"secondary\">%h</button></form>", T(r, "Mark all as read"));
    }
    bprintf(&r->out, "<p><a href=\"/account/notifications\">%h</a> · <a href=\"/account/searches\">%h</a></p>", T(r, "Choose what you get"),
            T(r, "Your saved searches"));
    invitations(r, db);
    if (!json_array_size(ns)) bprintf(&r->out, "<p>%h</p>", T(r, "Nothing new."));
    char day[11] = "";
    json_array_foreach(ns, i, v) {
        const char *at = jstr(v, "created_at");
        if (!at || strncmp(day, at, 10)) {
            if (*day) buf_puts(&r->out, "</ul></section>");
            snprintf(day, sizeof day, "%.10s", at ? at : "");
            time_t t = 0;
            parse_utc(at, &t);
            bprintf(&r->out, "<section class=\"inbox-day\"><h2>%h</h2><ul class=\"plain notifications\">", fmt_date(r->arena, r->lang, t));
        }
        bool read = json_is_true(json_object_get(v, "read"));
        bprintf(&r->out, "<li class=\"%s\"><a href=\"%h\">%h</a>", read ? "read" : "unread", jstr(v, "url"), jstr(v, "text"));
        if (jstr(v, "detail")) bprintf(&r->out, " <span class=\"small\">(%h)</span>", jstr(v, "detail"));
        if (!read) bprintf(&r->out, " <strong class=\"badge\">%h</strong>", T(r, "New"));
        buf_puts(&r->out, "</li>");
    }
    if (*day) buf_puts(&r->out, "</ul></section>");
    page_end(r);
}

void notify_inbox_read_post(req_t *r) {
    if (!notify_mark_read(db_get(), r->arena, r->user->id, 0)) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    resp_redirect(r, "/inbox");
}

/* ---- preferences page ---- */

static const char *mode_label(req_t *r, const char *m) {
    if (streq(m, "immediately")) return T(r, "Immediately");
    if (streq(m, "daily")) return T(r, "Daily digest");
    if (streq(m, "weekly")) return T(r, "Weekly digest");
    return T(r, "Never");
}

void notify_prefs_page(req_t *r) {
    db_t *db = db_get();
    page_begin(r, T(r, "Notifications by e-mail"));
    bprintf(&r->out, "<h1>%h</h1>", T(r, "Notifications by e-mail"));
    form_open(r, "/account/notifications");
    for (int g = 0; notify_groups[g]; g++) {
        const char *cur = notify_mode(db, r->user->id, notify_groups[g]);
        bprintf(&r->out, "<fieldset class=\"choices\"><legend>%h</legend>", notify_group_label(notify_groups[g], r->lang));
        for (int m = 0; notify_modes[m]; m++)
            bprintf(&r->out, "<label><input type=\"radio\" name=\"%h\" value=\"%h\"%s> %h</label> ", notify_groups[g], notify_modes[m],
                    streq(cur, notify_modes[m]) ? " checked" : "", mode_label(r, notify_modes[m]));
        buf_puts(&r->out, "</fieldset>");
    }
    const char *tz = notify_timezone(db, r->user->id, r->user->lang);
    bprintf(&r->out, "<fieldset class=\"choices\"><legend>%h</legend><label><input type=\"radio\" name=\"timezone\" value=\"Europe/Stockholm\"%s> %h</label> "
                     "<label><input type=\"radio\" name=\"timezone\" value=\"Europe/Oslo\"%s> %h</label></fieldset>",
            T(r, "Time zone of the digests"), streq(tz, "Europe/Stockholm") ? " checked" : "", T(r, "Swedish time (Europe/Stockholm)"),
            streq(tz, "Europe/Oslo") ? " checked" : "", T(r, "Norwegian time (Europe/Oslo)"));
    form_close(r, T(r, "Save"));
    page_end(r);
}

void notify_prefs_post(req_t *r) {
    db_t *db = db_get();
    if (!db_begin(db)) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    bool ok = true;
    for (int g = 0; ok && notify_groups[g]; g++) {
        const char *m = req_form(r, notify_groups[g]);
        if (m && notify_mode_valid(m)) ok = notify_set_mode(db, r->user->id, notify_groups[g], m);
    }
    if (ok && tz_ok(req_form(r, "timezone"))) ok = notify_set_timezone(db, r->user->id, req_form(r, "timezone"));
    if (!ok || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    resp_redirect(r, "/account/notifications");
}

/* ---- unsubscribe (RFC 8058) ---- */

/* unsub_args: the link's user and group, and whether its signature holds. The page speaks the
 * recipient's language, not the browser's: the account's, or the link's `l` (which the mail
 * writes; it chooses only the language, so a tampered link is refused in the recipient's words). */
static bool unsub_args(req_t *r, int64_t *uid, const char **group) {
    long long v;
    *group = req_query(r, "g");
    const char *l = req_query(r, "l"), *email = NULL, *lang = NULL;
    bool user = parse_int(req_query(r, "u"), 1, INT64_MAX, &v);
    if (user && account_contact(db_get(), r->arena, v, &email, &lang, NULL) && lang && i18n_known(lang)) r->lang = i18n_canonical(lang);
    else if (l && i18n_known(l)) r->lang = i18n_canonical(l);
    if (!user || !(*group) || (!streq(*group, "all") && !notify_group_valid(*group))) return false;
    *uid = v;
    return notify_token_ok(db_get(), r->arena, *uid, *group, req_query(r, "t"));
}

static void unsub_refused(req_t *r) {
    r->status = 403;
    page_begin(r, T(r, "Unsubscribe"));
    bprintf(&r->out, "<h1>%h</h1><p>%h</p><p>%h</p>", T(r, "This unsubscribe link is not valid"),
            T(r, "This unsubscribe link is not valid: it may have been changed. Nothing was changed."),
            T(r, "Use the link from the e-mail as it is, or log in and choose what you get under My account → Notifications."));
    bprintf(&r->out, "<p><a href=\"/account/notifications\">%h</a></p>", T(r, "Choose what you get"));
    page_end(r);
}

void notify_unsubscribe_page(req_t *r) {
    int64_t uid;
    const char *group;
    if (!unsub_args(r, &uid, &group)) { unsub_refused(r); return; }
    page_begin(r, T(r, "Unsubscribe"));
    bprintf(&r->out, "<h1>%h</h1><p>%h</p><form method=\"post\" action=\"/unsubscribe?u=%lld&amp;g=%U&amp;t=%U&amp;l=%U\">"
                     "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button type=\"submit\">%h</button></form>",
            T(r, "Unsubscribe"), T(r, "Stop these e-mails from Gränslös? The inbox in the app stays."), (long long)uid, group,
            req_query(r, "t"), r->lang, T(r, "Unsubscribe"));
    page_end(r);
}

void notify_unsubscribe_post(req_t *r) {
    int64_t uid;
    const char *group;
    if (!unsub_args(r, &uid, &group)) { unsub_refused(r); return; }
    if (!notify_unsubscribe(db_get(), r->arena, uid, group)) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    page_begin(r, T(r, "Unsubscribe"));
    bprintf(&r->out, "<h1>%h</h1><p>%h</p><p><a href=\"/account/notifications\">%h</a></p>", T(r, "Unsubscribe"),
            T(r, "You will get no more of these e-mails."), T(r, "Choose what you get"));
    page_end(r);
}

/* ---- API ---- */

static json_t *prefs_json(db_t *db, int64_t uid) {
    json_t *o = json_object();
    for (int g = 0; notify_groups[g]; g++) json_object_set_new(o, notify_groups[g], json_string(notify_mode(db, uid, notify_groups[g])));
    return o;
}

void notify_api_prefs_get(req_t *r) {
    db_t *db = db_get();
    resp_json(r, 200, json_pack("{s:o, s:s}", "kinds", prefs_json(db, r->user->id), "timezone", notify_timezone(db, r->user->id, r->user->lang)));
}

void notify_api_prefs_put(req_t *r) {
    json_t *b = api_body(r);
    if (!b) return;
    json_t *k = json_object_get(b, "kinds"), *tz = json_object_get(b, "timezone");
    if (!k) { k = json_deep_copy(b); json_object_del(k, "timezone"); api_own(r, k); }
    json_t *errors = api_own(r, json_object()), *v;
    if (tz && !(json_is_string(tz) && tz_ok(json_string_value(tz))))
        json_object_set_new(errors, "timezone", json_string(T(r, "Choose Europe/Stockholm or Europe/Oslo.")));
    const char *name;
    json_object_foreach(k, name, v) {
        if (!notify_group_valid(name)) json_object_set_new(errors, name, json_string(T(r, "There is no such kind of notification.")));
        else if (!json_is_string(v) || !notify_mode_valid(json_string_value(v)))
            json_object_set_new(errors, name, json_string(T(r, "Choose immediately, daily, weekly or never.")));
    }
    if (json_object_size(errors)) { api_invalid(r, errors); return; }
    db_t *db = db_get();
    bool ok = db_begin(db);
    json_object_foreach(k, name, v) if (ok) ok = notify_set_mode(db, r->user->id, name, json_string_value(v));
    if (ok && tz) ok = notify_set_timezone(db, r->user->id, json_string_value(tz));
    if (!ok || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    resp_json(r, 200, json_pack("{s:o, s:s}", "kinds", prefs_json(db, r->user->id), "timezone", notify_timezone(db, r->user->id, r->user->lang)));
}

void notify_api_list(req_t *r) {
    db_t *db = db_get();
    resp_json(r, 200, json_pack("{s:o, s:i, s:o}", "items", notify_items_json(db, r->arena, r->user->id, r->lang, false, NULL), "unread",
                                notify_unread(db, r->user->id), "invitations", event_invitations_for_user(db, r->arena, r->user, r->lang)));
}

void notify_api_read(req_t *r) {
    int64_t id = 0;
    if (r->body_len) {
        json_t *b = api_body(r);
        if (!b) return;
        json_t *i = json_object_get(b, "id");
        if (i && (!json_is_integer(i) || json_integer_value(i) < 1)) {
            api_invalid(r, api_own(r, json_pack("{s:s}", "id", T(r, "There is no such notification."))));
            return;
        }
        id = i ? json_integer_value(i) : 0;
    }
    db_t *db = db_get();
    if (!notify_mark_read(db, r->arena, r->user->id, id)) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    resp_json(r, 200, json_pack("{s:i}", "unread", notify_unread(db, r->user->id)));
}

void notify_api_unread(req_t *r) {
    resp_header(r, "Cache-Control", "no-store");
    resp_json(r, 200, json_pack("{s:i}", "unread", notify_unread(db_get(), r->user->id)));
}

void notify_api_follows(req_t *r) { resp_json(r, 200, json_pack("{s:o}", "items", notify_follows_json(db_get(), r->user->id))); }

static void follow_api(req_t *r, bool on) {
    json_t *b = api_body(r);
    if (!b) return;
    const char *target = jstr(b, "target");
    json_t *kv = json_object_get(b, "key");
    const char *key = json_is_integer(kv) ? aprintf_text(r->arena, "%lld", (long long)json_integer_value(kv)) : json_string_value(kv);
    if (!notify_target_valid(target)) { api_invalid(r, api_own(r, json_pack("{s:s}", "target", T(r, "This cannot be followed.")))); return; }
    if (!key_ok(target, key)) { api_invalid(r, api_own(r, json_pack("{s:s}", "key", T(r, "This cannot be followed.")))); return; }
    db_t *db = db_get();
    if (!(streq(target, "search") ? notify_search_follow(db, r->arena, r->user->id, key, on, r->lang)
                                  : notify_set_follow(db, r->arena, r->user->id, target, key, on))) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    resp_json(r, 200, json_pack("{s:s, s:s, s:b}", "target", target, "key", key, "following", on));
}
void notify_api_follow(req_t *r) { follow_api(r, true); }
void notify_api_unfollow(req_t *r) { follow_api(r, false); }
