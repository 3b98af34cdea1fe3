/* The 1:1 meeting scheduler (see sched.h). */
#include "events/sched.h"
#include <stdlib.h>
#include <string.h>

typedef struct op { int m, slot; bool placed; } op_t;

typedef struct st {
    sched_input_t *in;
    int S, T;
    int *busy;      /* busy[p * S + s]: meeting index + 1, or 0 */
    int *load;      /* meetings per slot */
    int *options;   /* slots where both people are available, per meeting */
    int placed;
    op_t *log;      /* what augmenting changed, to undo a failed attempt */
    int nlog, caplog;
    arena_t *a;
} st_t;

static bool avail(const st_t *x, int p, int s) { return !x->in->available || x->in->available[p * x->S + s]; }
static bool both(const st_t *x, int m, int s) {
    return avail(x, x->in->meetings[m].a, s) && avail(x, x->in->meetings[m].b, s);
}
static bool can_go(const st_t *x, int m, int s) {
    const sched_meeting_t *mt = &x->in->meetings[m];
    return both(x, m, s) && !x->busy[mt->a * x->S + s] && !x->busy[mt->b * x->S + s] && x->load[s] < x->T;
}
static void logop(st_t *x, int m, int slot, bool placed) {
    if (x->nlog == x->caplog) {
        int nc = x->caplog ? x->caplog * 2 : 256;
        op_t *n = arena_alloc(x->a, sizeof(op_t) * (size_t)nc);
        if (x->nlog) memcpy(n, x->log, sizeof(op_t) * (size_t)x->nlog);
        x->log = n;
        x->caplog = nc;
    }
    x->log[x->nlog++] = (op_t){m, slot, placed};
}
static void set(st_t *x, int m, int s) {
    sched_meeting_t *mt = &x->in->meetings[m];
    mt->slot = s;
    x->busy[mt->a * x->S + s] = x->busy[mt->b * x->S + s] = m + 1;
    x->load[s]++;
    x->placed++;
}
static void clear(st_t *x, int m) {
    sched_meeting_t *mt = &x->in->meetings[m];
    int s = mt->slot;
    x->busy[mt->a * x->S + s] = x->busy[mt->b * x->S + s] = 0;
    x->load[s]--;
    x->placed--;
    mt->slot = -1;
}
static void place(st_t *x, int m, int s) { set(x, m, s); logop(x, m, s, true); }
static void unplace(st_t *x, int m) { logop(x, m, x->in->meetings[m].slot, false); clear(x, m); }
/* rollback: undo every change after mark */
static void rollback(st_t *x, int mark) {
    while (x->nlog > mark) {
        op_t o = x->log[--x->nlog];
        if (o.placed) clear(x, o.m);
        else set(x, o.m, o.slot);
    }
}

/* best_slot: the least loaded slot where m fits, or -1 */
static int best_slot(const st_t *x, int m, int avoid) {
    int best = -1;
    for (int s = 0; s < x->S; s++)
        if (s != avoid && can_go(x, m, s) && (best < 0 || x->load[s] < x->load[best])) best = s;
    return best;
}

/* fit: place unplaced meeting m in a slot other than `avoid`; with depth left, by moving what
 * blocks it in a slot (the people's other meetings there, or one meeting of a full slot) to
 * another slot, recursively. On failure everything is as before. */
static bool fit(st_t *x, int m, int avoid, int depth) {
    int s0 = best_slot(x, m, avoid);
    if (s0 >= 0) { place(x, m, s0); return true; }
    if (!depth) return false;
    const sched_meeting_t *mt = &x->in->meetings[m];
    for (int s = 0; s < x->S; s++) {
        if (s == avoid || !both(x, m, s)) continue;
        int ba = x->busy[mt->a * x->S + s] - 1, bb = x->busy[mt->b * x->S + s] - 1;
        if (ba < 0 && bb < 0) {
            /* the slot is full: make room by moving one of its meetings */
            for (int k = 0; k < x->in->nmeetings; k++) {
                if (x->in->meetings[k].slot != s) continue;
                int mark = x->nlog;
                unplace(x, k);
                place(x, m, s);
                if (fit(x, k, s, depth - 1)) return true;
                rollback(x, mark);
            }
            continue;
        }
        int mark = x->nlog;
        if (ba >= 0) unplace(x, ba);
        if (bb >= 0 && bb != ba) unplace(x, bb);
        if (can_go(x, m, s)) {
            place(x, m, s);
            if ((ba < 0 || fit(x, ba, s, depth - 1)) && (bb < 0 || bb == ba || fit(x, bb, s, depth - 1))) return true;
        }
        rollback(x, mark);
    }
    return false;
}

static _Thread_local st_t *order_ctx; /* qsort has no context argument */
static int by_flexibility(const void *p, const void *q) {
    const st_t *x = order_ctx;
    int i = *(const int *)p, k = *(const int *)q;
    if (x->options[i] != x->options[k]) return x->options[i] - x->options[k];
    return i - k;
}

int sched_run(arena_t *a, sched_input_t *in) {
    st_t x = {.in = in, .S = in->nslots, .T = in->ntables, .a = a};

    for (int m = 0; m < in->nmeetings; m++) in->meetings[m].slot = in->meetings[m].table = -1;
    if (in->nslots <= 0 || in->ntables <= 0 || in->nparticipants <= 0) return 0;
    x.busy = arena_alloc(a, sizeof(int) * (size_t)in->nparticipants * (size_t)in->nslots);
    x.load = arena_alloc(a, sizeof(int) * (size_t)in->nslots);
    x.options = arena_alloc(a, sizeof(int) * (size_t)(in->nmeetings + 1));
    int *order = arena_alloc(a, sizeof(int) * (size_t)(in->nmeetings + 1));
    int n = 0;
    for (int m = 0; m < in->nmeetings; m++) {
        const sched_meeting_t *mt = &in->meetings[m];
        if (mt->a < 0 || mt->b < 0 || mt->a >= in->nparticipants || mt->b >= in->nparticipants || mt->a == mt->b) continue;
        for (int s = 0; s < x.S; s++) x.options[m] += both(&x, m, s);
        if (x.options[m]) order[n++] = m;
    }
    order_ctx = &x;
    qsort(order, (size_t)n, sizeof(int), by_flexibility);
    int cap = x.S * x.T;
    for (int i = 0; i < n && x.placed < cap; i++) {
        int s = best_slot(&x, order[i], -1);
        if (s >= 0) set(&x, order[i], s);
    }
    /* augmenting passes until nothing more can be placed */
    for (int pass = 0; pass < 4 && x.placed < cap; pass++) {
        int before = x.placed;
        for (int i = 0; i < n && x.placed < cap; i++)
            if (in->meetings[order[i]].slot < 0) {
                fit(&x, order[i], -1, 2);
                x.nlog = 0; /* kept: nothing to undo any more */
            }
        if (x.placed == before) break;
    }
    /* local search: take one placed meeting out when that lets two others in (within a budget) */
    long budget = 2000000;
    for (bool better = true; better && x.placed < cap && budget > 0;) {
        better = false;
        for (int i = 0; i < n && budget > 0; i++) {
            int k = order[i];
            if (in->meetings[k].slot < 0) continue;
            int before = x.placed, mark = x.nlog, from = in->meetings[k].slot;
            unplace(&x, k);
            for (int j = 0; j < n && budget > 0; j++, budget -= x.S)
                if (order[j] != k && in->meetings[order[j]].slot < 0) fit(&x, order[j], -1, 1);
            if (x.placed <= before) {
                rollback(&x, mark);
                if (in->meetings[k].slot < 0) place(&x, k, from);
            } else {
                fit(&x, k, -1, 1); /* perhaps it fits again elsewhere */
                better = true;
            }
            x.nlog = 0;
        }
    }
    /* tables: in order within each slot */
    int *next = arena_alloc(a, sizeof(int) * (size_t)in->nslots);
    for (int m = 0; m < in->nmeetings; m++)
        if (in->meetings[m].slot >= 0) in->meetings[m].table = next[in->meetings[m].slot]++;
    return x.placed;
}

bool sched_check(const sched_input_t *in, const char **why) {
    int S = in->nslots;
    int *busy = calloc((size_t)(in->nparticipants * S + 1), sizeof(int));
    int *load = calloc((size_t)(S + 1), sizeof(int));
    bool *table_used = calloc((size_t)(S * (in->ntables > 0 ? in->ntables : 1) + 1), sizeof(bool));
    bool ok = true;
    *why = NULL;
    for (int m = 0; m < in->nmeetings && ok; m++) {
        const sched_meeting_t *mt = &in->meetings[m];
        if (mt->slot < 0) { if (mt->table >= 0) { ok = false; *why = "a table without a slot"; } continue; }
        if (mt->slot >= S || mt->table < 0 || mt->table >= in->ntables) { ok = false; *why = "slot or table out of range"; break; }
        if (in->available && (!in->available[mt->a * S + mt->slot] || !in->available[mt->b * S + mt->slot])) { ok = false; *why = "someone is not available"; break; }
        if (busy[mt->a * S + mt->slot]++ || busy[mt->b * S + mt->slot]++) { ok = false; *why = "someone is double-booked"; break; }
        if (++load[mt->slot] > in->ntables) { ok = false; *why = "more meetings than tables"; break; }
        if (table_used[mt->slot * in->ntables + mt->table]) { ok = false; *why = "two meetings at one table"; break; }
        table_used[mt->slot * in->ntables + mt->table] = true;
    }
    free(busy);
    free(load);
    free(table_used);
    return ok;
}
