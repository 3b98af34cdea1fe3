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



/* words_of: the words (letters and digits, at least 3 bytes) of a folded text */
static int words_of(req_t *r, const char *s, const char **out, int max) {
    int n = 0;
    while (s && *s && n < max) {
        while (*s && (unsigned char)*s < 0x80 && !((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9'))) s++;
        const char *e = s;
        while (*e && ((unsigned char)*e >= 0x80 || (*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9'))) e++;
        if (e - s >= 3) out[n++] = arena_strndup(r->arena, s, (size_t)(e - s));
        s = e;
    }
    return n;
}

/* org_no_result_help: see org.h */
void org_no_result_help(req_t *r, db_t *db, const char *q, const char *path) {
    const char *qw[8];
    int nq = words_of(r, text_fold(r->arena, q), qw, 8);
    if (!nq) return;
    int nt;
    theme_t *mine = ref_themes(db, r->arena, r->lang, &nt);
    bool *hit = arena_alloc(r->arena, sizeof(bool) * (size_t)(nt + 1));
    const char *spell[8];
    int nspell = 0;
    for (int i = 0; i < nt; i++) hit[i] = false;
    for (int l = 0; l < 3; l++) {
        int n2;
        theme_t *th = ref_themes(db, r->arena, i18n_langs[l], &n2);
        for (int i = 0; i < n2 && i < nt; i++) {
            const char *tw[12];
            int nw = words_of(r, text_fold(r->arena, th[i].name), tw, 12);
            for (int k = 0; k < nq; k++)
                for (int w = 0; w < nw; w++) {
                    size_t lq = strlen(qw[k]);
                    if (strstr(tw[w], qw[k]) || (lq >= 4 && !strncmp(tw[w], qw[k], 4))) {
                        for (int j = 0; j < nt; j++) if (streq(mine[j].slug, th[i].slug)) hit[j] = true;
                    } else if (lq >= 4 && search_edits2(qw[k], tw[w]) <= 2 && nspell < 8) {
                        for (int j = 0; j < nt; j++) if (streq(mine[j].slug, th[i].slug)) hit[j] = true;
                        bool dup = false;
                        /* as the key area's name writes it */
                        const char *as = text_surface(r->arena, tw[w], th[i].name);
                        if (!as) as = tw[w];
                        for (int s2 = 0; s2 < nspell; s2++) dup |= streq(spell[s2], as);
                        if (!dup) spell[nspell++] = as;
                    }
                }
        }
    }
    int nm;
    const municipality_t *mu = ref_municipalities(&nm);
    for (int i = 0; i < nm && nspell < 8; i++) {
        const char *f = text_fold(r->arena, mu[i].name);
        for (int k = 0; k < nq; k++)
            if (f && strlen(qw[k]) >= 4 && !streq(f, qw[k]) && search_edits2(qw[k], f) <= 2) {
                bool dup = false;
                for (int s2 = 0; s2 < nspell; s2++) dup |= streq(spell[s2], mu[i].name);
                if (!dup) spell[nspell++] = mu[i].name;
            }
    }
    /* the index's own vocabulary: the query with its unknown words spelt as indexed words, when
     * that finds something */
    const char *fix = search_suggest(r->arena, q);
    long long nfix = 0;
    if (fix) {
        org_index_catch_up(db);
        search_filter_t sf = {0};
        search_hit_t *hits;
        int nh0;
        nfix = search_orgs(r->arena, fix, &sf, 0, 0, &hits, &nh0, NULL);
        /* shown (and searched for) as the organisations write it, when that finds as much */
        const char *written = nfix ? org_index_surface(db, r->arena, fix) : NULL;
        long long nwritten = written && !streq(written, fix) ? search_orgs(r->arena, written, &sf, 0, 0, &hits, &nh0, NULL) : 0;
        if (nwritten && nwritten >= nfix) { fix = written; nfix = nwritten; }
    }
    buf_puts(&r->out, "<div class=\"no-result-help\">");
    int nh = 0;
    for (int i = 0; i < nt; i++) nh += hit[i];
    if (nh) {
        bprintf(&r->out, "<h2>%h</h2><ul class=\"tags\">", T(r, "Key areas that may fit"));
        for (int i = 0; i < nt; i++)
            if (hit[i]) bprintf(&r->out, "<li><a href=\"%h?theme=%U\">%h</a></li>", path, mine[i].slug, mine[i].name);
        buf_puts(&r->out, "</ul>");
    }
    if (nspell || nfix) {
        bprintf(&r->out, "<h2>%h</h2><ul class=\"plain did-you-mean\">", T(r, "Did you mean"));
        if (nfix)
            bprintf(&r->out, "<li><a href=\"%h?q=%U\">%h</a> (%h)</li>", path, fix, fix,
                    aprintf_text(r->arena, TN(r, "%s organisation", "%s organisations", (long)nfix), fmt_number(r->arena, r->lang, nfix)));
        for (int i = 0; i < nspell; i++)
            if (!fix || !streq(text_fold(r->arena, spell[i]), text_fold(r->arena, fix))) bprintf(&r->out, "<li><a href=\"%h?q=%U\">%h</a></li>", path, spell[i], spell[i]);
        buf_puts(&r->out, "</ul>");
    }
    bprintf(&r->out, "<p><a href=\"/partners?need=%U\">%h</a></p></div>", q,
            T(r, "Describe what you need in the partner finder: it also finds organisations that say it in other words."));
}

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
    q->f.country = org_filter_values(r, "country");
    q->f.kind = org_filter_values(r, "kind");
    q->f.county = org_filter_values(r, "county");
    q->f.municipality = org_filter_values(r, "municipality");
    q->f.theme = org_filter_values(r, "theme");
    q->f.industry = org_filter_values(r, "industry");
    q->f.size = org_filter_values(r, "size");
    long long n;
    if ((v = req_query(r, "page")) && *v) { if (!parse_int(v, 1, 100000, &n)) return T(r, "The page number is not valid."); q->page = (int)n; }
    if ((v = req_query(r, "per_page")) && *v) { if (!parse_int(v, 1, 100, &n)) return T(r, "per_page must be a number from 1 to 100."); q->per_page = (int)n; }
    if (q->type && *q->type && strcmp(q->type, "organisation")) return T(r, "Unknown type: the search knows organisations.");
    const char *bad = org_filter_check(r, q->f.country, q->f.kind);
    if (bad) return bad;
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
    /* the page's rows and (with a query) documents, each in one statement for all hits */
    int64_t *ids = arena_alloc(r->arena, sizeof *ids * (size_t)(nh + 1));
    for (int i = 0; i < nh; i++) ids[i] = hits[i].id;
    org_row_t *rows = arena_alloc(r->arena, sizeof *rows * (size_t)(nh + 1));
    bool *found = arena_alloc(r->arena, sizeof *found * (size_t)(nh + 1));
    org_rows(db_get(), r->arena, ids, nh, r->lang, rows, found);
    json_t **docs = arena_alloc(r->arena, sizeof *docs * (size_t)(nh + 1));
    if (q->q && *q->q) org_load_many(db_get(), ids, nh, false, docs);
    for (int i = 0; i < nh; i++) {
        struct item *it = &(*items)[*n];
        json_t *o = docs[i];
        if (!found[i]) { json_decref(o); continue; }
        it->row = rows[i];
        it->id = hits[i].id;
        it->score = hits[i].score;
        it->snippet = search_snippet(r->arena, it->row.summary, q->q ? q->q : "");
        /* the field that matched, with the words marked (org/match.h) */
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
    org_facets_add_chosen(raw, "country", q.f.country);
    org_facets_add_chosen(raw, "kind", q.f.kind);
    org_facets_add_chosen(raw, "county", q.f.county);
    org_facets_add_chosen(raw, "theme", q.f.theme);
    org_facets_add_chosen(raw, "industry", q.f.industry);
    org_facets_add_chosen(raw, "size", q.f.size);
    json_t *facets = org_facet_labels(db_get(), r->arena, raw, r->lang);
    api_own(r, facets);
    page_begin(r, q.q && *q.q ? aprintf_text(r->arena, "%s: %s", T(r, "Search"), q.q) : T(r, "Search"));
    bprintf(&r->out, "<h1>%h</h1>\n<div class=\"directory\">\n<form class=\"filters\" method=\"get\" action=\"/search\" role=\"search\">"
                     "<div class=\"field\"><label for=\"q\">%h</label><input id=\"q\" name=\"q\" type=\"search\" value=\"%h\" "
                     "autocomplete=\"off\" data-live=\"results\"></div>\n",
            T(r, "Search"), T(r, "Search in Swedish, Norwegian or English"), q.q ? q.q : "");
    static const char *const keys[] = {"country", "kind", "theme", "county", "municipality", "industry", "size", NULL};
    int chosen = 0;
    for (int k = 0; keys[k]; k++) {
        const char *l = org_filter_values(r, keys[k]);
        for (const char *p = l; p && *p; p++) chosen += *p == ',';
        chosen += l != NULL;
    }
    facets_open(r, chosen);
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
    html_facet_chips(r, facets, keys);
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
        if (!str_empty(q.q)) org_no_result_help(r, db_get(), q.q, "/search");
    }
    html_pager(r, total, q.page, q.per_page);
    buf_puts(&r->out, "</section>\n</div>\n");
    page_end(r);
}
