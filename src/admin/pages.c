/* Platform admin pages (routes flagged R_ADMIN). */
#include <string.h>
#include "admin/admin.h"
#include "core/util.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "obstacles/obstacles.h"
#include "org/org.h"
#include "ref/ref.h"


static void render(req_t *r, json_t *e) {
    db_t *db = db_get();
    long long total;
    json_t *q = json_object();
    api_own(r, q);
    json_object_set_new(q, "items", org_without_admin(db, 100, &total));
    page_begin(r, T(r, "Administration"));
    bprintf(&r->out, "<h1>%h</h1><section><h2>%h</h2><p>%h</p>", T(r, "Administration"), T(r, "Organisations without an administrator"),
            aprintf_text(r->arena, TN(r, "%s organisation has nobody who can approve members or hand over the record.",
                                 "%s organisations have nobody who can approve members or hand over the record.", (long)total),
                    fmt_number(r->arena, r->lang, total)));
    json_t *items = json_object_get(q, "items");
    if (json_array_size(items)) {
        bprintf(&r->out, "<table><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                T(r, "Organisation"), T(r, "Country"), T(r, "Requests to join"));
        size_t i;
        json_t *x;
        json_array_foreach(items, i, x) {
            long long id = (long long)json_integer_value(json_object_get(x, "id"));
            long long p = (long long)json_integer_value(json_object_get(x, "pending"));
            bprintf(&r->out, "<tr><td><a href=\"/organisations/%lld\">%h</a></td><td>%h</td><td class=\"num\">", id,
                    json_string_value(json_object_get(x, "name")), ref_country_name(json_string_value(json_object_get(x, "country")), r->lang));
            if (p) bprintf(&r->out, "<a href=\"/organisations/%lld/members\">%lld</a>", id, p);
            else buf_puts(&r->out, "0");
            buf_puts(&r->out, "</td></tr>");
        }
        buf_puts(&r->out, "</tbody></table>");
    }
    buf_puts(&r->out, "</section>");
    org_claims_section(r); /* issue 12: claims the e-mail domain did not settle */
    int nt;
    theme_t *th = ref_themes(db, r->arena, r->lang, &nt);
    bprintf(&r->out, "<section class=\"narrow\"><h2>%h</h2><ul class=\"tags\">", T(r, "Key areas"));
    for (int i = 0; i < nt; i++) bprintf(&r->out, "<li>%h <span class=\"code\">%h</span></li>", th[i].name, th[i].slug);
    bprintf(&r->out, "</ul><h3>%h</h3>", T(r, "Add a key area"));
    form_errors_summary(r, e);
    form_open(r, "/admin/themes");
    field_text(r, "slug", T(r, "Short name in the address"), req_form(r, "slug"), e, "text", T(r, "Lower-case letters, digits and dashes, e.g. circular-economy."), true);
    field_text(r, "name_sv", T(r, "Name in Swedish"), req_form(r, "name_sv"), e, "text", NULL, true);
    field_text(r, "name_nb", T(r, "Name in Norwegian"), req_form(r, "name_nb"), e, "text", NULL, true);
    field_text(r, "name_en", T(r, "Name in English"), req_form(r, "name_en"), e, "text", NULL, true);
    form_close(r, T(r, "Add"));
    buf_puts(&r->out, "</section>");
    obs_admin_section(r); /* the obstacle desk */
    notify_admin_section(r);   /* issue 14: the mail queue and its failures */
    page_end(r);
}

void admin_page(req_t *r) { render(r, NULL); }

void admin_theme_post(req_t *r) {
    json_t *e = json_object();
    api_own(r, e);
    const char *slug = trim(r->arena, req_form(r, "slug"));
    static const char *const names[] = {"name_sv", "name_nb", "name_en"};
    const char *v[3];
    if (!ref_theme_slug_valid(slug)) json_object_set_new(e, "slug", json_string(T(r, "Use lower-case letters, digits and dashes.")));
    for (int i = 0; i < 3; i++) {
        v[i] = trim(r->arena, req_form(r, names[i]));
        if (str_empty(v[i])) json_object_set_new(e, names[i], json_string(T(r, "This field is required.")));
        else if (utf8_len(v[i]) > 80) json_object_set_new(e, names[i], json_string(T(r, "This text is too long.")));
    }
    if (!json_object_size(e) && !ref_theme_add(db_get(), slug, v[0], v[1], v[2]))
        json_object_set_new(e, "slug", json_string(T(r, "This key area exists already.")));
    if (json_object_size(e)) { r->status = 422; render(r, e); return; }
    flash_set(r, "theme-added");
    resp_redirect(r, "/admin");
}
