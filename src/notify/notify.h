/* The platform's notification system (issue 14): one emit function that domain modules call, the
 * inbox, following, preferences per kind, immediate mail, daily and weekly digests (with "news from
 * the other side"), signed one-click unsubscribe links.
 *
 * Owns the tables notify_items, notify_follows, notify_prefs, notify_settings, notify_digests,
 * notify_news_seen, notify_news_runs and notify_key (migration 080), notify_searches and
 * notify_search_hits (081); 082 lets projects be followed. Mail goes only through mail/'s outbox or
 * mail_send_full; addresses come from account_contact. */
#ifndef NOTIFY_NOTIFY_H
#define NOTIFY_NOTIFY_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>
#include "db/db.h"
#include "http/http.h"

/* Who hears of it: a user, an organisation's administrators, the administrators (or every
 * member) of several organisations, the followers of the subject; never `except`, the user who
 * did it. Arrays are borrowed for the call. */
typedef struct notify_audience {
    int64_t user;          /* one user, or 0 */
    const int64_t *users;  /* several users (n_users) */
    int n_users;
    int64_t org_admins;    /* the administrators of this organisation, or 0 */
    bool followers;        /* whoever follows the subject */
    const int64_t *orgs;   /* several organisations (n_orgs): their administrators, or with */
    int n_orgs;
    bool members;          /*   members every member of them */
    int64_t except;        /* this user hears nothing of it (0: nobody left out) */
} notify_audience_t;

/* notify_emit: record `kind` (e.g. "invited", "join-request", "updated", "project-comment") about
 * subject ("event", "org", "obstacle", "series", "project") for the audience: an inbox item each,
 * mailed at once or in a digest as each user chose. Runs in a transaction of its own (a savepoint
 * inside the caller's). Returns false on a database error. The kinds, their preference group and
 * the shape of their detail are notify.c's table `kinds` (docs/notifications.md). */
bool notify_emit(db_t *db, const char *kind, const char *subject, int64_t subject_id, notify_audience_t aud, const char *detail);

/* notify_init: follow the saves of organisations, events and obstacles (doc_subscribe). */
void notify_init(void);

/* notify_items_json: [{id, kind, subject, subject_id, event?, title, text, url, detail, created_at, read}]
 * of a user, newest first (100); only subject `only` when not NULL; marks them read when mark. */
json_t *notify_items_json(db_t *db, arena_t *a, int64_t user_id, const char *lang, bool mark, const char *only);
int notify_unread(db_t *db, int64_t user_id);

/* notify_follow_button: a follow/unfollow POST form for target (org, theme, event, series,
 * obstacle, project, search) and key; nothing for visitors. */
void notify_follow_button(req_t *r, const char *target, const char *key);
/* notify_follow_id: the same for a row id (0 draws nothing). */
void notify_follow_id(req_t *r, const char *target, int64_t id);
/* notify_follow_search: "save this search and follow it" for the request's query string, on
 * the directory (notify_save_search with scope "org"). */
void notify_follow_search(req_t *r);
/* notify_save_search: the "save this search" form (or "saved", with a link to the list) for the
 * request's query string on a search page of scope ("org": /search and /organisations), when
 * the query has words or filters; nothing for visitors (searches.c). */
void notify_save_search(req_t *r, const char *scope);
/* notify_follow_theme: a follow button for the key area of the request's `theme` parameter, when
 * it names exactly one. */
void notify_follow_theme(req_t *r);

/* Delivery, for the sender thread (events/mail.c) and the command line. */
/* notify_deliver: mail the due immediate items (at most 20); returns the number handled. */
int notify_deliver(db_t *db, const char *url, const char *from, long retry_base);
/* notify_job_add: a time-based job of a domain module (e.g. the reminders of project deadlines),
 * run once a day-tick before the digests: at every digest run from the digest hour on (Swedish
 * time), with the local date YYYY-MM-DD; it records what it did itself, so a second run that day
 * emits nothing. In a dry run its work is rolled back with the rest. Process lifetime. */
typedef bool (*notify_job_fn)(db_t *db, time_t now, const char *today);
void notify_job_add(notify_job_fn fn);
/* notify_digest_run: make the digests due at `now` into the mail outbox (each recorded once);
 * with dry_run print them to out instead and change nothing. Returns the number made, -1 on error. */
int notify_digest_run(db_t *db, time_t now, bool dry_run, FILE *out);
/* notify_digest_main: `granslos digest [--dry-run] [--at YYYY-MM-DDTHH:MMZ] [--db PATH]` */
int notify_digest_main(int argc, char **argv);
/* notify_digest_from: the From address digests name in their mailto unsubscribe (process lifetime). */
void notify_digest_from(const char *from);

/* notify_bench_main: `granslos bench digest [--orgs N] [--seed S] [--keep-db PATH]` (bench.c) */
int notify_bench_main(int argc, char **argv);

/* personal data */
json_t *notify_personal_data(db_t *db, int64_t uid);
bool notify_forget_user(db_t *db, arena_t *a, int64_t uid);

/* admin: the queue and its failures */
void notify_admin_section(req_t *r);

/* handlers */
void notify_inbox_page(req_t *r);           /* GET /inbox */
void notify_inbox_read_post(req_t *r);      /* POST /inbox/read (and the old POST /notifications) */
void notify_notifications_redirect(req_t *r);   /* GET /notifications: 301 to /inbox */
void notify_follow_post(req_t *r);          /* POST /follow */
void notify_prefs_page(req_t *r);           /* GET /account/notifications */
void notify_prefs_post(req_t *r);           /* POST /account/notifications */
void notify_unsubscribe_page(req_t *r);     /* GET /unsubscribe */
void notify_unsubscribe_post(req_t *r);     /* POST /unsubscribe (RFC 8058 one-click, no session) */
void notify_api_prefs_get(req_t *r);        /* GET /api/v1/account/notifications */
void notify_api_prefs_put(req_t *r);        /* PUT /api/v1/account/notifications */
void notify_api_list(req_t *r);             /* GET /api/v1/notifications */
void notify_api_read(req_t *r);             /* POST /api/v1/notifications/read */
void notify_api_unread(req_t *r);           /* GET /api/v1/notifications/unread */
void notify_api_follows(req_t *r);          /* GET /api/v1/follows */
void notify_api_follow(req_t *r);           /* POST /api/v1/follows */
void notify_api_unfollow(req_t *r);         /* DELETE /api/v1/follows */
/* saved searches (searches.c) */
void notify_searches_page(req_t *r);        /* GET /account/searches */
void notify_search_create_post(req_t *r);   /* POST /account/searches */
void notify_search_update_post(req_t *r);   /* POST /account/searches/{id} (notify, name) */
void notify_search_delete_post(req_t *r);   /* POST /account/searches/{id}/delete */
void notify_api_searches(req_t *r);         /* GET /api/v1/account/searches */
void notify_api_search_create(req_t *r);    /* POST /api/v1/account/searches */
void notify_api_search_patch(req_t *r);     /* PATCH /api/v1/account/searches/{id} */
void notify_api_search_delete(req_t *r);    /* DELETE /api/v1/account/searches/{id} */
#endif
