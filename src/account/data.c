/* Personal data: export and deletion (see account.h). */
#include "account/account.h"
#include "core/util.h"

json_t *account_personal_data(db_t *db, int64_t uid) {
    json_t *out = json_object();
    stmt_t *s = db_prep(db, "SELECT id, email, name, is_admin, lang, created_at FROM users WHERE id = :id");
    db_bind_int(s, ":id", uid);
    if (db_step(s))
        json_object_set_new(out, "user", json_pack("{s:I, s:s?, s:s, s:b, s:s?, s:s}", "id", (json_int_t)db_int(s, 0), "email", db_text(s, 1),
                                                   "name", db_text(s, 2), "is_admin", (int)db_int(s, 3), "language", db_text(s, 4),
                                                   "created_at", db_text(s, 5)));
    db_reset(s);
    for (const personal_data_t *p = personal_data; p->module; p++) {
        json_t *part = p->export(db, uid);
        json_object_update(out, part);
        json_decref(part);
    }
    json_t *a = json_array();
    s = db_prep(db, "SELECT created_at, expires_at FROM sessions WHERE user_id = :id");
    db_bind_int(s, ":id", uid);
    while (db_step(s)) json_array_append_new(a, json_pack("{s:s, s:I}", "created_at", db_text(s, 0), "expires_at", (json_int_t)db_int(s, 1)));
    json_object_set_new(out, "sessions", a);
    a = json_array();
    s = db_prep(db, "SELECT created_at, revoked_at FROM api_tokens WHERE user_id = :id");
    db_bind_int(s, ":id", uid);
    while (db_step(s)) json_array_append_new(a, json_pack("{s:s, s:s?}", "created_at", db_text(s, 0), "revoked_at", db_text(s, 1)));
    json_object_set_new(out, "api_tokens", a);
    return out;
}

bool account_delete(db_t *db, arena_t *a, int64_t uid) {
    static const char *const sql[] = {
        "DELETE FROM sessions WHERE user_id = :id",
        "DELETE FROM api_tokens WHERE user_id = :id",
        "UPDATE users SET email = NULL, name = '', pw_hash = NULL, lang = NULL, is_admin = 0, deleted_at = :now WHERE id = :id",
    };
    if (!db_begin(db)) return false;
    for (const personal_data_t *p = personal_data; p->module; p++)
        if (p->forget && !p->forget(db, a, uid)) { db_rollback(db); return false; }
    const char *now = now_utc(a);
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        stmt_t *s = db_prep_static(db, sql[i]);
        db_bind_int(s, ":id", uid);
        if (i == 2) db_bind_text(s, ":now", now);
        if (!db_run(s)) { db_rollback(db); return false; }
    }
    return db_commit(db);
}

/* account_contact: a live user's address, language (or NULL) and name, copied into a; false for a
 * deleted or unknown user (notify/ addresses its mail with it). */
bool account_contact(db_t *db, arena_t *a, int64_t user_id, const char **email, const char **lang, const char **name) {
    stmt_t *s = db_prep(db, "SELECT email, lang, name FROM users WHERE id = :u AND deleted_at IS NULL AND email IS NOT NULL");
    db_bind_int(s, ":u", user_id);
    bool ok = db_step(s);
    if (ok) {
        if (email) *email = db_text_dup(s, 0, a);
        if (lang) *lang = db_text_dup(s, 1, a);
        if (name) *name = db_text_dup(s, 2, a);
    }
    db_reset(s);
    return ok;
}
