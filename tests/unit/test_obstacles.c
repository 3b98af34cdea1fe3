/* Obstacles (obstacles/obstacles.h): which status moves the workflow allows, the status labels,
 * and, against a real temporary store, versions, moves, the reporting organisation, affected
 * marks and links. The pages and the API are tested over HTTP (tests/http/obstacles.test.mjs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>
#include <cmocka.h>
#include "account/auth.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "obstacles/obstacles.h"

static void workflow(void **st) {
    (void)st;
    /* forward through the workflow */
    assert_true(obs_move_allowed("reported", "analysis"));
    assert_true(obs_move_allowed("analysis", "raised"));
    assert_true(obs_move_allowed("raised", "resolved"));
    assert_true(obs_move_allowed("reported", "not-obstacle"));
    assert_true(obs_move_allowed("analysis", "closed"));
    /* an outcome can only be reopened for analysis */
    for (int i = 0; i < 6; i++) {
        const char *to = obs_statuses[i];
        bool ok = !strcmp(to, "analysis");
        assert_int_equal(obs_move_allowed("resolved", to), ok);
        assert_int_equal(obs_move_allowed("not-obstacle", to), ok);
        assert_int_equal(obs_move_allowed("closed", to), ok);
    }
    /* never to the same status, never back to "reported", no skipping analysis to an authority */
    for (int i = 0; i < 6; i++) {
        assert_false(obs_move_allowed(obs_statuses[i], obs_statuses[i]));
        assert_false(obs_move_allowed(obs_statuses[i], "reported"));
    }
    assert_false(obs_move_allowed("reported", "raised"));
    assert_false(obs_move_allowed("reported", "resolved"));
    /* unknown statuses */
    assert_false(obs_move_allowed("bogus", "analysis"));
    assert_false(obs_move_allowed("reported", "bogus"));
    assert_false(obs_move_allowed(NULL, "analysis"));
    assert_false(obs_move_allowed("reported", NULL));
    assert_true(obs_status_valid("not-obstacle"));
    assert_false(obs_status_valid("open"));
    assert_false(obs_status_valid(NULL));
}

static void labels(void **st) {
    (void)st;
    assert_string_equal(obs_status_label("raised", "en"), "Raised with the responsible authority");
    assert_string_equal(obs_status_label("raised", "sv"), "Lyft till ansvarig myndighet");
    assert_string_equal(obs_status_label("analysis", "nb"), "Under analyse");
    for (int i = 0; i < 6; i++) {
        assert_string_not_equal(obs_status_label(obs_statuses[i], "sv"), obs_status_label(obs_statuses[i], "en"));
        assert_true(strlen(obs_status_label(obs_statuses[i], "nb")) > 0);
    }
}

/* ---- against a store ---- */
static char path[64];
static db_t *db;
static arena_t *a;

static int setup(void **st) {
    (void)st;
    if (sodium_init() < 0) return -1;
    snprintf(path, sizeof path, "/tmp/granslos-obstacles-%d.db", (int)getpid());
    unlink(path);
    db = db_open(path);
    a = arena_new();
    return db ? 0 : -1;
}
static int teardown(void **st) {
    (void)st;
    db_close(db);
    arena_free(a);
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path); unlink(p);
    snprintf(p, sizeof p, "%s-shm", path); unlink(p);
    return 0;
}

static int64_t save(json_t *in, int64_t id, const user_t *u, bool *changed) {
    json_t *base = id ? obs_load(db, a, id) : NULL, *doc;
    json_t *e = obs_validate(db, "en", in, base, u, &doc);
    json_decref(base);
    json_decref(in);
    if (json_object_size(e)) { json_decref(e); return -1; }
    json_decref(e);
    int64_t r = obs_save(db, a, id, doc, u ? u->id : 0, NULL, changed);
    json_decref(doc);
    return r;
}

static size_t history_len(int64_t id) {
    json_t *o = obs_load(db, a, id);
    size_t n = json_array_size(json_object_get(o, "status_history"));
    json_decref(o);
    return n;
}

static void versions_moves_and_links(void **st) {
    (void)st;
    int64_t uid = user_create(db, a, "reporter@example.se", "Reporter", "a long password 1", false);
    user_t *u = user_load(db, a, uid);
    bool changed;
    int64_t id = save(json_pack("{s:s, s:s, s:s, s:[s]}", "title", "T", "description", "D", "country", "SE", "themes", "energy"), 0, u, &changed);
    assert_true(id > 0);
    assert_true(changed);
    assert_true(obs_can_edit(db, u, id));
    assert_false(obs_can_move(db, u));
    /* the same text again: no version */
    assert_int_equal(save(json_pack("{s:s}", "title", "T"), id, u, &changed), id);
    assert_false(changed);
    assert_int_equal(save(json_pack("{s:s}", "title", "T2"), id, u, &changed), id);
    assert_true(changed);
    json_t *o = obs_load(db, a, id);
    assert_int_equal(json_integer_value(json_object_get(o, "version")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(json_object_get(json_array_get(json_object_get(o, "versions"), 0), "changes"), "title"), 0)), "T");
    json_decref(o);
    /* moves: refused ones write nothing */
    const char *from;
    assert_int_equal(obs_move(db, a, id, "resolved", "x", uid, &from), 409);
    assert_string_equal(from, "reported");
    assert_int_equal(history_len(id), 1);
    assert_int_equal(obs_move(db, a, id, "analysis", "why", uid, &from), 0);
    assert_int_equal(obs_move(db, a, id, "raised", NULL, uid, &from), 0);
    assert_int_equal(history_len(id), 3);
    assert_int_equal(obs_move(db, a, 999999, "analysis", NULL, uid, &from), 404);
    /* the reporting organisation must be one the user is a member of */
    json_t *org = json_pack("{s:s, s:s, s:s, s:s}", "name", "Org AB", "country", "SE", "kind", "company", "municipality", "1780"), *doc;
    json_t *e = org_validate(db, "en", org, NULL, 0, &doc);
    assert_int_equal(json_object_size(e), 0);
    int64_t owner = user_create(db, a, "owner@example.se", "Owner", "a long password 2", false);
    int64_t oid = org_save(db, a, 0, doc, owner, NULL, &changed);
    json_decref(org); json_decref(e); json_decref(doc);
    assert_int_equal(save(json_pack("{s:I}", "organisation", (json_int_t)oid), id, u, &changed), -1);
    user_t *ou = user_load(db, a, owner);
    assert_int_equal(save(json_pack("{s:I}", "organisation", (json_int_t)oid), id, ou, &changed), id);
    /* unchanged, it stays when the reporter (not a member) edits something else */
    assert_int_equal(save(json_pack("{s:s}", "affected", "Fish farmers"), id, u, &changed), id);
    /* affected marks and links are idempotent */
    assert_true(obs_affected_set(db, a, id, oid, owner, true));
    assert_true(obs_affected_set(db, a, id, oid, owner, true));
    assert_true(obs_is_affected(db, id, oid));
    assert_true(obs_link_add(db, a, id, "bullet", 12, uid));
    assert_true(obs_link_add(db, a, id, "bullet", 12, uid));
    assert_true(obs_link_add(db, a, id, "event", 3, 0));
    assert_false(obs_link_add(db, a, id, "planet", 1, 0));
    assert_false(obs_link_add(db, a, 999999, "event", 1, 0));
    o = obs_load(db, a, id);
    assert_int_equal(json_array_size(json_object_get(o, "links")), 2);
    assert_int_equal(json_array_size(json_object_get(o, "affected_organisations")), 1);
    assert_int_equal(json_integer_value(json_object_get(o, "organisation")), oid);
    json_decref(o);
    assert_true(obs_affected_set(db, a, id, oid, owner, false));
    assert_false(obs_is_affected(db, id, oid));
    /* the desk role */
    assert_true(obs_desk_set(db, a, uid, 0, true));
    assert_true(obs_can_move(db, u));
    assert_true(obs_forget_user(db, uid));
    assert_false(obs_can_move(db, u));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workflow),
        cmocka_unit_test(labels),
        cmocka_unit_test_setup_teardown(versions_moves_and_links, setup, teardown),
    };
    return cmocka_run_group_tests_name("obstacles", tests, NULL, NULL);
}
