/* Dates for the calendar: local wall-clock times in Europe/Stockholm and Europe/Oslo and the
 * UTC they stand for, and the public holidays of Sweden and Norway for any year.
 * Pure functions without database or request; everything returned is static or in the caller's
 * buffers. Both zones have followed the same rules (CET/CEST, EU summer time) since 1980; the
 * conversion asks the system's tz database through mktime with TZ set at start (main.c). */
#ifndef EVENTS_DATES_H
#define EVENTS_DATES_H
#include <stdbool.h>
#include <time.h>

typedef enum {
    LT_OK = 0,
    LT_MALFORMED,    /* not "YYYY-MM-DDTHH:MM" (seconds ":00" allowed), or year outside 2000..2100 */
    LT_NO_DATE,      /* a date that does not exist (30 February) or an hour/minute out of range */
    LT_DST_GAP,      /* a time skipped when the clocks go forward (02:00-02:59 on the last Sunday in March) */
} lt_result_t;

/* local_to_utc: the UTC instant of a local time in zone tz ("Europe/Stockholm" or "Europe/Oslo").
 * In the autumn hour that happens twice, the first (summer time) is taken. */
lt_result_t local_to_utc(const char *local, const char *tz, time_t *out);
/* utc_to_local: "YYYY-MM-DDTHH:MM" of t in zone tz into buf (at least 17 bytes). */
void utc_to_local(time_t t, const char *tz, char *buf, size_t n);
bool tz_valid(const char *tz);
/* utc_string: "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void utc_string(time_t t, char *buf, size_t n);
/* date_valid_ymd: whether y-m-d exists in the Gregorian calendar. */
bool date_valid_ymd(int y, int m, int d);
int days_in_month(int y, int m);
/* weekday: 0 = Monday .. 6 = Sunday. */
int weekday(int y, int m, int d);

/* Easter Sunday (Gregorian) of year y: *m (3 or 4) and *d. */
void easter(int y, int *m, int *d);

typedef struct holiday {
    int month, day;
    const char *country;   /* "SE" or "NO" */
    const char *name;      /* in the country's language: "Midsommarafton", "Grunnlovsdag" */
    const char *name_en;
} holiday_t;

/* holidays_of_year: the public holidays (and Sweden's de facto days off: midsummer, Christmas
 * and New Year's eves) of both countries in year y, sorted by date. Returns the count (≤ 40). */
int holidays_of_year(int y, holiday_t *out, int max);
/* holidays_on: those falling on y-m-d (both countries); returns the count (≤ 4). */
int holidays_on(int y, int m, int d, holiday_t *out, int max);
#endif
