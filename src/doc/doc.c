/* The versioned-document pipeline (doc.h): save with versions, revert, history, change feed.
 * Owns the table doc_versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/embedded.h"
#include "core/util.h"
#include "doc/doc.h"
#include "i18n/i18n.h"

void doc_subscribe(doc_kind_t *k, doc_hook_fn fn) {
    if (doc_subscribed(k, fn)) return;
    for (int i = 0; i < DOC_MAX_HOOKS; i++)
        if (!k->hooks[i]) { k->hooks[i] = fn; return; }
    log_msg("doc: too many hooks on %s", k->name);
    abort();
}

bool doc_subscribed(const doc_kind_t *k, doc_hook_fn fn) {
    for (int i = 0; i < DOC_MAX_HOOKS; i++) if (k->hooks[i] == fn) return true;
    return false;
}

static void jfree(void *p) { json_decref(p); }
static json_t *own(arena_t *a, json_t *j) { if (j) arena_on_free(a, jfree, j); return j; }

json_t *doc_snapshot(const doc_kind_t *k, db_t *db, int64_t id, int version, int *got) {
    stmt_t *s;
    if (version > 0) {
        s = db_prep(db, "SELECT version, snapshot FROM doc_versions WHERE kind = :k AND doc_id = :id AND version = :v");
        db_bind_int(s, ":v", version);
    } else {
        s = db_prep(db, "SELECT version, snapshot FROM doc_versions WHERE kind = :k AND doc_id = :id ORDER BY version DESC LIMIT 1");
    }
    db_bind_text(s, ":k", k->name);
    db_bind_int(s, ":id", id);
    json_t *j = NULL;
    if (db_step(s)) {
        if (got) *got = (int)db_int(s, 0);
        j = json_loads(db_text(s, 1), 0, NULL);
    }
    db_reset(s);
    return j;
}

int doc_version(const doc_kind_t *k, db_t *db, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT coalesce(max(version), 0) FROM doc_versions WHERE kind = :k AND doc_id = :id");
    db_bind_text(s, ":k", k->name);
    db_bind_int(s, ":id", id);
    int v = db_step(s) ? (int)db_int(s, 0) : 0;
    db_reset(s);
    return v;
}

/* fields_of: the editable fields of doc, missing ones as null (a new object) */
static json_t *fields_of(const doc_kind_t *k, json_t *doc) {
    json_t *o = json_object();
    for (int i = 0; k->fields[i]; i++) {
        json_t *x = json_object_get(doc, k->fields[i]);
        json_object_set(o, k->fields[i], x ? x : json_null());
    }
    return o;
}

static bool same(const doc_kind_t *k, const char *f, json_t *x, json_t *y) {
    if (!x) x = json_null();
    if (!y) y = json_null();
    return k->same ? k->same(f, x, y) : json_equal(x, y);
}

/* empty: nothing entered (what a new document's changes leave out) */
static bool empty(json_t *v) {
    return !v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)) || (json_is_array(v) && !json_array_size(v));
}

/* merge: three-way, field by field: base (what the editor started from), theirs (stored
 * now), yours (the save). Returns the merged fields (new object) or NULL with *conflicts. */
static json_t *merge(const doc_kind_t *k, json_t *base, json_t *theirs, json_t *yours, json_t *conflicts) {
    json_t *m = json_object();
    for (int i = 0; k->fields[i]; i++) {
        const char *f = k->fields[i];
        json_t *b = json_object_get(base, f), *t = json_object_get(theirs, f), *y = json_object_get(yours, f);
        if (same(k, f, y, b)) json_object_set(m, f, t ? t : json_null());          /* not yours: keep theirs */
        else if (same(k, f, t, b) || same(k, f, y, t)) json_object_set(m, f, y);    /* only yours, or the same */
        else json_object_set_new(conflicts, f, json_pack("{s:O, s:O}", "yours", y ? y : json_null(), "theirs", t ? t : json_null()));
    }
    if (json_object_size(conflicts)) { json_decref(m); return NULL; }
    return m;
}

doc_rc_t doc_save(const doc_kind_t *k, db_t *db, arena_t *a, int64_t id, json_t *doc, const doc_save_opts_t *o, doc_result_t *res) {
    memset(res, 0, sizeof *res);
    res->id = id;
    if (!db_begin(db)) return DOC_ERROR;
    int stored = 0;
    json_t *old = NULL;
    if (id) {
        old = own(a, doc_snapshot(k, db, id, 0, &stored));
        if (!old) { db_rollback(db); return DOC_NOT_FOUND; }
    }
    res->version = stored;
    json_t *newd = own(a, fields_of(k, doc));
    if (old && o->base_version && o->base_version != stored) {
        /* saved from an older version: take what the editor changed, keep what others did */
        json_t *base = own(a, o->base_version < stored ? doc_snapshot(k, db, id, o->base_version, NULL) : NULL);
        res->conflicts = own(a, json_object());
        json_t *m = base ? merge(k, base, old, newd, res->conflicts) : NULL;
        if (!m) {
            if (!base)
                for (int i = 0; k->fields[i]; i++) json_object_set_new(res->conflicts, k->fields[i], json_null());
            db_rollback(db);
            return DOC_CONFLICT;
        }
        own(a, m);
        res->merged = true;
        if (!json_equal(m, newd)) {
            /* fields of others now stand beside the editor's: check the whole again */
            json_t *d2 = NULL;
            json_t *e = own(a, k->validate(db, o->lang ? o->lang : "en", m, old, id, o->user, &d2));
            if (json_object_size(e) || !d2) { res->conflicts = e; db_rollback(db); return DOC_INVALID; }
            doc = own(a, d2);
            newd = own(a, fields_of(k, doc));
        }
    }
    json_t *changes = own(a, json_object());
    for (int i = 0; k->fields[i]; i++) {
        const char *f = k->fields[i];
        json_t *n = json_object_get(newd, f);
        if (old) {
            json_t *ov = json_object_get(old, f);
            if (!same(k, f, ov, n)) json_object_set_new(changes, f, json_pack("[O,O]", ov ? ov : json_null(), n));
        } else if (!empty(n)) {
            json_object_set_new(changes, f, json_pack("[n,O]", n));
        }
    }
    /* the one rule for "unchanged": nothing written, no version, the transaction undone */
    if (old && !json_object_size(changes)) { db_rollback(db); return DOC_UNCHANGED; }
    int version = stored + 1;
    const char *now = now_utc(a);
    id = k->write(db, a, id, doc, old, version, o->user_id);
    if (!id) { db_rollback(db); return DOC_ERROR; }
    char *snap = json_dumps(newd, JSON_COMPACT | JSON_SORT_KEYS), *chg = json_dumps(changes, JSON_COMPACT);
    stmt_t *s = db_prep(db, "INSERT INTO doc_versions (kind, doc_id, version, user_id, at, note, changes, snapshot) "
                            "VALUES (:k, :id, :v, :u, :now, :note, :c, :s)");
    db_binds(s, DB_TEXT(":k", k->name), DB_INT(":id", id), DB_INT(":v", version), DB_ID(":u", o->user_id), DB_TEXT(":now", now),
                DB_TEXT(":note", o->note), DB_TEXT(":c", chg), DB_TEXT(":s", snap));
    bool ok = db_run(s);
    free(snap);
    free(chg);
    if (!ok || !db_commit(db)) { db_rollback(db); return DOC_ERROR; }
    res->id = id;
    res->version = version;
    res->changes = changes;
    if (db_depth(db) == 0)
        for (int i = 0; i < DOC_MAX_HOOKS && k->hooks[i]; i++) k->hooks[i](db, k, id, doc);
    return DOC_SAVED;
}

int64_t doc_save_simple(const doc_kind_t *k, db_t *db, arena_t *a, int64_t id, json_t *doc, int64_t user_id, const char *note, bool *changed) {
    doc_save_opts_t o = {.user_id = user_id, .note = note};
    doc_result_t res;
    doc_rc_t rc = doc_save(k, db, a, id, doc, &o, &res);
    *changed = rc == DOC_SAVED;
    return rc == DOC_SAVED || rc == DOC_UNCHANGED ? res.id : 0;
}

doc_rc_t doc_revert(const doc_kind_t *k, db_t *db, arena_t *a, int64_t id, int version, const doc_save_opts_t *o, doc_result_t *res) {
    memset(res, 0, sizeof *res);
    json_t *snap = own(a, doc_snapshot(k, db, id, version, NULL));
    if (!snap || version < 1) return DOC_NOT_FOUND;
    json_t *base = own(a, doc_snapshot(k, db, id, 0, NULL));
    json_t *doc = NULL;
    json_t *e = own(a, k->validate(db, o->lang ? o->lang : "en", snap, base, id, o->user, &doc));
    if (json_object_size(e) || !doc) { res->conflicts = e; return DOC_INVALID; }
    own(a, doc);
    doc_save_opts_t ro = *o;
    ro.note = arena_printf_libc(a, "revert to %d", version);
    ro.base_version = 0;
    return doc_save(k, db, a, id, doc, &ro, res);
}

json_t *doc_history(const doc_kind_t *k, db_t *db, int64_t id) {
    /* users is account/'s table: read here only for the name, in the same statement */
    stmt_t *s = db_prep(db, "SELECT v.version, v.at, v.user_id, u.name, u.id IS NULL OR u.deleted_at IS NOT NULL, v.note, v.changes "
                            "FROM doc_versions v LEFT JOIN users u ON u.id = v.user_id "
                            "WHERE v.kind = :k AND v.doc_id = :id ORDER BY v.version DESC");
    db_bind_text(s, ":k", k->name);
    db_bind_int(s, ":id", id);
    json_t *out = json_array();
    while (db_step(s)) {
        json_t *user = json_null();
        if (!db_is_null(s, 2)) {
            bool deleted = db_int(s, 4) != 0;
            user = json_pack("{s:I, s:s, s:b}", "id", (json_int_t)db_int(s, 2), "name",
                             deleted || !db_text(s, 3) ? "" : db_text(s, 3), "deleted", deleted);
        }
        json_t *ch = json_loads(db_text(s, 6), 0, NULL);
        json_array_append_new(out, json_pack("{s:I, s:s, s:o, s:s?, s:o}", "version", (json_int_t)db_int(s, 0), "at", db_text(s, 1),
                                             "user", user, "note", db_text(s, 5), "changes", ch ? ch : json_object()));
    }
    return out;
}

int64_t doc_feed_newest(const doc_kind_t *k, db_t *db) {
    stmt_t *s = db_prep(db, "SELECT coalesce(max(seq), 0) FROM doc_versions WHERE kind = :k");
    db_bind_text(s, ":k", k->name);
    int64_t v = db_int_of(s, 0);
    return v;
}

int doc_feed_since(const doc_kind_t *k, db_t *db, int64_t seq, int64_t **ids) {
    stmt_t *s = db_prep(db, "SELECT DISTINCT doc_id FROM doc_versions WHERE kind = :k AND seq > :seq ORDER BY doc_id");
    db_bind_text(s, ":k", k->name);
    db_bind_int(s, ":seq", seq);
    int n = 0, cap = 0;
    *ids = NULL;
    while (db_step(s)) {
        if (n == cap) { cap = cap ? cap * 2 : 64; *ids = xrealloc(*ids, sizeof **ids * (size_t)cap); }
        (*ids)[n++] = db_int(s, 0);
    }
    return n;
}

json_t *doc_user_versions(db_t *db, int64_t user_id) {
    stmt_t *s = db_prep(db, "SELECT kind, doc_id, version, at, note FROM doc_versions WHERE user_id = :u ORDER BY seq");
    db_bind_int(s, ":u", user_id);
    return doc_rows(s, "kind,id,version,at,note");
}

json_t *doc_user_edits(const doc_kind_t *k, db_t *db, int64_t user_id, const char *id_key) {
    stmt_t *s = db_prep(db, "SELECT doc_id, version, at FROM doc_versions WHERE kind = :k AND user_id = :u ORDER BY at, doc_id");
    db_bind_text(s, ":k", k->name);
    db_bind_int(s, ":u", user_id);
    json_t *out = json_array();
    while (db_step(s))
        json_array_append_new(out, json_pack("{s:I, s:I, s:s}", id_key, (json_int_t)db_int(s, 0), "version", (json_int_t)db_int(s, 1),
                                             "at", db_text(s, 2)));
    return out;
}

bool doc_edited_by_user(const doc_kind_t *k, db_t *db, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM doc_versions WHERE kind = :k AND doc_id = :id AND user_id IS NOT NULL LIMIT 1");
    db_bind_text(s, ":k", k->name);
    db_bind_int(s, ":id", id);
    return db_exists(s);
}

const char *doc_conflict_text(arena_t *a, const char *lang, json_t *conflicts) {
    buf_t b;
    buf_init(&b, a);
    const char *key;
    json_t *v;
    json_object_foreach(conflicts, key, v) {
        if (b.len) buf_puts(&b, ", ");
        buf_puts(&b, key);
    }
    (void)v;
    return arena_printf_libc(a, "%s %s", tr(lang, "Someone else saved this meanwhile and changed the same fields:"), b.data);
}

json_t *doc_demo_doc(const doc_kind_t *k, db_t *db, json_t *in, const char *key) {
    json_t *doc = NULL;
    json_t *errs = k->validate(db, "en", in, NULL, 0, NULL, &doc);
    if (json_object_size(errs) || !doc) {
        char *s = json_dumps(errs, JSON_COMPACT);
        log_msg("demo %s %s is not valid: %s", k->name, key, s ? s : "");
        free(s);
        json_decref(errs);
        return NULL;
    }
    json_decref(errs);
    json_object_set_new(doc, "demo_key", json_string(key));
    return doc;
}

int64_t doc_demo_save(const doc_kind_t *k, db_t *db, json_t *in, const char *key) {
    json_t *doc = doc_demo_doc(k, db, in, key);
    if (!doc) return 0;
    arena_t *a = arena_new();
    bool changed;
    int64_t id = doc_save_simple(k, db, a, 0, doc, 0, NULL, &changed);
    if (!id) log_msg("demo %s %s could not be saved", k->name, key);
    arena_free(a);
    json_decref(doc);
    return id;
}

json_t *doc_demo_input(json_t *o, const char *const *skip) {
    json_t *in = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        bool keep = strcmp(k, "key") != 0;
        for (int i = 0; keep && skip[i]; i++) keep = strcmp(k, skip[i]) != 0;
        if (keep) json_object_set(in, k, v);
    }
    return in;
}

int doc_demo_each(db_t *db, const char *path, int64_t (*found)(db_t *db, const char *key),
                  bool (*add)(db_t *db, json_t *entry, const char *key)) {
    json_t *all = doc_demo_file(path);
    if (!all) return -1;
    int created = 0, failed = 0;
    size_t i;
    json_t *o;
    json_array_foreach(all, i, o) {
        const char *key = json_string_value(json_object_get(o, "key"));
        if (!key || found(db, key)) continue;
        if (add(db, o, key)) created++;
        else failed++;
    }
    json_decref(all);
    return failed ? -1 : created;
}

json_t *doc_demo_file(const char *path) {
    const struct embedded_file *f = embedded_find(path);
    json_error_t e;
    json_t *all = f ? json_loads(f->data, 0, &e) : NULL;
    if (json_is_array(all)) return all;
    log_msg("demo data %s does not parse: %s", path, f ? e.text : "missing");
    json_decref(all);
    return NULL;
}
