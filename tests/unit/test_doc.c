/* The versioned-document pipeline (doc/doc.h) against a real temporary store: one rule for
 * control characters in every kind, an unchanged save makes no version, revert, the history's
 * one user shape (deleted users shown as such), three-way merge and conflicts, the change feed,
 * and migration 050 moving the three old version tables without loss. */
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
#include "account/account.h"
#include "account/auth.h"
#include "doc/doc.h"
#include "events/events.h"
#include "obstacles/obstacles.h"
#include "org/org.h"

static char path[64];
static db_t *db;
static arena_t *a;

static int setup(void **st) {
    (void)st;
    if (sodium_init() < 0) return -1;
    snprintf(path, sizeof path, "/tmp/granslos-doc-%d.db", (int)getpid());
    unlink(path);
    db = db_open(path);
    a = arena_new();
    return db ? 0 : -1;
}
static int teardown(void **st) {
    (void)st;
    db_close(db);
    arena_free(a);
    unlink(path);
    return 0;
}

static void text_rule(void **st) {
    (void)st;
    static const char *const bad[] = {"a\x01" "b", "esc \x1b[31m", "del \x7f", "c1 \xc2\x85", "rlo \xe2\x80\xae" "gnp.exe",
                                      "lre \xe2\x80\xaa", "isolate \xe2\x81\xa6x\xe2\x81\xa9", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_false(check_text(bad[i], true));
        assert_false(check_text(bad[i], false));
    }
    assert_true(check_text("Blåbär och rødgrøt — «fin» 🐟", true));
    assert_true(check_text("two\nlines\r\n\tindented", false));
    assert_false(check_text("two\nlines", true));
    assert_false(check_text("tab\there", true));
    assert_true(check_text("\xe2\x80\x8b zero-width space is text", true)); /* U+200B is not a control */
    assert_true(check_url("https://example.se/a?b=c"));
    assert_false(check_url("https://example.se/\xe2\x80\xae"));
    assert_false(check_url("javascript:alert(1)"));
    assert_false(check_url("https:///path"));
    assert_true(check_date("2028-02-29"));
    assert_false(check_date("2027-02-29"));
    assert_false(check_date("2027-13-01"));
    assert_false(check_date("2027-1-01"));
}

/* control characters refused the same everywhere: the same message for every kind */
static void control_characters_everywhere(void **st) {
    (void)st;
    const char *name = "Evil \xe2\x80\xae" "AB";
    json_t *doc = NULL;
    json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "country", "SE", "kind", "company", "municipality", "1780");
    json_t *e1 = org_validate(db, "en", in, NULL, 0, &doc);
    assert_null(doc);
    json_decref(in);
    in = json_pack("{s:{s:s}, s:s, s:s, s:s, s:s, s:[i]}", "title", "sv", name, "start", "2031-05-05T10:00", "end", "2031-05-05T12:00",
                   "country", "SE", "municipality", "1780", "organisers", 1);
    json_t *e2 = event_validate(db, "en", in, NULL, 0, &doc);
    assert_null(doc);
    json_decref(in);
    in = json_pack("{s:s, s:s, s:s}", "title", name, "description", "ok", "country", "both");
    json_t *e3 = obs_validate(db, "en", in, NULL, NULL, &doc);
    assert_null(doc);
    json_decref(in);
    const char *m1 = json_string_value(json_object_get(e1, "name"));
    const char *m2 = json_string_value(json_object_get(e2, "title.sv"));
    const char *m3 = json_string_value(json_object_get(e3, "title"));
    assert_non_null(m1);
    assert_non_null(m2);
    assert_non_null(m3);
    assert_string_equal(m1, "This text contains control characters.");
    assert_string_equal(m2, m1);
    assert_string_equal(m3, m1);
    json_decref(e1); json_decref(e2); json_decref(e3);
    /* a description may have lines, a name may not */
    in = json_pack("{s:s, s:s, s:s, s:s, s:{s:s}}", "name", "Rader AB", "country", "SE", "kind", "company", "municipality", "1780",
                   "description", "sv", "first\nsecond");
    e1 = org_validate(db, "en", in, NULL, 0, &doc);
    assert_int_equal(json_object_size(e1), 0);
    json_decref(e1); json_decref(doc); json_decref(in);
    in = json_pack("{s:s, s:s, s:s, s:s}", "name", "Two\nlines AB", "country", "SE", "kind", "company", "municipality", "1780");
    e1 = org_validate(db, "en", in, NULL, 0, &doc);
    assert_non_null(json_object_get(e1, "name"));
    json_decref(e1); json_decref(in);
}

static int64_t new_org(const char *name, int64_t uid) {
    json_t *doc, *in = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "country", "SE", "kind", "company", "municipality", "1780");
    json_t *e = org_validate(db, "en", in, NULL, 0, &doc);
    assert_int_equal(json_object_size(e), 0);
    doc_save_opts_t o = {.user_id = uid};
    doc_result_t res;
    assert_int_equal(doc_save(&org_kind, db, a, 0, doc, &o, &res), DOC_SAVED);
    assert_int_equal(res.version, 1);
    json_decref(in); json_decref(e); json_decref(doc);
    return res.id;
}

/* edit: validate input over the stored document and save it from base_version */
static doc_rc_t edit(int64_t id, json_t *in, int base, int64_t uid, doc_result_t *res) {
    json_t *stored = doc_snapshot(&org_kind, db, id, 0, NULL), *doc;
    json_t *e = org_validate(db, "en", in, stored, id, &doc);
    assert_int_equal(json_object_size(e), 0);
    doc_save_opts_t o = {.user_id = uid, .base_version = base, .lang = "en"};
    doc_rc_t rc = doc_save(&org_kind, db, a, id, doc, &o, res);
    json_decref(stored); json_decref(e); json_decref(doc); json_decref(in);
    return rc;
}

static void unchanged_revert_history(void **st) {
    (void)st;
    int64_t uid = user_create(db, a, "doc@example.se", "Doc Person", "a long password 1", false);
    int64_t id = new_org("Versioner AB", uid);
    int64_t feed0 = doc_feed_newest(&org_kind, db);
    doc_result_t res;
    /* an unchanged save makes no version and writes nothing */
    assert_int_equal(edit(id, json_pack("{s:s}", "name", "Versioner AB"), 0, uid, &res), DOC_UNCHANGED);
    assert_int_equal(doc_version(&org_kind, db, id), 1);
    assert_int_equal(doc_feed_newest(&org_kind, db), feed0);
    assert_int_equal(db_depth(db), 0);
    /* a change makes version 2 with the changed field only */
    assert_int_equal(edit(id, json_pack("{s:s}", "name", "Versioner Två AB"), 0, uid, &res), DOC_SAVED);
    assert_int_equal(res.version, 2);
    assert_int_equal(json_object_size(res.changes), 1);
    assert_true(doc_feed_newest(&org_kind, db) > feed0);
    int64_t *ids;
    int n = doc_feed_since(&org_kind, db, feed0, &ids);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], id);
    free(ids);
    /* revert: the old snapshot as a new version, with a note */
    doc_save_opts_t o = {.user_id = uid, .lang = "en"};
    assert_int_equal(doc_revert(&org_kind, db, a, id, 1, &o, &res), DOC_SAVED);
    assert_int_equal(res.version, 3);
    json_t *now = org_load(db, id, true);
    assert_string_equal(json_string_value(json_object_get(now, "name")), "Versioner AB");
    assert_int_equal(json_integer_value(json_object_get(now, "version")), 3);
    json_decref(now);
    assert_int_equal(doc_revert(&org_kind, db, a, id, 99, &o, &res), DOC_NOT_FOUND);
    /* reverting to what it is now changes nothing */
    assert_int_equal(doc_revert(&org_kind, db, a, id, 3, &o, &res), DOC_UNCHANGED);
    /* the history: newest first, one shape */
    json_t *h = doc_history(&org_kind, db, id);
    assert_int_equal(json_array_size(h), 3);
    json_t *v3 = json_array_get(h, 0);
    assert_int_equal(json_integer_value(json_object_get(v3, "version")), 3);
    assert_string_equal(json_string_value(json_object_get(v3, "note")), "revert to 1");
    json_t *u = json_object_get(v3, "user");
    assert_int_equal(json_integer_value(json_object_get(u, "id")), uid);
    assert_string_equal(json_string_value(json_object_get(u, "name")), "Doc Person");
    assert_true(json_is_false(json_object_get(u, "deleted")));
    assert_true(json_is_array(json_object_get(json_object_get(v3, "changes"), "name")));
    assert_non_null(json_object_get(v3, "at"));
    json_decref(h);
    /* a deleted user is shown as such, without their name */
    assert_true(account_delete(db, a, uid));
    h = doc_history(&org_kind, db, id);
    u = json_object_get(json_array_get(h, 0), "user");
    assert_true(json_is_true(json_object_get(u, "deleted")));
    assert_string_equal(json_string_value(json_object_get(u, "name")), "");
    json_decref(h);
    /* the events' and obstacles' histories have the same shape */
    h = doc_history(&event_kind, db, 12345);
    assert_int_equal(json_array_size(h), 0);
    json_decref(h);
}

static void merge_and_conflict(void **st) {
    (void)st;
    int64_t id = new_org("Samtidig AB", 0);
    doc_result_t res;
    /* two editors started from version 1: different fields merge */
    assert_int_equal(edit(id, json_pack("{s:s}", "website", "https://a.example"), 1, 0, &res), DOC_SAVED);
    assert_int_equal(edit(id, json_pack("{s:[s]}", "offers", "labb"), 1, 0, &res), DOC_SAVED);
    assert_true(res.merged);
    assert_int_equal(res.version, 3);
    json_t *o = org_load(db, id, true);
    assert_string_equal(json_string_value(json_object_get(o, "website")), "https://a.example");
    assert_string_equal(json_string_value(json_array_get(json_object_get(o, "offers"), 0)), "labb");
    json_decref(o);
    /* the same field from an old version: refused, nothing written */
    assert_int_equal(edit(id, json_pack("{s:s}", "website", "https://b.example"), 1, 0, &res), DOC_CONFLICT);
    assert_int_equal(res.version, 3);
    json_t *c = json_object_get(res.conflicts, "website");
    assert_string_equal(json_string_value(json_object_get(c, "yours")), "https://b.example");
    assert_string_equal(json_string_value(json_object_get(c, "theirs")), "https://a.example");
    assert_int_equal(doc_version(&org_kind, db, id), 3);
    assert_int_equal(db_depth(db), 0);
    /* both wrote the same value: no conflict */
    assert_int_equal(edit(id, json_pack("{s:s}", "website", "https://a.example"), 1, 0, &res), DOC_UNCHANGED);
}

/* migration 050: the three old tables into doc_versions, each kind's order kept */
static void migration_keeps_every_version(void **st) {
    (void)st;
    db_close(db);
    unlink(path);
    db = db_open(path);
    assert_non_null(db);
    assert_true(db_exec(db,
        "DROP VIEW org_versions; DROP VIEW event_versions; DROP VIEW obstacle_versions; DROP TABLE doc_versions;"
        "DELETE FROM schema_migrations WHERE version = 50;"
        "CREATE TABLE org_versions (org_id INTEGER NOT NULL, version INTEGER NOT NULL, user_id INTEGER, at TEXT NOT NULL, note TEXT,"
        " changes TEXT NOT NULL, snapshot TEXT NOT NULL, PRIMARY KEY (org_id, version)) STRICT;"
        "CREATE TABLE event_versions (event_id INTEGER NOT NULL, version INTEGER NOT NULL, user_id INTEGER, at TEXT NOT NULL, note TEXT,"
        " changes TEXT NOT NULL, snapshot TEXT NOT NULL, PRIMARY KEY (event_id, version)) STRICT;"
        "CREATE TABLE obstacle_versions (obstacle_id INTEGER NOT NULL, version INTEGER NOT NULL, user_id INTEGER, at TEXT NOT NULL,"
        " changes TEXT NOT NULL, snapshot TEXT NOT NULL, PRIMARY KEY (obstacle_id, version)) STRICT;"
        "INSERT INTO org_versions VALUES (7, 1, NULL, '2024-01-01T00:00:00Z', NULL, '{}', '{\"name\":\"A\"}');"
        "INSERT INTO org_versions VALUES (5, 1, NULL, '2024-01-02T00:00:00Z', NULL, '{}', '{\"name\":\"B\"}');"
        "INSERT INTO org_versions VALUES (7, 2, NULL, '2024-01-03T00:00:00Z', 'revert to 1', '{\"name\":[\"A\",\"A\"]}', '{\"name\":\"A\"}');"
        "INSERT INTO event_versions VALUES (3, 1, NULL, '2024-01-01T00:00:00Z', 'imported', '{}', '{\"status\":\"planned\"}');"
        "INSERT INTO obstacle_versions VALUES (9, 1, NULL, '2024-01-01T00:00:00Z', '{}', '{\"title\":\"T\"}');"));
    db_close(db);
    db = db_open(path);   /* applies 050 again */
    assert_non_null(db);
    stmt_t *s = db_prep(db, "SELECT kind, doc_id, version, note, snapshot FROM doc_versions ORDER BY seq");
    const char *want[][4] = {{"organisation", "7", "1", NULL}, {"organisation", "5", "1", NULL}, {"organisation", "7", "2", "revert to 1"},
                             {"event", "3", "1", "imported"}, {"obstacle", "9", "1", NULL}};
    int n = 0;
    while (db_step(s)) {
        assert_true(n < 5);
        assert_string_equal(db_text(s, 0), want[n][0]);
        assert_int_equal(db_int(s, 1), atoi(want[n][1]));
        assert_int_equal(db_int(s, 2), atoi(want[n][2]));
        if (want[n][3]) assert_string_equal(db_text(s, 3), want[n][3]);
        else assert_null(db_text(s, 3));
        n++;
    }
    assert_int_equal(n, 5);
    int v;
    json_t *snap = doc_snapshot(&obs_kind, db, 9, 0, &v);
    assert_int_equal(v, 1);
    assert_string_equal(json_string_value(json_object_get(snap, "title")), "T");
    json_decref(snap);
    /* the old names still read */
    s = db_prep(db, "SELECT count(*) FROM org_versions");
    assert_true(db_step(s));
    assert_int_equal(db_int(s, 0), 3);
    db_reset(s);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_rule),
        cmocka_unit_test_setup_teardown(control_characters_everywhere, setup, teardown),
        cmocka_unit_test_setup_teardown(unchanged_revert_history, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_and_conflict, setup, teardown),
        cmocka_unit_test_setup_teardown(migration_keeps_every_version, setup, teardown),
    };
    return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}
