/* Demo data loader (see demo.h). */
#include "importers/demo.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "core/embedded.h"
#include "core/util.h"
#include "obstacles/obstacles.h"
#include "org/org.h"

/* refs: the demo keys in list resolved to ids; false if one is not yet loaded */
static bool refs(db_t *db, json_t *list, json_t *out) {
    size_t i;
    json_t *k;
    json_array_foreach(list, i, k) {
        int64_t id = org_demo_id(db, json_string_value(k));
        if (!id) return false;
        json_array_append_new(out, json_integer(id));
    }
    return true;
}

/* demo_obstacle: one entry of data/demo/obstacles.json, saved with its affected organisations and moves */
static bool demo_obstacle(db_t *db, json_t *o, const char *key) {
    static const char *const skip[] = {"organisation", "affected_organisations", "moves", NULL};
    json_t *in = doc_demo_input(o, skip);
    json_t *doc = doc_demo_doc(&obs_kind, db, in, key);
    json_decref(in);
    if (!doc) return false;
    const char *org = json_string_value(json_object_get(o, "organisation"));
    int64_t oid = org ? org_demo_id(db, org) : 0;
    if (oid) json_object_set_new(doc, "organisation", json_integer(oid));
    arena_t *a = arena_new();
    bool changed, ok = db_begin(db);
    int64_t id = ok ? obs_save(db, a, 0, doc, 0, NULL, &changed) : 0;
    ok = ok && id;
    size_t k2;
    json_t *x;
    json_array_foreach(json_object_get(o, "affected_organisations"), k2, x) {
        int64_t aid = org_demo_id(db, json_string_value(x));
        if (ok && aid) ok = obs_affected_set(db, a, id, aid, 0, true);
    }
    json_array_foreach(json_object_get(o, "moves"), k2, x) {
        const char *from;
        if (ok) ok = obs_move(db, a, id, json_string_value(json_object_get(x, "to")), json_string_value(json_object_get(x, "comment")), 0, &from) == 0;
    }
    if (ok) ok = db_commit(db);
    if (!ok) { if (db_depth(db)) db_rollback(db); fprintf(stderr, "granslos: demo obstacle %s could not be saved\n", key); }
    arena_free(a);
    json_decref(doc);
    return ok;
}

/* demo_obstacles: the border obstacles named in the Mötesplats Vision report
 * (data/demo/obstacles.json), with their reporting and affected organisations (demo keys) and
 * their status moves, through the obstacles module. Idempotent. Returns the number added, -1
 * if one failed. */
static int demo_obstacles(db_t *db) { return doc_demo_each(db, "data/demo/obstacles.json", obs_demo_id, demo_obstacle); }

int demo_load(db_t *db) {
    json_t *all = doc_demo_file("data/demo/organisations.json");
    if (!all) return -1;
    int created = 0, failed = 0;
    size_t n = json_array_size(all);
    bool *done = xcalloc(n ? n : 1, sizeof(bool));
    /* passes in dependency order: an organisation waits until its clusters and successors exist */
    for (int pass = 0; pass < 8; pass++) {
        bool progress = false;
        for (size_t i = 0; i < n; i++) {
            if (done[i]) continue;
            json_t *o = json_array_get(all, i);
            const char *key = json_string_value(json_object_get(o, "key"));
            if (!key || org_demo_id(db, key)) { done[i] = true; continue; }
            static const char *const skip[] = {"member_of", "successors", "dissolved_on", NULL};
            json_t *in = doc_demo_input(o, skip);
            if (json_object_get(o, "dissolved_on")) json_object_set(in, "ended_on", json_object_get(o, "dissolved_on"));
            json_t *nets = json_array(), *succ = json_array();
            json_object_set_new(in, "networks", nets);
            json_object_set_new(in, "successors", succ);
            if (!refs(db, json_object_get(o, "member_of"), nets) || !refs(db, json_object_get(o, "successors"), succ)) {
                json_decref(in);
                continue;
            }
            done[i] = true;
            progress = true;
            if (doc_demo_save(&org_kind, db, in, key)) created++;
            else failed++;
            json_decref(in);
        }
        if (!progress) break;
    }
    for (size_t i = 0; i < n; i++)
        if (!done[i]) { fprintf(stderr, "granslos: demo record %zu refers to an unknown key\n", i); failed++; }
    free(done);
    json_decref(all);
    if (demo_obstacles(db) < 0) failed++;
    return failed ? -1 : created;
}
