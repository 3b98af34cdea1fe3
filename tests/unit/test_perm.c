/* Permissions: who may edit and administer an organisation, against a real temporary store. */
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
#include "org/org.h"

static char path[64];
static db_t *db;
static arena_t *a;

static int setup(void **st) {
    (void)st;
    if (sodium_init() < 0) return -1;
    snprintf(path, sizeof path, "/tmp/granslos-perm-%d.db", (int)getpid());
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

static int64_t make_org(const char *name, int64_t owner) {
    json_t *in = json_pack("{s:s, s:s, s:s, s:s}", "name", name, "country", "SE", "kind", "company", "municipality", "1780");
    json_t *doc;
    json_t *e = org_validate(db, "en", in, NULL, 0, &doc);
    assert_int_equal(json_object_size(e), 0);
    bool changed;
    int64_t id = org_save(db, a, 0, doc, owner, NULL, &changed);
    assert_true(changed);
    json_decref(in); json_decref(e); json_decref(doc);
    return id;
}

static void roles(void **st) {
    (void)st;
    int64_t alice = user_create(db, a, "alice@example.se", "Alice", "password-alice", false);
    int64_t bob = user_create(db, a, "bob@example.no", "Bob", "password-bob1", false);
    int64_t carol = user_create(db, a, "carol@example.se", "Carol", "password-carol", false);
    int64_t root = user_create(db, a, "root@example.org", "Root", "password-root", true);
    assert_true(alice && bob && carol && root);
    int64_t o1 = make_org("Alice AB", alice);
    int64_t o2 = make_org("Bob AS", bob);
    user_t *ua = user_load(db, a, alice), *ub = user_load(db, a, bob), *uc = user_load(db, a, carol), *ur = user_load(db, a, root);
    /* the creator administers its own organisation, and only that */
    assert_int_equal(org_role(db, o1, alice), ROLE_ADMIN);
    assert_true(org_can_edit(db, ua, o1));
    assert_true(org_can_admin(db, ua, o1));
    assert_false(org_can_edit(db, ua, o2));
    assert_false(org_can_edit(db, ub, o1));
    /* visitors and outsiders */
    assert_false(org_can_edit(db, NULL, o1));
    assert_false(org_can_edit(db, uc, o1));
    /* a join request approved makes a member who may edit but not administer */
    assert_true(org_request_join(db, a, o1, carol, "I work here"));
    stmt_t *s = db_prep(db, "SELECT id FROM org_join_requests WHERE user_id = :u");
    db_bind_int(s, ":u", carol);
    assert_true(db_step(s));
    int64_t req = db_int(s, 0);
    db_reset(s);
    assert_false(org_decide_request(db, a, req, o2, true, bob)); /* another organisation's request */
    assert_true(org_decide_request(db, a, req, o1, true, alice));
    assert_int_equal(org_role(db, o1, carol), ROLE_MEMBER);
    assert_true(org_can_edit(db, uc, o1));
    assert_false(org_can_admin(db, uc, o1));
    assert_false(org_can_edit(db, uc, o2));
    /* handing over: carol becomes admin, alice steps down */
    assert_true(org_set_role(db, a, o1, carol, "admin"));
    assert_true(org_set_role(db, a, o1, alice, "member"));
    assert_int_equal(org_active_admins(db, o1), 1);
    assert_false(org_can_admin(db, ua, o1));
    /* the platform admin may do everything */
    assert_true(org_can_edit(db, ur, o2));
    assert_true(org_can_admin(db, ur, o2));
    /* an organisation whose only admin deletes the account lands in the queue */
    long long total;
    json_t *q = org_without_admin(db, 10, &total);
    assert_int_equal(total, 0);
    json_decref(q);
    assert_true(db_begin(db));
    assert_true(org_forget_user(db, bob));
    assert_true(db_commit(db));
    q = org_without_admin(db, 10, &total);
    assert_int_equal(total, 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(q, 0), "id")), o2);
    json_decref(q);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(roles)};
    return cmocka_run_group_tests_name("permissions", tests, setup, teardown);
}
