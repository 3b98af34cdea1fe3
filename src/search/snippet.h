/* Snippets that explain a hit: the sentence of a field that matched a query, with the words
 * that matched marked (the query word itself, a translation or stem of it through the lexicon,
 * or a compound part). Everything returned lives in the caller's arena. */
#ifndef SEARCH_SNIPPET_H
#define SEARCH_SNIPPET_H
#include <stdbool.h>
#include "core/arena.h"
#include "core/buf.h"
#include "search/text.h"

enum { SNIPPET_MARKS = 16 };
typedef struct snippet {
    char *text;                          /* plain text, at most about 200 characters */
    int nmarks;
    int start[SNIPPET_MARKS], len[SNIPPET_MARKS];   /* byte ranges of text that matched */
} snippet_t;

/* a query analysed once: its content words and everything each may match */
typedef struct snippet_query { term_list_t words, want; } snippet_query_t;
void snippet_query(arena_t *a, const char *q, snippet_query_t *out);

/* snippet_find: the first sentence of text (analysed in lang) with a word the query matches,
 * with its matches marked; false (and *out untouched) if no word of text matches. */
bool snippet_find(arena_t *a, const char *text, text_lang_t lang, const snippet_query_t *q, snippet_t *out);
/* snippet_html: the snippet HTML-escaped, the matches in <mark>, appended to b. */
void snippet_html(buf_t *b, const snippet_t *s);
/* snippet_marked: the words that matched, ", "-joined (for reasons in plain text). */
char *snippet_marked(arena_t *a, const snippet_t *s);
#endif
