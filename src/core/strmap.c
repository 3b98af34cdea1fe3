/* String -> int hash map (see strmap.h). */
#include "core/strmap.h"
#include <stdlib.h>
#include <string.h>
#include "core/arena.h"

static size_t shash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

int *strmap_slot(strmap_t *m, const char *k, bool create) {
    if (create && (m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        strmap_t nm = {xcalloc(cap, sizeof(char *)), xcalloc(cap, sizeof(int)), cap, 0, xcalloc(cap, sizeof(unsigned))};
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->keys[i]) continue;
            size_t j = m->hash[i] & (cap - 1);
            while (nm.keys[j]) j = (j + 1) & (cap - 1);
            nm.keys[j] = m->keys[i];   /* moved, not copied */
            nm.vals[j] = m->vals[i];
            nm.hash[j] = m->hash[i];
            nm.n++;
        }
        free(m->keys);
        free(m->vals);
        free(m->hash);
        *m = nm;
    }
    if (!m->cap) return NULL;
    size_t h = shash(k);
    unsigned h32 = (unsigned)(h ^ (h >> 32));
    size_t i = h32 & (m->cap - 1);
    while (m->keys[i]) {
        if (m->hash[i] == h32 && !strcmp(m->keys[i], k)) return &m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    if (!create) return NULL;
    m->keys[i] = xstrdup(k);
    m->hash[i] = h32;
    m->vals[i] = -1;
    m->n++;
    return &m->vals[i];
}

void strmap_free(strmap_t *m) {
    for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
    free(m->keys);
    free(m->vals);
    free(m->hash);
    *m = (strmap_t){0};
}
