/* `granslos bench match`: how well matchmaking and plain search answer needs written as people
 * write them, across the language border. A judged set (data/bench/needs.tsv: each need with
 * its language, the country whose organisations should answer it and the NACE classes that
 * serve it) is run over a fresh store holding the demo organisations and the real Brønnøysund
 * rows (imported through `import brreg`). A hit is right when one of its industry codes begins
 * with one of the need's classes. Per direction and per part (tune / held), it prints:
 *   p@10   right answers in the top 10 / min(10, right answers the store holds)
 *   ndcg   nDCG@10 with binary gains
 *   none   the share of needs with no right answer in the top 10
 * for matchmaking (match_find) and for search (search_orgs) with the same country filter. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/buf.h"
#include "core/util.h"
#include "importers/brreg.h"
#include "importers/demo.h"
#include "org/match.h"
#include "org/org.h"
#include "ref/ref.h"
#include "search/index.h"
#include "search/text.h"

struct need { int id; bool held; const char *from, *to, *text; char **nace; int nnace; };

/* every organisation's industry codes and country, by id (ids are small and dense here) */
struct corpus { json_t **nace; const char **country; int64_t max_id; };

static bool right(const struct corpus *c, int64_t id, const struct need *n) {
    if (id <= 0 || id > c->max_id || !c->nace[id]) return false;
    size_t i;
    json_t *x;
    json_array_foreach(c->nace[id], i, x) {
        const char *code = json_string_value(x);
        for (int k = 0; k < n->nnace; k++) if (code && !strncmp(code, n->nace[k], strlen(n->nace[k]))) return true;
    }
    return false;
}

static int attainable(const struct corpus *c, const struct need *n) {
    int r = 0;
    for (int64_t id = 1; id <= c->max_id; id++)
        if (c->country[id] && !strcmp(c->country[id], n->to) && right(c, id, n)) r++;
    return r;
}

struct tally { int n; double p, ndcg; int none; };

static void score(struct tally *t, const struct corpus *c, const struct need *n, const int64_t *ids, int nids, int avail) {
    int hits = 0;
    double dcg = 0, idcg = 0;
    for (int i = 0; i < nids && i < 10; i++)
        if (right(c, ids[i], n)) { hits++; dcg += 1 / log2(i + 2.0); }
    int ideal = avail < 10 ? avail : 10;
    for (int i = 0; i < ideal; i++) idcg += 1 / log2(i + 2.0);
    t->n++;
    t->p += ideal ? (double)hits / ideal : 0;
    t->ndcg += idcg > 0 ? dcg / idcg : 0;
    if (!hits) t->none++;
}

static int load_needs(arena_t *a, const char *path, struct need **out) {
    FILE *f = fopen(path, "r");
    if (!f) { fprintf(stderr, "bench match: cannot read %s\n", path); return -1; }
    struct need *v = NULL;
    int n = 0, cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') continue;
        line[strcspn(line, "\r\n")] = 0;
        char *col[6] = {0};
        char *p = line;
        for (int i = 0; i < 6 && p; i++) { col[i] = p; p = strchr(p, '\t'); if (p) *p++ = 0; }
        if (!col[5]) { fprintf(stderr, "bench match: a line of %s has fewer than 6 columns\n", path); continue; }
        if (n == cap) { cap = cap ? cap * 2 : 256; v = xrealloc(v, sizeof *v * (size_t)cap); }
        struct need *x = &v[n++];
        memset(x, 0, sizeof *x);
        x->id = atoi(col[0]);
        x->held = !strcmp(col[1], "held");
        x->from = arena_strdup(a, col[2]);
        x->to = arena_strdup(a, col[3]);
        x->text = arena_strdup(a, col[5]);
        x->nace = arena_alloc(a, sizeof(char *) * 8);
        char *codes = arena_strdup(a, col[4]);
        for (char *s = NULL, *t = strtok_r(codes, ",", &s); t && x->nnace < 8; t = strtok_r(NULL, ",", &s)) x->nace[x->nnace++] = t;
    }
    fclose(f);
    *out = v;
    return n;
}

static int usage(void) {
    fprintf(stderr, "usage: granslos bench match [--needs FILE] [--brreg FILE] [--part tune|held|all] [--show N]\n"
                    "       granslos bench match --map NEED [--from SE|NO] [--why]   (the classes its labels map a need to; --why: what each word gives)\n");
    return 2;
}

int org_match_bench_main(int argc, char **argv) {
    const char *needs_path = "data/bench/needs.tsv", *brreg = "data/bench/brreg-enheter-selection.csv.gz", *part = "all";
    int show = 0;
    const char *map = NULL, *map_from = NULL;
    for (int i = 0; i < argc; i++) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--needs") && val) { needs_path = val; i++; }
        else if (!strcmp(argv[i], "--brreg") && val) { brreg = val; i++; }
        else if (!strcmp(argv[i], "--part") && val) { part = val; i++; }
        else if (!strcmp(argv[i], "--show") && val) { show = atoi(val); i++; }
        else if (!strcmp(argv[i], "--map") && val) { map = val; i++; }
        else if (!strcmp(argv[i], "--from") && val) { map_from = val; i++; }
        else if (!strcmp(argv[i], "--why")) match_trace(stderr);
        else return usage();
    }
    if (strcmp(part, "all") && strcmp(part, "tune") && strcmp(part, "held")) return usage();
    ref_init();
    search_text_init(NULL);
    search_text_wait_lexicon();
    if (map) {   /* only the classes one need maps to, without a store */
        arena_t *ma = arena_new();
        printf("%s\n", match_need_industries(ma, NULL, map, map_from, NULL, map_from ? NULL : "en"));
        arena_free(ma);
        return 0;
    }
    arena_t *a = arena_new();
    struct need *needs;
    int nneeds = load_needs(a, needs_path, &needs);
    if (nneeds < 0) { arena_free(a); return 1; }
    char path[256];
    snprintf(path, sizeof path, "%s/granslos-bench-match-%d.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    unlink(path);
    db_t *db = db_open(path);
    if (!db) { arena_free(a); return 1; }
    db_exec(db, "PRAGMA synchronous = OFF");
    if (demo_load(db) < 0) { db_close(db); unlink(path); arena_free(a); return 1; }
    import_stats_t st = {0};
    FILE *devnull = fopen("/dev/null", "w");
    if (import_brreg(db, brreg, devnull ? devnull : stderr, &st)) {
        fprintf(stderr, "bench match: cannot import %s\n", brreg);
        if (devnull) fclose(devnull);
        db_close(db); unlink(path); arena_free(a);
        return 1;
    }
    if (devnull) fclose(devnull);
    int norgs = org_index_all(db);
    /* the judged facts of every organisation */
    struct corpus c = {0};
    stmt_t *s = db_prep(db, "SELECT coalesce(max(id), 0) FROM organisations");
    c.max_id = db_step(s) ? db_int(s, 0) : 0;
    db_reset(s);
    c.nace = xcalloc((size_t)c.max_id + 1, sizeof *c.nace);
    c.country = xcalloc((size_t)c.max_id + 1, sizeof *c.country);
    for (int64_t id = 1; id <= c.max_id; id++) {
        json_t *o = org_load(db, id, false);
        if (!o) continue;
        c.nace[id] = json_incref(json_object_get(o, "nace"));
        c.country[id] = arena_strdup(a, json_string_value(json_object_get(o, "country")));
        json_decref(o);
    }
    printf("organisations: %d (demo and %lld Brønnøysund rows)\nneeds: %d from %s\n", norgs, st.inserted, nneeds, needs_path);
    /* tallies: [direction sv-NO, nb-SE, en-*][part tune, held][match, search] */
    static const char *const dirs[3] = {"sv->NO", "nb->SE", "en->*"};
    struct tally t[3][2][2];
    memset(t, 0, sizeof t);
    int skipped = 0, nrefused = 0;
    for (int i = 0; i < nneeds; i++) {
        struct need *n = &needs[i];
        if ((!strcmp(part, "tune") && n->held) || (!strcmp(part, "held") && !n->held)) continue;
        int d = !strcmp(n->from, "sv") ? 0 : !strcmp(n->from, "nb") ? 1 : 2;
        int avail = attainable(&c, n);
        if (!avail) { skipped++; fprintf(stderr, "need %d: no organisation in %s holds %s\n", n->id, n->to, n->nace[0]); continue; }
        arena_t *qa = arena_new();
        const char *refused = match_need_problem(qa, n->text);
        if (refused) { nrefused++; fprintf(stderr, "need %d refused: %s (%s)\n", n->id, refused, n->text); }
        /* matchmaking: a free-text need from the other country, partners in `to` */
        match_query_t q = {0};
        q.need = n->text;
        q.from = !strcmp(n->to, "NO") ? "SE" : "NO";
        if (!strcmp(n->from, "en")) q.from = NULL;
        q.country = n->to;
        q.lang = n->from;
        q.limit = 10;
        json_t *m = match_find(db, &q);
        int64_t ids[10];
        int nids = 0;
        size_t k;
        json_t *x;
        json_array_foreach(m, k, x) if (nids < 10) ids[nids++] = json_integer_value(json_object_get(x, "id"));
        score(&t[d][n->held][0], &c, n, ids, nids, avail);
        int mright = 0;
        for (int j = 0; j < nids; j++) mright += right(&c, ids[j], n);
        /* plain search, the same country */
        search_filter_t f = {0};
        f.country = n->to;
        search_hit_t *hits;
        int nh;
        search_orgs(qa, n->text, &f, 0, 10, &hits, &nh, NULL);
        int64_t sids[10];
        int ns = 0;
        for (int j = 0; j < nh && ns < 10; j++) sids[ns++] = hits[j].id;
        score(&t[d][n->held][1], &c, n, sids, ns, avail);
        int sright = 0;
        for (int j = 0; j < ns; j++) sright += right(&c, sids[j], n);
        if (show && !n->held && (mright * 2 < (avail < 10 ? avail : 10) || show > 1))
            printf("  %3d %s %-8s match %d/%d search %d/%d (of %d)  %s\n", n->id, n->from, n->nace[0], mright, nids, sright, ns, avail, n->text);
        if (show > 2 && !n->held) {   /* the classes the need maps to, the top five of matchmaking, right ones starred */
            printf("       classes: %s\n", match_need_industries(qa, db, n->text, q.from, q.country, q.lang));
            json_array_foreach(m, k, x) if (k < 5) {
                int64_t id = json_integer_value(json_object_get(x, "id"));
                json_t *r0 = json_array_get(json_object_get(x, "reasons"), 0);
                printf("       %s %s: %s\n", right(&c, id, n) ? "*" : " ", json_string_value(json_object_get(x, "name")),
                       r0 ? json_string_value(json_object_get(r0, "text")) : "");
            }
        }
        json_decref(m);
        arena_free(qa);
    }
    printf("%-7s %-5s %4s | %-6s %-6s %-6s | %-6s %-6s %-6s\n", "dir", "part", "n", "m.p@10", "m.ndcg", "m.none", "s.p@10", "s.ndcg", "s.none");
    for (int d = 0; d < 3; d++)
        for (int p = 0; p < 2; p++) {
            struct tally *m = &t[d][p][0], *se = &t[d][p][1];
            if (!m->n) continue;
            printf("%-7s %-5s %4d | %6.3f %6.3f %6.3f | %6.3f %6.3f %6.3f\n", dirs[d], p ? "held" : "tune", m->n, m->p / m->n, m->ndcg / m->n,
                   (double)m->none / m->n, se->p / se->n, se->ndcg / se->n, (double)se->none / se->n);
        }
    printf("refused as unreadable: %d needs\n", nrefused);
    if (skipped) printf("skipped: %d needs whose classes no organisation holds\n", skipped);
    for (int64_t id = 0; id <= c.max_id; id++) json_decref(c.nace[id]);
    free(c.nace);
    free(c.country);
    free(needs);
    db_close(db);
    unlink(path);
    char wal[300];
    snprintf(wal, sizeof wal, "%s-wal", path); unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path); unlink(wal);
    arena_free(a);
    return 0;
}
