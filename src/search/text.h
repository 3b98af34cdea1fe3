/* Text analysis for search: Swedish, Norwegian bokmål and English.
 *
 * A text becomes terms: Unicode case folding (utf8proc), Snowball stemming (libstemmer) by the
 * field's language, then folding of the Scandinavian letters (ä/æ -> a, ö/ø -> o, å and "aa" -> a)
 * and of other diacritics, so Malmö = Malmo and Tromsø = Tromso. Compound words are split into
 * known parts (a part finds the whole and the reverse), and a lexicon links words across the
 * languages (Debian's Swedish-Norwegian FreeDict dictionary and a curated glossary).
 * Everything loaded here lives for the process and is read-only after search_text_init(). */
#ifndef SEARCH_TEXT_H
#define SEARCH_TEXT_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

typedef enum { LANG_SV = 0, LANG_NB = 1, LANG_EN = 2, LANG_ANY = 3 } text_lang_t;

/* search_text_init: load the lexicon (idempotent, thread-safe). dict_path may be NULL for
 * the default /usr/share/dictd/freedict-swe-nor.dict.dz; a missing dictionary is logged. */
void search_text_init(const char *dict_path);
size_t search_lexicon_size(void);
/* search_text_wait_lexicon: wait until Apertium's Swedish-bokmål pairs (read on a thread of their
 * own at init, when apertium-swe-nor and lttoolbox are installed) are in, or given up on. Only
 * benchmarks and tests need to; without it the pairs join when they are ready. */
void search_text_wait_lexicon(void);

typedef struct term_list { char **terms; int n, cap; } term_list_t;
void term_add(arena_t *a, term_list_t *l, const char *t);

/* text_tokens: the folded words of s (no stemming), in order. */
void text_tokens(arena_t *a, const char *s, term_list_t *out);
/* text_words: the same words as text_tokens, as written (not case-folded). */
void text_words(arena_t *a, const char *s, term_list_t *out);
/* text_surface: the word of text (as written there) that term — a folded word or stem, as the
 * index keeps it — stands for: a word folding to term itself before one with a stem that is term,
 * then the spelling used most often; NULL when text has none. */
char *text_surface(arena_t *a, const char *term, const char *text);
/* text_fold_word: case-fold and fold Scandinavian letters and diacritics of one word. */
char *text_fold_word(arena_t *a, const char *word);
/* text_stem: the stem of one case-folded word in lang, folded. LANG_ANY is not allowed here. */
char *text_stem(arena_t *a, const char *word, text_lang_t lang);
/* text_analyze: the index terms of a text in lang: stems, plus the parts of compounds. */
void text_analyze(arena_t *a, const char *s, text_lang_t lang, term_list_t *out);
/* text_analyze_all: the same terms as text_analyze, repeated as often as their words occur (for
 * term frequencies), through a per-thread cache of analysed words. The strings in out belong to
 * the cache: valid until this thread's next call. Returns the number of words. */
int text_analyze_all(arena_t *a, const char *s, text_lang_t lang, term_list_t *out);
/* text_variants: what one query word may match: its stems in every language, compound parts,
 * and translations through the lexicon (all folded). */
void text_variants(arena_t *a, const char *word, term_list_t *out);
/* text_variants_for: the same for texts of the language target (LANG_SV or LANG_NB): the word's
 * translations only into that language (LANG_ANY: text_variants) */
void text_variants_for(arena_t *a, const char *word, text_lang_t target, term_list_t *out);
/* text_compound_parts: the parts of a compound word (folded stems), 0 if not a known compound. */
int text_compound_parts(arena_t *a, const char *folded_word, term_list_t *out);
/* text_compound_meaning: the parts without a head that only says "a firm" or "a service"
 * ("bokforingsbyra" -> "bokforing"); 0 if not a known compound. */
int text_compound_meaning(arena_t *a, const char *folded_word, term_list_t *out);
/* text_stopword: a folded word that says nothing about what is wanted (function words of the
 * three languages, "söker"/"trenger"/"need", the names of the two countries). */
bool text_stopword(const char *folded);
/* text_content_words: the case-folded words of s that are not stop words, in order (into out);
 * returns the number of words s has in all. */
int text_content_words(arena_t *a, const char *s, term_list_t *out);
/* text_english_known: whether this folded English stem (LANG_EN) is of an English word, as
 * Snowball's English vocabulary has it (false for all when it is not installed) */
bool text_english_known(const char *en_stem);
/* text_known: whether the lexicon knows this folded stem. */
bool text_known(const char *folded_stem);
#endif
