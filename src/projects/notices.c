/* What a project tells its people (issue 14), through notify_emit once the change is stored:
 * notify/ decides how each reader hears it (inbox, mail at once or in a digest, never).
 *
 * - a partner invited: the invited organisation's administrators ("project-invited");
 * - an invitation answered: the administrators of the lead partners (of every confirmed partner
 *   while there is no lead), of the inviting organisation and the project's creator
 *   ("project-accepted", "project-declined");
 * - a comment on a section, a section marked ready: the project's members — every member of a
 *   confirmed partner organisation, and its creator ("project-comment", "project-ready");
 * - a new status: the project's members and its followers ("project-status"; a submission is
 *   "project-submitted", with the version that was frozen);
 * - a deadline coming up: the project's members, once per deadline, N days before
 *   (GRANSLOS_DEADLINE_REMINDER_DAYS, default 7), by the daily job notify/ runs before the
 *   digests ("project-deadline"; project_reminders, 083_project_reminders.sql, records each).
 * Whoever did it is never told of it. Saves go through the pipeline (create, PATCH, the pages,
 * the partner API): proj_write notes what changed (proj_notice_note), the after-save hook tells
 * it once the save has committed. */
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "org/org.h"
#include "projects/projects.h"

const char *proj_label(db_t *db, arena_t *a, int64_t id, const char *lang) {
    stmt_t *s = db_prep(db, "SELECT acronym, title_sv, title_nb, title_en FROM projects WHERE id = :id");
    db_bind_int(s, ":id", id);
    const char *out = NULL;
    if (db_step(s)) {
        int col = streq(lang, "nb") ? 2 : streq(lang, "en") ? 3 : 1;
        const char *t = db_text(s, col);
        for (int c = 1; (!t || !*t) && c <= 3; c++) t = db_text(s, c);
        out = t && *t ? aprintf_text(a, "%s – %s", db_text(s, 0), t) : arena_strdup(a, db_text(s, 0));
    }
    db_reset(s);
    return out;
}

/* ---- the audiences ---- */

typedef struct people {
    int64_t orgs[PROJ_MAX_PARTNERS + 1];
    int n;
    int64_t creator;
} people_t;

static int64_t creator_of(db_t *db, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT created_by FROM projects WHERE id = :id AND created_by IS NOT NULL");
    return db_int_for(s, ":id", id);
}

/* members: the confirmed partner organisations (all their members hear) and the creator */
static void members(db_t *db, int64_t id, people_t *p) {
    p->n = proj_confirmed_orgs(db, id, false, p->orgs, PROJ_MAX_PARTNERS);
    p->creator = creator_of(db, id);
}

static bool tell(db_t *db, const char *kind, int64_t id, const people_t *p, bool all_members, bool followers, int64_t except,
                 const char *detail) {
    notify_audience_t aud = {.user = p->creator, .orgs = p->orgs, .n_orgs = p->n, .members = all_members, .followers = followers, .except = except};
    return notify_emit(db, kind, "project", id, aud, detail);
}

/* ---- what a save changed: noted inside the transaction, told after its commit ---- */

static __thread struct pending {
    int64_t id, user;        /* id 0: nothing to tell */
    char from[32], to[32];   /* the status before and after ("" for a new project) */
    int version;
    bool submitted;          /* the save recorded a submission */
    int n;
    int64_t invited[PROJ_MAX_PARTNERS];
} g_pending;

static bool invited_in(json_t *partners, int64_t org) {
    size_t i;
    json_t *x;
    json_array_foreach(partners, i, x)
        if (json_integer_value(json_object_get(x, "organisation")) == org && streq(jstr(x, "state"), "invited")) return true;
    return false;
}

void proj_notice_note(int64_t id, json_t *d, json_t *old, int version, int64_t user_id) {
    struct pending *p = &g_pending;
    memset(p, 0, sizeof *p);
    p->id = id;
    p->user = user_id;
    p->version = version;
    snprintf(p->from, sizeof p->from, "%s", old ? jstr(old, "status") ? jstr(old, "status") : "" : "");
    snprintf(p->to, sizeof p->to, "%s", jstr(d, "status") ? jstr(d, "status") : "");
    p->submitted = streq(p->to, "submitted") && !streq(p->from, "submitted");
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(d, "partners"), i, x) {
        int64_t org = json_integer_value(json_object_get(x, "organisation"));
        if (streq(jstr(x, "state"), "invited") && !invited_in(json_object_get(old, "partners"), org) && p->n < PROJ_MAX_PARTNERS)
            p->invited[p->n++] = org;
    }
}

static void saved(db_t *db, const doc_kind_t *k, int64_t id, json_t *doc) {
    (void)k, (void)doc;
    struct pending p = g_pending;
    memset(&g_pending, 0, sizeof g_pending);
    if (!p.id || p.id != id) return;
    arena_t *a = arena_new();
    bool ok = true;
    for (int i = 0; ok && i < p.n; i++)
        ok = notify_emit(db, "project-invited", "project", id, (notify_audience_t){.org_admins = p.invited[i], .except = p.user},
                         org_name(db, a, p.invited[i]));
    if (ok && *p.from && !streq(p.from, p.to)) {
        people_t m;
        members(db, id, &m);
        ok = p.submitted ? tell(db, "project-submitted", id, &m, true, true, p.user, aprintf_text(a, "%d", p.version))
                         : tell(db, "project-status", id, &m, true, true, p.user, p.to);
    }
    if (!ok) log_msg("projects: the notifications of project %lld could not be stored", (long long)id);
    arena_free(a);
}

/* ---- answers, comments, ready marks (their functions call these after storing) ---- */

bool proj_notice_answer(db_t *db, arena_t *a, int64_t id, int64_t org, int64_t inviter, const user_t *u, bool accept) {
    people_t p = {.creator = creator_of(db, id)};
    p.n = proj_confirmed_orgs(db, id, true, p.orgs, PROJ_MAX_PARTNERS);
    if (!p.n) p.n = proj_confirmed_orgs(db, id, false, p.orgs, PROJ_MAX_PARTNERS);
    /* the answering organisation knows its answer */
    for (int i = 0; i < p.n; i++) if (p.orgs[i] == org) p.orgs[i--] = p.orgs[--p.n];
    if (inviter && inviter != org) p.orgs[p.n++] = inviter;
    return tell(db, accept ? "project-accepted" : "project-declined", id, &p, false, false, u->id, org_name(db, a, org));
}

bool proj_notice_section(db_t *db, int64_t id, const char *kind, const char *section, const user_t *u) {
    arena_t *a = arena_new();
    people_t p;
    members(db, id, &p);
    bool ok = tell(db, kind, id, &p, true, false, u->id, aprintf_text(a, "%s\t%s", section, u->name ? u->name : ""));
    arena_free(a);
    return ok;
}

/* ---- deadlines coming up: the daily job ---- */

static int reminder_days(void) {
    const char *v = getenv("GRANSLOS_DEADLINE_REMINDER_DAYS");
    long long d;
    return v && parse_int(v, 0, 365, &d) ? (int)d : 7;
}

static bool remind_deadlines(db_t *db, time_t now, const char *today) {
    (void)now;
    char iso[32], until[16];
    time_t t;
    snprintf(iso, sizeof iso, "%.10sT12:00:00Z", today);
    if (!parse_utc(iso, &t)) return false;
    t += (time_t)reminder_days() * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(until, sizeof until, "%Y-%m-%d", &tm);
    arena_t *a = arena_new();
    stmt_t *s = db_prep(db, "SELECT d.project_id, d.date, d.title FROM project_deadlines d JOIN projects p ON p.id = d.project_id "
                            "WHERE d.date >= :today AND d.date <= :until AND p.status NOT IN ('withdrawn','closed') "
                            "AND NOT EXISTS (SELECT 1 FROM project_reminders r WHERE r.project_id = d.project_id AND r.date = d.date AND r.title = d.title) "
                            "ORDER BY d.date, d.project_id LIMIT 500");
    db_bind_text(s, ":today", today);
    db_bind_text(s, ":until", until);
    struct due { int64_t id; const char *date, *title; } *due = arena_alloc(a, sizeof *due * 500);
    int n = 0;
    while (n < 500 && db_step(s)) due[n++] = (struct due){db_int(s, 0), db_text_dup(s, 1, a), db_text_dup(s, 2, a)};
    bool ok = db_ok(s);
    db_reset(s);
    /* each reminder is recorded in the transaction that stores its notifications: once, never lost */
    for (int i = 0; ok && i < n; i++) {
        if (!db_begin(db)) { ok = false; break; }
        s = db_prep(db, "INSERT INTO project_reminders (project_id, date, title, reminded_at) VALUES (:p, :d, :t, :now) ON CONFLICT DO NOTHING");
        db_binds(s, DB_INT(":p", due[i].id), DB_TEXT(":d", due[i].date), DB_TEXT(":t", due[i].title), DB_TEXT(":now", now_utc(a)));
        people_t p;
        ok = db_run(s);
        if (ok && db_changes(db) == 1) {
            members(db, due[i].id, &p);
            ok = tell(db, "project-deadline", due[i].id, &p, true, false, 0, aprintf_text(a, "%s\t%s", due[i].date, due[i].title));
        }
        if (!ok || !db_commit(db)) { db_rollback(db); ok = false; }
    }
    arena_free(a);
    return ok;
}

void proj_notices_init(void) {
    if (!doc_subscribed(&proj_kind, saved)) doc_subscribe(&proj_kind, saved);
    notify_job_add(remind_deadlines);
}
