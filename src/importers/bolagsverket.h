/* Importer for Bolagsverket's bulk file of Swedish companies and associations (plain or gzip;
 * the published zip unpacked). Streams (constant memory), upserts by organisation number
 * without touching what an organisation's own members wrote, places each organisation in the
 * kommun of its postal code, never imports sole traders (they are known by a personal identity
 * number), reports every bad row and never stops for one. */
#ifndef IMPORTERS_BOLAGSVERKET_H
#define IMPORTERS_BOLAGSVERKET_H
#include <stdio.h>
#include "db/db.h"
#include "importers/register.h"

/* import_bolagsverket: read path into the store; progress and bad rows go to err. Returns 0, or
 * 1 if the file could not be read at all (missing, empty, not Bolagsverket's header). */
int import_bolagsverket(db_t *db, const char *path, FILE *err, import_stats_t *st);
#endif
