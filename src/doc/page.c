/* Documents on pages (doc.h): the version an edit form was opened at, and a save from a stale
 * form merged or refused with the fields named, the editor's input kept. */
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "doc/doc.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"

int doc_form_base(req_t *r) {
    const char *v = req_form(r, "version");
    long long n;
    return v && parse_int(v, 1, 1000000000, &n) ? (int)n : 0;
}

void doc_form_version(req_t *r, json_t *o) {
    json_t *v = json_object_get(o, "version");
    int n = json_is_integer(v) ? (int)json_integer_value(v) : doc_form_base(r);
    if (n > 0) bprintf(&r->out, "<input type=\"hidden\" name=\"version\" value=\"%d\">", n);
}

json_t *doc_conflict_errors(arena_t *a, const char *lang, json_t *conflicts) {
    json_t *e = json_object();
    const char *msg = tr(lang, "Someone else changed this meanwhile and their version is saved. Yours is below: check it and save again.");
    const char *k;
    json_t *v;
    json_object_foreach(conflicts, k, v) {
        json_t *y = json_object_get(v, "yours"), *t = json_object_get(v, "theirs");
        bool named = false;
        if (json_is_object(y) && json_is_object(t)) {
            /* a text in several languages: name the languages that differ */
            const char *sub;
            json_t *x;
            json_object_foreach(y, sub, x)
                if (!json_equal(x, json_object_get(t, sub))) {
                    json_object_set_new(e, arena_printf_libc(a, "%s.%s", k, sub), json_string(msg));
                    named = true;
                }
        }
        if (!named) json_object_set_new(e, k, json_string(msg));
    }
    return e;
}

doc_rc_t doc_page_save(req_t *r, const doc_kind_t *k, int64_t id, json_t *doc, json_t *in, json_t **errors) {
    db_t *db = db_get();
    doc_save_opts_t o = {.user_id = r->user ? r->user->id : 0, .base_version = doc_form_base(r), .lang = r->lang, .user = r->user};
    doc_result_t res;
    doc_rc_t rc = doc_save(k, db, r->arena, id, doc, &o, &res);
    *errors = NULL;
    if (rc == DOC_CONFLICT || rc == DOC_INVALID) {
        r->status = rc == DOC_CONFLICT ? 409 : 422;
        *errors = rc == DOC_CONFLICT ? doc_conflict_errors(r->arena, r->lang, res.conflicts) : json_incref(res.conflicts);
        arena_on_free(r->arena, (void (*)(void *))json_decref, *errors);
        /* saving the form again now saves over the newest version, knowingly */
        json_object_set_new(in, "version", json_integer(res.version));
    }
    return rc;
}

bool doc_page_may_edit(req_t *r, const doc_kind_t *k) {
    db_t *db = db_get();
    if (doc_version(k, db, r->id[0]) <= 0) { resp_error(r, 404, "not-found", T(r, k->msg_not_found)); return false; }
    if (!k->may_edit(db, r->user, r->id[0])) { resp_error(r, 403, "forbidden", T(r, k->msg_forbidden_edit)); return false; }
    return true;
}

doc_rc_t doc_page_edit(req_t *r, const doc_kind_t *k, json_t *in, json_t *base, json_t **errors) {
    json_t *doc = NULL;
    *errors = api_own(r, k->validate(db_get(), r->lang, in, base, r->id[0], r->user, &doc));
    if (json_object_size(*errors)) { r->status = 422; return DOC_INVALID; }
    api_own(r, doc);
    doc_rc_t rc = doc_page_save(r, k, r->id[0], doc, in, errors);
    if (rc == DOC_ERROR || rc == DOC_NOT_FOUND) resp_error(r, 500, "db", T(r, k->msg_save_failed));
    return rc;
}

int64_t doc_page_create(req_t *r, const doc_kind_t *k, const char *title, json_t *in, doc_form_fn form) {
    db_t *db = db_get();
    json_t *doc = NULL;
    json_t *errors = api_own(r, k->validate(db, r->lang, in, NULL, 0, r->user, &doc));
    if (json_object_size(errors)) {
        r->status = 422;
        page_begin(r, title);
        bprintf(&r->out, "<h1>%h</h1>", title);
        form(r, in, errors);
        page_end(r);
        return 0;
    }
    api_own(r, doc);
    bool changed;
    int64_t id = doc_save_simple(k, db, r->arena, 0, doc, r->user ? r->user->id : 0, NULL, &changed);
    if (!id) resp_error(r, 500, "db", T(r, k->msg_save_failed));
    return id;
}

void doc_page_edit_head(req_t *r, const char *title, const char *back_href, const char *back, const char *lead) {
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Edit"), title));
    bprintf(&r->out, "<h1>%h</h1><p><a href=\"%h\">%h</a></p>", title, back_href, back);
    if (lead) bprintf(&r->out, "<p class=\"lead\">%h</p>", lead);
}

void doc_page_edit_post(req_t *r, const doc_kind_t *k, json_t *in, json_t *base, const char *title, doc_form_fn form, const char *done) {
    json_t *errors;
    doc_rc_t rc = doc_page_edit(r, k, in, base, &errors);
    if (rc == DOC_INVALID || rc == DOC_CONFLICT) {
        page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Edit"), title));
        bprintf(&r->out, "<h1>%h</h1>", title);
        form(r, in, errors);
        page_end(r);
        return;
    }
    if (rc != DOC_SAVED && rc != DOC_UNCHANGED) return; /* answered */
    flash_set(r, rc == DOC_SAVED ? "saved" : "unchanged");
    resp_redirect(r, done);
}

void doc_page_create_post(req_t *r, const doc_kind_t *k, const char *title, json_t *in, doc_form_fn form, const char *flash, const char *path) {
    int64_t id = doc_page_create(r, k, title, in, form);
    if (!id) return;
    flash_set(r, flash);
    resp_redirect(r, aprintf_text(r->arena, "%s/%lld", path, (long long)id));
}
