/* Conference reports: parse the plain shape and our Markdown, render Markdown and HTML (report.h).
 * Two passes: the lines become a flat list of items (intro, host, question, bullet), checked as
 * they are read; then the list is folded into exact-size arrays in the caller's arena. */
#include "roundtables/report.h"
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "i18n/i18n.h"

enum item_kind { IT_PARA, IT_HOST, IT_QUESTION, IT_BULLET };
typedef struct item {
    enum item_kind kind;
    int line;
    bool heading;       /* a Markdown heading before the first host line */
    const char *text;   /* paragraph, question or bullet text; for hosts the text after the colon */
    const char *label;  /* hosts only */
} item_t;

static const char *const host_labels[] = {"Värd", "Värdar", "Vert", "Verter", "Host", "Hosts", NULL};

/* ---- small string helpers ---- */
static bool is_space_at(const char *s, size_t i, size_t n, size_t *w) {
    if (i < n && (s[i] == ' ' || s[i] == '\t')) { *w = 1; return true; }
    if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) { *w = 2; return true; } /* NBSP */
    return false;
}

/* trim_span: [*b, *e) without white space (ASCII blanks and NBSP) at either end, nor U+FEFF (a
 * byte-order mark inside the text, as from files pasted together: a line of it alone is blank, and
 * a text never starts with one, which at the start of the file written back would be read as the
 * file's own mark and dropped) */
static void trim_span(const char *s, size_t *b, size_t *e) {
    static const char bom[] = "\xEF\xBB\xBF";
    size_t w;
    for (;;) {
        if (*b < *e && is_space_at(s, *b, *e, &w)) *b += w;
        else if (*e - *b >= 3 && !memcmp(s + *b, bom, 3)) *b += 3;
        else break;
    }
    while (*e > *b) {
        if (s[*e - 1] == ' ' || s[*e - 1] == '\t') { (*e)--; continue; }
        if (*e - *b >= 2 && (unsigned char)s[*e - 2] == 0xC2 && (unsigned char)s[*e - 1] == 0xA0) { *e -= 2; continue; }
        if (*e - *b >= 3 && !memcmp(s + *e - 3, bom, 3)) { *e -= 3; continue; }
        break;
    }
}

static bool ascii_punct(char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* unescape: Markdown backslash escapes of ASCII punctuation undone */
static char *unescape(arena_t *a, const char *s, size_t n) {
    char *o = arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && ascii_punct(s[i + 1])) i++;
        o[k++] = s[i];
    }
    o[k] = 0;
    return o;
}

/* host_label: the label if s (length n) starts with "<label>:", its length in *len */
static const char *host_label(const char *s, size_t n, size_t *len) {
    for (int i = 0; host_labels[i]; i++) {
        size_t l = strlen(host_labels[i]);
        if (n > l && !memcmp(s, host_labels[i], l) && s[l] == ':') { *len = l + 1; return host_labels[i]; }
    }
    return NULL;
}

/* heading: the number of '#' of an ATX heading marker ("## "), or 0 */
static size_t heading(const char *s, size_t n) {
    size_t h = 0;
    while (h < n && h < 7 && s[h] == '#') h++;
    if (h == 0 || h > 6) return 0;
    if (h == n || s[h] == ' ' || s[h] == '\t') return h;
    return 0;
}

/* bullet: the length of a bullet marker and the space after it, or 0. The report's own text
 * marks bullets with "•"; Markdown with "-", "*" or "+" (there "•" is text, as CommonMark has it) */
static size_t bullet(const char *s, size_t n, bool md) {
    size_t w;
    if (!md && n >= 3 && !memcmp(s, "\xE2\x80\xA2", 3)) { /* • U+2022 */
        size_t k = 3;
        while (is_space_at(s, k, n, &w)) k += w;
        return k;
    }
    if (n >= 1 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (n == 1 || s[1] == ' ' || s[1] == '\t')) {
        size_t k = 1;
        while (is_space_at(s, k, n, &w)) k += w;
        return k;
    }
    return 0;
}

static bool looks_markdown(const char *text, size_t n) {
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(text + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - text) : n, b = i;
        trim_span(text, &b, &e);
        size_t h = heading(text + b, e - b), l;
        if (h) {
            b += h;
            trim_span(text, &b, &e);
            if (host_label(text + b, e - b, &l)) return true;
        }
        i = nl ? (size_t)(nl - text) + 1 : n;
    }
    return false;
}

static bool fail(report_error_t *err, int line, const char *reason) {
    err->line = line;
    err->reason = reason;
    return false;
}

/* split_hosts: hosts_text at commas and the words for "and" */
static bool split_hosts(arena_t *a, const char *s, const char ***out, int *n) {
    static const char *const seps[] = {" och ", " og ", " and ", NULL};
    size_t len = strlen(s);
    const char **hosts = arena_alloc(a, sizeof(char *) * (len + 1));
    int k = 0;
    size_t i = 0, start = 0;
    while (i <= len) {
        size_t cut = 0;
        if (i == len || s[i] == ',') cut = 1;
        else for (int j = 0; seps[j]; j++) if (!strncmp(s + i, seps[j], strlen(seps[j]))) { cut = strlen(seps[j]); break; }
        if (!cut) { i++; continue; }
        size_t b = start, e = i;
        trim_span(s, &b, &e);
        if (b == e) return false;
        hosts[k++] = arena_strndup(a, s + b, e - b);
        i += cut;
        start = i;
        if (i > len) break;
    }
    *out = hosts;
    *n = k;
    return k > 0;
}

bool report_parse(arena_t *a, const char *text, size_t n, report_format_t fmt, report_t *out, report_error_t *err) {
    memset(out, 0, sizeof *out);
    err->line = 0;
    err->reason = NULL;
    if (!text) n = 0;
    if (n > REPORT_MAX_BYTES) return fail(err, 0, N_("The report is too large."));
    if (n >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) { text += 3; n -= 3; } /* a byte-order mark */
    bool md = fmt == REPORT_MARKDOWN || (fmt == REPORT_AUTO && looks_markdown(text, n));
    item_t *items = NULL;
    size_t nitems = 0, cap = 0;
    bool in_table = false, have_question = false;
    int line = 0;
    size_t i = 0;
    bool ok = true;
    while (i < n && ok) {
        line++;
        const char *nl = memchr(text + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - text) : n, b = i;
        i = nl ? e + 1 : n;
        if (e > b && text[e - 1] == '\r') e--;
        if (memchr(text + b, 0, e - b)) { ok = fail(err, line, N_("The report contains a NUL byte.")); break; }
        if (!utf8_valid(text + b, e - b)) { ok = fail(err, line, N_("This line is not valid UTF-8 text.")); break; }
        for (size_t k = b; k < e && ok; k++)
            if (((unsigned char)text[k] < 0x20 && text[k] != '\t') || text[k] == 0x7F)
                ok = fail(err, line, N_("This line contains a control character."));
        if (!ok) break;
        trim_span(text, &b, &e);
        if (b == e) continue;
        bool is_heading = false;
        if (md) {
            size_t h = heading(text + b, e - b);
            if (h) {
                is_heading = true;
                b += h;
                while (e > b && text[e - 1] == '#' && (e - 1 == b || text[e - 2] == ' ')) e--; /* closing #s */
                trim_span(text, &b, &e);
                if (b == e) continue;
            }
        }
        item_t it = {IT_PARA, line, is_heading && !in_table, NULL, NULL};
        size_t bl = is_heading ? 0 : bullet(text + b, e - b, md), hl;
        const char *label;
        if (bl) {
            b += bl;
            if (b >= e) { ok = fail(err, line, N_("This bullet is empty.")); break; }
            if (!in_table) { ok = fail(err, line, N_("A bullet before the first host line (“Värd: …”): the introduction cannot have bullets.")); break; }
            if (!have_question) { ok = fail(err, line, N_("A bullet needs a question above it; this one follows the host line directly.")); break; }
            it.kind = IT_BULLET;
        } else if ((label = host_label(text + b, e - b, &hl))) {
            it.kind = IT_HOST;
            it.label = label;
            b += hl;
            trim_span(text, &b, &e);
            if (b == e) { ok = fail(err, line, N_("A host line must name at least one host.")); break; }
            if (in_table && !have_question) {
                ok = fail(err, line, N_("The table above has no questions before this host line."));
                break;
            }
            in_table = true;
            have_question = false;
        } else if (in_table) {
            it.kind = IT_QUESTION;
            have_question = true;
        }
        it.text = md ? unescape(a, text + b, e - b) : arena_strndup(a, text + b, e - b);
        if (md && !*it.text) continue;
        if (it.kind == IT_HOST) {
            const char **h;
            int nh;
            if (!split_hosts(a, it.text, &h, &nh)) { ok = fail(err, line, N_("A host line must name at least one host.")); break; }
        }
        if (nitems == cap) {
            cap = cap ? cap * 2 : 64;
            items = xrealloc(items, cap * sizeof *items);
        }
        items[nitems++] = it;
    }
    if (!ok) { free(items); return false; }
    /* the closing text: question lines after the file's last bullet */
    size_t last_bullet = nitems, last_host = nitems;
    for (size_t k = 0; k < nitems; k++) {
        if (items[k].kind == IT_BULLET) last_bullet = k;
        if (items[k].kind == IT_HOST) last_host = k;
    }
    if (last_host == nitems) { free(items); return fail(err, 0, N_("No host line (“Värd: …”) was found: a report has at least one table.")); }
    if (last_bullet == nitems || last_bullet < last_host) {
        int l = items[last_host].line;
        free(items);
        return fail(err, l, N_("The last table has no answers (lines starting with •)."));
    }
    /* count, then fill */
    int nintro = 0, ntables = 0, noutro = 0;
    for (size_t k = 0; k < nitems; k++) {
        if (items[k].kind == IT_PARA) nintro++;
        else if (items[k].kind == IT_HOST) ntables++;
        else if (items[k].kind == IT_QUESTION && k > last_bullet) noutro++;
    }
    out->intro = arena_alloc(a, sizeof(char *) * (size_t)(nintro + 1));
    unsigned char *heads = arena_alloc(a, (size_t)nintro + 1);
    out->outro = arena_alloc(a, sizeof(char *) * (size_t)(noutro + 1));
    out->tables = arena_alloc(a, sizeof(report_table_t) * (size_t)ntables);
    report_table_t *t = NULL;
    report_question_t *q = NULL;
    for (size_t k = 0; k < nitems; k++) {
        item_t *it = &items[k];
        if (it->kind == IT_PARA) { heads[out->nintro] = it->heading; out->intro[out->nintro++] = it->text; continue; }
        if (it->kind == IT_QUESTION && k > last_bullet) { out->outro[out->noutro++] = it->text; continue; }
        if (it->kind == IT_HOST) {
            t = &out->tables[out->ntables++];
            t->label = it->label;
            t->hosts_text = it->text;
            t->line = it->line;
            split_hosts(a, it->text, &t->hosts, &t->nhosts);
            int nq = 0;
            for (size_t j = k + 1; j < nitems && items[j].kind != IT_HOST; j++)
                if (items[j].kind == IT_QUESTION && j < last_bullet) nq++;
            t->questions = arena_alloc(a, sizeof(report_question_t) * (size_t)(nq ? nq : 1));
            q = NULL;
            continue;
        }
        if (it->kind == IT_QUESTION) {
            q = &t->questions[t->nquestions++];
            q->text = it->text;
            q->line = it->line;
            int nb = 0;
            for (size_t j = k + 1; j < nitems && items[j].kind == IT_BULLET; j++) nb++;
            q->bullets = arena_alloc(a, sizeof(char *) * (size_t)(nb + 1));
            continue;
        }
        q->bullets[q->nbullets++] = it->text; /* IT_BULLET: a question precedes it (checked above) */
    }
    free(items);
    if (!md) /* the plain shape has no marks: the rule decides */
        for (int k = 0; k < out->nintro; k++) heads[k] = report_intro_heading(out, k);
    out->intro_heading = heads;
    return true;
}

/* ends_with_one_of: the text's last character, closing quotes and brackets skipped, is in set */
static bool ends_with_one_of(const char *s, const char *set) {
    size_t n = strlen(s);
    while (n) {
        if (s[n - 1] == ')' || s[n - 1] == '"' || s[n - 1] == '\'') { n--; continue; }
        if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
            ((unsigned char)s[n - 1] == 0x9D || (unsigned char)s[n - 1] == 0x99)) { n -= 3; continue; } /* ” ’ */
        if (n >= 2 && (unsigned char)s[n - 2] == 0xC2 && (unsigned char)s[n - 1] == 0xBB) { n -= 2; continue; } /* » */
        break;
    }
    return n && strchr(set, s[n - 1]);
}

bool report_intro_heading(const report_t *r, int i) {
    if (i < 0 || i >= r->nintro) return false;
    if (r->intro_heading) return r->intro_heading[i] != 0;
    const char *s = r->intro[i];
    if (i + 1 >= r->nintro || strlen(s) > 100 || !*s || ends_with_one_of(s, ".:;,")) return false;
    const char *next = r->intro[i + 1];
    return strlen(next) > strlen(s) && ends_with_one_of(next, ".");
}

/* ---- Markdown ---- */
/* md_text: s as one line of CommonMark inline text that reads back as s (report_parse
 * undoes the escapes): specials escaped everywhere, block markers escaped at the start. */
static void md_text(buf_t *b, const char *s) {
    /* a block marker at the start of the line: heading, list, quote, thematic break, ordered list */
    size_t i = 0;
    if (s[0] == '-' || s[0] == '+' || s[0] == '=' || s[0] == '#' || s[0] == '>') { buf_putc(b, '\\'); buf_putc(b, s[0]); i = 1; }
    else {
        size_t d = 0;
        while (s[d] >= '0' && s[d] <= '9' && d < 10) d++;
        if (d && (s[d] == '.' || s[d] == ')')) {
            buf_append(b, s, d);
            buf_putc(b, '\\');
            buf_putc(b, s[d]);
            i = d + 1;
        }
    }
    for (; s[i]; i++) {
        char c = s[i];
        if (c == '\\' || c == '`' || c == '*' || c == '#' || c == '_' || c == '[' || c == ']' || c == '<' || c == '>' || c == '|' ||
            c == '~' || c == '!') {
            buf_putc(b, '\\');
        } else if (c == '&') { /* only where it would start an entity reference */
            size_t k = i + 1;
            if (s[k] == '#') k++;
            size_t st = k;
            while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= '0' && s[k] <= '9')) k++;
            if (k > st && s[k] == ';') buf_putc(b, '\\');
        }
        buf_putc(b, c);
    }
}

static const char *hosts_of(arena_t *a, const report_table_t *t) {
    if (t->hosts_text) return t->hosts_text;
    buf_t b;
    buf_init(&b, a);
    for (int i = 0; i < t->nhosts; i++) bprintf_text(&b, "%s%s", i ? ", " : "", t->hosts[i]);
    return b.data;
}

void report_markdown(buf_t *b, const report_t *r) {
    for (int i = 0; i < r->nintro; i++) {
        if (report_intro_heading(r, i)) buf_puts(b, "## ");
        md_text(b, r->intro[i]);
        buf_puts(b, "\n\n");
    }
    for (int i = 0; i < r->ntables; i++) {
        const report_table_t *t = &r->tables[i];
        bprintf_text(b, "## %s: ", t->label ? t->label : "Värd");
        md_text(b, hosts_of(b->arena, t));
        buf_puts(b, "\n\n");
        for (int k = 0; k < t->nquestions; k++) {
            const report_question_t *q = &t->questions[k];
            buf_puts(b, "### ");
            md_text(b, q->text);
            buf_puts(b, "\n\n");
            for (int j = 0; j < q->nbullets; j++) { buf_puts(b, "- "); md_text(b, q->bullets[j]); buf_putc(b, '\n'); }
            if (q->nbullets) buf_putc(b, '\n');
        }
    }
    for (int i = 0; i < r->noutro; i++) { md_text(b, r->outro[i]); buf_puts(b, "\n\n"); }
}

/* ---- HTML ---- */
void report_html(buf_t *b, const report_t *r) { report_html_labelled(b, r, NULL, NULL); }

void report_html_labelled(buf_t *b, const report_t *r, const char *label, const char *label_lang) {
    buf_puts(b, "<div class=\"report\">\n");
    if (r->nintro) {
        buf_puts(b, "<div class=\"report-intro\">\n");
        for (int i = 0; i < r->nintro; i++)
            bprintf(b, report_intro_heading(r, i) ? "<h2 class=\"report-subhead\">%h</h2>\n" : "<p>%h</p>\n", r->intro[i]);
        buf_puts(b, "</div>\n");
    }
    for (int i = 0; i < r->ntables; i++) {
        const report_table_t *t = &r->tables[i];
        const char *word = label ? label : t->label ? t->label : "Värd";
        if (label_lang) bprintf(b, "<section class=\"report-table\">\n<h2><span lang=\"%h\">%h</span>: %h</h2>\n", label_lang, word, hosts_of(b->arena, t));
        else bprintf(b, "<section class=\"report-table\">\n<h2>%h: %h</h2>\n", word, hosts_of(b->arena, t));
        for (int k = 0; k < t->nquestions; k++) {
            const report_question_t *q = &t->questions[k];
            bprintf(b, "<h3>%h</h3>\n", q->text);
            if (!q->nbullets) continue;
            buf_puts(b, "<ul>\n");
            for (int j = 0; j < q->nbullets; j++) bprintf(b, "<li>%h</li>\n", q->bullets[j]);
            buf_puts(b, "</ul>\n");
        }
        buf_puts(b, "</section>\n");
    }
    if (r->noutro) {
        buf_puts(b, "<div class=\"report-outro\">\n");
        for (int i = 0; i < r->noutro; i++) bprintf(b, "<p>%h</p>\n", r->outro[i]);
        buf_puts(b, "</div>\n");
    }
    buf_puts(b, "</div>\n");
}

/* ---- comparison ---- */
static bool strs_equal(const char *const *x, int nx, const char *const *y, int ny) {
    if (nx != ny) return false;
    for (int i = 0; i < nx; i++) if (!streq(x[i], y[i])) return false;
    return true;
}

bool report_equal(const report_t *x, const report_t *y) {
    if (!strs_equal(x->intro, x->nintro, y->intro, y->nintro) || !strs_equal(x->outro, x->noutro, y->outro, y->noutro) ||
        x->ntables != y->ntables)
        return false;
    for (int i = 0; i < x->nintro; i++) if (report_intro_heading(x, i) != report_intro_heading(y, i)) return false;
    for (int i = 0; i < x->ntables; i++) {
        const report_table_t *a = &x->tables[i], *b = &y->tables[i];
        if (!streq(a->label ? a->label : "Värd", b->label ? b->label : "Värd")) return false;
        if (a->hosts_text && b->hosts_text && !streq(a->hosts_text, b->hosts_text)) return false;
        if (!strs_equal(a->hosts, a->nhosts, b->hosts, b->nhosts) || a->nquestions != b->nquestions) return false;
        for (int k = 0; k < a->nquestions; k++) {
            const report_question_t *p = &a->questions[k], *q = &b->questions[k];
            if (!streq(p->text, q->text) || !strs_equal(p->bullets, p->nbullets, q->bullets, q->nbullets)) return false;
        }
    }
    return true;
}
