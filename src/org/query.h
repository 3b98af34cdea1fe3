/* The directory query: filters, paging and facet counts, shared by the page and the API. */
#ifndef ORG_QUERY_H
#define ORG_QUERY_H
#include <jansson.h>
#include "db/db.h"
#include "http/http.h"

/* Each facet filter (country, kind, county, theme, industry, municipality) holds one value or
 * several separated by commas: OR within a facet, AND across facets. */
typedef struct org_filter {
    const char *q, *country, *kind, *county, *theme, *industry, *municipality, *sort;
    int page, per_page;
} org_filter_t;
#define ORG_FILTER_MAX 20   /* values kept per facet */

/* org_filter_values: every value of a repeated query parameter (each may list several with
 * commas), trimmed and without repeats, joined with commas; NULL when there is none. */
const char *org_filter_values(req_t *r, const char *name);
/* org_filter_check: the message (in r->lang) for a country or kind list with an unknown value, else NULL. */
const char *org_filter_check(req_t *r, const char *country, const char *kind);

/* org_border_km: how far (km) a municipality's centre lies from the nearest municipality centre
 * across the border; 1e9 when unknown. Sorting by "border" uses it. */
double org_border_km(const char *country, const char *code);

typedef struct org_row {
    int64_t id;
    const char *name, *country, *kind, *municipality, *county, *summary, *summary_lang, *status;
    bool demo;
} org_row_t;

/* org_filter_read: from the query string; returns an error message (in r->lang) for
 * malformed values, NULL when fine. */
const char *org_filter_read(req_t *r, org_filter_t *f);
/* org_search: one page of matches; returns the total count. */
long long org_search(db_t *db, arena_t *a, const org_filter_t *f, const char *lang, org_row_t **rows, int *n);
/* org_row: one directory row by id (for results ranked elsewhere), false if there is none. */
bool org_row(db_t *db, arena_t *a, int64_t id, const char *lang, org_row_t *o);
/* org_rows: rows[i] = the directory row of ids[i] and found[i] whether there is one, for i < n
 * (a page of hits), in one statement. */
void org_rows(db_t *db, arena_t *a, const int64_t *ids, int n, const char *lang, org_row_t *rows, bool *found);
/* org_facet_labels: give each value of index facets ({"country":[{"value","count"}],…}) its label in lang, sorted by count. */
json_t *org_facet_labels(db_t *db, arena_t *a, json_t *facets, const char *lang);
/* org_facets_add_chosen: give dim of raw index facets an entry with count 0 for each value of
 * list (comma-separated) it lacks, so a chosen value always shows. */
void org_facets_add_chosen(json_t *raw, const char *dim, const char *list);
/* org_facets: {"country":[{"value","label","count"}], "kind":…, "county":…, "theme":…, "industry":…} */
json_t *org_facets(db_t *db, arena_t *a, const org_filter_t *f, const char *lang);
#endif
