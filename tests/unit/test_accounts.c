/* Account rules: the password policy (common list, repeats, runs, one's own address or name),
 * display names (no control characters or bidi overrides), e-mail syntax, and the password hash
 * (a NULL hash is checked against the dummy and is wrong). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sodium.h>
#include "account/auth.h"
#include "core/arena.h"
#include "db/db.h"

static void weak_passwords(void **st) {
    (void)st;
    const char *weak[] = {"short", "aaaaaaaaaa", "1234567890", "0987654321", "qwertyuiop", "abcdefghijk", "abcabcabcabc",
                          "12121212121", "password123", "Password1234", "Sommar2024!", "lösenord123", "passord 2024",
                          "P@ssw0rd2024", "anna@example.se", "ANNA@EXAMPLE.SE", "Anna Andersson", "anna.andersson", NULL};
    for (int i = 0; weak[i]; i++) assert_non_null(password_problem(weak[i], "anna@example.se", "Anna Andersson"));
    /* the local part of the address is enough when it is the whole password */
    assert_non_null(password_problem("anna.andersson99", "anna.andersson99@example.se", NULL));
    const char *good[] = {"correct horse battery", "grön kaffe på tåget", "anna password 1", "Kongsvinger limtre 7", "x7#Qm!2pLr9z", NULL};
    for (int i = 0; good[i]; i++) assert_null(password_problem(good[i], "anna@example.se", "Anna Andersson"));
    assert_null(password_problem("a long enough password", NULL, NULL));
}

static void display_names(void **st) {
    (void)st;
    assert_null(name_problem("Åsa Öberg-Ærø"));
    assert_null(name_problem("Jørgen O'Brien"));
    assert_non_null(name_problem(""));
    assert_non_null(name_problem(NULL));
    assert_non_null(name_problem("Anna\r\nBcc: x@example.se"));
    assert_non_null(name_problem("Tab\there"));
    assert_non_null(name_problem("Eve\xe2\x80\xae" "cod.exe"));      /* U+202E RIGHT-TO-LEFT OVERRIDE */
    assert_non_null(name_problem("Iso\xe2\x81\xa6late\xe2\x81\xa9")); /* U+2066, U+2069 isolates */
    assert_non_null(name_problem("mark\xe2\x80\x8f"));               /* U+200F RIGHT-TO-LEFT MARK */
    assert_non_null(name_problem("c1\xc2\x85"));                      /* U+0085 NEXT LINE */
    assert_non_null(name_problem("bad \xff utf-8"));
    char longname[200];
    memset(longname, 'a', 121);
    longname[121] = 0;
    assert_non_null(name_problem(longname));
}

static void emails(void **st) {
    (void)st;
    assert_true(email_valid("kari@example.no"));
    assert_false(email_valid("kari@example"));
    assert_false(email_valid("kari@@example.no"));
    assert_false(email_valid("kari\r\n@example.no"));
    assert_false(email_valid("ka ri@example.no"));
    assert_false(email_valid("kari@example.no\x7f"));
}

static void hashing(void **st) {
    (void)st;
    arena_t *a = arena_new();
    bool busy = true;
    char *h = password_hash(a, "a long enough password", &busy);
    assert_non_null(h);
    assert_false(busy);
    assert_int_equal(password_verify(h, "a long enough password"), PW_OK);
    assert_int_equal(password_verify(h, "another password"), PW_WRONG);
    assert_int_equal(password_verify(NULL, "a long enough password"), PW_WRONG);
    assert_int_equal(password_verify(NULL, ""), PW_WRONG);
    char *t = random_token(a);
    assert_int_equal(strlen(t), 43);
    assert_int_equal(strlen(token_hash(a, t)), 64);
    arena_free(a);
}

/* tokens and the personal-data view of account/'s tables, on a temporary database */
static void tokens_and_data(void **st) {
    (void)st;
    char path[] = "/tmp/granslos-unit-accounts-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    db_t *db = db_open(path);
    assert_non_null(db);
    arena_t *a = arena_new();
    int64_t uid = user_create(db, a, "data@example.se", "Data Person", "a long enough password", false);
    assert_true(uid > 0);
    assert_non_null(api_token_create(db, a, uid, "ci", 7));
    assert_non_null(api_token_create(db, a, uid, NULL, 0));
    account_link_t l = {"reset", uid, "data@example.se", NULL, NULL, NULL};
    char *tok = link_create(db, a, &l, 3600);
    assert_non_null(tok);
    json_t *d = account_security_data(db, a, uid);
    assert_int_equal(json_array_size(json_object_get(d, "api_tokens")), 2);
    assert_int_equal(json_array_size(json_object_get(d, "sessions")), 0);
    assert_int_equal(json_array_size(json_object_get(d, "known_devices")), 0);
    json_t *pl = json_array_get(json_object_get(d, "pending_links"), 0);
    assert_string_equal(json_string_value(json_object_get(pl, "kind")), "reset");
    json_decref(d);
    /* revoke one, then all; a link works once */
    json_t *list = api_tokens_list(db, a, uid);
    int64_t id = json_integer_value(json_object_get(json_array_get(list, 0), "id"));
    json_decref(list);
    assert_true(api_token_revoke(db, a, uid, id));
    assert_false(api_token_revoke(db, a, uid, id));
    assert_false(api_token_revoke(db, a, uid + 1, id - 1)); /* the other, still active, is not theirs */
    assert_int_equal(api_tokens_revoke_all(db, a, uid), 1);
    assert_non_null(link_find(db, a, "reset", tok, true));
    assert_null(link_find(db, a, "reset", tok, true));
    assert_null(link_find(db, a, "signup", tok, false));
    assert_true(account_forget_security(db, uid));
    arena_free(a);
    db_close(db);
    unlink(path);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void) {
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weak_passwords),
        cmocka_unit_test(display_names),
        cmocka_unit_test(emails),
        cmocka_unit_test(hashing),
        cmocka_unit_test(tokens_and_data),
    };
    return cmocka_run_group_tests_name("accounts", tests, NULL, NULL);
}
