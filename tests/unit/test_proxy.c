/* The client's address behind a trusted proxy (http/proxy.c): X-Forwarded-For and Forwarded
 * (RFC 7239), the right-most untrusted address, malformed headers, and the address counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "http/proxy.h"

static char out[ADDR_TEXT];

/* client: the address proxy_client gives, "" when it kept the peer */
static const char *client(const char *peer, const char *fwd, const char *xff) {
    if (!proxy_client(peer, fwd, xff, out)) {
        assert_string_equal(out, peer);   /* the peer, unchanged */
        return "";
    }
    return out;
}

static void init_list(void **st) {
    (void)st;
    char err[80];
    assert_true(proxy_init(NULL, err, sizeof err));
    assert_false(proxy_enabled());
    assert_true(proxy_init("127.0.0.1,10.0.0.2,::1", err, sizeof err));
    assert_true(proxy_enabled());
    assert_true(proxy_trusted("10.0.0.2"));
    assert_true(proxy_trusted("::ffff:127.0.0.1"));   /* IPv4-mapped: the same address */
    assert_true(proxy_trusted("0:0:0:0:0:0:0:1"));    /* compared canonically */
    assert_false(proxy_trusted("10.0.0.3"));
    assert_false(proxy_init("127.0.0.1,proxy.example", err, sizeof err));
    assert_string_equal(err, "proxy.example");
    assert_false(proxy_init("127.0.0.1,,10.0.0.1", err, sizeof err));   /* an empty item */
    assert_false(proxy_init("10.0.0.0/8", err, sizeof err));
}

static void untrusted_peer(void **st) {
    (void)st;
    char err[80];
    assert_true(proxy_init("127.0.0.1", err, sizeof err));
    assert_string_equal(client("192.0.2.7", NULL, "203.0.113.5"), "");
    assert_string_equal(client("192.0.2.7", "for=203.0.113.5", NULL), "");
    assert_string_equal(client("127.0.0.1", NULL, NULL), "");
}

/* headers from the trusted proxy 127.0.0.1 (10.0.0.2 is another trusted proxy) and the client
 * they give; "" keeps the peer */
static const struct { const char *fwd, *xff, *want; } cases[] = {
    {NULL, "203.0.113.5", "203.0.113.5"},
    /* the client wrote the first item itself: the right-most untrusted one counts */
    {NULL, "1.2.3.4, 203.0.113.5", "203.0.113.5"},
    {NULL, "1.2.3.4,203.0.113.5, 10.0.0.2", "203.0.113.5"},
    {NULL, "2001:DB8::1", "2001:db8::1"},
    {NULL, "::ffff:198.51.100.9", "198.51.100.9"},
    {NULL, "10.0.0.2, 127.0.0.1", "10.0.0.2"},             /* every hop trusted: the left-most */
    /* X-Forwarded-For that does not parse */
    {NULL, "", ""}, {NULL, "203.0.113.5,", ""}, {NULL, "203.0.113.5:4711", ""}, {NULL, "unknown", ""},
    {NULL, "1.2.3.4 5.6.7.8", ""}, {NULL, "999.1.1.1", ""}, {NULL, "<script>", ""},
    /* Forwarded (RFC 7239) */
    {"for=203.0.113.5", NULL, "203.0.113.5"},
    {"For=\"203.0.113.5:4711\";proto=https;by=10.0.0.2", NULL, "203.0.113.5"},
    {"for=\"[2001:db8:cafe::17]:4711\"", NULL, "2001:db8:cafe::17"},
    {"for=1.2.3.4, for=198.51.100.9;proto=http, for=10.0.0.2", NULL, "198.51.100.9"},
    {"for=198.51.100.9", "203.0.113.5", "198.51.100.9"},   /* Forwarded wins over X-Forwarded-For */
    /* Forwarded that does not parse, or names no address */
    {"for=unknown", NULL, ""}, {"for=_hidden", NULL, ""}, {"for=\"[2001:db8::1\"", NULL, ""},
    {"for=2001:db8::1", NULL, ""},                         /* IPv6 needs brackets */
    {"proto=https", NULL, ""},                             /* no for= */
    {"for=1.2.3.4;for=5.6.7.8", NULL, ""},                 /* two in one element */
    {"for=\"1.2.3.4", NULL, ""}, {"for=", NULL, ""}, {"for=1.2.3.4,", NULL, ""}, {"", NULL, ""},
};

static void headers(void **st) {
    (void)st;
    char err[80];
    assert_true(proxy_init("127.0.0.1,10.0.0.2", err, sizeof err));
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        print_message("%s | %s\n", cases[i].fwd ? cases[i].fwd : "-", cases[i].xff ? cases[i].xff : "-");
        assert_string_equal(client("127.0.0.1", cases[i].fwd, cases[i].xff), cases[i].want);
    }
}

static void counters(void **st) {
    (void)st;
    assert_true(addr_take("t:a", 2));
    assert_true(addr_take("t:a", 2));
    assert_false(addr_take("t:a", 2));
    assert_true(addr_take("t:b", 2));
    assert_int_equal(addr_count("t:a"), 2);
    addr_put("t:a");
    assert_int_equal(addr_count("t:a"), 1);
    assert_true(addr_take("t:a", 2));
    addr_put("t:a");
    addr_put("t:a");
    addr_put("t:b");
    assert_int_equal(addr_count("t:a"), 0);
    addr_put("t:a");   /* not counted: nothing happens */
    assert_int_equal(addr_count("t:a"), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(init_list), cmocka_unit_test(untrusted_peer), cmocka_unit_test(headers), cmocka_unit_test(counters),
    };
    return cmocka_run_group_tests_name("proxy", tests, NULL, NULL);
}
