/* Obstacle pages: the register with its filters, an obstacle with its history and the
 * organisations it affects, the report and edit forms, the status form, the desk on the admin page. */
#include <stdlib.h>
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "obstacles/obstacles.h"
#include "events/events.h"
#include "org/org.h"
#include "ref/ref.h"
#include "roundtables/roundtables.h"

#define REF_ROWS_MAX 10


static const char *country_label(req_t *r, const char *c) {
    if (streq(c, "both")) return T(r, "Both countries");
    return ref_country_name(c, r->lang);
}

static void status_badge(req_t *r, const char *status) {
    bprintf(&r->out, "<span class=\"status status-%h\">%h</span>", status, obs_status_label(status, r->lang));
}

static const char *when(req_t *r, const char *utc) {
    time_t t;
    return parse_utc(utc, &t) ? fmt_date(r->arena, r->lang, t) : utc;
}
static const char *when_time(req_t *r, const char *utc) {
    time_t t;
    return parse_utc(utc, &t) ? fmt_datetime(r->arena, r->lang, t) : utc;
}

/* raised: "raised at <event> on <date>" when the obstacle was raised at an event (linked to the
 * event or to one of its roundtables' bullets): the date is the event's, not the day the record
 * was entered; else "reported <date>". The event's title and link into *event_id / *title when
 * asked. A page-level use of roundtables/ and events/ (they link obstacles, not the other way). */
static const char *raised(req_t *r, db_t *db, int64_t id, const char *created_at, int64_t *event_id) {
    stmt_t *s = db_prep(db, "SELECT target_type, target_id FROM obstacle_links WHERE obstacle_id = :id AND target_type IN ('event', 'bullet') "
                            "ORDER BY at, target_id LIMIT 1");
    db_bind_int(s, ":id", id);
    int64_t ev = 0;
    if (db_step(s)) {
        int64_t target = db_int(s, 1);
        ev = streq(db_text(s, 0), "event") ? target : rt_table_event(db, rt_bullet_table(db, target));
    }
    db_reset(s);
    if (event_id) *event_id = 0;
    json_t *e = ev ? event_load(db, ev) : NULL;
    time_t t;
    if (!e || !parse_utc(json_string_value(json_object_get(e, "start_utc")), &t)) {
        json_decref(e);
        return aprintf_text(r->arena, T(r, "reported %s"), when(r, created_at));
    }
    json_decref(e);
    if (event_id) *event_id = ev;
    return aprintf_text(r->arena, T(r, "raised on %s"), fmt_date(r->arena, r->lang, t));
}

/* cut: at most max code points of s, on a character boundary, with an ellipsis */
static const char *cut(req_t *r, const char *s, size_t max) {
    if (!s || utf8_len(s) <= max) return s;
    size_t n = strlen(s), k = 0, cps = 0;
    while (k < n && cps < max - 10) { k++; while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80) k++; cps++; }
    return aprintf_text(r->arena, "%.*s…", (int)k, s);
}

static const char *who(req_t *r, json_t *user) {
    if (!user || json_is_null(user)) return T(r, "the platform");
    if (json_is_true(json_object_get(user, "deleted"))) return T(r, "a deleted user");
    return jstr(user, "name");
}

/* ---- the register ---- */
void obs_list_page(req_t *r) {
    db_t *db = db_get();
    obs_filter_t f;
    const char *bad = obs_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    obs_row_t *rows;
    int n;
    long long total = obs_search(db, r->arena, &f, &rows, &n);
    page_lead(r, T(r, "Border obstacles"),
              T(r, "Rules that make it harder to work across the Swedish–Norwegian border: reported by the people who meet them, followed up in public until they are solved."));
    buf_puts(&r->out, "<ul class=\"actions\">");
    if (r->user) bprintf(&r->out, "<li><a class=\"button\" href=\"/obstacles/new\">%h</a></li>", T(r, "Report an obstacle"));
    else bprintf(&r->out, "<li><a class=\"button\" href=\"/login?next=%%2Fobstacles%%2Fnew\">%h</a></li>", T(r, "Log in to report an obstacle"));
    bprintf(&r->out, "<li><a href=\"/obstacles.atom\" type=\"application/atom+xml\">%h</a></li></ul>\n", T(r, "Follow new obstacles (Atom feed)"));
    notify_follow_theme(r);   /* notify: the key area filtered on */
    /* filters: plain selects, so the form works without script and on a phone */
    bprintf(&r->out, "<form class=\"filters obstacle-filters\" method=\"get\" action=\"/obstacles\" role=\"search\">"
                     "<div class=\"field\"><label for=\"f-q\">%h</label><input id=\"f-q\" name=\"q\" type=\"search\" value=\"%h\"></div>",
            T(r, "Search"), f.q ? f.q : "");
    /* folded on phones so the results come first (app.js opens it where there is room) */
    facets_open(r, !!f.status + !!f.theme + !!f.country);
    buf_puts(&r->out, "<div class=\"filter-row\">");
    option_t st[7];
    st[0] = (option_t){"open", T(r, "Open (not yet solved or closed)")};
    for (int i = 0; i < 6; i++) st[i + 1] = (option_t){obs_statuses[i], obs_status_label(obs_statuses[i], r->lang)};
    field_select(r, "status", T(r, "Status"), st, 7, f.status, NULL, true);
    int nt;
    theme_t *th = ref_themes(db, r->arena, r->lang, &nt);
    option_t *to = arena_alloc(r->arena, sizeof(option_t) * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++) to[i] = (option_t){th[i].slug, th[i].name};
    field_select(r, "theme", T(r, "Key area"), to, nt, f.theme, NULL, true);
    option_t co[2] = {{"SE", ref_country_name("SE", r->lang)}, {"NO", ref_country_name("NO", r->lang)}};
    field_select(r, "country", T(r, "Felt in"), co, 2, f.country, NULL, true);
    buf_puts(&r->out, "</div>");
    facets_close(r);
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button> <a href=\"/obstacles\">%h</a></p></form>\n",
            T(r, "Show"), T(r, "Clear filters"));
    bprintf(&r->out, "<section id=\"results\" class=\"results\"><p class=\"total\">%h</p>",
            aprintf_text(r->arena, TN(r, "%s obstacle", "%s obstacles", (long)total), fmt_number(r->arena, r->lang, total)));
    if (n) {
        buf_puts(&r->out, "<ul class=\"cards obstacles\">");
        for (int i = 0; i < n; i++) {
            obs_row_t *o = &rows[i];
            bprintf(&r->out, "<li class=\"card\"><h2><a href=\"/obstacles/%lld\"%s>%h</a>", (long long)o->id, MARKUP(html_lang_attr(r, o->lang)), o->title);
            html_lang_note(r, o->lang);
            buf_puts(&r->out, "</h2><p class=\"meta\">");
            status_badge(r, o->status);
            bprintf(&r->out, " · %h · %h", country_label(r, o->country), raised(r, db, o->id, o->created_at, NULL));
            if (o->naffected)
                bprintf(&r->out, " · %h", aprintf(r->arena, TN(r, "%lld organisation affected too", "%lld organisations affected too", (long)o->naffected), o->naffected));
            if (o->demo) bprintf(&r->out, " · <span class=\"badge\">%h</span>", T(r, "Demo record"));
            bprintf(&r->out, "</p><p%s>%h</p></li>", MARKUP(html_lang_attr(r, o->lang)), cut(r, o->description, 220));
        }
        buf_puts(&r->out, "</ul>");
    } else {
        bprintf(&r->out, "<p>%h</p>", T(r, "No obstacle matches. Try fewer filters or other words."));
    }
    html_pager(r, total, f.page, f.per_page);
    buf_puts(&r->out, "</section>\n");
    page_end(r);
}

/* ---- one obstacle ---- */
static void refs_list(req_t *r, json_t *refs) {
    if (!json_array_size(refs)) return;
    bprintf(&r->out, "<h4>%h</h4><ul class=\"refs\">", T(r, "Laws and regulations"));
    size_t i;
    json_t *x;
    json_array_foreach(refs, i, x) {
        const char *url = jstr(x, "url");
        if (url) bprintf(&r->out, "<li><a href=\"%h\" rel=\"nofollow noopener\">%h</a></li>", url, jstr(x, "title"));
        else bprintf(&r->out, "<li>%h</li>", jstr(x, "title"));
    }
    buf_puts(&r->out, "</ul>");
}

/* text_section: a heading and the obstacle's text, marked with its language (lang_attr) */
static void text_section(req_t *r, const char *heading, const char *text, const char *lang_attr) {
    if (str_empty(text)) return;
    bprintf(&r->out, "<section><h2>%h</h2><p class=\"desc\"%s>%h</p></section>\n", heading, MARKUP(lang_attr), text);
}

static const char *field_label(req_t *r, const char *f) {
    static const char *const map[][2] = {
        {"title", N_("Title")}, {"description", N_("Description")}, {"themes", N_("Key areas")}, {"country", N_("Felt in")},
        {"rules_se", N_("The Swedish rules")}, {"references_se", N_("Swedish laws and regulations")},
        {"rules_no", N_("The Norwegian rules")}, {"references_no", N_("Norwegian laws and regulations")},
        {"consequences", N_("Consequences")}, {"affected", N_("Who is affected")}, {"organisation", N_("Reported for")},
        {"lang", N_("Language of the text")}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) if (!strcmp(map[i][0], f)) return T(r, map[i][1]);
    return f;
}

static void show_value(req_t *r, const char *field, json_t *v) {
    if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) || (json_is_array(v) && !json_array_size(v))) {
        bprintf(&r->out, "<em>%h</em>", T(r, "(empty)"));
        return;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        const char *lang_name = streq(s, "nb") ? T(r, "Norwegian") : streq(s, "en") ? T(r, "English") : T(r, "Swedish");
        bprintf(&r->out, "%h", streq(field, "country") ? country_label(r, s) : streq(field, "lang") ? lang_name : s);
    } else if (json_is_integer(v)) {
        const char *n = org_name(db_get(), r->arena, json_integer_value(v));
        bprintf(&r->out, "<a href=\"/organisations/%lld\">%h</a>", (long long)json_integer_value(v), n ? n : "?");
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (i) buf_puts(&r->out, "; ");
            if (json_is_object(x)) bprintf(&r->out, "%h%s%h", jstr(x, "title"), jstr(x, "url") ? " – " : "", jstr(x, "url"));
            else if (streq(field, "themes")) bprintf(&r->out, "%h", ref_theme_name(db_get(), r->arena, json_string_value(x), r->lang));
            else bprintf(&r->out, "%h", json_string_value(x));
        }
    }
}

void obs_page(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    json_t *o = api_own(r, obs_load(db, r->arena, id));
    if (!o) { resp_error(r, 404, "not-found", T(r, "There is no such obstacle.")); return; }
    page_begin(r, jstr(o, "title"));
    const char *tl = jstr(o, "lang") ? jstr(o, "lang") : "sv", *la = html_lang_attr(r, tl);   /* the text's language */
    bprintf(&r->out, "<article class=\"obstacle\"><header><p class=\"meta\"><a href=\"/obstacles\">%h</a></p><h1%s>%h</h1>",
            T(r, "Border obstacles"), MARKUP(la), jstr(o, "title"));
    if (*la)
        bprintf(&r->out, "<p class=\"lang-note\">%h</p>", streq(tl, "nb") ? T(r, "The obstacle is described in Norwegian.")
                                                       : streq(tl, "en") ? T(r, "The obstacle is described in English.") : T(r, "The obstacle is described in Swedish."));
    buf_puts(&r->out, "<p class=\"meta\">");
    status_badge(r, jstr(o, "status"));
    int64_t at_event;
    const char *raised_text = raised(r, db, id, jstr(o, "created_at"), &at_event);
    bprintf(&r->out, " · %h · %h", country_label(r, jstr(o, "country")), raised_text);
    if (at_event) {
        json_t *ev = api_own(r, event_load(db, at_event));
        json_t *tt = json_object_get(ev, "title");
        const char *title = jstr(tt, r->lang), *etl = r->lang;
        for (int i = 0; (!title || !*title) && i < 3; i++) title = jstr(tt, etl = i18n_langs[i]);
        bprintf(&r->out, " · %h <a href=\"/events/%lld\"%s>%h</a>", T(r, "at"), (long long)at_event, MARKUP(html_lang_attr(r, etl)), title ? title : "");
    }
    json_t *org = json_object_get(o, "organisation");
    if (json_is_integer(org))
        bprintf(&r->out, " · %h <a href=\"/organisations/%lld\">%h</a>", T(r, "by"), (long long)json_integer_value(org), jstr(o, "organisation_name"));
    buf_puts(&r->out, "</p>");
    if (json_is_true(json_object_get(o, "demo"))) bprintf(&r->out, "<p class=\"badge\">%h</p>", T(r, "Demo record"));
    notify_follow_id(r, "obstacle", id);   /* notify */
    buf_puts(&r->out, "</header>\n<ul class=\"actions\">");
    if (obs_can_edit(db, r->user, id)) bprintf(&r->out, "<li><a class=\"button\" href=\"/obstacles/%lld/edit\">%h</a></li>", (long long)id, T(r, "Edit"));
    if (obs_can_move(db, r->user))
        bprintf(&r->out, "<li><a class=\"button secondary\" href=\"/obstacles/%lld/status\">%h</a></li>", (long long)id, T(r, "Change status"));
    bprintf(&r->out, "<li><a href=\"/obstacles/%lld/status.atom\" type=\"application/atom+xml\">%h</a></li></ul>\n", (long long)id,
            T(r, "Follow its status (Atom feed)"));
    buf_puts(&r->out, "<div class=\"cols\"><div class=\"main-col\">");
    text_section(r, T(r, "Description"), jstr(o, "description"), la);
    /* what differs, side by side */
    bprintf(&r->out, "<section><h2>%h</h2><div class=\"sides rules\">", T(r, "What differs between the countries"));
    static const char *const side[2][3] = {{"SE", "rules_se", "references_se"}, {"NO", "rules_no", "references_no"}};
    for (int k = 0; k < 2; k++) {
        bprintf(&r->out, "<div class=\"side country-%h\"><h3>%h</h3>", side[k][0],
                k ? T(r, "In Norway") : T(r, "In Sweden"));
        const char *t = jstr(o, side[k][1]);
        if (str_empty(t) && !json_array_size(json_object_get(o, side[k][2]))) bprintf(&r->out, "<p><em>%h</em></p>", T(r, "Not described yet."));
        else if (!str_empty(t)) bprintf(&r->out, "<p class=\"desc\"%s>%h</p>", MARKUP(la), t);
        refs_list(r, json_object_get(o, side[k][2]));
        buf_puts(&r->out, "</div>");
    }
    buf_puts(&r->out, "</div></section>\n");
    text_section(r, T(r, "Consequences"), jstr(o, "consequences"), la);
    text_section(r, T(r, "Who is affected"), jstr(o, "affected"), la);
    json_t *th = json_object_get(o, "themes");
    if (json_array_size(th)) {
        bprintf(&r->out, "<section><h2>%h</h2><ul class=\"themes\">", T(r, "Key areas"));
        size_t i;
        json_t *x;
        json_array_foreach(th, i, x)
            bprintf(&r->out, "<li><a href=\"/obstacles?theme=%U\">%h</a></li>", json_string_value(x),
                    ref_theme_name(db, r->arena, json_string_value(x), r->lang));
        buf_puts(&r->out, "</ul></section>\n");
    }
    /* the status history, public */
    bprintf(&r->out, "<section id=\"history\"><h2>%h</h2><ol class=\"timeline\">", T(r, "Status history"));
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(o, "status_history"), i, h) {
        bprintf(&r->out, "<li><p><time datetime=\"%h\">%h</time> · ", jstr(h, "at"), when_time(r, jstr(h, "at")));
        if (jstr(h, "from")) {
            bprintf(&r->out, "%h ", T(r, "from"));
            status_badge(r, jstr(h, "from"));
            bprintf(&r->out, " %h ", T(r, "to"));
        }
        status_badge(r, jstr(h, "to"));
        bprintf(&r->out, " · %h</p>", aprintf_text(r->arena, T(r, "by %s"), who(r, json_object_get(h, "user"))));
        if (!str_empty(jstr(h, "comment"))) bprintf(&r->out, "<p class=\"desc\">%h</p>", jstr(h, "comment"));
        buf_puts(&r->out, "</li>");
    }
    buf_puts(&r->out, "</ol></section>\n");
    /* text versions */
    json_t *vers = json_object_get(o, "versions");
    if (json_array_size(vers) > 1) {
        bprintf(&r->out, "<section><h2>%h</h2><p>%h</p>", T(r, "Earlier versions of the text"),
                T(r, "Every edit is kept: what changed, when and by whom."));
        json_t *v;
        json_array_foreach(vers, i, v) {
            long long ver = (long long)json_integer_value(json_object_get(v, "version"));
            if (ver == 1) continue;
            bprintf(&r->out, "<details><summary>%h</summary>",
                    aprintf_text(r->arena, T(r, "Version %lld, %s by %s"), ver, when_time(r, jstr(v, "at")), who(r, json_object_get(v, "user"))));
            const char *cap = aprintf(r->arena, T(r, "Changes in version %lld"), ver);
            bprintf(&r->out, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"%h\"><table><caption class=\"visually-hidden\">%h</caption>"
                             "<thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                    cap, cap, T(r, "Field"), T(r, "Before"), T(r, "After"));
            const char *k;
            json_t *pair;
            json_object_foreach(json_object_get(v, "changes"), k, pair) {
                bprintf(&r->out, "<tr><th scope=\"row\">%h</th><td>", field_label(r, k));
                show_value(r, k, json_array_get(pair, 0));
                buf_puts(&r->out, "</td><td>");
                show_value(r, k, json_array_get(pair, 1));
                buf_puts(&r->out, "</td></tr>");
            }
            buf_puts(&r->out, "</tbody></table></div></details>");
        }
        buf_puts(&r->out, "</section>\n");
    }
    buf_puts(&r->out, "</div><aside class=\"side-col\">");
    /* organisations affected too, and the toggle for the user's own */
    json_t *aff = json_object_get(o, "affected_organisations");
    bprintf(&r->out, "<section id=\"affected\"><h2>%h</h2>", T(r, "Affects us too"));
    if (json_array_size(aff)) {
        buf_puts(&r->out, "<ul class=\"links\">");
        json_t *x;
        json_array_foreach(aff, i, x)
            bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a></li>", (long long)json_integer_value(json_object_get(x, "id")), jstr(x, "name"));
        buf_puts(&r->out, "</ul>");
    } else {
        bprintf(&r->out, "<p>%h</p>", T(r, "No other organisation has said so yet."));
    }
    if (r->user) {
        json_t *mine = api_own(r, obs_user_orgs(db, r->user->id));
        json_t *x;
        json_array_foreach(mine, i, x) {
            int64_t oid = json_integer_value(json_object_get(x, "id"));
            bool on = obs_is_affected(db, id, oid);
            form_button(r, aprintf(r->arena, "/obstacles/%lld/affected", (long long)id),
                        (const char *const[][2]){{"organisation", aprintf(r->arena, "%lld", (long long)oid)}, {"action", on ? "remove" : "add"}}, 2,
                        on ? "secondary" : "", aprintf_text(r->arena, on ? T(r, "%s is no longer affected") : T(r, "This affects %s too"), jstr(x, "name")));
            buf_putc(&r->out, ' ');
        }
        if (!json_array_size(mine))
            bprintf(&r->out, "<p class=\"small\">%h</p>", T(r, "Join your organisation's record in the directory to say that this affects it too."));
    } else {
        bprintf(&r->out, "<p class=\"small\"><a href=\"/login?next=%U\">%h</a></p>", r->path, T(r, "Log in to say that this affects your organisation too."));
    }
    buf_puts(&r->out, "</section></aside></div></article>\n");
    page_end(r);
}

/* ---- report and edit forms ---- */
/* form_doc: the posted form as an obstacle document (the API's fields) */
static json_t *form_doc(req_t *r) {
    json_t *d = json_object();
    static const char *const plain[] = {"title", "description", "country", "rules_se", "rules_no", "consequences", "affected", "lang", NULL};
    for (int i = 0; plain[i]; i++) {
        const char *v = req_form(r, plain[i]);
        json_object_set_new(d, plain[i], v ? json_string(v) : json_null());
    }
    json_object_set_new(d, "themes", form_strings(r, "themes"));
    static const char *const sides[2][2] = {{"se", "references_se"}, {"no", "references_no"}};
    for (int k = 0; k < 2; k++) {
        json_t *refs = json_array();
        for (int i = 0; i < REF_ROWS_MAX + 2; i++) {
            const char *t = req_form(r, aprintf_text(r->arena, "ref_%s_title_%d", sides[k][0], i));
            const char *u = req_form(r, aprintf_text(r->arena, "ref_%s_url_%d", sides[k][0], i));
            if (str_empty(trim(r->arena, t)) && str_empty(trim(r->arena, u))) continue;
            json_array_append_new(refs, json_pack("{s:s, s:s}", "title", t ? t : "", "url", u ? u : ""));
        }
        json_object_set_new(d, sides[k][1], refs);
    }
    long long org;
    const char *ov = req_form(r, "organisation");
    if (str_empty(ov)) json_object_set_new(d, "organisation", json_null());
    else if (parse_int(ov, 1, INT64_MAX, &org)) json_object_set_new(d, "organisation", json_integer(org));
    else json_object_set_new(d, "organisation", json_string(ov));
    return d;
}

static void textarea_required(req_t *r, const char *name, const char *label, const char *value, json_t *errors, const char *hint) {
    const char *e = error_text(errors, name);
    form_label(r, name, label);
    bprintf(&r->out, "<div class=\"field%s\"><label for=\"f-%h\">%h <span class=\"req\">(%h)</span></label>", e ? " invalid" : "", name, label,
            T(r, "required"));
    if (hint) bprintf(&r->out, "<p class=\"hint\" id=\"h-%h\">%h</p>", name, hint);
    if (e) bprintf(&r->out, "<p class=\"field-error\" id=\"e-%h\">%h</p>", name, e);
    bprintf(&r->out, "<textarea id=\"f-%h\" name=\"%h\" rows=\"6\" required aria-describedby=\"%s%s\"%s>%h</textarea></div>\n", name, name,
            hint ? aprintf(r->arena, "h-%h ", name) : "", e ? aprintf(r->arena, "e-%h", name) : "", e ? " aria-invalid=\"true\"" : "",
            value ? value : "");
}

static void refs_fields(req_t *r, const char *side, const char *field, const char *legend, json_t *refs, json_t *errors) {
    const char *e = error_text(errors, field);
    form_label(r, field, legend);
    bprintf(&r->out, "<fieldset id=\"f-%h\" class=\"refs%s\"><legend>%h</legend><p class=\"hint\">%h</p>", field, e ? " invalid" : "", legend,
            T(r, "The name of the law or regulation and the section, and a link to it if there is one."));
    if (e) bprintf(&r->out, "<p class=\"field-error\" id=\"e-%h\">%h</p>", field, e);
    int rows = (int)json_array_size(refs) + 2;
    if (rows > REF_ROWS_MAX) rows = REF_ROWS_MAX;
    for (int i = 0; i < rows; i++) {
        json_t *x = json_array_get(refs, (size_t)i);
        bprintf(&r->out, "<div class=\"ref-row\"><p class=\"sub\">%h %d</p>", T(r, "Reference"), i + 1);
        field_text(r, aprintf_text(r->arena, "ref_%s_title_%d", side, i), T(r, "Law or regulation"), jstr(x, "title"), NULL, "text", NULL, false);
        field_text(r, aprintf_text(r->arena, "ref_%s_url_%d", side, i), T(r, "Web address"), jstr(x, "url"), NULL, "url", NULL, false);
        buf_puts(&r->out, "</div>");
    }
    buf_puts(&r->out, "</fieldset>\n");
}

static void obs_form(req_t *r, const char *action, json_t *o, json_t *errors, bool is_new) {
    db_t *db = db_get();
    form_errors_summary(r, errors);
    form_open(r, action);
    if (!is_new) doc_form_version(r, o);
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "The obstacle"));
    field_text(r, "title", T(r, "Title"), jstr(o, "title"), errors, "text", T(r, "A short name for the obstacle, e.g. “Land-based fish farms excluded from regional investment aid”."), true);
    textarea_required(r, "description", T(r, "Description"), jstr(o, "description"), errors, T(r, "What happens, where and when it shows."));
    option_t co[3] = {{"SE", T(r, "In Sweden")}, {"NO", T(r, "In Norway")}, {"both", T(r, "In both countries")}};
    field_select(r, "country", T(r, "Where is it felt?"), co, 3, jstr(o, "country"), errors, true);
    /* the language the text is written in, the user's first: pages in other languages mark it */
    option_t lo[3] = {{"sv", T(r, "Swedish")}, {"nb", T(r, "Norwegian")}, {"en", T(r, "English")}};
    int first = streq(r->lang, "nb") ? 1 : streq(r->lang, "en") ? 2 : 0;
    if (first) { option_t t = lo[0]; lo[0] = lo[first]; lo[first] = t; }
    field_select(r, "lang", T(r, "Language of the text"), lo, 3, jstr(o, "lang") ? jstr(o, "lang") : r->lang, errors, false);
    int nt;
    theme_t *th = ref_themes(db, r->arena, r->lang, &nt);
    option_t *to = arena_alloc(r->arena, sizeof(option_t) * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++) to[i] = (option_t){th[i].slug, th[i].name};
    json_t *cur = json_object_get(o, "themes");
    const char **checked = arena_alloc(r->arena, sizeof(char *) * (json_array_size(cur) + 1));
    size_t i;
    json_t *x;
    json_array_foreach(cur, i, x) checked[i] = json_string_value(x);
    field_checks(r, "themes", T(r, "Sector and key areas"), to, nt, checked, (int)json_array_size(cur), errors);
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "What differs between the Swedish and the Norwegian rules"));
    field_textarea(r, "rules_se", T(r, "The Swedish rules"), jstr(o, "rules_se"), errors, T(r, "What the rules say on the Swedish side."));
    refs_fields(r, "se", "references_se", T(r, "Swedish laws and regulations"), json_object_get(o, "references_se"), errors);
    field_textarea(r, "rules_no", T(r, "The Norwegian rules"), jstr(o, "rules_no"), errors, T(r, "What the rules say on the Norwegian side."));
    refs_fields(r, "no", "references_no", T(r, "Norwegian laws and regulations"), json_object_get(o, "references_no"), errors);
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "Who meets it and what it costs"));
    field_textarea(r, "consequences", T(r, "Consequences"), jstr(o, "consequences"), errors, T(r, "What it costs, what does not happen because of it."));
    field_textarea(r, "affected", T(r, "Who is affected"), jstr(o, "affected"), errors, T(r, "Which companies, sectors or people meet it."));
    /* the reporting organisation: one of the user's, or the one already chosen */
    json_t *mine = api_own(r, obs_user_orgs(db, r->user->id));
    json_t *org = json_object_get(o, "organisation");
    int64_t cur_org = json_is_integer(org) ? json_integer_value(org) : 0;
    option_t *oo = arena_alloc(r->arena, sizeof(option_t) * (json_array_size(mine) + 2));
    int no = 0;
    bool cur_in = false;
    json_array_foreach(mine, i, x) {
        int64_t oid = json_integer_value(json_object_get(x, "id"));
        if (oid == cur_org) cur_in = true;
        oo[no++] = (option_t){aprintf(r->arena, "%lld", (long long)oid), jstr(x, "name")};
    }
    if (cur_org && !cur_in) {
        const char *n = org_name(db, r->arena, cur_org);
        oo[no++] = (option_t){aprintf(r->arena, "%lld", (long long)cur_org), n ? n : "?"};
    }
    if (no) field_select(r, "organisation", T(r, "Report it for your organisation"), oo, no, cur_org ? aprintf(r->arena, "%lld", (long long)cur_org) : NULL, errors, true);
    else bprintf(&r->out, "<p class=\"hint\">%h</p>", T(r, "You can report it for your organisation once you are a member of its record in the directory."));
    buf_puts(&r->out, "</fieldset>\n");
    form_close(r, is_new ? T(r, "Report the obstacle") : T(r, "Save changes"));
}

void obs_new_page(req_t *r) {
    page_lead(r, T(r, "Report an obstacle"),
              T(r, "Describe a rule or practice that makes it harder to work across the border. The report is public; the obstacle desk follows it up."));
    obs_form(r, "/obstacles/new", api_own(r, json_object()), NULL, true);
    page_end(r);
}

static void new_form(req_t *r, json_t *in, json_t *errors) { obs_form(r, "/obstacles/new", in, errors, true); }

void obs_create_post(req_t *r) {
    doc_page_create_post(r, &obs_kind, T(r, "Report an obstacle"), api_own(r, form_doc(r)), new_form, "obstacle-reported", "/obstacles");
}

void obs_edit_page(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &obs_kind)) return;
    json_t *o = api_own(r, obs_load(db, r->arena, r->id[0]));
    doc_page_edit_head(r, jstr(o, "title"), aprintf(r->arena, "/obstacles/%lld", (long long)r->id[0]), T(r, "Back to the obstacle"),
                       T(r, "Every version of the text is kept."));
    obs_form(r, aprintf(r->arena, "/obstacles/%lld/edit", (long long)r->id[0]), o, NULL, false);
    page_end(r);
}

static void edit_form(req_t *r, json_t *in, json_t *errors) { obs_form(r, aprintf(r->arena, "/obstacles/%lld/edit", (long long)r->id[0]), in, errors, false); }

void obs_edit_post(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &obs_kind)) return;
    json_t *base = api_own(r, obs_load(db, r->arena, r->id[0]));
    doc_page_edit_post(r, &obs_kind, api_own(r, form_doc(r)), base, jstr(base, "title"), edit_form,
                       aprintf(r->arena, "/obstacles/%lld", (long long)r->id[0]));
}

/* ---- the status form ---- */
static void status_form(req_t *r, json_t *o, json_t *errors) {
    const char *cur = jstr(o, "status");
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Change status"), jstr(o, "title")));
    bprintf(&r->out, "<h1>%h</h1><p><a href=\"/obstacles/%lld\">%h</a></p><p>%h ", jstr(o, "title"), (long long)r->id[0],
            T(r, "Back to the obstacle"), T(r, "Current status:"));
    status_badge(r, cur);
    bprintf(&r->out, "</p><p class=\"lead\">%h</p>", T(r, "The change, your name and your comment are shown publicly in the obstacle's history."));
    option_t opts[6];
    int n = 0;
    for (int i = 0; i < 6; i++)
        if (obs_move_allowed(cur, obs_statuses[i])) opts[n++] = (option_t){obs_statuses[i], obs_status_label(obs_statuses[i], r->lang)};
    form_errors_summary(r, errors);
    form_open(r, aprintf(r->arena, "/obstacles/%lld/status", (long long)r->id[0]));
    field_select(r, "status", T(r, "New status"), opts, n, req_form(r, "status"), errors, true);
    field_textarea(r, "comment", T(r, "Comment"), req_form(r, "comment"), errors,
                   T(r, "Why, and what happens next: e.g. which authority it was raised with."));
    form_close(r, T(r, "Change status"));
    page_end(r);
}

static bool check_move(req_t *r, db_t *db) {
    if (!obs_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such obstacle.")); return false; }
    if (!obs_can_move(db, r->user)) {
        resp_error(r, 403, "forbidden", T(r, "Only the obstacle desk and platform administrators may change the status."));
        return false;
    }
    return true;
}

void obs_status_page(req_t *r) {
    db_t *db = db_get();
    if (!check_move(r, db)) return;
    status_form(r, api_own(r, obs_load(db, r->arena, r->id[0])), NULL);
}

/* move_error: the message for a move the workflow does not allow, naming where it can go */
static const char *move_error(req_t *r, const char *from, const char *to) {
    buf_t b;
    buf_init(&b, r->arena);
    for (int i = 0; i < 6; i++)
        if (obs_move_allowed(from, obs_statuses[i])) bprintf_text(&b, "%s%s", b.len ? ", " : "", obs_status_label(obs_statuses[i], r->lang));
    return aprintf_text(r->arena, T(r, "An obstacle with the status “%s” cannot move to “%s”. From here it can move to: %s."),
                   obs_status_label(from, r->lang), obs_status_label(to, r->lang), b.data);
}

void obs_status_post(req_t *r) {
    db_t *db = db_get();
    if (!check_move(r, db)) return;
    const char *to = req_form(r, "status");
    const char *comment = trim(r->arena, req_form(r, "comment"));
    json_t *e = api_own(r, json_object());
    if (!obs_status_valid(to)) json_object_set_new(e, "status", json_string(T(r, "Choose the new status.")));
    if (comment && utf8_len(comment) > 2000) json_object_set_new(e, "comment", json_string(T(r, "This text is too long.")));
    if (json_object_size(e)) {
        r->status = 422;
        status_form(r, api_own(r, obs_load(db, r->arena, r->id[0])), e);
        return;
    }
    const char *from;
    int rc = obs_move(db, r->arena, r->id[0], to, comment, r->user->id, &from);
    if (rc == 404) { resp_error(r, 404, "not-found", T(r, "There is no such obstacle.")); return; }
    if (rc == 409) { resp_error(r, 409, "status-not-allowed", move_error(r, from, to)); return; }
    if (rc) { resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    flash_set(r, "obstacle-status");
    resp_redirect(r, aprintf(r->arena, "/obstacles/%lld#history", (long long)r->id[0]));
}

/* ---- affects us too ---- */
void obs_affected_post(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    if (!obs_exists(db, id)) { resp_error(r, 404, "not-found", T(r, "There is no such obstacle.")); return; }
    long long org;
    if (!parse_int(req_form(r, "organisation"), 1, INT64_MAX, &org) || !org_exists(db, org)) {
        resp_error(r, 404, "not-found", T(r, "There is no such organisation."));
        return;
    }
    if (org_role(db, org, r->user->id) < ROLE_MEMBER) {
        resp_error(r, 403, "forbidden", T(r, "Only members of the organisation may say that it is affected."));
        return;
    }
    const char *action = req_form(r, "action");
    if (!streq(action, "add") && !streq(action, "remove")) { resp_error(r, 400, "bad-action", T(r, "Unknown action.")); return; }
    if (!obs_affected_set(db, r->arena, id, org, r->user->id, streq(action, "add"))) {
        resp_error(r, 500, "db", T(r, "The change could not be saved."));
        return;
    }
    flash_set(r, streq(action, "add") ? "obstacle-affected" : "obstacle-unaffected");
    resp_redirect(r, aprintf(r->arena, "/obstacles/%lld#affected", (long long)id));
}

/* ---- the obstacle desk, on the admin page ---- */
void obs_admin_section(req_t *r) {
    db_t *db = db_get();
    int n;
    int64_t *ids = obs_desk_list(db, r->arena, &n);
    bprintf(&r->out, "<section class=\"narrow\" id=\"desk\"><h2>%h</h2><p>%h</p>", T(r, "Obstacle desk"),
            T(r, "People on the obstacle desk move border obstacles through the workflow and may edit their text."));
    if (n) {
        buf_puts(&r->out, "<ul class=\"links\">");
        for (int i = 0; i < n; i++) {
            user_t *u = user_load(db, r->arena, ids[i]);
            if (!u) continue;
            bprintf(&r->out, "<li>%h <span class=\"small\">%h</span> ", u->name, u->email);
            form_button(r, "/admin/obstacle-desk", (const char *const[][2]){{"email", u->email}, {"action", "remove"}}, 2, "secondary",
                        aprintf_text(r->arena, T(r, "Remove %s from the desk"), u->name));
            buf_puts(&r->out, "</li>");
        }
        buf_puts(&r->out, "</ul>");
    } else {
        bprintf(&r->out, "<p>%h</p>", T(r, "Nobody is on the desk yet: only platform administrators can move obstacles."));
    }
    form_open(r, "/admin/obstacle-desk");
    buf_puts(&r->out, "<input type=\"hidden\" name=\"action\" value=\"add\">");
    field_text(r, "email", T(r, "E-mail of the person to add"), NULL, NULL, "email", NULL, true);
    form_close(r, T(r, "Add to the obstacle desk"));
    buf_puts(&r->out, "</section>");
}

void obs_desk_post(req_t *r) {
    db_t *db = db_get();
    const char *email = trim(r->arena, req_form(r, "email"));
    const char *action = req_form(r, "action");
    if (!streq(action, "add") && !streq(action, "remove")) { resp_error(r, 400, "bad-action", T(r, "Unknown action.")); return; }
    int64_t uid = str_empty(email) ? 0 : user_by_email(db, email);
    if (!uid) { resp_error(r, 404, "not-found", T(r, "There is no user with this e-mail address.")); return; }
    if (!obs_desk_set(db, r->arena, uid, r->user->id, streq(action, "add"))) {
        resp_error(r, 500, "db", T(r, "The change could not be saved."));
        return;
    }
    flash_set(r, "desk");
    resp_redirect(r, "/admin#desk");
}
