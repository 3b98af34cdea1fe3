/* Arena allocator: a list of chunks; big requests get a chunk of their own.
 * Freed standard chunks go to a small per-thread cache for the thread's next arenas (a request
 * or a query makes and frees many): malloc's free-chunk merging is then paid once per thread,
 * not once per request. Not under AddressSanitizer, which should see every free. */
#include "core/arena.h"
#include <pthread.h>
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

#if defined(__SANITIZE_ADDRESS__)
#define SPARE_MAX 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPARE_MAX 0
#endif
#endif
#ifndef SPARE_MAX
#define SPARE_MAX 64   /* 1 MiB per thread */
#endif

/* the thread's spare chunks (owned by the thread; freed by a key's destructor when it ends) */
static _Thread_local struct chunk *spare;
static _Thread_local int nspare;
static pthread_key_t spare_key;
static pthread_once_t spare_once = PTHREAD_ONCE_INIT;
static void spare_end(void *unused) {
    (void)unused;
    while (spare) { struct chunk *n = spare->next; free(spare); spare = n; }
    nspare = 0;
}
static void spare_key_make(void) { pthread_key_create(&spare_key, spare_end); }

static void chunk_free(struct chunk *c) {
    if (c->cap == CHUNK && nspare < SPARE_MAX) {
        if (!spare) { pthread_once(&spare_once, spare_key_make); pthread_setspecific(spare_key, (void *)1); }
        c->next = spare;
        spare = c;
        nspare++;
        return;
    }
    free(c);
}

static struct chunk *chunk_new(size_t cap) {
    if (cap == CHUNK && spare) {
        struct chunk *c = spare;
        spare = c->next;
        nspare--;
        return c;
    }
    return xmalloc(sizeof(struct chunk) + cap);
}

void arena_free(arena_t *a) {
    if (!a) return;
    for (struct cleanup *c = a->cleanups; c; c = c->next) c->fn(c->p);
    struct chunk *c = a->head;
    while (c) { struct chunk *n = c->next; chunk_free(c); c = n; }
    free(a);
}

void *arena_alloc(arena_t *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    struct chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK / 2 ? n : CHUNK;
        struct chunk *nc = chunk_new(cap);
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

char *arena_printf_libc(arena_t *a, const char *fmt, ...) {
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
