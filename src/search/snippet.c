/* Snippets for search results: the sentence of a text that matches a query (search_snippet,
 * search/pages.h), and snippets with the matched words marked (snippet_*, see snippet.h). */
#include "search/snippet.h"
#include "search/pages.h"
#include <string.h>
#include <utf8proc.h>
#include "core/util.h"

void snippet_query(arena_t *a, const char *q, snippet_query_t *out) {
    memset(out, 0, sizeof *out);
    text_content_words(a, q, &out->words);
    if (!out->words.n) text_tokens(a, q, &out->words);
    for (int i = 0; i < out->words.n; i++) text_variants(a, out->words.terms[i], &out->want);
}

/* word_matches: does one word of a text (its stems and compound parts in lang) meet the query? */
static bool word_matches(arena_t *a, const char *word, text_lang_t lang, const snippet_query_t *q) {
    term_list_t t = {0};
    text_analyze(a, word, lang, &t);
    for (int i = 0; i < t.n; i++) {
        if (strlen(t.terms[i]) < 2 || text_stopword(t.terms[i])) continue;
        for (int k = 0; k < q->want.n; k++) if (!strcmp(t.terms[i], q->want.terms[k])) return true;
    }
    return false;
}

static bool is_word_char(const char *p, int *len) {
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, &c);
    if (k <= 0) { *len = 1; return false; }
    *len = (int)k;
    utf8proc_category_t cat = utf8proc_category(c);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LT || cat == UTF8PROC_CATEGORY_LO ||
           cat == UTF8PROC_CATEGORY_LM || cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_MN;
}

/* mark: the matches in one sentence s of n bytes; returns how many */
static int mark(arena_t *a, const char *s, size_t n, text_lang_t lang, const snippet_query_t *q, snippet_t *out) {
    out->nmarks = 0;
    size_t i = 0;
    while (i < n && out->nmarks < SNIPPET_MARKS) {
        int k;
        if (!is_word_char(s + i, &k)) { i += (size_t)k; continue; }
        size_t from = i;
        while (i < n && is_word_char(s + i, &k)) i += (size_t)k;
        char *w = arena_strndup(a, s + from, i - from);
        if (word_matches(a, w, lang, q)) {
            out->start[out->nmarks] = (int)from;
            out->len[out->nmarks++] = (int)(i - from);
        }
    }
    return out->nmarks;
}

bool snippet_find(arena_t *a, const char *text, text_lang_t lang, const snippet_query_t *q, snippet_t *out) {
    if (!text || !*text || !q->want.n) return false;
    const char *p = text;
    while (*p) {
        const char *e = p;
        while (*e && !((*e == '.' || *e == '!' || *e == '?' || *e == ';') && (e[1] == ' ' || !e[1])) && *e != '\n') e++;
        size_t len = (size_t)(e - p) + (*e && *e != '\n' ? 1 : 0);
        /* at most 200 code points, cut on a character boundary */
        size_t k = 0, cps = 0;
        while (k < len && cps < 200) { k++; while (k < len && ((unsigned char)p[k] & 0xC0) == 0x80) k++; cps++; }
        snippet_t s = {0};
        if (mark(a, p, k, lang, q, &s)) {
            s.text = k < len ? aprintf_text(a, "%.*s…", (int)k, p) : arena_strndup(a, p, k);
            *out = s;
            return true;
        }
        p = *e ? e + 1 : e;
        while (*p == ' ' || *p == '\n') p++;
    }
    return false;
}

void snippet_html(buf_t *b, const snippet_t *s) {
    int at = 0;
    for (int i = 0; i < s->nmarks; i++) {
        bprintf(b, "%h<mark>%h</mark>", arena_strndup(b->arena, s->text + at, (size_t)(s->start[i] - at)),
                arena_strndup(b->arena, s->text + s->start[i], (size_t)s->len[i]));
        at = s->start[i] + s->len[i];
    }
    bprintf(b, "%h", s->text + at);
}

char *snippet_marked(arena_t *a, const snippet_t *s) {
    buf_t b;
    buf_init(&b, a);
    for (int i = 0; i < s->nmarks; i++) {
        char *w = arena_strndup(a, s->text + s->start[i], (size_t)s->len[i]);
        if (strstr(b.data, w)) continue;
        bprintf_text(&b, "%s%s", b.len ? ", " : "", w);
    }
    return b.data;
}

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
