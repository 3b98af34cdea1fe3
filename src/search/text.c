/* Text analysis and the cross-language lexicon (see text.h). */
#include "search/text.h"
#include <libstemmer.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <zlib.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "core/buf.h"
#include "core/strmap.h"
#include "core/embedded.h"
#include "core/util.h"

/* ---- the lexicon: groups of words that mean the same across the languages ---- */
static strmap_t vocab;          /* folded stem -> index into term_groups (-1: known word, no group) */
static int **term_groups;     /* per vocab entry with groups: list of group ids, [0] = count */
static int nterm_groups, cap_term_groups;
static char ***groups;        /* group id -> NULL-terminated list of folded stems */
static unsigned char **group_langs; /* group id -> per stem, its languages (bit 1 << text_lang_t) */
static int ngroups, cap_groups;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *g_dict_path;

size_t search_lexicon_size(void) { return vocab.n; }
static void ap_word(const char *w, int side);   /* a word to look up in Apertium (below) */
/* What Apertium links is built apart (on a thread of its own, so that starting up does not wait
 * for lt-proc) and published whole: a folded stem -> the stems it translates to, both ways.
 * Read-only once published; owned by this module for the process. */
/* Apertium's pairs: `any` links a stem to its translations both ways; to[LANG_SV] and to[LANG_NB]
 * only into that language (a Swedish stem to its bokmål translations in to[LANG_NB], and a bokmål
 * one to its Swedish ones in to[LANG_SV]), for a query whose documents are of one language */
struct links { strmap_t map; char ***lists; int n, cap; };
struct aplex { struct links any, to[2]; };
static _Atomic(struct aplex *) aplex;
/* the stems of Snowball's English vocabulary (Debian snowball-data): which words of an English
 * need are English words. Filled once in load(), read-only after; owned for the process. */
static strmap_t en_vocab;
static pthread_t ap_thread;
static atomic_bool ap_started;


/* term_push: append t (not copied) to l, doubling its arena array when full */
static void term_push(arena_t *a, term_list_t *l, char *t) {
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        char **n = arena_alloc(a, sizeof(char *) * (size_t)cap);
        if (l->n) memcpy(n, l->terms, sizeof(char *) * (size_t)l->n);
        l->terms = n;
        l->cap = cap;
    }
    l->terms[l->n++] = t;
}

void term_add(arena_t *a, term_list_t *l, const char *t) {
    if (!t || !*t) return;
    for (int i = 0; i < l->n; i++) if (!strcmp(l->terms[i], t)) return;
    term_push(a, l, arena_strdup(a, t));
}

/* ---- folding and stemming ---- */
char *text_fold_word(arena_t *a, const char *word) {
    /* the Scandinavian letters first: they do not decompose into a base letter and a mark */
    buf_t b;
    buf_init(&b, a);
    utf8proc_uint8_t *cf = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)word, 0, &cf, UTF8PROC_NULLTERM | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0)
        return arena_strdup(a, "");
    for (const unsigned char *p = cf; *p;) {
        if (p[0] == 0xC3 && (p[1] == 0xA5 || p[1] == 0xA4 || p[1] == 0xA6)) { buf_putc(&b, 'a'); p += 2; }      /* å ä æ */
        else if (p[0] == 0xC3 && (p[1] == 0xB6 || p[1] == 0xB8)) { buf_putc(&b, 'o'); p += 2; }                /* ö ø */
        else buf_putc(&b, (char)*p++);
    }
    free(cf);
    utf8proc_uint8_t *st = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)b.data, 0, &st, UTF8PROC_NULLTERM | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK) < 0)
        return arena_strdup(a, "");
    /* old Norwegian spelling: "aa" for å, already folded to a */
    buf_t o;
    buf_init(&o, a);
    for (const char *p = (const char *)st; *p; p++) {
        if (p[0] == 'a' && p[1] == 'a') p++;
        buf_putc(&o, *p);
    }
    free(st);
    return o.data;
}

static pthread_mutex_t stem_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sb_stemmer *all_stemmers[256][3]; /* every stemmer ever made, kept reachable */
static int nstemmer_sets;
static _Thread_local struct sb_stemmer **tl_stemmers;

static struct sb_stemmer *stemmer(text_lang_t lang) {
    if (!tl_stemmers) {
        pthread_mutex_lock(&stem_lock);
        int i = nstemmer_sets < 256 ? nstemmer_sets++ : 255;
        static const char *names[3] = {"swedish", "norwegian", "english"};
        if (!all_stemmers[i][0])
            for (int k = 0; k < 3; k++) all_stemmers[i][k] = sb_stemmer_new(names[k], "UTF_8");
        tl_stemmers = all_stemmers[i];
        pthread_mutex_unlock(&stem_lock);
    }
    return tl_stemmers[lang];
}

static char *raw_stem(arena_t *a, const char *w, text_lang_t lang) {
    struct sb_stemmer *s = stemmer(lang);
    if (!s) return arena_strdup(a, w);
    const sb_symbol *r = sb_stemmer_stem(s, (const sb_symbol *)w, (int)strlen(w));
    return r ? arena_strndup(a, (const char *)r, (size_t)sb_stemmer_length(s)) : arena_strdup(a, w);
}

char *text_stem(arena_t *a, const char *word, text_lang_t lang) {
    size_t n = strlen(word);
    char *s = raw_stem(a, word, lang);
    /* a stemmer that eats more than half of a long word (Swedish "fastigheter" -> "fast") is
     * overruled by the longest shorter stem another language's stemmer gives, else the word */
    if (n >= 8 && strlen(s) * 2 < n) {
        char *best = NULL;
        for (int k = 0; k < 3; k++) {
            char *o = raw_stem(a, word, (text_lang_t)k);
            if (strlen(o) < n && strlen(o) * 2 >= n && (!best || strlen(o) > strlen(best))) best = o;
        }
        s = best ? best : arena_strdup(a, word);
    }
    return text_fold_word(a, s);
}

/* ---- tokens ---- */
/* split_words: the words of s in order, case-folded when fold, else as written */
static void split_words(arena_t *a, const char *s, term_list_t *out, bool fold);
void text_tokens(arena_t *a, const char *s, term_list_t *out) { split_words(a, s, out, true); }
void text_words(arena_t *a, const char *s, term_list_t *out) { split_words(a, s, out, false); }

/* text_surface: see text.h */
char *text_surface(arena_t *a, const char *term, const char *text) {
    term_list_t raw = {0};
    split_words(a, text, &raw, false);
    size_t pre = strlen(term) < 3 ? strlen(term) : 3;
    /* the words that stand for term, each with how: it folds to term (2), or a stem of it is term (1) */
    const char **hit = arena_alloc(a, sizeof *hit * (size_t)(raw.n + 1));
    int *how = arena_alloc(a, sizeof *how * (size_t)(raw.n + 1)), nhit = 0;
    for (int i = 0; i < raw.n; i++) {
        char *folded = text_fold_word(a, raw.terms[i]);
        if (strncmp(folded, term, pre)) continue; /* a stem keeps the word's beginning */
        int h = !strcmp(folded, term) ? 2 : 0;
        if (!h) {
            term_list_t cf = {0};
            split_words(a, raw.terms[i], &cf, true);
            for (int k = 0; k < 3 && !h && cf.n; k++) h = !strcmp(text_stem(a, cf.terms[0], (text_lang_t)k), term);
        }
        if (h) { hit[nhit] = raw.terms[i]; how[nhit++] = h; }
    }
    /* a capital that only starts a sentence or a name is not how the word is written: "Energy"
     * counts as "energy" where that is written too ("Värmland" stays) */
    for (int i = 0; i < nhit; i++) {
        term_list_t cf = {0};
        split_words(a, hit[i], &cf, true);
        for (int j = 0; j < nhit && cf.n; j++)
            if (j != i && !strcmp(hit[j], cf.terms[0])) { hit[i] = hit[j]; break; }
    }
    const char *best = NULL;
    int best_n = 0, best_how = 0;
    for (int i = 0; i < nhit; i++) {
        int n = 0;
        for (int j = 0; j < nhit; j++) n += !strcmp(hit[j], hit[i]);
        if (how[i] > best_how || (how[i] == best_how && n > best_n)) { best = hit[i]; best_n = n; best_how = how[i]; }
    }
    return best ? arena_strdup(a, best) : NULL;
}

static void split_words(arena_t *a, const char *s, term_list_t *out, bool fold) {
    if (!s) return;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    buf_t w;
    buf_init(&w, a);
    for (;;) {
        utf8proc_int32_t c;
        utf8proc_ssize_t k = *p ? utf8proc_iterate(p, -1, &c) : 0;
        if (k < 0) { p++; continue; }
        utf8proc_category_t cat = k ? utf8proc_category(c) : UTF8PROC_CATEGORY_CN;
        bool word = k && (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT ||
                          cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_ND ||
                          cat == UTF8PROC_CATEGORY_MN);
        if (word) {
            buf_append(&w, (const char *)p, (size_t)k);
        } else if (w.len && !fold) {
            term_push(a, out, arena_strdup(a, w.data));
            w.len = 0;
            w.data[0] = 0;
        } else if (w.len) {
            utf8proc_uint8_t *cf = NULL;
            bool ascii = true;
            for (size_t i = 0; i < w.len && ascii; i++) ascii = (unsigned char)w.data[i] < 0x80;
            if (ascii) { /* the common case needs no Unicode tables: ASCII case folding is tolower */
                cf = (utf8proc_uint8_t *)xstrdup(w.data);
                for (utf8proc_uint8_t *q = cf; *q; q++) if (*q >= 'A' && *q <= 'Z') *q = (utf8proc_uint8_t)(*q + 32);
            }
            if (cf || utf8proc_map((const utf8proc_uint8_t *)w.data, 0, &cf, UTF8PROC_NULLTERM | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) >= 0) {
                /* keep the case-folded word with its letters; callers stem and fold it */
                term_push(a, out, arena_strdup(a, (const char *)cf));
            }
            free(cf);
            w.len = 0;
            w.data[0] = 0;
        }
        if (!k) break;
        p += k;
    }
}

/* ---- stop words ---- */
/* Function words of the three languages, the words people wrap a need in ("vi söker",
 * "we need", "noen som kan") and the words naming the countries (they say where, not what:
 * match.c reads them as the side wanted). Folded forms, sorted for bsearch. */
static const char *const stopwords[] = {
    "a", "about", "af", "alla", "alle", "allt", "an", "and", "andra", "andre", "annan", "annen", "any", "are", "arbetar",
    "arbeider", "as", "at", "att", "av", "be", "behov", "behover", "bidra", "bli", "bra", "by", "can", "could", "dare", "de",
    "deg", "dei", "dem", "den", "denne", "der", "det", "dette", "din", "du", "eller", "en", "er", "et", "ett", "etter",
    "find", "finna", "finne", "for", "from", "fra", "fran", "ga", "gjennom", "gora", "gor", "gjore", "good", "har", "has",
    "have", "help", "helps", "hjalp", "hjelp", "hjelpe", "hjalpa", "hos", "i", "ikke", "in", "inn", "inne", "innen",
    "inom", "into", "is", "it", "its", "jag", "jeg", "kan", "kunne", "kunna", "like", "looking", "man", "med", "meg",
    "mellan", "mellom", "mig", "min", "mitt", "mot", "my", "na", "nagon", "nagot", "nagra", "near", "need", "needs",
    "noen", "noe", "norge", "norsk", "norska", "norske", "norway", "norwegian", "nar", "naer", "nara", "ny", "nya",
    "nye", "nytt", "nyt", "och", "of", "og", "oss", "our", "ours", "om", "on", "or", "other", "ours", "over", "pa",
    "partner", "partners", "samarbeta", "samarbeide", "samt", "se", "seek", "seeking", "sig", "sin", "sina", "sine",
    "sitt", "ska", "skal", "skall", "skulle", "so", "soker", "soke", "som", "some", "someone", "somebody", "something",
    "svensk", "svenska", "svenske", "sverige", "sweden", "swedish", "sa", "than", "that", "the", "their", "them", "they",
    "this", "til", "till", "to", "trenger", "trenge", "trengs", "under", "us", "ut", "vi", "vil", "vill", "ville", "var",
    "vara", "vart", "want", "wants", "we", "who", "will", "with", "would", "you", "your", "oppdrag",
    /* English function words that are no Swedish or bokmål word (not "do", "get", "must", "more",
     * "most", "same": toilet, goat, juice, Møre, cider, Sami) */
    "after", "again", "all", "also", "am", "been", "before", "being", "both", "does", "did", "each", "every", "had",
    "here", "how", "just", "may", "might", "off", "only", "out", "own", "shall", "should", "such", "then", "there",
    "these", "those", "up", "very", "was", "were", "what", "when", "where", "which", "while", "why",
};
static int str_cmp(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }
static const char **stop_sorted;
static size_t nstop;
static pthread_once_t stop_once = PTHREAD_ONCE_INIT;
static void stop_init(void) {
    nstop = sizeof stopwords / sizeof *stopwords;
    stop_sorted = xmalloc(sizeof *stop_sorted * nstop);
    memcpy(stop_sorted, stopwords, sizeof *stop_sorted * nstop);
    qsort(stop_sorted, nstop, sizeof *stop_sorted, str_cmp);
}

bool text_stopword(const char *folded) {
    pthread_once(&stop_once, stop_init);
    return folded && bsearch(&folded, stop_sorted, nstop, sizeof *stop_sorted, str_cmp) != NULL;
}

int text_content_words(arena_t *a, const char *s, term_list_t *out) {
    term_list_t w = {0};
    text_tokens(a, s, &w);
    for (int i = 0; i < w.n; i++) {
        char *f = text_fold_word(a, w.terms[i]);
        if (!*f || text_stopword(f)) continue;
        term_push(a, out, w.terms[i]);
    }
    return w.n;
}

bool text_known(const char *folded_stem) { return strmap_slot(&vocab, folded_stem, false) != NULL; }

/* ---- compounds ---- */
static strmap_t label_words;    /* stems of the industry labels' words: parts of compounds, nothing more */
static bool known(const char *w) { return strmap_slot(&vocab, w, false) != NULL; }
static bool known_part(const char *w) { return known(w) || strmap_slot(&label_words, w, false) != NULL; }

/* compound_parts: the splitter; `wide` (for reading a query word, never for indexing) also takes
 * as a part any stem Apertium's pairs translate, so "fastighetsbolag" and "mjukvaruutvecklare"
 * split although FreeDict and the labels know neither head. The index keeps the narrow reading,
 * which does not depend on whether Apertium's pairs are in yet. */
static bool known_part_wide(const char *w) {
    if (known_part(w)) return true;
    const struct aplex *ap = atomic_load(&aplex);
    int *as = ap ? strmap_slot((strmap_t *)&ap->any.map, w, false) : NULL;
    return as && *as >= 0;
}

static int compound_parts(arena_t *a, const char *w, term_list_t *out, bool wide) {
    size_t n = strlen(w);
    if (n < 7) return 0;
    bool (*part)(const char *) = wide ? known_part_wide : known_part;
    for (size_t i = n - 3; i >= 3; i--) {
        char *left = arena_strndup(a, w, i);
        const char *right = w + i;
        bool lk = part(left) && strlen(left) >= 3;
        /* the linking -s- of both languages (regnskapsbyrå, bokföringsbyrå) and the -e- of
         * bokmål (hundeoppdrett, barneklær) */
        if (!lk && i > 3 && (left[i - 1] == 's' || left[i - 1] == 'e')) { left[i - 1] = 0; lk = part(left) && strlen(left) >= 3; }
        if (!lk) continue;
        if (part(right)) {
            term_add(a, out, left);
            term_add(a, out, right);
            return 2;
        }
        term_list_t sub = {0};
        if (compound_parts(a, right, &sub, wide)) {
            term_add(a, out, left);
            for (int k = 0; k < sub.n; k++) term_add(a, out, sub.terms[k]);
            return out->n;
        }
    }
    return 0;
}

int text_compound_parts(arena_t *a, const char *w, term_list_t *out) { return compound_parts(a, w, out, false); }

/* a compound whose head only says "a firm" or "a service" ("bokföringsbyrå", "regnskapsselskap",
 * "städtjänster") stands for the rest: its head is dropped, leaving what the firm does */
static bool generic_head(const char *t) {
    static const char *const heads[] = {"byra", "firma", "foretag", "foretak", "bolag", "selskap", "tjanst", "tjanster",
                                        "tjenest", "tjenester", "verksamhet", "virksomhet", "service", "bedrift", "konsult",
                                        "konsulent", NULL};
    for (int i = 0; heads[i]; i++) if (!strcmp(heads[i], t)) return true;
    return false;
}

int text_compound_meaning(arena_t *a, const char *folded_word, term_list_t *out) {
    term_list_t p = {0};
    int n = text_compound_parts(a, folded_word, &p);
    if (n >= 2 && generic_head(p.terms[p.n - 1])) p.n--;
    for (int i = 0; i < p.n; i++) term_add(a, out, p.terms[i]);
    return p.n;
}

void text_analyze(arena_t *a, const char *s, text_lang_t lang, term_list_t *out) {
    term_list_t words = {0};
    text_tokens(a, s, &words);
    for (int i = 0; i < words.n; i++) {
        char *st = text_stem(a, words.terms[i], lang == LANG_ANY ? LANG_SV : lang);
        term_add(a, out, st);
        /* a known word is not split, nor an English one: the parts are Swedish and bokmål
         * words ("harvest" is not "harv" + "est") */
        if (lang != LANG_EN && !known(st)) text_compound_parts(a, st, out);
    }
}

/* The index analyses millions of texts whose words repeat (word frequencies follow Zipf's
 * law): each thread keeps the analysis of the words it has seen, per language. Owned by the
 * thread; emptied when it holds WORD_CACHE_MAX words. */
#define WORD_CACHE_MAX 400000
struct cached { char **terms; int n; };
static _Thread_local strmap_t wc_map;
static _Thread_local struct cached *wc;
static _Thread_local int wc_n, wc_cap;

static void word_cache_clear(void) {
    for (int i = 0; i < wc_n; i++) {
        for (int k = 0; k < wc[i].n; k++) free(wc[i].terms[k]);
        free(wc[i].terms);
    }
    wc_n = 0;
    strmap_free(&wc_map);
    memset(&wc_map, 0, sizeof wc_map);
}
/* a thread's cache is freed when the thread ends (a key's destructor) */
static pthread_key_t wc_key;
static pthread_once_t wc_key_once = PTHREAD_ONCE_INIT;
static void wc_end(void *unused) {
    (void)unused;
    word_cache_clear();
    free(wc);
    wc = NULL;
    wc_cap = 0;
}
static void wc_key_make(void) { pthread_key_create(&wc_key, wc_end); }

int text_analyze_all(arena_t *a, const char *s, text_lang_t lang, term_list_t *out) {
    term_list_t words = {0};
    text_tokens(a, s, &words);
    if (lang == LANG_ANY) lang = LANG_SV;
    for (int i = 0; i < words.n; i++) {
        char key[256];
        if (snprintf(key, sizeof key, "%d%s", (int)lang, words.terms[i]) >= (int)sizeof key) continue;
        int *slot = strmap_slot(&wc_map, key, false);
        if (!slot) {
            if (!wc) { pthread_once(&wc_key_once, wc_key_make); pthread_setspecific(wc_key, (void *)1); }
            if (wc_n >= WORD_CACHE_MAX) word_cache_clear();
            arena_t *t = arena_new();
            term_list_t one = {0};
            char *st = text_stem(t, words.terms[i], lang);
            term_add(t, &one, st);
            if (!known(st)) text_compound_parts(t, st, &one);
            if (wc_n == wc_cap) { wc_cap = wc_cap ? wc_cap * 2 : 4096; wc = xrealloc(wc, sizeof *wc * (size_t)wc_cap); }
            wc[wc_n].n = one.n;
            wc[wc_n].terms = xmalloc(sizeof(char *) * (size_t)(one.n + 1));
            for (int k = 0; k < one.n; k++) wc[wc_n].terms[k] = xstrdup(one.terms[k]);
            arena_free(t);
            slot = strmap_slot(&wc_map, key, true);
            *slot = wc_n++;
        }
        const struct cached *c = &wc[*slot];
        for (int k = 0; k < c->n; k++) {
            term_push(a, out, c->terms[k]);   /* the cache's copy: valid until the next call on this thread */
        }
    }
    return words.n;
}

/* lexicon_groups: every word of the lexicon's groups that the folded stem is in */
/* ... for texts of the language target (LANG_ANY: any): a group in which the stem is only a word
 * of the target language gives none of its words of other languages — they translate the word
 * out of the texts' language, and meet those texts as homographs ("bygg" is bokmål for barley,
 * Swedish "korn", which in bokmål is grain: a Swedish "byggföretag" must not find farmers) */
static void lexicon_groups(arena_t *a, const char *stem, text_lang_t target, term_list_t *out) {
    int *slot = strmap_slot(&vocab, stem, false);
    if (!slot || *slot < 0) return;
    int *gl = term_groups[*slot];
    unsigned tbit = target == LANG_ANY ? 0 : 1u << target;
    for (int g = 1; g <= gl[0]; g++) {
        const unsigned char *l = group_langs[gl[g]];
        unsigned own = 0;   /* the stem's languages in this group */
        for (char **m = groups[gl[g]]; *m; m++) if (!strcmp(*m, stem)) own = l[m - groups[gl[g]]];
        bool out_of_target = tbit && own == tbit;
        for (char **m = groups[gl[g]]; *m; m++, l++)
            if (!out_of_target || (*l & tbit)) term_add(a, out, *m);
    }
}

/* apertium_links: what Apertium links stem to, into target (LANG_ANY: both ways) */
static void apertium_links(arena_t *a, const char *stem, text_lang_t target, term_list_t *out) {
    const struct aplex *ap = atomic_load(&aplex);
    if (!ap || target == LANG_EN) return;
    const struct links *x = target == LANG_ANY ? &ap->any : &ap->to[target];
    int *as = strmap_slot((strmap_t *)&x->map, stem, false);
    if (as && *as >= 0) for (char **m = x->lists[*as]; *m; m++) term_add(a, out, *m);
}

/* translations: a folded stem and what the lexicon and Apertium link it to */
static void translations(arena_t *a, const char *stem, text_lang_t target, term_list_t *out) {
    term_add(a, out, stem);
    lexicon_groups(a, stem, target, out);
    apertium_links(a, stem, target, out);
}

/* translated_compounds: a two-part compound put together again from its parts' translations,
 * with each language's linking letters ("massivträ" -> "massivtre", "bokföringsbyrå" ->
 * "regnskapsbyrå"): whole words a text on the other side may have. At most 24. */
static void translated_compounds(arena_t *a, const char *left, const char *right, text_lang_t target, term_list_t *out) {
    term_list_t l = {0}, r = {0};
    translations(a, left, target, &l);
    translations(a, right, target, &r);
    static const char *const link[3] = {"", "s", "e"};
    int made = 0;
    for (int i = 0; i < l.n && made < 24; i++) {
        if (strchr(l.terms[i], ' ') || strlen(l.terms[i]) < 3) continue;
        for (int j = 0; j < r.n && made < 24; j++) {
            if (strchr(r.terms[j], ' ') || strlen(r.terms[j]) < 3 || (i == 0 && j == 0)) continue;
            for (int k = 0; k < 3 && made < 24; k++) {
                char *w = aprintf_text(a, "%s%s%s", l.terms[i], link[k], r.terms[j]);
                term_add(a, out, w);
                term_add(a, out, text_stem(a, w, LANG_NB));
                term_add(a, out, text_stem(a, w, LANG_SV));
                made++;
            }
        }
    }
}

void text_variants(arena_t *a, const char *word, term_list_t *out) { text_variants_for(a, word, LANG_ANY, out); }

void text_variants_for(arena_t *a, const char *word, text_lang_t target, term_list_t *out) {
    term_list_t base = {0};
    term_add(a, &base, text_fold_word(a, word));
    for (int k = 0; k < 3; k++) term_add(a, &base, text_stem(a, word, (text_lang_t)k));
    /* translations of the word's own stems (Apertium's pairs, then the lexicon's groups);
     * compound parts stand for themselves */
    for (int i = 0; i < base.n; i++) {
        term_add(a, out, base.terms[i]);
        apertium_links(a, base.terms[i], target, out);
        lexicon_groups(a, base.terms[i], target, out);
    }
    bool any_known = false;
    for (int i = 0; i < base.n; i++) if (known(base.terms[i])) any_known = true;
    if (any_known) return;
    for (int i = 0; i < base.n; i++) {
        term_list_t p = {0};
        int n = compound_parts(a, base.terms[i], &p, true);
        if (n >= 2 && generic_head(p.terms[p.n - 1]) && p.n == 2) {
            /* "bokföringsbyrå": what the firm does, and its translations, stand for the word */
            const char *what = p.terms[0];
            term_add(a, out, what);
            lexicon_groups(a, what, target, out);
        } else {
            for (int k = 0; k < p.n; k++) term_add(a, out, p.terms[k]);
            if (p.n == 2) translated_compounds(a, p.terms[0], p.terms[1], target, out);
        }
    }
}

/* ---- loading the lexicon ---- */
static int group_new(void) {
    if (ngroups == cap_groups) {
        cap_groups = cap_groups ? cap_groups * 2 : 4096;
        groups = xrealloc(groups, sizeof(char **) * (size_t)cap_groups);
        group_langs = xrealloc(group_langs, sizeof(unsigned char *) * (size_t)cap_groups);
    }
    groups[ngroups] = xcalloc(1, sizeof(char *));
    group_langs[ngroups] = NULL;
    return ngroups++;
}

/* group_add: stem, a word of lang, to group g */
static void group_add(int g, const char *stem, text_lang_t lang) {
    if (!*stem || strlen(stem) < 2) return;
    int n = 0;
    for (char **m = groups[g]; *m; m++, n++) if (!strcmp(*m, stem)) { group_langs[g][n] |= (unsigned char)(1u << lang); return; }
    groups[g] = xrealloc(groups[g], sizeof(char *) * (size_t)(n + 2));
    groups[g][n] = xstrdup(stem);
    groups[g][n + 1] = NULL;
    group_langs[g] = xrealloc(group_langs[g], (size_t)(n + 1));
    group_langs[g][n] = (unsigned char)(1u << lang);
    int *slot = strmap_slot(&vocab, stem, true);
    if (*slot < 0) {
        if (nterm_groups == cap_term_groups) {
            cap_term_groups = cap_term_groups ? cap_term_groups * 2 : 4096;
            term_groups = xrealloc(term_groups, sizeof(int *) * (size_t)cap_term_groups);
        }
        term_groups[nterm_groups] = xcalloc(1, sizeof(int));
        *slot = nterm_groups++;
    }
    int *gl = term_groups[*slot];
    for (int k = 1; k <= gl[0]; k++) if (gl[k] == g) return;
    gl = xrealloc(gl, sizeof(int) * (size_t)(gl[0] + 2));
    gl[++gl[0]] = g;
    term_groups[*slot] = gl;
}

/* add_words: every single word of a comma/pipe separated list, stemmed in lang, to group g */
static void add_words(arena_t *a, int g, const char *list, text_lang_t lang, char sep) {
    char *copy = arena_strdup(a, list);
    for (char *save = NULL, *part = strtok_r(copy, sep == '|' ? "|" : ",;", &save); part; part = strtok_r(NULL, sep == '|' ? "|" : ",;", &save)) {
        char *paren = strchr(part, '(');
        if (paren) *paren = 0;
        term_list_t w = {0};
        text_tokens(a, part, &w);
        if (w.n != 1) continue; /* phrases are not single-word synonyms */
        group_add(g, text_stem(a, w.terms[0], lang), lang);
    }
}

static void load_glossary(arena_t *a) {
    const struct embedded_file *f = embedded_find("data/search/glossary.tsv");
    if (!f) return;
    char *copy = arena_strdup(a, f->data);
    bool header = true;
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        if (header) { header = false; continue; }
        char *cols[3] = {line, NULL, NULL};
        for (int c = 1; c < 3; c++) {
            char *t = cols[c - 1] ? strchr(cols[c - 1], '\t') : NULL;
            if (t) { *t = 0; cols[c] = t + 1; }
        }
        int g = group_new();
        for (int c = 0; c < 3; c++) if (cols[c]) add_words(a, g, cols[c], (text_lang_t)c, '|');
    }
}

/* load_freedict: the dictd file: each entry is a headword line, then a line of translations */
static void load_freedict(arena_t *a, const char *path) {
    gzFile z = gzopen(path, "rb");
    if (!z) { log_msg("search: no Swedish-Norwegian dictionary at %s (install dict-freedict-swe-nor)", path); return; }
    buf_t all;
    buf_init(&all, a);
    char chunk[65536];
    int n;
    while ((n = gzread(z, chunk, sizeof chunk)) > 0) buf_append(&all, chunk, (size_t)n);
    gzclose(z);
    char *prev = NULL;
    int entries = 0;
    bool after_head = false;
    char *head = NULL;
    for (char *save = NULL, *line = strtok_r(all.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        /* a headword line: "word /pron/ <pos>" */
        char *slash = strstr(line, " /");
        char *pos = strstr(line, " <");
        if (slash && pos && pos > slash && line[0] != ' ' && line[0] != '-') {
            head = arena_strndup(a, line, (size_t)(slash - line));
            after_head = true;
            prev = line;
            continue;
        }
        if (after_head && head) {
            /* translations; a trailing sense number "2." is not a word */
            char *t = arena_strdup(a, line);
            size_t len = strlen(t);
            while (len && (t[len - 1] == '.' || (t[len - 1] >= '0' && t[len - 1] <= '9') || t[len - 1] == ' ')) t[--len] = 0;
            term_list_t hw = {0};
            text_tokens(a, head, &hw);
            if (hw.n == 1 && len) {
                int g = group_new();
                group_add(g, text_stem(a, hw.terms[0], LANG_SV), LANG_SV);
                ap_word(hw.terms[0], 0);
                add_words(a, g, t, LANG_NB, ',');
                entries++;
            }
        }
        after_head = false;
        (void)prev;
    }
    log_msg("search: %d dictionary entries from %s", entries, path);
}

/* load_labels: the words of the industry labels (SNI 2007 in Swedish, SN2007 in bokmål) can be
 * parts of compounds ("bokföringsbyrå" = "bokföring" + "byrå"); they are not split themselves
 * only for being there */
static void load_labels(arena_t *a) {
    static const char *const files[2] = {"data/ref/nace-sni2007-sv.tsv", "data/ref/nace-sn2007-nb.tsv"};
    for (int k = 0; k < 2; k++) {
        const struct embedded_file *f = embedded_find(files[k]);
        if (!f) continue;
        term_list_t w = {0};
        text_tokens(a, f->data, &w);
        for (int i = 0; i < w.n; i++) {
            if (strlen(w.terms[i]) < 4 || (w.terms[i][0] >= '0' && w.terms[i][0] <= '9')) continue;
            ap_word(w.terms[i], k);
            char *st = text_stem(a, w.terms[i], k ? LANG_NB : LANG_SV);
            strmap_slot(&label_words, st, true);
        }
    }
}

/* ---- Apertium's Swedish–bokmål pair (Debian apertium-swe-nor, GPL): read at start from
 * /usr/share/apertium when installed, never copied. Its compiled transducers are run through
 * lttoolbox's lt-proc: a word list is analysed (automorf.bin: surface -> lemma<tags>) and each
 * lemma translated (autobil.bin, bilingual mode); every pair found joins the lexicon as a group.
 * A missing, failing or slow lt-proc (over APERTIUM_SECONDS) leaves the lexicon as it is. ---- */
#define APERTIUM_SECONDS 20
extern char **environ;

static void ap_link1(struct links *x, const char *from, const char *to) {
    int *slot = strmap_slot(&x->map, from, true);
    if (*slot < 0) {
        if (x->n == x->cap) { x->cap = x->cap ? x->cap * 2 : 4096; x->lists = xrealloc(x->lists, sizeof *x->lists * (size_t)x->cap); }
        x->lists[x->n] = xcalloc(1, sizeof(char *));
        *slot = x->n++;
    }
    char **l = x->lists[*slot];
    int n = 0;
    for (; l[n]; n++) if (!strcmp(l[n], to)) return;
    if (n >= 8) return;   /* a word with more readings than that says little */
    l = xrealloc(l, sizeof(char *) * (size_t)(n + 2));
    l[n] = xstrdup(to);
    l[n + 1] = NULL;
    x->lists[*slot] = l;
}

/* ap_pair: a stem ss of from and its translation ds into to, linked both ways */
static void ap_pair(struct aplex *x, const char *ss, const char *ds, text_lang_t from, text_lang_t to) {
    ap_link1(&x->any, ss, ds);
    ap_link1(&x->any, ds, ss);
    ap_link1(&x->to[to], ss, ds);     /* into the target language */
    ap_link1(&x->to[from], ds, ss);   /* and back into the source's */
}

static void aplex_free(struct aplex *x) {
    for (int k = 0; k < 3; k++) {
        struct links *l = k == 2 ? &x->any : &x->to[k];
        for (int i = 0; i < l->n; i++) {
            for (char **w = l->lists[i]; *w; w++) free(*w);
            free(l->lists[i]);
        }
        strmap_free(&l->map);
        free(l->lists);
    }
    free(x);
}

/* tmp_fd: a temporary file with no name (unlinked at once: nothing is left behind when the
 * process ends mid-way), or -1 */
static int tmp_fd(void) {
    char t[256];
    snprintf(t, sizeof t, "%s/granslos-apertium-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    int fd = mkstemp(t);
    if (fd >= 0) unlink(t);
    return fd;
}

/* run_lt_proc: lt-proc ARGS with stdin from in_fd (from its start) and stdout to out_fd, waited
 * for until the deadline (then killed); true if it ran and succeeded */
static bool run_lt_proc(const char *const *args, int in_fd, int out_fd, time_t deadline) {
    if (lseek(in_fd, 0, SEEK_SET) < 0) return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, "lt-proc", &fa, NULL, (char *const *)args, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc) return false;
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0) return false;
        if (time(NULL) > deadline) { kill(pid, SIGKILL); waitpid(pid, &status, 0); log_msg("search: lt-proc too slow, Apertium left out"); return false; }
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* fd_write: all of s to fd; fd_read: all of fd from its start, in the arena (NULL on error) */
static bool fd_write(int fd, const char *s) {
    size_t n = strlen(s);
    while (n) {
        ssize_t k = write(fd, s, n);
        if (k <= 0) return false;
        s += k;
        n -= (size_t)k;
    }
    return true;
}
static char *fd_read(arena_t *a, int fd) {
    if (lseek(fd, 0, SEEK_SET) < 0) return NULL;
    buf_t b;
    buf_init(&b, a);
    char chunk[65536];
    ssize_t n;
    while ((n = read(fd, chunk, sizeof chunk)) > 0) buf_append(&b, chunk, (size_t)n);
    return n < 0 ? NULL : b.data;
}

static char *slurp(arena_t *a, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf_t b;
    buf_init(&b, a);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, n);
    fclose(f);
    return b.data;
}

/* a plain lemma: letters only (no multiword "#", no "+", no spaces) */
static bool plain_lemma(const char *s, size_t n) {
    if (n < 2) return false;
    for (size_t i = 0; i < n; i++) if (s[i] == '#' || s[i] == '+' || s[i] == ' ' || s[i] == '_' || s[i] == '*' || s[i] == '@') return false;
    return true;
}

/* apertium_direction: translate the words of `words` (one a line) from -> to with the analyser of
 * pair and the bilingual dictionary of bilpair (bokmål to Swedish is nor-swe); returns pairs added,
 * each also written to rec as a line of the cache file (ap_cache_store) */
static int apertium_direction(struct aplex *x, arena_t *a, const char *dir, const char *pair, const char *bilpair, const char *words,
                              text_lang_t from, text_lang_t to, time_t deadline, buf_t *rec) {
    char mbin[512], bbin[512];
    snprintf(mbin, sizeof mbin, "%s/%s.automorf.bin", dir, pair);
    snprintf(bbin, sizeof bbin, "%s/%s.autobil.bin", dir, bilpair);
    if (access(mbin, R_OK) || access(bbin, R_OK)) return 0;
    int fd[4] = {tmp_fd(), tmp_fd(), tmp_fd(), tmp_fd()};   /* words, analyses, lemmas, translations */
    int added = 0;
    char *m = NULL, *b = NULL;
    const char *const margs[] = {"lt-proc", mbin, NULL};
    const char *const bargs[] = {"lt-proc", "-b", bbin, NULL};
    buf_t lx;
    buf_init(&lx, a);
    if (fd[0] < 0 || fd[1] < 0 || fd[2] < 0 || fd[3] < 0 || !fd_write(fd[0], words) || !run_lt_proc(margs, fd[0], fd[1], deadline) ||
        !(m = fd_read(a, fd[1])))
        goto out;
    /* "^surface/lemma<tags>/…$": every analysis that is not a compound piece, once */
    strmap_t seen = {0};
    for (char *p = strchr(m, '^'); p; p = strchr(p, '^')) {
        char *end = strchr(p, '$');
        if (!end) break;
        *end = 0;
        char *slash = strchr(p, '/');
        for (char *an = slash; an; an = strchr(an + 1, '/')) {
            char *next = strchr(an + 1, '/');
            size_t len = next ? (size_t)(next - an - 1) : strlen(an + 1);
            char *one = arena_strndup(a, an + 1, len);
            char *lt = strchr(one, '<');
            if (!lt || strstr(one, "<compound") || strstr(one, "<cmp>") || !plain_lemma(one, (size_t)(lt - one))) continue;
            int *slot = strmap_slot(&seen, one, true);
            if (*slot >= 0) continue;
            *slot = 1;
            bprintf_text(&lx, "^%s$\n", one);
        }
        p = end + 1;
    }
    strmap_free(&seen);
    if (!fd_write(fd[2], lx.data) || !run_lt_proc(bargs, fd[2], fd[3], deadline) || !(b = fd_read(a, fd[3]))) goto out;
    for (char *p = strchr(b, '^'); p; p = strchr(p, '^')) {
        char *end = strchr(p, '$');
        if (!end) break;
        *end = 0;
        char *lt = strchr(p + 1, '<');
        char *slash = strchr(p + 1, '/');
        if (lt && slash && lt < slash && plain_lemma(p + 1, (size_t)(lt - p - 1))) {
            char *src = arena_strndup(a, p + 1, (size_t)(lt - p - 1));
            /* a lemma with three or more translations has senses a word list cannot tell apart
             * ("bearbetning": kultivering, bearbeiding, dyrking): left to the other lexicons */
            int ntr = 0;
            for (char *t = slash; t; t = strchr(t + 1, '/')) ntr++;
            if (ntr > 2) { p = end + 1; continue; }
            for (char *t = slash; t; t = strchr(t + 1, '/')) {
                char *tl = strchr(t + 1, '<');
                char *next = strchr(t + 1, '/');
                if (!tl || (next && tl > next) || !plain_lemma(t + 1, (size_t)(tl - t - 1))) continue;
                char *dst = arena_strndup(a, t + 1, (size_t)(tl - t - 1));
                char *ss = text_stem(a, src, from), *ds = text_stem(a, dst, to);
                if (!strcmp(ss, ds)) continue;   /* the same word on both sides: nothing to link */
                if (strlen(ss) < 2 || strlen(ds) < 2) continue;
                ap_pair(x, ss, ds, from, to);
                bprintf_text(rec, "%c\t%s\t%s\n", from == LANG_SV ? 'S' : 'N', ss, ds);
                added++;
            }
        }
        p = end + 1;
    }
out:
    for (int i = 0; i < 4; i++) if (fd[i] >= 0) close(fd[i]);
    return added;
}

/* the words to look up: the dictionary's and labels' words gathered while loading, and the
 * Snowball vocabularies (Debian snowball-data) when installed */
static buf_t ap_words[2];
static strmap_t ap_seen[2];
static void ap_word(const char *w, int side) {
    if (!ap_words[side].arena || strlen(w) < 3) return;
    int *slot = strmap_slot(&ap_seen[side], w, true);
    if (*slot >= 0) return;
    *slot = 1;
    bprintf_text(&ap_words[side], "%s\n", w);
}

struct ap_job { char *dir, *words[2]; };

/* ---- the pairs kept between runs. Running lt-proc over the word lists costs seconds of CPU at
 * every start (most of a test server's start), and the same inputs give the same pairs. A cache
 * file keeps them under a key over all they depend on: the pair's directory and its transducers
 * (size and modification time), PATH (which lt-proc runs), the two word lists, this format and
 * the running binary (size and modification time: the code that reads lt-proc's answers and the
 * stemmers it was built with; a new build makes a new file, and files of other builds untouched
 * for AP_CACHE_DAYS are removed when one is written).
 * It is read only when its first line has that key and its last line the number of pairs it
 * holds; it is written whole to a temporary file and renamed into place, so a reader never sees
 * half of one. The directory: GRANSLOS_CACHE_DIR ("off": none), else $XDG_CACHE_HOME/granslos,
 * else $HOME/.cache/granslos. ---- */
#define AP_CACHE_FORMAT "granslos-apertium-pairs 1"
#define AP_CACHE_DAYS 7

/* ap_cache_file: the cache file's path for key into out (n bytes), making its directory; false
 * when there is to be no cache */
static bool ap_cache_file(const char *key, char *out, size_t n) {
    const char *dir = getenv("GRANSLOS_CACHE_DIR");
    char d[1024];
    if (dir && !strcmp(dir, "off")) return false;
    if (dir && *dir) snprintf(d, sizeof d, "%s", dir);
    else if (getenv("XDG_CACHE_HOME") && *getenv("XDG_CACHE_HOME")) snprintf(d, sizeof d, "%s/granslos", getenv("XDG_CACHE_HOME"));
    else if (getenv("HOME") && *getenv("HOME")) snprintf(d, sizeof d, "%s/.cache/granslos", getenv("HOME"));
    else return false;
    if (strlen(d) > sizeof d - 200) return false;
    /* the directory and its parent ($HOME/.cache), owner only */
    char *slash = strrchr(d, '/');
    if (slash && slash != d) { *slash = 0; if (mkdir(d, 0700) && errno != EEXIST) return false; *slash = '/'; }
    if (mkdir(d, 0700) && errno != EEXIST) return false;
    return snprintf(out, n, "%s/apertium-%s.tsv", d, key) < (int)n;
}

/* ap_cache_key: the key of j's pairs, as 64 hex digits into hex */
static void ap_cache_key(const struct ap_job *j, char hex[65]) {
    crypto_generichash_state h;
    unsigned char out[32];
    crypto_generichash_init(&h, NULL, 0, sizeof out);
    const char *const bins[] = {"swe-nob.automorf.bin", "swe-nob.autobil.bin", "nob-swe.automorf.bin", "nor-swe.autobil.bin"};
    char line[2048];
    int n = snprintf(line, sizeof line, "%s\n%s\n%s\n", AP_CACHE_FORMAT, j->dir, getenv("PATH") ? getenv("PATH") : "");
    crypto_generichash_update(&h, (const unsigned char *)line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
    for (int i = 0; i < 5; i++) {
        char p[1400];
        struct stat st;
        if (i == 4) snprintf(p, sizeof p, "/proc/self/exe");   /* the binary itself */
        else snprintf(p, sizeof p, "%s/%s", j->dir, bins[i]);
        const char *what = i == 4 ? "exe" : bins[i];
        n = stat(p, &st) ? snprintf(line, sizeof line, "%s -\n", what)
                         : snprintf(line, sizeof line, "%s %lld %lld.%09ld\n", what, (long long)st.st_size,
                                    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
        crypto_generichash_update(&h, (const unsigned char *)line, (size_t)n);
    }
    for (int k = 0; k < 2; k++) {
        crypto_generichash_update(&h, (const unsigned char *)j->words[k], strlen(j->words[k]));
        crypto_generichash_update(&h, (const unsigned char *)"\0", 1);
    }
    crypto_generichash_final(&h, out, sizeof out);
    sodium_bin2hex(hex, 65, out, sizeof out);
}

/* ap_cache_load: the pairs of the cache file at path into x (as apertium_direction made them,
 * in its order); false, and x as it was empty, when there is none or it is not whole */
static bool ap_cache_load(arena_t *a, const char *path, const char *key, struct aplex **x, int *sn, int *ns) {
    char *text = slurp(a, path);
    if (!text) return false;
    char head[128];
    snprintf(head, sizeof head, "%s %s\n", AP_CACHE_FORMAT, key);
    if (strncmp(text, head, strlen(head))) return false;
    struct aplex *y = xcalloc(1, sizeof *y);
    int got[2] = {0, 0}, want[2] = {-1, -1};
    bool ok = false;
    for (char *save = NULL, *line = strtok_r(text + strlen(head), "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(line, "end ", 4)) { ok = sscanf(line + 4, "%d %d", &want[0], &want[1]) == 2 && !strtok_r(NULL, "\n", &save); break; }
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if ((line[0] != 'S' && line[0] != 'N') || t1 != line + 1 || !t2 || t2 == t1 + 1 || !t2[1]) break;
        *t2 = 0;
        bool sv = line[0] == 'S';
        ap_pair(y, t1 + 1, t2 + 1, sv ? LANG_SV : LANG_NB, sv ? LANG_NB : LANG_SV);
        got[sv ? 0 : 1]++;
    }
    if (!ok || got[0] != want[0] || got[1] != want[1]) { aplex_free(y); return false; }
    *x = y;
    *sn = got[0];
    *ns = got[1];
    return true;
}

/* ap_cache_store: the pairs recorded in rec (sn and ns of them) as the cache file at path */
static void ap_cache_store(const char *path, const char *key, const buf_t *rec, int sn, int ns) {
    char tmp[1300];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    if (!f) { close(fd); unlink(tmp); return; }
    bool ok = fprintf(f, "%s %s\n", AP_CACHE_FORMAT, key) > 0 && fwrite(rec->data, 1, rec->len, f) == rec->len &&
              fprintf(f, "end %d %d\n", sn, ns) > 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path)) { unlink(tmp); return; }
    /* the files of other builds and inputs that nobody has written for AP_CACHE_DAYS */
    char dir[1200];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash) return;
    *slash = 0;
    DIR *d = opendir(dir);
    if (!d) return;
    time_t old = time(NULL) - (time_t)AP_CACHE_DAYS * 86400;
    for (struct dirent *e; (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "apertium-", 9) || len < 13 || strcmp(e->d_name + len - 4, ".tsv") || !strcmp(e->d_name, slash + 1)) continue;
        char other[1500];
        struct stat st;
        snprintf(other, sizeof other, "%s/%s", dir, e->d_name);
        if (!stat(other, &st) && st.st_mtime < old) unlink(other);
    }
    closedir(d);
}

static void *apertium_thread(void *arg) {
    struct ap_job *j = arg;
    arena_t *a = arena_new();
    struct aplex *x = NULL;
    int sn = 0, ns = 0;
    char key[65], path[1200];
    if (sodium_init() < 0) key[0] = 0;
    else ap_cache_key(j, key);
    bool cache = key[0] && ap_cache_file(key, path, sizeof path);
    bool cached = cache && ap_cache_load(a, path, key, &x, &sn, &ns);
    if (!cached) {
        x = xcalloc(1, sizeof *x);
        buf_t rec;
        buf_init(&rec, a);
        time_t deadline = time(NULL) + APERTIUM_SECONDS;
        sn = apertium_direction(x, a, j->dir, "swe-nob", "swe-nob", j->words[0], LANG_SV, LANG_NB, deadline, &rec);
        ns = apertium_direction(x, a, j->dir, "nob-swe", "nor-swe", j->words[1], LANG_NB, LANG_SV, deadline, &rec);
        /* a direction that failed (lt-proc missing, crashing or slow) is not kept for the next run */
        if (cache && sn > 0 && ns > 0) ap_cache_store(path, key, &rec, sn, ns);
    }
    if (x->any.n) atomic_store(&aplex, x);
    else aplex_free(x);
    log_msg("search: %d Swedish-bokmål and %d bokmål-Swedish pairs from Apertium (%s%s)", sn, ns, j->dir, cached ? ", kept from an earlier run" : "");
    arena_free(a);
    free(j->dir);
    free(j->words[0]);
    free(j->words[1]);
    free(j);
    return NULL;
}

/* load_apertium: start reading the pair on its own thread, if it is installed */
static void load_apertium(arena_t *a) {
    const char *off = getenv("GRANSLOS_APERTIUM");
    if (off && !strcmp(off, "off")) return;
    const char *dir = getenv("GRANSLOS_APERTIUM_DIR");
    if (!dir || !*dir) dir = "/usr/share/apertium/apertium-swe-nor";
    if (access(dir, R_OK)) { log_msg("search: no Apertium Swedish-bokmål pair at %s (install apertium-swe-nor lttoolbox)", dir); return; }
    static const char *const voc[2] = {"/usr/share/snowball/data/swedish/voc.txt", "/usr/share/snowball/data/norwegian/voc.txt"};
    for (int k = 0; k < 2; k++) {
        char *v = slurp(a, voc[k]);
        if (v) for (char *save = NULL, *w = strtok_r(v, "\n", &save); w; w = strtok_r(NULL, "\n", &save)) ap_word(w, k);
    }
    struct ap_job *j = xcalloc(1, sizeof *j);
    j->dir = xstrdup(dir);
    for (int k = 0; k < 2; k++) j->words[k] = xstrdup(ap_words[k].data ? ap_words[k].data : "");
    if (pthread_create(&ap_thread, NULL, apertium_thread, j)) { free(j->dir); free(j->words[0]); free(j->words[1]); free(j); return; }
    atomic_store(&ap_started, true);
}

void search_text_wait_lexicon(void) {
    if (atomic_exchange(&ap_started, false)) pthread_join(ap_thread, NULL);
}

static void load_english_vocab(arena_t *a) {
    char *v = slurp(a, "/usr/share/snowball/data/english/voc.txt");
    if (!v) { log_msg("search: no English vocabulary (install snowball-data)"); return; }
    for (char *save = NULL, *w = strtok_r(v, "\n", &save); w; w = strtok_r(NULL, "\n", &save))
        strmap_slot(&en_vocab, text_stem(a, text_fold_word(a, w), LANG_EN), true);
}

bool text_english_known(const char *en_stem) { return en_vocab.n && strmap_slot(&en_vocab, en_stem, false) != NULL; }

static void load(void) {
    arena_t *a = arena_new();
    load_english_vocab(a);
    for (int k = 0; k < 2; k++) { buf_init(&ap_words[k], a); memset(&ap_seen[k], 0, sizeof ap_seen[k]); }
    load_glossary(a);
    load_labels(a);
    load_freedict(a, g_dict_path ? g_dict_path : "/usr/share/dictd/freedict-swe-nor.dict.dz");
    load_apertium(a);
    for (int k = 0; k < 2; k++) { strmap_free(&ap_seen[k]); memset(&ap_words[k], 0, sizeof ap_words[k]); }
    arena_free(a);
}

void search_text_init(const char *dict_path) {
    if (dict_path) g_dict_path = dict_path;
    pthread_once(&once, load);
}
