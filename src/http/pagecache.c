/* The visitors' page cache (see pagecache.h): an open hash table, cleared when full. */
#include "http/pagecache.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/util.h"
#include "db/db.h"
#include "db/feed.h"

#define SLOTS 4096                  /* power of two; at most half used */
#define MAX_ENTRY (256 * 1024)      /* larger pages are not cached */
#define MAX_BYTES (64 * 1024 * 1024)

struct entry { char *key; char *body; size_t len; const char *ctype; int64_t version; };
static struct entry table[SLOTS];   /* keys and bodies malloc'd, owned by the table */
static size_t used, bytes;
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

static size_t hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

const char *pagecache_key(req_t *r) {
    if (!r->route || !(r->route->flags & R_CACHE) || strcmp(r->method, "GET") || r->user) return NULL;
    if (req_header(r, "Authorization") || req_cookie(r, "flash")) return NULL;
    const char *cc = req_header(r, "Cache-Control");
    if (cc && strstr(cc, "no-cache")) return NULL;
    buf_t k;
    buf_init(&k, r->arena);
    bprintf_text(&k, "%s %s", r->lang, r->path);
    for (int i = 0; i < r->query.n; i++) bprintf(&k, "%c%U=%U", i ? '&' : '?', r->query.items[i].name, r->query.items[i].value);
    return k.data;
}

int64_t pagecache_version(void) {
    /* PostgreSQL: no round trip to the store for a cached page while the change feed's listener
     * is live (it reads data_version at every NOTIFY; after a write of this node, until then, the
     * store is asked) */
    db_t *db = db_get();
    if (db_is_pg(db) && feed_live()) return feed_page_version(db);
    stmt_t *s = db_prep(db, "SELECT v FROM data_version WHERE id = 1");
    return db_int_of(s, -1);
}

bool pagecache_get(req_t *r, const char *key, int64_t version) {
    bool hit = false;
    pthread_rwlock_rdlock(&lock);
    for (size_t i = hash(key) & (SLOTS - 1); table[i].key; i = (i + 1) & (SLOTS - 1)) {
        if (strcmp(table[i].key, key)) continue;
        if (table[i].version == version) {
            r->out.len = 0;
            buf_append(&r->out, table[i].body, table[i].len);
            r->ctype = table[i].ctype;
            r->status = 200;
            hit = true;
        }
        break;
    }
    pthread_rwlock_unlock(&lock);
    return hit;
}

static void clear_all(void) {
    for (size_t i = 0; i < SLOTS; i++) { free(table[i].key); free(table[i].body); table[i] = (struct entry){0}; }
    used = bytes = 0;
}

void pagecache_put(req_t *r, const char *key, int64_t version) {
    if (r->status != 200 || r->out.len > MAX_ENTRY || version < 0 || r->csrf_used || r->set_csrf_cookie) return;
    for (int i = 0; i < r->headers.n; i++)
        if (!strcasecmp(r->headers.items[i].name, "Set-Cookie")) return; /* never cache what sets state */
    pthread_rwlock_wrlock(&lock);
    if (used + 1 > SLOTS / 2 || bytes + r->out.len > MAX_BYTES) clear_all();
    size_t i = hash(key) & (SLOTS - 1);
    while (table[i].key && strcmp(table[i].key, key)) i = (i + 1) & (SLOTS - 1);
    if (table[i].key) { bytes -= table[i].len; free(table[i].body); }
    else { table[i].key = xstrdup(key); used++; }
    table[i].body = xmalloc(r->out.len ? r->out.len : 1);
    memcpy(table[i].body, r->out.data, r->out.len);
    table[i].len = r->out.len;
    table[i].ctype = r->ctype; /* always a string literal */
    table[i].version = version;
    bytes += r->out.len;
    pthread_rwlock_unlock(&lock);
}
