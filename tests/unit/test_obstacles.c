/* The obstacle workflow (obstacles/obstacles.h): which status moves are allowed, and that every
 * status has a label in every language. The rest of the module is tested over HTTP
 * (tests/http/obstacles.test.mjs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "i18n/i18n.h"
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

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workflow),
        cmocka_unit_test(labels),
    };
    return cmocka_run_group_tests_name("obstacles", tests, NULL, NULL);
}
