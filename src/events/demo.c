/* Demo events (data/demo/events.json): the Mötesplats Vision series moving between the countries
 * and planned activities and ideas on both sides. Dates are given either fixed ("start", "end") or
 * relative to the day the demo is loaded ("in_days", "from", "to", "days"), so the calendar is
 * alive whenever the demo is loaded. Every event is marked demo (demo_key); those that took place
 * ("real": true) are not shown as fictional. The border obstacles raised at a demo event
 * ("obstacles": demo keys of data/demo/obstacles.json, loaded before) are linked to it, so they
 * carry its date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/embedded.h"
#include "core/util.h"
#include "events/dates.h"
#include "events/events.h"
#include "obstacles/obstacles.h"
#include "org/org.h"

static int64_t demo_event(db_t *db, const char *key) {
    return db_int_for_text(db_prep(db, "SELECT id FROM events WHERE demo_key = :k"), ":k", key);
}

/* link_obstacles: the demo event's obstacles (by demo key) linked to event id; true when done */
static bool link_obstacles(db_t *db, json_t *o, int64_t id) {
    json_t *keys = json_object_get(o, "obstacles");
    if (!json_array_size(keys)) return true;
    if (!id) return false;
    arena_t *a = arena_new();
    bool ok = true;
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) {
        int64_t obs = obs_demo_id(db, json_string_value(k));
        if (obs && !obs_link_add(db, a, obs, "event", id, 0)) ok = false;
    }
    arena_free(a);
    return ok;
}

/* demo_add: one entry of data/demo/events.json: its organisers by demo key, its dates from in_days */
static bool demo_add(db_t *db, json_t *o, const char *key) {
    static const char *const skip[] = {"real", "obstacles", "organisers", "in_days", "from", "to", "days", NULL};
    json_t *in = doc_demo_input(o, skip);
    json_t *v;
    json_t *orgs = json_array();
    size_t j;
    json_array_foreach(json_object_get(o, "organisers"), j, v) {
        int64_t id = org_demo_id(db, json_string_value(v));
        if (id) json_array_append_new(orgs, json_integer(id));
    }
    json_object_set_new(in, "organisers", orgs);
    if (json_is_integer(json_object_get(o, "in_days"))) {
        time_t t = now_unix() + (time_t)json_integer_value(json_object_get(o, "in_days")) * 86400;
        struct tm a;
        localtime_r(&t, &a);
        json_int_t days = json_is_integer(json_object_get(o, "days")) ? json_integer_value(json_object_get(o, "days")) : 1;
        time_t t2 = t + (time_t)(days - 1) * 86400;
        struct tm b;
        localtime_r(&t2, &b);
        char s[64], en[64];
        snprintf(s, sizeof s, "%04d-%02d-%02dT%s", a.tm_year + 1900, a.tm_mon + 1, a.tm_mday, json_string_value(json_object_get(o, "from")));
        snprintf(en, sizeof en, "%04d-%02d-%02dT%s", b.tm_year + 1900, b.tm_mon + 1, b.tm_mday, json_string_value(json_object_get(o, "to")));
        json_object_set_new(in, "start", json_string(s));
        json_object_set_new(in, "end", json_string(en));
    }
    bool ok = doc_demo_save(&event_kind, db, in, key) != 0;
    json_decref(in);
    return ok;
}

int event_demo_load(db_t *db) {
    int n = doc_demo_each(db, "data/demo/events.json", demo_event, demo_add);
    /* the obstacles raised at an event, also for events an earlier demo load made */
    json_t *all = doc_demo_file("data/demo/events.json");
    if (!all) return -1;
    bool ok = true;
    size_t i;
    json_t *o;
    json_array_foreach(all, i, o) {
        const char *key = json_string_value(json_object_get(o, "key"));
        if (key && !link_obstacles(db, o, demo_event(db, key))) ok = false;
    }
    json_decref(all);
    return ok ? n : -1;
}

bool event_demo_fictional(db_t *db, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT demo_key FROM events WHERE id = :id");
    db_bind_int(s, ":id", id);
    const char *key = db_step(s) ? db_text(s, 0) : NULL;
    bool fictional = key != NULL;
    if (key) {
        json_t *all = doc_demo_file("data/demo/events.json");
        size_t i;
        json_t *o;
        json_array_foreach(all, i, o)
            if (streq(json_string_value(json_object_get(o, "key")), key)) fictional = !json_is_true(json_object_get(o, "real"));
        json_decref(all);
    }
    db_reset(s);
    return fictional;
}
