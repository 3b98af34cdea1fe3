/* Writing an application together: the sections of the form (which fields each holds, who
 * edits it), the history of a section (the pipeline's versions that changed its fields),
 * comments on a section, the "ready" mark (at a version: a later change of the section shows),
 * the versions that were submitted (frozen: their snapshots stay readable) and the deadlines
 * the shared calendar shows. Tables of 063_project_sections.sql. */
#include <string.h>
#include "account/account.h"
#include "core/util.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "projects/projects.h"

static const char *const f_ident[] = {"acronym", "title", "summary", "themes", "programme", "objective", "type", "start",
                                      "duration_months", "period_months", "status", "submission_month", "origin", NULL};
static const char *const f_partners[] = {"partners", "sought", NULL};
static const char *const f_desc[] = {"cross_border", "cross_border_justification", NULL};
static const char *const f_plan[] = {"work_plan", "indicators", NULL};
static const char *const f_budget[] = {"budget", NULL};
static const char *const f_dates[] = {"deadlines", NULL};

/* in the order of the application form: A identification, B partners, C description and work
 * plan, D budget (E, the lump sums, is part of the budget's document), and the deadlines */
const proj_section_t proj_sections[PROJ_NSECTIONS] = {
    {"identification", "A", N_("Project identification"), f_ident, true},
    {"partners", "B", N_("Partners"), f_partners, true},
    {"description", "C", N_("Description and cross-border value"), f_desc, false},
    {"work-plan", "C", N_("Work plan, outputs and results"), f_plan, false},
    {"budget", "D–E", N_("Budget and lump sums"), f_budget, false},
    {"deadlines", "", N_("Deadlines"), f_dates, false},
};

const proj_section_t *proj_section(const char *slug) {
    for (int i = 0; slug && i < PROJ_NSECTIONS; i++) if (!strcmp(proj_sections[i].slug, slug)) return &proj_sections[i];
    return NULL;
}

const proj_section_t *proj_section_of(const char *field) {
    for (int i = 0; field && i < PROJ_NSECTIONS; i++)
        for (const char *const *f = proj_sections[i].fields; *f; f++) if (!strcmp(*f, field)) return &proj_sections[i];
    return NULL;
}

bool proj_may_edit_section(db_t *db, const user_t *u, int64_t id, const proj_section_t *s) {
    if (!proj_may_edit(db, u, id)) return false;
    if (!s->lead || u->is_admin || proj_started_by(db, u, id)) return true;
    int64_t leads[2];
    int n = proj_confirmed_orgs(db, id, true, leads, 2);
    return !n || proj_member_of(db, u, leads, n);   /* no lead partner yet: every partner's member writes the first draft */
}

static bool touches(const proj_section_t *s, json_t *changes) {
    for (const char *const *f = s->fields; *f; f++) if (json_object_get(changes, *f)) return true;
    return false;
}

json_t *proj_section_history(db_t *db, int64_t id, const proj_section_t *s) {
    json_t *all = doc_history(&proj_kind, db, id), *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(all, i, x) if (touches(s, json_object_get(x, "changes"))) json_array_append(out, x);
    json_decref(all);
    return out;
}

int64_t proj_comment_add(db_t *db, int64_t id, const proj_section_t *s, const user_t *u, const char *body, const char **error) {
    arena_t *a = arena_new();
    char *t = trim(a, body ? body : "");
    int64_t cid = 0;
    *error = NULL;
    if (!*t) *error = N_("Write the comment first.");
    else if (utf8_len(t) > 4000) *error = N_("A comment has at most 4000 characters.");
    else if (!check_text(t, false)) *error = N_("This text contains control characters.");
    else {
        stmt_t *q = db_prep(db, "INSERT INTO project_comments (project_id, section, user_id, body, created_at) VALUES (:p, :s, :u, :b, :now)");
        db_bind_int(q, ":p", id);
        db_bind_text(q, ":s", s->slug);
        db_bind_int(q, ":u", u->id);
        db_bind_text(q, ":b", t);
        db_bind_text(q, ":now", now_utc(a));
        if (db_run(q)) cid = db_last_id(db);
        else *error = N_("The comment could not be saved.");
        /* stored (one statement, committed): the project's members hear of it (notices.c) */
        if (cid && !proj_notice_section(db, id, "project-comment", s->slug, u)) log_msg("projects: comment %lld could not be told", (long long)cid);
    }
    arena_free(a);
    return cid;
}

/* with_user: replace the "user" id member of every row by {id, name} (or null: a deleted account) */
static json_t *with_user(db_t *db, json_t *rows) {
    arena_t *a = arena_new();
    size_t i;
    json_t *x;
    json_array_foreach(rows, i, x) {
        json_t *uid = json_object_get(x, "user");
        const char *email, *lang, *name;
        if (json_is_integer(uid) && account_contact(db, a, json_integer_value(uid), &email, &lang, &name))
            json_object_set_new(x, "user", json_pack("{s:I, s:s}", "id", json_integer_value(uid), "name", name ? name : ""));
        else
            json_object_set_new(x, "user", json_null());
    }
    arena_free(a);
    return rows;
}

json_t *proj_comments(db_t *db, int64_t id, const char *section) {
    stmt_t *q = db_prep(db, "SELECT id, created_at, body, user_id FROM project_comments WHERE project_id = :p AND section = :s ORDER BY id LIMIT 500");
    db_bind_int(q, ":p", id);
    db_bind_text(q, ":s", section);
    return with_user(db, doc_rows(q, "id,at,body,user"));
}

bool proj_ready_set(db_t *db, int64_t id, const proj_section_t *s, const user_t *u, bool ready) {
    arena_t *a = arena_new();
    stmt_t *q;
    if (ready) {
        q = db_prep(db, "INSERT INTO project_ready (project_id, section, user_id, version, at) VALUES (:p, :s, :u, :v, :now) "
                        "ON CONFLICT (project_id, section) DO UPDATE SET user_id = excluded.user_id, version = excluded.version, at = excluded.at");
        db_bind_int(q, ":u", u->id);
        db_bind_int(q, ":v", doc_version(&proj_kind, db, id));
        db_bind_text(q, ":now", now_utc(a));
    } else {
        q = db_prep(db, "DELETE FROM project_ready WHERE project_id = :p AND section = :s");
    }
    db_bind_int(q, ":p", id);
    db_bind_text(q, ":s", s->slug);
    bool ok = db_run(q);
    arena_free(a);
    if (ok && ready && !proj_notice_section(db, id, "project-ready", s->slug, u)) log_msg("projects: a ready mark could not be told");
    return ok;
}

json_t *proj_sections_state(db_t *db, arena_t *a, int64_t id, const char *lang) {
    (void)a;
    json_t *out = json_array(), *hist = doc_history(&proj_kind, db, id);
    for (int k = 0; k < PROJ_NSECTIONS; k++) {
        const proj_section_t *s = &proj_sections[k];
        /* the newest version that changed the section (the history is newest first) */
        int64_t changed = 0;
        size_t i;
        json_t *x;
        json_array_foreach(hist, i, x)
            if (touches(s, json_object_get(x, "changes"))) { changed = json_integer_value(json_object_get(x, "version")); break; }
        stmt_t *q = db_prep(db, "SELECT version, at, user_id FROM project_ready WHERE project_id = :p AND section = :s");
        db_bind_int(q, ":p", id);
        db_bind_text(q, ":s", s->slug);
        json_t *rows = with_user(db, doc_rows(q, "version,at,user")), *ready = json_array_size(rows) ? json_incref(json_array_get(rows, 0)) : NULL;
        json_decref(rows);
        q = db_prep(db, "SELECT count(*) FROM project_comments WHERE project_id = :p AND section = :s");
        db_bind_int(q, ":p", id);
        db_bind_text(q, ":s", s->slug);
        int64_t ncom = db_int_of(q, 0);
        int64_t rv = json_integer_value(json_object_get(ready, "version"));
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b, s:o, s:b, s:I, s:I}", "section", s->slug, "letter", s->letter, "label", tr(lang, s->label),
                                             "ready", ready != NULL, "ready_mark", ready ? ready : json_null(), "changed_since_ready",
                                             ready && changed > rv, "comments", (json_int_t)ncom, "changed_version", (json_int_t)changed));
    }
    json_decref(hist);
    return out;
}

json_t *proj_submissions(db_t *db, int64_t id) {
    stmt_t *q = db_prep(db, "SELECT version, submitted_at, user_id FROM project_submissions WHERE project_id = :p ORDER BY version DESC");
    db_bind_int(q, ":p", id);
    return with_user(db, doc_rows(q, "version,at,user"));
}

json_t *proj_submitted(db_t *db, int64_t id, int version, const char **at) {
    stmt_t *q = db_prep(db, "SELECT submitted_at FROM project_submissions WHERE project_id = :p AND version = :v");
    db_bind_int(q, ":p", id);
    db_bind_int(q, ":v", version);
    static __thread char when[32];
    bool have = db_step(q);
    if (have) snprintf(when, sizeof when, "%s", db_text(q, 0));
    db_reset(q);
    if (!have) return NULL;
    *at = when;
    int got;
    return doc_snapshot(&proj_kind, db, id, version, &got);
}

json_t *proj_deadlines_between(db_t *db, const char *from, const char *to, int64_t org) {
    stmt_t *q = db_prep(db, "SELECT d.project_id, p.acronym, d.title, d.date, d.pos, p.updated_at FROM project_deadlines d JOIN projects p ON p.id = d.project_id "
                            "WHERE d.date >= :from AND d.date <= :to AND p.status NOT IN ('withdrawn','closed') "
                            "AND (:org = 0 OR EXISTS (SELECT 1 FROM project_partners pp WHERE pp.project_id = p.id AND pp.org_id = :org AND pp.state = 'confirmed')) "
                            "ORDER BY d.date, p.acronym LIMIT 200");
    db_binds(q, DB_TEXT(":from", from), DB_TEXT(":to", to), DB_INT(":org", org));
    return doc_rows(q, "project,acronym,title,date,pos,updated_at");
}

/* proj_sections_write: the child rows of a save (called by proj_write inside the pipeline's
 * transaction): the deadlines, and the submission when the status has just become "submitted". */
bool proj_sections_write(db_t *db, arena_t *a, int64_t id, json_t *d, json_t *old, int version, int64_t user_id) {
    /* the deadlines (their old rows went with the other child rows, proj_write) */
    stmt_t *q = db_prep(db, "INSERT INTO project_deadlines (project_id, pos, date, title) "
                            "SELECT CAST(:id AS BIGINT), key, json_extract(value, '$.date'), json_extract(value, '$.title') FROM json_each(:list)");
    if (!proj_run_json(q, id, json_object_get(d, "deadlines"))) return false;
    if (!streq(jstr(d, "status"), "submitted") || streq(jstr(old, "status"), "submitted")) return true;
    q = db_prep(db, "INSERT INTO project_submissions (project_id, version, submitted_at, user_id) VALUES (:p, :v, :now, :u)");
    db_bind_int(q, ":p", id);
    db_bind_int(q, ":v", version);
    db_bind_text(q, ":now", now_utc(a));
    db_bind_id(q, ":u", user_id);
    return db_run(q);
}
