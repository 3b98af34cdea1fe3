/* iCalendar (RFC 5545) feeds and import with libical, and the Atom feed. */
#include <libical/ical.h>
#include <pthread.h>
#include <sodium.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "http/api.h"
#include "events/dates.h"
#include "events/events.h"
#include "html/feed.h"
#include "i18n/i18n.h"
#include "org/org.h"
#include "projects/projects.h"
#include "ref/ref.h"

static pthread_once_t ical_once = PTHREAD_ONCE_INIT;
static void ical_setup(void) { icalerror_set_errors_are_fatal(0); }

/* text_in: the text of a {sv, nb, en} object in lang, else any */
static const char *text_in(json_t *o, const char *lang) {
    const char *t = jstr(o, lang);
    if (t && *t) return t;
    static const char *const codes[3] = {"sv", "nb", "en"};
    for (int i = 0; i < 3; i++) if ((t = jstr(o, codes[i])) && *t) return t;
    return "";
}

static struct icaltimetype utc_time(const char *s) {
    time_t t = 0;
    parse_utc(s, &t);
    return icaltime_from_timet_with_zone(t, 0, icaltimezone_get_utc_timezone());
}

/* ics_cal: the VCALENDAR of event_ics, not yet written out (the caller frees it) */
static icalcomponent *ics_cal(db_t *db, arena_t *a, const int64_t *ids, int n, const char *name, const char *lang) {
    pthread_once(&ical_once, ical_setup);
    icalcomponent *cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                                             icalproperty_new_prodid("-//Gränslös//Events//EN"), icalproperty_new_calscale("GREGORIAN"),
                                             (void *)0);
    icalproperty *xn = icalproperty_new_x(name);
    icalproperty_set_x_name(xn, "X-WR-CALNAME");
    icalcomponent_add_property(cal, xn);
    for (int i = 0; i < n; i++) {
        json_t *e = event_load(db, ids[i]);
        if (!e) continue;
        icalcomponent *ev = icalcomponent_new_vevent();
        icalcomponent_add_property(ev, icalproperty_new_uid(jstr(e, "uid")));
        icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(jstr(e, "updated_at"))));
        icalcomponent_add_property(ev, icalproperty_new_lastmodified(utc_time(jstr(e, "updated_at"))));
        icalcomponent_add_property(ev, icalproperty_new_created(utc_time(jstr(e, "created_at"))));
        icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(jstr(e, "start_utc"))));
        icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(jstr(e, "end_utc"))));
        icalcomponent_add_property(ev, icalproperty_new_sequence((int)json_integer_value(json_object_get(e, "version")) - 1));
        icalcomponent_add_property(ev, icalproperty_new_summary(text_in(json_object_get(e, "title"), lang)));
        const char *desc = text_in(json_object_get(e, "description"), lang);
        if (*desc) icalcomponent_add_property(ev, icalproperty_new_description(desc));
        const char *st = jstr(e, "status");
        icalcomponent_add_property(ev, icalproperty_new_status(!strcmp(st, "cancelled") ? ICAL_STATUS_CANCELLED
                                                               : !strcmp(st, "confirmed") ? ICAL_STATUS_CONFIRMED : ICAL_STATUS_TENTATIVE));
        const municipality_t *m = ref_municipality(jstr(e, "country"), jstr(e, "municipality"));
        const char *venue = jstr(e, "venue");
        if (m || venue) {
            char *loc = arena_printf_libc(a, "%s%s%s, %s", venue ? venue : "", venue && m ? ", " : "", m ? m->name : "",
                                     ref_country_name(jstr(e, "country"), lang));
            icalcomponent_add_property(ev, icalproperty_new_location(loc));
        }
        if (jstr(e, "online_url")) icalcomponent_add_property(ev, icalproperty_new_url(jstr(e, "online_url")));
        size_t k;
        json_t *x;
        json_array_foreach(json_object_get(e, "themes"), k, x)
            icalcomponent_add_property(ev, icalproperty_new_categories(ref_theme_name(db, a, json_string_value(x), lang)));
        icalcomponent_add_component(cal, ev);
        json_decref(e);
    }
    return cal;
}

/* ics_text: cal written out into the arena, and freed */
static char *ics_text(arena_t *a, icalcomponent *cal) {
    char *s = icalcomponent_as_ical_string_r(cal);
    char *out = arena_strdup(a, s ? s : "");
    free(s);
    icalcomponent_free(cal);
    return out;
}

char *event_ics(db_t *db, arena_t *a, const int64_t *ids, int n, const char *name, const char *lang) {
    return ics_text(a, ics_cal(db, a, ids, n, name, lang));
}

/* ---- import ---- */
/* the language of the import's messages: set by event_import_ics for its thread */
static _Thread_local const char *import_lang;
static const char *lang_of_import(void) { return import_lang ? import_lang : "en"; }
static bool fail(char *error, size_t n, const char *fmt, const char *arg) {
    snprintf(error, n, tr(lang_of_import(), fmt), arg ? arg : "");
    return false;
}

/* depth_ok: BEGIN/END nesting at most max deep, counted before libical sees the text */
static bool depth_ok(const char *text, size_t len, int max) {
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        if (i && text[i - 1] != '\n') continue;
        if (len - i >= 6 && !strncasecmp(text + i, "BEGIN:", 6)) { if (++depth > max) return false; }
        else if (len - i >= 4 && !strncasecmp(text + i, "END:", 4)) depth--;
    }
    return true;
}


/* event_native_uid: see events.h. 128 random bits, so a UID nobody can guess or forge in advance. */
char *event_native_uid(arena_t *a) {
    unsigned char rnd[16];
    char hex[2 * sizeof rnd + 1];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
    return aprintf_text(a, "%s@granslos", hex);
}

/* native_namespace: the UID is in the namespace of our own events ("…@granslos", any case) */
static bool native_namespace(const char *uid) {
    static const char suffix[] = "@granslos";
    size_t n = strlen(uid), k = sizeof suffix - 1;
    return n >= k && !strcasecmp(uid + n - k, suffix);
}

/* import_find: the event organisation org imported under its feed's UID uid, or 0 */
static int64_t import_find(db_t *db, int64_t org, const char *uid) {
    stmt_t *s = db_prep(db, "SELECT id FROM events WHERE source_org = :o AND import_uid = :u");
    db_bind_int(s, ":o", org);
    db_bind_text(s, ":u", uid);
    int64_t id = db_int_of(s, 0);
    return id;
}

/* import_public_uid: the UID a newly imported event publishes: the feed's own, unless it is in our
 * native namespace or another event already publishes it; then a fresh native one (in a). */
static const char *import_public_uid(db_t *db, arena_t *a, const char *uid) {
    if (native_namespace(uid)) return event_native_uid(a);
    stmt_t *s = db_prep(db, "SELECT 1 FROM events WHERE uid = :u");
    db_bind_text(s, ":u", uid);
    bool taken = db_exists(s);
    return taken ? event_native_uid(a) : uid;
}

/* import_remember: record the feed's UID of event id, imported by org */
static bool import_remember(db_t *db, int64_t id, int64_t org, const char *uid) {
    stmt_t *s = db_prep(db, "UPDATE events SET import_uid = :u WHERE id = :id AND source_org = :o");
    db_bind_text(s, ":u", uid);
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":o", org);
    return db_run(s);
}
/* muni_in: a municipality of country whose name is a word in the location text */
static const char *muni_in(const char *loc, const char *country) {
    if (!loc) return NULL;
    int n;
    const municipality_t *m = ref_municipalities(&n);
    const char *best = NULL;
    size_t bl = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(m[i].country, country)) continue;
        size_t l = strlen(m[i].name);
        const char *p = strstr(loc, m[i].name);
        if (p && l > bl && (p == loc || p[-1] == ' ' || p[-1] == ',') && (!p[l] || p[l] == ',' || p[l] == ' ')) { best = m[i].code; bl = l; }
    }
    return best;
}

static json_t *vevent_doc(icalcomponent *ev, json_t *org, char *error, size_t elen, const char **uid_out) {
    const char *uid = icalcomponent_get_uid(ev);
    *uid_out = uid;
    if (!uid || !*uid) { fail(error, elen, N_("an event has no UID (%s)"), icalcomponent_get_summary(ev)); return NULL; }
    if (strlen(uid) > 255) { fail(error, elen, N_("a UID is longer than 255 characters (%.40s…)"), uid); return NULL; }
    struct icaltimetype s = icalcomponent_get_dtstart(ev), e = icalcomponent_get_dtend(ev);
    if (icaltime_is_null_time(s) || !icaltime_is_valid_time(s)) { fail(error, elen, N_("event %s has no valid DTSTART"), uid); return NULL; }
    icaltimezone *utc = icaltimezone_get_utc_timezone();
    const char *country = jstr(org, "country");
    const char *tz = !strcmp(country, "NO") ? "Europe/Oslo" : "Europe/Stockholm";
    time_t st, en;
    if (s.is_date) {
        char d[64];
        snprintf(d, sizeof d, "%04d-%02d-%02dT00:00", s.year, s.month, s.day);
        if (local_to_utc(d, tz, &st)) { fail(error, elen, N_("event %s has a start date that does not exist"), uid); return NULL; }
        if (icaltime_is_null_time(e)) en = st + 86400;
        else {
            snprintf(d, sizeof d, "%04d-%02d-%02dT00:00", e.year, e.month, e.day);
            if (local_to_utc(d, tz, &en)) { fail(error, elen, N_("event %s has an end date that does not exist"), uid); return NULL; }
        }
    } else {
        /* floating times are the organisation's local time */
        st = s.zone || icaltime_is_utc(s) ? icaltime_as_timet_with_zone(s, s.zone ? s.zone : utc) : 0;
        if (!st) {
            char d[64];
            snprintf(d, sizeof d, "%04d-%02d-%02dT%02d:%02d", s.year, s.month, s.day, s.hour, s.minute);
            lt_result_t rc = local_to_utc(d, tz, &st);
            if (rc) { fail(error, elen, rc == LT_DST_GAP ? N_("event %s starts in the hour skipped by summer time") : N_("event %s has an invalid start"), uid); return NULL; }
        }
        if (icaltime_is_null_time(e)) en = st + 3600;
        else en = icaltime_as_timet_with_zone(e, e.zone ? e.zone : (icaltime_is_utc(e) ? utc : NULL));
        if (!e.zone && !icaltime_is_utc(e) && !icaltime_is_null_time(e)) {
            char d[64];
            snprintf(d, sizeof d, "%04d-%02d-%02dT%02d:%02d", e.year, e.month, e.day, e.hour, e.minute);
            if (local_to_utc(d, tz, &en)) { fail(error, elen, N_("event %s has an invalid end"), uid); return NULL; }
        }
    }
    char ls[32], le[32];
    utc_to_local(st, tz, ls, sizeof ls);
    utc_to_local(en, tz, le, sizeof le);
    const char *lang = !strcmp(country, "NO") ? "nb" : "sv";
    json_t *d = json_object();
    const char *sum = icalcomponent_get_summary(ev);
    json_object_set_new(d, "title", json_pack("{s:s}", lang, sum && *sum ? sum : uid));
    const char *desc = icalcomponent_get_description(ev);
    json_object_set_new(d, "description", json_pack("{s:s}", lang, desc ? desc : ""));
    json_object_set_new(d, "start", json_string(ls));
    json_object_set_new(d, "end", json_string(le));
    json_object_set_new(d, "timezone", json_string(tz));
    json_object_set_new(d, "country", json_string(country));
    enum icalproperty_status status = icalcomponent_get_status(ev);
    json_object_set_new(d, "status", json_string(status == ICAL_STATUS_CANCELLED ? "cancelled" : status == ICAL_STATUS_CONFIRMED ? "confirmed" : "planned"));
    const char *loc = icalcomponent_get_location(ev);
    json_object_set_new(d, "venue", loc && *loc ? json_string(loc) : json_null());
    icalproperty *u = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
    const char *url = u ? icalproperty_get_url(u) : NULL;
    json_object_set_new(d, "online_url", url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7)) ? json_string(url) : json_null());
    const char *mu = muni_in(loc, country);
    if (!mu) mu = jstr(org, "municipality");
    json_object_set_new(d, "municipality", mu ? json_string(mu) : json_null());
    json_object_set_new(d, "organisers", json_pack("[I]", (json_int_t)json_integer_value(json_object_get(org, "id"))));
    return d;
}

bool event_import_ics(db_t *db, const char *text, size_t len, int64_t org, int64_t user_id, ics_stats_t *st, char *error,
                      size_t elen, const char *lang) {
    import_lang = lang;
    pthread_once(&ical_once, ical_setup);
    memset(st, 0, sizeof *st);
    if (len > ICS_MAX_BYTES) return fail(error, elen, N_("the file is larger than %s"), "4 MiB");
    if (!utf8_valid(text, len) || memchr(text, 0, len)) return fail(error, elen, N_("the file is not valid UTF-8 text%s"), NULL);
    if (!depth_ok(text, len, 8)) return fail(error, elen, N_("the file is nested deeper than %s levels"), "8");
    json_t *o = org_load(db, org, false);
    if (!o) return fail(error, elen, N_("there is no organisation with that id%s"), NULL);
    icalcomponent *cal = icalparser_parse_string(text);
    if (!cal || (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT && icalcomponent_isa(cal) != ICAL_XROOT_COMPONENT)) {
        if (cal) icalcomponent_free(cal);
        json_decref(o);
        return fail(error, elen, N_("the file is not an iCalendar (no VCALENDAR)%s"), NULL);
    }
    /* collect the VEVENTs (inside one VCALENDAR, or several under an XROOT) */
    icalcomponent *evs[ICS_MAX_EVENTS];
    int n = 0;
    bool too_many = false;
    icalcomponent *roots[64];
    int nr = 0;
    if (icalcomponent_isa(cal) == ICAL_VCALENDAR_COMPONENT) roots[nr++] = cal;
    else for (icalcomponent *c = icalcomponent_get_first_component(cal, ICAL_VCALENDAR_COMPONENT); c && nr < 64;
              c = icalcomponent_get_next_component(cal, ICAL_VCALENDAR_COMPONENT)) roots[nr++] = c;
    for (int i = 0; i < nr; i++)
        for (icalcomponent *c = icalcomponent_get_first_component(roots[i], ICAL_VEVENT_COMPONENT); c;
             c = icalcomponent_get_next_component(roots[i], ICAL_VEVENT_COMPONENT)) {
            if (n >= ICS_MAX_EVENTS) { too_many = true; break; }
            evs[n++] = c;
        }
    bool ok = true;
    if (too_many) ok = fail(error, elen, N_("the file has more than %s events"), "2000");
    else if (!n) ok = fail(error, elen, N_("the file has no events%s"), NULL);
    if (ok && !db_begin(db)) ok = fail(error, elen, N_("database error%s"), NULL);
    bool in_tx = ok;
    arena_t *a = arena_new();
    for (int i = 0; ok && i < n; i++) {
        if (icalcomponent_get_first_property(evs[i], ICAL_RECURRENCEID_PROPERTY)) { st->skipped++; continue; } /* an override of one occurrence */
        st->events++;
        const char *uid;
        json_t *in = vevent_doc(evs[i], o, error, elen, &uid);
        if (!in) { ok = false; break; }
        /* imported UIDs are scoped to the importing organisation: another organisation's event, or a
         * native one, is never matched, updated or blocked by a feed (issue 11) */
        int64_t id = import_find(db, org, uid);
        json_t *base = NULL;
        if (id) {
            base = event_load(db, id);
            json_object_del(in, "organisers"); /* keep the co-organisers added here */
        }
        json_t *doc;
        json_t *errs = event_validate(db, lang_of_import(), in, base, id, &doc);
        json_decref(in);
        json_decref(base);
        if (json_object_size(errs)) {
            char *es = json_dumps(errs, JSON_COMPACT);
            snprintf(error, elen, tr(lang_of_import(), "event %s is not valid: %s"), uid, es);
            free(es);
            json_decref(errs);
            ok = false;
            break;
        }
        json_decref(errs);
        if (!id) json_object_set_new(doc, "uid", json_string(import_public_uid(db, a, uid)));
        json_object_set_new(doc, "source_org", json_integer(org));
        bool changed;
        int64_t saved = event_save(db, a, id, doc, user_id, id ? "import" : "imported", &changed);
        if (!saved || (!id && !import_remember(db, saved, org, uid))) ok = fail(error, elen, N_("database error on event %s"), uid);
        else if (!id) st->created++;
        else if (changed) st->updated++;
        else st->unchanged++;
        json_decref(doc);
    }
    arena_free(a);
    if (in_tx) {
        if (ok && !db_commit(db)) ok = fail(error, elen, N_("database error%s"), NULL);
        if (!ok) db_rollback(db);
    }
    if (!ok) st->created = st->updated = st->unchanged = 0;
    icalcomponent_free(cal);
    json_decref(o);
    return ok;
}

/* ---- handlers: feeds ---- */
static void ics_response(req_t *r, const int64_t *ids, int n, const char *name, const char *file) {
    buf_puts(&r->out, event_ics(db_get(), r->arena, ids, n, name, r->lang));
    r->ctype = "text/calendar; charset=utf-8";
    resp_header(r, "Content-Disposition", aprintf_text(r->arena, "inline; filename=\"%s\"", file));
}

void event_file_get(req_t *r) {
    long long id;
    const char *a = r->arg[0];
    size_t n = strlen(a);
    if (n < 5 || strcmp(a + n - 4, ".ics") || !parse_int(arena_strndup(r->arena, a, n - 4), 1, INT64_MAX, &id) || !event_exists(db_get(), id)) {
        resp_error(r, 404, "not-found", T(r, "There is no such event."));
        return;
    }
    int64_t one = id;
    ics_response(r, &one, 1, "Gränslös", aprintf(r->arena, "event-%lld.ics", id));
}

static int feed_ids(req_t *r, int64_t **ids, const char **name, event_filter_t *fp) {
    event_filter_t f;
    const char *bad = event_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return -1; }
    if (!f.status) f.status = "all"; /* subscribers learn of cancellations */
    f.from = now_unix() - 90L * 86400;
    f.to = now_unix() + 3 * 366L * 86400;
    f.limit = 1000;
    event_row_t *rows;
    int n = event_list(db_get(), r->arena, &f, r->lang, &rows);
    *ids = arena_alloc(r->arena, sizeof(int64_t) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) (*ids)[i] = rows[i].id;
    const char *nm = "Gränslös";
    if (f.org) { const char *on = org_name(db_get(), r->arena, f.org); if (on) nm = aprintf_text(r->arena, "Gränslös: %s", on); }
    else if (f.theme) nm = aprintf_text(r->arena, "Gränslös: %s", ref_theme_name(db_get(), r->arena, f.theme, r->lang));
    else if (f.country) nm = aprintf_text(r->arena, "Gränslös: %s", ref_country_name(f.country, r->lang));
    *name = nm;
    if (fp) *fp = f;
    return n;
}

/* the shared calendar's feed: the events, and the application deadlines of the projects (all
 * public; projects/) in the whole feed and in an organisation's (the projects it is a confirmed
 * partner of). A filter by place, theme or audience is about events and leaves them out. */
void event_calendar_ics(req_t *r) {
    int64_t *ids;
    const char *name;
    event_filter_t f;
    int n = feed_ids(r, &ids, &name, &f);
    if (n < 0) return;
    icalcomponent *cal = ics_cal(db_get(), r->arena, ids, n, name, r->lang);
    if (!f.country && !f.county && !f.theme && !f.audience) {
        char from[16], to[16];
        time_t a = f.from, b = f.to;
        struct tm ta, tb;
        strftime(from, sizeof from, "%Y-%m-%d", gmtime_r(&a, &ta));
        strftime(to, sizeof to, "%Y-%m-%d", gmtime_r(&b, &tb));
        proj_deadline_vevents(cal, r->arena, base_url(r), api_own(r, proj_deadlines_between(db_get(), from, to, f.org)));
    }
    buf_puts(&r->out, ics_text(r->arena, cal));
    r->ctype = "text/calendar; charset=utf-8";
    resp_header(r, "Content-Disposition", "inline; filename=\"calendar.ics\"");
}

void event_atom(req_t *r) {
    event_filter_t f;
    const char *bad = event_filter_read(r, &f);
    if (bad) { resp_error(r, 400, "bad-filter", bad); return; }
    f.from = now_unix() - 86400;
    f.to = now_unix() + 2 * 366L * 86400;
    f.limit = 200;
    event_row_t *rows;
    int n = event_list(db_get(), r->arena, &f, r->lang, &rows);
    const char *updated = n ? rows[0].updated_at : "2026-01-01T00:00:00Z";
    for (int i = 0; i < n; i++) if (strcmp(rows[i].updated_at, updated) > 0) updated = rows[i].updated_at;
    atom_begin(r, arena_printf_libc(r->arena, "Gränslös – %s", T(r, "Calendar")), "tag:granslos,2026:events", "/events.atom", "/events", updated);
    for (int i = 0; i < n; i++) {
        const event_row_t *e = &rows[i];
        const municipality_t *m = ref_municipality(e->country, e->municipality);
        atom_entry(r, &(atom_entry_t){.title = e->title, .id = arena_printf_libc(r->arena, "tag:granslos,2026:event-%lld", (long long)e->id),
                                      .link = arena_printf_libc(r->arena, "/events/%lld", (long long)e->id), .updated = e->updated_at,
                                      .summary = arena_printf_libc(r->arena, "%s · %s%s%s · %s", fmt_datetime(r->arena, r->lang, e->start),
                                                              event_status_label(e->status, r->lang), m ? " · " : "", m ? m->name : "",
                                                              ref_country_name(e->country, r->lang)),
                                      /* the title and the description in their own languages (xml:lang where not the feed's) */
                                      .lang = e->title_lang, .content = *e->desc ? e->desc : NULL, .content_lang = e->desc_lang});
    }
    atom_end(r);
}
