/* notify/'s own shared pieces between notify.c, digest.c and pages.c (not for other modules). */
#ifndef NOTIFY_INTERNAL_H
#define NOTIFY_INTERNAL_H
#include "core/buf.h"
#include "notify/notify.h"

extern const char *const notify_groups[];   /* invitations, answers, registrations, follows, matches, obstacles, project-… */
extern const char *const notify_modes[];    /* immediately, daily, weekly, never */
const char *notify_group_of(const char *kind);
const char *notify_kind_text(const char *kind, const char *lang);
const char *notify_group_label(const char *group, const char *lang);   /* the preference's label, the digest section's heading */
/* An item as a reader sees it (notify_item_view, arena strings): the text, the detail or NULL, the link. */
typedef struct notify_view { const char *text, *detail, *url; } notify_view_t;
void notify_item_view(db_t *db, arena_t *a, const char *kind, const char *subject, int64_t sid, const char *detail, const char *lang,
                      notify_view_t *v);
bool notify_mode_valid(const char *m);
const char *notify_timezone(db_t *db, int64_t uid, const char *lang);
bool notify_set_timezone(db_t *db, int64_t uid, const char *tz);   /* Europe/Stockholm or Europe/Oslo */
bool notify_group_valid(const char *g);
const char *notify_mode(db_t *db, int64_t uid, const char *group);
bool notify_set_mode(db_t *db, int64_t uid, const char *group, const char *mode);
const char *notify_subject_title(db_t *db, arena_t *a, const char *subject, int64_t id, const char *lang);
const char *notify_subject_url(arena_t *a, const char *subject, int64_t id);
bool notify_mark_read(db_t *db, arena_t *a, int64_t uid, int64_t only_id);
bool notify_target_valid(const char *t);
bool notify_following(db_t *db, int64_t uid, const char *target, const char *key);
bool notify_set_follow(db_t *db, arena_t *a, int64_t uid, const char *target, const char *key, bool on);
json_t *notify_follows_json(db_t *db, int64_t uid);
bool notify_token_ok(db_t *db, arena_t *a, int64_t uid, const char *group, const char *token);
const char *notify_public_url(void);
const char *notify_unsubscribe_url(db_t *db, arena_t *a, int64_t uid, const char *group);
const char *notify_mail_headers(db_t *db, arena_t *a, int64_t uid, const char *group, const char *from);
bool notify_unsubscribe(db_t *db, arena_t *a, int64_t uid, const char *group);

/* saved searches (searches.c): a saved item of scope ("org") told to the searches it newly
 * matches; the follows API's target "search" */
void notify_searches_saved(db_t *db, const char *scope, int64_t id);
void notify_searches_catch_up(db_t *db);   /* items made by other processes since the last look */
bool notify_search_query_ok(const char *query);
int64_t notify_search_add(db_t *db, arena_t *a, int64_t uid, const char *query, const char *name);
bool notify_search_follow(db_t *db, arena_t *a, int64_t uid, const char *query, bool on, const char *lang);

bool notify_news_mark(db_t *db, const char *period_key, int64_t to_id);

/* A mail being written: the plain text and the HTML alternative side by side (digest.c). */
typedef struct notify_mail {
    db_t *db;
    arena_t *a;
    int64_t uid;
    const char *lang, *group;
    buf_t text, html;
} notify_mail_t;
void notify_mail_begin(notify_mail_t *m, db_t *db, arena_t *a, int64_t uid, const char *lang, const char *group);
void notify_mail_section(notify_mail_t *m, const char *heading);
void notify_mail_item(notify_mail_t *m, const char *text, const char *detail, const char *path);
void notify_mail_end(notify_mail_t *m);
#endif
