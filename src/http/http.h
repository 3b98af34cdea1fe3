/* The request object every handler sees, and the response it builds.
 *
 * http/server.c turns a libmicrohttpd connection into a req_t, finds the route in the
 * one route table (src/routes.c), runs the policy its flags ask for (login, admin, CSRF,
 * JSON errors) and calls the handler. The handler writes its response into the request
 * (status, content type, headers, body in r->out); the server sends it once, whole.
 * Everything a request allocates lives in r->arena, freed after the response is sent. */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H
#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "core/arena.h"
#include "core/buf.h"

typedef struct param { const char *name, *value; } param_t;
typedef struct params { param_t *items; int n; } params_t;

typedef struct user {
    int64_t id;
    const char *email, *name, *lang;
    bool is_admin;
} user_t;

typedef struct req req_t;
typedef void (*handler_fn)(req_t *r);

enum route_flags {
    R_LOGIN = 1 << 0,  /* needs a logged-in user (pages redirect to /login, API answers 401) */
    R_ADMIN = 1 << 1,  /* needs a platform admin */
    R_CSRF  = 1 << 2,  /* state-changing form: the csrf field must match */
    R_API   = 1 << 3,  /* JSON API: problem+json errors; bearer token or cookie + X-CSRF-Token */
    R_CACHE = 1 << 4,  /* visitors' GETs may be served from the page cache (http/pagecache.h) */
};

/* Request body limits, decided from the headers before a body byte is read (http/server.c):
 * a route takes at most its max_body bytes, BODY_DEFAULT when the column is 0. */
#define BODY_DEFAULT (64 * 1024)     /* forms and JSON of every route that says nothing else */
#define BODY_DOCUMENT (512 * 1024)   /* documents with many long texts: organisations, events, obstacles */
#define BODY_IMPORT (1024 * 1024)    /* imports (an .ics calendar pasted into a form) */

typedef struct route {
    const char *method;   /* "GET", "POST", "PATCH", "DELETE" */
    const char *pattern;  /* "/organisations/{id}/edit": {id} matches digits, {x} one segment */
    handler_fn handler;
    int flags;
    size_t max_body;      /* largest request body accepted, in bytes; 0 means BODY_DEFAULT */
} route_t;

struct req {
    arena_t *arena;
    void *conn;                  /* the libmicrohttpd connection: for http/ only */
    const char *method, *path, *ip;
    const route_t *route;
    int64_t id[3];               /* {id}-style path arguments in order */
    const char *arg[3];          /* {x}-style path arguments in order */
    int nid, narg;
    params_t query, form;        /* decoded, valid UTF-8 */
    const char *body;            /* raw request body (NUL-terminated), may be NULL */
    size_t body_len;
    bool form_ok;                /* body decoded as a form without error */
    /* who is asking */
    user_t *user;                /* NULL for visitors */
    const char *session_hash;    /* set when logged in by cookie */
    const char *csrf;            /* the CSRF token forms must carry */
    bool set_csrf_cookie;        /* the visitor needs the csrf cookie */
    bool csrf_used;              /* the page carries the CSRF token (never cache it) */
    bool via_token;              /* authenticated with a bearer token */
    int auth_state;              /* http/server.c: 0 not yet asked, 1 resolved, -1 invalid bearer token */
    bool body_refused;           /* http/server.c: refused at the header stage, its body never read */
    const char *lang;            /* "sv", "nb" or "en" */
    /* the response */
    int status;
    const char *ctype;
    buf_t out;
    params_t headers;
    /* form rendering (html/): labels of the fields drawn so far, and where the error summary goes */
    params_t labels;
    size_t summary_at;
    json_t *summary_errors;
};

/* Request getters. Values are decoded UTF-8 or NULL. */
const char *req_query(req_t *r, const char *name);
const char *req_form(req_t *r, const char *name);
/* req_form_all: every value of a repeated field, in order; returns the count. */
int req_form_all(req_t *r, const char *name, const char ***out);
int req_query_all(req_t *r, const char *name, const char ***out);
const char *req_header(req_t *r, const char *name);
const char *req_cookie(req_t *r, const char *name);
/* req_is_tls: the site is served over HTTPS (behind a TLS proxy): the operator's setting
 * (serve --secure-cookies), never a client header. Cookies then carry Secure. */
bool req_is_tls(req_t *r);
/* req_media_type_is: the Content-Type's media type (before any ';' parameters, spaces trimmed)
 * equals type, ignoring case: "application/json; charset=utf-8" is application/json,
 * "application/jsonx" is not. */
bool req_media_type_is(req_t *r, const char *type);

/* Responses. */
void resp_header(req_t *r, const char *name, const char *value);
void resp_redirect(req_t *r, const char *location);            /* 303 See Other */
void resp_json(req_t *r, int status, json_t *j);               /* takes the reference */
/* resp_problem: RFC 9457 problem+json with a stable code and a message in the user's language. */
void resp_problem(req_t *r, int status, const char *code, const char *detail, json_t *errors);
/* resp_error: for pages an HTML error page, for API routes a problem. */
/* http_db_finish: end the request's use of this thread's connection (db_request_end). When a
 * statement failed or the handler left a transaction open (both logged), whatever was buffered —
 * page, "saved" redirect, headers — is replaced by a 500 error page (problem+json for the API). */
void http_db_finish(req_t *r);
void resp_error(req_t *r, int status, const char *code, const char *message);
void resp_set_cookie(req_t *r, const char *name, const char *value, int max_age);

/* Decoding (exposed for tests): an application/x-www-form-urlencoded body into params.
 * Returns false on malformed input or invalid UTF-8. */
bool form_decode(arena_t *a, const char *body, size_t len, params_t *out);
/* params_add: append a copy of {name, value} to l (in a). */
void params_add(arena_t *a, params_t *l, const char *name, const char *value);
/* accept_language: "sv", "nb", "en" or NULL from an Accept-Language header. */
const char *accept_language(const char *header);
/* local_path: s as a redirect target on this site, re-encoded into a, or NULL when it is not
 * one. Accepted: valid UTF-8 that begins with exactly one '/' (not "//", not "/\\"), with no
 * control byte (below 0x20, 0x7f) and no backslash anywhere. Bytes outside RFC 3986's path,
 * query and fragment characters are percent-encoded, so the browser reads what was checked.
 * Every redirect goes through it (resp_redirect). */
const char *local_path(arena_t *a, const char *s);
/* safe_local_path: local_path would accept s. */
bool safe_local_path(const char *s);
/* route_match: true if the decoded path matches a route pattern; fills r->id/nid and r->arg/narg
 * (allocated in r->arena). Exposed for the router's fuzz target. */
bool route_match(req_t *r, const char *pattern, const char *path);

/* The server. */
typedef struct server_opts {
    const char *listen;     /* "HOST:PORT" */
    int threads;
    /* limits (0: the default in http/server.c; docs/operations.md explains each) */
    int header_timeout;     /* seconds from connect (or the request line) to the end of the headers */
    int body_timeout;       /* seconds from the end of the headers to the end of the body */
    int max_connections;    /* open connections in all (clamped to the file descriptors there are) */
    int max_per_ip;         /* open connections from one address */
    bool secure_cookies;    /* served over HTTPS: Secure cookies, https links (req_is_tls) */
    const char *metrics_token; /* GET /metrics needs TOKEN as its Basic password; NULL: loopback only */
} server_opts_t;
int server_run(const server_opts_t *o);  /* blocks until SIGINT/SIGTERM; returns exit code */
/* http_draining: SIGTERM came: the server no longer accepts connections and finishes the
 * requests in flight (/readyz answers 503, every response closes its connection). */
bool http_draining(void);

/* routes.c */
extern const route_t routes[];
#endif
