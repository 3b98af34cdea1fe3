/* Atom feeds (RFC 4287): the register's newest obstacles (/obstacles.atom, with the list's
 * filters) and one obstacle's status changes (/obstacles/{id}/status.atom). Text goes through
 * %h, whose entities (&amp; &lt; &gt; &quot; &#39;) are XML's too. */
#include <string.h>
#include "core/util.h"
#include "html/feed.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "obstacles/obstacles.h"


void obs_feed(req_t *r) {
    db_t *db = db_get();
    obs_filter_t f;
    const char *bad = obs_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    if (!req_query(r, "per_page")) f.per_page = 50;
    obs_row_t *rows;
    int n;
    obs_search(db, r->arena, &f, &rows, &n);
    atom_begin(r, aprintf_text(r->arena, "%s – Gränslös", T(r, "Border obstacles")), NULL, "/obstacles.atom", "/obstacles", n ? rows[0].updated_at : NULL);
    for (int i = 0; i < n; i++) {
        obs_row_t *o = &rows[i];
        const char *label = obs_status_label(o->status, r->lang);
        atom_entry(r, &(atom_entry_t){.title = o->title, .link = aprintf(r->arena, "/obstacles/%lld", (long long)o->id),
                                      .published = o->created_at, .updated = o->updated_at, .category = o->status, .category_label = label,
                                      .summary = label, .content = o->description, .lang = o->lang});
    }
    atom_end(r);
}

void obs_status_feed(req_t *r) {
    db_t *db = db_get();
    json_t *o = obs_load(db, r->arena, r->id[0]);
    if (!o) { resp_error(r, 404, "not-found", T(r, "There is no such obstacle.")); return; }
    api_own(r, o);
    json_t *hist = json_object_get(o, "status_history");
    size_t nh = json_array_size(hist);
    long long id = (long long)r->id[0];
    const char *title = json_string_value(json_object_get(o, "title"));
    const char *b = base_url(r);
    atom_begin(r, arena_printf_libc(r->arena, "%s: %s", T(r, "Status"), title), NULL, aprintf(r->arena, "/obstacles/%lld/status.atom", id),
               aprintf(r->arena, "/obstacles/%lld", id), json_string_value(json_object_get(o, "status_at")));
    for (size_t i = nh; i-- > 0;) { /* newest first */
        json_t *h = json_array_get(hist, i);
        const char *from = json_string_value(json_object_get(h, "from")), *to = json_string_value(json_object_get(h, "to"));
        const char *at = json_string_value(json_object_get(h, "at"));
        const char *what = from ? aprintf_text(r->arena, "%s → %s", obs_status_label(from, r->lang), obs_status_label(to, r->lang))
                                : obs_status_label(to, r->lang);
        json_t *u = json_object_get(h, "user");
        const char *by = json_is_object(u) && !json_is_true(json_object_get(u, "deleted")) ? json_string_value(json_object_get(u, "name")) : "Gränslös";
        const char *comment = json_string_value(json_object_get(h, "comment"));
        atom_entry(r, &(atom_entry_t){.title = arena_printf_libc(r->arena, "%s: %s", title, what), .id = arena_printf_libc(r->arena, "%s/obstacles/%lld#status-%zu", b, id, i + 1),
                                      .link = aprintf(r->arena, "/obstacles/%lld#history", id), .updated = at, .author = by, .category = to,
                                      .category_label = obs_status_label(to, r->lang), .summary = str_empty(comment) ? what : comment});
    }
    atom_end(r);
}
