/* libFuzzer target: the router and path decoding. Any bytes are taken as a request target
 * "path?query": the path is unescaped as libmicrohttpd does (MHD_http_unescape), checked as the
 * server checks it (valid UTF-8), then matched against every route of the route table
 * (route_match); the query is decoded as a form (form_decode) and tried as a redirect target.
 * Properties: a match gives positive ids and one-segment arguments, at most three of each; and a
 * route's pattern filled with the input's id and segment always matches that route. */
#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/arena.h"
#include "core/util.h"
#include "http/http.h"

/* fill: pattern with {id} replaced by id and any other {x} by seg */
static char *fill(arena_t *a, const char *pattern, long long id, const char *seg) {
    char *out = arena_alloc(a, strlen(pattern) * 2 + 64 + strlen(seg) * 3);
    char *o = out;
    for (const char *p = pattern; *p;) {
        if (*p == '{') {
            o += !strncmp(p, "{id}", 4) ? sprintf(o, "%lld", id) : sprintf(o, "%s", seg);
            p = strchr(p, '}') + 1;
        } else *o++ = *p++;
    }
    *o = 0;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 8192) return 0;
    arena_t *a = arena_new();
    char *target = arena_strndup(a, (const char *)data, size);
    char *q = strchr(target, '?');
    if (q) *q++ = 0;
    size_t n = MHD_http_unescape(target);
    if (n < strlen(target)) abort();
    /* n > strlen: the path held %00; the server must refuse it (issue 11), here the router sees the
     * part before it, as a C string */
    req_t r;
    memset(&r, 0, sizeof r);
    r.arena = a;
    if (utf8_valid(target, strlen(target))) {
        for (const route_t *rt = routes; rt->method; rt++) {
            if (!route_match(&r, rt->pattern, target)) continue;
            if (r.nid > 3 || r.narg > 3) abort();
            for (int i = 0; i < r.nid; i++) if (r.id[i] < 1) abort();
            for (int i = 0; i < r.narg; i++) if (!*r.arg[i] || strchr(r.arg[i], '/')) abort();
        }
    }
    if (q) {
        params_t p;
        form_decode(a, q, strlen(q), &p);
        safe_local_path(q);
    }
    /* every route matches its own pattern filled with a positive id and a plain segment */
    unsigned long long h = 1;
    for (size_t i = 0; i < size && i < 8; i++) h = h * 251 + data[i];
    long long id = (long long)(h % 1000000000000ULL) + 1;
    char seg[24];
    size_t k = 0;
    for (size_t i = 0; i < size && k < sizeof seg - 1; i++)
        if ((data[i] >= 'a' && data[i] <= 'z') || (data[i] >= '0' && data[i] <= '9') || data[i] == '.') seg[k++] = (char)data[i];
    if (!k) seg[k++] = 'x';
    seg[k] = 0;
    for (const route_t *rt = routes; rt->method; rt++)
        if (!route_match(&r, rt->pattern, fill(a, rt->pattern, id, seg))) abort();
    arena_free(a);
    return 0;
}
