/* .po catalogue loading and lookup, and language-aware formatting. */
#include "i18n/i18n.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/embedded.h"
#include "core/util.h"

const char *const i18n_langs[3] = {"sv", "nb", "en"};

struct entry { char *id, *str0, *str1; };
struct catalogue { struct entry *tab; size_t cap, n; };   /* open addressing on id */
static struct catalogue cats[3];                           /* process lifetime */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static size_t hash(const char *s) {
    size_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

static int lang_index(const char *lang) {
    if (lang && lang[0] == 'n') return 1;
    if (lang && lang[0] == 'e') return 2;
    return 0;
}

bool i18n_known(const char *c) {
    return c && (!strcmp(c, "sv") || !strcmp(c, "nb") || !strcmp(c, "no") || !strcmp(c, "en"));
}
const char *i18n_canonical(const char *c) { return i18n_langs[lang_index(c)]; }

static void put(struct catalogue *c, const char *id, const char *s0, const char *s1) {
    if (c->n * 2 >= c->cap) {
        struct catalogue nc = {xcalloc(c->cap ? c->cap * 2 : 1024, sizeof(struct entry)), c->cap ? c->cap * 2 : 1024, 0};
        for (size_t i = 0; i < c->cap; i++)
            if (c->tab[i].id) put(&nc, c->tab[i].id, c->tab[i].str0, c->tab[i].str1);
        for (size_t i = 0; i < c->cap; i++) if (c->tab[i].id) { free(c->tab[i].id); free(c->tab[i].str0); free(c->tab[i].str1); }
        free(c->tab);
        *c = nc;
    }
    size_t i = hash(id) & (c->cap - 1);
    while (c->tab[i].id && strcmp(c->tab[i].id, id)) i = (i + 1) & (c->cap - 1);
    if (c->tab[i].id) { free(c->tab[i].id); free(c->tab[i].str0); free(c->tab[i].str1); }
    else c->n++;
    c->tab[i].id = xstrdup(id);
    c->tab[i].str0 = xstrdup(s0);
    c->tab[i].str1 = s1 ? xstrdup(s1) : NULL;
}

static const struct entry *get(const struct catalogue *c, const char *id) {
    if (!c->cap) return NULL;
    size_t i = hash(id) & (c->cap - 1);
    while (c->tab[i].id) {
        if (!strcmp(c->tab[i].id, id)) return &c->tab[i];
        i = (i + 1) & (c->cap - 1);
    }
    return NULL;
}

/* ---- .po parsing ---- */
struct po_state { buf_t id, plural, s0, s1; buf_t *cur; bool have; };

/* read a quoted string at p into b; returns the position after it or NULL */
static const char *quoted(const char *p, buf_t *b) {
    while (*p == ' ' || *p == '\t') p++;
    if (*p != '"') return NULL;
    p++;
    while (*p && *p != '"' && *p != '\n') {
        if (*p == '\\') {
            p++;
            switch (*p) {
            case 'n': buf_putc(b, '\n'); break;
            case 't': buf_putc(b, '\t'); break;
            case '"': buf_putc(b, '"'); break;
            case '\\': buf_putc(b, '\\'); break;
            default: return NULL;
            }
            p++;
        } else {
            buf_putc(b, *p++);
        }
    }
    return *p == '"' ? p + 1 : NULL;
}

bool po_parse(const char *text, void (*fn)(void *, const char *, const char *, const char *, const char *), void *ctx) {
    arena_t *a = arena_new();
    struct po_state st;
    buf_init(&st.id, a); buf_init(&st.plural, a); buf_init(&st.s0, a); buf_init(&st.s1, a);
    st.cur = NULL;
    st.have = false;
    bool ok = true;
    const char *p = text;
#define FLUSH() do { if (st.have && st.id.len) fn(ctx, st.id.data, st.plural.len ? st.plural.data : NULL, st.s0.data, st.s1.len ? st.s1.data : NULL); \
        st.id.len = st.plural.len = st.s0.len = st.s1.len = 0; st.id.data[0] = st.plural.data[0] = st.s0.data[0] = st.s1.data[0] = 0; st.have = false; st.cur = NULL; } while (0)
    while (*p && ok) {
        const char *eol = strchr(p, '\n');
        if (!eol) eol = p + strlen(p);
        const char *q = p;
        while (*q == ' ' || *q == '\t') q++;
        if (*q == '#' || q == eol || *q == '\r') { /* comment or blank */ }
        else if (!strncmp(q, "msgid_plural", 12)) { st.cur = &st.plural; ok = quoted(q + 12, st.cur) != NULL; }
        else if (!strncmp(q, "msgid", 5)) { FLUSH(); st.cur = &st.id; st.have = true; ok = quoted(q + 5, st.cur) != NULL; }
        else if (!strncmp(q, "msgstr[0]", 9)) { st.cur = &st.s0; ok = quoted(q + 9, st.cur) != NULL; }
        else if (!strncmp(q, "msgstr[1]", 9)) { st.cur = &st.s1; ok = quoted(q + 9, st.cur) != NULL; }
        else if (!strncmp(q, "msgstr", 6)) { st.cur = &st.s0; ok = quoted(q + 6, st.cur) != NULL; }
        else if (*q == '"' && st.cur) { ok = quoted(q, st.cur) != NULL; }
        else ok = false;
        p = *eol ? eol + 1 : eol;
    }
    if (ok) FLUSH();
#undef FLUSH
    arena_free(a);
    return ok;
}

static void add_entry(void *ctx, const char *id, const char *plural, const char *s0, const char *s1) {
    (void)plural;
    if (!*s0) return; /* untranslated: fall back to the msgid */
    put(ctx, id, s0, s1);
}

static void load(void) {
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "data/i18n/%s.po", i18n_langs[i]);
        const struct embedded_file *f = embedded_find(name);
        if (f && !po_parse(f->data, add_entry, &cats[i])) log_msg("i18n: %s does not parse", name);
    }
}

const char *tr(const char *lang, const char *msgid) {
    pthread_once(&once, load);
    const struct entry *e = get(&cats[lang_index(lang)], msgid);
    return e ? e->str0 : msgid;
}

const char *trn(const char *lang, const char *singular, const char *plural, long n) {
    pthread_once(&once, load);
    const struct entry *e = get(&cats[lang_index(lang)], singular);
    if (n == 1) return e ? e->str0 : singular;
    return e && e->str1 ? e->str1 : plural;
}

bool i18n_has(const char *lang, const char *msgid) {
    pthread_once(&once, load);
    return get(&cats[lang_index(lang)], msgid) != NULL;
}

/* ---- formatting ---- */
static const char *months[3][12] = {
    {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
    {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
};

static struct tm local(time_t t) {
    static pthread_once_t tz_once = PTHREAD_ONCE_INIT;
    pthread_once(&tz_once, tzset);
    struct tm tm;
    localtime_r(&t, &tm); /* TZ is set to Europe/Stockholm at start (main.c) */
    return tm;
}

char *fmt_date(arena_t *a, const char *lang, time_t t) {
    struct tm tm = local(t);
    int li = lang_index(lang);
    return arena_printf_libc(a, li == 1 ? "%d. %s %d" : "%d %s %d", tm.tm_mday, months[li][tm.tm_mon], tm.tm_year + 1900);
}

char *fmt_datetime(arena_t *a, const char *lang, time_t t) {
    struct tm tm = local(t);
    return arena_printf_libc(a, "%s %02d:%02d", fmt_date(a, lang, t), tm.tm_hour, tm.tm_min);
}

char *fmt_number(arena_t *a, const char *lang, long long n) {
    char digits[32];
    snprintf(digits, sizeof digits, "%lld", n < 0 ? -n : n);
    const char *sep = lang_index(lang) == 2 ? "," : "\xC2\xA0"; /* no-break space in sv/nb */
    buf_t b;
    buf_init(&b, a);
    if (n < 0) buf_putc(&b, '-');
    size_t len = strlen(digits);
    for (size_t i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0) buf_puts(&b, sep);
        buf_putc(&b, digits[i]);
    }
    return b.data;
}
