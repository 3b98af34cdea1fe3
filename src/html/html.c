/* Page chrome, error pages and form helpers. */
#include "html/html.h"
#include <string.h>
#include "html/feed.h"
#include "http/csrf.h"
#include "core/util.h"
#include "i18n/i18n.h"
#include "ref/ref.h"

static const char *lang_names[3] = {"Svenska", "Norsk", "English"};

/* flash messages: the cookie names a key; the text always comes from this table */
static const struct { const char *key, *msgid; } flashes[] = {
    {"saved", N_("Your changes have been saved.")},
    {"created", N_("The organisation has been created.")},
    {"reverted", N_("The organisation has been reverted to the chosen version.")},
    {"welcome", N_("Welcome! Your account has been created.")},
    {"logged-in", N_("You are logged in.")},
    {"logged-out", N_("You have logged out.")},
    {"password", N_("Your password has been changed.")},
    {"join-requested", N_("Your request has been sent to the organisation's administrators.")},
    {"members", N_("The membership has been updated.")},
    {"claim-approved", N_("Your e-mail address is at the organisation's web domain: you are now its administrator.")},
    {"claim-pending", N_("Thank you: a moderator will check your claim. Until then the record stays as it is.")},
    {"claim-decided", N_("The claim has been approved: the person is now the organisation's administrator.")},
    {"claim-refused", N_("The claim has been refused.")},
    {"contact-sent", N_("Your message has been sent.")},
    {"unchanged", N_("Nothing was changed.")},
    {"theme-added", N_("The theme has been added.")},
    {"account-deleted", N_("Your account has been deleted. What you contributed stays with the organisations.")},
    {"password-reset", N_("Your password has been changed. Log in with the new one.")},
    {"email-sent", N_("We have sent a link to the new address. Your address changes when you open it.")},
    {"email-changed", N_("Your e-mail address has been changed.")},
    {"token-revoked", N_("The API token has been revoked.")},
    {"session-ended", N_("The session has been ended.")},
    /* obstacles */
    {"obstacle-reported", N_("Thank you: the obstacle has been reported.")},
    {"obstacle-status", N_("The status has been changed.")},
    {"obstacle-affected", N_("Your organisation is now listed as affected too.")},
    {"obstacle-unaffected", N_("Your organisation is no longer listed as affected.")},
    {"desk", N_("The obstacle desk has been updated.")},
    /* roundtables */
    {"bullet-sent", N_("Thank you: your bullet has been sent to the table's hosts.")},
    {"bullet-saved", N_("The bullet has been saved.")},
    {"table-created", N_("The roundtable has been created.")},
    {0, 0},
};

void flash_set(req_t *r, const char *key) {
    resp_header(r, "Set-Cookie", aprintf_text(r->arena, "flash=%s; Path=/; Max-Age=60; HttpOnly; SameSite=Lax", key));
}

static void nav_link(req_t *r, const char *href, const char *label) {
    size_t n = strlen(href);
    bool current = strcmp(r->path, href) == 0 ||
                   (n > 1 && strncmp(r->path, href, n) == 0 && r->path[n] == '/' && strcmp(r->path, "/organisations/new"));
    bprintf(&r->out, "<li><a href=\"%h\"%s>%h</a></li>", href, current ? " aria-current=\"page\"" : "", label);
}

int (*html_unread)(int64_t user_id);

void page_begin(req_t *r, const char *title) {
    buf_t *o = &r->out;
    r->ctype = "text/html; charset=utf-8";
    bprintf(o,
            "<!doctype html>\n<html lang=\"%h\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>%h – Gränslös</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
            "<link rel=\"icon\" href=\"/static/icon.svg\" type=\"image/svg+xml\">\n"
            "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
            "<a class=\"skip\" href=\"#main\">%h</a>\n<header class=\"site\">\n<div class=\"bar\">\n"
            "<a class=\"brand\" href=\"/\"><span class=\"mark\" aria-hidden=\"true\"></span>Gränslös</a>\n",
            r->lang, title, T(r, "Skip to content"));
    /* language switch */
    bprintf(o, "<nav class=\"langs\" aria-label=\"%h\"><ul>", T(r, "Choose language"));
    for (int i = 0; i < 3; i++) {
        const char *l = i18n_langs[i];
        if (strcmp(l, r->lang) == 0)
            bprintf(o, "<li><span aria-current=\"true\" lang=\"%h\">%h</span></li>", l, lang_names[i]);
        else
            bprintf(o, "<li><a href=\"/lang/%h?back=%U\" lang=\"%h\" hreflang=\"%h\">%h</a></li>", l, r->path, l, l,
                    lang_names[i]);
    }
    bprintf(o, "</ul></nav>\n</div>\n<nav class=\"main\" aria-label=\"%h\"><ul>", T(r, "Main"));
    nav_link(r, "/organisations", T(r, "Organisations"));
    nav_link(r, "/search", T(r, "Search"));
    nav_link(r, "/partners", T(r, "Find partners"));
    nav_link(r, "/obstacles", T(r, "Border obstacles"));
    nav_link(r, "/events", T(r, "Calendar"));   /* events */
    if (r->user) {
        nav_link(r, "/organisations/new", T(r, "Add organisation"));
        if (r->user->is_admin) nav_link(r, "/admin", T(r, "Administration"));
        int unread = html_unread ? html_unread(r->user->id) : 0;  /* the bell, kept fresh by app.js */
        bprintf(o, "<li><a href=\"/inbox\" class=\"bell\" data-unread=\"%d\"><svg aria-hidden=\"true\" focusable=\"false\" width=\"16\" height=\"16\" viewBox=\"0 0 24 24\" fill=\"currentColor\"><path d=\"M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z\"/></svg> %h "
                   "<span class=\"count\">%d</span><span class=\"visually-hidden\"> %h</span></a></li>", unread, T(r, "Inbox"), unread, T(r, "unread"));
        nav_link(r, "/account", T(r, "My account"));
        bprintf(o, "<li><form method=\"post\" action=\"/logout\" class=\"inline\">"
                   "<input type=\"hidden\" name=\"csrf\" value=\"%h\"><button type=\"submit\" class=\"link\">%h</button></form></li>",
                csrf_token(r), T(r, "Log out"));
    } else {
        nav_link(r, "/login", T(r, "Log in"));
        nav_link(r, "/register", T(r, "Register"));
    }
    bprintf(o, "</ul></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n");
    const char *flash = req_cookie(r, "flash");
    if (flash && *flash && utf8_valid(flash, strlen(flash))) {
        for (int i = 0; flashes[i].key; i++)
            if (!strcmp(flashes[i].key, flash)) bprintf(o, "<p class=\"flash\" role=\"status\">%h</p>\n", T(r, flashes[i].msgid));
        resp_header(r, "Set-Cookie", "flash=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax");
    }
}

void page_end(req_t *r) {
    bprintf(&r->out,
            "</main>\n<footer class=\"site\"><p>%h</p><nav aria-label=\"%h\"><ul class=\"footer-links\">"
            "<li><a href=\"/about\">%h</a></li><li><a href=\"/privacy\">%h</a></li><li><a href=\"/cookies\">%h</a></li>"
            "<li><a href=\"/accessibility\">%h</a></li></ul></nav><p class=\"small\">%h "
            "<a href=\"/about/data\">%h</a></p></footer>\n</body>\n</html>\n",
            T(r, "Gränslös – the cross-border innovation platform for Sweden and Norway."), T(r, "About the service"),
            T(r, "About the service"), T(r, "Privacy"), T(r, "Cookies"), T(r, "Accessibility"),
            T(r, "Register and reference data: Brønnøysundregistrene (NLOD), SSB, SCB, Kartverket, Valmyndigheten."),
            T(r, "About the data"));
}

/* same_site_referer: the path (and query) of the Referer when it names a page of this site
 * (its origin is the request's own, by base_url, which validates Host), else NULL */
static const char *same_site_referer(req_t *r) {
    const char *ref = req_header(r, "Referer"), *base = base_url(r);
    size_t n = base ? strlen(base) : 0;
    if (!ref || !n || strncmp(ref, base, n) || ref[n] != '/') return NULL;
    const char *hash = strchr(ref + n, '#');
    const char *path = hash ? arena_strndup(r->arena, ref + n, (size_t)(hash - ref - n)) : ref + n;
    /* after a GET the same address would only show this error again */
    size_t plen = strcspn(path, "?");
    if (streq(r->method, "GET") && strlen(r->path) == plen && !strncmp(path, r->path, plen)) return NULL;
    return local_path(r->arena, path);
}

void html_error_page(req_t *r, int status, const char *message) {
    r->status = status;
    r->out.len = 0;
    r->out.data[0] = 0;
    if (status == 404) {
        /* a page that is not there: say so, and offer a way on (search, the main sections) */
        page_begin(r, T(r, "Page not found"));
        bprintf(&r->out, "<h1>%h</h1>\n<p class=\"error\" role=\"alert\">%h</p>\n"
                         "<form class=\"search\" method=\"get\" action=\"/search\" role=\"search\"><label for=\"nf-q\">%h</label>"
                         "<div class=\"row\"><input type=\"search\" id=\"nf-q\" name=\"q\" autocomplete=\"off\"><button type=\"submit\">%h</button></div></form>\n"
                         "<ul class=\"plain\"><li><a href=\"/\">%h</a></li><li><a href=\"/organisations\">%h</a></li>"
                         "<li><a href=\"/events\">%h</a></li><li><a href=\"/obstacles\">%h</a></li></ul>\n",
                T(r, "Page not found"), message, T(r, "Search organisations"), T(r, "Search"),
                T(r, "Go to the start page"), T(r, "Organisations"), T(r, "Calendar"), T(r, "Border obstacles"));
        page_end(r);
        return;
    }
    const char *title = status >= 500 ? T(r, "Something went wrong")
                        : status == 403 ? T(r, "Not allowed")
                        : status == 401 ? T(r, "Please log in")
                        : status == 409 ? T(r, "Someone else changed this first")
                                        : T(r, "We could not do that");
    page_begin(r, title);
    bprintf(&r->out, "<h1>%h</h1>\n<p class=\"error\" role=\"alert\">%h</p>\n<ul class=\"plain\">", title, message);
    /* the way back: the page the form was on, when the browser says it was a page of this site */
    const char *back = same_site_referer(r);
    if (back) bprintf(&r->out, "<li><a href=\"%h\">%h</a></li>", back, T(r, "Back to the page you came from"));
    bprintf(&r->out, "<li><a href=\"/\">%h</a></li></ul>\n", T(r, "Go to the start page"));
    page_end(r);
}

const char *error_text(json_t *errors, const char *field) {
    if (!errors) return NULL;
    return json_string_value(json_object_get(errors, field));
}

void form_open(req_t *r, const char *action) {
    bprintf(&r->out, "<form method=\"post\" action=\"%h\" novalidate>\n<input type=\"hidden\" name=\"csrf\" value=\"%h\">\n",
            action, csrf_token(r));
}

/* The error summary names each field by its label, so it is written when the form is closed
 * (all labels known) and inserted where form_errors_summary() was called. */
static void remember_label(req_t *r, const char *name, const char *label) { params_add(r->arena, &r->labels, name, label); }

static const char *label_of(req_t *r, const char *name) {
    for (int i = 0; i < r->labels.n; i++) if (!strcmp(r->labels.items[i].name, name)) return r->labels.items[i].value;
    return NULL;
}

void form_label(req_t *r, const char *name, const char *label) { remember_label(r, name, label); }

void form_errors_summary(req_t *r, json_t *errors) {
    if (!errors || !json_object_size(errors)) return;
    r->summary_at = r->out.len;
    r->summary_errors = errors;
}

static void insert_summary(req_t *r) {
    json_t *errors = r->summary_errors;
    if (!errors) return;
    r->summary_errors = NULL;
    buf_t s;
    buf_init(&s, r->arena);
    bprintf(&s, "<div class=\"errors\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><h2>%h</h2><ul>",
            T(r, "Please correct the following"));
    const char *k;
    json_t *v;
    json_object_foreach(errors, k, v) {
        const char *label = label_of(r, k);
        if (label) bprintf(&s, "<li><a href=\"#f-%h\">%h: %h</a></li>", k, label, json_string_value(v));
        else bprintf(&s, "<li><a href=\"#f-%h\">%h</a></li>", k, json_string_value(v));
    }
    buf_puts(&s, "</ul></div>\n");
    /* splice into r->out at the remembered position */
    size_t at = r->summary_at <= r->out.len ? r->summary_at : r->out.len;
    buf_t o;
    buf_init(&o, r->arena);
    buf_append(&o, r->out.data, at);
    buf_append(&o, s.data, s.len);
    buf_append(&o, r->out.data + at, r->out.len - at);
    r->out = o;
}

void page_lead(req_t *r, const char *title, const char *lead) {
    page_begin(r, title);
    bprintf(&r->out, "<h1>%h</h1><p class=\"lead\">%h</p>", title, lead);
}

bool list_open(req_t *r, json_t *items, const char *ul_class, const char *empty) {
    if (!json_array_size(items)) {
        bprintf(&r->out, "<p>%h</p>", empty);
        return false;
    }
    bprintf(&r->out, "<ul class=\"%h\">", ul_class);
    return true;
}

static json_t *form_values(req_t *r, const char *name, bool ids) {
    const char **vals;
    int n = req_form_all(r, name, &vals);
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        long long v;
        json_array_append_new(a, ids && parse_int(vals[i], 1, INT64_MAX, &v) ? json_integer(v) : json_string(vals[i]));
    }
    return a;
}

json_t *form_strings(req_t *r, const char *name) { return form_values(r, name, false); }
json_t *form_ids(req_t *r, const char *name) { return form_values(r, name, true); }

void form_close(req_t *r, const char *submit_label) {
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button></p>\n</form>\n", submit_label);
    insert_summary(r);
}

static void field_head(req_t *r, const char *name, const char *label, const char *err, const char *hint, bool required) {
    remember_label(r, name, label);
    bprintf(&r->out, "<div class=\"field%s\"><label for=\"f-%h\">%h%s</label>", err ? " invalid" : "", name, label,
            required ? aprintf(r->arena, " <span class=\"req\">(%h)</span>", T(r, "required")) : "");
    if (hint) bprintf(&r->out, "<p class=\"hint\" id=\"h-%h\">%h</p>", name, hint);
    if (err) bprintf(&r->out, "<p class=\"field-error\" id=\"e-%h\">%h</p>", name, err);
}

static void described(req_t *r, const char *name, const char *err, const char *hint) {
    if (err || hint)
        bprintf(&r->out, " aria-describedby=\"%s%s%s\"", hint ? aprintf(r->arena, "h-%h", name) : "",
                hint && err ? " " : "", err ? aprintf(r->arena, "e-%h", name) : "");
    if (err) buf_puts(&r->out, " aria-invalid=\"true\"");
}

void field_text(req_t *r, const char *name, const char *label, const char *value, json_t *errors, const char *type,
                const char *hint, bool required) {
    const char *ac = type && !strcmp(type, "password") ? "current-password" : type && !strcmp(type, "email") ? "email" : NULL;
    field_input(r, name, label, value, errors, type, hint, required, ac);
}

void field_input(req_t *r, const char *name, const char *label, const char *value, json_t *errors, const char *type,
                 const char *hint, bool required, const char *autocomplete) {
    const char *err = error_text(errors, name);
    field_head(r, name, label, err, hint, required);
    bprintf(&r->out, "<input id=\"f-%h\" name=\"%h\" type=\"%h\" value=\"%h\"%s", name, name, type ? type : "text",
            value ? value : "", required ? " required" : "");
    if (autocomplete) bprintf(&r->out, " autocomplete=\"%h\"", autocomplete);
    described(r, name, err, hint);
    buf_puts(&r->out, "></div>\n");
}

void field_textarea(req_t *r, const char *name, const char *label, const char *value, json_t *errors, const char *hint) {
    const char *err = error_text(errors, name);
    field_head(r, name, label, err, hint, false);
    bprintf(&r->out, "<textarea id=\"f-%h\" name=\"%h\" rows=\"4\"", name, name);
    described(r, name, err, hint);
    bprintf(&r->out, ">%h</textarea></div>\n", value ? value : "");
}

void field_select(req_t *r, const char *name, const char *label, const option_t *opts, int n, const char *value,
                  json_t *errors, bool allow_empty) {
    const char *err = error_text(errors, name);
    field_head(r, name, label, err, NULL, !allow_empty);
    bprintf(&r->out, "<select id=\"f-%h\" name=\"%h\"", name, name);
    described(r, name, err, NULL);
    buf_puts(&r->out, ">");
    if (allow_empty) bprintf(&r->out, "<option value=\"\">%h</option>", T(r, "– choose –"));
    for (int i = 0; i < n; i++)
        bprintf(&r->out, "<option value=\"%h\"%s>%h</option>", opts[i].value,
                streq(value, opts[i].value) ? " selected" : "", opts[i].label);
    buf_puts(&r->out, "</select></div>\n");
}

void field_checks(req_t *r, const char *name, const char *legend, const option_t *opts, int n,
                  const char *const *checked, int nchecked, json_t *errors) {
    const char *err = error_text(errors, name);
    remember_label(r, name, legend);
    bprintf(&r->out, "<fieldset class=\"checks%s\" id=\"f-%h\"><legend>%h</legend>", err ? " invalid" : "", name, legend);
    if (err) bprintf(&r->out, "<p class=\"field-error\" id=\"e-%h\">%h</p>", name, err);
    for (int i = 0; i < n; i++) {
        bool on = false;
        for (int k = 0; k < nchecked; k++) if (streq(checked[k], opts[i].value)) on = true;
        bprintf(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"%h\" value=\"%h\"%s> %h</label>", name,
                opts[i].value, on ? " checked" : "", opts[i].label);
    }
    buf_puts(&r->out, "</fieldset>\n");
}

void html_pager(req_t *r, long long total, int page, int per_page) {
    long long pages = (total + per_page - 1) / per_page;
    if (pages <= 1) return;
    buf_t q;
    buf_init(&q, r->arena);
    for (int i = 0; i < r->query.n; i++)
        if (strcmp(r->query.items[i].name, "page"))
            bprintf(&q, "%U=%U&", r->query.items[i].name, r->query.items[i].value);
    bprintf(&r->out, "<nav class=\"pager\" aria-label=\"%h\"><ul>", T(r, "Pages"));
    if (page > 1)
        bprintf(&r->out, "<li><a href=\"%h?%hpage=%d\" rel=\"prev\">%h</a></li>", r->path, q.data, page - 1, T(r, "Previous"));
    bprintf(&r->out, "<li><span>%h</span></li>",
            aprintf_text(r->arena, "%s %d / %lld", T(r, "Page"), page, pages));
    if (page < pages)
        bprintf(&r->out, "<li><a href=\"%h?%hpage=%d\" rel=\"next\">%h</a></li>", r->path, q.data, page + 1, T(r, "Next"));
    buf_puts(&r->out, "</ul></nav>\n");
}

/* in_list: whether v is one of the comma-separated values of list */
static bool in_list(const char *list, const char *v) {
    size_t l = strlen(v);
    for (const char *p = list; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == l && !strncmp(p, v, n)) return true;
        p = e ? e + 1 : p + n;
    }
    return false;
}

/* facet_value: the value a facet entry submits ("SE-1780" municipalities submit the code alone) */
static const char *facet_value(const char *key, const char *v) {
    return !strcmp(key, "municipality") && strlen(v) > 3 && v[2] == '-' ? v + 3 : v;
}

void html_facet(req_t *r, json_t *facets, const char *key, const char *legend, const char *current) {
    json_t *items = json_object_get(facets, key);
    if (!json_array_size(items)) return;
    bprintf(&r->out, "<fieldset class=\"facet\"><legend>%h</legend><ul>", legend);
    size_t i;
    json_t *x;
    json_array_foreach(items, i, x) {
        const char *val = facet_value(key, json_string_value(json_object_get(x, "value")));
        bool on = in_list(current, val);
        if (i >= 30 && !on) continue;   /* the thirty largest, and every chosen one */
        bprintf(&r->out, "<li><label><input type=\"checkbox\" name=\"%h\" value=\"%h\"%s> %h <span class=\"count\">%lld</span></label></li>",
                key, val, on ? " checked" : "", json_string_value(json_object_get(x, "label")),
                (long long)json_integer_value(json_object_get(x, "count")));
    }
    buf_puts(&r->out, "</ul></fieldset>\n");
}

const char *html_query_without(req_t *r, const char *name, const char *value) {
    buf_t q;
    buf_init(&q, r->arena);
    buf_puts(&q, "");
    for (int i = 0; i < r->query.n; i++) {
        const char *n = r->query.items[i].name, *v = r->query.items[i].value;
        if (!strcmp(n, "page") || !v || !*v || (name && !strcmp(n, name) && !value)) continue;
        if (!strchr(v, ',') && !(name && !strcmp(n, name) && !strcmp(v, value))) {
            bprintf_text(&q, "%s%U=%U", q.len ? "&" : "", n, v);
            continue;
        }
        /* a list: each of its values as a parameter of its own, the dropped one left out */
        for (const char *p = v; *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            const char *one = arena_strndup(r->arena, p, len);
            p = e ? e + 1 : p + len;
            if (!*one || (name && !strcmp(n, name) && !strcmp(one, value))) continue;
            bprintf_text(&q, "%s%U=%U", q.len ? "&" : "", n, one);
        }
    }
    return q.data;
}

int html_facet_chips(req_t *r, json_t *facets, const char *const *keys) {
    int shown = 0;
    for (int k = 0; keys[k]; k++) {
        const char **vals;
        int nv = req_query_all(r, keys[k], &vals);
        for (int i = 0; i < nv; i++)
            for (const char *p = vals[i]; p && *p;) {
                const char *e = strchr(p, ',');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                const char *v = arena_strndup(r->arena, p, len);
                p = e ? e + 1 : p + len;
                if (!*v) continue;
                const char *label = v;
                size_t j;
                json_t *x;
                json_array_foreach(json_object_get(facets, keys[k]), j, x)
                    if (!strcmp(facet_value(keys[k], json_string_value(json_object_get(x, "value"))), v)) label = json_string_value(json_object_get(x, "label"));
                if (!shown++) bprintf(&r->out, "<ul class=\"chips\" aria-label=\"%h\">", T(r, "Active filters"));
                const char *qs = html_query_without(r, keys[k], v);
                bprintf(&r->out, "<li><a href=\"%h%s%h\" aria-label=\"%h\">%h <span aria-hidden=\"true\">×</span></a></li>", r->path, *qs ? "?" : "", qs,
                        aprintf_text(r->arena, T(r, "Remove the filter %s"), label), label);
            }
    }
    if (shown) buf_puts(&r->out, "</ul>");
    return shown;
}

void facets_open(req_t *r, int chosen) {
    bprintf(&r->out, "<details class=\"facets\"%s><summary>%h</summary>", chosen ? " open" : "",
            chosen ? aprintf(r->arena, TN(r, "Filters (%d chosen)", "Filters (%d chosen)", chosen), chosen) : T(r, "Filters"));
}

void facets_close(req_t *r) {
    /* no facet had a value (a search that finds nothing): no empty box, the details go */
    static const char open_tag[] = "<details class=\"facets\"", end[] = "</summary>";
    buf_t *b = &r->out;
    size_t ne = sizeof end - 1;
    if (b->len >= ne && !memcmp(b->data + b->len - ne, end, ne)) {
        const char *last = NULL;
        for (const char *p = strstr(b->data, open_tag); p; p = strstr(p + 1, open_tag)) last = p;
        if (last) {
            b->len = (size_t)(last - b->data);
            b->data[b->len] = 0;
            return;
        }
    }
    buf_puts(b, "</details>\n");
}

void field_municipality(req_t *r, const char *country, const char *value, json_t *errors, bool required) {
    const char *err = error_text(errors, "municipality");
    form_label(r, "municipality", T(r, "Municipality"));
    bprintf(&r->out, "<div class=\"field%s\"><label for=\"f-municipality\">%h", err ? " invalid" : "", T(r, "Municipality"));
    if (required) bprintf(&r->out, " <span class=\"req\">(%h)</span>", T(r, "required"));
    buf_puts(&r->out, "</label>");
    if (err) bprintf(&r->out, "<p class=\"field-error\" id=\"e-municipality\">%h</p>", err);
    bprintf(&r->out, "<select id=\"f-municipality\" name=\"municipality\"%s><option value=\"\">%h</option>",
            err ? " aria-invalid=\"true\" aria-describedby=\"e-municipality\"" : "",
            required ? T(r, "– choose –") : T(r, "– none (online, or not decided) –"));
    int n;
    const municipality_t *m = ref_municipalities(&n);
    const char *group = NULL;
    for (int i = 0; i < n; i++) {
        if (!group || strcmp(group, m[i].county) || (i && strcmp(m[i - 1].country, m[i].country))) {
            if (group) buf_puts(&r->out, "</optgroup>");
            const county_t *c = ref_county(m[i].country, m[i].county);
            bprintf(&r->out, "<optgroup label=\"%h – %h\">", ref_country_name(m[i].country, r->lang), c ? c->name : m[i].county);
            group = m[i].county;
        }
        /* value: code; the country is chosen separately and both are checked together */
        bool sel = streq(value, m[i].code) && streq(country, m[i].country);
        bprintf(&r->out, "<option value=\"%h\" data-country=\"%h\"%s>%h</option>", m[i].code, m[i].country, sel ? " selected" : "", m[i].name);
    }
    buf_puts(&r->out, "</optgroup></select></div>\n");
}

void form_button(req_t *r, const char *action, const char *const (*hidden)[2], int nhidden, const char *cls, const char *label) {
    bprintf(&r->out, "<form method=\"post\" action=\"%h\" class=\"inline\">", action);
    csrf_input(r);
    for (int i = 0; i < nhidden; i++) bprintf(&r->out, "<input type=\"hidden\" name=\"%h\" value=\"%h\">", hidden[i][0], hidden[i][1]);
    bprintf(&r->out, "<button type=\"submit\" class=\"%h\">%h</button></form>", cls, label);
}

/* ---- the type-ahead (issue 12) ---- */
void field_pick(req_t *r, const char *name, const char *label, const char *lookup, const char *text, int64_t id,
                json_t *choices, json_t *errors, const char *hint, bool required) {
    const char *err = error_text(errors, name);
    if (!err && choices && json_array_size(choices) > 1) err = T(r, "Several match: choose one below, or type more of the name.");
    if (!err && choices && !json_array_size(choices) && !str_empty(text)) err = T(r, "Nothing matches this name: try part of the name, or its organisation number.");
    field_head(r, name, label, err, hint, required);
    /* app.js turns this input into an ARIA combobox fed by `lookup` (?q=), and sets <name>_id */
    bprintf(&r->out, "<div class=\"pick\" data-lookup=\"%h\"><input id=\"f-%h\" name=\"%h\" type=\"text\" value=\"%h\" autocomplete=\"off\"%s",
            lookup, name, name, text ? text : "", required ? " required" : "");
    described(r, name, err, hint);
    buf_puts(&r->out, ">");
    bool pick = choices && json_array_size(choices) > 1;
    /* the chosen id; when the choices are shown they carry the name themselves (the first field of a name is the one read) */
    if (!pick) bprintf(&r->out, "<input type=\"hidden\" name=\"%h_id\" value=\"%s\">", name, id > 0 ? aprintf(r->arena, "%lld", (long long)id) : "");
    buf_puts(&r->out, "</div>");
    if (pick) {
        /* the pick step without JavaScript: the matches as choices; the form goes on with the chosen id */
        bprintf(&r->out, "<fieldset class=\"checks choices\"><legend>%h</legend>", T(r, "Which one do you mean?"));
        size_t i;
        json_t *c;
        json_array_foreach(choices, i, c) {
            long long cid = (long long)json_integer_value(json_object_get(c, "id"));
            bprintf(&r->out, "<label><input type=\"radio\" name=\"%h_id\" value=\"%lld\"%s> %h <span class=\"small\">%h</span></label>", name, cid,
                    i == 0 ? " required" : "", json_string_value(json_object_get(c, "name")), json_string_value(json_object_get(c, "label")));
        }
        buf_puts(&r->out, "</fieldset>");
    }
    buf_puts(&r->out, "</div>\n");
}

void field_pick_names(req_t *r, const char *name, const char *label, const char *lookup, const char *text, json_t *errors,
                      const char *hint, bool required) {
    const char *err = error_text(errors, name);
    field_head(r, name, label, err, hint, required);
    bprintf(&r->out, "<div class=\"pick\" data-lookup=\"%h\" data-multiple=\"1\"><input id=\"f-%h\" name=\"%h\" type=\"text\" value=\"%h\" autocomplete=\"off\"%s",
            lookup, name, name, text ? text : "", required ? " required" : "");
    described(r, name, err, hint);
    buf_puts(&r->out, "></div></div>\n");
}

void html_lang_note(req_t *r, const char *lang) {
    if (!lang || streq(lang, r->lang)) return;
    const char *n = streq(lang, "nb") ? T(r, "in Norwegian") : streq(lang, "en") ? T(r, "in English") : T(r, "in Swedish");
    bprintf(&r->out, " <span class=\"lang-note\" lang=\"%h\">(%h)</span>", r->lang, n);
}

const char *html_lang_attr(req_t *r, const char *lang) {
    return !lang || streq(lang, r->lang) ? "" : aprintf(r->arena, " lang=\"%h\"", lang);
}
