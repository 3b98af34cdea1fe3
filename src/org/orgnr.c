/* Organisation number checks (see orgnr.h). */
#include "org/orgnr.h"
#include <stdio.h>
#include <string.h>

bool orgnr_normalise(const char *s, char *out, size_t outlen) {
    size_t n = 0;
    int dashes = 0;
    if (!s) return false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (n + 1 >= outlen) return false;
            out[n++] = *s;
        } else if (*s == '-') {
            if (++dashes > 1 || n == 0) return false;
        } else if (*s != ' ') {
            return false;
        }
    }
    out[n] = 0;
    return n > 0;
}

bool orgnr_valid_se(const char *d) {
    if (strlen(d) != 10 || strspn(d, "0123456789") != 10) return false;
    int sum = 0;
    for (int i = 0; i < 10; i++) {
        int v = d[i] - '0';
        if (i % 2 == 0) { v *= 2; if (v > 9) v -= 9; }
        sum += v;
    }
    return sum % 10 == 0;
}

bool orgnr_valid_no(const char *d) {
    static const int w[8] = {3, 2, 7, 6, 5, 4, 3, 2};
    if (strlen(d) != 9 || strspn(d, "0123456789") != 9) return false;
    int sum = 0;
    for (int i = 0; i < 8; i++) sum += (d[i] - '0') * w[i];
    int r = sum % 11;
    if (r == 1) return false;
    int check = r == 0 ? 0 : 11 - r;
    return check == d[8] - '0';
}

bool orgnr_valid(const char *country, const char *s) {
    char d[32];
    if (!country || !orgnr_normalise(s, d, sizeof d)) return false;
    if (!strcmp(country, "SE")) return orgnr_valid_se(d);
    if (!strcmp(country, "NO")) return orgnr_valid_no(d);
    return false;
}

void orgnr_format(const char *country, const char *d, char *out, size_t outlen) {
    if (country && !strcmp(country, "SE") && strlen(d) == 10) snprintf(out, outlen, "%.6s-%.4s", d, d + 6);
    else if (country && !strcmp(country, "NO") && strlen(d) == 9) snprintf(out, outlen, "%.3s %.3s %.3s", d, d + 3, d + 6);
    else snprintf(out, outlen, "%s", d);
}
