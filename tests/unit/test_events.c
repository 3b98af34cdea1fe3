/* Events: public holidays of Sweden and Norway 2020-2035 against known dates, local time and UTC
 * around the summer-time changes, and the iCalendar output parsed back by libical. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <libical/ical.h>
#include "events/dates.h"
#include "events/events.h"
#include "importers/demo.h"
#include "ref/ref.h"

/* Easter Sunday 2020-2035 (published tables) */
static const int easter_days[16][2] = {{4, 12}, {4, 4}, {4, 17}, {4, 9}, {3, 31}, {4, 20}, {4, 5}, {3, 28},
                                       {4, 16}, {4, 1}, {4, 21}, {4, 13}, {3, 28}, {4, 17}, {4, 9}, {3, 25}};
/* midsummer eve (Sweden) 2020-2035 */
static const int midsummer_eve[16] = {19, 25, 24, 23, 21, 20, 19, 25, 23, 22, 21, 20, 25, 24, 23, 22};

static bool has(int y, int m, int d, const char *country, const char *name) {
    holiday_t h[4];
    int n = holidays_on(y, m, d, h, 4);
    for (int i = 0; i < n; i++) if (!strcmp(h[i].country, country) && !strcmp(h[i].name, name)) return true;
    return false;
}

/* plus: y-m-d moved by n days (within one year) */
static void plus(int y, int *m, int *d, int n) {
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (; n > 0; n--) if (++*d > dim[*m - 1] + (*m == 2 && y % 4 == 0)) { *d = 1; ++*m; }
    for (; n < 0; n++) if (--*d < 1) { --*m; *d = dim[*m - 1] + (*m == 2 && y % 4 == 0); }
}

static void easter_2020_2035(void **st) {
    (void)st;
    for (int y = 2020; y <= 2035; y++) {
        int m, d;
        easter(y, &m, &d);
        assert_int_equal(m, easter_days[y - 2020][0]);
        assert_int_equal(d, easter_days[y - 2020][1]);
    }
}

static void holidays_2020_2035(void **st) {
    (void)st;
    for (int y = 2020; y <= 2035; y++) {
        holiday_t all[48];
        assert_int_equal(holidays_of_year(y, all, 48), 29); /* 16 Swedish days (with the eves), 13 Norwegian */
        int em = easter_days[y - 2020][0], ed = easter_days[y - 2020][1];
        struct { int off; const char *c, *name; } rel[] = {
            {-7, "NO", "Palmesøndag"}, {-3, "NO", "Skjærtorsdag"}, {-2, "SE", "Långfredagen"}, {-2, "NO", "Langfredag"},
            {0, "SE", "Påskdagen"}, {1, "SE", "Annandag påsk"}, {1, "NO", "Andre påskedag"}, {39, "SE", "Kristi himmelsfärdsdag"},
            {39, "NO", "Kristi himmelfartsdag"}, {49, "SE", "Pingstdagen"}, {49, "NO", "Første pinsedag"}, {50, "NO", "Andre pinsedag"}};
        for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
            int m = em, d = ed;
            plus(y, &m, &d, rel[i].off);
            if (!has(y, m, d, rel[i].c, rel[i].name)) fail_msg("%d: %s not on %d-%02d-%02d", y, rel[i].name, y, m, d);
        }
        assert_true(has(y, 5, 17, "NO", "Grunnlovsdag"));
        assert_true(has(y, 6, 6, "SE", "Sveriges nationaldag"));
        assert_true(has(y, 5, 1, "SE", "Första maj") && has(y, 5, 1, "NO", "Arbeidernes dag"));
        assert_true(has(y, 12, 25, "NO", "Første juledag") && has(y, 12, 26, "SE", "Annandag jul"));
        assert_true(has(y, 1, 6, "SE", "Trettondedag jul"));
        assert_false(has(y, 1, 6, "NO", "Trettondedag jul"));
        if (!has(y, 6, midsummer_eve[y - 2020], "SE", "Midsommarafton")) fail_msg("%d: midsummer eve", y);
        assert_true(has(y, 6, midsummer_eve[y - 2020] + 1, "SE", "Midsommardagen"));
    }
    /* a few by name from the calendars */
    assert_true(has(2024, 5, 9, "SE", "Kristi himmelsfärdsdag"));
    assert_true(has(2025, 6, 9, "NO", "Andre pinsedag"));
    assert_true(has(2026, 10, 31, "SE", "Alla helgons dag"));
    assert_true(has(2027, 11, 6, "SE", "Alla helgons dag"));
    assert_true(has(2027, 5, 17, "NO", "Andre pinsedag")); /* and Grunnlovsdag the same day */
    holiday_t h[4];
    assert_int_equal(holidays_on(2027, 5, 18, h, 4), 0);
}

static void local_time_and_utc(void **st) {
    (void)st;
    time_t t;
    char buf[32];
    /* winter UTC+1, summer UTC+2, in both zones */
    assert_int_equal(local_to_utc("2027-01-12T09:00", "Europe/Stockholm", &t), LT_OK);
    utc_string(t, buf, sizeof buf);
    assert_string_equal(buf, "2027-01-12T08:00:00Z");
    assert_int_equal(local_to_utc("2027-07-01T09:00", "Europe/Oslo", &t), LT_OK);
    utc_string(t, buf, sizeof buf);
    assert_string_equal(buf, "2027-07-01T07:00:00Z");
    /* the spring gap: 02:00-02:59 on the last Sunday in March does not exist */
    assert_int_equal(local_to_utc("2027-03-28T02:00", "Europe/Stockholm", &t), LT_DST_GAP);
    assert_int_equal(local_to_utc("2027-03-28T02:59", "Europe/Oslo", &t), LT_DST_GAP);
    assert_int_equal(local_to_utc("2026-03-29T02:30", "Europe/Oslo", &t), LT_DST_GAP);
    assert_int_equal(local_to_utc("2027-03-28T01:59", "Europe/Stockholm", &t), LT_OK);
    utc_string(t, buf, sizeof buf);
    assert_string_equal(buf, "2027-03-28T00:59:00Z");
    assert_int_equal(local_to_utc("2027-03-28T03:00", "Europe/Stockholm", &t), LT_OK);
    utc_string(t, buf, sizeof buf);
    assert_string_equal(buf, "2027-03-28T01:00:00Z");
    /* the autumn hour that happens twice: the first one */
    assert_int_equal(local_to_utc("2027-10-31T02:30", "Europe/Stockholm", &t), LT_OK);
    utc_string(t, buf, sizeof buf);
    assert_string_equal(buf, "2027-10-31T00:30:00Z");
    /* dates that do not exist, and malformed input */
    assert_int_equal(local_to_utc("2027-02-29T10:00", "Europe/Stockholm", &t), LT_NO_DATE);
    assert_int_equal(local_to_utc("2028-02-29T10:00", "Europe/Stockholm", &t), LT_OK);
    assert_int_equal(local_to_utc("2100-02-29T10:00", "Europe/Stockholm", &t), LT_NO_DATE);
    assert_int_equal(local_to_utc("2027-04-31T10:00", "Europe/Stockholm", &t), LT_NO_DATE);
    assert_int_equal(local_to_utc("2027-13-01T10:00", "Europe/Stockholm", &t), LT_NO_DATE);
    assert_int_equal(local_to_utc("2027-01-01T24:00", "Europe/Stockholm", &t), LT_NO_DATE);
    assert_int_equal(local_to_utc("2027-01-01T10:60", "Europe/Stockholm", &t), LT_NO_DATE);
    assert_int_equal(local_to_utc("2027-01-01T10:00:00", "Europe/Stockholm", &t), LT_OK);
    assert_int_equal(local_to_utc("2027-1-01T10:00", "Europe/Stockholm", &t), LT_MALFORMED);
    assert_int_equal(local_to_utc("2027-01-01T10:00:30", "Europe/Stockholm", &t), LT_MALFORMED);
    assert_int_equal(local_to_utc("1999-01-01T10:00", "Europe/Stockholm", &t), LT_MALFORMED);
    assert_int_equal(local_to_utc("2027-01-01T10:00", "Europe/Berlin", &t), LT_MALFORMED);
    assert_int_equal(local_to_utc("2027-01-01T10:00Z", "Europe/Oslo", &t), LT_MALFORMED);
    assert_int_equal(local_to_utc("", "Europe/Oslo", &t), LT_MALFORMED);
    /* property: every quarter hour of 2026-2028 goes to local time and back unchanged, except the
     * second pass of the repeated autumn hour, which maps to the first */
    time_t from, to;
    local_to_utc("2026-01-01T00:00", "Europe/Stockholm", &from);
    local_to_utc("2029-01-01T00:00", "Europe/Stockholm", &to);
    int repeated = 0;
    for (time_t u = from; u < to; u += 900) {
        utc_to_local(u, "Europe/Oslo", buf, sizeof buf);
        time_t back;
        assert_int_equal(local_to_utc(buf, "Europe/Oslo", &back), LT_OK);
        if (back != u) { assert_int_equal(back, u - 3600); repeated++; }
    }
    assert_int_equal(repeated, 3 * 4); /* one hour, four quarters, three autumns */
}

static void weekdays(void **st) {
    (void)st;
    assert_int_equal(weekday(2026, 11, 27), 4); /* a Friday */
    assert_int_equal(weekday(2027, 3, 28), 6);  /* Easter Sunday */
    assert_int_equal(weekday(2000, 1, 1), 5);
    assert_int_equal(days_in_month(2028, 2), 29);
    assert_int_equal(days_in_month(2027, 2), 28);
}

static void border_regions(void **st) {
    (void)st;
    assert_int_equal(event_region("SE", "17"), event_region("NO", "34")); /* Värmland and Innlandet */
    assert_int_equal(event_region("SE", "14"), event_region("NO", "31")); /* Västra Götaland and Østfold */
    assert_true(event_region("SE", "17") != event_region("NO", "31"));
    assert_int_equal(event_region("SE", "01"), 0);
}

/* the calendar as iCalendar, parsed back by libical: every event, its UID and its times */
static void ics_parses_back(void **st) {
    (void)st;
    char path[64];
    snprintf(path, sizeof path, "/tmp/granslos-events-%d.db", (int)getpid());
    unlink(path);
    db_t *db = db_open(path);
    assert_non_null(db);
    assert_true(demo_load(db) > 0);
    int ne = event_demo_load(db);
    assert_true(ne >= 10);
    arena_t *a = arena_new();
    event_filter_t f = {.from = 0, .to = 4102444800, .status = "all", .limit = 1000};
    event_row_t *rows;
    int n = event_list(db, a, &f, "sv", &rows);
    assert_int_equal(n, ne);
    int64_t *ids = arena_alloc(a, sizeof(int64_t) * (size_t)n);
    for (int i = 0; i < n; i++) ids[i] = rows[i].id;
    const char *text = event_ics(db, a, ids, n, "Gränslös", "sv");
    icalcomponent *cal = icalparser_parse_string(text);
    assert_non_null(cal);
    assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
    int k = 0;
    for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT); c;
         c = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT), k++) {
        /* the stored UID, a random native one (issue 11: never "event-N@granslos", which a feed could forge) */
        assert_non_null(rows[k].uid);
        assert_string_equal(icalcomponent_get_uid(c), rows[k].uid);
        assert_int_equal(strlen(rows[k].uid), 32 + strlen("@granslos"));
        assert_non_null(strstr(rows[k].uid, "@granslos"));
        struct icaltimetype s = icalcomponent_get_dtstart(c), e = icalcomponent_get_dtend(c);
        assert_true(icaltime_is_utc(s));
        assert_int_equal(icaltime_as_timet(s), rows[k].start);
        assert_int_equal(icaltime_as_timet(e), rows[k].end);
        assert_non_null(icalcomponent_get_summary(c));
        assert_string_equal(icalcomponent_get_summary(c), rows[k].title);
        /* no libical error properties: the output is valid as written */
        assert_null(icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY));
    }
    assert_int_equal(k, n);
    icalcomponent_free(cal);
    arena_free(a);
    db_close(db);
    char p[80];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path); unlink(p);
    snprintf(p, sizeof p, "%s-shm", path); unlink(p);
}

int main(void) {
    setenv("TZ", "Europe/Stockholm", 1);
    tzset();
    ref_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(easter_2020_2035), cmocka_unit_test(holidays_2020_2035), cmocka_unit_test(local_time_and_utc),
        cmocka_unit_test(weekdays), cmocka_unit_test(border_regions), cmocka_unit_test(ics_parses_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
