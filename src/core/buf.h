/* buf: a growable string in an arena, and the one formatter that knows every output context.
 *
 * Invariants: `data` is never NULL after buf_init and always NUL-terminated; `len` excludes the NUL.
 * The memory belongs to the arena given to buf_init and dies with it.
 *
 * bprintf conversions (printf-like, plus escapes; width/flags apply to numbers only):
 *   %s  raw text, for trusted markup only           %h  HTML-escaped (text and quoted attributes)
 *   %U  URL-component percent-encoded               %j  JSON string contents (no quotes)
 *   %d %i %u %ld %lu %lld %llu %zu %x %c %f %e %g   as printf       %%  a percent sign
 *   Precision works on strings: %.*s / %.*h take an int length first.
 * A NULL string prints as empty. User text never goes through %s into HTML.
 *
 * Two kinds of output, told apart by the function's name (tools/fmtcheck checks every call at
 * build time: conversions against arguments, conversions the formatter lacks, and raw %s):
 *   bprintf, aprintf             markup (HTML, XML, JSON text): a raw %s only takes a string
 *                                literal, NULL, a buf_t's .data, a name ending in "html", an
 *                                aprintf() result, or MARKUP(x) — anything else is text: %h.
 *   bprintf_text, aprintf_text   plain text (a title later printed with %h, e-mail, iCalendar,
 *                                SQL from literal pieces, search queries, keys, headers):
 *                                %s takes any text; the result is text, never markup.
 * A format is a literal, or a translation: T(r, "literal"), tr(), TN(), trn() (the checker
 * compares the catalogues' conversions with the msgid's), or FMT_AS("sig", expr) for a
 * translation picked at run time (checked against sig when it runs).
 * The libc formatter arena_printf_libc (core/arena.h) knows no escapes and is not checked here. */
#ifndef CORE_BUF_H
#define CORE_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"

typedef struct buf {
    char *data;
    size_t len, cap;
    arena_t *arena;
} buf_t;

void buf_init(buf_t *b, arena_t *a);
void buf_append(buf_t *b, const char *s, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void bprintf(buf_t *b, const char *fmt, ...);
void vbprintf(buf_t *b, const char *fmt, va_list ap);
/* aprintf: format into a new arena string, with the same conversions as bprintf. */
char *aprintf(arena_t *a, const char *fmt, ...);
/* bprintf_text, aprintf_text: the same formatter, for plain text (see above). The compiler sees
 * bprintf and aprintf; the names tell tools/fmtcheck.c which rules the call's format follows. */
#define bprintf_text bprintf
#define aprintf_text aprintf

/* MARKUP(x): x is markup the code built (escaped where it came from text): raw %s may take it. */
#define MARKUP(x) (x)
/* FMT_AS(sig, fmt): fmt (a translation looked up at run time) if its conversions are those of
 * the literal sig, else sig itself (and the mismatch is logged): a bad catalogue entry can never
 * make the formatter read arguments that are not there. */
#define FMT_AS(sig, fmt) bfmt_as("" sig "", (fmt))
const char *bfmt_as(const char *sig, const char *fmt);
/* bfmt_signature: the arguments fmt consumes, one letter each, into out (size n): '*' a
 * precision, 's' 'h' 'U' 'j' 'c' as written, 'd' int, 'u' unsigned, 'l' long, 'L' long long,
 * 'z' size_t (signed or not), 'f' double; false if fmt has a conversion the formatter lacks or
 * out is too small. tools/fmtcheck computes the same at build time. */
bool bfmt_signature(const char *fmt, char *out, size_t n);

void buf_html(buf_t *b, const char *s, size_t n);   /* & < > " ' escaped */
void buf_url(buf_t *b, const char *s, size_t n);    /* RFC 3986 unreserved kept */
void buf_json(buf_t *b, const char *s, size_t n);   /* JSON string contents */
#endif
