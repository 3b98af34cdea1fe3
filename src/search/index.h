/* The in-memory search index: every searchable record (organisations now; events, projects,
 * testbeds and posts join as further document types), built from the store at start and kept
 * current on every write. Thread-safe (a read-write lock); owned by this module for the process.
 *
 * Queries: free text with AND semantics (ranked OR fallback when nothing matches all words),
 * BM25F with field weights (name > competences/offers/needs > description), prefix matching on
 * the last word, one-edit typo tolerance for words of 5+ letters, cross-language variants from
 * search/text.h, filters and facet counts. */
#ifndef SEARCH_INDEX_H
#define SEARCH_INDEX_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "search/text.h"

/* fields, by weight: the name, competences/offers/needs, texts, and the weakest: the industry
 * classes (below) and machine translations */
enum { SF_NAME, SF_TAGS, SF_TEXT, SF_IND, SF_N };

/* What the index needs to know of an organisation (the org module fills it). */
typedef struct search_org {
    int64_t id;
    const char *name, *country, *kind, *county, *municipality, *status;
    const char *themes[16];
    int nthemes;
    const char *sections[10];      /* NACE section letters */
    int nsections;
    long long employees;           /* -1 if unknown */
    text_lang_t lang;              /* the language of tags and own-words text (sv for SE, nb for NO) */
    const char *tags;              /* competences, offers and needs, joined */
    const char *text[4];           /* descriptions sv, nb, en and the free texts */
    text_lang_t text_lang[4];
    const char *translated[2];     /* machine translations of its texts into Swedish [0] and bokmål [1] (may be NULL) */
    const char *classes[12];       /* its industry classes, as keys (ref_nace_index_keys: "c62.01") */
    int nclasses;
} search_org_t;

/* Industry classes. A document lists the keys of its classes; the index holds one posting per
 * class and document, and the class's texts (labels, notes, everyday words) once, as a map from
 * each of their terms to the classes having it. A query word that is a term of a class's texts
 * finds the class's documents (in the weakest field), the way it would if every document held
 * those texts itself, at a fraction of the memory. The index asks fn for a key's texts (out[0]
 * Swedish, out[1] bokmål, out[2] English; in a) the first time a document has it, under its
 * write lock: fn must only read. Set once, before the first document. */
typedef bool (*search_class_texts_fn)(arena_t *a, const char *key, const char *out[3]);
void search_set_class_texts(search_class_texts_fn fn);

void search_put_org(const search_org_t *o);   /* add or replace */
void search_remove_org(int64_t id);
/* search_put_orgs: put n documents, in order, analysing them on two threads (bulk loads). */
void search_put_orgs(const search_org_t *o, int n);
/* search_bulk(true) before putting many documents, search_bulk(false) after: impacts and the
 * sorted term dictionary are computed once at the end instead of after every document. */
void search_bulk(bool on);
/* search_memory: bytes held by the index (documents, terms, postings, bitmaps). */
size_t search_memory(void);
size_t search_doc_count(void);

/* Each value may list several separated by commas ("SE-17,NO-34"): any of them (OR); the
 * dimensions AND. */
typedef struct search_filter {
    const char *country, *kind, *county, *municipality, *theme, *industry;
    bool include_inactive;
    const char *size;              /* a band from search_size_band() */
    bool exhaustive;               /* score every match, no top-k pruning (benchmarks, tests) */
} search_filter_t;

/* search_size_band: "1-9", "10-49", "50-249", "250+" employees, or "unknown" (-1). */
const char *search_size_band(long long employees);

typedef struct search_hit { int64_t id; double score; } search_hit_t;

/* search_orgs: the matches of q (may be empty: then every document matching the filters, by
 * name) ranked, one page of them in *hits, the total as the return value. If facets is not
 * NULL it receives {"country":[{"value","count"}],…} over the matches, each dimension counted
 * without its own filter. */
long long search_orgs(arena_t *a, const char *q, const search_filter_t *f, int offset, int limit, search_hit_t **hits,
                      int *nhits, json_t *facets);
/* search_org_matches: whether document id is among search_orgs' matches of q having every word
 * (not the ranked fallback) within the filters f: a saved search's test of a new organisation. */
bool search_org_matches(arena_t *a, const char *q, const search_filter_t *f, int64_t id);
/* search_candidates: matchmaking's first step. The documents that score best for any word of
 * text (OR semantics; each word's own top `limit` within the filter), then ranked on all the
 * words together; at most limit of them, best first. Returns how many. */
int search_candidates(arena_t *a, const char *text, const search_filter_t *f, int limit, search_hit_t **hits, int *nhits);
/* search_known_words: how many content words of text (not stop words) the index or the lexicon
 * knows in one of their forms: 0 means a text in none of the three languages, or of nothing
 * anyone has written. */
int search_known_words(arena_t *a, const char *text);
/* search_edits2: the edit distance of two folded words (bytes; a swap of neighbours is one edit)
 * when it is at most 2, else 3; words over 32 bytes are 3 apart. */
int search_edits2(const char *a, const char *b);
/* search_suggest: "did you mean": q with each word the index knows in none of its forms replaced
 * by the indexed term closest to it in spelling (at most two edits or a swap, the same first
 * letter; the one in most documents when several are as close), as folded terms; NULL when no
 * word was unknown or none had a close term. */
char *search_suggest(arena_t *a, const char *q);
#endif
