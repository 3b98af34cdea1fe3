/* The platform's e-mail sender: a thread that delivers the notifications to be mailed at once
 * (notify_deliver: retries after 1, 2, 4, 8, 16 times the base delay, failed after 6 attempts),
 * makes the digests when they are due (notify_digest_run, once a minute) and delivers the shared
 * address outbox (mail/mail.h: account mail and digests). Off
 * unless `granslos serve --smtp URL` is given. It has its own database connection, opened and
 * closed by the thread. The SMTP transfer itself is mail_send (mail/). */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core/util.h"
#include "events/events.h"
#include "i18n/i18n.h"
#include "mail/mail.h"
#include "notify/notify.h"

static pthread_t g_thread;
static atomic_bool g_stop;
static bool g_running;
static char *g_url, *g_from, *g_db;   /* owned by this module while the sender runs */
static long g_retry = 60;

static void *run(void *arg) {
    (void)arg;
    db_t *db = db_open(g_db);
    if (!db) return NULL;
    time_t next_digest = 0;
    notify_digest_from(g_from);
    while (!atomic_load(&g_stop)) {
        db_read_begin(db);
        int n = notify_deliver(db, g_url, g_from, g_retry);
        /* digests due at this local hour, checked once a minute; each is recorded once (notify/) */
        if (!atomic_load(&g_stop) && time(NULL) >= next_digest) {
            db_request_end(db);
            if (notify_digest_run(db, time(NULL), false, NULL) < 0) log_msg("mail: the digest run failed; it is tried again");
            next_digest = time(NULL) + 60;
            db_read_begin(db);
        }
        if (!atomic_load(&g_stop)) n += mail_outbox_deliver(db, g_url, g_from, g_retry);
        db_request_end(db);
        if (n) continue;
        for (int i = 0; i < 10 && !atomic_load(&g_stop); i++) usleep(100 * 1000);
    }
    db_close(db);
    return NULL;
}

bool event_mailer_start(const char *db_path, const char *url, const char *from) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT)) return false;
    const char *r = getenv("GRANSLOS_SMTP_RETRY");
    long long v;
    if (r && parse_int(r, 1, 86400, &v)) g_retry = (long)v;
    g_url = xstrdup(url);
    g_from = xstrdup(from && *from ? from : "granslos@localhost");
    g_db = xstrdup(db_path);
    atomic_store(&g_stop, false);
    /* the stop signals belong to the main thread's sigwait (http/server.c): block them here first */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    g_running = pthread_create(&g_thread, NULL, run, NULL) == 0;
    if (!g_running) pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (g_running) log_msg("mail: delivering notifications through %s", url);
    return g_running;
}

void event_mailer_stop(void) {
    if (g_running) {
        atomic_store(&g_stop, true);
        pthread_join(g_thread, NULL);
        g_running = false;
    }
    free(g_url);
    free(g_from);
    free(g_db);
    g_url = g_from = g_db = NULL;
    curl_global_cleanup();
}
