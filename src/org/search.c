/* /search and /api/v1/search: the organisation search page and API, ranked results from the
 * search index (search/index.h) with snippets and facets. Organisation UI: it lives in org/. */
#include "http/api.h"
#include "search/pages.h"
#include <string.h>
#include "core/util.h"
#include "db/db.h"
#include "html/html.h"
#include "i18n/i18n.h"
#include "org/match.h"
#include "org/org.h"
#include "org/query.h"
#include "notify/notify.h"
#include "ref/ref.h"
#include "search/index.h"



struct query {
    const char *q, *type;
    search_filter_t f;
    int page, per_page;
};

/* read_query: from the address; an error message in the user's language, or NULL */
static const char *read_query(req_t *r, struct query *q) {
    memset(q, 0, sizeof *q);
    q->q = req_query(r, "q");
    q->type = req_query(r, "type");
    q->page = 1;
    q->per_page = 20;
    q->f.include_inactive = true;
    const char *v;
#define OPT(field, name) do { v = req_query(r, name); if (v && *v) q->f.field = v; } while (0)
    OPT(country, "country"); OPT(kind, "kind"); OPT(county, "county"); OPT(municipality, "municipality");
    OPT(theme, "theme"); OPT(industry, "industry"); OPT(size, "size");
#undef OPT
    long long n;
    if ((v = req_query(r, "page")) && *v) { if (!parse_int(v, 1, 100000, &n)) return T(r, "The page number is not valid."); q->page = (int)n; }
    if ((v = req_query(r, "per_page")) && *v) { if (!parse_int(v, 1, 100, &n)) return T(r, "per_page must be a number from 1 to 100."); q->per_page = (int)n; }
    if (q->type && *q->type && strcmp(q->type, "organisation")) return T(r, "Unknown type: the search knows organisations.");
    if (q->f.country && strcmp(q->f.country, "SE") && strcmp(q->f.country, "NO")) return T(r, "Choose Sweden or Norway.");
    if (q->f.kind && !ref_kind_valid(q->f.kind)) return T(r, "Unknown kind of organisation.");
    if (q->q && utf8_len(q->q) > 200) return T(r, "The search text is too long.");
    return NULL;
}

struct item { int64_t id; double score; org_row_t row; const char *snippet; match_why_t why; bool has_why; };

static long long run(req_t *r, struct query *q, struct item **items, int *n, json_t *facets) {
    org_index_catch_up(db_get());
    search_hit_t *hits;
    int nh;
    long long total = search_orgs(r->arena, q->q ? q->q : "", &q->f, (q->page - 1) * q->per_page, q->per_page, &hits, &nh, facets);
    *items = arena_alloc(r->arena, sizeof **items * (size_t)(nh + 1));
    *n = 0;
    for (int i = 0; i < nh; i++) {
        struct item *it = &(*items)[*n];
        if (!org_row(db_get(), r->arena, hits[i].id, r->lang, &it->row)) continue;
        it->id = hits[i].id;
        it->score = hits[i].score;
        it->snippet = search_snippet(r->arena, it->row.summary, q->q ? q->q : "");
        /* the field that matched, with the words marked (org/match.h) */
        json_t *o = q->q && *q->q ? org_load(db_get(), hits[i].id, false) : NULL;
        it->has_why = o && match_explain(r->arena, o, q->q, r->lang, &it->why);
        if (it->has_why) it->snippet = it->why.snip.text;
        json_decref(o);
        (*n)++;
    }
    return total;
}

void search_api(req_t *r) {
    struct query q;
    const char *bad = read_query(r, &q);
    if (bad) { resp_problem(r, 422, "bad-query", bad, NULL); return; }
    json_t *raw = json_object();
    api_own(r, raw);
    struct item *items;
    int n;
    long long total = run(r, &q, &items, &n, raw);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *it = json_pack("{s:s, s:I, s:s, s:s, s:f, s:s, s:s}", "type", "organisation", "id", (json_int_t)items[i].id,
                               "name", items[i].row.name, "country", items[i].row.country, "score", items[i].score,
                               "snippet", items[i].snippet, "url", aprintf(r->arena, "/organisations/%lld", (long long)items[i].id));
        if (items[i].has_why) {
            buf_t h;
            buf_init(&h, r->arena);
            snippet_html(&h, &items[i].why.snip);
            json_object_set_new(it, "snippet_html", json_string(h.data));
            json_object_set_new(it, "reasons", match_why_json(r->arena, &items[i].why, r->lang));
        } else {
            json_object_set_new(it, "reasons", json_array());
        }
        json_array_append_new(arr, it);
    }
    resp_json(r, 200, json_pack("{s:o, s:I, s:i, s:i, s:o}", "items", arr, "total", (json_int_t)total, "page", q.page, "per_page",
                                q.per_page, "facets", org_facet_labels(db_get(), r->arena, raw, r->lang)));
}

void search_page(req_t *r) {
    struct query q;
    const char *bad = read_query(r, &q);
    if (bad) { resp_error(r, 400, "bad-query", bad); return; }
    json_t *raw = json_object();
    api_own(r, raw);
    struct item *items;
    int n;
    long long total = run(r, &q, &items, &n, raw);
    json_t *facets = org_facet_labels(db_get(), r->arena, raw, r->lang);
    api_own(r, facets);
    page_begin(r, q.q && *q.q ? aprintf_text(r->arena, "%s: %s", T(r, "Search"), q.q) : T(r, "Search"));
    bprintf(&r->out, "<h1>%h</h1>\n<div class=\"directory\">\n<form class=\"filters\" method=\"get\" action=\"/search\" role=\"search\">"
                     "<div class=\"field\"><label for=\"q\">%h</label><input id=\"q\" name=\"q\" type=\"search\" value=\"%h\" "
                     "autocomplete=\"off\" data-live=\"results\"></div>\n",
            T(r, "Search"), T(r, "Search in Swedish, Norwegian or English"), q.q ? q.q : "");
    facets_open(r, !!q.f.country + !!q.f.kind + !!q.f.theme + !!q.f.county + !!q.f.municipality + !!q.f.industry + !!q.f.size);
    html_facet(r, facets, "country", T(r, "Country"), q.f.country);
    html_facet(r, facets, "kind", T(r, "Kind"), q.f.kind);
    html_facet(r, facets, "theme", T(r, "Key area"), q.f.theme);
    html_facet(r, facets, "county", T(r, "County"), q.f.county);
    html_facet(r, facets, "municipality", T(r, "Municipality"), q.f.municipality);
    html_facet(r, facets, "industry", T(r, "Industry"), q.f.industry);
    html_facet(r, facets, "size", T(r, "Size"), q.f.size);
    facets_close(r);
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button> <a href=\"/search\">%h</a></p></form>\n",
            T(r, "Search"), T(r, "Clear filters"));
    bprintf(&r->out, "<section id=\"results\" class=\"results\" aria-live=\"polite\"><p class=\"total\">%h</p>",
            aprintf_text(r->arena, TN(r, "%s match", "%s matches", (long)total), fmt_number(r->arena, r->lang, total)));
    notify_save_search(r, "org");   /* notify: save this search and follow it */
    if (n) {
        buf_puts(&r->out, "<ul class=\"cards\">");
        for (int i = 0; i < n; i++) {
            org_row_t *o = &items[i].row;
            bprintf(&r->out, "<li class=\"card\"><h3><a href=\"/organisations/%lld\">%h</a></h3><p class=\"meta\"><span class=\"country country-%h\">%h</span> · %h</p>",
                    (long long)o->id, o->name, o->country, ref_country_name(o->country, r->lang), ref_kind_label(o->kind, r->lang));
            if (items[i].has_why) {
                buf_puts(&r->out, "<p class=\"snippet\">");
                snippet_html(&r->out, &items[i].why.snip);
                buf_puts(&r->out, "</p>");
                if (items[i].why.industry)
                    bprintf(&r->out, "<p class=\"reason\">%h</p>", aprintf_text(r->arena, T(r, "Serves your need: %s."), items[i].why.industry));
            } else if (*items[i].snippet) bprintf(&r->out, "<p lang=\"%h\">%h</p>", o->summary_lang, items[i].snippet);
            buf_puts(&r->out, "</li>\n");
        }
        buf_puts(&r->out, "</ul>");
    } else {
        bprintf(&r->out, "<p>%h</p>", T(r, "Nothing matches. Try other words, in any of the three languages."));
    }
    html_pager(r, total, q.page, q.per_page);
    buf_puts(&r->out, "</section>\n</div>\n");
    page_end(r);
}
