/* Machine translation of what members write: an organisation's description, competences,
 * offers and needs written in one Scandinavian language get a stored translation into the other
 * (Apertium `swe-nob` / `nob-swe`, Debian apertium-swe-nor + apertium-recursive).
 *
 * Never in the request path: translate_start() subscribes to every committed save of an
 * organisation (doc_subscribe), which only queues its id (translation_queue, 065_translations.sql);
 * a worker thread of its own takes the queue, runs the translator as a child with a deadline,
 * stores the result with the source text it was made from (translations) and has the
 * organisation indexed again, the translation with a lower weight than the original
 * (org/index.c). A text that did not change is not translated again.
 *
 * The child runs in a process group of its own with a TMPDIR of its own (a new directory under
 * the server's TMPDIR, else /tmp). When the deadline passes, or the server stops, the group gets
 * SIGTERM, then SIGKILL once the script has exited or half a second has passed (for whatever
 * still runs: its pipeline, a child of theirs); once the child is reaped its directory goes with
 * whatever is in it, the files of Apertium's script included (it removes them in an EXIT trap,
 * which a killed script never runs). The text then stays untranslated, as when no directory
 * could be made.
 *
 * Off when GRANSLOS_APERTIUM=off or when Apertium's modes are not installed: then nothing is
 * queued or shown. GRANSLOS_TRANSLATOR (tests only) names another command, called as
 * `CMD -u swe-nob|nob-swe` with the text on stdin (tests/http point it at a slow or failing
 * script); GRANSLOS_TRANSLATE_TIMEOUT_MS its deadline (default 20 000). */
#ifndef TRANSLATE_TRANSLATE_H
#define TRANSLATE_TRANSLATE_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "db/db.h"
#include "http/http.h"

/* translate_start: start the worker and subscribe it to organisation saves (serve only);
 * false when translation is off or Apertium is missing. */
bool translate_start(void);
void translate_stop(void);
/* translate_enabled: whether translations are made and shown in this process */
bool translate_enabled(void);

/* translate_get: the stored translation of an organisation's field into dst ("sv"/"nb"),
 * made from exactly `source` (NULL: any source); NULL if none (or translation is off). */
const char *translate_get(db_t *db, arena_t *a, int64_t org_id, const char *field, const char *dst, const char *source);
/* translate_index_text: every stored translation of org_id into lang, joined (for the index);
 * NULL if none */
const char *translate_index_text(db_t *db, arena_t *a, int64_t org_id, const char *lang);

/* translate_description_html: when the reader's language (r->lang, sv or nb) is not the
 * language of the description shown (src_lang, original) and a translation of it is stored,
 * write it marked "Machine-translated" with the original behind a <details> switch, and
 * return true; else write nothing and return false. */
bool translate_description_html(req_t *r, db_t *db, int64_t org_id, const char *src_lang, const char *original);

/* translate_text: run the translator once (mode "swe-nob" or "nob-swe"); NULL on failure or
 * timeout. Blocking: for the worker and tests only. */
char *translate_text(arena_t *a, const char *mode, const char *text);
#endif
