/* The formatter's escapes: HTML text and attributes, URL components, JSON strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core/buf.h"

static char *fmt(arena_t *a, const char *f, const char *s) { return aprintf(a, f, s); }

static void html(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_string_equal(fmt(a, "%h", "<script>alert('x')</script>"), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    assert_string_equal(fmt(a, "<a title=\"%h\">", "\" onmouseover=\"x"), "<a title=\"&quot; onmouseover=&quot;x\">");
    assert_string_equal(fmt(a, "%h", "Bröd & smör"), "Bröd &amp; smör");
    assert_string_equal(fmt(a, "[%h]", NULL), "[]");
    assert_string_equal(aprintf(a, "%.*h", 3, "<<<<<"), "&lt;&lt;&lt;");
    arena_free(a);
}

static void url(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_string_equal(fmt(a, "%U", "skog & trä/ø?x=1"), "skog%20%26%20tr%C3%A4%2F%C3%B8%3Fx%3D1");
    assert_string_equal(fmt(a, "%U", "a-b_c.d~e"), "a-b_c.d~e");
    arena_free(a);
}

static void json(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_string_equal(fmt(a, "\"%j\"", "a\"b\\c\nd</script>\x01"), "\"a\\\"b\\\\c\\nd\\u003c/script>\\u0001\"");
    arena_free(a);
}

static void numbers_and_growth(void **st) {
    (void)st;
    arena_t *a = arena_new();
    assert_string_equal(aprintf(a, "%d|%lld|%zu|%05.1f|%x|%%|%c", -3, 1234567890123LL, (size_t)7, 2.25, 255, 'z'),
                        "-3|1234567890123|7|002.2|ff|%|z");
    buf_t b;
    buf_init(&b, a);
    for (int i = 0; i < 10000; i++) bprintf(&b, "%h", "<>");
    assert_int_equal(b.len, 80000);
    assert_int_equal(strlen(b.data), 80000);
    arena_free(a);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(html),
        cmocka_unit_test(url),
        cmocka_unit_test(json),
        cmocka_unit_test(numbers_and_growth),
    };
    return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
