/* libFuzzer target: the parsers at the edge: form bodies, Accept-Language, redirect targets,
 * organisation numbers and .po catalogues. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "core/arena.h"
#include "core/buf.h"
#include "http/http.h"
#include "i18n/i18n.h"
#include "org/orgnr.h"

static void count(void *ctx, const char *id, const char *plural, const char *s0, const char *s1) {
    (void)plural; (void)s1;
    *(size_t *)ctx += strlen(id) + strlen(s0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return 0;
    arena_t *a = arena_new();
    char *s = arena_strndup(a, (const char *)data, size);
    params_t p;
    form_decode(a, (const char *)data, size, &p);
    accept_language(s);
    safe_local_path(s);
    /* a redirect target (issue 11): one '/' first, then only printable ASCII without '\\', and
     * re-encoding it again changes nothing */
    const char *lp = local_path(a, s);
    if (lp) {
        if (lp[0] != '/' || lp[1] == '/') __builtin_trap();
        for (const char *q = lp; *q; q++)
            if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f || *q == '\\') __builtin_trap();
        const char *again = local_path(a, lp);
        if (!again || strcmp(again, lp) != 0) __builtin_trap();
    }
    char digits[32], out[32];
    if (orgnr_normalise(s, digits, sizeof digits)) {
        orgnr_valid_se(digits);
        orgnr_valid_no(digits);
        orgnr_format("SE", digits, out, sizeof out);
        orgnr_format("NO", digits, out, sizeof out);
    }
    size_t total = 0;
    po_parse(s, count, &total);
    buf_t b;
    buf_init(&b, a);
    bprintf(&b, "%h|%U|%j", s, s, s);
    arena_free(a);
    return 0;
}
