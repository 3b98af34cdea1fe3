/* fmtcheck: the build-time check of every call of the escaping formatter (core/buf.h).
 *
 *   build/fmtcheck [-v] [--po FILE.po]... FILE.c|FILE.h...
 *
 * It reads C sources (without preprocessing: a light tokenizer that knows comments, strings and
 * character constants) and, for every call of bprintf/bprintf_text(buf, fmt, ...) and
 * aprintf/aprintf_text(arena, fmt, ...):
 *   - the format must be a string literal, a translation lookup of a literal (T, tr, TN, trn, or
 *     FMT_AS(sig, expr) for a translation picked at run time, checked against sig at run time),
 *     or a conditional whose branches are such and agree on their conversions;
 *   - every conversion must be one the formatter implements (buf.h), and the arguments after the
 *     format must be exactly as many as the conversions consume (%.*s takes two);
 *   - in bprintf/aprintf (markup), the argument of a raw %s must be a string literal, NULL,
 *     markup the code built (a buf_t's .data — unless bprintf_text wrote that buffer in the same
 *     function, or wrote that member anywhere in the file —, a name ending in "html", an aprintf() result,
 *     MARKUP(x)) or a conditional of those; a translation (T, tr...) is text and goes through
 *     %h. bprintf_text/aprintf_text write plain text: their %s may take any text;
 *   - a translated format's translations in every --po file must have the msgid's conversions,
 *     and a msgid whose conversions are all C conversions must carry "#, c-format" there (so
 *     `msgfmt --check-format` checks it too).
 * Problems are printed as FILE:LINE: message; the exit status is 1 when there is any. With -v
 * it prints the counts. A fixture with deliberate mistakes is tests/fixtures/fmtcheck_bad.c. */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- small helpers ---- */
static void *xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) { fprintf(stderr, "fmtcheck: out of memory\n"); exit(2); }
    return p;
}
static char *xstrndup(const char *s, size_t n) {
    char *d = xrealloc(NULL, n + 1);
    memcpy(d, s, n);
    d[n] = 0;
    return d;
}
static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "fmtcheck: cannot read %s\n", path); exit(2); }
    char *d = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) { cap = (cap + 4096) * 2; d = xrealloc(d, cap); }
        size_t k = fread(d + n, 1, 4096, f);
        n += k;
        if (k < 4096) break;
    }
    fclose(f);
    d[n] = 0;
    return d;
}

static int g_problems, g_calls, g_translated, g_raw_s;
static bool g_list; /* --list: one line per raw %s problem: FILE CALL-OFFSET CONVERSION ARG-OFFSET ARG-END */
static const char *g_src;
static const char *g_file;

static void problem(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: ", g_file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    g_problems++;
}

/* ---- tokens ---- */
enum tk { T_ID, T_STR, T_NUM, T_CHR, T_PUNCT };
struct tok {
    enum tk kind;
    const char *s;  /* points into the source */
    size_t n;
    int line;
};
static struct tok *toks;
static int ntoks, captoks;

static void push(enum tk k, const char *s, size_t n, int line) {
    if (ntoks == captoks) { captoks = captoks ? captoks * 2 : 4096; toks = xrealloc(toks, sizeof *toks * (size_t)captoks); }
    toks[ntoks++] = (struct tok){k, s, n, line};
}

static void tokenize(const char *src) {
    ntoks = 0;
    int line = 1;
    bool bol = true; /* only blanks since the start of the line */
    const char *p = src;
    while (*p) {
        if (*p == '\n') { line++; p++; bol = true; continue; }
        if (isspace((unsigned char)*p)) { p++; continue; }
        if (p[0] == '/' && p[1] == '*') {
            p += 2;
            while (*p && !(p[0] == '*' && p[1] == '/')) { if (*p == '\n') line++; p++; }
            if (*p) p += 2;
            continue;
        }
        if (p[0] == '/' && p[1] == '/') { while (*p && *p != '\n') p++; continue; }
        if (*p == '#' && bol) { /* a preprocessor line, with its continuations: not code */
            while (*p && *p != '\n') {
                if (p[0] == '\\' && p[1] == '\n') { line++; p++; }
                p++;
            }
            continue;
        }
        bol = false;
        const char *s = p;
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            while (*p && *p != q) {
                if (*p == '\\' && p[1]) p++;
                if (*p == '\n') line++;
                p++;
            }
            if (*p) p++;
            push(q == '"' ? T_STR : T_CHR, s, (size_t)(p - s), line);
            continue;
        }
        if (isalpha((unsigned char)*p) || *p == '_') {
            while (isalnum((unsigned char)*p) || *p == '_') p++;
            /* a string with an encoding prefix (u8"...") is still a string */
            push(T_ID, s, (size_t)(p - s), line);
            continue;
        }
        if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
            while (isalnum((unsigned char)*p) || *p == '.' || *p == '_' ||
                   ((*p == '+' || *p == '-') && (p[-1] == 'e' || p[-1] == 'E' || p[-1] == 'p' || p[-1] == 'P')))
                p++;
            push(T_NUM, s, (size_t)(p - s), line);
            continue;
        }
        static const char *const two[] = {"->", "++", "--", "&&", "||", "==", "!=", "<=", ">=", "<<", ">>",
                                          "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "::", NULL};
        size_t n = 1;
        for (int i = 0; two[i]; i++) if (p[0] == two[i][0] && p[1] == two[i][1]) n = 2;
        push(T_PUNCT, s, n, line);
        p += n;
    }
}

static bool is(int i, const char *s) { return i < ntoks && toks[i].n == strlen(s) && !strncmp(toks[i].s, s, toks[i].n); }
static bool is_id(int i, const char *s) { return i < ntoks && toks[i].kind == T_ID && is(i, s); }

/* match: the index of the token closing the bracket at i (or ntoks). */
static int match(int i) {
    int depth = 0;
    for (int j = i; j < ntoks; j++) {
        if (toks[j].kind != T_PUNCT) continue;
        char c = toks[j].s[0];
        if (toks[j].n == 1 && (c == '(' || c == '[' || c == '{')) depth++;
        else if (toks[j].n == 1 && (c == ')' || c == ']' || c == '}')) { if (--depth == 0) return j; }
    }
    return ntoks;
}

/* A range of tokens [a, b). */
struct range { int a, b; };

/* args: split the arguments of the call whose '(' is at open; returns their count (max `max`). */
static int args(int open, struct range *out, int max) {
    int close = match(open), n = 0, start = open + 1, depth = 0;
    if (close == open + 1) return 0;
    for (int j = open + 1; j < close; j++) {
        if (toks[j].kind != T_PUNCT || toks[j].n != 1) continue;
        char c = toks[j].s[0];
        if (c == '(' || c == '[' || c == '{') depth++;
        else if (c == ')' || c == ']' || c == '}') depth--;
        else if (c == ',' && depth == 0) {
            if (n < max) out[n++] = (struct range){start, j};
            start = j + 1;
        }
    }
    if (n < max) out[n++] = (struct range){start, close};
    return n;
}

static struct range strip(struct range r) {
    while (r.b - r.a >= 2 && is(r.a, "(") && match(r.a) == r.b - 1) { r.a++; r.b--; }
    return r;
}

/* ternary: split `c ? x : y` at top level; false when r is not a conditional. */
static bool ternary(struct range r, struct range *x, struct range *y) {
    int depth = 0, q = -1, nested = 0;
    for (int j = r.a; j < r.b; j++) {
        if (toks[j].kind != T_PUNCT || toks[j].n != 1) continue;
        char c = toks[j].s[0];
        if (c == '(' || c == '[' || c == '{') depth++;
        else if (c == ')' || c == ']' || c == '}') depth--;
        else if (depth == 0 && c == '?') { if (q < 0) q = j; else nested++; }
        else if (depth == 0 && c == ':' && q >= 0) {
            if (nested) { nested--; continue; }
            *x = (struct range){q + 1, j};
            *y = (struct range){j + 1, r.b};
            return true;
        }
    }
    return false;
}

/* literal: when r is only string literals, their concatenated contents (escapes kept). */
static char *literal(struct range r) {
    r = strip(r);
    if (r.a >= r.b) return NULL;
    size_t n = 0;
    for (int j = r.a; j < r.b; j++) {
        if (toks[j].kind != T_STR) return NULL;
        n += toks[j].n;
    }
    char *d = xrealloc(NULL, n + 1), *o = d;
    for (int j = r.a; j < r.b; j++) { memcpy(o, toks[j].s + 1, toks[j].n - 2); o += toks[j].n - 2; }
    *o = 0;
    return d;
}

/* ---- conversions: the formatter's grammar (core/buf.c vbprintf) ---- */
/* signature: the conversions of fmt as a string of letters, one per argument consumed
 * ('*' for a precision argument, 's' 'h' 'U' 'j' 'c' 'd' 'f' for the values); NULL after a
 * problem (reported at line). */
static char *signature(const char *fmt, int line, const char *what) {
    size_t cap = strlen(fmt) + 1, n = 0;
    char *sig = xrealloc(NULL, cap);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') continue;
        const char *start = p++;
        if (*p == '%') continue;
        int flags = 0, width = 0, lng = 0, z = 0;
        bool prec = false, star = false;
        while (*p && strchr("-+ #0", *p)) { p++; flags++; }
        while (isdigit((unsigned char)*p)) { p++; width++; }
        if (*p == '*') {
            problem(line, "%s: \"%.*s\": the formatter takes no '*' width", what, (int)(p - start + 1), start);
            free(sig);
            return NULL;
        }
        if (*p == '.') {
            p++;
            prec = true;
            if (*p == '*') { star = true; p++; }
            else while (isdigit((unsigned char)*p)) p++;
        }
        while (*p == 'l' && lng < 2) { p++; lng++; }
        if (*p == 'z') { p++; z = 1; }
        char c = *p;
        int len = (int)(p - start + (c ? 1 : 0));
        const char *bad = NULL;
        if (!c) bad = "a lone '%' at the end (write %%)";
        else if (!strchr("shUjcdiuxXfeg", c)) bad = "a conversion the formatter does not implement";
        else if (strchr("shUjc", c) && (lng || z)) bad = "a length modifier on a string or character";
        else if (strchr("shUj", c) && (flags || width)) bad = "flags or a width on a string (the formatter ignores them)";
        else if (c == 'c' && (flags || width || prec)) bad = "flags, width or precision on %c";
        else if (strchr("feg", c) && (lng || z)) bad = "a length modifier on a floating-point conversion";
        else if (strchr("diuxXcfeg", c) && star) bad = "'.*' on a number (only strings take it)";
        else if (width > 2 || (prec && !star && p - start > 12)) bad = "a width or precision too large for the formatter";
        if (bad) {
            problem(line, "%s: \"%.*s\": %s", what, len, start, bad);
            free(sig);
            return NULL;
        }
        if (star) sig[n++] = '*';
        if (strchr("di", c)) c = 'd';
        else if (strchr("uxX", c)) c = 'u';
        else if (strchr("feg", c)) c = 'f';
        /* the length matters to the argument's type */
        sig[n++] = strchr("du", c) ? (z ? 'z' : lng == 2 ? 'L' : lng == 1 ? 'l' : c) : c;
        if (!c) break;
    }
    sig[n] = 0;
    return sig;
}

/* ---- the .po catalogues ---- */
struct entry {
    char *id, *plural;
    char *str[4];
    int nstr;
    bool c_format;
    const char *po;
    int line;
    bool used;   /* as a format by some call */
};
static struct entry *entries;
static int nentries, capentries;

/* po_string: the concatenated contents of "..." parts starting at *pp (escapes kept). */
static char *po_string(const char **pp, int *line) {
    const char *p = *pp;
    size_t cap = 64, n = 0;
    char *d = xrealloc(NULL, cap);
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (*p != '"') break;
        p++;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1]) { if (n + 2 >= cap) d = xrealloc(d, cap *= 2); d[n++] = *p++; }
            if (n + 2 >= cap) d = xrealloc(d, cap *= 2);
            d[n++] = *p++;
        }
        if (*p) p++;
        while (*p == ' ' || *p == '\t') p++;
        if (*p == '\n' && p[1] == '"') { p++; (*line)++; }
        else if (*p == '\n' && (p[1] == ' ' || p[1] == '\t')) {
            const char *q = p + 1;
            while (*q == ' ' || *q == '\t') q++;
            if (*q == '"') { p = q; (*line)++; }
        }
    }
    d[n] = 0;
    *pp = p;
    return d;
}

static void po_load(const char *path) {
    char *src = read_file(path);
    const char *p = src;
    int line = 1;
    struct entry cur = {0};
    bool flag_c = false;
    cur.po = path;
    while (*p) {
        if (!strncmp(p, "#,", 2)) {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            char *fl = xstrndup(p, n);
            for (char *t = strtok(fl + 2, " ,\t"); t; t = strtok(NULL, " ,\t"))
                if (!strcmp(t, "c-format")) flag_c = true;
            free(fl);
        } else if (!strncmp(p, "msgid_plural ", 13)) {
            p += 13;
            cur.plural = po_string(&p, &line);
            continue;
        } else if (!strncmp(p, "msgid ", 6)) {
            if (cur.id) { /* the previous entry ends */
                if (nentries == capentries) { capentries = capentries ? capentries * 2 : 1024; entries = xrealloc(entries, sizeof *entries * (size_t)capentries); }
                entries[nentries++] = cur;
                memset(&cur, 0, sizeof cur);
                cur.po = path;
            }
            cur.line = line;
            cur.c_format = flag_c;
            flag_c = false;
            p += 6;
            cur.id = po_string(&p, &line);
            continue;
        } else if (!strncmp(p, "msgstr", 6)) {
            p += 6;
            if (*p == '[') { while (*p && *p != ']') p++; if (*p) p++; }
            char *s = po_string(&p, &line);
            if (cur.nstr < 4) cur.str[cur.nstr++] = s; else free(s);
            continue;
        }
        while (*p && *p != '\n') p++;
        if (*p == '\n') { p++; line++; }
    }
    if (cur.id) {
        if (nentries == capentries) { capentries = capentries ? capentries * 2 : 1024; entries = xrealloc(entries, sizeof *entries * (size_t)capentries); }
        entries[nentries++] = cur;
    }
    free(src);
}

/* translations: check every catalogue's translation of msgid (and plural) against sig. */
static void translations(const char *msgid, const char *plural, const char *sig, int line) {
    g_translated++;
    bool all_c = !strpbrk(sig, "hUj");
    for (int i = 0; i < nentries; i++) {
        struct entry *e = &entries[i];
        if (strcmp(e->id, msgid)) continue;
        e->used = true;
        if (*sig && all_c && !e->c_format)
            problem(line, "\"%s\" is a format: mark it \"#, c-format\" in %s:%d", msgid, e->po, e->line);
        if (plural && (!e->plural || strcmp(e->plural, plural)))
            problem(line, "\"%s\": %s:%d has another plural form", msgid, e->po, e->line);
        for (int k = 0; k < e->nstr; k++) {
            if (!*e->str[k]) continue; /* untranslated: the msgid is used */
            char what[600];
            snprintf(what, sizeof what, "translation %d of \"%.400s\" in %s:%d", k, msgid, e->po, e->line);
            char *ts = signature(e->str[k], line, what);
            if (ts && strcmp(ts, sig))
                problem(line, "%s has the conversions \"%s\", the msgid \"%s\"", what, ts, sig);
            free(ts);
        }
    }
}

/* ---- the checks ---- */
static bool is_lookup(struct range r, const char *name, int nargs, struct range *out) {
    r = strip(r);
    if (!(r.b - r.a >= 3 && is_id(r.a, name) && is(r.a + 1, "(") && match(r.a + 1) == r.b - 1)) return false;
    return args(r.a + 1, out, 8) == nargs;
}

/* format: the signature of a format expression, or NULL after reporting a problem. */
static char *format(struct range r, int line) {
    r = strip(r);
    struct range x, y, av[8];
    char *lit = literal(r);
    if (lit) { char *s = signature(lit, line, "format"); free(lit); return s; }
    if (ternary(r, &x, &y)) {
        char *a = format(x, line), *b = a ? format(y, line) : NULL;
        if (a && b && strcmp(a, b)) {
            problem(line, "the branches of the format consume different arguments (\"%s\" and \"%s\")", a, b);
            free(a); free(b);
            return NULL;
        }
        free(b);
        return a;
    }
    bool one = is_lookup(r, "T", 2, av) || is_lookup(r, "tr", 2, av);
    bool many = !one && (is_lookup(r, "TN", 4, av) || is_lookup(r, "trn", 4, av));
    if (one || many) {
        char *id = literal(av[1]);
        char *pl = many ? literal(av[2]) : NULL;
        if (!id || (many && !pl)) {
            problem(line, "a translated format must be a lookup of a string literal");
            free(id); free(pl);
            return NULL;
        }
        char *sig = signature(id, line, "translated format");
        if (sig && many) {
            char *ps = signature(pl, line, "plural of the translated format");
            if (ps && strcmp(ps, sig)) problem(line, "singular and plural consume different arguments (\"%s\", \"%s\")", sig, ps);
            free(ps);
        }
        if (sig) translations(id, pl, sig, line);
        free(id); free(pl);
        return sig;
    }
    if (is_lookup(r, "FMT_AS", 2, av)) {
        char *sig_lit = literal(av[0]);
        if (!sig_lit) { problem(line, "FMT_AS wants a string literal first"); return NULL; }
        char *s = signature(sig_lit, line, "FMT_AS");
        free(sig_lit);
        g_translated++;
        return s;
    }
    problem(line, "the format is neither a literal nor a translation lookup (T, tr, TN, trn, FMT_AS)");
    return NULL;
}

static bool ends_with(const char *s, size_t n, const char *suffix) {
    size_t k = strlen(suffix);
    return n >= k && !strncmp(s + n - k, suffix, k);
}

/* ---- plain-text buffers ----
 * A buf_t written by bprintf_text/aprintf_text holds plain text, not markup: its .data may not
 * pass through a raw %s of the markup formatter. The first argument of every bprintf_text call
 * is recorded, spelled without '&', spaces, and with '->' as '.': a plain name counts in the
 * function body it stands in, a member expression (m->text) in the whole file (the struct may
 * be filled in one function and printed in another). */
#define MAXTEXT 512
static struct { char *name; int body; } g_text[MAXTEXT];
static int g_ntext;
static int g_body; /* the index of the '{' opening the function body being checked, -1 outside */

static char *spell(struct range r) {
    r = strip(r);
    while (r.a < r.b && is(r.a, "&")) r.a++;
    char *out = NULL;
    size_t n = 0;
    for (int j = r.a; j < r.b; j++) {
        const char *t = is(j, "->") ? "." : toks[j].s;
        size_t k = is(j, "->") ? 1 : toks[j].n;
        out = xrealloc(out, n + k + 1);
        memcpy(out + n, t, k);
        n += k;
    }
    if (!out) out = xrealloc(NULL, 1);
    out[n] = 0;
    return out;
}

static bool is_text_buffer(struct range base) {
    char *sp = spell(base);
    bool member = strchr(sp, '.') != NULL, hit = false;
    for (int i = 0; i < g_ntext && !hit; i++)
        hit = !strcmp(g_text[i].name, sp) && (member || g_text[i].body == g_body);
    free(sp);
    return hit;
}

/* raw_ok: whether r may be printed through a raw %s. */
static bool raw_ok(struct range r) {
    r = strip(r);
    struct range x, y, av[2];
    if (r.a >= r.b) return false;
    char *lit = literal(r);
    if (lit) { free(lit); return true; }
    if (ternary(r, &x, &y)) return raw_ok(x) && raw_ok(y);
    if (r.b - r.a == 1 && is_id(r.a, "NULL")) return true;
    if (is_lookup(r, "MARKUP", 1, av)) return true;
    /* the result of the markup formatter (its own %s were checked), not of aprintf_text */
    if (r.b - r.a >= 3 && is_id(r.a, "aprintf") && is(r.a + 1, "(") && match(r.a + 1) == r.b - 1) return true;
    /* a buf_t's contents: markup built with this formatter, unless bprintf_text wrote it */
    if (r.b - r.a >= 3 && is_id(r.b - 1, "data") && (is(r.b - 2, ".") || is(r.b - 2, "->")))
        return !is_text_buffer((struct range){r.a, r.b - 2});
    /* a name ending in "html": a variable, a member or a function call returning markup */
    int last = r.b - 1;
    if (is(last, ")")) {
        int open = -1, depth = 0;
        for (int j = last; j >= r.a; j--) {
            if (is(j, ")")) depth++;
            else if (is(j, "(") && --depth == 0) { open = j; break; }
        }
        last = open - 1;
        if (last < r.a) return false;
    }
    return toks[last].kind == T_ID && (ends_with(toks[last].s, toks[last].n, "html") ||
                                       ends_with(toks[last].s, toks[last].n, "HTML"));
}

static void check_call(int name, int fmt_index, bool text) {
    struct range av[64];
    int line = toks[name].line;
    int n = args(name + 1, av, 64);
    g_calls++;
    if (n <= fmt_index) { problem(line, "%.*s without a format", (int)toks[name].n, toks[name].s); return; }
    char *sig = format(av[fmt_index], toks[av[fmt_index].a].line);
    if (!sig) return;
    int want = (int)strlen(sig), have = n - fmt_index - 1;
    if (want != have) {
        problem(line, "%.*s: the format consumes %d argument%s, the call passes %d", (int)toks[name].n, toks[name].s,
                want, want == 1 ? "" : "s", have);
        free(sig);
        return;
    }
    for (int k = 0; k < want && !text; k++) {
        if (sig[k] != 's') continue;
        g_raw_s++;
        struct range a = av[fmt_index + 1 + k];
        if (!raw_ok(a)) {
            if (g_list)
                printf("%s\t%d\t%ld\t%d\t%ld\t%ld\n", g_file, line, (long)(toks[name].s - g_src), k,
                       (long)(toks[a.a].s - g_src), (long)(toks[a.b - 1].s + toks[a.b - 1].n - g_src));
            int al = toks[a.a].line;
            int len = (int)(toks[a.b - 1].s + toks[a.b - 1].n - toks[a.a].s);
            problem(al, "raw %%s of \"%.*s\": text goes through %%h (or %%U, %%j); code-built markup is "
                        "MARKUP(x); plain-text output is bprintf_text/aprintf_text", len > 80 ? 80 : len, toks[a.a].s);
        }
    }
    free(sig);
}

/* the formatter's entry points; `text`: plain-text output, where %s may take any text */
static const struct { const char *name; int fmt; bool text; } funcs[] = {
    {"bprintf", 1, false}, {"aprintf", 1, false}, {"bprintf_text", 1, true}, {"aprintf_text", 1, true}};

static void check_file(const char *path) {
    g_file = path;
    char *src = read_file(path);
    g_src = src;
    tokenize(src);
    /* first pass: the function bodies (braces at file level) and the plain-text buffers in them */
    int *body_of = xrealloc(NULL, sizeof *body_of * (size_t)(ntoks + 1));
    for (int i = 0, depth = 0, body = -1; i < ntoks; i++) {
        if (is(i, "{") && depth++ == 0) body = i;
        body_of[i] = depth ? body : -1;
        if (is(i, "}") && --depth == 0) body = -1;
    }
    for (int i = 0; i + 1 < ntoks; i++) {
        if (!(is_id(i, "bprintf_text") && is(i + 1, "(")) || (i > 0 && (is(i - 1, "*") || toks[i - 1].kind == T_ID)))
            continue;
        struct range av[2];
        if (args(i + 1, av, 2) < 1 || g_ntext == MAXTEXT) continue;
        g_text[g_ntext].name = spell(av[0]);
        g_text[g_ntext++].body = body_of[i];
    }
    for (int i = 0; i < ntoks; i++) {
        g_body = body_of[i];
        if (toks[i].kind != T_ID || !is(i + 1, "(")) continue;
        for (size_t f = 0; f < sizeof funcs / sizeof *funcs; f++) {
            if (!is(i, funcs[f].name)) continue;
            /* a declaration or definition, not a call: a type name or '*' comes before it */
            if (i > 0 && (is(i - 1, "*") || (toks[i - 1].kind == T_ID && !is_id(i - 1, "return") && !is_id(i - 1, "else"))))
                continue;
            check_call(i, funcs[f].fmt, funcs[f].text);
        }
    }
    for (int i = 0; i < g_ntext; i++) free(g_text[i].name);
    g_ntext = 0;
    free(body_of);
    free(src);
}

int main(int argc, char **argv) {
    bool verbose = false;
    int nfiles = 0;
    char **files = xrealloc(NULL, sizeof *files * (size_t)argc);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v")) verbose = true;
        else if (!strcmp(argv[i], "--list")) g_list = true;
        else if (!strcmp(argv[i], "--po") && i + 1 < argc) po_load(argv[++i]);
        else files[nfiles++] = argv[i];
    }
    if (!nfiles) { fprintf(stderr, "usage: fmtcheck [-v] [--po FILE.po]... FILE.c...\n"); return 2; }
    for (int i = 0; i < nfiles; i++) check_file(files[i]);
    if (verbose || g_problems)
        fprintf(stderr, "fmtcheck: %d calls of the escaping formatter checked (%d translated formats, %d raw %%s), %d problem%s\n",
                g_calls, g_translated, g_raw_s, g_problems, g_problems == 1 ? "" : "s");
    free(files);
    return g_problems ? 1 : 0;
}
