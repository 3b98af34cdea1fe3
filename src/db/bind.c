/* db_binds: several parameters of one statement bound in one call, and db_run_for (see db.h);
 * built only on the public functions of db.h, so each parameter binds exactly as its own
 * db_bind_* call would. */
#include "db/db.h"

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
