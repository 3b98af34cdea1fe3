/* granslos bench events: clash detection over 100 000 events and the meeting scheduler at the
 * size of a large brokerage event (figures in docs/performance.md). Runs on a temporary database;
 * inputs are pseudo-random with a fixed seed, so runs are comparable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core/util.h"
#include "events/events.h"
#include "events/sched.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint32_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }

static double now_ms(void) { return clock_ms(CLOCK_MONOTONIC); }
static double cpu_ms(void) { return clock_ms(CLOCK_THREAD_CPUTIME_ID); }
static int dcmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static const char *const themes[] = {"energy", "forest-bioeconomy", "manufacturing", "tech", "transport", "tourism", "blue-bioeconomy"};
static const char *const counties[][2] = {{"SE", "17"}, {"SE", "14"}, {"SE", "20"}, {"SE", "23"}, {"SE", "01"}, {"SE", "12"},
                                          {"NO", "34"}, {"NO", "31"}, {"NO", "03"}, {"NO", "50"}, {"NO", "46"}, {"NO", "18"}};

static const char *aprintf_csv(const char *a, const char *b) {
    static char buf[80];
    snprintf(buf, sizeof buf, "%s,%s", a, b);
    return buf;
}

/* random_away: P people's availability over S slots, each away for one or two of them */
static bool *random_away(arena_t *a, int P, int S) {
    bool *av = arena_alloc(a, sizeof(bool) * (size_t)(P * S));
    for (int i = 0; i < P * S; i++) av[i] = true;
    for (int p0 = 0; p0 < P; p0++) for (int k = 0; k < 1 + (int)(rnd() % 2); k++) av[p0 * S + (int)(rnd() % S)] = false;
    return av;
}

/* random_meetings: M meetings between two different people of P */
static sched_meeting_t *random_meetings(arena_t *a, int P, int M) {
    sched_meeting_t *ms = arena_alloc(a, sizeof(sched_meeting_t) * (size_t)M);
    for (int m = 0; m < M; m++) {
        int x = (int)(rnd() % P), y = (int)(rnd() % (P - 1));
        if (y >= x) y++;
        ms[m] = (sched_meeting_t){x, y, -1, -1};
    }
    return ms;
}

/* timed_run: sched_run on in; its milliseconds in *el, the rule it broke in *why (NULL: none) */
static int timed_run(arena_t *a, sched_input_t *in, double *el, const char **why) {
    double s0 = now_ms();
    int placed = sched_run(a, in);
    *el = now_ms() - s0;
    if (sched_check(in, why)) *why = NULL;
    return placed;
}

int event_bench(FILE *out) {
    char path[64];
    snprintf(path, sizeof path, "/tmp/granslos-bench-%d.db", (int)getpid());
    unlink(path);
    db_t *db = db_open(path);
    if (!db) return 1;
    /* 100 000 events over five years, two themes and a county each */
    const int N = 100000;
    time_t t0 = 1798761600; /* 2027-01-01 */
    double a0 = now_ms();
    db_begin(db);
    for (int i = 0; i < N; i++) {
        time_t st = t0 + (time_t)(rnd() % (5u * 365 * 86400)) / 900 * 900;
        time_t en = st + 3600 * (1 + rnd() % 8) + (rnd() % 10 == 0 ? 86400 * (rnd() % 3) : 0);
        int c = (int)(rnd() % 12);
        stmt_t *s = db_prep(db, "INSERT INTO events (uid, title_sv, status, start_utc, end_utc, start_unix, end_unix, timezone, country, county, "
                                "created_at, updated_at) VALUES (:uid, :t, 'planned', '', '', :s, :e, 'Europe/Stockholm', :c, :k, '', '')");
        char uid[32];
        snprintf(uid, sizeof uid, "bench-%d", i);
        db_binds(s, DB_TEXT(":uid", uid), DB_TEXT(":t", uid), DB_INT(":s", st), DB_INT(":e", en), DB_TEXT(":c", counties[c][0]),
                    DB_TEXT(":k", counties[c][1]));
        db_run(s);
        int64_t id = db_last_id(db);
        int th = (int)(rnd() % 7), th2 = (th + 1 + (int)(rnd() % 6)) % 7;
        for (int k = 0; k < 2; k++) {
            s = db_prep(db, "INSERT INTO event_themes (event_id, theme) VALUES (:id, :t)");
            db_bind_int(s, ":id", id);
            db_bind_text(s, ":t", themes[k ? th2 : th]);
            db_run(s);
        }
        s = db_prep(db, "INSERT INTO event_audiences (event_id, audience) VALUES (:id, 'companies')");
        db_bind_int(s, ":id", id);
        db_run(s);
        s = db_prep(db, "UPDATE events SET themes_csv = :t, audiences_csv = 'companies' WHERE id = :id");
        db_bind_text(s, ":t", aprintf_csv(themes[th], themes[th2]));
        db_bind_int(s, ":id", id);
        db_run(s);
    }
    db_commit(db);
    fprintf(out, "clash detection: %d events loaded in %.0f ms\n", N, now_ms() - a0);
    /* 3 rounds of 2 000 queries: a new event of a few hours, two themes, a county, and a window
     * of 0-3 days; the machine is shared, so each round is reported */
    const int Q = 2000;
    double *lat = xmalloc(sizeof(double) * Q), *cpu = xmalloc(sizeof(double) * Q);
    for (int round = 0; round < 3; round++) {
    long found = 0;
    for (int i = 0; i < Q; i++) {
        time_t st = t0 + (time_t)(rnd() % (5u * 365 * 86400)) / 900 * 900;
        int c = (int)(rnd() % 12);
        json_t *th = json_pack("[ss]", themes[rnd() % 7], themes[rnd() % 7]);
        json_t *au = json_pack("[s]", "companies");
        clash_query_t q = {st, st + 3600 * (1 + rnd() % 8), (int)(rnd() % 4), counties[c][0], counties[c][1], th, au, 0, "sv"};
        double q0 = now_ms(), c0 = cpu_ms();
        json_t *w = event_warnings(db, &q);
        lat[i] = now_ms() - q0;
        cpu[i] = cpu_ms() - c0;
        found += (long)json_array_size(w);
        json_decref(w);
        json_decref(th);
        json_decref(au);
    }
    qsort(lat, Q, sizeof(double), dcmp);
    qsort(cpu, Q, sizeof(double), dcmp);
    fprintf(out, "clash detection: %d queries, %.1f warnings each on average; wall clock p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
                 "CPU time p50 %.2f ms, p99 %.2f ms (target p99 <= 5 ms)\n",
            Q, (double)found / Q, lat[Q / 2], lat[Q * 99 / 100], lat[Q - 1], cpu[Q / 2], cpu[Q * 99 / 100]);
    }
    free(lat);
    free(cpu);
    db_close(db);
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path); unlink(p);
    snprintf(p, sizeof p, "%s-shm", path); unlink(p);
    /* the scheduler: 2 000 accepted meetings, 500 participants, 10 slots x 50 tables; each person
     * away for one or two slots */
    const int P = 500, S = 10, T = 50, M = 2000;
    for (int round = 0; round < 3; round++) {
        arena_t *a = arena_new();
        bool *av = random_away(a, P, S); /* before the meetings: the same random draws every run */
        sched_input_t in = {P, S, T, av, random_meetings(a, P, M), M};
        double el;
        const char *why;
        int placed = timed_run(a, &in, &el, &why);
        fprintf(out, "scheduler: %d meetings, %d participants, %d slots x %d tables: %d placed (%.1f %% of the meetings, %.1f %% of the %d places) in %.1f ms%s%s\n",
                M, P, S, T, placed, 100.0 * placed / M, 100.0 * placed / (S * T), S * T, el, why ? "; RULE BROKEN: " : "", why ? why : "");
        arena_free(a);
    }
    /* tables enough, people the limit: 10 slots x 400 tables, each person away for one or two slots
     * (about 8 meetings per person for 8-9 free slots) */
    {
        arena_t *a = arena_new();
        bool *av = random_away(a, P, S); /* before the meetings: the same random draws every run */
        sched_input_t in = {P, S, 400, av, random_meetings(a, P, M), M};
        double el;
        const char *why;
        int placed = timed_run(a, &in, &el, &why);
        fprintf(out, "scheduler: %d meetings, %d participants, %d slots x 400 tables (people the limit): %d placed (%.1f %%) in %.1f ms%s%s\n",
                M, P, S, placed, 100.0 * placed / M, el, why ? "; RULE BROKEN: " : "", why ? why : "");
        arena_free(a);
    }
    /* and with room for everyone: 20 slots x 100 tables */
    arena_t *a = arena_new();
    sched_input_t in = {P, 20, 100, NULL, random_meetings(a, P, M), M};
    double s0 = now_ms();
    int placed = sched_run(a, &in);
    fprintf(out, "scheduler: %d meetings, %d participants, 20 slots x 100 tables: %d placed (%.1f %%) in %.1f ms\n", M, P, placed,
            100.0 * placed / M, now_ms() - s0);
    arena_free(a);
    return 0;
}
