/* Counters by route and status, one latency histogram, connections refused and timed out,
 * database errors; and who may read them. */
#include "http/metrics.h"
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/arena.h"
#include "db/db.h"

#define SLOTS 512
static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NB (sizeof bounds / sizeof *bounds)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct { const char *route; int status; unsigned long long n; } counts[SLOTS]; /* route: static strings */
static unsigned long long hist[NB + 1], hist_count;
static double hist_sum;
static atomic_ullong conns_refused, conns_timed_out;
static const char *metrics_token; /* set once before the server starts; NULL: loopback only */

void metrics_connection_refused(void) { atomic_fetch_add(&conns_refused, 1); }
void metrics_connection_timed_out(void) { atomic_fetch_add(&conns_timed_out, 1); }

void metrics_set_token(const char *token) { metrics_token = token && *token ? xstrdup(token) : NULL; }

/* same: a and b equal, in time that depends only on their lengths */
static bool same(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    unsigned char d = n != m;
    for (size_t i = 0; i < n && i < m; i++) d |= (unsigned char)(a[i] ^ b[i]);
    return !d;
}

bool metrics_allowed(req_t *r) {
    if (metrics_token) { /* Basic (a Bearer header is an API token to account/auth.c): any user, the token as password */
        const char *h = req_header(r, "Authorization");
        if (!h || strncasecmp(h, "Basic ", 6) != 0) return false;
        char dec[512];
        size_t n = 0;
        if (sodium_base642bin((unsigned char *)dec, sizeof dec - 1, h + 6, strlen(h + 6), " ", &n, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0)
            return false;
        dec[n] = 0;
        const char *colon = memchr(dec, ':', n);
        bool ok = colon && strlen(colon + 1) == n - (size_t)(colon + 1 - dec) && same(colon + 1, metrics_token);
        sodium_memzero(dec, sizeof dec);
        return ok;
    }
    bool loopback = r->ip && (strncmp(r->ip, "127.", 4) == 0 || strcmp(r->ip, "::1") == 0 ||
                              strncmp(r->ip, "::ffff:127.", 11) == 0);
    return loopback && !req_header(r, "X-Forwarded-For") && !req_header(r, "X-Real-IP") && !req_header(r, "Forwarded");
}

void metrics_record(const char *route, int status, double seconds) {
    pthread_mutex_lock(&lock);
    for (int i = 0; i < SLOTS; i++) {
        if (!counts[i].route) { counts[i].route = route; counts[i].status = status; }
        if (counts[i].route == route && counts[i].status == status) { counts[i].n++; break; }
    }
    size_t b = 0;
    while (b < NB && seconds > bounds[b]) b++;
    hist[b]++;
    hist_count++;
    hist_sum += seconds;
    pthread_mutex_unlock(&lock);
}

void metrics_render(buf_t *b) {
    pthread_mutex_lock(&lock);
    buf_puts(b, "# HELP granslos_http_requests_total HTTP requests by route and status.\n"
                "# TYPE granslos_http_requests_total counter\n");
    for (int i = 0; i < SLOTS && counts[i].route; i++)
        bprintf(b, "granslos_http_requests_total{route=\"%j\",status=\"%d\"} %llu\n", counts[i].route,
                counts[i].status, counts[i].n);
    buf_puts(b, "# HELP granslos_http_request_duration_seconds Time from request to response.\n"
                "# TYPE granslos_http_request_duration_seconds histogram\n");
    unsigned long long cum = 0;
    for (size_t i = 0; i < NB; i++) {
        cum += hist[i];
        bprintf(b, "granslos_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", bounds[i], cum);
    }
    cum += hist[NB];
    bprintf(b, "granslos_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
    bprintf(b, "granslos_http_request_duration_seconds_sum %f\n", hist_sum);
    bprintf(b, "granslos_http_request_duration_seconds_count %llu\n", hist_count);
    pthread_mutex_unlock(&lock);
    bprintf(b, "# HELP granslos_http_connections_refused_total Connections refused at a connection limit.\n"
               "# TYPE granslos_http_connections_refused_total counter\ngranslos_http_connections_refused_total %llu\n",
            (unsigned long long)atomic_load(&conns_refused));
    bprintf(b, "# HELP granslos_http_connections_timed_out_total Slow connections closed at their header or body deadline.\n"
               "# TYPE granslos_http_connections_timed_out_total counter\ngranslos_http_connections_timed_out_total %llu\n",
            (unsigned long long)atomic_load(&conns_timed_out));
    bprintf(b, "# HELP granslos_db_errors_total Database errors.\n# TYPE granslos_db_errors_total counter\n"
               "granslos_db_errors_total %llu\n", (unsigned long long)db_error_count());
    bprintf(b, "# HELP granslos_db_selects_total SELECT statements run.\n# TYPE granslos_db_selects_total counter\n"
               "granslos_db_selects_total %llu\n", (unsigned long long)db_select_count());
    bprintf(b, "# HELP granslos_db_request_selects_total SELECT statements run by requests (not by background work).\n"
               "# TYPE granslos_db_request_selects_total counter\ngranslos_db_request_selects_total %llu\n",
            (unsigned long long)db_request_select_count());
}
