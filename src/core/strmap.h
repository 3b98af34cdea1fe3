/* strmap: a string -> int hash map (open addressing). Keys are copied and owned by the map;
 * the map lives as long as its owner keeps it (free with strmap_free). Not thread-safe. */
#ifndef CORE_STRMAP_H
#define CORE_STRMAP_H
#include <stdbool.h>
#include <stddef.h>

typedef struct strmap { char **keys; int *vals; size_t cap, n; unsigned *hash; } strmap_t;  /* hash: per slot, to skip most key comparisons */

/* strmap_slot: the value slot of k, or NULL if absent and !create; a new slot holds -1. */
int *strmap_slot(strmap_t *m, const char *k, bool create);
void strmap_free(strmap_t *m);
#endif
