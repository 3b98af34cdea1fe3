/* THE personal-data registry: every module that keeps something about a user, with how to export
 * it and how to forget it (account/data.c runs them for the export and the account deletion).
 * A module that starts keeping personal data adds its row here. */
#include "account/account.h"
#include "account/auth.h"
#include "core/arena.h"
#include "doc/doc.h"
#include "events/events.h"
#include "notify/notify.h"
#include "obstacles/obstacles.h"
#include "org/org.h"
#include "projects/projects.h"
#include "roundtables/roundtables.h"

/* account: the access it keeps (sessions with their addresses, tokens, known devices, pending
 * e-mailed links); the users row, sessions and tokens themselves are account_delete's */
static json_t *access_export(db_t *db, int64_t uid) {
    arena_t *a = arena_new();
    json_t *j = json_pack("{s:o}", "access", account_security_data(db, a, uid));   /* json_pack copies the strings */
    arena_free(a);
    return j;
}
static bool access_forget(db_t *db, arena_t *a, int64_t uid) { (void)a; return account_forget_security(db, uid); }
static bool org_forget(db_t *db, arena_t *a, int64_t uid) { (void)a; return org_forget_user(db, uid); }
static bool obs_forget(db_t *db, arena_t *a, int64_t uid) { (void)a; return obs_forget_user(db, uid); }
static bool rt_forget(db_t *db, arena_t *a, int64_t uid) { (void)a; return rt_forget_user(db, uid); }

/* doc_export: every version of every document the user saved (organisations, events, obstacles) */
static json_t *doc_export(db_t *db, int64_t uid) { return json_pack("{s:o}", "document_versions", doc_user_versions(db, uid)); }

const personal_data_t personal_data[] = {
    {"account", access_export, access_forget},
    {"org", org_personal_data, org_forget},
    {"obstacles", obs_personal_data, obs_forget},
    {"events", event_personal_data, event_forget_user},
    {"roundtables", rt_personal_data, rt_forget},
    {"projects", proj_personal_data, proj_forget},   /* projects started stay, pointing at the (now anonymous) user row */
    {"notify", notify_personal_data, notify_forget_user},
    {"doc", doc_export, NULL},   /* versions keep pointing at the (now anonymous) user row */
    {NULL, NULL, NULL},
};
