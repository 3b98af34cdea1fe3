/* The organisations JSON API (/api/v1/organisations): a thin face over org.h. */
#include "core/util.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "org/query.h"

void org_api_list(req_t *r) {
    db_t *db = db_get();
    org_filter_t f;
    const char *bad = org_filter_read(r, &f);
    if (bad) { resp_problem(r, 422, "bad-filter", bad, NULL); return; }
    org_row_t *rows;
    int n;
    long long total = org_search(db, r->arena, &f, r->lang, &rows, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = org_load(db, rows[i].id, org_can_edit(db, r->user, rows[i].id));
        if (o) json_array_append_new(items, o);
    }
    json_t *out = json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", f.page, "per_page", f.per_page);
    if (streq(req_query(r, "facets"), "1") || streq(req_query(r, "facets"), "true"))
        json_object_set_new(out, "facets", org_facets(db, r->arena, &f, r->lang));
    resp_json(r, 200, out);
}

void org_api_get(req_t *r) { doc_api_get(r, &org_kind); }
void org_api_create(req_t *r) { doc_api_create_answer(r, &org_kind); }
void org_api_patch(req_t *r) { doc_api_patch(r, &org_kind); }
void org_api_history(req_t *r) { doc_api_history(r, &org_kind); }
void org_api_revert(req_t *r) { doc_api_revert(r, &org_kind); }
