/* Account pages: register (confirmed by e-mail), log in, log out, forgotten password, settings
 * (name, language, e-mail, password, API tokens, sessions), personal data export, deletion, and
 * the language switch. An account exists only once its address is confirmed: until then the
 * registration waits as a sign-up link (account_links), so an unconfirmed address can neither log
 * in nor act. Registration, the forgotten-password form and the change of e-mail answer the same
 * whether or not the address has an account; the owner of an existing one gets a mail instead. */
#include <stdlib.h>
#include <string.h>
#include "account/account.h"
#include "account/auth.h"
#include "core/util.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "mail/mail.h"
#include "org/org.h"

#define REGISTER_PER_ADDRESS 10   /* registrations per address and hour */
#define FORGOT_PER_ADDRESS 10     /* reset requests per address and hour */
#define MAILS_PER_RECIPIENT 3     /* account mails to one address per hour */

static void jfree(void *p) { json_decref(p); }
static json_t *errs(req_t *r) { json_t *e = json_object(); arena_on_free(r->arena, jfree, e); return e; }
static void seterr(req_t *r, json_t *e, const char *field, const char *msgid) {
    if (!json_object_get(e, field)) json_object_set_new(e, field, json_string(T(r, msgid)));
}

/* check_name: a person's name (see name_problem) */
static void check_name(req_t *r, json_t *e, const char *name) {
    const char *p = name_problem(name);
    if (p) seterr(r, e, "name", p);
}

static const char *next_param(req_t *r) {
    const char *n = req_form(r, "next");
    if (!n) n = req_query(r, "next");
    return safe_local_path(n) ? n : NULL;
}

/* busy: every Argon2 turn is taken */
static void busy(req_t *r) {
    resp_header(r, "Retry-After", "5");
    resp_error(r, 503, "busy", T(r, "The server is busy. Try again in a few seconds."));
}

static void too_many(req_t *r, int64_t wait) {
    resp_header(r, "Retry-After", aprintf(r->arena, "%lld", (long long)(wait > 0 ? wait : 1)));
    resp_error(r, 429, "rate-limited", T(r, "Too many attempts from here. Wait a while and try again."));
}

/* public_base: the address links in mail start with: GRANSLOS_PUBLIC_URL, else (development) the
 * request's Host when it is a loopback address; NULL when neither (the mail is not sent) */
static const char *public_base(req_t *r) {
    const char *env = getenv("GRANSLOS_PUBLIC_URL");
    if (env && (!strncmp(env, "http://", 7) || !strncmp(env, "https://", 8))) {
        char *b = arena_strdup(r->arena, env);
        size_t n = strlen(b);
        while (n && b[n - 1] == '/') b[--n] = 0;
        return b;
    }
    const char *host = req_header(r, "Host");
    if (host && (!strncmp(host, "127.0.0.1:", 10) || !strncmp(host, "localhost:", 10) || !strncmp(host, "[::1]:", 6))) {
        const char *port = strrchr(host, ':') + 1;
        long long n;
        if (parse_int(port, 1, 65535, &n)) return arena_printf_libc(r->arena, "http://%s", host);
    }
    log_msg("account: set GRANSLOS_PUBLIC_URL so that mail can carry links; a link was not sent");
    return NULL;
}

/* queue: an account mail in lang to `to` (at most MAILS_PER_RECIPIENT an hour per address) */
static bool queue(req_t *r, const char *to, const char *lang, const char *subject, const char *body) {
    char key[300];
    snprintf(key, sizeof key, "mailto:%s", to);
    for (char *p = key; *p; p++) if (*p >= 'A' && *p <= 'Z') *p += 32;
    if (!rate_take(key, MAILS_PER_RECIPIENT, 3600, NULL)) return true; /* quietly: the answer stays the same */
    const char *sig = tr(lang, "The Gränslös team");
    return mail_queue(db_get(), to, arena_printf_libc(r->arena, "Gränslös: %s", subject), arena_printf_libc(r->arena, "%s\n\n-- \n%s\n", body, sig));
}

static const char *mail_lang(req_t *r, const char *lang) { return lang && i18n_known(lang) ? i18n_canonical(lang) : r->lang; }

/* ---- registration ---- */
static void register_form(req_t *r, json_t *e) {
    page_begin(r, T(r, "Register"));
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1><p>%h</p>", T(r, "Register"),
            T(r, "With an account you can add your organisation, keep it up to date and join others."));
    form_errors_summary(r, e);
    form_open(r, "/register");
    field_input(r, "name", T(r, "Your name"), req_form(r, "name"), e, "text", NULL, true, "name");
    field_input(r, "email", T(r, "E-mail"), req_form(r, "email"), e, "email",
                T(r, "We send a link to this address to confirm it."), true, "email");
    field_input(r, "password", T(r, "Password"), NULL, e, "password",
                T(r, "At least 10 characters. A phrase of a few unrelated words is easy to remember and hard to guess."), true, "new-password");
    option_t langs[3] = {{"sv", "Svenska"}, {"nb", "Norsk (bokmål)"}, {"en", "English"}};
    field_select(r, "lang", T(r, "Language"), langs, 3, req_form(r, "lang") ? req_form(r, "lang") : r->lang, e, false);
    form_close(r, T(r, "Create account"));
    bprintf(&r->out, "<p>%h <a href=\"/login\">%h</a></p></div>", T(r, "Already registered?"), T(r, "Log in"));
    page_end(r);
}

void account_register_page(req_t *r) { register_form(r, NULL); }

void account_register_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *name = trim(r->arena, req_form(r, "name"));
    const char *email = trim(r->arena, req_form(r, "email"));
    const char *pw = req_form(r, "password");
    const char *lang = req_form(r, "lang");
    check_name(r, e, name);
    if (!email_valid(email)) seterr(r, e, "email", "This is not a valid e-mail address.");
    const char *pp = password_problem(pw, email, name);
    if (pp) seterr(r, e, "password", pp);
    if (lang && !i18n_known(lang)) seterr(r, e, "lang", "Unknown language.");
    if (json_object_size(e)) { r->status = 422; register_form(r, e); return; }
    int64_t wait;
    if (!rate_take(arena_printf_libc(r->arena, "register:%s", r->ip), REGISTER_PER_ADDRESS, 3600, &wait)) { too_many(r, wait); return; }
    /* the same work whether or not the address has an account: hash, one link or mail */
    bool is_busy;
    char *hash = password_hash(r->arena, pw, &is_busy);
    if (!hash) { if (is_busy) busy(r); else resp_error(r, 500, "hash", T(r, "The account could not be created.")); return; }
    const char *ml = mail_lang(r, lang);
    const char *base = public_base(r);
    int64_t owner = user_by_email(db, email);
    bool ok = db_begin(db);
    if (ok && base && owner) {
        user_t *u = user_load(db, r->arena, owner);
        const char *ul = mail_lang(r, u->lang);
        ok = queue(r, u->email, ul, tr(ul, "Someone tried to register with your address"),
                   arena_printf_libc(r->arena, tr(ul, "Hello %s,\n\nsomeone, perhaps you, tried to create a new account on Gränslös with this e-mail address, but it already belongs to your account. You can log in here:\n\n%s/login\n\nIf you have forgotten your password, you can choose a new one here:\n\n%s/password/forgot\n\nIf it was not you, you can ignore this message: nothing has been changed."),
                           u->name, base, base));
    } else if (ok && base) {
        account_link_t l = {"signup", 0, email, name, hash, lang ? i18n_canonical(lang) : r->lang};
        char *tok = link_create(db, r->arena, &l, LINK_SIGNUP_SECONDS);
        ok = tok && queue(r, email, ml, tr(ml, "Confirm your e-mail address"),
                          arena_printf_libc(r->arena, tr(ml, "Hello %s,\n\nopen this link within 24 hours to confirm your e-mail address and finish creating your account on Gränslös:\n\n%s/register/confirm?token=%s\n\nIf you did not register, you can ignore this message: no account is created."),
                                  name, base, tok));
    }
    if (!ok || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "The account could not be created.")); return; }
    if (lang) resp_set_cookie(r, "lang", i18n_canonical(lang), 365 * 86400);
    resp_redirect(r, "/register/sent");
}

/* notice_page: a page with a heading and a paragraph (and optionally a link) */
static void notice_page(req_t *r, const char *title, const char *text, const char *href, const char *link) {
    page_begin(r, title);
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1><p>%h</p>", title, text);
    if (href) bprintf(&r->out, "<p><a href=\"%h\">%h</a></p>", href, link);
    buf_puts(&r->out, "</div>");
    page_end(r);
}

void account_register_sent_page(req_t *r) {
    notice_page(r, T(r, "Check your e-mail"),
                T(r, "We have sent a message to the address you gave. Open the link in it within 24 hours to confirm the address and finish creating your account. If nothing arrives within a few minutes, look in the spam folder."),
                NULL, NULL);
}

/* confirm_form: the page a link opens; a button, since mail scanners follow links */
static void confirm_form(req_t *r, const char *title, const char *text, const char *action, const char *button) {
    page_begin(r, title);
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1><p>%h</p>", title, text);
    form_open(r, action);
    bprintf(&r->out, "<input type=\"hidden\" name=\"token\" value=\"%h\">", req_query(r, "token") ? req_query(r, "token") : "");
    form_close(r, button);
    buf_puts(&r->out, "</div>");
    page_end(r);
}

static void link_gone(req_t *r, const char *href, const char *link) {
    r->status = 410;
    notice_page(r, T(r, "The link no longer works"),
                T(r, "The link has expired or has already been used. Links in our messages work once, for a limited time."), href, link);
}

/* a link that is confirmed with a button: its kind, the page it opens (msgids) and where to go
 * when it no longer works */
typedef struct {
    const char *kind, *title, *text, *action, *button, *failed;
    const char *gone_href, *gone_link;
} link_confirm_t;

static const link_confirm_t signup_link = {"signup", N_("Confirm your e-mail address"), N_("Confirm the address to finish creating your account."),
                                           "/register/confirm", N_("Confirm and create my account"), N_("The account could not be created."),
                                           "/register", N_("Register")};
static const link_confirm_t email_link = {"email", N_("Confirm your new e-mail address"), N_("Confirm to make this address the one of your account."),
                                          "/account/email/confirm", N_("Confirm the new address"), N_("The change could not be saved."),
                                          "/account", N_("My account")};

/* link_confirm_page: the button, or "the link no longer works" */
static void link_confirm_page(req_t *r, const link_confirm_t *c) {
    if (!link_find(db_get(), r->arena, c->kind, req_query(r, "token"), false)) { link_gone(r, c->gone_href, T(r, c->gone_link)); return; }
    confirm_form(r, T(r, c->title), T(r, c->text), c->action, T(r, c->button));
}

/* link_take: in a new transaction, the posted link (used up), or NULL after answering (500, or
 * "the link no longer works" with the transaction rolled back) */
static account_link_t *link_take(req_t *r, db_t *db, const link_confirm_t *c) {
    if (!db_begin(db)) { resp_error(r, 500, "db", T(r, c->failed)); return NULL; }
    account_link_t *l = link_find(db, r->arena, c->kind, req_form(r, "token"), true);
    if (!l) { db_rollback(db); link_gone(r, c->gone_href, T(r, c->gone_link)); }
    return l;
}

void account_register_confirm_page(req_t *r) { link_confirm_page(r, &signup_link); }

void account_register_confirm_post(req_t *r) {
    db_t *db = db_get();
    account_link_t *l = link_take(r, db, &signup_link);
    if (!l) return;
    if (user_by_email(db, l->email)) {
        links_drop(db, "signup", 0, l->email);
        db_commit(db);
        r->status = 409;
        notice_page(r, T(r, "The address is already confirmed"), T(r, "There is already an account with this address. Log in, or choose a new password if you have forgotten it."),
                    "/login", T(r, "Log in"));
        return;
    }
    int64_t id = user_create_hashed(db, r->arena, l->email, l->name, l->pw_hash, l->lang);
    if (!id) { db_rollback(db); resp_error(r, 500, "db", T(r, "The account could not be created.")); return; }
    links_drop(db, "signup", 0, l->email);
    device_remember(r, id);
    session_start(r, id);
    if (!db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "The account could not be created.")); return; }
    if (l->lang) resp_set_cookie(r, "lang", l->lang, 365 * 86400);
    flash_set(r, "welcome");
    resp_redirect(r, "/welcome"); /* issue 12: the next step (find, claim or join, or add the organisation), not bare settings */
}

/* ---- log in ---- */
static void login_form(req_t *r, json_t *e) {
    page_begin(r, T(r, "Log in"));
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1>", T(r, "Log in"));
    form_errors_summary(r, e);
    form_open(r, "/login");
    const char *next = next_param(r);
    if (next) bprintf(&r->out, "<input type=\"hidden\" name=\"next\" value=\"%h\">", next);
    field_input(r, "email", T(r, "E-mail"), req_form(r, "email"), e, "email", NULL, true, "email");
    field_input(r, "password", T(r, "Password"), NULL, e, "password", NULL, true, "current-password");
    form_close(r, T(r, "Log in"));
    bprintf(&r->out, "<p><a href=\"/password/forgot\">%h</a></p><p>%h <a href=\"/register\">%h</a></p></div>",
            T(r, "Forgot your password?"), T(r, "No account yet?"), T(r, "Register"));
    page_end(r);
}

void account_login_page(req_t *r) { login_form(r, NULL); }

/* throttled_check: the password of account id (0: none) for a form on behalf of `email`; sets
 * the error on field, or answers 429/503 itself (returns -1). 1: right, 0: wrong. */
static int throttled_check(req_t *r, json_t *e, const char *field, const char *email, int64_t id, const char *pw, const char *wrong) {
    int64_t wait = login_wait(r, email);
    if (wait > 0) { too_many(r, wait); return -1; }
    char *hash = id ? user_pw_hash(db_get(), r->arena, id) : NULL;
    pw_result_t v = password_verify(hash, pw);
    if (v == PW_BUSY) { busy(r); return -1; }
    if (v != PW_OK) {
        login_failed(r, email);
        seterr(r, e, field, wrong);
        return 0;
    }
    login_succeeded(r, email);
    return 1;
}

void account_login_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *email = trim(r->arena, req_form(r, "email"));
    const char *pw = req_form(r, "password");
    int64_t id = email ? user_by_email(db, email) : 0;
    int ok = throttled_check(r, e, "email", email, id, pw, "The e-mail address or the password is wrong.");
    if (ok < 0) return;
    if (!ok) { r->status = 401; login_form(r, e); return; }
    device_remember(r, id);
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

/* ---- forgotten password ---- */
static void forgot_form(req_t *r, json_t *e) {
    page_begin(r, T(r, "Forgot your password?"));
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1><p>%h</p>", T(r, "Forgot your password?"),
            T(r, "Give the e-mail address of your account. We send a link to it with which you can choose a new password."));
    form_errors_summary(r, e);
    form_open(r, "/password/forgot");
    field_input(r, "email", T(r, "E-mail"), req_form(r, "email"), e, "email", NULL, true, "email");
    form_close(r, T(r, "Send the link"));
    buf_puts(&r->out, "</div>");
    page_end(r);
}

void account_forgot_page(req_t *r) { forgot_form(r, NULL); }

void account_forgot_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *email = trim(r->arena, req_form(r, "email"));
    if (!email_valid(email)) { seterr(r, e, "email", "This is not a valid e-mail address."); r->status = 422; forgot_form(r, e); return; }
    int64_t wait;
    if (!rate_take(arena_printf_libc(r->arena, "forgot:%s", r->ip), FORGOT_PER_ADDRESS, 3600, &wait)) { too_many(r, wait); return; }
    int64_t id = user_by_email(db, email);
    const char *base = public_base(r);
    if (!id && base) {
        /* the same write as for an account (a link that leads nowhere, gone within the hour), so
         * the answer takes as long */
        account_link_t l = {"reset", 0, email, NULL, NULL, NULL};
        bool ok = db_begin(db) && link_create(db, r->arena, &l, LINK_RESET_SECONDS);
        if (!ok || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "The link could not be sent.")); return; }
    } else if (id && base) {
        user_t *u = user_load(db, r->arena, id);
        const char *ul = mail_lang(r, u->lang);
        bool ok = db_begin(db);
        account_link_t l = {"reset", id, u->email, NULL, NULL, NULL};
        char *tok = ok ? link_create(db, r->arena, &l, LINK_RESET_SECONDS) : NULL;
        ok = tok && queue(r, u->email, ul, tr(ul, "Choose a new password"),
                          arena_printf_libc(r->arena, tr(ul, "Hello %s,\n\nopen this link within an hour to choose a new password for your account on Gränslös:\n\n%s/password/reset?token=%s\n\nThe link works once. If you did not ask for it, you can ignore this message: your password stays as it is."),
                                  u->name, base, tok));
        if (!ok || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "The link could not be sent.")); return; }
    }
    notice_page(r, T(r, "Check your e-mail"),
                T(r, "If there is an account with this address, we have sent a link to it. The link works once, for an hour."), "/login", T(r, "Log in"));
}

static void reset_form(req_t *r, json_t *e, const char *token) {
    page_begin(r, T(r, "Choose a new password"));
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1>", T(r, "Choose a new password"));
    form_errors_summary(r, e);
    form_open(r, "/password/reset");
    bprintf(&r->out, "<input type=\"hidden\" name=\"token\" value=\"%h\">", token ? token : "");
    field_input(r, "password", T(r, "New password"), NULL, e, "password", T(r, "At least 10 characters."), true, "new-password");
    bprintf(&r->out, "<div class=\"field\"><label><input type=\"checkbox\" name=\"revoke_tokens\" value=\"1\" checked> %h</label></div>",
            T(r, "Also revoke my API tokens"));
    form_close(r, T(r, "Change password"));
    bprintf(&r->out, "<p>%h</p></div>", T(r, "Every session of your account ends: you log in again with the new password."));
    page_end(r);
}

void account_reset_page(req_t *r) {
    const char *tok = req_query(r, "token");
    if (!link_find(db_get(), r->arena, "reset", tok, false)) { link_gone(r, "/password/forgot", T(r, "Ask for a new link")); return; }
    reset_form(r, NULL, tok);
}

void account_reset_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *tok = req_form(r, "token"), *pw = req_form(r, "password");
    account_link_t *l = link_find(db, r->arena, "reset", tok, false);
    user_t *u = l ? user_load(db, r->arena, l->user_id) : NULL;
    if (!u) { link_gone(r, "/password/forgot", T(r, "Ask for a new link")); return; }
    const char *pp = password_problem(pw, u->email, u->name);
    if (pp) { seterr(r, e, "password", pp); r->status = 422; reset_form(r, e, tok); return; }
    bool is_busy;
    char *hash = password_hash(r->arena, pw, &is_busy);
    if (!hash) { if (is_busy) busy(r); else resp_error(r, 500, "hash", T(r, "The change could not be saved.")); return; }
    if (!db_begin(db)) { resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    bool ok = link_find(db, r->arena, "reset", tok, true) && user_set_password(db, u->id, hash) && sessions_end_all(db, u->id, NULL);
    if (ok && req_form(r, "revoke_tokens")) ok = api_tokens_revoke_all(db, r->arena, u->id) >= 0;
    if (ok) links_drop(db, "reset", u->id, NULL);
    if (ok) device_remember(r, u->id); /* the mailbox's owner: never locked out of this browser */
    if (!ok || !db_commit(db)) { db_rollback(db); link_gone(r, "/password/forgot", T(r, "Ask for a new link")); return; }
    login_succeeded(r, u->email);
    r->session_hash = NULL;
    session_end(r);
    flash_set(r, "password-reset");
    resp_redirect(r, "/login");
}

/* ---- settings ---- */
static const char *when(req_t *r, const char *utc) {
    time_t t;
    if (!utc || !parse_utc(utc, &t)) return "–";
    return fmt_date(r->arena, r->lang, t);
}

static void tokens_section(req_t *r, json_t *e, const char *new_token) {
    json_t *toks = api_tokens_list(db_get(), r->arena, r->user->id);
    arena_on_free(r->arena, jfree, toks);
    bprintf(&r->out, "<h2 id=\"tokens\">%h</h2><p>%h</p>", T(r, "API tokens"),
            T(r, "Programs use a token to reach the API in your name. A token expires; revoke one you no longer use."));
    if (new_token)
        bprintf(&r->out, "<div class=\"flash\" role=\"status\"><p>%h</p><p><code id=\"new-token\">%h</code></p></div>",
                T(r, "Your new token. Copy it now: it is not shown again."), new_token);
    size_t i;
    json_t *t;
    bool any = false;
    json_array_foreach(toks, i, t) {
        const char *state = json_string_value(json_object_get(t, "state"));
        if (!any) buf_puts(&r->out, "<ul class=\"links tokens\">");
        any = true;
        const char *nm = json_string_value(json_object_get(t, "name"));
        bprintf(&r->out, "<li><strong>%h</strong> <span class=\"meta\">%h %h",
                nm ? nm : T(r, "Unnamed token"), T(r, "created"), when(r, json_string_value(json_object_get(t, "created_at"))));
        if (streq(state, "active")) {
            const char *exp = json_string_value(json_object_get(t, "expires_at"));
            bprintf(&r->out, " · %h %h", T(r, "expires"), exp ? when(r, exp) : T(r, "never"));
            const char *used = json_string_value(json_object_get(t, "last_used"));
            if (used) bprintf(&r->out, " · %h %h", T(r, "last used"), when(r, used));
            buf_puts(&r->out, "</span> ");
            form_open(r, aprintf(r->arena, "/account/tokens/%lld/revoke", (long long)json_integer_value(json_object_get(t, "id"))));
            bprintf(&r->out, "<button type=\"submit\" class=\"secondary\">%h</button></form></li>", T(r, "Revoke"));
        } else
            bprintf(&r->out, " · %h</span></li>", streq(state, "revoked") ? T(r, "revoked") : T(r, "expired"));
    }
    if (any) buf_puts(&r->out, "</ul>");
    else bprintf(&r->out, "<p>%h</p>", T(r, "You have no API tokens."));
    form_open(r, "/account/tokens");
    field_input(r, "token_name", T(r, "Name of the new token"), NULL, e, "text", T(r, "For example the program that uses it."), false, "off");
    field_input(r, "token_days", T(r, "Valid for (days)"), "90", e, "number", NULL, false, "off");
    form_close(r, T(r, "Create token"));
}

static void sessions_section(req_t *r) {
    json_t *ss = sessions_list(db_get(), r->arena, r->user->id, r->session_hash);
    arena_on_free(r->arena, jfree, ss);
    bprintf(&r->out, "<h2 id=\"sessions\">%h</h2><p>%h</p><ul class=\"links sessions\">", T(r, "Where you are logged in"),
            T(r, "A session ends after 8 hours without use, and after 30 days at the latest."));
    size_t i;
    json_t *s;
    json_array_foreach(ss, i, s) {
        const char *ip = json_string_value(json_object_get(s, "ip"));
        bprintf(&r->out, "<li>%h %h · %h %h", T(r, "since"), when(r, json_string_value(json_object_get(s, "created_at"))),
                T(r, "from"), ip ? ip : "–");
        if (json_is_true(json_object_get(s, "current"))) bprintf(&r->out, " <strong>(%h)</strong></li>", T(r, "this browser"));
        else {
            buf_puts(&r->out, " ");
            form_open(r, aprintf(r->arena, "/account/sessions/%lld/end", (long long)json_integer_value(json_object_get(s, "id"))));
            bprintf(&r->out, "<button type=\"submit\" class=\"secondary\">%h</button></form></li>", T(r, "Log out there"));
        }
    }
    buf_puts(&r->out, "</ul>");
}

static void settings_page(req_t *r, json_t *e, const char *new_token) {
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
    else bprintf(&r->out, "<p>%h <a href=\"/welcome\">%h</a></p>", T(r, "You do not belong to any organisation yet."),
                 T(r, "Is your organisation already here?")); /* issue 12: the next step, find it first (then claim, join or add) */
    buf_puts(&r->out, "</section>");
    /* notify/'s pages: what comes to the inbox and by e-mail (issue 14) */
    bprintf(&r->out, "<section><h2>%h</h2><ul class=\"links\"><li><a href=\"/inbox\">%h</a></li><li><a href=\"/account/notifications\">%h</a></li>"
                     "<li><a href=\"/account/searches\">%h</a></li></ul></section>",
            T(r, "Notifications"), T(r, "Inbox"), T(r, "Notifications by e-mail"), T(r, "Saved searches"));
    bprintf(&r->out, "<section class=\"narrow\"><h2>%h</h2>", T(r, "Settings"));
    form_errors_summary(r, e);
    form_open(r, "/account");
    bprintf(&r->out, "<input type=\"hidden\" name=\"form\" value=\"settings\">");
    field_input(r, "name", T(r, "Your name"), r->user->name, e, "text", NULL, true, "name");
    option_t langs[3] = {{"sv", "Svenska"}, {"nb", "Norsk (bokmål)"}, {"en", "English"}};
    field_select(r, "lang", T(r, "Language"), langs, 3, r->user->lang ? r->user->lang : r->lang, e, false);
    form_close(r, T(r, "Save settings"));
    bprintf(&r->out, "<h2>%h</h2><p>%h <strong>%h</strong></p>", T(r, "E-mail address"), T(r, "Your address now:"), r->user->email);
    form_open(r, "/account/email");
    field_input(r, "new_email", T(r, "New e-mail address"), NULL, e, "email", T(r, "We send a link to the new address; the change happens when you open it."), true, "email");
    field_input(r, "email_password", T(r, "Your password, to confirm"), NULL, e, "password", NULL, true, "current-password");
    form_close(r, T(r, "Change e-mail address"));
    bprintf(&r->out, "<h2>%h</h2>", T(r, "Change password"));
    form_open(r, "/account/password");
    field_input(r, "current", T(r, "Current password"), NULL, e, "password", NULL, true, "current-password");
    field_input(r, "password", T(r, "New password"), NULL, e, "password", T(r, "At least 10 characters."), true, "new-password");
    bprintf(&r->out, "<div class=\"field\"><label><input type=\"checkbox\" name=\"revoke_tokens\" value=\"1\" checked> %h</label></div>",
            T(r, "Also revoke my API tokens"));
    form_close(r, T(r, "Change password"));
    tokens_section(r, e, new_token);
    sessions_section(r);
    bprintf(&r->out, "<h2>%h</h2><p>%h</p><p><a class=\"button secondary\" href=\"/account/export\" download>%h</a></p>",
            T(r, "Your personal data"), T(r, "Download everything the platform stores about you as JSON."), T(r, "Download my data"));
    bprintf(&r->out, "<div class=\"danger-zone\"><h2>%h</h2><p>%h</p>", T(r, "Delete account"),
            T(r, "Your account and personal data are deleted. What you edited stays with the organisations, attributed to a deleted user."));
    form_open(r, "/account/delete");
    field_input(r, "confirm_password", T(r, "Your password, to confirm"), NULL, e, "password", NULL, true, "current-password");
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\" class=\"danger\">%h</button></p></form></div></section>", T(r, "Delete my account"));
    page_end(r);
}

void account_page(req_t *r) { settings_page(r, NULL, NULL); }

void account_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *name = trim(r->arena, req_form(r, "name"));
    const char *lang = req_form(r, "lang");
    check_name(r, e, name);
    if (!lang || !i18n_known(lang)) seterr(r, e, "lang", "Unknown language.");
    if (json_object_size(e)) { r->status = 422; settings_page(r, e, NULL); return; }
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
    const char *cur = req_form(r, "current"), *pw = req_form(r, "password");
    int ok = throttled_check(r, e, "current", r->user->email, r->user->id, cur, "The password is wrong.");
    if (ok < 0) return;
    const char *pp = password_problem(pw, r->user->email, r->user->name);
    if (pp) seterr(r, e, "password", pp);
    if (json_object_size(e)) { r->status = 422; settings_page(r, e, NULL); return; }
    bool is_busy;
    char *nh = password_hash(r->arena, pw, &is_busy);
    if (!nh) { if (is_busy) busy(r); else resp_error(r, 500, "hash", T(r, "The change could not be saved.")); return; }
    /* other sessions end, this one continues; the API tokens are revoked unless the user unticked it */
    bool done = db_begin(db) && user_set_password(db, r->user->id, nh) && sessions_end_all(db, r->user->id, r->session_hash) &&
                (!req_form(r, "revoke_tokens") || api_tokens_revoke_all(db, r->arena, r->user->id) >= 0);
    if (!done || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    flash_set(r, "password");
    resp_redirect(r, "/account");
}

/* ---- change of e-mail ---- */
void account_email_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    const char *to = trim(r->arena, req_form(r, "new_email"));
    if (!email_valid(to)) seterr(r, e, "new_email", "This is not a valid e-mail address.");
    else if (!strcasecmp(to, r->user->email)) seterr(r, e, "new_email", "This is already your address.");
    if (json_object_size(e)) { r->status = 422; settings_page(r, e, NULL); return; }
    int ok = throttled_check(r, e, "email_password", r->user->email, r->user->id, req_form(r, "email_password"), "The password is wrong.");
    if (ok < 0) return;
    if (!ok) { r->status = 422; settings_page(r, e, NULL); return; }
    const char *base = public_base(r);
    if (base) {
        const char *ml = mail_lang(r, r->user->lang);
        bool done = db_begin(db);
        int64_t holder = done ? user_by_email(db, to) : 0;
        const char *hl = holder ? mail_lang(r, user_load(db, r->arena, holder)->lang) : ml;
        if (done && holder)
            done = queue(r, to, hl, tr(hl, "Someone tried to use your address"),
                         arena_printf_libc(r->arena, tr(hl, "Hello,\n\nsomeone asked to move another account on Gränslös to this e-mail address, which already belongs to an account. Nothing has been changed. If you have forgotten your password, you can choose a new one here:\n\n%s/password/forgot"),
                                 base));
        else if (done) {
            account_link_t l = {"email", r->user->id, to, NULL, NULL, NULL};
            links_drop(db, "email", r->user->id, NULL);
            char *tok = link_create(db, r->arena, &l, LINK_EMAIL_SECONDS);
            done = tok && queue(r, to, ml, tr(ml, "Confirm your new e-mail address"),
                                arena_printf_libc(r->arena, tr(ml, "Hello %s,\n\nopen this link within 24 hours to make this the e-mail address of your account on Gränslös:\n\n%s/account/email/confirm?token=%s\n\nIf you did not ask for it, you can ignore this message."),
                                        r->user->name, base, tok));
        }
        /* the old address is told either way, so its mail does not say whether the new one is taken */
        if (done)
            done = queue(r, r->user->email, ml, tr(ml, "Your e-mail address is being changed"),
                         arena_printf_libc(r->arena, tr(ml, "Hello %s,\n\nsomeone logged in to your account on Gränslös asked to change its e-mail address to %s. The change happens when the link sent to the new address is opened.\n\nIf it was not you, change your password at once and revoke your sessions:\n\n%s/account"),
                                 r->user->name, to, base));
        if (!done || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "The link could not be sent.")); return; }
    }
    flash_set(r, "email-sent");
    resp_redirect(r, "/account");
}

void account_email_confirm_page(req_t *r) { link_confirm_page(r, &email_link); }

void account_email_confirm_post(req_t *r) {
    db_t *db = db_get();
    account_link_t *l = link_take(r, db, &email_link);
    if (!l) return;
    if (!user_load(db, r->arena, l->user_id)) { db_rollback(db); link_gone(r, "/account", T(r, "My account")); return; }
    if (user_by_email(db, l->email)) {
        db_commit(db);
        r->status = 409;
        notice_page(r, T(r, "The address is taken"), T(r, "Another account has this address now. Your address has not been changed."), "/account", T(r, "My account"));
        return;
    }
    stmt_t *s = db_prep(db, "UPDATE users SET email = lower(:e) WHERE id = :id AND deleted_at IS NULL");
    db_bind_text(s, ":e", l->email);
    db_bind_int(s, ":id", l->user_id);
    bool ok = db_run(s);
    if (ok) { links_drop(db, "email", l->user_id, NULL); links_drop(db, "reset", l->user_id, NULL); }
    if (!ok || !db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    flash_set(r, "email-changed");
    resp_redirect(r, r->user ? "/account" : "/login");
}

/* ---- tokens and sessions ---- */
void account_token_create_post(req_t *r) {
    json_t *e = errs(r);
    const char *name = trim(r->arena, req_form(r, "token_name"));
    const char *days = trim(r->arena, req_form(r, "token_days"));
    long long d = TOKEN_DAYS;
    if (!str_empty(days) && !parse_int(days, 1, TOKEN_DAYS_MAX, &d)) seterr(r, e, "token_days", "Give a number of days from 1 to 3650.");
    if (name && (utf8_len(name) > 80 || name_problem(name))) seterr(r, e, "token_name", "The name contains characters that are not allowed.");
    if (json_object_size(e)) { r->status = 422; settings_page(r, e, NULL); return; }
    char *tok = api_token_create(db_get(), r->arena, r->user->id, str_empty(name) ? NULL : name, (int)d);
    if (!tok) { resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    r->status = 201;
    settings_page(r, NULL, tok);
}

void account_token_revoke_post(req_t *r) {
    if (!api_token_revoke(db_get(), r->arena, r->user->id, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such token.")); return; }
    flash_set(r, "token-revoked");
    resp_redirect(r, "/account#tokens");
}

void account_session_end_post(req_t *r) {
    if (!session_revoke(db_get(), r->user->id, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such session.")); return; }
    flash_set(r, "session-ended");
    resp_redirect(r, "/account#sessions");
}

void account_export(req_t *r) {
    json_t *j = account_personal_data(db_get(), r->user->id);
    resp_json(r, 200, j);
    resp_header(r, "Content-Disposition", "attachment; filename=\"granslos-personal-data.json\"");
}

void account_delete_post(req_t *r) {
    db_t *db = db_get();
    json_t *e = errs(r);
    int ok = throttled_check(r, e, "confirm_password", r->user->email, r->user->id, req_form(r, "confirm_password"), "The password is wrong.");
    if (ok < 0) return;
    if (!ok) { r->status = 422; settings_page(r, e, NULL); return; }
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

/* ---- API: the caller's tokens ---- */
void account_api_tokens(req_t *r) {
    resp_json(r, 200, json_pack("{s:o}", "items", api_tokens_list(db_get(), r->arena, r->user->id)));
}

void account_api_token_revoke(req_t *r) {
    if (!api_token_revoke(db_get(), r->arena, r->user->id, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such token.")); return; }
    r->status = 204;
    r->ctype = "text/plain; charset=utf-8";
}
