/* Roundtables (roundtables/roundtables.h): the action plan's status moves, and against a real
 * temporary store with the demo data: the demo event's report equals the seed report, bullets
 * entered through the model come out in the hosts' order, the short link's rate limit, and a
 * refused reorder or a bad bullet changes nothing. Pages and API: tests/http/roundtables.test.mjs. */
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
#include "events/events.h"
#include "importers/demo.h"
#include "ref/ref.h"
#include "roundtables/roundtables.h"

static void action_moves(void **st) {
    (void)st;
    assert_true(rt_action_move_allowed("proposed", "agreed"));
    assert_true(rt_action_move_allowed("agreed", "in-progress"));
    assert_true(rt_action_move_allowed("in-progress", "done"));
    assert_true(rt_action_move_allowed("dropped", "proposed"));
    assert_true(rt_action_move_allowed("done", "in-progress"));
    assert_false(rt_action_move_allowed("proposed", "done"));
    assert_false(rt_action_move_allowed("proposed", "in-progress"));
    assert_false(rt_action_move_allowed("done", "dropped"));
    assert_false(rt_action_move_allowed("dropped", "done"));
    for (int i = 0; i < 5; i++) {
        assert_false(rt_action_move_allowed(rt_action_statuses[i], rt_action_statuses[i]));
        assert_false(rt_action_move_allowed(rt_action_statuses[i], "bogus"));
        assert_string_not_equal(rt_action_status_label(rt_action_statuses[i], "sv"), rt_action_statuses[i]);
    }
}

static char path[64];
static db_t *db;
static arena_t *a;

static int setup(void **st) {
    (void)st;
    if (sodium_init() < 0) return -1;
    ref_init();
    snprintf(path, sizeof path, "/tmp/granslos-roundtables-%d.db", (int)getpid());
    unlink(path);
    db = db_open(path);
    a = arena_new();
    if (!db || demo_load(db) < 0 || event_demo_load(db) < 0) return -1;
    return 0;
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

static char *slurp(const char *file, size_t *n) {
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = arena_alloc(a, (size_t)len + 1);
    assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return s;
}

static void demo_report_is_the_seed(void **st) {
    (void)st;
    assert_int_equal(rt_demo_load(db), 6);
    assert_int_equal(rt_demo_load(db), 0); /* once */
    size_t n;
    char *text = slurp("data/demo/motesplats-vision-2022.txt", &n);
    report_t seed, got, fixture;
    report_error_t e;
    assert_true(report_parse(a, text, n, REPORT_TEXT, &seed, &e));
    /* the demo source is the golden fixture without the web page's residue: its first four
     * lines (the home link, the image's text and caption) and its closing lines ("Sidan
     * uppdaterad", "Hjälpte sidan dig?"); tables, questions and bullets the same */
    char *golden = slurp("tests/fixtures/motesplats-vision-2022.txt", &n);
    assert_true(report_parse(a, golden, n, REPORT_TEXT, &fixture, &e));
    assert_string_equal(fixture.intro[0], "Till startsidan");
    assert_int_equal(fixture.noutro, 2);
    fixture.intro += 3;
    fixture.intro_heading += 3;
    fixture.nintro -= 3;
    fixture.noutro = 0;
    assert_string_equal(seed.intro[0], "Mötesplats Vision – Gränslöst företagande för den gröna omställningen");
    assert_int_equal(seed.noutro, 0);
    assert_true(report_equal(&fixture, &seed));
    /* the demo event: the one whose report has six tables */
    int64_t ev = 0;
    for (int64_t id = 1; id < 100 && !ev; id++) {
        int k;
        if (event_exists(db, id) && (rt_table_ids(db, a, id, &k), k == 6)) ev = id;
    }
    assert_true(ev > 0);
    assert_true(rt_report(db, a, ev, &got));
    assert_true(report_equal(&seed, &got));
    /* and its Markdown reads back to the same */
    buf_t b;
    buf_init(&b, a);
    report_markdown(&b, &got);
    report_t back;
    assert_true(report_parse(a, b.data, b.len, REPORT_AUTO, &back, &e));
    assert_true(report_equal(&seed, &back));
}

static void bullets_order_and_limits(void **st) {
    (void)st;
    int64_t ev = 0;
    for (int64_t id = 1; id < 100 && !ev; id++) if (event_exists(db, id)) ev = id;
    json_t *errors = NULL;
    json_t *in = json_pack("{s:s}", "hosts", "Visit Värmland och Visit Greater Oslo");
    int64_t t = rt_table_save(db, a, "en", ev, 0, in, 0, &errors);
    json_decref(in);
    assert_true(t > 0);
    json_t *tab = rt_table_load(db, t, true);
    assert_int_equal(json_array_size(json_object_get(tab, "hosts")), 2);
    int64_t q = json_integer_value(json_object_get(json_array_get(json_object_get(tab, "questions"), 0), "id"));
    json_decref(tab);
    int64_t ids[3];
    int code;
    for (int i = 0; i < 3; i++) {
        json_t *b = json_pack("{s:I, s:s, s:s}", "question", (json_int_t)q, "text", i == 0 ? "A" : i == 1 ? "B" : "C", "status", "approved");
        ids[i] = rt_bullet_add(db, a, "en", t, b, "host", 0, NULL, &errors, &code);
        json_decref(b);
        assert_true(ids[i] > 0);
    }
    /* a refused order changes nothing */
    json_t *order = json_pack("[I, I]", (json_int_t)ids[2], (json_int_t)ids[0]);
    assert_int_equal(rt_question_order(db, "en", q, order, &errors), 422);
    json_decref(order);
    json_decref(errors);
    order = json_pack("[I, I, I]", (json_int_t)ids[2], (json_int_t)ids[0], (json_int_t)ids[1]);
    assert_int_equal(rt_question_order(db, "en", q, order, &errors), 0);
    json_decref(order);
    assert_true(rt_bullet_move(db, ids[1], -1)); /* C B A */
    tab = rt_table_load(db, t, false);
    json_t *bl = json_object_get(json_array_get(json_object_get(tab, "questions"), 0), "bullets");
    assert_string_equal(json_string_value(json_object_get(json_array_get(bl, 0), "text")), "C");
    assert_string_equal(json_string_value(json_object_get(json_array_get(bl, 1), "text")), "B");
    assert_string_equal(json_string_value(json_object_get(json_array_get(bl, 2), "text")), "A");
    json_decref(tab);
    /* the short link: pending, then the rate limit per table and address */
    for (int i = 0; i < RT_LINK_RATE; i++) {
        json_t *b = json_pack("{s:I, s:s}", "question", (json_int_t)q, "text", "från länken");
        assert_true(rt_bullet_add(db, a, "en", t, b, "link", 0, "192.0.2.7", &errors, &code) > 0);
        json_decref(b);
    }
    json_t *b = json_pack("{s:I, s:s}", "question", (json_int_t)q, "text", "en för mycket");
    assert_int_equal(rt_bullet_add(db, a, "en", t, b, "link", 0, "192.0.2.7", &errors, &code), 0);
    assert_int_equal(code, 429);
    assert_true(rt_bullet_add(db, a, "en", t, b, "link", 0, "192.0.2.8", &errors, &code) > 0); /* another address */
    json_decref(b);
    /* an empty bullet: 422, in the user's language */
    b = json_pack("{s:I, s:s}", "question", (json_int_t)q, "text", " \n ");
    assert_int_equal(rt_bullet_add(db, a, "sv", t, b, "host", 0, NULL, &errors, &code), 0);
    assert_int_equal(code, 422);
    assert_string_equal(json_string_value(json_object_get(errors, "text")), "Skriv punkten: den är tom.");
    json_decref(errors);
    json_decref(b);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(action_moves),
        cmocka_unit_test(demo_report_is_the_seed),
        cmocka_unit_test(bullets_order_and_limits),
    };
    return cmocka_run_group_tests_name("roundtables", tests, setup, teardown);
}
