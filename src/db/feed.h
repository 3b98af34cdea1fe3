/* The change feed across nodes (owns the tables changes and changes_pruned, migration 005): what
 * a `granslos serve` node keeps in memory — its search index, the data version of the visitors'
 * page cache — stays current when another node (or another process on the same SQLite file)
 * writes to the store.
 *
 * Triggers write a row (seq, kind, id) in the same transaction as every change to what an index
 * reads (005_changes.sql); seq grows in commit order. Each node remembers the last seq it has
 * applied and catches up from it: at start (feed_init, before the index is built: what arrives
 * during the build is applied after it), whenever it is woken, and after its connection came
 * back. On PostgreSQL a listener thread with its own connection waits for NOTIFY granslos_changes
 * (sent at the commit of every such change and every move of data_version) and reconnects when
 * the store went away; on SQLite it polls (every 200 ms). A subscriber is called with the distinct
 * ids of its kind that changed, in the listener's thread and connection (or the caller's, for
 * feed_catch_up); it reads them as they are now, so applying an id twice is harmless. A node
 * whose last seq was pruned (rows older than a day go) gets n = -1: read everything again.
 *
 * State is process-wide, thread-safe; subscriptions are for the process lifetime. */
#ifndef DB_FEED_H
#define DB_FEED_H
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"

/* feed_fn: ids[0..n) of the kind changed (n = -1: possibly everything; ids NULL then). */
typedef void (*feed_fn)(db_t *db, const int64_t *ids, int n);
/* feed_subscribe: call fn for every change of kind (a string literal); before feed_start. */
void feed_subscribe(const char *kind, feed_fn fn);
/* feed_init: the feed stands where the store is now (call before building what it keeps current). */
void feed_init(db_t *db);
/* feed_start: the listener thread (serve only); false when it cannot start. feed_stop ends it. */
bool feed_start(void);
void feed_stop(void);
/* feed_catch_up: apply what arrived since, now, on db (the caller's thread). */
void feed_catch_up(db_t *db);
/* feed_live: the listener is connected and has caught up since it (re)connected: on PostgreSQL a
 * change on another node then reaches this one within the NOTIFY round trip. */
bool feed_live(void);
/* feed_wrote: after a request that wrote (db_request_wrote), on PostgreSQL: until the listener has
 * published a data_version that covers it, feed_page_version asks the store (no statement here:
 * a write request costs nothing more). */
void feed_wrote(db_t *db);
/* feed_page_version: the data_version the page cache compares with (PostgreSQL, listener live):
 * the published one, or, while a write of this node may be newer, the store's (one SELECT on db),
 * so that a node shows its own writes to visitors at once. Its index has its saved documents from
 * their save hooks; what another node changed in the same moment reaches the index a moment later,
 * and a visitor's search page rendered in between may lack it until data_version moves again. */
int64_t feed_page_version(db_t *db);
/* feed_data_version: data_version as the feed last read it (-1 before it did). */
int64_t feed_data_version(void);
/* feed_note: record a change of kind/id outside the triggers (in the caller's transaction, if any). */
bool feed_note(db_t *db, const char *kind, int64_t id);
/* feed_seen: the last seq applied (tests, /readyz). */
int64_t feed_seen(void);
#endif
