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

typedef struct route {
    const char *method;   /* "GET", "POST", "PATCH", "DELETE" */
    const char *pattern;  /* "/organisations/{id}/edit": {id} matches digits, {x} one segment */
    handler_fn handler;
    int flags;
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
bool req_is_tls(req_t *r);

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
/* safe_local_path: true if s is a local absolute path (no scheme, no //). */
bool safe_local_path(const char *s);
/* route_match: true if the decoded path matches a route pattern; fills r->id/nid and r->arg/narg
 * (allocated in r->arena). Exposed for the router's fuzz target. */
bool route_match(req_t *r, const char *pattern, const char *path);

/* The server. */
typedef struct server_opts {
    const char *listen;     /* "HOST:PORT" */
    int threads;
} server_opts_t;
int server_run(const server_opts_t *o);  /* blocks until SIGINT/SIGTERM; returns exit code */

/* routes.c */
extern const route_t routes[];
#endif
