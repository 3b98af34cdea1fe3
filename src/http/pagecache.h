/* Page cache for visitors: whole responses of routes flagged R_CACHE, for GET requests
 * without a user, a bearer token or a flash message, keyed by language and address.
 * An entry is valid while the database's data_version (moved by triggers on every write to
 * public data, on any node) is the one it was rendered at: read from the store per request on
 * SQLite, from the change feed (db/feed.h, NOTIFY) on PostgreSQL while its listener is live. Bounded in entries and bytes;
 * process lifetime; thread-safe. A request with "Cache-Control: no-cache" bypasses it. */
#ifndef HTTP_PAGECACHE_H
#define HTTP_PAGECACHE_H
#include <stdbool.h>
#include <stdint.h>
#include "http/http.h"

/* pagecache_key: the key for r, or NULL when r must not be served from or stored in the cache. */
const char *pagecache_key(req_t *r);
/* pagecache_get: copy a valid entry into r (body, type, status); true on a hit. */
bool pagecache_get(req_t *r, const char *key, int64_t version);
void pagecache_put(req_t *r, const char *key, int64_t version);
int64_t pagecache_version(void);   /* the data_version (this thread's connection, or the feed's) */
#endif
