/* Account pages: register, log in, log out, settings, personal data export, deletion,
 * and the language switch. */
#include <string.h>
#include "account/account.h"
#include "account/auth.h"
#include "core/util.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "org/org.h"

static void jfree(void *p) { json_decref(p); }
static json_t *errs(req_t *r) { json_t *e = json_object(); arena_on_free(r->arena, jfree, e); return e; }
static void seterr(req_t *r, json_t *e, const char *field, const char *msgid) {
    if (!json_object_get(e, field)) json_object_set_new(e, field, json_string(T(r, msgid)));
}

/* check_name: a person's name is required and at most 120 characters */
static void check_name(req_t *r, json_t *e, const char *name) {
    if (str_empty(name)) seterr(r, e, "name", "This field is required.");
    else if (utf8_len(name) > 120) seterr(r, e, "name", "This text is too long.");
}

/* stored_hash: the logged-in user's password hash */
static char *stored_hash(req_t *r) {
    stmt_t *s = db_prep(db_get(), "SELECT pw_hash FROM users WHERE id = :id");
    db_bind_int(s, ":id", r->user->id);
    char *hash = db_step(s) ? db_text_dup(s, 0, r->arena) : NULL;
    db_reset(s);
    return hash;
}

static const char *next_param(req_t *r) {
    const char *n = req_form(r, "next");
    if (!n) n = req_query(r, "next");
    return safe_local_path(n) ? n : NULL;
}

static void register_form(req_t *r, json_t *e) {
    page_begin(r, T(r, "Register"));
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1><p>%h</p>", T(r, "Register"),
            T(r, "With an account you can add your organisation, keep it up to date and join others."));
    form_errors_summary(r, e);
    form_open(r, "/register");
    field_text(r, "name", T(r, "Your name"), req_form(r, "name"), e, "text", NULL, true);
    field_text(r, "email", T(r, "E-mail"), req_form(r, "email"), e, "email", NULL, true);
    field_text(r, "password", T(r, "Password"), NULL, e, "password", T(r, "At least 10 characters."), true);
    option_t langs[3] = {{"sv", "Svenska"}, {"nb", "Norsk (bokmål)"}, {"en", "English"}};
    field_select(r, "lang", T(r, "Language"), langs, 3, req_form(r, "lang") ? req_form(r, "lang") : r->lang, e, false);
    form_close(r, T(r, "Create account"));
    bprintf(&r->out, "<p>%h <a href=\"/login\">%h</a></p></div>", T(r, "Already registered?"), T(r, "Log in"));
    page_end(r);
}

void account_register_page(req_t *r) { register_form(r, NULL); }

const char *password_problem(const char *pw) {
    if (!pw || utf8_len(pw) < 10) return N_("The password must have at least 10 characters.");
    if (strlen(pw) > 1024) return N_("The password is too long.");
    return NULL;
}

void account_register_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *name = trim(r->arena, req_form(r, "name"));
    const char *email = trim(r->arena, req_form(r, "email"));
    const char *pw = req_form(r, "password");
    const char *lang = req_form(r, "lang");
    check_name(r, e, name);
    if (!email_valid(email)) seterr(r, e, "email", "This is not a valid e-mail address.");
    else if (user_by_email(db, email)) seterr(r, e, "email", "There is already an account with this e-mail address.");
    const char *pp = password_problem(pw);
    if (pp) seterr(r, e, "password", pp);
    if (lang && !i18n_known(lang)) seterr(r, e, "lang", "Unknown language.");
    if (json_object_size(e)) { r->status = 422; register_form(r, e); return; }
    int64_t id = user_create(db, r->arena, email, name, pw, false);
    if (!id) { resp_error(r, 500, "db", T(r, "The account could not be created.")); return; }
    if (lang) {
        stmt_t *s = db_prep(db, "UPDATE users SET lang = :l WHERE id = :id");
        db_bind_text(s, ":l", i18n_canonical(lang));
        db_bind_int(s, ":id", id);
        db_run(s);
        resp_set_cookie(r, "lang", i18n_canonical(lang), 365 * 86400);
    }
    session_start(r, id);
    flash_set(r, "welcome");
    resp_redirect(r, "/account");
}

static void login_form(req_t *r, json_t *e) {
    page_begin(r, T(r, "Log in"));
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1>", T(r, "Log in"));
    form_errors_summary(r, e);
    form_open(r, "/login");
    const char *next = next_param(r);
    if (next) bprintf(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%h\">", next);
    field_text(r, "email", T(r, "E-mail"), req_form(r, "email"), e, "email", NULL, true);
    field_text(r, "password", T(r, "Password"), NULL, e, "password", NULL, true);
    form_close(r, T(r, "Log in"));
    bprintf(&r->out, "<p>%h <a href=\"/register\">%h</a></p></div>", T(r, "No account yet?"), T(r, "Register"));
    page_end(r);
}

void account_login_page(req_t *r) { login_form(r, NULL); }

void account_login_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *email = trim(r->arena, req_form(r, "email"));
    const char *pw = req_form(r, "password");
    if (!ratelimit_allowed(email, r->ip)) {
        r->status = 429;
        resp_header(r, "Retry-After", "900");
        seterr(r, e, "email", "Too many failed attempts. Wait a quarter of an hour and try again.");
        login_form(r, e);
        return;
    }
    int64_t id = email ? user_by_email(db, email) : 0;
    const char *hash = NULL;
    if (id) {
        stmt_t *s = db_prep(db, "SELECT pw_hash FROM users WHERE id = :id");
        db_bind_int(s, ":id", id);
        if (db_step(s)) hash = db_text_dup(s, 0, r->arena);
        db_reset(s);
    }
    if (!id || !pw || !password_verify(hash, pw)) {
        ratelimit_failed(email, r->ip);
        r->status = 401;
        seterr(r, e, "email", "The e-mail address or the password is wrong.");
        login_form(r, e);
        return;
    }
    ratelimit_succeeded(email);
    session_start(r, id);
    if (r->user && r->user->lang) resp_set_cookie(r, "lang", r->user->lang, 365 * 86400);
    flash_set(r, "logged-in");
    const char *next = next_param(r);
    resp_redirect(r, next ? next : "/");
}

void account_logout_post(req_t *r) {
    session_end(r);
    flash_set(r, "logged-out");
    resp_redirect(r, "/");
}

static void settings_page(req_t *r, json_t *e) {
    db_t *db = db_get();
    page_begin(r, T(r, "My account"));
    bprintf(&r->out, "<h1>%h</h1>", T(r, "My account"));
    /* my organisations */
    json_t *mine = org_personal_data(db, r->user->id);
    arena_on_free(r->arena, jfree, mine);
    json_t *ms = json_object_get(mine, "memberships");
    bprintf(&r->out, "<section><h2>%h</h2>", T(r, "My organisations"));
    bool any = json_array_size(ms) > 0;
    size_t i;
    json_t *m;
    if (any) buf_puts(&r->out, "<ul class=\"links\">");
    json_array_foreach(ms, i, m)
        bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a> <span class=\"meta\">%h</span></li>",
                (long long)json_integer_value(json_object_get(m, "organisation")), json_string_value(json_object_get(m, "name")),
                streq(json_string_value(json_object_get(m, "role")), "admin") ? T(r, "Administrator") : T(r, "Member"));
    if (any) buf_puts(&r->out, "</ul>");
    else bprintf(&r->out, "<p>%h <a href=\"/organisations/new\">%h</a></p>", T(r, "You do not belong to any organisation yet."), T(r, "Add organisation"));
    buf_puts(&r->out, "</section>");
    bprintf(&r->out, "<section class=\"narrow\"><h2>%h</h2>", T(r, "Settings"));
    form_errors_summary(r, e);
    form_open(r, "/account");
    bprintf(&r->out, "<input type=\"hidden\" name=\"form\" value=\"settings\">");
    field_text(r, "name", T(r, "Your name"), r->user->name, e, "text", NULL, true);
    option_t langs[3] = {{"sv", "Svenska"}, {"nb", "Norsk (bokmål)"}, {"en", "English"}};
    field_select(r, "lang", T(r, "Language"), langs, 3, r->user->lang ? r->user->lang : r->lang, e, false);
    form_close(r, T(r, "Save settings"));
    bprintf(&r->out, "<h2>%h</h2>", T(r, "Change password"));
    form_open(r, "/account/password");
    field_text(r, "current", T(r, "Current password"), NULL, e, "password", NULL, true);
    field_text(r, "password", T(r, "New password"), NULL, e, "password", T(r, "At least 10 characters."), true);
    form_close(r, T(r, "Change password"));
    bprintf(&r->out, "<h2>%h</h2><p>%h</p><p><a class=\"button secondary\" href=\"/account/export\" download>%h</a></p>",
            T(r, "Your personal data"), T(r, "Download everything the platform stores about you as JSON."), T(r, "Download my data"));
    bprintf(&r->out, "<div class=\"danger-zone\"><h2>%h</h2><p>%h</p>", T(r, "Delete account"),
            T(r, "Your account and personal data are deleted. What you edited stays with the organisations, attributed to a deleted user."));
    form_open(r, "/account/delete");
    field_text(r, "confirm_password", T(r, "Your password, to confirm"), NULL, e, "password", NULL, true);
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\" class=\"danger\">%h</button></p></form></div></section>", T(r, "Delete my account"));
    page_end(r);
}

void account_page(req_t *r) { settings_page(r, NULL); }

void account_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *name = trim(r->arena, req_form(r, "name"));
    const char *lang = req_form(r, "lang");
    check_name(r, e, name);
    if (!lang || !i18n_known(lang)) seterr(r, e, "lang", "Unknown language.");
    if (json_object_size(e)) { r->status = 422; settings_page(r, e); return; }
    stmt_t *s = db_prep(db, "UPDATE users SET name = :n, lang = :l WHERE id = :id");
    db_bind_text(s, ":n", name);
    db_bind_text(s, ":l", i18n_canonical(lang));
    db_bind_int(s, ":id", r->user->id);
    if (!db_run(s)) { resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    resp_set_cookie(r, "lang", i18n_canonical(lang), 365 * 86400);
    flash_set(r, "saved");
    resp_redirect(r, "/account");
}

void account_password_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    char *hash = stored_hash(r);
    const char *cur = req_form(r, "current"), *pw = req_form(r, "password");
    if (!ratelimit_allowed(r->user->email, r->ip)) seterr(r, e, "current", "Too many failed attempts. Wait a quarter of an hour and try again.");
    else if (!cur || !password_verify(hash, cur)) { ratelimit_failed(r->user->email, r->ip); seterr(r, e, "current", "The password is wrong."); }
    const char *pp = password_problem(pw);
    if (pp) seterr(r, e, "password", pp);
    if (json_object_size(e)) { r->status = 422; settings_page(r, e); return; }
    char *nh = password_hash(r->arena, pw);
    stmt_t *s = db_prep(db, "UPDATE users SET pw_hash = :h WHERE id = :id");
    db_bind_text(s, ":h", nh);
    db_bind_int(s, ":id", r->user->id);
    if (!nh || !db_run(s)) { resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    /* other sessions end; this one continues */
    s = db_prep(db, "DELETE FROM sessions WHERE user_id = :id AND token_hash <> :h");
    db_bind_int(s, ":id", r->user->id);
    db_bind_text(s, ":h", r->session_hash ? r->session_hash : "");
    db_run(s);
    flash_set(r, "password");
    resp_redirect(r, "/account");
}

void account_export(req_t *r) {
    json_t *j = account_personal_data(db_get(), r->user->id);
    resp_json(r, 200, j);
    resp_header(r, "Content-Disposition", "attachment; filename=\"granslos-personal-data.json\"");
}

void account_delete_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    char *hash = stored_hash(r);
    if (!password_verify(hash, req_form(r, "confirm_password") ? req_form(r, "confirm_password") : "")) {
        seterr(r, e, "confirm_password", "The password is wrong.");
        r->status = 422;
        settings_page(r, e);
        return;
    }
    if (!account_delete(db, r->arena, r->user->id)) { resp_error(r, 500, "db", T(r, "The account could not be deleted.")); return; }
    r->session_hash = NULL; /* the row is gone with the account */
    session_end(r);
    flash_set(r, "account-deleted");
    resp_redirect(r, "/");
}

void lang_switch(req_t *r) {
    const char *to = r->arg[0];
    if (!i18n_known(to)) { resp_error(r, 404, "not-found", T(r, "Unknown language.")); return; }
    resp_set_cookie(r, "lang", i18n_canonical(to), 365 * 86400);
    const char *back = req_query(r, "back");
    resp_redirect(r, safe_local_path(back) ? back : "/");
}
