/* Shared by the register importers (see register.h). */
#include "importers/register.h"
#include <string.h>
#include <unistd.h>
#include "core/util.h"
#include "org/org.h"

void import_bad(FILE *err, import_stats_t *st, long long line, const char *orgnr, const char *why) {
    st->skipped++;
    fprintf(err, "\rrow %lld (%s): %s\n", line, orgnr && *orgnr ? orgnr : "no number", why);
}

void import_upsert(db_t *db, arena_t *a, const char *country, const char *orgnr, json_t *facts, json_t *own,
                   const char *source, long long line, FILE *err, import_stats_t *st) {
    json_t *m = json_deep_copy(facts);
    int64_t id = org_find_orgnr(db, country, orgnr);
    bool owned = id && org_has_owner(db, id);
    if (!owned && own) json_object_update(m, own);
    json_t *base = id ? org_load(db, id, true) : NULL;
    json_t *doc = NULL;
    json_t *errs = org_validate(db, "en", m, base, id, &doc);
    if (json_object_size(errs) && json_object_get(errs, "website")) {
        /* a malformed home page address is the register's problem, not a reason to skip the row */
        json_object_del(m, "website");
        json_decref(errs);
        json_decref(doc);
        doc = NULL;
        errs = org_validate(db, "en", m, base, id, &doc);
    }
    if (json_object_size(errs)) {
        char *s = json_dumps(errs, JSON_COMPACT);
        import_bad(err, st, line, orgnr, s);
        free(s);
    } else {
        bool changed;
        if (!org_save(db, a, id, doc, 0, id ? source : NULL, &changed)) import_bad(err, st, line, orgnr, "database error");
        else if (!id) st->inserted++;
        else if (changed) st->updated++;
        else st->unchanged++;
    }
    json_decref(errs);
    json_decref(doc);
    json_decref(base);
    json_decref(m);
}

gzFile import_open(const char *path, FILE *err, off_t *size) {
    FILE *f = fopen(path, "rb");
    gzFile z = NULL;
    if (f) {
        fseeko(f, 0, SEEK_END);
        *size = ftello(f);
        fclose(f);
        z = gzopen(path, "rb");
    }
    if (!z) fprintf(err, "granslos: cannot read %s\n", path);
    return z;
}

void import_progress(FILE *err, off_t at, off_t size, const import_stats_t *st) {
    if (!isatty(fileno(err))) return;
    int pct = size > 0 ? (int)(100.0 * (double)at / (double)size) : 0;
    if (pct > 100) pct = 100;
    char bar[41];
    for (int i = 0; i < 40; i++) bar[i] = i < pct * 40 / 100 ? '#' : '.';
    bar[40] = 0;
    fprintf(err, "\r[%s] %3d%%  %lld rows", bar, pct, st->rows);
    fflush(err);
}
