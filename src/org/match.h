/* Matchmaking ("Hitta partner" / "Finn partner"): complementary organisations for an
 * organisation, or for a free-text need, each match with the reasons it was made. */
#ifndef ORG_MATCH_H
#define ORG_MATCH_H
#include <jansson.h>
#include "db/db.h"
#include "search/snippet.h"

typedef struct match_query {
    int64_t org_id;          /* the organisation looking, or 0 for a free-text need */
    const char *need;        /* free text (with org_id 0) */
    const char *from;        /* the seeker's country when org_id is 0 ("SE"/"NO"), may be NULL */
    const char *country;     /* only partners in this country; NULL: the other side first */
    const char *kind;        /* only partners of this kind */
    const char *lang;        /* language of the reasons */
    int limit;
} match_query_t;

/* match_find: [{"id","name","country","kind","score","reasons":[{"type","mine","theirs","text"}]}],
 * best first; NULL if org_id names no organisation. The caller owns the result. */
json_t *match_find(db_t *db, const match_query_t *q);

/* Why an organisation answers a query: the first field (its description in the reader's
 * language, then the others, its competences, offers and needs, its free texts, then the labels
 * of its industries on both sides of the border, last its name) with a word the query matches,
 * as a snippet with the matches marked. */
typedef struct match_why {
    snippet_t snip;
    const char *field;       /* "description", "competences", "offers", "needs", "texts", "industry" or "name" */
    const char *industry;    /* for "industry": "62.01 Dataprogrammering / Programmeringstjenester" */
} match_why_t;
/* match_explain: false if no field matches (then *out is untouched). */
bool match_explain(arena_t *a, json_t *org, const char *q, const char *lang, match_why_t *out);
/* match_why_json: the reasons of an explanation, [{"type","field","matched","text"}], in lang. */
json_t *match_why_json(arena_t *a, const match_why_t *w, const char *lang);

/* match_need_problem: why a free-text need cannot be matched, as an English msgid (translate
 * with tr()), or NULL: more than 300 words; nothing but stop words; mostly words that neither the
 * lexicon nor any organisation's text has (a language we do not read). */
const char *match_need_problem(arena_t *a, const char *need);

/* match_need_industries: the classes a free-text need maps to, as match_find maps it for partners
 * in `country`, asked on a page in `lang`, as text ("69.20 (1.00), 69.10 (0.85)"); with db NULL from the labels alone,
 * without search's votes. For `bench match --show 3` and `--map`. */
const char *match_need_industries(arena_t *a, db_t *db, const char *need, const char *from, const char *country, const char *lang);
/* match_trace: need_classes writes each word of a need and what it gives each class to f (NULL:
 * nothing); for `granslos bench match --map NEED --why`, before any need is mapped */
void match_trace(FILE *f);

/* org_match_bench_main: `granslos bench match` (match_bench.c); argv after "bench match". */
int org_match_bench_main(int argc, char **argv);
#endif
