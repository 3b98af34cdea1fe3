/* Event documents: load, validate, save with versions; clashes and holidays; registration with
 * a waiting list; invitations; the notification outbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "events/dates.h"
#include "events/events.h"
#include "notify/notify.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "ref/ref.h"

#define MAX_TITLE 200
#define MAX_TEXT 5000
#define MAX_SHORT 300

const char *const event_statuses[4] = {"idea", "planned", "confirmed", "cancelled"};
const char *const event_audiences[6] = {"companies", "clusters", "public-sector", "researchers", "investors", "everyone"};
const char *const event_languages[4] = {"sv", "nb", "en", "sv-nb"};

static const char *const status_labels[4] = {N_("Idea"), N_("Planned"), N_("Confirmed"), N_("Cancelled")};
static const char *const audience_labels[6] = {N_("Companies"), N_("Clusters"), N_("Public sector"), N_("Researchers"),
                                               N_("Investors"), N_("Everyone")};
static const char *const language_labels[4] = {N_("Swedish"), N_("Norwegian"), N_("English"), N_("Swedish and Norwegian")};

static const char *label_in(const char *const *keys, const char *const *labels, int n, const char *v, const char *lang) {
    for (int i = 0; i < n; i++) if (streq(keys[i], v)) return tr(lang, labels[i]);
    return v ? v : "";
}
const char *event_status_label(const char *s, const char *lang) { return label_in(event_statuses, status_labels, 4, s, lang); }
const char *event_audience_label(const char *s, const char *lang) { return label_in(event_audiences, audience_labels, 6, s, lang); }
const char *event_language_label(const char *s, const char *lang) { return label_in(event_languages, language_labels, 4, s, lang); }

static bool one_of(const char *const *l, int n, const char *s) {
    for (int i = 0; i < n; i++) if (streq(l[i], s)) return true;
    return false;
}

/* The editable fields, in the order versions list them. */
static const char *const fields[] = {"title", "description", "status", "start", "end", "timezone", "country", "municipality",
                                     "venue", "online_url", "themes", "audiences", "language", "capacity",
                                     "registration_deadline", "series", "organisers", NULL};
static const char *const readonly[] = {"id", "uid", "county", "start_utc", "end_utc", "registered", "waiting", "demo",
                                       "version", "created_at", "updated_at", "url", "unconfirmed_organisers", NULL};


bool event_exists(db_t *db, int64_t id) {
    return db_exists_for(db_prep(db, "SELECT 1 FROM events WHERE id = :id"), ":id", id);
}

int64_t event_find_uid(db_t *db, const char *uid) {
    return db_int_for_text(db_prep(db, "SELECT id FROM events WHERE uid = :u"), ":u", uid);
}

static json_t *lang_obj(stmt_t *s, int col) {
    return json_pack("{s:s, s:s, s:s}", "sv", db_text(s, col) ? db_text(s, col) : "", "nb",
                     db_text(s, col + 1) ? db_text(s, col + 1) : "", "en", db_text(s, col + 2) ? db_text(s, col + 2) : "");
}

static json_t *strings(db_t *db, const char *sql, int64_t id) {
    stmt_t *s = db_prep_static(db, sql);
    db_bind_int(s, ":id", id);
    json_t *a = json_array();
    while (db_step(s)) json_array_append_new(a, json_string(db_text(s, 0)));
    return a;
}

json_t *event_load(db_t *db, int64_t id) {
    stmt_t *s = db_prep(db,
        "SELECT e.uid, e.title_sv, e.title_nb, e.title_en, e.desc_sv, e.desc_nb, e.desc_en, e.status, e.start_unix, e.end_unix, "
        "e.timezone, e.country, e.municipality, e.county, e.venue, e.online_url, e.language, e.capacity, e.reg_deadline_unix, "
        "e.series_id, (SELECT name FROM event_series WHERE id = e.series_id), e.demo_key IS NOT NULL, e.version, e.created_at, e.updated_at, "
        "e.start_utc, e.end_utc, e.source_org FROM events e WHERE e.id = :id");
    json_t *o = doc_load_row(s, id);
    if (!o) return NULL;
    const char *tz = db_text(s, 10);
    char loc[32];
    json_object_set_new(o, "uid", json_string(db_text(s, 0)));
    json_object_set_new(o, "title", lang_obj(s, 1));
    json_object_set_new(o, "description", lang_obj(s, 4));
    json_object_set_new(o, "status", json_string(db_text(s, 7)));
    utc_to_local((time_t)db_int(s, 8), tz, loc, sizeof loc);
    json_object_set_new(o, "start", json_string(loc));
    utc_to_local((time_t)db_int(s, 9), tz, loc, sizeof loc);
    json_object_set_new(o, "end", json_string(loc));
    json_object_set_new(o, "timezone", json_string(tz));
    json_object_set_new(o, "start_utc", json_string(db_text(s, 25)));
    json_object_set_new(o, "end_utc", json_string(db_text(s, 26)));
    doc_row_into(s, 11, "country,municipality,county,venue,online_url,language,capacity", o);
    if (db_is_null(s, 18)) json_object_set_new(o, "registration_deadline", json_null());
    else {
        utc_to_local((time_t)db_int(s, 18), tz, loc, sizeof loc);
        json_object_set_new(o, "registration_deadline", json_string(loc));
    }
    json_object_set_new(o, "series", db_is_null(s, 19) ? json_null()
                                      : json_pack("{s:I, s:s}", "id", (json_int_t)db_int(s, 19), "name", db_text(s, 20)));
    doc_row_into(s, 21, "demo?,version,created_at,updated_at", o);
    if (!db_is_null(s, 27)) json_object_set_new(o, "source_org", json_integer(db_int(s, 27)));
    db_reset(s);
    json_object_set_new(o, "themes", strings(db, "SELECT theme FROM event_themes WHERE event_id = :id ORDER BY theme", id));
    json_object_set_new(o, "audiences", strings(db, "SELECT audience FROM event_audiences WHERE event_id = :id ORDER BY audience", id));
    stmt_t *g = db_prep(db, "SELECT org_id FROM event_organisers WHERE event_id = :id ORDER BY pos");
    db_bind_int(g, ":id", id);
    json_t *orgs = json_array();
    while (db_step(g)) json_array_append_new(orgs, json_integer(db_int(g, 0)));
    json_object_set_new(o, "organisers", orgs);
    stmt_t *c = db_prep(db, "SELECT count(*) FILTER (WHERE status = 'registered'), count(*) FILTER (WHERE status = 'waiting') "
                            "FROM event_registrations WHERE event_id = :id");
    db_bind_int(c, ":id", id);
    if (db_step(c)) {
        json_object_set_new(o, "registered", json_integer(db_int(c, 0)));
        json_object_set_new(o, "waiting", json_integer(db_int(c, 1)));
    }
    db_reset(c);
    return o;
}

bool event_can_edit(db_t *db, const user_t *u, int64_t id) {
    if (!u) return false;
    if (u->is_admin) return true;
    stmt_t *s = db_prep(db, "SELECT org_id FROM event_organisers WHERE event_id = :id ORDER BY pos");
    db_bind_int(s, ":id", id);
    int64_t orgs[EVENT_MAX_ORGANISERS];
    int n = 0;
    while (db_step(s) && n < EVENT_MAX_ORGANISERS) orgs[n++] = db_int(s, 0);
    for (int i = 0; i < n; i++) if (org_can_edit(db, u, orgs[i])) return true;
    return false;
}

/* ---- validation ---- */

/* clean_string: check_string, descriptions (MAX_TEXT) may have lines */
static json_t *clean_string(check_ctx_t *v, json_t *in, const char *field, size_t max, bool nullable) {
    return check_string(v, in, field, max, (nullable ? CHECK_NULLABLE : 0) | (max >= MAX_TEXT ? CHECK_LINES : 0));
}

/* texts: {sv, nb, en} from an object, or from one string (stored under the event's language) */
static json_t *clean_texts(check_ctx_t *v, json_t *in, const char *field, size_t max, const char *lang_key) {
    json_t *out = json_pack("{s:s, s:s, s:s}", "sv", "", "nb", "", "en", "");
    if (!in || json_is_null(in)) return out;
    if (json_is_string(in)) {
        json_t *t = clean_string(v, in, field, max, false);
        if (t) json_object_set_new(out, lang_key, t);
        return out;
    }
    if (!json_is_object(in)) { check_err(v, field, "This field must be text, or an object with sv, nb and en."); return out; }
    const char *k;
    json_t *x;
    json_object_foreach(in, k, x)
        if (strcmp(k, "sv") && strcmp(k, "nb") && strcmp(k, "en")) check_err(v, field, "This field must be text, or an object with sv, nb and en.");
    for (int i = 0; i < 3; i++) {
        char f[40];
        snprintf(f, sizeof f, "%s.%s", field, i18n_langs[i]);
        json_t *t = clean_string(v, json_object_get(in, i18n_langs[i]), f, max, false);
        if (t) json_object_set_new(out, i18n_langs[i], t);
    }
    return out;
}

static void time_error(check_ctx_t *v, const char *field, lt_result_t r) {
    if (r == LT_NO_DATE) check_err(v, field, "This date or time does not exist.");
    else if (r == LT_DST_GAP) check_err(v, field, "This time does not exist: the clocks go forward an hour that night (summer time). Choose a time after 03:00.");
    else check_err(v, field, "Write the date and time as YYYY-MM-DDTHH:MM, e.g. 2027-03-10T09:00.");
}

static json_t *clean_set(check_ctx_t *v, json_t *in, const char *field, const char *const *allowed, int nallowed, theme_t *th, int nth) {
    json_t *out = json_array();
    if (!in || json_is_null(in)) return out;
    if (!json_is_array(in) || json_array_size(in) > 20) { check_err(v, field, "This field must be a list."); return out; }
    size_t i;
    json_t *x;
    json_array_foreach(in, i, x) {
        const char *s = json_string_value(x);
        bool ok = false;
        if (s && allowed) ok = one_of(allowed, nallowed, s);
        for (int k = 0; s && th && k < nth; k++) if (!strcmp(th[k].slug, s)) ok = true;
        if (!ok) { check_err(v, field, th ? "Unknown key area." : "Unknown audience."); continue; }
        bool dup = false;
        size_t k;
        json_t *y;
        json_array_foreach(out, k, y) if (!strcmp(json_string_value(y), s)) dup = true;
        if (!dup) json_array_append_new(out, json_string(s));
    }
    return out;
}

static int registered_count(db_t *db, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT count(*) FROM event_registrations WHERE event_id = :id AND status = 'registered'");
    db_bind_int(s, ":id", id);
    int n = db_step(s) ? (int)db_int(s, 0) : 0;
    db_reset(s);
    return n;
}

json_t *event_validate(db_t *db, const char *lang, json_t *input, json_t *base, int64_t self_id, json_t **doc) {
    check_ctx_t v = {db, lang, json_object()};
    json_t *m = check_begin(&v, &event_kind, input, base, doc);   /* input over base */
    if (!m) return v.errors;
    json_t *d = json_object();
    json_t *x;

    const char *country = json_string_value(json_object_get(m, "country"));
    if (!country || (strcmp(country, "SE") && strcmp(country, "NO"))) { check_err(&v, "country", "Choose Sweden or Norway."); country = NULL; }
    else json_object_set_new(d, "country", json_string(country));
    const char *language = json_string_value(json_object_get(m, "language"));
    json_t *lj = json_object_get(m, "language");
    if (lj && !json_is_null(lj) && !(language && (one_of(event_languages, 4, language) || !*language)))
        check_err(&v, "language", "Choose the language of the event.");
    else json_object_set_new(d, "language", language && *language ? json_string(language) : json_null());
    const char *tkey = language && (!strcmp(language, "nb") || !strcmp(language, "en")) ? language
                       : language && !strcmp(language, "sv") ? "sv" : country && !strcmp(country, "NO") ? "nb" : "sv";
    json_t *title = clean_texts(&v, json_object_get(m, "title"), "title", MAX_TITLE, tkey);
    if (!*json_string_value(json_object_get(title, "sv")) && !*json_string_value(json_object_get(title, "nb")) &&
        !*json_string_value(json_object_get(title, "en")))
        check_err(&v, "title", "Give the event a title.");
    json_object_set_new(d, "title", title);
    json_object_set_new(d, "description", clean_texts(&v, json_object_get(m, "description"), "description", MAX_TEXT, tkey));

    const char *status = json_string_value(json_object_get(m, "status"));
    if (!json_object_get(m, "status") || json_is_null(json_object_get(m, "status"))) status = "planned";
    if (!one_of(event_statuses, 4, status)) check_err(&v, "status", "Choose the event's status: idea, planned, confirmed or cancelled.");
    else json_object_set_new(d, "status", json_string(status));

    const char *tz = json_string_value(json_object_get(m, "timezone"));
    json_t *tzj = json_object_get(m, "timezone");
    if (!tzj || json_is_null(tzj) || (tz && !*tz)) tz = country && !strcmp(country, "NO") ? "Europe/Oslo" : "Europe/Stockholm";
    if (!tz_valid(tz)) { check_err(&v, "timezone", "The time zone must be Europe/Stockholm or Europe/Oslo."); tz = NULL; }
    else json_object_set_new(d, "timezone", json_string(tz));
    time_t st = 0, en = 0;
    bool st_ok = false, en_ok = false;
    const char *ss = json_string_value(json_object_get(m, "start")), *es = json_string_value(json_object_get(m, "end"));
    if (!ss || !*ss) check_err(&v, "start", "When does it start? This field is required.");
    else if (tz) {
        lt_result_t r = local_to_utc(ss, tz, &st);
        if (r) time_error(&v, "start", r);
        else st_ok = true;
    }
    if (!es || !*es) check_err(&v, "end", "When does it end? This field is required.");
    else if (tz) {
        lt_result_t r = local_to_utc(es, tz, &en);
        if (r) time_error(&v, "end", r);
        else en_ok = true;
    }
    if (st_ok && en_ok) {
        if (en <= st) check_err(&v, "end", "The end must be after the start.");
        else if (en - st > (time_t)EVENT_MAX_DAYS * 86400) check_err(&v, "end", "An event may last at most 31 days.");
        else {
            char loc[32];
            utc_to_local(st, tz, loc, sizeof loc);
            json_object_set_new(d, "start", json_string(loc));
            utc_to_local(en, tz, loc, sizeof loc);
            json_object_set_new(d, "end", json_string(loc));
            json_object_set_new(d, "start_unix", json_integer(st));
            json_object_set_new(d, "end_unix", json_integer(en));
        }
    }

    json_t *mu = json_object_get(m, "municipality");
    const char *muni = json_string_value(mu);
    if (!mu || json_is_null(mu) || (muni && !*muni)) json_object_set_new(d, "municipality", json_null());
    else if (!muni) check_err(&v, "municipality", "Choose a municipality.");
    else if (country && !ref_municipality(country, muni)) check_err(&v, "municipality", "There is no municipality with this code in the chosen country.");
    else if (country) {
        json_object_set_new(d, "municipality", json_string(muni));
        json_object_set_new(d, "county", json_string(ref_municipality(country, muni)->county));
    }
    if ((x = clean_string(&v, json_object_get(m, "venue"), "venue", MAX_SHORT, true))) json_object_set_new(d, "venue", x);
    if ((x = clean_string(&v, json_object_get(m, "online_url"), "online_url", MAX_SHORT, true))) {
        if (json_is_string(x) && !check_url(json_string_value(x))) { check_err(&v, "online_url", "A web address starts with https:// or http://."); json_decref(x); }
        else json_object_set_new(d, "online_url", x);
    }
    if (status && strcmp(status, "idea") && json_is_null(json_object_get(d, "municipality")) &&
        json_is_null(json_object_get(d, "online_url")) && !json_object_get(v.errors, "municipality") &&
        !json_object_get(v.errors, "online_url"))
        check_err(&v, "municipality", "Say where it takes place: a municipality, an online link, or both (an idea may leave it open).");

    int nth;
    arena_t *ta = arena_new();
    theme_t *th = ref_themes(db, ta, "en", &nth);
    json_object_set_new(d, "themes", clean_set(&v, json_object_get(m, "themes"), "themes", NULL, 0, th, nth));
    arena_free(ta);
    json_object_set_new(d, "audiences", clean_set(&v, json_object_get(m, "audiences"), "audiences", event_audiences, 6, NULL, 0));

    json_t *cap = json_object_get(m, "capacity");
    if (!cap || json_is_null(cap)) json_object_set_new(d, "capacity", json_null());
    else if (!json_is_integer(cap) || json_integer_value(cap) < 1 || json_integer_value(cap) > 100000)
        check_err(&v, "capacity", "The capacity is a number of places from 1 to 100 000, or empty for no limit.");
    else {
        int reg = self_id ? registered_count(db, self_id) : 0;
        if (json_integer_value(cap) < reg) {
            char msg[300];
            snprintf(msg, sizeof msg, tr(lang, "%d people are already registered: the capacity cannot be lower than that."), reg);
            json_object_set_new(v.errors, "capacity", json_string(msg));
        } else json_object_set_new(d, "capacity", json_integer(json_integer_value(cap)));
    }
    json_t *dl = json_object_get(m, "registration_deadline");
    const char *dls = json_string_value(dl);
    if (!dl || json_is_null(dl) || (dls && !*dls)) json_object_set_new(d, "registration_deadline", json_null());
    else if (!dls) check_err(&v, "registration_deadline", "Write the date and time as YYYY-MM-DDTHH:MM, e.g. 2027-03-10T09:00.");
    else if (tz) {
        time_t t;
        lt_result_t r = local_to_utc(dls, tz, &t);
        if (r) time_error(&v, "registration_deadline", r);
        else if (en_ok && t > en) check_err(&v, "registration_deadline", "Registration must close before the event ends.");
        else {
            char loc[32];
            utc_to_local(t, tz, loc, sizeof loc);
            json_object_set_new(d, "registration_deadline", json_string(loc));
            json_object_set_new(d, "deadline_unix", json_integer(t));
        }
    }
    json_t *se = json_object_get(m, "series");
    if (!se || json_is_null(se) || (json_is_string(se) && !*json_string_value(se))) json_object_set_new(d, "series", json_null());
    else if (json_is_object(se) && json_is_integer(json_object_get(se, "id"))) se = json_object_get(se, "id");
    /* a stored version made when the series was new names it only: {"name": …} */
    else if (json_is_object(se) && json_is_string(json_object_get(se, "name"))) se = json_object_get(se, "name");
    if (json_is_integer(se)) {
        stmt_t *s = db_prep(db, "SELECT name FROM event_series WHERE id = :id");
        db_bind_int(s, ":id", json_integer_value(se));
        if (db_step(s)) json_object_set_new(d, "series", json_pack("{s:I, s:s}", "id", (json_int_t)json_integer_value(se), "name", db_text(s, 0)));
        else check_err(&v, "series", "There is no such series.");
        db_reset(s);
    } else if (json_is_string(se) && *json_string_value(se)) {
        if ((x = clean_string(&v, se, "series", MAX_TITLE, true))) {
            if (json_is_string(x)) json_object_set_new(d, "series", json_pack("{s:O}", "name", x));
            json_decref(x);
        }
    } else if (se && !json_is_null(se) && !json_object_get(d, "series")) check_err(&v, "series", "The series is a name or the number of an existing series.");

    json_t *orgs = json_object_get(m, "organisers");
    json_t *oo = json_array();
    if (!json_is_array(orgs) || !json_array_size(orgs)) check_err(&v, "organisers", "Choose at least one organising organisation.");
    else if (json_array_size(orgs) > EVENT_MAX_ORGANISERS) check_err(&v, "organisers", "This list is too long.");
    else {
        size_t i;
        json_array_foreach(orgs, i, x) {
            if (!json_is_integer(x) || !org_exists(db, json_integer_value(x))) { check_err(&v, "organisers", "There is no such organisation."); break; }
            bool dup = false;
            size_t k;
            json_t *y;
            json_array_foreach(oo, k, y) if (json_integer_value(y) == json_integer_value(x)) dup = true;
            if (!dup) json_array_append_new(oo, json_integer(json_integer_value(x)));
        }
    }
    json_object_set_new(d, "organisers", oo);
    json_decref(m);
    if (json_object_size(v.errors)) { json_decref(d); return v.errors; }
    *doc = d;
    return v.errors;
}

/* ---- saving ---- */
static const char *tstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }
static const char *tnull(json_t *o, const char *k) {
    const char *s = tstr(o, k);
    return s && *s ? s : NULL;
}

static bool write_lists(db_t *db, int64_t id, json_t *doc) {
    stmt_t *s = db_prep(db, "DELETE FROM event_organisers WHERE event_id = :id");
    db_bind_int(s, ":id", id);
    bool ok = db_run(s);
    s = db_prep(db, "DELETE FROM event_themes WHERE event_id = :id");
    db_bind_int(s, ":id", id);
    ok = ok && db_run(s);
    s = db_prep(db, "DELETE FROM event_audiences WHERE event_id = :id");
    db_bind_int(s, ":id", id);
    ok = ok && db_run(s);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "organisers"), i, x) {
        s = db_prep(db, "INSERT INTO event_organisers (event_id, pos, org_id) VALUES (:id, :pos, :org)");
        db_bind_int(s, ":id", id);
        db_bind_int(s, ":pos", (int64_t)i);
        db_bind_int(s, ":org", json_integer_value(x));
        ok = ok && db_run(s);
    }
    json_array_foreach(json_object_get(doc, "themes"), i, x) {
        s = db_prep(db, "INSERT INTO event_themes (event_id, theme) VALUES (:id, :t)");
        db_bind_int(s, ":id", id);
        db_bind_text(s, ":t", json_string_value(x));
        ok = ok && db_run(s);
    }
    json_array_foreach(json_object_get(doc, "audiences"), i, x) {
        s = db_prep(db, "INSERT INTO event_audiences (event_id, audience) VALUES (:id, :t)");
        db_bind_int(s, ":id", id);
        db_bind_text(s, ":t", json_string_value(x));
        ok = ok && db_run(s);
    }
    s = db_prep(db, "UPDATE events SET themes_csv = (SELECT group_concat(theme, ',') FROM event_themes WHERE event_id = :id), "
                    "audiences_csv = (SELECT group_concat(audience, ',') FROM event_audiences WHERE event_id = :id) WHERE id = :id");
    db_bind_int(s, ":id", id);
    return ok && db_run(s);
}

/* promote: move the waiting list up while there are places */
static bool promote(db_t *db, arena_t *a, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT capacity FROM events WHERE id = :id");
    db_bind_int(s, ":id", id);
    bool found = db_step(s);
    bool unlimited = found && db_is_null(s, 0);
    int64_t cap = found && !unlimited ? db_int(s, 0) : 0;
    db_reset(s);
    if (!found) return false;
    for (;;) {
        if (!unlimited && registered_count(db, id) >= cap) return true;
        s = db_prep(db, "SELECT id, user_id FROM event_registrations WHERE event_id = :id AND status = 'waiting' ORDER BY updated_at, id LIMIT 1");
        db_bind_int(s, ":id", id);
        if (!db_step(s)) { db_reset(s); return true; }
        int64_t rid = db_int(s, 0), uid = db_int(s, 1);
        db_reset(s);
        s = db_prep(db, "UPDATE event_registrations SET status = 'registered', updated_at = :now WHERE id = :r");
        db_bind_text(s, ":now", now_utc(a));
        db_bind_int(s, ":r", rid);
        if (!db_run(s) || !event_notify(db, a, uid, id, "promoted", NULL)) return false;
    }
}

/* series_same: a series is the same when its name is */
static bool event_same(const char *field, json_t *o, json_t *n) {
    if (!strcmp(field, "series") && json_is_object(o) && json_is_object(n)) return streq(tstr(o, "name"), tstr(n, "name"));
    return json_equal(o, n);
}

/* event_write: the row, its lists, the waiting list moved up, and the cancellation told to
 * everyone registered (doc_kind_t.write) */
static int64_t event_write(db_t *db, arena_t *a, int64_t id, json_t *doc, json_t *old, int version, int64_t user_id) {
    const char *old_status = old ? tstr(old, "status") : NULL;
    int64_t series = 0;
    json_t *se = json_object_get(doc, "series");
    if (json_is_object(se)) {
        if (json_is_integer(json_object_get(se, "id"))) series = json_integer_value(json_object_get(se, "id"));
        else {
            stmt_t *s = db_prep(db, "SELECT id FROM event_series WHERE name = :n");
            db_bind_text(s, ":n", tstr(se, "name"));
            series = db_int_of(s, 0);
            db_reset(s);
            if (!series) {
                s = db_prep(db, "INSERT INTO event_series (name, created_at) VALUES (:n, :now)");
                db_bind_text(s, ":n", tstr(se, "name"));
                db_bind_text(s, ":now", now_utc(a));
                if (!db_run(s)) return 0;
                series = db_last_id(db);
            }
        }
    }
    json_t *t = json_object_get(doc, "title"), *dsc = json_object_get(doc, "description");
    const char *now = now_utc(a);
    char su[32], eu[32];
    utc_string((time_t)json_integer_value(json_object_get(doc, "start_unix")), su, sizeof su);
    utc_string((time_t)json_integer_value(json_object_get(doc, "end_unix")), eu, sizeof eu);
    stmt_t *s;
    if (!id) {
        s = db_prep(db, "INSERT INTO events (uid, title_sv, title_nb, title_en, desc_sv, desc_nb, desc_en, status, start_utc, end_utc, "
                        "start_unix, end_unix, timezone, country, municipality, county, venue, online_url, language, capacity, "
                        "reg_deadline_unix, series_id, source_org, demo_key, version, created_by, created_at, updated_at) VALUES "
                        "(:uid, :tsv, :tnb, :ten, :dsv, :dnb, :den, :status, :su, :eu, :sx, :ex, :tz, :country, :muni, :county, :venue, "
                        ":url, :lang, :cap, :dl, :series, :src, :demo, :version, :user, :now, :now)");
        const char *uid = tstr(doc, "uid");
        db_bind_text(s, ":uid", uid ? uid : event_native_uid(a)); /* random, never renamed (issue 11) */
        db_bind_text(s, ":demo", tstr(doc, "demo_key"));
        doc_bind_int(s, ":src", json_object_get(doc, "source_org"));
        db_bind_id(s, ":user", user_id);
    } else {
        s = db_prep(db, "UPDATE events SET title_sv = :tsv, title_nb = :tnb, title_en = :ten, desc_sv = :dsv, desc_nb = :dnb, "
                        "desc_en = :den, status = :status, start_utc = :su, end_utc = :eu, start_unix = :sx, end_unix = :ex, "
                        "timezone = :tz, country = :country, municipality = :muni, county = :county, venue = :venue, online_url = :url, "
                        "language = :lang, capacity = :cap, reg_deadline_unix = :dl, series_id = :series, version = :version, "
                        "updated_at = :now WHERE id = :id");
        db_bind_int(s, ":id", id);
    }
    db_binds(s, DB_TEXT(":tsv", tnull(t, "sv")), DB_TEXT(":tnb", tnull(t, "nb")), DB_TEXT(":ten", tnull(t, "en")),
                DB_TEXT(":dsv", tnull(dsc, "sv")), DB_TEXT(":dnb", tnull(dsc, "nb")), DB_TEXT(":den", tnull(dsc, "en")),
                DB_TEXT(":status", tstr(doc, "status")), DB_TEXT(":su", su), DB_TEXT(":eu", eu),
                DB_INT(":sx", json_integer_value(json_object_get(doc, "start_unix"))),
                DB_INT(":ex", json_integer_value(json_object_get(doc, "end_unix"))), DB_TEXT(":tz", tstr(doc, "timezone")),
                DB_TEXT(":country", tstr(doc, "country")), DB_TEXT(":muni", tstr(doc, "municipality")),
                DB_TEXT(":county", tstr(doc, "county")), DB_TEXT(":venue", tstr(doc, "venue")), DB_TEXT(":url", tstr(doc, "online_url")),
                DB_TEXT(":lang", tstr(doc, "language")));
    json_t *cap = json_object_get(doc, "capacity");
    doc_bind_int(s, ":cap", cap);
    json_t *dl = json_object_get(doc, "deadline_unix");
    if (json_is_integer(dl) && !json_is_null(json_object_get(doc, "registration_deadline"))) db_bind_int(s, ":dl", json_integer_value(dl));
    else if (!json_is_null(json_object_get(doc, "registration_deadline")) && old) {
        /* unchanged deadline from the stored document: convert again */
        time_t tt;
        if (local_to_utc(tstr(doc, "registration_deadline"), tstr(doc, "timezone"), &tt) == LT_OK) db_bind_int(s, ":dl", tt);
        else db_bind_null(s, ":dl");
    } else db_bind_null(s, ":dl");
    db_bind_id(s, ":series", series);
    db_bind_text(s, ":now", now);
    db_bind_int(s, ":version", version);
    if (!db_run(s)) return 0;
    if (!id) {
        id = db_last_id(db);
    }
    bool ok = write_lists(db, id, doc) && event_organisers_confirm(db, a, id, user_id); /* issue 11: named by its members */
    if (ok && old) ok = promote(db, a, id);
    if (ok && old_status && strcmp(old_status, "cancelled") && streq(tstr(doc, "status"), "cancelled")) {
        /* tell everyone who registered or waits */
        s = db_prep(db, "SELECT user_id FROM event_registrations WHERE event_id = :id AND status <> 'cancelled' ORDER BY id");
        db_bind_int(s, ":id", id);
        int64_t users[4096];
        int nu = 0;
        while (db_step(s) && nu < 4096) users[nu++] = db_int(s, 0);
        for (int i = 0; ok && i < nu; i++) ok = event_notify(db, a, users[i], id, "cancelled", NULL);
    }
    return ok ? id : 0;
}

static bool event_may_create(db_t *db, const user_t *u, json_t *doc);
static json_t *event_kind_validate(db_t *db, const char *lang, json_t *input, json_t *base, int64_t id, const user_t *u, json_t **doc) {
    json_t *errors = event_validate(db, lang, input, base, id, doc);
    if (json_object_size(errors) || !u) return errors;
    if (!base && !event_may_create(db, u, *doc)) return errors;   /* refused as a whole: 403, not a field */
    /* issue 11, borrowed names: the editor keeps an organisation of theirs among the organisers,
     * and joins a series only through a confirmed organiser of one of its events */
    json_t *named = event_organisers_check(db, u, *doc, base, lang);
    if (named) {
        json_object_update(errors, named);
        json_decref(named);
        json_decref(*doc);
        *doc = NULL;
    }
    return errors;
}

static json_t *event_kind_load(db_t *db, arena_t *a, int64_t id, const user_t *u, bool editor) {
    (void)a;
    (void)u;
    (void)editor;
    json_t *e = event_load(db, id);
    if (e) json_object_set_new(e, "unconfirmed_organisers", event_unconfirmed_organisers(db, id)); /* issue 11 */
    return e;
}

/* event_may_create: the user acts for at least one of the organisers */
static bool event_may_create(db_t *db, const user_t *u, json_t *doc) {
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(doc, "organisers"), i, x) if (org_can_edit(db, u, json_integer_value(x))) return true;
    return false;
}

doc_kind_t event_kind = {
    .name = "event", .fields = fields, .readonly = readonly, .validate = event_kind_validate, .write = event_write,
    .same = event_same, .load = event_kind_load, .may_edit = event_can_edit, .may_revert = event_can_edit,
    .may_create = event_may_create, .api_path = "/api/v1/events",
    .msg_not_found = N_("There is no such event."),
    .msg_forbidden_edit = N_("Only members of the organising organisations may change this event."),
    .msg_forbidden_create = N_("You can add events only for organisations you are a member of."),
    .msg_save_failed = N_("The event could not be saved. Nothing was changed."),
};

int64_t event_save(db_t *db, arena_t *a, int64_t id, json_t *doc, int64_t user_id, const char *note, bool *changed) {
    return doc_save_simple(&event_kind, db, a, id, doc, user_id, note, changed);
}

/* ---- the calendar ---- */
static int lang_col(const char *lang) { return lang[0] == 'n' ? 1 : lang[0] == 'e' ? 2 : 0; }

/* pick: the text in the reader's language, else the event's, else any; *l its language */
static const char *pick(stmt_t *s, int col, const char *lang, const char *country, arena_t *a, const char **l) {
    static const char *codes[3] = {"sv", "nb", "en"};
    int order[5] = {lang_col(lang), streq(country, "NO") ? 1 : 0, 0, 1, 2};
    for (int i = 0; i < 5; i++) {
        const char *t = db_text(s, col + order[i]);
        if (t && *t) { *l = codes[order[i]]; return db_text_dup(s, col + order[i], a); }
    }
    *l = lang;
    return "";
}

int event_list(db_t *db, arena_t *a, const event_filter_t *f, const char *lang, event_row_t **rows) {
    stmt_t *s = db_prep(db,
        "SELECT e.id, e.title_sv, e.title_nb, e.title_en, e.status, e.country, e.municipality, e.venue, e.online_url, e.timezone, "
        "e.start_unix, e.end_unix, e.demo_key IS NOT NULL, e.uid, e.updated_at, e.desc_sv, e.desc_nb, e.desc_en, "
        "e.themes_csv FROM events e WHERE e.start_unix < :to AND e.end_unix > :from AND e.start_unix > :from - :maxdur "
        "AND (:status = 'all' OR (:status IS NULL AND e.status <> 'cancelled') OR e.status = :status) "
        "AND (:country IS NULL OR e.country = :country) "
        "AND (:county IS NULL OR (e.country = substr(:county, 1, 2) AND e.county = substr(:county, 4))) "
        "AND (:theme IS NULL OR EXISTS (SELECT 1 FROM event_themes t WHERE t.event_id = e.id AND t.theme = :theme)) "
        "AND (:aud IS NULL OR EXISTS (SELECT 1 FROM event_audiences x WHERE x.event_id = e.id AND x.audience = :aud)) "
        "AND (:org = 0 OR EXISTS (SELECT 1 FROM event_organisers_confirmed o WHERE o.event_id = e.id AND o.org_id = :org)) " /* issue 11 */
        "ORDER BY e.start_unix, e.id LIMIT :limit");
    db_binds(s, DB_INT(":from", f->from), DB_INT(":to", f->to), DB_INT(":maxdur", (int64_t)EVENT_MAX_DAYS * 86400),
                DB_TEXT(":status", f->status), DB_TEXT(":country", f->country), DB_TEXT(":county", f->county), DB_TEXT(":theme", f->theme),
                DB_TEXT(":aud", f->audience), DB_INT(":org", f->org));
    int limit = f->limit > 0 ? f->limit : 500;
    db_bind_int(s, ":limit", limit);
    event_row_t *out = arena_alloc(a, sizeof *out * (size_t)(limit + 1));
    int n = 0;
    while (db_step(s) && n < limit) {
        event_row_t *e = &out[n++];
        e->id = db_int(s, 0);
        e->country = db_text_dup(s, 5, a);
        e->title = pick(s, 1, lang, e->country, a, &e->title_lang);
        e->status = db_text_dup(s, 4, a);
        e->municipality = db_text_dup(s, 6, a);
        e->venue = db_text_dup(s, 7, a);
        e->online_url = db_text_dup(s, 8, a);
        e->timezone = db_text_dup(s, 9, a);
        e->start = (time_t)db_int(s, 10);
        e->end = (time_t)db_int(s, 11);
        e->demo = db_int(s, 12) != 0;
        e->uid = db_text_dup(s, 13, a);
        e->updated_at = db_text_dup(s, 14, a);
        e->desc = pick(s, 15, lang, e->country, a, &e->desc_lang);
        e->themes = db_text_dup(s, 18, a);
    }
    *rows = out;
    return n;
}

const char *event_filter_read(req_t *r, event_filter_t *f) {
    memset(f, 0, sizeof *f);
    const char *c = req_query(r, "country");
    if (c && *c) {
        if (strcmp(c, "SE") && strcmp(c, "NO")) return T(r, "country must be SE or NO.");
        f->country = c;
    }
    const char *k = req_query(r, "county");
    if (k && *k) {
        if (strlen(k) < 4 || k[2] != '-' || !ref_county(aprintf_text(r->arena, "%.2s", k), k + 3)) return T(r, "Unknown county.");
        f->county = k;
    }
    const char *t = req_query(r, "theme");
    if (t && *t) {
        int nt;
        theme_t *th = ref_themes(db_get(), r->arena, "en", &nt);
        bool known = false;
        for (int i = 0; i < nt; i++) if (!strcmp(th[i].slug, t)) known = true;
        if (!known) return T(r, "Unknown key area.");
        f->theme = t;
    }
    const char *au = req_query(r, "audience");
    if (au && *au) {
        if (!one_of(event_audiences, 6, au)) return T(r, "Unknown audience.");
        f->audience = au;
    }
    const char *st = req_query(r, "status");
    if (st && *st) {
        if (!one_of(event_statuses, 4, st) && strcmp(st, "all")) return T(r, "Unknown status.");
        f->status = st;
    }
    const char *o = req_query(r, "org");
    long long id;
    if (o && *o) {
        if (!parse_int(o, 1, INT64_MAX, &id)) return T(r, "There is no such organisation.");
        f->org = id;
    }
    return NULL;
}

/* ---- coordination ---- */
/* the cross-border programme areas: a clash across the border is one within the same area */
static const struct { const char *country, *county; int area; } areas[] = {
    {"SE", "17", 1}, {"SE", "20", 1}, {"NO", "34", 1},                                   /* Inner Scandinavia */
    {"SE", "14", 2}, {"NO", "31", 2}, {"NO", "32", 2},                                   /* Borderless cooperation */
    {"SE", "22", 3}, {"SE", "23", 3}, {"SE", "24", 3}, {"NO", "50", 3}, {"NO", "18", 3}, /* Nordic Green Belt */
    {"SE", "25", 4}, {"NO", "55", 4}, {"NO", "56", 4},                                   /* the north */
};

int event_region(const char *country, const char *county) {
    for (size_t i = 0; country && county && i < sizeof areas / sizeof *areas; i++)
        if (!strcmp(areas[i].country, country) && !strcmp(areas[i].county, county)) return areas[i].area;
    return 0;
}

/* a candidate clash, scored before any JSON is built: only the best are described */
typedef struct cand {
    int64_t id, start;
    int score, themes, auds, region; /* bit masks of the query's themes and audiences shared; region 0, 1 (border) or 2 */
    const char *title, *title_lang, *country, *county, *tz;
} cand_t;

static int cand_cmp(const void *x, const void *y) {
    const cand_t *a = x, *b = y;
    if (a->score != b->score) return b->score - a->score;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

json_t *event_warnings(db_t *db, const clash_query_t *q) {
    json_t *out = json_array();
    int64_t win = (int64_t)(q->days > 0 ? q->days : 0) * 86400;
    stmt_t *s = db_prep(db,
        "SELECT e.id, e.title_sv, e.title_nb, e.title_en, e.country, e.county, e.start_unix, e.timezone, e.themes_csv, e.audiences_csv "
        "FROM events e WHERE e.start_unix < :to AND e.end_unix > :from AND e.start_unix > :from - 172800 "
        "AND e.status <> 'cancelled' AND e.id <> :ex "
        "UNION ALL "
        "SELECT e.id, e.title_sv, e.title_nb, e.title_en, e.country, e.county, e.start_unix, e.timezone, e.themes_csv, e.audiences_csv "
        "FROM events e WHERE e.end_unix - e.start_unix > 172800 AND e.start_unix <= :from - 172800 AND e.start_unix > :from - :maxdur "
        "AND e.end_unix > :from AND e.status <> 'cancelled' AND e.id <> :ex LIMIT 2000");
    db_binds(s, DB_INT(":from", (int64_t)q->start - win), DB_INT(":to", (int64_t)q->end + win),
                DB_INT(":maxdur", (int64_t)EVENT_MAX_DAYS * 86400), DB_INT(":ex", q->exclude));
    int my_area = event_region(q->country, q->county);
    arena_t *a = arena_new();
    int nt = (int)json_array_size(q->themes), na = (int)json_array_size(q->audiences);
    if (nt > 30) nt = 30;
    if (na > 30) na = 30;
    cand_t *c = NULL;
    int n = 0, cap = 0;
    while (db_step(s)) {
        const char *themes = db_text(s, 8), *auds = db_text(s, 9), *ctry = db_text(s, 4), *cty = db_text(s, 5);
        cand_t k = {0};
        for (int i = 0; i < nt; i++) if (csv_has(themes, json_string_value(json_array_get(q->themes, (size_t)i)))) { k.themes |= 1 << i; k.score += 2; }
        for (int i = 0; i < na; i++) if (csv_has(auds, json_string_value(json_array_get(q->audiences, (size_t)i)))) { k.auds |= 1 << i; k.score += 1; }
        if (q->county && cty && streq(q->country, ctry) && !strcmp(q->county, cty)) { k.region = 2; k.score += 2; }
        else if (my_area && my_area == event_region(ctry, cty)) { k.region = 1; k.score += 1; }
        if (!k.score) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            cand_t *nc = arena_alloc(a, sizeof *nc * (size_t)cap);
            if (n) memcpy(nc, c, sizeof *nc * (size_t)n);
            c = nc;
        }
        k.id = db_int(s, 0);
        k.start = db_int(s, 6);
        k.title = pick(s, 1, q->lang ? q->lang : "sv", ctry, a, &k.title_lang);
        k.country = arena_strdup(a, ctry);
        k.county = arena_strdup(a, cty);
        k.tz = arena_strdup(a, db_text(s, 7));
        c[n++] = k;
    }
    /* the most similar first (then the nearest in time); at most EVENT_MAX_CLASHES described */
    if (n > 1) qsort(c, (size_t)n, sizeof *c, cand_cmp);
    for (int i = 0; i < n && i < EVENT_MAX_CLASHES; i++) {
        json_t *reasons = json_array();
        for (int t = 0; t < nt; t++)
            if (c[i].themes & (1 << t)) json_array_append_new(reasons, json_pack("{s:s, s:O}", "type", "theme", "value", json_array_get(q->themes, (size_t)t)));
        for (int t = 0; t < na; t++)
            if (c[i].auds & (1 << t)) json_array_append_new(reasons, json_pack("{s:s, s:O}", "type", "audience", "value", json_array_get(q->audiences, (size_t)t)));
        if (c[i].region)
            json_array_append_new(reasons, json_pack("{s:s, s:s}", "type", c[i].region == 2 ? "region" : "border-region", "value",
                                                     aprintf_text(a, "%s-%s", c[i].country, c[i].county ? c[i].county : "")));
        char loc[32];
        utc_to_local((time_t)c[i].start, c[i].tz, loc, sizeof loc);
        json_array_append_new(out, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:o}", "kind", "clash", "event", (json_int_t)c[i].id,
                                             "title", c[i].title, "title_lang", c[i].title_lang, "start", loc, "country", c[i].country,
                                             "reasons", reasons));
    }
    arena_free(a);
    /* holidays on each local day the event touches */
    struct tm lt, le;
    localtime_r(&q->start, &lt);
    time_t last = q->end > q->start ? q->end - 1 : q->start;
    localtime_r(&last, &le);
    int y = lt.tm_year + 1900, m = lt.tm_mon + 1, d = lt.tm_mday;
    for (int day = 0; day <= EVENT_MAX_DAYS; day++) {
        holiday_t h[4];
        int nh = holidays_on(y, m, d, h, 4);
        for (int i = 0; i < nh; i++) {
            char date[40];
            snprintf(date, sizeof date, "%04d-%02d-%02d", y, m, d);
            json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", "holiday", "country", h[i].country, "name",
                                                 h[i].name, "name_en", h[i].name_en, "date", date));
        }
        if (y == le.tm_year + 1900 && m == le.tm_mon + 1 && d == le.tm_mday) break;
        if (++d > days_in_month(y, m)) { d = 1; if (++m > 12) { m = 1; y++; } }
    }
    return out;
}

/* ---- registration ---- */
static bool notify_ok(db_t *db, arena_t *a, int64_t uid, int64_t ev, const char *kind) { return event_notify(db, a, uid, ev, kind, NULL); }

reg_result_t event_register(db_t *db, arena_t *a, int64_t event_id, int64_t user_id, bool share, const char *affiliation,
                            const char **status) {
    *status = NULL;
    if (!db_begin(db)) return REG_DB;
    stmt_t *s = db_prep(db, "SELECT status, capacity, reg_deadline_unix, start_unix FROM events WHERE id = :id");
    db_bind_int(s, ":id", event_id);
    if (!db_step(s)) { db_reset(s); db_rollback(db); return REG_NO_EVENT; }
    bool cancelled = streq(db_text(s, 0), "cancelled");
    bool unlimited = db_is_null(s, 1);
    int64_t cap = unlimited ? 0 : db_int(s, 1);
    int64_t closes = db_is_null(s, 2) ? db_int(s, 3) : db_int(s, 2);
    db_reset(s);
    if (cancelled) { db_rollback(db); return REG_EVENT_CANCELLED; }
    const char *cur = event_my_status(db, a, event_id, user_id);
    const char *now = now_utc(a);
    if (cur) {
        s = db_prep(db, "UPDATE event_registrations SET share = :share, affiliation = :aff WHERE event_id = :e AND user_id = :u");
        db_binds(s, DB_INT(":share", share), DB_TEXT(":aff", affiliation && *affiliation ? affiliation : NULL), DB_INT(":e", event_id),
                    DB_INT(":u", user_id));
        if (!db_run(s) || !db_commit(db)) { db_rollback(db); return REG_DB; }
        *status = cur;
        return REG_OK;
    }
    if (now_unix() > closes) { db_rollback(db); return REG_CLOSED; }
    const char *st = !unlimited && registered_count(db, event_id) >= cap ? "waiting" : "registered";
    s = db_prep(db, "INSERT INTO event_registrations (event_id, user_id, status, share, affiliation, created_at, updated_at) "
                    "VALUES (:e, :u, :st, :share, :aff, :now, :now) ON CONFLICT (event_id, user_id) DO UPDATE SET "
                    "status = excluded.status, share = excluded.share, affiliation = excluded.affiliation, updated_at = excluded.updated_at");
    db_binds(s, DB_INT(":e", event_id), DB_INT(":u", user_id), DB_TEXT(":st", st), DB_INT(":share", share),
                DB_TEXT(":aff", affiliation && *affiliation ? affiliation : NULL), DB_TEXT(":now", now));
    if (!db_run(s) || !notify_ok(db, a, user_id, event_id, st) || !db_commit(db)) { db_rollback(db); return REG_DB; }
    *status = st;
    return REG_OK;
}

reg_result_t event_unregister(db_t *db, arena_t *a, int64_t event_id, int64_t user_id) {
    if (!event_exists(db, event_id)) return REG_NO_EVENT;
    if (!db_begin(db)) return REG_DB;
    if (!event_my_status(db, a, event_id, user_id)) { db_rollback(db); return REG_NOT_REGISTERED; }
    stmt_t *s = db_prep(db, "UPDATE event_registrations SET status = 'cancelled', updated_at = :now WHERE event_id = :e AND user_id = :u");
    db_bind_text(s, ":now", now_utc(a));
    db_bind_int(s, ":e", event_id);
    db_bind_int(s, ":u", user_id);
    if (!db_run(s) || !promote(db, a, event_id) || !db_commit(db)) { db_rollback(db); return REG_DB; }
    return REG_OK;
}

const char *event_my_status(db_t *db, arena_t *a, int64_t event_id, int64_t user_id) {
    stmt_t *s = db_prep(db, "SELECT status FROM event_registrations WHERE event_id = :e AND user_id = :u AND status <> 'cancelled'");
    db_bind_int(s, ":e", event_id);
    db_bind_int(s, ":u", user_id);
    const char *st = db_text_of(s, a);
    return st;
}

json_t *event_participants(db_t *db, int64_t event_id) {
    stmt_t *s = db_prep(db, "SELECT u.name, u.email, r.affiliation, r.status, r.created_at, r.share FROM event_registrations r "
                            "JOIN users u ON u.id = r.user_id WHERE r.event_id = :e AND r.status <> 'cancelled' "
                            "ORDER BY r.status = 'waiting', r.updated_at, r.id");
    db_bind_int(s, ":e", event_id);
    json_t *a = json_array();
    while (db_step(s)) {
        bool share = db_int(s, 5) != 0;
        json_array_append_new(a, json_pack("{s:s?, s:s?, s:s?, s:s, s:s, s:b}", "name", share ? db_text(s, 0) : NULL, "email",
                                           share ? db_text(s, 1) : NULL, "affiliation", share ? db_text(s, 2) : NULL, "status",
                                           db_text(s, 3), "registered_at", db_text(s, 4), "shared", share));
    }
    return a;
}

static void csv_field(buf_t *b, const char *s) {
    if (!s) s = "";
    buf_putc(b, '"');
    if (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r') buf_putc(b, '\''); /* no formulas in spreadsheets */
    for (; *s; s++) {
        if (*s == '"') buf_putc(b, '"');
        buf_putc(b, *s);
    }
    buf_putc(b, '"');
}

char *event_participants_csv(db_t *db, arena_t *a, int64_t event_id, const char *lang) {
    json_t *p = event_participants(db, event_id);
    buf_t b;
    buf_init(&b, a);
    const char *heads[5] = {tr(lang, "Name"), tr(lang, "E-mail"), tr(lang, "Organisation"), tr(lang, "Status"), tr(lang, "Registered")};
    for (int i = 0; i < 5; i++) { if (i) buf_putc(&b, ','); csv_field(&b, heads[i]); }
    buf_puts(&b, "\r\n");
    size_t i;
    json_t *x;
    json_array_foreach(p, i, x) {
        bool shared = json_is_true(json_object_get(x, "shared"));
        csv_field(&b, shared ? tstr(x, "name") : tr(lang, "(not shared)"));
        buf_putc(&b, ',');
        csv_field(&b, tstr(x, "email"));
        buf_putc(&b, ',');
        csv_field(&b, tstr(x, "affiliation"));
        buf_putc(&b, ',');
        csv_field(&b, streq(tstr(x, "status"), "waiting") ? tr(lang, "Waiting list") : tr(lang, "Registered"));
        buf_putc(&b, ',');
        csv_field(&b, tstr(x, "registered_at"));
        buf_puts(&b, "\r\n");
    }
    json_decref(p);
    return b.data;
}

/* ---- invitations ---- */
int64_t event_invite(db_t *db, arena_t *a, int64_t event_id, int64_t org_id, int64_t by, const char *message) {
    stmt_t *s = db_prep(db, "INSERT INTO event_invitations (event_id, org_id, message, invited_by, created_at) VALUES (:e, :o, :m, :by, :now) "
                            "ON CONFLICT (event_id, org_id) DO NOTHING");
    db_binds(s, DB_INT(":e", event_id), DB_INT(":o", org_id), DB_TEXT(":m", message && *message ? message : NULL), DB_INT(":by", by),
                DB_TEXT(":now", now_utc(a)));
    if (!db_run(s)) return 0;
    if (db_changes(db) == 1 && !notify_emit(db, "invited", "event", event_id, (notify_audience_t){.org_admins = org_id}, org_name(db, a, org_id))) return 0;
    s = db_prep(db, "SELECT id FROM event_invitations WHERE event_id = :e AND org_id = :o");
    db_bind_int(s, ":e", event_id);
    db_bind_int(s, ":o", org_id);
    return db_int_of(s, 0);
}

json_t *event_invitations(db_t *db, arena_t *a, int64_t event_id) {
    stmt_t *s = db_prep(db, "SELECT id, org_id, status, answered_at FROM event_invitations WHERE event_id = :e ORDER BY id");
    db_bind_int(s, ":e", event_id);
    json_t *out = json_array();
    struct inv_row { int64_t id, org; const char *st, *at; } rows[200];
    int n = 0;
    while (db_step(s) && n < 200)
        rows[n++] = (struct inv_row){db_int(s, 0), db_int(s, 1), db_text_dup(s, 2, a), db_text_dup(s, 3, a)};
    for (int i = 0; i < n; i++) {
        json_t *o = org_load(db, rows[i].org, false);
        json_array_append_new(out, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s?}", "id", (json_int_t)rows[i].id, "organisation",
                                             (json_int_t)rows[i].org, "name", o ? tstr(o, "name") : "?", "country",
                                             o ? tstr(o, "country") : "", "status", rows[i].st, "answered_at", rows[i].at));
        json_decref(o);
    }
    return out;
}

json_t *event_invitations_for_user(db_t *db, arena_t *a, const user_t *u, const char *lang) {
    json_t *out = json_array();
    if (!u) return out;
    json_t *pd = org_personal_data(db, u->id);
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(pd, "memberships"), i, m) {
        if (!streq(tstr(m, "role"), "admin")) continue;
        int64_t org = json_integer_value(json_object_get(m, "organisation"));
        stmt_t *s = db_prep(db, "SELECT i.id, i.event_id, i.status, e.title_sv, e.title_nb, e.title_en, e.country, e.start_unix, e.timezone "
                                "FROM event_invitations i JOIN events e ON e.id = i.event_id WHERE i.org_id = :o ORDER BY e.start_unix");
        db_bind_int(s, ":o", org);
        while (db_step(s)) {
            const char *tl;
            const char *title = pick(s, 3, lang, db_text(s, 6), a, &tl);
            char loc[32];
            utc_to_local((time_t)db_int(s, 7), db_text(s, 8), loc, sizeof loc);
            json_array_append_new(out, json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)db_int(s, 0), "event",
                                                 (json_int_t)db_int(s, 1), "title", title, "start", loc, "organisation", (json_int_t)org,
                                                 "name", tstr(m, "name"), "status", db_text(s, 2)));
        }
    }
    json_decref(pd);
    return out;
}

int event_answer(db_t *db, arena_t *a, const user_t *u, int64_t invitation_id, bool accept, int64_t *event_id) {
    stmt_t *s = db_prep(db, "SELECT event_id, org_id, invited_by FROM event_invitations WHERE id = :id");
    db_bind_int(s, ":id", invitation_id);
    if (!db_step(s)) { db_reset(s); return 404; }
    int64_t ev = db_int(s, 0), org = db_int(s, 1), by = db_is_null(s, 2) ? 0 : db_int(s, 2);
    db_reset(s);
    *event_id = ev;
    if (!org_can_admin(db, u, org)) return 403;
    if (!db_begin(db)) return 500;
    s = db_prep(db, "UPDATE event_invitations SET status = :st, answered_by = :u, answered_at = :now WHERE id = :id");
    db_binds(s, DB_TEXT(":st", accept ? "accepted" : "declined"), DB_INT(":u", u->id), DB_TEXT(":now", now_utc(a)),
                DB_INT(":id", invitation_id));
    bool ok = db_run(s);
    if (ok && by) ok = event_notify(db, a, by, ev, accept ? "accepted" : "declined", org_name(db, a, org));
    if (!ok || !db_commit(db)) { db_rollback(db); return 500; }
    return 0;
}

/* ---- notifications ---- */
bool event_notify(db_t *db, arena_t *a, int64_t user_id, int64_t event_id, const char *kind, const char *detail) {
    (void)a;   /* the platform's notification system decides who hears of it and how (issue 14) */
    return notify_emit(db, kind, "event", event_id, (notify_audience_t){.user = user_id}, detail);
}

const char *event_notification_text(const char *kind, const char *lang) {
    static const char *const map[][2] = {
        {"registered", N_("You are registered for %s.")},
        {"waiting", N_("%s is full: you are on the waiting list and move up automatically when a place is freed.")},
        {"promoted", N_("A place was freed: you are now registered for %s.")},
        {"cancelled", N_("%s has been cancelled.")},
        {"accepted", N_("Your invitation to %s was accepted.")},
        {"declined", N_("Your invitation to %s was declined.")},
        {"meeting-request", N_("Someone asks you for a 1:1 meeting at %s.")},
        {"meeting-accepted", N_("Your request for a 1:1 meeting at %s was accepted.")},
        {"meeting-declined", N_("Your request for a 1:1 meeting at %s was declined.")},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) if (streq(map[i][0], kind)) return tr(lang, map[i][1]);
    return "%s";
}

json_t *event_notifications_for(db_t *db, arena_t *a, int64_t user_id, const char *lang, bool mark) {
    return notify_items_json(db, a, user_id, lang, mark, "event");   /* the inbox is notify/'s (issue 14) */
}

/* event_new_since: for notify/'s news from the other side (see events.h) */
event_brief_t *event_new_since(db_t *db, arena_t *a, int64_t after_id, int64_t upto_id, const char *created_after, size_t *n) {
    stmt_t *s = db_prep(db, "SELECT id, country, coalesce(title_sv, '') || ' ' || coalesce(title_nb, '') || ' ' || coalesce(title_en, '') || ' ' || "
                            "coalesce(desc_sv, '') || ' ' || coalesce(desc_nb, '') || ' ' || coalesce(desc_en, '') FROM events "
                            "WHERE id > :after AND id <= :upto AND status <> 'cancelled' AND end_unix > :now "
                            "AND (:since IS NULL OR created_at >= :since) ORDER BY id");
    db_bind_int(s, ":after", after_id);
    db_bind_int(s, ":upto", upto_id);
    db_bind_int(s, ":now", now_unix());
    db_bind_text(s, ":since", created_after);
    event_brief_t *out = NULL;
    size_t cap = 0;
    *n = 0;
    while (db_step(s)) {
        if (*n == cap) out = xrealloc(out, (cap = cap ? 2 * cap : 64) * sizeof *out);
        out[(*n)++] = (event_brief_t){db_int(s, 0), db_text_dup(s, 1, a), db_text_dup(s, 2, a)};
    }
    db_reset(s);
    return out;
}

int64_t event_last_id(db_t *db) { return db_int_of(db_prep(db, "SELECT coalesce(max(id), 0) FROM events"), 0); }

/* ---- personal data ---- */
json_t *event_personal_data(db_t *db, int64_t uid) {
    return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o}",
        "event_registrations", doc_user_rows(db, "SELECT event_id, status, share, affiliation, created_at FROM event_registrations "
                                                 "WHERE user_id = :u ORDER BY id", uid, "event,status,share?,affiliation,created_at"),
        "meeting_profiles", doc_user_rows(db, "SELECT event_id, offer, seek, unavailable FROM event_meeting_profiles WHERE user_id = :u "
                                              "ORDER BY event_id", uid, "event,offer,seek,unavailable"),
        "meetings", doc_user_rows(db, "SELECT event_id, CASE WHEN requester = :u THEN 'requester' ELSE 'invitee' END, status, "
                                      "CASE WHEN requester = :u THEN message END, slot FROM event_meetings "
                                      "WHERE requester = :u OR invitee = :u ORDER BY id", uid, "event,role,status,message,slot"),
        "notifications", doc_user_rows(db, "SELECT event_id, kind, detail, created_at, read_at, mail_status FROM event_notifications "
                                           "WHERE user_id = :u ORDER BY id", uid, "event,kind,detail,created_at,read_at,mail"),
        "events_created", doc_user_rows(db, "SELECT id, uid, coalesce(title_sv, title_nb, title_en, ''), created_at FROM events "
                                            "WHERE created_by = :u ORDER BY id", uid, "event,uid,title,created_at"),
        "invitations_sent", doc_user_rows(db, "SELECT event_id, org_id, status, message, created_at FROM event_invitations "
                                              "WHERE invited_by = :u ORDER BY id", uid, "event,organisation,status,message,created_at"));
}

bool event_forget_user(db_t *db, arena_t *a, int64_t uid) {
    /* registrations end (the waiting lists move up); what they wrote for others goes */
    stmt_t *s = db_prep(db, "SELECT event_id FROM event_registrations WHERE user_id = :u AND status <> 'cancelled'");
    db_bind_int(s, ":u", uid);
    int64_t evs[1024];
    int n = 0;
    while (db_step(s) && n < 1024) evs[n++] = db_int(s, 0);
    static const char *const sql[] = {
        "UPDATE event_registrations SET status = 'cancelled', share = 0, affiliation = NULL WHERE user_id = :u",
        "DELETE FROM event_meeting_profiles WHERE user_id = :u",
        "UPDATE event_meetings SET status = 'declined', message = NULL, slot = NULL, table_no = NULL WHERE requester = :u OR invitee = :u",
        "DELETE FROM event_notifications WHERE user_id = :u",
    };
    if (!db_run_each(db, sql, ":u", uid)) return false;
    for (int i = 0; i < n; i++) if (!promote(db, a, evs[i])) return false;
    return true;
}
