/* What the register importers share (brreg.c, bolagsverket.c): statistics, the report of a bad
 * row, the progress bar, and the upsert that keeps what an organisation's members wrote. */
#ifndef IMPORTERS_REGISTER_H
#define IMPORTERS_REGISTER_H
#include <jansson.h>
#include <stdio.h>
#include <sys/types.h>
#include <zlib.h>
#include "db/db.h"

typedef struct import_stats {
    long long rows, inserted, updated, unchanged, skipped;
} import_stats_t;

/* import_bad: count a skipped row and say why on err */
void import_bad(FILE *err, import_stats_t *st, long long line, const char *orgnr, const char *why);

/* import_upsert: insert or refresh the organisation with this country and organisation number.
 * facts are the register's facts, refreshed always (name, orgnr, country, municipality,
 * industry codes, employees, status); own is what the register says only as long as nobody
 * has taken the record in hand (kind, website, texts) — a website the validator refuses is
 * dropped rather than the row. source names the register in the version history. Takes
 * ownership of neither. */
void import_upsert(db_t *db, arena_t *a, const char *country, const char *orgnr, json_t *facts, json_t *own,
                   const char *source, long long line, FILE *err, import_stats_t *st);

/* import_progress: a progress bar on a terminal (at = bytes read of size) */
void import_progress(FILE *err, off_t at, off_t size, const import_stats_t *st);
/* import_open: the register file at path opened for reading (gzip or plain) and its size on disk
 * in *size, for the progress bar; NULL after saying so on err. Close it with gzclose. */
gzFile import_open(const char *path, FILE *err, off_t *size);
#endif
