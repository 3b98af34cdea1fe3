/* Arena allocator: a list of chunks; big requests get a chunk of their own. */
#include "core/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 16384

struct chunk { struct chunk *next; size_t used, cap; _Alignas(16) unsigned char mem[]; };
struct cleanup { struct cleanup *next; void (*fn)(void *); void *p; };
struct arena { struct chunk *head; struct cleanup *cleanups; };

static void oom(void) { fputs("granslos: out of memory\n", stderr); abort(); }
void *xmalloc(size_t n) { void *p = malloc(n ? n : 1); if (!p) oom(); return p; }
void *xcalloc(size_t n, size_t m) { void *p = calloc(n ? n : 1, m ? m : 1); if (!p) oom(); return p; }
void *xrealloc(void *p, size_t n) { p = realloc(p, n ? n : 1); if (!p) oom(); return p; }
char *xstrdup(const char *s) { size_t n = strlen(s) + 1; return memcpy(xmalloc(n), s, n); }

arena_t *arena_new(void) { return xcalloc(1, sizeof(arena_t)); }

void arena_free(arena_t *a) {
    if (!a) return;
    for (struct cleanup *c = a->cleanups; c; c = c->next) c->fn(c->p);
    struct chunk *c = a->head;
    while (c) { struct chunk *n = c->next; free(c); c = n; }
    free(a);
}

void *arena_alloc(arena_t *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    struct chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK / 2 ? n : CHUNK;
        struct chunk *nc = xmalloc(sizeof *nc + cap);
        nc->used = 0; nc->cap = cap;
        if (c && n > CHUNK / 2) { nc->next = c->next; c->next = nc; c = nc; } /* keep the current chunk open */
        else { nc->next = c; a->head = nc; c = nc; }
    }
    void *p = c->mem + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n) {
    if (!s) return NULL;
    char *p = arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}
char *arena_strdup(arena_t *a, const char *s) { return s ? arena_strndup(a, s, strlen(s)) : NULL; }

char *arena_printf(arena_t *a, const char *fmt, ...) {
    va_list ap, aq;
    va_start(ap, fmt);
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, aq);
    va_end(aq);
    return p;
}

void arena_on_free(arena_t *a, void (*fn)(void *), void *p) {
    struct cleanup *c = arena_alloc(a, sizeof *c);
    c->fn = fn; c->p = p; c->next = a->cleanups; a->cleanups = c;
}
