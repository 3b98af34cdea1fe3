/* libmicrohttpd glue: one request object per connection request, the route table, the
 * policy flags, the buffered response, logging and metrics. Handlers never see MHD. */
#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "core/util.h"
#include "db/db.h"
#include "http/csrf.h"
#include "http/http.h"
#include "http/metrics.h"
#include "http/pagecache.h"
#include "i18n/i18n.h"

#define MAX_BODY (1024 * 1024)       /* request bodies: forms and JSON */
#define MAX_CONNECTIONS 1024
#define CONN_TIMEOUT 30              /* seconds of silence before a connection is closed */
#define CONN_MEMORY (32 * 1024)      /* per-connection buffer for headers */

static atomic_int g_inflight; /* requests between their first byte and their completion */

struct conn_ctx {
    req_t r;
    buf_t body;
    bool too_large;
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
    const char *p = req_header(r, "X-Forwarded-Proto");
    return p && strcmp(p, "https") == 0;
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
    r->status = 303;
    resp_header(r, "Location", location);
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

bool safe_local_path(const char *s) {
    return s && s[0] == '/' && s[1] != '/' && s[1] != '\\' && !strpbrk(s, "\r\n") && utf8_valid(s, strlen(s));
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

/* dispatch: policy, then the handler. */
static void dispatch(req_t *r) {
    if (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0) db_read_begin(db_get());
    bool auth_ok = http_who(r);
    decide_lang(r);
    const route_t *found = NULL;
    bool path_matched = false;
    for (const route_t *rt = routes; rt->method; rt++) {
        if (!route_match(r, rt->pattern, r->path)) continue;
        path_matched = true;
        if (strcmp(rt->method, r->method) == 0 || (strcmp(r->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
            found = rt;
            break;
        }
    }
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
        const char *ct = req_header(r, "Content-Type");
        if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
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
    const char *key = pagecache_key(r);
    int64_t version = key ? pagecache_version() : -1;
    if (key && pagecache_get(r, key, version)) {
        resp_header(r, "X-Cache", "hit");
        return;
    }
    found->handler(r);
    if (key && !db_request_failed(db_get())) { /* never cache a page a failing query made */
        pagecache_put(r, key, version);
        resp_header(r, "X-Cache", "miss");
    }
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
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

void http_db_finish(req_t *r) {
    db_req_status_t st = db_request_end(db_get());
    if (st == DB_REQ_OK) return;
    log_msg("500 %s %s: %s", r->method, r->path,
            st == DB_REQ_OPEN_TX ? "the handler left a transaction open (rolled back)" : "a database statement failed");
    r->headers.n = 0;
    r->out.len = 0;
    r->ctype = NULL;
    resp_error(r, 500, "internal-error", T(r, "A database operation failed on our side. Please try again later."));
    db_request_end(db_get()); /* the error page's own reads end here too */
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
        buf_init(&c->body, a);
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        char ip[INET6_ADDRSTRLEN] = "?";
        if (ci && ci->client_addr) {
            if (ci->client_addr->sa_family == AF_INET)
                inet_ntop(AF_INET, &((struct sockaddr_in *)ci->client_addr)->sin_addr, ip, sizeof ip);
            else if (ci->client_addr->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ci->client_addr)->sin6_addr, ip, sizeof ip);
        }
        c->r.ip = arena_strdup(a, ip);
        *con_cls = c;
        atomic_fetch_add(&g_inflight, 1);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        long long n;
        if (cl && (!parse_int(cl, 0, INT64_MAX, &n) || n > MAX_BODY)) c->too_large = true;
        return MHD_YES;
    }
    req_t *r = &c->r;
    if (*upload_size) {
        if (!c->too_large && c->body.len + *upload_size <= MAX_BODY) buf_append(&c->body, upload, *upload_size);
        else c->too_large = true;
        *upload_size = 0;
        return MHD_YES;
    }
    r->body = c->body.data;
    r->body_len = c->body.len;
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, (MHD_KeyValueIterator)collect_query, c);
    if (!utf8_valid(r->path, strlen(r->path))) {
        r->lang = "sv";
        resp_error(r, 400, "bad-encoding", T(r, "The address is not valid UTF-8."));
    } else if (!r->form_ok) {
        decide_lang(r);
        resp_error(r, 400, "bad-encoding", T(r, "The address contained text that is not valid UTF-8."));
    } else if (c->too_large) {
        decide_lang(r);
        resp_error(r, 413, "too-large", T(r, "What you sent is too large."));
    } else {
        db_request_begin(db_get());
        dispatch(r);
    }
    if (!r->lang) decide_lang(r);
    http_db_finish(r);
    if (r->set_csrf_cookie && r->csrf) resp_set_cookie(r, "csrf", r->csrf, 60 * 60 * 24);
    if (strcmp(r->method, "HEAD") == 0) r->out.len = 0;
    return send_response(conn, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe) {
    (void)cls; (void)conn;
    struct conn_ctx *c = *con_cls;
    if (!c) return;
    struct timespec end;
    clock_gettime(CLOCK_MONOTONIC, &end);
    double secs = (double)(end.tv_sec - c->start.tv_sec) + (double)(end.tv_nsec - c->start.tv_nsec) / 1e9;
    req_t *r = &c->r;
    metrics_record(r->route ? r->route->pattern : "(none)", r->status, secs);
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK || toe == MHD_REQUEST_TERMINATED_CLIENT_ABORT)
        log_msg("%s %s %s %d %zu %.1fms%s", r->ip, r->method, r->path, r->status, r->out.len, secs * 1000,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
    arena_free(r->arena);
    *con_cls = NULL;
    atomic_fetch_sub(&g_inflight, 1);
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
    /* block the stop signals in every thread; the main thread waits for them below */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
        on_request, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)o->threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)CONN_TIMEOUT, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "granslos: cannot listen on %s\n", o->listen);
        return 1;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    log_msg("granslos serving http://%s:%u/ with %d threads (database %s)", host, di ? di->port : (unsigned)port,
            o->threads, db_global_path());
    int sig = 0;
    sigwait(&stop, &sig);
    log_msg("shutting down: finishing requests in flight");
    MHD_quiesce_daemon(d);
    /* requests in flight finish (up to 10 s); idle keep-alive connections are simply closed */
    for (int i = 0; i < 1000 && atomic_load(&g_inflight) > 0; i++) usleep(10 * 1000);
    MHD_stop_daemon(d);
    db_global_close();
    log_msg("stopped");
    return 0;
}
