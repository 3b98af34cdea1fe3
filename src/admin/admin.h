/* Platform administration: the queue of organisations without an administrator, themes. */
#ifndef ADMIN_ADMIN_H
#define ADMIN_ADMIN_H
#include "http/http.h"
void admin_page(req_t *r);
void admin_theme_post(req_t *r);
#endif
