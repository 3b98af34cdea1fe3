/* The 1:1 meeting scheduler: accepted meetings into an event's slots and tables.
 * Nobody is double-booked, a meeting only goes where both people are available, a slot holds at
 * most `tables` meetings, and as many meetings as possible are placed (greedy placement of the
 * most constrained meetings first, then augmenting moves that free a slot by moving a blocking
 * meeting elsewhere). Pure and deterministic: no database, no globals; memory is the caller's
 * arena. */
#ifndef EVENTS_SCHED_H
#define EVENTS_SCHED_H
#include <stdbool.h>
#include "core/arena.h"

typedef struct sched_meeting {
    int a, b;          /* participants, 0 .. nparticipants-1 (a != b) */
    int slot, table;   /* result: -1 when it could not be placed */
} sched_meeting_t;

typedef struct sched_input {
    int nparticipants, nslots, ntables;
    /* available[p * nslots + s]: participant p can meet in slot s; NULL = everyone always */
    const bool *available;
    sched_meeting_t *meetings;
    int nmeetings;
} sched_input_t;

/* sched_run: fill slot and table of every meeting; returns the number placed. */
int sched_run(arena_t *a, sched_input_t *in);
/* sched_check: whether a result keeps every rule (for tests); *why names the first broken one. */
bool sched_check(const sched_input_t *in, const char **why);
#endif
