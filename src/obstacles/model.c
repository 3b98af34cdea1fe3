/* Obstacles: load, validate, save with versions; the status workflow; affected organisations,
 * links, the desk role and the list query. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "obstacles/obstacles.h"
#include "org/org.h"
#include "ref/ref.h"

#define MAX_TITLE 200
#define MAX_TEXT 5000
#define MAX_SHORT 2000
#define MAX_REFS 10
#define MAX_REF_TITLE 300
#define MAX_URL 500
#define MAX_THEMES 10

const char *const obs_statuses[6] = {"reported", "analysis", "raised", "resolved", "not-obstacle", "closed"};
static const char *const status_labels[6] = {N_("Reported"), N_("Under analysis"), N_("Raised with the responsible authority"),
                                             N_("Resolved"), N_("Not an obstacle"), N_("Closed")};

/* The workflow: from each status, where it may go. An outcome can be reopened for analysis. */
static const struct { const char *from, *to[4]; } moves[] = {
    {"reported", {"analysis", "not-obstacle", "closed"}},
    {"analysis", {"raised", "resolved", "not-obstacle", "closed"}},
    {"raised", {"analysis", "resolved", "closed"}},
    {"resolved", {"analysis"}},
    {"not-obstacle", {"analysis"}},
    {"closed", {"analysis"}},
};

/* The editable fields, in the order versions list them. */
static const char *const fields[] = {"title", "description", "themes", "country", "rules_se", "references_se", "rules_no",
                                     "references_no", "consequences", "affected", "organisation", "lang", NULL};
/* Read-only fields a client may send back. */
static const char *const readonly[] = {"id", "status", "status_at", "version", "demo", "created_at", "updated_at", "reporter",
                                       "organisation_name", "affected_organisations", "links", "status_history", "versions",
                                       "url", NULL};

bool obs_status_valid(const char *s) {
    for (int i = 0; s && i < 6; i++) if (!strcmp(s, obs_statuses[i])) return true;
    return false;
}

const char *obs_status_label(const char *status, const char *lang) {
    for (int i = 0; i < 6; i++) if (streq(status, obs_statuses[i])) return tr(lang, status_labels[i]);
    return status ? status : "";
}

bool obs_move_allowed(const char *from, const char *to) {
    for (size_t i = 0; i < sizeof moves / sizeof *moves; i++)
        if (streq(moves[i].from, from))
            for (int k = 0; k < 4 && moves[i].to[k]; k++) if (streq(moves[i].to[k], to)) return true;
    return false;
}

static json_t *user_json(db_t *db, arena_t *a, stmt_t *s, int col) {
    if (db_is_null(s, col)) return json_null();
    int64_t uid = db_int(s, col);
    user_t *u = user_load(db, a, uid);
    return json_pack("{s:I, s:s, s:b}", "id", (json_int_t)uid, "name", u ? u->name : "", "deleted", u == NULL);
}

int64_t obs_demo_id(db_t *db, const char *key) {
    return db_int_for_text(db_prep(db, "SELECT id FROM obstacles WHERE demo_key = :k"), ":k", key);
}

bool obs_exists(db_t *db, int64_t id) {
    return db_exists_for(db_prep(db, "SELECT 1 FROM obstacles WHERE id = :id"), ":id", id);
}

static json_t *refs(db_t *db, int64_t id, const char *country) {
    stmt_t *s = db_prep(db, "SELECT title, url FROM obstacle_refs WHERE obstacle_id = :id AND country = :c ORDER BY pos");
    db_bind_int(s, ":id", id);
    db_bind_text(s, ":c", country);
    return doc_rows(s, "title,url");
}

json_t *obs_load(db_t *db, arena_t *a, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT title, description, country, rules_se, rules_no, consequences, affected, org_id, reporter_id, "
                            "status, status_at, demo_key IS NOT NULL, version, created_at, updated_at, lang FROM obstacles WHERE id = :id");
    json_t *o = doc_load_row(s, id);
    if (!o) return NULL;
    doc_row_into(s, 0, "title,description,country,rules_se,rules_no,consequences,affected,organisation", o);
    int64_t org = db_is_null(s, 7) ? 0 : db_int(s, 7);
    json_object_set_new(o, "reporter", user_json(db, a, s, 8));
    doc_row_into(s, 9, "status,status_at,demo?,version,created_at,updated_at,lang", o);
    json_object_set_new(o, "url", json_string(aprintf(a, "/obstacles/%lld", (long long)id)));
    db_reset(s);
    const char *on = org ? org_name(db, a, org) : NULL;
    json_object_set_new(o, "organisation_name", on ? json_string(on) : json_null());
    stmt_t *t = db_prep(db, "SELECT t.theme FROM obstacle_themes t JOIN themes h ON h.slug = t.theme WHERE t.obstacle_id = :id "
                            "ORDER BY h.pos, h.slug");
    db_bind_int(t, ":id", id);
    json_t *th = json_array();
    while (db_step(t)) json_array_append_new(th, json_string(db_text(t, 0)));
    json_object_set_new(o, "themes", th);
    json_object_set_new(o, "references_se", refs(db, id, "SE"));
    json_object_set_new(o, "references_no", refs(db, id, "NO"));
    /* organisations affected too, by name */
    stmt_t *f = db_prep(db, "SELECT org_id, at FROM obstacle_affected WHERE obstacle_id = :id ORDER BY at, org_id");
    db_bind_int(f, ":id", id);
    json_t *aff = json_array();
    int64_t ids[200];
    const char *ats[200];
    int nids = 0;
    while (db_step(f) && nids < 200) { ids[nids] = db_int(f, 0); ats[nids++] = db_text_dup(f, 1, a); }
    for (int i = 0; i < nids; i++) {
        const char *n = org_name(db, a, ids[i]);
        json_array_append_new(aff, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)ids[i], "name", n ? n : "", "since", ats[i]));
    }
    json_object_set_new(o, "affected_organisations", aff);
    stmt_t *l = db_prep(db, "SELECT target_type, target_id FROM obstacle_links WHERE obstacle_id = :id ORDER BY target_type, target_id");
    db_bind_int(l, ":id", id);
    json_t *links = json_array();
    while (db_step(l)) json_array_append_new(links, json_pack("{s:s, s:I}", "type", db_text(l, 0), "id", (json_int_t)db_int(l, 1)));
    json_object_set_new(o, "links", links);
    /* the public status history, oldest first */
    stmt_t *h = db_prep(db, "SELECT from_status, to_status, at, user_id, comment FROM obstacle_status_log WHERE obstacle_id = :id ORDER BY id");
    db_bind_int(h, ":id", id);
    json_t *hist = json_array();
    while (db_step(h))
        json_array_append_new(hist, json_pack("{s:s?, s:s, s:s, s:o, s:s}", "from", db_text(h, 0), "to", db_text(h, 1), "at",
                                              db_text(h, 2), "user", user_json(db, a, h, 3), "comment", db_text(h, 4)));
    json_object_set_new(o, "status_history", hist);
    json_object_set_new(o, "versions", doc_history(&obs_kind, db, id));
    return o;
}

/* ---- validation ---- */

/* clean: a trimmed, length-checked string, or NULL after recording the error */
/* clean: check_string, texts over MAX_REF_TITLE characters may have lines */
static json_t *clean(check_ctx_t *v, json_t *in, const char *field, size_t max, bool required) {
    return check_string(v, in, field, max, (required ? CHECK_REQUIRED : 0) | (max > MAX_REF_TITLE ? CHECK_LINES : 0));
}

static json_t *clean_refs(check_ctx_t *v, json_t *in, const char *field) {
    if (!in || json_is_null(in)) return json_array();
    if (!json_is_array(in)) { check_err(v, field, "This field must be a list of references with a title and an optional web address."); return NULL; }
    if (json_array_size(in) > MAX_REFS) { check_err(v, field, "This list is too long."); return NULL; }
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(in, i, x) {
        const char *k;
        json_t *y;
        bool bad = !json_is_object(x);
        if (!bad) json_object_foreach(x, k, y) if (strcmp(k, "title") && strcmp(k, "url")) bad = true;
        if (bad) { check_err(v, field, "This field must be a list of references with a title and an optional web address."); json_decref(out); return NULL; }
        json_t *t = clean(v, json_object_get(x, "title"), field, MAX_REF_TITLE, false);
        json_t *u = clean(v, json_object_get(x, "url"), field, MAX_URL, false);
        if (!t || !u) { json_decref(t); json_decref(u); json_decref(out); return NULL; }
        const char *ts = json_string_value(t), *us = json_string_value(u);
        if (!*ts && *us) check_err(v, field, "Every reference needs a title, e.g. the name of the law and the section.");
        else if (*us && !check_url(us)) check_err(v, field, "A web address starts with https:// or http://.");
        else if (*ts) json_array_append_new(out, json_pack("{s:O, s:o}", "title", t, "url", *us ? json_incref(u) : json_null()));
        json_decref(t);
        json_decref(u);
    }
    return out;
}

static bool text_lang_ok(const char *l) { return l && (!strcmp(l, "sv") || !strcmp(l, "nb") || !strcmp(l, "en")); }

json_t *obs_validate(db_t *db, const char *lang, json_t *input, json_t *base, const user_t *u, json_t **doc) {
    check_ctx_t v = {db, lang, json_object()};
    json_t *m = check_begin(&v, &obs_kind, input, base, doc);   /* input over base */
    if (!m) return v.errors;
    json_t *d = json_object();
    json_t *x;
    if ((x = clean(&v, json_object_get(m, "title"), "title", MAX_TITLE, true))) json_object_set_new(d, "title", x);
    if ((x = clean(&v, json_object_get(m, "description"), "description", MAX_TEXT, true))) json_object_set_new(d, "description", x);
    /* themes: known slugs, no duplicates */
    json_t *th = json_object_get(m, "themes");
    if (check_list(&v, th, "themes", MAX_THEMES, "Choose up to ten key areas.")) {
        arena_t *a = arena_new();
        int nt;
        theme_t *all = ref_themes(db, a, "en", &nt);
        json_t *out = json_array();
        size_t i;
        json_array_foreach(th, i, x) {
            const char *slug = json_string_value(x);
            bool known = false;
            for (int k = 0; slug && k < nt; k++) if (!strcmp(all[k].slug, slug)) known = true;
            if (!known) { check_err(&v, "themes", "Unknown key area."); continue; }
            bool dup = false;
            size_t k;
            json_t *y;
            json_array_foreach(out, k, y) if (!strcmp(json_string_value(y), slug)) dup = true;
            if (!dup) json_array_append_new(out, json_string(slug));
        }
        arena_free(a);
        json_object_set_new(d, "themes", out);
    }
    const char *country = json_string_value(json_object_get(m, "country"));
    if (!country || (strcmp(country, "SE") && strcmp(country, "NO") && strcmp(country, "both")))
        check_err(&v, "country", "Choose where the obstacle is felt: Sweden, Norway or both.");
    else json_object_set_new(d, "country", json_string(country));
    static const char *const texts[] = {"rules_se", "rules_no", "consequences", "affected", NULL};
    for (int i = 0; texts[i]; i++) {
        const char *f = texts[i];
        if ((x = clean(&v, json_object_get(m, f), f, streq(f, "affected") ? MAX_SHORT : MAX_TEXT, false))) json_object_set_new(d, f, x);
    }
    if ((x = clean_refs(&v, json_object_get(m, "references_se"), "references_se"))) json_object_set_new(d, "references_se", x);
    if ((x = clean_refs(&v, json_object_get(m, "references_no"), "references_no"))) json_object_set_new(d, "references_no", x);
    /* the language the text is written in: as chosen, else the reporter's */
    json_t *tl = json_object_get(m, "lang");
    if (tl && !json_is_null(tl) && !(json_is_string(tl) && text_lang_ok(json_string_value(tl))))
        check_err(&v, "lang", "Choose Swedish, Norwegian or English.");
    else json_object_set_new(d, "lang", json_string(json_is_string(tl) ? json_string_value(tl) : text_lang_ok(lang) ? lang : "sv"));
    /* the reporting organisation: one the user acts for (or unchanged) */
    json_t *org = json_object_get(m, "organisation");
    if (!org || json_is_null(org)) {
        json_object_set_new(d, "organisation", json_null());
    } else if (!json_is_integer(org) || json_integer_value(org) < 1) {
        check_err(&v, "organisation", "There is no such organisation.");
    } else {
        int64_t oid = json_integer_value(org);
        json_t *was = base ? json_object_get(base, "organisation") : NULL;
        bool unchanged = json_is_integer(was) && json_integer_value(was) == oid;
        if (!org_exists(db, oid)) check_err(&v, "organisation", "There is no such organisation.");
        else if (!unchanged && !(u && org_role(db, oid, u->id) >= ROLE_MEMBER))
            check_err(&v, "organisation", "You can report for an organisation only when you are one of its members.");
        else json_object_set_new(d, "organisation", json_integer(oid));
    }
    json_decref(m);
    if (json_object_size(v.errors)) { json_decref(d); return v.errors; }
    *doc = d;
    return v.errors;
}

/* ---- saving ---- */
static char *search_text(arena_t *a, json_t *d) {
    buf_t b;
    buf_init(&b, a);
    static const char *const t[] = {"title", "description", "rules_se", "rules_no", "consequences", "affected", NULL};
    for (int i = 0; t[i]; i++) bprintf_text(&b, "%s\n", json_string_value(json_object_get(d, t[i])));
    static const char *const r[] = {"references_se", "references_no", NULL};
    for (int i = 0; r[i]; i++) {
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(d, r[i]), k, x) bprintf_text(&b, "%s\n", json_string_value(json_object_get(x, "title")));
    }
    char *f = text_fold(a, b.data);
    return f ? f : b.data;
}

static bool write_parts(db_t *db, int64_t id, json_t *d) {
    static const char *const del[] = {"DELETE FROM obstacle_themes WHERE obstacle_id = :id", "DELETE FROM obstacle_refs WHERE obstacle_id = :id"};
    if (!db_run_each(db, del, ":id", id)) return false;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(d, "themes"), i, x) {
        stmt_t *s = db_prep(db, "INSERT INTO obstacle_themes (obstacle_id, theme) VALUES (:id, :t)");
        db_bind_int(s, ":id", id);
        db_bind_text(s, ":t", json_string_value(x));
        if (!db_run(s)) return false;
    }
    static const char *const sides[2][2] = {{"references_se", "SE"}, {"references_no", "NO"}};
    for (int k = 0; k < 2; k++)
        json_array_foreach(json_object_get(d, sides[k][0]), i, x) {
            stmt_t *s = db_prep(db, "INSERT INTO obstacle_refs (obstacle_id, country, pos, title, url) VALUES (:id, :c, :pos, :t, :u)");
            db_binds(s, DB_INT(":id", id), DB_TEXT(":c", sides[k][1]), DB_INT(":pos", (int64_t)i), DB_TEXT(":t", jstr(x, "title")),
                        DB_TEXT(":u", jstr(x, "url")));
            if (!db_run(s)) return false;
        }
    return true;
}

/* obs_write: the row and its parts; a new obstacle starts its public status history
 * (doc_kind_t.write). The demo key comes in the document as "demo_key". */
static int64_t obs_write(db_t *db, arena_t *a, int64_t id, json_t *d, json_t *old, int version, int64_t user_id) {
    (void)old;
    const char *now = now_utc(a);
    stmt_t *s;
    if (id) {
        s = db_prep(db, "UPDATE obstacles SET title = :title, description = :desc, country = :country, rules_se = :rse, "
                        "rules_no = :rno, consequences = :cons, affected = :aff, org_id = :org, search_text = :st, "
                        "lang = :lang, version = :version, updated_at = :now WHERE id = :id");
        db_bind_int(s, ":id", id);
    } else {
        s = db_prep(db, "INSERT INTO obstacles (title, description, country, rules_se, rules_no, consequences, affected, org_id, "
                        "reporter_id, status, search_text, demo_key, lang, version, created_at, updated_at, status_at) VALUES "
                        "(:title, :desc, :country, :rse, :rno, :cons, :aff, :org, :user, 'reported', :st, :demo, :lang, :version, :now, :now, :now)");
        db_bind_id(s, ":user", user_id);
        db_bind_text(s, ":demo", json_string_value(json_object_get(d, "demo_key")));
    }
    db_binds(s, DB_TEXT(":title", jstr(d, "title")), DB_TEXT(":desc", jstr(d, "description")), DB_TEXT(":country", jstr(d, "country")),
                DB_TEXT(":rse", jstr(d, "rules_se")), DB_TEXT(":rno", jstr(d, "rules_no")), DB_TEXT(":cons", jstr(d, "consequences")),
                DB_TEXT(":aff", jstr(d, "affected")));
    doc_bind_int(s, ":org", json_object_get(d, "organisation"));
    db_binds(s, DB_TEXT(":st", search_text(a, d)), DB_TEXT(":lang", jstr(d, "lang") ? jstr(d, "lang") : "sv"), DB_INT(":version", version),
                DB_TEXT(":now", now));
    if (!db_run(s)) return 0;
    if (!id) {
        id = db_last_id(db);
        s = db_prep(db, "INSERT INTO obstacle_status_log (obstacle_id, from_status, to_status, user_id, at, comment) "
                        "VALUES (:id, NULL, 'reported', :user, :now, '')");
        db_bind_int(s, ":id", id);
        db_bind_id(s, ":user", user_id);
        db_bind_text(s, ":now", now);
        if (!db_run(s)) return 0;
    }
    return write_parts(db, id, d) ? id : 0;
}

static json_t *obs_kind_validate(db_t *db, const char *lang, json_t *input, json_t *base, int64_t id, const user_t *u, json_t **doc) {
    (void)id;
    return obs_validate(db, lang, input, base, u, doc);
}

static json_t *obs_kind_load(db_t *db, arena_t *a, int64_t id, const user_t *u, bool editor) {
    (void)u;
    (void)editor;
    return obs_load(db, a, id);
}

doc_kind_t obs_kind = {
    .name = "obstacle", .fields = fields, .readonly = readonly, .validate = obs_kind_validate, .write = obs_write,
    .load = obs_kind_load, .may_edit = obs_can_edit, .may_revert = obs_can_edit, .api_path = "/api/v1/obstacles",
    .msg_not_found = N_("There is no such obstacle."),
    .msg_forbidden_edit = N_("Only the person who reported the obstacle and the obstacle desk may edit it."),
    .msg_save_failed = N_("The obstacle could not be saved. Nothing was changed."),
};

int64_t obs_save(db_t *db, arena_t *a, int64_t id, json_t *d, int64_t user_id, const char *demo_key, bool *changed) {
    if (demo_key) {
        d = json_copy(d);
        arena_on_free(a, (void (*)(void *))json_decref, d);
        json_object_set_new(d, "demo_key", json_string(demo_key));
    }
    return doc_save_simple(&obs_kind, db, a, id, d, user_id, NULL, changed);
}

/* tell_moved: the obstacle's followers, its reporter and whoever marked their organisation affected
 * hear of its new status (issue 14), not the one who moved it; the demo's and imports' moves
 * (user 0) are history, not news */
static bool tell_moved(db_t *db, arena_t *a, int64_t id, const char *to, int64_t by) {
    stmt_t *s = db_prep(db, "SELECT reporter_id FROM obstacles WHERE id = :id AND reporter_id IS NOT NULL "
                            "UNION SELECT user_id FROM obstacle_affected WHERE obstacle_id = :id AND user_id IS NOT NULL LIMIT 500");
    db_bind_int(s, ":id", id);
    int64_t *users = arena_alloc(a, sizeof *users * 500);
    int n = 0;
    while (n < 500 && db_step(s)) users[n++] = db_int(s, 0);
    db_reset(s);
    return notify_emit(db, "obstacle-status", "obstacle", id, (notify_audience_t){.users = users, .n_users = n, .followers = true, .except = by}, to);
}

int obs_move(db_t *db, arena_t *a, int64_t id, const char *to, const char *comment, int64_t user_id, const char **from) {
    *from = NULL;
    if (!db_begin(db)) return 500;
    stmt_t *s = db_prep(db, "SELECT status FROM obstacles WHERE id = :id");
    db_bind_int(s, ":id", id);
    const char *cur = db_text_of(s, a);
    if (!cur) { db_rollback(db); return 404; }
    *from = cur;
    if (!obs_move_allowed(cur, to)) { db_rollback(db); return 409; }
    const char *now = now_utc(a);
    s = db_prep(db, "UPDATE obstacles SET status = :to, status_at = :now, updated_at = :now WHERE id = :id");
    db_bind_text(s, ":to", to);
    db_bind_text(s, ":now", now);
    db_bind_int(s, ":id", id);
    bool ok = db_run(s);
    if (ok) {
        s = db_prep(db, "INSERT INTO obstacle_status_log (obstacle_id, from_status, to_status, user_id, at, comment) "
                        "VALUES (:id, :from, :to, :user, :now, :c)");
        db_binds(s, DB_INT(":id", id), DB_TEXT(":from", cur), DB_TEXT(":to", to), DB_ID(":user", user_id), DB_TEXT(":now", now),
                    DB_TEXT(":c", comment ? comment : ""));
        ok = db_run(s);
    }
    if (!ok || !db_commit(db)) { db_rollback(db); return 500; }
    if (user_id && !tell_moved(db, a, id, to, user_id)) log_msg("obstacles: the move of obstacle %lld could not be told", (long long)id);
    return 0;
}

bool obs_is_affected(db_t *db, int64_t id, int64_t org) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM obstacle_affected WHERE obstacle_id = :id AND org_id = :o");
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":o", org);
    return db_exists(s);
}

bool obs_affected_set(db_t *db, arena_t *a, int64_t id, int64_t org, int64_t user_id, bool on) {
    stmt_t *s;
    if (on) {
        s = db_prep(db, "INSERT INTO obstacle_affected (obstacle_id, org_id, user_id, at) VALUES (:id, :o, :u, :now) "
                        "ON CONFLICT (obstacle_id, org_id) DO NOTHING");
        db_bind_id(s, ":u", user_id);
        db_bind_text(s, ":now", now_utc(a));
    } else {
        s = db_prep(db, "DELETE FROM obstacle_affected WHERE obstacle_id = :id AND org_id = :o");
    }
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":o", org);
    return db_run(s);
}

bool obs_link_add(db_t *db, arena_t *a, int64_t id, const char *target_type, int64_t target_id, int64_t user_id) {
    if (!streq(target_type, "bullet") && !streq(target_type, "event") && !streq(target_type, "project")) return false;
    if (target_id < 1 || !obs_exists(db, id)) return false;
    stmt_t *s = db_prep(db, "INSERT INTO obstacle_links (obstacle_id, target_type, target_id, user_id, at) "
                            "VALUES (:id, :t, :target, :u, :now) ON CONFLICT DO NOTHING");
    db_binds(s, DB_INT(":id", id), DB_TEXT(":t", target_type), DB_INT(":target", target_id), DB_ID(":u", user_id),
                DB_TEXT(":now", now_utc(a)));
    return db_run(s);
}

/* ---- permissions and the desk ---- */
bool obs_is_desk(db_t *db, int64_t user_id) {
    return db_exists_for(db_prep(db, "SELECT 1 FROM obstacle_desk WHERE user_id = :u"), ":u", user_id);
}

bool obs_can_move(db_t *db, const user_t *u) { return u && (u->is_admin || obs_is_desk(db, u->id)); }

bool obs_can_edit(db_t *db, const user_t *u, int64_t id) {
    if (!u) return false;
    if (obs_can_move(db, u)) return true;
    stmt_t *s = db_prep(db, "SELECT 1 FROM obstacles WHERE id = :id AND reporter_id = :u");
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":u", u->id);
    return db_exists(s);
}

json_t *obs_user_orgs(db_t *db, int64_t user_id) {
    json_t *pd = org_personal_data(db, user_id), *out = json_array();
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(pd, "memberships"), i, m)
        json_array_append_new(out, json_pack("{s:O, s:O}", "id", json_object_get(m, "organisation"), "name", json_object_get(m, "name")));
    json_decref(pd);
    return out;
}

bool obs_desk_set(db_t *db, arena_t *a, int64_t user_id, int64_t by, bool on) {
    stmt_t *s;
    if (on) {
        s = db_prep(db, "INSERT INTO obstacle_desk (user_id, granted_by, granted_at) VALUES (:u, :by, :now) ON CONFLICT DO NOTHING");
        db_bind_id(s, ":by", by);
        db_bind_text(s, ":now", now_utc(a));
    } else {
        s = db_prep(db, "DELETE FROM obstacle_desk WHERE user_id = :u");
    }
    db_bind_int(s, ":u", user_id);
    return db_run(s);
}

int64_t *obs_desk_list(db_t *db, arena_t *a, int *n) {
    stmt_t *s = db_prep(db, "SELECT count(*) FROM obstacle_desk");
    int cap = db_step(s) ? (int)db_int(s, 0) : 0;
    db_reset(s);
    int64_t *ids = arena_alloc(a, sizeof(int64_t) * (size_t)(cap + 1));
    *n = 0;
    s = db_prep(db, "SELECT user_id FROM obstacle_desk ORDER BY granted_at, user_id");
    while (db_step(s) && *n < cap) ids[(*n)++] = db_int(s, 0);
    db_reset(s);
    return ids;
}

/* ---- personal data ---- */
json_t *obs_personal_data(db_t *db, int64_t uid) {
    return json_pack("{s:o, s:o, s:o, s:b}",
        "obstacles_reported", doc_user_rows(db, "SELECT id, title, created_at FROM obstacles WHERE reporter_id = :u ORDER BY id", uid,
                                            "obstacle,title,created_at"),
        "obstacle_status_changes", doc_user_rows(db, "SELECT obstacle_id, from_status, to_status, at, comment FROM obstacle_status_log "
                                                     "WHERE user_id = :u ORDER BY id", uid, "obstacle,from,to,at,comment"),
        "obstacle_affected_marks", doc_user_rows(db, "SELECT obstacle_id, org_id, at FROM obstacle_affected WHERE user_id = :u ORDER BY at",
                                                     uid, "obstacle,organisation,at"),
        "obstacle_desk", obs_is_desk(db, uid));
}

bool obs_forget_user(db_t *db, int64_t uid) {
    stmt_t *s = db_prep(db, "DELETE FROM obstacle_desk WHERE user_id = :id");
    db_bind_int(s, ":id", uid);
    return db_run(s);
}

/* ---- the list ---- */
const char *obs_filter_read(req_t *r, obs_filter_t *f) {
    memset(f, 0, sizeof *f);
    f->page = 1;
    f->per_page = 20;
    const char *v;
    if (!str_empty(v = req_query(r, "status"))) {
        if (!streq(v, "open") && !obs_status_valid(v)) return T(r, "Unknown status.");
        f->status = v;
    }
    if (!str_empty(v = req_query(r, "theme"))) {
        if (!ref_theme_slug_valid(v)) return T(r, "Unknown key area.");
        f->theme = v;
    }
    if (!str_empty(v = req_query(r, "country"))) {
        if (!streq(v, "SE") && !streq(v, "NO")) return T(r, "Choose Sweden or Norway.");
        f->country = v;
    }
    if (!str_empty(v = req_query(r, "q"))) {
        if (utf8_len(v) > 200) return T(r, "The search text is too long.");
        f->q = trim(r->arena, v);
    }
    return req_paging(r, &f->page, &f->per_page);
}

long long obs_search(db_t *db, arena_t *a, const obs_filter_t *f, obs_row_t **rows, int *n) {
    *rows = NULL;
    *n = 0;
    buf_t w;
    buf_init(&w, a);
    /* the conditions are code; every value is a bound parameter */
    if (streq(f->status, "open")) buf_puts(&w, " AND o.status IN ('reported','analysis','raised')");
    else if (f->status) buf_puts(&w, " AND o.status = :status");
    if (f->theme) buf_puts(&w, " AND EXISTS (SELECT 1 FROM obstacle_themes t WHERE t.obstacle_id = o.id AND t.theme = :theme)");
    if (f->country) buf_puts(&w, " AND o.country IN (:country, 'both')");
    const char *words[8];
    int nw = 0;
    char *q = f->q ? text_fold(a, f->q) : NULL;
    for (char *save = NULL, *tok = q ? strtok_r(q, " \t\r\n", &save) : NULL; tok && nw < 8; tok = strtok_r(NULL, " \t\r\n", &save)) {
        words[nw] = tok;
        bprintf(&w, " AND instr(o.search_text, :w%d) > 0", nw);
        nw++;
    }
    long long total = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *sql = pass == 0
            ? aprintf(a, "SELECT count(*) FROM obstacles o WHERE 1%s", w.data)
            : aprintf(a, "SELECT o.id, o.title, o.status, o.country, o.created_at, o.updated_at, o.description, "
                         "(SELECT count(*) FROM obstacle_affected x WHERE x.obstacle_id = o.id), o.demo_key IS NOT NULL, o.lang FROM obstacles o WHERE 1%s "
                         "ORDER BY o.updated_at DESC, o.id DESC LIMIT :limit OFFSET :offset", w.data);
        stmt_t *s = db_prep_dyn(db, a, sql);
        if (!s) return 0;
        if (f->status && !streq(f->status, "open")) db_bind_text(s, ":status", f->status);
        if (f->theme) db_bind_text(s, ":theme", f->theme);
        if (f->country) db_bind_text(s, ":country", f->country);
        for (int i = 0; i < nw; i++) db_bind_text(s, aprintf(a, ":w%d", i), words[i]);
        if (pass == 0) {
            total = db_int_of(s, 0);
            db_reset(s);
            continue;
        }
        db_bind_int(s, ":limit", f->per_page);
        db_bind_int(s, ":offset", (int64_t)(f->page - 1) * f->per_page);
        obs_row_t *out = arena_alloc(a, sizeof *out * (size_t)f->per_page);
        while (db_step(s) && *n < f->per_page) {
            out[*n] = (obs_row_t){db_int(s, 0), db_text_dup(s, 1, a), db_text_dup(s, 2, a), db_text_dup(s, 3, a), db_text_dup(s, 4, a),
                                  db_text_dup(s, 5, a), db_text_dup(s, 6, a), db_int(s, 7), db_int(s, 8) != 0, db_text_dup(s, 9, a)};
            (*n)++;
        }
        db_reset(s);
        *rows = out;
    }
    return total;
}
