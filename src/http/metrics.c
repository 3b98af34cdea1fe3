/* Counters by route and status, one latency histogram, database errors. */
#include "http/metrics.h"
#include <pthread.h>
#include <string.h>
#include "db/db.h"

#define SLOTS 512
static const double bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
#define NB (sizeof bounds / sizeof *bounds)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct { const char *route; int status; unsigned long long n; } counts[SLOTS]; /* route: static strings */
static unsigned long long hist[NB + 1], hist_count;
static double hist_sum;

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
    bprintf(b, "# HELP granslos_db_errors_total Database errors.\n# TYPE granslos_db_errors_total counter\n"
               "granslos_db_errors_total %llu\n", (unsigned long long)db_error_count());
    bprintf(b, "# HELP granslos_db_selects_total SELECT statements run.\n# TYPE granslos_db_selects_total counter\n"
               "granslos_db_selects_total %llu\n", (unsigned long long)db_select_count());
}
