/* Feeding organisations to the search index (search/index.h): at start, after every save on this
 * node (the doc hook), and after every change on another node or process (the change feed,
 * db/feed.h: kind "organisation"). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "db/feed.h"
#include "org/org.h"
#include "ref/ref.h"
#include "search/index.h"
#include "translate/translate.h"

/* the index was built in this process (org_index_all; written once) */
static atomic_bool built;
/* search_put_orgs takes one caller at a time (its pipeline has one job in hand): the change
 * feed's listener, a search's catch-up and the translator's refresh index through index_ids */
static pthread_mutex_t put_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *str(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

/* describe: what the index needs of organisation o (strings borrowed from o or the arena) */
static void describe(arena_t *a, json_t *o, int64_t id, search_org_t *s) {
    memset(s, 0, sizeof *s);
    s->id = id;
    s->name = str(o, "name");
    s->country = str(o, "country");
    s->kind = str(o, "kind");
    s->county = str(o, "county");
    if (!s->county) { /* a saved document has no county: it follows from the municipality */
        const municipality_t *mu = ref_municipality(s->country, str(o, "municipality"));
        s->county = mu ? mu->county : NULL;
    }
    s->municipality = str(o, "municipality");
    s->status = str(o, "status");
    s->lang = streq(s->country, "NO") ? LANG_NB : LANG_SV;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "themes"), i, x) if (s->nthemes < 16) s->themes[s->nthemes++] = json_string_value(x);
    json_array_foreach(json_object_get(o, "nace"), i, x) {
        const char *sec = ref_nace_section(json_string_value(x));
        if (sec && s->nsections < 10) s->sections[s->nsections++] = sec;
    }
    json_t *emp = json_object_get(o, "employees");
    s->employees = json_is_integer(emp) ? (long long)json_integer_value(emp) : -1;
    buf_t tags;
    buf_init(&tags, a);
    static const char *const tk[3] = {"competences", "offers", "needs"};
    for (int k = 0; k < 3; k++) json_array_foreach(json_object_get(o, tk[k]), i, x) bprintf_text(&tags, "%s, ", json_string_value(x));
    s->tags = tags.data;
    /* its industry classes: the index finds it through their labels on both sides of the border,
     * matched at four digits (the weakest field, below what the organisation says itself) */
    json_array_foreach(json_object_get(o, "nace"), i, x) {
        char keys[2][16];
        int nk = json_is_string(x) ? ref_nace_index_keys(json_string_value(x), s->country, keys) : 0;
        for (int k = 0; k < nk && s->nclasses < 12; k++) s->classes[s->nclasses++] = arena_strdup(a, keys[k]);
    }
    json_t *d = json_object_get(o, "description");
    s->text[0] = str(d, "sv"); s->text_lang[0] = LANG_SV;
    s->text[1] = str(d, "nb"); s->text_lang[1] = LANG_NB;
    s->text[2] = str(d, "en"); s->text_lang[2] = LANG_EN;
    s->text[3] = aprintf_text(a, "%s %s %s", str(o, "competences_text"), str(o, "offers_text"), str(o, "needs_text"));
    s->text_lang[3] = s->lang;
}

/* with_translations: the stored machine translations of its texts (translate/) join the
 * weakest field, so they count less than what the organisation wrote itself */
static void with_translations(db_t *db, arena_t *a, int64_t id, search_org_t *s) {
    for (int k = 0; k < 2; k++) {
        const char *t = translate_index_text(db, a, id, k ? "nb" : "sv");
        if (t) s->translated[k] = t;
    }
}

/* on_save: the after-save hook: index the saved document as it is (no reading back) */
static void on_save(db_t *db, const doc_kind_t *k, int64_t id, json_t *doc) {
    (void)db;
    (void)k;
    arena_t *a = arena_new();
    search_org_t s;
    describe(a, doc, id, &s);
    search_put_org(&s); /* its translations follow: translate/ indexes it again (org_index_refresh) */
    arena_free(a);
}

/* index_ids: index the organisations ids[0..n) */
static void index_ids(db_t *db, const int64_t *ids, int n) {
    /* in batches, analysed on two threads (search_put_orgs) */
    enum { BATCH = 2048 };
    search_org_t *batch = xcalloc(BATCH, sizeof *batch);
    json_t **docs = xcalloc(BATCH, sizeof *docs);
    for (int from = 0; from < n; from += BATCH) {
        arena_t *a = arena_new();
        int nb = 0, m = n - from < BATCH ? n - from : BATCH;
        json_t **loaded = arena_alloc(a, sizeof *loaded * (size_t)m);
        org_load_many(db, ids + from, m, false, loaded);   /* a few statements for the whole batch */
        for (int i = from; i < n && i < from + BATCH; i++) {
            json_t *o = loaded[i - from];
            if (!o) { search_remove_org(ids[i]); continue; }
            docs[nb] = o;
            describe(a, o, ids[i], &batch[nb]);
            with_translations(db, a, ids[i], &batch[nb++]);
        }
        pthread_mutex_lock(&put_lock);
        search_put_orgs(batch, nb);
        pthread_mutex_unlock(&put_lock);
        for (int i = 0; i < nb; i++) json_decref(docs[i]);
        arena_free(a);
    }
    free(batch);
    free(docs);
}

/* index_rows: index every organisation id the statement yields (collected first: indexing
 * reads with other statements); returns how many */
static int index_rows(db_t *db, stmt_t *s) {
    int64_t *ids = NULL;
    int n = 0, cap = 0;
    while (db_step(s)) {
        if (n == cap) { cap = cap ? cap * 2 : 256; ids = xrealloc(ids, sizeof *ids * (size_t)cap); }
        ids[n++] = db_int(s, 0);
    }
    index_ids(db, ids, n);
    free(ids);
    return n;
}

/* on_changes: the change feed's subscriber: index again what changed elsewhere, as stored */
static void on_changes(db_t *db, const int64_t *ids, int n) {
    if (n >= 0) { index_ids(db, ids, n); return; }
    index_rows(db, db_prep(db, "SELECT id FROM organisations ORDER BY id")); /* the feed lost track: all */
}

void org_index_changed(db_t *db, const int64_t *ids, int n) {
    if (atomic_load(&built)) on_changes(db, ids, n);
}

int org_index_all(db_t *db) {
    doc_subscribe(&org_kind, on_save);
    feed_subscribe("organisation", on_changes);
    search_text_init(NULL);
    search_set_class_texts(ref_nace_key_texts);
    feed_init(db); /* what is saved during the build comes through the feed after it */
    search_bulk(true);
    int n = index_rows(db, db_prep(db, "SELECT id FROM organisations ORDER BY id"));
    search_bulk(false);
    atomic_store(&built, true);
    return n;
}

bool org_index_built(void) { return atomic_load(&built); }

void org_index_catch_up(db_t *db) {
    if (!atomic_load(&built)) return; /* no index in this process */
    /* the listener applies changes as it is woken; a search asks too (one statement when nothing
     * changed), so that what another process just committed is found at once */
    feed_catch_up(db);
}

void org_index_refresh(db_t *db, int64_t id) {
    if (!atomic_load(&built)) return; /* no index in this process */
    index_ids(db, &id, 1);
}

/* org_index_surface: see org.h */
char *org_index_surface(db_t *db, arena_t *a, const char *terms) {
    search_filter_t sf = {0};
    search_hit_t *hits;
    int nh = 0;
    search_orgs(a, terms, &sf, 0, 5, &hits, &nh, NULL);
    /* what the organisations that match wrote, in one text */
    buf_t text;
    buf_init(&text, a);
    for (int i = 0; i < nh; i++) {
        json_t *o = org_load(db, hits[i].id, false);
        if (!o) continue;
        search_org_t s;
        describe(a, o, hits[i].id, &s);
        bprintf_text(&text, "%s %s %s %s %s %s\n", s.name ? s.name : "", s.tags ? s.tags : "", s.text[0] ? s.text[0] : "",
                     s.text[1] ? s.text[1] : "", s.text[2] ? s.text[2] : "", s.text[3] ? s.text[3] : "");
        json_decref(o);
    }
    term_list_t words = {0};
    text_tokens(a, terms, &words);
    buf_t out;
    buf_init(&out, a);
    for (int i = 0; i < words.n; i++) {
        const char *w = text_surface(a, words.terms[i], text.data);
        bprintf_text(&out, "%s%s", i ? " " : "", w ? w : words.terms[i]);
    }
    return out.data;
}
