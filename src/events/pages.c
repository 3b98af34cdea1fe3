/* Event pages: the calendar (list, month, week, past), the coordination board, the event page with
 * clashes, registration, invitations and participants (a held event: its report and action plan
 * instead of registration), the form with its date check, and the notifications. The held event's
 * report is read through roundtables/roundtables.h: a page-level use (roundtables/ builds on the
 * events' model, not on these pages). */
#include <stdlib.h>
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "events/dates.h"
#include "events/events.h"
#include "html/html.h"
#include "http/api.h"
#include "http/csrf.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "org/match.h"
#include "org/org.h"
#include "projects/projects.h"
#include "ref/ref.h"
#include "roundtables/roundtables.h"


static const char *const month_names[3][12] = {
    {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
    {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
    {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
};
static const char *const day_names[3][7] = {
    {"mån", "tis", "ons", "tor", "fre", "lör", "sön"},
    {"man", "tir", "ons", "tor", "fre", "lør", "søn"},
    {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"},
};
static int li(req_t *r) { return r->lang[0] == 'n' ? 1 : r->lang[0] == 'e' ? 2 : 0; }

static void invite_form(req_t *r, int64_t id, json_t *choices); /* issue 12 */
static const char *month_title(req_t *r, int y, int m) {
    const char *n = month_names[li(r)][m - 1];
    return aprintf_text(r->arena, "%c%s %d", li(r) == 2 ? n[0] : n[0] - 32, n + 1, y);
}

static const char *muni_name(const char *country, const char *code) {
    const municipality_t *m = ref_municipality(country, code);
    return m ? m->name : NULL;
}

/* when: "10 March 2027 09:00–17:00" or across days, in the event's zone */
static const char *when(req_t *r, time_t st, time_t en) {
    struct tm a, l, b;
    localtime_r(&st, &a);
    time_t last = en - 1;
    localtime_r(&last, &l);
    localtime_r(&en, &b);
    if (a.tm_year == l.tm_year && a.tm_yday == l.tm_yday)
        return aprintf_text(r->arena, "%s–%02d:%02d", fmt_datetime(r->arena, r->lang, st), b.tm_hour, b.tm_min);
    return aprintf_text(r->arena, "%s – %s", fmt_datetime(r->arena, r->lang, st), fmt_datetime(r->arena, r->lang, en));
}

static void status_badge(req_t *r, const char *status) {
    bprintf(&r->out, "<span class=\"status status-%h\">%h</span>", status, event_status_label(status, r->lang));
}


/* event_is_held: a past event that was not cancelled has been held */
static bool event_is_held(const char *status, time_t end) { return !streq(status, "cancelled") && end <= now_unix(); }

static void held_badge(req_t *r) { bprintf(&r->out, "<span class=\"status status-held\">%h</span>", T(r, "Held")); }

/* clashes_of: for each of the n rows (at most the first 200), whether it has a possible clash
 * (the event page's coordination check); held and cancelled events are not checked */
static bool *clashes_of(req_t *r, db_t *db, const event_row_t *rows, int n) {
    bool *c = arena_alloc(r->arena, sizeof(bool) * (size_t)(n + 1));
    for (int k = 0; k < n; k++) {
        c[k] = false;
        if (k >= 200 || streq(rows[k].status, "cancelled") || rows[k].end <= now_unix()) continue;
        json_t *w = event_warnings_of(db, rows[k].id, r->lang);
        size_t i;
        json_t *x;
        json_array_foreach(w, i, x) if (streq(jstr(x, "kind"), "clash")) c[k] = true;
        json_decref(w);
    }
    return c;
}

static void clash_badge(req_t *r) { bprintf(&r->out, " <span class=\"clash-badge\">%h</span>", T(r, "Possible clash")); }

static void event_card_marked(req_t *r, const event_row_t *e, bool clash);
static void event_card(req_t *r, const event_row_t *e) { event_card_marked(r, e, false); }

static void event_card_marked(req_t *r, const event_row_t *e, bool clash) {
    bprintf(&r->out, "<li class=\"card event-card status-%h\"><h3><a href=\"/events/%lld\"", e->status, (long long)e->id);
    if (strcmp(e->title_lang, r->lang)) bprintf(&r->out, " lang=\"%h\"", e->title_lang);
    char iso[32];
    utc_string(e->start, iso, sizeof iso);
    bprintf(&r->out, ">%h</a>", e->title);
    html_lang_note(r, e->title_lang);
    bprintf(&r->out, "</h3><p class=\"meta\"><time datetime=\"%h\">%h</time></p><p class=\"meta\">", iso, when(r, e->start, e->end));
    if (event_is_held(e->status, e->end)) held_badge(r);
    else status_badge(r, e->status);
    bprintf(&r->out, " <span class=\"country country-%h\">%h</span>", e->country, ref_country_name(e->country, r->lang));
    const char *mn = muni_name(e->country, e->municipality);
    if (mn) bprintf(&r->out, " · %h", mn);
    if (e->online_url) bprintf(&r->out, " · %h", T(r, "Online"));
    if (e->demo && event_demo_fictional(db_get(), e->id)) bprintf(&r->out, " · <span class=\"demo\">%h</span>", T(r, "Demo"));
    if (clash) clash_badge(r);
    buf_puts(&r->out, "</p></li>\n");
}

/* query_keep: the filter part of the query string, for links that change the view */
static const char *filters_qs(req_t *r) {
    static const char *const keys[] = {"country", "county", "theme", "audience", "status", "org", NULL};
    buf_t b;
    buf_init(&b, r->arena);
    for (int i = 0; keys[i]; i++) {
        const char *v = req_query(r, keys[i]);
        if (v && *v) bprintf_text(&b, "&%s=%U", keys[i], v);
    }
    return b.data;
}

static void select_field(req_t *r, const char *name, const char *label, const option_t *o, int n, const char *cur) {
    bprintf(&r->out, "<div class=\"field\"><label for=\"f-%h\">%h</label><select id=\"f-%h\" name=\"%h\"><option value=\"\">%h</option>",
            name, label, name, name, T(r, "Any"));
    for (int i = 0; i < n; i++)
        bprintf(&r->out, "<option value=\"%h\"%s>%h</option>", o[i].value, streq(cur, o[i].value) ? " selected" : "", o[i].label);
    buf_puts(&r->out, "</select></div>\n");
}

static void filter_form(req_t *r, const char *action, const char *view, const event_filter_t *f) {
    db_t *db = db_get();
    bprintf(&r->out, "<form class=\"filters event-filters\" method=\"get\" action=\"%h\" role=\"search\" aria-label=\"%h\">", action,
            T(r, "Filter the calendar"));
    if (view) bprintf(&r->out, "<input type=\"hidden\" name=\"view\" value=\"%h\">", view);
    const char *mo = req_query(r, "month");
    if (mo && *mo) bprintf(&r->out, "<input type=\"hidden\" name=\"month\" value=\"%h\">", mo);
    facets_open(r, !!f->country + !!f->county + !!f->theme + !!f->audience + !!f->status);
    option_t countries[2] = {{"SE", ref_country_name("SE", r->lang)}, {"NO", ref_country_name("NO", r->lang)}};
    select_field(r, "country", T(r, "Country"), countries, 2, f->country);
    int nc;
    const county_t *cs = ref_counties(&nc);
    option_t *co = arena_alloc(r->arena, sizeof(option_t) * (size_t)(nc + 1));
    int k = 0;
    for (int i = 0; i < nc; i++) {
        if (!strcmp(cs[i].code, "99")) continue;
        co[k++] = (option_t){aprintf_text(r->arena, "%s-%s", cs[i].country, cs[i].code),
                             aprintf_text(r->arena, "%s (%s)", cs[i].name, ref_country_name(cs[i].country, r->lang))};
    }
    select_field(r, "county", T(r, "County"), co, k, f->county);
    int nt;
    theme_t *th = ref_themes(db, r->arena, r->lang, &nt);
    option_t *to = arena_alloc(r->arena, sizeof(option_t) * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++) to[i] = (option_t){th[i].slug, th[i].name};
    select_field(r, "theme", T(r, "Key area"), to, nt, f->theme);
    option_t au[6];
    for (int i = 0; i < 6; i++) au[i] = (option_t){event_audiences[i], event_audience_label(event_audiences[i], r->lang)};
    select_field(r, "audience", T(r, "Audience"), au, 6, f->audience);
    option_t st[5];
    for (int i = 0; i < 4; i++) st[i] = (option_t){event_statuses[i], event_status_label(event_statuses[i], r->lang)};
    st[4] = (option_t){"all", T(r, "All, also cancelled")};
    select_field(r, "status", T(r, "Status"), st, 5, f->status);
    facets_close(r);
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button> <a href=\"%h\">%h</a></p></form>\n", T(r, "Show"), action,
            T(r, "Clear filters"));
}

static void holidays_line(req_t *r, int y, int m, int d) {
    holiday_t h[4];
    int n = holidays_on(y, m, d, h, 4);
    for (int i = 0; i < n; i++)
        bprintf(&r->out, "<span class=\"holiday country-%h\" lang=\"%s\">%h</span>", h[i].country, streq(h[i].country, "NO") ? "nb" : "sv",
                h[i].name);
}

static time_t local_midnight(int y, int m, int d) {
    time_t t = 0;
    char s[64];
    snprintf(s, sizeof s, "%04d-%02d-%02dT00:00", y, m, d);
    local_to_utc(s, "Europe/Stockholm", &t);
    return t;
}

/* ---- the calendar ---- */
void event_calendar_page(req_t *r) {
    db_t *db = db_get();
    event_filter_t f;
    const char *bad = event_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    const char *view = req_query(r, "view");
    if (!view || (strcmp(view, "month") && strcmp(view, "week") && strcmp(view, "past"))) view = "list";
    time_t now = now_unix();
    struct tm tn;
    localtime_r(&now, &tn);
    int y = tn.tm_year + 1900, m = tn.tm_mon + 1, d = tn.tm_mday;
    const char *mo = req_query(r, "month"), *wk = req_query(r, "date");
    if (mo && *mo) {
        long long yy, mm;
        if (strlen(mo) != 7 || mo[4] != '-' || !parse_int(aprintf_text(r->arena, "%.4s", mo), 2000, 2100, &yy) || !parse_int(mo + 5, 1, 12, &mm)) {
            resp_error(r, 400, "bad-filter", T(r, "The month is written YYYY-MM."));
            return;
        }
        y = (int)yy, m = (int)mm, d = 1;
    }
    if (wk && *wk) {
        long long yy, mm, dd;
        if (strlen(wk) != 10 || wk[4] != '-' || wk[7] != '-' || !parse_int(aprintf_text(r->arena, "%.4s", wk), 2000, 2100, &yy) ||
            !parse_int(aprintf_text(r->arena, "%.2s", wk + 5), 1, 12, &mm) || !parse_int(wk + 8, 1, 31, &dd) || !date_valid_ymd((int)yy, (int)mm, (int)dd)) {
            resp_error(r, 400, "bad-filter", T(r, "The date is written YYYY-MM-DD."));
            return;
        }
        y = (int)yy, m = (int)mm, d = (int)dd;
    }
    page_begin(r, T(r, "Calendar"));
    bprintf(&r->out, "<h1>%h</h1><p class=\"lead\">%h</p>\n", T(r, "Calendar"),
            T(r, "Activities on both sides of the border, from the first idea on: plan together instead of at the same time."));
    bprintf(&r->out, "<ul class=\"actions\"><li><a href=\"/events/board\">%h</a></li>", T(r, "The coordination board"));
    if (r->user) bprintf(&r->out, "<li><a class=\"button\" href=\"/events/new\">%h</a></li><li><a href=\"/events/import\">%h</a></li>",
                         T(r, "Add event"), T(r, "Import a calendar"));
    const char *fq = filters_qs(r);
    bprintf(&r->out, "<li><a href=\"/calendar.ics?%h\" type=\"text/calendar\">%h</a></li><li><a href=\"/events.atom?%h\" type=\"application/atom+xml\">%h</a></li></ul>\n",
            fq[0] ? fq + 1 : "", T(r, "Subscribe (iCalendar)"), fq[0] ? fq + 1 : "", T(r, "News feed (Atom)"));
    notify_follow_theme(r);   /* notify: the key area filtered on */
    bprintf(&r->out, "<nav class=\"views\" aria-label=\"%h\"><ul>", T(r, "Calendar views"));
    static const char *const views[4][2] = {{"list", N_("List")}, {"month", N_("Month")}, {"week", N_("Week")}, {"past", N_("Past events")}};
    for (int i = 0; i < 4; i++)
        bprintf(&r->out, "<li><a href=\"/events?view=%h%h\"%s>%h</a></li>", views[i][0], fq,
                streq(view, views[i][0]) ? " aria-current=\"page\"" : "", T(r, views[i][1]));
    buf_puts(&r->out, "</ul></nav>\n<div class=\"directory\">");
    filter_form(r, "/events", view, &f);
    buf_puts(&r->out, "<section class=\"results\">");
    /* the projects' application deadlines of the coming year (projects/: a page reads its list) */
    if (!strcmp(view, "list")) proj_deadlines_html(r);
    if (!strcmp(view, "month")) {
        f.from = local_midnight(y, m, 1);
        int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1, py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1;
        f.to = local_midnight(ny, nm, 1);
        event_row_t *rows;
        int n = event_list(db, r->arena, &f, r->lang, &rows);
        bool *cl = clashes_of(r, db, rows, n);
        bprintf(&r->out, "<nav class=\"pager\" aria-label=\"%h\"><ul><li><a href=\"/events?view=month&amp;month=%04d-%02d%h\" rel=\"prev\">%h</a></li>"
                         "<li><span>%h</span></li><li><a href=\"/events?view=month&amp;month=%04d-%02d%h\" rel=\"next\">%h</a></li></ul></nav>",
                T(r, "Months"), py, pm, fq, T(r, "Previous month"), month_title(r, y, m), ny, nm, fq, T(r, "Next month"));
        bprintf(&r->out, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" aria-label=\"%h\"><table class=\"month\"><caption>%h</caption><thead><tr>",
                month_title(r, y, m), month_title(r, y, m));
        for (int i = 0; i < 7; i++) bprintf(&r->out, "<th scope=\"col\">%h</th>", day_names[li(r)][i]);
        buf_puts(&r->out, "</tr></thead><tbody><tr>");
        int first = weekday(y, m, 1), dim = days_in_month(y, m);
        for (int i = 0; i < first; i++) buf_puts(&r->out, "<td class=\"empty\"></td>");
        for (int day = 1; day <= dim; day++) {
            int col = (first + day - 1) % 7;
            if (col == 0 && day > 1) buf_puts(&r->out, "</tr><tr>");
            bool today = y == tn.tm_year + 1900 && m == tn.tm_mon + 1 && day == tn.tm_mday;
            bprintf(&r->out, "<td%s><span class=\"day\"><span class=\"wd\">%h </span>%d</span>", today ? " class=\"today\" aria-current=\"date\"" : "",
                    day_names[li(r)][col], day);
            holidays_line(r, y, m, day);
            time_t ds = local_midnight(y, m, day), de = day == dim ? f.to : local_midnight(y, m, day + 1);
            bool any = false;
            for (int k = 0; k < n; k++) {
                if (rows[k].start >= de || rows[k].end <= ds) continue;
                if (!any) buf_puts(&r->out, "<ul>");
                any = true;
                bprintf(&r->out, "<li class=\"status-%h country-%h\"><a href=\"/events/%lld\"%s>%h</a>", rows[k].status, rows[k].country,
                        (long long)rows[k].id, streq(rows[k].title_lang, r->lang) ? "" : aprintf(r->arena, " lang=\"%h\"", rows[k].title_lang), rows[k].title);
                if (cl[k]) clash_badge(r);
                buf_puts(&r->out, "</li>");
            }
            if (any) buf_puts(&r->out, "</ul>");
            buf_puts(&r->out, "</td>");
        }
        for (int col = (first + dim) % 7; col && col < 7; col++) buf_puts(&r->out, "<td class=\"empty\"></td>");
        buf_puts(&r->out, "</tr></tbody></table></div>");
    } else if (!strcmp(view, "week")) {
        int wd = weekday(y, m, d);
        int sy = y, sm = m, sd = d;
        for (int i = 0; i < wd; i++) { if (--sd < 1) { if (--sm < 1) { sm = 12; sy--; } sd = days_in_month(sy, sm); } }
        f.from = local_midnight(sy, sm, sd);
        f.to = f.from + 8 * 86400;
        event_row_t *rows;
        int n = event_list(db, r->arena, &f, r->lang, &rows);
        bool *cl = clashes_of(r, db, rows, n);
        struct tm pw, nw;
        time_t prev = f.from - 3 * 86400, next = f.from + 9 * 86400;
        localtime_r(&prev, &pw);
        localtime_r(&next, &nw);
        bprintf(&r->out, "<nav class=\"pager\" aria-label=\"%h\"><ul><li><a href=\"/events?view=week&amp;date=%04d-%02d-%02d%h\" rel=\"prev\">%h</a></li>"
                         "<li><a href=\"/events?view=week&amp;date=%04d-%02d-%02d%h\" rel=\"next\">%h</a></li></ul></nav>",
                T(r, "Weeks"), pw.tm_year + 1900, pw.tm_mon + 1, pw.tm_mday, fq, T(r, "Previous week"), nw.tm_year + 1900, nw.tm_mon + 1,
                nw.tm_mday, fq, T(r, "Next week"));
        int cy = sy, cm = sm, cd = sd;
        for (int i = 0; i < 7; i++) {
            time_t ds = local_midnight(cy, cm, cd);
            int ny = cy, nm = cm, nd = cd + 1;
            if (nd > days_in_month(cy, cm)) { nd = 1; if (++nm > 12) { nm = 1; ny++; } }
            time_t de = local_midnight(ny, nm, nd);
            bprintf(&r->out, "<section class=\"week-day\"><h2>%h %h</h2>", day_names[li(r)][i], fmt_date(r->arena, r->lang, ds + 43200));
            holidays_line(r, cy, cm, cd);
            bool any = false;
            for (int k = 0; k < n; k++) {
                if (rows[k].start >= de || rows[k].end <= ds) continue;
                if (!any) buf_puts(&r->out, "<ul class=\"cards\">");
                any = true;
                event_card_marked(r, &rows[k], cl[k]);
            }
            if (any) buf_puts(&r->out, "</ul>");
            else bprintf(&r->out, "<p class=\"small\">%h</p>", T(r, "Nothing planned."));
            buf_puts(&r->out, "</section>");
            cy = ny, cm = nm, cd = nd;
        }
    } else if (!strcmp(view, "past")) {
        /* held events, the latest first */
        f.from = 0;
        f.to = now;
        f.limit = 500;
        event_row_t *rows;
        int n = event_list(db, r->arena, &f, r->lang, &rows), shown = 0;
        for (int k = 0; k < n; k++) shown += rows[k].end <= now;
        bprintf(&r->out, "<h2>%h</h2><p class=\"total\">%h</p>", T(r, "Past events"),
                aprintf(r->arena, TN(r, "%d event held", "%d events held", shown), shown));
        int cur = -1;
        for (int k = n - 1; k >= 0; k--) {
            if (rows[k].end > now) continue;
            struct tm t;
            localtime_r(&rows[k].start, &t);
            if (t.tm_year != cur) {
                if (cur >= 0) buf_puts(&r->out, "</ul>");
                bprintf(&r->out, "<h3>%d</h3><ul class=\"cards\">", t.tm_year + 1900);
                cur = t.tm_year;
            }
            event_card(r, &rows[k]);
        }
        if (cur >= 0) buf_puts(&r->out, "</ul>");
        if (!shown) bprintf(&r->out, "<p>%h</p>", T(r, "No event matches. Try fewer filters."));
    } else {
        f.from = mo && *mo ? local_midnight(y, m, 1) : now - 86400;
        f.to = f.from + 366L * 86400;
        event_row_t *rows;
        int n = event_list(db, r->arena, &f, r->lang, &rows);
        bool *cl = clashes_of(r, db, rows, n);
        bprintf(&r->out, "<p class=\"total\">%h</p>", aprintf(r->arena, TN(r, "%d event", "%d events", n), n));
        int cur = -1;
        for (int k = 0; k < n; k++) {
            struct tm t;
            time_t s0 = rows[k].start < f.from ? f.from : rows[k].start;
            localtime_r(&s0, &t);
            int key = (t.tm_year + 1900) * 12 + t.tm_mon;
            if (key != cur) {
                if (cur >= 0) buf_puts(&r->out, "</ul>");
                bprintf(&r->out, "<h2>%h</h2><ul class=\"cards\">", month_title(r, t.tm_year + 1900, t.tm_mon + 1));
                cur = key;
            }
            event_card_marked(r, &rows[k], cl[k]);
        }
        if (cur >= 0) buf_puts(&r->out, "</ul>");
        if (!n) bprintf(&r->out, "<p>%h</p>", T(r, "No event matches. Try fewer filters."));
    }
    buf_puts(&r->out, "</section></div>\n");
    page_end(r);
}

/* ---- the coordination board ---- */
/* shared_themes: the key areas (slugs, comma-separated in each row) that events on both sides
 * of the week have in common, as names for the page */
static const char *shared_themes(req_t *r, db_t *db, event_row_t *se, int nse, event_row_t *no, int nno) {
    buf_t b;
    buf_init(&b, r->arena);
    int found = 0;
    for (int i = 0; i < nse; i++) {
        const char *t = se[i].themes;
        while (t && *t) {
            const char *e = strchr(t, ',');
            size_t n = e ? (size_t)(e - t) : strlen(t);
            char *slug = arena_strndup(r->arena, t, n);
            bool both = false;
            for (int k = 0; k < nno && !both; k++) {
                const char *u = no[k].themes;
                size_t m = strlen(slug);
                while (u && *u && !both) {
                    const char *f = strchr(u, ',');
                    size_t l = f ? (size_t)(f - u) : strlen(u);
                    if (l == m && !memcmp(u, slug, m)) both = true;
                    u = f ? f + 1 : NULL;
                }
            }
            if (both && !strstr(b.data ? b.data : "", ref_theme_name(db, r->arena, slug, r->lang)))
                bprintf_text(&b, "%s%s", found++ ? ", " : "", ref_theme_name(db, r->arena, slug, r->lang));
            t = e ? e + 1 : NULL;
        }
    }
    return found ? b.data : NULL;
}

void event_board_page(req_t *r) {
    db_t *db = db_get();
    event_filter_t f;
    const char *bad = event_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    page_lead(r, T(r, "The coordination board"),
              T(r, "What is planned in Sweden and in Norway in the coming six months, week by week and side by side: ideas too, so that nobody plans the same thing at the same time."));
    bprintf(&r->out, "<ul class=\"actions\"><li><a href=\"/events\">%h</a></li>", T(r, "Calendar"));
    if (r->user) bprintf(&r->out, "<li><a class=\"button\" href=\"/events/new\">%h</a></li>", T(r, "Add event"));
    buf_puts(&r->out, "</ul>");
    /* from the Monday of this week, 26 weeks; each week one row shared by both countries */
    time_t now = now_unix();
    struct tm tn;
    localtime_r(&now, &tn);
    int wd = weekday(tn.tm_year + 1900, tn.tm_mon + 1, tn.tm_mday);
    time_t monday = local_midnight(tn.tm_year + 1900, tn.tm_mon + 1, tn.tm_mday) - (time_t)wd * 86400 + 7200; /* +2 h: never across a DST change */
    f.from = now;
    f.to = monday + 26L * 7 * 86400;
    const char *cc[2] = {"SE", "NO"};
    event_row_t *rows[2];
    int n[2];
    bool *cl[2];
    for (int i = 0; i < 2; i++) {
        event_filter_t g = f;
        g.country = cc[i];
        n[i] = event_list(db, r->arena, &g, r->lang, &rows[i]);
        cl[i] = clashes_of(r, db, rows[i], n[i]);
    }
    bprintf(&r->out, "<p class=\"board-legend\"><span class=\"clash-badge\">%h</span> %h <span class=\"shared-theme\">%h</span> %h</p>",
            T(r, "Possible clash"), T(r, "the same key area, place or audience at the same time;"), T(r, "Both sides"),
            T(r, "a key area with events in both countries that week: a chance to plan together."));
    bprintf(&r->out, "<div class=\"board-weeks\"><div class=\"board-head\" aria-hidden=\"true\"><span class=\"country country-SE\">%h</span>"
                     "<span class=\"country country-NO\">%h</span></div>", ref_country_name("SE", r->lang), ref_country_name("NO", r->lang));
    int shown = 0;
    for (int w = 0; w < 26; w++) {
        time_t ws = monday + (time_t)w * 7 * 86400;
        struct tm a, b;
        localtime_r(&ws, &a);
        ws = local_midnight(a.tm_year + 1900, a.tm_mon + 1, a.tm_mday);
        time_t wnext = monday + (time_t)(w + 1) * 7 * 86400;
        localtime_r(&wnext, &b);
        time_t we = local_midnight(b.tm_year + 1900, b.tm_mon + 1, b.tm_mday);
        event_row_t *in[2];
        bool *inc[2];
        int k[2] = {0, 0};
        bool clash = false;
        for (int i = 0; i < 2; i++) {
            in[i] = arena_alloc(r->arena, sizeof(event_row_t) * (size_t)(n[i] + 1));
            inc[i] = arena_alloc(r->arena, sizeof(bool) * (size_t)(n[i] + 1));
            for (int j = 0; j < n[i]; j++) {
                time_t st = rows[i][j].start < f.from ? f.from : rows[i][j].start;
                time_t en = rows[i][j].end > st ? rows[i][j].end : st + 1;
                if (st >= we || en <= ws) continue; /* an event belongs to every week it runs in (from now on) */
                inc[i][k[i]] = cl[i][j];
                clash |= cl[i][j];
                in[i][k[i]++] = rows[i][j];
            }
        }
        if (!k[0] && !k[1]) continue;
        shown++;
        char wk[8];
        strftime(wk, sizeof wk, "%V", &a);
        const char *both = shared_themes(r, db, in[0], k[0], in[1], k[1]);
        bprintf(&r->out, "<section class=\"board-week%s%s\" aria-labelledby=\"bw-%d\"><h2 id=\"bw-%d\">%h <span class=\"small\">%h – %h</span></h2>",
                clash ? " has-clash" : "", both ? " has-shared" : "", w, w, aprintf_text(r->arena, T(r, "Week %s"), wk[0] == '0' ? wk + 1 : wk),
                fmt_date(r->arena, r->lang, ws + 43200), fmt_date(r->arena, r->lang, we - 43200));
        if (clash || both) {
            buf_puts(&r->out, "<p class=\"board-marks\">");
            if (clash) clash_badge(r);
            if (both) bprintf(&r->out, " <span class=\"shared-theme\">%h</span>", aprintf_text(r->arena, T(r, "Both sides: %s"), both));
            buf_puts(&r->out, "</p>");
        }
        buf_puts(&r->out, "<div class=\"board-row\">");
        for (int i = 0; i < 2; i++) {
            bprintf(&r->out, "<div class=\"board-cell country-%h\"><h3 class=\"board-country\">%h</h3>", cc[i], ref_country_name(cc[i], r->lang));
            if (!k[i]) bprintf(&r->out, "<p class=\"small\">%h</p>", T(r, "Nothing planned."));
            else {
                buf_puts(&r->out, "<ul class=\"cards\">");
                for (int j = 0; j < k[i]; j++) event_card_marked(r, &in[i][j], inc[i][j]);
                buf_puts(&r->out, "</ul>");
            }
            buf_puts(&r->out, "</div>");
        }
        buf_puts(&r->out, "</div></section>\n");
    }
    if (!shown) bprintf(&r->out, "<p>%h</p>", T(r, "Nothing planned yet."));
    buf_puts(&r->out, "</div>\n");
    page_end(r);
}

/* ---- the event page ---- */
static const char *pick_text(req_t *r, json_t *obj, const char *country, const char **lang) {
    const char *codes[3] = {"sv", "nb", "en"};
    int order[5] = {li(r), streq(country, "NO") ? 1 : 0, 0, 1, 2};
    for (int i = 0; i < 5; i++) {
        const char *t = jstr(obj, codes[order[i]]);
        if (t && *t) { *lang = codes[order[i]]; return t; }
    }
    *lang = r->lang;
    return "";
}

static const char *done_text(req_t *r, const char *k) {
    static const char *const map[][2] = {
        {"created", N_("The event has been added to the calendar.")}, {"saved", N_("Your changes have been saved.")},
        {"unchanged", N_("Nothing was changed.")}, {"cancelled", N_("The event has been cancelled. Everyone registered has been told.")},
        {"registered", N_("You are registered.")}, {"waiting", N_("The event is full: you are on the waiting list.")},
        {"unregistered", N_("Your registration has been cancelled.")}, {"invited", N_("The invitation has been sent.")},
        {"answered", N_("Your answer has been sent to the organisers.")},
        {"invited-nobody", N_("The invitation is saved, but nobody can answer it yet: the organisation has no administrator on Gränslös. Its profile's Contact page has a link to share with them.")},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) if (streq(map[i][0], k)) return T(r, map[i][1]);
    return NULL;
}


/* clash_contacts: the organisers of a clashing event (other), each with "Get in touch" — its
 * Contact form, the subject prefilled — and, for a saved event (id), "Propose co-organising" (an
 * invitation to it); organisations among mine are left out */
static void clash_contacts(req_t *r, db_t *db, int64_t other, const char *title, json_t *mine, int64_t id) {
    json_t *oe = api_own(r, event_load(db, other));
    size_t k;
    json_t *o;
    bool any = false;
    json_array_foreach(json_object_get(oe, "organisers"), k, o) {
        int64_t oid = json_integer_value(o);
        const char *nm = org_name(db, r->arena, oid);
        bool ours = false;
        size_t q;
        json_t *y;
        json_array_foreach(mine, q, y) if (json_integer_value(y) == oid) ours = true;
        if (!nm || ours) continue; /* already organising this one */
        if (!any) buf_puts(&r->out, "<ul class=\"plain contacts-of\">");
        any = true;
        const char *subject = aprintf_text(r->arena, T(r, "Our dates meet: %s"), title ? title : "");
        bprintf(&r->out, "<li>%h: <a href=\"/organisations/%lld/contact?subject=%U\" aria-label=\"%h\">%h</a>", nm, (long long)oid, subject,
                aprintf_text(r->arena, T(r, "Get in touch with %s"), nm), T(r, "Get in touch"));
        if (id) {
            bprintf(&r->out, " · <form method=\"post\" action=\"/events/%lld/invite\" class=\"inline\">", (long long)id);
            csrf_input(r);
            bprintf(&r->out, "<input type=\"hidden\" name=\"organisation\" value=\"%lld\"><button type=\"submit\" class=\"link\" aria-label=\"%h\">%h</button></form>",
                    (long long)oid, aprintf_text(r->arena, T(r, "Propose co-organising to %s"), nm), T(r, "Propose co-organising"));
        }
        buf_puts(&r->out, "</li>");
    }
    if (any) buf_puts(&r->out, "</ul>");
}

static void warnings_section(req_t *r, db_t *db, int64_t id, json_t *w, json_t *mine) {
    bprintf(&r->out, "<section class=\"warnings\" aria-labelledby=\"w-h\"><h2 id=\"w-h\">%h</h2>", T(r, "Coordination"));
    if (!json_array_size(w)) { bprintf(&r->out, "<p>%h</p></section>", T(r, "No clashes and no public holidays found.")); return; }
    buf_puts(&r->out, "<ul class=\"plain\">");
    size_t i;
    json_t *x;
    json_array_foreach(w, i, x) {
        if (streq(jstr(x, "kind"), "holiday")) {
            const char *c = jstr(x, "country");
            bprintf(&r->out, "<li class=\"warn\">%h <span lang=\"%s\">%h</span> (%h, %h)</li>", T(r, "Public holiday:"),
                    streq(c, "NO") ? "nb" : "sv", jstr(x, "name"), ref_country_name(c, r->lang), jstr(x, "date"));
            continue;
        }
        int64_t other = json_integer_value(json_object_get(x, "event"));
        time_t ot;
        const char *ostart = local_to_utc(jstr(x, "start"), "Europe/Stockholm", &ot) ? jstr(x, "start") : fmt_datetime(r->arena, r->lang, ot);
        bprintf(&r->out, "<li class=\"warn\">%h <a href=\"/events/%lld\"%s>%h</a>", T(r, "Possible clash:"), (long long)other,
                MARKUP(html_lang_attr(r, jstr(x, "title_lang"))), jstr(x, "title"));
        html_lang_note(r, jstr(x, "title_lang"));
        bprintf(&r->out, " (%h, %h). ", ostart, ref_country_name(jstr(x, "country"), r->lang));
        size_t k;
        json_t *rs;
        buf_t why;
        buf_init(&why, r->arena);
        json_array_foreach(json_object_get(x, "reasons"), k, rs) {
            const char *t = jstr(rs, "type"), *v = jstr(rs, "value");
            const char *label = streq(t, "theme") ? ref_theme_name(db, r->arena, v, r->lang)
                                : streq(t, "audience") ? event_audience_label(v, r->lang)
                                : streq(t, "region") ? T(r, "the same county") : T(r, "the same border region");
            bprintf_text(&why, "%s%s", k ? ", " : "", label);
        }
        bprintf(&r->out, "%h %h.", T(r, "Shared:"), why.data);
        clash_contacts(r, db, other, jstr(x, "title"), mine, id);
        buf_puts(&r->out, "</li>");
    }
    buf_puts(&r->out, "</ul></section>");
}

/* event_content_lang: the language an event's report and tables are written in: its language
 * when one, else the country's */
static const char *event_content_lang(json_t *e) {
    const char *l = jstr(e, "language");
    if (l && strlen(l) == 2) return l;
    return streq(jstr(e, "country"), "NO") ? "nb" : "sv";
}

/* held_main: a held event's main content: its report (the tables' approved bullets) and the way to
 * its action plan */
static void held_main(req_t *r, db_t *db, json_t *e, int64_t id) {
    report_t rep;
    bool have = rt_report(db, r->arena, id, &rep) && (rep.ntables || rep.nintro);
    const char *rl = event_content_lang(e);
    bprintf(&r->out, "<section class=\"held-report\" aria-labelledby=\"rep-h\"><h2 id=\"rep-h\">%h", T(r, "Report"));
    if (have) html_lang_note(r, rl);
    buf_puts(&r->out, "</h2>");
    if (!have) bprintf(&r->out, "<p>%h</p>", T(r, "No report has been published yet."));
    else {
        bprintf(&r->out, "<div lang=\"%h\">", rl);
        report_html_labelled(&r->out, &rep, T(r, "Host"), streq(rl, r->lang) ? NULL : r->lang);
        buf_puts(&r->out, "</div>");
    }
    bprintf(&r->out, "<ul class=\"actions\"><li><a href=\"/events/%lld/report\">%h</a></li>", (long long)id, T(r, "The whole report"));
    json_t *series = json_object_get(e, "series");
    if (json_is_object(series))
        bprintf(&r->out, "<li><a class=\"button\" href=\"/series/%lld/followup\">%h</a></li>", (long long)json_integer_value(json_object_get(series, "id")),
                T(r, "The action plan and its follow-up"));
    else bprintf(&r->out, "<li><a href=\"/events/%lld/roundtables\">%h</a></li>", (long long)id, T(r, "The action plan and its follow-up"));
    buf_puts(&r->out, "</ul></section>");
}

void event_page(req_t *r) {
    db_t *db = db_get();
    int64_t id = r->id[0];
    json_t *e = api_own(r, event_load(db, id));
    if (!e) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return; }
    bool can_edit = event_can_edit(db, r->user, id);
    const char *country = jstr(e, "country"), *tl;
    const char *title = pick_text(r, json_object_get(e, "title"), country, &tl);
    time_t st, en;
    parse_utc(jstr(e, "start_utc"), &st);
    parse_utc(jstr(e, "end_utc"), &en);
    page_begin(r, title);
    const char *done = done_text(r, req_query(r, "done"));
    if (done) bprintf(&r->out, "<p class=\"flash\" role=\"status\">%h</p>", done);
    bool held = event_is_held(jstr(e, "status"), en);
    bprintf(&r->out, "<article class=\"profile event%s\"><header><p class=\"meta\">", held ? " held" : "");
    if (held) held_badge(r);
    else status_badge(r, jstr(e, "status"));
    bprintf(&r->out, " <span class=\"country country-%h\">%h</span></p><h1><span%s>%h</span>", country, ref_country_name(country, r->lang),
            strcmp(tl, r->lang) ? aprintf(r->arena, " lang=\"%h\"", tl) : "", title);
    html_lang_note(r, tl);
    buf_puts(&r->out, "</h1>");
    if (json_is_true(json_object_get(e, "demo")) && event_demo_fictional(db, id))
        bprintf(&r->out, "<p class=\"badge\">%h</p>", T(r, "Demo event: an example, not a real plan"));
    if (held) bprintf(&r->out, "<p class=\"lead\">%h</p>", aprintf_text(r->arena, T(r, "Held on %s."), fmt_date(r->arena, r->lang, st)));
    notify_follow_id(r, "event", id);   /* notify */
    notify_follow_id(r, "series", json_integer_value(json_object_get(json_object_get(e, "series"), "id")));   /* notify */
    buf_puts(&r->out, "</header>\n");
    if (streq(jstr(e, "status"), "cancelled"))
        bprintf(&r->out, "<div class=\"notice\" role=\"note\"><p><strong>%h</strong></p></div>", T(r, "This event has been cancelled."));
    buf_puts(&r->out, "<ul class=\"actions\">");
    bprintf(&r->out, "<li><a href=\"/events/%lld.ics\" type=\"text/calendar\">%h</a></li>", (long long)id, T(r, "Add to my calendar (.ics)"));
    bprintf(&r->out, "<li><a href=\"/events/%lld/roundtables\">%h</a></li>", (long long)id, T(r, "Roundtables and report")); /* roundtables/ */
    if (r->user) bprintf(&r->out, "<li><a href=\"/events/%lld/meetings\">%h</a></li>", (long long)id, T(r, "1:1 meetings"));
    if (can_edit) {
        bprintf(&r->out, "<li><a class=\"button\" href=\"/events/%lld/edit\">%h</a></li>", (long long)id, T(r, "Edit"));
        if (!streq(jstr(e, "status"), "cancelled") && !held) {
            bprintf(&r->out, "<li><form method=\"post\" action=\"/events/%lld/cancel\" class=\"inline\">", (long long)id);
            csrf_input(r);
            bprintf(&r->out, "<button type=\"submit\" class=\"secondary\">%h</button></form></li>", T(r, "Cancel the event"));
        }
    }
    buf_puts(&r->out, "</ul><div class=\"cols\"><div class=\"main-col\">");
    if (held) held_main(r, db, e, id);
    const char *dl;
    const char *desc = pick_text(r, json_object_get(e, "description"), country, &dl);
    bprintf(&r->out, "<section><h2>%h</h2>", T(r, "About the event"));
    if (*desc && strcmp(dl, r->lang)) {
        bprintf(&r->out, "<p class=\"small\">%h", T(r, "The description"));
        html_lang_note(r, dl);
        bprintf(&r->out, "</p><p class=\"desc\" lang=\"%h\">%h</p>", dl, desc);
    } else if (*desc) bprintf(&r->out, "<p class=\"desc\">%h</p>", desc);
    else bprintf(&r->out, "<p>%h</p>", T(r, "No description yet."));
    buf_puts(&r->out, "</section>");
    /* registration: not for a held event */
    bool open = !streq(jstr(e, "status"), "cancelled");
    if (!held) {
    bprintf(&r->out, "<section aria-labelledby=\"reg-h\"><h2 id=\"reg-h\">%h</h2>", T(r, "Registration"));
    json_int_t reg = json_integer_value(json_object_get(e, "registered")), wait = json_integer_value(json_object_get(e, "waiting"));
    json_t *cap = json_object_get(e, "capacity");
    if (json_is_integer(cap))
        bprintf(&r->out, "<p>%h</p>", aprintf(r->arena, T(r, "%lld of %lld places taken; %lld on the waiting list."), (long long)reg,
                                              (long long)json_integer_value(cap), (long long)wait));
    else bprintf(&r->out, "<p>%h</p>", aprintf(r->arena, TN(r, "%lld person registered.", "%lld people registered.", (long)reg), (long long)reg));
    if (!open) {
        bprintf(&r->out, "<p>%h</p>", T(r, "The event has been cancelled."));
    } else if (!r->user) {
        bprintf(&r->out, "<p><a href=\"/login?next=%U\">%h</a></p>", aprintf(r->arena, "/events/%lld", (long long)id), T(r, "Log in to register."));
    } else {
        const char *mine = event_my_status(db, r->arena, id, r->user->id);
        if (mine) {
            bprintf(&r->out, "<p><strong>%h</strong></p><form method=\"post\" action=\"/events/%lld/unregister\" class=\"inline\">",
                    streq(mine, "waiting") ? T(r, "You are on the waiting list.") : T(r, "You are registered."), (long long)id);
            csrf_input(r);
            bprintf(&r->out, "<button type=\"submit\" class=\"secondary\">%h</button></form>", T(r, "Cancel my registration"));
        } else {
            bprintf(&r->out, "<form method=\"post\" action=\"/events/%lld/register\">", (long long)id);
            csrf_input(r);
            bprintf(&r->out, "<div class=\"field\"><label for=\"f-affiliation\">%h</label><input id=\"f-affiliation\" name=\"affiliation\" type=\"text\" "
                             "autocomplete=\"organization\"></div><label class=\"check\"><input type=\"checkbox\" name=\"share\" value=\"1\"> %h</label>"
                             "<p class=\"actions\"><button type=\"submit\">%h</button></p></form>",
                    T(r, "Your organisation (optional)"), T(r, "The organisers may see my name, e-mail and organisation"), T(r, "Register for the event"));
        }
    }
    buf_puts(&r->out, "</section>");
    }
    if (can_edit) {
        json_t *w = api_own(r, event_warnings_of(db, id, r->lang));
        warnings_section(r, db, id, w, json_object_get(e, "organisers"));
        /* participants */
        json_t *ps = api_own(r, event_participants(db, id));
        bprintf(&r->out, "<section aria-labelledby=\"p-h\"><h2 id=\"p-h\">%h</h2>", T(r, "Participants"));
        if (json_array_size(ps)) {
            bprintf(&r->out, "<p><a href=\"/events/%lld/participants.csv\">%h</a></p><ul class=\"plain\">", (long long)id,
                    T(r, "Download the participant list (CSV)"));
            size_t i;
            json_t *p;
            json_array_foreach(ps, i, p) {
                bool sh = json_is_true(json_object_get(p, "shared"));
                bprintf(&r->out, "<li>%h%s%h%s</li>", sh ? jstr(p, "name") : T(r, "(not shared)"),
                        sh && jstr(p, "affiliation") ? ", " : "", sh ? jstr(p, "affiliation") : "",
                        streq(jstr(p, "status"), "waiting") ? aprintf(r->arena, " <em>(%h)</em>", T(r, "waiting list")) : "");
            }
            buf_puts(&r->out, "</ul>");
        } else bprintf(&r->out, "<p>%h</p>", T(r, "Nobody has registered yet."));
        buf_puts(&r->out, "</section>");
        /* invitations */
        json_t *inv = api_own(r, event_invitations(db, r->arena, id));
        bprintf(&r->out, "<section aria-labelledby=\"i-h\"><h2 id=\"i-h\">%h</h2>", T(r, "Invited organisations"));
        if (json_array_size(inv)) {
            buf_puts(&r->out, "<ul class=\"plain\">");
            size_t i;
            json_t *v;
            json_array_foreach(inv, i, v) {
                const char *s = jstr(v, "status");
                bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a> <span class=\"country country-%h\">%h</span> – %h</li>",
                        (long long)json_integer_value(json_object_get(v, "organisation")), jstr(v, "name"), jstr(v, "country"),
                        ref_country_name(jstr(v, "country"), r->lang),
                        streq(s, "accepted") ? T(r, "accepted") : streq(s, "declined") ? T(r, "declined")
                        : org_active_admins(db, json_integer_value(json_object_get(v, "organisation"))) ? T(r, "no answer yet")
                        : T(r, "nobody can answer yet: the organisation has no administrator on Gränslös")); /* issue 12 */
            }
            buf_puts(&r->out, "</ul>");
        }
        /* suggestions: the best matches of the first organiser on the other side of the border */
        json_t *orgs = json_object_get(e, "organisers");
        if (json_array_size(orgs)) {
            int64_t first = json_integer_value(json_array_get(orgs, 0));
            json_t *fo = api_own(r, org_load(db, first, false));
            const char *other = streq(jstr(fo, "country"), "SE") ? "NO" : "SE";
            match_query_t q = {.org_id = first, .country = other, .lang = r->lang, .limit = 5};
            json_t *ms = api_own(r, match_find(db, &q));
            if (json_array_size(ms)) {
                bprintf(&r->out, "<h3>%h</h3><ul class=\"plain\">", T(r, "Suggested from the other side of the border"));
                size_t i;
                json_t *mt;
                json_array_foreach(ms, i, mt) {
                    bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a> · <form method=\"post\" action=\"/events/%lld/invite\" class=\"inline\">",
                            (long long)json_integer_value(json_object_get(mt, "id")), jstr(mt, "name"), (long long)id);
                    csrf_input(r);
                    bprintf(&r->out, "<input type=\"hidden\" name=\"organisation\" value=\"%lld\"><button type=\"submit\" class=\"link\" aria-label=\"%h\">%h</button></form></li>",
                            (long long)json_integer_value(json_object_get(mt, "id")), aprintf_text(r->arena, T(r, "Invite %s"), jstr(mt, "name")), T(r, "Invite"));
                }
                buf_puts(&r->out, "</ul>");
            }
        }
        invite_form(r, id, NULL); /* issue 12: by name, with the type-ahead */
        buf_puts(&r->out, "</section>");
    }
    buf_puts(&r->out, "</div><aside class=\"side-col\"><dl class=\"facts\">");
    bprintf(&r->out, "<dt>%h</dt><dd><time datetime=\"%h\">%h</time> <span class=\"small\">(%h)</span></dd>", T(r, "When"), jstr(e, "start_utc"),
            when(r, st, en), streq(jstr(e, "timezone"), "Europe/Oslo") ? T(r, "Norwegian time") : T(r, "Swedish time"));
    const char *mn = muni_name(country, jstr(e, "municipality"));
    if (mn || jstr(e, "venue")) {
        bprintf(&r->out, "<dt>%h</dt><dd>", T(r, "Where"));
        if (jstr(e, "venue")) bprintf(&r->out, "%h%s", jstr(e, "venue"), mn ? ", " : "");
        if (mn) bprintf(&r->out, "%h", mn);
        buf_puts(&r->out, "</dd>");
    }
    if (jstr(e, "online_url"))
        bprintf(&r->out, "<dt>%h</dt><dd><a href=\"%h\" rel=\"noopener nofollow\">%h</a></dd>", T(r, "Online"), jstr(e, "online_url"), jstr(e, "online_url"));
    bprintf(&r->out, "<dt>%h</dt><dd><ul class=\"plain\">", T(r, "Organisers"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(e, "organisers"), i, x) {
        const char *nm = org_name(db, r->arena, json_integer_value(x));
        bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a>", (long long)json_integer_value(x), nm ? nm : "?");
        event_organiser_mark(r, db, r->id[0], json_integer_value(x)); /* issue 11: "unconfirmed", confirm/decline */
        buf_puts(&r->out, "</li>");
    }
    buf_puts(&r->out, "</ul></dd>");
    if (json_array_size(json_object_get(e, "themes"))) {
        bprintf(&r->out, "<dt>%h</dt><dd><ul class=\"tags\">", T(r, "Key areas"));
        json_array_foreach(json_object_get(e, "themes"), i, x)
            bprintf(&r->out, "<li><a href=\"/events?theme=%U\">%h</a></li>", json_string_value(x), ref_theme_name(db, r->arena, json_string_value(x), r->lang));
        buf_puts(&r->out, "</ul></dd>");
    }
    if (json_array_size(json_object_get(e, "audiences"))) {
        bprintf(&r->out, "<dt>%h</dt><dd>", T(r, "Audience"));
        json_array_foreach(json_object_get(e, "audiences"), i, x) bprintf(&r->out, "%s%h", i ? ", " : "", event_audience_label(json_string_value(x), r->lang));
        buf_puts(&r->out, "</dd>");
    }
    if (jstr(e, "language")) bprintf(&r->out, "<dt>%h</dt><dd>%h</dd>", T(r, "Language"), event_language_label(jstr(e, "language"), r->lang));
    if (jstr(e, "registration_deadline")) {
        time_t t;
        if (!local_to_utc(jstr(e, "registration_deadline"), jstr(e, "timezone"), &t))
            bprintf(&r->out, "<dt>%h</dt><dd>%h</dd>", T(r, "Registration closes"), fmt_datetime(r->arena, r->lang, t));
    }
    json_t *series = json_object_get(e, "series");
    if (json_is_object(series)) {
        bprintf(&r->out, "<dt>%h</dt><dd>%h", T(r, "Series"), jstr(series, "name"));
        stmt_t *s = db_prep(db, "SELECT id, start_unix, country FROM events WHERE series_id = :s AND id <> :id ORDER BY start_unix");
        db_bind_int(s, ":s", json_integer_value(json_object_get(series, "id")));
        db_bind_int(s, ":id", id);
        bool any = false;
        while (db_step(s)) {
            if (!any) buf_puts(&r->out, "<ul class=\"plain\">");
            any = true;
            time_t t = (time_t)db_int(s, 1);
            struct tm tm;
            localtime_r(&t, &tm);
            bprintf(&r->out, "<li><a href=\"/events/%lld\">%d</a> <span class=\"country country-%h\">%h</span></li>", (long long)db_int(s, 0),
                    tm.tm_year + 1900, db_text(s, 2), ref_country_name(db_text(s, 2), r->lang));
        }
        if (any) buf_puts(&r->out, "</ul>");
        buf_puts(&r->out, "</dd>");
    }
    buf_puts(&r->out, "</dl></aside></div></article>\n");
    page_end(r);
}

/* ---- the form ---- */
static json_t *texts_from_form(req_t *r, const char *prefix) {
    json_t *o = json_object();
    for (int i = 0; i < 3; i++) {
        const char *v = req_form(r, aprintf_text(r->arena, "%s_%s", prefix, i18n_langs[i]));
        json_object_set_new(o, i18n_langs[i], json_string(v ? v : ""));
    }
    return o;
}

/* form_doc: the posted form as an input document for event_validate (caller owns it) */
static json_t *form_doc(req_t *r) {
    json_t *d = json_object();
    json_object_set_new(d, "title", texts_from_form(r, "title"));
    json_object_set_new(d, "description", texts_from_form(r, "desc"));
    static const char *const plain[] = {"status", "start", "end", "timezone", "country", "municipality", "venue", "online_url",
                                        "language", "registration_deadline", "series", NULL};
    for (int i = 0; plain[i]; i++) {
        const char *v = req_form(r, plain[i]);
        json_object_set_new(d, plain[i], v && *v ? json_string(v) : json_null());
    }
    if (req_form(r, "as_idea")) json_object_set_new(d, "status", json_string("idea")); /* the safe choice of the date check */
    /* no time zone chosen: the chosen country's */
    if (json_is_null(json_object_get(d, "timezone")) && streq(req_form(r, "country"), "NO")) json_object_set_new(d, "timezone", json_string("Europe/Oslo"));
    else if (json_is_null(json_object_get(d, "timezone")) && streq(req_form(r, "country"), "SE")) json_object_set_new(d, "timezone", json_string("Europe/Stockholm"));
    const char *cap = req_form(r, "capacity");
    long long c;
    if (!cap || !*cap) json_object_set_new(d, "capacity", json_null());
    else if (parse_int(cap, -1000000000, 1000000000, &c)) json_object_set_new(d, "capacity", json_integer(c));
    else json_object_set_new(d, "capacity", json_string(cap));
    json_object_set_new(d, "themes", form_strings(r, "themes"));
    json_object_set_new(d, "audiences", form_strings(r, "audiences"));
    json_t *a = form_ids(r, "organisers");
    /* issue 12: co-organisers by name (or number, or address), separated with commas; a name that
     * matches one organisation is resolved, others stay text for the form's inline error */
    json_t *more = org_resolve_names(db_get(), r->arena, req_form(r, "organisers_more"), r->lang);
    json_array_extend(a, more);
    json_decref(more);
    json_object_set_new(d, "organisers", a);
    return d;
}

/* form_errors: the validation errors keyed by form field; "no title at all" goes to the title field
 * of the page's language, the first one in the form (caller owns the result) */
static json_t *form_errors(req_t *r, json_t *errors) {
    json_t *e = json_object();
    const char *k;
    json_t *v;
    json_object_foreach(errors, k, v) {
        if (!strcmp(k, "title")) json_object_set(e, aprintf_text(r->arena, "title_%s", r->lang), v);
        else if (!strncmp(k, "title.", 6)) json_object_set(e, k[6] == 's' ? "title_sv" : k[6] == 'n' ? "title_nb" : "title_en", v);
        else if (!strncmp(k, "description.", 12)) json_object_set(e, k[12] == 's' ? "desc_sv" : k[12] == 'n' ? "desc_nb" : "desc_en", v);
        else json_object_set(e, k, v);
    }
    return e;
}

static const char **strings_of(req_t *r, json_t *a) {
    const char **out = arena_alloc(r->arena, sizeof(char *) * (json_array_size(a) + 1));
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
        out[i] = json_is_integer(x) ? aprintf(r->arena, "%lld", (long long)json_integer_value(x)) : json_string_value(x);
    return out;
}

/* form_warnings: the clashes and public holidays for the dates, place and key areas posted in the
 * form (exclude: the event being edited); NULL with *why when the start cannot be read (caller
 * owns the result) */
static json_t *form_warnings(req_t *r, db_t *db, int64_t exclude, const char **why) {
    const char *tz = req_form(r, "timezone");
    if (!tz || !tz_valid(tz)) tz = "Europe/Stockholm";
    const char *ss = req_form(r, "start"), *es = req_form(r, "end");
    time_t st, en;
    if (!ss || !*ss || local_to_utc(ss, tz, &st)) { *why = T(r, "Fill in when the event starts, then check the date."); return NULL; }
    if (!es || !*es || local_to_utc(es, tz, &en) || en <= st) en = st + 3600;
    const char *country = req_form(r, "country"), *muni = req_form(r, "municipality"), *county = NULL;
    if (!streq(country, "SE") && !streq(country, "NO")) country = NULL;
    const municipality_t *m = country && muni && *muni ? ref_municipality(country, muni) : NULL;
    if (m) county = m->county;
    json_t *themes = json_array(), *auds = json_array();
    const char **vals;
    int n = req_form_all(r, "themes", &vals);
    for (int i = 0; i < n; i++) json_array_append_new(themes, json_string(vals[i]));
    n = req_form_all(r, "audiences", &vals);
    for (int i = 0; i < n; i++) json_array_append_new(auds, json_string(vals[i]));
    clash_query_t q = {st, en, 0, country, county, themes, auds, exclude, r->lang};
    json_t *w = event_warnings(db, &q);
    json_decref(themes);
    json_decref(auds);
    return w;
}

/* date_check_list: the warnings as the form shows them (web/app.js writes the same from the JSON
 * of /api/v1/events/clashes); with a clash, "save as an idea" as the safe choice */
static void date_check_list(req_t *r, db_t *db, json_t *w) {
    if (!json_array_size(w)) { bprintf(&r->out, "<p class=\"ok\">%h</p>", T(r, "No clashes and no public holidays found.")); return; }
    buf_puts(&r->out, "<ul class=\"plain date-check-list\">");
    bool clash = false;
    size_t i;
    json_t *x;
    json_array_foreach(w, i, x) {
        const char *c = jstr(x, "country");
        if (streq(jstr(x, "kind"), "holiday")) {
            bprintf(&r->out, "<li class=\"warn holiday\">%h <span lang=\"%s\">%h</span> (%h, %h)</li>", T(r, "Public holiday:"), streq(c, "NO") ? "nb" : "sv",
                    jstr(x, "name"), ref_country_name(c, r->lang), jstr(x, "date"));
            continue;
        }
        clash = true;
        time_t ot;
        const char *ostart = local_to_utc(jstr(x, "start"), "Europe/Stockholm", &ot) ? jstr(x, "start") : fmt_datetime(r->arena, r->lang, ot);
        buf_t why;
        buf_init(&why, r->arena);
        size_t k;
        json_t *rs;
        json_array_foreach(json_object_get(x, "reasons"), k, rs) {
            const char *t = jstr(rs, "type"), *v = jstr(rs, "value");
            bprintf_text(&why, "%s%s", k ? ", " : "",
                         streq(t, "theme") ? ref_theme_name(db, r->arena, v, r->lang) : streq(t, "audience") ? event_audience_label(v, r->lang)
                         : streq(t, "region") ? T(r, "the same county") : T(r, "the same border region"));
        }
        bprintf(&r->out, "<li class=\"warn clash\">%h <a href=\"/events/%lld\"%s>%h</a>", T(r, "Possible clash:"),
                (long long)json_integer_value(json_object_get(x, "event")), MARKUP(html_lang_attr(r, jstr(x, "title_lang"))), jstr(x, "title"));
        html_lang_note(r, jstr(x, "title_lang"));
        bprintf(&r->out, " (%h, %h). %h %h.", ostart, ref_country_name(c, r->lang), T(r, "Shared:"), why.data);
        json_t *mine = api_own(r, json_array());
        const char **ov;
        int nov = req_form_all(r, "organisers", &ov);
        for (int k2 = 0; k2 < nov; k2++) json_array_append_new(mine, json_integer(atoll(ov[k2])));
        clash_contacts(r, db, json_integer_value(json_object_get(x, "event")), jstr(x, "title"), mine, 0);
        buf_puts(&r->out, "</li>");
    }
    buf_puts(&r->out, "</ul>");
    if (clash)
        bprintf(&r->out, "<p class=\"safe-choice\">%h</p><p class=\"actions\"><button type=\"submit\" name=\"as_idea\" value=\"1\">%h</button></p>",
                T(r, "Safest: save it as an idea. Others see it from day one, nobody takes the date yet, and you can talk to the other organisers first."),
                T(r, "Save as an idea"));
}

static void event_form_checked(req_t *r, const char *action, json_t *o, json_t *errors, bool is_new, json_t *warnings, const char *why);

/* date_check_box: the coordination step of the form: "check the date" (a submit without
 * JavaScript, live with it) and what the check found */
static void date_check_box(req_t *r, db_t *db, int64_t exclude, json_t *w, const char *why) {
    bprintf(&r->out, "<section class=\"date-check\" id=\"date-check\" aria-labelledby=\"dc-h\" data-exclude=\"%lld\" data-l-clash=\"%h\" "
                     "data-l-holiday=\"%h\" data-l-none=\"%h\" data-l-shared=\"%h\" data-l-county=\"%h\" data-l-region=\"%h\" data-l-se=\"%h\" "
                     "data-l-no=\"%h\" data-l-safe=\"%h\" data-l-idea=\"%h\" data-l-touch=\"%h\" data-l-subject=\"%h\" data-l-in-sv=\"%h\" data-l-in-nb=\"%h\" data-l-in-en=\"%h\"><h2 id=\"dc-h\">%h</h2><p class=\"hint\">%h</p>",
            (long long)exclude, T(r, "Possible clash:"), T(r, "Public holiday:"), T(r, "No clashes and no public holidays found."), T(r, "Shared:"),
            T(r, "the same county"), T(r, "the same border region"), ref_country_name("SE", r->lang), ref_country_name("NO", r->lang),
            T(r, "Safest: save it as an idea. Others see it from day one, nobody takes the date yet, and you can talk to the other organisers first."),
            T(r, "Save as an idea"), T(r, "Get in touch"), T(r, "Our dates meet: %s"), T(r, "in Swedish"), T(r, "in Norwegian"),
            T(r, "in English"), T(r, "Coordination"),
            T(r, "Before you publish: is anything similar planned at the same time on either side of the border, or is it a public holiday?"));
    buf_puts(&r->out, "<div id=\"date-check-result\" aria-live=\"polite\">");
    if (why) bprintf(&r->out, "<p class=\"field-error\">%h</p>", why);
    else if (w) date_check_list(r, db, w);
    buf_puts(&r->out, "</div>");
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\" name=\"check\" value=\"1\" class=\"secondary\" formnovalidate>%h</button></p></section>\n",
            T(r, "Check the date"));
}

static void event_form(req_t *r, const char *action, json_t *o, json_t *errors, bool is_new) {
    event_form_checked(r, action, o, errors, is_new, NULL, NULL);
}

static void event_form_checked(req_t *r, const char *action, json_t *o, json_t *errors, bool is_new, json_t *warnings, const char *why) {
    db_t *db = db_get();
    form_errors_summary(r, errors);
    form_open(r, action);
    if (!is_new) doc_form_version(r, o);
    json_t *t = json_object_get(o, "title"), *d = json_object_get(o, "description");
    bprintf(&r->out, "<fieldset><legend>%h</legend><p class=\"hint\">%h</p>", T(r, "Title and description"),
            T(r, "Write in one language or more: readers see their own language when there is one."));
    /* the user's language first; at least one title is asked for, in any language */
    static const char *const tlabel[3] = {N_("Title in Swedish"), N_("Title in Norwegian"), N_("Title in English")};
    static const char *const dlabel[3] = {N_("Description in Swedish"), N_("Description in Norwegian"), N_("Description in English")};
    int order[3] = {li(r), li(r) == 0 ? 1 : 0, li(r) == 2 ? 1 : 2};
    for (int k = 0; k < 3; k++) {
        int i = order[k];
        field_text(r, aprintf_text(r->arena, "title_%s", i18n_langs[i]), T(r, tlabel[i]), json_is_object(t) ? jstr(t, i18n_langs[i]) : NULL,
                   errors, "text", k == 0 ? T(r, "At least one title, in any of the three languages.") : NULL, false);
    }
    for (int k = 0; k < 3; k++) {
        int i = order[k];
        field_textarea(r, aprintf_text(r->arena, "desc_%s", i18n_langs[i]), T(r, dlabel[i]), json_is_object(d) ? jstr(d, i18n_langs[i]) : NULL,
                       errors, NULL);
    }
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "When"));
    option_t st[4];
    for (int i = 0; i < 4; i++) st[i] = (option_t){event_statuses[i], event_status_label(event_statuses[i], r->lang)};
    field_select(r, "status", T(r, "Status"), st, is_new ? 3 : 4, jstr(o, "status") ? jstr(o, "status") : "planned", errors, false);
    field_text(r, "start", T(r, "Starts"), jstr(o, "start"), errors, "datetime-local", T(r, "Swedish and Norwegian time (the same in both countries), date and time of day."), true);
    field_text(r, "end", T(r, "Ends"), jstr(o, "end"), errors, "datetime-local", NULL, true);
    option_t tz[2] = {{"Europe/Stockholm", T(r, "Swedish time")}, {"Europe/Oslo", T(r, "Norwegian time")}};
    /* the time zone follows the country (app.js changes it with the country until it is chosen by hand);
     * a new event starts with the user's side: Norwegian time for a bokmål page */
    const char *tzv = jstr(o, "timezone") ? jstr(o, "timezone") : streq(jstr(o, "country"), "NO") ? "Europe/Oslo"
                      : streq(jstr(o, "country"), "SE") ? "Europe/Stockholm" : streq(r->lang, "nb") ? "Europe/Oslo" : "Europe/Stockholm";
    field_select(r, "timezone", T(r, "Time zone"), tz, 2, tzv, errors, true);
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "Where"));
    option_t countries[2] = {{"SE", ref_country_name("SE", r->lang)}, {"NO", ref_country_name("NO", r->lang)}};
    field_select(r, "country", T(r, "Country"), countries, 2, jstr(o, "country"), errors, false);
    field_municipality(r, jstr(o, "country"), jstr(o, "municipality"), errors, false);
    field_text(r, "venue", T(r, "Venue"), jstr(o, "venue"), errors, "text", NULL, false);
    field_text(r, "online_url", T(r, "Online link"), jstr(o, "online_url"), errors, "url", T(r, "Starts with https://"), false);
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "For whom"));
    int nt;
    theme_t *th = ref_themes(db, r->arena, r->lang, &nt);
    option_t *topts = arena_alloc(r->arena, sizeof(option_t) * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++) topts[i] = (option_t){th[i].slug, th[i].name};
    json_t *cur = json_object_get(o, "themes");
    field_checks(r, "themes", T(r, "Key areas"), topts, nt, strings_of(r, cur), (int)json_array_size(cur), errors);
    option_t au[6];
    for (int i = 0; i < 6; i++) au[i] = (option_t){event_audiences[i], event_audience_label(event_audiences[i], r->lang)};
    cur = json_object_get(o, "audiences");
    field_checks(r, "audiences", T(r, "Audience"), au, 6, strings_of(r, cur), (int)json_array_size(cur), errors);
    option_t lg[4];
    for (int i = 0; i < 4; i++) lg[i] = (option_t){event_languages[i], event_language_label(event_languages[i], r->lang)};
    field_select(r, "language", T(r, "Language"), lg, 4, jstr(o, "language"), errors, true);
    buf_puts(&r->out, "</fieldset>\n");
    date_check_box(r, db, is_new ? 0 : r->id[0], warnings, why);
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "Registration"));
    json_t *cap = json_object_get(o, "capacity");
    field_text(r, "capacity", T(r, "Places"), json_is_integer(cap) ? aprintf(r->arena, "%lld", (long long)json_integer_value(cap)) : jstr(o, "capacity"),
               errors, "text", T(r, "Empty for no limit. Past the limit people join a waiting list."), false);
    field_text(r, "registration_deadline", T(r, "Registration closes"), jstr(o, "registration_deadline"), errors, "datetime-local",
               T(r, "Empty: open until the event starts."), false);
    buf_puts(&r->out, "</fieldset>\n");
    bprintf(&r->out, "<fieldset><legend>%h</legend>", T(r, "Organisers"));
    /* the user's organisations and the current organisers */
    json_t *pd = api_own(r, org_personal_data(db, r->user->id));
    option_t opts[64];
    int no = 0;
    json_t *orgs = json_object_get(o, "organisers");
    size_t i;
    json_t *x;
    json_array_foreach(orgs, i, x) {
        if (!json_is_integer(x) || no >= 64) continue;
        const char *nm = org_name(db, r->arena, json_integer_value(x));
        if (nm) opts[no++] = (option_t){aprintf(r->arena, "%lld", (long long)json_integer_value(x)), nm};
    }
    json_array_foreach(json_object_get(pd, "memberships"), i, x) {
        const char *v = aprintf(r->arena, "%lld", (long long)json_integer_value(json_object_get(x, "organisation")));
        bool dup = false;
        for (int k = 0; k < no; k++) if (!strcmp(opts[k].value, v)) dup = true;
        if (!dup && no < 64) opts[no++] = (option_t){v, jstr(x, "name")};
    }
    if (no) field_checks(r, "organisers", T(r, "Organising organisations"), opts, no, strings_of(r, orgs), (int)json_array_size(orgs), errors);
    else bprintf(&r->out, "<p class=\"field-error\" id=\"e-organisers\">%h</p>", T(r, "You are not a member of any organisation yet: join one or add yours first."));
    /* issue 12: by name with the type-ahead; names that matched none or several are kept, with the error */
    buf_t unresolved;
    buf_init(&unresolved, r->arena);
    json_array_foreach(orgs, i, x) if (json_is_string(x)) bprintf_text(&unresolved, "%s%s", unresolved.len ? ", " : "", json_string_value(x));
    json_t *more_err = api_own(r, json_object());
    if (unresolved.len && error_text(errors, "organisers"))
        json_object_set_new(more_err, "organisers_more", json_string(T(r, "Some names match no organisation, or several: write more of the name, or its organisation number.")));
    field_pick_names(r, "organisers_more", T(r, "Co-organisers from other organisations"), "/api/v1/lookup/organisations",
                     unresolved.len ? unresolved.data : NULL, more_err, T(r, "Type their names, separated with commas."), false);
    field_text(r, "series", T(r, "Part of a series"), json_is_object(json_object_get(o, "series")) ? jstr(json_object_get(o, "series"), "name") : jstr(o, "series"),
               errors, "text", T(r, "E.g. Mötesplats Vision: the editions of a series are linked to each other."), false);
    buf_puts(&r->out, "</fieldset>\n");
    form_close(r, is_new ? T(r, "Add event") : T(r, "Save changes"));
}

void event_new_page(req_t *r) {
    page_lead(r, T(r, "Add event"), T(r, "Add it as early as you like: an idea is visible to others from day one, so plans on both sides can meet."));
    json_t *o = api_own(r, json_pack("{s:s}", "status", "planned"));
    event_form(r, "/events/new", o, NULL, true);
    page_end(r);
}

static bool member_of_one(db_t *db, const user_t *u, json_t *orgs) {
    size_t i;
    json_t *x;
    json_array_foreach(orgs, i, x) if (org_can_edit(db, u, json_integer_value(x))) return true;
    return false;
}

void event_create_post(req_t *r) {
    db_t *db = db_get();
    json_t *in = api_own(r, form_doc(r));
    if (req_form(r, "check")) { /* "check the date" without JavaScript: the form again, with what the check found */
        const char *why = NULL;
        json_t *w = api_own(r, form_warnings(r, db, 0, &why));
        page_begin(r, T(r, "Add event"));
        bprintf(&r->out, "<h1>%h</h1>", T(r, "Add event"));
        event_form_checked(r, "/events/new", in, NULL, true, w, why);
        page_end(r);
        return;
    }
    json_t *doc;
    json_t *errors = api_own(r, event_validate(db, r->lang, in, NULL, 0, &doc));
    if (doc) api_own(r, doc);
    if (!json_object_size(errors) && !member_of_one(db, r->user, json_object_get(doc, "organisers")))
        json_object_set_new(errors, "organisers", json_string(T(r, "You can add events only for organisations you are a member of.")));
    if (!json_object_size(errors)) json_object_update(errors, api_own(r, event_organisers_check(db, r->user, doc, NULL, r->lang))); /* issue 11 */
    if (json_object_size(errors)) {
        r->status = 422;
        page_begin(r, T(r, "Add event"));
        bprintf(&r->out, "<h1>%h</h1>", T(r, "Add event"));
        event_form(r, "/events/new", in, api_own(r, form_errors(r, errors)), true);
        page_end(r);
        return;
    }
    bool changed;
    int64_t id = event_save(db, r->arena, 0, doc, r->user->id, NULL, &changed);
    if (!id) { resp_error(r, 500, "db", T(r, "The event could not be saved. Nothing was changed.")); return; }
    resp_redirect(r, aprintf(r->arena, "/events/%lld?done=created", (long long)id));
}

void event_edit_page(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &event_kind)) return;
    json_t *e = api_own(r, event_load(db, r->id[0]));
    const char *tl;
    const char *title = pick_text(r, json_object_get(e, "title"), jstr(e, "country"), &tl);
    doc_page_edit_head(r, title, aprintf(r->arena, "/events/%lld", (long long)r->id[0]), T(r, "Back to the event"), NULL);
    event_form(r, aprintf(r->arena, "/events/%lld/edit", (long long)r->id[0]), e, NULL, false);
    page_end(r);
}

void event_edit_post(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &event_kind)) return;
    json_t *base = api_own(r, event_load(db, r->id[0]));
    json_t *in = api_own(r, form_doc(r));
    if (req_form(r, "check")) {
        const char *why = NULL;
        json_t *w = api_own(r, form_warnings(r, db, r->id[0], &why));
        page_begin(r, T(r, "Edit"));
        bprintf(&r->out, "<h1>%h</h1>", T(r, "Edit"));
        event_form_checked(r, aprintf(r->arena, "/events/%lld/edit", (long long)r->id[0]), in, NULL, false, w, why);
        page_end(r);
        return;
    }
    json_t *errors;
    doc_rc_t rc = doc_page_edit(r, &event_kind, in, base, &errors);
    if (rc == DOC_INVALID || rc == DOC_CONFLICT) {
        page_begin(r, T(r, "Edit"));
        bprintf(&r->out, "<h1>%h</h1>", T(r, "Edit"));
        event_form(r, aprintf(r->arena, "/events/%lld/edit", (long long)r->id[0]), in, api_own(r, form_errors(r, errors)), false);
        page_end(r);
        return;
    }
    if (rc != DOC_SAVED && rc != DOC_UNCHANGED) return; /* answered */
    resp_redirect(r, aprintf(r->arena, "/events/%lld?done=%s", (long long)r->id[0], rc == DOC_SAVED ? "saved" : "unchanged"));
}

void event_cancel_post(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &event_kind)) return;
    json_t *base = api_own(r, event_load(db, r->id[0]));
    json_t *doc;
    json_t *errors = api_own(r, event_validate(db, r->lang, api_own(r, json_pack("{s:s}", "status", "cancelled")), base, r->id[0], &doc));
    if (json_object_size(errors)) { resp_error(r, 409, "cannot-cancel", T(r, "The event could not be cancelled as it is: edit it first.")); return; }
    api_own(r, doc);
    bool changed;
    if (!event_save(db, r->arena, r->id[0], doc, r->user->id, "cancelled", &changed)) {
        resp_error(r, 500, "db", T(r, "The event could not be saved. Nothing was changed."));
        return;
    }
    resp_redirect(r, aprintf(r->arena, "/events/%lld?done=cancelled", (long long)r->id[0]));
}

static void reg_error(req_t *r, reg_result_t rc) {
    switch (rc) {
    case REG_NO_EVENT: resp_error(r, 404, "not-found", T(r, "There is no such event.")); break;
    case REG_EVENT_CANCELLED: resp_error(r, 409, "event-cancelled", T(r, "The event has been cancelled.")); break;
    case REG_CLOSED: resp_error(r, 409, "registration-closed", T(r, "Registration has closed.")); break;
    case REG_NOT_REGISTERED: resp_error(r, 404, "not-registered", T(r, "You are not registered for this event.")); break;
    default: resp_error(r, 500, "db", T(r, "The registration could not be saved. Nothing was changed."));
    }
}

void event_register_post(req_t *r) {
    const char *aff = req_form(r, "affiliation");
    if (aff && utf8_len(aff) > 200) { resp_error(r, 422, "validation", T(r, "This text is too long.")); return; }
    const char *st;
    reg_result_t rc = event_register(db_get(), r->arena, r->id[0], r->user->id, req_form(r, "share") != NULL, aff, &st);
    if (rc) { reg_error(r, rc); return; }
    resp_redirect(r, aprintf_text(r->arena, "/events/%lld?done=%s", (long long)r->id[0], st));
}

void event_unregister_post(req_t *r) {
    reg_result_t rc = event_unregister(db_get(), r->arena, r->id[0], r->user->id);
    if (rc) { reg_error(r, rc); return; }
    resp_redirect(r, aprintf(r->arena, "/events/%lld?done=unregistered", (long long)r->id[0]));
}

/* invite_form: invite an organisation by name (html/ field_pick; issue 12); choices from
 * org_pick_resolve when the typed text needs a choice, the text and message kept. */
static void invite_form(req_t *r, int64_t id, json_t *choices) {
    bprintf(&r->out, "<form method=\"post\" action=\"/events/%lld/invite\" id=\"invite\">", (long long)id);
    csrf_input(r);
    field_pick(r, "organisation", T(r, "Invite an organisation"), "/api/v1/lookup/organisations", req_form(r, "organisation"), 0, choices, NULL,
               T(r, "Type part of its name or its organisation number, then choose it."), true);
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\" class=\"secondary\">%h</button></p></form>", T(r, "Send invitation"));
}

void event_participants_csv_get(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &event_kind)) return;
    buf_puts(&r->out, event_participants_csv(db, r->arena, r->id[0], r->lang));
    r->ctype = "text/csv; charset=utf-8";
    resp_header(r, "Content-Disposition", aprintf(r->arena, "attachment; filename=\"participants-%lld.csv\"", (long long)r->id[0]));
}

void event_invite_post(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &event_kind)) return;
    json_t *choices;
    int64_t org = org_pick_resolve(r, db, "organisation", &choices); /* issue 12: a name, an id or a pick */
    if (!org) {
        /* the pick step: the form again, the text kept, the matches as choices */
        api_own(r, choices);
        r->status = 422;
        json_t *e = api_own(r, event_load(db, r->id[0]));
        const char *tl;
        const char *title = pick_text(r, json_object_get(e, "title"), jstr(e, "country"), &tl);
        page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Invite an organisation"), title));
        bprintf(&r->out, "<div class=\"narrow\"><h1>%h</h1><p><a href=\"/events/%lld\"%s>%h</a></p>", T(r, "Invite an organisation"), (long long)r->id[0],
                strcmp(tl, r->lang) ? aprintf(r->arena, " lang=\"%h\"", tl) : "", title);
        invite_form(r, r->id[0], choices);
        buf_puts(&r->out, "</div>");
        page_end(r);
        return;
    }
    if (!event_invite(db, r->arena, r->id[0], org, r->user->id, req_form(r, "message"))) {
        resp_error(r, 500, "db", T(r, "The invitation could not be saved."));
        return;
    }
    resp_redirect(r, aprintf(r->arena, "/events/%lld?done=%s", (long long)r->id[0], org_active_admins(db, org) ? "invited" : "invited-nobody")); /* issue 12 */
}

void event_answer_post(req_t *r) {
    const char *a = req_form(r, "answer");
    if (!streq(a, "accept") && !streq(a, "decline")) { resp_error(r, 422, "validation", T(r, "The answer is accept or decline.")); return; }
    int64_t ev;
    int rc = event_answer(db_get(), r->arena, r->user, r->id[0], streq(a, "accept"), &ev);
    if (rc == 404) { resp_error(r, 404, "not-found", T(r, "There is no such invitation.")); return; }
    if (rc == 403) { resp_error(r, 403, "forbidden", T(r, "Only the invited organisation's administrators may answer.")); return; }
    if (rc) { resp_error(r, 500, "db", T(r, "The answer could not be saved.")); return; }
    resp_redirect(r, aprintf(r->arena, "/events/%lld?done=answered", (long long)ev));
}

/* ---- import of an .ics text into one of the user's organisations ---- */
static void import_form(req_t *r, const char *org, const char *text, const char *error) {
    db_t *db = db_get();
    page_lead(r, T(r, "Import a calendar"),
              T(r, "Paste an iCalendar file (.ics) exported from your own calendar. Events seen before (the same UID) are updated, not added twice."));
    if (error) bprintf(&r->out, "<div class=\"errors\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><h2>%h</h2><p>%h</p></div>",
                       T(r, "The calendar could not be imported; nothing was saved."), error);
    json_t *pd = api_own(r, org_personal_data(db, r->user->id));
    option_t opts[64];
    int n = 0;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(pd, "memberships"), i, x)
        if (n < 64) opts[n++] = (option_t){aprintf(r->arena, "%lld", (long long)json_integer_value(json_object_get(x, "organisation"))), jstr(x, "name")};
    if (!n) {
        bprintf(&r->out, "<p>%h</p>", T(r, "You are not a member of any organisation yet: join one or add yours first."));
        page_end(r);
        return;
    }
    form_open(r, "/events/import");
    field_select(r, "org", T(r, "Organising organisation"), opts, n, org, NULL, false);
    field_textarea(r, "ics", T(r, "The calendar (.ics)"), text, NULL, T(r, "Starts with BEGIN:VCALENDAR. At most 2 000 events."));
    form_close(r, T(r, "Import"));
    page_end(r);
}

void event_import_page(req_t *r) { import_form(r, NULL, NULL, NULL); }

void event_import_post(req_t *r) {
    db_t *db = db_get();
    long long org;
    const char *text = req_form(r, "ics");
    if (!parse_int(req_form(r, "org"), 1, INT64_MAX, &org) || !org_exists(db, org)) {
        r->status = 422;
        import_form(r, req_form(r, "org"), text, T(r, "There is no such organisation."));
        return;
    }
    if (!org_can_edit(db, r->user, org)) { resp_error(r, 403, "forbidden", T(r, "You can add events only for organisations you are a member of.")); return; }
    ics_stats_t st;
    char err[600];
    if (!text || !event_import_ics(db, text, strlen(text), org, r->user->id, &st, err, sizeof err, r->lang)) {
        r->status = 422;
        import_form(r, req_form(r, "org"), text, text ? err : T(r, "This field is required."));
        return;
    }
    page_begin(r, T(r, "Import a calendar"));
    bprintf(&r->out, "<h1>%h</h1><p class=\"flash\" role=\"status\">%h</p><p><a href=\"/events?org=%lld&amp;status=all\">%h</a></p>",
            T(r, "Import a calendar"),
            aprintf(r->arena, T(r, "%d events read: %d added, %d updated, %d unchanged."), st.events, st.created, st.updated, st.unchanged), org,
            T(r, "See the organisation's events in the calendar"));
    page_end(r);
}
