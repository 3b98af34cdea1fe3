/* Roundtable pages: an event's tables, a table for its hosts (review, reorder, merge, approve, the
 * short link and its QR code), the participants' phone form behind the short link, the report
 * (HTML with print CSS, and Markdown), action items and the follow-up of a series.
 * Every page works without JavaScript: each action is a small form. */
#include <stdlib.h>
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "events/events.h"
#include "html/feed.h"
#include "html/html.h"
#include "http/csrf.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "org/org.h"
#include "ref/ref.h"
#include "projects/projects.h"
#include "roundtables/roundtables.h"
#include "http/api.h"

static void jfree(void *p) { json_decref(p); }
static json_t *own(req_t *r, json_t *j) { if (j) arena_on_free(r->arena, jfree, j); return j; }
static int64_t jint(json_t *o, const char *k) { return json_integer_value(json_object_get(o, k)); }

/* pick: a text in the user's language from a string or {sv, nb, en} */
static const char *pick(req_t *r, json_t *t) {
    if (json_is_string(t)) return json_string_value(t);
    const char *s = jstr(t, r->lang);
    for (int i = 0; str_empty(s) && i < 3; i++) s = jstr(t, i18n_langs[i]);
    return s ? s : "";
}

static const char *event_title(req_t *r, db_t *db, int64_t id, json_t **ev) {
    json_t *e = own(r, event_load(db, id));
    if (ev) *ev = e;
    return e ? pick(r, json_object_get(e, "title")) : "";
}

static const char *question_text(req_t *r, json_t *q) {
    const char *s = jstr(q, r->lang[0] == 's' ? "text_sv" : r->lang[0] == 'n' ? "text_nb" : "text_en");
    return s ? s : jstr(q, "text");
}

/* question_lang: the language question_text shows: the page's, or else the one the tables are written in (tl) */
static const char *question_lang(req_t *r, json_t *q, const char *tl) {
    return jstr(q, r->lang[0] == 's' ? "text_sv" : r->lang[0] == 'n' ? "text_nb" : "text_en") ? r->lang : tl;
}

/* table_heading: the table's host organisations as a list in the page's language ("A, B and C") */
static const char *table_heading(req_t *r, json_t *t) {
    json_t *h = json_object_get(t, "hosts");
    size_t n = json_array_size(h);
    if (!n) return jstr(t, "hosts_text");
    buf_t b;
    buf_init(&b, r->arena);
    for (size_t i = 0; i + 1 < n; i++) bprintf_text(&b, "%s%s", i ? ", " : "", jstr(json_array_get(h, i), "name"));
    const char *last = jstr(json_array_get(h, n - 1), "name");
    return n == 1 ? last : aprintf_text(r->arena, T(r, "%s and %s"), b.data, last);
}

/* host_label: the rendered word for a table's hosts, never the stored "Värd" */
static const char *host_label(req_t *r, json_t *t) {
    (void)t;
    return T(r, "Host");
}

/* report_lang: the language an event's report is written in: the event's language when one, else
 * its country's */
static const char *report_lang(json_t *ev) {
    const char *l = jstr(ev, "language");
    if (l && strlen(l) == 2) return l;
    return streq(jstr(ev, "country"), "NO") ? "nb" : "sv";
}

/* event_text_lang: the language an event's tables, answers and action items are written in */
static const char *event_text_lang(req_t *r, db_t *db, int64_t event_id) {
    json_t *e = own(r, event_load(db, event_id));
    return report_lang(e);
}

/* lang_note_text: "The report is in Swedish." in the page's language */
static const char *lang_note_text(req_t *r, const char *lang) {
    return streq(lang, "nb") ? T(r, "The report is in Norwegian.") : streq(lang, "en") ? T(r, "The report is in English.") : T(r, "The report is in Swedish.");
}

static void crumbs(req_t *r, int64_t event_id, const char *title) {
    bprintf(&r->out, "<p class=\"meta\"><a href=\"/events/%lld\">%h</a> › <a href=\"/events/%lld/roundtables\">%h</a></p>", (long long)event_id,
            title, (long long)event_id, T(r, "Roundtables"));
}

static void bullet_status(req_t *r, const char *st) {
    const char *label = streq(st, "approved") ? T(r, "Approved") : streq(st, "rejected") ? T(r, "Rejected")
                        : streq(st, "merged") ? T(r, "Merged") : T(r, "Waiting for review");
    bprintf(&r->out, "<span class=\"status status-bullet-%h\">%h</span>", st, label);
}

static void action_badge(req_t *r, const char *st) {
    bprintf(&r->out, "<span class=\"status status-action-%h\">%h</span>", st, rt_action_status_label(st, r->lang));
}

static option_t *theme_options(req_t *r, db_t *db, int *n) {
    theme_t *th = ref_themes(db, r->arena, r->lang, n);
    option_t *o = arena_alloc(r->arena, sizeof(option_t) * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++) o[i] = (option_t){th[i].slug, th[i].name};
    return o;
}

static option_t *type_options(req_t *r) {
    option_t *o = arena_alloc(r->arena, sizeof(option_t) * 3);
    for (int i = 0; i < 3; i++) o[i] = (option_t){rt_bullet_types[i], rt_type_label(rt_bullet_types[i], r->lang)};
    return o;
}

/* paras: a textarea's lines as a JSON array of paragraphs */
static json_t *paras(const char *s) { return json_split(s, '\n'); }

static char *lines(req_t *r, json_t *arr) {
    buf_t b;
    buf_init(&b, r->arena);
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) bprintf_text(&b, "%s%s", i ? "\n" : "", json_string_value(x));
    return b.data;
}

/* ---- an event's roundtables ---- */
static void event_view(req_t *r, db_t *db, json_t *errors, json_t *table_errors) {
    int64_t id = r->id[0];
    json_t *ev;
    const char *title = event_title(r, db, id, &ev);
    bool org = event_can_edit(db, r->user, id);
    page_begin(r, aprintf_text(r->arena, "%s – %s", T(r, "Roundtables"), title));
    bprintf(&r->out, "<p class=\"meta\"><a href=\"/events/%lld\">%h</a></p><h1>%h</h1>", (long long)id, title, T(r, "Roundtables"));
    bprintf(&r->out, "<p class=\"lead\">%h</p>", T(r, "Break-out tables with host organisations. Their approved answers make up the event's report."));
    bprintf(&r->out, "<ul class=\"actions\"><li><a class=\"button\" href=\"/events/%lld/report\">%h</a></li>", (long long)id, T(r, "Read the report"));
    bprintf(&r->out, "<li><a href=\"/events/%lld/report.md\">%h</a></li>", (long long)id, T(r, "The report as Markdown"));
    json_t *se = json_object_get(ev, "series");
    if (json_is_object(se))
        bprintf(&r->out, "<li><a href=\"/series/%lld/followup\">%h</a></li>", (long long)jint(se, "id"),
                aprintf_text(r->arena, T(r, "Follow-up of %s"), jstr(se, "name")));
    buf_puts(&r->out, "</ul>\n");
    json_t *tables = own(r, rt_tables_of(db, id, false));
    if (list_open(r, tables, "cards roundtables", T(r, "This event has no roundtables yet."))) {
        size_t i;
        json_t *t;
        json_array_foreach(tables, i, t) {
            int nb = 0;
            size_t k;
            json_t *q;
            json_array_foreach(json_object_get(t, "questions"), k, q) nb += (int)json_array_size(json_object_get(q, "bullets"));
            bprintf(&r->out, "<li class=\"card\"><h2><a href=\"/roundtables/%lld\">%h: %h</a></h2><p class=\"meta\">", (long long)jint(t, "id"),
                    host_label(r, t), table_heading(r, t));
            if (jstr(t, "theme")) bprintf(&r->out, "%h · ", ref_theme_name(db, r->arena, jstr(t, "theme"), r->lang));
            if (jstr(t, "moderator")) bprintf(&r->out, "%h · ", aprintf_text(r->arena, T(r, "Moderator: %s"), jstr(t, "moderator")));
            bprintf(&r->out, "%h</p></li>", aprintf(r->arena, TN(r, "%d approved bullet", "%d approved bullets", nb), nb));
        }
        buf_puts(&r->out, "</ul>\n");
    }
    if (org) {
        int nt;
        option_t *to = theme_options(r, db, &nt);
        bprintf(&r->out, "<section class=\"narrow\"><h2>%h</h2>", T(r, "Add a roundtable"));
        form_open(r, aprintf(r->arena, "/events/%lld/roundtables/new", (long long)id));
        form_errors_summary(r, table_errors);
        /* issue 12: organisations through the type-ahead, stored by id */
        field_pick_names(r, "hosts", T(r, "Host organisations"), "/api/v1/lookup/organisations", req_form(r, "hosts"), table_errors,
                         T(r, "Type their names, separated with commas."), true);
        field_select(r, "theme", T(r, "Key area"), to, nt, req_form(r, "theme"), table_errors, true);
        field_text(r, "moderator", T(r, "Moderator"), req_form(r, "moderator"), table_errors, "text", NULL, false);
        form_close(r, T(r, "Add the roundtable"));
        buf_puts(&r->out, "</section>");
        json_t *cur = own(r, rt_event_get(db, id));
        bprintf(&r->out, "<section class=\"narrow\"><h2>%h</h2>", T(r, "Questions and report texts"));
        form_open(r, aprintf(r->arena, "/events/%lld/roundtables", (long long)id));
        form_errors_summary(r, errors);
        static const char *const qk[3] = {"questions_sv", "questions_nb", "questions_en"};
        static const char *const ql[3] = {N_("Questions in Swedish"), N_("Questions in Norwegian"), N_("Questions in English")};
        for (int l = 0; l < 3; l++) {
            buf_t b;
            buf_init(&b, r->arena);
            size_t i;
            json_t *q;
            json_array_foreach(json_object_get(cur, "questions"), i, q) bprintf_text(&b, "%s%s", i ? "\n" : "", jstr(q, i18n_langs[l]) ? jstr(q, i18n_langs[l]) : "");
            field_textarea(r, qk[l], T(r, ql[l]), req_form(r, qk[l]) ? req_form(r, qk[l]) : b.data, errors,
                           l == 0 ? T(r, "One question a line. New tables get these questions; the report prints them as the tables have them.") : NULL);
        }
        field_textarea(r, "intro", T(r, "Introduction of the report"), req_form(r, "intro") ? req_form(r, "intro") : lines(r, json_object_get(cur, "intro")),
                       errors, T(r, "One paragraph a line. Empty: the event's description."));
        form_close(r, T(r, "Save"));
        buf_puts(&r->out, "</section>");
    }
    page_end(r);
}

void rt_event_page(req_t *r) {
    db_t *db = db_get();
    if (!event_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return; }
    event_view(r, db, NULL, NULL);
}

void rt_event_post(req_t *r) {
    db_t *db = db_get();
    if (!event_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return; }
    if (!event_can_edit(db, r->user, r->id[0])) { resp_error(r, 403, "forbidden", T(r, "Only the event's organisers may manage its roundtables.")); return; }
    json_t *in = own(r, json_object());
    json_t *sv = own(r, paras(req_form(r, "questions_sv"))), *nb = own(r, paras(req_form(r, "questions_nb"))), *en = own(r, paras(req_form(r, "questions_en")));
    size_t n = json_array_size(sv);
    if (json_array_size(nb) > n) n = json_array_size(nb);
    if (json_array_size(en) > n) n = json_array_size(en);
    json_t *qs = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *q = json_object();
        if (json_array_get(sv, i)) json_object_set(q, "sv", json_array_get(sv, i));
        if (json_array_get(nb, i)) json_object_set(q, "nb", json_array_get(nb, i));
        if (json_array_get(en, i)) json_object_set(q, "en", json_array_get(en, i));
        json_array_append_new(qs, q);
    }
    json_object_set_new(in, "questions", qs);
    json_object_set_new(in, "intro", paras(req_form(r, "intro")));
    json_t *errors;
    int rc = rt_event_set(db, r->arena, r->lang, r->id[0], in, &errors);
    if (rc == 422) {
        own(r, errors);
        if (json_object_get(errors, "questions")) json_object_set(errors, "questions_sv", json_object_get(errors, "questions"));
        json_object_del(errors, "questions");
        r->status = 422;
        event_view(r, db, errors, NULL);
        return;
    }
    if (rc) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    flash_set(r, "saved");
    resp_redirect(r, aprintf(r->arena, "/events/%lld/roundtables", (long long)r->id[0]));
}

void rt_table_new_post(req_t *r) {
    db_t *db = db_get();
    if (!event_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return; }
    if (!event_can_edit(db, r->user, r->id[0])) { resp_error(r, 403, "forbidden", T(r, "Only the event's organisers may manage its roundtables.")); return; }
    /* the hosts are organisations on the platform: each name (or number, or address) must name one;
     * the others are said inline, the text kept */
    json_t *names = own(r, org_resolve_names(db, r->arena, req_form(r, "hosts"), r->lang));
    json_t *hosts = own(r, json_array());
    bool unresolved = false;
    size_t i;
    json_t *x;
    json_array_foreach(names, i, x) {
        if (json_is_integer(x)) json_array_append_new(hosts, json_pack("{s:O}", "org", x));
        else unresolved = true;
    }
    size_t nnames = json_array_size(names);
    if (!nnames || unresolved) {
        json_t *errors = own(r, json_pack("{s:s}", "hosts", nnames ? T(r, "Some names match no organisation, or several: write more of the name, or its organisation number.")
                                                                   : T(r, "Name at least one host organisation.")));
        r->status = 422;
        event_view(r, db, NULL, errors);
        return;
    }
    json_t *in = own(r, json_pack("{s:O}", "hosts", hosts));
    if (!str_empty(req_form(r, "theme"))) json_object_set_new(in, "theme", json_string(req_form(r, "theme")));
    if (!str_empty(req_form(r, "moderator"))) json_object_set_new(in, "moderator", json_string(req_form(r, "moderator")));
    json_t *errors;
    int64_t id = rt_table_save(db, r->arena, r->lang, r->id[0], 0, in, r->user->id, &errors);
    if (!id && errors) { own(r, errors); r->status = 422; event_view(r, db, NULL, errors); return; }
    if (!id) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    flash_set(r, "table-created");
    resp_redirect(r, aprintf(r->arena, "/roundtables/%lld", (long long)id));
}

/* ---- a table ---- */
static const char *short_link(req_t *r, const char *token) {
    return arena_printf_libc(r->arena, "%s/t/%s", base_url(r), token);   /* html/feed.h: Host checked */
}

static void bullet_form(req_t *r, json_t *t, const char *action, json_t *errors, bool phone) {
    form_open(r, action);
    form_errors_summary(r, errors);
    json_t *qs = json_object_get(t, "questions");
    size_t n = json_array_size(qs);
    option_t *qo = arena_alloc(r->arena, sizeof(option_t) * (n + 1));
    for (size_t i = 0; i < n; i++) {
        json_t *q = json_array_get(qs, i);
        qo[i] = (option_t){aprintf(r->arena, "%lld", (long long)jint(q, "id")), question_text(r, q)};
    }
    const char *cur = req_form(r, "question") ? req_form(r, "question") : (n ? qo[0].value : NULL);
    bprintf(&r->out, "<fieldset class=\"field%s\"><legend>%h</legend>", error_text(errors, "question") ? " invalid" : "", T(r, "Question"));
    form_label(r, "question", T(r, "Question"));
    if (error_text(errors, "question")) bprintf(&r->out, "<p class=\"field-error\" id=\"e-question\">%h</p>", error_text(errors, "question"));
    for (size_t i = 0; i < n; i++)
        bprintf(&r->out, "<label class=\"check\"><input type=\"radio\" name=\"question\" value=\"%h\"%s> %h</label>", qo[i].value,
                streq(cur, qo[i].value) ? " checked" : "", qo[i].label);
    buf_puts(&r->out, "</fieldset>");
    field_textarea(r, "text", T(r, "Your point"), req_form(r, "text"), errors, T(r, "One point, at most 2000 characters."));
    field_select(r, "type", T(r, "Type"), type_options(r), 3, req_form(r, "type"), errors, true);
    form_close(r, phone ? T(r, "Send to the hosts") : T(r, "Add the bullet"));
}

/* version_input: the bullet's version as the form saw it, so that a change made meanwhile by
 * another host is not overwritten (rt_bullet_update answers 409) */
static void version_input(req_t *r, json_t *b) {
    bprintf(&r->out, "<input type=\"hidden\" name=\"version\" value=\"%lld\">", (long long)jint(b, "version"));
}

/* edit_form: the host's correction of a bullet (text, type, key areas), folded; ids carry the
 * bullet's id so the page's many forms stay unambiguous */
static void edit_form(req_t *r, db_t *db, json_t *b, const char *act) {
    long long bid = (long long)jint(b, "id");
    bprintf(&r->out, "<details class=\"bullet-edit\"><summary>%h</summary><form method=\"post\" action=\"%h\">", T(r, "Edit"), act);
    csrf_input(r);
    version_input(r, b);
    bprintf(&r->out, "<div class=\"field\"><label for=\"text-%lld\">%h</label>"
                     "<textarea id=\"text-%lld\" name=\"text\" rows=\"3\">%h</textarea></div>",
            bid, T(r, "Text"), bid, jstr(b, "text"));
    bprintf(&r->out, "<div class=\"field\"><label for=\"type-%lld\">%h</label><select id=\"type-%lld\" name=\"type\"><option value=\"\">%h</option>", bid,
            T(r, "Type"), bid, T(r, "– none –"));
    for (int i = 0; i < 3; i++)
        bprintf(&r->out, "<option value=\"%h\"%s>%h</option>", rt_bullet_types[i], streq(jstr(b, "type"), rt_bullet_types[i]) ? " selected" : "",
                rt_type_label(rt_bullet_types[i], r->lang));
    bprintf(&r->out, "</select></div><fieldset class=\"field\"><legend>%h</legend>", T(r, "Key areas"));
    int nt;
    option_t *to = theme_options(r, db, &nt);
    json_t *themes = json_object_get(b, "themes");
    for (int i = 0; i < nt; i++) {
        bool on = false;
        size_t k;
        json_t *x;
        json_array_foreach(themes, k, x) if (streq(json_string_value(x), to[i].value)) on = true;
        bprintf(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"themes\" value=\"%h\"%s> %h</label>", to[i].value, on ? " checked" : "",
                to[i].label);
    }
    bprintf(&r->out, "</fieldset><button name=\"do\" value=\"edit\">%h</button></form></details>", T(r, "Save"));
}

static void table_view(req_t *r, db_t *db, int64_t id, json_t *errors) {
    bool hostp = rt_can_host(db, r->user, id);
    json_t *t = own(r, rt_table_load(db, id, hostp));
    int64_t ev = jint(t, "event");
    const char *title = event_title(r, db, ev, NULL);
    page_begin(r, aprintf_text(r->arena, "%s: %s", host_label(r, t), table_heading(r, t)));
    crumbs(r, ev, title);
    bprintf(&r->out, "<h1>%h: %h</h1><p class=\"meta\">", host_label(r, t), table_heading(r, t)); /* the label is a rendered word, not the stored "Värd" */
    if (jstr(t, "theme")) bprintf(&r->out, "%h: %h", T(r, "Key area"), ref_theme_name(db, r->arena, jstr(t, "theme"), r->lang));
    if (jstr(t, "moderator")) bprintf(&r->out, "%s%h", jstr(t, "theme") ? " · " : "", aprintf_text(r->arena, T(r, "Moderator: %s"), jstr(t, "moderator")));
    buf_puts(&r->out, "</p>\n");
    const char *tl = event_text_lang(r, db, ev);
    if (!streq(tl, r->lang)) bprintf(&r->out, "<p class=\"lang-note\">%h</p>", streq(tl, "nb") ? T(r, "The answers are in Norwegian.")
                                                                          : streq(tl, "en") ? T(r, "The answers are in English.") : T(r, "The answers are in Swedish."));
    rt_named_unconfirmed(r, db, "host", id); /* issue 11 */
    if (hostp) {
        const char *link = short_link(r, jstr(t, "token"));
        bprintf(&r->out, "<aside class=\"notice table-link\"><h2>%h</h2><p>%h</p><p><a class=\"code\" href=\"/t/%h\">%h</a></p>"
                         "<img class=\"qr\" src=\"/roundtables/%lld/qr.svg\" width=\"180\" height=\"180\" alt=\"%h\"></aside>\n",
                T(r, "Participants' link"), T(r, "Show this code at the table: participants open the link on their phones and send points, which wait here for your review."),
                jstr(t, "token"), link, (long long)id, aprintf_text(r->arena, T(r, "QR code for %s"), link));
    }
    json_t *qs = json_object_get(t, "questions");
    size_t i;
    json_t *q;
    long long done;
    if (parse_int(req_query(r, "approved"), 0, 100000, &done))
        bprintf(&r->out, "<p class=\"flash\" role=\"status\">%h</p>", aprintf_text(r->arena, TN(r, "%lld bullet approved.", "%lld bullets approved.", (long)done), done));
    if (hostp) { /* bulk approval: the waiting bullets' checkboxes belong to this form */
        int waiting = 0;
        json_array_foreach(qs, i, q) {
            size_t k;
            json_t *b;
            json_array_foreach(json_object_get(q, "bullets"), k, b) waiting += streq(jstr(b, "status"), "pending");
        }
        if (waiting) {
            bprintf(&r->out, "<form id=\"bulk-approve\" class=\"bulk-approve\" method=\"post\" action=\"/roundtables/%lld/approve\">", (long long)id);
            csrf_input(r);
            bprintf(&r->out, "<p>%h</p><p class=\"actions\"><button name=\"do\" value=\"chosen\">%h</button> <button name=\"do\" value=\"all\" class=\"secondary\">%h</button></p></form>\n",
                    aprintf_text(r->arena, TN(r, "%d bullet is waiting for review: tick the ones to approve.", "%d bullets are waiting for review: tick the ones to approve.", waiting), waiting),
                    T(r, "Approve the ticked bullets"), aprintf_text(r->arena, TN(r, "Approve the %d waiting bullet", "Approve all %d waiting bullets", waiting), waiting));
        }
    }
    json_array_foreach(qs, i, q) {
        bprintf(&r->out, "<section class=\"question\"><h2%s>%h</h2>", MARKUP(html_lang_attr(r, question_lang(r, q, tl))), question_text(r, q));
        json_t *bl = json_object_get(q, "bullets");
        if (!json_array_size(bl)) { bprintf(&r->out, "<p class=\"meta\">%h</p></section>", T(r, "No answers yet.")); continue; }
        bprintf(&r->out, "<ul class=\"bullets%s\">", hostp ? " review" : "");
        size_t k;
        json_t *b;
        json_array_foreach(bl, k, b) {
            int64_t bid = jint(b, "id");
            const char *st = jstr(b, "status");
            bprintf(&r->out, "<li id=\"b%lld\" class=\"bullet bullet-%h\"><p%s>%h</p>", (long long)bid, st, MARKUP(html_lang_attr(r, tl)), jstr(b, "text"));
            if (!hostp) {
                buf_puts(&r->out, "<p class=\"meta\">");
                if (jstr(b, "type")) bprintf(&r->out, "%h", rt_type_label(jstr(b, "type"), r->lang));
                proj_born_html(r, "bullet", bid);   /* projects/: the projects born from it, "make this a project" */
                buf_puts(&r->out, "</p></li>");
                continue;
            }
            buf_puts(&r->out, "<p class=\"meta\">");
            bullet_status(r, st);
            if (jstr(b, "type")) bprintf(&r->out, " · %h", rt_type_label(jstr(b, "type"), r->lang));
            if (streq(jstr(b, "source"), "link")) bprintf(&r->out, " · %h", T(r, "from the participants' link"));
            if (!json_is_null(json_object_get(b, "action")))
                bprintf(&r->out, " · <a href=\"/actions/%lld\">%h</a>", (long long)jint(b, "action"), T(r, "Action item"));
            if (streq(st, "approved")) proj_born_html(r, "bullet", bid);
            buf_puts(&r->out, "</p>");
            if (streq(st, "merged")) { buf_puts(&r->out, "</li>"); continue; }
            const char *act = aprintf(r->arena, "/bullets/%lld", (long long)bid);
            /* compact: tick for bulk approval, approve, and one menu with everything else */
            buf_puts(&r->out, "<div class=\"bullet-tools\">");
            if (streq(st, "pending")) {
                const char *txt = jstr(b, "text");
                bprintf(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"bullet\" value=\"%lld\" form=\"bulk-approve\" aria-label=\"%h\"> %h</label>",
                        (long long)bid, aprintf_text(r->arena, T(r, "Tick for approval: %s"), utf8_len(txt) > 60 ? aprintf_text(r->arena, "%.60s…", txt) : txt), T(r, "Tick"));
            }
            if (!streq(st, "approved")) {
                bprintf(&r->out, "<form class=\"inline\" method=\"post\" action=\"%h\">", act);
                csrf_input(r);
                version_input(r, b);
                bprintf(&r->out, "<button name=\"do\" value=\"approve\">%h</button></form>", T(r, "Approve"));
            }
            bprintf(&r->out, "<details class=\"bullet-menu\"><summary>%h</summary>", T(r, "More actions"));
            bprintf(&r->out, "<form class=\"inline bullet-actions\" method=\"post\" action=\"%h\">", act);
            csrf_input(r);
            version_input(r, b);
            if (!streq(st, "rejected")) bprintf(&r->out, "<button name=\"do\" value=\"reject\" class=\"secondary\">%h</button>", T(r, "Reject"));
            if (!streq(st, "pending")) bprintf(&r->out, "<button name=\"do\" value=\"pending\" class=\"secondary\">%h</button>", T(r, "Back to review"));
            bprintf(&r->out, "<button name=\"do\" value=\"up\" class=\"secondary\" aria-label=\"%h\">↑</button>", T(r, "Move up"));
            bprintf(&r->out, "<button name=\"do\" value=\"down\" class=\"secondary\" aria-label=\"%h\">↓</button>", T(r, "Move down"));
            if (json_is_null(json_object_get(b, "action")) && streq(st, "approved"))
                bprintf(&r->out, "<button name=\"do\" value=\"action\" class=\"secondary\">%h</button>", T(r, "Make an action item"));
            /* merging: into another live bullet of the question */
            int others = 0;
            size_t m;
            json_t *o;
            json_array_foreach(bl, m, o) if (jint(o, "id") != bid && !streq(jstr(o, "status"), "merged")) others++;
            if (others) {
                bprintf(&r->out, "<label for=\"into-%lld\">%h</label><select id=\"into-%lld\" name=\"into\">", (long long)bid, T(r, "Merge into"), (long long)bid);
                json_array_foreach(bl, m, o) {
                    if (jint(o, "id") == bid || streq(jstr(o, "status"), "merged")) continue;
                    const char *txt = jstr(o, "text");
                    bprintf(&r->out, "<option value=\"%lld\">%h</option>", (long long)jint(o, "id"),
                            utf8_len(txt) > 60 ? aprintf_text(r->arena, "%.60s…", txt) : txt);
                }
                bprintf(&r->out, "</select><button name=\"do\" value=\"merge\" class=\"secondary\">%h</button>", T(r, "Merge"));
            }
            buf_puts(&r->out, "</form>");
            edit_form(r, db, b, act);
            buf_puts(&r->out, "</details></div></li>");
        }
        buf_puts(&r->out, "</ul></section>\n");
    }
    if (hostp) {
        bprintf(&r->out, "<section class=\"narrow\"><h2>%h</h2>", T(r, "Add a bullet"));
        bullet_form(r, t, aprintf(r->arena, "/roundtables/%lld/bullets", (long long)id), errors, false);
        buf_puts(&r->out, "</section>");
    }
    page_end(r);
}

void rt_table_page(req_t *r) {
    db_t *db = db_get();
    if (!rt_table_event(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such roundtable.")); return; }
    table_view(r, db, r->id[0], NULL);
}

static json_t *bullet_input(req_t *r) {
    json_t *in = own(r, json_object());
    long long q;
    if (parse_int(req_form(r, "question"), 1, INT64_MAX, &q)) json_object_set_new(in, "question", json_integer(q));
    else json_object_set_new(in, "question", json_null());
    json_object_set_new(in, "text", json_string(req_form(r, "text") ? req_form(r, "text") : ""));
    if (!str_empty(req_form(r, "type"))) json_object_set_new(in, "type", json_string(req_form(r, "type")));
    return in;
}

void rt_table_bullet_post(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    if (!rt_table_event(db, id)) { resp_error(r, 404, "not-found", T(r, "There is no such roundtable.")); return; }
    if (!rt_can_host(db, r->user, id)) { resp_error(r, 403, "forbidden", T(r, "Only the table's hosts and the event's organisers may do this.")); return; }
    json_t *errors;
    int code;
    int64_t b = rt_bullet_add(db, r->arena, r->lang, id, bullet_input(r), "host", r->user->id, r->ip, &errors, &code);
    if (code == 422) { own(r, errors); r->status = 422; table_view(r, db, id, errors); return; }
    if (!b) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    flash_set(r, "bullet-saved");
    resp_redirect(r, aprintf(r->arena, "/roundtables/%lld#b%lld", (long long)id, (long long)b));
}

void rt_table_qr(req_t *r) {
    db_t *db = db_get();
    if (!rt_table_event(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such roundtable.")); return; }
    if (!rt_can_host(db, r->user, r->id[0])) { resp_error(r, 403, "forbidden", T(r, "Only the table's hosts and the event's organisers may do this.")); return; }
    json_t *t = own(r, rt_table_load(db, r->id[0], true));
    if (!rt_qr_svg(&r->out, short_link(r, jstr(t, "token")))) { resp_error(r, 500, "qr", T(r, "The QR code could not be made.")); return; }
    r->ctype = "image/svg+xml";
    resp_header(r, "Cache-Control", "private, no-store");
}

void rt_bullet_post(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0], table = rt_bullet_table(db, id);
    if (!table) { resp_error(r, 404, "not-found", T(r, "There is no such bullet.")); return; }
    if (!rt_can_host(db, r->user, table)) { resp_error(r, 403, "forbidden", T(r, "Only the table's hosts and the event's organisers may do this.")); return; }
    const char *what = req_form(r, "do");
    json_t *errors = NULL;
    int rc = 0;
    long long seen = 0; /* the version the page showed; a form without one is not checked */
    if (req_form(r, "version") && !parse_int(req_form(r, "version"), 1, INT32_MAX, &seen)) seen = -1;
    if (streq(what, "approve") || streq(what, "reject") || streq(what, "pending")) {
        json_t *in = own(r, json_pack("{s:s}", "status", streq(what, "approve") ? "approved" : streq(what, "reject") ? "rejected" : "pending"));
        if (seen) json_object_set_new(in, "version", json_integer(seen));
        rc = rt_bullet_update(db, r->arena, r->lang, id, in, r->user->id, &errors);
    } else if (streq(what, "edit")) {
        json_t *in = own(r, json_pack("{s:s}", "text", req_form(r, "text") ? req_form(r, "text") : ""));
        if (seen) json_object_set_new(in, "version", json_integer(seen));
        json_object_set_new(in, "type", str_empty(req_form(r, "type")) ? json_null() : json_string(req_form(r, "type")));
        json_object_set_new(in, "themes", form_strings(r, "themes"));
        rc = rt_bullet_update(db, r->arena, r->lang, id, in, r->user->id, &errors);
        if (!rc) flash_set(r, "bullet-saved");
    } else if (streq(what, "up") || streq(what, "down")) {
        rc = rt_bullet_move(db, id, streq(what, "up") ? -1 : 1) ? 0 : 500;
    } else if (streq(what, "merge")) {
        long long into;
        if (!parse_int(req_form(r, "into"), 1, INT64_MAX, &into)) into = 0;
        rc = rt_bullet_merge(db, r->arena, r->lang, id, into, NULL, &errors);
        if (!rc) id = into;
    } else if (streq(what, "action")) {
        int code;
        int64_t a = rt_action_create(db, r->arena, r->lang, id, own(r, json_object()), r->user->id, &errors, &code);
        if (a) { resp_redirect(r, aprintf(r->arena, "/actions/%lld", (long long)a)); return; }
        rc = code;
    } else {
        resp_error(r, 400, "bad-request", T(r, "Choose what to do with the bullet."));
        return;
    }
    if (rc == 422 || rc == 409) {
        own(r, errors);
        const char *msg = T(r, "This bullet is an action item already.");
        if (errors) { const char *k; json_t *v; json_object_foreach(errors, k, v) { msg = json_string_value(v); break; } }
        resp_error(r, rc, "validation", msg);
        return;
    }
    if (rc) { resp_error(r, rc == 404 ? 404 : 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    resp_redirect(r, aprintf(r->arena, "/roundtables/%lld#b%lld", (long long)table, (long long)id));
}

/* POST /roundtables/{id}/approve: approve the ticked waiting bullets (do=chosen) or every waiting
 * one (do=all) of the table, in one transaction */
void rt_bulk_approve_post(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    if (!rt_table_event(db, id)) { resp_error(r, 404, "not-found", T(r, "There is no such roundtable.")); return; }
    if (!rt_can_host(db, r->user, id)) { resp_error(r, 403, "forbidden", T(r, "Only the table's hosts and the event's organisers may do this.")); return; }
    const char *what = req_form(r, "do");
    if (!streq(what, "chosen") && !streq(what, "all")) { resp_error(r, 400, "bad-request", T(r, "Choose what to do with the bullet.")); return; }
    int64_t ids[512];
    int n = 0;
    if (streq(what, "all")) {
        json_t *t = own(r, rt_table_load(db, id, true));
        size_t i, k;
        json_t *q, *b;
        json_array_foreach(json_object_get(t, "questions"), i, q)
            json_array_foreach(json_object_get(q, "bullets"), k, b) if (streq(jstr(b, "status"), "pending") && n < 512) ids[n++] = jint(b, "id");
    } else {
        const char **vals;
        int nv = req_form_all(r, "bullet", &vals);
        for (int i = 0; i < nv && n < 512; i++) {
            long long v;
            if (!parse_int(vals[i], 1, INT64_MAX, &v) || rt_bullet_table(db, v) != id) {
                resp_error(r, 422, "validation", T(r, "There is no such bullet."));
                return;
            }
            ids[n++] = v;
        }
        if (!n) { resp_error(r, 422, "validation", T(r, "Tick at least one bullet to approve.")); return; }
    }
    if (!db_begin(db)) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    json_t *in = own(r, json_pack("{s:s}", "status", "approved"));
    for (int i = 0; i < n; i++) {
        json_t *errors = NULL;
        int rc = rt_bullet_update(db, r->arena, r->lang, ids[i], in, r->user->id, &errors);
        json_decref(errors);
        if (rc) {
            db_rollback(db);
            resp_error(r, rc == 422 ? 422 : 500, "db", T(r, "This could not be saved. Nothing was changed."));
            return;
        }
    }
    if (!db_commit(db)) { db_rollback(db); resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    resp_redirect(r, aprintf(r->arena, "/roundtables/%lld?approved=%d", (long long)id, n));
}

/* ---- the participants' short link ---- */
static void link_view(req_t *r, db_t *db, int64_t id, json_t *errors) {
    json_t *t = own(r, rt_table_load(db, id, false));
    const char *title = event_title(r, db, jint(t, "event"), NULL);
    page_begin(r, T(r, "Send a point to the table"));
    bprintf(&r->out, "<div class=\"narrow\"><p class=\"meta\">%h</p><h1>%h: %h</h1><p>%h</p>", title, host_label(r, t), table_heading(r, t),
            T(r, "Write one point at a time. The hosts read every point and choose what goes into the report."));
    bullet_form(r, t, aprintf_text(r->arena, "/t/%s", r->arg[0]), errors, true);
    buf_puts(&r->out, "</div>");
    page_end(r);
}

void rt_link_page(req_t *r) {
    db_t *db = db_get();
    int64_t id = rt_table_by_token(db, r->arg[0]);
    if (!id) { resp_error(r, 404, "not-found", T(r, "This table link is not valid. Ask the hosts for the link.")); return; }
    link_view(r, db, id, NULL);
}

void rt_link_post(req_t *r) {
    db_t *db = db_get();
    int64_t id = rt_table_by_token(db, r->arg[0]);
    if (!id) { resp_error(r, 404, "not-found", T(r, "This table link is not valid. Ask the hosts for the link.")); return; }
    json_t *errors;
    int code;
    int64_t b = rt_bullet_add(db, r->arena, r->lang, id, bullet_input(r), "link", r->user ? r->user->id : 0, r->ip, &errors, &code);
    if (code == 422) { own(r, errors); r->status = 422; link_view(r, db, id, errors); return; }
    if (code == 429) {
        resp_header(r, "Retry-After", "600");
        resp_error(r, 429, "rate-limited", T(r, "Too many bullets from your address just now. Wait a few minutes and try again."));
        return;
    }
    if (!b) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    flash_set(r, "bullet-sent");
    resp_redirect(r, aprintf_text(r->arena, "/t/%s", r->arg[0]));
}

/* ---- the report ---- */
void rt_report_page(req_t *r) {
    db_t *db = db_get();
    if (!event_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return; }
    report_t rep;
    if (!rt_report(db, r->arena, r->id[0], &rep)) { resp_error(r, 500, "db", T(r, "The report could not be read.")); return; }
    json_t *ev;
    const char *title = event_title(r, db, r->id[0], &ev);
    const char *rl = report_lang(ev);
    page_begin(r, aprintf_text(r->arena, "%s – %s", T(r, "Report"), title));
    bprintf(&r->out, "<p class=\"meta\"><a href=\"/events/%lld\">%h</a> › <a href=\"/events/%lld/roundtables\">%h</a></p><h1>%h</h1>",
            (long long)r->id[0], title, (long long)r->id[0], T(r, "Roundtables"), title);
    bprintf(&r->out, "<ul class=\"actions\"><li><a href=\"/events/%lld/report.md\">%h</a></li><li>%h</li></ul>\n", (long long)r->id[0],
            T(r, "The report as Markdown"), T(r, "Print the page for a paper copy: the menus are left out."));
    if (!rep.ntables && !rep.nintro) bprintf(&r->out, "<p>%h</p>", T(r, "This event has no roundtables yet."));
    else if (!streq(rl, r->lang)) { /* the report in its own language, said and marked (WCAG 3.1.2) */
        bprintf(&r->out, "<p class=\"lang-note\">%h</p><div lang=\"%h\">", lang_note_text(r, rl), rl);
        report_html_labelled(&r->out, &rep, T(r, "Host"), r->lang);
        buf_puts(&r->out, "</div>");
    } else report_html_labelled(&r->out, &rep, T(r, "Host"), NULL);
    page_end(r);
}

void rt_report_md(req_t *r) {
    db_t *db = db_get();
    if (!event_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return; }
    report_t rep;
    if (!rt_report(db, r->arena, r->id[0], &rep)) { resp_error(r, 500, "db", T(r, "The report could not be read.")); return; }
    report_markdown(&r->out, &rep);
    r->ctype = "text/markdown; charset=utf-8";
}

/* ---- action items ---- */
static const char *owner_names(req_t *r, json_t *owners) {
    buf_t b;
    buf_init(&b, r->arena);
    size_t i;
    json_t *o;
    json_array_foreach(owners, i, o)
        bprintf_text(&b, "%s%s%s", i ? ", " : "", jstr(o, "name"),
                     json_is_false(json_object_get(o, "confirmed")) ? aprintf_text(r->arena, " (%s)", T(r, "unconfirmed")) : ""); /* issue 11 */
    return b.len ? b.data : T(r, "no owner yet");
}

static const char *log_line(req_t *r, json_t *e) {
    const char *f = jstr(e, "field");
    if (streq(f, "created")) return aprintf_text(r->arena, T(r, "Became an action item (%s)"), rt_action_status_label(jstr(e, "new"), r->lang));
    if (streq(f, "status")) return aprintf_text(r->arena, T(r, "Status: %s → %s"), rt_action_status_label(jstr(e, "old"), r->lang), rt_action_status_label(jstr(e, "new"), r->lang));
    if (streq(f, "due")) return aprintf_text(r->arena, T(r, "Due date: %s"), jstr(e, "new") ? jstr(e, "new") : "–");
    if (streq(f, "owners")) return T(r, "The owners were changed");
    return T(r, "Follow-up note");
}

/* action_text: the proposal's text as published, or a note that it is not (issue 11, finding 10) */
static const char *action_text(req_t *r, json_t *a) {
    const char *t = jstr(json_object_get(a, "bullet"), "text");
    return t ? t : T(r, "The text of this proposal is not published.");
}

static void action_view(req_t *r, db_t *db, int64_t id, json_t *errors) {
    json_t *a = own(r, rt_action_load(db, id));
    int64_t ev = jint(a, "event"), table = jint(a, "table");
    const char *title = event_title(r, db, ev, NULL);
    bool hostp = rt_can_host(db, r->user, table);
    page_begin(r, T(r, "Action item"));
    crumbs(r, ev, title);
    const char *al = jstr(json_object_get(a, "bullet"), "text") ? event_text_lang(r, db, ev) : r->lang;
    bprintf(&r->out, "<h1>%h</h1><blockquote class=\"proposal\"><p%s>%h</p>", T(r, "Action item"), MARKUP(html_lang_attr(r, al)), action_text(r, a));
    html_lang_note(r, al);
    bprintf(&r->out, "</blockquote><p class=\"meta\">%h · <a href=\"/roundtables/%lld\">%h</a></p>", jstr(a, "question"), (long long)table, jstr(a, "hosts"));
    bprintf(&r->out, "<dl class=\"facts\"><dt>%h</dt><dd>", T(r, "Status"));
    action_badge(r, jstr(a, "status"));
    bprintf(&r->out, "</dd><dt>%h</dt><dd>%h</dd><dt>%h</dt><dd>%h</dd></dl>", T(r, "Owners"), owner_names(r, json_object_get(a, "owners")),
            T(r, "Due date"), jstr(a, "due") ? jstr(a, "due") : "–");
    bprintf(&r->out, "<p class=\"meta\">%h", T(r, "Projects"));
    proj_born_html(r, "action", id);
    buf_puts(&r->out, "</p>");
    rt_named_unconfirmed(r, db, "owner", id); /* issue 11 */
    bprintf(&r->out, "<h2>%h</h2><ol class=\"history\">", T(r, "What happened since"));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(a, "log"), i, e) {
        bprintf(&r->out, "<li><p class=\"meta\">%h</p><p>%h</p>", jstr(e, "note_date") ? jstr(e, "note_date") : aprintf_text(r->arena, "%.10s", jstr(e, "at")), log_line(r, e));
        if (jstr(e, "note")) bprintf(&r->out, "<p class=\"desc\">%h</p>", jstr(e, "note"));
        buf_puts(&r->out, "</li>");
    }
    buf_puts(&r->out, "</ol>");
    if (hostp) {
        bprintf(&r->out, "<section class=\"narrow\"><h2>%h</h2>", T(r, "Follow up"));
        form_open(r, aprintf(r->arena, "/actions/%lld", (long long)id));
        form_errors_summary(r, errors);
        const char *cur = jstr(a, "status");
        option_t st[5];
        int n = 0;
        for (int k = 0; k < 5; k++)
            if (streq(rt_action_statuses[k], cur) || rt_action_move_allowed(cur, rt_action_statuses[k]))
                st[n++] = (option_t){rt_action_statuses[k], rt_action_status_label(rt_action_statuses[k], r->lang)};
        field_select(r, "status", T(r, "Status"), st, n, req_form(r, "status") ? req_form(r, "status") : cur, errors, false);
        field_text(r, "due", T(r, "Due date"), req_form(r, "due") ? req_form(r, "due") : jstr(a, "due"), errors, "date", NULL, false);
        /* owners: the table's hosts, the event's organisers and the current owners */
        json_t *cand = own(r, json_array());
        json_t *t = own(r, rt_table_load(db, table, false));
        json_array_foreach(json_object_get(t, "hosts"), i, e) if (json_is_integer(json_object_get(e, "org"))) json_array_append(cand, json_object_get(e, "org"));
        json_t *evj = own(r, event_load(db, ev));
        json_array_foreach(json_object_get(evj, "organisers"), i, e) if (json_is_integer(e)) json_array_append(cand, e);
        if (json_is_integer(json_object_get(evj, "organisers"))) json_array_append(cand, json_object_get(evj, "organisers"));
        json_array_foreach(json_object_get(a, "owners"), i, e) json_array_append(cand, json_object_get(e, "id"));
        size_t nc = json_array_size(cand);
        option_t *oo = arena_alloc(r->arena, sizeof(option_t) * (nc + 1));
        const char **checked = arena_alloc(r->arena, sizeof(char *) * (nc + 1));
        int no = 0, nchk = 0;
        for (size_t k = 0; k < nc; k++) {
            int64_t oid = json_integer_value(json_array_get(cand, k));
            const char *v = aprintf(r->arena, "%lld", (long long)oid);
            bool dup = false;
            for (int m = 0; m < no; m++) if (streq(oo[m].value, v)) dup = true;
            if (dup) continue;
            const char *nm = org_name(db, r->arena, oid);
            if (!nm) continue;
            oo[no++] = (option_t){v, nm};
            size_t j;
            json_t *o;
            json_array_foreach(json_object_get(a, "owners"), j, o) if (jint(o, "id") == oid) checked[nchk++] = v;
        }
        if (no) field_checks(r, "owners", T(r, "Owners"), oo, no, checked, nchk, errors);
        field_textarea(r, "note", T(r, "Follow-up note"), req_form(r, "note"), errors, T(r, "What happened? It is kept with the date below."));
        field_text(r, "note_date", T(r, "Date of the note"), req_form(r, "note_date"), errors, "date", T(r, "Empty: today."), false);
        form_close(r, T(r, "Save"));
        buf_puts(&r->out, "</section>");
    }
    page_end(r);
}

void rt_action_page(req_t *r) {
    db_t *db = db_get();
    if (!rt_action_bullet(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such action item.")); return; }
    action_view(r, db, r->id[0], NULL);
}

void rt_action_post(req_t *r) {
    db_t *db = db_get();
    int64_t bullet = rt_action_bullet(db, r->id[0]);
    if (!bullet) { resp_error(r, 404, "not-found", T(r, "There is no such action item.")); return; }
    if (!rt_can_host(db, r->user, rt_bullet_table(db, bullet))) { resp_error(r, 403, "forbidden", T(r, "Only the table's hosts and the event's organisers may do this.")); return; }
    json_t *in = own(r, json_object());
    if (req_form(r, "status")) json_object_set_new(in, "status", json_string(req_form(r, "status")));
    json_object_set_new(in, "due", json_string(req_form(r, "due") ? req_form(r, "due") : ""));
    json_object_set_new(in, "owners", form_ids(r, "owners"));
    if (!str_empty(req_form(r, "note"))) json_object_set_new(in, "note", json_string(req_form(r, "note")));
    if (!str_empty(req_form(r, "note_date"))) json_object_set_new(in, "note_date", json_string(req_form(r, "note_date")));
    json_t *errors;
    int rc = rt_action_update(db, r->arena, r->lang, r->id[0], in, r->user->id, &errors);
    if (rc == 422 || rc == 409) { own(r, errors); r->status = rc; action_view(r, db, r->id[0], errors); return; }
    if (rc) { resp_error(r, 500, "db", T(r, "This could not be saved. Nothing was changed.")); return; }
    flash_set(r, "saved");
    resp_redirect(r, aprintf(r->arena, "/actions/%lld", (long long)r->id[0]));
}

/* ---- the follow-up of a series ---- */
void rt_followup_page(req_t *r) {
    db_t *db = db_get();
    const char *theme = req_query(r, "theme");
    if (theme && *theme && !ref_theme_slug_valid(theme)) { resp_error(r, 400, "bad-filter", T(r, "There is no such theme.")); return; }
    json_t *f = own(r, rt_followup(db, r->id[0], theme, r->lang));
    json_t *items = json_object_get(f, "items"), *sum = json_object_get(f, "summary");
    page_lead(r, T(r, "Action plan follow-up"),
              T(r, "Every proposal of the series' roundtables that became an action item, and what happened to it since."));
    notify_follow_id(r, "series", r->id[0]);   /* notify */
    int nt;
    option_t *to = theme_options(r, db, &nt);
    bprintf(&r->out, "<form class=\"filters\" method=\"get\" action=\"/series/%lld/followup\">", (long long)r->id[0]);
    field_select(r, "theme", T(r, "Key area"), to, nt, theme, NULL, true);
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button></p></form>", T(r, "Show"));
    bprintf(&r->out, "<section class=\"summary\"><h2>%h</h2><table class=\"counts\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
            T(r, "Summary"), T(r, "By status"), T(r, "Status"), T(r, "Action items"));
    for (int i = 0; i < 5; i++)
        bprintf(&r->out, "<tr><th scope=\"row\">%h</th><td>%lld</td></tr>", rt_action_status_label(rt_action_statuses[i], r->lang),
                (long long)jint(json_object_get(sum, "by_status"), rt_action_statuses[i]));
    bprintf(&r->out, "</tbody></table><table class=\"counts\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
            T(r, "By the owners' country"), T(r, "Country"), T(r, "Action items"));
    static const char *const cs[4] = {"SE", "NO", "both", "none"};
    for (int i = 0; i < 4; i++) {
        const char *label = i < 2 ? ref_country_name(cs[i], r->lang) : i == 2 ? T(r, "Both countries") : T(r, "No owner yet");
        bprintf(&r->out, "<tr><th scope=\"row\">%h</th><td>%lld</td></tr>", label, (long long)jint(json_object_get(sum, "by_country"), cs[i]));
    }
    buf_puts(&r->out, "</tbody></table></section>");
    bprintf(&r->out, "<section><h2>%h</h2>", T(r, "Proposals"));
    if (list_open(r, items, "cards followup", T(r, "No action items yet."))) {
        size_t i;
        json_t *a;
        json_array_foreach(items, i, a) {
            json_t *ev = json_object_get(a, "event");
            const char *al = jstr(json_object_get(a, "bullet"), "text") ? event_text_lang(r, db, jint(ev, "id")) : r->lang;
            bprintf(&r->out, "<li class=\"card\"><p><a href=\"/actions/%lld\"%s>%h</a>", (long long)jint(a, "id"), MARKUP(html_lang_attr(r, al)), action_text(r, a));
            html_lang_note(r, al);
            buf_puts(&r->out, "</p><p class=\"meta\">");
            action_badge(r, jstr(a, "status"));
            bprintf(&r->out, " · <a href=\"/events/%lld/report\">%h</a> · %h", (long long)jint(ev, "id"), jstr(ev, "title"), owner_names(r, json_object_get(a, "owners")));
            if (jstr(a, "due")) bprintf(&r->out, " · %h", aprintf_text(r->arena, T(r, "due %s"), jstr(a, "due")));
            proj_born_html(r, "action", jint(a, "id"));
            json_t *log = json_object_get(a, "log");
            json_t *last = NULL;
            size_t k;
            json_t *e;
            json_array_foreach(log, k, e) if (jstr(e, "note")) last = e;
            buf_puts(&r->out, "</p>");
            if (last) bprintf(&r->out, "<p class=\"small\">%h: %h</p>", jstr(last, "note_date") ? jstr(last, "note_date") : "", jstr(last, "note"));
            buf_puts(&r->out, "</li>");
        }
        buf_puts(&r->out, "</ul>");
    }
    buf_puts(&r->out, "</section>");
    page_end(r);
}
