/* Machine translation of what members write (see translate.h). */
#include "translate/translate.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "core/buf.h"
#include "core/util.h"
#include "db/feed.h"
#include "doc/doc.h"
#include "i18n/i18n.h"
#include "org/org.h"

extern char **environ;

static atomic_bool enabled;     /* translations are made and shown */
static atomic_bool have_rows;   /* the translations table holds anything (else the index asks nothing) */
static pthread_t worker;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static bool pending, stopping, started;

static bool stop_requested(void) {
    pthread_mutex_lock(&lock);
    bool s = stopping;
    pthread_mutex_unlock(&lock);
    return s;
}

static const char *command(void) {
    const char *c = getenv("GRANSLOS_TRANSLATOR");
    return c && *c ? c : "apertium";
}

static int timeout_ms(void) {
    const char *t = getenv("GRANSLOS_TRANSLATE_TIMEOUT_MS");
    int v = t ? atoi(t) : 0;
    return v > 0 ? v : 20000;
}

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int64_t clock_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* KILL_GRACE_MS: how long a translator given up on has after SIGTERM (Apertium's script then
 * runs its EXIT trap) before its process group gets SIGKILL */
#define KILL_GRACE_MS 500

/* reap: end what is left of the translator's process group (pid leads it) and collect the
 * leader; its exit status. running: it is being given up on (timeout, stop, error), so the group
 * gets SIGTERM and KILL_GRACE_MS to go; else the leader has finished or is about to. The leader
 * is looked at with WNOWAIT and reaped only after the group's SIGKILL: an unreaped leader keeps
 * its pid, so -pid cannot name someone else's group. The SIGKILL takes whatever outlived the
 * leader (a background child, a pipeline's lt-proc), which would otherwise write into a
 * directory that goes next. */
static int reap(pid_t pid, bool running) {
    siginfo_t si;
    if (running) {
        kill(-pid, SIGTERM);
        int64_t end = now_ms() + KILL_GRACE_MS;
        for (;;) {
            si.si_pid = 0;
            int w = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT);
            if ((w == 0 && si.si_pid) || (w < 0 && errno != EINTR) || now_ms() >= end) break;
            nanosleep(&(struct timespec){0, 10 * 1000000}, NULL);
        }
    } else {
        while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR) {}
    }
    kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    return status;
}

/* exited: wait until the translator's leader (pid) has exited, its deadline has passed or the
 * server stops; whether it exited. A translator may close its output and go on running (a
 * script's trap, a stage of its pipeline that hangs): waited for without a deadline, it kept the
 * worker, and every translation after it, forever. The leader is looked at with WNOWAIT (reap
 * collects it); its pidfd wakes the wait when it ends, else it is looked at every 10 ms. */
static bool exited(pid_t pid, int64_t deadline) {
    int pfd = pidfd_open(pid, 0);
    bool done = false;
    for (;;) {
        siginfo_t si;
        si.si_pid = 0;
        int w = waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT);
        if ((w == 0 && si.si_pid) || (w < 0 && errno != EINTR)) { done = true; break; }
        int64_t left = deadline - now_ms();
        if (left <= 0 || stop_requested()) break;
        int slice = left > 1000 ? 1000 : (int)left;   /* a stop is looked for at least each second */
        if (pfd >= 0) poll(&(struct pollfd){pfd, POLLIN, 0}, 1, slice);
        else nanosleep(&(struct timespec){0, 10 * 1000000}, NULL);
    }
    if (pfd >= 0) close(pfd);
    return done;
}

/* remove_entry: nftw's callback for remove_tree (depth first: a directory after its entries) */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *f) {
    (void)st;
    (void)flag;
    (void)f;
    remove(path); /* one that stays is reported by remove_tree, the others still go */
    return 0;
}

/* remove_tree: dir and everything in it; symbolic links are removed, not followed */
static void remove_tree(const char *dir) {
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    struct stat st;
    if (!lstat(dir, &st)) log_msg("translate: could not remove %s", dir);
}

/* child_env: environ with TMPDIR=dir in place of the parent's (the array and the new entry in a;
 * the other entries are environ's) */
static char **child_env(arena_t *a, const char *dir) {
    size_t n = 0;
    while (environ && environ[n]) n++;
    char **env = arena_alloc(a, (n + 2) * sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "TMPDIR=", 7)) env[k++] = environ[i];
    env[k++] = arena_printf_libc(a, "TMPDIR=%s", dir);
    env[k] = NULL;
    return env;
}

/* converse: run the translator once with env, the text on its stdin, its stdout read until it
 * closes or the deadline passes; the output (in a) or NULL, with *why set when it was given up
 * on ("timeout, killed", "stopping", "error"; else NULL) */
static char *converse(arena_t *a, const char *mode, const char *text, char **env, const char **why) {
    *why = NULL;
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC)) return NULL;
    if (pipe2(out, O_CLOEXEC)) { close(in[0]); close(in[1]); return NULL; }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    /* a process group of its own, so that giving up ends the script and everything it started;
     * the worker's blocked SIGINT/SIGTERM (run) would be inherited, and the server's ignored
     * SIGPIPE (translate_start) too: the child gets an empty mask and SIGPIPE's default */
    posix_spawnattr_t sa;
    posix_spawnattr_init(&sa);
    posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&sa, 0);
    sigset_t none, def;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&sa, &none);
    sigemptyset(&def);
    sigaddset(&def, SIGPIPE);
    posix_spawnattr_setsigdefault(&sa, &def);
    const char *cmd = command();
    const char *args[] = {cmd, "-u", mode, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, cmd, &fa, &sa, (char *const *)args, env);
    posix_spawnattr_destroy(&sa);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    if (rc) { close(in[1]); close(out[0]); return NULL; }
    fcntl(in[1], F_SETFL, O_NONBLOCK);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    size_t len = strlen(text), sent = 0;
    buf_t b;
    buf_init(&b, a);
    int64_t deadline = now_ms() + timeout_ms();
    bool eof = false, ok = true;
    int wfd = in[1];
    if (!len) { close(wfd); wfd = -1; }
    while (!eof) {
        int64_t left = deadline - now_ms();
        if (left <= 0 || stop_requested()) { ok = false; break; }
        struct pollfd p[2] = {{out[0], POLLIN, 0}, {wfd, POLLOUT, 0}};
        int n = poll(p, wfd >= 0 ? 2 : 1, (int)(left > 1000 ? 1000 : left));
        if (n < 0 && errno != EINTR) { ok = false; break; }
        if (n <= 0) continue;
        if (wfd >= 0 && (p[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w = write(wfd, text + sent, len - sent);
            if (w > 0) sent += (size_t)w;
            if (w < 0 && errno != EAGAIN && errno != EINTR) { ok = false; break; }
            if (sent == len) { close(wfd); wfd = -1; }
        }
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            char chunk[4096];
            ssize_t r = read(out[0], chunk, sizeof chunk);
            if (r > 0) buf_append(&b, chunk, (size_t)r);
            else if (r == 0) eof = true;
            else if (errno != EAGAIN && errno != EINTR) { ok = false; break; }
        }
    }
    if (wfd >= 0) close(wfd);
    close(out[0]);
    /* its output closed, the translator has until the same deadline to exit */
    if (ok && !exited(pid, deadline)) ok = false;
    if (!ok) { /* too slow or broken: the child's group goes, and the text stays untranslated */
        *why = now_ms() >= deadline ? "timeout, killed" : stop_requested() ? "stopping" : "error";
        reap(pid, true);
        return NULL;
    }
    int status = reap(pid, false);
    if (!WIFEXITED(status) || WEXITSTATUS(status)) { log_msg("translate: %s %s failed", cmd, mode); return NULL; }
    char *s = b.data ? b.data : arena_strdup(a, "");
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r')) s[--n] = 0;
    return n ? s : NULL;
}

char *translate_text(arena_t *a, const char *mode, const char *text) {
    /* a temporary directory of the child's own (its TMPDIR): Apertium's script removes its
     * files in an EXIT trap, which a killed script never runs; what it leaves goes with the
     * directory once the child is reaped */
    const char *base = getenv("TMPDIR");
    char dir[4096];
    int dn = snprintf(dir, sizeof dir, "%s/granslos-translate.XXXXXX", base && *base ? base : "/tmp");
    if (dn < 0 || (size_t)dn >= sizeof dir || !mkdtemp(dir)) {
        log_msg("translate: no temporary directory for %s %s (%s)", command(), mode, dn < 0 || (size_t)dn >= sizeof dir ? "TMPDIR too long" : strerror(errno));
        return NULL;
    }
    const char *why; /* static text, set by converse */
    char *t = converse(a, mode, text, child_env(a, dir), &why);
    remove_tree(dir);
    if (why) log_msg("translate: %s %s gave up (%s)", command(), mode, why);
    return t;
}

const char *translate_get(db_t *db, arena_t *a, int64_t org_id, const char *field, const char *dst, const char *source) {
    if (!atomic_load(&enabled) || !atomic_load(&have_rows)) return NULL;
    stmt_t *s = db_prep(db, "SELECT text FROM translations WHERE org_id = :o AND field = :f AND dst_lang = :d "
                            "AND (:src IS NULL OR source = :src)");
    db_binds(s, DB_INT(":o", org_id), DB_TEXT(":f", field), DB_TEXT(":d", dst), DB_TEXT(":src", source));
    return db_text_of(s, a);
}

const char *translate_index_text(db_t *db, arena_t *a, int64_t org_id, const char *lang) {
    if (!atomic_load(&enabled) || !atomic_load(&have_rows)) return NULL;
    stmt_t *s = db_prep(db, "SELECT group_concat(text, ' ') FROM translations WHERE org_id = :o AND dst_lang = :d");
    db_bind_int(s, ":o", org_id);
    db_bind_text(s, ":d", lang);
    return db_text_of(s, a);
}

bool translate_description_html(req_t *r, db_t *db, int64_t org_id, const char *src_lang, const char *original) {
    const char *dst = r->lang;
    if (!streq(dst, "sv") && !streq(dst, "nb")) return false;
    if (streq(dst, src_lang) || (!streq(src_lang, "sv") && !streq(src_lang, "nb"))) return false;
    const char *t = translate_get(db, r->arena, org_id, "description", dst, original);
    if (!t) return false;
    bprintf(&r->out, "<p class=\"note machine-translated\">%h</p><p lang=\"%h\" class=\"desc\">%h</p>", T(r, "Machine-translated"), dst, t);
    bprintf(&r->out, "<details class=\"original\"><summary>%h</summary><p lang=\"%h\" class=\"desc\">%h</p></details>",
            T(r, "Show the original"), src_lang, original);
    return true;
}

/* ---- the worker ---- */

/* field: translate one field of an organisation when its text changed; true if stored */
static bool field(db_t *db, arena_t *a, int64_t id, const char *name, const char *src, const char *dst, const char *text) {
    stmt_t *q = db_prep(db, "SELECT 1 FROM translations WHERE org_id = :o AND field = :f AND dst_lang = :d AND source = :s");
    db_binds(q, DB_INT(":o", id), DB_TEXT(":f", name), DB_TEXT(":d", dst), DB_TEXT(":s", text));
    if (db_int_of(q, 0)) return false;
    char *t = translate_text(a, streq(src, "sv") ? "swe-nob" : "nob-swe", text);
    if (!t) return false;
    stmt_t *d = db_prep(db, "DELETE FROM translations WHERE org_id = :o AND field = :f AND dst_lang <> :d");
    db_bind_int(d, ":o", id);
    db_bind_text(d, ":f", name);
    db_bind_text(d, ":d", dst);
    db_run(d);
    stmt_t *s = db_prep(db, "INSERT INTO translations (org_id, field, src_lang, dst_lang, source, text, translated_at) "
                            "VALUES (:o, :f, :s, :d, :src, :t, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
                            "ON CONFLICT (org_id, field, dst_lang) DO UPDATE SET src_lang = excluded.src_lang, "
                            "source = excluded.source, text = excluded.text, translated_at = excluded.translated_at");
    db_binds(s, DB_INT(":o", id), DB_TEXT(":f", name), DB_TEXT(":s", src), DB_TEXT(":d", dst), DB_TEXT(":src", text), DB_TEXT(":t", t));
    bool ok = db_run(s);
    if (ok) atomic_store(&have_rows, true);
    return ok;
}

/* drop: a field with no text (or written in both languages) has no translation */
static bool drop(db_t *db, int64_t id, const char *name) {
    stmt_t *d = db_prep(db, "DELETE FROM translations WHERE org_id = :o AND field = :f");
    db_bind_int(d, ":o", id);
    db_bind_text(d, ":f", name);
    return db_run(d) && db_changes(db) > 0;
}

static bool filled(const char *s) { return s && *s; }

static void translate_org(db_t *db, int64_t id) {
    arena_t *a = arena_new();
    json_t *o = org_load(db, id, false);
    if (!o) {
        stmt_t *d = db_prep(db, "DELETE FROM translations WHERE org_id = :o");
        db_bind_int(d, ":o", id);
        db_run(d);
        arena_free(a);
        return;
    }
    const char *own = streq(json_string_value(json_object_get(o, "country")), "NO") ? "nb" : "sv";
    const char *other = streq(own, "nb") ? "sv" : "nb";
    json_t *d = json_object_get(o, "description");
    const char *sv = json_string_value(json_object_get(d, "sv")), *nb = json_string_value(json_object_get(d, "nb"));
    if (filled(sv) && !filled(nb)) field(db, a, id, "description", "sv", "nb", sv);
    else if (filled(nb) && !filled(sv)) field(db, a, id, "description", "nb", "sv", nb);
    else drop(db, id, "description");
    /* competences, offers and needs: one tag a line (Apertium keeps the lines) */
    static const char *const tags[3] = {"competences", "offers", "needs"};
    for (int k = 0; k < 3; k++) {
        buf_t b;
        buf_init(&b, a);
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(o, tags[k]), i, x) bprintf_text(&b, "%s%s", b.len ? "\n" : "", json_string_value(x));
        if (filled(b.data)) field(db, a, id, tags[k], own, other, b.data);
        else drop(db, id, tags[k]);
    }
    static const char *const texts[3] = {"competences_text", "offers_text", "needs_text"};
    for (int k = 0; k < 3; k++) {
        const char *t = json_string_value(json_object_get(o, texts[k]));
        if (filled(t)) field(db, a, id, texts[k], own, other, t);
        else drop(db, id, texts[k]);
    }
    json_decref(o);
    arena_free(a);
    /* indexed again even when nothing changed: the save's own indexing (org/index.c) reads no
     * translations, so that a save stays within its statements; the other nodes index it again
     * from the change feed (on_translations) */
    feed_note(db, "translation", id);
    org_index_refresh(db, id);
}

/* TRANSLATE_LEASE: the term of the translator's lease (db_lease), renewed before each
 * organisation: one node translates at a time, and its queue is everyone's (the table) */
#define TRANSLATE_LEASE 120

/* drain: translate every queued organisation; a row queued again meanwhile stays for another
 * round. False when another node holds the translator's lease (it drains the queue instead). */
static bool drain(db_t *db) {
    for (;;) {
        if (stop_requested()) break;
        if (!db_lease(db, "translate", TRANSLATE_LEASE)) return false;
        stmt_t *s = db_prep(db, "SELECT org_id, queued FROM translation_queue ORDER BY queued LIMIT 1");
        if (!db_step(s)) { db_reset(s); break; }
        int64_t id = db_int(s, 0), queued = db_int(s, 1);
        db_reset(s);
        translate_org(db, id);
        stmt_t *d = db_prep(db, "DELETE FROM translation_queue WHERE org_id = :o AND queued = :q");
        db_bind_int(d, ":o", id);
        db_bind_int(d, ":q", queued);
        db_run(d);
    }
    db_lease_release(db, "translate");
    return true;
}

static void *run(void *arg) {
    (void)arg;
    /* the stop signals are the main thread's (http/server.c) */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    /* a connection of its own: the server closes the shared ones before translate_stop() */
    db_t *db = db_open(db_global_path());
    if (!db) { log_msg("translate: cannot open the database: no machine translations"); atomic_store(&enabled, false); return NULL; }
    pthread_mutex_lock(&lock);
    pending = true; /* what was queued before a restart */
    bool busy = false;   /* another node held the lease: look again soon, it may have finished */
    for (;;) {
        while (!pending && !stopping) {
            struct timespec t;
            clock_gettime(CLOCK_REALTIME, &t);
            t.tv_sec += busy ? 5 : 30; /* and now and then: what another process queued */
            if (pthread_cond_timedwait(&wake, &lock, &t) == ETIMEDOUT) break;
        }
        if (stopping) break;
        pending = false;
        pthread_mutex_unlock(&lock);
        busy = !drain(db);
        pthread_mutex_lock(&lock);
    }
    pthread_mutex_unlock(&lock);
    db_close(db);
    return NULL;
}

/* on_save: an organisation was saved: queue it (one small write; the worker does the rest) */
static void on_save(db_t *db, const doc_kind_t *k, int64_t id, json_t *doc) {
    (void)k;
    (void)doc;
    stmt_t *s = db_prep(db, "INSERT INTO translation_queue (org_id, queued) VALUES (:o, :q) "
                            "ON CONFLICT (org_id) DO UPDATE SET queued = excluded.queued");
    db_bind_int(s, ":o", id);
    db_bind_int(s, ":q", clock_us());
    db_run(s);
    pthread_mutex_lock(&lock);
    pending = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
}

/* on_translations: the change feed's subscriber: another node stored translations of these
 * organisations (n = -1: the feed lost track). This node's index reads translations from now on
 * (have_rows was false while this node had made none) and indexes them again. */
static void on_translations(db_t *db, const int64_t *ids, int n) {
    if (n < 0) {
        stmt_t *s = db_prep(db, "SELECT EXISTS (SELECT 1 FROM translations)");
        bool had = atomic_load(&have_rows), has = db_int_of(s, 0) != 0;
        atomic_store(&have_rows, has);
        if (has && !had) org_index_changed(db, NULL, -1);
        return;
    }
    atomic_store(&have_rows, true);
    org_index_changed(db, ids, n);
}

bool translate_enabled(void) { return atomic_load(&enabled); }

bool translate_start(void) {
    const char *off = getenv("GRANSLOS_APERTIUM");
    if (off && !strcmp(off, "off")) return false;
    if (!getenv("GRANSLOS_TRANSLATOR") || !*getenv("GRANSLOS_TRANSLATOR")) {
        /* Apertium and the pair's two modes (rtx-proc from apertium-recursive runs them) */
        if (access("/usr/share/apertium/modes/swe-nob.mode", R_OK) || access("/usr/share/apertium/modes/nob-swe.mode", R_OK))
            return false;
        const char *path = getenv("PATH");
        bool found = false;
        for (const char *p = path; p && *p && !found;) {
            const char *e = strchr(p, ':');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            char exe[512];
            snprintf(exe, sizeof exe, "%.*s/rtx-proc", (int)n, p);
            found = !access(exe, X_OK);
            p = e ? e + 1 : p + n;
        }
        if (!found) { log_msg("translate: Apertium's rtx-proc (apertium-recursive) is missing: no machine translations"); return false; }
    }
    pthread_mutex_lock(&lock);
    if (started) { pthread_mutex_unlock(&lock); return true; }
    started = true;
    stopping = false;
    pthread_mutex_unlock(&lock);
    signal(SIGPIPE, SIG_IGN); /* a translator that dies before reading its text */
    stmt_t *s = db_prep(db_get(), "SELECT EXISTS (SELECT 1 FROM translations)");
    atomic_store(&have_rows, db_int_of(s, 0) != 0);
    atomic_store(&enabled, true);
    doc_subscribe(&org_kind, on_save);
    feed_subscribe("translation", on_translations);
    if (pthread_create(&worker, NULL, run, NULL)) {
        atomic_store(&enabled, false);
        return false;
    }
    log_msg("translate: machine translation on (%s)", command());
    return true;
}

void translate_stop(void) {
    pthread_mutex_lock(&lock);
    if (!started) { pthread_mutex_unlock(&lock); return; }
    stopping = true;
    pthread_cond_signal(&wake);
    pthread_mutex_unlock(&lock);
    pthread_join(worker, NULL);
    pthread_mutex_lock(&lock);
    started = false;
    pthread_mutex_unlock(&lock);
}
