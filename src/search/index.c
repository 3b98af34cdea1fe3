/* The in-memory index (see index.h). Posting lists are plain arrays of (document, term
 * frequency per field); a replaced document leaves a dead entry behind until the index is
 * rebuilt. Sized for the directory as it is; compression, compaction and top-k pruning for
 * millions of documents are the next steps (issue: search at scale). */
#include "search/index.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/strmap.h"
#include "core/util.h"

static const double W[SF_N] = {3.0, 2.0, 1.0}; /* field weights */
#define K1 1.2
#define B 0.75

struct doc {
    int64_t id;
    bool live;
    char country[3], county[3], muni[5], kind[24], status[12], sections[24], size[8];
    char *name, *themes;          /* themes: "|slug|slug|" */
    float len[SF_N];
};
struct posting { uint32_t doc; uint8_t tf[SF_N]; };
struct plist { struct posting *p; int n, cap; };

/* all of it owned by this module, guarded by lock */
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static struct doc *docs;
static int ndocs, capdocs, nlive;
static double sumlen[SF_N];
static strmap_t terms;             /* folded term -> index into lists */
static struct plist *lists;
static int nlists, caplists;
static strmap_t ids;               /* "id" -> index into docs of the live version */

const char *search_size_band(long long employees) {
    if (employees < 0) return "unknown";
    if (employees < 10) return "1-9";
    if (employees < 50) return "10-49";
    if (employees < 250) return "50-249";
    return "250+";
}

size_t search_doc_count(void) {
    pthread_rwlock_rdlock(&lock);
    size_t n = (size_t)nlive;
    pthread_rwlock_unlock(&lock);
    return n;
}

static void kill_doc(int64_t id) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)id);
    int *slot = strmap_slot(&ids, key, false);
    if (!slot || *slot < 0) return;
    struct doc *d = &docs[*slot];
    if (d->live) {
        d->live = false;
        nlive--;
        for (int f = 0; f < SF_N; f++) sumlen[f] -= d->len[f];
    }
    *slot = -1;
}

static void post(const char *term, uint32_t doc, int field) {
    int *slot = strmap_slot(&terms, term, true);
    if (*slot < 0) {
        if (nlists == caplists) {
            caplists = caplists ? caplists * 2 : 4096;
            lists = xrealloc(lists, sizeof *lists * (size_t)caplists);
        }
        lists[nlists] = (struct plist){0};
        *slot = nlists++;
    }
    struct plist *l = &lists[*slot];
    if (l->n && l->p[l->n - 1].doc == doc) {
        if (l->p[l->n - 1].tf[field] < 255) l->p[l->n - 1].tf[field]++;
        return;
    }
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->p = xrealloc(l->p, sizeof *l->p * (size_t)l->cap);
    }
    l->p[l->n] = (struct posting){doc, {0}};
    l->p[l->n].tf[field] = 1;
    l->n++;
}

static void index_field(arena_t *a, uint32_t doc, int field, const char *text, text_lang_t lang, float *len) {
    if (!text || !*text) return;
    term_list_t t = {0};
    text_analyze(a, text, lang, &t);
    /* text_analyze dedups; count occurrences per word with a second pass over the tokens */
    term_list_t words = {0};
    text_tokens(a, text, &words);
    for (int i = 0; i < t.n; i++) post(t.terms[i], doc, field);
    *len += (float)words.n;
}

void search_put_org(const search_org_t *o) {
    search_text_init(NULL);
    arena_t *a = arena_new();
    pthread_rwlock_wrlock(&lock);
    kill_doc(o->id);
    if (ndocs == capdocs) {
        capdocs = capdocs ? capdocs * 2 : 1024;
        docs = xrealloc(docs, sizeof *docs * (size_t)capdocs);
    }
    uint32_t di = (uint32_t)ndocs++;
    struct doc *d = &docs[di];
    memset(d, 0, sizeof *d);
    d->id = o->id;
    d->live = true;
    snprintf(d->country, sizeof d->country, "%s", o->country ? o->country : "");
    snprintf(d->county, sizeof d->county, "%s", o->county ? o->county : "");
    snprintf(d->muni, sizeof d->muni, "%s", o->municipality ? o->municipality : "");
    snprintf(d->kind, sizeof d->kind, "%s", o->kind ? o->kind : "");
    snprintf(d->status, sizeof d->status, "%s", o->status ? o->status : "active");
    for (int i = 0; i < o->nsections && i < 10; i++) strncat(d->sections, o->sections[i], 1);
    snprintf(d->size, sizeof d->size, "%s", search_size_band(o->employees));
    d->name = xstrdup(o->name ? o->name : "");
    buf_t th;
    buf_init(&th, a);
    buf_putc(&th, '|');
    for (int i = 0; i < o->nthemes; i++) bprintf(&th, "%s|", o->themes[i]);
    d->themes = xstrdup(th.data);
    /* the name is indexed in every language's stemming: names mix languages */
    index_field(a, di, SF_NAME, o->name, o->lang, &d->len[SF_NAME]);
    term_list_t nw = {0};
    text_tokens(a, o->name, &nw);
    for (int i = 0; i < nw.n; i++) post(text_fold_word(a, nw.terms[i]), di, SF_NAME);
    index_field(a, di, SF_TAGS, o->tags, o->lang, &d->len[SF_TAGS]);
    for (int i = 0; i < 4; i++) index_field(a, di, SF_TEXT, o->text[i], o->text_lang[i], &d->len[SF_TEXT]);
    for (int f = 0; f < SF_N; f++) sumlen[f] += d->len[f];
    nlive++;
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)o->id);
    *strmap_slot(&ids, key, true) = (int)di;
    pthread_rwlock_unlock(&lock);
    arena_free(a);
}

void search_remove_org(int64_t id) {
    pthread_rwlock_wrlock(&lock);
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

static bool passes(const struct doc *d, const search_filter_t *f, int skip) {
    if (!f->include_inactive && strcmp(d->status, "active")) return false;
    if (f->country && skip != 0 && strcmp(d->country, f->country)) return false;
    if (f->kind && skip != 1 && strcmp(d->kind, f->kind)) return false;
    if (f->county && skip != 2) {
        char k[8];
        snprintf(k, sizeof k, "%s-%s", d->country, d->county);
        if (strcmp(k, f->county)) return false;
    }
    if (f->theme && skip != 3) {
        char t[80];
        snprintf(t, sizeof t, "|%s|", f->theme);
        if (!strstr(d->themes, t)) return false;
    }
    if (f->industry && skip != 4 && (strlen(f->industry) != 1 || !strchr(d->sections, f->industry[0]))) return false;
    if (f->municipality && skip != 5 && strcmp(d->muni, f->municipality)) return false;
    if (f->size && skip != 6 && strcmp(d->size, f->size)) return false;
    return true;
}

/* term_score: BM25F contribution of one posting */
static double term_score(const struct posting *p, double idf) {
    const struct doc *d = &docs[p->doc];
    double wtf = 0;
    for (int f = 0; f < SF_N; f++) {
        if (!p->tf[f]) continue;
        double avg = nlive ? sumlen[f] / nlive : 1;
        if (avg <= 0) avg = 1;
        wtf += W[f] * p->tf[f] / (1 - B + B * d->len[f] / avg);
    }
    return idf * wtf / (K1 + wtf);
}


struct cand { double score; int words; };

/* ranked: by score, then by name; in list mode (no words) by name. Runs under the read lock. */
struct ranked { int doc; double score; };
static int ranked_cmp(const void *x, const void *y) {
    const struct ranked *a = x, *b = y;
    if (a->score != b->score) return a->score < b->score ? 1 : -1;
    int c = strcmp(docs[a->doc].name, docs[b->doc].name);
    return c ? c : (a->doc > b->doc) - (a->doc < b->doc);
}

long long search_orgs(arena_t *a, const char *q, const search_filter_t *f, int offset, int limit, search_hit_t **hits,
                      int *nhits, json_t *facets) {
    search_text_init(NULL);
    term_list_t words = {0};
    text_tokens(a, q, &words);
    size_t qlen = q ? strlen(q) : 0;
    bool prefix_last = qlen && q[qlen - 1] != ' ';
    pthread_rwlock_rdlock(&lock);
    struct cand *c = arena_alloc(a, sizeof *c * (size_t)(ndocs + 1));
    int nwords = words.n;
    for (int w = 0; w < nwords; w++) {
        term_list_t v = {0};
        text_variants(a, words.terms[w], &v);
        char *folded = text_fold_word(a, words.terms[w]);
        /* the user's own word ranks above its translations, prefix completions and typo fixes */
        term_list_t own = {0};
        term_add(a, &own, folded);
        for (int k = 0; k < 3; k++) term_add(a, &own, text_stem(a, words.terms[w], (text_lang_t)k));
        int nlex = v.n;
        bool found = false;
        for (int i = 0; i < v.n && !found; i++) { int *s = strmap_slot(&terms, v.terms[i], false); found = s && *s >= 0; }
        size_t fl = strlen(folded);
        bool is_prefix = w == nwords - 1 && prefix_last && fl >= 2;
        int nprefix = v.n;
        if (is_prefix || (!found && fl >= 5)) {
            for (size_t i = 0; i < terms.cap; i++) {
                const char *t = terms.keys[i];
                if (t && is_prefix && !strncmp(t, folded, fl)) term_add(a, &v, t);
            }
            nprefix = v.n;
            if (!found && fl >= 5)
                for (size_t i = 0; i < terms.cap; i++) {
                    const char *t = terms.keys[i];
                    if (t && edit1(t, folded)) term_add(a, &v, t);
                }
        }
        /* per document: the best variant's score for this word */
        double *best = arena_alloc(a, sizeof(double) * (size_t)(ndocs + 1));
        for (int i = 0; i < v.n; i++) {
            int *s = strmap_slot(&terms, v.terms[i], false);
            if (!s || *s < 0) continue;
            struct plist *l = &lists[*s];
            double idf = log(1.0 + (nlive - l->n + 0.5) / (l->n + 0.5));
            if (idf < 0.01) idf = 0.01;
            bool mine = false;
            for (int k = 0; k < own.n; k++) if (!strcmp(own.terms[k], v.terms[i])) mine = true;
            double factor = mine ? 1.0 : i < nlex ? 0.6 : i < nprefix ? 0.8 : 0.5;
            for (int k = 0; k < l->n; k++) {
                if (!docs[l->p[k].doc].live) continue;
                double sc = term_score(&l->p[k], idf) * factor;
                if (sc > best[l->p[k].doc]) best[l->p[k].doc] = sc;
            }
        }
        for (int d = 0; d < ndocs; d++)
            if (best[d] > 0) { c[d].score += best[d]; c[d].words++; }
    }
    /* AND semantics; when nothing matches every word, the best partial matches */
    int need = nwords;
    if (nwords > 1) {
        bool any = false;
        for (int d = 0; d < ndocs && !any; d++) if (docs[d].live && c[d].words == nwords && passes(&docs[d], f, -1)) any = true;
        if (!any) need = 1;
    }
    int nmatch = 0;
    struct ranked *all = arena_alloc(a, sizeof *all * (size_t)(ndocs + 1));
    static const char *const dims[7] = {"country", "kind", "county", "theme", "industry", "municipality", "size"};
    strmap_t counts[7] = {{0}};
    for (int d = 0; d < ndocs; d++) {
        if (!docs[d].live || (nwords && c[d].words < need)) continue;
        if (facets) {
            for (int k = 0; k < 7; k++) {
                if (!passes(&docs[d], f, k)) continue;
                char key[64];
                if (k == 0) snprintf(key, sizeof key, "%s", docs[d].country);
                else if (k == 1) snprintf(key, sizeof key, "%s", docs[d].kind);
                else if (k == 2) snprintf(key, sizeof key, "%s-%s", docs[d].country, docs[d].county);
                else if (k == 5) snprintf(key, sizeof key, "%s-%s", docs[d].country, docs[d].muni);
                else if (k == 6) snprintf(key, sizeof key, "%s", docs[d].size);
                if (k == 3) {
                    char *themes = arena_strdup(a, docs[d].themes);
                    for (char *save = NULL, *t = strtok_r(themes, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
                        int *s = strmap_slot(&counts[k], t, true);
                        *s = *s < 0 ? 1 : *s + 1;
                    }
                    continue;
                }
                if (k == 4) {
                    for (const char *p = docs[d].sections; *p; p++) {
                        char one[2] = {*p, 0};
                        int *s = strmap_slot(&counts[k], one, true);
                        *s = *s < 0 ? 1 : *s + 1;
                    }
                    continue;
                }
                if (!*key) continue;
                int *s = strmap_slot(&counts[k], key, true);
                *s = *s < 0 ? 1 : *s + 1;
            }
        }
        if (!passes(&docs[d], f, -1)) continue;
        all[nmatch].doc = d;
        all[nmatch].score = nwords ? c[d].score : 0;
        nmatch++;
    }
    qsort(all, (size_t)nmatch, sizeof *all, ranked_cmp);
    if (facets) {
        for (int k = 0; k < 7; k++) {
            json_t *arr = json_array();
            for (size_t i = 0; i < counts[k].cap; i++)
                if (counts[k].keys[i])
                    json_array_append_new(arr, json_pack("{s:s, s:i}", "value", counts[k].keys[i], "count", counts[k].vals[i]));
            json_object_set_new(facets, dims[k], arr);
            strmap_free(&counts[k]);
        }
    }
    if (offset > nmatch) offset = nmatch;
    *nhits = nmatch - offset < limit ? nmatch - offset : limit;
    *hits = arena_alloc(a, sizeof **hits * (size_t)(*nhits + 1));
    for (int i = 0; i < *nhits; i++) {
        (*hits)[i].id = docs[all[offset + i].doc].id;
        (*hits)[i].score = all[offset + i].score;
    }
    pthread_rwlock_unlock(&lock);
    return nmatch;
}
