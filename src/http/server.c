/* libmicrohttpd glue: one request object per connection request, the route table, the
 * policy flags, the buffered response, logging and metrics. Handlers never see MHD.
 *
 * Limits (issue 11; docs/operations.md): every connection has a deadline watched by a reaper
 * thread — its request headers must be complete header_timeout seconds after it connected (or
 * after its request line, on a kept-alive connection), its body body_timeout seconds after the
 * headers — however steadily a slow client dribbles bytes. Whether a body is read at all, and
 * how much of it, is decided from the headers (route, method, credentials, the route's
 * max_body) before one byte of it is buffered; the buffer is sized once from Content-Length. */
#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "core/util.h"
#include "db/db.h"
#include "db/feed.h"
#include "http/csrf.h"
#include "http/http.h"
#include "http/metrics.h"
#include "http/pagecache.h"
#include "http/proxy.h"
#include "i18n/i18n.h"

#define CONN_TIMEOUT 30              /* seconds of silence before a connection is closed; also how
                                        long a kept-alive connection may wait for its next request */
#define CONN_MEMORY (32 * 1024)      /* per-connection buffer for headers */
/* defaults of the limits server_opts_t may change */
#define HEADER_TIMEOUT 10            /* seconds for a request's line and headers */
#define BODY_TIMEOUT 60              /* seconds for its body (1 MiB at 17 KiB/s) */
#define MAX_CONNECTIONS 16384        /* in all; at most the file descriptors left after FD_RESERVE */
#define MAX_PER_IP 2048              /* from one address: a venue's NAT or a proxy needs 1,000 */
#define FD_RESERVE 256               /* descriptors kept for the database, logs and the listener */
#define BACKLOG 4096                 /* connections the kernel queues before we accept them */
#define DRAIN_MAX (4 * 1024 * 1024)  /* a refused body up to this size is read and dropped (see header_stage) */

static atomic_int g_inflight; /* requests between their first byte and their completion */
static atomic_bool g_draining; /* SIGTERM came: finishing what is in flight (http_draining) */
bool http_draining(void) { return atomic_load(&g_draining); }
/* the settings of server_run, written once before the daemon starts, read-only afterwards */
static server_opts_t g_opts;

struct conn_ctx {
    req_t r;
    char *body;                  /* malloc'ed (freed with the arena), NUL-terminated */
    size_t body_len, body_cap, body_max;
    size_t received;             /* body bytes read, kept or not */
    bool too_large;
    bool refused;                /* header_stage refused the body: it is read and dropped */
    bool too_many;               /* a forwarded client over its requests in flight (--trust-proxy) */
    char *slot;                  /* its counter's key, taken (addr_put at completion); arena */
    const char *via;             /* the trusted proxy it came through, or NULL; arena */
    struct timespec start;
};

/* ---- getters ---- */
static const char *param_get(const params_t *p, const char *name) {
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->items[i].name, name) == 0) return p->items[i].value;
    return NULL;
}
static int param_all(arena_t *a, const params_t *p, const char *name, const char ***out) {
    const char **v = arena_alloc(a, sizeof(char *) * (size_t)(p->n + 1));
    int n = 0;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->items[i].name, name) == 0) v[n++] = p->items[i].value;
    *out = v;
    return n;
}
const char *req_query(req_t *r, const char *name) { return param_get(&r->query, name); }
const char *req_form(req_t *r, const char *name) { return param_get(&r->form, name); }
int req_form_all(req_t *r, const char *name, const char ***out) { return param_all(r->arena, &r->form, name, out); }
int req_query_all(req_t *r, const char *name, const char ***out) { return param_all(r->arena, &r->query, name, out); }
const char *req_header(req_t *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}
const char *req_cookie(req_t *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}
bool req_is_tls(req_t *r) {
    (void)r; /* not X-Forwarded-Proto: a client could send it; the operator says (--secure-cookies) */
    return g_opts.secure_cookies;
}
bool req_media_type_is(req_t *r, const char *type) {
    const char *ct = req_header(r, "Content-Type");
    if (!ct) return false;
    while (*ct == ' ' || *ct == '\t') ct++;
    size_t n = strcspn(ct, ";");
    while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t')) n--;
    return n == strlen(type) && strncasecmp(ct, type, n) == 0;
}

/* ---- responses ---- */
void params_add(arena_t *a, params_t *l, const char *name, const char *value) {
    param_t *n = arena_alloc(a, sizeof(param_t) * (size_t)(l->n + 1));
    if (l->n) memcpy(n, l->items, sizeof(param_t) * (size_t)l->n);
    n[l->n].name = arena_strdup(a, name);
    n[l->n].value = arena_strdup(a, value);
    l->items = n;
    l->n++;
}

void resp_header(req_t *r, const char *name, const char *value) { params_add(r->arena, &r->headers, name, value); }

void resp_set_cookie(req_t *r, const char *name, const char *value, int max_age) {
    resp_header(r, "Set-Cookie",
                aprintf_text(r->arena, "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Lax%s", name, value, max_age,
                        req_is_tls(r) ? "; Secure" : ""));
}

void resp_redirect(req_t *r, const char *location) {
    const char *to = local_path(r->arena, location);
    if (!to) { /* handlers only pass paths they made or checked: this is a bug */
        log_msg("bug: refused redirect target %.100s", location);
        to = "/";
    }
    r->status = 303;
    resp_header(r, "Location", to);
    r->ctype = "text/plain; charset=utf-8";
    r->out.len = 0;
    buf_puts(&r->out, "See Other\n");
}

static void free_json(void *p) { free(p); }

void resp_json(req_t *r, int status, json_t *j) {
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    r->status = status;
    r->ctype = "application/json";
    r->out.len = 0;
    if (s) { arena_on_free(r->arena, free_json, s); buf_puts(&r->out, s); }
    buf_putc(&r->out, '\n');
}

void resp_problem(req_t *r, int status, const char *code, const char *detail, json_t *errors) {
    json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", "about:blank", "title",
                          MHD_get_reason_phrase_for((unsigned)status), "status", status, "code", code, "detail",
                          detail ? detail : "");
    if (errors) json_object_set_new(j, "errors", errors);
    resp_json(r, status, j);
    r->ctype = "application/problem+json";
}

/* ---- decoding ---- */
bool form_decode(arena_t *a, const char *body, size_t len, params_t *out) {
    out->n = 0;
    out->items = NULL;
    if (!body || !len) return true;
    int cap = 1;
    for (size_t i = 0; i < len; i++) if (body[i] == '&') cap++;
    out->items = arena_alloc(a, sizeof(param_t) * (size_t)cap);
    size_t i = 0;
    while (i <= len) {
        size_t j = i;
        while (j < len && body[j] != '&') j++;
        if (j > i) {
            char *pair = arena_strndup(a, body + i, j - i);
            for (char *p = pair; *p; p++) if (*p == '+') *p = ' ';
            char *eq = strchr(pair, '=');
            char *val = pair + strlen(pair); /* writable empty string when there is no '=' */
            if (eq) { *eq = 0; val = eq + 1; }
            /* strict percent-decoding: every % must start a valid escape */
            for (char *s = pair; *s; s++) if (*s == '%' && !(isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]))) return false;
            for (char *s = val; *s; s++) if (*s == '%' && !(isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]))) return false;
            size_t nl = MHD_http_unescape(pair);
            size_t vl = MHD_http_unescape(val);
            if (nl != strlen(pair) || vl != strlen(val)) return false; /* an escaped NUL */
            if (!utf8_valid(pair, nl) || !utf8_valid(val, vl)) return false;
            out->items[out->n].name = pair;
            out->items[out->n].value = val;
            out->n++;
        }
        i = j + 1;
    }
    return true;
}

const char *accept_language(const char *h) {
    if (!h) return NULL;
    const char *best = NULL;
    double bestq = 0;
    const char *p = h;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        const char *tag = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ') p++;
        size_t tl = (size_t)(p - tag);
        double q = 1.0;
        while (*p && *p != ',') {
            if (p[0] == ';' ) {
                const char *s = p + 1;
                while (*s == ' ') s++;
                if (s[0] == 'q' && s[1] == '=') q = atof(s + 2);
            }
            p++;
        }
        const char *lang = NULL;
        if (tl >= 2 && strncasecmp(tag, "sv", 2) == 0 && (tl == 2 || tag[2] == '-')) lang = "sv";
        else if (tl >= 2 && (strncasecmp(tag, "nb", 2) == 0 || strncasecmp(tag, "no", 2) == 0 ||
                             strncasecmp(tag, "nn", 2) == 0) && (tl == 2 || tag[2] == '-')) lang = "nb";
        else if (tl >= 2 && strncasecmp(tag, "en", 2) == 0 && (tl == 2 || tag[2] == '-')) lang = "en";
        if (lang && q > bestq) { best = lang; bestq = q; }
    }
    return best;
}

/* path_char: a byte a URL's path, query or fragment may carry as it is (RFC 3986 pchar, '/', '?'
 * and '#'; '%' only when it starts an escape, checked by the caller) */
static bool path_char(unsigned char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch && strchr("-._~!$&'()*+,;=:@/?#", ch));
}

const char *local_path(arena_t *a, const char *s) {
    if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\') return NULL;
    size_t n = strlen(s);
    if (!utf8_valid(s, n)) return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 || ch == 0x7f || ch == '\\') return NULL; /* "/<TAB>/x" reads as "//x" */
    }
    buf_t b;
    buf_init(&b, a);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (path_char(ch) || (ch == '%' && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])))
            buf_putc(&b, (char)ch);
        else {
            static const char hex[] = "0123456789ABCDEF";
            char e[3] = {'%', hex[ch >> 4], hex[ch & 15]};
            buf_append(&b, e, 3);
        }
    }
    return b.data;
}

bool safe_local_path(const char *s) {
    arena_t *a = arena_new();
    bool ok = local_path(a, s) != NULL;
    arena_free(a);
    return ok;
}

/* ---- routing ---- */
bool route_match(req_t *r, const char *pattern, const char *path) {
    r->nid = r->narg = 0;
    const char *p = pattern, *u = path;
    while (*p && *u) {
        if (*p == '{') {
            bool digits = strncmp(p, "{id}", 4) == 0;
            const char *end = strchr(p, '}');
            p = end + 1;
            const char *s = u;
            while (*u && *u != '/') u++;
            if (u == s) return false;
            if (digits) {
                long long v;
                char *seg = arena_strndup(r->arena, s, (size_t)(u - s));
                if (!parse_int(seg, 1, INT64_MAX, &v) || r->nid >= 3) return false;
                r->id[r->nid++] = v;
            } else {
                if (r->narg >= 3) return false;
                r->arg[r->narg++] = arena_strndup(r->arena, s, (size_t)(u - s));
            }
            continue;
        }
        if (*p != *u) return false;
        p++;
        u++;
    }
    return !*p && !*u;
}

static bool is_api(const char *path) { return strncmp(path, "/api/", 5) == 0; }

void resp_error(req_t *r, int status, const char *code, const char *message) {
    if ((r->route && (r->route->flags & R_API)) || is_api(r->path)) {
        resp_problem(r, status, code, message, NULL);
        return;
    }
    http_error_page(r, status, message);
}

static void security_headers(struct MHD_Response *resp) {
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

static int decide_lang(req_t *r) {
    const char *c = req_cookie(r, "lang");
    if (c && i18n_known(c)) { r->lang = i18n_canonical(c); return 0; }
    if (r->user && r->user->lang && i18n_known(r->user->lang)) { r->lang = r->user->lang; return 0; }
    const char *a = accept_language(req_header(r, "Accept-Language"));
    r->lang = a ? a : "sv";
    return 0;
}

/* route_find: the route for the request's method and path (filling r->id, r->arg), or NULL;
 * *path_matched tells a wrong method (405) from no such path (404). */
static const route_t *route_find(req_t *r, bool *path_matched) {
    *path_matched = false;
    for (const route_t *rt = routes; rt->method; rt++) {
        if (!route_match(r, rt->pattern, r->path)) continue;
        *path_matched = true;
        if (strcmp(rt->method, r->method) == 0 || (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
            return rt;
    }
    return NULL;
}

/* ask_who: who is asking, once per request (the header stage may have asked already) */
static bool ask_who(req_t *r) {
    if (!r->auth_state) r->auth_state = http_who(r) ? 1 : -1;
    return r->auth_state > 0;
}

/* dispatch: policy, then the handler. */
static void dispatch(req_t *r) {
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) db_read_begin(db_get());
    bool auth_ok = ask_who(r);
    decide_lang(r);
    bool path_matched;
    const route_t *found = route_find(r, &path_matched);
    if (!found) {
        /* rematch nothing: ids from the failed matches are meaningless */
        r->nid = r->narg = 0;
        if (path_matched) {
            buf_t allow;
            buf_init(&allow, r->arena);
            for (const route_t *rt = routes; rt->method; rt++)
                if (route_match(r, rt->pattern, r->path)) bprintf_text(&allow, "%s%s", allow.len ? ", " : "", rt->method);
            resp_header(r, "Allow", allow.data);
            resp_error(r, 405, "method-not-allowed", T(r, "This address does not accept that method."));
        } else {
            resp_error(r, 404, "not-found", T(r, "There is no such page."));
        }
        return;
    }
    r->route = found;
    int fl = found->flags;
    if (!auth_ok) {
        resp_error(r, 401, "bad-token", T(r, "The access token is not valid."));
        return;
    }
    bool write = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
    if ((fl & (R_LOGIN | R_ADMIN)) && !r->user) {
        if (fl & R_API) resp_error(r, 401, "login-required", T(r, "You need to log in."));
        else if (!write) resp_redirect(r, aprintf(r->arena, "/login?next=%U", r->path));
        else resp_error(r, 401, "login-required", T(r, "You need to log in."));
        return;
    }
    if ((fl & R_ADMIN) && !r->user->is_admin) {
        resp_error(r, 403, "forbidden", T(r, "Only platform administrators may do this."));
        return;
    }
    if (write && r->body_len && !(fl & R_API)) {
        if (!req_media_type_is(r, "application/x-www-form-urlencoded")) {
            resp_error(r, 415, "unsupported-media-type", T(r, "The form was sent in a format we do not accept."));
            return;
        }
        if (!form_decode(r->arena, r->body, r->body_len, &r->form)) {
            resp_error(r, 400, "bad-encoding", T(r, "The form contained text that is not valid UTF-8."));
            return;
        }
    }
    if (write && (fl & R_CSRF)) {
        if (!csrf_ok(r, req_form(r, "csrf"))) {
            resp_error(r, 403, "csrf", T(r, "The form has expired or did not come from this site. Please try again."));
            return;
        }
    }
    if (write && (fl & R_API) && !r->via_token && r->user) {
        if (!csrf_ok(r, req_header(r, "X-CSRF-Token"))) {
            resp_error(r, 403, "csrf", T(r, "A request with a session cookie needs the X-CSRF-Token header."));
            return;
        }
    }
    if (r->body_refused) { /* header_stage refuses only what the checks above refuse */
        log_msg("bug: %s %s refused at the header stage but not by dispatch", r->method, r->path);
        resp_error(r, 500, "internal", T(r, "Something went wrong on our side."));
        return;
    }
    const char *key = pagecache_key(r);
    int64_t version = key ? pagecache_version() : -1;
    if (key && pagecache_get(r, key, version)) {
        resp_header(r, "X-Cache", "hit");
        return;
    }
    found->handler(r);
    if (key) {
        if (!db_request_failed(db_get())) pagecache_put(r, key, version); /* never cache a page a failing query made */
        resp_header(r, "X-Cache", "miss");
    }
}

/* http_db_finish: at the end of every request: a failed statement or a transaction the handler
 * left open replaces whatever was buffered with a logged 500 (see db/db.h) */
void http_db_finish(req_t *r) {
    db_req_status_t st = db_request_end(db_get());
    if (st == DB_REQ_OK) return;
    if (st == DB_REQ_UNAVAILABLE) { /* the store (PostgreSQL) is down: come back shortly */
        log_msg("503 %s %s: the store is not reachable", r->method, r->path);
        r->headers.n = 0;
        r->out.len = 0;
        r->ctype = NULL;
        resp_header(r, "Retry-After", "5");
        resp_error(r, 503, "store-unavailable", T(r, "The database cannot be reached right now. Please try again in a moment."));
        db_request_end(db_get());
        return;
    }
    log_msg("500 %s %s: %s", r->method, r->path,
            st == DB_REQ_OPEN_TX ? "the handler left a transaction open (rolled back)" : "a database statement failed");
    r->headers.n = 0;
    r->out.len = 0;
    r->ctype = NULL;
    resp_error(r, 500, "internal-error", T(r, "A database operation failed on our side. Please try again later."));
    db_request_end(db_get()); /* the error page's own reads end here too */
}

/* ---- MHD callbacks ---- */
static int collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    struct conn_ctx *c = cls;
    req_t *r = &c->r;
    if (!key || !utf8_valid(key, strlen(key)) || (value && !utf8_valid(value, strlen(value)))) {
        r->form_ok = false; /* reused as "query invalid" before dispatch */
        return MHD_YES;
    }
    param_t *n = arena_alloc(r->arena, sizeof(param_t) * (size_t)(r->query.n + 1));
    if (r->query.n) memcpy(n, r->query.items, sizeof(param_t) * (size_t)r->query.n);
    n[r->query.n].name = arena_strdup(r->arena, key);
    n[r->query.n].value = arena_strdup(r->arena, value ? value : "");
    r->query.items = n;
    r->query.n++;
    return MHD_YES;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, req_t *r) {
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(r->out.len, r->out.data, MHD_RESPMEM_PERSISTENT); /* freed with the arena */
    MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "text/html; charset=utf-8");
    security_headers(resp);
    bool has_cache = false;
    for (int i = 0; i < r->headers.n; i++) {
        MHD_add_response_header(resp, r->headers.items[i].name, r->headers.items[i].value);
        if (strcasecmp(r->headers.items[i].name, "Cache-Control") == 0) has_cache = true;
    }
    if (!has_cache) MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (r->lang) MHD_add_response_header(resp, "Content-Language", r->lang);
    /* draining: no further request on this connection (the load balancer sends it elsewhere) */
    if (atomic_load(&g_draining)) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* ---- rate-limited logging ----
 * A flood (a refused connection, a slow client closed) must not write one line per event: each
 * kind logs at most LOG_BURST lines per LOG_WINDOW seconds, then one line saying how many more
 * there were. Thread-safe; the reaper thread flushes the counts. */
#define LOG_BURST 5
#define LOG_WINDOW 60
enum { LOG_MHD, LOG_SLOW, LOG_KINDS };
static const char *const log_kind_name[LOG_KINDS] = {"libmicrohttpd messages", "slow clients closed"};
static pthread_mutex_t g_log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { time_t window; int logged; unsigned long suppressed; } g_log[LOG_KINDS];

/* log_flush_locked: end the window of a kind whose time is up, saying what was left out */
static void log_flush_locked(int kind, time_t now) {
    if (now - g_log[kind].window < LOG_WINDOW) return;
    if (g_log[kind].suppressed)
        log_msg("%lu more %s in the last %d s not logged", g_log[kind].suppressed, log_kind_name[kind], LOG_WINDOW);
    g_log[kind].window = now;
    g_log[kind].logged = 0;
    g_log[kind].suppressed = 0;
}

static void log_limited(int kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_limited(int kind, const char *fmt, ...) {
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    pthread_mutex_lock(&g_log_lock);
    log_flush_locked(kind, time(NULL));
    bool say = g_log[kind].logged < LOG_BURST;
    if (say) g_log[kind].logged++;
    else g_log[kind].suppressed++;
    pthread_mutex_unlock(&g_log_lock);
    if (say) log_msg("%s", line);
}

/* mhd_log: libmicrohttpd's messages (one per refused connection when a limit is reached) */
static void mhd_log(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    if (strstr(line, "connection limit")) metrics_connection_refused();
    log_limited(LOG_MHD, "libmicrohttpd: %s", line);
}

/* ---- deadlines: the watch list and its reaper ----
 * libmicrohttpd's timeout counts silence only: a header line every few seconds would hold a
 * connection for ever. So each connection gets a watch (its socket context) with a deadline in
 * CLOCK_MONOTONIC milliseconds, set by the connection's own thread as the request moves on:
 *   connected           -> header_timeout from now: request line and headers
 *   request line read   -> no later than header_timeout from now
 *   headers read        -> body_timeout from now if a body follows, else none (the handler runs)
 *   response queued     -> none (libmicrohttpd's silence timeout covers a client that stops reading)
 *   response sent       -> CONN_TIMEOUT from now: a kept-alive connection waits for its next request
 * The reaper thread looks every REAP_MS and shuts down the socket of a connection past its
 * deadline (a 408 first when a request had begun); libmicrohttpd then sees the connection end
 * and closes it in its own thread. Watches are unlinked under g_watch_lock in the close
 * notification, which libmicrohttpd makes before it closes the socket, so the reaper never
 * touches a descriptor that was closed and reused. */
#define REAP_MS 200
enum watch_phase { W_WAIT, W_HEADERS, W_BODY, W_BUSY };
struct watch {
    struct watch *prev, *next;   /* the list, under g_watch_lock */
    int fd;
    atomic_llong deadline;       /* ms on CLOCK_MONOTONIC; 0: none */
    atomic_int phase;            /* enum watch_phase */
    bool reaped;                 /* under g_watch_lock */
    bool nul_in_uri;             /* the current request's URI has %00 (the connection's thread only) */
    bool counted;                /* counted per address by us (with --trust-proxy; see accept_policy) */
    char ip[INET6_ADDRSTRLEN];
    char client[INET6_ADDRSTRLEN]; /* behind a trusted proxy: the current request's client once its
                                      headers are in ("" else); under g_watch_lock */
};
static pthread_mutex_t g_watch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct watch *g_watches;
static atomic_bool g_reaper_stop;

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* client_ip: the connection's peer address as text */
static void client_ip(struct MHD_Connection *conn, char *ip, size_t n) {
    snprintf(ip, n, "?");
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr, ip, (socklen_t)n);
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip, (socklen_t)n);
    }
}

static struct watch *watch_of(struct MHD_Connection *conn) {
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

/* watch_set: move the connection to phase with deadline ms (0: none); its own thread only */
static void watch_set(struct watch *w, enum watch_phase phase, long long deadline) {
    if (!w) return;
    atomic_store(&w->deadline, deadline);
    atomic_store(&w->phase, (int)phase);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code) {
    (void)cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct watch *w = xcalloc(1, sizeof *w);
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        w->fd = ci ? ci->connect_fd : -1;
        client_ip(conn, w->ip, sizeof w->ip);
        if (proxy_enabled() && !proxy_trusted(w->ip)) {
            char key[ADDR_TEXT + 2];
            snprintf(key, sizeof key, "c:%s", w->ip);
            addr_take(key, INT32_MAX);
            w->counted = true;
        }
        watch_set(w, W_WAIT, now_ms() + g_opts.header_timeout * 1000LL);
        pthread_mutex_lock(&g_watch_lock);
        w->next = g_watches;
        if (g_watches) g_watches->prev = w;
        g_watches = w;
        pthread_mutex_unlock(&g_watch_lock);
        *socket_context = w;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
        struct watch *w = *socket_context;
        pthread_mutex_lock(&g_watch_lock);
        if (w->prev) w->prev->next = w->next;
        else g_watches = w->next;
        if (w->next) w->next->prev = w->prev;
        pthread_mutex_unlock(&g_watch_lock);
        if (w->counted) {
            char key[ADDR_TEXT + 2];
            snprintf(key, sizeof key, "c:%s", w->ip);
            addr_put(key);
        }
        free(w);
        *socket_context = NULL;
    }
}

static void *reaper(void *arg) {
    (void)arg;
    static const char timeout_408[] =
        "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 16\r\n\r\n"
        "Request Timeout\n";
    while (!atomic_load(&g_reaper_stop)) {
        struct timespec pause = {0, REAP_MS * 1000000L};
        nanosleep(&pause, NULL);
        long long now = now_ms();
        pthread_mutex_lock(&g_watch_lock);
        for (struct watch *w = g_watches; w; w = w->next) {
            long long dl = atomic_load(&w->deadline);
            if (w->reaped || !dl || now < dl || w->fd < 0) continue;
            int phase = atomic_load(&w->phase);
            /* a request had begun and nothing is being sent: say why before closing */
            if (phase == W_HEADERS || phase == W_BODY)
                (void)!send(w->fd, timeout_408, sizeof timeout_408 - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
            shutdown(w->fd, SHUT_RDWR);
            w->reaped = true;
            metrics_connection_timed_out();
            const char *what = phase == W_BODY ? "request body" : phase == W_HEADERS ? "request headers" : "request line";
            if (w->client[0]) /* a forwarded request's body: the client is known, and the proxy it came through */
                log_limited(LOG_SLOW, "%s (via %s): closed a slow connection (%s not complete in time)", w->client, w->ip, what);
            else log_limited(LOG_SLOW, "%s: closed a slow connection (%s not complete in time)", w->ip, what);
        }
        pthread_mutex_unlock(&g_watch_lock);
        pthread_mutex_lock(&g_log_lock);
        for (int k = 0; k < LOG_KINDS; k++) log_flush_locked(k, time(NULL));
        pthread_mutex_unlock(&g_log_lock);
    }
    return NULL;
}

/* escaped_nul: the raw URI has "%00", which decoding would turn into a NUL that cuts the path */
static bool escaped_nul(const char *uri) {
    for (const char *p = strchr(uri, '%'); p; p = strchr(p + 1, '%'))
        if (p[1] == '0' && p[2] == '0') return true;
    return false;
}

/* on_uri: the request line is in (headers not yet): start the header clock of a kept-alive
 * connection, and note a %00 before libmicrohttpd decodes it away. Returns no request context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
    (void)cls;
    struct watch *w = watch_of(conn);
    if (!w) return NULL;
    w->nul_in_uri = escaped_nul(uri);
    long long dl = now_ms() + g_opts.header_timeout * 1000LL, cur = atomic_load(&w->deadline);
    watch_set(w, W_HEADERS, cur && cur < dl ? cur : dl);
    return NULL;
}

static void free_body(void *p) {
    struct conn_ctx *c = p;
    free(c->body);
}

/* header_stage: the headers are in and no byte of the body has been read. Decides whether the
 * body is kept at all: not when the URI has %00, when Content-Length is over the route's limit,
 * when the route or method does not exist, or when the
 * route needs a login (or an admin) the request does not have. A kept body gets its buffer,
 * sized once (from Content-Length; a chunked body grows up to the limit). A refused one is
 * answered at once when the client waits for that (Expect: 100-continue) or announces more
 * than DRAIN_MAX (libmicrohttpd then reads none of it and closes the connection); otherwise
 * it is read and dropped, costing no memory, and answered when it has arrived — closing on a
 * client that is still sending would reset the connection and lose the answer. Either way the
 * body clock runs. Returns true when the request is to be answered now. */
static bool header_stage(struct conn_ctx *c, struct MHD_Connection *conn) {
    req_t *r = &c->r;
    struct watch *w = watch_of(conn);
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding");
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Expect");
    bool chunked = te && strcasestr(te, "chunked");
    long long n = 0;
    if (cl && !parse_int(cl, 0, INT64_MAX, &n)) { c->too_large = c->refused = true; return true; }
    if (!n && !chunked) { watch_set(w, W_BUSY, 0); return false; } /* no body: answer() decides */
    bool path_matched;
    const route_t *rt = route_find(r, &path_matched);
    r->nid = r->narg = 0; /* dispatch matches again */
    c->body_max = rt && rt->max_body ? rt->max_body : BODY_DEFAULT;
    if (rt && n > (long long)c->body_max) c->too_large = true; /* (no route: 404, whatever its size) */
    c->refused = c->too_large || !rt || (w && w->nul_in_uri);
    if (!c->refused && (rt->flags & (R_LOGIN | R_ADMIN))) /* 401, the login page, or 403 */
        c->refused = !ask_who(r) || !r->user || ((rt->flags & R_ADMIN) && !r->user->is_admin);
    watch_set(w, W_BODY, now_ms() + g_opts.body_timeout * 1000LL);
    if (c->refused) return (expect && strcasecmp(expect, "100-continue") == 0) || n > DRAIN_MAX;
    c->body_cap = n ? (size_t)n + 1 : (c->body_max < 16384 ? c->body_max : 16384) + 1;
    c->body = xmalloc(c->body_cap);
    c->body[0] = 0;
    arena_on_free(r->arena, free_body, c);
    return false;
}

/* body_append: a piece of the body, kept while within the route's limit. Only a chunked body
 * (no Content-Length) grows its buffer, by doubling with realloc (no old block is kept); one
 * over the limit is read on and dropped, then answered 413. Returns false to close the
 * connection: more than DRAIN_MAX bytes of a body that is not kept. */
static bool body_append(struct conn_ctx *c, const char *data, size_t n) {
    c->received += n;
    if (c->refused || c->too_large) return c->received <= DRAIN_MAX;
    if (!c->body || n > c->body_max - c->body_len) { c->too_large = true; return true; }
    if (c->body_len + n + 1 > c->body_cap) {
        size_t cap = c->body_cap;
        while (cap < c->body_len + n + 1) cap *= 2;
        if (cap > c->body_max + 1) cap = c->body_max + 1;
        c->body = xrealloc(c->body, cap);
        c->body_cap = cap;
    }
    memcpy(c->body + c->body_len, data, n);
    c->body_len += n;
    c->body[c->body_len] = 0;
    return true;
}

/* answer: the request is complete (or refused at the header stage): decode, dispatch, send */
static enum MHD_Result answer(struct conn_ctx *c, struct MHD_Connection *conn, bool body_refused) {
    req_t *r = &c->r;
    struct watch *w = watch_of(conn);
    watch_set(w, W_BUSY, 0);
    r->body = c->body ? c->body : arena_strdup(r->arena, "");
    r->body_len = c->body_len;
    r->body_refused = body_refused;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, (MHD_KeyValueIterator)collect_query, c);
    if (w && w->nul_in_uri) {
        decide_lang(r);
        resp_error(r, 400, "bad-request", T(r, "The address contains an escaped NUL character."));
    } else if (!utf8_valid(r->path, strlen(r->path))) {
        r->lang = "sv";
        resp_error(r, 400, "bad-encoding", T(r, "The address is not valid UTF-8."));
    } else if (!r->form_ok) {
        decide_lang(r);
        resp_error(r, 400, "bad-encoding", T(r, "The address contained text that is not valid UTF-8."));
    } else if (c->too_large) {
        decide_lang(r);
        resp_error(r, 413, "too-large", T(r, "What you sent is too large."));
    } else if (c->too_many) {
        decide_lang(r);
        resp_header(r, "Retry-After", "1");
        resp_error(r, 429, "too-many-connections", T(r, "Too many requests at once from your address. Try again in a moment."));
    } else {
        db_request_begin(db_get());
        if (!db_unavailable(db_get())) dispatch(r); /* else http_db_finish answers 503 */
    }
    if (!r->lang) decide_lang(r);
    http_db_finish(r);
    /* what this request wrote shows in this node's visitors' pages at once (PostgreSQL: the page
     * cache asks the store until the change feed has caught up; db/feed.h) */
    if (db_request_wrote(db_get())) feed_wrote(db_get());
    if (r->set_csrf_cookie && r->csrf) resp_set_cookie(r, "csrf", r->csrf, 60 * 60 * 24);
    if (strcmp(r->method, "HEAD") == 0) r->out.len = 0;
    return send_response(conn, r);
}

/* ---- behind a trusted proxy (--trust-proxy; http/proxy.h) ---- */

struct fwd_headers { buf_t xff, fwd; bool has_xff, has_fwd; };

/* collect_forwarding: every line of X-Forwarded-For and of Forwarded, joined with ", " */
static enum MHD_Result collect_forwarding(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
    (void)kind;
    struct fwd_headers *h = cls;
    bool xff = !strcasecmp(key, "X-Forwarded-For"), fwd = !xff && !strcasecmp(key, "Forwarded");
    if (!xff && !fwd) return MHD_YES;
    buf_t *b = xff ? &h->xff : &h->fwd;
    bool *has = xff ? &h->has_xff : &h->has_fwd;
    if (*has) buf_append(b, ", ", 2);
    buf_append(b, value ? value : "", value ? strlen(value) : 0);
    *has = true;
    return MHD_YES;
}

/* forwarded_client: a request from a trusted proxy belongs to the client its forwarding header
 * names (r->ip; the peer when the header is missing or malformed). Such a client may have
 * max_per_ip requests in flight (the connections it could hold if it connected directly);
 * beyond that answer() says 429 */
static void forwarded_client(struct conn_ctx *c, struct MHD_Connection *conn, const char *peer) {
    if (!proxy_trusted(peer)) return;
    struct fwd_headers h = {0};
    buf_init(&h.xff, c->r.arena);
    buf_init(&h.fwd, c->r.arena);
    MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_forwarding, &h);
    char client[ADDR_TEXT];
    if (!proxy_client(peer, h.has_fwd ? h.fwd.data : NULL, h.has_xff ? h.xff.data : NULL, client)) return;
    c->r.ip = arena_strdup(c->r.arena, client);
    c->via = arena_strdup(c->r.arena, peer);
    struct watch *w = watch_of(conn);
    if (w) {   /* the reaper names the client when it closes this request slowly sending its body */
        pthread_mutex_lock(&g_watch_lock);
        snprintf(w->client, sizeof w->client, "%s", client);
        pthread_mutex_unlock(&g_watch_lock);
    }
    char *key = arena_printf_libc(c->r.arena, "r:%s", client);
    if (addr_take(key, g_opts.max_per_ip)) c->slot = key;
    else {
        c->too_many = true;
        metrics_connection_refused();
        log_limited(LOG_MHD, "%s (via %s): refused a request over the per-address limit (%d in flight)", client, peer,
                    g_opts.max_per_ip);
    }
}

/* accept_policy: with --trust-proxy the per-address connection limit is ours (libmicrohttpd's
 * would hold the proxies to it): a trusted proxy is not limited, any other address to
 * max_per_ip connections (counted in on_connection; a few accepted at the same moment by
 * different threads may pass it together) */
static enum MHD_Result accept_policy(void *cls, const struct sockaddr *addr, socklen_t len) {
    (void)cls;
    char ip[INET6_ADDRSTRLEN] = "?";
    if (addr->sa_family == AF_INET && len >= sizeof(struct sockaddr_in))
        inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, ip, sizeof ip);
    else if (addr->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6))
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, ip, sizeof ip);
    if (!proxy_enabled() || proxy_trusted(ip)) return MHD_YES;
    char key[ADDR_TEXT + 2];
    snprintf(key, sizeof key, "c:%s", ip);
    if (addr_count(key) < g_opts.max_per_ip) return MHD_YES;
    metrics_connection_refused();
    log_limited(LOG_MHD, "%s: refused a connection over the per-address limit (%d)", ip, g_opts.max_per_ip);
    return MHD_NO;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls) {
    (void)cls; (void)version;
    struct conn_ctx *c = *con_cls;
    if (!c) {
        arena_t *a = arena_new();
        c = arena_alloc(a, sizeof *c);
        clock_gettime(CLOCK_MONOTONIC, &c->start);
        c->r.arena = a;
        c->r.conn = conn;
        c->r.method = arena_strdup(a, method);
        c->r.path = arena_strdup(a, url);
        c->r.status = 200;
        c->r.form_ok = true;
        buf_init(&c->r.out, a);
        char ip[INET6_ADDRSTRLEN];
        client_ip(conn, ip, sizeof ip);
        c->r.ip = arena_strdup(a, ip);
        if (proxy_enabled()) forwarded_client(c, conn, ip);
        *con_cls = c;
        atomic_fetch_add(&g_inflight, 1);
        if (header_stage(c, conn)) return answer(c, conn, true);
        return MHD_YES;
    }
    if (*upload_size) {
        bool more = body_append(c, upload, *upload_size);
        *upload_size = 0;
        return more ? MHD_YES : MHD_NO;
    }
    return answer(c, conn, c->refused);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)cls;
    /* the connection may carry another request: it waits for one under the keep-alive deadline
     * (a little after libmicrohttpd's own silence timeout, which closes a merely idle one) */
    struct watch *w = watch_of(conn);
    watch_set(w, W_WAIT, now_ms() + (CONN_TIMEOUT + 2) * 1000LL);
    if (w) {
        w->nul_in_uri = false;
        /* the next request on this connection may be another client's (a proxy's keep-alive) */
        pthread_mutex_lock(&g_watch_lock);
        w->client[0] = 0;
        pthread_mutex_unlock(&g_watch_lock);
    }
    struct conn_ctx *c = *con_cls;
    if (!c) return;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double secs = (double)(end.tv_sec - c->start.tv_sec) + (double)(end.tv_nsec - c->start.tv_nsec) / 1e9;
    req_t *r = &c->r;
    metrics_record(r->route ? r->route->pattern : "(none)", r->status, secs);
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK || toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT)
        log_msg("%s %s %s %d %zu %.1fms%s%s%s", r->ip, r->method, r->path, r->status, r->out.len, secs * 1000,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted", c->via ? " via " : "", c->via ? c->via : "");
    if (c->slot) addr_put(c->slot);
    arena_free(r->arena);
    *con_cls = NULL;
    atomic_fetch_sub(&g_inflight, 1);
}

/* raise_fd_limit: the soft limit on open files up to the hard one (one descriptor per
 * connection); returns the limit now in force */
static long raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
    if (rl.rlim_cur < rl.rlim_max) {
        struct rlimit want = {rl.rlim_max, rl.rlim_max};
        if (setrlimit(RLIMIT_NOFILE, &want) == 0) rl.rlim_cur = rl.rlim_max;
    }
    return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 1 << 30 ? 1L << 30 : (long)rl.rlim_cur;
}

int server_run(const server_opts_t *o) {
    char host[256];
    const char *colon = strrchr(o->listen, ':');
    long long port;
    if (!colon || (size_t)(colon - o->listen) >= sizeof host || !parse_int(colon + 1, 0, 65535, &port)) {
        fprintf(stderr, "granslos: --listen wants HOST:PORT, not %s\n", o->listen);
        return 2;
    }
    memcpy(host, o->listen, (size_t)(colon - o->listen));
    host[colon - o->listen] = 0;
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
    if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
        fprintf(stderr, "granslos: cannot listen on %s: give an IPv4 address\n", host);
        return 2;
    }
    g_opts = *o;
    if (g_opts.header_timeout <= 0) g_opts.header_timeout = HEADER_TIMEOUT;
    if (g_opts.body_timeout <= 0) g_opts.body_timeout = BODY_TIMEOUT;
    if (g_opts.max_connections <= 0) g_opts.max_connections = MAX_CONNECTIONS;
    if (g_opts.max_per_ip <= 0) g_opts.max_per_ip = MAX_PER_IP;
    long fds = raise_fd_limit();
    if (g_opts.max_connections > fds - FD_RESERVE) g_opts.max_connections = fds - FD_RESERVE > 16 ? (int)(fds - FD_RESERVE) : 16;
    if (g_opts.max_per_ip > g_opts.max_connections) g_opts.max_per_ip = g_opts.max_connections;
    metrics_set_token(g_opts.metrics_token);
    /* block the stop signals in every thread; the main thread waits for them below */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    pthread_t reaper_thread;
    atomic_store(&g_reaper_stop, false);
    if (pthread_create(&reaper_thread, NULL, reaper, NULL) != 0) {
        fprintf(stderr, "granslos: cannot start the connection reaper\n");
        return 1;
    }
    /* poll(), not epoll: with libmicrohttpd 0.9.75's edge-triggered epoll, under CPU contention a
     * kept-alive connection whose next request came in at the wrong moment was not read until the
     * 30 s timeout (1,000 connections from one address, a few hundred stalled in one run in five);
     * level-triggered poll() cannot miss it. tests/http/transport.test.mjs keeps that fixed. */
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, accept_policy, NULL,
        on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)g_opts.max_connections, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONN_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        proxy_enabled() ? 0u : (unsigned)g_opts.max_per_ip, /* with --trust-proxy: accept_policy */ MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)BACKLOG, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, NULL, MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "granslos: cannot listen on %s\n", o->listen);
        atomic_store(&g_reaper_stop, true);
        pthread_join(reaper_thread, NULL);
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_msg("granslos serving http://%s:%u/ with %d threads (database %s)", host, di ? di->port : (unsigned)port,
            o->threads, db_global_path());
    log_msg("limits: %d connections, %d per address, open files %ld; headers within %d s, bodies within %d s",
            g_opts.max_connections, g_opts.max_per_ip, fds, g_opts.header_timeout, g_opts.body_timeout);
    int sig = 0;
    sigwait(&stop, &sig);
    log_msg("shutting down: finishing requests in flight");
    atomic_store(&g_draining, true);
    MHD_quiesce_daemon(d);
    /* requests in flight finish (up to 10 s); idle keep-alive connections are simply closed */
    for (int i = 0; i < 1000 && atomic_load(&g_inflight) > 0; i++) usleep(10 * 1000);
    MHD_stop_daemon(d);
    atomic_store(&g_reaper_stop, true);
    pthread_join(reaper_thread, NULL);
    db_global_close();
    log_msg("stopped");
    return 0;
}
