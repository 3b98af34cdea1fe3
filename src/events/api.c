/* The events JSON API (/api/v1/events, invitations; notifications are notify/'s): a thin face over events.h. */
#include <string.h>
#include "core/util.h"
#include "events/dates.h"
#include "events/events.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "ref/ref.h"

static bool may_edit(req_t *r, db_t *db) {
    return api_found(r, event_exists(db, r->id[0]), event_kind.msg_not_found) &&
           api_allowed(r, event_can_edit(db, r->user, r->id[0]), event_kind.msg_forbidden_edit);
}

json_t *event_warnings_of(db_t *db, int64_t id, const char *lang) {
    json_t *e = event_load(db, id);
    if (!e) return json_array();
    time_t st = 0, en = 0;
    parse_utc(json_string_value(json_object_get(e, "start_utc")), &st);
    parse_utc(json_string_value(json_object_get(e, "end_utc")), &en);
    clash_query_t q = {st, en, 0, json_string_value(json_object_get(e, "country")), json_string_value(json_object_get(e, "county")),
                       json_object_get(e, "themes"), json_object_get(e, "audiences"), id, lang};
    json_t *w = event_warnings(db, &q);
    json_decref(e);
    return w;
}

void event_api_list(req_t *r) {
    db_t *db = db_get();
    event_filter_t f;
    const char *bad = event_filter_read(r, &f);
    if (bad) { resp_problem(r, 422, "bad-filter", bad, NULL); return; }
    time_t from = now_unix() - 86400, to = from + 400L * 86400;
    const char *fs = req_query(r, "from"), *ts = req_query(r, "to");
    if (fs && *fs && local_to_utc(aprintf_text(r->arena, "%sT00:00", fs), "Europe/Stockholm", &from)) {
        resp_problem(r, 422, "bad-filter", T(r, "from and to are dates: YYYY-MM-DD."), NULL);
        return;
    }
    if (ts && *ts && local_to_utc(aprintf_text(r->arena, "%sT00:00", ts), "Europe/Stockholm", &to)) {
        resp_problem(r, 422, "bad-filter", T(r, "from and to are dates: YYYY-MM-DD."), NULL);
        return;
    }
    if (ts && *ts) to += 86400;
    f.from = from;
    f.to = to;
    f.limit = 200;
    event_row_t *rows;
    int n = event_list(db, r->arena, &f, r->lang, &rows);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *e = event_load(db, rows[i].id);
        if (e) json_array_append_new(items, e);
    }
    resp_json(r, 200, json_pack("{s:o, s:i}", "items", items, "total", n));
}

void event_api_get(req_t *r) { doc_api_get(r, &event_kind); }

void event_api_create(req_t *r) {
    int64_t id = doc_api_create(r, &event_kind);
    if (id) resp_json(r, 201, json_pack("{s:I, s:o}", "id", (json_int_t)id, "warnings", event_warnings_of(db_get(), id, r->lang)));
}

static void patch_with(req_t *r, json_t *in) {
    db_t *db = db_get();
    if (!doc_api_save(r, &event_kind, in, NULL, 0)) return;
    json_t *e = event_load(db, r->id[0]);
    json_object_set_new(e, "warnings", event_warnings_of(db, r->id[0], r->lang));
    resp_json(r, 200, e);
}

void event_api_patch(req_t *r) {
    if (!may_edit(r, db_get())) return;
    json_t *in = api_body(r);
    if (in) patch_with(r, in);
}

void event_api_cancel(req_t *r) {
    if (!may_edit(r, db_get())) return;
    patch_with(r, api_own(r, json_pack("{s:s}", "status", "cancelled")));
}

void event_api_history(req_t *r) { doc_api_history(r, &event_kind); }

/* split: comma-separated values into a JSON array of strings */
static json_t *split(const char *s) {
    json_t *a = json_array();
    if (!s) return a;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n) json_array_append_new(a, json_stringn(s, n));
        if (!e) break;
        s = e + 1;
    }
    return a;
}

void event_api_clashes(req_t *r) {
    db_t *db = db_get();
    const char *tz = req_query(r, "timezone");
    if (!tz || !*tz) tz = "Europe/Stockholm";
    if (!tz_valid(tz)) { resp_problem(r, 422, "bad-query", T(r, "The time zone must be Europe/Stockholm or Europe/Oslo."), NULL); return; }
    const char *ss = req_query(r, "start"), *es = req_query(r, "end");
    if (!ss || !*ss) { resp_problem(r, 422, "bad-query", T(r, "start is required: YYYY-MM-DDTHH:MM or YYYY-MM-DD."), NULL); return; }
    bool s_date = strlen(ss) == 10, e_date = es && strlen(es) == 10;
    time_t st, en;
    lt_result_t rs = local_to_utc(s_date ? aprintf_text(r->arena, "%sT00:00", ss) : ss, tz, &st);
    if (!es || !*es) { es = ss; e_date = s_date; }
    lt_result_t re = local_to_utc(e_date ? aprintf_text(r->arena, "%sT00:00", es) : es, tz, &en);
    if (rs || re) {
        lt_result_t x = rs ? rs : re;
        resp_problem(r, 422, "bad-query",
                     x == LT_DST_GAP ? T(r, "This time does not exist: the clocks go forward an hour that night (summer time). Choose a time after 03:00.")
                     : x == LT_NO_DATE ? T(r, "This date or time does not exist.")
                                       : T(r, "start is required: YYYY-MM-DDTHH:MM or YYYY-MM-DD."), NULL);
        return;
    }
    if (e_date) en += 86400;
    if (en <= st) { resp_problem(r, 422, "bad-query", T(r, "The end must be after the start."), NULL); return; }
    if (en - st > (time_t)EVENT_MAX_DAYS * 86400) { resp_problem(r, 422, "bad-query", T(r, "An event may last at most 31 days."), NULL); return; }
    const char *country = req_query(r, "country"), *muni = req_query(r, "municipality"), *county = NULL;
    if (country && *country && strcmp(country, "SE") && strcmp(country, "NO")) { resp_problem(r, 422, "bad-query", T(r, "country must be SE or NO."), NULL); return; }
    if (country && !*country) country = NULL;
    if (muni && *muni) {
        if (strlen(muni) == 7 && muni[2] == '-') { country = aprintf_text(r->arena, "%.2s", muni); muni += 3; }
        const municipality_t *m = country ? ref_municipality(country, muni) : ref_municipality("SE", muni);
        if (!m && !country) m = ref_municipality("NO", muni);
        if (!m) { resp_problem(r, 422, "bad-query", T(r, "There is no municipality with this code in the chosen country."), NULL); return; }
        country = m->country;
        county = m->county;
    }
    long long days = 0, ex = 0;
    const char *ds = req_query(r, "days"), *xs = req_query(r, "exclude");
    if (ds && *ds && !parse_int(ds, 0, 60, &days)) { resp_problem(r, 422, "bad-query", T(r, "days must be a number from 0 to 60."), NULL); return; }
    if (xs && *xs && !parse_int(xs, 1, INT64_MAX, &ex)) { resp_problem(r, 422, "bad-query", T(r, "There is no such event."), NULL); return; }
    json_t *themes = api_own(r, split(req_query(r, "themes"))), *auds = api_own(r, split(req_query(r, "audiences")));
    clash_query_t q = {st, en, (int)days, country, county, themes, auds, ex, r->lang};
    json_t *w = event_warnings(db, &q);
    /* each clash with its organisers and their Contact forms, to get in touch before publishing */
    size_t i;
    json_t *x;
    json_array_foreach(w, i, x) {
        if (strcmp(json_string_value(json_object_get(x, "kind")), "clash")) continue;
        json_t *e = api_own(r, event_load(db, json_integer_value(json_object_get(x, "event"))));
        json_t *orgs = json_array();
        size_t k;
        json_t *o;
        json_array_foreach(json_object_get(e, "organisers"), k, o) {
            const char *nm = org_name(db, r->arena, json_integer_value(o));
            if (nm)
                json_array_append_new(orgs, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)json_integer_value(o), "name", nm, "contact",
                                                      aprintf_text(r->arena, "/organisations/%lld/contact", (long long)json_integer_value(o))));
        }
        json_object_set_new(x, "organisers", orgs);
    }
    resp_json(r, 200, json_pack("{s:o}", "warnings", w));
}

/* ---- registrations ---- */
static void reg_problem(req_t *r, reg_result_t rc) {
    switch (rc) {
    case REG_NO_EVENT: resp_problem(r, 404, "not-found", T(r, "There is no such event."), NULL); break;
    case REG_EVENT_CANCELLED: resp_problem(r, 409, "event-cancelled", T(r, "The event has been cancelled."), NULL); break;
    case REG_CLOSED: resp_problem(r, 409, "registration-closed", T(r, "Registration has closed."), NULL); break;
    case REG_NOT_REGISTERED: resp_problem(r, 404, "not-registered", T(r, "You are not registered for this event."), NULL); break;
    default: resp_problem(r, 500, "db", T(r, "The registration could not be saved. Nothing was changed."), NULL);
    }
}

void event_api_register(req_t *r) {
    db_t *db = db_get();
    if (!api_found(r, event_exists(db, r->id[0]), event_kind.msg_not_found)) return;
    json_t *in = api_body(r);
    if (!in) return;
    json_t *aff = json_object_get(in, "affiliation");
    if ((aff && !json_is_null(aff) && (!json_is_string(aff) || utf8_len(json_string_value(aff)) > 200)) ||
        (json_object_get(in, "share") && !json_is_boolean(json_object_get(in, "share")))) {
        resp_problem(r, 422, "validation", T(r, "Some fields are not valid."), NULL);
        return;
    }
    const char *st;
    reg_result_t rc = event_register(db, r->arena, r->id[0], r->user->id, json_is_true(json_object_get(in, "share")),
                                     json_string_value(aff), &st);
    if (rc) { reg_problem(r, rc); return; }
    resp_json(r, 201, json_pack("{s:s}", "status", st));
}

void event_api_unregister(req_t *r) {
    reg_result_t rc = event_unregister(db_get(), r->arena, r->id[0], r->user->id);
    if (rc) { reg_problem(r, rc); return; }
    resp_json(r, 200, json_pack("{s:s}", "status", "cancelled"));
}

void event_api_participants(req_t *r) {
    db_t *db = db_get();
    if (!may_edit(r, db)) return;
    resp_json(r, 200, json_pack("{s:o}", "items", event_participants(db, r->id[0])));
}

/* ---- invitations ---- */
void event_api_invite(req_t *r) {
    db_t *db = db_get();
    if (!may_edit(r, db)) return;
    json_t *in = api_body(r);
    if (!in) return;
    json_t *o = json_object_get(in, "organisation");
    json_t *msg = json_object_get(in, "message");
    if (!json_is_integer(o) || !org_exists(db, json_integer_value(o))) {
        resp_problem(r, 422, "validation", T(r, "Some fields are not valid."), json_pack("{s:s}", "organisation", T(r, "There is no such organisation.")));
        return;
    }
    if (msg && !json_is_null(msg) && (!json_is_string(msg) || utf8_len(json_string_value(msg)) > 2000)) {
        resp_problem(r, 422, "validation", T(r, "Some fields are not valid."), NULL);
        return;
    }
    int64_t id = event_invite(db, r->arena, r->id[0], json_integer_value(o), r->user->id, json_string_value(msg));
    if (!id) { resp_problem(r, 500, "db", T(r, "The invitation could not be saved."), NULL); return; }
    resp_json(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void event_api_invitations(req_t *r) {
    db_t *db = db_get();
    if (!may_edit(r, db)) return;
    resp_json(r, 200, json_pack("{s:o}", "items", event_invitations(db, r->arena, r->id[0])));
}

void event_api_answer(req_t *r) {
    db_t *db = db_get();
    json_t *in = api_body(r);
    if (!in) return;
    const char *ans = json_string_value(json_object_get(in, "answer"));
    if (!streq(ans, "accept") && !streq(ans, "decline")) {
        resp_problem(r, 422, "validation", T(r, "The answer is accept or decline."), NULL);
        return;
    }
    int64_t ev;
    int rc = event_answer(db, r->arena, r->user, r->id[0], streq(ans, "accept"), &ev);
    if (rc == 404) { resp_problem(r, 404, "not-found", T(r, "There is no such invitation."), NULL); return; }
    if (rc == 403) { resp_problem(r, 403, "forbidden", T(r, "Only the invited organisation's administrators may answer."), NULL); return; }
    if (rc) { resp_problem(r, 500, "db", T(r, "The answer could not be saved."), NULL); return; }
    resp_json(r, 200, json_pack("{s:s}", "status", streq(ans, "accept") ? "accepted" : "declined"));
}

