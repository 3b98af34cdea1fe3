/* Atom feeds (RFC 4287): the register's newest obstacles (/obstacles.atom, with the list's
 * filters) and one obstacle's status changes (/obstacles/{id}/status.atom). Text goes through
 * %h, whose entities (&amp; &lt; &gt; &quot; &#39;) are XML's too. */
#include <string.h>
#include "core/util.h"
#include "i18n/i18n.h"
#include "obstacles/obstacles.h"

static void jfree(void *p) { json_decref(p); }

/* base: "http(s)://host" from the Host header, or a fixed local name if it looks wrong */
static const char *base(req_t *r) {
    const char *h = req_header(r, "Host");
    bool ok = h && *h && strlen(h) < 256;
    for (const char *p = h; ok && *p; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr(".-:[]", *p);
    return aprintf_text(r->arena, "%s://%s", req_is_tls(r) ? "https" : "http", ok ? h : "localhost");
}

static void feed_begin(req_t *r, const char *title, const char *self, const char *alt, const char *updated) {
    r->ctype = "application/atom+xml; charset=utf-8";
    const char *b = base(r);
    bprintf(&r->out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"%h\">\n"
                     "<title>%h</title>\n<id>%h%h</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"%h%h\"/>\n"
                     "<link rel=\"alternate\" type=\"text/html\" href=\"%h%h\"/>\n<updated>%h</updated>\n<author><name>Gränslös</name></author>\n",
            r->lang, title, b, alt, b, self, b, alt, updated ? updated : now_utc(r->arena));
}

void obs_feed(req_t *r) {
    db_t *db = db_get();
    obs_filter_t f;
    const char *bad = obs_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    if (!req_query(r, "per_page")) f.per_page = 50;
    obs_row_t *rows;
    int n;
    obs_search(db, r->arena, &f, &rows, &n);
    const char *b = base(r);
    feed_begin(r, aprintf_text(r->arena, "%s – Gränslös", T(r, "Border obstacles")), "/obstacles.atom", "/obstacles", n ? rows[0].updated_at : NULL);
    for (int i = 0; i < n; i++) {
        obs_row_t *o = &rows[i];
        bprintf(&r->out, "<entry><title>%h</title><id>%h/obstacles/%lld</id><link rel=\"alternate\" type=\"text/html\" href=\"%h/obstacles/%lld\"/>"
                         "<published>%h</published><updated>%h</updated><category term=\"%h\" label=\"%h\"/>"
                         "<summary>%h: %h</summary></entry>\n",
                o->title, b, (long long)o->id, b, (long long)o->id, o->created_at, o->updated_at, o->status,
                obs_status_label(o->status, r->lang), obs_status_label(o->status, r->lang), o->description);
    }
    buf_puts(&r->out, "</feed>\n");
}

void obs_status_feed(req_t *r) {
    db_t *db = db_get();
    json_t *o = obs_load(db, r->arena, r->id[0]);
    if (!o) { resp_error(r, 404, "not-found", T(r, "There is no such obstacle.")); return; }
    arena_on_free(r->arena, jfree, o);
    json_t *hist = json_object_get(o, "status_history");
    size_t nh = json_array_size(hist);
    long long id = (long long)r->id[0];
    const char *title = json_string_value(json_object_get(o, "title"));
    const char *b = base(r);
    feed_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Status"), title), aprintf(r->arena, "/obstacles/%lld/status.atom", id),
               aprintf(r->arena, "/obstacles/%lld", id), json_string_value(json_object_get(o, "status_at")));
    for (size_t i = nh; i-- > 0;) { /* newest first */
        json_t *h = json_array_get(hist, i);
        const char *from = json_string_value(json_object_get(h, "from")), *to = json_string_value(json_object_get(h, "to"));
        const char *at = json_string_value(json_object_get(h, "at"));
        const char *what = from ? aprintf_text(r->arena, "%s → %s", obs_status_label(from, r->lang), obs_status_label(to, r->lang))
                                : obs_status_label(to, r->lang);
        json_t *u = json_object_get(h, "user");
        const char *by = json_is_object(u) && !json_is_true(json_object_get(u, "deleted")) ? json_string_value(json_object_get(u, "name")) : "Gränslös";
        bprintf(&r->out, "<entry><title>%h: %h</title><id>%h/obstacles/%lld#status-%zu</id>"
                         "<link rel=\"alternate\" type=\"text/html\" href=\"%h/obstacles/%lld#history\"/><updated>%h</updated>"
                         "<author><name>%h</name></author><category term=\"%h\" label=\"%h\"/><summary>%h</summary></entry>\n",
                title, what, b, id, i + 1, b, id, at, by, to, obs_status_label(to, r->lang),
                str_empty(json_string_value(json_object_get(h, "comment"))) ? what : json_string_value(json_object_get(h, "comment")));
    }
    buf_puts(&r->out, "</feed>\n");
}
