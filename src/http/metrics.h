/* Request metrics for GET /metrics (Prometheus text format). Process-wide, thread-safe. */
#ifndef HTTP_METRICS_H
#define HTTP_METRICS_H
#include "core/buf.h"
void metrics_record(const char *route, int status, double seconds);
void metrics_render(buf_t *b);
#endif
