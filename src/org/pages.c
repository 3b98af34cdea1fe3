/* Organisation pages: home, directory, profile, create/edit, history and revert. */
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "account/auth.h"
#include "html/feed.h"
#include "html/graphics.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "events/events.h"
#include "org/org.h"
#include "projects/projects.h"
#include "org/orgnr.h"
#include "org/query.h"
#include "obstacles/obstacles.h"
#include "ref/ref.h"
#include "translate/translate.h"
#include "roundtables/roundtables.h"



static const char *muni_label(req_t *r, const char *country, const char *code) {
    const municipality_t *m = ref_municipality(country, code);
    if (!m) return code ? code : "";
    const county_t *c = ref_county(country, m->county);
    return aprintf_text(r->arena, "%s, %s", m->name, c ? c->name : "");
}

/* ---- cards used by the home page and the directory ---- */
static void org_card(req_t *r, const org_row_t *o) {
    bprintf(&r->out, "<li class=\"card\"><h3><a href=\"/organisations/%lld\">%h</a></h3>", (long long)o->id, o->name);
    bprintf(&r->out, "<p class=\"meta\"><span class=\"country country-%h\">%h</span> · %h · %h%s</p>", o->country,
            ref_country_name(o->country, r->lang), ref_kind_label(o->kind, r->lang),
            muni_label(r, o->country, o->municipality),
            streq(o->status, "active") ? "" : aprintf(r->arena, " · <strong>%h</strong>", T(r, "Dissolved")));
    if (o->summary && *o->summary) {
        size_t n = strlen(o->summary);
        const char *s = o->summary;
        if (utf8_len(s) > 180) { /* cut on a character boundary */
            size_t k = 0, cps = 0;
            while (k < n && cps < 170) { k++; while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80) k++; cps++; }
            s = aprintf_text(r->arena, "%.*s…", (int)k, s);
        }
        if (strcmp(o->summary_lang, r->lang)) {
            bprintf(&r->out, "<p lang=\"%h\">%h", o->summary_lang, s);
            html_lang_note(r, o->summary_lang);
            buf_puts(&r->out, "</p>");
        }
        else bprintf(&r->out, "<p>%h</p>", s);
    }
    buf_puts(&r->out, "</li>\n");
}

/* home_event_item: one coming event as a line with its date */
static void home_event_item(req_t *r, const event_row_t *e) {
    bprintf(&r->out, "<li><a href=\"/events/%lld\"%s>%h</a>", (long long)e->id,
            streq(e->title_lang, r->lang) ? "" : aprintf(r->arena, " lang=\"%h\"", e->title_lang), e->title);
    html_lang_note(r, e->title_lang);
    bprintf(&r->out, " <span class=\"small\">%h · %h</span></li>", fmt_date(r->arena, r->lang, e->start), ref_country_name(e->country, r->lang));
}

/* home_member: for a logged-in member: their organisations, their coming events, invitations waiting */
static void home_member(req_t *r, db_t *db) {
    json_t *pd = api_own(r, org_personal_data(db, r->user->id));
    json_t *ms = json_object_get(pd, "memberships");
    bprintf(&r->out, "<section class=\"home-member\" aria-labelledby=\"mine-h\"><h2 id=\"mine-h\">%h</h2><div class=\"home-grid\">", T(r, "For you"));
    bprintf(&r->out, "<div><h3>%h</h3>", T(r, "Your organisations"));
    if (!json_array_size(ms))
        bprintf(&r->out, "<p>%h</p><p><a href=\"/organisations/new\">%h</a></p>", T(r, "You are not a member of any organisation yet: join one or add yours first."),
                T(r, "Add your organisation"));
    else {
        buf_puts(&r->out, "<ul class=\"plain\">");
        size_t i;
        json_t *x;
        json_array_foreach(ms, i, x)
            bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a></li>", (long long)json_integer_value(json_object_get(x, "organisation")), jstr(x, "name"));
        buf_puts(&r->out, "</ul>");
    }
    bprintf(&r->out, "</div><div><h3>%h</h3>", T(r, "Your coming events"));
    int shown = 0;
    size_t i;
    json_t *x;
    json_array_foreach(ms, i, x) {
        event_filter_t ef = {.from = now_unix(), .to = now_unix() + 366L * 86400, .org = json_integer_value(json_object_get(x, "organisation")), .limit = 5};
        event_row_t *ev;
        int n = event_list(db, r->arena, &ef, r->lang, &ev);
        for (int k = 0; k < n && shown < 8; k++) {
            if (!shown) buf_puts(&r->out, "<ul class=\"plain\">");
            shown++;
            home_event_item(r, &ev[k]);
        }
    }
    if (shown) buf_puts(&r->out, "</ul>");
    else bprintf(&r->out, "<p>%h</p>", T(r, "No events planned yet."));
    bprintf(&r->out, "<p><a href=\"/events/new\">%h</a></p></div><div><h3>%h</h3>", T(r, "Add event"), T(r, "Invitations waiting"));
    json_t *inv = api_own(r, event_invitations_for_user(db, r->arena, r->user, r->lang));
    int pending = 0;
    json_array_foreach(inv, i, x) pending += streq(jstr(x, "status"), "pending");
    if (pending)
        bprintf(&r->out, "<p><a href=\"/inbox\">%h</a></p>",
                aprintf_text(r->arena, TN(r, "%d invitation waiting for your answer", "%d invitations waiting for your answer", pending), pending));
    else bprintf(&r->out, "<p>%h</p>", T(r, "No invitations."));
    buf_puts(&r->out, "</div></div></section>\n");
}

/* home_happening: what is happening: coming events and the board, open border obstacles, the latest
 * report and its action plan */
static void home_happening(req_t *r, db_t *db) {
    bprintf(&r->out, "<section class=\"home-happening\" aria-labelledby=\"now-h\"><h2 id=\"now-h\">%h</h2><div class=\"home-grid\">", T(r, "What is happening"));
    event_filter_t ef = {.from = now_unix(), .to = now_unix() + 183L * 86400, .limit = 4};
    event_row_t *ev;
    int n = event_list(db, r->arena, &ef, r->lang, &ev);
    bprintf(&r->out, "<div><h3>%h</h3>", T(r, "Coming events"));
    if (n) {
        buf_puts(&r->out, "<ul class=\"plain\">");
        for (int k = 0; k < n; k++) home_event_item(r, &ev[k]);
        buf_puts(&r->out, "</ul>");
    } else bprintf(&r->out, "<p>%h</p>", T(r, "Nothing planned yet."));
    bprintf(&r->out, "<p><a href=\"/events\">%h</a> · <a href=\"/events/board\">%h</a></p></div>", T(r, "Calendar"), T(r, "The coordination board"));
    obs_filter_t of = {.status = "open", .page = 1, .per_page = 3};
    obs_row_t *ob;
    int no;
    long long total = obs_search(db, r->arena, &of, &ob, &no);
    bprintf(&r->out, "<div><h3>%h</h3>", T(r, "Border obstacles"));
    if (no) {
        buf_puts(&r->out, "<ul class=\"plain\">");
        for (int k = 0; k < no; k++) {
            bprintf(&r->out, "<li><a href=\"/obstacles/%lld\"%s>%h</a>", (long long)ob[k].id, MARKUP(html_lang_attr(r, ob[k].lang)), ob[k].title);
            html_lang_note(r, ob[k].lang);
            buf_puts(&r->out, "</li>");
        }
        buf_puts(&r->out, "</ul>");
    }
    bprintf(&r->out, "<p><a href=\"/obstacles\">%h</a></p></div>",
            aprintf_text(r->arena, TN(r, "All %lld open obstacles", "All %lld open obstacles", (long)total), total));
    /* the latest held event with roundtables: its report and action plan */
    event_filter_t pf = {.from = 0, .to = now_unix()};
    event_row_t *past;
    int np = event_list(db, r->arena, &pf, r->lang, &past);
    int64_t latest = 0;
    for (int k = np - 1; k >= 0 && !latest; k--) {
        int nt;
        if (past[k].end <= now_unix() && (rt_table_ids(db, r->arena, past[k].id, &nt), nt > 0)) latest = k + 1;
    }
    if (latest) {
        const event_row_t *e = &past[latest - 1];
        json_t *full = api_own(r, event_load(db, e->id));
        json_t *series = json_object_get(full, "series");
        bprintf(&r->out, "<div><h3>%h</h3><p><a href=\"/events/%lld\"%s>%h</a>", T(r, "The latest report"), (long long)e->id,
                streq(e->title_lang, r->lang) ? "" : aprintf(r->arena, " lang=\"%h\"", e->title_lang), e->title);
        html_lang_note(r, e->title_lang);
        bprintf(&r->out, " <span class=\"small\">%h</span></p><p><a href=\"/events/%lld/report\">%h</a>", fmt_date(r->arena, r->lang, e->start),
                (long long)e->id, T(r, "Report"));
        if (json_is_object(series))
            bprintf(&r->out, " · <a href=\"/series/%lld/followup\">%h</a>", (long long)json_integer_value(json_object_get(series, "id")),
                    T(r, "The action plan and its follow-up"));
        buf_puts(&r->out, "</p></div>");
    }
    buf_puts(&r->out, "</div></section>\n");
}

void org_home_page(req_t *r) {
    db_t *db = db_get();
    page_begin(r, T(r, "Cross-border innovation for Sweden and Norway"));
    bprintf(&r->out, "<section class=\"hero\"><h1>%h</h1><p class=\"lead\">%h</p>"
                     "<form class=\"search\" action=\"/organisations\" method=\"get\" role=\"search\">"
                     "<label for=\"home-q\">%h</label><div class=\"row\"><input id=\"home-q\" name=\"q\" type=\"search\" "
                     "placeholder=\"%h\"><button type=\"submit\">%h</button></div></form></section>\n",
            T(r, "Find partners across the border"),
            T(r, "Gränslös brings clusters, companies and regional developers in Sweden and Norway together: find partners, plan activities and build projects."),
            T(r, "Search organisations"), T(r, "e.g. packaging, solar energy, tourism"), T(r, "Search"));
    if (r->user) home_member(r, db);
    home_happening(r, db);
    /* counts per country */
    long long counts[2] = {0, 0};
    stmt_t *s = db_prep(db, "SELECT country, count(*) FROM organisations WHERE status = 'active' GROUP BY country");
    while (db_step(s)) counts[streq(db_text(s, 0), "NO")] = db_int(s, 1);
    bprintf(&r->out, "<section aria-labelledby=\"stats-h\"><h2 id=\"stats-h\">%h</h2><ul class=\"stats\">", T(r, "The directory"));
    const char *cc[2] = {"SE", "NO"};
    for (int i = 0; i < 2; i++)
        bprintf(&r->out, "<li class=\"stat country-%h\"><a href=\"/organisations?country=%h\"><span class=\"num\">%h</span> %h</a></li>",
                cc[i], cc[i], fmt_number(r->arena, r->lang, counts[i]),
                aprintf_text(r->arena, TN(r, "organisation in %s", "organisations in %s", (long)counts[i]), ref_country_name(cc[i], r->lang)));
    buf_puts(&r->out, "</ul></section>\n");
    /* newest on each side */
    bprintf(&r->out, "<section aria-labelledby=\"new-h\"><h2 id=\"new-h\">%h</h2><div class=\"sides\">", T(r, "New on each side of the border"));
    for (int i = 0; i < 2; i++) {
        org_filter_t f = {.country = cc[i], .sort = "newest", .page = 1, .per_page = 5};
        org_row_t *rows;
        int n;
        org_search(db, r->arena, &f, r->lang, &rows, &n);
        bprintf(&r->out, "<div class=\"side country-%h\"><h3>%h</h3><ul class=\"cards\">", cc[i], ref_country_name(cc[i], r->lang));
        for (int k = 0; k < n; k++) org_card(r, &rows[k]);
        bprintf(&r->out, "</ul><p><a href=\"/organisations?country=%h&amp;sort=newest\">%h</a></p></div>", cc[i],
                aprintf_text(r->arena, T(r, "All organisations in %s"), ref_country_name(cc[i], r->lang)));
    }
    buf_puts(&r->out, "</div></section>\n");
    /* where they are: a map, and the same as a list of places */
    map_dot_t dots[400];
    int nd = 0;
    stmt_t *m = db_prep(db, "SELECT country, municipality, count(*) FROM organisations WHERE status = 'active' "
                            "AND municipality IS NOT NULL GROUP BY country, municipality ORDER BY 3 DESC, 1, 2");
    while (db_step(m) && nd < 400) {
        const municipality_t *mu = ref_municipality(db_text(m, 0), db_text(m, 1));
        if (!mu) continue;
        long long c = db_int(m, 2);
        dots[nd++] = (map_dot_t){mu->country, mu->code, c, aprintf_text(r->arena, "%s: %lld", mu->name, c)};
    }
    db_reset(m);
    bprintf(&r->out, "<section aria-labelledby=\"map-h\" class=\"where\"><h2 id=\"map-h\">%h</h2><div class=\"map-wrap\"><figure>",
            T(r, "Where the organisations are"));
    map_svg(r, T(r, "Map of Sweden and Norway with a dot for each municipality that has organisations in the directory; the largest are listed next to it."),
            dots, nd);
    bprintf(&r->out, "</figure><div><h3>%h</h3><ol class=\"places\">", T(r, "Most organisations"));
    for (int i = 0; i < nd && i < 10; i++) {
        const municipality_t *mu = ref_municipality(dots[i].country, dots[i].municipality);
        bprintf(&r->out, "<li><a href=\"/organisations?country=%h&amp;municipality=%h\">%h</a> "
                         "<span class=\"country country-%h\">%h</span> <span class=\"count\">%lld</span></li>",
                mu->country, mu->code, mu->name, mu->country, ref_country_name(mu->country, r->lang), dots[i].count);
    }
    buf_puts(&r->out, "</ol></div></div></section>\n");
    /* key areas: counts per country as a chart and as a table, and links */
    int nt;
    theme_t *th = ref_themes(db, r->arena, r->lang, &nt);
    bar_row_t *rows = arena_alloc(r->arena, sizeof(bar_row_t) * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++) {
        rows[i].label = th[i].name;
        stmt_t *c = db_prep(db, "SELECT o.country, count(*) FROM org_themes t JOIN organisations o ON o.id = t.org_id "
                                "WHERE t.theme = :t AND o.status = 'active' GROUP BY o.country");
        db_bind_text(c, ":t", th[i].slug);
        while (db_step(c)) {
            if (streq(db_text(c, 0), "SE")) rows[i].a = db_int(c, 1);
            else rows[i].b = db_int(c, 1);
        }
    }
    bprintf(&r->out, "<section aria-labelledby=\"themes-h\"><h2 id=\"themes-h\">%h</h2>", T(r, "Key areas"));
    bprintf(&r->out, "<figure class=\"chart-wrap\">");
    bars_svg(r, T(r, "Organisations per key area in Sweden and Norway"), ref_country_name("SE", r->lang),
             ref_country_name("NO", r->lang), rows, nt);
    bprintf(&r->out, "<figcaption>%h</figcaption></figure>", T(r, "Organisations per key area in Sweden and Norway"));
    bprintf(&r->out, "<details><summary>%h</summary><div class=\"table-wrap\"><table><thead><tr><th scope=\"col\">%h</th>"
                     "<th scope=\"col\" class=\"num\">%h</th><th scope=\"col\" class=\"num\">%h</th></tr></thead><tbody>",
            T(r, "Show the figures as a table"), T(r, "Key area"), ref_country_name("SE", r->lang), ref_country_name("NO", r->lang));
    for (int i = 0; i < nt; i++)
        bprintf(&r->out, "<tr><th scope=\"row\"><a href=\"/organisations?theme=%U\">%h</a></th><td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>",
                th[i].slug, th[i].name, rows[i].a, rows[i].b);
    buf_puts(&r->out, "</tbody></table></div></details><ul class=\"themes\">");
    for (int i = 0; i < nt; i++)
        bprintf(&r->out, "<li><a href=\"/organisations?theme=%U\">%h <span class=\"count\">%lld</span></a></li>", th[i].slug,
                th[i].name, rows[i].a + rows[i].b);
    buf_puts(&r->out, "</ul></section>\n");
    page_end(r);
}

/* ---- directory ---- */
static const char *const facet_keys[] = {"country", "kind", "theme", "county", "industry", "municipality", NULL};

/* nvalues: how many values a comma-separated filter lists */
static int nvalues(const char *list) {
    if (!list || !*list) return 0;
    int n = 1;
    for (const char *p = list; *p; p++) n += *p == ',';
    return n;
}

/* csv_cell: one RFC 4180 field, formula-safe (a leading =, +, -, @, tab or CR is quoted away) */
static void csv_cell(buf_t *b, const char *s, bool last) {
    if (!s) s = "";
    buf_putc(b, '"');
    if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r') buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"') buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
    buf_puts(b, last ? "\r\n" : ",");
}

/* GET /organisations.csv: the directory with the page's filters and order, every page, as CSV */
void org_directory_csv(req_t *r) {
    db_t *db = db_get();
    org_filter_t f;
    const char *bad = org_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    buf_t b;
    buf_init(&b, r->arena);
    buf_puts(&b, "");
    const char *heads[8] = {T(r, "Name"), T(r, "Country"), T(r, "Kind"), T(r, "Municipality"), T(r, "County"), T(r, "Status"), T(r, "Profile on Gränslös"), T(r, "Description")};
    for (int i = 0; i < 8; i++) csv_cell(&b, heads[i], i == 7);
    f.per_page = 100;
    for (f.page = 1; f.page <= 1000; f.page++) {
        org_row_t *rows;
        int n;
        long long total = org_search(db, r->arena, &f, r->lang, &rows, &n);
        for (int i = 0; i < n; i++) {
            const municipality_t *m = rows[i].municipality ? ref_municipality(rows[i].country, rows[i].municipality) : NULL;
            const county_t *c = rows[i].county ? ref_county(rows[i].country, rows[i].county) : NULL;
            csv_cell(&b, rows[i].name, false);
            csv_cell(&b, ref_country_name(rows[i].country, r->lang), false);
            csv_cell(&b, ref_kind_label(rows[i].kind, r->lang), false);
            csv_cell(&b, m ? m->name : rows[i].municipality, false);
            csv_cell(&b, c ? c->name : rows[i].county, false);
            csv_cell(&b, streq(rows[i].status, "active") ? T(r, "Active") : T(r, "Dissolved"), false);
            csv_cell(&b, aprintf_text(r->arena, "%s/organisations/%lld", base_url(r), (long long)rows[i].id), false);
            csv_cell(&b, rows[i].summary, true);
        }
        if (!n || (long long)f.page * f.per_page >= total) break;
    }
    buf_puts(&r->out, b.data);
    r->ctype = "text/csv; charset=utf-8";
    resp_header(r, "Content-Disposition", "attachment; filename=\"organisations.csv\"");
}

void org_directory_page(req_t *r) {
    db_t *db = db_get();
    org_filter_t f;
    const char *bad = org_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    org_row_t *rows;
    int n;
    long long total = org_search(db, r->arena, &f, r->lang, &rows, &n);
    json_t *facets = api_own(r, org_facets(db, r->arena, &f, r->lang));
    page_begin(r, T(r, "Organisations"));
    bprintf(&r->out, "<h1>%h</h1>\n<div class=\"directory\">\n<form class=\"filters\" method=\"get\" action=\"/organisations\" role=\"search\">"
                     "<div class=\"field\"><label for=\"q\">%h</label><input id=\"q\" name=\"q\" type=\"search\" value=\"%h\" "
                     "autocomplete=\"off\" data-live=\"results\"></div>\n",
            T(r, "Organisations"), T(r, "Search"), f.q ? f.q : "");
    facets_open(r, nvalues(f.country) + nvalues(f.kind) + nvalues(f.theme) + nvalues(f.county) + nvalues(f.industry));
    html_facet(r, facets, "country", T(r, "Country"), f.country);
    html_facet(r, facets, "kind", T(r, "Kind"), f.kind);
    html_facet(r, facets, "theme", T(r, "Key area"), f.theme);
    html_facet(r, facets, "county", T(r, "County"), f.county);
    html_facet(r, facets, "industry", T(r, "Industry"), f.industry);
    facets_close(r);
    static const char *const sorts[3][2] = {{"name", N_("Name")}, {"newest", N_("Newest first")}, {"border", N_("Nearest the border")}};
    bprintf(&r->out, "<div class=\"field\"><label for=\"sort\">%h</label><select id=\"sort\" name=\"sort\">", T(r, "Sort by"));
    for (int i = 0; i < 3; i++)
        bprintf(&r->out, "<option value=\"%h\"%s>%h</option>", sorts[i][0], streq(f.sort ? f.sort : "name", sorts[i][0]) ? " selected" : "", T(r, sorts[i][1]));
    buf_puts(&r->out, "</select></div>");
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button> <a href=\"/organisations\">%h</a></p></form>\n",
            T(r, "Show"), T(r, "Clear filters"));
    bprintf(&r->out, "<section id=\"results\" class=\"results\" aria-live=\"polite\"><p class=\"total\">%h</p>",
            aprintf_text(r->arena, TN(r, "%s organisation", "%s organisations", (long)total), fmt_number(r->arena, r->lang, total)));
    html_facet_chips(r, facets, facet_keys);
    notify_follow_search(r);   /* notify: a saved search */
    notify_follow_theme(r);    /* notify: the key area filtered on */
    const char *qs = html_query_without(r, NULL, NULL);
    bprintf(&r->out, "<p class=\"export small\"><a href=\"/organisations.csv%s%h\" type=\"text/csv\" download>%h</a></p>", *qs ? "?" : "", qs,
            T(r, "Download the list (CSV)"));
    if (n) {
        buf_puts(&r->out, "<ul class=\"cards\">");
        for (int i = 0; i < n; i++) org_card(r, &rows[i]);
        buf_puts(&r->out, "</ul>");
    } else {
        bprintf(&r->out, "<p>%h</p>", T(r, "No organisation matches. Try fewer filters or other words."));
        if (f.q) org_no_result_help(r, db, f.q, "/organisations");
    }
    html_pager(r, total, f.page, f.per_page);
    buf_puts(&r->out, "</section>\n</div>\n");
    page_end(r);
}

/* ---- profile ---- */
static void links(req_t *r, const org_link_t *l, int n) {
    if (!n) return;
    buf_puts(&r->out, "<ul class=\"links\">");
    for (int i = 0; i < n; i++)
        bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a> <span class=\"country country-%h\">%h</span></li>",
                (long long)l[i].id, l[i].name, l[i].country, ref_country_name(l[i].country, r->lang));
    buf_puts(&r->out, "</ul>");
}

static void tag_items(req_t *r, const char *const *tags, int n, const char *lang) {
    if (!n) return;
    bprintf(&r->out, "<ul class=\"tags\"%s>", MARKUP(html_lang_attr(r, lang)));
    for (int i = 0; i < n; i++) bprintf(&r->out, "<li>%h</li>", tags[i]);
    buf_puts(&r->out, "</ul>");
}

void org_profile_page(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    bool can_edit = org_can_edit(db, r->user, id);
    org_view_t o;
    if (!org_view(db, r->arena, id, can_edit, &o)) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    const char *country = o.country;
    page_begin(r, o.name);
    bprintf(&r->out, "<article class=\"profile\"><header><p class=\"meta\"><span class=\"country country-%h\">%h</span> · %h</p><h1>%h</h1>",
            country, ref_country_name(country, r->lang), ref_kind_label(o.kind, r->lang), o.name);
    if (o.demo) bprintf(&r->out, "<p class=\"badge\">%h</p>", T(r, "Demo record"));
    notify_follow_id(r, "org", id);   /* notify */
    buf_puts(&r->out, "</header>\n");
    if (!streq(o.status, "active")) {
        bprintf(&r->out, "<div class=\"notice\" role=\"note\"><p><strong>%h</strong> %h</p>",
                streq(o.status, "merged") ? T(r, "This organisation has merged into another.") : T(r, "This organisation has been dissolved."),
                o.ended_on ? aprintf_text(r->arena, "(%s)", o.ended_on) : "");
        if (o.nlinks[LINK_SUCCESSORS]) {
            bprintf(&r->out, "<p>%h</p>", T(r, "Its work continues in:"));
            links(r, o.links[LINK_SUCCESSORS], o.nlinks[LINK_SUCCESSORS]);
        }
        buf_puts(&r->out, "</div>\n");
    }
    /* actions */
    buf_puts(&r->out, "<ul class=\"actions\">");
    bprintf(&r->out, "<li><a class=\"button secondary\" href=\"/organisations/%lld/partners\">%h</a></li>", (long long)id, T(r, "Find partners"));
    org_profile_actions(r, db, id, can_edit); /* claim.c: edit, or contact and claim/join/pending */
    buf_puts(&r->out, "</ul>\n");
    buf_puts(&r->out, "<div class=\"cols\"><div class=\"main-col\">");
    /* description in the reader's language, else the organisation's own, else any */
    const char *codes[3] = {"sv", "nb", "en"};
    int li = r->lang[0] == 'n' ? 1 : r->lang[0] == 'e' ? 2 : 0;
    int order[5] = {li, streq(country, "NO") ? 1 : 0, 0, 1, 2};
    int dl = -1;
    for (int i = 0; i < 5 && dl < 0; i++) if (o.desc[order[i]] && *o.desc[order[i]]) dl = order[i];
    bprintf(&r->out, "<section><h2>%h</h2>", T(r, "About"));
    if (dl >= 0) {
        if (dl == li) bprintf(&r->out, "<p class=\"desc\">%h</p>", o.desc[dl]);
        /* in another language: its machine translation (the original behind a switch), if one is stored;
         * else the original, saying which language it is in */
        else if (!translate_description_html(r, db, id, codes[dl], o.desc[dl]))
            bprintf(&r->out, "<p class=\"note\">%h</p><p lang=\"%h\" class=\"desc\">%h</p>",
                    dl == 0 ? T(r, "No description in your language; shown in Swedish.")
                    : dl == 1 ? T(r, "No description in your language; shown in Norwegian.")
                              : T(r, "No description in your language; shown in English."), codes[dl], o.desc[dl]);
    } else {
        bprintf(&r->out, "<p>%h</p>", T(r, "No description yet."));
    }
    buf_puts(&r->out, "</section>\n");
    static const char *const heads[3] = {N_("Competences"), N_("Offers"), N_("Needs")};
    for (int i = 0; i < 3; i++) {
        if (!o.ntags[i] && str_empty(o.text[i])) continue;
        /* competences, offers and needs are written in the organisation's language (its country's,
         * as the search reads them): marked so on pages in another language */
        const char *own = streq(country, "NO") ? "nb" : "sv";
        bprintf(&r->out, "<section><h2>%h", T(r, heads[i]));
        html_lang_note(r, own);
        buf_puts(&r->out, "</h2>");
        tag_items(r, o.tags[i], o.ntags[i], own);
        if (!str_empty(o.text[i])) bprintf(&r->out, "<p%s>%h</p>", MARKUP(html_lang_attr(r, own)), o.text[i]);
        buf_puts(&r->out, "</section>\n");
    }
    if (streq(o.kind, "cluster") || streq(o.kind, "network")) {
        bprintf(&r->out, "<section><h2>%h</h2>", T(r, "Member organisations"));
        links(r, o.links[LINK_MEMBERS], o.nlinks[LINK_MEMBERS]);
        buf_puts(&r->out, "</section>\n");
    }
    /* what it organises next (the events module's list), and its calendar feed */
    event_filter_t ef = {0};
    ef.from = time(NULL);
    ef.to = ef.from + 2 * 365 * 86400;
    ef.org = id;
    ef.limit = 5;
    event_row_t *ev;
    int nev = event_list(db, r->arena, &ef, r->lang, &ev);
    bprintf(&r->out, "<section><h2>%h</h2>", T(r, "Coming events"));
    if (nev > 0) {
        buf_puts(&r->out, "<ul class=\"plain\">");
        for (int i = 0; i < nev; i++)
        {
            bprintf(&r->out, "<li><a href=\"/events/%lld\"%s>%h</a>", (long long)ev[i].id,
                    streq(ev[i].title_lang, r->lang) ? "" : aprintf(r->arena, " lang=\"%h\"", ev[i].title_lang), ev[i].title);
            html_lang_note(r, ev[i].title_lang);
            bprintf(&r->out, " <span class=\"muted\">%h</span></li>", fmt_date(r->arena, r->lang, ev[i].start));
        }
        buf_puts(&r->out, "</ul>");
    } else bprintf(&r->out, "<p class=\"muted\">%h</p>", T(r, "No events planned yet."));
    bprintf(&r->out, "<p><a href=\"/events?org=%lld\">%h</a> · <a href=\"/calendar.ics?org=%lld\">%h</a></p></section>\n", (long long)id,
            T(r, "All its events"), (long long)id, T(r, "Calendar feed (iCalendar)"));
    proj_org_summary_html(r, id);   /* its projects and Interreg track record (projects/) */
    buf_puts(&r->out, "</div><aside class=\"side-col\"><dl class=\"facts\">");
    bprintf(&r->out, "<dt>%h</dt><dd>%h</dd>", T(r, "Municipality"), muni_label(r, country, o.municipality));
    if (o.orgnr) {
        char f[32];
        orgnr_format(country, o.orgnr, f, sizeof f);
        bprintf(&r->out, "<dt>%h</dt><dd>%h</dd>", T(r, "Organisation number"), f);
    }
    if (o.website)
        bprintf(&r->out, "<dt>%h</dt><dd><a href=\"%h\" rel=\"noopener nofollow\">%h</a></dd>", T(r, "Website"), o.website, o.website);
    if (o.employees >= 0)
        bprintf(&r->out, "<dt>%h</dt><dd>%h</dd>", T(r, "Employees"), fmt_number(r->arena, r->lang, o.employees));
    if (o.nthemes) {
        bprintf(&r->out, "<dt>%h</dt><dd><ul class=\"tags\">", T(r, "Key areas"));
        for (int i = 0; i < o.nthemes; i++)
            bprintf(&r->out, "<li><a href=\"/organisations?theme=%U\">%h</a></li>", o.themes[i], ref_theme_name(db, r->arena, o.themes[i], r->lang));
        buf_puts(&r->out, "</ul></dd>");
    }
    if (o.nnace) {
        bprintf(&r->out, "<dt>%h</dt><dd><ul class=\"plain\">",
                streq(country, "NO") ? T(r, "Industry codes (SN2007)") : T(r, "Industry codes (SNI 2007)"));
        for (int i = 0; i < o.nnace; i++) {
            const char *ll = "sv";
            const char *label = ref_nace_label(o.nace[i], country, &ll);
            bprintf(&r->out, "<li><span class=\"code\">%h</span> <span lang=\"%h\">%h</span></li>", o.nace[i], ll, label ? label : "");
        }
        buf_puts(&r->out, "</ul></dd>");
    }
    if (o.nlinks[LINK_MEMBER_OF]) {
        bprintf(&r->out, "<dt>%h</dt><dd>", T(r, "Member of"));
        links(r, o.links[LINK_MEMBER_OF], o.nlinks[LINK_MEMBER_OF]);
        buf_puts(&r->out, "</dd>");
    }
    if (o.nlinks[LINK_PREDECESSORS]) {
        bprintf(&r->out, "<dt>%h</dt><dd>", T(r, "Continues the work of"));
        links(r, o.links[LINK_PREDECESSORS], o.nlinks[LINK_PREDECESSORS]);
        buf_puts(&r->out, "</dd>");
    }
    buf_puts(&r->out, "</dl>");
    if (o.ncontacts) {
        bprintf(&r->out, "<h2>%h</h2><ul class=\"contacts\">", T(r, "Contact persons"));
        for (int i = 0; i < o.ncontacts; i++) {
            const org_contact_t *x = &o.contacts[i];
            bprintf(&r->out, "<li><strong>%h</strong>", x->name);
            if (!str_empty(x->role)) bprintf(&r->out, "<br>%h", x->role);
            if (!str_empty(x->email)) bprintf(&r->out, "<br><a href=\"mailto:%h\">%h</a>", x->email, x->email);
            if (!str_empty(x->phone)) bprintf(&r->out, "<br>%h", x->phone);
            if (!x->consent) bprintf(&r->out, "<br><em>%h</em>", T(r, "Not shown publicly: no consent."));
            buf_puts(&r->out, "</li>");
        }
        buf_puts(&r->out, "</ul>");
    }
    time_t upd;
    if (parse_utc(o.updated_at, &upd))
        bprintf(&r->out, "<p class=\"small\">%h <time datetime=\"%h\">%h</time></p>", T(r, "Last updated"), o.updated_at,
                fmt_date(r->arena, r->lang, upd));
    buf_puts(&r->out, "</aside></div></article>\n");
    page_end(r);
}

/* ---- the form ---- */
static char *join_tags(req_t *r, json_t *a) {
    buf_t b;
    buf_init(&b, r->arena);
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x) {
        if (i) buf_puts(&b, ", ");
        if (json_is_integer(x)) bprintf(&b, "%lld", (long long)json_integer_value(x));
        else buf_puts(&b, json_string_value(x));
    }
    return b.data;
}

static json_t *split_tags(const char *s) {
    json_t *a = json_array();
    if (!s) return a;
    const char *p = s;
    while (*p) {
        const char *e = p;
        while (*e && *e != ',' && *e != '\n' && *e != ';') e++;
        while (p < e && (*p == ' ' || *p == '\t' || *p == '\r')) p++;
        const char *q = e;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '\r')) q--;
        if (q > p) {
            char *t = strndup(p, (size_t)(q - p));
            json_array_append_new(a, json_string(t));
            free(t);
        }
        p = *e ? e + 1 : e;
    }
    return a;
}

/* form_doc: the posted form as an input document for org_validate (caller owns it) */
static json_t *form_doc(req_t *r) {
    json_t *d = json_object();
    static const char *const plain[] = {"name", "country", "orgnr", "kind", "municipality", "website", "competences_text",
                                        "offers_text", "needs_text", "status", "ended_on", NULL};
    for (int i = 0; plain[i]; i++) {
        const char *v = req_form(r, plain[i]);
        json_object_set_new(d, plain[i], v ? json_string(v) : json_null());
    }
    if (!req_form(r, "status")) json_object_set_new(d, "status", json_string("active"));
    if (streq(req_form(r, "status"), "active")) json_object_set_new(d, "ended_on", json_null());
    json_object_set_new(d, "description", json_pack("{s:s, s:s, s:s}", "sv", req_form(r, "desc_sv") ? req_form(r, "desc_sv") : "",
                                                    "nb", req_form(r, "desc_nb") ? req_form(r, "desc_nb") : "", "en",
                                                    req_form(r, "desc_en") ? req_form(r, "desc_en") : ""));
    json_object_set_new(d, "competences", split_tags(req_form(r, "competences")));
    json_object_set_new(d, "offers", split_tags(req_form(r, "offers")));
    json_object_set_new(d, "needs", split_tags(req_form(r, "needs")));
    json_t *nace = split_tags(req_form(r, "nace"));
    size_t ni;
    json_t *nx;
    json_array_foreach(nace, ni, nx) { /* issue 12: a code, or words of its label */
        const char *c = org_industry_resolve(r->arena, json_string_value(nx), r->lang);
        if (c && strcmp(c, json_string_value(nx))) json_array_set_new(nace, ni, json_string(c));
    }
    json_object_set_new(d, "nace", nace);
    json_object_set_new(d, "themes", form_strings(r, "themes"));
    json_object_set_new(d, "networks", form_ids(r, "networks"));
    json_t *succ = split_tags(req_form(r, "successors"));
    size_t i;
    json_t *x;
    json_array_foreach(succ, i, x) {
        /* an organisation number (Swedish or Norwegian) or the number in its Gränslös address */
        char digits[32];
        long long v;
        int64_t found = 0;
        if (orgnr_normalise(json_string_value(x), digits, sizeof digits) && strlen(digits) >= 9)
            found = org_find_orgnr(db_get(), strlen(digits) == 10 ? "SE" : "NO", digits);
        if (found) json_array_set_new(succ, i, json_integer(found));
        else if (parse_int(json_string_value(x), 1, INT64_MAX, &v)) json_array_set_new(succ, i, json_integer(v));
        else if ((found = org_resolve_name(db_get(), r->arena, json_string_value(x), r->lang))) json_array_set_new(succ, i, json_integer(found)); /* issue 12: by name */
    }
    json_object_set_new(d, "successors", succ);
    const char *emp = req_form(r, "employees");
    long long e;
    if (!emp || !*emp) json_object_set_new(d, "employees", json_null());
    else if (parse_int(emp, 0, 10000000, &e)) json_object_set_new(d, "employees", json_integer(e));
    else json_object_set_new(d, "employees", json_string(emp));
    json_t *cs = json_array();
    for (int k = 0; k < 20; k++) {
        const char *nm = req_form(r, aprintf(r->arena, "contact_name_%d", k));
        if (!nm) continue;
        const char *em = req_form(r, aprintf(r->arena, "contact_email_%d", k));
        const char *ph = req_form(r, aprintf(r->arena, "contact_phone_%d", k));
        const char *ro = req_form(r, aprintf(r->arena, "contact_role_%d", k));
        if (!*nm && (!em || !*em) && (!ph || !*ph) && (!ro || !*ro)) continue;
        json_array_append_new(cs, json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", nm, "role", ro ? ro : "", "email",
                                            em ? em : "", "phone", ph ? ph : "", "consent",
                                            req_form(r, aprintf(r->arena, "contact_consent_%d", k)) != NULL));
    }
    json_object_set_new(d, "contacts", cs);
    return d;
}

/* form_errors: error keys from org_validate mapped to the form's field names */
static json_t *form_errors(json_t *errors) {
    json_t *e = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(errors, k, v) {
        if (!strncmp(k, "description.", 12)) json_object_set(e, k[12] == 's' ? "desc_sv" : k[12] == 'n' ? "desc_nb" : "desc_en", v);
        else json_object_set(e, k, v);
    }
    return e;
}

static void org_form(req_t *r, const char *action, json_t *o, json_t *errors, bool is_new) {
    db_t *db = db_get();
    form_errors_summary(r, errors);
    form_open(r, action);
    if (!is_new) doc_form_version(r, o);
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "Basic facts"));
    field_text(r, "name", T(r, "Name"), jstr(o, "name"), errors, "text", NULL, true);
    option_t countries[2] = {{"SE", ref_country_name("SE", r->lang)}, {"NO", ref_country_name("NO", r->lang)}};
    field_select(r, "country", T(r, "Country"), countries, 2, jstr(o, "country"), errors, true);
    field_text(r, "orgnr", T(r, "Organisation number"), jstr(o, "orgnr"), errors, "text",
               T(r, "Swedish: 10 digits (NNNNNN-NNNN). Norwegian: 9 digits."), false);
    option_t kinds[7];
    for (int i = 0; i < 7; i++) kinds[i] = (option_t){ref_kinds[i], ref_kind_label(ref_kinds[i], r->lang)};
    field_select(r, "kind", T(r, "Kind"), kinds, 7, jstr(o, "kind"), errors, true);
    field_municipality(r, jstr(o, "country"), jstr(o, "municipality"), errors, true);
    field_text(r, "website", T(r, "Website"), jstr(o, "website"), errors, "url", T(r, "Starts with https://"), false);
    json_t *emp = json_object_get(o, "employees");
    field_text(r, "employees", T(r, "Employees"), json_is_integer(emp) ? aprintf(r->arena, "%lld", (long long)json_integer_value(emp)) : jstr(o, "employees"),
               errors, "text", NULL, false);
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "Description"));
    json_t *desc = json_object_get(o, "description");
    { /* the user's language first */
        static const char *const dlabel[3] = {N_("Description in Swedish"), N_("Description in Norwegian"), N_("Description in English")};
        int me = r->lang[0] == 'n' ? 1 : r->lang[0] == 'e' ? 2 : 0;
        int order[3] = {me, me == 0 ? 1 : 0, me == 2 ? 1 : 2};
        for (int k = 0; k < 3; k++)
            field_textarea(r, aprintf_text(r->arena, "desc_%s", i18n_langs[order[k]]), T(r, dlabel[order[k]]), jstr(desc, i18n_langs[order[k]]), errors, NULL);
    }
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "What you can do and what you look for"));
    const char *hint = T(r, "Separate with commas.");
    field_text(r, "competences", T(r, "Competences"), join_tags(r, json_object_get(o, "competences")), errors, "text", hint, false);
    field_textarea(r, "competences_text", T(r, "Competences in your own words"), jstr(o, "competences_text"), errors, NULL);
    field_text(r, "offers", T(r, "Offers"), join_tags(r, json_object_get(o, "offers")), errors, "text", hint, false);
    field_textarea(r, "offers_text", T(r, "Offers in your own words"), jstr(o, "offers_text"), errors, NULL);
    field_text(r, "needs", T(r, "Needs"), join_tags(r, json_object_get(o, "needs")), errors, "text", hint, false);
    field_textarea(r, "needs_text", T(r, "Needs in your own words"), jstr(o, "needs_text"), errors, NULL);
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "Key areas and industry"));
    int nt;
    theme_t *th = ref_themes(db, r->arena, r->lang, &nt);
    option_t *topts = arena_alloc(r->arena, sizeof(option_t) * (size_t)nt);
    for (int i = 0; i < nt; i++) topts[i] = (option_t){th[i].slug, th[i].name};
    json_t *cur = json_object_get(o, "themes");
    const char **checked = arena_alloc(r->arena, sizeof(char *) * (json_array_size(cur) + 1));
    size_t i;
    json_t *x;
    json_array_foreach(cur, i, x) checked[i] = json_string_value(x);
    field_checks(r, "themes", T(r, "Key areas"), topts, nt, checked, (int)json_array_size(cur), errors);
    field_pick_names(r, "nace", T(r, "Industry codes (NACE)"), "/api/v1/lookup/industries", join_tags(r, json_object_get(o, "nace")), errors,
                     T(r, "Type a code such as 62.010 or words of the industry, and choose; separated with commas."), false); /* issue 12 */
    /* clusters and networks */
    stmt_t *s = db_prep(db, "SELECT id, name FROM organisations WHERE kind IN ('cluster','network') AND status = 'active' ORDER BY name");
    option_t nets[200];
    int nn = 0;
    while (db_step(s) && nn < 200) nets[nn++] = (option_t){aprintf(r->arena, "%lld", (long long)db_int(s, 0)), db_text_dup(s, 1, r->arena)};
    db_reset(s);
    json_t *curn = json_object_get(o, "networks");
    const char **ncheck = arena_alloc(r->arena, sizeof(char *) * (json_array_size(curn) + 1));
    json_array_foreach(curn, i, x) ncheck[i] = json_is_integer(x) ? aprintf(r->arena, "%lld", (long long)json_integer_value(x)) : json_string_value(x);
    if (nn) field_checks(r, "networks", T(r, "Member of clusters and networks"), nets, nn, ncheck, (int)json_array_size(curn), errors);
    buf_puts(&r->out, "</fieldset>\n");
    /* contacts */
    bprintf(&r->out, "<fieldset id=\"f-contacts\"><legend>%h</legend><p class=\"hint\">%h</p>", T(r, "Contact persons"),
            T(r, "A contact person is shown publicly only when they have agreed to it."));
    form_label(r, "contacts", T(r, "Contact persons"));
    if (error_text(errors, "contacts")) bprintf(&r->out, "<p class=\"field-error\">%h</p>", error_text(errors, "contacts"));
    json_t *cs = json_object_get(o, "contacts");
    int rows = (int)json_array_size(cs) + 2;
    if (rows > 20) rows = 20;
    for (int k = 0; k < rows; k++) {
        json_t *c = json_array_get(cs, (size_t)k);
        bprintf(&r->out, "<div class=\"contact-row\"><p class=\"sub\">%h %d</p>", T(r, "Contact"), k + 1);
        field_text(r, aprintf(r->arena, "contact_name_%d", k), T(r, "Name"), jstr(c, "name"), NULL, "text", NULL, false);
        field_text(r, aprintf(r->arena, "contact_role_%d", k), T(r, "Role"), jstr(c, "role"), NULL, "text", NULL, false);
        field_text(r, aprintf(r->arena, "contact_email_%d", k), T(r, "E-mail"), jstr(c, "email"), NULL, "email", NULL, false);
        field_text(r, aprintf(r->arena, "contact_phone_%d", k), T(r, "Phone"), jstr(c, "phone"), NULL, "tel", NULL, false);
        bprintf(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"contact_consent_%d\" value=\"1\"%s> %h</label></div>", k,
                json_is_true(json_object_get(c, "consent")) ? " checked" : "", T(r, "This person agrees to be shown publicly"));
    }
    buf_puts(&r->out, "</fieldset>\n");
    if (!is_new) {
        bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "Status"));
        option_t st[3] = {{"active", T(r, "Active")}, {"dissolved", T(r, "Dissolved")}, {"merged", T(r, "Merged")}};
        field_select(r, "status", T(r, "Status"), st, 3, jstr(o, "status") ? jstr(o, "status") : "active", errors, false);
        field_text(r, "ended_on", T(r, "Dissolved or merged on"), jstr(o, "ended_on"), errors, "date", T(r, "YYYY-MM-DD"), false);
        /* issue 12: by name, with the type-ahead */
        buf_t sn;
        buf_init(&sn, r->arena);
        size_t si;
        json_t *sx;
        json_array_foreach(json_object_get(o, "successors"), si, sx) {
            const char *nm = json_is_integer(sx) ? org_name(db_get(), r->arena, json_integer_value(sx)) : json_string_value(sx);
            bprintf_text(&sn, "%s%s", si ? ", " : "", nm ? nm : "");
        }
        field_pick_names(r, "successors", T(r, "Successor organisations"), "/api/v1/lookup/organisations", sn.data, errors,
                         T(r, "Names (or organisation numbers) of the organisations that continue the work, separated with commas."), false);
        buf_puts(&r->out, "</fieldset>\n");
    }
    form_close(r, is_new ? T(r, "Create organisation") : T(r, "Save changes"));
}

void org_new_page(req_t *r) {
    page_lead(r, T(r, "Add organisation"), T(r, "You become the organisation's first administrator. The record belongs to the organisation, not to you."));
    json_t *o = api_own(r, json_object());
    /* issue 12: what the welcome page's search typed (a name, or a number and its country) */
    static const char *const pre[] = {"name", "orgnr", "country"};
    for (int i = 0; i < 3; i++) {
        const char *v = trim(r->arena, req_query(r, pre[i]));
        if (!str_empty(v) && utf8_len(v) <= 200 && check_text(v, true)) json_object_set_new(o, pre[i], json_string(v));
    }
    org_form(r, "/organisations/new", o, NULL, true);
    page_end(r);
}

static void new_form(req_t *r, json_t *in, json_t *errors) { org_form(r, "/organisations/new", in, api_own(r, form_errors(errors)), true); }

void org_create_post(req_t *r) {
    doc_page_create_post(r, &org_kind, T(r, "Add organisation"), api_own(r, form_doc(r)), new_form, "created", "/organisations");
}

void org_edit_page(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &org_kind)) return;
    json_t *o = api_own(r, org_load(db, r->id[0], true));
    doc_page_edit_head(r, jstr(o, "name"), aprintf(r->arena, "/organisations/%lld", (long long)r->id[0]), T(r, "Back to the profile"), NULL);
    org_form(r, aprintf(r->arena, "/organisations/%lld/edit", (long long)r->id[0]), o, NULL, false);
    page_end(r);
}

/* the edit form shown again with what was posted (and the record's id, for its links) */
static void edit_form(req_t *r, json_t *in, json_t *errors) {
    json_object_set_new(in, "id", json_integer(r->id[0]));
    org_form(r, aprintf(r->arena, "/organisations/%lld/edit", (long long)r->id[0]), in, api_own(r, form_errors(errors)), false);
}

void org_edit_post(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &org_kind)) return;
    json_t *base = api_own(r, org_load(db, r->id[0], true));
    doc_page_edit_post(r, &org_kind, api_own(r, form_doc(r)), base, jstr(base, "name"), edit_form,
                       aprintf(r->arena, "/organisations/%lld", (long long)r->id[0]));
}

/* ---- history ---- */
static const char *field_label(req_t *r, const char *f) {
    static const char *const map[][2] = {
        {"name", N_("Name")}, {"country", N_("Country")}, {"orgnr", N_("Organisation number")}, {"kind", N_("Kind")},
        {"municipality", N_("Municipality")}, {"website", N_("Website")}, {"description", N_("Description")},
        {"competences", N_("Competences")}, {"offers", N_("Offers")}, {"needs", N_("Needs")},
        {"competences_text", N_("Competences in your own words")}, {"offers_text", N_("Offers in your own words")},
        {"needs_text", N_("Needs in your own words")}, {"nace", N_("Industry codes (NACE)")}, {"themes", N_("Key areas")},
        {"contacts", N_("Contact persons")}, {"networks", N_("Member of clusters and networks")}, {"status", N_("Status")},
        {"ended_on", N_("Dissolved or merged on")}, {"successors", N_("Successor organisations")}, {"employees", N_("Employees")}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) if (!strcmp(map[i][0], f)) return T(r, map[i][1]);
    return f;
}

/* show_value: a field's value as a person reads it: names, not codes */
static void show_value(req_t *r, const char *field, json_t *v, json_t *version) {
    if (!v || json_is_null(v)) { bprintf(&r->out, "<em>%h</em>", T(r, "(empty)")); return; }
    if (json_is_string(v) && *json_string_value(v)) {
        const char *s = json_string_value(v), *label = s;
        if (!strcmp(field, "kind")) label = ref_kind_label(s, r->lang);
        else if (!strcmp(field, "country")) label = ref_country_name(s, r->lang);
        else if (!strcmp(field, "status")) label = !strcmp(s, "active") ? T(r, "Active") : !strcmp(s, "dissolved") ? T(r, "Dissolved") : T(r, "Merged");
        else if (!strcmp(field, "municipality")) {
            /* the country of the same version decides which municipality the code names */
            json_t *pair = json_object_get(json_object_get(version, "changes"), "country");
            const char *c = pair ? json_string_value(json_array_get(pair, 1)) : NULL;
            if (!c) c = json_string_value(json_object_get(version, "country"));
            const municipality_t *m = ref_municipality(c ? c : "SE", s);
            if (!m && !c) m = ref_municipality("NO", s);
            if (m) label = aprintf_text(r->arena, "%s (%s)", m->name, s);
        } else if (!strcmp(field, "themes")) label = ref_theme_name(db_get(), r->arena, s, r->lang);
        bprintf(&r->out, "%h", label);
        return;
    }
    if (json_is_string(v)) { bprintf(&r->out, "<em>%h</em>", T(r, "(empty)")); return; }
    if (json_is_integer(v) && (!strcmp(field, "networks") || !strcmp(field, "successors"))) {
        const char *n = org_name(db_get(), r->arena, json_integer_value(v));
        bprintf(&r->out, "<a href=\"/organisations/%lld\">%h</a>", (long long)json_integer_value(v), n ? n : "?");
        return;
    }
    if (json_is_integer(v)) { bprintf(&r->out, "%lld", (long long)json_integer_value(v)); return; }
    if (json_is_array(v)) {
        if (!json_array_size(v)) { bprintf(&r->out, "<em>%h</em>", T(r, "(empty)")); return; }
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            if (i) buf_puts(&r->out, ", ");
            if (json_is_object(x)) bprintf(&r->out, "%h", jstr(x, "name"));
            else show_value(r, field, x, version);
        }
        return;
    }
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) if (json_is_string(x) && *json_string_value(x)) bprintf(&r->out, "<span class=\"lang\">%h:</span> <span lang=\"%h\">%h</span><br>", k, k, json_string_value(x));
    }
}

void org_history_page(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &org_kind)) return;
    const char *name = org_name(db, r->arena, r->id[0]);
    json_t *h = api_own(r, org_history(db, r->id[0]));
    bool admin = org_can_admin(db, r->user, r->id[0]);
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "History"), name));
    bprintf(&r->out, "<h1>%h</h1><p class=\"lead\">%h</p><p><a href=\"/organisations/%lld\">%h</a></p>", name,
            T(r, "Every change is kept. Reverting creates a new version; nothing is lost."), (long long)r->id[0], T(r, "Back to the profile"));
    size_t i;
    json_t *v;
    json_array_foreach(h, i, v) {
        json_int_t ver = json_integer_value(json_object_get(v, "version"));
        json_t *user = json_object_get(v, "user");
        time_t t;
        const char *when = parse_utc(jstr(v, "at"), &t) ? fmt_datetime(r->arena, r->lang, t) : jstr(v, "at");
        const char *who = json_is_null(user) ? T(r, "the platform")
                          : json_is_true(json_object_get(user, "deleted")) ? T(r, "a deleted user") : jstr(user, "name");
        bprintf(&r->out, "<section class=\"version\" id=\"v%lld\"><h2>%h</h2><p class=\"meta\">%h</p>", (long long)ver,
                aprintf(r->arena, T(r, "Version %lld"), (long long)ver), aprintf_text(r->arena, T(r, "%s by %s"), when, who));
        long long rv;
        const char *note = jstr(v, "note");
        if (note && !strncmp(note, "revert to ", 10) && parse_int(note + 10, 1, 1000000000, &rv))
            bprintf(&r->out, "<p>%h</p>", aprintf(r->arena, T(r, "Reverted to version %lld."), rv));
        else if (note) bprintf(&r->out, "<p>%h</p>", note);
        json_t *ch = json_object_get(v, "changes");
        /* the first version is the record as created (values only); later ones, before and after */
        bool created = json_integer_value(json_object_get(v, "version")) == 1;
        if (json_object_size(ch)) {
            const char *cap = created ? T(r, "The organisation as it was created")
                                      : aprintf(r->arena, T(r, "Changes in version %lld"), (long long)ver);
            bprintf(&r->out, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"%h\"><table><caption class=\"visually-hidden\">%h</caption>"
                             "<thead><tr><th scope=\"col\">%h</th>", cap, cap, T(r, "Field"));
            if (created) bprintf(&r->out, "<th scope=\"col\">%h</th>", T(r, "Value"));
            else bprintf(&r->out, "<th scope=\"col\">%h</th><th scope=\"col\">%h</th>", T(r, "Before"), T(r, "After"));
            buf_puts(&r->out, "</tr></thead><tbody>");
            const char *k;
            json_t *pair;
            json_object_foreach(ch, k, pair) {
                bprintf(&r->out, "<tr><th scope=\"row\">%h</th><td>", field_label(r, k));
                if (!created) {
                    show_value(r, k, json_array_get(pair, 0), v);
                    buf_puts(&r->out, "</td><td>");
                }
                show_value(r, k, json_array_get(pair, 1), v);
                buf_puts(&r->out, "</td></tr>");
            }
            buf_puts(&r->out, "</tbody></table></div>");
        }
        if (admin && i > 0)
            form_button(r, aprintf(r->arena, "/organisations/%lld/revert", (long long)r->id[0]),
                        (const char *const[][2]){{"version", aprintf(r->arena, "%lld", (long long)ver)}}, 1, "secondary",
                        aprintf(r->arena, T(r, "Revert to version %lld"), (long long)ver));
        buf_puts(&r->out, "</section>\n");
    }
    page_end(r);
}

void org_revert_post(req_t *r) {
    db_t *db = db_get();
    if (!org_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    if (!org_can_admin(db, r->user, r->id[0])) {
        resp_error(r, 403, "forbidden", T(r, "Only the organisation's administrators may revert it."));
        return;
    }
    long long v;
    if (!parse_int(req_form(r, "version"), 1, 1000000000, &v)) { resp_error(r, 400, "bad-version", T(r, "There is no such version.")); return; }
    json_t *errors = NULL;
    int rc = org_revert(db, r->arena, r->lang, r->id[0], (int)v, r->user->id, &errors);
    if (errors) api_own(r, errors);
    if (rc == 404) { resp_error(r, 404, "not-found", T(r, "There is no such version.")); return; }
    if (rc == 409) {
        /* e.g. another organisation has taken the number since: say which field */
        const char *k;
        json_t *m;
        buf_t b;
        buf_init(&b, r->arena);
        json_object_foreach(errors, k, m) bprintf_text(&b, "%s: %s ", field_label(r, k), json_string_value(m));
        resp_error(r, 409, "cannot-revert", aprintf_text(r->arena, "%s %s", T(r, "This version cannot be restored as it is."), b.data));
        return;
    }
    if (rc) { resp_error(r, 500, "db", T(r, "The organisation could not be saved. Nothing was changed.")); return; }
    flash_set(r, "reverted");
    resp_redirect(r, aprintf(r->arena, "/organisations/%lld/history", (long long)r->id[0]));
}
