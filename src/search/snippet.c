/* Snippets for search results (search/pages.h): the sentence of a text that matches a query. */
#include "search/pages.h"
#include <string.h>
#include "core/util.h"
#include "search/text.h"

char *search_snippet(arena_t *a, const char *text, const char *q) {
    if (!text || !*text) return arena_strdup(a, "");
    term_list_t words = {0}, want = {0};
    text_tokens(a, q, &words);
    for (int i = 0; i < words.n; i++) text_variants(a, words.terms[i], &want);
    /* the last word may be a prefix, as in the index */
    const char *prefix = words.n ? text_fold_word(a, words.terms[words.n - 1]) : NULL;
    size_t pl = prefix ? strlen(prefix) : 0;
    const char *best = NULL;
    size_t best_len = 0;
    const char *p = text;
    while (*p && !best) {
        const char *e = p;
        while (*e && !((*e == '.' || *e == '!' || *e == '?') && (e[1] == ' ' || !e[1])) && *e != '\n') e++;
        size_t len = (size_t)(e - p) + (*e && *e != '\n' ? 1 : 0);
        term_list_t t = {0};
        text_analyze(a, arena_strndup(a, p, len), LANG_ANY, &t);
        for (int i = 0; i < t.n && !best; i++) {
            if (pl >= 2 && !strncmp(t.terms[i], prefix, pl)) { best = p; best_len = len; break; }
            for (int k = 0; k < want.n; k++)
                if (!strcmp(t.terms[i], want.terms[k])) { best = p; best_len = len; break; }
        }
        p = *e ? e + 1 : e;
        while (*p == ' ' || *p == '\n') p++;
    }
    if (!best) { best = text; best_len = strlen(text); }
    /* at most 200 code points, cut on a character boundary */
    size_t k = 0, cps = 0;
    while (k < best_len && cps < 200) { k++; while (k < best_len && ((unsigned char)best[k] & 0xC0) == 0x80) k++; cps++; }
    return k < best_len ? aprintf_text(a, "%.*s…", (int)k, best) : arena_strndup(a, best, best_len);
}
