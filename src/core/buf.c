/* String builder and the escaping formatter (see buf.h). */
#include "core/buf.h"
#include <stdio.h>
#include <string.h>

void buf_init(buf_t *b, arena_t *a) {
    b->arena = a;
    b->cap = 256;
    b->len = 0;
    b->data = arena_alloc(a, b->cap);
}

static void grow(buf_t *b, size_t extra) {
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap * 2;
    while (cap < b->len + extra + 1) cap *= 2;
    char *d = arena_alloc(b->arena, cap);
    memcpy(d, b->data, b->len + 1);
    b->data = d;
    b->cap = cap;
}

void buf_append(buf_t *b, const char *s, size_t n) {
    grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}
void buf_puts(buf_t *b, const char *s) { if (s) buf_append(b, s, strlen(s)); }
void buf_putc(buf_t *b, char c) { buf_append(b, &c, 1); }

void buf_html(buf_t *b, const char *s, size_t n) {
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_append(b, s + start, i - start);
        buf_puts(b, rep);
        start = i + 1;
    }
    buf_append(b, s + start, n - start);
}

void buf_url(buf_t *b, const char *s, size_t n) {
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
            buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 3);
        }
    }
}

void buf_json(buf_t *b, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        case '<': buf_puts(b, "\\u003c"); break; /* safe inside <script> or HTML too */
        default:
            if (c < 0x20) {
                char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                buf_append(b, e, 6);
            } else {
                buf_putc(b, (char)c);
            }
        }
    }
}

void vbprintf(buf_t *b, const char *fmt, va_list ap) {
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) { buf_puts(b, p); return; }
        buf_append(b, p, (size_t)(pct - p));
        p = pct + 1;
        /* collect a spec: flags, width, precision, length */
        char spec[32];
        size_t sl = 0;
        spec[sl++] = '%';
        while (*p && strchr("-+ #0", *p) && sl < 8) spec[sl++] = *p++;
        while (*p >= '0' && *p <= '9' && sl < 16) spec[sl++] = *p++;
        int prec = -1;
        if (*p == '.') {
            spec[sl++] = *p++;
            if (*p == '*') { prec = va_arg(ap, int); p++; spec[sl++] = '*'; }
            else { prec = 0; while (*p >= '0' && *p <= '9' && sl < 24) { prec = prec * 10 + (*p - '0'); spec[sl++] = *p++; } }
        }
        int lng = 0, sz = 0;
        while (*p == 'l' && lng < 2) { spec[sl++] = *p++; lng++; }
        if (*p == 'z') { spec[sl++] = *p++; sz = 1; }
        char conv = *p ? *p++ : 0;
        spec[sl++] = conv;
        spec[sl] = 0;
        char tmp[64];
        int n = 0;
        switch (conv) {
        case '%': buf_putc(b, '%'); break;
        case 's': case 'h': case 'U': case 'j': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "";
            size_t len = strlen(s);
            if (prec >= 0 && (size_t)prec < len) len = (size_t)prec;
            if (conv == 's') buf_append(b, s, len);
            else if (conv == 'h') buf_html(b, s, len);
            else if (conv == 'U') buf_url(b, s, len);
            else buf_json(b, s, len);
            break;
        }
        case 'c': buf_putc(b, (char)va_arg(ap, int)); break;
        case 'd': case 'i': case 'u': case 'x': case 'X':
            if (sz) n = snprintf(tmp, sizeof tmp, spec, va_arg(ap, size_t));
            else if (lng == 2) n = snprintf(tmp, sizeof tmp, spec, va_arg(ap, long long));
            else if (lng == 1) n = snprintf(tmp, sizeof tmp, spec, va_arg(ap, long));
            else n = snprintf(tmp, sizeof tmp, spec, va_arg(ap, int));
            buf_append(b, tmp, n > 0 ? (size_t)n : 0);
            break;
        case 'f': case 'e': case 'g':
            n = snprintf(tmp, sizeof tmp, spec, va_arg(ap, double));
            buf_append(b, tmp, n > 0 ? ((size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1) : 0);
            break;
        default: /* unknown conversion: print it as written, it is a bug in the caller */
            buf_append(b, spec, sl);
        }
    }
}

void bprintf(buf_t *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vbprintf(b, fmt, ap);
    va_end(ap);
}

char *aprintf(arena_t *a, const char *fmt, ...) {
    buf_t b;
    buf_init(&b, a);
    va_list ap;
    va_start(ap, fmt);
    vbprintf(&b, fmt, ap);
    va_end(ap);
    return b.data;
}
