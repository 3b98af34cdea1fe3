/* Shared helpers (see util.h). */
#include "core/util.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool utf8_valid(const char *str, size_t n) {
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) { if (c == 0) return false; i++; continue; }
        size_t len;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > n) return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

size_t utf8_len(const char *s) {
    size_t n = 0;
    for (; *s; s++) if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

char *trim(arena_t *a, const char *s) {
    if (!s) return NULL;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    return arena_strndup(a, s, n);
}

bool str_empty(const char *s) { return !s || !*s; }
bool streq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

bool csv_has(const char *csv, const char *v) {
    if (!csv || !v) return false;
    size_t n = strlen(v);
    for (const char *p = csv; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && !strncmp(p, v, n)) return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

bool parse_int(const char *s, long long min, long long max, long long *out) {
    if (str_empty(s)) return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max) return false;
    *out = v;
    return true;
}

int64_t now_unix(void) { return (int64_t)time(NULL); }

double clock_ms(int clock) {
    struct timespec t;
    clock_gettime((clockid_t)clock, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

char *now_utc(arena_t *a) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char s[32];
    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return arena_strdup(a, s);
}

bool parse_utc(const char *s, time_t *out) {
    struct tm tm = {0};
    if (!s) return false;
    const char *e = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (!e || *e) return false;
    *out = timegm(&tm);
    return true;
}

char *hex_encode(arena_t *a, const unsigned char *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    char *s = arena_alloc(a, n * 2 + 1);
    for (size_t i = 0; i < n; i++) { s[2 * i] = hex[p[i] >> 4]; s[2 * i + 1] = hex[p[i] & 15]; }
    return s;
}

void log_msg(const char *fmt, ...) {
    char line[2048];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - n - 1, fmt, ap);
    va_end(ap);
    if (m < 0) return;
    n += (size_t)m < sizeof line - n - 1 ? (size_t)m : sizeof line - n - 2;
    line[n++] = '\n';
    fwrite(line, 1, n, stderr); /* one write per line: lines from threads do not interleave */
}

#include <utf8proc.h>
char *text_fold(arena_t *a, const char *s) {
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
    if (n < 0) return NULL;
    char *r = arena_strndup(a, (const char *)out, (size_t)n);
    free(out);
    return r;
}
