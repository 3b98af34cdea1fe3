/* The change feed across nodes (feed.h): catch-up from the changes table, and the listener
 * thread (PostgreSQL: LISTEN/NOTIFY on a connection of its own; SQLite: polling). */
#include "db/feed.h"
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core/util.h"
#include "db/internal.h"

#define MAX_SUBS 8
#define BATCH 4096             /* changes read per round */
#define SAFETY_MS 5000         /* PostgreSQL: catch up this often even when nothing woke us */
#define POLL_MS 200            /* SQLite: how often the store is asked */
#define PRUNE_EVERY 600        /* seconds between prunings */
#define KEEP_SECONDS 86400     /* changes older than this are pruned */

static struct sub { const char *kind; feed_fn fn; } subs[MAX_SUBS]; /* written before feed_start */
static int nsubs;

/* the last seq applied and the data version read with it, guarded by g_mu (one catch-up at a time) */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static int64_t g_seen;
static atomic_llong g_version = -1;
static atomic_bool g_live, g_stop;
static pthread_t g_thread;
static bool g_started;

void feed_subscribe(const char *kind, feed_fn fn) {
    for (int i = 0; i < nsubs; i++) if (subs[i].fn == fn && streq(subs[i].kind, kind)) return;
    if (nsubs == MAX_SUBS) { log_msg("feed: too many subscribers"); abort(); }
    subs[nsubs++] = (struct sub){kind, fn};
}

int64_t feed_data_version(void) { return atomic_load(&g_version); }
bool feed_live(void) { return atomic_load(&g_live); }

int64_t feed_seen(void) {
    pthread_mutex_lock(&g_mu);
    int64_t s = g_seen;
    pthread_mutex_unlock(&g_mu);
    return s;
}

/* version_max: data_version only grows: never step back to an older reading of another thread */
static void version_max(int64_t v) {
    long long cur = atomic_load(&g_version);
    while (v > cur && !atomic_compare_exchange_weak(&g_version, &cur, v)) {}
}

void feed_init(db_t *db) {
    stmt_t *s = db_prep(db, "SELECT coalesce(max(seq), 0), (SELECT v FROM data_version WHERE id = 1) FROM changes");
    pthread_mutex_lock(&g_mu);
    if (db_step(s)) {
        g_seen = db_int(s, 0);
        version_max(db_int(s, 1));
    }
    db_reset(s);
    pthread_mutex_unlock(&g_mu);
}

bool feed_note(db_t *db, const char *kind, int64_t id) {
    stmt_t *s = db_prep(db, "INSERT INTO changes (kind, id, at) VALUES (:k, :id, unixepoch())");
    db_binds(s, DB_TEXT(":k", kind), DB_INT(":id", id));
    return db_run(s);
}

static int id_cmp(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* dispatch: each subscriber gets the distinct ids of its kind among rows[0..n) */
static void dispatch(db_t *db, const int64_t *ids, const int *kinds, int n) {
    int64_t *mine = xcalloc((size_t)n + 1, sizeof *mine);
    for (int k = 0; k < nsubs; k++) {
        int m = 0;
        for (int i = 0; i < n; i++)
            if (kinds[i] >= 0 && streq(subs[kinds[i]].kind, subs[k].kind)) mine[m++] = ids[i];
        if (!m) continue;
        qsort(mine, (size_t)m, sizeof *mine, id_cmp);
        int u = 0;
        for (int i = 0; i < m; i++) if (!u || mine[u - 1] != mine[i]) mine[u++] = mine[i];
        subs[k].fn(db, mine, u);
    }
    free(mine);
}

/* round: under g_mu: where the store stands (one statement), then at most BATCH rows past g_seen
 * to the subscribers; the data version is published only once every row up to where the store
 * stood is applied, so that a page cached under the new version was rendered from an index that
 * has them. Returns whether rows remain (another round). */
static bool round_of(db_t *db, int64_t **ids, int **kinds) {
    stmt_t *s = db_prep(db, "SELECT (SELECT v FROM data_version WHERE id = 1), (SELECT seq FROM changes_pruned WHERE id = 1), "
                            "(SELECT coalesce(max(seq), 0) FROM changes)");
    if (!db_step(s)) { db_reset(s); return false; }
    int64_t version = db_int(s, 0), pruned = db_int(s, 1), newest = db_int(s, 2);
    db_reset(s);
    if (pruned > g_seen) { /* what this node missed is gone: everything again */
        log_msg("change feed: seq %lld was pruned (the store is at %lld): reading everything again", (long long)g_seen, (long long)newest);
        for (int k = 0; k < nsubs; k++) subs[k].fn(db, NULL, -1);
        g_seen = newest;
    }
    if (newest > g_seen) {
        stmt_t *q = db_prep(db, "SELECT seq, kind, id FROM changes WHERE seq > :s ORDER BY seq LIMIT :n");
        db_binds(q, DB_INT(":s", g_seen), DB_INT(":n", BATCH));
        if (!*ids) { *ids = xcalloc(BATCH, sizeof **ids); *kinds = xcalloc(BATCH, sizeof **kinds); }
        int n = 0;
        int64_t last = g_seen;
        while (n < BATCH && db_step(q)) {
            last = db_int(q, 0);
            const char *kind = db_text(q, 1);
            (*kinds)[n] = -1;
            for (int k = 0; k < nsubs; k++) if (streq(subs[k].kind, kind)) { (*kinds)[n] = k; break; }
            (*ids)[n++] = db_int(q, 2);
        }
        db_reset(q);
        if (!db_ok(q)) return false;
        dispatch(db, *ids, *kinds, n);
        /* fewer than a batch: every row up to newest (and any committed since) is applied */
        g_seen = n == BATCH ? last : last > newest ? last : newest;
    }
    if (g_seen < newest || db_request_failed(db)) return g_seen < newest && !db_request_failed(db);
    version_max(version);
    return false;
}

/* feed_catch_up: rounds until the feed stands where the store stood, each under g_mu, so that a
 * writing request waits for at most one batch of another node's bulk import, not all of it */
void feed_catch_up(db_t *db) {
    int64_t *ids = NULL; /* allocated by the first round that reads rows */
    int *kinds = NULL;
    bool more;
    do {
        pthread_mutex_lock(&g_mu);
        more = round_of(db, &ids, &kinds);
        pthread_mutex_unlock(&g_mu);
    } while (more);
    free(ids);
    free(kinds);
}

/* local writes: g_writes counts this node's writing requests (feed_wrote), g_clean the count up to
 * which the published version is known to cover them (feed_page_version) */
static atomic_ullong g_writes, g_clean;

void feed_wrote(db_t *db) {
    if (g_started && db_is_pg(db)) atomic_fetch_add(&g_writes, 1);
}

int64_t feed_page_version(db_t *db) {
    unsigned long long gen = atomic_load(&g_writes);
    if (gen == atomic_load(&g_clean)) return atomic_load(&g_version);
    /* a write of this node may be newer than what the listener published: ask the store */
    int64_t v = db_int_of(db_prep(db, "SELECT v FROM data_version WHERE id = 1"), -1);
    if (v >= 0 && atomic_load(&g_version) >= v) { /* published since: the writes up to gen are in it */
        unsigned long long c = atomic_load(&g_clean);
        while (c < gen && !atomic_compare_exchange_weak(&g_clean, &c, gen)) {}
    }
    return v;
}

/* prune: rows older than KEEP_SECONDS go, never the newest (SQLite would give its seq again) */
static void prune(db_t *db) {
    if (!db_begin(db)) return;
    stmt_t *s = db_prep(db, "SELECT coalesce(max(seq), 0) FROM changes WHERE at < :cut AND seq < (SELECT max(seq) FROM changes)");
    int64_t upto = db_int_for(s, ":cut", (int64_t)time(NULL) - KEEP_SECONDS);
    bool ok = true;
    if (upto > 0) {
        ok = db_run_for(db_prep(db, "DELETE FROM changes WHERE seq <= :s"), ":s", upto) &&
             db_run_for(db_prep(db, "UPDATE changes_pruned SET seq = :s WHERE id = 1 AND seq < :s"), ":s", upto);
    }
    if (ok) db_commit(db);
    else db_rollback(db);
}

static long long mono_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* nap: sleep ms, in steps that notice feed_stop */
static void nap(int ms) {
    for (int i = 0; i < ms && !atomic_load(&g_stop); i += 50) usleep(50 * 1000);
}

/* round: one catch-up on the listener's connection, as a request of its own; false when it failed */
static bool round_trip(db_t *db) {
    db_request_begin(db);
    if (db_unavailable(db)) { db_request_end(db); return false; }
    feed_catch_up(db);
    return db_request_end(db) == DB_REQ_OK;
}

/* drain: forget the notifications received so far (a catch-up follows); whether there were any */
static bool drain(db_t *db) {
    bool any = false;
    PGnotify *n;
    while ((n = PQnotifies(db->pg))) { any = true; PQfreemem(n); }
    return any;
}

static void *listener(void *arg) {
    (void)arg;
    db_t *db = db_connect(db_global_path());
    if (!db) { log_msg("change feed: no connection to the store: not listening"); return NULL; }
    db->uncounted = true; /* its polling is no request's work: /metrics' SELECT count leaves it out */
    unsigned listened = 0;   /* the connection generation LISTEN was sent on (0: none) */
    long long next_prune = mono_ms() + 60 * 1000;
    while (!atomic_load(&g_stop)) {
        if (mono_ms() >= next_prune) {
            db_request_begin(db);
            prune(db);
            db_request_end(db);
            next_prune = mono_ms() + PRUNE_EVERY * 1000LL;
        }
        if (!db->pg) { /* SQLite: ask */
            atomic_store(&g_live, round_trip(db));
            nap(POLL_MS);
            continue;
        }
        if (listened != db->pg_gen || PQstatus(db->pg) != CONNECTION_OK) {
            atomic_store(&g_live, false);
            if (PQstatus(db->pg) != CONNECTION_OK) db->pg_down = true;
            if (!pg_check(db)) { nap(1000); continue; }
            PGresult *r = PQexec(db->pg, "LISTEN granslos_changes");
            bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
            if (!ok) { db->pg_down = true; nap(1000); continue; }
            listened = db->pg_gen;
            log_msg("change feed: listening for changes (from seq %lld)", (long long)feed_seen());
        }
        drain(db);
        if (!round_trip(db)) { atomic_store(&g_live, false); nap(200); continue; }
        atomic_store(&g_live, true);
        /* wait for a notification (or SAFETY_MS); one that came during the catch-up is queued */
        long long until = mono_ms() + SAFETY_MS;
        bool woken = false;
        while (!woken && !atomic_load(&g_stop) && mono_ms() < until) {
            if (!PQconsumeInput(db->pg)) break;   /* the connection is gone: reconnect above */
            PGnotify *n = PQnotifies(db->pg);
            if (n) { PQfreemem(n); woken = true; break; }
            struct pollfd p = {.fd = PQsocket(db->pg), .events = POLLIN};
            if (p.fd < 0 || poll(&p, 1, 250) < 0) break;
        }
    }
    atomic_store(&g_live, false);
    db_close(db);
    return NULL;
}

bool feed_start(void) {
    if (g_started) return true;
    atomic_store(&g_stop, false);
    if (pthread_create(&g_thread, NULL, listener, NULL) != 0) return false;
    g_started = true;
    return true;
}

void feed_stop(void) {
    if (!g_started) return;
    atomic_store(&g_stop, true);
    pthread_join(g_thread, NULL);
    g_started = false;
}
