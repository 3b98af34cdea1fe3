/* Directory queries with facets (see query.h). The plain search here matches case-folded
 * substrings; the Scandinavian-aware search engine is its own module. */
#include "org/query.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/embedded.h"
#include "core/buf.h"
#include "core/util.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "ref/ref.h"
#include "search/index.h"
#include "org/org.h"

const char *org_filter_values(req_t *r, const char *name) {
    const char **vals;
    int n = req_query_all(r, name, &vals);
    buf_t b;
    buf_init(&b, r->arena);
    int kept = 0;
    for (int i = 0; i < n; i++)
        for (const char *p = vals[i]; p && *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char *v = trim(r->arena, arena_strndup(r->arena, p, len));
            p = e ? e + 1 : p + len;
            if (!*v || kept >= ORG_FILTER_MAX) continue;
            bool dup = false;   /* the list so far, compared value by value */
            for (const char *q = b.data; q && *q && !dup;) {
                const char *c = strchr(q, ',');
                size_t l = c ? (size_t)(c - q) : strlen(q);
                dup = l == strlen(v) && !strncmp(q, v, l);
                q = c ? c + 1 : q + l;
            }
            if (dup) continue;
            bprintf_text(&b, "%s%s", kept ? "," : "", v);
            kept++;
        }
    return kept ? b.data : NULL;
}

/* each_value: whether every value of a comma-separated list passes ok */
static bool each_value(const char *list, bool (*ok)(const char *)) {
    char one[128];
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n >= sizeof one) return false;
        memcpy(one, p, n);
        one[n] = 0;
        if (!ok(one)) return false;
        p = e ? e + 1 : p + n;
    }
    return true;
}
static bool country_ok(const char *v) { return !strcmp(v, "SE") || !strcmp(v, "NO"); }

const char *org_filter_check(req_t *r, const char *country, const char *kind) {
    if (country && !each_value(country, country_ok)) return T(r, "Choose Sweden or Norway.");
    if (kind && !each_value(kind, ref_kind_valid)) return T(r, "Unknown kind of organisation.");
    return NULL;
}

const char *org_filter_read(req_t *r, org_filter_t *f) {
    memset(f, 0, sizeof *f);
    f->page = 1;
    f->per_page = 20;
    const char *v;
    if ((v = req_query(r, "q")) && *v) f->q = v;
    if ((v = req_query(r, "sort")) && *v) f->sort = v;
    f->country = org_filter_values(r, "country");
    f->kind = org_filter_values(r, "kind");
    f->county = org_filter_values(r, "county");
    f->theme = org_filter_values(r, "theme");
    f->industry = org_filter_values(r, "industry");
    f->municipality = org_filter_values(r, "municipality");
    const char *bad = req_paging(r, &f->page, &f->per_page);
    if (!bad) bad = org_filter_check(r, f->country, f->kind);
    if (bad) return bad;
    if (f->q && utf8_len(f->q) > 200) return T(r, "The search text is too long.");
    if (f->sort && strcmp(f->sort, "name") && strcmp(f->sort, "newest") && strcmp(f->sort, "border")) return T(r, "Unknown sort order.");
    return NULL;
}

enum { F_COUNTRY, F_KIND, F_COUNTY, F_THEME, F_INDUSTRY, F_MUNI, F_Q, F_N };

/* where: the WHERE clause for every filter but `skip`. A filter lists one value or several
 * (OR within it, bound as a JSON array); the filters AND. */
static void where(buf_t *b, const org_filter_t *f, int skip) {
    buf_puts(b, " WHERE 1=1");
    if (f->country && skip != F_COUNTRY) buf_puts(b, " AND o.country IN (SELECT value FROM json_each(:country))");
    if (f->kind && skip != F_KIND) buf_puts(b, " AND o.kind IN (SELECT value FROM json_each(:kind))");
    if (f->county && skip != F_COUNTY) buf_puts(b, " AND (o.country || '-' || o.county) IN (SELECT value FROM json_each(:county))");
    if (f->theme && skip != F_THEME)
        buf_puts(b, " AND EXISTS (SELECT 1 FROM org_themes t WHERE t.org_id = o.id AND t.theme IN (SELECT value FROM json_each(:theme)))");
    if (f->industry && skip != F_INDUSTRY)
        buf_puts(b, " AND EXISTS (SELECT 1 FROM org_nace n, json_each(:industry) j WHERE n.org_id = o.id "
                    "AND (n.section = j.value OR n.code LIKE j.value || '%'))");
    if (f->municipality && skip != F_MUNI)
        buf_puts(b, " AND (o.municipality IN (SELECT value FROM json_each(:muni)) "
                    "OR (o.country || '-' || o.municipality) IN (SELECT value FROM json_each(:muni)))");
    if (f->q && skip != F_Q) buf_puts(b, " AND o.search_text LIKE :q ESCAPE '\\'");
}

/* bind_list: a comma-separated list as a JSON array of strings */
static void bind_list(stmt_t *s, arena_t *a, const char *name, const char *list) {
    json_t *arr = json_array();
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        json_array_append_new(arr, json_stringn(p, n));
        p = e ? e + 1 : p + n;
    }
    char *j = json_dumps(arr, JSON_COMPACT);
    db_bind_text(s, name, arena_strdup(a, j ? j : "[]"));
    free(j);
    json_decref(arr);
}

static void bind(stmt_t *s, arena_t *a, const org_filter_t *f, int skip) {
    if (f->country && skip != F_COUNTRY) bind_list(s, a, ":country", f->country);
    if (f->kind && skip != F_KIND) bind_list(s, a, ":kind", f->kind);
    if (f->county && skip != F_COUNTY) bind_list(s, a, ":county", f->county);
    if (f->theme && skip != F_THEME) bind_list(s, a, ":theme", f->theme);
    if (f->industry && skip != F_INDUSTRY) bind_list(s, a, ":industry", f->industry);
    if (f->municipality && skip != F_MUNI) bind_list(s, a, ":muni", f->municipality);
    if (f->q && skip != F_Q) {
        char *folded = text_fold(a, f->q);
        buf_t p;
        buf_init(&p, a);
        buf_putc(&p, '%');
        for (const char *c = folded ? folded : ""; *c; c++) {
            if (*c == '%' || *c == '_' || *c == '\\') buf_putc(&p, '\\');
            buf_putc(&p, *c);
        }
        buf_putc(&p, '%');
        db_bind_text(s, ":q", p.data);
    }
}

/* filtered: the statement head + WHERE (every filter but `skip`) + tail (or nothing), the filters bound */
static stmt_t *filtered(db_t *db, arena_t *a, const org_filter_t *f, int skip, const char *head, const char *tail) {
    buf_t b;
    buf_init(&b, a);
    buf_puts(&b, head);
    where(&b, f, skip);
    if (tail) buf_puts(&b, tail);
    stmt_t *s = db_prep_dyn(db, a, b.data);
    bind(s, a, f, skip);
    return s;
}

static search_filter_t index_filter(const org_filter_t *f) {
    return (search_filter_t){f->country, f->kind, f->county, f->municipality, f->theme, f->industry, true};
}

/* row_select: the SELECT of a directory row, its summary in the reader's language if there is one */
/* ROW_SELECT: a directory row, its summary in the reader's language col/lang where there is one */
#define ROW_SELECT(col, lang)                                                                                          \
    "SELECT o.id, o.name, o.country, o.kind, o.municipality, o.county, o.status, o.demo_key IS NOT NULL, "             \
    "CASE WHEN coalesce(o." col ", '') <> '' THEN o." col " WHEN o.country = 'NO' AND coalesce(o.desc_nb, '') <> '' " \
    "THEN o.desc_nb WHEN coalesce(o.desc_sv, '') <> '' THEN o.desc_sv ELSE coalesce(o.desc_nb, o.desc_en) END, "       \
    "CASE WHEN coalesce(o." col ", '') <> '' THEN '" lang "' WHEN o.country = 'NO' AND coalesce(o.desc_nb, '') <> '' " \
    "THEN 'nb' WHEN coalesce(o.desc_sv, '') <> '' THEN 'sv' WHEN coalesce(o.desc_nb, '') <> '' THEN 'nb' ELSE 'en' END " \
    "FROM organisations o"
static const char *const row_sql[3] = {ROW_SELECT("desc_sv", "sv"), ROW_SELECT("desc_nb", "nb"), ROW_SELECT("desc_en", "en")};
/* the rows of a list of ids (org_rows): cached statements, one per reader's language */
#define ROWS_IN " WHERE o.id IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids))"
static const char *const rows_in_sql[3] = {ROW_SELECT("desc_sv", "sv") ROWS_IN, ROW_SELECT("desc_nb", "nb") ROWS_IN,
                                           ROW_SELECT("desc_en", "en") ROWS_IN};
static int lang_ix(const char *lang) { return lang[0] == 'n' ? 1 : lang[0] == 'e' ? 2 : 0; }

static void row_select(buf_t *b, const char *lang) { buf_puts(b, row_sql[lang_ix(lang)]); }

static void read_row(stmt_t *s, arena_t *a, org_row_t *o) {
    o->id = db_int(s, 0);
    o->name = db_text_dup(s, 1, a);
    o->country = db_text_dup(s, 2, a);
    o->kind = db_text_dup(s, 3, a);
    o->municipality = db_text_dup(s, 4, a);
    o->county = db_text_dup(s, 5, a);
    o->status = db_text_dup(s, 6, a);
    o->demo = db_int(s, 7) != 0;
    o->summary = db_text_dup(s, 8, a);
    o->summary_lang = db_text_dup(s, 9, a);
}

bool org_row(db_t *db, arena_t *a, int64_t id, const char *lang, org_row_t *o) {
    bool found = false;
    org_rows(db, a, &id, 1, lang, o, &found);
    return found;
}

void org_rows(db_t *db, arena_t *a, const int64_t *ids, int n, const char *lang, org_row_t *rows, bool *found) {
    for (int i = 0; i < n; i++) found[i] = false;
    if (n <= 0) return;
    stmt_t *s = db_prep_static(db, rows_in_sql[lang_ix(lang)]);
    db_bind_text(s, ":ids", db_id_list(a, ids, n));
    while (db_step(s)) {
        int64_t id = db_int(s, 0);
        for (int i = 0; i < n; i++)   /* a page of hits: a few dozen */
            if (ids[i] == id && !found[i]) { read_row(s, a, &rows[i]); found[i] = true; }
    }
    db_reset(s);
}

/* rows_of: the rows of ids[0..n) that exist, in their order, into rows (n + 1 places); how many */
static int rows_of(db_t *db, arena_t *a, const int64_t *ids, int n, const char *lang, org_row_t *rows) {
    org_row_t *got = arena_alloc(a, sizeof *got * (size_t)(n + 1));
    bool *found = arena_alloc(a, sizeof *found * (size_t)(n + 1));
    org_rows(db, a, ids, n, lang, got, found);
    int k = 0;
    for (int i = 0; i < n; i++) if (found[i]) rows[k++] = got[i];
    return k;
}

/* ---- nearest the border: the distance from a municipality's centre (data/ref/municipality-points.csv)
 * to the nearest municipality centre on the other side, computed once per process ---- */
typedef struct border_pt { char country[3], code[5]; double lon, lat, km; } border_pt_t;
static border_pt_t *bpts;  /* process lifetime, read-only after load */
static int nbpts;
static pthread_once_t border_once = PTHREAD_ONCE_INIT;

static void border_load(void) {
    const struct embedded_file *f = embedded_find("data/ref/municipality-points.csv");
    if (!f) return;
    bpts = xcalloc(f->len / 20 + 1, sizeof *bpts);
    for (const char *p = strchr(f->data, '\n'); p && *++p; p = strchr(p, '\n')) {
        border_pt_t *b = &bpts[nbpts];
        if (sscanf(p, "%2[A-Z],%4[0-9],%lf,%lf", b->country, b->code, &b->lon, &b->lat) == 4) nbpts++;
    }
    for (int i = 0; i < nbpts; i++) {
        double best = 1e9, c = cos(bpts[i].lat * M_PI / 180.0);
        for (int k = 0; k < nbpts; k++) {
            if (!strcmp(bpts[i].country, bpts[k].country)) continue;
            double dx = (bpts[i].lon - bpts[k].lon) * c * 111.32, dy = (bpts[i].lat - bpts[k].lat) * 110.57;
            double d = sqrt(dx * dx + dy * dy);
            if (d < best) best = d;
        }
        bpts[i].km = best;
    }
}

double org_border_km(const char *country, const char *code) {
    pthread_once(&border_once, border_load);
    for (int i = 0; country && code && i < nbpts; i++)
        if (!strcmp(bpts[i].country, country) && !strcmp(bpts[i].code, code)) return bpts[i].km;
    return 1e9;
}

typedef struct near { int64_t id; double km; const char *name; } near_t;
static int near_cmp(const void *x, const void *y) {
    const near_t *a = x, *b = y;
    if (a->km != b->km) return a->km < b->km ? -1 : 1;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* search_by_border: the filtered organisations nearest the border first (then by name), one page */
static long long search_by_border(db_t *db, arena_t *a, const org_filter_t *f, const char *lang, org_row_t **rows, int *n) {
    stmt_t *s = filtered(db, a, f, -1, "SELECT o.id, o.country, o.municipality, o.name FROM organisations o", NULL);
    size_t cap = 256, k = 0;
    near_t *all = arena_alloc(a, cap * sizeof *all);
    while (db_step(s)) {
        if (k == cap) {
            near_t *more = arena_alloc(a, 2 * cap * sizeof *all);
            memcpy(more, all, cap * sizeof *all);
            all = more;
            cap *= 2;
        }
        all[k++] = (near_t){db_int(s, 0), org_border_km(db_text(s, 1), db_text(s, 2)), db_text_dup(s, 3, a)};
    }
    db_reset(s);
    qsort(all, k, sizeof *all, near_cmp);
    size_t from = (size_t)(f->page - 1) * (size_t)f->per_page;
    *rows = arena_alloc(a, sizeof(org_row_t) * (size_t)(f->per_page + 1));
    int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(f->per_page + 1));
    int m = 0;
    for (size_t i = from; i < k && m < f->per_page; i++) ids[m++] = all[i].id;
    *n = rows_of(db, a, ids, m, lang, *rows);
    return (long long)k;
}

long long org_search(db_t *db, arena_t *a, const org_filter_t *f, const char *lang, org_row_t **rows, int *n) {
    if (f->sort && !strcmp(f->sort, "border") && !(f->q && *f->q && search_doc_count())) return search_by_border(db, a, f, lang, rows, n);
    if (f->q && *f->q && search_doc_count()) {
        org_index_catch_up(db);
        search_filter_t sf = index_filter(f);
        search_hit_t *hits;
        int nh;
        long long total = search_orgs(a, f->q, &sf, (f->page - 1) * f->per_page, f->per_page, &hits, &nh, NULL);
        *rows = arena_alloc(a, sizeof(org_row_t) * (size_t)(nh + 1));
        int64_t *ids = arena_alloc(a, sizeof *ids * (size_t)(nh + 1));
        for (int i = 0; i < nh; i++) ids[i] = hits[i].id;
        *n = rows_of(db, a, ids, nh, lang, *rows);   /* one statement for the page */
        return total;
    }
    long long total = db_int_of(filtered(db, a, f, -1, "SELECT count(*) FROM organisations o", NULL), 0);
    buf_t b;
    buf_init(&b, a);
    row_select(&b, lang);
    stmt_t *s = filtered(db, a, f, -1, b.data,
                         f->sort && !strcmp(f->sort, "newest") ? " ORDER BY o.created_at DESC, o.id DESC LIMIT :limit OFFSET :offset"
                                                               : " ORDER BY o.name, o.id LIMIT :limit OFFSET :offset");
    db_bind_int(s, ":limit", f->per_page);
    db_bind_int(s, ":offset", (int64_t)(f->page - 1) * f->per_page);
    *rows = arena_alloc(a, sizeof(org_row_t) * (size_t)f->per_page);
    *n = 0;
    while (db_step(s) && *n < f->per_page) read_row(s, a, &(*rows)[(*n)++]);
    return total;
}

static json_t *facet(db_t *db, arena_t *a, const org_filter_t *f, int skip, const char *select, const char *from,
                     const char *group) {
    stmt_t *s = filtered(db, a, f, skip, aprintf_text(a, "SELECT %s, count(DISTINCT o.id) FROM %s", select, from),
                         aprintf_text(a, " GROUP BY %s ORDER BY 2 DESC, 1", group));
    json_t *out = json_array();
    while (db_step(s))
        if (db_text(s, 0)) json_array_append_new(out, json_pack("{s:s, s:I}", "value", db_text(s, 0), "count", (json_int_t)db_int(s, 1)));
    return out;
}

static int facet_cmp(const void *x, const void *y) {
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    json_int_t ca = json_integer_value(json_object_get(a, "count")), cb = json_integer_value(json_object_get(b, "count"));
    if (ca != cb) return ca < cb ? 1 : -1;
    return strcmp(json_string_value(json_object_get(a, "value")), json_string_value(json_object_get(b, "value")));
}

/* sorted: a facet's values by count, then value (a new reference) */
static json_t *sorted(json_t *arr) {
    size_t n = json_array_size(arr);
    json_t **v = malloc(sizeof(json_t *) * (n + 1));
    for (size_t i = 0; i < n; i++) v[i] = json_array_get(arr, i);
    qsort(v, n, sizeof *v, facet_cmp);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) json_array_append(out, v[i]);
    free(v);
    return out;
}

json_t *org_facet_labels(db_t *db, arena_t *a, json_t *raw, const char *lang) {
    static const char *const dims[] = {"country", "kind", "county", "municipality", "theme", "industry", "size"};
    json_t *o = json_object();
    for (size_t d = 0; d < sizeof dims / sizeof *dims; d++) {
        json_t *arr = json_object_get(raw, dims[d]);
        if (!arr) continue;
        json_t *c = sorted(arr);
        size_t i;
        json_t *x;
        json_array_foreach(c, i, x) {
            const char *v = json_string_value(json_object_get(x, "value"));
            const char *label = v;
            if (d == 0) label = ref_country_name(v, lang);
            else if (d == 1) label = ref_kind_label(v, lang);
            else if ((d == 2 || d == 3) && strlen(v) > 3 && v[2] == '-') {
                char cc[3] = {v[0], v[1], 0};
                if (d == 2) { const county_t *k = ref_county(cc, v + 3); if (k) label = k->name; }
                else { const municipality_t *m = ref_municipality(cc, v + 3); if (m) label = m->name; }
            } else if (d == 4) label = ref_theme_name(db, a, v, lang);
            else if (d == 5) { const char *l = ref_section_label(v, lang); if (l) label = l; }
            else if (d == 6) label = !strcmp(v, "unknown") ? tr(lang, "Size not known") : aprintf_text(a, "%s %s", v, tr(lang, "employees"));
            json_object_set_new(x, "label", json_string(label));
        }
        json_object_set_new(o, dims[d], c);
    }
    return o;
}

void org_facets_add_chosen(json_t *raw, const char *dim, const char *list) {
    json_t *arr = json_object_get(raw, dim);
    if (!arr) json_object_set_new(raw, dim, arr = json_array());
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool have = false;
        size_t i;
        json_t *x;
        json_array_foreach(arr, i, x) {
            const char *v = json_string_value(json_object_get(x, "value"));
            if (v && strlen(v) == n && !strncmp(v, p, n)) have = true;
        }
        if (!have && n) {
            json_t *o = json_object();
            json_object_set_new(o, "value", json_stringn(p, n));
            json_object_set_new(o, "count", json_integer(0));
            json_array_append_new(arr, o);
        }
        p = e ? e + 1 : p + n;
    }
}

json_t *org_facets(db_t *db, arena_t *a, const org_filter_t *f, const char *lang) {
    json_t *raw = json_object();
    if (f->q && *f->q && search_doc_count()) {
        search_filter_t sf = index_filter(f);
        search_hit_t *hits;
        int nh;
        search_orgs(a, f->q, &sf, 0, 0, &hits, &nh, raw);
        json_object_del(raw, "municipality"); /* the directory offers counties, not municipalities */
        json_object_del(raw, "size");
    } else {
        json_object_set_new(raw, "country", facet(db, a, f, F_COUNTRY, "o.country", "organisations o", "o.country"));
        json_object_set_new(raw, "kind", facet(db, a, f, F_KIND, "o.kind", "organisations o", "o.kind"));
        json_object_set_new(raw, "county", facet(db, a, f, F_COUNTY, "o.country || '-' || o.county", "organisations o", "1"));
        json_object_set_new(raw, "theme", facet(db, a, f, F_THEME, "t.theme", "organisations o JOIN org_themes t ON t.org_id = o.id", "t.theme"));
        json_object_set_new(raw, "industry", facet(db, a, f, F_INDUSTRY, "n.section", "organisations o JOIN org_nace n ON n.org_id = o.id", "n.section"));
    }
    /* a chosen value the other filters leave without matches still shows, checked, to be taken off */
    org_facets_add_chosen(raw, "country", f->country);
    org_facets_add_chosen(raw, "kind", f->kind);
    org_facets_add_chosen(raw, "county", f->county);
    org_facets_add_chosen(raw, "theme", f->theme);
    org_facets_add_chosen(raw, "industry", f->industry);
    json_t *o = org_facet_labels(db, a, raw, lang);
    json_decref(raw);
    return o;
}
