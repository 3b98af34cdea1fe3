/* Digests: the daily and weekly mail of what waited for them, with sections, in the user's
 * language and time zone, at a set local hour (GRANSLOS_DIGEST_HOUR, default 7; weekly ones on
 * Mondays); the weekly one carries "news from the other side" for each of the user's
 * organisations (org/match.h's best matches across the border, new since the last digest, never
 * the same twice). Each digest is recorded (notify_digests, UNIQUE per user and period) in the
 * same transaction that queues its mail and marks its items, so a run that stops half-way and
 * starts again makes every digest once. Also `granslos digest`, `granslos bench digest` and the
 * admin section. */
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "account/account.h"
#include "core/util.h"
#include "events/dates.h"
#include "events/events.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "mail/mail.h"
#include "notify/internal.h"
#include "org/match.h"
#include "org/org.h"

/* ---- the mail builder ---- */

void notify_mail_begin(notify_mail_t *m, db_t *db, arena_t *a, int64_t uid, const char *lang, const char *group) {
    *m = (notify_mail_t){.db = db, .a = a, .uid = uid, .lang = lang, .group = group};
    buf_init(&m->text, a);
    buf_init(&m->html, a);
    bprintf(&m->html, "<!DOCTYPE html><html lang=\"%h\"><head><meta charset=\"utf-8\"><title>Gränslös</title></head><body>", lang);
}

void notify_mail_section(notify_mail_t *m, const char *heading) {
    bprintf_text(&m->text, "\n== %s ==\n\n", heading);
    bprintf(&m->html, "<h2>%h</h2>", heading);
}

void notify_mail_item(notify_mail_t *m, const char *text, const char *detail, const char *path) {
    const char *url = aprintf_text(m->a, "%s%s", notify_public_url(), path);
    if (detail && *detail) bprintf_text(&m->text, "- %s (%s)\n  %s\n", text, detail, url);
    else bprintf_text(&m->text, "- %s\n  %s\n", text, url);
    if (detail && *detail) bprintf(&m->html, "<p><a href=\"%h\">%h</a> (%h)</p>", url, text, detail);
    else bprintf(&m->html, "<p><a href=\"%h\">%h</a></p>", url, text);
}

void notify_mail_end(notify_mail_t *m) {
    const char *prefs = aprintf_text(m->a, "%s/account/notifications", notify_public_url());
    const char *unsub = notify_unsubscribe_url(m->db, m->a, m->uid, m->group ? m->group : "all");
    bprintf_text(&m->text, "\n-- \nGränslös\n%s: %s\n%s: %s\n", tr(m->lang, "Choose what you get"), prefs,
                 tr(m->lang, "Unsubscribe"), unsub ? unsub : "");
    bprintf(&m->html, "<hr><p><a href=\"%h\">%h</a> · <a href=\"%h\">%h</a></p></body></html>", prefs, tr(m->lang, "Choose what you get"),
            unsub ? unsub : "", tr(m->lang, "Unsubscribe"));
}

/* ---- time ---- */

static int digest_hour(void) {
    const char *h = getenv("GRANSLOS_DIGEST_HOUR");
    long long v;
    return h && parse_int(h, 0, 23, &v) ? (int)v : 7;
}

/* period_key: the local date, or its ISO week; *due whether the local hour (and Monday) has come */
static const char *period_key(arena_t *a, time_t now, const char *tz, bool weekly, bool *due) {
    char loc[32];
    utc_to_local(now, tz, loc, sizeof loc);
    int y = atoi(loc), mo = atoi(loc + 5), d = atoi(loc + 8), h = atoi(loc + 11);
    *due = h >= digest_hour() && (!weekly || weekday(y, mo, d) == 0);
    if (!weekly) return aprintf_text(a, "%.10s", loc);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = 12};
    time_t t = timegm(&tm);
    gmtime_r(&t, &tm);
    char wk[16];
    strftime(wk, sizeof wk, "%G-W%V", &tm);
    return arena_strdup(a, wk);
}

/* ---- news from the other side ----
 * The week's new organisations (those after the previous weekly run's last id, or of the last
 * 7 days at the first run) are matched once each (match_find); every organisation on the other
 * side that a new one's matching names gets it as a candidate with the match's score. Each
 * organisation's digest then shows its best 3 candidates it was not shown before. Matching the
 * few new organisations instead of all of them keeps the weekly run linear in the new ones. */

typedef struct news_hit { int64_t org, item; double score; const char *name, *mine, *theirs; bool event; } news_hit_t;
typedef struct news_map { bool built; news_hit_t *h; size_t n, cap; } news_map_t;

static int hit_cmp(const void *x, const void *y) {
    const news_hit_t *p = x, *q = y;
    if (p->org != q->org) return p->org < q->org ? -1 : 1;
    if (p->event != q->event) return p->event ? 1 : -1;
    if (p->score != q->score) return p->score > q->score ? -1 : 1;
    return p->item < q->item ? -1 : p->item > q->item;
}

/* hits_of: the other side's organisations among a match list (ms, borrowed), as candidates for
 * item (an organisation, or an event when event) */
static void hits_of(news_map_t *m, arena_t *a, json_t *ms, const char *country, int64_t item, const char *name, bool event) {
    json_t *x;
    size_t k;
    json_array_foreach(ms, k, x) {
        const char *c = json_string_value(json_object_get(x, "country"));
        if (!c || streq(c, country)) continue;
        const char *mine = NULL, *theirs = NULL;
        json_t *rs = json_object_get(x, "reasons"), *rr;
        size_t j;
        json_array_foreach(rs, j, rr) if (!mine && jstr(rr, "mine") && jstr(rr, "theirs")) {
            mine = arena_strdup(a, jstr(rr, "mine"));   /* the new item's phrase */
            theirs = arena_strdup(a, jstr(rr, "theirs"));
        }
        if (m->n == m->cap) m->h = xrealloc(m->h, (m->cap = m->cap ? 2 * m->cap : 1024) * sizeof *m->h);
        m->h[m->n++] = (news_hit_t){json_integer_value(json_object_get(x, "id")), item,
                                    json_real_value(json_object_get(x, "score")) + json_integer_value(json_object_get(x, "score")),
                                    name, mine, theirs, event};
    }
}

static bool news_build(db_t *db, arena_t *a, time_t now, bool dry, news_map_t *m) {
    m->built = true;
    bool due;
    const char *key = period_key(a, now, "Europe/Stockholm", true, &due);
    stmt_t *s = db_prep(db, "SELECT from_id, to_id, ev_from, ev_to FROM notify_news_runs WHERE period_key = :k");
    db_bind_text(s, ":k", key);
    int64_t from = -1, to = 0, ev_from = 0, ev_to = 0;
    if (db_step(s)) { from = db_int(s, 0); to = db_int(s, 1); ev_from = db_int(s, 2); ev_to = db_int(s, 3); }
    db_reset(s);
    if (from < 0) {
        s = db_prep(db, "SELECT to_id, ev_to FROM notify_news_runs WHERE period_key < :k ORDER BY period_key DESC LIMIT 1");
        db_bind_text(s, ":k", key);
        from = 0;
        if (db_step(s)) { from = db_int(s, 0); ev_from = db_int(s, 1); }
        db_reset(s);
        to = org_last_id(db);
        ev_to = event_last_id(db);
        if (!dry) {
            s = db_prep(db, "INSERT INTO notify_news_runs (period_key, from_id, to_id, ev_from, ev_to, started_at) VALUES (:k, :f, :t, :ef, :et, :now) "
                            "ON CONFLICT DO NOTHING");
            db_binds(s, DB_TEXT(":k", key), DB_INT(":f", from), DB_INT(":t", to), DB_INT(":ef", ev_from), DB_INT(":et", ev_to), DB_TEXT(":now", now_utc(a)));
            if (!db_begin(db)) return false;
            if (!db_run(s) || !db_commit(db)) { db_rollback(db); return false; }
        }
    }
    char since[32];
    utc_string(now - 7 * 86400, since, sizeof since);
    size_t n = 0;
    org_brief_t *fresh = org_new_since(db, a, from, to, from ? NULL : since, &n);
    for (size_t i = 0; i < n; i++) {
        match_query_t q = {.org_id = fresh[i].id, .lang = "sv", .limit = 30};
        json_t *ms = match_find(db, &q);
        hits_of(m, a, ms, fresh[i].country, fresh[i].id, ms ? org_name(db, a, fresh[i].id) : NULL, false);
        json_decref(ms);
    }
    free(fresh);
    /* the week's new events: their titles and descriptions matched as a need is, across the border */
    event_brief_t *evs = event_new_since(db, a, ev_from, ev_to, ev_from ? NULL : since, &n);
    for (size_t i = 0; i < n; i++) {
        match_query_t q = {.need = evs[i].text, .from = evs[i].country, .lang = "sv", .limit = 30};
        json_t *ms = match_need_problem(a, evs[i].text) ? NULL : match_find(db, &q);
        hits_of(m, a, ms, evs[i].country, evs[i].id, NULL, true);
        json_decref(ms);
    }
    free(evs);
    if (m->n) qsort(m->h, m->n, sizeof *m->h, hit_cmp);
    return true;
}

/* notify_news_mark: record that the weekly run of period_key saw the organisations up to to_id
 * (the next week's news starts after it); for `bench digest`, which sets up "last week". */
bool notify_news_mark(db_t *db, const char *period_key, int64_t to_id) {
    stmt_t *s = db_prep(db, "INSERT INTO notify_news_runs (period_key, from_id, to_id, started_at) VALUES (:k, 0, :t, "
                            "strftime('%Y-%m-%dT%H:%M:%SZ','now')) ON CONFLICT (period_key) DO UPDATE SET to_id = :t");
    db_bind_text(s, ":k", period_key);
    db_bind_int(s, ":t", to_id);
    if (!db_begin(db)) return false;
    if (!db_run(s) || !db_commit(db)) { db_rollback(db); return false; }
    return true;
}

/* news: up to 3 new organisations and 3 new events across the border per organisation of the
 * user, not shown before; records them as shown (unless dry) */
static int news(notify_mail_t *m, db_t *db, arena_t *a, int64_t uid, const news_map_t *map, bool dry) {
    int64_t orgs[8];
    int no = org_of_user_ids(db, uid, orgs, 8), count = 0;
    for (int i = 0; i < no; i++) {
        size_t lo = 0, hi = map->n;
        while (lo < hi) { size_t mid = (lo + hi) / 2; if (map->h[mid].org < orgs[i]) lo = mid + 1; else hi = mid; }
        int shown = 0, of_kind = 0;
        for (size_t k = lo; k < map->n && map->h[k].org == orgs[i]; k++) {
            const news_hit_t *h = &map->h[k];
            if (k > lo && h->event != map->h[k - 1].event) of_kind = 0;   /* the events, after the organisations */
            if (of_kind >= 3) continue;
            const char *item = h->event ? "event" : "org";
            stmt_t *s = db_prep(db, "SELECT 1 FROM notify_news_seen WHERE org_id = :o AND item = :it AND item_id = :i");
            db_bind_int(s, ":o", orgs[i]);
            db_bind_text(s, ":it", item);
            db_bind_int(s, ":i", h->item);
            if (db_int_of(s, 0) == 1) continue;
            if (!shown) notify_mail_section(m, aprintf_text(a, FMT_AS("%s", tr(m->lang, "News from the other side for %s")), org_name(db, a, orgs[i])));
            if (h->event)
                notify_mail_item(m, aprintf_text(a, FMT_AS("%s", tr(m->lang, "Event: %s")), notify_subject_title(db, a, "event", h->item, m->lang)),
                                 h->mine ? aprintf_text(a, FMT_AS("%s%s", tr(m->lang, "it is about “%s”, you have “%s”")), h->mine, h->theirs) : NULL,
                                 aprintf_text(a, "/events/%lld", (long long)h->item));
            else
                notify_mail_item(m, h->name, h->mine ? aprintf_text(a, FMT_AS("%s%s", tr(m->lang, "they have “%s”, you have “%s”")), h->mine, h->theirs) : NULL,
                                 aprintf_text(a, "/organisations/%lld", (long long)h->item));
            shown++;
            of_kind++;
            count++;
            if (!dry) {
                s = db_prep(db, "INSERT INTO notify_news_seen (org_id, item, item_id, shown_at) VALUES (:o, :it, :i, :now) ON CONFLICT DO NOTHING");
                db_bind_int(s, ":o", orgs[i]);
                db_bind_text(s, ":it", item);
                db_bind_int(s, ":i", h->item);
                db_bind_text(s, ":now", now_utc(a));
                if (!db_run(s)) return -1;
            }
        }
    }
    return count;
}

/* ---- one digest ---- */

/* digest_one: 1 made, 0 nothing due, -1 error */
static int digest_one(db_t *db, arena_t *a, int64_t uid, const char *period, time_t now, bool dry, FILE *out, const char *from,
                      news_map_t *map, arena_t *map_arena) {
    const char *email, *lang;
    if (!account_contact(db, a, uid, &email, &lang, NULL)) return 0;
    lang = lang && i18n_known(lang) ? i18n_canonical(lang) : "sv";
    bool weekly = streq(period, "weekly"), due;
    const char *tz = notify_timezone(db, uid, lang), *key = period_key(a, now, tz, weekly, &due);
    if (!due) return 0;
    stmt_t *s = db_prep(db, "SELECT 1 FROM notify_digests WHERE user_id = :u AND period = :p AND period_key = :k");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":p", period);
    db_bind_text(s, ":k", key);
    if (db_int_of(s, 0) == 1) return 0;
    if (weekly && !map->built && !news_build(db, map_arena, now, dry, map)) return -1;
    if (!db_begin(db)) return -1;
    notify_mail_t m;
    notify_mail_begin(&m, db, a, uid, lang, "all");
    bprintf_text(&m.text, "%s\n", tr(lang, weekly ? "Your weekly digest from Gränslös" : "Your daily digest from Gränslös"));
    bprintf(&m.html, "<h1>%h</h1>", tr(lang, weekly ? "Your weekly digest from Gränslös" : "Your daily digest from Gränslös"));
    /* the waiting items, read once, then shown group by group in the order of the preferences */
    enum { MAX_ITEMS = 500 };
    struct it { int64_t sid; const char *kind, *subject, *detail, *group; } *its = arena_alloc(a, sizeof *its * MAX_ITEMS);
    int n = 0, items = 0;
    s = db_prep(db, "SELECT kind, subject, subject_id, detail FROM notify_items WHERE user_id = :u AND mail_status = 'pending' "
                    "AND mode = :p ORDER BY id");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":p", period);
    while (n < MAX_ITEMS && db_step(s))
        its[n++] = (struct it){db_is_null(s, 2) ? 0 : db_int(s, 2), db_text_dup(s, 0, a), db_text_dup(s, 1, a), db_text_dup(s, 3, a),
                               notify_group_of(db_text(s, 0))};
    db_reset(s);
    for (int g = 0; notify_groups[g]; g++) {
        bool head = false;
        for (int i = 0; i < n; i++) {
            if (!streq(its[i].group, notify_groups[g])) continue;
            if (!head) notify_mail_section(&m, notify_group_label(notify_groups[g], lang));
            head = true;
            notify_view_t v;
            notify_item_view(db, a, its[i].kind, its[i].subject, its[i].sid, its[i].detail, lang, &v);
            notify_mail_item(&m, v.text, v.detail, v.url);
            items++;
        }
    }
    int nn = weekly && !streq(notify_mode(db, uid, "matches"), "never") ? news(&m, db, a, uid, map, dry) : 0;
    if (nn < 0) { db_rollback(db); return -1; }
    if (!items && !nn) { db_rollback(db); return 0; }
    notify_mail_end(&m);
    const char *subject = aprintf_text(a, "Gränslös: %s", tr(lang, weekly ? "Your weekly digest from Gränslös" : "Your daily digest from Gränslös"));
    if (dry) {
        fprintf(out, "%s digest %s to %s (%s, %s): %d items, %d news\n%s\n", period, key, email, lang, tz, items, nn, m.text.data);
        db_rollback(db);
        return 1;
    }
    s = db_prep(db, "INSERT INTO notify_digests (user_id, period, period_key, items, news, created_at) VALUES (:u, :p, :k, :i, :n, :now) "
                    "ON CONFLICT DO NOTHING");
    db_binds(s, DB_INT(":u", uid), DB_TEXT(":p", period), DB_TEXT(":k", key), DB_INT(":i", items), DB_INT(":n", nn),
                DB_TEXT(":now", now_utc(a)));
    bool ok = db_run(s) && db_changes(db) == 1;
    int64_t did = ok ? db_last_id(db) : 0;
    int64_t mid = ok && !mail_suppressed(db, email) ? mail_queue_full(db, email, subject, m.text.data, m.html.data,
                                                                         notify_mail_headers(db, a, uid, "all", from)) : 0;
    if (ok) {
        s = db_prep(db, "UPDATE notify_digests SET mail_id = :m WHERE id = :d");
        db_bind_id(s, ":m", mid);
        db_bind_int(s, ":d", did);
        ok = db_run(s);
    }
    if (ok) {
        s = db_prep(db, "UPDATE notify_items SET mail_status = 'digest', digest_id = :d WHERE user_id = :u AND mail_status = 'pending' AND mode = :p");
        db_bind_int(s, ":d", did);
        db_bind_int(s, ":u", uid);
        db_bind_text(s, ":p", period);
        ok = db_run(s);
    }
    if (!ok || !db_commit(db)) { db_rollback(db); return ok ? -1 : 0; }
    return 1;
}

static const char *g_from = "granslos@localhost";
static int digests_run(db_t *db, time_t now, bool dry_run, FILE *out);

struct cand { int64_t uid; bool weekly; };
static int cand_cmp(const void *x, const void *y) {
    const struct cand *p = x, *q = y;
    if (p->uid != q->uid) return p->uid < q->uid ? -1 : 1;
    return (int)p->weekly - (int)q->weekly;
}

/* ---- the domain modules' time-based jobs (notify_job_add) ---- */

static notify_job_fn g_jobs[8];   /* set at start-up, before any thread runs */

void notify_job_add(notify_job_fn fn) {
    for (size_t i = 0; i < sizeof g_jobs / sizeof *g_jobs; i++) {
        if (g_jobs[i] == fn) return;
        if (!g_jobs[i]) { g_jobs[i] = fn; return; }
    }
    log_msg("notify: too many jobs");
}

/* jobs_run: from the digest hour on (Swedish time), each job with today's date; they record what
 * they did, so the later runs of the day do nothing */
static void jobs_run(db_t *db, time_t now) {
    char loc[32];
    utc_to_local(now, "Europe/Stockholm", loc, sizeof loc);
    if (atoi(loc + 11) < digest_hour()) return;
    char today[11];
    snprintf(today, sizeof today, "%.10s", loc);
    for (size_t i = 0; i < sizeof g_jobs / sizeof *g_jobs && g_jobs[i]; i++)
        if (!g_jobs[i](db, now, today)) log_msg("notify: a daily job failed; it is tried again at the next run");
}

/* DIGEST_LEASE: the term of the digest run's lease (db_lease): one node (or `granslos digest`)
 * makes the digests and daily jobs at a time; a run at 100 000 organisations takes about 95 s
 * (docs/performance.md), so a node that dies in a run frees it well after any run would end */
#define DIGEST_LEASE 900

int notify_digest_run(db_t *db, time_t now, bool dry_run, FILE *out) {
    if (!dry_run) {
        if (!db_lease(db, "digest", DIGEST_LEASE)) return 0;   /* another node is making them */
        notify_searches_catch_up(db);   /* saved searches: what other processes made (searches.c) */
    }
    /* a dry run does the jobs too, so that their items show, inside a transaction undone at the end */
    if (dry_run && !db_begin(db)) return -1;
    jobs_run(db, now);
    int made = digests_run(db, now, dry_run, out);
    if (dry_run) db_rollback(db);
    else db_lease_release(db, "digest");
    return made;
}

static int digests_run(db_t *db, time_t now, bool dry_run, FILE *out) {
    arena_t *a = arena_new();
    /* everyone with waiting digest items, and (weekly) every member of an organisation */
    stmt_t *s = db_prep(db, "SELECT DISTINCT user_id, mode FROM notify_items WHERE mail_status = 'pending' AND mode IN ('daily','weekly') "
                            "ORDER BY user_id");
    struct cand *c = NULL;
    size_t n = 0, cap = 0;
    while (db_step(s)) {
        if (n == cap) c = xrealloc(c, (cap = cap ? 2 * cap : 256) * sizeof *c);
        c[n++] = (struct cand){db_int(s, 0), streq(db_text(s, 1), "weekly")};
    }
    db_reset(s);
    /* weekly: every member of an organisation may have news from the other side */
    size_t nm = 0;
    int64_t *members = org_member_users(db, &nm);
    for (size_t i = 0; i < nm; i++) {
        if (n == cap) c = xrealloc(c, (cap = cap ? 2 * cap : 256) * sizeof *c);
        c[n++] = (struct cand){members[i], true};
    }
    free(members);
    if (n) qsort(c, n, sizeof *c, cand_cmp);
    size_t u = 0;
    for (size_t i = 0; i < n; i++) if (!u || c[u - 1].uid != c[i].uid || c[u - 1].weekly != c[i].weekly) c[u++] = c[i];
    n = u;
    const char *crash = getenv("GRANSLOS_DIGEST_CRASH_AFTER");   /* tests: die like kill -9 after N digests */
    long long crash_after = -1, v;
    if (crash && parse_int(crash, 0, 1 << 30, &v)) crash_after = v;
    int made = 0;
    news_map_t map = {0};
    for (size_t i = 0; i < n; i++) {
        arena_t *ua = arena_new();
        int r = digest_one(db, ua, c[i].uid, c[i].weekly ? "weekly" : "daily", now, dry_run, out, g_from, &map, a);
        arena_free(ua);
        if (r < 0) { made = -1; break; }
        made += r;
        if (r && crash_after >= 0 && made >= crash_after) raise(SIGKILL);
    }
    free(c);
    free(map.h);
    arena_free(a);
    return made;
}

void notify_digest_from(const char *from) { if (from && *from) g_from = from; }

int notify_digest_main(int argc, char **argv) {
    static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'}, {"at", required_argument, NULL, 'a'},
                                         {"db", required_argument, NULL, 'd'}, {"mail-from", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    bool dry = false;
    time_t now = time(NULL);
    const char *path = getenv("GRANSLOS_DB");
    if (!path) path = "var/granslos.db";
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'n') dry = true;
        else if (c == 'a') {
            if (!parse_utc(optarg, &now)) { fprintf(stderr, "digest: --at wants YYYY-MM-DDTHH:MM:SSZ\n"); return 2; }
        } else if (c == 'd') path = optarg;
        else if (c == 'f') notify_digest_from(optarg);
        else { fprintf(stderr, "usage: granslos digest [--dry-run] [--at YYYY-MM-DDTHH:MM:SSZ] [--db PATH] [--mail-from ADDR]\n"); return 2; }
    }
    /* the matching of "news from the other side" asks the search index */
    if (!db_global_init(path)) return 1;
    db_t *db = db_get();
    org_index_all(db);
    int n = notify_digest_run(db, now, dry, stdout);
    db_global_close();
    if (n < 0) return 1;
    printf("%d digest%s %s\n", n, n == 1 ? "" : "s", dry ? "would be sent" : "queued");
    return 0;
}

/* ---- admin ---- */

void notify_admin_section(req_t *r) {
    db_t *db = db_get();
    json_t *m = api_own(r, mail_admin_json(db));
    stmt_t *s = db_prep(db, "SELECT mail_status, count(*) FROM notify_items WHERE mail_status IN ('pending','failed') GROUP BY mail_status");
    long long pend = 0, failed = 0;
    while (db_step(s)) {
        if (streq(db_text(s, 0), "pending")) pend = db_int(s, 1);
        else failed = db_int(s, 1);
    }
    s = db_prep(db, "SELECT count(*) FROM notify_digests");
    long long digests = db_int_of(s, 0);
    bprintf(&r->out, "<section><h2>%h</h2><dl class=\"facts\">", T(r, "Mail queue"));
    bprintf(&r->out, "<dt>%h</dt><dd>%lld</dd><dt>%h</dt><dd>%lld</dd><dt>%h</dt><dd>%lld</dd><dt>%h</dt><dd>%lld</dd><dt>%h</dt><dd>%lld</dd></dl>",
            T(r, "Notifications waiting"), pend, T(r, "Notifications that failed"), failed, T(r, "Digests made"), digests,
            T(r, "Messages waiting"), (long long)json_integer_value(json_object_get(m, "pending")), T(r, "Messages that failed"),
            (long long)json_integer_value(json_object_get(m, "failed")));
    json_t *fl = json_object_get(m, "failures"), *x;
    size_t i;
    if (json_array_size(fl)) {
        bprintf(&r->out, "<table><caption>%h</caption><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                         "<th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Failures"), T(r, "To"), T(r, "Attempts"), T(r, "Status"), T(r, "Error"));
        json_array_foreach(fl, i, x)
            bprintf(&r->out, "<tr><td>%h</td><td>%lld</td><td>%h</td><td>%h</td></tr>", jstr(x, "to"),
                    (long long)json_integer_value(json_object_get(x, "attempts")), jstr(x, "status"), jstr(x, "error"));
        buf_puts(&r->out, "</tbody></table>");
    }
    json_t *b = json_object_get(m, "bounced");
    if (json_array_size(b)) {
        bprintf(&r->out, "<h3>%h</h3><ul>", T(r, "Addresses that bounce"));
        json_array_foreach(b, i, x)
            bprintf(&r->out, "<li>%h: %lld%s</li>", jstr(x, "addr"), (long long)json_integer_value(json_object_get(x, "failures")),
                    json_is_true(json_object_get(x, "suppressed")) ? " ✕" : "");
        buf_puts(&r->out, "</ul>");
    }
    buf_puts(&r->out, "</section>");
}
