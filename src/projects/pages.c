/* Project pages: the list with its filters, a project with its partners, checklist and
 * budget, the new and edit forms, and the answer to an invitation. */
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "notify/notify.h"
#include "projects/projects.h"
#include "projects/views.h"
#include "ref/ref.h"
#include "roundtables/roundtables.h"

static const char *const programme_codes[] = {"interreg-se-no", "interreg-aurora", "interreg-nord", "oks", "npa"};
static const char *const programme_names[] = {N_("Interreg Sweden–Norway"), N_("Interreg Aurora"), N_("Interreg Nord"),
                                              N_("Interreg Öresund-Kattegat-Skagerrak"), N_("Interreg Northern Periphery and Arctic")};

static const char *programme_label(req_t *r, const char *p) {
    for (int i = 0; i < 5; i++) if (streq(p, programme_codes[i])) return T(r, programme_names[i]);
    return T(r, "No programme chosen");
}

/* the labels of a document's codes: {code, msgid} pairs, the last one the default */
typedef const char *const label_t[2];
static const char *label_of(req_t *r, const label_t *tab, size_t n, const char *code) {
    size_t i = 0;
    while (i + 1 < n && !streq(tab[i][0], code)) i++;
    return T(r, tab[i][1]);
}
static label_t roles[] = {{"lead-se", N_("Lead partner, Swedish side")}, {"lead-no", N_("Lead partner, Norwegian side")},
                          {"associated", N_("Associated organisation")}, {"partner", N_("Partner")}};
static label_t states[] = {{"invited", N_("Invited")}, {"declined", N_("Declined")}, {"confirmed", N_("Confirmed")}};
static label_t criteria[] = {{"border-as-resource", N_("The border as a resource")}, {"complementary-resources", N_("Complementary resources and skills")},
                             {"reducing-obstacles", N_("Reducing border obstacles")}};
static label_t types[] = {{"pre-project", N_("Pre-project")}, {"small", N_("Small-scale project")}, {"main", N_("Main project")}};
#define role_label(r, c) label_of((r), roles, sizeof roles / sizeof *roles, (c))
#define state_label(r, c) label_of((r), states, sizeof states / sizeof *states, (c))
#define criterion_label(r, c) label_of((r), criteria, sizeof criteria / sizeof *criteria, (c))
#define type_label(r, c) label_of((r), types, sizeof types / sizeof *types, (c))

void proj_field_error(req_t *r, json_t *errors, const char *field) {
    const char *e = error_text(errors, field);
    if (e) bprintf(&r->out, "<p class=\"error\">%h</p>", e);
}

void proj_fieldset_end(req_t *r, json_t *errors, const char *field) {
    proj_field_error(r, errors, field);
    buf_puts(&r->out, "</fieldset>");
}

json_t *proj_over(req_t *r, json_t *base, json_t *in) {
    json_t *o = api_own(r, base ? json_deep_copy(base) : json_object());
    json_object_update(o, in);
    json_decref(in);
    return o;
}

/* day_text: a date (YYYY-MM-DD) or a UTC time as the language writes the day */
const char *proj_day_text(req_t *r, const char *s) {
    time_t t;
    if (!s) return "";
    const char *utc = strlen(s) == 10 ? aprintf_text(r->arena, "%sT12:00:00Z", s) : s;
    return parse_utc(utc, &t) ? fmt_date(r->arena, r->lang, t) : s;
}
#define day_text proj_day_text



const char *proj_title_of(req_t *r, json_t *o) {
    json_t *t = json_object_get(o, "title");
    const char *s = jstr(t, r->lang);
    if (str_empty(s)) s = jstr(t, "en");
    if (str_empty(s)) s = jstr(t, "sv");
    if (str_empty(s)) s = jstr(t, "nb");
    return s ? s : "";
}

static void badge(req_t *r, const char *status) {
    bprintf(&r->out, "<span class=\"status status-%h\">%h</span>", status, proj_status_label(status, r->lang));
}

static const char *origin_text(req_t *r, const char *type, int64_t id, int64_t *table);

/* ---- the list ---- */
static void project_card(req_t *r, const proj_row_t *p) {
    bprintf(&r->out, "<li class=\"card\"><h2><a href=\"/projects/%lld\">%h – %h</a></h2><p class=\"meta\">", (long long)p->id, p->acronym, p->title);
    badge(r, p->status);
    bprintf(&r->out, " · %h · %h · %h</p><p>%h</p></li>", programme_label(r, p->programme), aprintf_text(r->arena, T(r, "starts %s"), p->start),
            aprintf_text(r->arena, TN(r, "%lld partner", "%lld partners", (long)p->npartners), p->npartners), p->summary);
}

/* the filters: programme, status, key area, a partner's country, open to new partners */
static void filters_form(req_t *r, const proj_filter_t *f) {
    option_t po[6], so[10], co[2] = {{"SE", ref_country_name("SE", r->lang)}, {"NO", ref_country_name("NO", r->lang)}};
    for (int i = 0; i < 5; i++) po[i] = (option_t){programme_codes[i], T(r, programme_names[i])};
    po[5] = (option_t){"none", T(r, "No programme chosen")};
    for (int i = 0; i < 10; i++) so[i] = (option_t){proj_statuses[i], proj_status_label(proj_statuses[i], r->lang)};
    int nt;
    theme_t *th = ref_themes(db_get(), r->arena, r->lang, &nt);
    option_t *to = arena_alloc(r->arena, sizeof(option_t) * (size_t)(nt + 1));
    for (int i = 0; i < nt; i++) to[i] = (option_t){th[i].slug, th[i].name};
    buf_puts(&r->out, "<form class=\"filters\" method=\"get\" action=\"/projects\" role=\"search\">");
    facets_open(r, !!f->programme + !!f->status + !!f->theme + !!f->country + f->seeking);
    buf_puts(&r->out, "<div class=\"filter-row\">");
    field_select(r, "programme", T(r, "Programme"), po, 6, f->programme, NULL, true);
    field_select(r, "status", T(r, "Status"), so, 10, f->status, NULL, true);
    field_select(r, "theme", T(r, "Key area"), to, nt, f->theme, NULL, true);
    field_select(r, "country", T(r, "A partner in"), co, 2, f->country, NULL, true);
    bprintf(&r->out, "<div class=\"field\"><label><input type=\"checkbox\" name=\"seeking\" value=\"1\"%s> %h</label></div></div>",
            f->seeking ? " checked" : "", T(r, "Open to new partners"));
    facets_close(r);
    bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button> <a href=\"/projects\">%h</a></p></form>\n", T(r, "Show"), T(r, "Clear filters"));
}

static void list_head(req_t *r) {
    page_begin(r, T(r, "Projects"));
    bprintf(&r->out, "<h1>%h</h1><p class=\"lead\">%h</p><p class=\"actions\"><a class=\"button\" href=\"%s\">%h</a></p>", T(r, "Projects"),
            T(r, "Cross-border projects from the first idea to a joint Swedish–Norwegian application. An idea is public from day one, so others can join early."),
            r->user ? "/projects/new" : "/login?next=%2Fprojects%2Fnew", r->user ? T(r, "Start a project") : T(r, "Log in to start a project"));
}

void proj_list_page(req_t *r) {
    proj_filter_t f;
    const char *bad = proj_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    list_head(r);
    filters_form(r, &f);
    proj_row_t *rows;
    int n;
    long long total = proj_search(db_get(), r->arena, r->lang, &f, &rows, &n);
    bprintf(&r->out, "<section id=\"results\" class=\"results\"><p class=\"total\">%h</p>",
            aprintf_text(r->arena, TN(r, "%s project", "%s projects", (long)total), fmt_number(r->arena, r->lang, total)));
    if (!n) bprintf(&r->out, "<p>%h</p>", T(r, "No project matches. Try fewer filters."));
    else buf_puts(&r->out, "<ul class=\"cards projects\">");
    for (int i = 0; i < n; i++) project_card(r, &rows[i]);
    if (n) buf_puts(&r->out, "</ul>");
    html_pager(r, total, f.page, f.per_page);
    buf_puts(&r->out, "</section>\n");
    page_end(r);
}

/* ---- one project ---- */
static void checklist_html(req_t *r, json_t *c) {
    bprintf(&r->out, "<section id=\"checklist\"><h2>%h</h2><p>%h</p><ul class=\"checklist\">", T(r, "Eligibility checklist"),
            json_is_true(json_object_get(c, "eligible")) ? T(r, "Every check is met.") : T(r, "Some checks are not met yet."));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(c, "items"), i, x) {
        bool ok = json_is_true(json_object_get(x, "ok"));
        bprintf(&r->out, "<li class=\"%s\" data-code=\"%h\"><span aria-hidden=\"true\">%s</span> <span class=\"visually-hidden\">%h:</span> %h</li>",
                ok ? "ok" : "not-ok", jstr(x, "code"), ok ? "✓" : "✗", ok ? T(r, "Met") : T(r, "Not met"), jstr(x, "message"));
    }
    buf_puts(&r->out, "</ul></section>\n");
}

/* ---- reporting periods and flat rates, shown with the work plan and the budget ---- */
const char *proj_period_label(req_t *r, json_t *o, json_t *period) {
    if (streq(json_string_value(period), "preparation")) return T(r, "Preparation");
    if (streq(json_string_value(period), "closure")) return T(r, "Closure");
    int i = (int)json_integer_value(period), dur = (int)json_integer_value(json_object_get(o, "duration_months")), len = proj_doc_period_months(o);
    char from[8], to[8];
    if (i >= 1 && i <= proj_periods(dur, len) && proj_period_dates(jstr(o, "start"), i, dur, len, from, to))
        return aprintf_text(r->arena, T(r, "Period %d (%s – %s)"), i, from, to);
    return aprintf_text(r->arena, T(r, "Period %d"), i);
}

void proj_periods_html(req_t *r, json_t *o, const char *id) {
    int dur = (int)json_integer_value(json_object_get(o, "duration_months")), len = proj_doc_period_months(o), n = proj_periods(dur, len);
    if (n < 1) return;
    bprintf(&r->out, "<div class=\"periods\" id=\"%h\"><p>%h</p><div class=\"table-wrap scroll\" role=\"region\" tabindex=\"0\" aria-label=\"%h\">"
                     "<table class=\"periods\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
            id, aprintf_text(r->arena, TN(r, "%d reporting period of %d months (the call's), from the planned start.", "%d reporting periods of %d months (the call's), from the planned start.", n), n, len),
            T(r, "Reporting periods"), T(r, "Reporting periods"), T(r, "Period"), T(r, "Months"), T(r, "Dates"));
    for (int i = 1; i <= n; i++) {
        int first, last;
        char from[8], to[8];
        proj_period_months_of(i, dur, len, &first, &last);
        bool dated = proj_period_dates(jstr(o, "start"), i, dur, len, from, to);
        bprintf(&r->out, "<tr><th scope=\"row\">%d</th><td>%d–%d</td><td>%h</td></tr>", i, first, last, dated ? aprintf_text(r->arena, "%s – %s", from, to) : "");
    }
    bprintf(&r->out, "</tbody></table></div><p class=\"hint\">%h</p></div>", T(r, "Lump sums may also sit in the preparation (before period 1) or the closure (after the last period)."));
}

/* flat_rates_html: the flat rates applied (the totals' "flat_rates") as a list */
static void flat_rates_html(req_t *r, json_t *t) {
    json_t *fl = json_object_get(t, "flat_rates");
    if (!json_array_size(fl)) { bprintf(&r->out, "<p class=\"flat-rates\">%h</p>", T(r, "No flat rates: every cost is budgeted as lines.")); return; }
    bprintf(&r->out, "<p>%h</p><ul class=\"flat-rates\">", T(r, "Flat rates applied:"));
    size_t i;
    json_t *x;
    json_array_foreach(fl, i, x) {
        int f = proj_flat_key(jstr(x, "rate"));
        bprintf(&r->out, "<li data-rate=\"%h\">%h: %h %%</li>", jstr(x, "rate"), f >= 0 ? T(r, proj_flat_labels[f]) : jstr(x, "rate"), jstr(x, "percent"));
    }
    buf_puts(&r->out, "</ul>");
}

/* flat_rules_html: what the programme's call allows (data/ref/interreg-call-rules.csv) */
static void flat_rules_html(req_t *r, const char *programme) {
    bprintf(&r->out, "<div class=\"flat-rules\"><p>%h</p><ul>", aprintf_text(r->arena, T(r, "Flat rates the call of %s allows:"), programme_label(r, programme)));
    char b[32];
    for (int f = 0; f < FLAT_N; f++) {
        proj_flat_rule_t ru = proj_flat_rule(programme, f);
        if (!ru.allowed) bprintf(&r->out, "<li data-rate=\"%h\">%h: %h</li>", proj_flat_keys[f], T(r, proj_flat_labels[f]), T(r, "not allowed"));
        else bprintf(&r->out, "<li data-rate=\"%h\">%h: %h</li>", proj_flat_keys[f], T(r, proj_flat_labels[f]),
                     aprintf_text(r->arena, ru.may_lower ? T(r, "at most %s %%") : T(r, "exactly %s %% (a partner may not lower it)"), dec_fmt(b, sizeof b, ru.max_e2, 2)));
    }
    bprintf(&r->out, "</ul><p class=\"hint\">%h</p></div>",
            T(r, "Other costs combine with no other flat rate; office and administration is on staff costs or on direct costs, not both; travel is not a flat rate when staff costs are."));
}

static void budget_html(req_t *r, json_t *o, json_t *t, const char *missing, bool live) {
    bprintf(&r->out, "<section id=\"budget\"><h2>%h</h2>", T(r, "Budget"));
    proj_periods_html(r, o, "budget-periods");
    if (!t) {
        bprintf(&r->out, "<p class=\"error\" role=\"alert\">%h</p></section>",
                aprintf_text(r->arena, T(r, "There is no Commission exchange rate for SEK for %s, so the budget cannot be converted to EUR. An administrator imports it (granslos import rates FILE) or enters it."), missing));
        return;
    }
    size_t s, i;
    json_t *side, *x;
    json_array_foreach(json_object_get(t, "sides"), s, side) {
        bool no = streq(jstr(side, "side"), "no");
        const char *cap = no ? T(r, "Norwegian side (NOK, IR funding)") : T(r, "Swedish side (EUR, ERDF funding)");
        bprintf(&r->out, "<div class=\"table-wrap scroll\" role=\"region\" tabindex=\"0\" aria-label=\"%h\"><table class=\"budget\"><caption>%h</caption>"
                         "<thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">EUR</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                cap, cap, T(r, "Partner"), T(r, "Total"), T(r, "Rate"));
        json_array_foreach(json_object_get(side, "partners"), i, x)
            bprintf(&r->out, "<tr><th scope=\"row\">%h</th><td class=\"num\">%h %h</td><td class=\"num\">%h</td><td>%h %h</td></tr>", jstr(x, "name"),
                    jstr(x, "total"), jstr(x, "currency"), jstr(x, "total_eur"), jstr(x, "rate"), jstr(x, "rate_month") ? jstr(x, "rate_month") : "");
        bprintf(&r->out, "</tbody><tfoot><tr><th scope=\"row\">%h</th><td class=\"num\">%h %h</td><td class=\"num\">%h</td><td></td></tr>"
                         "<tr><th scope=\"row\">%h</th><td class=\"num\">%h %h</td><td colspan=\"2\">%h %%</td></tr></tfoot></table></div>",
                T(r, "Total"), jstr(side, "total"), jstr(side, "currency"), jstr(side, "total_eur"), no ? T(r, "IR funding") : T(r, "ERDF funding"),
                jstr(side, "funding"), jstr(side, "currency"), jstr(side, "funding_percent"));
    }
    bprintf(&r->out, "<p>%h: <strong>%h EUR</strong></p>", T(r, "Project total"), jstr(t, "total_eur"));
    flat_rates_html(r, t);
    if (!live) { buf_puts(&r->out, "</section>\n"); return; }   /* a submitted version: the exports are of the budget now */
    bprintf(&r->out, "<p><a href=\"/projects/%lld/budget.xlsx\">%h</a> · <a href=\"/projects/%lld/budget.csv\">%h</a> · "
                     "<a href=\"/projects/%lld/application.md\">%h</a></p></section>\n", (long long)r->id[0], T(r, "Budget as a workbook (.xlsx)"),
            (long long)r->id[0], T(r, "Budget as CSV"), (long long)r->id[0], T(r, "Application as Markdown"));
}

/* cut_bytes: the bytes of the first max code points of s (never inside a character) */
static int cut_bytes(const char *s, int max) {
    int b = 0;
    for (int cps = 0; s && s[b] && cps < max; cps++) {
        b++;
        while (s[b] && ((unsigned char)s[b] & 0xC0) == 0x80) b++;
    }
    return b;
}

/* the work plan: a Gantt chart drawn here (SVG, scaled to the screen) and the same as a table */
static void workplan_html(req_t *r, json_t *o, json_t *names) {
    json_t *wps = json_object_get(o, "work_plan");
    if (!json_array_size(wps)) return;
    int dur = (int)json_integer_value(json_object_get(o, "duration_months")), len = proj_doc_period_months(o);
    int nper = proj_periods(dur, len), rows = 0, maxp = nper;
    size_t w, a, k;
    json_t *wp, *act, *x;
    json_array_foreach(wps, w, wp) {
        rows++;
        json_array_foreach(json_object_get(wp, "activities"), a, act) {
            rows++;
            if (json_integer_value(json_object_get(act, "end")) > maxp) maxp = (int)json_integer_value(json_object_get(act, "end"));
        }
    }
    if (maxp < 1) maxp = 1;
    const int label = 220, col = 48, rh = 26, top = 40;
    int width = label + col * maxp + 10, height = top + rh * rows + 6;
    bprintf(&r->out, "<section id=\"work-plan\"><h2>%h</h2>", T(r, "Work plan"));
    bprintf(&r->out, "<figure class=\"gantt\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
                     "aria-labelledby=\"gantt-title\"><title id=\"gantt-title\">%h</title>", width, height,
            T(r, "Gantt chart of the work plan; the table below holds the same"));
    /* each period's number and the month it starts (from the planned start); beyond the duration in red */
    for (int p = 1; p <= maxp; p++) {
        char from[8], to[8];
        bool dated = p <= nper && proj_period_dates(jstr(o, "start"), p, dur, len, from, to);
        bprintf(&r->out, "<text x=\"%d\" y=\"16\" font-size=\"12\" text-anchor=\"middle\" fill=\"%s\">%d</text>", label + col * (p - 1) + col / 2,
                p > nper ? "#b00020" : "#333", p);
        if (dated)
            bprintf(&r->out, "<text x=\"%d\" y=\"32\" font-size=\"9\" text-anchor=\"middle\" fill=\"#555\">%h</text>", label + col * (p - 1) + col / 2, from);
    }
    int y = top;
    json_array_foreach(wps, w, wp) {
        bprintf(&r->out, "<text x=\"4\" y=\"%d\" font-size=\"13\" font-weight=\"bold\" fill=\"#111\">WP%zu %h</text>", y + 17, w + 1,
                jstr(wp, "title"));
        y += rh;
        json_array_foreach(json_object_get(wp, "activities"), a, act) {
            int s0 = (int)json_integer_value(json_object_get(act, "start")), s1 = (int)json_integer_value(json_object_get(act, "end"));
            bprintf(&r->out, "<text x=\"14\" y=\"%d\" font-size=\"12\" fill=\"#222\">%.*h</text>", y + 17,
                    cut_bytes(jstr(act, "title"), 30), jstr(act, "title"));
            bprintf(&r->out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\" fill=\"%s\"/>", label + col * (s0 - 1) + 2, y + 5,
                    col * (s1 - s0 + 1) - 4, rh - 10, json_array_size(json_object_get(act, "partners")) ? "#1f5fa8" : "#b00020");
            y += rh;
        }
    }
    buf_puts(&r->out, "</svg></figure>");
    proj_periods_html(r, o, "work-plan-periods");
    bprintf(&r->out, "<div class=\"table-wrap scroll\" role=\"region\" tabindex=\"0\" aria-label=\"%h\"><table class=\"work-plan\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th><th scope=\"col\">%h</th>"
                     "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
            T(r, "Work packages, activities and deliverables"), T(r, "Work packages, activities and deliverables"), T(r, "Activity"), T(r, "Periods"),
            T(r, "Partners"), T(r, "Deliverables"));
    json_array_foreach(wps, w, wp) {
        bprintf(&r->out, "<tr><th scope=\"rowgroup\" colspan=\"4\">WP%zu %h</th></tr>", w + 1, jstr(wp, "title"));
        json_array_foreach(json_object_get(wp, "activities"), a, act) {
            /* the periods' dates are in the table of reporting periods above (a phone has no room for them here) */
            bprintf(&r->out, "<tr><th scope=\"row\">%h</th><td>%lld–%lld</td><td>", jstr(act, "title"), (long long)json_integer_value(json_object_get(act, "start")),
                    (long long)json_integer_value(json_object_get(act, "end")));
            json_array_foreach(json_object_get(act, "partners"), k, x) {
                const char *n = json_string_value(json_object_get(names, aprintf(r->arena, "%lld", (long long)json_integer_value(x))));
                bprintf(&r->out, "%s%h", k ? ", " : "", n ? n : "");
            }
            if (!json_array_size(json_object_get(act, "partners"))) bprintf(&r->out, "<strong>%h</strong>", T(r, "No partner yet"));
            buf_puts(&r->out, "</td><td>");
            json_array_foreach(json_object_get(act, "deliverables"), k, x)
                bprintf(&r->out, "%s%h (%lld)", k ? "; " : "", jstr(x, "title"), (long long)json_integer_value(json_object_get(x, "period")));
            buf_puts(&r->out, "</td></tr>");
        }
    }
    buf_puts(&r->out, "</tbody></table></div></section>\n");
}

/* the partner search: each sought profile with the best organisations and why; editors invite */
static void search_html(req_t *r, json_t *o, bool editor) {
    json_t *s = api_own(r, proj_partner_search(db_get(), r->arena, r->id[0], o, r->lang));
    if (!json_array_size(s)) return;
    bprintf(&r->out, "<section id=\"partner-search\"><h2>%h</h2>", T(r, "Partners we look for"));
    size_t i, k, j;
    json_t *x, *m, *why;
    json_array_foreach(s, i, x) {
        bprintf(&r->out, "<h3>%h</h3>", jstr(x, "text"));
        if (!json_array_size(json_object_get(x, "matches"))) { bprintf(&r->out, "<p>%h</p>", T(r, "No organisation matches yet.")); continue; }
        buf_puts(&r->out, "<ul class=\"matches\">");
        json_array_foreach(json_object_get(x, "matches"), k, m) {
            int64_t org = json_integer_value(json_object_get(m, "id"));
            bprintf(&r->out, "<li><a href=\"/organisations/%lld\">%h</a> (%h)<ul>", (long long)org, jstr(m, "name"), ref_country_name(jstr(m, "country"), r->lang));
            json_array_foreach(json_object_get(m, "reasons"), j, why) bprintf(&r->out, "<li>%h</li>", jstr(why, "text"));
            buf_puts(&r->out, "</ul>");
            if (editor) {
                form_open(r, aprintf(r->arena, "/projects/%lld/invite", (long long)r->id[0]));
                bprintf(&r->out, "<input type=\"hidden\" name=\"organisation\" value=\"%lld\"><button type=\"submit\" aria-label=\"%h\">%h</button></form>",
                        (long long)org, aprintf_text(r->arena, T(r, "Invite %s"), jstr(m, "name")), T(r, "Invite"));
            }
            buf_puts(&r->out, "</li>");
        }
        buf_puts(&r->out, "</ul>");
    }
    buf_puts(&r->out, "</section>");
}

/* the partners' table; answers to invitations for the organisations' admins when live */
static void partners_html(req_t *r, json_t *o, bool live) {
    db_t *db = db_get();
    bprintf(&r->out, "<section id=\"partners\"><h2>%h</h2>", T(r, "Partners"));
    if (!json_array_size(json_object_get(o, "partners"))) {
        bprintf(&r->out, "<p>%h</p></section>", T(r, "No partners yet."));
        return;
    }
    /* on a phone the rows stack (table.stack): each cell on its own line, named by data-label */
    bprintf(&r->out, "<div class=\"table-wrap scroll\" role=\"region\" tabindex=\"0\" aria-label=\"%h\"><table class=\"stack\"><thead><tr><th scope=\"col\">%h</th>"
                     "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
            T(r, "Partners"), T(r, "Organisation"), T(r, "Country"), T(r, "Role"), T(r, "Answer"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "partners"), i, x) {
        int64_t org = json_integer_value(json_object_get(x, "organisation"));
        /* the partner's type and size, as its record says now */
        json_t *rec = org_load(db, org, false), *emp = json_object_get(rec, "employees");
        const char *kind = ref_kind_label(jstr(rec, "kind"), r->lang);
        const char *size = json_is_integer(emp) ? aprintf_text(r->arena, TN(r, "%lld employee", "%lld employees", (long)json_integer_value(emp)),
                                                               (long long)json_integer_value(emp)) : "";
        bprintf(&r->out, "<tr><th scope=\"row\"><a href=\"/organisations/%lld\">%h</a><br><span class=\"small\">%h%s%h</span></th><td data-label=\"%h\">%h</td><td data-label=\"%h\">%h</td>"
                         "<td data-label=\"%h\"><span class=\"status status-%h\">%h</span>",
                (long long)org, jstr(x, "name"), kind ? kind : "", kind && *size ? ", " : "", size, T(r, "Country"), ref_country_name(jstr(x, "country"), r->lang),
                T(r, "Role"), role_label(r, jstr(x, "role")), T(r, "Answer"), jstr(x, "state"), state_label(r, jstr(x, "state")));
        json_decref(rec);
        if (live && streq(jstr(x, "state"), "invited") && r->user && org_can_admin(db, r->user, org)) {
            const char *action = aprintf(r->arena, "/projects/%lld/partners/%lld/answer", (long long)r->id[0], (long long)org);
            form_open(r, action);
            bprintf(&r->out, "<button type=\"submit\" name=\"accept\" value=\"1\">%h</button> <button type=\"submit\" name=\"accept\" value=\"0\">%h</button></form>",
                    T(r, "Accept"), T(r, "Decline"));
        }
        buf_puts(&r->out, "</td></tr>");
    }
    buf_puts(&r->out, "</tbody></table></div></section>");
}

/* outputs and results: the EU indicators with their targets (names are the Regulation's English) */
static void indicators_html(req_t *r, json_t *o) {
    json_t *ind = json_object_get(o, "indicators");
    if (!json_array_size(ind)) return;
    bprintf(&r->out, "<section id=\"indicators\"><h2>%h</h2><div class=\"table-wrap scroll\" role=\"region\" tabindex=\"0\" aria-label=\"%h\"><table><thead><tr>"
                     "<th scope=\"col\">%h</th><th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
            T(r, "Outputs and results"), T(r, "Outputs and results"), T(r, "Indicator"), T(r, "Kind"), T(r, "Target"));
    bool en = streq(r->lang, "en");
    size_t i;
    json_t *x;
    json_array_foreach(ind, i, x) {
        const char *kind = NULL, *unit = NULL, *name = proj_indicator(jstr(x, "code"), &kind, &unit);
        bprintf(&r->out, "<tr><th scope=\"row\">%h <span%s>%h</span></th><td>%h</td><td class=\"num\">%h <span%s>%h</span></td></tr>", jstr(x, "code"),
                en ? "" : " lang=\"en\"", name ? name : "", streq(kind, "result") ? T(r, "Result") : T(r, "Output"), jstr(x, "target"),
                en ? "" : " lang=\"en\"", unit ? unit : "");
    }
    buf_puts(&r->out, "</tbody></table></div>");
    if (!en) bprintf(&r->out, "<p class=\"hint\">%h</p>", T(r, "The indicators' names are the EU regulation's, in English."));
    buf_puts(&r->out, "</section>");
}

static void deadlines_html(req_t *r, json_t *o) {
    json_t *dl = json_object_get(o, "deadlines");
    if (!json_array_size(dl)) return;
    bprintf(&r->out, "<section id=\"deadlines\"><h2>%h</h2><ul class=\"deadlines\">", T(r, "Deadlines"));
    size_t i;
    json_t *x;
    json_array_foreach(dl, i, x)
        bprintf(&r->out, "<li><time datetime=\"%h\">%h</time> %h</li>", jstr(x, "date"), day_text(r, jstr(x, "date")), jstr(x, "title"));
    bprintf(&r->out, "</ul><p><a href=\"/projects/%lld/deadlines.ics\" type=\"text/calendar\">%h</a></p></section>", (long long)r->id[0],
            T(r, "Subscribe to the deadlines (iCalendar)"));
}

void proj_application_html(req_t *r, json_t *o, json_t *t, const char *missing, json_t *c) {
    if (!str_empty(jstr(o, "summary"))) bprintf(&r->out, "<section><h2>%h</h2><p class=\"desc\">%h</p></section>", T(r, "Summary"), jstr(o, "summary"));
    partners_html(r, o, c != NULL);
    if (json_array_size(json_object_get(o, "cross_border")) || !str_empty(jstr(o, "cross_border_justification"))) {
        bprintf(&r->out, "<section id=\"description\"><h2>%h</h2><ul>", T(r, "Cross-border criteria"));
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(o, "cross_border"), i, x) bprintf(&r->out, "<li>%h</li>", criterion_label(r, json_string_value(x)));
        bprintf(&r->out, "</ul><p class=\"desc\">%h</p></section>", jstr(o, "cross_border_justification"));
    }
    if (c) checklist_html(r, c);
    json_t *names = api_own(r, json_object());
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "partners"), i, x)
        json_object_set(names, aprintf(r->arena, "%lld", (long long)json_integer_value(json_object_get(x, "organisation"))), json_object_get(x, "name"));
    workplan_html(r, o, names);
    indicators_html(r, o);
    budget_html(r, o, t, missing, c != NULL);
    deadlines_html(r, o);
}

void proj_page(req_t *r) {
    db_t *db = db_get();
    json_t *o = api_own(r, proj_load(db, r->arena, r->id[0]));
    if (!o) { resp_error(r, 404, "not-found", T(r, proj_kind.msg_not_found)); return; }
    const char *title = proj_title_of(r, o);
    page_begin(r, aprintf_text(r->arena, "%s – %s", jstr(o, "acronym"), title));
    bprintf(&r->out, "<h1>%h – %h</h1><p class=\"meta\">", jstr(o, "acronym"), title);
    badge(r, jstr(o, "status"));
    bprintf(&r->out, " · %h · %h · %h</p>", programme_label(r, jstr(o, "programme")), type_label(r, jstr(o, "type")),
            aprintf_text(r->arena, T(r, "starts %s, %lld months"), jstr(o, "start"), (long long)json_integer_value(json_object_get(o, "duration_months"))));
    json_t *og = json_object_get(o, "origin");
    if (json_is_object(og)) {
        int64_t table;
        const char *born = origin_text(r, jstr(og, "type"), json_integer_value(json_object_get(og, "id")), &table);
        if (born && streq(jstr(og, "type"), "action"))
            bprintf(&r->out, "<p class=\"origin\">%h <a href=\"/actions/%lld\">%h</a></p>", T(r, "Born from an action item of the roundtable:"),
                    (long long)json_integer_value(json_object_get(og, "id")), born);
        else if (born)
            bprintf(&r->out, "<p class=\"origin\">%h <a href=\"/roundtables/%lld\">%h</a></p>", T(r, "Born from the roundtable:"), (long long)table, born);
    }
    bool editor = proj_may_edit(db, r->user, r->id[0]);
    if (editor)
        bprintf(&r->out, "<p class=\"actions\"><a class=\"button\" href=\"/projects/%lld/edit\">%h</a> <a class=\"button\" href=\"/projects/%lld/budget\">%h</a></p>",
                (long long)r->id[0], T(r, "Edit the project"), (long long)r->id[0], T(r, "Edit the budget"));
    notify_follow_id(r, "project", r->id[0]);   /* followers hear of new statuses and submitted versions (notices.c) */
    /* the application's sections: who marked what ready, comments, and the submitted versions */
    json_t *secs = api_own(r, proj_sections_state(db, r->arena, r->id[0], r->lang));
    bprintf(&r->out, "<section id=\"sections\"><h2>%h</h2><ul class=\"sections\">", T(r, "The application, section by section"));
    size_t i;
    json_t *x;
    json_array_foreach(secs, i, x) {
        long long nc = (long long)json_integer_value(json_object_get(x, "comments"));
        bprintf(&r->out, "<li><a href=\"/projects/%lld/sections/%h\">%h%s%h</a> · %h · %h</li>", (long long)r->id[0], jstr(x, "section"), jstr(x, "letter"),
                str_empty(jstr(x, "letter")) ? "" : " ", jstr(x, "label"),
                !json_is_true(json_object_get(x, "ready")) ? T(r, "Not marked ready")
                : json_is_true(json_object_get(x, "changed_since_ready")) ? T(r, "Marked ready, changed since") : T(r, "Ready"),
                aprintf_text(r->arena, TN(r, "%lld comment", "%lld comments", (long)nc), nc));
    }
    buf_puts(&r->out, "</ul>");
    json_t *subs = api_own(r, proj_submissions(db, r->id[0]));
    json_array_foreach(subs, i, x)
        bprintf(&r->out, "<p><a href=\"/projects/%lld/submitted/%lld\">%h</a></p>", (long long)r->id[0], (long long)json_integer_value(json_object_get(x, "version")),
                aprintf_text(r->arena, T(r, "The version submitted on %s (version %lld), as it was sent"), day_text(r, jstr(x, "at")),
                             (long long)json_integer_value(json_object_get(x, "version"))));
    buf_puts(&r->out, "</section>");
    search_html(r, o, editor);
    json_t *c;
    const char *missing;
    json_t *t = proj_totals(db, r->arena, r->id[0], o, &c, &missing, r->lang);
    proj_application_html(r, o, t, missing, c);
    /* history */
    json_t *h = api_own(r, doc_history(&proj_kind, db, r->id[0]));
    bprintf(&r->out, "<section><h2>%h</h2>", T(r, "History"));
    proj_history_html(r, h);
    buf_puts(&r->out, "</section>");
    page_end(r);
}

/* the label of a document field, as its form names it (the history lists the fields changed) */
static const char *field_label(req_t *r, const char *f) {
    static const char *const map[][2] = {
        {"acronym", N_("Acronym")}, {"title", N_("Title")}, {"summary", N_("Summary")}, {"themes", N_("Key areas")},
        {"programme", N_("Programme")}, {"objective", N_("Specific objective")}, {"type", N_("Project type")},
        {"start", N_("Planned start")}, {"duration_months", N_("Duration in months")}, {"period_months", N_("The call's reporting period, in months")}, {"status", N_("Status")},
        {"submission_month", N_("Month of submission")}, {"origin", N_("Where the project was born")}, {"partners", N_("Partners")},
        {"sought", N_("Partners we look for")}, {"cross_border", N_("Cross-border criteria")},
        {"cross_border_justification", N_("Why the project needs the border")}, {"work_plan", N_("Work plan")},
        {"indicators", N_("Outputs and results")}, {"budget", N_("Budget")}, {"deadlines", N_("Deadlines")}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) if (!strcmp(map[i][0], f)) return T(r, map[i][1]);
    return f;
}

void proj_history_html(req_t *r, json_t *h) {
    buf_puts(&r->out, "<ol class=\"history\">");
    size_t i;
    json_t *x;
    json_array_foreach(h, i, x) {
        json_t *u = json_object_get(x, "user");
        buf_t f;
        buf_init(&f, r->arena);
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(x, "changes"), k, v) bprintf_text(&f, "%s%s", f.len ? ", " : "", field_label(r, k));
        time_t t;
        const char *when = parse_utc(jstr(x, "at"), &t) ? fmt_datetime(r->arena, r->lang, t) : jstr(x, "at");
        const char *who = !json_is_object(u) ? T(r, "the platform")
                          : json_is_true(json_object_get(u, "deleted")) ? T(r, "a deleted user")
                          : !str_empty(jstr(u, "name")) ? jstr(u, "name") : T(r, "the platform");
        bprintf(&r->out, "<li>%h %lld · <time datetime=\"%h\">%h</time> · %h · %h</li>", T(r, "Version"),
                (long long)json_integer_value(json_object_get(x, "version")), jstr(x, "at"), when, who, f.data);
    }
    buf_puts(&r->out, "</ol>");
}

/* ---- the forms ---- */
json_t *proj_form_doc(req_t *r, json_t *base) {
    json_t *in = json_object();
    const char *v;
    if ((v = req_form(r, "acronym"))) json_object_set_new(in, "acronym", json_string(v));
    json_t *t = base ? json_deep_copy(json_object_get(base, "title")) : json_object();
    if (!json_is_object(t)) { json_decref(t); t = json_object(); }
    for (int l = 0; l < 3; l++) {
        char name[16];
        snprintf(name, sizeof name, "title_%s", i18n_langs[l]);
        if ((v = req_form(r, name))) json_object_set_new(t, i18n_langs[l], json_string(v));
    }
    json_object_set_new(in, "title", t);
    if ((v = req_form(r, "summary"))) json_object_set_new(in, "summary", json_string(v));
    if ((v = req_form(r, "programme"))) json_object_set_new(in, "programme", *v ? json_string(v) : json_null());
    if ((v = req_form(r, "type"))) json_object_set_new(in, "type", json_string(v));
    if ((v = req_form(r, "start"))) json_object_set_new(in, "start", json_string(v));
    long long n;
    if ((v = req_form(r, "duration_months"))) json_object_set_new(in, "duration_months", parse_int(v, 1, 1000, &n) ? json_integer(n) : json_string(v));
    if ((v = req_form(r, "period_months"))) json_object_set_new(in, "period_months", !*v ? json_null() : parse_int(v, 1, 1000, &n) ? json_integer(n) : json_string(v));
    if ((v = req_form(r, "status")) && *v) json_object_set_new(in, "status", json_string(v));
    if ((v = req_form(r, "cross_border_justification"))) json_object_set_new(in, "cross_border_justification", json_string(v));
    if ((v = req_form(r, "submission_month"))) json_object_set_new(in, "submission_month", *v ? json_string(v) : json_null());
    if (base && (v = req_form(r, "sought"))) {
        /* one sought partner per line; the country of each stays as it was when the text is the same */
        json_t *a = json_array();
        char *copy = aprintf_text(r->arena, "%s", v), *save = NULL;
        for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
            char *tx = trim(r->arena, line);
            if (!*tx) continue;
            json_t *was = NULL;
            size_t i;
            json_t *x;
            json_array_foreach(json_object_get(base, "sought"), i, x) if (streq(jstr(x, "text"), tx)) was = x;
            json_array_append_new(a, json_pack("{s:s, s:O}", "text", tx, "country", json_object_get(was, "country") ? json_object_get(was, "country") : json_null()));
        }
        json_object_set_new(in, "sought", a);
    }
    /* started from an organisation's page: that organisation is the first partner, its side's lead */
    const char *po = req_form(r, "partner_org");
    if (!base && !str_empty(po) && parse_int(po, 1, INT64_MAX, &n)) {
        json_t *org = org_load(db_get(), n, false);
        const char *c = jstr(org, "country");
        json_object_set_new(in, "partners", json_pack("[{s:I, s:s}]", "organisation", (json_int_t)n, "role", streq(c, "SE") ? "lead-se" : streq(c, "NO") ? "lead-no" : "partner"));
        json_decref(org);
    }
    const char *ot = req_form(r, "origin_type"), *oi = req_form(r, "origin_id");
    if (!base && !str_empty(ot)) json_object_set_new(in, "origin", json_pack("{s:s, s:o}", "type", ot, "id", parse_int(oi ? oi : "", 1, INT64_MAX, &n) ? json_integer(n) : json_null()));
    const char *sec = req_form(r, "section");   /* a section's form holds only its own fields */
    if (base && (!sec || streq(sec, "description"))) {
        const char **cb;
        int ncb = req_form_all(r, "cross_border", &cb);
        json_t *a = json_array();
        for (int i = 0; i < ncb; i++) json_array_append_new(a, json_string(cb[i]));
        json_object_set_new(in, "cross_border", a);
    }
    return in;
}

/* project_form: the fields of one section (NULL: identification, description and partners we
 * look for; created: the new project's form, identification only) */
void proj_form(req_t *r, const char *action, json_t *o, json_t *errors, bool created, const proj_section_t *sec) {
    form_open(r, action);
    form_errors_summary(r, errors);
    if (!created) doc_form_version(r, o);
    if (sec) bprintf(&r->out, "<input type=\"hidden\" name=\"section\" value=\"%h\">", sec->slug);
    json_t *og = json_object_get(o, "origin");
    json_t *p0 = json_array_get(json_object_get(o, "partners"), 0);
    if (created && p0) {
        int64_t org = json_integer_value(json_object_get(p0, "organisation"));
        const char *name = org_name(db_get(), r->arena, org);
        bprintf(&r->out, "<input type=\"hidden\" name=\"partner_org\" value=\"%lld\"><p>%h <a href=\"/organisations/%lld\">%h</a></p>", (long long)org,
                T(r, "With the organisation:"), (long long)org, name ? name : "");
    }
    if (created && json_is_object(og))
        bprintf(&r->out, "<input type=\"hidden\" name=\"origin_type\" value=\"%h\"><input type=\"hidden\" name=\"origin_id\" value=\"%lld\">",
                jstr(og, "type"), (long long)json_integer_value(json_object_get(og, "id")));
    bool ident = !sec || streq(sec->slug, "identification"), desc = !created && (!sec || streq(sec->slug, "description")),
         sought = !created && (!sec || streq(sec->slug, "partners"));
    if (ident) {
        field_text(r, "acronym", T(r, "Acronym"), jstr(o, "acronym"), errors, "text", T(r, "At most 25 characters."), true);
        json_t *t = json_object_get(o, "title");
        field_text(r, "title_sv", T(r, "Title in Swedish"), jstr(t, "sv"), errors, "text", NULL, false);
        field_text(r, "title_nb", T(r, "Title in Norwegian"), jstr(t, "nb"), errors, "text", NULL, false);
        field_text(r, "title_en", T(r, "Title in English"), jstr(t, "en"), errors, "text", NULL, false);
        field_textarea(r, "summary", T(r, "Summary"), jstr(o, "summary"), errors, T(r, "The application form allows 2000 characters."));
        option_t po[5];
        for (int i = 0; i < 5; i++) po[i] = (option_t){programme_codes[i], T(r, programme_names[i])};
        field_select(r, "programme", T(r, "Programme"), po, 5, jstr(o, "programme"), errors, true);
        option_t ty[3] = {{"pre-project", T(r, "Pre-project")}, {"main", T(r, "Main project")}, {"small", T(r, "Small-scale project")}};
        field_select(r, "type", T(r, "Project type"), ty, 3, jstr(o, "type") ? jstr(o, "type") : "pre-project", errors, false);
        field_text(r, "start", T(r, "Planned start"), jstr(o, "start"), errors, "month", T(r, "A month: YYYY-MM."), true);
        json_t *du = json_object_get(o, "duration_months");
        field_text(r, "duration_months", T(r, "Duration in months"), json_is_integer(du) ? aprintf(r->arena, "%lld", (long long)json_integer_value(du)) : jstr(o, "duration_months"),
                   errors, "number", NULL, true);
    }
    if (ident && !created) {
        const char *cur = jstr(o, "status");
        option_t so[11];
        int n = 0;
        so[n++] = (option_t){cur, proj_status_label(cur, r->lang)};
        for (int i = 0; i < 10; i++) if (proj_move_allowed(cur, proj_statuses[i])) so[n++] = (option_t){proj_statuses[i], proj_status_label(proj_statuses[i], r->lang)};
        field_select(r, "status", T(r, "Status"), so, n, cur, errors, false);
        field_text(r, "submission_month", T(r, "Month of submission"), jstr(o, "submission_month"), errors, "month",
                   T(r, "YYYY-MM. Swedish amounts convert to EUR at the Commission's rate of this month."), false);
        json_t *pm = json_object_get(o, "period_months");
        field_text(r, "period_months", T(r, "The call's reporting period, in months"),
                   json_is_integer(pm) ? aprintf(r->arena, "%lld", (long long)json_integer_value(pm)) : jstr(o, "period_months"), errors, "number",
                   aprintf_text(r->arena, T(r, "Leave empty for the programme's: %d months."), proj_period_months(jstr(o, "programme"))), false);
    }
    if (desc) {
        option_t cb[3] = {{"border-as-resource", T(r, "The border as a resource")}, {"complementary-resources", T(r, "Complementary resources and skills")},
                          {"reducing-obstacles", T(r, "Reducing border obstacles")}};
        const char *checked[3];
        int nc = 0;
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(o, "cross_border"), i, x) if (nc < 3 && json_is_string(x)) checked[nc++] = json_string_value(x);
        field_checks(r, "cross_border", T(r, "Cross-border criteria"), cb, 3, checked, nc, errors);
        field_textarea(r, "cross_border_justification", T(r, "Why the project needs the border"), jstr(o, "cross_border_justification"), errors, NULL);
    }
    if (sought) {
        buf_t sb;
        buf_init(&sb, r->arena);
        size_t si;
        json_t *sx;
        json_array_foreach(json_object_get(o, "sought"), si, sx) { buf_puts(&sb, jstr(sx, "text")); buf_putc(&sb, '\n'); }
        field_textarea(r, "sought", T(r, "Partners we look for"), json_is_string(json_object_get(o, "sought")) ? jstr(o, "sought") : sb.data, errors,
                       T(r, "One per line, such as “a Norwegian testbed for wood packaging”."));
    }
    form_close(r, created ? T(r, "Start the project") : T(r, "Save"));
}

/* origin_text: the text of the roundtable bullet a project is born from (of the action item's bullet) */
static const char *origin_text(req_t *r, const char *type, int64_t id, int64_t *table) {
    db_t *db = db_get();
    int64_t bullet = streq(type, "action") ? rt_action_bullet(db, id) : streq(type, "bullet") ? id : 0;
    *table = bullet ? rt_bullet_table(db, bullet) : 0;
    if (!*table) return NULL;
    json_t *b = api_own(r, rt_bullet_load(db, bullet));
    return b ? jstr(b, "text") : NULL;
}

void proj_new_page(req_t *r) {
    json_t *o = api_own(r, json_object());
    long long id;
    const char *type = req_query(r, "bullet") ? "bullet" : req_query(r, "action") ? "action" : NULL;
    int64_t table = 0;
    const char *born = NULL;
    if (type && parse_int(req_query(r, type), 1, INT64_MAX, &id) && (born = origin_text(r, type, id, &table))) {
        /* "make this a project": the bullet's text as the summary and a first title */
        json_object_set_new(o, "origin", json_pack("{s:s, s:I}", "type", type, "id", (json_int_t)id));
        json_object_set_new(o, "summary", json_string(born));
        json_t *t = json_object();
        int cut = 0, cps = 0;
        while (born[cut] && cps < 120) { cut++; while (born[cut] && ((unsigned char)born[cut] & 0xC0) == 0x80) cut++; cps++; }
        json_object_set_new(t, r->lang, json_string(aprintf_text(r->arena, "%.*s", cut, born)));
        json_object_set_new(o, "title", t);
    }
    long long org;
    const char *oq = req_query(r, "organisation");
    if (!str_empty(oq) && parse_int(oq, 1, INT64_MAX, &org) && org_exists(db_get(), org))
        json_object_set_new(o, "partners", json_pack("[{s:I}]", "organisation", (json_int_t)org));
    page_begin(r, T(r, "Start a project"));
    bprintf(&r->out, "<h1>%h</h1><p class=\"lead\">%h</p>", T(r, "Start a project"), T(r, "An idea is public from day one, so others can join early."));
    if (born) bprintf(&r->out, "<p>%h <a href=\"/roundtables/%lld\">%h</a></p>", T(r, "Born from the roundtable:"), (long long)table, born);
    proj_form(r, "/projects/new", o, NULL, true, NULL);
    page_end(r);
}

static void new_form(req_t *r, json_t *in, json_t *errors) { proj_form(r, "/projects/new", in, errors, true, NULL); }

void proj_create_post(req_t *r) {
    doc_page_create_post(r, &proj_kind, T(r, "Start a project"), api_own(r, proj_form_doc(r, NULL)), new_form, "saved", "/projects");
}

static void edit_form(req_t *r, json_t *in, json_t *errors) {
    proj_form(r, aprintf(r->arena, "/projects/%lld/edit", (long long)r->id[0]), in, errors, false, NULL);
}

void proj_edit_page(req_t *r) {
    if (!doc_page_may_edit(r, &proj_kind)) return;
    json_t *o = api_own(r, proj_load(db_get(), r->arena, r->id[0]));
    doc_page_edit_head(r, jstr(o, "acronym"), aprintf(r->arena, "/projects/%lld", (long long)r->id[0]), T(r, "Back to the project"), T(r, "Every version is kept."));
    edit_form(r, o, NULL);
    page_end(r);
}

void proj_edit_post(req_t *r) {
    if (!doc_page_may_edit(r, &proj_kind)) return;
    json_t *base = api_own(r, doc_snapshot(&proj_kind, db_get(), r->id[0], 0, NULL));
    doc_page_edit_post(r, &proj_kind, proj_over(r, base, proj_form_doc(r, base)), base, jstr(base, "acronym"), edit_form,
                    aprintf(r->arena, "/projects/%lld", (long long)r->id[0]));
}

void proj_answer_post(req_t *r) {
    db_t *db = db_get();
    const char *acc = req_form(r, "accept");
    int rc = proj_answer(db, r->arena, r->id[0], r->id[1], r->user, streq(acc, "1"));
    if (rc == 404) { resp_error(r, 404, "not-found", T(r, "This organisation is not a partner of the project.")); return; }
    if (rc == 403) { resp_error(r, 403, "forbidden", T(r, "Only the organisation's administrators may answer its invitation.")); return; }
    if (rc == 409) { resp_error(r, 409, "not-invited", T(r, "This invitation has been answered already.")); return; }
    if (rc) { resp_error(r, 500, "db", T(r, proj_kind.msg_save_failed)); return; }
    flash_set(r, "saved");
    resp_redirect(r, aprintf(r->arena, "/projects/%lld", (long long)r->id[0]));
}

/* ---- the budget form: one fieldset per line (stacked, so it works on a phone) ---- */
/* The three lists of the budget drawn and read by one description each: a form field per member,
 * named <prefix>_<name>_<n>; integers (partner, period) as numbers when they parse. */
enum { F_TEXT, F_NUMBER, F_PARTNER, F_CATEGORY, F_CURRENCY, F_LUMP_PERIOD /* a period, the preparation or the closure */ };
typedef struct budget_field { const char *key, *name, *label; int type; bool counts; } budget_field_t;
typedef struct budget_list {
    const char *key, *prefix;
    int empty, nf;
    budget_field_t f[7];
} budget_list_t;
static const budget_list_t budget_lists[3] = {
    {"lines", "line", 3, 7,
     {{"partner", "partner", N_("Partner"), F_PARTNER, true}, {"category", "category", N_("Category"), F_CATEGORY, true},
      {"period", "period", N_("Period"), F_NUMBER, true}, {"units", "units", N_("Units"), F_TEXT, true},
      {"unit_price", "price", N_("Unit price"), F_TEXT, true}, {"currency", "currency", N_("Currency"), F_CURRENCY, false},
      {"description", "desc", N_("Description"), F_TEXT, true}}},
    {"lump_sums", "lump", 1, 5,
     {{"partner", "partner", N_("Partner"), F_PARTNER, false}, {"period", "period", N_("Period"), F_LUMP_PERIOD, true},
      {"description", "desc", N_("What the lump sum pays for"), F_TEXT, true}, {"amount", "amount", N_("Amount"), F_TEXT, true},
      {"currency", "currency", N_("Currency"), F_CURRENCY, false}}},
    {"cofinancing", "cof", 2, 3,
     {{"partner", "partner", N_("Partner"), F_PARTNER, false}, {"source", "source", N_("Source"), F_TEXT, true},
      {"percent", "percent", N_("Share, %"), F_TEXT, true}}},
};

static const char *value_text(req_t *r, json_t *v) {
    return json_is_integer(v) ? aprintf(r->arena, "%lld", (long long)json_integer_value(v)) : json_string_value(v);
}

static void budget_list_form(req_t *r, json_t *doc, const budget_list_t *L, json_t *items, const option_t *po, int np, json_t *errors) {
    option_t cats[CAT_LINES], cur[3] = {{"SEK", "SEK"}, {"NOK", "NOK"}, {"EUR", "EUR"}};
    for (int c = 0; c < CAT_LINES; c++) cats[c] = (option_t){proj_categories[c], T(r, proj_category_labels[c])};
    /* a lump sum's period: the preparation, each period of the duration (with its dates), the closure;
     * a period beyond the duration that is saved stays a choice, so the form shows it as it is */
    int nper = proj_periods((int)json_integer_value(json_object_get(doc, "duration_months")), proj_doc_period_months(doc)), maxp = nper;
    size_t j;
    json_t *y;
    json_array_foreach(items, j, y) if (json_integer_value(json_object_get(y, "period")) > maxp && json_integer_value(json_object_get(y, "period")) <= 100) maxp = (int)json_integer_value(json_object_get(y, "period"));
    option_t *lp = arena_alloc(r->arena, sizeof(option_t) * (size_t)(maxp + 2));
    lp[0] = (option_t){"preparation", T(r, "Preparation")};
    for (int q = 1; q <= maxp; q++) lp[q] = (option_t){aprintf(r->arena, "%d", q), proj_period_label(r, doc, api_own(r, json_integer(q)))};
    lp[maxp + 1] = (option_t){"closure", T(r, "Closure")};
    size_t n = json_array_size(items);
    for (size_t i = 0; i < n + (size_t)L->empty; i++) {
        json_t *it = json_array_get(items, i);
        const char *legend = streq(L->key, "lines") ? aprintf_text(r->arena, T(r, "Budget line %zu"), i + 1)
                             : streq(L->key, "lump_sums") ? aprintf_text(r->arena, T(r, "Lump sum %zu"), i + 1)
                             : aprintf_text(r->arena, T(r, "Co-financing line %zu"), i + 1);
        bprintf(&r->out, "<fieldset class=\"budget-line %h\"><legend>%h</legend>", L->prefix, legend);
        for (int k = 0; k < L->nf; k++) {
            const budget_field_t *f = &L->f[k];
            const char *name = aprintf_text(r->arena, "%s_%s_%zu", L->prefix, f->name, i), *val = value_text(r, json_object_get(it, f->key));
            if (f->type == F_PARTNER) field_select(r, name, T(r, f->label), po, np, val, errors, true);
            else if (f->type == F_CATEGORY) field_select(r, name, T(r, f->label), cats, CAT_LINES, val, errors, true);
            else if (f->type == F_CURRENCY) field_select(r, name, T(r, f->label), cur, 3, val, errors, true);
            else if (f->type == F_LUMP_PERIOD) field_select(r, name, T(r, f->label), lp, maxp + 2, val, errors, true);
            else field_text(r, name, T(r, f->label), val, errors, f->type == F_NUMBER ? "number" : "text",
                            streq(f->key, "source") ? T(r, "ERDF, IR, a region, own contribution…") : NULL, false);
        }
        proj_fieldset_end(r, errors, aprintf_text(r->arena, "budget.%s[%zu]", L->key, i));
    }
}

/* budget_list_read: the posted rows of one list; rows left empty are skipped, the rest given as
 * typed so the pipeline's validation names what is wrong */
static json_t *budget_list_read(req_t *r, const budget_list_t *L) {
    json_t *out = json_array();
    for (int i = 0; i < PROJ_MAX_LINES; i++) {
        const char *val[7];
        bool any = false, present = false;
        for (int k = 0; k < L->nf; k++) {
            val[k] = req_form(r, aprintf_text(r->arena, "%s_%s_%d", L->prefix, L->f[k].name, i));
            if (val[k]) present = true;
            if (!str_empty(val[k]) && L->f[k].counts) any = true;
        }
        if (!present) break;
        if (!any) continue;
        json_t *o = json_object();
        for (int k = 0; k < L->nf; k++) {
            long long n;
            bool num = L->f[k].type == F_PARTNER || L->f[k].type == F_NUMBER || L->f[k].type == F_LUMP_PERIOD;
            bool edge = L->f[k].type == F_LUMP_PERIOD && (streq(val[k], "preparation") || streq(val[k], "closure"));
            json_object_set_new(o, L->f[k].key, !num || edge ? json_string(val[k] ? val[k] : "")
                                                : val[k] && parse_int(val[k], 1, INT64_MAX, &n) ? json_integer(n) : json_null());
        }
        json_array_append_new(out, o);
    }
    return out;
}

static void budget_form(req_t *r, json_t *doc, json_t *errors) {
    db_t *db = db_get();
    json_t *budget = json_object_get(doc, "budget");
    form_open(r, aprintf(r->arena, "/projects/%lld/budget", (long long)r->id[0]));
    form_errors_summary(r, errors);
    doc_form_version(r, doc);
    int np;
    proj_partner_info_t *p = proj_partners(db, r->arena, r->id[0], &np);
    option_t *po = arena_alloc(r->arena, sizeof(option_t) * (size_t)(np + 1));
    int n = 0;
    for (int k = 0; k < np; k++)
        if (!streq(p[k].role, "associated") && !streq(p[k].state, "declined"))
            po[n++] = (option_t){aprintf(r->arena, "%lld", (long long)p[k].org), p[k].name ? p[k].name : ""};
    json_t *fr = json_object_get(budget, "flat_rates"), *fu = json_object_get(budget, "funding");
    proj_periods_html(r, doc, "budget-periods");
    bprintf(&r->out, "<fieldset class=\"flat-rates\"><legend>%h</legend>", T(r, "Flat rates and funding"));
    flat_rules_html(r, jstr(doc, "programme"));
    proj_field_error(r, errors, "budget.flat_rates");
    for (int f = 0; f < FLAT_N; f++)
        field_text(r, aprintf_text(r->arena, "flat_%s", proj_flat_keys[f]), T(r, proj_flat_labels[f]), jstr(fr, proj_flat_keys[f]), errors, "text", NULL, false);
    field_text(r, "funding_erdf", T(r, "ERDF funding rate, % (at most 65)"), jstr(fu, "erdf"), errors, "text", NULL, false);
    field_text(r, "funding_ir", T(r, "IR funding rate, % (at most 50)"), jstr(fu, "ir"), errors, "text", NULL, false);
    buf_puts(&r->out, "</fieldset>");
    for (int l = 0; l < 3; l++) {
        if (l == 1) bprintf(&r->out, "<h2>%h</h2><p class=\"hint\">%h</p>", T(r, "Lump sums"),
                            T(r, "An amount agreed in advance for a result, paid when the result is delivered, in the partner's currency."));
        if (l == 2) bprintf(&r->out, "<h2>%h</h2>", T(r, "Co-financing"));
        budget_list_form(r, doc, &budget_lists[l], json_object_get(budget, budget_lists[l].key), po, n, errors);
    }
    form_close(r, T(r, "Save the budget"));
}

static json_t *budget_from_form(req_t *r) {
    json_t *b = json_object(), *fr = json_object(), *fu = json_object();
    const char *v;
    for (int f = 0; f < FLAT_N; f++)
        if (!str_empty(v = req_form(r, aprintf_text(r->arena, "flat_%s", proj_flat_keys[f])))) json_object_set_new(fr, proj_flat_keys[f], json_string(v));
    if (!str_empty(v = req_form(r, "funding_erdf"))) json_object_set_new(fu, "erdf", json_string(v));
    if (!str_empty(v = req_form(r, "funding_ir"))) json_object_set_new(fu, "ir", json_string(v));
    for (int l = 0; l < 3; l++) json_object_set_new(b, budget_lists[l].key, budget_list_read(r, &budget_lists[l]));
    json_object_set_new(b, "flat_rates", fr);
    json_object_set_new(b, "funding", fu);
    return b;
}

void proj_budget_page(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &proj_kind)) return;
    json_t *o = api_own(r, proj_load(db, r->arena, r->id[0]));
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "Budget"), jstr(o, "acronym")));
    bprintf(&r->out, "<h1>%h: %h</h1><p><a href=\"/projects/%lld\">%h</a> · <a href=\"/projects/%lld/sections/budget\">%h</a></p><p class=\"lead\">%h</p>",
            T(r, "Budget"), jstr(o, "acronym"), (long long)r->id[0], T(r, "Back to the project"), (long long)r->id[0], T(r, "History, comments and ready mark"),
            T(r, "Each partner budgets in its own currency: Swedish partners in SEK or EUR, Norwegian partners in NOK. Amounts are decimals with a point, such as 1250.50."));
    /* the rates the saved budget applies (the form below changes them) */
    const char *missing;
    json_t *t = proj_totals(db, r->arena, r->id[0], o, NULL, &missing, r->lang);
    if (t) flat_rates_html(r, t);
    budget_form(r, o, NULL);
    page_end(r);
}

void proj_budget_post(req_t *r) {
    if (!doc_page_may_edit(r, &proj_kind)) return;
    json_t *base = api_own(r, doc_snapshot(&proj_kind, db_get(), r->id[0], 0, NULL));
    json_t *in = proj_over(r, base, json_pack("{s:o}", "budget", budget_from_form(r)));
    doc_page_edit_post(r, &proj_kind, in, base, aprintf_text(r->arena, "%s: %s", T(r, "Budget"), jstr(base, "acronym")), budget_form,
                    aprintf(r->arena, "/projects/%lld#budget", (long long)r->id[0]));
}

/* POST /projects/{id}/invite: an editor invites an organisation found by the partner search */
void proj_invite_post(req_t *r) {
    db_t *db = db_get();
    if (!doc_page_may_edit(r, &proj_kind)) return;
    json_t *base = api_own(r, doc_snapshot(&proj_kind, db, r->id[0], 0, NULL));
    long long org;
    const char *v = req_form(r, "organisation");
    json_t *list = api_own(r, json_deep_copy(json_object_get(base, "partners")));
    if (!json_is_array(list)) list = api_own(r, json_array());
    json_array_append_new(list, json_pack("{s:o, s:s}", "organisation", v && parse_int(v, 1, INT64_MAX, &org) ? json_integer(org) : json_null(), "role", "partner"));
    json_t *in = api_own(r, json_pack("{s:O}", "partners", list));
    json_t *errors;
    doc_rc_t rc = doc_page_edit(r, &proj_kind, in, base, &errors);
    if (rc == DOC_INVALID || rc == DOC_CONFLICT) {
        const char *k;
        json_t *e;
        const char *msg = NULL;
        json_object_foreach(errors, k, e) if (!msg) msg = json_string_value(e);
        resp_error(r, rc == DOC_CONFLICT ? 409 : 422, "invalid", msg ? msg : T(r, proj_kind.msg_save_failed));
        return;
    }
    if (rc != DOC_SAVED && rc != DOC_UNCHANGED) return; /* answered */
    flash_set(r, rc == DOC_SAVED ? "saved" : "unchanged");
    resp_redirect(r, aprintf(r->arena, "/projects/%lld#partners", (long long)r->id[0]));
}
