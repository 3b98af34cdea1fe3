/* "Contact" on every profile (issue 12): a message through the platform to the organisation's
 * administrators (mail outbox and the members page), else to its consented contact persons, else
 * a clear note and an invitation link to share by e-mail. Owns the table org_messages (070). */
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "html/feed.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "mail/mail.h"
#include "org/org.h"

enum { CONTACT_PER_HOUR = 5, SUBJECT_MAX = 150, BODY_MAX = 4000 };

typedef struct recipient { const char *email, *lang; } recipient_t;

/* the organisation asked for and who a message to it would reach */
typedef struct contact {
    org_view_t o;
    recipient_t to[20];
    int n;       /* recipients */
    bool admins; /* they are its administrators (else consented contact persons) */
} contact_t;

/* recipients: the active administrators (with their language), else the consented contact
 * persons with an address. *admins tells which. Returns the count (at most 20). */
static int recipients(db_t *db, arena_t *a, const org_view_t *o, recipient_t *out, bool *admins) {
    int n = 0;
    stmt_t *s = db_prep(db, "SELECT u.email, u.lang FROM org_members m JOIN users u ON u.id = m.user_id "
                            "WHERE m.org_id = :o AND m.role = 'admin' AND u.deleted_at IS NULL ORDER BY u.id LIMIT 20");
    db_bind_int(s, ":o", o->id);
    while (db_step(s)) out[n++] = (recipient_t){arena_strdup(a, db_text(s, 0)), db_text(s, 1) ? arena_strdup(a, db_text(s, 1)) : NULL};
    *admins = n > 0;
    if (n) return n;
    for (int i = 0; i < o->ncontacts && n < 20; i++)
        if (o->contacts[i].consent && o->contacts[i].email && email_valid(o->contacts[i].email)) out[n++] = (recipient_t){o->contacts[i].email, NULL};
    return n;
}

static void contact_form(req_t *r, const contact_t *c, json_t *e) {
    const org_view_t *o = &c->o;
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Contact the organisation"), o->name));
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1><p><a href=\"/organisations/%lld\">%h</a></p>",
            aprintf_text(r->arena, T(r, "Contact %s"), o->name), (long long)o->id, T(r, "Back to the profile"));
    if (!c->n) {
        /* nobody is there yet: say so, and offer the link to pass on */
        const char *url = aprintf_text(r->arena, "%s/organisations/%lld", base_url(r), (long long)o->id);
        const char *subject = aprintf_text(r->arena, T(r, "%s on Gränslös"), o->name);
        const char *body = aprintf_text(r->arena, T(r, "Hello,\n\nyour organisation has a profile on Gränslös, the Swedish–Norwegian innovation platform, but nobody administers it yet. Create an account and claim it here:\n%s\n"), url);
        bprintf(&r->out, "<div class=\"notice\" role=\"note\"><p><strong>%h</strong></p><p>%h</p></div>", T(r, "Nobody can answer yet."),
                T(r, "Nobody from this organisation is on Gränslös yet, and it has no contact person who agreed to be contacted here. A message would reach no one, so none can be sent."));
        bprintf(&r->out, "<h2>%h</h2><p>%h</p><p class=\"share\"><code>%h</code></p>", T(r, "Invite them"),
                T(r, "If you know someone there, send them the profile's address: they can register and claim the record."), url);
        bprintf(&r->out, "<p><a class=\"button\" href=\"mailto:?subject=%U&amp;body=%U\">%h</a></p></div>", subject, body, T(r, "Send an invitation by e-mail"));
        page_end(r);
        return;
    }
    bprintf(&r->out, "<p>%h</p>", c->admins ? T(r, "Your message goes to the organisation's administrators by e-mail and on their members page. They answer to your e-mail address.")
                                            : T(r, "Nobody administers this record yet: your message goes to the contact person who agreed to be contacted through Gränslös. They answer to your e-mail address."));
    form_errors_summary(r, e);
    form_open(r, aprintf(r->arena, "/organisations/%lld/contact", (long long)o->id));
    /* a link may prefill the subject (the clash box: "Our dates meet: …") */
    const char *subject = req_form(r, "subject") ? req_form(r, "subject") : req_query(r, "subject");
    if (subject && utf8_len(subject) > SUBJECT_MAX) subject = NULL;
    field_input(r, "subject", T(r, "Subject"), subject, e, "text", NULL, true, "off");
    field_textarea(r, "message", T(r, "Message"), req_form(r, "message"), e, aprintf_text(r->arena, T(r, "At most %d characters."), BODY_MAX));
    bprintf(&r->out, "<p class=\"small\">%h</p>", aprintf_text(r->arena, T(r, "They will see your name and e-mail address (%s)."), r->user->email));
    form_close(r, T(r, "Send message"));
    buf_puts(&r->out, "</div>");
    page_end(r);
}

/* load: the organisation of the path and its recipients, or a 404 */
static bool load(req_t *r, db_t *db, contact_t *c) {
    if (!org_view(db, r->arena, r->id[0], false, &c->o)) {
        resp_error(r, 404, "not-found", T(r, "There is no such organisation."));
        return false;
    }
    c->n = recipients(db, r->arena, &c->o, c->to, &c->admins);
    return true;
}

void org_contact_page(req_t *r) {
    contact_t c;
    if (load(r, db_get(), &c)) contact_form(r, &c, NULL);
}

/* check_field: a required text of at most max characters (one line, or several) */
static void check_field(req_t *r, json_t *e, const char *key, const char *v, bool one_line, size_t max) {
    const char *bad = str_empty(v) ? T(r, "This field is required.")
                      : !check_text(v, one_line) ? T(r, "Control characters are not allowed.")
                      : utf8_len(v) > max ? T(r, "This text is too long.") : NULL;
    if (bad) json_object_set_new(e, key, json_string(bad));
}

void org_contact_post(req_t *r) {
    db_t *db = db_get();
    contact_t c;
    if (!load(r, db, &c)) return;
    if (!c.n) { r->status = 409; contact_form(r, &c, NULL); return; }
    json_t *e = api_own(r, json_object());
    const char *subject = trim(r->arena, req_form(r, "subject"));
    const char *body = trim(r->arena, req_form(r, "message"));
    check_field(r, e, "subject", subject, true, SUBJECT_MAX);
    check_field(r, e, "message", body, false, BODY_MAX);
    if (json_object_size(e)) { r->status = 422; contact_form(r, &c, e); return; }
    int64_t wait = 0;
    if (!rate_take(aprintf_text(r->arena, "contact:%lld", (long long)r->user->id), CONTACT_PER_HOUR, 3600, &wait)) {
        json_object_set_new(e, "message", json_string(aprintf_text(r->arena, T(r, "You have sent many messages in a short time. Your text is kept: try again in %d minutes."),
                                                                   (int)((wait + 59) / 60))));
        resp_header(r, "Retry-After", aprintf_text(r->arena, "%lld", (long long)wait));
        r->status = 429;
        contact_form(r, &c, e);
        return;
    }
    if (!db_begin(db)) { r->status = 500; contact_form(r, &c, e); return; }
    stmt_t *s = db_prep(db, "INSERT INTO org_messages (org_id, from_user, subject, body, recipients, created_at) VALUES (:o, :u, :s, :b, :n, :now)");
    db_binds(s, DB_INT(":o", c.o.id), DB_INT(":u", r->user->id), DB_TEXT(":s", subject), DB_TEXT(":b", body), DB_INT(":n", c.n),
                DB_TEXT(":now", now_utc(r->arena)));
    bool ok = db_run(s);
    const char *url = aprintf_text(r->arena, "%s/organisations/%lld", base_url(r), (long long)c.o.id);
    for (int i = 0; ok && i < c.n; i++) {
        const char *lang = c.to[i].lang && i18n_known(c.to[i].lang) ? i18n_canonical(c.to[i].lang) : r->lang;
        const char *subj = aprintf_text(r->arena, tr(lang, "Gränslös: %s"), subject);
        const char *text = aprintf_text(r->arena, tr(lang, "%s (%s) writes to %s through Gränslös:\n\n%s\n\nAnswer by replying to %s.\nThe profile: %s\n"),
                                        r->user->name, r->user->email, c.o.name, body, r->user->email, url);
        ok = mail_queue(db, c.to[i].email, subj, text);
    }
    if (!ok || !db_commit(db)) {
        db_rollback(db);
        json_object_set_new(e, "message", json_string(T(r, "The message could not be sent. Your text is kept: try again.")));
        r->status = 500;
        contact_form(r, &c, e);
        return;
    }
    flash_set(r, "contact-sent");
    resp_redirect(r, aprintf(r->arena, "/organisations/%lld", (long long)c.o.id));
}

/* org_messages_section: the latest messages sent to the organisation, for its administrators
 * (the in-app notice on the members page). */
void org_messages_section(req_t *r, db_t *db, int64_t org_id) {
    stmt_t *s = db_prep(db, "SELECT m.subject, m.body, m.created_at, u.name, u.email FROM org_messages m JOIN users u ON u.id = m.from_user "
                            "WHERE m.org_id = :o AND u.deleted_at IS NULL ORDER BY m.id DESC LIMIT 20");
    db_bind_int(s, ":o", org_id);
    bprintf(&r->out, "<section><h2 id=\"messages\">%h</h2>", T(r, "Messages"));
    if (!db_step(s)) bprintf(&r->out, "<p>%h</p>", T(r, "No messages yet."));
    else {
        buf_puts(&r->out, "<ul class=\"requests\">");
        do {
            bprintf(&r->out, "<li><p><strong>%h</strong> · %h (<a href=\"mailto:%h\">%h</a>) · <time class=\"small\" datetime=\"%h\">%h</time></p><p class=\"desc\">%h</p></li>",
                    db_text(s, 0), db_text(s, 3), db_text(s, 4), db_text(s, 4), db_text(s, 2), db_text(s, 2), db_text(s, 1));
        } while (db_step(s));
        buf_puts(&r->out, "</ul>");
    }
    buf_puts(&r->out, "</section>");
}
