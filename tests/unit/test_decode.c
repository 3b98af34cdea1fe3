/* Request decoding: form bodies, UTF-8 validation, Accept-Language, local redirect targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core/util.h"
#include "http/api.h"
#include "http/http.h"

static void form(void **st) {
    (void)st;
    arena_t *a = arena_new();
    params_t p;
    const char *body = "name=Tr%C3%A4+och+tr%C3%A4&themes=energy&themes=tech&empty=&flag&csrf=abc%2B%3D";
    assert_true(form_decode(a, body, strlen(body), &p));
    assert_int_equal(p.n, 6);
    assert_string_equal(p.items[0].name, "name");
    assert_string_equal(p.items[0].value, "Trä och trä");
    assert_string_equal(p.items[2].value, "tech");
    assert_string_equal(p.items[3].value, "");
    assert_string_equal(p.items[4].name, "flag");
    assert_string_equal(p.items[5].value, "abc+=");
    assert_true(form_decode(a, "", 0, &p));
    assert_int_equal(p.n, 0);
    arena_free(a);
}

static void form_rejects_bad_input(void **st) {
    (void)st;
    arena_t *a = arena_new();
    params_t p;
    assert_false(form_decode(a, "name=%FF%FE", 11, &p));     /* not UTF-8 */
    assert_false(form_decode(a, "name=%C3", 8, &p));         /* truncated sequence */
    assert_false(form_decode(a, "name=%zz", 8, &p));         /* bad escape */
    assert_false(form_decode(a, "name=a%00b", 10, &p));      /* NUL */
    assert_false(form_decode(a, "name=%ED%A0%80", 14, &p));  /* surrogate */
    arena_free(a);
}

static void utf8(void **st) {
    (void)st;
    assert_true(utf8_valid("Gränslös grenseløs", strlen("Gränslös grenseløs")));
    assert_false(utf8_valid("\xC0\xAF", 2));       /* overlong */
    assert_false(utf8_valid("\xF4\x90\x80\x80", 4)); /* beyond U+10FFFF */
    assert_int_equal(utf8_len("åäö"), 3);
}

static void languages(void **st) {
    (void)st;
    assert_string_equal(accept_language("nb-NO,nb;q=0.9,en;q=0.8"), "nb");
    assert_string_equal(accept_language("no"), "nb");
    assert_string_equal(accept_language("de-DE, en-GB;q=0.5, sv;q=0.7"), "sv");
    assert_string_equal(accept_language("en-US"), "en");
    assert_null(accept_language("de, fr"));
    assert_null(accept_language(NULL));
    assert_null(accept_language("svx"));
}

static void redirects(void **st) {
    (void)st;
    assert_true(safe_local_path("/organisations?q=x"));
    assert_false(safe_local_path("//evil.example/"));
    assert_false(safe_local_path("/\\evil.example"));
    assert_false(safe_local_path("https://evil.example/"));
    assert_false(safe_local_path("/x\r\nSet-Cookie: a=b"));
    assert_false(safe_local_path(NULL));
}

/* open redirect (issue 11): one parsed, re-encoded local path for every redirect target */
static void redirect_targets_are_reencoded_local_paths(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_null(local_path(a, "/\t/evil.example"));    /* browsers drop the TAB: //evil.example */
    assert_null(local_path(a, "/\n/evil.example"));
    assert_null(local_path(a, "/x\x7f"));
    assert_null(local_path(a, "/a\\b"));              /* a backslash anywhere */
    assert_null(local_path(a, "//evil.example"));
    assert_null(local_path(a, "evil.example"));
    assert_null(local_path(a, ""));
    assert_null(local_path(a, "/\xff"));                /* not UTF-8 */
    assert_string_equal(local_path(a, "/"), "/");
    assert_string_equal(local_path(a, "/organisations/12#history"), "/organisations/12#history");
    assert_string_equal(local_path(a, "/login?next=%2Fa%2Fb"), "/login?next=%2Fa%2Fb");
    assert_string_equal(local_path(a, "/s?q=å ö\"<"), "/s?q=%C3%A5%20%C3%B6%22%3C");
    assert_string_equal(local_path(a, "/100%"), "/100%25");   /* a lone % is escaped */
    assert_string_equal(local_path(a, "/%0"), "/%250");
    assert_true(safe_local_path("/%09/x"));                  /* an escape is text: the browser keeps it */
    arena_free(a);
}

static void text(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_string_equal(text_fold(a, "ÅÄÖ ÆØ Straße"), "åäö æø strasse");
    assert_string_equal(trim(a, "  x y \n"), "x y");
    long long v;
    assert_true(parse_int("42", 1, 100, &v));
    assert_int_equal(v, 42);
    assert_false(parse_int("42x", 1, 100, &v));
    assert_false(parse_int("0", 1, 100, &v));
    assert_false(parse_int("", 1, 100, &v));
    arena_free(a);
}

/* the shared helpers csv_has and json_split: exact items, separators, blanks and empty pieces */
static void lists(void **st) {
    (void)st;
    assert_true(csv_has("energy,tech", "tech"));
    assert_true(csv_has("3", "3"));
    assert_false(csv_has("energy,tech", "tec"));
    assert_false(csv_has("13,30", "3"));
    assert_false(csv_has(NULL, "x"));
    assert_false(csv_has("", ""));
    json_t *a = json_split("first \r\n\n  second\nthird", '\n');
    assert_int_equal(json_array_size(a), 3);
    assert_string_equal(json_string_value(json_array_get(a, 0)), "first");
    assert_string_equal(json_string_value(json_array_get(a, 1)), "  second");
    assert_string_equal(json_string_value(json_array_get(a, 2)), "third");
    json_decref(a);
    a = json_split("energy,,tech,", ',');
    assert_int_equal(json_array_size(a), 2);
    assert_string_equal(json_string_value(json_array_get(a, 1)), "tech");
    json_decref(a);
    a = json_split(NULL, ',');
    assert_int_equal(json_array_size(a), 0);
    json_decref(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(form),
        cmocka_unit_test(form_rejects_bad_input),
        cmocka_unit_test(utf8),
        cmocka_unit_test(languages),
        cmocka_unit_test(redirects),
        cmocka_unit_test(redirect_targets_are_reencoded_local_paths),
        cmocka_unit_test(text),
        cmocka_unit_test(lists),
    };
    return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
