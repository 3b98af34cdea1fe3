/* Matchmaking (see match.h). Candidates come from the search index (search_candidates: the
 * organisations that score best for the words of the seeker's needs and offers, plus some that
 * share a key area); each candidate is then compared with the seeker: its needs
 * against their offers and competences (for register-only organisations, the labels of their
 * industry codes), their needs against its offers, shared key areas and industries; the other
 * side of the border first, and the border region before the rest. Words are compared through
 * search/text.h, so a Swedish need finds a Norwegian offer. */
#include "org/match.h"
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include "core/buf.h"
#include "core/embedded.h"
#include "core/strmap.h"
#include "core/util.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "ref/ref.h"
#include "search/index.h"
#include "search/snippet.h"
#include "search/text.h"

/* counties along the border (län and fylker) */
static bool border_county(const char *country, const char *county) {
    static const char *const se[] = {"14", "17", "20", "23", "24", "25"};
    static const char *const no[] = {"31", "32", "34", "50", "18", "55", "56"};
    if (!country || !county) return false;
    const char *const *l = !strcmp(country, "SE") ? se : no;
    size_t n = !strcmp(country, "SE") ? 6 : 7;
    for (size_t i = 0; i < n; i++) if (!strcmp(l[i], county)) return true;
    return false;
}

/* a phrase (a tag or a text) as its analysed terms */
struct phrase { const char *text; term_list_t terms; };
struct side { struct phrase *p; int n; };

static void add_phrase(arena_t *a, struct side *s, const char *text, text_lang_t lang) {
    if (!text || !*text) return;
    struct phrase *np = arena_alloc(a, sizeof *np * (size_t)(s->n + 1));
    if (s->n) memcpy(np, s->p, sizeof *np * (size_t)s->n);
    np[s->n].text = arena_strdup(a, text);
    np[s->n].terms = (term_list_t){0};
    text_analyze(a, text, lang, &np[s->n].terms);
    s->p = np;
    s->n++;
}

struct place;
struct profile {
    json_t *doc;
    term_list_t places;      /* the terms of the place names a free-text need has ("in Fredrikstad") */
    const struct place *where[4]; int nwhere;   /* those places (the first of each name's chain) */
    term_list_t place_words; /* their words, folded (text_fold_word) */
    term_list_t head;        /* the terms of a free-text need's head ("A fish farm | willing to ...") */
    const char *head_text;   /* its words, or NULL */
    struct side needs, offers;
    struct side inds;        /* its industry classes: "69.20 sv-label / nb-label", both labels and the notes analysed */
    text_lang_t lang;
    bool english;            /* a free-text need asked on an English page with no seeker country */
};

/* The English label of a 4-digit class (NACE Rev. 2, data/search/nace-en.tsv), or NULL: neither
 * register has English labels, so an English need reaches a class through these. Loaded once;
 * the strings live for the process. */
struct en_label { char code[6]; const char *label; };
static struct { struct en_label *v; int n; } en_labels;
static pthread_once_t en_once = PTHREAD_ONCE_INIT;

static void en_load(void) {
    const struct embedded_file *f = embedded_find("data/search/nace-en.tsv");
    if (!f) return;
    char *copy = xstrdup(f->data);   /* process lifetime: the labels point into it */
    int cap = 0;
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab || tab - line != 5) continue;
        *tab = 0;
        if (en_labels.n == cap) { cap = cap ? cap * 2 : 1024; en_labels.v = xrealloc(en_labels.v, sizeof *en_labels.v * (size_t)cap); }
        struct en_label *x = &en_labels.v[en_labels.n++];
        memcpy(x->code, line, 6);
        x->label = tab + 1;
    }
}

static int en_cmp(const void *k, const void *e) { return strcmp(k, ((const struct en_label *)e)->code); }

static const char *en_label(const char *class_code) {
    pthread_once(&en_once, en_load);
    const struct en_label *x = en_labels.n ? bsearch(class_code, en_labels.v, (size_t)en_labels.n, sizeof *en_labels.v, en_cmp) : NULL;
    return x ? x->label : NULL;
}

/* A class's texts in the order they are analysed: the labels and everyday words of Swedish and
 * bokmål (CT_LABELS of them), then the English label and words (up to CT_ENGLISH), then the
 * bokmål notes; NULL where there is none. */
enum { CT_LABELS = 4, CT_ENGLISH = 6, CT_ALL = 7 };
static void class_texts(const ref_nace_class_t *c, const char *text[CT_ALL], text_lang_t lang[CT_ALL]) {
    const char *t[CT_ALL] = {c->sv, c->nb, c->words[0], c->words[1], en_label(c->code), c->words[2], c->notes};
    const text_lang_t l[CT_ALL] = {LANG_SV, LANG_NB, LANG_SV, LANG_NB, LANG_EN, LANG_EN, LANG_NB};
    memcpy(text, t, sizeof t);
    memcpy(lang, l, sizeof l);
}

/* add_industry: one class of an organisation as a phrase of s (once per class) */
static void add_industry(arena_t *a, struct side *s, const char *code) {
    ref_nace_class_t c;
    if (!ref_nace_class(code, &c)) return;
    for (int i = 0; i < s->n; i++) if (!strncmp(s->p[i].text, c.code, 5)) return;
    struct phrase *np = arena_alloc(a, sizeof *np * (size_t)(s->n + 1));
    if (s->n) memcpy(np, s->p, sizeof *np * (size_t)s->n);
    struct phrase *x = &np[s->n];
    x->text = aprintf_text(a, "%s %s / %s", c.code, c.sv ? c.sv : c.nb, c.nb ? c.nb : c.sv);
    x->terms = (term_list_t){0};
    const char *text[CT_ALL];
    text_lang_t lang[CT_ALL];
    class_texts(&c, text, lang);
    for (int k = 0; k < CT_ALL; k++) if (text[k]) text_analyze(a, text[k], lang[k], &x->terms);
    s->p = np;
    s->n++;
}

static void profile_of(arena_t *a, json_t *o, struct profile *p) {
    memset(p, 0, sizeof *p);
    p->doc = o;
    const char *country = json_string_value(json_object_get(o, "country"));
    p->lang = country && !strcmp(country, "NO") ? LANG_NB : LANG_SV;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "needs"), i, x) add_phrase(a, &p->needs, json_string_value(x), p->lang);
    add_phrase(a, &p->needs, json_string_value(json_object_get(o, "needs_text")), p->lang);
    json_array_foreach(json_object_get(o, "offers"), i, x) add_phrase(a, &p->offers, json_string_value(x), p->lang);
    json_array_foreach(json_object_get(o, "competences"), i, x) add_phrase(a, &p->offers, json_string_value(x), p->lang);
    add_phrase(a, &p->offers, json_string_value(json_object_get(o, "offers_text")), p->lang);
    add_phrase(a, &p->offers, json_string_value(json_object_get(o, "competences_text")), p->lang);
    /* what the registers say they do: their industry classes, labelled on both sides */
    json_array_foreach(json_object_get(o, "nace"), i, x) add_industry(a, &p->inds, json_string_value(x));
}

/* words that say little about what an organisation does */
static bool weak(const char *t) {
    /* folded stems: conjunctions, prepositions and the vague words of industry labels */
    static const char *const w[] = {"och", "og", "and", "for", "av", "of", "i", "in", "med", "with", "till", "til", "to",
                                    "som", "the", "en", "ett", "et", "pa", "on", "samt", "annan", "ann", "ovrig", "other",
                                    "verksam", "virksom", "tjenest", "tjanst", "service", "annat", "over", "under", "mellan",
                                    "mellom", "inom", "innen", "fran", "fra", "from", "om", "vid", "ved", "efter", "etter",
                                    "mot", "utan", "uten", "genom", "gjennom", "hos", "about", "within", "between", "across",
                                    "inklusiv", "including", "ellers", "annars", "mm", "etc", "osv", "verksamhet", "virksomhet",
                                    "gran", "grans", "grens", "border", "grense",
                                    /* the English of a need's asker, not of what it asks for (weak in a
                                     * class's texts too: "project management" is told by "management") */
                                    "our", "compani", "staff", "employe", "team", "peopl", "project", "someon", "need",
                                    "look", "want", "help", "new", NULL};
    if (strlen(t) < 3 || text_stopword(t)) return true;
    for (int i = 0; w[i]; i++) if (!strcmp(w[i], t)) return true;
    return false;
}

/* word_met: does a variant of this (significant) word occur in any phrase of side? */
static bool word_met(arena_t *a, const char *word, const struct side *side, int only) {
    term_list_t v = {0};
    text_variants(a, word, &v);
    for (int p = 0; p < side->n; p++) {
        if (only >= 0 && p != only) continue;
        const term_list_t *t = &side->p[p].terms;
        for (int k = 0; k < v.n; k++)
            for (int j = 0; j < t->n; j++)
                if (!weak(t->terms[j]) && !strcmp(v.terms[k], t->terms[j])) return true;
    }
    return false;
}

/* coverage: the share of the significant words of want that side covers, 0..1 */
static double coverage(arena_t *a, const struct phrase *want, const struct side *side) {
    int n = 0, met = 0;
    for (int i = 0; i < want->terms.n; i++) {
        if (weak(want->terms.terms[i])) continue;
        n++;
        if (word_met(a, want->terms.terms[i], side, -1)) met++;
    }
    return n ? (double)met / n : 0;
}

/* best_phrase: the phrase of side that covers most of want */
static int best_phrase(arena_t *a, const struct phrase *want, const struct side *side) {
    int best = 0, best_met = -1;
    for (int p = 0; p < side->n; p++) {
        int met = 0;
        for (int i = 0; i < want->terms.n; i++)
            if (!weak(want->terms.terms[i]) && word_met(a, want->terms.terms[i], side, p)) met++;
        if (met > best_met) { best = p; best_met = met; }
    }
    return best;
}

/* meet: add a reason for every phrase of `needs` that `offers` cover, weighted by coverage;
 * `theirs_first`: the need belongs to the other organisation (for "mine"/"theirs"). */
static double meet(arena_t *a, const struct side *needs, const struct side *offers, double weight, const char *type,
                   const char *fmt, bool theirs_first, json_t *reasons) {
    double score = 0;
    for (int i = 0; i < needs->n; i++) {
        double cov = coverage(a, &needs->p[i], offers);
        if (cov <= 0) continue;
        int best = best_phrase(a, &needs->p[i], offers);
        score += weight * cov;
        const char *need = needs->p[i].text, *offer = offers->p[best].text;
        json_array_append_new(reasons, json_pack("{s:s, s:s, s:s, s:s}", "type", type, "mine", theirs_first ? offer : need,
                                                 "theirs", theirs_first ? need : offer, "text", aprintf_text(a, FMT_AS("%s%s", fmt), need, offer)));
    }
    return score;
}

static int score_cmp(const void *x, const void *y) {
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    double sa = json_real_value(json_object_get(a, "score")), sb = json_real_value(json_object_get(b, "score"));
    if (sa != sb) return sa < sb ? 1 : -1;
    return strcmp(json_string_value(json_object_get(a, "name")), json_string_value(json_object_get(b, "name")));
}

/* the texts of one side of a profile, joined */
static char *side_text(arena_t *a, const struct side *s) {
    buf_t b;
    buf_init(&b, a);
    for (int i = 0; i < s->n; i++) bprintf_text(&b, "%s ", s->p[i].text);
    return b.data;
}

/* ---- a need mapped to the industry classes that serve it ----
 * Every 4-digit class with its words (the Swedish and bokmål labels and the SN2007 notes, as index
 * terms), and for every term the classes that have it. A need's word meets a class when one of its
 * variants (stems, compound parts, translations) is a term of the class; it counts by the term's
 * inverse class frequency, so "redovisning" (two classes) says much and "tillverkning" (hundreds)
 * little. Built once, on the first need. */
struct nclass { char code[6]; const char *sv, *nb; };
/* where a term of a class comes from: its notes, its Swedish or bokmål labels, only its English
 * label and words, or only the inside of its English phrases ("open" of "open-air museum") */
enum { IN_NOTES = 0, IN_LABEL = 1, IN_ENGLISH = 2, IN_PHRASE = 3 };
/* part: for an IN_PHRASE term, its phrases of that class as bits (the phrase's place in the
 * class's English words, modulo 64), so that two of a need's words meet in one phrase */
struct cterm { const char *term; int *cls, n; unsigned char *label; uint64_t *part; double idf; };
/* bigram: two neighbouring terms of an English phrase of a class, in its order ("nurs home" of
 * 87.10's "nursing home"), to the chain of (class, phrase bit) that have them (bg, by next) */
struct bigram { int cls, next; uint64_t part; };
static struct { arena_t *a; struct nclass *c; int nc; struct cterm *t; int nt; strmap_t bigram; struct bigram *bg; int nbg, bgcap; } ctab;
#define NOTES_WEIGHT 0.4  /* a word of the notes only, against one of the labels */
#define PHRASE_WEIGHT 0.6 /* a word met only inside an English phrase, without its other words */
static pthread_once_t ctab_once = PTHREAD_ONCE_INIT;

static int cterm_cmp(const void *x, const void *y) {
    return strcmp(((const struct cterm *)x)->term, ((const struct cterm *)y)->term);
}

struct pair { const char *term; int cls; unsigned char label; uint64_t part; };
static int pair_cmp(const void *x, const void *y) {
    return strcmp(((const struct pair *)x)->term, ((const struct pair *)y)->term);
}

static void ctab_build(void) {
    ctab.a = arena_new();
    arena_t *a = ctab.a;
    int n;
    ref_nace_code(0, &n);
    ctab.c = arena_alloc(a, sizeof *ctab.c * (size_t)(n + 1));
    struct pair *pairs = NULL;
    size_t np = 0, cap = 0;
    for (int i = 0; i < n; i++) {
        ref_nace_class_t c;
        if (!ref_nace_class(ref_nace_code(i, &n), &c)) continue;
        if (ctab.nc && !strcmp(ctab.c[ctab.nc - 1].code, c.code)) continue;
        struct nclass *x = &ctab.c[ctab.nc];
        memcpy(x->code, c.code, sizeof x->code);
        x->sv = c.sv ? c.sv : c.nb;
        x->nb = c.nb ? c.nb : c.sv;
        const char *text[CT_ALL];
        text_lang_t lang[CT_ALL];
        class_texts(&c, text, lang);
        term_list_t t = {0};
        int nscand = 0, nlabel = 0;   /* the terms of the labels and words (Swedish, bokmål; then English); then the notes' */
        for (int k = 0; k < CT_ALL; k++) {
            if (text[k]) text_analyze(a, text[k], lang[k], &t);
            if (k == CT_LABELS - 1) nscand = t.n;
            if (k == CT_ENGLISH - 1) nlabel = t.n;
        }
        /* the stems of the labels' and words' whole words: a term that is only a compound's part
         * ("hotell" of "däckhotell", "webbhotell") says as little as a word of the notes */
        term_list_t whole = {0};
        for (int k = 0; k < CT_ENGLISH; k++) {
            if (!text[k]) continue;
            term_list_t w = {0};
            text_tokens(a, text[k], &w);
            for (int j = 0; j < w.n; j++) term_add(a, &whole, text_stem(a, text_fold_word(a, w.terms[j]), lang[k]));
        }
        /* the English words' terms: those of a phrase of one word (or of the English label) stand
         * alone; the others, inside phrases of several words, carry their phrases as bits */
        term_list_t alone = {0}, inside = {0};
        uint64_t *inside_part = NULL;
        if (text[CT_ENGLISH - 2]) text_analyze(a, text[CT_ENGLISH - 2], LANG_EN, &alone);
        if (text[CT_ENGLISH - 1]) {
            term_list_t all = {0};   /* as many as the words' terms, at most */
            text_analyze(a, text[CT_ENGLISH - 1], LANG_EN, &all);
            inside_part = arena_alloc(a, sizeof *inside_part * (size_t)(all.n + 1));
            int ph = 0;
            for (const char *p = text[CT_ENGLISH - 1]; *p; ph++) {
                size_t len = strcspn(p, ",");
                char *one = arena_strndup(a, p, len);
                term_list_t tok = {0}, pt = {0};
                text_tokens(a, one, &tok);
                text_analyze(a, one, LANG_EN, &pt);
                for (int j = 0; tok.n >= 2 && j + 1 < pt.n; j++) {
                    int *slot = strmap_slot(&ctab.bigram, arena_printf_libc(a, "%s %s", pt.terms[j], pt.terms[j + 1]), true);
                    if (ctab.nbg == ctab.bgcap) {
                        ctab.bgcap = ctab.bgcap ? ctab.bgcap * 2 : 1024;
                        ctab.bg = xrealloc(ctab.bg, sizeof *ctab.bg * (size_t)ctab.bgcap);
                    }
                    ctab.bg[ctab.nbg] = (struct bigram){ctab.nc, *slot, (uint64_t)1 << (ph % 64)};
                    *slot = ctab.nbg++;
                }
                for (int j = 0; j < pt.n; j++) {
                    if (tok.n < 2) { term_add(a, &alone, pt.terms[j]); continue; }
                    int at = -1;
                    for (int q = 0; q < inside.n && at < 0; q++) if (!strcmp(inside.terms[q], pt.terms[j])) at = q;
                    if (at < 0) {
                        at = inside.n;
                        term_add(a, &inside, pt.terms[j]);
                        inside_part[at] = 0;
                    }
                    inside_part[at] |= (uint64_t)1 << (ph % 64);
                }
                p += len;
                if (*p == ',') p++;
            }
        }
        for (int k = 0; k < t.n; k++) {
            if (weak(t.terms[k])) continue;
            bool seen = false;
            for (int j = 0; j < k && !seen; j++) seen = !strcmp(t.terms[j], t.terms[k]);
            if (seen) continue;
            bool is_whole = false;
            for (int j = 0; j < whole.n && !is_whole; j++) is_whole = !strcmp(whole.terms[j], t.terms[k]);
            unsigned char from = !is_whole || k >= nlabel ? IN_NOTES : k < nscand ? IN_LABEL : IN_ENGLISH;
            uint64_t part = 0;
            if (from == IN_ENGLISH) {
                bool stands = false;
                for (int j = 0; j < alone.n && !stands; j++) stands = !strcmp(alone.terms[j], t.terms[k]);
                /* a term that stands alone keeps the bits of the phrases it is in as well: its own
                 * weight is whole, and a need's word beside it in one of them ("home" of "nursing
                 * home", with "nursing" of 87.10's label) is whole too */
                for (int j = 0; j < inside.n && !part; j++) if (!strcmp(inside.terms[j], t.terms[k])) part = inside_part[j];
                if (!stands && part) from = IN_PHRASE;
            }
            if (np == cap) { cap = cap ? cap * 2 : 4096; pairs = xrealloc(pairs, sizeof *pairs * cap); }
            pairs[np++] = (struct pair){t.terms[k], ctab.nc, from, part};
        }
        ctab.nc++;
    }
    /* group the pairs by term */
    ctab.t = arena_alloc(a, sizeof *ctab.t * (np + 1));
    qsort(pairs, np, sizeof *pairs, pair_cmp);   /* equal terms become neighbours */
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && !strcmp(pairs[j].term, pairs[i].term)) j++;
        struct cterm *x = &ctab.t[ctab.nt++];
        x->term = pairs[i].term;
        x->n = (int)(j - i);
        x->cls = arena_alloc(a, sizeof *x->cls * (size_t)x->n);
        x->label = arena_alloc(a, sizeof *x->label * (size_t)x->n);
        x->part = arena_alloc(a, sizeof *x->part * (size_t)x->n);
        for (size_t k = i; k < j; k++) { x->cls[k - i] = pairs[k].cls; x->label[k - i] = pairs[k].label; x->part[k - i] = pairs[k].part; }
        x->idf = log((double)ctab.nc / x->n);
        i = j;
    }
    free(pairs);
}

/* class_index: the index in ctab.c of a 4-digit class code, or -1 */
static int class_code_cmp(const void *k, const void *e) { return strcmp(k, ((const struct nclass *)e)->code); }
static int class_index(const char *code) {
    const struct nclass *x = bsearch(code, ctab.c, (size_t)ctab.nc, sizeof *ctab.c, class_code_cmp);
    return x ? (int)(x - ctab.c) : -1;
}

static const struct cterm *cterm_find(const char *t) {
    struct cterm key = {t, NULL, 0, NULL, NULL, 0};
    return bsearch(&key, ctab.t, (size_t)ctab.nt, sizeof *ctab.t, cterm_cmp);
}

/* the classes a need maps to: at most MAPPED, scoring at least MAPPED_MIN and MAPPED_NEAR of the best */
#define MAPPED 3
#define MAPPED_MIN 0.4
#define MAPPED_NEAR 0.8
#define VOTERS 30   /* search's best hits for the need that vote for their classes */
#define W_VOTE 1.0  /* their votes against the labels' share */
#define HEAD_SHARE 0.5   /* of a class's score, its share of a need's head (head_terms) */
/* need_classes: how well each class serves need (sc, one per class): the share of the need's
 * class-bearing weight its labels and notes meet (0..1); false if no word of need meets any. */
struct mapped { int cls; double score; };
static int mapped_cmp(const void *x, const void *y) {
    double a = ((const struct mapped *)x)->score, b = ((const struct mapped *)y)->score;
    return a < b ? 1 : a > b ? -1 : 0;
}

/* english_kin: the stems of an English need's word that name the doer or the deed beside it (the
 * English stemmer keeps "plumber" apart from "plumbing", "physiotherapist" from "physiotherapy"):
 * stem + "er" and the stem without "er" ("plumb" <-> "plumber", "clean" -> "cleaner", "trimmer" ->
 * "trim"), and for a
 * stem in -i (of -y) the one in -ist ("therapi" -> "therapist", "dentistri" -> "dentist"); asked
 * only for a word no class text has, and only those some class has are looked up */
static void english_kin(arena_t *a, const char *stem, term_list_t *v) {
    size_t n = strlen(stem);
    if (n < 3) return;
    term_add(a, v, arena_printf_libc(a, "%ser", stem));
    if (n > 5 && !strcmp(stem + n - 2, "er")) {
        term_add(a, v, arena_strndup(a, stem, n - 2));
        /* a doubled consonant before it is one in the stem ("trimmer" -> "trim", "shopper" -> "shop") */
        char d = stem[n - 3];
        if (d == stem[n - 4] && !strchr("aeiouyls", d)) term_add(a, v, arena_strndup(a, stem, n - 3));
    }
    if (stem[n - 1] == 'i') {
        term_add(a, v, arena_printf_libc(a, "%sst", stem));
        if (n > 6 && !strcmp(stem + n - 3, "tri")) term_add(a, v, arena_strndup(a, stem, n - 2));
    }
}

/* where need_classes writes each word's variants and what it gives each class (bench match --map
 * --why), or NULL; set once before any need, by the benchmark only */
static FILE *map_trace;
void match_trace(FILE *f) { map_trace = f; }

/* Place names: the folded one-word names of both countries' municipalities and counties (a
 * county's "län" aside: "Jämtlands län" is "jamtland"), each to the first of its places. A place
 * is a municipality or a county (the other NULL); a name's places are chained by next (-1 ends
 * it: "Herøy" is two municipalities, "Oslo" a municipality and a county). Built once; the keys
 * live in places_a, the places in place_v (malloc'd), all for the process. */
struct place { const municipality_t *m; const county_t *c; int next; };
static strmap_t places;
static struct place *place_v;
static int place_n;
static arena_t *places_a;
static pthread_once_t places_once = PTHREAD_ONCE_INIT;
static void place_add(const char *name, const municipality_t *m, const county_t *c) {
    term_list_t w = {0};
    text_tokens(places_a, name, &w);
    char *f = NULL;
    if (w.n == 2 && !strcmp(text_fold_word(places_a, w.terms[1]), "lan")) {
        f = text_fold_word(places_a, w.terms[0]);
        size_t n = strlen(f);
        if (n > 4 && f[n - 1] == 's') f[n - 1] = 0;   /* the genitive: "Jämtlands" */
    } else if (w.n == 1)
        f = text_fold_word(places_a, w.terms[0]);
    if (!f) return;
    int *slot = strmap_slot(&places, f, true);
    place_v[place_n] = (struct place){m, c, *slot};
    *slot = place_n++;
}
static void places_build(void) {
    places_a = arena_new();
    int nm, nc;
    const municipality_t *m = ref_municipalities(&nm);
    const county_t *c = ref_counties(&nc);
    place_v = xmalloc(sizeof *place_v * (size_t)(nm + nc + 1));
    for (int i = 0; i < nm; i++) place_add(m[i].name, &m[i], NULL);
    for (int i = 0; i < nc; i++) place_add(c[i].name, NULL, &c[i]);
}

/* in_list: whether the term list l (may be NULL) has t */
static bool in_list(const term_list_t *l, const char *t) {
    for (int j = 0; l && j < l->n; j++) if (!strcmp(l->terms[j], t)) return true;
    return false;
}

/* place_terms: the terms (text_analyze in lang) of the place names in a need, into out: a word
 * written with a capital that is not the first of its sentence ("Moss removal" is a need, "in
 * Moss" a place) and names a municipality or county of either country. They say where, not
 * what: read as words, "Fredrikstad" was "fred" + "rik" + "stad" and "Rana" Swedish "rån". A
 * term the need's other words have as well ("stad" of "städfirma") is not a place's. */
static void place_terms(arena_t *a, const char *text, text_lang_t lang, term_list_t *out, struct profile *me) {
    pthread_once(&places_once, places_build);
    term_list_t w = {0}, found = {0}, keep = {0};
    text_words(a, text, &w);
    const char *at = text;
    for (int i = 0; i < w.n; i++) {
        const char *pos = strstr(at, w.terms[i]);
        if (!pos) pos = at;
        bool start = i == 0;   /* first in its sentence */
        for (const char *q = at; q < pos && !start; q++) start = strchr(".!?:", *q) != NULL;
        at = pos + strlen(w.terms[i]);
        utf8proc_int32_t c;
        bool upper = utf8proc_iterate((const utf8proc_uint8_t *)w.terms[i], -1, &c) > 0 && utf8proc_isupper(c);
        int *slot = upper && !start ? strmap_slot(&places, text_fold_word(a, w.terms[i]), false) : NULL;
        bool place = slot && *slot >= 0;
        if (place) term_add(a, &me->place_words, text_fold_word(a, w.terms[i]));
        if (place && me->nwhere < (int)(sizeof me->where / sizeof *me->where)) {
            bool dup = false;
            for (int k = 0; k < me->nwhere && !dup; k++) dup = me->where[k] == &place_v[*slot];
            if (!dup) me->where[me->nwhere++] = &place_v[*slot];
        }
        text_analyze(a, w.terms[i], lang, place ? &found : &keep);
    }
    for (int i = 0; i < found.n; i++) if (!in_list(&keep, found.terms[i])) term_add(a, out, found.terms[i]);
}

/* counted: whether the need's i-th term counts towards its classes: not weak, not a place's
 * (skip), not said before */
static bool counted(const term_list_t *t, int i, const term_list_t *skip) {
    const char *word = t->terms[i];
    if (weak(word) || in_list(skip, word)) return false;
    for (int j = 0; j < i; j++) if (!strcmp(t->terms[j], word)) return false;
    return true;
}

static bool need_classes(arena_t *a, const struct phrase *need, const term_list_t *skip, const term_list_t *head, bool english,
                         text_lang_t target, double *sc) {
    pthread_once(&ctab_once, ctab_build);
    memset(sc, 0, sizeof *sc * (size_t)ctab.nc);
    double *w = arena_alloc(a, sizeof *w * (size_t)(ctab.nc + 1));
    /* the English phrases of each class that two neighbouring words of the need meet in the
     * phrase's order (both): those count fully ("nursing home" is 87.10's, not 86.90's "home
     * nursing") */
    uint64_t *both = arena_alloc(a, sizeof *both * (size_t)(ctab.nc + 1));
    memset(both, 0, sizeof *both * (size_t)ctab.nc);
    int prev = -1;   /* the need's counted term before this one */
    /* first each word's variants (and, in English, the phrases it meets), then their scores */
    term_list_t *vars = arena_alloc(a, sizeof *vars * (size_t)(need->terms.n + 1));
    for (int i = 0; i < need->terms.n; i++) {
        if (!counted(&need->terms, i, skip)) continue;
        const char *word = need->terms.terms[i];
        term_list_t v = {0};
        /* an English word that the classes' texts have as it is stands for itself: its
         * translations and compound parts ("plumber" = "plum" + "ber") would only reach others,
         * and so would its kin ("car" is not "carer"); the kin only for words they lack */
        if (english && cterm_find(word)) term_add(a, &v, word);
        else {
            /* nor an English word the class texts lack its Scandinavian readings: "take" is not
             * Swedish "tak" (roof), "rana" not "rån"; words English does not have ("barnehage")
             * keep them */
            if (!english || !text_english_known(word)) text_variants_for(a, word, target, &v);
            else term_add(a, &v, word);
            if (english) english_kin(a, word, &v);
        }
        vars[i] = v;
        if (!english) continue;
        for (int p = 0; prev >= 0 && p < vars[prev].n; p++)
            for (int k = 0; k < v.n; k++) {
                int *slot = strmap_slot(&ctab.bigram, arena_printf_libc(a, "%s %s", vars[prev].terms[p], v.terms[k]), false);
                for (int b = slot ? *slot : -1; b >= 0; b = ctab.bg[b].next) both[ctab.bg[b].cls] |= ctab.bg[b].part;
            }
        prev = i;
    }
    double total = 0, htotal = 0;
    double *hs = arena_alloc(a, sizeof *hs * (size_t)(ctab.nc + 1));   /* the head's words' part of sc */
    memset(hs, 0, sizeof *hs * (size_t)ctab.nc);
    for (int i = 0; i < need->terms.n; i++) {
        if (!counted(&need->terms, i, skip)) continue;
        const char *word = need->terms.terms[i];
        const term_list_t v = vars[i];
        bool in_head = in_list(head, word);
        memset(w, 0, sizeof *w * (size_t)ctab.nc);
        double top = 0;
        for (int k = 0; k < v.n; k++) {
            const struct cterm *t = cterm_find(v.terms[k]);
            if (!t) continue;
            for (int j = 0; j < t->n; j++) {
                /* an English label's own words speak for English needs only: through the glossary
                 * "fastighet" would reach "property", and so 77.40's intellectual property */
                if ((t->label[j] == IN_ENGLISH || t->label[j] == IN_PHRASE) && !english) continue;
                double x = t->label[j] == IN_NOTES ? NOTES_WEIGHT * t->idf
                         : t->label[j] == IN_PHRASE && !(t->part[j] & both[t->cls[j]]) ? PHRASE_WEIGHT * t->idf
                         : t->idf;
                if (x > top) top = x;
                if (x > w[t->cls[j]]) w[t->cls[j]] = x;
            }
        }
        total += top;
        if (in_head) {
            htotal += top;
            for (int c = 0; c < ctab.nc; c++) hs[c] += w[c];
        }
        if (map_trace) {
            fprintf(map_trace, "%s%s (%.2f):", word, in_head ? " [head]" : "", top);
            for (int k = 0; k < v.n; k++) fprintf(map_trace, " %s%s", v.terms[k], cterm_find(v.terms[k]) ? "*" : "");
            fprintf(map_trace, "\n   ");
            for (int c = 0; c < ctab.nc; c++) if (w[c] > 0) fprintf(map_trace, " %s %.2f", ctab.c[c].code, w[c]);
            fprintf(map_trace, "\n");
        }
        for (int c = 0; c < ctab.nc; c++) sc[c] += w[c];
    }
    if (total <= 0) return false;
    /* HEAD_SHARE of a class's score is its share of the head's words (they name what is asked),
     * the rest its share of the whole need; a need with no head (or all head) the latter alone */
    double hw = htotal > 0 && htotal < total ? HEAD_SHARE : 0;
    for (int c = 0; c < ctab.nc; c++) sc[c] = (1 - hw) * sc[c] / total + (hw > 0 ? hw * hs[c] / htotal : 0);
    return true;
}

/* best_classes: the MAPPED best of the scores sc (one per class), those scoring at least
 * MAPPED_MIN and MAPPED_NEAR of the best, into m; returns how many */
static int best_classes(arena_t *a, const double *sc, struct mapped *m) {
    struct mapped *all = arena_alloc(a, sizeof *all * (size_t)(ctab.nc + 1));
    int n = 0;
    for (int c = 0; c < ctab.nc; c++) if (sc[c] > 0) all[n++] = (struct mapped){c, sc[c]};
    qsort(all, (size_t)n, sizeof *all, mapped_cmp);
    if (n > MAPPED) n = MAPPED;
    memcpy(m, all, sizeof *m * (size_t)n);
    while (n > 0 && (m[n - 1].score < MAPPED_MIN || m[n - 1].score < MAPPED_NEAR * m[0].score)) n--;
    return n;
}

/* the candidates, each with its share of the best search score (0..1) for the seeker's words */
struct cand { int64_t id; double search; };
struct cands { struct cand *v; int n, cap; };

static void cand_add(struct cands *c, int64_t id, double search, int64_t except) {
    if (id == except) return;
    for (int k = 0; k < c->n; k++)
        if (c->v[k].id == id) { if (search > c->v[k].search) c->v[k].search = search; return; }
    if (c->n == c->cap) { c->cap = c->cap ? c->cap * 2 : 256; c->v = xrealloc(c->v, sizeof *c->v * (size_t)c->cap); }
    c->v[c->n++] = (struct cand){id, search};
}

static void cand_hits(struct cands *c, const search_hit_t *h, int nh, int64_t except, bool scored) {
    double best = 0;
    for (int i = 0; i < nh; i++) if (h[i].score > best) best = h[i].score;
    for (int i = 0; i < nh; i++) cand_add(c, h[i].id, scored && best > 0 ? h[i].score / best : 0, except);
}

/* candidates: the organisations worth comparing in detail. Every document plain search finds for
 * the seeker's needs (its best SEARCHED), those whose offers, competences and industries answer
 * them and those whose needs its offers answer (each the best CANDIDATES by the index), and up
 * to THEMED of those sharing each of its key areas. */
#define W_CLASS 1.5
#define W_HERE 0.75   /* in the municipality the need names */
#define W_NEAR 0.35   /* in its county, or in the county it names */
enum { CANDIDATES = 150, SEARCHED = 100, THEMED = 30, CLASSED = 60 };
static void candidates(arena_t *a, const match_query_t *q, const char *country, json_t *mine, const struct profile *me,
                       const struct mapped *m, int nm, struct cands *c) {
    search_filter_t f = {0};
    f.country = country;
    f.kind = q->kind;
    search_hit_t *h;
    int nh;
    const char *texts[2] = {side_text(a, &me->needs), side_text(a, &me->offers)};
    for (int i = 0; i < 2; i++) {
        if (!*texts[i]) continue;
        if (i == 0) {
            search_orgs(a, texts[i], &f, 0, SEARCHED, &h, &nh, NULL);
            cand_hits(c, h, nh, q->org_id, true);
        }
        search_candidates(a, texts[i], &f, CANDIDATES, &h, &nh);
        cand_hits(c, h, nh, q->org_id, i == 0);
    }
    /* the organisations of the classes that serve the need, found through the classes' labels */
    for (int k = 0; k < nm; k++) {
        const struct nclass *cl = &ctab.c[m[k].cls];
        search_candidates(a, aprintf_text(a, "%s %s", cl->sv, cl->nb), &f, CLASSED, &h, &nh);
        cand_hits(c, h, nh, q->org_id, false);
    }
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(mine, "themes"), i, x) {
        search_filter_t t = f;
        t.theme = json_string_value(x);
        search_orgs(a, "", &t, 0, THEMED, &h, &nh, NULL);
        cand_hits(c, h, nh, q->org_id, false);
    }
}

/* what a need asks for besides partners: money, or authorities (then funders and public bodies
 * are what it wants), and the side of the border it names ("norska", "i Sverige") */
struct intent { bool money, authority; const char *country; };

static bool stem_in(const char *t, const char *const *list) {
    for (int i = 0; list[i]; i++) if (!strncmp(t, list[i], strlen(list[i]))) return true;
    return false;
}
/* word_in: t is one of list's words (NULL-terminated) */
static bool word_in(const char *t, const char *const *list) {
    for (int i = 0; list[i]; i++) if (!strcmp(t, list[i])) return true;
    return false;
}

static struct intent intent_of(arena_t *a, const char *text) {
    static const char *const money[] = {"finansi", "pengar", "penger", "kapital", "capital", "lan", "loan", "invest", "fond",
                                        "fund", "bidrag", "tilskud", "grant", "stod", "stott", "money", "riskkapital",
                                        "affarsangl", "forretningsengl", "angel", "utlysning", "utlysing", NULL};
    static const char *const authority[] = {"myndighet", "kommun", "region", "offentlig", "etat", "fylke", "lan", "stat",
                                            "authorit", "municipal", "public", "government", "council", "agency", NULL};
    static const char *const no[] = {"norge", "norsk", "norway", "norwegian", NULL};
    static const char *const se[] = {"sverige", "svensk", "sweden", "swedish", NULL};
    struct intent in = {0};
    term_list_t w = {0};
    text_tokens(a, text, &w);
    int nno = 0, nse = 0;
    for (int i = 0; i < w.n; i++) {
        const char *f = text_fold_word(a, w.terms[i]);
        if (stem_in(f, money)) in.money = true;
        if (stem_in(f, authority)) in.authority = true;
        if (stem_in(f, no)) nno++;
        if (stem_in(f, se)) nse++;
    }
    in.country = nno && !nse ? "NO" : nse && !nno ? "SE" : NULL;
    return in;
}

/* funders and the public side: they come after peers unless the need asks for them */
static bool funder_or_public(const char *kind) {
    return streq(kind, "investor") || streq(kind, "public-body") || streq(kind, "municipality-region");
}

/* industries: a reason for every class of theirs whose labels or notes meet a need of mine */
static double serve(arena_t *a, const struct side *needs, const struct side *inds, const char *fmt, json_t *reasons) {
    double best = 0;
    const char *best_text = NULL, *best_need = NULL;
    for (int i = 0; i < needs->n; i++) {
        for (int k = 0; k < inds->n; k++) {
            struct side one = {&inds->p[k], 1};
            double cov = coverage(a, &needs->p[i], &one);
            if (cov > best) { best = cov; best_text = inds->p[k].text; best_need = needs->p[i].text; }
        }
    }
    if (best > 0)
        json_array_append_new(reasons, json_pack("{s:s, s:s, s:s, s:s}", "type", "industry-need", "mine", best_need, "theirs",
                                                 best_text, "text", aprintf_text(a, FMT_AS("%s", fmt), best_text)));
    return best;
}

const char *match_need_problem(arena_t *a, const char *need) {
    term_list_t all = {0}, content = {0};
    text_tokens(a, need, &all);
    if (all.n > 300) return N_("Describe the need in at most 300 words.");
    text_content_words(a, need, &content);
    if (!content.n) return N_("Describe the need in more words: say what you are looking for, not only how.");
    int known = search_known_words(a, need);
    if (!known || (content.n >= 4 && known * 4 < content.n)) return N_("We could not read this need. Describe it in Swedish, Norwegian or English.");
    return NULL;
}

static int match_cmp(const void *x, const void *y) {
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    int oa = json_is_true(json_object_get(a, "_first")), ob = json_is_true(json_object_get(b, "_first"));
    if (oa != ob) return ob - oa;
    return score_cmp(x, y);
}

/* ---- explaining a hit ---- */
static bool try_field(arena_t *a, const char *text, text_lang_t lang, const snippet_query_t *sq, const char *field, match_why_t *out) {
    snippet_t s;
    if (!snippet_find(a, text, lang, sq, &s)) return false;
    out->snip = s;
    out->field = field;
    out->industry = NULL;
    return true;
}

bool match_explain(arena_t *a, json_t *o, const char *q, const char *lang, match_why_t *out) {
    search_text_init(NULL);
    snippet_query_t sq;
    snippet_query(a, q, &sq);
    if (!sq.want.n) return false;
    const char *country = json_string_value(json_object_get(o, "country"));
    text_lang_t own = streq(country, "NO") ? LANG_NB : LANG_SV;
    json_t *d = json_object_get(o, "description");
    static const char *const dl[3] = {"sv", "nb", "en"};
    int first = streq(lang, "nb") ? 1 : streq(lang, "en") ? 2 : 0;
    for (int k = 0; k < 3; k++) {
        int l = (first + k) % 3;
        if (try_field(a, json_string_value(json_object_get(d, dl[l])), (text_lang_t)l, &sq, "description", out)) return true;
    }
    static const char *const tags[3] = {"competences", "offers", "needs"};
    for (int k = 0; k < 3; k++) {
        size_t i;
        json_t *x;
        buf_t b;
        buf_init(&b, a);
        json_array_foreach(json_object_get(o, tags[k]), i, x) bprintf_text(&b, "%s%s", b.len ? "; " : "", json_string_value(x));
        if (try_field(a, b.data, own, &sq, tags[k], out)) return true;
    }
    static const char *const texts[3] = {"competences_text", "offers_text", "needs_text"};
    for (int k = 0; k < 3; k++)
        if (try_field(a, json_string_value(json_object_get(o, texts[k])), own, &sq, "texts", out)) return true;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "nace"), i, x) {
        ref_nace_class_t c;
        if (!ref_nace_class(json_string_value(x), &c)) continue;
        const char *label = aprintf_text(a, "%s %s / %s", c.code, c.sv ? c.sv : c.nb, c.nb ? c.nb : c.sv);
        /* the labels read in their languages, then the everyday words; the notes last */
        if (try_field(a, c.sv, LANG_SV, &sq, "industry", out) || try_field(a, c.nb, LANG_NB, &sq, "industry", out) ||
            try_field(a, c.words[0], LANG_SV, &sq, "industry", out) || try_field(a, c.words[1], LANG_NB, &sq, "industry", out) ||
            try_field(a, c.words[2], LANG_EN, &sq, "industry", out) || try_field(a, c.notes, LANG_NB, &sq, "industry", out)) {
            out->industry = label;
            return true;
        }
    }
    /* last its name: a hit that search found by a word of its name alone says so */
    return try_field(a, json_string_value(json_object_get(o, "name")), own, &sq, "name", out);
}

json_t *match_why_json(arena_t *a, const match_why_t *w, const char *lang) {
    const char *marked = snippet_marked(a, &w->snip);
    const char *text = w->industry ? aprintf_text(a, tr(lang, "Serves your need: %s."), w->industry)
                       : streq(w->field, "name") ? aprintf_text(a, tr(lang, "Matched “%s” in its name."), marked)
                                                 : aprintf_text(a, tr(lang, "Matched “%s” in its profile."), marked);
    json_t *r = json_pack("{s:s, s:s, s:s, s:s}", "type", w->industry ? "industry" : "text", "field", w->field, "matched", marked,
                          "text", text);
    if (w->industry) json_object_set_new(r, "industry", json_string(w->industry));
    return json_pack("[o]", r);
}

/* match_snippet: the words of o's profile (or name: *in_name) that q matched, or NULL */
static const char *match_snippet(arena_t *a, json_t *o, const char *q, bool *in_name) {
    match_why_t w;
    if (!match_explain(a, o, q, "sv", &w)) return NULL;
    *in_name = streq(w.field, "name");
    return w.snip.text;
}

/* map_needs: the classes that serve the seeker's needs (the best and those close to it), into m
 * (MAPPED at most); returns how many */
static int map_needs(arena_t *a, db_t *db, const struct profile *me, const search_filter_t *f, struct mapped *m) {
    struct phrase wanted_all = {side_text(a, &me->needs), {0}};
    /* a need in English (no seeker country, an English page) is read with the English stemmer,
     * for the English labels; one of unknown language as Swedish */
    text_analyze(a, wanted_all.text, me->english ? LANG_EN : me->lang == LANG_ANY ? LANG_SV : me->lang, &wanted_all.terms);
    pthread_once(&ctab_once, ctab_build);
    double *sc = arena_alloc(a, sizeof *sc * (size_t)(ctab.nc + 1));
    /* the need's words meet the other language's labels and the (bokmål) notes through
     * translations into that language only (search/text.h: text_variants_for) */
    text_lang_t target = me->lang == LANG_SV ? LANG_NB : me->lang == LANG_NB ? LANG_SV : LANG_ANY;
    bool any = need_classes(a, &wanted_all, &me->places, &me->head, me->lang == LANG_ANY, target, sc);
    if (db) {
        /* the organisations search finds for the need (for its head, when it has one) vote for
         * their classes, by their share of the best score: what the need's words mean in the
         * register's own texts */
        search_hit_t *h;
        int nh;
        search_orgs(a, me->head_text ? me->head_text : wanted_all.text, f, 0, VOTERS, &h, &nh, NULL);
        double *v = arena_alloc(a, sizeof *v * (size_t)(ctab.nc + 1));
        memset(v, 0, sizeof *v * (size_t)ctab.nc);
        double best = nh ? h[0].score : 0, sum = 0;
        int64_t *vid = arena_alloc(a, sizeof *vid * (size_t)(nh + 1));
        for (int i = 0; i < nh; i++) vid[i] = h[i].id;
        json_t **vdoc = arena_alloc(a, sizeof *vdoc * (size_t)(nh + 1));
        org_load_many(db, vid, nh, false, vdoc);   /* one statement per part for all voters */
        for (int i = 0; i < nh; i++) {
            json_t *o = vdoc[i];
            if (!o) continue;
            double wt = best > 0 ? h[i].score / best : 0;
            sum += wt;
            size_t k;
            json_t *x;
            int seen[16], ns = 0;
            json_array_foreach(json_object_get(o, "nace"), k, x) {
                ref_nace_class_t rc;
                if (!ref_nace_class(json_string_value(x), &rc)) continue;
                int c = class_index(rc.code);
                bool dup = c < 0;
                for (int j = 0; j < ns && !dup; j++) dup = seen[j] == c;
                if (dup) continue;
                if (ns < 16) seen[ns++] = c;
                v[c] += wt;
            }
            json_decref(o);
        }
        if (sum > 0) {
            /* the votes weigh by how much they agree (the best class's share of them) against
             * the labels' opinion: spread over many classes they say little, and would only
             * dilute the class the labels found; alone they count fully */
            double most = 0;
            for (int c = 0; c < ctab.nc; c++) if (v[c] > most) most = v[c];
            double wv = W_VOTE * (any ? most / sum : 1);
            for (int c = 0; c < ctab.nc; c++) sc[c] = ((any ? sc[c] : 0) + wv * v[c] / sum) / (1 + wv);
            any = true;
        }
    }
    return any ? best_classes(a, sc, m) : 0;
}

/* head_terms: the terms (text_analyze in lang) of a need's head, its words before the first that
 * begins what the need is for, how or where: "A fish farm | willing to test our new net-cleaning
 * robot", "A coach | to take 50 conference guests from Oslo to Halden", "Ett fastighetsbolag | som
 * äger och hyr ut ...". A need names what it asks for first; the words after it each reach classes
 * of their own ("test", "robot", "clean") and outweighed it. A question ("Where can our farm buy
 * ...", "Finns det ...") or a need that opens with such a word has no head; nor has a need that is
 * all head, or whose head has only weak words ("Vi söker | ...", "Someone | to ..."). The head's
 * words are also what search is asked for the votes of its hits (map_needs). */
static void head_terms(arena_t *a, const char *need, text_lang_t lang, term_list_t *out, const char **text) {
    static const char *const ends[] = {"to", "that", "who", "which", "whose", "willing", "able", "for", "from", "in", "at",
                                       "near", "on", "with", "after", "before", "by", "so", "because", "where", "when",
                                       "while", "during", "into", "around", "across", "between", "within", "without",
                                       "about", "under", "over", "than", "like", "using", "via", "through", NULL};
    static const char *const asks[] = {"where", "who", "what", "which", "how", "can", "could", "does", "do", "is", "are",
                                       "would", "should", "will", "has", "have", "any", "anyone", "anybody", NULL};
    static const char *const ends_sn[] = {"som", "att", "for", "till", "til", "fran", "fra", "i", "pa", "med", "efter",
                                          "etter", "infor", "vid", "ved", "nara", "nar", "inom", "innen", "under", "dar",
                                          "der", "a", "genom", "gjennom", "mellan", "mellom", "utan", "uten", NULL};
    static const char *const asks_sn[] = {"var", "vem", "vad", "hvor", "hvem", "hva", "finns", "fins", "kan", "har", NULL};
    bool en = lang == LANG_EN;
    term_list_t w = {0};
    text_tokens(a, need, &w);
    if (!w.n || word_in(w.terms[0], en ? asks : asks_sn)) return;
    buf_t b;
    buf_init(&b, a);
    int i = 0;
    for (; i < w.n && !word_in(w.terms[i], en ? ends : ends_sn); i++) bprintf_text(&b, "%s ", w.terms[i]);
    if (!i || i == w.n) return;
    text_analyze(a, b.data, lang, out);
    *text = b.data;
}

/* free_need: the profile of a seeker that is only a free-text need (from: its country or NULL;
 * lang: the page's language) */
static void free_need(arena_t *a, const char *need, const char *from, const char *lang, struct profile *me) {
    memset(me, 0, sizeof *me);
    me->lang = from && !strcmp(from, "NO") ? LANG_NB : from ? LANG_SV : LANG_ANY;
    me->english = !from && streq(lang, "en");
    text_lang_t lang_of = me->english ? LANG_EN : me->lang == LANG_ANY ? LANG_SV : me->lang;
    place_terms(a, need, lang_of, &me->places, me);
    /* the words that say what is wanted (not "vi söker", not the country's name, not the places
     * it names: where is a preference of its own, match_find's place reason, and a place's name
     * found "STEINKJER SKIKLUBB" for a tractor) */
    term_list_t w = {0};
    text_content_words(a, need, &w);
    buf_t b;
    buf_init(&b, a);
    int kept = 0;
    for (int i = 0; i < w.n; i++)
        if (!in_list(&me->place_words, text_fold_word(a, w.terms[i]))) bprintf_text(&b, "%s%s", kept++ ? " " : "", w.terms[i]);
    add_phrase(a, &me->needs, kept ? b.data : need, me->lang == LANG_ANY ? LANG_SV : me->lang);
    if (me->english || me->lang != LANG_ANY) head_terms(a, need, me->english ? LANG_EN : me->lang, &me->head, &me->head_text);
}

const char *match_need_industries(arena_t *a, db_t *db, const char *need, const char *from, const char *country, const char *lang) {
    search_text_init(NULL);
    struct profile me;
    free_need(a, need, from, lang, &me);
    search_filter_t f = {0};
    f.country = country;
    struct mapped m[MAPPED];
    int nm = map_needs(a, db, &me, &f, m);
    buf_t b;
    buf_init(&b, a);
    for (int k = 0; k < nm; k++) bprintf_text(&b, "%s%s (%.2f)", k ? ", " : "", ctab.c[m[k].cls].code, m[k].score);
    return b.data;
}

json_t *match_find(db_t *db, const match_query_t *q) {
    search_text_init(NULL);
    arena_t *a = arena_new();
    struct profile me;
    json_t *mine = NULL;
    if (q->org_id) {
        mine = org_load(db, q->org_id, false);
        if (!mine) { arena_free(a); return NULL; }
        profile_of(a, mine, &me);
    } else free_need(a, q->need, q->from, q->lang, &me);
    const char *my_country = mine ? json_string_value(json_object_get(mine, "country")) : q->from;
    json_t *my_themes = mine ? json_object_get(mine, "themes") : NULL;
    json_t *my_nace = mine ? json_object_get(mine, "nace") : NULL;
    struct intent in = intent_of(a, mine ? side_text(a, &me.needs) : q->need);
    /* the side wanted: the one asked for, else the one the need names; the other side comes first */
    const char *country = q->country ? q->country : in.country;
    /* the classes that serve the need: the best and those close to it */
    search_filter_t vf = {0};
    vf.country = country;
    vf.kind = q->kind;
    struct mapped m[MAPPED];
    int nm = map_needs(a, db, &me, &vf, m);
    /* the candidates, from the index */
    struct cands c = {0};
    candidates(a, q, country, mine, &me, m, nm, &c);
    json_t *out = json_array();
    int64_t *cid = arena_alloc(a, sizeof *cid * (size_t)(c.n + 1));
    for (int n = 0; n < c.n; n++) cid[n] = c.v[n].id;
    json_t **cdoc = arena_alloc(a, sizeof *cdoc * (size_t)(c.n + 1));
    org_load_many(db, cid, c.n, false, cdoc);   /* every candidate at once */
    for (int n = 0; n < c.n; n++) {
        json_t *o = cdoc[n];
        if (!o) continue;
        const char *their_country = json_string_value(json_object_get(o, "country"));
        const char *kind = json_string_value(json_object_get(o, "kind"));
        if ((country && strcmp(country, their_country)) || (q->kind && strcmp(q->kind, kind))) { json_decref(o); continue; }
        struct profile them;
        profile_of(a, o, &them);
        json_t *reasons = json_array();
        double score = 0;
        size_t i0;
        json_t *x0;
        /* each need: the share of its words the other side's offers cover (the best phrase is the reason) */
        score += meet(a, &me.needs, &them.offers, 3, "need-offer", tr(q->lang, "Your need “%s” meets what they offer: “%s”."), false, reasons);
        score += meet(a, &them.needs, &me.offers, 2, "offer-need", tr(q->lang, "They need “%s”, which you offer: “%s”."), true, reasons);
        /* their industries that serve the need */
        score += 2.5 * serve(a, &me.needs, &them.inds, tr(q->lang, "Serves your need: %s."), reasons);
        /* their classes among those the need maps to */
        double cls = 0;
        json_array_foreach(json_object_get(o, "nace"), i0, x0) {
            ref_nace_class_t rc;
            if (!ref_nace_class(json_string_value(x0), &rc)) continue;
            for (int k = 0; k < nm; k++)
                if (!strcmp(ctab.c[m[k].cls].code, rc.code) && m[k].score / m[0].score > cls) cls = m[k].score / m[0].score;
        }
        score += W_CLASS * cls;
        /* what search found for the need (so no candidate of search is lost) */
        score += 2 * c.v[n].search;
        size_t i, k;
        json_t *x, *y;
        int shared_themes = 0;
        json_array_foreach(my_themes, i, x) json_array_foreach(json_object_get(o, "themes"), k, y) if (json_equal(x, y)) {
            shared_themes++;
            json_array_append_new(reasons, json_pack("{s:s, s:s, s:s, s:s}", "type", "theme", "mine", json_string_value(x), "theirs",
                                                     json_string_value(y), "text",
                                                     aprintf_text(a, tr(q->lang, "You share the key area %s."),
                                                             ref_theme_name(db, a, json_string_value(x), q->lang))));
        }
        score += shared_themes;
        bool industry = false;
        json_array_foreach(my_nace, i, x) json_array_foreach(json_object_get(o, "nace"), k, y)
            if (!industry && !strncmp(json_string_value(x), json_string_value(y), 2)) {
                industry = true;
                json_array_append_new(reasons, json_pack("{s:s, s:s, s:s, s:s}", "type", "industry", "mine", json_string_value(x), "theirs",
                                                         json_string_value(y), "text",
                                                         aprintf_text(a, tr(q->lang, "You work in the same industry (NACE %.2s)."), json_string_value(x))));
            }
        if (industry) score += 0.5;
        if (score <= 0) { json_decref(reasons); json_decref(o); continue; }
        /* a reason: the words of its profile search matched, when nothing more precise was said */
        if (!json_array_size(reasons) && c.v[n].search > 0) {
            bool in_name = false;
            const char *snip = match_snippet(a, o, side_text(a, &me.needs), &in_name);
            if (snip && *snip)
                json_array_append_new(reasons, json_pack("{s:s, s:s, s:s}", "type", in_name ? "name" : "text", "theirs", snip, "text",
                                                         aprintf_text(a, in_name ? tr(q->lang, "Found by a word of their name: “%s”.")
                                                                                 : tr(q->lang, "Their profile says: “%s”."), snip)));
        }
        if (funder_or_public(kind) && !(in.money || in.authority)) score *= 0.4;
        bool other_side = my_country && strcmp(my_country, their_country);
        if (other_side && !q->country)
            json_array_append_new(reasons, json_pack("{s:s, s:s}", "type", "cross-border", "text",
                                                     tr(q->lang, "They are on the other side of the border.")));
        /* where the need asked for: their municipality, else its county */
        const char *their_muni = json_string_value(json_object_get(o, "municipality"));
        const char *their_county = json_string_value(json_object_get(o, "county"));
        if (!their_county && their_muni) {
            const municipality_t *mu = ref_municipality(their_country, their_muni);
            their_county = mu ? mu->county : NULL;
        }
        const struct place *here = NULL, *near = NULL;
        for (int wi = 0; wi < me.nwhere && !here; wi++)
            for (const struct place *p = me.where[wi]; p && !here; p = p->next >= 0 ? &place_v[p->next] : NULL) {
                const char *pc = p->m ? p->m->country : p->c->country;
                if (!their_country || strcmp(pc, their_country)) continue;
                if (p->m && their_muni && !strcmp(p->m->code, their_muni)) here = p;
                else if (!near && their_county && !strcmp(p->m ? p->m->county : p->c->code, their_county)) near = p;
            }
        if (here || near) {
            const county_t *cy = ref_county(their_country, their_county);
            const char *text = here ? aprintf_text(a, tr(q->lang, "They are in %s, the place you named."), here->m->name)
                               : near->c ? aprintf_text(a, tr(q->lang, "They are in %s, the county you named."), near->c->name)
                                         : aprintf_text(a, tr(q->lang, "They are in %s, the county of %s."), cy ? cy->name : their_county, near->m->name);
            score += here ? W_HERE : W_NEAR;
            json_array_append_new(reasons, json_pack("{s:s, s:s, s:s}", "type", "place", "place", here ? here->m->name : near->m ? near->m->name : near->c->name,
                                                     "text", text));
        }
        if (border_county(their_country, their_county)) {
            score += 0.5;
            json_array_append_new(reasons, json_pack("{s:s, s:s}", "type", "border-region", "text", tr(q->lang, "They are in the border region.")));
        }
        json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:f, s:o, s:b}", "id", (json_int_t)c.v[n].id, "name",
                                             json_string_value(json_object_get(o, "name")), "country", their_country, "kind", kind,
                                             "score", round(score * 100) / 100, "reasons", reasons, "_first", other_side && !q->country));
        json_decref(o);
    }
    free(c.v);
    /* the other side first, then best first */
    size_t n = json_array_size(out);
    json_t **v = xmalloc(sizeof(json_t *) * (n + 1));
    for (size_t i = 0; i < n; i++) v[i] = json_incref(json_array_get(out, i));
    qsort(v, n, sizeof *v, match_cmp);
    json_t *sorted = json_array();
    const char *wanted = side_text(a, &me.needs);
    size_t shown = n < (size_t)(q->limit > 0 ? q->limit : 0) ? n : (size_t)(q->limit > 0 ? q->limit : 0);
    int64_t *sid = arena_alloc(a, sizeof *sid * (shown + 1));
    for (size_t i = 0; i < shown; i++) sid[i] = json_integer_value(json_object_get(v[i], "id"));
    json_t **sdoc = arena_alloc(a, sizeof *sdoc * (shown + 1));
    if (*wanted) org_load_many(db, sid, (int)shown, false, sdoc);   /* the shown ones at once */
    for (size_t i = 0; i < shown; i++) {
        json_object_del(v[i], "_first");
        /* the snippet of theirs that meets the need, its words marked */
        json_t *o = sdoc[i];
        match_why_t w;
        if (o && match_explain(a, o, wanted, q->lang, &w)) {
            buf_t h;
            buf_init(&h, a);
            snippet_html(&h, &w.snip);
            json_object_set_new(v[i], "snippet", json_string(w.snip.text));
            json_object_set_new(v[i], "snippet_html", json_string(h.data));
        }
        json_decref(o);
        json_array_append(sorted, v[i]);
    }
    for (size_t i = 0; i < n; i++) json_decref(v[i]);
    free(v);
    json_decref(out);
    json_decref(mine);
    arena_free(a);
    return sorted;
}
