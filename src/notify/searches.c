/* Saved searches (issue 14): "save this search" on a search page, the list on the account
 * (/account/searches) and in the API, and a notification when a new item matches one.
 *
 * A saved search is a scope (what is searched), the page it runs on and its query string made
 * canonical: the scope's parameters in a fixed order, each one's values sorted (a facet may
 * take several). A scope brings its parameters, a check of their values, a test of whether one
 * new item matches (the search index's own, so the answer is the page's) and whether an item is
 * new. Organisations are the first scope; calls, testbeds, listings and posts join with a row
 * in scopes[] and a call of notify_searches_saved from notify's after-save hook of their kind.
 * The test runs after the save committed (notify.c's after-save hook, subscribed after the
 * search index's so the index already holds the new item); notify_search_hits records what a
 * search told, so nothing is told twice. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "html/html.h"
#include "http/api.h"
#include "http/csrf.h"
#include "i18n/i18n.h"
#include "notify/internal.h"
#include "org/org.h"
#include "ref/ref.h"
#include "search/index.h"

#define MAX_SEARCHES 50        /* per user */
#define MAX_NAME 120           /* characters */
#define MAX_QUERY 1000         /* bytes of the canonical query string */

/* ---- scopes ---- */

typedef struct scope {
    const char *name;                   /* the scope column: "org" */
    const char *subject;                /* the notify subject of a match */
    const char *kind;                   /* the notify kind of a match */
    const char *const *paths;           /* the pages it may be saved on (the first is the default) */
    const char *const *params;          /* the query parameters kept, in order */
    bool (*valid)(const char *param, const char *value);
    bool (*is_new)(db_t *db, int64_t id);
    bool (*matches)(arena_t *a, const params_t *q, int64_t id);
    int64_t (*last_id)(db_t *db);                                        /* the newest item's id */
    int64_t *(*made_since)(db_t *db, int64_t after, int64_t upto, size_t *n);   /* ids in (after, upto], malloc'ed */
} scope_t;

static const char *const org_paths[] = {"/search", "/organisations", NULL};
static const char *const org_params[] = {"q", "country", "kind", "theme", "county", "municipality", "industry", "size", NULL};

static bool org_valid(const char *p, const char *v) {
    size_t n = strlen(v);
    if (streq(p, "q")) return utf8_len(v) <= 200;
    if (streq(p, "country")) return streq(v, "SE") || streq(v, "NO");
    if (streq(p, "kind")) return ref_kind_valid(v);
    if (streq(p, "theme")) return ref_theme_slug_valid(v);
    if (n > 40) return false;
    for (const char *c = v; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || *c == '-' || *c == '.' || *c == '+'))
            return false;
    return true;
}

static bool org_is_new(db_t *db, int64_t id) {
    json_t *d = org_load(db, id, false);
    bool yes = d && json_integer_value(json_object_get(d, "version")) == 1;
    json_decref(d);
    return yes;
}

/* one facet: the item has one of its values (values of one facet are alternatives) */
static bool org_facet(arena_t *a, const params_t *q, const char *p, int64_t id) {
    bool any = false;
    for (int i = 0; i < q->n; i++) {
        if (!streq(q->items[i].name, p)) continue;
        const char *v = q->items[i].value;
        search_filter_t f = {.include_inactive = true};
        if (streq(p, "country")) f.country = v;
        else if (streq(p, "kind")) f.kind = v;
        else if (streq(p, "theme")) f.theme = v;
        else if (streq(p, "county")) f.county = v;
        else if (streq(p, "municipality")) f.municipality = v;
        else if (streq(p, "industry")) f.industry = v;
        else if (streq(p, "size")) f.size = v;
        if (search_org_matches(a, "", &f, id)) return true;
        any = true;
    }
    return !any;
}

/* the words (every one of them, as /search finds them) and every facet */
static bool org_matches(arena_t *a, const params_t *q, int64_t id) {
    const char *text = "";
    for (int i = 0; i < q->n; i++) if (streq(q->items[i].name, "q")) text = q->items[i].value;
    search_filter_t none = {.include_inactive = true};
    if (!search_org_matches(a, text, &none, id)) return false;
    for (int k = 1; org_params[k]; k++) if (!org_facet(a, q, org_params[k], id)) return false;
    return true;
}

static int64_t *org_made_since(db_t *db, int64_t after, int64_t upto, size_t *n) {
    arena_t *a = arena_new();
    org_brief_t *b = org_new_since(db, a, after, upto, NULL, n);
    int64_t *ids = xmalloc(sizeof *ids * (*n + 1));
    for (size_t i = 0; i < *n; i++) ids[i] = b[i].id;
    free(b);
    arena_free(a);
    return ids;
}

static const scope_t scopes[] = {
    {"org", "org", "new-in-search", org_paths, org_params, org_valid, org_is_new, org_matches, org_last_id, org_made_since},
};

static const scope_t *scope_of(const char *name) {
    for (size_t i = 0; i < sizeof scopes / sizeof *scopes; i++) if (name && streq(scopes[i].name, name)) return &scopes[i];
    return NULL;
}

static bool path_ok(const scope_t *sc, const char *path) {
    for (int i = 0; sc->paths[i]; i++) if (path && streq(path, sc->paths[i])) return true;
    return false;
}

static int str_cmp(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

/* canonical: the scope's parameters of in (decoded pairs), each one's values sorted and once,
 * empty ones and others dropped, as a query string; NULL when a value is not valid; "" when none */
static const char *canonical(arena_t *a, const scope_t *sc, const params_t *in) {
    buf_t b;
    buf_init(&b, a);
    size_t room = 1;   /* a value of b bytes splits into at most b/2 + 1 choices */
    for (int i = 0; i < in->n; i++) room += in->items[i].value ? strlen(in->items[i].value) / 2 + 1 : 0;
    const char **vals = arena_alloc(a, sizeof *vals * room);
    for (int k = 0; sc->params[k]; k++) {
        int n = 0;
        for (int i = 0; i < in->n; i++) {
            const param_t *p = &in->items[i];
            if (!streq(p->name, sc->params[k]) || !p->value) continue;
            const char *v = p->value;
            if (streq(p->name, "q")) {   /* the words as typed, without the spaces around them */
                while (*v == ' ') v++;
                size_t l = strlen(v);
                while (l && v[l - 1] == ' ') l--;
                v = arena_strndup(a, v, l);
            }
            if (!*v) continue;
            if (streq(p->name, "q")) {
                if (!sc->valid(p->name, v)) return NULL;
                vals[n++] = v;
                continue;
            }
            /* a facet's choices come repeated or as a comma list ("country=SE,NO") */
            for (const char *c = v; *c;) {
                size_t l = strcspn(c, ",");
                const char *one = arena_strndup(a, c, l);
                if (*one) {
                    if (!sc->valid(p->name, one)) return NULL;
                    vals[n++] = one;
                }
                c += l + (c[l] == ',');
            }
        }
        if (n > 1) qsort(vals, (size_t)n, sizeof *vals, str_cmp);
        for (int i = 0; i < n; i++)
            if (!i || strcmp(vals[i], vals[i - 1])) bprintf_text(&b, "%s%U=%U", b.len ? "&" : "", sc->params[k], vals[i]);
    }
    return b.len ? b.data : "";
}

static bool decode(arena_t *a, const char *query, params_t *out) {
    memset(out, 0, sizeof *out);
    return form_decode(a, query, strlen(query), out);
}

/* describe: the search in words, for its default name and the list: “words” · Norway · Company … */
static const char *describe(db_t *db, arena_t *a, const char *query, const char *lang) {
    params_t q;
    if (!decode(a, query, &q)) return query;
    buf_t b;
    buf_init(&b, a);
    for (int i = 0; i < q.n; i++) {
        const char *p = q.items[i].name, *v = q.items[i].value, *label = v;
        if (streq(p, "q")) label = aprintf_text(a, "“%s”", v);
        else if (streq(p, "country")) label = ref_country_name(v, lang);
        else if (streq(p, "kind")) label = ref_kind_label(v, lang);
        else if (streq(p, "theme")) label = ref_theme_name(db, a, v, lang);
        else if (streq(p, "industry")) {
            const char *l = ref_nace_label(v, "SE", NULL);
            if (l) label = aprintf_text(a, "%s %s", v, l);
        }
        bprintf_text(&b, "%s%s", b.len ? " · " : "", label ? label : v);
    }
    const char *s = b.len ? b.data : query;
    if (utf8_len(s) > MAX_NAME) {   /* cut at a character, not inside one */
        size_t cut = 0, chars = 0;
        while (s[cut] && chars < MAX_NAME - 1) { cut++; while ((s[cut] & 0xC0) == 0x80) cut++; chars++; }
        s = aprintf_text(a, "%.*s…", (int)cut, s);
    }
    return s;
}

/* ---- the store ---- */

/* The followed searches of every scope, counted: a save that no search follows costs no query.
 * -1 until counted; recounted after every change this process makes (another process's new
 * searches are counted when this one next changes one, or restarts). */
static _Atomic long long g_followed = -1;

static void recount(db_t *db) {
    g_followed = db_int_of(db_prep(db, "SELECT count(*) FROM notify_searches WHERE notify = 1"), 0);
}


static int64_t saved_id(db_t *db, int64_t uid, const char *scope, const char *query) {
    stmt_t *s = db_prep(db, "SELECT id FROM notify_searches WHERE user_id = :u AND scope = :s AND query = :q");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":s", scope);
    db_bind_text(s, ":q", query);
    return db_int_of(s, 0);
}

static bool name_ok(const char *name) {
    if (!name || !*name || utf8_len(name) > MAX_NAME) return false;
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) if (*c < 0x20 || *c == 0x7f) return false;
    return true;
}

typedef enum { SAVE_OK, SAVE_QUERY, SAVE_EMPTY, SAVE_NAME, SAVE_MANY, SAVE_DB } save_rc_t;

/* save: a new saved search (or the same one again: its id); *id */
static save_rc_t save(db_t *db, arena_t *a, int64_t uid, const scope_t *sc, const char *path, const char *raw_query, const char *name,
                      bool notify, int64_t *id, const char **canon, const char *lang) {
    params_t in;
    if (!raw_query || strlen(raw_query) > MAX_QUERY || !decode(a, raw_query, &in)) return SAVE_QUERY;
    const char *q = canonical(a, sc, &in);
    if (!q) return SAVE_QUERY;
    if (!*q) return SAVE_EMPTY;
    *canon = q;
    if (name) {
        while (*name == ' ') name++;
        size_t l = strlen(name);
        while (l && name[l - 1] == ' ') l--;
        name = arena_strndup(a, name, l);
    }
    if (!name || !*name) name = describe(db, a, q, lang);
    if (!name_ok(name)) return SAVE_NAME;
    if ((*id = saved_id(db, uid, sc->name, q))) return SAVE_OK;
    stmt_t *s = db_prep(db, "SELECT count(*) FROM notify_searches WHERE user_id = :u");
    db_bind_int(s, ":u", uid);
    if (db_int_of(s, 0) >= MAX_SEARCHES) return SAVE_MANY;
    if (!db_begin(db)) return SAVE_DB;
    s = db_prep(db, "INSERT INTO notify_searches (user_id, scope, path, query, name, notify, created_at) VALUES (:u, :s, :p, :q, :n, :on, :now) "
                    "ON CONFLICT DO NOTHING");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":s", sc->name);
    db_bind_text(s, ":p", path_ok(sc, path) ? path : sc->paths[0]);
    db_bind_text(s, ":q", q);
    db_bind_text(s, ":n", name);
    db_bind_int(s, ":on", notify);
    db_bind_text(s, ":now", now_utc(a));
    if (!db_run(s) || !db_commit(db)) { db_rollback(db); return SAVE_DB; }
    *id = saved_id(db, uid, sc->name, q);
    recount(db);
    return *id ? SAVE_OK : SAVE_DB;
}

static const char *save_message(req_t *r, save_rc_t rc) {
    switch (rc) {
    case SAVE_QUERY: return T(r, "This search cannot be saved: one of its filters is not valid.");
    case SAVE_EMPTY: return T(r, "Choose some words or a filter first: a search for everything cannot be followed.");
    case SAVE_NAME: return T(r, "The name may have at most 120 characters and no control characters.");
    case SAVE_MANY: return T(r, "You have 50 saved searches, the most there may be. Delete one first.");
    default: return T(r, "This could not be saved. Nothing was changed.");
    }
}

/* one of the user's saved searches, or false */
typedef struct saved { int64_t id; const char *scope, *path, *query, *name, *created_at; bool notify; } saved_t;

static bool load(db_t *db, arena_t *a, int64_t uid, int64_t id, saved_t *out) {
    stmt_t *s = db_prep(db, "SELECT id, scope, path, query, name, notify, created_at FROM notify_searches WHERE id = :id AND user_id = :u");
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":u", uid);
    bool got = db_step(s);
    if (got)
        *out = (saved_t){db_int(s, 0), db_text_dup(s, 1, a), db_text_dup(s, 2, a), db_text_dup(s, 3, a), db_text_dup(s, 4, a),
                         db_text_dup(s, 6, a), db_int(s, 5) == 1};
    db_reset(s);
    return got;
}

static saved_t *list(db_t *db, arena_t *a, int64_t uid, int *n) {
    saved_t *out = arena_alloc(a, sizeof *out * (MAX_SEARCHES + 1));
    stmt_t *s = db_prep(db, "SELECT id, scope, path, query, name, notify, created_at FROM notify_searches WHERE user_id = :u ORDER BY id LIMIT 200");
    db_bind_int(s, ":u", uid);
    *n = 0;
    while (*n < MAX_SEARCHES && db_step(s))
        out[(*n)++] = (saved_t){db_int(s, 0), db_text_dup(s, 1, a), db_text_dup(s, 2, a), db_text_dup(s, 3, a), db_text_dup(s, 4, a),
                                db_text_dup(s, 6, a), db_int(s, 5) == 1};
    db_reset(s);
    return out;
}

static bool update(db_t *db, int64_t uid, int64_t id, const char *name, int notify) {
    if (!db_begin(db)) return false;
    stmt_t *s = db_prep(db, "UPDATE notify_searches SET name = coalesce(:n, name), notify = coalesce(:on, notify) WHERE id = :id AND user_id = :u");
    db_bind_text(s, ":n", name);
    if (notify >= 0) db_bind_int(s, ":on", notify);
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":u", uid);
    if (!db_run(s) || !db_commit(db)) { db_rollback(db); return false; }
    recount(db);
    return true;
}

static bool forget(db_t *db, int64_t uid, int64_t id) {
    if (!db_begin(db)) return false;
    stmt_t *s = db_prep(db, "DELETE FROM notify_search_hits WHERE search_id = :id AND search_id IN (SELECT id FROM notify_searches WHERE user_id = :u)");
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":u", uid);
    bool ok = db_run(s);
    s = db_prep(db, "DELETE FROM notify_searches WHERE id = :id AND user_id = :u");
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":u", uid);
    if (!ok || !db_run(s) || !db_commit(db)) { db_rollback(db); return false; }
    recount(db);
    return true;
}

/* notify_search_add: save a followed search of organisations for uid (bench digest); its id or 0 */
int64_t notify_search_add(db_t *db, arena_t *a, int64_t uid, const char *query, const char *name) {
    int64_t id = 0;
    const char *canon = NULL;
    return save(db, a, uid, &scopes[0], "/search", query, name, true, &id, &canon, "sv") == SAVE_OK ? id : 0;
}

/* notify_search_query_ok: query is a query string a saved search of organisations can keep */
bool notify_search_query_ok(const char *query) {
    if (!query || strlen(query) > MAX_QUERY) return false;
    arena_t *a = arena_new();
    params_t in;
    const char *q = decode(a, query, &in) ? canonical(a, &scopes[0], &in) : NULL;
    bool ok = q && *q;
    arena_free(a);
    return ok;
}

/* the follows API's target "search" (key: a query string of the directory) */
bool notify_search_follow(db_t *db, arena_t *a, int64_t uid, const char *query, bool on, const char *lang) {
    const scope_t *sc = &scopes[0];
    if (on) {
        int64_t id;
        const char *canon;
        return save(db, a, uid, sc, "/organisations", query, NULL, true, &id, &canon, lang) == SAVE_OK;
    }
    params_t in;
    const char *q = decode(a, query, &in) ? canonical(a, sc, &in) : NULL;
    int64_t id = q ? saved_id(db, uid, sc->name, q) : 0;
    return !id || forget(db, uid, id);
}

/* ---- a new item: who hears of it ---- */

static bool any_followed(db_t *db, const scope_t *sc) {
    if (g_followed < 0) recount(db);
    if (g_followed == 0) return false;
    stmt_t *s = db_prep(db, "SELECT count(*) FROM notify_searches WHERE scope = :s AND notify = 1");
    db_bind_text(s, ":s", sc->name);
    return db_int_of(s, 0) > 0;
}

/* tell: the followed searches a new item matches learn of it; each user once, however many of
 * their searches match (every matching one records the hit, so a second look tells nobody) */
static void tell(db_t *db, const scope_t *sc, int64_t id) {
    arena_t *a = arena_new();
    stmt_t *s = db_prep(db, "SELECT id, user_id, query, name FROM notify_searches WHERE scope = :s AND notify = 1 ORDER BY user_id, id");
    db_bind_text(s, ":s", sc->name);
    struct row { int64_t id, uid; const char *query, *name; } *rows = NULL;
    size_t n = 0, cap = 0;
    while (db_step(s)) {
        if (n == cap) rows = xrealloc(rows, (cap = cap ? 2 * cap : 64) * sizeof *rows);
        rows[n++] = (struct row){db_int(s, 0), db_int(s, 1), db_text_dup(s, 2, a), db_text_dup(s, 3, a)};
    }
    db_reset(s);
    for (size_t i = 0; i < n;) {
        size_t end = i;
        while (end < n && rows[end].uid == rows[i].uid) end++;
        if (!db_begin(db)) break;
        /* told before, under any of the user's searches (by the hook, or an earlier look) */
        s = db_prep(db, "SELECT count(*) FROM notify_search_hits h JOIN notify_searches x ON x.id = h.search_id "
                        "WHERE x.user_id = :u AND x.scope = :sc AND h.item_id = :i");
        db_bind_int(s, ":u", rows[i].uid);
        db_bind_text(s, ":sc", sc->name);
        db_bind_int(s, ":i", id);
        bool told = db_int_of(s, 0) > 0, ok = true;
        const char *first = NULL;   /* the name of the first search it matches */
        for (size_t k = i; ok && k < end; k++) {
            params_t q;
            if (!decode(a, rows[k].query, &q) || !sc->matches(a, &q, id)) continue;
            s = db_prep(db, "INSERT INTO notify_search_hits (search_id, item_id, at) VALUES (:s, :i, :now) ON CONFLICT DO NOTHING");
            db_bind_int(s, ":s", rows[k].id);
            db_bind_int(s, ":i", id);
            db_bind_text(s, ":now", now_utc(a));
            ok = db_run(s);
            if (!first) first = rows[k].name;
        }
        if (ok && first && !told) ok = notify_emit(db, sc->kind, sc->subject, id, (notify_audience_t){.user = rows[i].uid}, first);
        if (!ok || !db_commit(db)) db_rollback(db);
        i = end;
    }
    free(rows);
    arena_free(a);
}

void notify_searches_saved(db_t *db, const char *scope, int64_t id) {
    const scope_t *sc = scope_of(scope);
    if (sc && any_followed(db, sc) && sc->is_new(db, id)) tell(db, sc, id);
}

/* notify_searches_catch_up: the items made since the last look (by any process: an import, the
 * command line, another server), told to the searches they match; the hook told this process's
 * already, and notify_search_hits keeps it at that. The first look only sets the mark. */
void notify_searches_catch_up(db_t *db) {
    for (size_t k = 0; k < sizeof scopes / sizeof *scopes; k++) {
        const scope_t *sc = &scopes[k];
        stmt_t *s = db_prep(db, "SELECT last_id FROM notify_search_marks WHERE scope = :s");
        db_bind_text(s, ":s", sc->name);
        int64_t last = -1;
        if (db_step(s)) last = db_int(s, 0);
        db_reset(s);
        int64_t upto = sc->last_id(db);
        if (upto <= last) continue;
        if (last >= 0 && any_followed(db, sc)) {
            size_t n = 0;
            int64_t *ids = sc->made_since(db, last, upto, &n);
            for (size_t i = 0; i < n; i++) tell(db, sc, ids[i]);
            free(ids);
        }
        if (!db_begin(db)) return;
        s = db_prep(db, "INSERT INTO notify_search_marks (scope, last_id) VALUES (:s, :m) ON CONFLICT (scope) DO UPDATE SET last_id = :m");
        db_bind_text(s, ":s", sc->name);
        db_bind_int(s, ":m", upto);
        if (!db_run(s) || !db_commit(db)) db_rollback(db);
    }
}

/* ---- "save this search" on a search page ---- */

void notify_save_search(req_t *r, const char *scope) {
    const scope_t *sc = scope_of(scope);
    if (!r->user || !sc) return;
    db_t *db = db_get();
    const char *q = canonical(r->arena, sc, &r->query);
    if (!q || !*q) return;
    int64_t id = saved_id(db, r->user->id, sc->name, q);
    buf_puts(&r->out, "<div class=\"save-search\">");
    if (id) {
        bprintf(&r->out, "<p class=\"small\">%h <a href=\"/account/searches\">%h</a></p>", T(r, "This search is saved: new matches come to your inbox."),
                T(r, "Your saved searches"));
    } else {
        buf_puts(&r->out, "<form method=\"post\" action=\"/account/searches\" class=\"save-search\">");
        csrf_input(r);
        bprintf(&r->out, "<input type=\"hidden\" name=\"scope\" value=\"%h\"><input type=\"hidden\" name=\"path\" value=\"%h\">"
                         "<input type=\"hidden\" name=\"query\" value=\"%h\">"
                         "<div class=\"field\"><label for=\"save-search-name\">%h</label>"
                         "<input id=\"save-search-name\" name=\"name\" type=\"text\" maxlength=\"120\" value=\"%h\"></div>"
                         "<button type=\"submit\" class=\"secondary\">%h</button></form>",
                sc->name, r->path, q, T(r, "Name of the search"), describe(db, r->arena, q, r->lang), T(r, "Save this search and follow it"));
    }
    buf_puts(&r->out, "</div>");
}

/* ---- the account's list ---- */

static void searches_page(req_t *r, int status, const char *error, const char *query, const char *name, const char *scope, const char *path) {
    db_t *db = db_get();
    int n;
    saved_t *ss = list(db, r->arena, r->user->id, &n);
    r->status = status;
    page_begin(r, T(r, "Saved searches"));
    bprintf(&r->out, "<h1>%h</h1><p>%h</p>", T(r, "Saved searches"),
            T(r, "When a new organisation matches a search you follow, it comes to your inbox, and by e-mail as you chose."));
    if (error) {
        bprintf(&r->out, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><p>%h</p></div>", error);
        if (query) {   /* the search that could not be saved, to try again with another name */
            form_open(r, "/account/searches");
            bprintf(&r->out, "<input type=\"hidden\" name=\"scope\" value=\"%h\"><input type=\"hidden\" name=\"path\" value=\"%h\">"
                             "<input type=\"hidden\" name=\"query\" value=\"%h\">",
                    scope ? scope : "org", path ? path : "/search", query);
            field_text(r, "name", T(r, "Name of the search"), name, NULL, "text", NULL, true);
            form_close(r, T(r, "Save this search and follow it"));
        }
    }
    if (!n) bprintf(&r->out, "<p>%h</p>", T(r, "You have no saved searches. Search the directory and choose “Save this search and follow it”."));
    else {
        buf_puts(&r->out, "<ul class=\"plain saved-searches\">");
        for (int i = 0; i < n; i++) {
            const saved_t *s = &ss[i];
            time_t t = 0;
            parse_utc(s->created_at, &t);
            bprintf(&r->out, "<li><h2><a href=\"%h?%h\">%h</a></h2><p class=\"small\">%h</p><p class=\"small\">%h · %h</p><div class=\"actions\">",
                    s->path, s->query, s->name, describe(db, r->arena, s->query, r->lang),
                    aprintf_text(r->arena, T(r, "Saved %s"), fmt_date(r->arena, r->lang, t)),
                    s->notify ? T(r, "New matches are notified") : T(r, "Not followed"));
            const char *act = aprintf_text(r->arena, "/account/searches/%lld", (long long)s->id);
            const char *const hid[][2] = {{"notify", s->notify ? "0" : "1"}};
            form_button(r, act, hid, 1, "secondary", s->notify ? T(r, "Stop following") : T(r, "Follow"));
            form_button(r, aprintf_text(r->arena, "/account/searches/%lld/delete", (long long)s->id), NULL, 0, "secondary",
                        aprintf_text(r->arena, T(r, "Delete “%s”"), s->name));
            buf_puts(&r->out, "</div></li>");
        }
        buf_puts(&r->out, "</ul>");
    }
    bprintf(&r->out, "<p><a href=\"/account/notifications\">%h</a> · <a href=\"/inbox\">%h</a></p>", T(r, "Choose what you get"), T(r, "Inbox"));
    page_end(r);
}

void notify_searches_page(req_t *r) { searches_page(r, 200, NULL, NULL, NULL, NULL, NULL); }

void notify_search_create_post(req_t *r) {
    const char *scope = req_form(r, "scope"), *path = req_form(r, "path"), *query = req_form(r, "query"), *name = req_form(r, "name");
    const scope_t *sc = scope_of(scope ? scope : "org");
    if (!sc) { searches_page(r, 422, T(r, "This search cannot be saved: one of its filters is not valid."), NULL, NULL, NULL, NULL); return; }
    int64_t id = 0;
    const char *canon = NULL;
    save_rc_t rc = save(db_get(), r->arena, r->user->id, sc, path, query, name, true, &id, &canon, r->lang);
    if (rc == SAVE_DB) { resp_error(r, 500, "db", save_message(r, rc)); return; }
    if (rc != SAVE_OK) {
        searches_page(r, 422, save_message(r, rc), rc == SAVE_NAME || rc == SAVE_MANY ? canon : NULL, name, sc->name, path);
        return;
    }
    /* back to the search, which now says it is saved */
    resp_redirect(r, aprintf_text(r->arena, "%s?%s", path_ok(sc, path) ? path : sc->paths[0], canon));
}

void notify_search_update_post(req_t *r) {
    const char *on = req_form(r, "notify"), *name = req_form(r, "name");
    saved_t s;
    if (!load(db_get(), r->arena, r->user->id, r->id[0], &s)) { resp_error(r, 404, "not-found", T(r, "There is no such saved search.")); return; }
    if ((on && !streq(on, "0") && !streq(on, "1")) || (name && !name_ok(name))) {
        searches_page(r, 422, save_message(r, name && !name_ok(name) ? SAVE_NAME : SAVE_QUERY), NULL, NULL, NULL, NULL);
        return;
    }
    if (!update(db_get(), r->user->id, s.id, name, on ? streq(on, "1") : -1)) { resp_error(r, 500, "db", save_message(r, SAVE_DB)); return; }
    resp_redirect(r, "/account/searches");
}

void notify_search_delete_post(req_t *r) {
    saved_t s;
    if (!load(db_get(), r->arena, r->user->id, r->id[0], &s)) { resp_error(r, 404, "not-found", T(r, "There is no such saved search.")); return; }
    if (!forget(db_get(), r->user->id, s.id)) { resp_error(r, 500, "db", save_message(r, SAVE_DB)); return; }
    resp_redirect(r, "/account/searches");
}

/* ---- API ---- */

static json_t *saved_json(db_t *db, arena_t *a, const saved_t *s, const char *lang) {
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "id", (json_int_t)s->id, "scope", s->scope, "path", s->path, "query",
                     s->query, "name", s->name, "description", describe(db, a, s->query, lang), "notify", s->notify, "created_at",
                     s->created_at, "url", aprintf_text(a, "%s?%s", s->path, s->query));
}

void notify_api_searches(req_t *r) {
    db_t *db = db_get();
    int n;
    saved_t *ss = list(db, r->arena, r->user->id, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, saved_json(db, r->arena, &ss[i], r->lang));
    resp_json(r, 200, json_pack("{s:o}", "items", items));
}

void notify_api_search_create(req_t *r) {
    json_t *b = api_body(r);
    if (!b) return;
    json_t *sv = json_object_get(b, "scope"), *qv = json_object_get(b, "query"), *nv = json_object_get(b, "name"),
           *pv = json_object_get(b, "path"), *on = json_object_get(b, "notify");
    json_t *errors = api_own(r, json_object());
    const scope_t *sc = scope_of(sv ? json_string_value(sv) : "org");
    if (!sc) json_object_set_new(errors, "scope", json_string(T(r, "Saved searches know organisations (org).")));
    if (!json_is_string(qv)) json_object_set_new(errors, "query", json_string(T(r, "The query string of a search, such as q=energi&country=NO.")));
    if (nv && !json_is_null(nv) && !json_is_string(nv)) json_object_set_new(errors, "name", json_string(save_message(r, SAVE_NAME)));
    if (pv && !json_is_null(pv) && !(json_is_string(pv) && sc && path_ok(sc, json_string_value(pv))))
        json_object_set_new(errors, "path", json_string(T(r, "The page of the search: /search or /organisations.")));
    if (on && !json_is_boolean(on)) json_object_set_new(errors, "notify", json_string(T(r, "true or false.")));
    if (json_object_size(errors)) { api_invalid(r, errors); return; }
    db_t *db = db_get();
    int64_t id = 0;
    const char *canon = NULL;
    bool existed = false;
    {
        params_t in;
        const char *q = strlen(json_string_value(qv)) <= MAX_QUERY && decode(r->arena, json_string_value(qv), &in) ? canonical(r->arena, sc, &in) : NULL;
        existed = q && *q && saved_id(db, r->user->id, sc->name, q);
    }
    save_rc_t rc = save(db, r->arena, r->user->id, sc, pv ? json_string_value(pv) : NULL, json_string_value(qv), json_string_value(nv),
                        !on || json_is_true(on), &id, &canon, r->lang);
    if (rc == SAVE_DB) { resp_error(r, 500, "db", save_message(r, rc)); return; }
    if (rc == SAVE_MANY) { resp_problem(r, 409, "too-many", save_message(r, rc), NULL); return; }
    if (rc != SAVE_OK) {
        api_invalid(r, api_own(r, json_pack("{s:s}", rc == SAVE_NAME ? "name" : "query", save_message(r, rc))));
        return;
    }
    saved_t s;
    if (!load(db, r->arena, r->user->id, id, &s)) { resp_error(r, 500, "db", save_message(r, SAVE_DB)); return; }
    resp_json(r, existed ? 200 : 201, saved_json(db, r->arena, &s, r->lang));
}

void notify_api_search_patch(req_t *r) {
    json_t *b = api_body(r);
    if (!b) return;
    db_t *db = db_get();
    saved_t s;
    if (!api_found(r, load(db, r->arena, r->user->id, r->id[0], &s), N_("There is no such saved search."))) return;
    json_t *nv = json_object_get(b, "name"), *on = json_object_get(b, "notify");
    json_t *errors = api_own(r, json_object());
    if (nv && !(json_is_string(nv) && name_ok(json_string_value(nv)))) json_object_set_new(errors, "name", json_string(save_message(r, SAVE_NAME)));
    if (on && !json_is_boolean(on)) json_object_set_new(errors, "notify", json_string(T(r, "true or false.")));
    if (json_object_size(errors)) { api_invalid(r, errors); return; }
    if (!update(db, r->user->id, s.id, json_string_value(nv), on ? json_is_true(on) : -1) || !load(db, r->arena, r->user->id, s.id, &s)) {
        resp_error(r, 500, "db", save_message(r, SAVE_DB));
        return;
    }
    resp_json(r, 200, saved_json(db, r->arena, &s, r->lang));
}

void notify_api_search_delete(req_t *r) {
    db_t *db = db_get();
    saved_t s;
    if (!api_found(r, load(db, r->arena, r->user->id, r->id[0], &s), N_("There is no such saved search."))) return;
    if (!forget(db, r->user->id, s.id)) { resp_error(r, 500, "db", save_message(r, SAVE_DB)); return; }
    r->status = 204;
}
