/* The meeting scheduler on random inputs: nobody double-booked, availability and tables respected
 * (every seed), and on small inputs as many meetings placed as the best possible (exhaustive search). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "events/sched.h"

static uint64_t rng;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return (uint32_t)rng; }
static int below(int n) { return (int)(next() % (uint32_t)n); }

static sched_input_t random_input(arena_t *a, int P, int S, int T, int M, int avail_pct) {
    sched_input_t in = {P, S, T, NULL, NULL, M};
    bool *av = arena_alloc(a, sizeof(bool) * (size_t)(P * S));
    for (int i = 0; i < P * S; i++) av[i] = below(100) < avail_pct;
    in.available = av;
    in.meetings = arena_alloc(a, sizeof(sched_meeting_t) * (size_t)M);
    for (int m = 0; m < M; m++) {
        int x = below(P), y = below(P - 1);
        if (y >= x) y++;
        in.meetings[m] = (sched_meeting_t){x, y, -1, -1};
    }
    return in;
}

static void rules_hold_on_random_inputs(void **st) {
    (void)st;
    for (int seed = 1; seed <= 400; seed++) {
        rng = 0x9E3779B97F4A7C15ull * (uint64_t)seed;
        arena_t *a = arena_new();
        int P = 2 + below(60), S = 1 + below(12), T = 1 + below(10), M = below(200);
        sched_input_t in = random_input(a, P, S, T, M, 30 + below(71));
        int placed = sched_run(a, &in);
        const char *why;
        if (!sched_check(&in, &why)) fail_msg("seed %d: %s", seed, why);
        int count = 0;
        for (int m = 0; m < M; m++) count += in.meetings[m].slot >= 0;
        assert_int_equal(count, placed);
        assert_true(placed <= S * T);
        /* maximal: no unplaced meeting fits anywhere as things stand */
        for (int m = 0; m < M; m++) {
            if (in.meetings[m].slot >= 0) continue;
            for (int s = 0; s < S; s++) {
                int load = 0;
                bool free_a = true, free_b = true;
                for (int k = 0; k < M; k++) {
                    if (in.meetings[k].slot != s) continue;
                    load++;
                    if (in.meetings[k].a == in.meetings[m].a || in.meetings[k].b == in.meetings[m].a) free_a = false;
                    if (in.meetings[k].a == in.meetings[m].b || in.meetings[k].b == in.meetings[m].b) free_b = false;
                }
                bool fits = in.available[in.meetings[m].a * S + s] && in.available[in.meetings[m].b * S + s] && free_a && free_b && load < T;
                if (fits) fail_msg("seed %d: meeting %d fits in slot %d but was left out", seed, m, s);
            }
        }
        arena_free(a);
    }
}

/* best: the most meetings any schedule can place (exhaustive, small inputs) */
static int best_of(sched_input_t *in, int m, int *busy, int *load) {
    if (m == in->nmeetings) return 0;
    int S = in->nslots;
    int best = best_of(in, m + 1, busy, load); /* leave it out */
    const sched_meeting_t *mt = &in->meetings[m];
    for (int s = 0; s < S; s++) {
        if (!in->available[mt->a * S + s] || !in->available[mt->b * S + s] || busy[mt->a * S + s] || busy[mt->b * S + s] ||
            load[s] >= in->ntables)
            continue;
        busy[mt->a * S + s] = busy[mt->b * S + s] = 1;
        load[s]++;
        int v = 1 + best_of(in, m + 1, busy, load);
        if (v > best) best = v;
        busy[mt->a * S + s] = busy[mt->b * S + s] = 0;
        load[s]--;
    }
    return best;
}

static void as_many_as_possible_on_small_inputs(void **st) {
    (void)st;
    int total = 0, optimum = 0, worse = 0;
    for (int seed = 1; seed <= 300; seed++) {
        rng = 0xD1B54A32D192ED03ull * (uint64_t)seed;
        arena_t *a = arena_new();
        int P = 3 + below(6), S = 1 + below(4), T = 1 + below(3), M = 1 + below(9);
        sched_input_t in = random_input(a, P, S, T, M, 40 + below(61));
        int placed = sched_run(a, &in);
        const char *why;
        assert_true(sched_check(&in, &why));
        int busy[64] = {0}, load[8] = {0};
        int best = best_of(&in, 0, busy, load);
        assert_true(placed <= best);
        if (placed < best - 1) fail_msg("seed %d: placed %d, the best is %d", seed, placed, best);
        total += placed;
        optimum += best;
        worse += placed < best;
        arena_free(a);
    }
    print_message("placed %d of the best possible %d meetings; %d of 300 inputs one short\n", total, optimum, worse);
    assert_true(total * 100 >= optimum * 99); /* at least 99 % of the optimum overall */
}

static void edge_cases(void **st) {
    (void)st;
    arena_t *a = arena_new();
    sched_meeting_t ms[3] = {{0, 1, 9, 9}, {1, 1, 9, 9}, {0, 7, 9, 9}}; /* a meeting with oneself, an unknown person */
    sched_input_t in = {2, 2, 1, NULL, ms, 3};
    assert_int_equal(sched_run(a, &in), 1);
    assert_int_equal(ms[0].slot, 0);
    assert_int_equal(ms[1].slot, -1);
    assert_int_equal(ms[2].slot, -1);
    sched_input_t none = {2, 0, 1, NULL, ms, 3};
    assert_int_equal(sched_run(a, &none), 0);
    /* everybody busy elsewhere: one person, three meetings, two slots */
    sched_meeting_t star[3] = {{0, 1, -1, -1}, {0, 2, -1, -1}, {0, 3, -1, -1}};
    sched_input_t s3 = {4, 2, 5, NULL, star, 3};
    assert_int_equal(sched_run(a, &s3), 2);
    arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_hold_on_random_inputs),
        cmocka_unit_test(as_many_as_possible_on_small_inputs),
        cmocka_unit_test(edge_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
