/* db_binds: several parameters of one statement bound in one call, and db_run_for (see db.h);
 * built only on the public functions of db.h, so each parameter binds exactly as its own
 * db_bind_* call would. */
#include "db/db.h"
#include <stdio.h>

void db_bind_all(stmt_t *s, const db_param_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) {
        switch (p[i].type) {
        case DB_PARAM_INT: db_bind_int(s, p[i].name, p[i].i); break;
        case DB_PARAM_TEXT: db_bind_text(s, p[i].name, p[i].t); break;
        case DB_PARAM_ID: db_bind_id(s, p[i].name, p[i].i); break;
        }
    }
}

bool db_run_for(stmt_t *s, const char *name, int64_t v) {
    db_bind_int(s, name, v);
    return db_run(s);
}

const char *db_id_list(arena_t *a, const int64_t *ids, int n) {
    char *out = arena_alloc(a, (size_t)(n > 0 ? n : 0) * 21 + 3), *w = out;
    *w++ = '[';
    for (int i = 0; i < n; i++) w += sprintf(w, "%s%lld", i ? "," : "", (long long)ids[i]);
    *w++ = ']';
    *w = 0;
    return out;
}
