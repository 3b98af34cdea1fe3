/* The projects JSON API (/api/v1/projects) and the plain-text exports (CSV, Markdown): a
 * thin face over projects.h with the platform's conventions (problem+json, bearer token or
 * session + X-CSRF-Token, ETag / If-Match through the pipeline). */
#include <string.h>
#include "core/util.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "projects/projects.h"

void proj_api_list(req_t *r) {
    db_t *db = db_get();
    /* ?bullet=N or ?action=N: the projects born from that roundtable bullet or action item */
    const char *bt = req_query(r, "bullet") ? "bullet" : req_query(r, "action") ? "action" : NULL;
    if (bt) {
        long long oid;
        if (!parse_int(req_query(r, bt), 1, INT64_MAX, &oid)) { resp_problem(r, 422, "bad-filter", T(r, "Give the id of a roundtable bullet or action item."), NULL); return; }
        int n;
        int64_t *ids = proj_born_from(db, r->arena, bt, oid, &n);
        json_t *items = json_array();
        for (int i = 0; i < n; i++) {
            json_t *o = proj_load(db, r->arena, ids[i]);
            if (o) json_array_append_new(items, json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(o, "id"), "acronym", json_object_get(o, "acronym"),
                                                          "status", json_object_get(o, "status"), "url", json_object_get(o, "url")));
            json_decref(o);
        }
        resp_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
        return;
    }
    proj_filter_t f;
    const char *bad = proj_filter_read(r, &f);
    if (bad) { resp_problem(r, 422, "bad-filter", bad, NULL); return; }
    proj_row_t *rows;
    int n;
    long long total = proj_search(db, r->arena, r->lang, &f, &rows, &n);
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s?, s:s, s:s, s:I, s:s}", "id", (json_int_t)rows[i].id, "acronym", rows[i].acronym,
                                               "title", rows[i].title ? rows[i].title : "", "programme", rows[i].programme, "status", rows[i].status,
                                               "start", rows[i].start, "partners", (json_int_t)rows[i].npartners,
                                               "url", aprintf(r->arena, "/projects/%lld", (long long)rows[i].id)));
    resp_json(r, 200, json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total, "page", f.page, "per_page", f.per_page));
}

void proj_api_create(req_t *r) { doc_api_create_answer(r, &proj_kind); }
void proj_api_get(req_t *r) { doc_api_get(r, &proj_kind); }
void proj_api_patch(req_t *r) { doc_api_patch(r, &proj_kind); }
void proj_api_history(req_t *r) { doc_api_history(r, &proj_kind); }
void proj_api_revert(req_t *r) { doc_api_revert(r, &proj_kind); }

/* stored: the newest snapshot (arena) after a 404 check */
static json_t *stored(req_t *r, int *have) {
    json_t *d = api_own(r, doc_snapshot(&proj_kind, db_get(), r->id[0], 0, have));
    return api_found(r, d != NULL, proj_kind.msg_not_found) ? d : NULL;
}

/* editable: the newest snapshot for a write by someone who may edit the project, and the body
 * (when in is not NULL); NULL after answering 404, 401/403 or the body's 4xx */
static json_t *editable(req_t *r, int *have, json_t **in) {
    json_t *d = stored(r, have);
    if (!d || !api_allowed(r, proj_may_edit(db_get(), r->user, r->id[0]), proj_kind.msg_forbidden_edit)) return NULL;
    return !in || (*in = api_body(r)) ? d : NULL;
}

bool proj_api_flag(req_t *r, json_t *in, const char *key, const char *msgid, bool *out) {
    json_t *v = json_object_get(in, key);
    if (json_is_boolean(v) && json_object_size(in) == 1) return *out = json_is_true(v), true;
    json_t *e = api_own(r, json_object());
    json_object_set_new(e, key, json_string(T(r, msgid)));
    api_invalid(r, e);
    return false;
}

static void rate_missing(req_t *r, const char *month) {
    resp_problem(r, 409, "rate-missing",
                 aprintf_text(r->arena, T(r, "There is no Commission exchange rate for SEK for %s, so the budget cannot be converted to EUR. An administrator imports it (granslos import rates FILE) or enters it."), month),
                 json_pack("{s:s, s:s}", "currency", "SEK", "month", month));
}

void proj_api_checklist(req_t *r) {
    int have;
    json_t *d = stored(r, &have);
    if (!d) return;
    json_t *c;
    const char *missing;
    proj_totals(db_get(), r->arena, r->id[0], d, &c, &missing, r->lang);
    resp_json(r, 200, json_incref(c));
}

/* budget_answer: the totals of the stored budget, with the version's ETag */
static void budget_answer(req_t *r, int status) {
    int have;
    json_t *d = stored(r, &have);
    if (!d) return;
    const char *missing;
    json_t *t = proj_totals(db_get(), r->arena, r->id[0], d, NULL, &missing, r->lang);
    if (!t && status != 201) { rate_missing(r, missing); return; }
    /* a saved budget whose SEK rate is not known yet: saved, and the missing rate said */
    json_t *out = t ? json_deep_copy(t) : json_pack("{s:{s:s, s:s}, s:s}", "rate_missing", "currency", "SEK", "month", missing, "detail",
        aprintf_text(r->arena, T(r, "There is no Commission exchange rate for SEK for %s, so the budget cannot be converted to EUR. An administrator imports it (granslos import rates FILE) or enters it."), missing));
    if (status == 201) status = 200;     /* the PUT: doc_api_save has set the new version's ETag */
    else doc_etag(r, have);
    json_object_set(out, "budget", json_object_get(d, "budget"));
    json_object_set_new(out, "version", json_integer(have));
    resp_json(r, status, out);
}

void proj_api_budget_get(req_t *r) { budget_answer(r, 200); }

void proj_api_budget_put(req_t *r) {
    int have;
    json_t *in, *d = editable(r, &have, &in);
    if (!d) return;
    json_t *b = json_deep_copy(in), *wrap = api_own(r, json_object());
    json_t *ver = json_object_get(b, "version");
    if (ver) { json_object_set(wrap, "version", ver); json_object_del(b, "version"); }
    json_object_set_new(wrap, "budget", b);
    if (doc_api_save(r, &proj_kind, wrap, d, have)) budget_answer(r, 201); /* 201: answered as 200 even without a rate */
}

/* partners_save: save the partner list through the pipeline, then answer with the project */
static void partners_save(req_t *r, json_t *partners, int status) {
    int have;
    json_t *d = stored(r, &have);
    if (!d) return;
    json_t *wrap = api_own(r, json_pack("{s:O}", "partners", partners));
    if (!doc_api_save(r, &proj_kind, wrap, d, have)) return;
    json_t *o = proj_load(db_get(), r->arena, r->id[0]);
    if (!api_found(r, o != NULL, proj_kind.msg_not_found)) return;
    resp_json(r, status, json_pack("{s:O, s:O}", "partners", json_object_get(o, "partners"), "version", json_object_get(o, "version")));
    json_decref(o);
}

void proj_api_partner_add(req_t *r) {
    int have;
    json_t *in, *d = editable(r, &have, &in);
    if (!d) return;
    const char *k;
    json_t *v, *e = api_own(r, json_object());
    json_object_foreach(in, k, v)
        if (strcmp(k, "organisation") && strcmp(k, "role") && strcmp(k, "invited_by") && strcmp(k, "version"))
            json_object_set_new(e, k, json_string(T(r, "This field is unknown.")));
    if (json_object_size(e)) { api_invalid(r, e); return; }
    json_t *list = api_own(r, json_deep_copy(json_object_get(d, "partners")));
    if (!json_is_array(list)) list = api_own(r, json_array());
    json_t *entry = json_pack("{s:O}", "organisation", json_object_get(in, "organisation") ? json_object_get(in, "organisation") : json_null());
    json_t *role = json_object_get(in, "role");
    json_object_set_new(entry, "role", role ? json_incref(role) : json_string("partner"));   /* a new string: no extra reference */
    if (json_object_get(in, "invited_by")) json_object_set(entry, "invited_by", json_object_get(in, "invited_by"));
    json_array_append_new(list, entry);
    partners_save(r, list, 201);
}

void proj_api_partner_remove(req_t *r) {
    int have;
    json_t *d = editable(r, &have, NULL);
    if (!d) return;
    json_t *list = api_own(r, json_array());
    size_t i;
    json_t *x;
    bool found = false;
    json_array_foreach(json_object_get(d, "partners"), i, x) {
        if (json_integer_value(json_object_get(x, "organisation")) == r->id[1]) found = true;
        else json_array_append(list, x);
    }
    if (!api_found(r, found, N_("This organisation is not a partner of the project."))) return;
    partners_save(r, list, 200);
}

void proj_api_partner_answer(req_t *r) {
    db_t *db = db_get();
    if (!api_found(r, proj_exists(db, r->id[0]), proj_kind.msg_not_found)) return;
    json_t *in = api_body(r);
    if (!in) return;
    bool accept;
    if (!proj_api_flag(r, in, "accept", N_("Answer with {\"accept\": true} or {\"accept\": false}."), &accept)) return;
    int rc = proj_answer(db, r->arena, r->id[0], r->id[1], r->user, accept);
    if (rc == 404) { resp_problem(r, 404, "not-found", T(r, "This organisation is not a partner of the project."), NULL); return; }
    if (rc == 403) { resp_problem(r, 403, "forbidden", T(r, "Only the organisation's administrators may answer its invitation."), NULL); return; }
    if (rc == 409) { resp_problem(r, 409, "not-invited", T(r, "This invitation has been answered already."), NULL); return; }
    if (rc) { resp_problem(r, 500, "db", T(r, proj_kind.msg_save_failed), NULL); return; }
    resp_json(r, 200, proj_load(db, r->arena, r->id[0]));
}

/* POST /api/v1/rates {"month", "currency", "rate"}: a platform admin enters a month by hand */
void proj_api_rate_put(req_t *r) {
    if (!api_allowed(r, r->user && r->user->is_admin, N_("Only platform administrators may enter exchange rates."))) return;
    json_t *in = api_body(r);
    if (!in) return;
    const char *month = jstr(in, "month"), *cur = jstr(in, "currency"), *rate = jstr(in, "rate");
    json_t *e = api_own(r, json_object());
    long long y, m;
    char ys[5] = {0}, ms[3] = {0};
    if (month && strlen(month) == 7 && month[4] == '-') { memcpy(ys, month, 4); memcpy(ms, month + 5, 2); }
    if (!parse_int(ys, 2000, 2100, &y) || !parse_int(ms, 1, 12, &m)) json_object_set_new(e, "month", json_string(T(r, "The month is YYYY-MM.")));
    if (!streq(cur, "SEK") && !streq(cur, "NOK")) json_object_set_new(e, "currency", json_string(T(r, "Choose SEK or NOK.")));
    int64_t v;
    if (!dec_parse(rate, 4, 100000000, &v) || v <= 0)
        json_object_set_new(e, "rate", json_string(T(r, "The rate is units per euro with at most four decimals, such as \"11.1234\".")));
    if (json_object_size(e)) { api_invalid(r, e); return; }
    if (!proj_rate_set(db_get(), month, cur, v, "manual")) { resp_problem(r, 500, "db", T(r, "The change could not be saved."), NULL); return; }
    char b[32];
    resp_json(r, 200, json_pack("{s:s, s:s, s:s, s:s}", "month", month, "currency", cur, "rate", dec_fmt(b, sizeof b, v, 4), "source", "manual"));
}

/* ---- exports (plain text: these bodies are CSV and Markdown, never HTML, so %s is right) ---- */
static void csv_cell(buf_t *b, const char *s) {
    buf_putc(b, '"');
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"') buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

/* the project an export shows: as it is now, or with ?version=N the frozen snapshot of that
 * submitted version (so a later edit never changes what was sent); NULL after an error response */
json_t *proj_export_doc(req_t *r, proj_partner_info_t **pp, int *np) {
    db_t *db = db_get();
    const char *vq = req_query(r, "version"), *at;
    long long ver = 0;
    json_t *o;
    if (!str_empty(vq)) {
        o = parse_int(vq, 1, 1000000000, &ver) ? api_own(r, proj_submitted(db, r->id[0], (int)ver, &at)) : NULL;
        if (!o) { resp_error(r, 404, "not-found", T(r, "This version of the project was not submitted.")); return NULL; }
        *pp = proj_doc_partners(db, r->arena, o, np);
    } else {
        o = api_own(r, proj_load(db, r->arena, r->id[0]));
        if (!o) { resp_error(r, 404, "not-found", T(r, proj_kind.msg_not_found)); return NULL; }
        *pp = proj_partners(db, r->arena, r->id[0], np);
    }
    return o;
}

json_t *proj_export_totals(req_t *r, json_t **doc) {
    int np = 0;
    proj_partner_info_t *pp = NULL;
    json_t *d = proj_export_doc(r, &pp, &np);
    if (!d) return NULL;
    const char *missing;
    json_t *t = proj_totals_of(db_get(), r->arena, d, pp, np, NULL, &missing, r->lang);
    if (!t) {
        resp_error(r, 409, "rate-missing", aprintf_text(r->arena, T(r, "There is no Commission exchange rate for SEK for %s, so the budget cannot be converted to EUR. An administrator imports it (granslos import rates FILE) or enters it."), missing));
        return NULL;
    }
    *doc = d;
    return t;
}

void proj_budget_csv(req_t *r) {
    json_t *d;
    json_t *t = proj_export_totals(r, &d);
    if (!t) return;
    buf_t *b = &r->out;
    /* a row per partner and category; a category that is a flat rate names its percent and base
     * (flat_rate, flat_rate_base: staff, direct-costs or other-direct-costs) */
    buf_puts(b, "side,partner,name,currency,category,amount,total,total_eur,rate,rate_source,rate_month,flat_rate,flat_rate_base\r\n");
    bool other = false;
    size_t s, i, j;
    json_t *side, *x, *f;
    json_array_foreach(json_object_get(t, "flat_rates"), j, f) if (streq(jstr(f, "rate"), "other")) other = true;
    json_array_foreach(json_object_get(t, "sides"), s, side) json_array_foreach(json_object_get(side, "partners"), i, x) {
        for (int c = 0; c < CAT_N; c++) {
            if (c == CAT_OTHER && !other) continue;
            const char *pct = "", *fbase = "";
            json_array_foreach(json_object_get(x, "flat_rates"), j, f)
                if (streq(jstr(f, "category"), proj_categories[c])) { pct = jstr(f, "percent"); fbase = jstr(f, "base"); }
            bprintf_text(b, "%s,%lld,", jstr(side, "side"), (long long)json_integer_value(json_object_get(x, "partner")));
            csv_cell(b, jstr(x, "name"));
            bprintf_text(b, ",%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\r\n", jstr(x, "currency"), proj_categories[c],
                    json_string_value(json_object_get(json_object_get(x, "categories"), proj_categories[c])), jstr(x, "total"), jstr(x, "total_eur"),
                    jstr(x, "rate"), jstr(x, "rate_source") ? jstr(x, "rate_source") : "", jstr(x, "rate_month") ? jstr(x, "rate_month") : "", pct, fbase);
        }
    }
    r->ctype = "text/csv; charset=utf-8";
    resp_header(r, "Content-Disposition", aprintf(r->arena, "attachment; filename=\"budget-%lld.csv\"", (long long)r->id[0]));
}

/* md: Markdown-safe text (the characters that would start markup are escaped) */
static void md(buf_t *b, const char *s) {
    for (const char *p = s ? s : ""; *p; p++) {
        if (strchr("\\`*_[]<>#|", *p)) buf_putc(b, '\\');
        buf_putc(b, *p);
    }
}

/* GET /projects/{id}/application.md[?version=N]: the application now, or a submitted version as it was sent */
void proj_markdown(req_t *r) {
    db_t *db = db_get();
    int np = 0;
    proj_partner_info_t *pp = NULL;
    json_t *o = proj_export_doc(r, &pp, &np);
    if (!o) return;
    buf_t *b = &r->out;
    json_t *title = json_object_get(o, "title");
    const char *t = jstr(title, r->lang);
    if (str_empty(t)) t = jstr(title, "en");
    if (str_empty(t)) t = jstr(title, "sv");
    buf_puts(b, "# ");
    md(b, jstr(o, "acronym"));
    buf_puts(b, " – ");
    md(b, t);
    bprintf_text(b, "\n\n## A %s\n\n", T(r, "Project identification"));
    for (int l = 0; l < 3; l++) {
        bprintf_text(b, "- %s (%s): ", T(r, "Title"), i18n_langs[l]);
        md(b, jstr(title, i18n_langs[l]));
        buf_putc(b, '\n');
    }
    bprintf_text(b, "- %s: %s\n- %s: %s\n- %s: %s\n- %s: %s, %lld %s\n- %s: %s\n\n", T(r, "Programme"), jstr(o, "programme") ? jstr(o, "programme") : "–",
            T(r, "Specific objective"), jstr(o, "objective") ? jstr(o, "objective") : "–", T(r, "Project type"), jstr(o, "type"),
            T(r, "Planned start"), jstr(o, "start"), (long long)json_integer_value(json_object_get(o, "duration_months")), T(r, "months"),
            T(r, "Status"), proj_status_label(jstr(o, "status"), r->lang));
    bprintf_text(b, "### %s\n\n", T(r, "Summary"));
    md(b, jstr(o, "summary"));
    bprintf_text(b, "\n\n## B %s\n\n", T(r, "Partners"));
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(o, "partners"), i, x) {
        buf_puts(b, "- ");
        md(b, jstr(x, "name"));
        bprintf_text(b, " (%s, %s, %s)\n", jstr(x, "country") ? jstr(x, "country") : "", jstr(x, "role"), jstr(x, "state"));
    }
    bprintf_text(b, "\n## C %s\n\n### %s\n\n", T(r, "Description and work plan"), T(r, "Cross-border criteria"));
    json_array_foreach(json_object_get(o, "cross_border"), i, x) bprintf_text(b, "- %s\n", json_string_value(x));
    buf_putc(b, '\n');
    md(b, jstr(o, "cross_border_justification"));
    bprintf_text(b, "\n\n### %s\n\n", T(r, "Work plan"));
    /* the reporting periods, dated from the planned start */
    int dur = (int)json_integer_value(json_object_get(o, "duration_months")), len = proj_doc_period_months(o), nper = proj_periods(dur, len);
    if (nper > 0) bprintf_text(b, "%s:", T(r, "Reporting periods"));
    for (int q = 1; q <= nper; q++) {
        char from[8], to[8];
        if (proj_period_dates(jstr(o, "start"), q, dur, len, from, to)) bprintf_text(b, "%s %d (%s – %s)", q > 1 ? "," : "", q, from, to);
    }
    if (nper > 0) buf_puts(b, "\n\n");
    size_t w, a;
    json_t *wp, *act;
    json_array_foreach(json_object_get(o, "work_plan"), w, wp) {
        bprintf_text(b, "- WP%zu ", w + 1);
        md(b, jstr(wp, "title"));
        buf_putc(b, '\n');
        json_array_foreach(json_object_get(wp, "activities"), a, act) {
            bprintf_text(b, "  - %zu.%zu ", w + 1, a + 1);
            md(b, jstr(act, "title"));
            bprintf_text(b, " (%s %lld–%lld)\n", T(r, "periods"), (long long)json_integer_value(json_object_get(act, "start")),
                         (long long)json_integer_value(json_object_get(act, "end")));
        }
    }
    bprintf_text(b, "\n### %s\n\n", T(r, "Outputs and results"));
    json_array_foreach(json_object_get(o, "indicators"), i, x) {
        const char *kind, *unit, *name = proj_indicator(jstr(x, "code"), &kind, &unit);
        bprintf_text(b, "- %s ", jstr(x, "code"));
        md(b, name);
        bprintf_text(b, ": %s ", jstr(x, "target"));
        md(b, unit);
        buf_putc(b, '\n');
    }
    bprintf_text(b, "\n\n## D %s\n\n", T(r, "Budget"));
    const char *missing;
    json_t *tot = proj_totals_of(db, r->arena, o, pp, np, NULL, &missing, r->lang);
    if (!tot) bprintf_text(b, "%s\n", aprintf_text(r->arena, T(r, "There is no Commission exchange rate for SEK for %s, so the budget cannot be converted to EUR. An administrator imports it (granslos import rates FILE) or enters it."), missing));
    else {
        size_t s;
        json_t *side;
        bprintf_text(b, "| %s | %s | %s | EUR |\n|---|---|---:|---:|\n", T(r, "Side"), T(r, "Partner"), T(r, "Total"));
        json_array_foreach(json_object_get(tot, "sides"), s, side) json_array_foreach(json_object_get(side, "partners"), i, x) {
            bprintf_text(b, "| %s | ", jstr(side, "side"));
            md(b, jstr(x, "name"));
            bprintf_text(b, " | %s %s | %s |\n", jstr(x, "total"), jstr(x, "currency"), jstr(x, "total_eur"));
        }
        bprintf_text(b, "\n%s: %s EUR\n", T(r, "Total"), jstr(tot, "total_eur"));
    }
    bprintf_text(b, "\n## E %s\n\n", T(r, "Lump sums"));
    json_t *ls = json_object_get(json_object_get(o, "budget"), "lump_sums");
    if (!json_array_size(ls)) bprintf_text(b, "%s\n", T(r, "No lump sums."));
    json_array_foreach(ls, i, x) {
        const char *name = "";
        for (int k = 0; k < np; k++) if (pp[k].org == json_integer_value(json_object_get(x, "partner")) && pp[k].name) name = pp[k].name;
        buf_puts(b, "- ");
        md(b, name);
        json_t *per = json_object_get(x, "period");
        if (json_is_string(per)) bprintf_text(b, ", %s: ", streq(json_string_value(per), "closure") ? T(r, "closure") : T(r, "preparation"));
        else bprintf_text(b, ", %s %lld: ", T(r, "period"), (long long)json_integer_value(per));
        md(b, jstr(x, "description"));
        bprintf_text(b, ": %s %s\n", jstr(x, "amount"), jstr(x, "currency"));
    }
    r->ctype = "text/markdown; charset=utf-8";
}
