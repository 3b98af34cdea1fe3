/* Leases of background jobs across nodes (owns the table job_leases, migration 007): see db.h. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <pthread.h>
#include "db/db.h"

/* the holder name of this process: host/pid/start in microseconds (set once, process lifetime) */
static char g_holder[128];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void holder_init(void) {
    char host[64] = "";
    if (gethostname(host, sizeof host - 1)) strcpy(host, "?");
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    snprintf(g_holder, sizeof g_holder, "%s/%ld/%lld", host, (long)getpid(),
             (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000);
}

const char *db_lease_holder(void) {
    pthread_once(&g_once, holder_init);
    return g_holder;
}

/* dead: the holder was a process on this host that is gone (it crashed, or was killed): its
 * lease is free at once, so that a restart takes the work up without waiting for the term */
static bool dead(const char *holder) {
    const char *me = db_lease_holder(), *slash = strchr(me, '/');
    size_t host = (size_t)(slash - me);
    if (strncmp(holder, me, host + 1)) return false;   /* another host: its term decides */
    char *end;
    long pid = strtol(holder + host + 1, &end, 10);
    if (*end != '/' || pid <= 0) return false;
    if (pid == (long)getpid()) return strcmp(holder, me) != 0;   /* an earlier process with our pid */
    return kill((pid_t)pid, 0) == -1 && errno == ESRCH;
}

bool db_lease(db_t *db, const char *name, int seconds) {
    const char *me = db_lease_holder();
    int64_t now = (int64_t)time(NULL);
    /* one write transaction (on PostgreSQL under the store-wide write lock): read, then take */
    if (!db_begin(db)) return false;
    stmt_t *s = db_prep(db, "SELECT holder, until FROM job_leases WHERE name = :n");
    db_bind_text(s, ":n", name);
    bool free_ = true;
    if (db_step(s)) free_ = !strcmp(db_text(s, 0), me) || db_int(s, 1) <= now || dead(db_text(s, 0));
    bool ok = db_ok(s);
    db_reset(s);
    if (ok && free_) {
        stmt_t *u = db_prep(db, "INSERT INTO job_leases (name, holder, until) VALUES (:n, :h, :u) "
                                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until");
        db_bind_text(u, ":n", name);
        db_bind_text(u, ":h", me);
        db_bind_int(u, ":u", now + seconds);
        ok = db_run(u);
    }
    if (!ok || !db_commit(db)) { db_rollback(db); return false; }
    return free_;
}

void db_lease_release(db_t *db, const char *name) {
    stmt_t *s = db_prep(db, "DELETE FROM job_leases WHERE name = :n AND holder = :h");
    db_bind_text(s, ":n", name);
    db_bind_text(s, ":h", db_lease_holder());
    db_run(s);
}
