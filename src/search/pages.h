/* Search results: snippets (snippet.c). The page and API over the organisations are in org/
 * (search.c, declared in org/org.h). */
#ifndef SEARCH_PAGES_H
#define SEARCH_PAGES_H
#include "http/http.h"
/* search_snippet: the first sentence of text that matches the query (else the first), plain
 * text, at most about 200 characters, in the arena. */
char *search_snippet(arena_t *a, const char *text, const char *q);
#endif
