/* Importer for Brønnøysundregistrene's Enhetsregisteret open data: the CSV and the JSON array
 * as published by data.brreg.no, plain or gzip. Streams (constant memory), upserts by
 * organisation number without touching what an organisation's own members wrote, reports
 * every bad row and never stops for one. */
#ifndef IMPORTERS_BRREG_H
#define IMPORTERS_BRREG_H
#include <stdio.h>
#include "db/db.h"
#include "importers/register.h"

/* import_brreg: read path into the store; progress and bad rows go to err. Returns 0, or 1 if
 * the file could not be read at all. */
int import_brreg(db_t *db, const char *path, FILE *err, import_stats_t *st);
#endif
