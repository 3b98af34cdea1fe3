/* String builder and the escaping formatter (see buf.h). */
#include "core/buf.h"
#include <stdio.h>
#include <string.h>
#include "core/util.h"

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

/* spec_t: one conversion as the formatter reads it. */
typedef struct {
    char spec[32];   /* for snprintf: %, flags, width, precision, length, conversion */
    size_t sl;
    bool star;       /* precision from an argument */
    int prec;        /* -1: none */
    int lng, sz;     /* 'l' count, 'z' */
    char conv;       /* 0 at the end of the format */
} spec_t;

/* parse_spec: read the conversion after a '%' at *pp. Every digit is consumed (so the
 * conversion letter is found), but spec keeps at most what fits. */
static void parse_spec(const char **pp, spec_t *c) {
    const char *p = *pp;
    c->sl = 0;
    c->star = false;
    c->prec = -1;
    c->lng = c->sz = 0;
    c->spec[c->sl++] = '%';
    while (*p && strchr("-+ #0", *p)) { if (c->sl < 8) c->spec[c->sl++] = *p; p++; }
    while (*p >= '0' && *p <= '9') { if (c->sl < 12) c->spec[c->sl++] = *p; p++; }
    if (*p == '.') {
        c->spec[c->sl++] = *p++;
        if (*p == '*') { c->star = true; c->spec[c->sl++] = '*'; p++; }
        else {
            c->prec = 0;
            while (*p >= '0' && *p <= '9') {
                if (c->prec < 100000) c->prec = c->prec * 10 + (*p - '0');
                if (c->sl < 24) c->spec[c->sl++] = *p;
                p++;
            }
        }
    }
    while (*p == 'l' && c->lng < 2) { c->spec[c->sl++] = *p++; c->lng++; }
    if (*p == 'z') { c->spec[c->sl++] = *p++; c->sz = 1; }
    c->conv = *p ? *p++ : 0;
    c->spec[c->sl++] = c->conv;
    c->spec[c->sl] = 0;
    *pp = p;
}

/* PUT_NUM: take one argument of `type` and snprintf it; a result longer than tmp is formatted
 * again straight into b (never read past tmp). */
#define PUT_NUM(type)                                                                       \
    do {                                                                                    \
        char tmp[64];                                                                       \
        type v = va_arg(ap, type);                                                          \
        int n_ = snprintf(tmp, sizeof tmp, c.spec, v);                                      \
        if (n_ <= 0) break;                                                                 \
        if ((size_t)n_ < sizeof tmp) { buf_append(b, tmp, (size_t)n_); break; }             \
        grow(b, (size_t)n_);                                                                \
        snprintf(b->data + b->len, (size_t)n_ + 1, c.spec, v);                              \
        b->len += (size_t)n_;                                                               \
    } while (0)

void vbprintf(buf_t *b, const char *fmt, va_list ap) {
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) { buf_puts(b, p); return; }
        buf_append(b, p, (size_t)(pct - p));
        p = pct + 1;
        spec_t c;
        parse_spec(&p, &c);
        int prec = c.star ? va_arg(ap, int) : c.prec;
        switch (c.conv) {
        case '%': buf_putc(b, '%'); break;
        case 's': case 'h': case 'U': case 'j': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "";
            size_t len = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
            if (c.conv == 's') buf_append(b, s, len);
            else if (c.conv == 'h') buf_html(b, s, len);
            else if (c.conv == 'U') buf_url(b, s, len);
            else buf_json(b, s, len);
            break;
        }
        case 'c': buf_putc(b, (char)va_arg(ap, int)); break;
        case 'd': case 'i': case 'u': case 'x': case 'X':
            if (c.sz) PUT_NUM(size_t);
            else if (c.lng == 2) PUT_NUM(long long);
            else if (c.lng == 1) PUT_NUM(long);
            else PUT_NUM(int);
            break;
        case 'f': case 'e': case 'g': PUT_NUM(double); break;
        default: /* unknown conversion: print it as written, it is a bug in the caller (tools/fmtcheck) */
            buf_append(b, c.spec, c.conv ? c.sl : c.sl - 1);
        }
        if (!c.conv) return;
    }
}

bool bfmt_signature(const char *fmt, char *out, size_t n) {
    size_t k = 0;
    for (const char *p = fmt; (p = strchr(p, '%'));) {
        p++;
        spec_t c;
        parse_spec(&p, &c);
        if (c.conv == '%') continue;
        if (!c.conv || !strchr("shUjcdiuxXfeg", c.conv) || k + 3 > n) return false;
        if (c.star) out[k++] = '*';
        char t = c.conv;
        if (t == 'i') t = 'd';
        if (t == 'x' || t == 'X') t = 'u';
        if (t == 'e' || t == 'g') t = 'f';
        if (t == 'd' || t == 'u') t = c.sz ? 'z' : c.lng == 2 ? 'L' : c.lng == 1 ? 'l' : t;
        out[k++] = t;
    }
    if (k >= n) return false;
    out[k] = 0;
    return true;
}

const char *bfmt_as(const char *sig, const char *fmt) {
    char a[64], b[64];
    if (!fmt) return sig;
    if (bfmt_signature(sig, a, sizeof a) && bfmt_signature(fmt, b, sizeof b) && !strcmp(a, b)) return fmt;
    log_msg("format \"%.200s\" does not have the conversions of \"%s\": using the latter", fmt, sig);
    return sig;
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
