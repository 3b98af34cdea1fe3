/* Writing the application together, on pages and in the API: one page per section (its form,
 * its history, comments and the ready mark), the work-plan form (work packages, activities,
 * deliverables, indicators), the deadlines (form, iCalendar feed, the shared calendar's list),
 * and the frozen submitted versions. Saves go through the pipeline (doc_page_edit_post,
 * doc_api_save): a stale form is merged or refused, never silently overwritten. */
#include <libical/ical.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/util.h"
#include "html/feed.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "projects/projects.h"
#include "projects/views.h"

enum { MAX_FORM_WPS = 25, MAX_FORM_ACTS = 35, MAX_FORM_DELS = 12, MAX_FORM_ROWS = 40 };

static const char *num_text(req_t *r, json_t *v) {
    return json_is_integer(v) ? aprintf(r->arena, "%lld", (long long)json_integer_value(v)) : json_string_value(v);
}

/* form_int: a posted whole number as a JSON integer, else null (validation names the field) */
static json_t *form_int(const char *v) {
    long long n;
    return v && parse_int(v, 1, 100000, &n) ? json_integer(n) : json_null();
}

/* pairs_read: the posted rows <prefix>_<n>_<a> and _<b> as [{a, b}] (strings), rows left empty skipped */
static json_t *pairs_read(req_t *r, const char *prefix, const char *a, const char *b) {
    json_t *out = json_array();
    for (int i = 0; i < MAX_FORM_ROWS; i++) {
        const char *va = req_form(r, aprintf_text(r->arena, "%s_%d_%s", prefix, i, a)), *vb = req_form(r, aprintf_text(r->arena, "%s_%d_%s", prefix, i, b));
        if (!va && !vb) break;
        if (!str_empty(va) || !str_empty(vb)) json_array_append_new(out, json_pack("{s:s, s:s}", a, va ? va : "", b, vb ? vb : ""));
    }
    return out;
}

/* rows_form: a fieldset (class cls) for every item of list and two empty ones, each drawn by row
 * (its legend and fields) and closed with the error of "key[i]" */
typedef void (*row_fn)(req_t *r, size_t i, json_t *item, json_t *errors, const void *ctx);
static void rows_form(req_t *r, json_t *list, const char *cls, const char *key, row_fn row, json_t *errors, const void *ctx) {
    size_t n = json_is_array(list) ? json_array_size(list) : 0;
    for (size_t i = 0; i < n + 2 && i < MAX_FORM_ROWS; i++) {
        bprintf(&r->out, "<fieldset class=\"%h\">", cls);
        row(r, i, json_array_get(list, i), errors, ctx);
        proj_fieldset_end(r, errors, aprintf_text(r->arena, "%s[%zu]", key, i));
    }
}

/* the indicators' select: ctx is the options (code – name), proj_indicator_count() of them */
static void indicator_row(req_t *r, size_t i, json_t *it, json_t *errors, const void *ctx) {
    bprintf(&r->out, "<legend>%h</legend><div lang=\"en\">", aprintf_text(r->arena, T(r, "Indicator %zu"), i + 1));
    field_select(r, aprintf_text(r->arena, "ind_%zu_code", i), T(r, "Indicator"), ctx, proj_indicator_count(), jstr(it, "code"), errors, true);
    buf_puts(&r->out, "</div>");
    field_text(r, aprintf_text(r->arena, "ind_%zu_target", i), T(r, "Target value"), jstr(it, "target"), errors, "text", NULL, false);
}

static void deadline_row(req_t *r, size_t i, json_t *x, json_t *errors, const void *ctx) {
    (void)ctx;
    bprintf(&r->out, "<legend>%h</legend>", aprintf_text(r->arena, T(r, "Deadline %zu"), i + 1));
    field_text(r, aprintf_text(r->arena, "dl_%zu_date", i), T(r, "Date"), jstr(x, "date"), errors, "date", T(r, "YYYY-MM-DD."), false);
    field_text(r, aprintf_text(r->arena, "dl_%zu_title", i), T(r, "What is due"), jstr(x, "title"), errors, "text", NULL, false);
}

/* ---- the work plan and the indicators ---- */
static void workplan_form(req_t *r, json_t *o, json_t *errors) {
    db_t *db = db_get();
    json_t *partners = json_object_get(o, "partners");
    size_t np = json_array_size(partners), i, w, a, d;
    json_t *x;
    option_t *po = arena_alloc(r->arena, sizeof(option_t) * (np + 1));
    json_array_foreach(partners, i, x) {
        int64_t org = json_integer_value(json_object_get(x, "organisation"));
        const char *name = jstr(x, "name") ? jstr(x, "name") : org_name(db, r->arena, org);
        po[i] = (option_t){aprintf(r->arena, "%lld", (long long)org), name ? name : ""};
    }
    form_open(r, aprintf(r->arena, "/projects/%lld/sections/work-plan", (long long)r->id[0]));
    form_errors_summary(r, errors);
    doc_form_version(r, o);
    bprintf(&r->out, "<p class=\"hint\">%h</p>", aprintf_text(r->arena, T(r, "Periods are reporting periods of %d months, numbered from 1."), proj_doc_period_months(o)));
    proj_periods_html(r, o, "work-plan-periods");
    json_t *wps = json_object_get(o, "work_plan");
    size_t nw = json_is_array(wps) ? json_array_size(wps) : 0;
    for (w = 0; w <= nw && w < MAX_FORM_WPS; w++) {
        json_t *wp = json_array_get(wps, w), *acts = json_object_get(wp, "activities");
        bprintf(&r->out, "<fieldset class=\"work-package\"><legend>%h</legend>", aprintf_text(r->arena, T(r, "Work package %zu"), w + 1));
        field_text(r, aprintf(r->arena, "wp_%zu_title", w), T(r, "Title of the work package"), jstr(wp, "title"), errors, "text", NULL, false);
        proj_field_error(r, errors, aprintf_text(r->arena, "work_plan[%zu]", w));
        size_t na = json_array_size(acts);
        for (a = 0; a <= na && a < MAX_FORM_ACTS; a++) {
            json_t *act = json_array_get(acts, a), *dels = json_object_get(act, "deliverables");
            bprintf(&r->out, "<fieldset class=\"activity\"><legend>%h</legend>", aprintf_text(r->arena, T(r, "Activity %zu.%zu"), w + 1, a + 1));
            const char *p = aprintf(r->arena, "act_%zu_%zu", w, a);
            field_text(r, aprintf_text(r->arena, "%s_title", p), T(r, "Activity"), jstr(act, "title"), errors, "text", NULL, false);
            field_text(r, aprintf_text(r->arena, "%s_start", p), T(r, "First period"), num_text(r, json_object_get(act, "start")), errors, "number", NULL, false);
            field_text(r, aprintf_text(r->arena, "%s_end", p), T(r, "Last period"), num_text(r, json_object_get(act, "end")), errors, "number", NULL, false);
            const char **checked = arena_alloc(r->arena, sizeof(char *) * (np + 1));
            int nc = 0;
            json_array_foreach(json_object_get(act, "partners"), i, x) if ((size_t)nc < np) checked[nc++] = num_text(r, x);
            if (np) field_checks(r, aprintf_text(r->arena, "%s_partners", p), T(r, "Partners involved"), po, (int)np, checked, nc, errors);
            size_t nd = json_array_size(dels);
            for (d = 0; d <= nd && d < MAX_FORM_DELS; d++) {
                json_t *del = json_array_get(dels, d);
                field_text(r, aprintf(r->arena, "del_%zu_%zu_%zu_title", w, a, d), aprintf_text(r->arena, T(r, "Deliverable %zu"), d + 1), jstr(del, "title"),
                           errors, "text", NULL, false);
                field_text(r, aprintf(r->arena, "del_%zu_%zu_%zu_period", w, a, d), T(r, "Due in period"), num_text(r, json_object_get(del, "period")), errors,
                           "number", NULL, false);
            }
            proj_field_error(r, errors, aprintf_text(r->arena, "work_plan[%zu].activities[%zu]", w, a));
            buf_puts(&r->out, "</fieldset>");
        }
        buf_puts(&r->out, "</fieldset>");
    }
    /* outputs and results */
    int nind = proj_indicator_count();
    option_t *io = arena_alloc(r->arena, sizeof(option_t) * (size_t)(nind + 1));
    for (int k = 0; k < nind; k++) {
        const char *code, *kind, *name = proj_indicator_at(k, &code, &kind);
        io[k] = (option_t){code, aprintf_text(r->arena, "%s – %s", code, name)};
    }
    bprintf(&r->out, "<h2>%h</h2><p class=\"hint\">%h</p>", T(r, "Outputs and results"),
            T(r, "The EU's common output (RCO) and result (RCR) indicators, with the target the project commits to. Their names are the regulation's, in English."));
    rows_form(r, json_object_get(o, "indicators"), "indicator", "indicators", indicator_row, errors, io);
    form_close(r, T(r, "Save the work plan"));
}

/* workplan_read: the posted work plan and indicators; rows left empty are skipped */
static json_t *workplan_read(req_t *r) {
    json_t *wps = json_array();
    for (int w = 0; w < MAX_FORM_WPS; w++) {
        const char *title = req_form(r, aprintf(r->arena, "wp_%d_title", w));
        if (!title) break;
        json_t *acts = json_array();
        for (int a = 0; a < MAX_FORM_ACTS; a++) {
            const char *p = aprintf_text(r->arena, "act_%d_%d", w, a), *at = req_form(r, aprintf_text(r->arena, "%s_title", p));
            if (!at) break;
            const char *st = req_form(r, aprintf_text(r->arena, "%s_start", p)), *en = req_form(r, aprintf_text(r->arena, "%s_end", p));
            const char **ps;
            int nps = req_form_all(r, aprintf_text(r->arena, "%s_partners", p), &ps);
            json_t *partners = json_array(), *dels = json_array();
            for (int k = 0; k < nps; k++) {
                long long org;
                json_array_append_new(partners, parse_int(ps[k], 1, INT64_MAX, &org) ? json_integer(org) : json_string(ps[k]));
            }
            for (int d = 0; d < MAX_FORM_DELS; d++) {
                const char *dt = req_form(r, aprintf(r->arena, "del_%d_%d_%d_title", w, a, d)), *dp = req_form(r, aprintf(r->arena, "del_%d_%d_%d_period", w, a, d));
                if (!dt) break;
                if (str_empty(dt) && str_empty(dp)) continue;
                json_array_append_new(dels, json_pack("{s:s, s:o}", "title", dt, "period", form_int(dp)));
            }
            if (str_empty(at) && str_empty(st) && str_empty(en) && !json_array_size(dels)) {
                json_decref(partners);
                json_decref(dels);
                continue;
            }
            json_array_append_new(acts, json_pack("{s:s, s:o, s:o, s:o, s:o}", "title", at, "start", form_int(st), "end", form_int(en), "partners", partners,
                                                  "deliverables", dels));
        }
        if (str_empty(title) && !json_array_size(acts)) { json_decref(acts); continue; }
        json_array_append_new(wps, json_pack("{s:s, s:o}", "title", title, "activities", acts));
    }
    json_t *ind = pairs_read(r, "ind", "code", "target");
    return json_pack("{s:o, s:o}", "work_plan", wps, "indicators", ind);
}

/* ---- deadlines ---- */
static json_t *deadlines_read(req_t *r) { return json_pack("{s:o}", "deadlines", pairs_read(r, "dl", "date", "title")); }
static void deadlines_form(req_t *r, json_t *o, json_t *errors) {
    form_open(r, aprintf(r->arena, "/projects/%lld/sections/deadlines", (long long)r->id[0]));
    form_errors_summary(r, errors);
    doc_form_version(r, o);
    bprintf(&r->out, "<p class=\"hint\">%h</p>",
            T(r, "The call's deadline and your own: they appear in the shared calendar and in the project's iCalendar feed."));
    rows_form(r, json_object_get(o, "deadlines"), "deadline", "deadlines", deadline_row, errors, NULL);
    form_close(r, T(r, "Save the deadlines"));
}


/* ---- one section's page ---- */
static const char *section_title(req_t *r, const proj_section_t *s) {
    return str_empty(s->letter) ? T(r, s->label) : aprintf_text(r->arena, "%s %s", s->letter, T(r, s->label));
}

/* section_form: the section's own form (the form callback of doc_page_edit_post: the section is the path's) */
static void section_form(req_t *r, json_t *o, json_t *errors) {
    const proj_section_t *s = proj_section(r->arg[0]);
    if (streq(s->slug, "work-plan")) workplan_form(r, o, errors);
    else if (streq(s->slug, "deadlines")) deadlines_form(r, o, errors);
    else if (streq(s->slug, "budget"))
        bprintf(&r->out, "<p class=\"actions\"><a class=\"button\" href=\"/projects/%lld/budget\">%h</a></p>", (long long)r->id[0], T(r, "Edit the budget"));
    else proj_form(r, aprintf_text(r->arena, "/projects/%lld/sections/%s", (long long)r->id[0], s->slug), o, errors, false, s);
}

/* section_find: the section of the path and the project, or NULL after a 404/403 page */
static const proj_section_t *section_find(req_t *r) {
    const proj_section_t *s = proj_section(r->arg[0]);
    if (!s) { resp_error(r, 404, "not-found", T(r, "There is no such section of the application.")); return NULL; }
    return doc_page_may_edit(r, &proj_kind) ? s : NULL;
}

static void section_page(req_t *r, const proj_section_t *s, const char *comment_error, const char *comment) {
    db_t *db = db_get();
    json_t *o = api_own(r, proj_load(db, r->arena, r->id[0]));
    page_begin(r, aprintf_text(r->arena, "%s: %s", section_title(r, s), jstr(o, "acronym")));
    bprintf(&r->out, "<h1>%h</h1><p><a href=\"/projects/%lld\">%h</a></p>", aprintf_text(r->arena, "%s: %s", section_title(r, s), jstr(o, "acronym")),
            (long long)r->id[0], aprintf_text(r->arena, T(r, "Back to %s"), jstr(o, "acronym")));
    /* the ready mark */
    json_t *st = api_own(r, proj_sections_state(db, r->arena, r->id[0], r->lang)), *me = NULL;
    size_t i;
    json_t *x;
    json_array_foreach(st, i, x) if (streq(jstr(x, "section"), s->slug)) me = x;
    json_t *mark = json_object_get(me, "ready_mark"), *mu = json_object_get(mark, "user");
    bprintf(&r->out, "<section id=\"ready\" class=\"ready\"><h2>%h</h2><p>", T(r, "Ready for submission?"));
    if (!json_is_object(mark)) bprintf(&r->out, "%h", T(r, "This section is not marked ready yet."));
    else {
        bprintf(&r->out, "%h", aprintf_text(r->arena, T(r, "Marked ready by %s on %s, at version %lld."),
                                            json_is_object(mu) && !str_empty(jstr(mu, "name")) ? jstr(mu, "name") : T(r, "a former member"),
                                            proj_day_text(r, jstr(mark, "at")), (long long)json_integer_value(json_object_get(mark, "version"))));
        if (json_is_true(json_object_get(me, "changed_since_ready")))
            bprintf(&r->out, " <strong>%h</strong>", T(r, "The section has changed since: look at it again before marking it ready."));
    }
    buf_puts(&r->out, "</p>");
    bool ready = json_is_object(mark) && !json_is_true(json_object_get(me, "changed_since_ready"));
    const char *const hidden[1][2] = {{"ready", ready ? "0" : "1"}};
    form_button(r, aprintf_text(r->arena, "/projects/%lld/sections/%s/ready", (long long)r->id[0], s->slug), hidden, 1, "",
                ready ? T(r, "Take back the ready mark") : T(r, "Mark this section ready"));
    buf_puts(&r->out, "</section>");
    /* the form, or why not */
    bprintf(&r->out, "<section id=\"edit\"><h2>%h</h2>", T(r, "Edit"));
    if (proj_may_edit_section(db, r->user, r->id[0], s)) section_form(r, o, NULL);
    else bprintf(&r->out, "<p>%h</p>", T(r, "Only the lead partners edit this section of the application."));
    buf_puts(&r->out, "</section>");
    /* comments */
    bprintf(&r->out, "<section id=\"comments\"><h2>%h</h2>", T(r, "Comments"));
    json_t *cs = api_own(r, proj_comments(db, r->id[0], s->slug));
    if (!json_array_size(cs)) bprintf(&r->out, "<p>%h</p>", T(r, "No comments yet."));
    else {
        buf_puts(&r->out, "<ol class=\"comments\">");
        json_array_foreach(cs, i, x) {
            json_t *u = json_object_get(x, "user");
            bprintf(&r->out, "<li><p class=\"meta\">%h · %h</p><p class=\"desc\">%h</p></li>",
                    json_is_object(u) && !str_empty(jstr(u, "name")) ? jstr(u, "name") : T(r, "a former member"), proj_day_text(r, jstr(x, "at")), jstr(x, "body"));
        }
        buf_puts(&r->out, "</ol>");
    }
    form_open(r, aprintf_text(r->arena, "/projects/%lld/sections/%s/comments", (long long)r->id[0], s->slug));
    json_t *ce = api_own(r, json_object());
    if (comment_error) json_object_set_new(ce, "body", json_string(comment_error));
    form_errors_summary(r, comment_error ? ce : NULL);
    field_textarea(r, "body", T(r, "Your comment"), comment, comment_error ? ce : NULL, T(r, "Seen by the members of the partner organisations."));
    form_close(r, T(r, "Add the comment"));
    buf_puts(&r->out, "</section>");
    /* the section's history */
    bprintf(&r->out, "<section id=\"history\"><h2>%h</h2>", T(r, "Who changed this section"));
    json_t *h = api_own(r, proj_section_history(db, r->id[0], s));
    if (!json_array_size(h)) bprintf(&r->out, "<p>%h</p>", T(r, "Nobody has changed this section yet."));
    else proj_history_html(r, h);
    buf_puts(&r->out, "</section>");
    page_end(r);
}

void proj_section_page(req_t *r) {
    const proj_section_t *s = section_find(r);
    if (s) section_page(r, s, NULL, NULL);
}

void proj_section_post(req_t *r) {
    const proj_section_t *s = section_find(r);
    if (!s) return;
    if (streq(s->slug, "budget")) { resp_error(r, 404, "not-found", T(r, "The budget is edited on its own page.")); return; }
    json_t *base = api_own(r, doc_snapshot(&proj_kind, db_get(), r->id[0], 0, NULL));
    json_t *in = proj_over(r, base, streq(s->slug, "work-plan") ? workplan_read(r) : streq(s->slug, "deadlines") ? deadlines_read(r) : proj_form_doc(r, base));
    doc_page_edit_post(r, &proj_kind, in, base, aprintf_text(r->arena, "%s: %s", section_title(r, s), jstr(base, "acronym")), section_form,
                    aprintf_text(r->arena, "/projects/%lld/sections/%s", (long long)r->id[0], s->slug));
}

void proj_comment_post(req_t *r) {
    const proj_section_t *s = section_find(r);
    if (!s) return;
    const char *err, *body = req_form(r, "body");
    if (!proj_comment_add(db_get(), r->id[0], s, r->user, body, &err)) {
        r->status = 422;
        section_page(r, s, T(r, err), body);
        return;
    }
    flash_set(r, "saved");
    resp_redirect(r, aprintf_text(r->arena, "/projects/%lld/sections/%s#comments", (long long)r->id[0], s->slug));
}

void proj_ready_post(req_t *r) {
    const proj_section_t *s = section_find(r);
    if (!s) return;
    if (!proj_ready_set(db_get(), r->id[0], s, r->user, streq(req_form(r, "ready"), "1"))) { resp_error(r, 500, "db", T(r, "The change could not be saved.")); return; }
    flash_set(r, "saved");
    resp_redirect(r, aprintf_text(r->arena, "/projects/%lld/sections/%s#ready", (long long)r->id[0], s->slug));
}

/* ---- the submitted version, as it was sent ---- */
void proj_submitted_page(req_t *r) {
    db_t *db = db_get();
    const char *at;
    json_t *o = api_own(r, proj_submitted(db, r->id[0], (int)r->id[1], &at));
    if (!o) { resp_error(r, 404, "not-found", T(r, "This version of the project was not submitted.")); return; }
    int n;
    proj_partner_info_t *p = proj_doc_partners(db, r->arena, o, &n);
    const char *missing;
    json_t *t = proj_totals_of(db, r->arena, o, p, n, NULL, &missing, r->lang);
    const char *title = proj_title_of(r, o);
    page_begin(r, aprintf_text(r->arena, "%s – %s", jstr(o, "acronym"), title));
    bprintf(&r->out, "<h1>%h – %h</h1><p class=\"notice\" role=\"note\">%h</p><p><a href=\"/projects/%lld\">%h</a> · <a href=\"/projects/%lld/application.md?version=%lld\">%h</a>"
                     " · <a href=\"/projects/%lld/budget.xlsx?version=%lld\">%h</a> · <a href=\"/projects/%lld/budget.csv?version=%lld\">%h</a></p>",
            jstr(o, "acronym"), title,
            aprintf_text(r->arena, T(r, "This is the application as submitted on %s (version %lld). It stays as it was sent; later edits make new versions."),
                         proj_day_text(r, at), (long long)r->id[1]),
            (long long)r->id[0], T(r, "The project as it is now"), (long long)r->id[0], (long long)r->id[1], T(r, "This version as Markdown"),
            (long long)r->id[0], (long long)r->id[1], T(r, "Its budget as a workbook (.xlsx)"), (long long)r->id[0], (long long)r->id[1], T(r, "Its budget as CSV"));
    proj_application_html(r, o, t, missing, NULL);
    page_end(r);
}

/* ---- deadlines: the project's iCalendar feed and the shared calendar's list ---- */
static pthread_once_t ical_once = PTHREAD_ONCE_INIT;
static void ical_setup(void) { icalerror_set_errors_are_fatal(0); }

void proj_deadline_vevents(icalcomponent *cal, arena_t *a, const char *base, json_t *deadlines) {
    size_t i;
    json_t *x;
    json_array_foreach(deadlines, i, x) {
        const char *date = jstr(x, "date");
        long long id = (long long)json_integer_value(json_object_get(x, "project"));
        if (!date || strlen(date) != 10) continue;
        struct icaltimetype day = icaltime_from_string(aprintf_text(a, "%.4s%.2s%.2s", date, date + 5, date + 8));
        day.is_date = 1;
        struct icaltimetype next = day;
        icaltime_adjust(&next, 1, 0, 0, 0);
        time_t upd = 0;
        parse_utc(jstr(x, "updated_at"), &upd);
        icalcomponent *ev = icalcomponent_new_vevent();
        icalcomponent_add_property(ev, icalproperty_new_uid(aprintf_text(a, "project-%lld-deadline-%s-%lld@granslos", id, date,
                                                                          (long long)json_integer_value(json_object_get(x, "pos")))));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(upd, 0, icaltimezone_get_utc_timezone())));
        icalcomponent_add_property(ev, icalproperty_new_dtstart(day));
        icalcomponent_add_property(ev, icalproperty_new_dtend(next));
        icalcomponent_add_property(ev, icalproperty_new_summary(aprintf_text(a, "%s: %s", jstr(x, "acronym"), jstr(x, "title"))));
        icalcomponent_add_property(ev, icalproperty_new_url(aprintf_text(a, "%s/projects/%lld", base, id)));
        icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
        icalcomponent_add_component(cal, ev);
    }
}

void proj_deadlines_ics(req_t *r) {
    db_t *db = db_get();
    json_t *o = api_own(r, proj_load(db, r->arena, r->id[0]));
    if (!o) { resp_error(r, 404, "not-found", T(r, proj_kind.msg_not_found)); return; }
    pthread_once(&ical_once, ical_setup);
    icalcomponent *cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                                             icalproperty_new_prodid("-//Gränslös//Projects//EN"), icalproperty_new_calscale("GREGORIAN"), (void *)0);
    icalproperty *xn = icalproperty_new_x(aprintf_text(r->arena, "Gränslös: %s", jstr(o, "acronym")));
    icalproperty_set_x_name(xn, "X-WR-CALNAME");
    icalcomponent_add_property(cal, xn);
    /* the project's own deadlines, every one (past ones too), in proj_deadlines_between's shape */
    json_t *list = api_own(r, json_array());
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "deadlines"), i, x)
        json_array_append_new(list, json_pack("{s:I, s:O?, s:O?, s:O?, s:I, s:O?}", "project", (json_int_t)r->id[0], "acronym", json_object_get(o, "acronym"),
                                              "title", json_object_get(x, "title"), "date", json_object_get(x, "date"), "pos", (json_int_t)i,
                                              "updated_at", json_object_get(o, "updated_at")));
    proj_deadline_vevents(cal, r->arena, base_url(r), list);
    resp_header(r, "Content-Disposition", aprintf_text(r->arena, "inline; filename=\"project-%lld-deadlines.ics\"", (long long)r->id[0]));
    r->ctype = "text/calendar; charset=utf-8";
    char *text = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    if (text) buf_puts(&r->out, text);
    free(text);
}

void proj_deadlines_html(req_t *r) {
    char from[16], to[16];
    time_t now = time(NULL), later = now + 366L * 86400;
    struct tm a, b;
    gmtime_r(&now, &a);
    gmtime_r(&later, &b);
    strftime(from, sizeof from, "%Y-%m-%d", &a);
    strftime(to, sizeof to, "%Y-%m-%d", &b);
    json_t *dl = api_own(r, proj_deadlines_between(db_get(), from, to, 0));
    if (!json_array_size(dl)) return;
    bprintf(&r->out, "<section id=\"project-deadlines\"><h2>%h</h2><ul class=\"deadlines\">", T(r, "Application deadlines of projects"));
    size_t i;
    json_t *x;
    json_array_foreach(dl, i, x)
        bprintf(&r->out, "<li><time datetime=\"%h\">%h</time> <a href=\"/projects/%lld\">%h</a>: %h</li>", jstr(x, "date"), proj_day_text(r, jstr(x, "date")),
                (long long)json_integer_value(json_object_get(x, "project")), jstr(x, "acronym"), jstr(x, "title"));
    buf_puts(&r->out, "</ul></section>");
}

/* ---- the link back from a roundtable bullet or action item ---- */
void proj_born_html(req_t *r, const char *type, int64_t id) {
    stmt_t *s = db_prep(db_get(), "SELECT id, acronym FROM projects WHERE origin_type = :t AND origin_id = :id ORDER BY id LIMIT 32");
    db_bind_text(s, ":t", type);
    db_bind_int(s, ":id", id);
    while (db_step(s))
        bprintf(&r->out, " · %h <a href=\"/projects/%lld\">%h</a>", T(r, "Project:"), (long long)db_int(s, 0), db_text(s, 1));
    db_reset(s);
    if (r->user)
        bprintf(&r->out, " · <a href=\"/projects/new?%h=%lld\">%h</a>", streq(type, "action") ? "action" : "bullet", (long long)id, T(r, "Make this a project"));
}

/* ---- the API ---- */
static const proj_section_t *api_section(req_t *r, bool edit) {
    db_t *db = db_get();
    if (!api_found(r, proj_exists(db, r->id[0]), proj_kind.msg_not_found)) return NULL;
    const proj_section_t *s = proj_section(r->arg[0]);
    if (!api_found(r, s != NULL, N_("There is no such section of the application."))) return NULL;
    if (edit && !api_may(r, proj_may_edit(db, r->user, r->id[0]), proj_kind.msg_forbidden_edit)) return NULL;
    return s;
}

void proj_api_sections(req_t *r) {
    db_t *db = db_get();
    if (!api_found(r, proj_exists(db, r->id[0]), proj_kind.msg_not_found)) return;
    resp_json(r, 200, json_pack("{s:o, s:o}", "sections", proj_sections_state(db, r->arena, r->id[0], r->lang), "submissions", proj_submissions(db, r->id[0])));
}

void proj_api_section_comments(req_t *r) {
    if (!api_section(r, true)) return;
    resp_json(r, 200, json_pack("{s:o}", "comments", proj_comments(db_get(), r->id[0], r->arg[0])));
}

void proj_api_comment_add(req_t *r) {
    const proj_section_t *s = api_section(r, true);
    if (!s) return;
    json_t *in = api_body(r);
    if (!in) return;
    const char *err;
    json_t *body = json_object_get(in, "body");
    int64_t id = json_object_size(in) == 1 && json_is_string(body) ? proj_comment_add(db_get(), r->id[0], s, r->user, json_string_value(body), &err) : 0;
    if (!id) {
        api_invalid(r, api_own(r, json_pack("{s:s}", "body", json_is_string(body) && json_object_size(in) == 1 ? T(r, err) : T(r, "Send {\"body\": \"the comment\"}."))));
        return;
    }
    resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void proj_api_ready_put(req_t *r) {
    const proj_section_t *s = api_section(r, true);
    if (!s) return;
    json_t *in = api_body(r);
    if (!in) return;
    bool ready;
    if (!proj_api_flag(r, in, "ready", N_("Send {\"ready\": true} or {\"ready\": false}."), &ready)) return;
    if (!proj_ready_set(db_get(), r->id[0], s, r->user, ready)) { resp_problem(r, 500, "db", T(r, "The change could not be saved."), NULL); return; }
    json_t *st = api_own(r, proj_sections_state(db_get(), r->arena, r->id[0], r->lang));
    size_t i;
    json_t *x;
    json_array_foreach(st, i, x) if (streq(jstr(x, "section"), s->slug)) { resp_json(r, 200, json_incref(x)); return; }
}

void proj_api_submissions(req_t *r) {
    db_t *db = db_get();
    if (!api_found(r, proj_exists(db, r->id[0]), proj_kind.msg_not_found)) return;
    resp_json(r, 200, json_pack("{s:o}", "submissions", proj_submissions(db, r->id[0])));
}

void proj_api_submission(req_t *r) {
    db_t *db = db_get();
    const char *at;
    json_t *o = api_own(r, proj_submitted(db, r->id[0], (int)r->id[1], &at));
    if (!api_found(r, o != NULL, N_("This version of the project was not submitted."))) return;
    int n;
    proj_partner_info_t *p = proj_doc_partners(db, r->arena, o, &n);
    const char *missing;
    json_t *t = proj_totals_of(db, r->arena, o, p, n, NULL, &missing, r->lang);
    resp_json(r, 200, json_pack("{s:I, s:s, s:O, s:O}", "version", (json_int_t)r->id[1], "submitted_at", at, "application", o, "totals", t ? t : json_null()));
}

void proj_api_indicators(req_t *r) {
    json_t *items = json_array();
    for (int i = 0, n = proj_indicator_count(); i < n; i++) {
        const char *code, *kind, *unit, *name = proj_indicator_at(i, &code, &kind);
        proj_indicator(code, NULL, &unit);
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "code", code, "kind", kind, "name", name, "unit", unit));
    }
    resp_json(r, 200, json_pack("{s:o, s:s}", "items", items, "source", "Regulation (EU) 2021/1058, Annex I"));
}
