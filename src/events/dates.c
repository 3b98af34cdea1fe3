/* Local times, UTC and public holidays (see dates.h). */
#include "events/dates.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool tz_valid(const char *tz) {
    return tz && (!strcmp(tz, "Europe/Stockholm") || !strcmp(tz, "Europe/Oslo"));
}

int days_in_month(int y, int m) {
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

bool date_valid_ymd(int y, int m, int d) { return m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m); }

int weekday(int y, int m, int d) {
    /* Sakamoto's method: 0 = Sunday; shifted so that 0 = Monday */
    static const int t[12] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3) y -= 1;
    int w = (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
    return (w + 6) % 7;
}

static bool digits(const char *s, int n) {
    for (int i = 0; i < n; i++) if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

lt_result_t local_to_utc(const char *s, const char *tz, time_t *out) {
    if (!s || !tz_valid(tz)) return LT_MALFORMED;
    size_t n = strlen(s);
    if (n != 16 && !(n == 19 && s[16] == ':' && s[17] == '0' && s[18] == '0')) return LT_MALFORMED;
    if (!digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2) ||
        (s[10] != 'T' && s[10] != ' ') || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2))
        return LT_MALFORMED;
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8), h = atoi(s + 11), mi = atoi(s + 14);
    if (y < 2000 || y > 2100) return LT_MALFORMED;
    if (!date_valid_ymd(y, mo, d) || h > 23 || mi > 59) return LT_NO_DATE;
    /* TZ is Europe/Stockholm for the whole process; Europe/Oslo has had the same rules since 1980 */
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_isdst = -1};
    time_t t = mktime(&tm);
    struct tm back;
    localtime_r(&t, &back);
    if (back.tm_year != y - 1900 || back.tm_mon != mo - 1 || back.tm_mday != d || back.tm_hour != h || back.tm_min != mi) {
        /* mktime moved it: the wall-clock time does not exist (the spring gap) */
        return LT_DST_GAP;
    }
    /* the repeated autumn hour: take the earlier instant (summer time) */
    if (!back.tm_isdst) {
        time_t e = t - 3600;
        struct tm b2;
        localtime_r(&e, &b2);
        if (b2.tm_isdst && b2.tm_hour == h && b2.tm_min == mi && b2.tm_mday == d) t = e;
    }
    *out = t;
    return LT_OK;
}

void utc_to_local(time_t t, const char *tz, char *buf, size_t n) {
    (void)tz; /* same rules in both zones (see local_to_utc) */
    struct tm tm;
    localtime_r(&t, &tm);
    snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void utc_string(time_t t, char *buf, size_t n) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void easter(int y, int *m, int *d) {
    /* the anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
    int a = y % 19, b = y / 100, c = y % 100, dd = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
    int h = (19 * a + b - dd - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
    int mm = (a + 11 * h + 22 * l) / 451;
    *m = (h + l - 7 * mm + 114) / 31;
    *d = ((h + l - 7 * mm + 114) % 31) + 1;
}

/* add_days: y-m-d moved by n days (n may be negative) */
static void add_days(int y, int *m, int *d, int n) {
    while (n > 0) {
        if (++*d > days_in_month(y, *m)) { *d = 1; ++*m; }
        n--;
    }
    while (n < 0) {
        if (--*d < 1) { --*m; *d = days_in_month(y, *m); }
        n++;
    }
}

static int push(holiday_t *out, int k, int max, int m, int d, const char *c, const char *name, const char *en) {
    if (k < max) out[k] = (holiday_t){m, d, c, name, en};
    return k + 1;
}

static int hcmp(const void *x, const void *y) {
    const holiday_t *a = x, *b = y;
    if (a->month != b->month) return a->month - b->month;
    if (a->day != b->day) return a->day - b->day;
    return strcmp(a->country, b->country);
}

int holidays_of_year(int y, holiday_t *out, int max) {
    holiday_t h[48];
    int k = 0;
    int em, ed;
    easter(y, &em, &ed);
    struct { int off; const char *c, *name, *en; } rel[] = {
        {-7, "NO", "Palmesøndag", "Palm Sunday"},
        {-3, "NO", "Skjærtorsdag", "Maundy Thursday"},
        {-2, "SE", "Långfredagen", "Good Friday"},
        {-2, "NO", "Langfredag", "Good Friday"},
        {0, "SE", "Påskdagen", "Easter Sunday"},
        {0, "NO", "Første påskedag", "Easter Sunday"},
        {1, "SE", "Annandag påsk", "Easter Monday"},
        {1, "NO", "Andre påskedag", "Easter Monday"},
        {39, "SE", "Kristi himmelsfärdsdag", "Ascension Day"},
        {39, "NO", "Kristi himmelfartsdag", "Ascension Day"},
        {49, "SE", "Pingstdagen", "Whit Sunday"},
        {49, "NO", "Første pinsedag", "Whit Sunday"},
        {50, "NO", "Andre pinsedag", "Whit Monday"},
    };
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
        int m = em, d = ed;
        add_days(y, &m, &d, rel[i].off);
        k = push(h, k, 48, m, d, rel[i].c, rel[i].name, rel[i].en);
    }
    struct { int m, d; const char *c, *name, *en; } fixed[] = {
        {1, 1, "SE", "Nyårsdagen", "New Year's Day"},
        {1, 6, "SE", "Trettondedag jul", "Epiphany"},
        {5, 1, "SE", "Första maj", "May Day"},
        {6, 6, "SE", "Sveriges nationaldag", "National Day of Sweden"},
        {12, 24, "SE", "Julafton", "Christmas Eve"},
        {12, 25, "SE", "Juldagen", "Christmas Day"},
        {12, 26, "SE", "Annandag jul", "Boxing Day"},
        {12, 31, "SE", "Nyårsafton", "New Year's Eve"},
        {1, 1, "NO", "Første nyttårsdag", "New Year's Day"},
        {5, 1, "NO", "Arbeidernes dag", "Labour Day"},
        {5, 17, "NO", "Grunnlovsdag", "Constitution Day"},
        {12, 25, "NO", "Første juledag", "Christmas Day"},
        {12, 26, "NO", "Andre juledag", "Boxing Day"},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        k = push(h, k, 48, fixed[i].m, fixed[i].d, fixed[i].c, fixed[i].name, fixed[i].en);
    /* Sweden's moving Saturdays and midsummer eve */
    for (int d = 19; d <= 25; d++) if (weekday(y, 6, d) == 4) k = push(h, k, 48, 6, d, "SE", "Midsommarafton", "Midsummer Eve");
    for (int d = 20; d <= 26; d++) if (weekday(y, 6, d) == 5) k = push(h, k, 48, 6, d, "SE", "Midsommardagen", "Midsummer Day");
    for (int i = 0; i < 7; i++) { /* the Saturday from 31 October to 6 November */
        int m = i == 0 ? 10 : 11, d = i == 0 ? 31 : i;
        if (weekday(y, m, d) == 5) k = push(h, k, 48, m, d, "SE", "Alla helgons dag", "All Saints' Day");
    }
    qsort(h, (size_t)k, sizeof *h, hcmp);
    for (int i = 0; i < k && i < max; i++) out[i] = h[i];
    return k < max ? k : max;
}

int holidays_on(int y, int m, int d, holiday_t *out, int max) {
    holiday_t h[48];
    int n = holidays_of_year(y, h, 48), k = 0;
    for (int i = 0; i < n; i++)
        if (h[i].month == m && h[i].day == d && k < max) out[k++] = h[i];
    return k;
}
