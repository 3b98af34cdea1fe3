/* Files compiled into the binary (see tools/embed.c). Read-only, live for the process. */
#ifndef CORE_EMBEDDED_H
#define CORE_EMBEDDED_H
#include <stddef.h>

struct embedded_file {
    const char *name; /* path relative to the repository, e.g. "data/ref/se-lan.csv" */
    const char *data; /* NUL-terminated contents */
    size_t len;
};
extern const struct embedded_file embedded_files[];

/* embedded_find: the file of that name, or NULL. */
const struct embedded_file *embedded_find(const char *name);
#endif
