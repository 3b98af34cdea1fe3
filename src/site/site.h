/* Site-wide endpoints: health, metrics, static files, the about-the-data page. */
#ifndef SITE_SITE_H
#define SITE_SITE_H
#include "http/http.h"
void site_healthz(req_t *r);   /* alive: 200 while the process runs */
void site_readyz(req_t *r);    /* ready for requests: 200, else 503 with the reason */
void site_metrics(req_t *r);
void site_static(req_t *r);
void site_about_data(req_t *r);
/* info.c: who runs the service, privacy, cookies, the accessibility statement */
void site_about(req_t *r);
void site_privacy(req_t *r);
void site_cookies(req_t *r);
void site_accessibility(req_t *r);
#endif
