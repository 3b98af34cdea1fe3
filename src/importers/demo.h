/* The demo data: data/demo/organisations.json loaded through the same validation and
 * versioning as any edit, marked as demo records. Idempotent (by demo key). */
#ifndef IMPORTERS_DEMO_H
#define IMPORTERS_DEMO_H
#include "db/db.h"
/* demo_load: returns the number of organisations created, -1 on error. */
int demo_load(db_t *db);
#endif
