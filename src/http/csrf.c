/* CSRF tokens (http/csrf.h) and the transport's hooks. */
#include "http/csrf.h"
#include <sodium.h>
#include <string.h>

const char *csrf_token(req_t *r) {
    r->csrf_used = true;
    if (!r->csrf) {
        unsigned char raw[32];
        randombytes_buf(raw, sizeof raw);
        size_t n = sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        char *s = arena_alloc(r->arena, n);
        sodium_bin2base64(s, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        r->csrf = s;
        r->set_csrf_cookie = true;
    }
    return r->csrf;
}

bool csrf_ok(req_t *r, const char *submitted) {
    if (!r->csrf || !submitted) return false;
    size_t n = strlen(r->csrf);
    if (strlen(submitted) != n) return false;
    return sodium_memcmp(r->csrf, submitted, n) == 0;
}

void csrf_input(req_t *r) { bprintf(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"%h\">", csrf_token(r)); }

/* defaults until main sets the hooks: nobody is asking; a plain-text error */
static bool nobody(req_t *r) {
    (void)r;
    return true;
}
static void plain_error(req_t *r, int status, const char *message) {
    r->status = status;
    r->ctype = "text/plain; charset=utf-8";
    buf_puts(&r->out, message ? message : "");
}
bool (*http_who)(req_t *r) = nobody;
void (*http_error_page)(req_t *r, int status, const char *message) = plain_error;
