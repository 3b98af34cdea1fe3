/* Languages: Swedish (default), Norwegian bokmål, English.
 * Catalogues are gettext .po files (data/i18n/sv.po, nb.po, en.po) compiled into the binary
 * and loaded once; msgids are English. tr() returns the msgid itself when a catalogue lacks it
 * (tests/unit/test_i18n.c fails the build's tests if any msgid in src/ lacks a translation).
 * Returned strings live for the process. */
#ifndef I18N_I18N_H
#define I18N_I18N_H
#include <stdbool.h>
#include <time.h>
#include "core/arena.h"

extern const char *const i18n_langs[3];   /* "sv", "nb", "en" */
bool i18n_known(const char *code);        /* sv, nb, no, en */
const char *i18n_canonical(const char *code); /* static "sv"/"nb"/"en"; "no" -> "nb"; else "sv" */
const char *tr(const char *lang, const char *msgid);
const char *trn(const char *lang, const char *singular, const char *plural, long n);
/* i18n_has: whether the catalogue for lang translates msgid (for tests). */
bool i18n_has(const char *lang, const char *msgid);
/* po_parse: parse .po text into pairs (exposed for tests). Calls fn for each entry. */
bool po_parse(const char *text, void (*fn)(void *ctx, const char *id, const char *plural, const char *str0,
                                           const char *str1), void *ctx);

/* Formatting in the user's language; times are shown in Europe/Stockholm (= Europe/Oslo). */
char *fmt_date(arena_t *a, const char *lang, time_t t);       /* 27 november 2026 / 27. november 2026 / 27 November 2026 */
char *fmt_datetime(arena_t *a, const char *lang, time_t t);   /* ... 14:05 */
char *fmt_number(arena_t *a, const char *lang, long long n);  /* 12 345 / 12 345 / 12,345 */

/* N_ marks a msgid kept in a table and translated later with tr()/T(). */
#define N_(s) s
#define T(r, s) tr((r)->lang, (s))
#define TN(r, s, p, n) trn((r)->lang, (s), (p), (n))
#endif
