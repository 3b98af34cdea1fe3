/* Shared glue for the JSON API handlers (http/api.h). */
#include <string.h>
#include <strings.h>
#include "core/util.h"
#include "http/api.h"
#include "i18n/i18n.h"

static void jfree(void *p) { json_decref(p); }

json_t *api_own(req_t *r, json_t *j) {
    if (j) arena_on_free(r->arena, jfree, j);
    return j;
}

const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

bool media_type_is(const char *h, const char *type) {
    if (!h) return false;
    while (*h == ' ' || *h == '\t') h++;
    size_t n = strlen(type);
    if (strncasecmp(h, type, n)) return false;
    h += n;
    while (*h == ' ' || *h == '\t') h++;
    return !*h || *h == ';';
}

json_t *api_body(req_t *r) {
    if (!media_type_is(req_header(r, "Content-Type"), "application/json")) {
        resp_problem(r, 415, "unsupported-media-type", T(r, "Send JSON with Content-Type: application/json."), NULL);
        return NULL;
    }
    json_error_t e;
    json_t *j = r->body ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e) : NULL;
    if (!j) {
        resp_problem(r, 400, "malformed-json",
                     arena_printf_libc(r->arena, "%s (%s)", T(r, "The request body is not valid JSON."), r->body ? e.text : "empty"), NULL);
        return NULL;
    }
    api_own(r, j);
    if (!json_is_object(j)) {
        resp_problem(r, 422, "validation", T(r, "The request must be a JSON object."), NULL);
        return NULL;
    }
    return j;
}

void api_invalid(req_t *r, json_t *errors) {
    resp_problem(r, 422, "validation", T(r, "Some fields are not valid."), json_incref(errors));
}

bool api_found(req_t *r, bool found, const char *msgid) {
    if (!found) resp_problem(r, 404, "not-found", T(r, msgid), NULL);
    return found;
}

bool api_allowed(req_t *r, bool allowed, const char *msgid) {
    if (!allowed) resp_problem(r, 403, "forbidden", T(r, msgid), NULL);
    return allowed;
}

bool api_may(req_t *r, bool allowed, const char *msgid) {
    if (allowed || r->user) return api_allowed(r, allowed, msgid);
    resp_problem(r, 401, "login-required", T(r, "You need to log in."), NULL);
    return false;
}

const char *req_paging(req_t *r, int *page, int *per_page) {
    const char *v;
    long long n;
    if ((v = req_query(r, "page")) && *v) {
        if (!parse_int(v, 1, 100000, &n)) return T(r, "The page must be a number from 1.");
        *page = (int)n;
    }
    if ((v = req_query(r, "per_page")) && *v) {
        if (!parse_int(v, 1, 100, &n)) return T(r, "per_page must be a number from 1 to 100.");
        *per_page = (int)n;
    }
    return NULL;
}

json_t *json_split(const char *s, char sep) {
    json_t *a = json_array();
    while (s && *s) {
        const char *e = strchr(s, sep);
        size_t n = e ? (size_t)(e - s) : strlen(s);
        size_t k = n;
        while (k && (s[k - 1] == '\r' || s[k - 1] == ' ')) k--;
        if (k) json_array_append_new(a, json_stringn(s, k));
        s = e ? e + 1 : s + n;
    }
    return a;
}
