/* libFuzzer target: `granslos import bolagsverket` with any bytes — the header check, line reading
 * (over-long and unterminated lines), Latin-1 to UTF-8, the ";"-separated quoted fields and the
 * "$"- and "|"-separated parts inside them, against a temporary store. Bad rows are reported and
 * skipped; nothing may crash, leak or read out of bounds; the counts must add up. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "db/db.h"
#include "importers/bolagsverket.h"
#include "ref/ref.h"

static db_t *db;
static char path[64];
static FILE *sink;

static void setup(void) {
    ref_init();
    char dbpath[64];
    snprintf(dbpath, sizeof dbpath, "/tmp/granslos-fuzz-bv-%d.db", (int)getpid());
    unlink(dbpath);
    db = db_open(dbpath);
    snprintf(path, sizeof path, "/tmp/granslos-fuzz-bv-%d.in", (int)getpid());
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
    if (import_bolagsverket(db, path, sink, &st) == 0 && st.inserted + st.updated + st.unchanged + st.skipped != st.rows) abort();
    unlink(path);
    return 0;
}
