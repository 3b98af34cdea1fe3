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
 * A NULL string prints as empty. User text never goes through %s into HTML. */
#ifndef CORE_BUF_H
#define CORE_BUF_H
#include <stdarg.h>
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

void buf_html(buf_t *b, const char *s, size_t n);   /* & < > " ' escaped */
void buf_url(buf_t *b, const char *s, size_t n);    /* RFC 3986 unreserved kept */
void buf_json(buf_t *b, const char *s, size_t n);   /* JSON string contents */
#endif
