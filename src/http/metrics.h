/* Request metrics for GET /metrics (Prometheus text format). Process-wide, thread-safe.
 * Who may read them: metrics_allowed (loopback without a proxy's forwarding headers, or the
 * token the operator configured). */
#ifndef HTTP_METRICS_H
#define HTTP_METRICS_H
#include <stdbool.h>
#include "core/buf.h"
#include "http/http.h"
void metrics_record(const char *route, int status, double seconds);
void metrics_connection_refused(void);   /* a connection refused at a connection limit */
void metrics_connection_timed_out(void); /* a slow connection closed at its deadline */
void metrics_render(buf_t *b);
/* metrics_set_token: the token GET /metrics requires (copied; NULL or "": none, loopback only).
 * Called once before the server starts. */
void metrics_set_token(const char *token);
/* metrics_allowed: with a token, the request carries it as the password of HTTP Basic
 * authentication (any user name; Prometheus' basic_auth; curl -u metrics:TOKEN); without
 * one, it comes from a loopback address and carries no X-Forwarded-For, X-Real-IP or
 * Forwarded header (a reverse proxy on the same machine is not the operator). */
bool metrics_allowed(req_t *r);
#endif
