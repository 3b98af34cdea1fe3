/* `granslos bench digest [--orgs N] [--new K] [--events E] [--seed S] [--keep-db PATH]`: the
 * weekly digests of N generated organisations (each with one member; needs and offers from a
 * shared vocabulary of both languages, half on each side of the border), built with the matching
 * of "news from the other side" as the Monday run builds them. The last K (--new, default 1 %)
 * are this week's new organisations, with E new events (--events, default one per 1 000
 * organisations) of the same vocabulary on both sides, and S saved searches of the members (--searches,
 * default 1 000: a word and the other side) asked about each new one; the rest were seen by last
 * week's run (notify_digest_run with dry_run: everything but the outbox rows). Prints key: value
 * lines. The organisations go through org_validate and org_save, the events through
 * event_validate and event_save, the users through user_create_hashed: no SQL of other modules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "account/auth.h"
#include "core/util.h"
#include "events/events.h"
#include "notify/internal.h"
#include "org/match.h"
#include "org/org.h"

static const char *const vocab[] = {
    "undervattensdrönare", "sensorer", "batterier", "vätgas", "solceller", "skogsråvara", "biogas", "logistik",
    "turism", "programvara", "maskininlärning", "kompositer", "robotar", "laserskärning", "träbyggnad", "hälsoteknik",
    "vindkraft", "havbruk", "fiskeoppdrett", "trelast", "fornybar energi", "batteriproduksjon", "programvareutvikling", "droner",
    "reiseliv", "transport", "matproduksjon", "sirkulær økonomi", "sensorteknologi", "helseteknologi", "testbädd", "finansiering",
};
static const char *const munis[][2] = {{"SE", "1780"}, {"SE", "1784"}, {"SE", "0180"}, {"NO", "3401"}, {"NO", "0301"}};

static uint64_t next(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static double ms_since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}
static double cpu_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* what the dry run printed, tallied: the items' links (news, and the saved searches' matches) (the stream is unbuffered, so each
 * digest, one fprintf of about a kilobyte, comes in one write and no link straddles two) */
struct tally { long long orgs, events; };
static ssize_t tally_write(void *c, const char *buf, size_t n) {
    struct tally *t = c;
    for (const char *p = buf, *end = buf + n; (p = memmem(p, (size_t)(end - p), "\n  http", 7)); p += 7) {
        const char *path = memchr(p + 7, '/', (size_t)(end - p - 7));   /* after the scheme's "//" and the host */
        if (path && (path = memchr(path + 2, '/', (size_t)(end - path - 2)))) {
            if ((size_t)(end - path) > 8 && !memcmp(path, "/events/", 8)) t->events++;
            else if ((size_t)(end - path) > 15 && !memcmp(path, "/organisations/", 15)) t->orgs++;
        }
    }
    return (ssize_t)n;
}

int notify_bench_main(int argc, char **argv) {
    long long n = 10000, seed = 1, fresh = -1, events = -1, searches = 1000;
    const char *keep = NULL;
    for (int i = 0; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--orgs") && v && parse_int(v, 10, 10000000, &n)) i++;
        else if (!strcmp(argv[i], "--new") && v && parse_int(v, 0, 10000000, &fresh)) i++;
        else if (!strcmp(argv[i], "--events") && v && parse_int(v, 0, 1000000, &events)) i++;
        else if (!strcmp(argv[i], "--searches") && v && parse_int(v, 0, 1000000, &searches)) i++;
        else if (!strcmp(argv[i], "--seed") && v && parse_int(v, 1, INT64_MAX, &seed)) i++;
        else if (!strcmp(argv[i], "--keep-db") && v) { keep = v; i++; }
        else { fprintf(stderr, "usage: granslos bench digest [--orgs N] [--new K] [--events E] [--searches S] [--seed S] [--keep-db PATH]\n"); return 2; }
    }
    char dir[] = "/tmp/granslos-bench-digest-XXXXXX";
    if (!keep && !mkdtemp(dir)) { perror("mkdtemp"); return 1; }
    char path[4096];
    snprintf(path, sizeof path, "%s", keep ? keep : dir);
    if (!keep) strncat(path, "/bench.db", sizeof path - strlen(path) - 1);
    if (!db_global_init(path)) return 1;
    db_t *db = db_get();
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t rng = (uint64_t)seed * 0x9E3779B97F4A7C15ULL + 1;
    arena_t *a = arena_new();
    bool ok = db_begin(db);
    if (fresh < 0 || fresh > n) fresh = n / 100;
    if (events < 0) events = n / 1000 > 0 ? n / 1000 : 1;
    struct made { int64_t id, uid; const char *country, *muni; } *orgs = xmalloc(sizeof *orgs * (size_t)n);
    for (long long i = 0; ok && i < n; i++) {
        if (i == n - fresh) {
            /* last week's run saw everything so far: the rest is this week's new organisations */
            ok = db_commit(db) && notify_news_mark(db, "2026-W49", org_last_id(db));
            /* the members' saved searches (a word and the other side), and the look that sets their mark */
            for (long long k = 0; ok && k < searches; k++) {
                const struct made *o = &orgs[next(&rng) % (uint64_t)i];
                const char *w = vocab[next(&rng) % (sizeof vocab / sizeof *vocab)];
                notify_search_add(db, a, o->uid, aprintf_text(a, "q=%U&country=%s", w, o->country[0] == 'S' ? "NO" : "SE"),
                                  aprintf_text(a, "%s %lld", w, k));   /* 0 past a user's 50: not this bench's concern */
            }
            notify_searches_catch_up(db);
            ok = ok && db_begin(db);
        } else if (i && i % 1000 == 0) {
            ok = db_commit(db) && db_begin(db);
            arena_free(a);
            a = arena_new();
        }
        const char *const *m = munis[next(&rng) % 5];
        int64_t uid = user_create_hashed(db, a, aprintf_text(a, "member%lld@bench.example", i), aprintf_text(a, "Member %lld", i), "-",
                                         m[0][0] == 'N' ? "nb" : "sv");
        json_t *needs = json_array(), *offers = json_array();
        for (int k = 0; k < 2; k++) {
            json_array_append_new(needs, json_string(vocab[next(&rng) % (sizeof vocab / sizeof *vocab)]));
            json_array_append_new(offers, json_string(vocab[next(&rng) % (sizeof vocab / sizeof *vocab)]));
        }
        json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "name", aprintf_text(a, "Benchbolaget %lld %s", i, m[0][0] == 'N' ? "AS" : "AB"),
                               "country", m[0], "kind", "company", "municipality", m[1], "needs", needs, "offers", offers);
        json_t *doc = NULL, *errs = org_validate(db, "sv", in, NULL, 0, &doc);
        bool changed;
        int64_t oid = uid && json_object_size(errs) == 0 && doc ? org_save(db, a, 0, doc, uid, NULL, &changed) : 0;
        ok = oid > 0;
        orgs[i] = (struct made){oid, uid, m[0], m[1]};
        if (!ok) fprintf(stderr, "bench digest: organisation %lld could not be made\n", i);
        json_decref(errs);
        json_decref(doc);
        json_decref(in);
    }
    /* this week's new events, organised by organisations on both sides, about words of the same vocabulary */
    for (long long i = 0; ok && i < events; i++) {
        const struct made *o = &orgs[next(&rng) % (uint64_t)n];
        const char *w1 = vocab[next(&rng) % (sizeof vocab / sizeof *vocab)], *w2 = vocab[next(&rng) % (sizeof vocab / sizeof *vocab)];
        int day = 1 + (int)(i % 28);
        json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[I]}", "title", aprintf_text(a, "Temadag om %s", w1), "description",
                               aprintf_text(a, "Vi visar %s och %s.", w1, w2), "start", aprintf_text(a, "2027-09-%02dT09:00", day), "end",
                               aprintf_text(a, "2027-09-%02dT16:00", day), "country", o->country, "municipality", o->muni, "organisers",
                               (json_int_t)o->id);
        json_t *doc = NULL, *errs = event_validate(db, "sv", in, NULL, 0, &doc);
        bool changed;
        ok = json_object_size(errs) == 0 && doc && event_save(db, a, 0, doc, o->uid, NULL, &changed) > 0;
        if (!ok) fprintf(stderr, "bench digest: event %lld could not be made: %s\n", i, json_dumps(errs, 0));
        json_decref(errs);
        json_decref(doc);
        json_decref(in);
    }
    free(orgs);
    if (ok) ok = db_commit(db);
    else db_rollback(db);
    arena_free(a);
    if (!ok) return 1;
    printf("organisations: %lld\nnew_this_week: %lld\nnew_events: %lld\nsetup_ms: %.0f\n", n, fresh, events, ms_since(&t0));
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int ni = org_index_all(db);
    printf("index_ms: %.0f (%d organisations)\n", ms_since(&t0), ni);
    /* the saved searches asked about this week's new organisations (what the after-save hook does
     * for each one, here all at once through the catch-up) */
    {
        clock_gettime(CLOCK_MONOTONIC, &t0);
        double c1 = cpu_ms();
        notify_searches_catch_up(db);
        printf("saved_searches: %lld\nsearch_check_ms: %.0f (cpu %.0f, %.3f ms per new organisation and search)\n", searches, ms_since(&t0),
               cpu_ms() - c1, fresh && searches ? (cpu_ms() - c1) / (double)fresh / (double)searches : 0.0);
    }
    /* the matching alone, for the first organisations: what a digest's news costs at most */
    {
        int k = n < 200 ? (int)n : 200;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        double c1 = cpu_ms();
        for (int i = 1; i <= k; i++) {
            match_query_t q = {.org_id = i, .lang = "sv", .limit = 10};
            json_decref(match_find(db, &q));
        }
        printf("match_find_ms: %.2f per organisation (cpu %.2f)\n", ms_since(&t0) / k, (cpu_ms() - c1) / k);
    }
    /* the Monday run: 2026-12-07 08:00 UTC (09:00 in both zones) */
    struct tally t = {0};
    FILE *out = fopencookie(&t, "w", (cookie_io_functions_t){.write = tally_write});
    if (out) setvbuf(out, NULL, _IONBF, 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    double c0 = cpu_ms();
    int made = notify_digest_run(db, 1796630400, true, out);
    double wall = ms_since(&t0), cpu = cpu_ms() - c0;
    fclose(out);
    printf("digests: %d\ndigest_ms: %.0f\ndigest_cpu_ms: %.0f\nper_digest_ms: %.2f\n", made, wall, cpu, made > 0 ? wall / made : 0.0);
    printf("links_to_organisations: %lld\nlinks_to_events: %lld\n", t.orgs, t.events);
    printf("extrapolated_100000_s: %.0f\n", n ? wall / (double)n * 100000 / 1000 : 0.0);
    db_global_close();
    if (!keep) {
        char side[4200];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
        rmdir(dir);
    }
    return made < 0;
}
