/* libFuzzer target: text analysis and queries. Any bytes in: valid UTF-8 goes through the
 * analysis, the query variants, a snippet and a query against a small index; nothing may crash,
 * leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/arena.h"
#include "core/util.h"
#include "search/index.h"
#include "search/pages.h"
#include "search/text.h"

static void setup(void) {
    static int done;
    if (done) return;
    done = 1;
    search_text_init(NULL);
    search_org_t o = {.id = 1, .name = "Klarälvens Träteknik AB", .country = "SE", .kind = "company", .county = "17",
                      .municipality = "1780", .status = "active", .themes = {"forest-bioeconomy"}, .nthemes = 1,
                      .sections = {"C"}, .nsections = 1, .employees = 12, .lang = LANG_SV,
                      .tags = "limträ, förpackningar, redovisningsbyrå",
                      .text = {"Vi bygger i trä. Hållbart!", "Vi bygger i tre.", "We build in wood.", ""},
                      .text_lang = {LANG_SV, LANG_NB, LANG_EN, LANG_SV}};
    search_put_org(&o);
    search_org_t p = o;
    p.id = 2;
    p.name = "Norsk Emballasjeforening";
    p.country = "NO";
    p.lang = LANG_NB;
    search_put_org(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    setup();
    if (size > 4096) return 0;
    arena_t *a = arena_new();
    char *s = arena_strndup(a, (const char *)data, size);
    if (utf8_valid(s, size)) {
        term_list_t t = {0}, v = {0};
        text_analyze(a, s, (text_lang_t)(size % 4), &t);
        text_tokens(a, s, &v);
        for (int i = 0; i < v.n && i < 8; i++) {
            term_list_t w = {0};
            text_variants(a, v.terms[i], &w);
            text_compound_parts(a, text_fold_word(a, v.terms[i]), &w);
        }
        search_snippet(a, "Vi bygger i trä. Hållbart! We build in wood.", s);
        search_snippet(a, s, "trä");
        search_hit_t *hits;
        int n;
        search_filter_t f = {0};
        search_orgs(a, s, &f, 0, 10, &hits, &n, NULL);
    }
    arena_free(a);
    return 0;
}
