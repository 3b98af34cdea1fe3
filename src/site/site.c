/* Health and readiness checks, Prometheus metrics, embedded static files and the data attribution page. */
#include <string.h>
#include "core/embedded.h"
#include "core/util.h"
#include "db/feed.h"
#include "html/html.h"
#include "http/metrics.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "site/site.h"

void site_healthz(req_t *r) {
    r->ctype = "text/plain; charset=utf-8";
    buf_puts(&r->out, "ok\n");
}

/* site_readyz: whether this node should be given requests (docs/operations.md): the store answers,
 * it has every migration this binary knows, the search index is built, the change feed listens
 * (another node's writes reach this one), and it is not draining. While the store cannot be
 * reached the request layer answers 503 before this runs. For the operator: plain English. */
void site_readyz(req_t *r) {
    r->ctype = "text/plain; charset=utf-8";
    db_t *db = db_get();
    const char *why = NULL;
    if (http_draining()) why = "draining: the server is stopping";
    else if (!db || !db_exists(db_prep(db, "SELECT 1"))) why = "the store is not reachable";
    else if (!db_migrations_current(db)) why = "the store lacks migrations of this version: run granslos migrate";
    else if (!org_index_built()) why = "the search index is not built yet";
    else if (!feed_live()) why = "the change feed is not connected to the store";
    if (!why) { buf_puts(&r->out, "ready\n"); return; }
    r->status = 503;
    resp_header(r, "Retry-After", "5");
    bprintf_text(&r->out, "not ready: %s\n", why);
}

void site_metrics(req_t *r) {
    if (!metrics_allowed(r)) { /* not public: loopback, or the operator's token (docs/operations.md) */
        resp_error(r, 403, "forbidden", T(r, "The metrics are for the operator only."));
        return;
    }
    r->ctype = "text/plain; version=0.0.4; charset=utf-8";
    metrics_render(&r->out);
}

void site_static(req_t *r) {
    const char *name = r->arg[0];
    const struct embedded_file *f = NULL;
    if (!strchr(name, '/') && name[0] != '.') f = embedded_find(aprintf_text(r->arena, "web/%s", name));
    if (!f) { resp_error(r, 404, "not-found", T(r, "There is no such page.")); return; }
    const char *dot = strrchr(name, '.');
    r->ctype = !dot ? "application/octet-stream"
               : !strcmp(dot, ".css") ? "text/css; charset=utf-8"
               : !strcmp(dot, ".js")  ? "text/javascript; charset=utf-8"
               : !strcmp(dot, ".svg") ? "image/svg+xml"
               : "application/octet-stream";
    resp_header(r, "Cache-Control", "public, max-age=3600");
    buf_append(&r->out, f->data, f->len);
}

void site_about_data(req_t *r) {
    page_begin(r, T(r, "About the data"));
    bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1><p>%h</p><ul>", T(r, "About the data"),
            T(r, "Gränslös uses open public data. Thanks to those who publish it:"));
    static const char *const items[][2] = {
        {"Brønnøysundregistrene – Enhetsregisteret", "NLOD 2.0"},
        {"Statistisk sentralbyrå (SSB) – SN2007, kommuner og fylker", "CC BY 4.0"},
        {"Statistiska centralbyrån (SCB) – SNI 2007", ""},
        {"Kartverket – kommune- og fylkesgrenser", "CC BY 4.0"},
        {"Valmyndigheten / okfse sweden-geojson – kommungränser", ""},
        {"sjbrg/swedish-geodata – län, kommuner, postnummer", "CC0 1.0"},
    };
    for (size_t i = 0; i < sizeof items / sizeof *items; i++)
        bprintf(&r->out, "<li>%h%s%h</li>", items[i][0], *items[i][1] ? " · " : "", items[i][1]);
    bprintf(&r->out, "</ul><p>%h</p></div>", T(r, "Demo records are marked as such; they show how the platform works."));
    page_end(r);
}
