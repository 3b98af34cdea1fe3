/* Arena: a bump allocator owning every allocation of one request (or one command).
 * Everything allocated from an arena is freed by one arena_free(); nothing is freed alone.
 * Allocation never returns NULL: out of memory aborts the process (xmalloc). */
#ifndef CORE_ARENA_H
#define CORE_ARENA_H
#include <stddef.h>
#include <stdarg.h>

typedef struct arena arena_t;

arena_t *arena_new(void);
void arena_free(arena_t *a);
void *arena_alloc(arena_t *a, size_t n);          /* zeroed, aligned to 16 */
char *arena_strdup(arena_t *a, const char *s);    /* NULL stays NULL */
char *arena_strndup(arena_t *a, const char *s, size_t n);
/* arena_printf_libc: plain libc vsnprintf into the arena — no escaping, no %h/%U/%j; for text that
 * goes to no HTML/JSON/URL (mail headers, logs, keys). Markup goes through aprintf (core/buf.h). */
char *arena_printf_libc(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* arena_on_free: call fn(p) when the arena is freed (for library objects such as json_t). */
void arena_on_free(arena_t *a, void (*fn)(void *), void *p);

/* Process-lifetime allocation wrappers: never return NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
#endif
