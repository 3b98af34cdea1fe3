/* "Find partners": the pages and the API over org/match.h. */
#include <string.h>
#include "core/util.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "org/match.h"
#include "org/org.h"
#include "ref/ref.h"
#include "search/index.h"
#include "search/text.h"


/* need_problem: what is wrong with a free-text need, in the user's language, or NULL */
static const char *need_problem(req_t *r, const char *need) {
    if (utf8_len(need) > 1000 && !match_need_problem(r->arena, need)) return T(r, "This text is too long.");
    const char *p = match_need_problem(r->arena, need);
    return p ? T(r, p) : NULL;
}

/* read: the filters every matches request takes; an error message or NULL */
static const char *read(req_t *r, match_query_t *q) {
    memset(q, 0, sizeof *q);
    q->lang = r->lang;
    q->limit = 20;
    q->country = req_query(r, "country");
    q->kind = req_query(r, "kind");
    q->need = req_query(r, "need");
    q->from = req_query(r, "from");
    if (q->country && !*q->country) q->country = NULL;
    if (q->kind && !*q->kind) q->kind = NULL;
    if (q->from && !*q->from) q->from = NULL;
    long long n;
    const char *l = req_query(r, "limit");
    if (l && *l) { if (!parse_int(l, 1, 100, &n)) return T(r, "limit must be a number from 1 to 100."); q->limit = (int)n; }
    if (q->country && strcmp(q->country, "SE") && strcmp(q->country, "NO")) return T(r, "Choose Sweden or Norway.");
    if (q->from && strcmp(q->from, "SE") && strcmp(q->from, "NO")) return T(r, "Choose Sweden or Norway.");
    if (q->kind && !ref_kind_valid(q->kind)) return T(r, "Unknown kind of organisation.");
    if (q->need && *q->need) return need_problem(r, q->need);
    return NULL;
}

static void strip_texts(json_t *items) {
    (void)items; /* the API keeps the reasons' text: it is plain text in the user's language */
}

void org_api_matches(req_t *r) {
    match_query_t q;
    const char *bad = read(r, &q);
    if (bad) { resp_problem(r, 422, "bad-query", bad, NULL); return; }
    q.org_id = r->nid ? r->id[0] : 0;
    if (!q.org_id && (!q.need || !*q.need)) { resp_problem(r, 422, "bad-query", T(r, "Say what you are looking for."), NULL); return; }
    org_index_catch_up(db_get());
    json_t *items = match_find(db_get(), &q);
    if (!items) { resp_problem(r, 404, "not-found", T(r, "There is no such organisation."), NULL); return; }
    strip_texts(items);
    resp_json(r, 200, json_pack("{s:o}", "items", items));
}

static void results(req_t *r, json_t *items) {
    if (!json_array_size(items)) {
        bprintf(&r->out, "<p>%h</p>", T(r, "No partner found yet. Add needs and offers to the profile, or try another filter."));
        return;
    }
    buf_puts(&r->out, "<ol class=\"cards matches\">");
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        const char *country = json_string_value(json_object_get(x, "country"));
        bprintf(&r->out, "<li class=\"card\"><h3><a href=\"/organisations/%lld\">%h</a></h3><p class=\"meta\"><span class=\"country country-%h\">%h</span> · %h</p>",
                (long long)json_integer_value(json_object_get(x, "id")), json_string_value(json_object_get(x, "name")), country,
                ref_country_name(country, r->lang), ref_kind_label(json_string_value(json_object_get(x, "kind")), r->lang));
        const char *snip = json_string_value(json_object_get(x, "snippet_html"));   /* escaped by snippet_html() */
        if (snip) { buf_puts(&r->out, "<p class=\"snippet\">"); buf_puts(&r->out, snip); buf_puts(&r->out, "</p>"); }
        buf_puts(&r->out, "<ul class=\"reasons\">");
        size_t k;
        json_t *y;
        json_array_foreach(json_object_get(x, "reasons"), k, y) bprintf(&r->out, "<li>%h</li>", json_string_value(json_object_get(y, "text")));
        buf_puts(&r->out, "</ul></li>");
    }
    buf_puts(&r->out, "</ol>");
}

static void filters(req_t *r, const match_query_t *q, const char *action, bool with_need) {
    bprintf(&r->out, "<form class=\"match-form\" method=\"get\" action=\"%h\">", action);
    if (with_need) {
        bprintf(&r->out, "<div class=\"field\"><label for=\"need\">%h</label><p class=\"hint\" id=\"need-hint\">%h</p>"
                         "<textarea id=\"need\" name=\"need\" rows=\"3\" aria-describedby=\"need-hint\">%h</textarea></div>",
                T(r, "What are you looking for?"), T(r, "E.g. a Norwegian partner for fibre-based packaging. Any of the three languages."),
                q->need ? q->need : "");
        option_t from[2] = {{"SE", ref_country_name("SE", r->lang)}, {"NO", ref_country_name("NO", r->lang)}};
        field_select(r, "from", T(r, "You are in"), from, 2, q->from, NULL, true);
    }
    option_t countries[2] = {{"SE", ref_country_name("SE", r->lang)}, {"NO", ref_country_name("NO", r->lang)}};
    field_select(r, "country", T(r, "Partners in"), countries, 2, q->country, NULL, true);
    option_t kinds[7];
    for (int i = 0; i < 7; i++) kinds[i] = (option_t){ref_kinds[i], ref_kind_label(ref_kinds[i], r->lang)};
    field_select(r, "kind", T(r, "Kind of partner"), kinds, 7, q->kind, NULL, true);
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button></p></form>", T(r, "Find partners"));
}

void org_partners_page(req_t *r) {
    match_query_t q;
    const char *bad = read(r, &q);
    if (bad) { resp_error(r, 400, "bad-query", bad); return; }
    q.org_id = r->id[0];
    db_t *db = db_get();
    const char *name = org_name(db, r->arena, q.org_id);
    if (!name) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    json_t *items = match_find(db, &q);
    api_own(r, items);
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Find partners"), name));
    bprintf(&r->out, "<h1>%h</h1><p class=\"lead\">%h</p><p><a href=\"/organisations/%lld\">%h</a></p>",
            aprintf_text(r->arena, T(r, "Partners for %s"), name),
            T(r, "Organisations whose offers meet its needs, or whose needs it can meet; the other side of the border first."),
            (long long)q.org_id, T(r, "Back to the profile"));
    filters(r, &q, aprintf(r->arena, "/organisations/%lld/partners", (long long)q.org_id), false);
    results(r, items);
    page_end(r);
}

void partners_page(req_t *r) {
    match_query_t q;
    const char *bad = read(r, &q);
    if (bad) { resp_error(r, 400, "bad-query", bad); return; }
    page_lead(r, T(r, "Find partners"),
              T(r, "Describe what you need: we look for organisations on both sides of the border that offer it."));
    filters(r, &q, "/partners", true);
    if (q.need && *q.need) {
        org_index_catch_up(db_get());
        json_t *items = match_find(db_get(), &q);
        api_own(r, items);
        bprintf(&r->out, "<section aria-labelledby=\"res-h\"><h2 id=\"res-h\">%h</h2>", T(r, "Suggested partners"));
        results(r, items);
        buf_puts(&r->out, "</section>");
    }
    page_end(r);
}
