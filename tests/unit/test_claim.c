/* The e-mail domain rule of claims (org/claim.c, issue 12): who is approved at once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "core/arena.h"
#include "org/org.h"

static void domains(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_true(org_domain_matches(a, "maria@paperprovince.com", "https://paperprovince.com"));
    assert_true(org_domain_matches(a, "maria@PaperProvince.COM", "https://www.paperprovince.com/"));
    assert_true(org_domain_matches(a, "ola@mail.nwcluster.no", "https://nwcluster.no"));  /* a subdomain of the site */
    assert_true(org_domain_matches(a, "per@kau.se", "http://www.kau.se:8080"));
    assert_false(org_domain_matches(a, "eve@evilpaperprovince.com", "https://paperprovince.com"));
    assert_false(org_domain_matches(a, "eve@paperprovince.com.evil.se", "https://paperprovince.com"));
    assert_false(org_domain_matches(a, "eve@gmail.com", "https://sites.google.com"));  /* the site is not a subdomain of the address */
    assert_false(org_domain_matches(a, "zuck@facebook.com", "https://www.facebook.com/paperprovince"));  /* a page on a platform */
    assert_false(org_domain_matches(a, "x@localhost", "http://localhost"));  /* a host without a dot */
    assert_false(org_domain_matches(a, "maria@paperprovince.com", NULL));
    assert_false(org_domain_matches(a, "no-at-sign", "https://paperprovince.com"));
    arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {cmocka_unit_test(domains)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
