/* Shared checks for documents (doc.h): one rule for control characters, URLs, dates and
 * unknown fields, used by every kind. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "core/util.h"
#include "doc/doc.h"
#include "i18n/i18n.h"

bool check_text(const char *s, bool one_line) {
    if (!s) return true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned c = *p;
        if (c < 0x20) {
            if (one_line || (c != '\t' && c != '\n' && c != '\r')) return false;
        } else if (c == 0x7f) {
            return false;
        } else if (c == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            return false;                                   /* C1 controls U+0080–009F */
        } else if (c == 0xe2 && p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) {
            return false;                                   /* U+202A–202E embeddings and overrides */
        } else if (c == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) {
            return false;                                   /* U+2066–2069 isolates */
        }
    }
    return true;
}

bool check_url(const char *s) {
    if (!s || (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))) return false;
    const char *host = strstr(s, "://") + 3;
    if (!*host || *host == '/') return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == 0x7f) return false;
    return check_text(s, true);
}

bool check_date(const char *s) {
    if (!s || strlen(s) != 10) return false;
    struct tm tm = {0};
    const char *e = strptime(s, "%Y-%m-%d", &tm);
    if (!e || *e) return false;
    int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = tm.tm_year + 1900;
    if ((y % 4 == 0 && y % 100) || y % 400 == 0) mdays[1] = 29;
    return tm.tm_mday >= 1 && tm.tm_mday <= mdays[tm.tm_mon];
}

static bool in_list(const char *const *l, const char *s) {
    for (; l && *l; l++) if (!strcmp(*l, s)) return true;
    return false;
}

void check_error(json_t *errors, const char *lang, const char *field, const char *msgid) {
    if (!json_object_get(errors, field)) json_object_set_new(errors, field, json_string(tr(lang, msgid)));
}

void check_err(check_ctx_t *v, const char *field, const char *msgid) { check_error(v->errors, v->lang, field, msgid); }

bool check_list(check_ctx_t *v, json_t *in, const char *field, size_t max, const char *msgid) {
    if (!in || json_is_null(in) || (json_is_array(in) && json_array_size(in) <= max)) return true;
    check_err(v, field, msgid);
    return false;
}

json_t *check_string(check_ctx_t *v, json_t *in, const char *field, size_t max, int flags) {
    if (!in || json_is_null(in)) {
        if (flags & CHECK_REQUIRED) { check_err(v, field, "This field is required."); return NULL; }
        return flags & CHECK_NULLABLE ? json_null() : json_string("");
    }
    if (!json_is_string(in)) { check_err(v, field, "This field must be text."); return NULL; }
    arena_t *a = arena_new();
    char *s = trim(a, json_string_value(in));
    json_t *out = NULL;
    if ((flags & CHECK_REQUIRED) && !*s) check_err(v, field, "This field is required.");
    else if (utf8_len(s) > max) check_err(v, field, "This text is too long.");
    else if (!check_text(s, !(flags & CHECK_LINES))) check_err(v, field, "This text contains control characters.");
    else if (!*s && (flags & CHECK_NULLABLE)) out = json_null();
    else out = json_string(s);
    arena_free(a);
    return out;
}

void check_fields(const doc_kind_t *k, const char *lang, json_t *input, json_t *errors) {
    const char *key;
    json_t *val;
    json_object_foreach(input, key, val)
        if (!in_list(k->fields, key) && !in_list(k->readonly, key)) check_error(errors, lang, key, "This field is unknown.");
}

json_t *check_merge(const doc_kind_t *k, json_t *input, json_t *base) {
    json_t *m = base ? json_deep_copy(base) : json_object();
    const char *key;
    json_t *val;
    json_object_foreach(input, key, val) if (in_list(k->fields, key)) json_object_set(m, key, val);
    return m;
}

json_t *check_begin(check_ctx_t *v, const doc_kind_t *k, json_t *input, json_t *base, json_t **doc) {
    *doc = NULL;
    if (!json_is_object(input)) { check_err(v, "body", "The request must be a JSON object."); return NULL; }
    check_fields(k, v->lang, input, v->errors);
    return check_merge(k, input, base);
}

void doc_row_into(stmt_t *s, int col, const char *keys, json_t *o) {
    for (const char *k = keys; *k; col++) {
        const char *e = strchr(k, ',');
        size_t n = e ? (size_t)(e - k) : strlen(k);
        char name[64];
        bool boolean = n && k[n - 1] == '?';
        snprintf(name, sizeof name, "%.*s", (int)(boolean ? n - 1 : n), k);
        json_t *v = db_is_null(s, col) ? (boolean ? json_false() : json_null())
                    : boolean          ? json_boolean(db_int(s, col))
                    : db_is_int(s, col) ? json_integer(db_int(s, col))
                                        : json_string(db_text(s, col));
        json_object_set_new(o, name, v);
        k = e ? e + 1 : k + n;
    }
}

void doc_bind_int(stmt_t *s, const char *name, json_t *v) {
    if (json_is_integer(v)) db_bind_int(s, name, json_integer_value(v));
    else db_bind_null(s, name);
}

json_t *doc_rows(stmt_t *s, const char *keys) {
    json_t *out = json_array();
    while (db_step(s)) {
        json_t *o = json_object();
        doc_row_into(s, 0, keys, o);
        json_array_append_new(out, o);
    }
    return out;
}

json_t *doc_user_rows(db_t *db, const char *sql, int64_t user_id, const char *keys) {
    stmt_t *s = db_prep_static(db, sql);
    db_bind_int(s, ":u", user_id);
    return doc_rows(s, keys);
}
