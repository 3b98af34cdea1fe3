/* The notification outbox's e-mail sender: a thread that delivers pending rows of
 * event_notifications over SMTP with libcurl, with retries (after 1, 2, 4, 8, 16 times the base
 * delay; failed after 6 attempts), and the shared address outbox (mail/mail.h: account mail). Off
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

#define MAX_ATTEMPTS 6

static pthread_t g_thread;
static atomic_bool g_stop;
static bool g_running;
static char *g_url, *g_from, *g_db;   /* owned by this module while the sender runs */
static long g_retry = 60;

/* deliver: one pass over what is due; returns the number handled */
static int deliver(db_t *db) {
    arena_t *a = arena_new();
    stmt_t *s = db_prep(db, "SELECT n.id, n.kind, n.attempts, u.email, u.lang, e.title_sv, e.title_nb, e.title_en, n.event_id, n.detail "
                            "FROM event_notifications n JOIN users u ON u.id = n.user_id LEFT JOIN events e ON e.id = n.event_id "
                            "WHERE n.mail_status = 'pending' AND n.next_try <= :now ORDER BY n.id LIMIT 20");
    db_bind_int(s, ":now", now_unix());
    struct row { int64_t id, event; int attempts; const char *kind, *email, *lang, *title, *detail; } rows[20];
    int n = 0;
    while (db_step(s) && n < 20) {
        const char *lang = db_text(s, 4) && i18n_known(db_text(s, 4)) ? i18n_canonical(db_text(s, 4)) : "sv";
        int col = lang[0] == 'n' ? 6 : lang[0] == 'e' ? 7 : 5;
        const char *t = db_text(s, col);
        for (int k = 5; (!t || !*t) && k <= 7; k++) t = db_text(s, k);
        rows[n++] = (struct row){db_int(s, 0), db_is_null(s, 8) ? 0 : db_int(s, 8), (int)db_int(s, 2), db_text_dup(s, 1, a),
                                 db_text_dup(s, 3, a), lang, arena_strdup(a, t ? t : ""), db_text_dup(s, 9, a)};
    }
    db_reset(s);
    for (int i = 0; i < n && !atomic_load(&g_stop); i++) {
        struct row *r = &rows[i];
        const char *err = NULL;
        if (!r->email) err = "the user has no e-mail address any more";
        else {
            const char *text = aprintf_text(a, FMT_AS("%s", event_notification_text(r->kind, r->lang)), r->title);
            const char *body = r->detail ? aprintf_text(a, "%s (%s)\r\n\r\n-- \r\nGränslös", text, r->detail) : aprintf_text(a, "%s\r\n\r\n-- \r\nGränslös", text);
            err = mail_send(a, g_url, g_from, r->email, aprintf_text(a, "Gränslös: %s", text), body,
                            arena_printf_libc(a, "notification-%lld", (long long)r->id));
        }
        int attempts = r->attempts + 1;
        if (!err) s = db_prep(db, "UPDATE event_notifications SET mail_status = 'sent', attempts = :a, last_error = NULL WHERE id = :id");
        else if (!r->email || attempts >= MAX_ATTEMPTS)
            s = db_prep(db, "UPDATE event_notifications SET mail_status = 'failed', attempts = :a, last_error = :e WHERE id = :id");
        else {
            s = db_prep(db, "UPDATE event_notifications SET attempts = :a, last_error = :e, next_try = :next WHERE id = :id");
            db_bind_int(s, ":next", now_unix() + g_retry * (1L << (attempts - 1)));
        }
        db_bind_int(s, ":a", attempts);
        if (err) db_bind_text(s, ":e", err);
        db_bind_int(s, ":id", r->id);
        if (db_begin(db)) {
            if (db_run(s) && db_commit(db)) {} else db_rollback(db);
        }
        if (err) log_msg("mail: notification %lld to user: %s (attempt %d)", (long long)r->id, err, attempts);
    }
    arena_free(a);
    return n;
}

static void *run(void *arg) {
    (void)arg;
    db_t *db = db_open(g_db);
    if (!db) return NULL;
    while (!atomic_load(&g_stop)) {
        db_read_begin(db);
        int n = deliver(db);
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
