/* CSRF tokens for forms and cookie-authenticated API writes (the transport checks them for
 * routes flagged R_CSRF / R_API; forms write them with csrf_token). The request's token is
 * r->csrf: the session's, or the visitor's csrf cookie before login. */
#ifndef HTTP_CSRF_H
#define HTTP_CSRF_H
#include <stdbool.h>
#include "http/http.h"

/* csrf_token: the token for forms on this page (a new visitor token, sent as a cookie, when the
 * request has none); marks the page as carrying it (never cached). Arena-owned. */
const char *csrf_token(req_t *r);
/* csrf_ok: constant-time comparison of a submitted token with the request's. */
bool csrf_ok(req_t *r, const char *submitted);
/* csrf_input: the hidden form field <input type="hidden" name="csrf" value="…">. */
void csrf_input(req_t *r);

/* Hooks the transport calls, set by main before server_run (so http/ depends on no module):
 * who is asking (fills r->user, r->csrf; false for bad credentials) and the HTML error page. */
extern bool (*http_who)(req_t *r);
extern void (*http_error_page)(req_t *r, int status, const char *message);
#endif
