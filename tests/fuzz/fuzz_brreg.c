/* libFuzzer target: `granslos import brreg` with any bytes — Enhetsregisteret's CSV (quoted fields,
 * the header's column lookup) and its JSON array (the element splitter, then jansson), against a
 * temporary store. The importer must report bad rows and go on, never crash, leak or read out of
 * bounds; its counts must add up. The first byte picks the format when the input does not. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "db/db.h"
#include "importers/brreg.h"
#include "ref/ref.h"

static db_t *db;
static char path[64];
static FILE *sink;

static void setup(void) {
    ref_init();
    char dbpath[64];
    snprintf(dbpath, sizeof dbpath, "/tmp/granslos-fuzz-brreg-%d.db", (int)getpid());
    unlink(dbpath);
    db = db_open(dbpath);
    snprintf(path, sizeof path, "/tmp/granslos-fuzz-brreg-%d.in", (int)getpid());
    sink = fopen("/dev/null", "w");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!db) setup();
    if (size > 65536) return 0;
    FILE *f = fopen(path, "wb");
    if (!f) abort();
    fwrite(data, 1, size, f);
    fclose(f);
    import_stats_t st;
    if (import_brreg(db, path, sink, &st) == 0 && st.inserted + st.updated + st.unchanged + st.skipped != st.rows) abort();
    unlink(path);
    return 0;
}
