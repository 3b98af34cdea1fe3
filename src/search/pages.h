/* The search page and API: every document type the index holds (organisations for now). */
#ifndef SEARCH_PAGES_H
#define SEARCH_PAGES_H
#include "http/http.h"
void search_page(req_t *r);
void search_api(req_t *r);
/* search_snippet: the first sentence of text that matches the query (else the first), plain
 * text, at most about 200 characters, in the arena. */
char *search_snippet(arena_t *a, const char *text, const char *q);
#endif
