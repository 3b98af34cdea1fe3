/* libFuzzer target: `granslos import ics` with any bytes: the pre-checks (size, UTF-8, nesting),
 * libical's parser and our mapping of VEVENTs to events, against a temporary store with one
 * organisation. Local times and the holiday calendar are fuzzed with the same bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/arena.h"
#include "events/dates.h"
#include "events/events.h"
#include "org/org.h"
#include "ref/ref.h"

static db_t *db;
static int64_t org;

static void setup(void) {
    setenv("TZ", "Europe/Stockholm", 1);
    ref_init();
    char path[64];
    snprintf(path, sizeof path, "/tmp/granslos-fuzz-ics-%d.db", (int)getpid());
    unlink(path);
    db = db_open(path);
    json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "name", "Fuzz AB", "country", "SE", "kind", "company", "municipality", "1780");
    json_t *doc;
    json_t *e = org_validate(db, "en", in, NULL, 0, &doc);
    arena_t *a = arena_new();
    bool changed;
    org = org_save(db, a, 0, doc, 0, NULL, &changed);
    arena_free(a);
    json_decref(e);
    json_decref(doc);
    json_decref(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!db) setup();
    if (size > 65536) return 0;
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    ics_stats_t st;
    char err[600];
    event_import_ics(db, s, size, org, 0, &st, err, sizeof err, "en");
    time_t t;
    local_to_utc(s, size % 2 ? "Europe/Oslo" : "Europe/Stockholm", &t);
    if (size >= 2) {
        holiday_t h[4];
        holidays_on(1900 + data[0] * 2 % 300, 1 + data[1] % 12, 1 + (size % 31), h, 4);
    }
    free(s);
    return 0;
}
