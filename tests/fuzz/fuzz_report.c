/* libFuzzer target: conference reports (roundtables/report.h). Any bytes in, in every format:
 * a parse either fails with a line and a reason or gives a structure whose Markdown reads back
 * to the same structure; HTML renders. Nothing may crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "core/arena.h"
#include "core/buf.h"
#include "roundtables/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return 0;
    static const report_format_t fmts[] = {REPORT_AUTO, REPORT_TEXT, REPORT_MARKDOWN};
    for (int f = 0; f < 3; f++) {
        arena_t *a = arena_new();
        report_t r, r2;
        report_error_t e;
        if (report_parse(a, (const char *)data, size, fmts[f], &r, &e)) {
            buf_t md, html;
            buf_init(&md, a);
            report_markdown(&md, &r);
            if (!report_parse(a, md.data, md.len, REPORT_AUTO, &r2, &e) || !report_equal(&r, &r2)) abort();
            buf_init(&html, a);
            report_html(&html, &r);
        } else if (!e.reason || e.line < 0) {
            abort();
        }
        arena_free(a);
    }
    return 0;
}
