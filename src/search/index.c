/* The in-memory index (see index.h).
 *
 * Documents are numbered 0, 1, 2 … in the order they are put; a replaced document gets a new
 * number and its old one leaves the `alive` set (dead numbers stay in the posting lists until the
 * process restarts, which rebuilds the index).
 *
 * Each term has
 *   - its documents as a CRoaring bitmap, for set algebra: the matches of a word are the union
 *     of its variants' bitmaps, AND across words, AND with the filter bitmaps, cardinalities;
 *   - the same documents as a sorted array with, per posting, the packed term frequencies of
 *     the three fields and a one-byte impact (the BM25F term-frequency part, quantised), for
 *     scoring;
 *   - per block of 128 postings the first document and the highest impact, so the top-k search
 *     skips blocks that cannot reach the current top k.
 * Facet values (country, kind, county, municipality, size band, theme, industry section) are
 * bitmaps too; single-valued ones are also kept per document, for counting small result sets.
 *
 * A query word's score in a document is the best of its variants (own stems 1.0, translations
 * 0.6, completions of the last word 0.8, one-edit spellings 0.5), each variant's posting scoring
 * idf × factor × impact; words add up. An industry class is a term of its own (one posting per
 * document of the class) and a variant of every query word whose variants its texts have (see
 * "industry classes" in index.h and below); a document's class part of a word is read from its
 * packed classes (dinfo), not from the class lists. One-word queries — the frequent case, and the one where a
 * common word matches hundreds of thousands of documents — are answered by a block-max top-k
 * search: variants in decreasing order of their best possible score, skipping every block whose
 * best possible score cannot enter the top k, and stopping when no variant can. Queries of
 * several words score the documents that contain all of them (their intersection), by walking
 * the shorter side. Totals and facet counts are exact: they come from the bitmaps. */
#include "search/index.h"
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <roaring/roaring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/strmap.h"
#include "core/util.h"

static const double W[SF_N] = {3.0, 2.0, 1.0, 0.6}; /* field weights */
#define K1 1.2
#define B 0.75
#define BLOCK 128

/* single-valued dimensions are stored per document; multi-valued only as bitmaps */
enum { D_COUNTRY, D_KIND, D_COUNTY, D_MUNI, D_SIZE, D_THEME, D_INDUSTRY, NDIM, NSINGLE = D_THEME };
static const char *const dim_name[NDIM] = {"country", "kind", "county", "municipality", "size", "theme", "industry"};

struct dim {
    strmap_t ids;                 /* value -> number */
    char **names;
    roaring_bitmap_t **docs;      /* per value: its documents (dead ones included) */
    int n, cap;
};

struct doc {
    int64_t id;
    char *name;
    uint64_t namekey;             /* the first 8 bytes of the folded name, for ordering by name */
    uint16_t len[SF_N];
};

struct term {
    char *s;
    roaring_bitmap_t *set;
    uint32_t *doc;
    uint8_t *imp;                 /* during a bulk load, the packed frequencies: name tf (2 bits) |
                                     tags tf (3 bits) << 2 | text tf (2 bits) << 5 | industry (1 bit)
                                     << 7; then the impact */
    uint32_t *bfirst;
    uint8_t *bmax;
    uint32_t n, cap, lastdoc;
    uint8_t max;                  /* the highest impact */
    int lastpos;                  /* while indexing a document: its slot in the document's term list */
    uint32_t *cls, ncls;          /* the industry classes whose texts have this term (numbers in clsv) */
    uint32_t df;                  /* documents having it, themselves or through their classes (dead ones too) */
};

/* all of it owned by this module for the process, guarded by lock */
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct doc *docs;
/* per municipality value: its county and country values (a municipality lies in one county), so
 * counting municipalities counts those too; muni_mixed once any disagrees */
static int32_t *muni_up[2];
static int muni_up_cap;
static bool muni_mixed;
static uint16_t *col[NSINGLE];   /* per dimension, per document: its value's number (a column each,
                                    so counting one dimension reads two bytes a match) */
static uint64_t *multi[NDIM - NSINGLE];   /* per document: the values (numbered < 64) of theme and industry */
static uint32_t ndocs, capdocs;
/* names live in 1 MiB chunks that never move or shrink (a replaced document's name stays) */
static char *name_chunk;
static size_t name_left;
static char *keep_name(const char *s) {
    size_t n = strlen(s) + 1;
    if (n > 4096) n = 4096;
    if (n > name_left) { name_chunk = xmalloc(1 << 20); name_left = 1 << 20; }
    char *p = name_chunk;
    memcpy(p, s, n - 1);
    p[n - 1] = 0;
    name_chunk += n;
    name_left -= n;
    return p;
}
static roaring_bitmap_t *alive, *active;
static double sumlen[SF_N];
static uint64_t nalive;
static struct dim dimv[NDIM];
static strmap_t termids;          /* term -> number */
static struct term *terms;
static uint32_t nterms, capterms;
static uint32_t *sorted, nsorted; /* term numbers in byte order of their strings (for prefixes) */
/* term numbers by first byte and length, for one-edit spellings (a slip in the first letter is
 * not corrected: it would mean reading the whole dictionary) */
static uint32_t *bykey[256][33];
static uint32_t nbykey[256][33], capbykey[256][33];
static strmap_t ids;              /* "id" -> document number of the live version */
static bool bulk;                 /* search_bulk(true): impacts and the sorted terms wait for the end */
static double impact_avg[SF_N];   /* the average field lengths the impacts were computed with */
/* industry classes (index.h): per class its term ("\x01" + key, a posting per document of the
 * class) and how many words its texts have (a document's weakest field is as long as its classes'
 * texts together) */
struct cls { uint32_t t; uint16_t nwords; uint32_t *tl, ntl; };   /* tl: the terms of its texts, each once */
static struct cls *clsv;
static uint32_t nclsv, capclsv;
static strmap_t clsids;           /* key -> number in clsv */
/* per document its classes and the impact of their postings (all alike: one term, once, in the
 * same field of the same length), in one word, so a document's class part costs one memory
 * read: bits 0-47 up to three class numbers (16 bits each), 48-55 the impact, 56-59 how many
 * (0-3), or 15 when there are more: then bits 0-31 are where they are in dpool (dpool[at] how
 * many, the numbers follow) */
static uint64_t *dinfo;
static uint16_t *dpool;
static uint32_t npool, cappool;
#define DI_MANY 15
/* doc_classes: document d's class numbers, in *out (tmp holds them when they are in the word) */
static inline int doc_classes(uint32_t d, uint16_t tmp[3], const uint16_t **out) {
    uint64_t x = dinfo[d];
    int n = (int)(x >> 56 & 15);
    if (n == DI_MANY) { *out = dpool + (uint32_t)x + 1; return dpool[(uint32_t)x]; }
    for (int i = 0; i < n; i++) tmp[i] = (uint16_t)(x >> (16 * i));
    *out = tmp;
    return n;
}
static inline void doc_set_impact(uint32_t d, uint8_t imp) { dinfo[d] = (dinfo[d] & ~(0xffULL << 48)) | (uint64_t)imp << 48; }
static search_class_texts_fn class_texts;

void search_set_class_texts(search_class_texts_fn fn) {
    pthread_rwlock_wrlock(&lock);
    class_texts = fn;
    pthread_rwlock_unlock(&lock);
}

const char *search_size_band(long long employees) {
    if (employees < 0) return "unknown";
    if (employees < 10) return "1-9";
    if (employees < 50) return "10-49";
    if (employees < 250) return "50-249";
    return "250+";
}

static void init_once(void) {
    if (!alive) {
        alive = roaring_bitmap_create();
        active = roaring_bitmap_create();
    }
}

size_t search_doc_count(void) {
    pthread_rwlock_rdlock(&lock);
    size_t n = active ? (size_t)roaring_bitmap_get_cardinality(active) : 0;
    pthread_rwlock_unlock(&lock);
    return n;
}

/* ---- facet values ---- */
static int dim_value(int k, const char *v) {
    struct dim *d = &dimv[k];
    int *slot = strmap_slot(&d->ids, v, true);
    if (*slot < 0) {
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 16;
            d->names = xrealloc(d->names, sizeof *d->names * (size_t)d->cap);
            d->docs = xrealloc(d->docs, sizeof *d->docs * (size_t)d->cap);
        }
        d->names[d->n] = xstrdup(v);
        d->docs[d->n] = roaring_bitmap_create();
        *slot = d->n++;
    }
    return *slot;
}

static int dim_find(int k, const char *v) {
    int *slot = strmap_slot(&dimv[k].ids, v, false);
    return slot ? *slot : -1;
}

/* ---- terms ---- */
static int cmp_term(const void *x, const void *y) {
    return strcmp(terms[*(const uint32_t *)x].s, terms[*(const uint32_t *)y].s);
}

static uint32_t sorted_lower(const char *s) {
    uint32_t lo = 0, hi = nsorted;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(terms[sorted[mid]].s, s) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static uint32_t term_id(const char *s) {
    int *slot = strmap_slot(&termids, s, true);
    if (*slot >= 0) return (uint32_t)*slot;
    if (nterms == capterms) {
        capterms = capterms ? capterms * 2 : 65536;
        terms = xrealloc(terms, sizeof *terms * capterms);
        sorted = xrealloc(sorted, sizeof *sorted * capterms);
    }
    uint32_t t = nterms++;
    terms[t] = (struct term){.s = xstrdup(s), .set = roaring_bitmap_create(), .lastdoc = UINT32_MAX};
    *slot = (int)t;
    size_t l = strlen(s);
    if (l > 32) l = 32;
    unsigned char c0 = (unsigned char)s[0];
    if (nbykey[c0][l] == capbykey[c0][l]) {
        capbykey[c0][l] = capbykey[c0][l] ? capbykey[c0][l] * 2 : 64;
        bykey[c0][l] = xrealloc(bykey[c0][l], sizeof ***bykey * capbykey[c0][l]);
    }
    bykey[c0][l][nbykey[c0][l]++] = t;
    if (!bulk) { /* keep the sorted dictionary sorted */
        uint32_t at = sorted_lower(s);
        memmove(sorted + at + 1, sorted + at, sizeof *sorted * (nsorted - at));
        sorted[at] = t;
        nsorted++;
    }
    return t;
}

/* has_class: whether class c's texts have term x (its classes are in increasing order) */
static bool has_class(const struct term *x, uint32_t c) {
    uint32_t lo = 0, hi = x->ncls;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (x->cls[mid] < c) lo = mid + 1;
        else hi = mid;
    }
    return lo < x->ncls && x->cls[lo] == c;
}

/* class_get: the number of class key, made the first time (its texts analysed and every term of
 * them pointing to it); -1 for a key the class source does not know. The caller holds the write
 * lock. */
static int class_get(const char *key) {
    int *slot = strmap_slot(&clsids, key, true);
    if (*slot >= 0) return *slot;
    if (*slot == -2) return -1;   /* asked before: unknown */
    const char *texts[3] = {NULL, NULL, NULL};
    arena_t *a = arena_new();
    if (!class_texts) { arena_free(a); return -1; }   /* no source yet: asked again next time */
    if (!class_texts(a, key, texts)) { arena_free(a); *slot = -2; return -1; }
    if (nclsv == capclsv) {
        capclsv = capclsv ? capclsv * 2 : 1024;
        clsv = xrealloc(clsv, sizeof *clsv * capclsv);
    }
    uint32_t c = nclsv++;
    char *name = arena_alloc(a, strlen(key) + 2);
    name[0] = 1;
    strcpy(name + 1, key);
    clsv[c].t = term_id(name);
    clsv[c].tl = NULL;
    clsv[c].ntl = 0;
    int nwords = 0;
    static const text_lang_t lang[3] = {LANG_SV, LANG_NB, LANG_EN};
    for (int k = 0; k < 3; k++) {
        if (!texts[k] || !*texts[k]) continue;
        term_list_t tl = {0};
        nwords += text_analyze_all(a, texts[k], lang[k], &tl);
        for (int i = 0; i < tl.n; i++) {
            struct term *x = &terms[term_id(tl.terms[i])];   /* before the next analysis: the strings are the cache's */
            if (x->ncls && x->cls[x->ncls - 1] == c) continue;
            if (!(x->ncls & (x->ncls - 1))) x->cls = xrealloc(x->cls, sizeof *x->cls * (x->ncls ? x->ncls * 2 : 1));
            x->cls[x->ncls++] = c;
            if (!(clsv[c].ntl & (clsv[c].ntl - 1))) clsv[c].tl = xrealloc(clsv[c].tl, sizeof *clsv[c].tl * (clsv[c].ntl ? clsv[c].ntl * 2 : 1));
            clsv[c].tl[clsv[c].ntl++] = (uint32_t)(x - terms);
        }
    }
    clsv[c].nwords = (uint16_t)(nwords > 65535 ? 65535 : nwords);
    *slot = (int)c;
    arena_free(a);
    return (int)c;
}

static uint8_t impact_of(uint8_t tf, const uint16_t *len) {
    int tfs[SF_N] = {tf & 3, (tf >> 2) & 7, (tf >> 5) & 3, tf >> 7};
    double wtf = 0;
    for (int f = 0; f < SF_N; f++) {
        if (!tfs[f]) continue;
        double avg = impact_avg[f] > 0 ? impact_avg[f] : 1;
        wtf += W[f] * tfs[f] / (1 - B + B * len[f] / avg);
    }
    long q = lrint(255.0 * wtf / (K1 + wtf));
    return (uint8_t)(q < 1 ? 1 : q > 255 ? 255 : q);
}

static void post(uint32_t t, uint32_t doc, uint8_t tf, const uint16_t *len) {
    struct term *x = &terms[t];
    if (x->n == x->cap) {
        x->cap = x->cap ? x->cap * 2 : 4;
        x->doc = xrealloc(x->doc, sizeof *x->doc * x->cap);
        x->imp = xrealloc(x->imp, x->cap);
        uint32_t nb = (x->cap + BLOCK - 1) / BLOCK;
        x->bfirst = xrealloc(x->bfirst, sizeof *x->bfirst * nb);
        x->bmax = xrealloc(x->bmax, nb);
    }
    uint8_t imp = bulk ? tf : impact_of(tf, len);
    uint32_t i = x->n++;
    x->doc[i] = doc;
    x->imp[i] = imp;
    if (x->s[0] == 1 && !bulk) doc_set_impact(doc, imp);
    if (!bulk && imp > x->max) x->max = imp;
    if (i % BLOCK == 0) { x->bfirst[i / BLOCK] = doc; x->bmax[i / BLOCK] = imp; }
    else if (imp > x->bmax[i / BLOCK]) x->bmax[i / BLOCK] = imp;
    if (!bulk) roaring_bitmap_add(x->set, doc);   /* a bulk load makes the bitmaps at its end */
}

/* the end of a bulk load: the postings added during it hold term frequencies; turn them into
 * impacts with the average field lengths of the whole load, make their bitmaps in one go and
 * give back the arrays' spare room */
static uint32_t bulk_from_term, bulk_from_doc;
static void bulk_finish(void) {
    for (int f = 0; f < SF_N; f++) impact_avg[f] = nalive ? sumlen[f] / (double)nalive : 1;
    for (uint32_t t = 0; t < nterms; t++) {
        struct term *x = &terms[t];
        uint32_t from = 0;
        if (t < bulk_from_term) { /* an older term: only its postings of this load */
            if (!x->n || x->doc[x->n - 1] < bulk_from_doc) continue;
            from = x->n;
            while (from > 0 && x->doc[from - 1] >= bulk_from_doc) from--;
        }
        bool cls = x->s[0] == 1;
        for (uint32_t i = from; i < x->n; i++) {
            x->imp[i] = impact_of(x->imp[i], docs[x->doc[i]].len);
            if (cls) doc_set_impact(x->doc[i], x->imp[i]);
            if (i % BLOCK == 0 || x->imp[i] > x->bmax[i / BLOCK]) x->bmax[i / BLOCK] = x->imp[i];
            if (x->imp[i] > x->max) x->max = x->imp[i];
        }
        if (from == 0) {
            roaring_bitmap_free(x->set);
            x->set = roaring_bitmap_of_ptr(x->n, x->doc);
        } else roaring_bitmap_add_many(x->set, x->n - from, x->doc + from);
        roaring_bitmap_run_optimize(x->set);
        x->df = x->n;   /* the documents having it themselves (those through classes: below) */
        if (x->n && x->cap > x->n) {
            x->cap = x->n;
            x->doc = xrealloc(x->doc, sizeof *x->doc * x->cap);
            x->imp = xrealloc(x->imp, x->cap);
            uint32_t nb = (x->cap + BLOCK - 1) / BLOCK;
            x->bfirst = xrealloc(x->bfirst, sizeof *x->bfirst * nb);
            x->bmax = xrealloc(x->bmax, nb);
        }
    }
}

/* the document frequency of every term that classes' texts have: the documents having it
 * themselves or through one of those classes (after a bulk load, all of them again) */
static void class_df(void) {
    const roaring_bitmap_t **sets = NULL;
    uint32_t cap = 0;
    for (uint32_t t = 0; t < nterms; t++) {
        struct term *x = &terms[t];
        if (!x->ncls) continue;
        if (x->ncls + 1 > cap) { cap = x->ncls + 1; sets = xrealloc(sets, sizeof *sets * cap); }
        uint32_t n = 0;
        if (x->n) sets[n++] = x->set;
        for (uint32_t c = 0; c < x->ncls; c++) if (terms[clsv[x->cls[c]].t].n) sets[n++] = terms[clsv[x->cls[c]].t].set;
        if (!n) { x->df = 0; continue; }
        if (n == 1) { x->df = (uint32_t)roaring_bitmap_get_cardinality(sets[0]); continue; }
        roaring_bitmap_t *u = roaring_bitmap_or_many(n, sets);
        x->df = (uint32_t)roaring_bitmap_get_cardinality(u);
        roaring_bitmap_free(u);
    }
    free(sets);
}

static void finish_current(void);
void search_bulk(bool on) {
    if (!on) finish_current();   /* the last batch of a bulk load */
    pthread_rwlock_wrlock(&lock);
    if (!bulk && on) { bulk_from_term = nterms; bulk_from_doc = ndocs; }
    if (bulk && !on) {
        bulk_finish();
        class_df();
        for (uint32_t t = nsorted; t < nterms; t++) sorted[t] = t;
        nsorted = nterms;
        if (nsorted) qsort(sorted, nsorted, sizeof *sorted, cmp_term);
    }
    bool ended = bulk && !on;
    bulk = on;
    pthread_rwlock_unlock(&lock);
    /* a bulk load's scratch (the packed lists, the batches' arenas, the word caches' churn) is
     * freed by now but kept by the allocator: give it back */
    if (ended) malloc_trim(0);
}

static void kill_doc(int64_t id) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    int *slot = strmap_slot(&ids, key, false);
    if (!slot || *slot < 0) return;
    uint32_t d = (uint32_t)*slot;
    if (roaring_bitmap_contains(alive, d)) {
        roaring_bitmap_remove(alive, d);
        roaring_bitmap_remove(active, d);
        nalive--;
        for (int f = 0; f < SF_N; f++) sumlen[f] -= docs[d].len[f];
    }
    *slot = -1;
}

/* the terms of one document, each with its packed frequencies */
struct dterms { uint32_t *t; uint8_t *tf; int n, cap; };

/* add_term: t is the term's number if prepare found it, else UINT32_MAX (made here) */
static void add_term(struct dterms *dt, uint32_t doc, uint32_t t, const char *s, int field) {
    if (t == UINT32_MAX) t = term_id(s);
    struct term *x = &terms[t];
    if (x->lastdoc != doc) {
        if (dt->n == dt->cap) {
            dt->cap = dt->cap ? dt->cap * 2 : 64;
            dt->t = xrealloc(dt->t, sizeof *dt->t * (size_t)dt->cap);
            dt->tf = xrealloc(dt->tf, (size_t)dt->cap);
        }
        x->lastdoc = doc;
        x->lastpos = dt->n;
        dt->t[dt->n] = t;
        dt->tf[dt->n++] = 0;
    }
    uint8_t *tf = &dt->tf[x->lastpos];
    int shift = field == SF_NAME ? 0 : field == SF_TAGS ? 2 : field == SF_TEXT ? 5 : 7;
    int max = field == SF_TAGS ? 7 : field == SF_IND ? 1 : 3;
    int cur = (*tf >> shift) & max;
    if (cur < max) *tf = (uint8_t)((*tf & ~(max << shift)) | ((cur + 1) << shift));
}

static uint64_t name_key(arena_t *a, const char *name) {
    term_list_t w = {0};
    text_tokens(a, name, &w);
    unsigned char k[8] = {0};
    int at = 0;
    for (int i = 0; i < w.n && at < 8; i++) {
        for (const char *p = w.terms[i]; *p && at < 8; p++) k[at++] = (unsigned char)*p;
        if (at < 8) k[at++] = ' ' - 31; /* a word break sorts before every letter */
    }
    uint64_t key = 0;
    for (int i = 0; i < 8; i++) key = key << 8 | k[i];
    return key;
}

/* A document analysed and ready to be put: the analysis needs no lock (it reads only the
 * lexicon and this thread's word cache), so it runs before the write lock is taken, and bulk
 * loads run it on two threads. */
struct prep {
    arena_t *a;
    const search_org_t *o;
    uint64_t namekey;
    int np, field[9], nwords[9];
    term_list_t terms[9], namewords;
    uint32_t *ids[9], *nameids;     /* the terms' numbers where they exist already */
};

/* resolve: the numbers of the terms the index has (under the read lock: numbers never change) */
static uint32_t *resolve(arena_t *a, const term_list_t *t) {
    uint32_t *out = arena_alloc(a, sizeof *out * (size_t)(t->n + 1));
    for (int i = 0; i < t->n; i++) {
        int *slot = strmap_slot(&termids, t->terms[i], false);
        out[i] = slot && *slot >= 0 ? (uint32_t)*slot : UINT32_MAX;
    }
    return out;
}

static void prepare(struct prep *p, const search_org_t *o, bool resolve_now) {
    arena_t *a = p->a ? p->a : (p->a = arena_new());
    p->o = o;
    p->np = 0;
    const char *text[8] = {o->name, o->tags, o->text[0], o->text[1], o->text[2], o->text[3], o->translated[0], o->translated[1]};
    const text_lang_t lang[8] = {o->lang, o->lang, o->text_lang[0], o->text_lang[1], o->text_lang[2], o->text_lang[3], LANG_SV, LANG_NB};
    const int field[8] = {SF_NAME, SF_TAGS, SF_TEXT, SF_TEXT, SF_TEXT, SF_TEXT, SF_IND, SF_IND};
    p->namekey = name_key(a, o->name ? o->name : "");
    for (int k = 0; k < 8; k++) {
        if (!text[k] || !*text[k]) continue;
        term_list_t *t = &p->terms[p->np];
        *t = (term_list_t){0};
        p->field[p->np] = field[k];
        p->nwords[p->np] = text_analyze_all(a, text[k], lang[k], t);
        /* the cache's strings live until the next call: keep a copy */
        for (int i = 0; i < t->n; i++) t->terms[i] = arena_strdup(a, t->terms[i]);
        p->np++;
    }
    /* the name is also indexed unstemmed: names mix languages */
    term_list_t nw = {0};
    p->namewords = (term_list_t){0};
    text_tokens(a, o->name, &nw);
    for (int i = 0; i < nw.n; i++) term_add(a, &p->namewords, text_fold_word(a, nw.terms[i]));
    if (resolve_now) {
        pthread_rwlock_rdlock(&lock);
        for (int k = 0; k < p->np; k++) p->ids[k] = resolve(a, &p->terms[k]);
        p->nameids = resolve(a, &p->namewords);
        pthread_rwlock_unlock(&lock);
    } else { /* commit looks them up */
        for (int k = 0; k < p->np; k++) {
            p->ids[k] = arena_alloc(a, sizeof **p->ids * (size_t)(p->terms[k].n + 1));
            memset(p->ids[k], 0xff, sizeof **p->ids * (size_t)p->terms[k].n);
        }
        p->nameids = arena_alloc(a, sizeof *p->nameids * (size_t)(p->namewords.n + 1));
        memset(p->nameids, 0xff, sizeof *p->nameids * (size_t)p->namewords.n);
    }
}

/* commit: put a prepared document; the caller holds the write lock */
static void commit(struct prep *p) {
    const search_org_t *o = p->o;
    init_once();
    kill_doc(o->id);
    if (ndocs == capdocs) {
        capdocs = capdocs ? capdocs * 2 : 1024;
        docs = xrealloc(docs, sizeof *docs * capdocs);
        for (int k = 0; k < NSINGLE; k++) col[k] = xrealloc(col[k], sizeof **col * capdocs);
        for (int k = 0; k < NDIM - NSINGLE; k++) multi[k] = xrealloc(multi[k], sizeof **multi * capdocs);
        dinfo = xrealloc(dinfo, sizeof *dinfo * capdocs);
    }
    for (int k = 0; k < NDIM - NSINGLE; k++) multi[k][ndocs] = 0;
    uint32_t di = ndocs++;
    uint16_t val[NSINGLE];
    struct doc *d = &docs[di];
    memset(d, 0, sizeof *d);
    d->id = o->id;
    d->name = keep_name(o->name ? o->name : "");
    d->namekey = p->namekey;
    char key[64];
    const char *country = o->country ? o->country : "";
    val[D_COUNTRY] = (uint16_t)dim_value(D_COUNTRY, country);
    val[D_KIND] = (uint16_t)dim_value(D_KIND, o->kind ? o->kind : "");
    snprintf(key, sizeof key, "%s-%s", country, o->county ? o->county : "");
    val[D_COUNTY] = (uint16_t)dim_value(D_COUNTY, o->county && *o->county ? key : "");
    snprintf(key, sizeof key, "%s-%s", country, o->municipality ? o->municipality : "");
    val[D_MUNI] = (uint16_t)dim_value(D_MUNI, o->municipality && *o->municipality ? key : "");
    val[D_SIZE] = (uint16_t)dim_value(D_SIZE, search_size_band(o->employees));
    for (int k = 0; k < NSINGLE; k++) { col[k][di] = val[k]; roaring_bitmap_add(dimv[k].docs[val[k]], di); }
    if (val[D_MUNI] >= muni_up_cap) {
        int cap = muni_up_cap ? muni_up_cap * 2 : 1024;
        while (cap <= val[D_MUNI]) cap *= 2;
        for (int u = 0; u < 2; u++) {
            muni_up[u] = xrealloc(muni_up[u], sizeof **muni_up * (size_t)cap);
            for (int i = muni_up_cap; i < cap; i++) muni_up[u][i] = -1;
        }
        muni_up_cap = cap;
    }
    const int up[2] = {D_COUNTY, D_COUNTRY};
    for (int u = 0; u < 2; u++) {
        int32_t *m = &muni_up[u][val[D_MUNI]];
        if (*m < 0) *m = val[up[u]];
        else if (*m != val[up[u]]) muni_mixed = true;
    }
    for (int i = 0; i < o->nthemes; i++) {
        int v = dim_value(D_THEME, o->themes[i]);   /* may grow dimv[].docs: first the value */
        roaring_bitmap_add(dimv[D_THEME].docs[v], di);
        if (v < 64) multi[D_THEME - NSINGLE][di] |= 1ULL << v;
    }
    for (int i = 0; i < o->nsections; i++) {
        char one[2] = {o->sections[i][0], 0};
        if (!one[0]) continue;
        int v = dim_value(D_INDUSTRY, one);
        roaring_bitmap_add(dimv[D_INDUSTRY].docs[v], di);
        if (v < 64) multi[D_INDUSTRY - NSINGLE][di] |= 1ULL << v;
    }
    struct dterms dt = {0};
    for (int k = 0; k < p->np; k++) {
        for (int i = 0; i < p->terms[k].n; i++) add_term(&dt, di, p->ids[k][i], p->terms[k].terms[i], p->field[k]);
        int l = d->len[p->field[k]] + p->nwords[k];
        d->len[p->field[k]] = (uint16_t)(l > 65535 ? 65535 : l);
    }
    for (int i = 0; i < p->namewords.n; i++) add_term(&dt, di, p->nameids[i], p->namewords.terms[i], SF_NAME);
    uint16_t pc[12];
    int npc = 0;
    for (int i = 0; i < o->nclasses && i < 12; i++) {   /* one posting per class, in the weakest field */
        int c = o->classes[i] ? class_get(o->classes[i]) : -1;
        if (c < 0 || c > 65535 || terms[clsv[c].t].lastdoc == di) continue;
        add_term(&dt, di, clsv[c].t, NULL, SF_IND);
        int l = d->len[SF_IND] + clsv[c].nwords;
        d->len[SF_IND] = (uint16_t)(l > 65535 ? 65535 : l);
        pc[npc++] = (uint16_t)c;
    }
    if (npc <= 3) {
        dinfo[di] = (uint64_t)npc << 56;
        for (int j = 0; j < npc; j++) dinfo[di] |= (uint64_t)pc[j] << (16 * j);
    } else {
        if (npool + (uint32_t)npc + 1 > cappool) {
            while (npool + (uint32_t)npc + 1 > cappool) cappool = cappool ? cappool * 2 : 65536;
            dpool = xrealloc(dpool, sizeof *dpool * cappool);
        }
        dinfo[di] = (uint64_t)DI_MANY << 56 | npool;
        dpool[npool++] = (uint16_t)npc;
        for (int j = 0; j < npc; j++) dpool[npool++] = pc[j];
    }
    /* a term the document has that its classes' texts have too is in its weakest field as well,
     * as if the document held those texts: its posting scores both fields, as BM25F adds them */
    if (npc)
        for (int i = 0; i < dt.n; i++) {
            const struct term *x = &terms[dt.t[i]];
            if (!x->ncls || x->s[0] == 1) continue;
            for (int j = 0; j < npc; j++)
                if (has_class(x, pc[j])) { dt.tf[i] |= 1 << 7; break; }
        }
    /* document frequencies: its terms, and its classes' that it does not have itself (a bulk
     * load counts them at its end, from the bitmaps) */
    for (int i = 0; i < dt.n && !bulk; i++) terms[dt.t[i]].df++;
    for (int j = 0; j < npc && !bulk; j++)
        for (uint32_t k = 0; k < clsv[pc[j]].ntl; k++) {
            struct term *x = &terms[clsv[pc[j]].tl[k]];
            if (x->lastdoc != di) { x->lastdoc = di; x->df++; }
        }
    for (int f = 0; f < SF_N; f++) sumlen[f] += d->len[f];
    nalive++;
    if (!bulk && nalive < 1000) /* a young index: the averages still move */
        for (int f = 0; f < SF_N; f++) impact_avg[f] = sumlen[f] / (double)nalive;
    for (int i = 0; i < dt.n; i++) post(dt.t[i], di, dt.tf[i], d->len);
    free(dt.t);
    free(dt.tf);
    roaring_bitmap_add(alive, di);
    if (!o->status || !strcmp(o->status, "active")) roaring_bitmap_add(active, di);
    snprintf(key, sizeof key, "%lld", (long long)o->id);
    *strmap_slot(&ids, key, true) = (int)di;
    /* later documents' impacts use the averages as they are then; the next start computes them
     * all again with one average */
}

void search_put_org(const search_org_t *o) {
    search_text_init(NULL);
    struct prep p = {0};
    prepare(&p, o, true);
    pthread_rwlock_wrlock(&lock);
    commit(&p);
    pthread_rwlock_unlock(&lock);
    arena_free(p.a);
}

/* Bulk loads run as a pipeline on two threads. search_put_orgs copies its batch (the caller may
 * free it on return) and posts it as the next job; the helper thread analyses jobs, and the
 * calling thread, before it commits the previous job, helps with the one in hand (both take
 * documents from a shared counter). So the caller's own work between batches (reading the
 * store) overlaps the analysis. All of it owned by this module for the process; the helper
 * thread starts with the first bulk batch and lives for the process. */
struct job {
    arena_t *a;                 /* the copied documents */
    search_org_t *o;
    struct prep *p;
    int n, next, done;          /* next and done under helper_lock */
};
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t helper_cv = PTHREAD_COND_INITIALIZER;
static struct job *current;             /* the batch being analysed, committed by the next call or the end */
static bool helper_started;

/* work: analyse documents of j until none is left to take; true when all are done */
static bool work(struct job *j) {
    pthread_mutex_lock(&helper_lock);
    for (;;) {
        if (j->next >= j->n) break;
        int i = j->next++;
        pthread_mutex_unlock(&helper_lock);
        prepare(&j->p[i], &j->o[i], false);
        pthread_mutex_lock(&helper_lock);
        j->done++;
    }
    bool all = j->done == j->n;
    if (all) pthread_cond_broadcast(&helper_cv);
    pthread_mutex_unlock(&helper_lock);
    return all;
}

static void *helper_main(void *unused) {
    (void)unused;
    for (;;) {
        pthread_mutex_lock(&helper_lock);
        while (!current || current->next >= current->n) pthread_cond_wait(&helper_cv, &helper_lock);
        struct job *j = current;
        pthread_mutex_unlock(&helper_lock);
        work(j);
    }
    return NULL;
}

static char *copy(arena_t *a, const char *s) { return s ? arena_strdup(a, s) : NULL; }

static struct job *job_new(const search_org_t *o, int n) {
    struct job *j = xcalloc(1, sizeof *j);
    j->a = arena_new();
    j->n = n;
    j->o = arena_alloc(j->a, sizeof *j->o * (size_t)n);
    j->p = xcalloc((size_t)n, sizeof *j->p);
    for (int i = 0; i < n; i++) {
        search_org_t *d = &j->o[i];
        *d = o[i];
        d->name = copy(j->a, o[i].name);
        d->country = copy(j->a, o[i].country);
        d->kind = copy(j->a, o[i].kind);
        d->county = copy(j->a, o[i].county);
        d->municipality = copy(j->a, o[i].municipality);
        d->status = copy(j->a, o[i].status);
        d->tags = copy(j->a, o[i].tags);
        for (int k = 0; k < d->nthemes; k++) d->themes[k] = copy(j->a, o[i].themes[k]);
        for (int k = 0; k < d->nsections; k++) d->sections[k] = copy(j->a, o[i].sections[k]);
        for (int k = 0; k < 4; k++) d->text[k] = copy(j->a, o[i].text[k]);
        for (int k = 0; k < 2; k++) d->translated[k] = copy(j->a, o[i].translated[k]);
        for (int k = 0; k < d->nclasses; k++) d->classes[k] = copy(j->a, o[i].classes[k]);
    }
    return j;
}

static void job_commit(struct job *j) {
    pthread_rwlock_wrlock(&lock);
    for (int i = 0; i < j->n; i++) commit(&j->p[i]);
    pthread_rwlock_unlock(&lock);
    for (int i = 0; i < j->n; i++) arena_free(j->p[i].a);
    free(j->p);
    arena_free(j->a);
    free(j);
}

/* take_current: the job in hand, analysed (helping with it); NULL if there is none */
static struct job *take_current(void) {
    pthread_mutex_lock(&helper_lock);
    struct job *j = current;
    pthread_mutex_unlock(&helper_lock);
    if (!j) return NULL;
    if (!work(j)) {
        pthread_mutex_lock(&helper_lock);
        while (j->done < j->n) pthread_cond_wait(&helper_cv, &helper_lock);
        pthread_mutex_unlock(&helper_lock);
    }
    pthread_mutex_lock(&helper_lock);
    current = NULL;
    pthread_mutex_unlock(&helper_lock);
    return j;
}

/* finish_current: the job in hand analysed and committed; the caller holds no lock */
static void finish_current(void) {
    struct job *j = take_current();
    if (j) job_commit(j);
}

void search_put_orgs(const search_org_t *o, int n) {
    if (n <= 0) return;
    search_text_init(NULL);
    struct job *j = job_new(o, n);
    /* the job before this one: finish its analysis together, then commit it while the helper
     * starts on this one */
    struct job *prev = take_current();
    pthread_mutex_lock(&helper_lock);
    if (!helper_started) {
        pthread_t t;
        helper_started = pthread_create(&t, NULL, helper_main, NULL) == 0;
        if (helper_started) pthread_detach(t);
    }
    current = j;
    pthread_cond_broadcast(&helper_cv);
    pthread_mutex_unlock(&helper_lock);
    if (prev) job_commit(prev);
    if (!helper_started || !bulk) finish_current();   /* no pipeline outside bulk loads */
}

void search_remove_org(int64_t id) {
    pthread_rwlock_wrlock(&lock);
    init_once();
    kill_doc(id);
    pthread_rwlock_unlock(&lock);
}

/* ---- queries ---- */
static bool edit1(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la > lb + 1 || lb > la + 1) return false;
    size_t i = 0, j = 0;
    int edits = 0;
    while (i < la && j < lb) {
        if (a[i] == b[j]) { i++; j++; continue; }
        if (++edits > 1) return false;
        if (la > lb) i++;
        else if (lb > la) j++;
        else { i++; j++; }
    }
    edits += (int)(la - i) + (int)(lb - j);
    return edits <= 1;
}

struct variant { uint32_t t; float w; float ub; int32_t cls; };   /* w = idf × factor / 255; ub = w × best impact;
                                                                      cls: the class number of a class's variant, else -1 */
/* A query word: its variants, best first. Its set of documents — the union of the variants
 * that are not compound parts, and the documents having all parts of a compound — is made only
 * when needed (word_set); an AND query instead intersects what it has with it (word_and). */
struct word {
    struct variant *v;              /* all of them: the terms' own and the classes' */
    int n;
    struct variant *rv;             /* the terms' own only (a document's score looks up the classes
                                       it has in cw instead of every class variant) */
    int nrv;
    float *cw;                      /* per class number: its variant's w, 0 if none (NULL: no class) */
    bool *cin;                      /* per class number: its documents have the word (a class of a
                                       compound's part alone does not make them have it) */
    bool *is_part;                  /* per variant */
    const struct term **parts[4];   /* each compound reading's parts (NULL: a part is unknown) */
    int nparts[4], nreadings;
    roaring_bitmap_t *set;          /* NULL until word_set */
    bool own_set;
};

static int variant_cmp(const void *x, const void *y) {
    const struct variant *a = x, *b = y;
    return a->ub < b->ub ? 1 : a->ub > b->ub ? -1 : (a->t > b->t) - (a->t < b->t);
}

/* fewest_postings: the word (of nw >= 1) whose variants have the fewest postings, the first of equals */
static int fewest_postings(const struct word *w, int nw) {
    int best = 0;
    uint64_t fewest = UINT64_MAX;
    for (int i = 0; i < nw; i++) {
        uint64_t n = 0;
        for (int k = 0; k < w[i].n; k++) n += terms[w[i].v[k].t].n;
        if (n < fewest) { fewest = n; best = i; }
    }
    return best;
}


/* target_of: the language of the documents a filter keeps, when it keeps one country's only */
static text_lang_t target_of(const search_filter_t *f) {
    if (f && f->country && !strcmp(f->country, "NO")) return LANG_NB;
    if (f && f->country && !strcmp(f->country, "SE")) return LANG_SV;
    return LANG_ANY;
}

/* part_of: whether term t is a part of one of the word's compound readings (and not one of its own forms) */
static bool part_of(const char *t, const term_list_t *own, const term_list_t *parts, int nparts) {
    for (int k = 0; k < own->n; k++) if (!strcmp(own->terms[k], t)) return false;
    for (int p = 0; p < nparts; p++)
        for (int j = 0; j < parts[p].n; j++) if (!strcmp(parts[p].terms[j], t)) return true;
    return false;
}

/* the variants of one query word that exist in the index, its translations into target */
static void word_variants(arena_t *a, const char *word, bool is_last_prefix, text_lang_t target, struct word *out) {
    term_list_t v = {0};
    text_variants_for(a, word, target, &v);
    char *folded = text_fold_word(a, word);
    term_list_t own = {0};
    term_add(a, &own, folded);
    for (int k = 0; k < 3; k++) term_add(a, &own, text_stem(a, word, (text_lang_t)k));
    int nlex = v.n;
    /* one-edit spellings are tried for a word not in the index as written (its folded form and
     * stems): a translation that is there does not make it a word ("provinse" is a slip of
     * "province" whatever Apertium links "provins" to) */
    bool found = false;
    for (int i = 0; i < own.n && !found; i++) { int *s = strmap_slot(&termids, own.terms[i], false); found = s && *s >= 0; }
    size_t fl = strlen(folded);
    bool is_prefix = is_last_prefix && fl >= 2;
    int nprefix = v.n;
    if (is_prefix) { /* the completions are distinct terms: only the lexicon's variants can repeat them */
        uint32_t from = sorted_lower(folded), to = from;
        while (to < nsorted && !strncmp(terms[sorted[to]].s, folded, fl)) to++;
        char **all = arena_alloc(a, sizeof *all * (size_t)(v.n + (to - from) + 1));
        if (v.n) memcpy(all, v.terms, sizeof *all * (size_t)v.n);
        int n = v.n;
        for (uint32_t i = from; i < to; i++) {
            const char *t = terms[sorted[i]].s;
            bool dup = false;
            for (int k = 0; k < nlex && !dup; k++) dup = !strcmp(v.terms[k], t);
            if (!dup) all[n++] = (char *)t;
        }
        v.terms = all;
        v.n = v.cap = n;
        nprefix = v.n;
    }
    if (!found && fl >= 5) {
        unsigned char c0 = (unsigned char)folded[0];
        for (size_t l = fl - 1; l <= fl + 1 && l <= 32; l++)
            for (uint32_t i = 0; i < nbykey[c0][l]; i++)
                if (edit1(terms[bykey[c0][l][i]].s, folded)) term_add(a, &v, terms[bykey[c0][l][i]].s);
    }
    /* A compound's parts stand for it together: "solenergiklynge" matches a text that has the
     * whole word, or "solenergi" and "klynge" both — not every text with "klynge". */
    term_list_t parts[4] = {{0}};
    int nparts = 0;
    for (int k = 0; k < own.n && nparts < 4; k++)
        if (text_compound_meaning(a, own.terms[k], &parts[nparts]) >= 2) nparts++;
    bool *cls_part = NULL;   /* per class: every variant that brought it is a compound part */
    /* the variants' own postings, and the industry classes whose texts have them: each class a
     * variant of its own, scored as the variant would be in the class's documents (the idf of
     * the documents of all its classes) */
    const struct term **found_t = arena_alloc(a, sizeof *found_t * (size_t)(v.n + 1));
    size_t room = 1;
    for (int i = 0; i < v.n; i++) {
        int *s = strmap_slot(&termids, v.terms[i], false);
        found_t[i] = s && *s >= 0 ? &terms[*s] : NULL;
        if (found_t[i]) room += 1 + found_t[i]->ncls;
    }
    out->v = arena_alloc(a, sizeof *out->v * room);
    out->n = 0;
    int *cls_at = NULL;   /* per class: its variant + 1, once one of the variants had it */
    double n = nalive ? (double)nalive : 1;
    for (int i = 0; i < v.n; i++) {
        const struct term *x = found_t[i];
        if (!x || (!x->n && !x->ncls)) continue;
        bool mine = false;
        for (int k = 0; k < own.n; k++) if (!strcmp(own.terms[k], v.terms[i])) mine = true;
        double factor = mine ? 1.0 : i < nlex ? 0.6 : i < nprefix ? 0.8 : 0.5;
        /* one idf for the term, over the documents that have it and those whose classes have it */
        double df = x->df > n ? n : x->df;
        double idf = log(1.0 + (n - df + 0.5) / (df + 0.5));
        if (idf < 0.01) idf = 0.01;
        if (x->n) {
            struct variant *w = &out->v[out->n++];
            w->t = (uint32_t)(x - terms);
            w->w = (float)(idf * factor / 255.0);
            w->ub = w->w * (float)x->max;
            w->cls = -1;
        }
        if (!x->ncls) continue;
        float wc = (float)(idf * factor / 255.0);
        if (!cls_at) {
            cls_at = arena_alloc(a, sizeof *cls_at * (nclsv + 1));
            memset(cls_at, 0, sizeof *cls_at * (nclsv + 1));
            cls_part = arena_alloc(a, sizeof *cls_part * (nclsv + 1));
        }
        bool part = part_of(x->s, &own, parts, nparts);
        for (uint32_t c = 0; c < x->ncls; c++) {
            uint32_t k = x->cls[c];
            const struct term *ct = &terms[clsv[k].t];
            if (!ct->n) continue;
            int at = cls_at[k];
            cls_part[k] = at ? cls_part[k] && part : part;
            if (at && out->v[at - 1].w >= wc) continue;
            struct variant *w = at ? &out->v[at - 1] : &out->v[out->n++];
            if (!at) cls_at[k] = out->n;
            w->t = clsv[k].t;
            w->w = wc;
            w->ub = wc * (float)ct->max;
            w->cls = (int32_t)k;
        }
    }
    out->cw = NULL;
    if (cls_at) {
        out->cw = arena_alloc(a, sizeof *out->cw * (nclsv + 1));
        memset(out->cw, 0, sizeof *out->cw * (nclsv + 1));
        out->cin = arena_alloc(a, sizeof *out->cin * (nclsv + 1));
        for (uint32_t c = 0; c < nclsv; c++) {
            out->cw[c] = cls_at[c] ? out->v[cls_at[c] - 1].w : 0;
            out->cin[c] = cls_at[c] && !cls_part[c];
        }
    }
    qsort(out->v, (size_t)out->n, sizeof *out->v, variant_cmp);
    out->rv = out->v;
    out->nrv = out->n;
    if (cls_at) { /* the terms' own variants, in the same order */
        out->rv = arena_alloc(a, sizeof *out->rv * (size_t)(out->n + 1));
        out->nrv = 0;
        for (int i = 0; i < out->n; i++) if (out->v[i].cls < 0) out->rv[out->nrv++] = out->v[i];
    }
    bool *is_part = arena_alloc(a, sizeof *is_part * (size_t)(out->n + 1));
    for (int i = 0; i < out->n; i++)
        is_part[i] = out->v[i].cls >= 0 ? cls_part[out->v[i].cls] : part_of(terms[out->v[i].t].s, &own, parts, nparts);
    out->is_part = is_part;
    out->set = NULL;
    out->own_set = false;
    out->nreadings = 0;
    for (int p = 0; p < nparts; p++) {
        const struct term **ps = arena_alloc(a, sizeof *ps * (size_t)(parts[p].n + 1));
        for (int j = 0; j < parts[p].n; j++) {
            int *slot = strmap_slot(&termids, parts[p].terms[j], false);
            ps[j] = slot && *slot >= 0 && terms[*slot].n ? &terms[*slot] : NULL;
        }
        out->parts[out->nreadings] = ps;
        out->nparts[out->nreadings++] = parts[p].n;
    }
}

/* class_score: the class part of w's score in document d, the best of d's classes that are w's
 * variants (a document's few classes, not the word's many lists) */
static inline float class_score(const struct word *w, uint32_t d) {
    if (!w->cw) return 0;
    uint64_t x = dinfo[d];
    int n = (int)(x >> 56 & 15);
    float best = 0;
    if (n == DI_MANY) {
        const uint16_t *p = dpool + (uint32_t)x;
        for (int i = 1; i <= p[0]; i++) if (w->cw[p[i]] > best) best = w->cw[p[i]];
    } else
        for (int i = 0; i < n; i++) if (w->cw[(uint16_t)(x >> (16 * i))] > best) best = w->cw[(uint16_t)(x >> (16 * i))];
    return best * (float)(uint8_t)(x >> 48);
}

/* the documents having all parts of reading p, within `within` (NULL: all) */
static roaring_bitmap_t *all_parts(const struct word *w, int p, const roaring_bitmap_t *within) {
    roaring_bitmap_t *all = NULL;
    for (int j = 0; j < w->nparts[p]; j++) {
        const struct term *x = w->parts[p][j];
        if (!x) { if (all) roaring_bitmap_clear(all); else all = roaring_bitmap_create(); break; }
        /* a part counts where the document has it itself, not through its classes (a class whose
         * texts have "over" does not make its documents have half of "overføring") */
        roaring_bitmap_t *next = all || within ? roaring_bitmap_and(all ? all : within, x->set) : roaring_bitmap_copy(x->set);
        if (all) roaring_bitmap_free(all);
        all = next;
        if (roaring_bitmap_is_empty(all)) break;
    }
    return all ? all : roaring_bitmap_create();
}

/* word_set: the word's documents (made once, kept in w) */
static const roaring_bitmap_t *word_set(arena_t *a, struct word *w) {
    if (w->set) return w->set;
    if (w->n == 1 && !w->is_part[0] && !w->nreadings) { w->set = terms[w->v[0].t].set; w->own_set = false; return w->set; }
    const roaring_bitmap_t **sets = arena_alloc(a, sizeof *sets * (size_t)(w->n + 1));
    int ns = 0;
    for (int i = 0; i < w->n; i++) if (!w->is_part[i]) sets[ns++] = terms[w->v[i].t].set;
    w->set = ns ? roaring_bitmap_or_many((size_t)ns, sets) : roaring_bitmap_create();
    w->own_set = true;
    for (int p = 0; p < w->nreadings; p++) {
        roaring_bitmap_t *all = all_parts(w, p, NULL);
        roaring_bitmap_or_inplace(w->set, all);
        roaring_bitmap_free(all);
    }
    return w->set;
}

/* word_and: m ∩ the word's documents, without making the word's (perhaps large) set */
enum { BY_DOC = 60 };   /* measured at 1 M and 2.5 M documents (the crossing lies between 30 and 150) */
static roaring_bitmap_t *word_and(const roaring_bitmap_t *m, const struct word *w) {
    if (w->set) return roaring_bitmap_and(m, w->set);
    roaring_bitmap_t *r = roaring_bitmap_create();
    /* many class variants against the documents of m: each document's classes (read in
     * document order), not each class's list (an AND and an OR a class, whose cost grows with
     * the containers of 65 536 documents that m spans); BY_DOC is where the two cross */
    uint64_t span = (uint64_t)m->high_low_container.size;
    bool by_doc = w->cw && w->n - w->nrv > 8 && roaring_bitmap_get_cardinality(m) < (uint64_t)(w->n - w->nrv) * span * BY_DOC;
    if (by_doc) {
        roaring_uint32_iterator_t *it = roaring_create_iterator(m);
        uint32_t buf[256], got;
        while ((got = roaring_read_uint32_iterator(it, buf, 256)) > 0) {
            uint32_t keep = 0;   /* buf[0..keep): those whose classes have the word */
            /* their classes asked of memory at once, not each one waited for in turn (the
             * documents of m lie far apart: a cache miss each); 6-8 % of an AND's set */
            for (uint32_t j = 0; j < got; j++) __builtin_prefetch(&dinfo[buf[j]]);
            for (uint32_t j = 0; j < got; j++) {
                uint16_t tmp[3];
                const uint16_t *p;
                int n = doc_classes(buf[j], tmp, &p);
                for (int i = 0; i < n; i++) if (w->cin[p[i]]) { buf[keep++] = buf[j]; break; }
            }
            roaring_bitmap_add_many(r, keep, buf);
        }
        roaring_free_uint32_iterator(it);
    }
    for (int i = 0; i < w->n; i++) {
        if (w->is_part[i] || (by_doc && w->v[i].cls >= 0)) continue;
        roaring_bitmap_t *x = roaring_bitmap_and(m, terms[w->v[i].t].set);
        roaring_bitmap_or_inplace(r, x);
        roaring_bitmap_free(x);
    }
    for (int p = 0; p < w->nreadings; p++) {
        roaring_bitmap_t *all = all_parts(w, p, m);
        roaring_bitmap_or_inplace(r, all);
        roaring_bitmap_free(all);
    }
    return r;
}

/* ---- the top k: a min-heap of (score, doc), better = higher score, then lower doc ---- */
struct cand { float s; uint32_t d; };
struct topk { struct cand *h; int n, k; uint32_t *pos; };   /* pos[doc] = heap index + 1 */

static inline bool better(struct cand a, struct cand b) { return a.s > b.s || (a.s == b.s && a.d < b.d); }

static void heap_swap(struct topk *t, int i, int j) {
    struct cand c = t->h[i];
    t->h[i] = t->h[j];
    t->h[j] = c;
    t->pos[t->h[i].d] = (uint32_t)i + 1;
    t->pos[t->h[j].d] = (uint32_t)j + 1;
}
static void sift_down(struct topk *t, int i) {
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < t->n && better(t->h[m], t->h[l])) m = l;
        if (r < t->n && better(t->h[m], t->h[r])) m = r;
        if (m == i) return;
        heap_swap(t, i, m);
        i = m;
    }
}
static void sift_up(struct topk *t, int i) {
    while (i > 0 && better(t->h[(i - 1) / 2], t->h[i])) { heap_swap(t, i, (i - 1) / 2); i = (i - 1) / 2; }
}
/* offer: d scores s (a document may be offered again; it keeps its best) */
static inline void offer(struct topk *t, uint32_t d, float s) {
    struct cand c = {s, d};
    uint32_t p = t->pos[d];
    if (p) {
        if (s > t->h[p - 1].s) { t->h[p - 1].s = s; sift_down(t, (int)p - 1); }
        return;
    }
    if (t->n < t->k) {
        t->h[t->n] = c;
        t->pos[d] = (uint32_t)++t->n;
        sift_up(t, t->n - 1);
    } else if (better(c, t->h[0])) {
        t->pos[t->h[0].d] = 0;
        t->h[0] = c;
        t->pos[d] = 1;
        sift_down(t, 0);
    }
}
/* could a candidate with score at most s and document at least d enter? */
static inline bool may_enter(const struct topk *t, float s, uint32_t d) {
    return t->n < t->k || s > t->h[0].s || (s == t->h[0].s && d < t->h[0].d);
}

/* per-thread scratch sized to the document count (owned by the thread, grown as needed) */
static _Thread_local uint32_t *scratch_pos;
/* per document, zero between queries: a score being added up (top_words), or, in top_led, per
 * other word (up to 4) its best own variant + 1 among the matches (own_within) */
union acc { float f; uint8_t own[4]; };
static _Thread_local union acc *scratch_acc;
static _Thread_local uint64_t *scratch_bits;   /* all zero between queries */
static _Thread_local uint64_t *scratch_done;   /* documents scored by this query; all zero between queries */
static _Thread_local uint32_t scratch_cap;
/* a thread's scratch is freed when the thread ends (a key's destructor) */
static pthread_key_t scratch_key;
static pthread_once_t scratch_key_once = PTHREAD_ONCE_INIT;
static void scratch_end(void *unused) {
    (void)unused;
    free(scratch_pos);
    free(scratch_acc);
    free(scratch_bits);
    free(scratch_done);
    scratch_done = NULL;
    scratch_pos = NULL;
    scratch_acc = NULL;
    scratch_bits = NULL;
    scratch_cap = 0;
}
static void scratch_key_make(void) { pthread_key_create(&scratch_key, scratch_end); }
static void scratch(void) {
    if (scratch_cap >= ndocs) return;
    if (!scratch_cap) { pthread_once(&scratch_key_once, scratch_key_make); pthread_setspecific(scratch_key, (void *)1); }
    uint32_t cap = ndocs + ndocs / 4 + 1024;
    free(scratch_pos);
    free(scratch_acc);
    free(scratch_bits);
    scratch_pos = xcalloc(cap, sizeof *scratch_pos);
    scratch_acc = xcalloc(cap, sizeof *scratch_acc);
    scratch_bits = xcalloc(cap / 64 + 1, sizeof *scratch_bits);
    free(scratch_done);
    scratch_done = xcalloc(cap / 64 + 1, sizeof *scratch_done);
    scratch_cap = cap;
}

/* The matches, as a bitmap and, when they are few against the postings the top-k search may
 * look at, also as bits in the thread's scratch (a lookup then costs a memory read). */
struct members { const roaring_bitmap_t *m; const uint64_t *bits; uint64_t card; };
static inline bool member(const struct members *ms, uint32_t d) {
    return ms->bits ? (ms->bits[d >> 6] >> (d & 63)) & 1 : roaring_bitmap_contains(ms->m, d);
}
static void bits_set(const roaring_bitmap_t *m, uint64_t *bits, bool on) {
    roaring_uint32_iterator_t *it = roaring_create_iterator(m);
    uint32_t buf[512], got;
    while ((got = roaring_read_uint32_iterator(it, buf, 512)) > 0)
        for (uint32_t i = 0; i < got; i++) {
            if (on) bits[buf[i] >> 6] |= 1ULL << (buf[i] & 63);
            else bits[buf[i] >> 6] = 0;
        }
    roaring_free_uint32_iterator(it);
}

/* bits_clear: bits zero again where m's documents are; one memset over the words between m's
 * first and last document when m fills them well (iterating 223 594 matches three times a query
 * cost more than the query's scoring), else one word per document */
static void bits_clear(const roaring_bitmap_t *m, uint64_t card, uint64_t *bits) {
    if (!card) return;
    uint32_t lo = roaring_bitmap_minimum(m) >> 6, hi = roaring_bitmap_maximum(m) >> 6;
    if (card * 16 > (uint64_t)(hi - lo + 1)) memset(bits + lo, 0, sizeof *bits * (size_t)(hi - lo + 1));
    else bits_set(m, bits, false);
}

/* galloping search: the first index >= from with doc[i] >= d */
static uint32_t gallop(const uint32_t *doc, uint32_t n, uint32_t from, uint32_t d) {
    uint32_t step = 1, lo = from, hi = from;
    while (hi < n && doc[hi] < d) { lo = hi + 1; hi += step; step *= 2; }
    if (hi > n) hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (doc[mid] < d) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* top_one_word: the top k of m for one word (block-max over its variants). m holds only
 * documents that have the word, or, with `check`, may hold others: then a compound part's list
 * (documents with the part only) is walked where a document has all the parts of a reading that
 * holds it, so has the word; a document with the part that has the word otherwise is found through
 * its other variants. A variant's list is walked by its blocks; when the documents of m that it has
 * are few against its length (a filter, or a weak variant), those are walked instead (a bitmap
 * AND), each one's posting found by galloping. */
static void top_one_word(const struct word *w, const struct members *m, bool check, bool exhaustive, struct topk *t) {
    roaring_bitmap_t *reading[4] = {0};   /* each reading's documents with all its parts, in m (made when asked) */
    for (int i = 0; i < w->n; i++) {
        const struct variant *v = &w->v[i];
        if (!exhaustive && !may_enter(t, v->ub, 0)) break;   /* the rest score lower still */
        const struct term *x = &terms[v->t];
        roaring_bitmap_t *in = NULL;
        if (check && w->is_part[i]) {
            in = roaring_bitmap_create();
            for (int p = 0; p < w->nreadings; p++) {
                bool has = false;
                for (int j = 0; j < w->nparts[p]; j++) has |= w->parts[p][j] == x;
                if (!has) continue;
                if (!reading[p]) reading[p] = all_parts(w, p, m->m);
                roaring_bitmap_or_inplace(in, reading[p]);
            }
            roaring_bitmap_and_inplace(in, x->set);
        } else if (m->card && (x->n > 4 * m->card || (x->n > 4 * BLOCK && roaring_bitmap_and_cardinality(x->set, m->m) * 4 < x->n)))
            in = roaring_bitmap_and(x->set, m->m);
        if (in) {
            /* walk the matches the list has, finding each one's posting by galloping */
            roaring_uint32_iterator_t *it = roaring_create_iterator(in);
            uint32_t buf[256], got, at = 0, b = 0, nb = (x->n + BLOCK - 1) / BLOCK;
            while ((got = roaring_read_uint32_iterator(it, buf, 256)) > 0)
                for (uint32_t j = 0; j < got; j++) {
                    uint32_t d = buf[j];
                    /* the block that holds d: when its best cannot enter, d is passed without a search */
                    while (b + 1 < nb && x->bfirst[b + 1] <= d) b++;
                    if (!exhaustive && !may_enter(t, v->w * (float)x->bmax[b], d)) continue;
                    if (at < b * BLOCK) at = b * BLOCK;
                    at = gallop(x->doc, x->n, at, d);
                    if (at >= x->n) break;
                    float s = v->w * (float)x->imp[at];
                    if (exhaustive || may_enter(t, s, d)) offer(t, d, s);
                }
            roaring_free_uint32_iterator(it);
            roaring_bitmap_free(in);
            continue;
        }
        for (uint32_t b = 0; b * BLOCK < x->n; b++) {
            uint32_t end = (b + 1) * BLOCK < x->n ? (b + 1) * BLOCK : x->n;
            if (!exhaustive && !may_enter(t, v->w * (float)x->bmax[b], x->bfirst[b])) continue;
            for (uint32_t p = b * BLOCK; p < end; p++) {
                float s = v->w * (float)x->imp[p];
                if (!exhaustive && !may_enter(t, s, x->doc[p])) continue;
                if (member(m, x->doc[p])) offer(t, x->doc[p], s);
            }
        }
    }
    for (int p = 0; p < 4; p++) if (reading[p]) roaring_bitmap_free(reading[p]);
}


/* several words, every one in every document of m: block-max top k led by the word with the
 * highest possible score. A document is looked at in each lead variant's list with the bound
 * (its score there) + (the other words' best possible); in the list of its best lead variant that
 * bound holds, so no document that belongs in the top k is passed over. Its whole score is then
 * computed once, in the same order as the exhaustive scorer adds it up. */
/* top_led: the documents of m in the lists of word `lead`, bounded by their score there + rest
 * (the best the words it may still have can add); documents with a word of before[0..nbefore)
 * were looked at already */
static float word_score_from(const struct word *w, uint32_t d, uint32_t *cur);
/* The tighter bound asks, for each other word, which of its own variants a document has. Asked
 * of the variants' whole lists, variant by variant, that is several lookups in large bitmaps,
 * mostly missing the cache; when a query makes many such bounds (the classes make it match far
 * more documents than the words' own lists, say "tillverkning textil", or a word has many own
 * variants), own_within notes, once, per match and other word its best own variant (in the
 * thread's scratch_acc: up to 4 other words, each a byte, the variant + 1, 0 for none), so a
 * bound reads one byte per word. Words beyond the first 4 others, or with more than 254 own
 * variants, are asked as before (slot -1). It pays once the lookups made are more than half its
 * entries (the variants' matches: measured at 2.5 M, "uforsvarleg dyrking kalk" 37 → 29 ms,
 * while "centralbanksverksamhet fritidsutbildning", whose 223 594 matches would be written for
 * 115 000 lookups, does not make it). */
enum { OWN_AFTER = 512 };
static void own_within(const struct word *w, int nw, int lead, const struct members *m, int *slot) {
    int ns = 0;
    for (int k = 0; k < nw; k++) {
        slot[k] = -1;
        if (k == lead || ns == 4 || w[k].nrv > 254) continue;
        slot[k] = ns++;
        for (int j = 0; j < w[k].nrv; j++) {   /* best first: a document keeps the first it is in */
            roaring_bitmap_t *x = roaring_bitmap_and(m->m, terms[w[k].rv[j].t].set);
            roaring_uint32_iterator_t *it = roaring_create_iterator(x);
            uint32_t buf[256], got;
            while ((got = roaring_read_uint32_iterator(it, buf, 256)) > 0)
                for (uint32_t q = 0; q < got; q++)
                    if (!scratch_acc[buf[q]].own[slot[k]]) scratch_acc[buf[q]].own[slot[k]] = (uint8_t)(j + 1);
            roaring_free_uint32_iterator(it);
            roaring_bitmap_free(x);
        }
    }
}
/* own_clear: scratch_acc zero again where own_within wrote (in matches only) */
static void own_clear(const struct members *m) {
    roaring_uint32_iterator_t *it = roaring_create_iterator(m->m);
    uint32_t buf[256], got;
    while ((got = roaring_read_uint32_iterator(it, buf, 256)) > 0)
        for (uint32_t q = 0; q < got; q++) scratch_acc[buf[q]].f = 0;
    roaring_free_uint32_iterator(it);
}
static void top_led(const struct word *w, int nw, int lead, float rest, const int *before, int nbefore,
                    const struct members *m, struct topk *t, uint32_t **cur) {
    const struct word *l = &w[lead];
    int *slot = NULL;   /* per word: its byte in scratch_acc, once own_within has run */
    uint64_t lookups = 0, own_cost = 0;   /* variant lookups so far; own_within's entries (each about half a lookup, measured) */
    for (int i = 0; i < l->n; i++) {
        const struct variant *v = &l->v[i];
        if (!may_enter(t, v->ub + rest, 0)) break;
        const struct term *x = &terms[v->t];
        for (int k = 0; k < nw; k++) memset(cur[k], 0, sizeof **cur * (size_t)w[k].n);   /* documents come in order again */
        for (uint32_t b = 0; b * BLOCK < x->n; b++) {
            uint32_t end = (b + 1) * BLOCK < x->n ? (b + 1) * BLOCK : x->n;
            if (!may_enter(t, v->w * (float)x->bmax[b] + rest, x->bfirst[b])) continue;
            /* the block's candidates first, each one's classes and notes asked of memory at once
             * (read one by one, a candidate waited for its own cache miss: 27 % of "brød
             * frukostflingor"); the bar only rises, so the candidates are checked again below */
            uint32_t cand[BLOCK], nc = 0;
            for (uint32_t p = b * BLOCK; p < end; p++) {
                uint32_t d = x->doc[p];
                if ((scratch_done[d >> 6] >> (d & 63)) & 1) continue;   /* scored already, from another list */
                if (!may_enter(t, v->w * (float)x->imp[p] + rest, d) || !member(m, d)) continue;
                __builtin_prefetch(&dinfo[d]);
                if (slot) __builtin_prefetch(&scratch_acc[d]);
                cand[nc++] = p;
            }
            for (uint32_t c = 0; c < nc; c++) {
                uint32_t p = cand[c], d = x->doc[p];
                if (!may_enter(t, v->w * (float)x->imp[p] + rest, d)) continue;
                bool seen = false;
                for (int k = 0; k < nbefore && !seen; k++) seen = roaring_bitmap_contains(w[before[k]].set, d);
                if (seen) continue;
                /* a tighter bound before the exact score: each other word's best variant that has d */
                float bound = v->w * (float)x->imp[p];
                if (!slot && lookups > OWN_AFTER) {
                    if (!own_cost) for (int k = 0; k < nw; k++)
                        for (int j = 0; k != lead && j < w[k].nrv; j++) own_cost += terms[w[k].rv[j].t].n < m->card ? terms[w[k].rv[j].t].n : m->card;
                    if (lookups * 2 > own_cost) { slot = xcalloc((size_t)nw, sizeof *slot); own_within(w, nw, lead, m, slot); }
                }
                for (int k = 0; k < nw; k++) {
                    if (k == lead) continue;
                    float wb = class_score(&w[k], d);
                    if (slot && slot[k] >= 0) {
                        int j = scratch_acc[d].own[slot[k]];
                        if (j && w[k].rv[j - 1].ub > wb) wb = w[k].rv[j - 1].ub;
                    } else
                        for (int j = 0; j < w[k].nrv && w[k].rv[j].ub > wb; j++, lookups++)
                            if (roaring_bitmap_contains(terms[w[k].rv[j].t].set, d)) { wb = w[k].rv[j].ub; break; }
                    bound += wb;
                }
                if (!may_enter(t, bound, d)) continue;
                float sc = 0;
                for (int k = 0; k < nw; k++) sc += word_score_from(&w[k], d, cur[k]);
                scratch_done[d >> 6] |= 1ULL << (d & 63);
                offer(t, d, sc);
            }
        }
    }
    if (slot) { own_clear(m); free(slot); }
}

/* all words in every match: one lead, the word with the highest possible score. The ranked
 * fallback (a match has at least one of the words): every word leads in turn, best first. */
static void top_and(const struct word *w, int nw, const struct members *m, struct topk *t, bool every_word_leads, arena_t *a) {
    uint32_t **cur = arena_alloc(a, sizeof *cur * (size_t)nw);   /* per word and variant: where its list was left */
    for (int k = 0; k < nw; k++) cur[k] = arena_alloc(a, sizeof **cur * (size_t)(w[k].n + 1));
    int *order = arena_alloc(a, sizeof *order * (size_t)nw);
    for (int i = 0; i < nw; i++) order[i] = i;
    for (int i = 1; i < nw; i++) /* by best possible score, descending */
        for (int j = i; j > 0; j--) {
            float x = w[order[j]].n ? w[order[j]].v[0].ub : 0, y = w[order[j - 1]].n ? w[order[j - 1]].v[0].ub : 0;
            if (x <= y) break;
            int c = order[j]; order[j] = order[j - 1]; order[j - 1] = c;
        }
    float *after = arena_alloc(a, sizeof *after * (size_t)(nw + 1));   /* after[i]: the best words order[i+1..] add */
    for (int i = nw - 1; i >= 0; i--) after[i] = (i + 1 < nw ? after[i + 1] : 0) + (i + 1 < nw && w[order[i + 1]].n ? w[order[i + 1]].v[0].ub : 0);
    if (!every_word_leads) {
        /* every match has every word: the word with the fewest postings leads, the rest bound */
        int lead = fewest_postings(w, nw);
        float rest = 0;
        for (int i = 0; i < nw; i++) if (i != lead && w[i].n) rest += w[i].v[0].ub;
        top_led(w, nw, lead, rest, NULL, 0, m, t, cur);
        return;
    }
    /* MaxScore: a document whose first word (in this order) is order[i] can have only the words after it */
    for (int i = 0; i < nw; i++) {
        if (!w[order[i]].n || !may_enter(t, w[order[i]].v[0].ub + after[i], 0)) break;
        top_led(w, nw, order[i], after[i], order, i, m, t, cur);
    }
}

/* several words: every document of m scored (exhaustive; and the ranked fallback, where a
 * document need not contain every word) */
static void top_words(struct word *w, int nw, const roaring_bitmap_t *m, struct topk *t, arena_t *a) {
    uint64_t nm = roaring_bitmap_get_cardinality(m);
    uint32_t *md = arena_alloc(a, sizeof *md * (size_t)(nm + 1));
    roaring_bitmap_to_uint32_array(m, md);
    union acc *acc = scratch_acc;
    float *best = arena_alloc(a, sizeof *best * (size_t)(nm + 1));
    for (int k = 0; k < nw; k++) {
        memset(best, 0, sizeof *best * (size_t)nm);
        for (int i = 0; i < w[k].n; i++) {
            const struct variant *v = &w[k].v[i];
            const struct term *x = &terms[v->t];
            if (x->n > 8 * nm) { /* long list: look up each match in it */
                uint32_t at = 0;
                for (uint64_t j = 0; j < nm && at < x->n; j++) {
                    at = gallop(x->doc, x->n, at, md[j]);
                    if (at < x->n && x->doc[at] == md[j]) {
                        float s = v->w * (float)x->imp[at];
                        if (s > best[j]) best[j] = s;
                    }
                }
            } else { /* short list: walk it, look up each posting among the matches */
                uint64_t at = 0;
                for (uint32_t p = 0; p < x->n && at < nm; p++) {
                    while (at < nm && md[at] < x->doc[p]) at++;
                    if (at < nm && md[at] == x->doc[p]) {
                        float s = v->w * (float)x->imp[p];
                        if (s > best[at]) best[at] = s;
                    }
                }
            }
        }
        for (uint64_t j = 0; j < nm; j++) acc[md[j]].f += best[j];
    }
    for (uint64_t j = 0; j < nm; j++) {
        offer(t, md[j], acc[md[j]].f);
        acc[md[j]].f = 0;
    }
}

/* the filter of f without dimension skip (-1: all of them); NULL if nothing is filtered */
static roaring_bitmap_t *value_set(int k, const char *v) {
    if (k == D_MUNI && !strchr(v, '-')) { /* a bare municipality code: in either country */
        roaring_bitmap_t *u = roaring_bitmap_create();
        size_t l = strlen(v);
        for (int i = 0; i < dimv[k].n; i++) {
            const char *n = dimv[k].names[i], *dash = strchr(n, '-');
            if (dash && strlen(dash + 1) == l && !strcmp(dash + 1, v)) roaring_bitmap_or_inplace(u, dimv[k].docs[i]);
        }
        return u;
    }
    int i = dim_find(k, v);
    return i < 0 ? roaring_bitmap_create() : roaring_bitmap_copy(dimv[k].docs[i]);
}


static const char *filter_value(const search_filter_t *f, int k) {
    switch (k) {
    case D_COUNTRY: return f->country;
    case D_KIND: return f->kind;
    case D_COUNTY: return f->county;
    case D_MUNI: return f->municipality;
    case D_SIZE: return f->size;
    case D_THEME: return f->theme;
    case D_INDUSTRY: return f->industry;
    }
    return NULL;
}

/* a filter value listing several, separated by commas: the union of theirs (OR within a dimension) */
static roaring_bitmap_t *value_union(int k, const char *v) {
    roaring_bitmap_t *u = roaring_bitmap_create();
    char one[128];
    for (const char *p = v; *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && n < sizeof one) {
            memcpy(one, p, n);
            one[n] = 0;
            roaring_bitmap_t *s = value_set(k, one);
            roaring_bitmap_or_inplace(u, s);
            roaring_bitmap_free(s);
        }
        p = e ? e + 1 : p + n;
    }
    return u;
}

static roaring_bitmap_t *filtered(const roaring_bitmap_t *base, const search_filter_t *f, int skip) {
    roaring_bitmap_t *r = roaring_bitmap_and(base, f->include_inactive ? alive : active);
    for (int k = 0; k < NDIM; k++) {
        const char *v = filter_value(f, k);
        if (k == skip || !v || !*v) continue;
        if (strchr(v, ',') || (k == D_MUNI && !strchr(v, '-'))) { /* a union of values */
            roaring_bitmap_t *s = strchr(v, ',') ? value_union(k, v) : value_set(k, v);
            roaring_bitmap_and_inplace(r, s);
            roaring_bitmap_free(s);
            continue;
        }
        int i = dim_find(k, v);   /* one value: its own bitmap, not a copy */
        if (i < 0) { roaring_bitmap_clear(r); break; }
        roaring_bitmap_and_inplace(r, dimv[k].docs[i]);
    }
    return r;
}

/* count the single-valued dimensions in `which` over the documents of set, in one pass */
static void count_columns(const roaring_bitmap_t *set, const bool *which, uint64_t **counts) {
    roaring_uint32_iterator_t *it = roaring_create_iterator(set);
    uint32_t buf[512], got;
    while ((got = roaring_read_uint32_iterator(it, buf, 512)) > 0)
        for (int k = 0; k < NDIM; k++) {
            if (!which[k]) continue;
            uint64_t *c = counts[k];
            if (k < NSINGLE) {
                const uint16_t *v = col[k];
                for (uint32_t i = 0; i < got; i++) c[v[buf[i]]]++;
            } else {
                const uint64_t *mv = multi[k - NSINGLE];
                for (uint32_t i = 0; i < got; i++)
                    for (uint64_t bits = mv[buf[i]]; bits; bits &= bits - 1) c[__builtin_ctzll(bits)]++;
            }
        }
    roaring_free_uint32_iterator(it);
}

/* facet counts: each dimension over the matches filtered by every other dimension */
static void count_facets(const roaring_bitmap_t *base, const roaring_bitmap_t *m, const search_filter_t *f, json_t *facets) {
    uint64_t *counts[NDIM];
    roaring_bitmap_t *own[NDIM] = {0};   /* the set of a dimension that is filtered itself */
    for (int k = 0; k < NDIM; k++) {
        counts[k] = xcalloc((size_t)dimv[k].n + 1, sizeof **counts);
        const char *fv = filter_value(f, k);
        if (fv && *fv) own[k] = filtered(base, f, k);
    }
    /* Counting by reading each match's packed values costs a few nanoseconds per match, for all
     * dimensions at once. Counting by AND-cardinality with each value's bitmap costs about one
     * lookup per document of the dimension when the matches are dense (bitmap containers), but
     * grows with values × matches when they are sparse, and has a cost per value and container.
     * So: bitmaps for dimensions of a few values (country, kind, size, theme) over dense matches,
     * columns for the rest. */
    bool which[NDIM] = {false};
    bool any = false;
    for (int k = 0; k < NDIM; k++) {
        const roaring_bitmap_t *set = own[k] ? own[k] : m;
        bool columns_hold_all = k < NSINGLE || dimv[k].n <= 64;
        bool few_values = dimv[k].n <= 8;
        /* bitmaps pay only when the matches' containers are bitmaps too (4096+ of a 65536 range) */
        if (columns_hold_all && (!few_values || roaring_bitmap_get_cardinality(set) * 16 < (uint64_t)ndocs)) {
            if (own[k]) {
                bool one[NDIM] = {false};
                one[k] = true;
                count_columns(own[k], one, counts);
            } else { which[k] = true; any = true; }
            continue;
        }
        for (int v = 0; v < dimv[k].n; v++) counts[k][v] = roaring_bitmap_and_cardinality(set, dimv[k].docs[v]);
    }
    /* counties and countries of the matches follow from their municipalities */
    bool derive[2] = {false, false};
    const int up[2] = {D_COUNTY, D_COUNTRY};
    if (which[D_MUNI] && !muni_mixed)
        for (int u = 0; u < 2; u++) if (which[up[u]]) { derive[u] = true; which[up[u]] = false; }
    if (any) count_columns(m, which, counts);
    for (int u = 0; u < 2; u++)
        if (derive[u])
            for (int v = 0; v < dimv[D_MUNI].n && v < muni_up_cap; v++)
                if (counts[D_MUNI][v] && muni_up[u][v] >= 0) counts[up[u]][muni_up[u][v]] += counts[D_MUNI][v];
    for (int k = 0; k < NDIM; k++) {
        json_t *arr = json_array();
        for (int v = 0; v < dimv[k].n; v++) {
            if (!counts[k][v] || !*dimv[k].names[v]) continue;
            /* built directly: json_pack's format parsing is a cost with hundreds of values */
            json_t *o = json_object();
            json_object_set_new_nocheck(o, "value", json_string_nocheck(dimv[k].names[v]));
            json_object_set_new_nocheck(o, "count", json_integer((json_int_t)counts[k][v]));
            json_array_append_new(arr, o);
        }
        json_object_set_new(facets, dim_name[k], arr);
        free(counts[k]);
        if (own[k]) roaring_bitmap_free(own[k]);
    }
}

/* no words: the filtered documents by name */
static int name_cmp(uint32_t x, uint32_t y) {
    if (docs[x].namekey != docs[y].namekey) return docs[x].namekey < docs[y].namekey ? -1 : 1;
    int c = strcmp(docs[x].name, docs[y].name);
    return c ? c : (x > y) - (x < y);
}
static void top_by_name(const roaring_bitmap_t *m, int k, uint32_t *out, int *nout) {
    /* a max-heap of the k first names */
    int n = 0;
    roaring_uint32_iterator_t *it = roaring_create_iterator(m);
    uint32_t buf[256], got;
    while ((got = roaring_read_uint32_iterator(it, buf, 256)) > 0)
        for (uint32_t i = 0; i < got; i++) {
            uint32_t d = buf[i];
            if (n < k) {
                int j = n++;
                out[j] = d;
                while (j > 0 && name_cmp(out[(j - 1) / 2], out[j]) < 0) {
                    uint32_t c = out[j]; out[j] = out[(j - 1) / 2]; out[(j - 1) / 2] = c; j = (j - 1) / 2;
                }
            } else if (k > 0 && name_cmp(d, out[0]) < 0) {
                out[0] = d;
                for (int j = 0;;) {
                    int l = 2 * j + 1, r = l + 1, mx = j;
                    if (l < n && name_cmp(out[l], out[mx]) > 0) mx = l;
                    if (r < n && name_cmp(out[r], out[mx]) > 0) mx = r;
                    if (mx == j) break;
                    uint32_t c = out[j]; out[j] = out[mx]; out[mx] = c; j = mx;
                }
            }
        }
    roaring_free_uint32_iterator(it);
    *nout = n;
}
static int name_qcmp(const void *x, const void *y) { return name_cmp(*(const uint32_t *)x, *(const uint32_t *)y); }
static int cand_qcmp(const void *x, const void *y) {
    const struct cand *a = x, *b = y;
    return better(*a, *b) ? -1 : better(*b, *a) ? 1 : 0;
}

/* query_words: the words of q a search looks for (stop words, "vi söker", "och", only when the
 * query has nothing else; each word once, as matchmaking reads a need; at most 32); whether the
 * last is typed still (a prefix). A word said twice adds nothing to what must match, and counted
 * twice it would outweigh the others; a prefix that repeats an earlier word is that word. */
static bool query_words(arena_t *a, const char *q, term_list_t *words) {
    search_text_init(NULL);
    term_list_t all = {0};
    text_content_words(a, q, &all);
    if (!all.n) text_tokens(a, q, &all);
    size_t qlen = q ? strlen(q) : 0;
    bool last_new = false;   /* the last word is the last of words (not said before, not past 32) */
    for (int i = 0; i < all.n && words->n < 32; i++) {
        int before = words->n;
        term_add(a, words, all.terms[i]);
        last_new = i == all.n - 1 && words->n > before;
    }
    return last_new && qlen && q[qlen - 1] != ' ';
}

long long search_orgs(arena_t *a, const char *q, const search_filter_t *f, int offset, int limit, search_hit_t **hits,
                      int *nhits, json_t *facets) {
    if (offset < 0) offset = 0;
    if (limit < 0) limit = 0;
    term_list_t words = {0};
    bool prefix_last = query_words(a, q, &words);
    pthread_rwlock_rdlock(&lock);
    *hits = NULL;
    *nhits = 0;
    if (!alive) {
        pthread_rwlock_unlock(&lock);
        if (facets) for (int k = 0; k < NDIM; k++) json_object_set_new(facets, dim_name[k], json_array());
        return 0;
    }
    int nw = words.n;
    struct word *w = arena_alloc(a, sizeof *w * (size_t)(nw + 1));
    for (int i = 0; i < nw; i++) word_variants(a, words.terms[i], i == nw - 1 && prefix_last, target_of(f), &w[i]);
    /* AND semantics; when nothing matches every word, the best partial matches */
    roaring_bitmap_t *base;
    if (!nw) base = roaring_bitmap_copy(alive);
    else { /* from the word with the fewest postings, intersecting the others in */
        int first = fewest_postings(w, nw);
        base = roaring_bitmap_copy(word_set(a, &w[first]));
        for (int i = 0; i < nw; i++) {
            if (i == first) continue;
            roaring_bitmap_t *next = word_and(base, &w[i]);
            roaring_bitmap_free(base);
            base = next;
        }
    }
    roaring_bitmap_t *m = filtered(base, f, -1);
    bool fallback = false;
    if (nw > 1 && roaring_bitmap_is_empty(m)) {
        fallback = true;
        roaring_bitmap_free(base);
        roaring_bitmap_free(m);
        base = roaring_bitmap_copy(word_set(a, &w[0]));
        for (int i = 1; i < nw; i++) roaring_bitmap_or_inplace(base, word_set(a, &w[i]));
        m = filtered(base, f, -1);
    }
    long long total = (long long)roaring_bitmap_get_cardinality(m);
    if (facets) count_facets(base, m, f, facets);
    int k = offset + limit < total ? offset + limit : (int)total;
    if (k > 0 && !nw) {
        uint32_t *top = arena_alloc(a, sizeof *top * (size_t)k);
        int n;
        top_by_name(m, k, top, &n);
        qsort(top, (size_t)n, sizeof *top, name_qcmp);
        *nhits = n - offset > 0 ? n - offset : 0;
        *hits = arena_alloc(a, sizeof **hits * (size_t)(*nhits + 1));
        for (int i = 0; i < *nhits; i++) (*hits)[i] = (search_hit_t){docs[top[offset + i]].id, 0};
    } else if (k > 0) {
        scratch();
        struct topk t = {arena_alloc(a, sizeof *t.h * (size_t)k), 0, k, scratch_pos};
        /* few matches against the postings to look at: their bits make the lookups cheap */
        uint64_t postings = 0;
        for (int i = 0; i < nw; i++) for (int j = 0; j < w[i].n; j++) postings += terms[w[i].v[j].t].n;
        struct members ms = {m, NULL, (uint64_t)total};
        bool bits = (uint64_t)total * 4 < postings;
        if (bits) { bits_set(m, scratch_bits, true); ms.bits = scratch_bits; }
        if (nw == 1) top_one_word(&w[0], &ms, false, f->exhaustive, &t);
        else if (!f->exhaustive) top_and(w, nw, &ms, &t, fallback, a);
        else top_words(w, nw, m, &t, a);
        if (bits) bits_clear(m, (uint64_t)total, scratch_bits);
        if (nw > 1 && !f->exhaustive) bits_clear(m, (uint64_t)total, scratch_done);
        for (int i = 0; i < t.n; i++) scratch_pos[t.h[i].d] = 0;
        qsort(t.h, (size_t)t.n, sizeof *t.h, cand_qcmp);
        *nhits = t.n - offset > 0 ? t.n - offset : 0;
        *hits = arena_alloc(a, sizeof **hits * (size_t)(*nhits + 1));
        for (int i = 0; i < *nhits; i++) (*hits)[i] = (search_hit_t){docs[t.h[offset + i].d].id, t.h[offset + i].s};
    }
    for (int i = 0; i < nw; i++) if (w[i].own_set) roaring_bitmap_free(w[i].set);
    roaring_bitmap_free(base);
    roaring_bitmap_free(m);
    pthread_rwlock_unlock(&lock);
    return total;
}

size_t search_memory(void) {
    pthread_rwlock_rdlock(&lock);
    size_t bytes = sizeof *docs * capdocs + sizeof *terms * capterms + sizeof *sorted * capterms + sizeof *dinfo * capdocs +
                   sizeof *dpool * cappool + sizeof *clsv * capclsv;
    for (uint32_t d = 0; d < ndocs; d++) bytes += strlen(docs[d].name) + 1;
    for (uint32_t t = 0; t < nterms; t++) {
        const struct term *x = &terms[t];
        bytes += strlen(x->s) + 1 + x->cap * 6 + (x->cap + BLOCK - 1) / BLOCK * 5 + roaring_bitmap_size_in_bytes(x->set) + x->ncls * sizeof *x->cls;
    }
    for (uint32_t c = 0; c < nclsv; c++) bytes += clsv[c].ntl * sizeof *clsv[c].tl;
    pthread_rwlock_unlock(&lock);
    return bytes;
}

/* a document's score for one word: its best variant (binary search in each posting array) */
/* word_score_from: the same, for documents asked in increasing order (cur: per variant, where
 * the last search ended) */
static float word_score_from(const struct word *w, uint32_t d, uint32_t *cur) {
    float best = class_score(w, d);
    for (int i = 0; i < w->nrv; i++) {
        const struct term *x = &terms[w->rv[i].t];
        if (w->rv[i].ub <= best) break;   /* variants come best-first */
        uint32_t at = cur[i] = gallop(x->doc, x->n, cur[i], d);
        if (at < x->n && x->doc[at] == d) {
            float s = w->rv[i].w * (float)x->imp[at];
            if (s > best) best = s;
        }
    }
    return best;
}


static int word_ub_cmp(const void *x, const void *y) {
    const struct word *a = x, *b = y;
    float ua = a->n ? a->v[0].ub : 0, ub = b->n ? b->v[0].ub : 0;
    return ua < ub ? 1 : ua > ub ? -1 : 0;
}

int search_candidates(arena_t *a, const char *text, const search_filter_t *f, int limit, search_hit_t **hits, int *nhits) {
    search_text_init(NULL);
    term_list_t all = {0}, words = {0};
    text_content_words(a, text, &all);
    if (!all.n) text_tokens(a, text, &all);
    for (int i = 0; i < all.n && words.n < 64; i++) term_add(a, &words, all.terms[i]);   /* each word once */
    *hits = NULL;
    *nhits = 0;
    if (limit <= 0) return 0;
    pthread_rwlock_rdlock(&lock);
    if (!alive || !words.n) { pthread_rwlock_unlock(&lock); return 0; }
    scratch();
    int nw = words.n;
    struct word *w = arena_alloc(a, sizeof *w * (size_t)nw);
    for (int i = 0; i < nw; i++) word_variants(a, words.terms[i], false, target_of(f), &w[i]);
    /* the most telling words (the highest possible scores: rare words) bring the candidates */
    enum { TELLING = 8 };
    qsort(w, (size_t)nw, sizeof *w, word_ub_cmp);
    int nlead = nw < TELLING ? nw : TELLING;
    /* each of their own top documents within the filter are the candidates */
    roaring_bitmap_t *cand = roaring_bitmap_create();
    struct topk t = {arena_alloc(a, sizeof *t.h * (size_t)limit), 0, limit, scratch_pos};
    /* the filter once, for every word (a word with compound parts has lists of documents with a
     * part only: top_one_word walks those where a document has all of a reading's parts) */
    roaring_bitmap_t *within = filtered(alive, f, -1);
    struct members inf = {within, NULL, roaring_bitmap_get_cardinality(within)};
    for (int i = 0; i < nlead; i++) {
        if (!w[i].n) continue;
        bool parts = w[i].nreadings > 0;
        for (int j = 0; j < w[i].n && !parts; j++) parts = w[i].is_part[j];
        t.n = 0;
        top_one_word(&w[i], &inf, parts, false, &t);
        for (int j = 0; j < t.n; j++) { roaring_bitmap_add(cand, t.h[j].d); scratch_pos[t.h[j].d] = 0; }
    }
    roaring_bitmap_free(within);
    /* then every candidate is scored on all the words, in document order (each word's lists
     * searched on from where the last candidate left them) */
    t.n = 0;
    uint32_t **cur = arena_alloc(a, sizeof *cur * (size_t)nw);
    for (int i = 0; i < nw; i++) {
        cur[i] = arena_alloc(a, sizeof **cur * (size_t)(w[i].nrv + 1));
        memset(cur[i], 0, sizeof **cur * (size_t)(w[i].nrv + 1));
    }
    roaring_uint32_iterator_t *it = roaring_create_iterator(cand);
    uint32_t buf[256], got;
    while ((got = roaring_read_uint32_iterator(it, buf, 256)) > 0)
        for (uint32_t j = 0; j < got; j++) {
            float s = 0;
            for (int i = 0; i < nw; i++) s += word_score_from(&w[i], buf[j], cur[i]);
            offer(&t, buf[j], s);
        }
    roaring_free_uint32_iterator(it);
    for (int j = 0; j < t.n; j++) scratch_pos[t.h[j].d] = 0;
    qsort(t.h, (size_t)t.n, sizeof *t.h, cand_qcmp);
    *hits = arena_alloc(a, sizeof **hits * (size_t)(t.n + 1));
    for (int j = 0; j < t.n; j++) (*hits)[j] = (search_hit_t){docs[t.h[j].d].id, t.h[j].s};
    *nhits = t.n;
    for (int i = 0; i < nw; i++) if (w[i].own_set) roaring_bitmap_free(w[i].set);
    roaring_bitmap_free(cand);
    pthread_rwlock_unlock(&lock);
    return t.n;
}

int search_known_words(arena_t *a, const char *text) {
    search_text_init(NULL);
    term_list_t words = {0};
    text_content_words(a, text, &words);
    int known = 0;
    pthread_rwlock_rdlock(&lock);
    for (int i = 0; i < words.n && i < 64; i++) {
        term_list_t v = {0};
        text_variants(a, words.terms[i], &v);
        bool k = false;
        for (int j = 0; j < v.n && !k; j++) {
            int *slot = strmap_slot(&termids, v.terms[j], false);
            k = (slot && *slot >= 0 && (terms[*slot].n || terms[*slot].ncls)) || text_known(v.terms[j]);
        }
        known += k;
    }
    pthread_rwlock_unlock(&lock);
    return known;
}

int search_edits2(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    if (n > 32 || m > 32 || (n > m ? n - m : m - n) > 2) return 3;
    int d[33][33];
    for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int low = 3;
        for (size_t j = 1; j <= m; j++) {
            int c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c) c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c) c = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < c) c = d[i - 2][j - 2] + 1;
            d[i][j] = c;
            if (c < low) low = c;
        }
        if (low > 2) return 3;
    }
    return d[n][m] > 2 ? 3 : d[n][m];
}

char *search_suggest(arena_t *a, const char *q) {
    search_text_init(NULL);
    term_list_t words = {0};
    text_content_words(a, q, &words);
    if (!words.n || words.n > 8) return NULL;
    buf_t out;
    buf_init(&out, a);
    bool changed = false;
    pthread_rwlock_rdlock(&lock);
    for (int i = 0; i < words.n; i++) {
        const char *w = words.terms[i], *use = w;
        /* known: the word itself or one of its stems is indexed (its compound parts alone are not enough) */
        char *folded = text_fold_word(a, w);
        term_list_t v = {0};
        term_add(a, &v, folded);
        for (int k = 0; k < 3; k++) term_add(a, &v, text_stem(a, w, (text_lang_t)k));
        bool known = false;
        for (int j = 0; j < v.n && !known; j++) {
            int *slot = strmap_slot(&termids, v.terms[j], false);
            known = slot && *slot >= 0 && (terms[*slot].n || terms[*slot].ncls);
        }
        size_t fl = strlen(folded);
        if (!known && fl >= 4 && fl <= 32) {
            unsigned char c0 = (unsigned char)folded[0];
            int best = 3;
            uint32_t best_n = 0;
            const char *pick = NULL;
            for (size_t l = fl - 2; l <= fl + 2 && l <= 32; l++)
                for (uint32_t k = 0; k < nbykey[c0][l]; k++) {
                    const struct term *x = &terms[bykey[c0][l][k]];
                    if ((!x->n && !x->ncls) || strlen(x->s) < 3) continue;
                    int e = search_edits2(folded, x->s);
                    if (e < best || (e == best && e < 3 && x->n > best_n)) { best = e; best_n = x->n; pick = x->s; }
                }
            if (pick) { use = arena_strdup(a, pick); changed = true; }
        }
        bprintf_text(&out, "%s%s", i ? " " : "", use);
    }
    pthread_rwlock_unlock(&lock);
    return changed ? out.data : NULL;
}

/* search_org_matches: whether the live document id is one of search_orgs' matches of q with
 * every word (the ranked fallback does not count) within the filters. For a saved search, asked
 * of each new organisation: a singleton set intersected with the filters and each word. */
bool search_org_matches(arena_t *a, const char *q, const search_filter_t *f, int64_t id) {
    term_list_t words = {0};
    bool prefix_last = query_words(a, q, &words);
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    pthread_rwlock_rdlock(&lock);
    int *slot = alive ? strmap_slot(&ids, key, false) : NULL;
    bool yes = slot && *slot >= 0 && roaring_bitmap_contains(alive, (uint32_t)*slot);
    if (yes) {
        roaring_bitmap_t *one = roaring_bitmap_of(1, (uint32_t)*slot);
        roaring_bitmap_t *m = filtered(one, f, -1);
        roaring_bitmap_free(one);
        for (int i = 0; i < words.n && !roaring_bitmap_is_empty(m); i++) {
            struct word w;
            word_variants(a, words.terms[i], i == words.n - 1 && prefix_last, target_of(f), &w);
            roaring_bitmap_t *next = word_and(m, &w);
            roaring_bitmap_free(m);
            m = next;
        }
        yes = !roaring_bitmap_is_empty(m);
        roaring_bitmap_free(m);
    }
    pthread_rwlock_unlock(&lock);
    return yes;
}
