/* Matchmaking ("Hitta partner" / "Finn partner"): complementary organisations for an
 * organisation, or for a free-text need, each match with the reasons it was made. */
#ifndef ORG_MATCH_H
#define ORG_MATCH_H
#include <jansson.h>
#include "db/db.h"

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

/* org_match_bench_main: `granslos bench match` (match_bench.c); argv after "bench match". */
int org_match_bench_main(int argc, char **argv);
#endif
