/* Conference reports in the shape of Mötesplats Vision's (data: /work/shared/seed, a copy in
 * tests/fixtures/motesplats-vision-2022.txt): an introduction, then for each break-out table a
 * line "Värd: <hosts>", and under it question lines, each followed by its bullet lines
 * (" • text"). Pure code, no database: parse such a text (or the Markdown this module writes)
 * into a structure, and render the structure as Markdown and as HTML.
 *
 * The shape, line by line (blank lines separate nothing and are ignored):
 *   - before the first host line: the introduction, one paragraph per line;
 *   - "Värd:", "Värdar:", "Vert:", "Verter:", "Host:" or "Hosts:" and a list of hosts separated
 *     by commas or " och " / " og " / " and ": a new table;
 *   - a line starting with "•" (or "-", "*", "+" and a space): a bullet of the question above;
 *   - any other line inside a table: a question;
 *   - question lines without bullets after the last bullet of the file: the closing text
 *     (the seed file ends with "Sidan uppdaterad").
 * In Markdown, headings (#…) are read as their text and backslash escapes are undone; a heading
 * before the first host line is a subheading of the introduction.
 *
 * Subheadings of the introduction in the plain shape: a short line (at most 100 bytes) that does
 * not end in a full stop, colon, semicolon or comma and is followed by a paragraph that ends in a
 * full stop (report_intro_heading). The report's Markdown writes them as "## …".
 *
 * Everything parsed lives in the arena passed to report_parse(). */
#ifndef ROUNDTABLES_REPORT_H
#define ROUNDTABLES_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/buf.h"

#define REPORT_MAX_BYTES (8u << 20)   /* larger inputs are refused */

typedef struct report_question {
    const char *text;
    const char **bullets;
    int nbullets;
    int line;                         /* where it was read (1-based), 0 if built by hand */
} report_question_t;

typedef struct report_table {
    const char *label;                /* "Värd", "Vert", "Host", … as written */
    const char *hosts_text;           /* the hosts as written after the label */
    const char **hosts;               /* split at commas and och/og/and */
    int nhosts;
    report_question_t *questions;
    int nquestions;
    int line;
} report_table_t;

typedef struct report {
    const char **intro;               /* paragraphs */
    int nintro;
    const unsigned char *intro_heading; /* per intro paragraph, 1 for a subheading; NULL: decided
                                         * from the text by report_intro_heading() */
    report_table_t *tables;
    int ntables;
    const char **outro;               /* closing paragraphs */
    int noutro;
} report_t;

typedef enum { REPORT_AUTO, REPORT_TEXT, REPORT_MARKDOWN } report_format_t;

typedef struct report_error {
    int line;                         /* 1-based; 0 for the whole input */
    const char *reason;               /* an English msgid (N_), translate with tr() */
} report_error_t;

/* report_parse: parse n bytes of text. REPORT_AUTO reads Markdown when a heading line names
 * hosts ("## Värd: …"), else the plain shape. Returns false with *err set (line and reason)
 * when the text does not have the shape; *out is then empty. Never reads past n. */
bool report_parse(arena_t *a, const char *text, size_t n, report_format_t fmt, report_t *out, report_error_t *err);

/* report_markdown: the report as CommonMark that report_parse() reads back to an equal
 * structure: paragraphs, "## Värd: …", "### question", "- bullet", text escaped. */
void report_markdown(buf_t *b, const report_t *r);

/* report_html: the report as an HTML fragment (<div class="report">…), every text escaped.
 * Table headings are <h2>, questions <h3>. */
void report_html(buf_t *b, const report_t *r);
/* report_html_labelled: the same with the tables' host label rendered as `label` (the page's
 * word for "host", translated) instead of the word the report was written with; when label_lang
 * is given the label is marked as being in that language (the report itself may be in another). */
void report_html_labelled(buf_t *b, const report_t *r, const char *label, const char *label_lang);

/* report_intro_heading: whether intro paragraph i is a subheading (as parsed, or by the rule
 * above when the report was built without marks) */
bool report_intro_heading(const report_t *r, int i);

/* report_equal: same intro (and its subheadings), tables (label, hosts), questions, bullets and outro, in order. */
bool report_equal(const report_t *x, const report_t *y);
#endif
