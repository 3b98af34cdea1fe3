/* Small shared helpers: UTF-8 validation, text trimming, numbers, time. */
#ifndef CORE_UTIL_H
#define CORE_UTIL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "core/arena.h"

bool utf8_valid(const char *s, size_t n);
/* utf8_len: number of code points (s must be valid UTF-8). */
size_t utf8_len(const char *s);
/* trim: a copy of s without leading/trailing ASCII white space, in the arena. */
char *trim(arena_t *a, const char *s);
bool str_empty(const char *s);
bool streq(const char *a, const char *b);   /* NULL-safe */
/* csv_has: whether the comma-separated list csv has the item v (exactly; NULL-safe: false) */
bool csv_has(const char *csv, const char *v);
/* parse_int: whole string a decimal integer in [min,max]. */
bool parse_int(const char *s, long long min, long long max, long long *out);
/* now_utc: current time as "YYYY-MM-DDTHH:MM:SSZ" in the arena. */
char *now_utc(arena_t *a);
int64_t now_unix(void);
/* clock_ms: the clock's time in milliseconds (CLOCK_MONOTONIC for durations, CLOCK_THREAD_CPUTIME_ID
 * for this thread's CPU time: on a shared machine the wall clock also counts other people's work). */
double clock_ms(int clock);
/* parse_utc: parse "YYYY-MM-DDTHH:MM:SSZ"; false if malformed. */
bool parse_utc(const char *s, time_t *out);
/* hex encoding of bytes into the arena. */
char *hex_encode(arena_t *a, const unsigned char *p, size_t n);
/* log_msg: one line to stderr with a UTC timestamp. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));


/* text_fold: Unicode case folding (utf8proc, NFC) into the arena; NULL on invalid UTF-8. */
char *text_fold(arena_t *a, const char *s);
#endif
