/* 1:1 meetings at events (brokerage): registered participants publish what they offer and seek,
 * others request a meeting, the requested accepts or declines; accepted meetings go into the
 * event's slots and tables (sched.c), and each participant gets an agenda (page, print, .ics).
 * Owns event_meeting_setup, event_meeting_profiles and event_meetings. Pages, API and queries
 * together: the feature is small. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "events/dates.h"
#include "events/events.h"
#include "events/sched.h"
#include "html/html.h"
#include "http/api.h"
#include "http/csrf.h"
#include "i18n/i18n.h"


typedef struct msetup { bool ok; time_t first; int minutes, slots, tables; const char *tz; } msetup_t;

static msetup_t setup_get(db_t *db, int64_t ev) {
    msetup_t m = {0};
    stmt_t *s = db_prep(db, "SELECT m.first_slot_unix, m.slot_minutes, m.slots, m.tables, e.timezone FROM event_meeting_setup m "
                            "JOIN events e ON e.id = m.event_id WHERE m.event_id = :e");
    db_bind_int(s, ":e", ev);
    if (db_step(s)) {
        m = (msetup_t){true, (time_t)db_int(s, 0), (int)db_int(s, 1), (int)db_int(s, 2), (int)db_int(s, 3),
                       streq(db_text(s, 4), "Europe/Oslo") ? "Europe/Oslo" : "Europe/Stockholm"};
    }
    db_reset(s);
    return m;
}

static time_t slot_start(const msetup_t *m, int slot) { return m->first + (time_t)slot * m->minutes * 60; }

static bool is_registered(db_t *db, arena_t *a, int64_t ev, int64_t user) { return streq(event_my_status(db, a, ev, user), "registered"); }

/* has_profile: user shows a meeting profile at ev (only those can be asked for a meeting) */
static bool has_profile(db_t *db, int64_t ev, int64_t user) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM event_meeting_profiles WHERE event_id = :e AND user_id = :u AND visible = 1");
    db_bind_int(s, ":e", ev);
    db_bind_int(s, ":u", user);
    return db_exists(s);
}

static void seterr(json_t *errors, const char *lang, const char *field, const char *msgid) {
    if (!json_object_get(errors, field)) json_object_set_new(errors, field, json_string(tr(lang, msgid)));
}

/* ---- the model ---- */

/* setup_save: the organisers' slots and tables; {first_slot (local), slot_minutes, slots, tables} */
static json_t *setup_save(db_t *db, arena_t *a, const char *lang, int64_t ev, json_t *in) {
    json_t *errors = json_object();
    json_t *e = event_load(db, ev);
    const char *tz = jstr(e, "timezone");
    time_t st = 0, en = 0, first = 0;
    parse_utc(jstr(e, "start_utc"), &st);
    parse_utc(jstr(e, "end_utc"), &en);
    lt_result_t rc = local_to_utc(jstr(in, "first_slot"), tz, &first);
    if (rc == LT_DST_GAP) seterr(errors, lang, "first_slot", "This time does not exist: the clocks go forward an hour that night (summer time). Choose a time after 03:00.");
    else if (rc == LT_NO_DATE) seterr(errors, lang, "first_slot", "This date or time does not exist.");
    else if (rc) seterr(errors, lang, "first_slot", "Write the date and time as YYYY-MM-DDTHH:MM, e.g. 2027-03-10T09:00.");
    json_t *mi = json_object_get(in, "slot_minutes"), *sl = json_object_get(in, "slots"), *tb = json_object_get(in, "tables");
    if (!json_is_integer(mi) || json_integer_value(mi) < 5 || json_integer_value(mi) > 240)
        seterr(errors, lang, "slot_minutes", "A meeting lasts from 5 to 240 minutes.");
    if (!json_is_integer(sl) || json_integer_value(sl) < 1 || json_integer_value(sl) > 100)
        seterr(errors, lang, "slots", "The number of slots is from 1 to 100.");
    if (!json_is_integer(tb) || json_integer_value(tb) < 1 || json_integer_value(tb) > 1000)
        seterr(errors, lang, "tables", "The number of tables is from 1 to 1 000.");
    if (!json_object_size(errors) &&
        (first < st || first + (time_t)json_integer_value(sl) * json_integer_value(mi) * 60 > en))
        seterr(errors, lang, "first_slot", "The meeting slots must lie within the event's time.");
    json_decref(e);
    if (json_object_size(errors)) return errors;
    if (!db_begin(db)) { seterr(errors, lang, "body", "The event could not be saved. Nothing was changed."); return errors; }
    stmt_t *s = db_prep(db, "INSERT INTO event_meeting_setup (event_id, first_slot_unix, slot_minutes, slots, tables) VALUES (:e, :f, :m, :s, :t) "
                            "ON CONFLICT (event_id) DO UPDATE SET first_slot_unix = :f, slot_minutes = :m, slots = :s, tables = :t");
    db_binds(s, DB_INT(":e", ev), DB_INT(":f", first), DB_INT(":m", json_integer_value(mi)), DB_INT(":s", json_integer_value(sl)),
                DB_INT(":t", json_integer_value(tb)));
    bool ok = db_run(s);
    /* places that no longer exist are given up; the organisers schedule again */
    s = db_prep(db, "UPDATE event_meetings SET slot = NULL, table_no = NULL WHERE event_id = :e AND (slot >= :s OR table_no >= :t)");
    db_bind_int(s, ":e", ev);
    db_bind_int(s, ":s", json_integer_value(sl));
    db_bind_int(s, ":t", json_integer_value(tb));
    ok = ok && db_run(s);
    if (!ok || !db_commit(db)) { db_rollback(db); seterr(errors, lang, "body", "The event could not be saved. Nothing was changed."); }
    (void)a;
    return errors;
}

/* profile_save: {offer, seek, unavailable: [slot numbers], visible} of a registered participant; the
 * profile is shown to the other participants only with visible: true (issue 11: opt-in) */
static json_t *profile_save(db_t *db, arena_t *a, const char *lang, int64_t ev, int64_t user, json_t *in, int64_t *version) {
    json_t *errors = json_object();
    /* the version the saver last saw (0: no profile yet); without one the save is not checked */
    json_t *seen = json_object_get(in, "version");
    if (seen && !json_is_null(seen) && (!json_is_integer(seen) || json_integer_value(seen) < 0))
        seterr(errors, lang, "version", "The version is a whole number from 0.");
    const char *offer = jstr(in, "offer"), *seek = jstr(in, "seek");
    json_t *o = json_object_get(in, "offer"), *k = json_object_get(in, "seek"), *un = json_object_get(in, "unavailable");
    if ((o && !json_is_null(o) && !offer) || (k && !json_is_null(k) && !seek)) seterr(errors, lang, "offer", "This field must be text.");
    if (offer && utf8_len(offer) > 1000) seterr(errors, lang, "offer", "This text is too long.");
    if (seek && utf8_len(seek) > 1000) seterr(errors, lang, "seek", "This text is too long.");
    if (str_empty(offer) && str_empty(seek)) seterr(errors, lang, "offer", "Say what you offer or what you seek at this event.");
    json_t *vis = json_object_get(in, "visible");
    if (vis && !json_is_boolean(vis)) seterr(errors, lang, "visible", "This field must be true or false.");
    msetup_t m = setup_get(db, ev);
    buf_t b;
    buf_init(&b, a);
    if (un && !json_is_null(un)) {
        if (!json_is_array(un)) seterr(errors, lang, "unavailable", "This field must be a list.");
        size_t i;
        json_t *x;
        json_array_foreach(un, i, x) {
            if (!json_is_integer(x) || json_integer_value(x) < 0 || json_integer_value(x) >= (m.ok ? m.slots : 0)) {
                seterr(errors, lang, "unavailable", "There is no such meeting slot.");
                break;
            }
            bprintf(&b, "%s%lld", b.len ? "," : "", (long long)json_integer_value(x));
        }
    }
    if (json_object_size(errors)) return errors;
    if (!db_begin(db)) { seterr(errors, lang, "body", "The event could not be saved. Nothing was changed."); return errors; }
    stmt_t *s = db_prep(db, "SELECT version FROM event_meeting_profiles WHERE event_id = :e AND user_id = :u");
    db_binds(s, DB_INT(":e", ev), DB_INT(":u", user));
    int64_t now_v = db_int_of(s, 0);
    if (json_is_integer(seen) && json_integer_value(seen) != now_v) {
        db_rollback(db);
        if (version) *version = -1;   /* a conflict, not a bad value */
        seterr(errors, lang, "version", "Your meeting profile was changed elsewhere (in another window or through the API) after you opened this page. What you wrote is kept below: check it and save again.");
        return errors;
    }
    s = db_prep(db, "INSERT INTO event_meeting_profiles (event_id, user_id, offer, seek, unavailable, updated_at, visible, version) "
                    "VALUES (:e, :u, :o, :s, :n, :now, :v, 1) "
                    "ON CONFLICT (event_id, user_id) DO UPDATE SET offer = :o, seek = :s, unavailable = :n, updated_at = :now, visible = :v, "
                    "version = event_meeting_profiles.version + 1");
    db_binds(s, DB_INT(":v", json_is_true(vis)), DB_INT(":e", ev), DB_INT(":u", user),
                DB_TEXT(":o", str_empty(offer) ? NULL : trim(a, offer)), DB_TEXT(":s", str_empty(seek) ? NULL : trim(a, seek)),
                DB_TEXT(":n", b.data), DB_TEXT(":now", now_utc(a)));
    bool ok = db_run(s);
    /* meetings placed in a slot the person is now away from lose their place */
    s = db_prep(db, "UPDATE event_meetings SET slot = NULL, table_no = NULL WHERE event_id = :e AND (requester = :u OR invitee = :u) "
                    "AND slot IS NOT NULL AND instr(',' || :n || ',', ',' || slot || ',') > 0");
    db_bind_int(s, ":e", ev);
    db_bind_int(s, ":u", user);
    db_bind_text(s, ":n", b.data);
    ok = ok && db_run(s);
    if (!ok || !db_commit(db)) { db_rollback(db); seterr(errors, lang, "body", "The event could not be saved. Nothing was changed."); }
    else if (version) *version = now_v + 1;
    return errors;
}

static bool away(const char *csv, int slot) {
    char key[16];
    snprintf(key, sizeof key, "%d", slot);
    return csv_has(csv, key);
}

/* schedule: place every accepted meeting anew (sched_run); returns the number placed, -1 on error */
static int schedule(db_t *db, arena_t *a, int64_t ev, int *accepted) {
    *accepted = 0;
    msetup_t m = setup_get(db, ev);
    if (!m.ok) return -1;
    stmt_t *s = db_prep(db, "SELECT id, requester, invitee FROM event_meetings WHERE event_id = :e AND status = 'accepted' ORDER BY id");
    db_bind_int(s, ":e", ev);
    int cap = 64, n = 0;
    int64_t *ids = arena_alloc(a, sizeof(int64_t) * (size_t)cap), *users = arena_alloc(a, sizeof(int64_t) * (size_t)cap * 2);
    while (db_step(s)) {
        if (n == cap) {
            int64_t *ni = arena_alloc(a, sizeof(int64_t) * (size_t)cap * 2), *nu = arena_alloc(a, sizeof(int64_t) * (size_t)cap * 4);
            memcpy(ni, ids, sizeof(int64_t) * (size_t)n);
            memcpy(nu, users, sizeof(int64_t) * (size_t)n * 2);
            ids = ni, users = nu, cap *= 2;
        }
        ids[n] = db_int(s, 0);
        users[2 * n] = db_int(s, 1);
        users[2 * n + 1] = db_int(s, 2);
        n++;
    }
    *accepted = n;
    /* participants: the distinct people in these meetings, indexed */
    int64_t *people = arena_alloc(a, sizeof(int64_t) * (size_t)(2 * n + 1));
    int np = 0;
    sched_meeting_t *ms = arena_alloc(a, sizeof(sched_meeting_t) * (size_t)(n + 1));
    for (int i = 0; i < n; i++) {
        int idx[2];
        for (int k = 0; k < 2; k++) {
            int64_t u = users[2 * i + k];
            idx[k] = -1;
            for (int p = 0; p < np; p++) if (people[p] == u) idx[k] = p;
            if (idx[k] < 0) { people[np] = u; idx[k] = np++; }
        }
        ms[i] = (sched_meeting_t){idx[0], idx[1], -1, -1};
    }
    bool *av = arena_alloc(a, sizeof(bool) * (size_t)(np * m.slots + 1));
    for (int p = 0; p < np; p++) {
        s = db_prep(db, "SELECT unavailable FROM event_meeting_profiles WHERE event_id = :e AND user_id = :u");
        db_bind_int(s, ":e", ev);
        db_bind_int(s, ":u", people[p]);
        const char *un = db_step(s) ? db_text_dup(s, 0, a) : "";
        db_reset(s);
        for (int k = 0; k < m.slots; k++) av[p * m.slots + k] = !away(un, k);
    }
    sched_input_t in = {np, m.slots, m.tables, av, ms, n};
    int placed = sched_run(a, &in);
    if (!db_begin(db)) return -1;
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        s = db_prep(db, "UPDATE event_meetings SET slot = :s, table_no = :t WHERE id = :id");
        if (ms[i].slot >= 0) { db_bind_int(s, ":s", ms[i].slot); db_bind_int(s, ":t", ms[i].table); }
        else { db_bind_null(s, ":s"); db_bind_null(s, ":t"); }
        db_bind_int(s, ":id", ids[i]);
        ok = db_run(s);
    }
    s = db_prep(db, "UPDATE event_meeting_setup SET scheduled_at = :now WHERE event_id = :e");
    db_bind_text(s, ":now", now_utc(a));
    db_bind_int(s, ":e", ev);
    ok = ok && db_run(s);
    if (!ok || !db_commit(db)) { db_rollback(db); return -1; }
    return placed;
}

/* place_one: put a newly accepted meeting in the first slot where both are free and away from
 * nothing, at a free table, without moving anyone else (the organisers may re-run the scheduler) */
static bool place_one(db_t *db, arena_t *a, int64_t mid) {
    stmt_t *s = db_prep(db, "SELECT event_id, requester, invitee FROM event_meetings WHERE id = :id");
    db_bind_int(s, ":id", mid);
    if (!db_step(s)) { db_reset(s); return false; }
    int64_t ev = db_int(s, 0), u[2] = {db_int(s, 1), db_int(s, 2)};
    db_reset(s);
    msetup_t m = setup_get(db, ev);
    if (!m.ok) return true;
    const char *un[2];
    for (int k = 0; k < 2; k++) {
        s = db_prep(db, "SELECT unavailable FROM event_meeting_profiles WHERE event_id = :e AND user_id = :u");
        db_bind_int(s, ":e", ev);
        db_bind_int(s, ":u", u[k]);
        un[k] = db_step(s) ? db_text_dup(s, 0, a) : "";
        db_reset(s);
    }
    for (int slot = 0; slot < m.slots; slot++) {
        if (away(un[0], slot) || away(un[1], slot)) continue;
        s = db_prep(db, "SELECT count(*), sum(requester IN (:a, :b) OR invitee IN (:a, :b)), group_concat(table_no) FROM event_meetings "
                        "WHERE event_id = :e AND slot = :s AND status = 'accepted'");
        db_binds(s, DB_INT(":a", u[0]), DB_INT(":b", u[1]), DB_INT(":e", ev), DB_INT(":s", slot));
        db_step(s);
        int used = (int)db_int(s, 0), busy = (int)db_int(s, 1);
        const char *tables = db_text_dup(s, 2, a);
        db_reset(s);
        if (busy || used >= m.tables) continue;
        int table = 0;
        while (away(tables, table)) table++;
        s = db_prep(db, "UPDATE event_meetings SET slot = :s, table_no = :t WHERE id = :id");
        db_bind_int(s, ":s", slot);
        db_bind_int(s, ":t", table);
        db_bind_int(s, ":id", mid);
        return db_run(s);
    }
    return true; /* no place now: the organisers' scheduler may find one */
}

/* request: ask `to` for a meeting at event ev; returns the meeting id, 0 with *why set */
static int64_t request(db_t *db, arena_t *a, int64_t ev, int64_t from, int64_t to, const char *msg, int *status, const char **why) {
    *status = 422;
    if (from == to) { *why = N_("You cannot meet yourself."); return 0; }
    if (!is_registered(db, a, ev, to) || !has_profile(db, ev, to)) { *why = N_("That person does not take part in the 1:1 meetings here."); return 0; }
    stmt_t *s = db_prep(db, "SELECT id FROM event_meetings WHERE event_id = :e AND ((requester = :a AND invitee = :b) OR (requester = :b AND invitee = :a))");
    db_bind_int(s, ":e", ev);
    db_bind_int(s, ":a", from);
    db_bind_int(s, ":b", to);
    int64_t id = db_int_of(s, 0);
    if (id) { *status = 200; return id; }
    if (!db_begin(db)) { *status = 500; *why = N_("The meeting could not be saved."); return 0; }
    s = db_prep(db, "INSERT INTO event_meetings (event_id, requester, invitee, message, created_at) VALUES (:e, :a, :b, :m, :now)");
    db_binds(s, DB_INT(":e", ev), DB_INT(":a", from), DB_INT(":b", to), DB_TEXT(":m", msg && *msg ? msg : NULL),
                DB_TEXT(":now", now_utc(a)));
    bool ok = db_run(s);
    id = db_last_id(db);
    if (!ok || !event_notify(db, a, to, ev, "meeting-request", NULL) || !db_commit(db)) {
        db_rollback(db);
        *status = 500;
        *why = N_("The meeting could not be saved.");
        return 0;
    }
    *status = 201;
    return id;
}

/* answer: the invitee accepts or declines: 0, 404, 403 (not theirs), 409 (answered), 500 */
static int answer(db_t *db, arena_t *a, int64_t user, int64_t mid, bool accept, int64_t *ev) {
    stmt_t *s = db_prep(db, "SELECT event_id, requester, invitee, status FROM event_meetings WHERE id = :id");
    db_bind_int(s, ":id", mid);
    if (!db_step(s)) { db_reset(s); return 404; }
    *ev = db_int(s, 0);
    int64_t req = db_int(s, 1), inv = db_int(s, 2);
    bool open = streq(db_text(s, 3), "requested");
    db_reset(s);
    if (inv != user) return 403;
    if (!open) return 409;
    if (!db_begin(db)) return 500;
    s = db_prep(db, "UPDATE event_meetings SET status = :st, answered_at = :now WHERE id = :id");
    db_bind_text(s, ":st", accept ? "accepted" : "declined");
    db_bind_text(s, ":now", now_utc(a));
    db_bind_int(s, ":id", mid);
    bool ok = db_run(s) && event_notify(db, a, req, *ev, accept ? "meeting-accepted" : "meeting-declined", NULL);
    if (ok && accept) ok = place_one(db, a, mid);
    if (!ok || !db_commit(db)) { db_rollback(db); return 500; }
    return 0;
}

/* profiles: the participants who publish what they offer and seek (registered ones) */
static json_t *profiles(db_t *db, int64_t ev) {
    stmt_t *s = db_prep(db, "SELECT p.user_id, u.name, p.offer, p.seek FROM event_meeting_profiles p JOIN users u ON u.id = p.user_id "
                            "JOIN event_registrations r ON r.event_id = p.event_id AND r.user_id = p.user_id AND r.status = 'registered' "
                            "WHERE p.event_id = :e AND p.visible = 1 AND u.deleted_at IS NULL ORDER BY u.name");
    db_bind_int(s, ":e", ev);
    return doc_rows(s, "user,name,offer,seek");
}

/* mine: the user's meetings at ev: [{id, with: {user, name}, incoming, status, slot, table, start, end, message}] */
static json_t *mine(db_t *db, int64_t ev, int64_t user) {
    msetup_t m = setup_get(db, ev);
    stmt_t *s = db_prep(db, "SELECT x.id, x.requester, x.invitee, x.status, x.slot, x.table_no, x.message, u.name, u.id FROM event_meetings x "
                            "JOIN users u ON u.id = CASE WHEN x.requester = :u THEN x.invitee ELSE x.requester END "
                            "WHERE x.event_id = :e AND (x.requester = :u OR x.invitee = :u) ORDER BY x.slot IS NULL, x.slot, x.id");
    db_bind_int(s, ":e", ev);
    db_bind_int(s, ":u", user);
    json_t *out = json_array();
    while (db_step(s)) {
        json_t *o = json_pack("{s:I, s:{s:I, s:s}, s:b, s:s, s:s?}", "id", (json_int_t)db_int(s, 0), "with", "user", (json_int_t)db_int(s, 8),
                              "name", db_text(s, 7), "incoming", db_int(s, 2) == user, "status", db_text(s, 3), "message", db_text(s, 6));
        if (!db_is_null(s, 4) && m.ok) {
            char a1[32], a2[32];
            int slot = (int)db_int(s, 4);
            utc_to_local(slot_start(&m, slot), m.tz, a1, sizeof a1);
            utc_to_local(slot_start(&m, slot + 1), m.tz, a2, sizeof a2);
            json_object_set_new(o, "slot", json_integer(slot));
            json_object_set_new(o, "table", json_integer(db_int(s, 5) + 1));
            json_object_set_new(o, "start", json_string(a1));
            json_object_set_new(o, "end", json_string(a2));
        }
        json_array_append_new(out, o);
    }
    return out;
}

/* ---- pages ---- */

static const char *event_title(req_t *r, json_t *e) {
    json_t *t = json_object_get(e, "title");
    const char *l = r->lang, *v = jstr(t, l);
    if (!v || !*v) v = jstr(t, "sv");
    if (!v || !*v) v = jstr(t, "nb");
    if (!v || !*v) v = jstr(t, "en");
    return v ? v : "";
}

static const char *slot_label(req_t *r, const msetup_t *m, int slot) {
    time_t a = slot_start(m, slot), b = slot_start(m, slot + 1);
    struct tm tb;
    localtime_r(&b, &tb);
    return aprintf_text(r->arena, "%s–%02d:%02d", fmt_datetime(r->arena, r->lang, a), tb.tm_hour, tb.tm_min);
}

static bool load_event(req_t *r, db_t *db, json_t **e) {
    *e = api_own(r, event_load(db, r->id[0]));
    if (!*e) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return false; }
    return true;
}

/* meetings_page: the page, with the organisers' form showing errs (may be NULL) */
/* meetings_page: errs are the setup form's errors, profile_errs the profile form's (then the
 * profile form shows what was posted) */
static void meetings_page(req_t *r, json_t *errs, json_t *profile_errs);
void event_meetings_page(req_t *r) { meetings_page(r, NULL, NULL); }

static void meetings_page(req_t *r, json_t *errs, json_t *profile_errs) {
    db_t *db = db_get();
    json_t *e;
    if (!load_event(r, db, &e)) return;
    int64_t ev = r->id[0];
    bool org = event_can_edit(db, r->user, ev), reg = is_registered(db, r->arena, ev, r->user->id);
    msetup_t m = setup_get(db, ev);
    const char *title = event_title(r, e);
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "1:1 meetings"), title));
    const char *done = req_query(r, "done");
    static const char *const dones[][2] = {{"profile", N_("Your meeting profile has been saved.")}, {"requested", N_("Your request has been sent.")},
                                           {"answered", N_("Your answer has been sent.")}, {"setup", N_("The meeting slots have been saved.")},
                                           {"scheduled", N_("The meetings have been scheduled.")}};
    for (size_t i = 0; i < sizeof dones / sizeof *dones; i++)
        if (streq(done, dones[i][0])) bprintf(&r->out, "<p class=\"flash\" role=\"status\">%h</p>", T(r, dones[i][1]));
    bprintf(&r->out, "<h1>%h</h1><p class=\"lead\">%h</p><p><a href=\"/events/%lld\">%h</a></p>", T(r, "1:1 meetings"),
            aprintf_text(r->arena, T(r, "Short meetings between participants of %s: say what you offer and seek, ask others for a meeting, and get your own agenda."), title),
            (long long)ev, T(r, "Back to the event"));
    if (m.ok) bprintf(&r->out, "<p>%h</p>", aprintf_text(r->arena, T(r, "%d slots of %d minutes from %s, %d tables."), m.slots, m.minutes,
                                                    fmt_datetime(r->arena, r->lang, m.first), m.tables));
    else bprintf(&r->out, "<p>%h</p>", T(r, "The organisers have not set the meeting slots yet."));
    if (org) {
        bprintf(&r->out, "<section aria-labelledby=\"setup-h\"><h2 id=\"setup-h\">%h</h2>", T(r, "Slots and tables (organisers)"));
        form_errors_summary(r, errs);
        form_open(r, aprintf(r->arena, "/events/%lld/meetings/setup", (long long)ev));
        char first[32] = "";
        if (m.ok) utc_to_local(m.first, m.tz, first, sizeof first);
        else snprintf(first, sizeof first, "%s", jstr(e, "start"));
        field_text(r, "first_slot", T(r, "First meeting starts"), req_form(r, "first_slot") ? req_form(r, "first_slot") : first, errs, "datetime-local", NULL, true);
        field_text(r, "slot_minutes", T(r, "Minutes per meeting"), req_form(r, "slot_minutes") ? req_form(r, "slot_minutes") : m.ok ? aprintf(r->arena, "%d", m.minutes) : "20", errs, "text", NULL, true);
        field_text(r, "slots", T(r, "Number of slots"), req_form(r, "slots") ? req_form(r, "slots") : m.ok ? aprintf(r->arena, "%d", m.slots) : "8", errs, "text", NULL, true);
        field_text(r, "tables", T(r, "Number of tables"), req_form(r, "tables") ? req_form(r, "tables") : m.ok ? aprintf(r->arena, "%d", m.tables) : "10", errs, "text", NULL, true);
        form_close(r, T(r, "Save the slots"));
        if (m.ok) {
            stmt_t *s = db_prep(db, "SELECT count(*), count(slot) FROM event_meetings WHERE event_id = :e AND status = 'accepted'");
            db_bind_int(s, ":e", ev);
            db_step(s);
            long long acc = db_int(s, 0), placed = db_int(s, 1);
            db_reset(s);
            bprintf(&r->out, "<p>%h</p><form method=\"post\" action=\"/events/%lld/meetings/schedule\">",
                    aprintf(r->arena, T(r, "%lld accepted meetings, %lld of them in the schedule."), acc, placed), (long long)ev);
            csrf_input(r);
            bprintf(&r->out, "<p class=\"actions\"><button type=\"submit\">%h</button></p></form>", T(r, "Schedule all accepted meetings"));
        }
        buf_puts(&r->out, "</section>");
    }
    if (!reg) {
        bprintf(&r->out, "<p>%h</p>", T(r, "Register for the event to take part in the 1:1 meetings."));
        page_end(r);
        return;
    }
    /* my profile */
    stmt_t *s = db_prep(db, "SELECT offer, seek, unavailable, visible, version FROM event_meeting_profiles WHERE event_id = :e AND user_id = :u");
    db_bind_int(s, ":e", ev);
    db_bind_int(s, ":u", r->user->id);
    const char *offer = NULL, *seek = NULL, *un = "";
    bool visible = false;
    long long version = 0;
    if (db_step(s)) {
        offer = db_text_dup(s, 0, r->arena); seek = db_text_dup(s, 1, r->arena); un = db_text_dup(s, 2, r->arena);
        visible = db_int(s, 3); version = db_int(s, 4);
    }
    db_reset(s);
    if (profile_errs) { /* shown again after a refused save: what the person wrote, not what is stored */
        offer = req_form(r, "offer");
        seek = req_form(r, "seek");
        const char **vals;
        int nv = req_form_all(r, "unavailable", &vals);
        buf_t ub;
        buf_init(&ub, r->arena);
        for (int i = 0; i < nv; i++) bprintf_text(&ub, "%s%s", i ? "," : "", vals[i]);
        un = nv ? ub.data : "";
        visible = streq(req_form(r, "visible"), "1");
    }
    bprintf(&r->out, "<section aria-labelledby=\"me-h\"><h2 id=\"me-h\">%h</h2>", T(r, "What I offer and seek here"));
    if (profile_errs) form_errors_summary(r, profile_errs);
    form_open(r, aprintf(r->arena, "/events/%lld/meetings/profile", (long long)ev));
    /* the version this page shows (the error summary's link for a conflict lands here) */
    bprintf(&r->out, "<div id=\"f-version\"><input type=\"hidden\" name=\"version\" value=\"%lld\"></div>", version);
    field_textarea(r, "offer", T(r, "I offer"), offer, profile_errs, NULL);
    field_textarea(r, "seek", T(r, "I seek"), seek, profile_errs, NULL);
    if (m.ok) {
        bprintf(&r->out, "<fieldset class=\"checks\" id=\"f-unavailable\"><legend>%h</legend>", T(r, "I cannot meet in these slots"));
        for (int k = 0; k < m.slots; k++)
            bprintf(&r->out, "<label class=\"check\"><input type=\"checkbox\" name=\"unavailable\" value=\"%d\"%s> %h</label>", k,
                    away(un, k) ? " checked" : "", slot_label(r, &m, k));
        buf_puts(&r->out, "</fieldset>");
    }
    bprintf(&r->out, "<p><label class=\"check\"><input type=\"checkbox\" name=\"visible\" value=\"1\"%s> %h</label></p>", visible ? " checked" : "",
            T(r, "Show my name and what I offer and seek to the other participants, so that they can ask me for a meeting"));
    form_close(r, T(r, "Publish my meeting profile"));
    bprintf(&r->out, "<p><a href=\"/events/%lld/agenda\">%h</a></p></section>", (long long)ev, T(r, "My agenda"));
    /* my meetings */
    json_t *my = api_own(r, mine(db, ev, r->user->id));
    bprintf(&r->out, "<section aria-labelledby=\"my-h\"><h2 id=\"my-h\">%h</h2>", T(r, "My meeting requests"));
    if (list_open(r, my, "plain meetings", T(r, "No meeting requests yet."))) {
        size_t i;
        json_t *x;
        json_array_foreach(my, i, x) {
            const char *st = jstr(x, "status"), *who = jstr(json_object_get(x, "with"), "name");
            bool in = json_is_true(json_object_get(x, "incoming"));
            bprintf(&r->out, "<li>%h", aprintf_text(r->arena, in ? T(r, "%s asks to meet you") : T(r, "You asked %s"), who));
            if (jstr(x, "message")) bprintf(&r->out, ": <q>%h</q>", jstr(x, "message"));
            if (streq(st, "requested") && in) {
                for (int k = 0; k < 2; k++) {
                    bprintf(&r->out, " <form method=\"post\" action=\"/meetings/%lld/answer\" class=\"inline\">", (long long)json_integer_value(json_object_get(x, "id")));
                    csrf_input(r);
                    bprintf(&r->out, "<input type=\"hidden\" name=\"answer\" value=\"%s\"><button type=\"submit\"%s aria-label=\"%h\">%h</button></form>",
                            k ? "decline" : "accept", k ? " class=\"secondary\"" : "",
                            aprintf_text(r->arena, k ? T(r, "Decline the meeting with %s") : T(r, "Accept the meeting with %s"), who),
                            k ? T(r, "Decline the meeting") : T(r, "Accept the meeting"));
                }
            } else {
                bprintf(&r->out, " – %h", streq(st, "requested") ? T(r, "no answer yet") : streq(st, "accepted") ? T(r, "accepted") : T(r, "declined"));
                if (json_object_get(x, "slot"))
                    bprintf(&r->out, ": %h", aprintf_text(r->arena, T(r, "%s, table %lld"), slot_label(r, &m, (int)json_integer_value(json_object_get(x, "slot"))),
                                                     (long long)json_integer_value(json_object_get(x, "table"))));
            }
            buf_puts(&r->out, "</li>");
        }
        buf_puts(&r->out, "</ul>");
    }
    buf_puts(&r->out, "</section>");
    /* the others */
    json_t *ps = api_own(r, profiles(db, ev));
    bprintf(&r->out, "<section aria-labelledby=\"who-h\"><h2 id=\"who-h\">%h</h2>", T(r, "Participants who want to meet"));
    int shown = 0;
    size_t i;
    json_t *p;
    json_array_foreach(ps, i, p) {
        int64_t u = json_integer_value(json_object_get(p, "user"));
        if (u == r->user->id) continue;
        if (!shown++) buf_puts(&r->out, "<ul class=\"cards\">");
        bprintf(&r->out, "<li class=\"card\"><h3>%h</h3>", jstr(p, "name"));
        if (jstr(p, "offer")) bprintf(&r->out, "<p><strong>%h</strong> %h</p>", T(r, "Offers:"), jstr(p, "offer"));
        if (jstr(p, "seek")) bprintf(&r->out, "<p><strong>%h</strong> %h</p>", T(r, "Seeks:"), jstr(p, "seek"));
        bprintf(&r->out, "<form method=\"post\" action=\"/events/%lld/meetings/request\">", (long long)ev);
        csrf_input(r);
        bprintf(&r->out, "<input type=\"hidden\" name=\"with\" value=\"%lld\"><button type=\"submit\" class=\"secondary\" aria-label=\"%h\">%h</button></form></li>",
                (long long)u, aprintf_text(r->arena, T(r, "Ask %s for a meeting"), jstr(p, "name")), T(r, "Ask for a meeting"));
    }
    if (shown) buf_puts(&r->out, "</ul>");
    else bprintf(&r->out, "<p>%h</p>", T(r, "Nobody else has published a meeting profile yet."));
    buf_puts(&r->out, "</section>");
    page_end(r);
}

static bool may_take_part(req_t *r, db_t *db) {
    if (!event_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return false; }
    if (!is_registered(db, r->arena, r->id[0], r->user->id)) {
        resp_error(r, 403, "not-registered", T(r, "Register for the event to take part in the 1:1 meetings."));
        return false;
    }
    return true;
}
static bool may_organise(req_t *r, db_t *db) {
    if (!event_exists(db, r->id[0])) { resp_error(r, 404, "not-found", T(r, "There is no such event.")); return false; }
    if (!event_can_edit(db, r->user, r->id[0])) {
        resp_error(r, 403, "forbidden", T(r, "Only members of the organising organisations may change this event."));
        return false;
    }
    return true;
}

static json_t *int_or_string(const char *v) {
    long long n;
    return v && parse_int(v, -1000000, 1000000, &n) ? json_integer(n) : v ? json_string(v) : json_null();
}

void event_meetings_setup_post(req_t *r) {
    db_t *db = db_get();
    if (!may_organise(r, db)) return;
    json_t *in = api_own(r, json_pack("{s:s?, s:o, s:o, s:o}", "first_slot", req_form(r, "first_slot"), "slot_minutes", int_or_string(req_form(r, "slot_minutes")),
                                  "slots", int_or_string(req_form(r, "slots")), "tables", int_or_string(req_form(r, "tables"))));
    json_t *errs = api_own(r, setup_save(db, r->arena, r->lang, r->id[0], in));
    if (json_object_size(errs)) {
        r->status = 422;
        meetings_page(r, errs, NULL);
        return;
    }
    resp_redirect(r, aprintf(r->arena, "/events/%lld/meetings?done=setup", (long long)r->id[0]));
}

void event_meetings_profile_post(req_t *r) {
    db_t *db = db_get();
    if (!may_take_part(r, db)) return;
    const char **vals;
    int n = req_form_all(r, "unavailable", &vals);
    json_t *un = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(un, int_or_string(vals[i]));
    json_t *in = api_own(r, json_pack("{s:s?, s:s?, s:o, s:b}", "offer", req_form(r, "offer"), "seek", req_form(r, "seek"), "unavailable", un,
                                  "visible", streq(req_form(r, "visible"), "1")));
    long long seen;  /* the version the page showed; a form without one is not checked */
    if (req_form(r, "version")) json_object_set_new(in, "version", parse_int(req_form(r, "version"), 0, INT32_MAX, &seen) ? json_integer(seen) : json_string("?"));
    int64_t version = 0;
    json_t *errs = api_own(r, profile_save(db, r->arena, r->lang, r->id[0], r->user->id, in, &version));
    if (json_object_size(errs)) {
        /* the page again, with what was written and the reason (nothing is lost) */
        r->status = version < 0 ? 409 : 422;
        meetings_page(r, NULL, errs);
        return;
    }
    resp_redirect(r, aprintf(r->arena, "/events/%lld/meetings?done=profile", (long long)r->id[0]));
}

void event_meetings_request_post(req_t *r) {
    db_t *db = db_get();
    if (!may_take_part(r, db)) return;
    long long to;
    if (!parse_int(req_form(r, "with"), 1, INT64_MAX, &to)) { resp_error(r, 422, "validation", T(r, "That person does not take part in the 1:1 meetings here.")); return; }
    int status;
    const char *why = NULL;
    if (!request(db, r->arena, r->id[0], r->user->id, to, req_form(r, "message"), &status, &why)) { resp_error(r, status, "validation", T(r, why)); return; }
    resp_redirect(r, aprintf(r->arena, "/events/%lld/meetings?done=requested", (long long)r->id[0]));
}

static void answer_error(req_t *r, int rc) {
    if (rc == 404) resp_error(r, 404, "not-found", T(r, "There is no such meeting request."));
    else if (rc == 403) resp_error(r, 403, "forbidden", T(r, "Only the person asked may answer."));
    else if (rc == 409) resp_error(r, 409, "answered", T(r, "This request has been answered already."));
    else resp_error(r, 500, "db", T(r, "The meeting could not be saved."));
}

void event_meeting_answer_post(req_t *r) {
    const char *a = req_form(r, "answer");
    if (!streq(a, "accept") && !streq(a, "decline")) { resp_error(r, 422, "validation", T(r, "The answer is accept or decline.")); return; }
    int64_t ev = 0;
    int rc = answer(db_get(), r->arena, r->user->id, r->id[0], streq(a, "accept"), &ev);
    if (rc) { answer_error(r, rc); return; }
    resp_redirect(r, aprintf(r->arena, "/events/%lld/meetings?done=answered", (long long)ev));
}

void event_meetings_schedule_post(req_t *r) {
    db_t *db = db_get();
    if (!may_organise(r, db)) return;
    int acc;
    if (schedule(db, r->arena, r->id[0], &acc) < 0) { resp_error(r, 409, "no-slots", T(r, "The organisers have not set the meeting slots yet.")); return; }
    resp_redirect(r, aprintf(r->arena, "/events/%lld/meetings?done=scheduled", (long long)r->id[0]));
}

/* the event of the path, its meeting setup and the user's meetings, for the agenda */
typedef struct agenda {
    json_t *e, *my;
    msetup_t m;
} agenda_t;

static bool load_agenda(req_t *r, db_t *db, agenda_t *g) {
    if (!load_event(r, db, &g->e)) return false;
    g->m = setup_get(db, r->id[0]);
    g->my = api_own(r, mine(db, r->id[0], r->user->id));
    return true;
}

void event_agenda_page(req_t *r) {
    db_t *db = db_get();
    agenda_t g;
    if (!load_agenda(r, db, &g)) return;
    const char *title = event_title(r, g.e);
    page_begin(r, aprintf_text(r->arena, "%s: %s", T(r, "My agenda"), title));
    bprintf(&r->out, "<h1>%h</h1><p class=\"lead\">%h</p><ul class=\"actions\"><li><a href=\"/events/%lld/agenda.ics\" type=\"text/calendar\">%h</a></li>"
                     "<li><a href=\"/events/%lld/meetings\">%h</a></li></ul>",
            T(r, "My agenda"), title, (long long)r->id[0], T(r, "Add to my calendar (.ics)"), (long long)r->id[0], T(r, "1:1 meetings"));
    int n = 0;
    size_t i;
    json_t *x;
    json_array_foreach(g.my, i, x) {
        if (!json_object_get(x, "slot")) continue;
        if (!n++) bprintf(&r->out, "<div class=\"table-wrap\"><table class=\"agenda\"><caption>%h</caption><thead><tr><th scope=\"col\">%h</th>"
                                   "<th scope=\"col\">%h</th><th scope=\"col\">%h</th></tr></thead><tbody>",
                          T(r, "My meetings"), T(r, "When"), T(r, "Table"), T(r, "With"));
        bprintf(&r->out, "<tr><td>%h</td><td>%lld</td><td>%h</td></tr>", slot_label(r, &g.m, (int)json_integer_value(json_object_get(x, "slot"))),
                (long long)json_integer_value(json_object_get(x, "table")), jstr(json_object_get(x, "with"), "name"));
    }
    if (n) buf_puts(&r->out, "</tbody></table></div>");
    else bprintf(&r->out, "<p>%h</p>", T(r, "No meetings in your agenda yet."));
    page_end(r);
}

void event_agenda_ics(req_t *r) {
    db_t *db = db_get();
    agenda_t g;
    if (!load_agenda(r, db, &g)) return;
    icalcomponent *cal = icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                                             icalproperty_new_prodid("-//Gränslös//Agenda//EN"), (void *)0);
    icaltimezone *utc = icaltimezone_get_utc_timezone();
    size_t i;
    json_t *x;
    json_array_foreach(g.my, i, x) {
        if (!json_object_get(x, "slot") || !g.m.ok) continue;
        int slot = (int)json_integer_value(json_object_get(x, "slot"));
        icalcomponent *v = icalcomponent_new_vevent();
        icalcomponent_add_property(v, icalproperty_new_uid(aprintf(r->arena, "meeting-%lld@granslos", (long long)json_integer_value(json_object_get(x, "id")))));
        icalcomponent_add_property(v, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(now_unix(), 0, utc)));
        icalcomponent_add_property(v, icalproperty_new_dtstart(icaltime_from_timet_with_zone(slot_start(&g.m, slot), 0, utc)));
        icalcomponent_add_property(v, icalproperty_new_dtend(icaltime_from_timet_with_zone(slot_start(&g.m, slot + 1), 0, utc)));
        icalcomponent_add_property(v, icalproperty_new_summary(aprintf_text(r->arena, T(r, "Meeting with %s"), jstr(json_object_get(x, "with"), "name"))));
        icalcomponent_add_property(v, icalproperty_new_location(aprintf_text(r->arena, "%s, %s %lld", event_title(r, g.e), T(r, "table"),
                                                                        (long long)json_integer_value(json_object_get(x, "table")))));
        icalcomponent_add_component(cal, v);
    }
    char *s = icalcomponent_as_ical_string_r(cal);
    buf_puts(&r->out, s ? s : "");
    free(s);
    icalcomponent_free(cal);
    r->ctype = "text/calendar; charset=utf-8";
}

/* ---- API ---- */
void event_api_meetings_setup(req_t *r) {
    db_t *db = db_get();
    if (!may_organise(r, db)) return;
    json_t *in = api_body(r);
    if (!in) return;
    json_t *errs = setup_save(db, r->arena, r->lang, r->id[0], in);
    if (json_object_size(errs)) { resp_problem(r, 422, "validation", T(r, "Some fields are not valid."), errs); return; }
    json_decref(errs);
    resp_json(r, 200, json_pack("{s:b}", "ok", 1));
}

void event_api_meetings_profile(req_t *r) {
    db_t *db = db_get();
    if (!may_take_part(r, db)) return;
    json_t *in = api_body(r);
    if (!in) return;
    int64_t version = 0;
    json_t *errs = profile_save(db, r->arena, r->lang, r->id[0], r->user->id, in, &version);
    if (json_object_size(errs)) {
        if (version < 0)
            resp_problem(r, 409, "conflict", T(r, "Your meeting profile has changed since the version you sent. Nothing was saved: send your change again with the current version."), errs);
        else resp_problem(r, 422, "validation", T(r, "Some fields are not valid."), errs);
        return;
    }
    json_decref(errs);
    resp_json(r, 200, json_pack("{s:b, s:I}", "ok", 1, "version", (json_int_t)version));
}

void event_api_meetings_profiles(req_t *r) {
    db_t *db = db_get();
    if (!event_exists(db, r->id[0])) { resp_problem(r, 404, "not-found", T(r, "There is no such event."), NULL); return; }
    if (!is_registered(db, r->arena, r->id[0], r->user->id) && !event_can_edit(db, r->user, r->id[0])) {
        resp_problem(r, 403, "not-registered", T(r, "Register for the event to take part in the 1:1 meetings."), NULL);
        return;
    }
    resp_json(r, 200, json_pack("{s:o}", "items", profiles(db, r->id[0])));
}

void event_api_meetings_request(req_t *r) {
    db_t *db = db_get();
    if (!may_take_part(r, db)) return;
    json_t *in = api_body(r);
    if (!in) return;
    json_t *w = json_object_get(in, "with"), *msg = json_object_get(in, "message");
    if (!json_is_integer(w) || (msg && !json_is_null(msg) && (!json_is_string(msg) || utf8_len(json_string_value(msg)) > 500))) {
        resp_problem(r, 422, "validation", T(r, "Some fields are not valid."), NULL);
        return;
    }
    int status;
    const char *why = NULL;
    int64_t id = request(db, r->arena, r->id[0], r->user->id, json_integer_value(w), json_string_value(msg), &status, &why);
    if (!id) { resp_problem(r, status, status == 500 ? "db" : "validation", T(r, why), NULL); return; }
    resp_json(r, status, json_pack("{s:I}", "id", (json_int_t)id));
}

void event_api_meeting_answer(req_t *r) {
    json_t *in = api_body(r);
    if (!in) return;
    const char *a = jstr(in, "answer");
    if (!streq(a, "accept") && !streq(a, "decline")) { resp_problem(r, 422, "validation", T(r, "The answer is accept or decline."), NULL); return; }
    int64_t ev = 0;
    int rc = answer(db_get(), r->arena, r->user->id, r->id[0], streq(a, "accept"), &ev);
    if (rc) { answer_error(r, rc); return; }
    resp_json(r, 200, json_pack("{s:s}", "status", streq(a, "accept") ? "accepted" : "declined"));
}

void event_api_meetings_schedule(req_t *r) {
    db_t *db = db_get();
    if (!may_organise(r, db)) return;
    int acc;
    int placed = schedule(db, r->arena, r->id[0], &acc);
    if (placed < 0) { resp_problem(r, 409, "no-slots", T(r, "The organisers have not set the meeting slots yet."), NULL); return; }
    resp_json(r, 200, json_pack("{s:i, s:i}", "accepted", acc, "placed", placed));
}

void event_api_agenda(req_t *r) {
    db_t *db = db_get();
    if (!event_exists(db, r->id[0])) { resp_problem(r, 404, "not-found", T(r, "There is no such event."), NULL); return; }
    resp_json(r, 200, json_pack("{s:o}", "items", mine(db, r->id[0], r->user->id)));
}
