/* Matchmaking (see match.h). Candidates come from the search index (search_candidates: the
 * organisations that score best for the words of the seeker's needs and offers, plus some that
 * share a key area); each candidate is then compared with the seeker: its needs
 * against their offers and competences (for register-only organisations, the labels of their
 * industry codes), their needs against its offers, shared key areas and industries; the other
 * side of the border first, and the border region before the rest. Words are compared through
 * search/text.h, so a Swedish need finds a Norwegian offer. */
#include "org/match.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/util.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "ref/ref.h"
#include "search/index.h"
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

struct profile {
    json_t *doc;
    struct side needs, offers;
    text_lang_t lang;
};

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
    /* what the registers say they do: the labels of their industry codes */
    json_array_foreach(json_object_get(o, "nace"), i, x) {
        const char *ll;
        const char *label = ref_nace_label(json_string_value(x), country, &ll);
        if (label) add_phrase(a, &p->offers, label, !strcmp(ll, "nb") ? LANG_NB : LANG_SV);
    }
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
                                    "gran", "grans", "grens", "border", "grense", NULL};
    if (strlen(t) < 3) return true;
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

static void add_ids(arena_t *a, int64_t **ids, int *n, const search_hit_t *h, int nh, int64_t except) {
    int64_t *more = arena_alloc(a, sizeof *more * (size_t)(*n + nh + 1));
    if (*n) memcpy(more, *ids, sizeof *more * (size_t)*n);
    for (int i = 0; i < nh; i++) {
        bool seen = h[i].id == except;
        for (int k = 0; k < *n && !seen; k++) seen = more[k] == h[i].id;
        if (!seen) more[(*n)++] = h[i].id;
    }
    *ids = more;
}

/* candidates: the organisations worth comparing in detail. Those whose offers and competences
 * answer the seeker's needs, those whose needs its offers answer (each the best CANDIDATES by the
 * index), and up to THEMED of those sharing each of its key areas. */
enum { CANDIDATES = 150, THEMED = 30 };
static void candidates(arena_t *a, const match_query_t *q, json_t *mine, const struct profile *me, int64_t **ids, int *n) {
    search_filter_t f = {0};
    f.country = q->country;
    f.kind = q->kind;
    search_hit_t *h;
    int nh;
    const char *texts[2] = {side_text(a, &me->needs), side_text(a, &me->offers)};
    for (int i = 0; i < 2; i++) {
        if (!*texts[i]) continue;
        search_candidates(a, texts[i], &f, CANDIDATES, &h, &nh);
        add_ids(a, ids, n, h, nh, q->org_id);
    }
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(mine, "themes"), i, x) {
        search_filter_t t = f;
        t.theme = json_string_value(x);
        search_orgs(a, "", &t, 0, THEMED, &h, &nh, NULL);
        add_ids(a, ids, n, h, nh, q->org_id);
    }
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
    } else {
        memset(&me, 0, sizeof me);
        me.lang = q->from && !strcmp(q->from, "NO") ? LANG_NB : LANG_SV;
        add_phrase(a, &me.needs, q->need, me.lang);
    }
    const char *my_country = mine ? json_string_value(json_object_get(mine, "country")) : q->from;
    json_t *my_themes = mine ? json_object_get(mine, "themes") : NULL;
    json_t *my_nace = mine ? json_object_get(mine, "nace") : NULL;
    /* the candidates, from the index */
    int64_t *ids = NULL;
    int nids = 0;
    candidates(a, q, mine, &me, &ids, &nids);
    json_t *out = json_array();
    for (int n = 0; n < nids; n++) {
        json_t *o = org_load(db, ids[n], false);
        if (!o) continue;
        const char *country = json_string_value(json_object_get(o, "country"));
        const char *kind = json_string_value(json_object_get(o, "kind"));
        if ((q->country && strcmp(q->country, country)) || (q->kind && strcmp(q->kind, kind))) { json_decref(o); continue; }
        struct profile them;
        profile_of(a, o, &them);
        json_t *reasons = json_array();
        double score = 0;
        /* each need: the share of its words the other side's offers cover (the best phrase is the reason) */
        score += meet(a, &me.needs, &them.offers, 3, "need-offer", tr(q->lang, "Your need “%s” meets what they offer: “%s”."), false, reasons);
        score += meet(a, &them.needs, &me.offers, 2, "offer-need", tr(q->lang, "They need “%s”, which you offer: “%s”."), true, reasons);
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
        bool other_side = my_country && strcmp(my_country, country);
        if (other_side && !q->country) {
            score *= 1.5;
            json_array_append_new(reasons, json_pack("{s:s, s:s}", "type", "cross-border", "text",
                                                     tr(q->lang, "They are on the other side of the border.")));
        }
        if (border_county(country, json_string_value(json_object_get(o, "county")))) {
            score += 0.5;
            json_array_append_new(reasons, json_pack("{s:s, s:s}", "type", "border-region", "text", tr(q->lang, "They are in the border region.")));
        }
        json_array_append_new(out, json_pack("{s:I, s:s, s:s, s:s, s:f, s:o}", "id", (json_int_t)ids[n], "name",
                                             json_string_value(json_object_get(o, "name")), "country", country, "kind", kind,
                                             "score", round(score * 100) / 100, "reasons", reasons));
        json_decref(o);
    }
    /* best first */
    size_t n = json_array_size(out);
    json_t **v = xmalloc(sizeof(json_t *) * (n + 1));
    for (size_t i = 0; i < n; i++) v[i] = json_incref(json_array_get(out, i));
    qsort(v, n, sizeof *v, score_cmp);
    json_t *sorted = json_array();
    for (size_t i = 0; i < n && (int)i < q->limit; i++) json_array_append(sorted, v[i]);
    for (size_t i = 0; i < n; i++) json_decref(v[i]);
    free(v);
    json_decref(out);
    json_decref(mine);
    arena_free(a);
    return sorted;
}
