/* The Atom writer and the base URL (html/feed.h). */
#include "html/feed.h"
#include <string.h>
#include "core/util.h"

const char *base_url(req_t *r) {
    const char *h = req_header(r, "Host");
    bool ok = h && *h && strlen(h) < 256;
    for (const char *p = h; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-:[]", *p);
    return aprintf_text(r->arena, "%s://%s", req_is_tls(r) ? "https" : "http", ok ? h : "localhost");
}

/* xml: s without the control characters XML 1.0 does not allow (tab and newlines stay) */
static const char *xml(req_t *r, const char *s) {
    char *c = arena_strdup(r->arena, s ? s : "");
    for (unsigned char *p = (unsigned char *)c; *p; p++) if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f) *p = ' ';
    return c;
}

void atom_begin(req_t *r, const char *title, const char *id, const char *self, const char *alt, const char *updated) {
    r->ctype = "application/atom+xml; charset=utf-8";
    const char *b = base_url(r);
    bprintf(&r->out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%h\">\n"
                     "<title>%h</title>\n<id>%h</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"%h%h\"/>\n"
                     "<link rel=\"alternate\" type=\"text/html\" href=\"%h%h\"/>\n<updated>%h</updated>\n<author><name>Gränslös</name></author>\n",
            r->lang, xml(r, title), id ? id : arena_printf_libc(r->arena, "%s%s", b, alt), b, self, b, alt, updated ? updated : now_utc(r->arena));
}

void atom_entry(req_t *r, const atom_entry_t *e) {
    const char *b = base_url(r);
    const char *link = arena_printf_libc(r->arena, "%s%s", b, e->link);
    /* text in another language than the feed's carries its own xml:lang */
    const char *xl = e->lang && strcmp(e->lang, r->lang) ? aprintf(r->arena, " xml:lang=\"%h\"", e->lang) : "";
    bprintf(&r->out, "<entry><title%s>%h</title><id>%h</id><link rel=\"alternate\" type=\"text/html\" href=\"%h\"/>", MARKUP(xl), xml(r, e->title),
            e->id ? e->id : link, link);
    if (e->published) bprintf(&r->out, "<published>%h</published>", e->published);
    bprintf(&r->out, "<updated>%h</updated>", e->updated);
    if (e->author) bprintf(&r->out, "<author><name>%h</name></author>", xml(r, e->author));
    if (e->category) bprintf(&r->out, "<category term=\"%h\" label=\"%h\"/>", e->category, xml(r, e->category_label));
    bprintf(&r->out, "<summary>%h</summary>", xml(r, e->summary));
    if (e->content) {
        const char *cl = e->content_lang ? e->content_lang : e->lang;
        const char *cx = cl && strcmp(cl, r->lang) ? aprintf(r->arena, " xml:lang=\"%h\"", cl) : "";
        bprintf(&r->out, "<content type=\"text\"%s>%h</content>", MARKUP(cx), xml(r, e->content));
    }
    buf_puts(&r->out, "</entry>\n");
}

void atom_end(req_t *r) { buf_puts(&r->out, "</feed>\n"); }
