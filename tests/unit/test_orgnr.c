/* Organisation numbers: Swedish Luhn and Norwegian modulus 11. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "org/orgnr.h"

static void swedish(void **st) {
    (void)st;
    assert_true(orgnr_valid("SE", "2321000156"));    /* Region Värmland */
    assert_true(orgnr_valid("SE", "202100-5216"));   /* Vinnova, with the usual dash */
    assert_true(orgnr_valid("SE", "556036-0793"));
    assert_false(orgnr_valid("SE", "2321000157"));   /* wrong check digit */
    assert_false(orgnr_valid("SE", "232100015"));    /* too short */
    assert_false(orgnr_valid("SE", "23210001566"));  /* too long */
    assert_false(orgnr_valid("SE", "23210O0156"));   /* a letter O */
    assert_false(orgnr_valid("SE", "2321-00-0156")); /* two dashes */
    assert_false(orgnr_valid("SE", ""));
    assert_false(orgnr_valid("SE", NULL));
}

static void norwegian(void **st) {
    (void)st;
    assert_true(orgnr_valid("NO", "974767880"));     /* NTNU */
    assert_true(orgnr_valid("NO", "998 465 001"));   /* spaces as usually written */
    assert_false(orgnr_valid("NO", "974767881"));
    assert_false(orgnr_valid("NO", "97476788"));
    /* remainder 1 means no valid check digit exists: 100000010 has weighted sum 12, 12 % 11 == 1 */
    assert_false(orgnr_valid_no("100000010"));
    assert_false(orgnr_valid("NO", "2321000156"));   /* a Swedish number is not Norwegian */
    assert_false(orgnr_valid("DK", "974767880"));
}

static void normalise_and_format(void **st) {
    (void)st;
    char d[32], f[32];
    assert_true(orgnr_normalise(" 556036-0793 ", d, sizeof d));
    assert_string_equal(d, "5560360793");
    assert_false(orgnr_normalise("-5560360793", d, sizeof d));
    assert_false(orgnr_normalise("12345678901234567890123456789012345", d, sizeof d));
    orgnr_format("SE", "5560360793", f, sizeof f);
    assert_string_equal(f, "556036-0793");
    orgnr_format("NO", "974767880", f, sizeof f);
    assert_string_equal(f, "974 767 880");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(swedish),
        cmocka_unit_test(norwegian),
        cmocka_unit_test(normalise_and_format),
    };
    return cmocka_run_group_tests_name("orgnr", tests, NULL, NULL);
}
