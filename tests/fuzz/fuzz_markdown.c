/* libFuzzer target: the Markdown reader (report_parse with REPORT_MARKDOWN), the format
 * /events/{id}/report.md gives and `granslos import report` reads back. Any bytes in: a parse
 * fails with a line and a reason, or its Markdown is a fixed point — written, read and written
 * again it is the same text byte for byte, and reads back to an equal report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "core/arena.h"
#include "core/buf.h"
#include "roundtables/report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 65536) return 0;
    arena_t *a = arena_new();
    report_t r, r2, r3;
    report_error_t e;
    if (report_parse(a, (const char *)data, size, REPORT_MARKDOWN, &r, &e)) {
        buf_t md, md2;
        buf_init(&md, a);
        report_markdown(&md, &r);
        if (!report_parse(a, md.data, md.len, REPORT_MARKDOWN, &r2, &e) || !report_equal(&r, &r2)) abort();
        buf_init(&md2, a);
        report_markdown(&md2, &r2);
        if (md.len != md2.len || memcmp(md.data, md2.data, md.len)) abort();
        if (!report_parse(a, md2.data, md2.len, REPORT_AUTO, &r3, &e) || !report_equal(&r, &r3)) abort();
    } else if (!e.reason || e.line < 0) {
        abort();
    }
    arena_free(a);
    return 0;
}
