/* The notification system (see notify.h): emit, audience, inbox, following, preferences,
 * signed unsubscribe links and immediate mail. Digests and the command line are in digest.c,
 * pages and the API in pages.c. */
#include "notify/notify.h"
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "account/account.h"
#include "core/strmap.h"
#include "core/util.h"
#include "doc/doc.h"
#include "events/events.h"
#include "i18n/i18n.h"
#include "mail/mail.h"
#include "notify/internal.h"
#include "obstacles/obstacles.h"
#include "org/org.h"
#include "projects/projects.h"

#define MAX_AUDIENCE 4096

/* How an item's detail reads: as stored (a name), or a code the reader's language renders. */
enum detail_kind {
    D_TEXT,        /* shown as it is (an organisation's or a person's name) */
    D_SECTION,     /* "slug\tname": the project section's label in the reader's language, and who */
    D_PROJ_STATUS, /* a project status, its label */
    D_VERSION,     /* a submitted version's number: "version N", linked to the frozen version */
    D_DEADLINE,    /* "YYYY-MM-DD\ttitle": the date in the reader's language, and the deadline */
    D_OBS_STATUS,  /* an obstacle status, its label */
};

/* Kinds: their preference group, their text ("%s" is the subject's title) and their detail. */
static const struct kind { const char *kind, *group, *msgid; enum detail_kind detail; } kinds[] = {
    {"registered", "registrations", N_("You are registered for %s."), D_TEXT},
    {"waiting", "registrations", N_("%s is full: you are on the waiting list and move up automatically when a place is freed."), D_TEXT},
    {"promoted", "registrations", N_("A place was freed: you are now registered for %s."), D_TEXT},
    {"cancelled", "registrations", N_("%s has been cancelled."), D_TEXT},
    {"invited", "invitations", N_("Your organisation is invited to %s."), D_TEXT},
    {"meeting-request", "invitations", N_("Someone asks you for a 1:1 meeting at %s."), D_TEXT},
    {"accepted", "answers", N_("Your invitation to %s was accepted."), D_TEXT},
    {"declined", "answers", N_("Your invitation to %s was declined."), D_TEXT},
    {"meeting-accepted", "answers", N_("Your request for a 1:1 meeting at %s was accepted."), D_TEXT},
    {"meeting-declined", "answers", N_("Your request for a 1:1 meeting at %s was declined."), D_TEXT},
    {"join-request", "answers", N_("Someone asks to join %s."), D_TEXT},
    {"join-accepted", "answers", N_("You are now a member of %s."), D_TEXT},
    {"join-declined", "answers", N_("Your request to join %s was declined."), D_TEXT},
    {"claim-approved", "answers", N_("Your claim was approved: you now administer %s."), D_TEXT},
    {"claim-refused", "answers", N_("Your claim to administer %s was refused."), D_TEXT},
    {"network-request", "answers", N_("An organisation says it is a member of %s."), D_TEXT},
    {"network-confirmed", "answers", N_("%s confirmed that your organisation is its member."), D_TEXT},
    {"network-declined", "answers", N_("%s does not count your organisation among its members."), D_TEXT},
    {"updated", "follows", N_("%s, which you follow, was updated."), D_TEXT},
    {"new-in-series", "follows", N_("A new event in a series you follow: %s."), D_TEXT},
    {"new-in-theme", "follows", N_("New in a theme you follow: %s."), D_TEXT},
    {"new-in-search", "follows", N_("New and matching a search you saved: %s."), D_TEXT},
    {"obstacle-status", "obstacles", N_("%s has a new status."), D_OBS_STATUS},
    {"project-invited", "project-invitations", N_("Your organisation is invited to be a partner in %s."), D_TEXT},
    {"project-accepted", "project-answers", N_("A partner accepted the invitation to %s."), D_TEXT},
    {"project-declined", "project-answers", N_("A partner declined the invitation to %s."), D_TEXT},
    {"project-comment", "project-comments", N_("A new comment on %s."), D_SECTION},
    {"project-ready", "project-ready", N_("A section of %s was marked ready."), D_SECTION},
    {"project-status", "project-status", N_("%s has a new status."), D_PROJ_STATUS},
    {"project-submitted", "project-status", N_("A new version of %s was submitted."), D_VERSION},
    {"project-deadline", "project-deadlines", N_("A deadline of %s is near."), D_DEADLINE},
};

/* The preference groups: the choices of the preferences page and the API, their defaults and
 * their label (also the heading of their section in a digest). */
static const struct group { const char *name, *def, *label; } groups[] = {
    {"invitations", "immediately", N_("Invitations")},
    {"answers", "immediately", N_("Answers")},
    {"registrations", "immediately", N_("Registrations")},
    {"follows", "weekly", N_("What you follow")},
    {"matches", "weekly", N_("Matches")},
    {"obstacles", "daily", N_("Border obstacles that moved")},
    {"project-invitations", "immediately", N_("Invitations to projects")},
    {"project-answers", "immediately", N_("Answers to project invitations")},
    {"project-comments", "daily", N_("Comments on project sections")},
    {"project-ready", "daily", N_("Project sections marked ready")},
    {"project-status", "daily", N_("Project status and submitted versions")},
    {"project-deadlines", "immediately", N_("Project deadlines coming up")},
};
enum { NGROUPS = sizeof groups / sizeof *groups };

const char *const notify_groups[] = {"invitations", "answers", "registrations", "follows", "matches", "obstacles",
                                     "project-invitations", "project-answers", "project-comments", "project-ready",
                                     "project-status", "project-deadlines", NULL};
_Static_assert(sizeof notify_groups / sizeof *notify_groups == NGROUPS + 1, "notify_groups lists every group");
const char *const notify_modes[] = {"immediately", "daily", "weekly", "never", NULL};

static const struct kind *kind_of(const char *kind) {
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) if (streq(kinds[i].kind, kind)) return &kinds[i];
    return NULL;
}

const char *notify_group_of(const char *kind) {
    const struct kind *k = kind_of(kind);
    return k ? k->group : "follows";
}

const char *notify_kind_text(const char *kind, const char *lang) {
    const struct kind *k = kind_of(kind);
    return k ? tr(lang, k->msgid) : "%s";
}

const char *notify_group_label(const char *group, const char *lang) {
    for (int i = 0; i < NGROUPS; i++) if (streq(groups[i].name, group)) return tr(lang, groups[i].label);
    return group;
}

bool notify_mode_valid(const char *m) {
    for (int i = 0; notify_modes[i]; i++) if (streq(m, notify_modes[i])) return true;
    return false;
}

bool notify_group_valid(const char *g) {
    for (int i = 0; notify_groups[i]; i++) if (streq(g, notify_groups[i])) return true;
    return false;
}

/* notify_mode: the user's choice for a group, or its default; "never" after a full unsubscribe */
const char *notify_mode(db_t *db, int64_t uid, const char *group) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM notify_settings WHERE user_id = :u AND unsubscribed_at IS NOT NULL");
    db_bind_int(s, ":u", uid);
    if (db_int_of(s, 0) == 1) return "never";
    s = db_prep(db, "SELECT mode FROM notify_prefs WHERE user_id = :u AND kind = :k");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":k", group);
    const char *m = NULL;
    if (db_step(s)) {
        for (int i = 0; notify_modes[i]; i++) if (streq(db_text(s, 0), notify_modes[i])) m = notify_modes[i];
    }
    db_reset(s);
    if (m) return m;
    for (int i = 0; i < NGROUPS; i++) if (streq(group, groups[i].name)) return groups[i].def;
    return "weekly";
}

bool notify_set_mode(db_t *db, int64_t uid, const char *group, const char *mode) {
    stmt_t *s = db_prep(db, "INSERT INTO notify_prefs (user_id, kind, mode) VALUES (:u, :k, :m) "
                            "ON CONFLICT (user_id, kind) DO UPDATE SET mode = :m");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":k", group);
    db_bind_text(s, ":m", mode);
    if (!db_run(s)) return false;
    if (streq(mode, "never")) return true;
    /* choosing mail again undoes a full unsubscribe */
    s = db_prep(db, "UPDATE notify_settings SET unsubscribed_at = NULL WHERE user_id = :u");
    db_bind_int(s, ":u", uid);
    return db_run(s);
}

/* notify_timezone: the user's zone for digests: chosen, else Europe/Oslo for bokmål, else Stockholm */
const char *notify_timezone(db_t *db, int64_t uid, const char *lang) {
    stmt_t *s = db_prep(db, "SELECT timezone FROM notify_settings WHERE user_id = :u");
    db_bind_int(s, ":u", uid);
    const char *tz = NULL;
    if (db_step(s)) tz = streq(db_text(s, 0), "Europe/Oslo") ? "Europe/Oslo" : "Europe/Stockholm";
    db_reset(s);
    return tz ? tz : streq(lang, "nb") ? "Europe/Oslo" : "Europe/Stockholm";
}

bool notify_set_timezone(db_t *db, int64_t uid, const char *tz) {
    stmt_t *s = db_prep(db, "INSERT INTO notify_settings (user_id, timezone) VALUES (:u, :tz) ON CONFLICT (user_id) DO UPDATE SET timezone = :tz");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":tz", tz);
    return db_run(s);
}

/* ---- emit ---- */

static int add_unique(int64_t *to, int n, int64_t v) {
    if (v <= 0 || n >= MAX_AUDIENCE) return n;
    for (int i = 0; i < n; i++) if (to[i] == v) return n;
    to[n] = v;
    return n + 1;
}

static pthread_mutex_t g_followed_lock = PTHREAD_MUTEX_INITIALIZER;
static strmap_t g_followed;    /* "target\tkey" -> followers; guarded by g_followed_lock */
static bool g_followed_on;     /* loaded (a serving process); otherwise always ask the store */

static void followed_add(const char *target, const char *key, int d) {
    char k[600];
    snprintf(k, sizeof k, "%s\t%s", target, key);
    pthread_mutex_lock(&g_followed_lock);
    int *v = strmap_slot(&g_followed, k, d > 0);
    if (v) *v = (*v < 0 ? 0 : *v) + d;
    pthread_mutex_unlock(&g_followed_lock);
}

static bool followed(const char *target, const char *key) {
    if (!g_followed_on) return true;
    char k[600];
    snprintf(k, sizeof k, "%s\t%s", target, key);
    pthread_mutex_lock(&g_followed_lock);
    int *v = strmap_slot(&g_followed, k, false);
    bool yes = v && *v > 0;
    pthread_mutex_unlock(&g_followed_lock);
    return yes;
}

static int followers(db_t *db, const char *target, const char *key, int64_t *to, int n);

static void themes_followers(db_t *db, arena_t *a, json_t *doc, int64_t *to, int *n) {
    json_t *th = json_object_get(doc, "themes"), *v;
    size_t i;
    json_array_foreach(th, i, v) {
        const char *slug = json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "slug"));
        if (slug) *n = followers(db, "theme", slug, to, *n);
    }
    (void)a;
}

static int followers(db_t *db, const char *target, const char *key, int64_t *to, int n) {
    if (!followed(target, key)) return n;
    stmt_t *s = db_prep(db, "SELECT user_id FROM notify_follows WHERE target = :t AND target_key = :k");
    db_bind_text(s, ":t", target);
    db_bind_text(s, ":k", key);
    while (db_step(s)) n = add_unique(to, n, db_int(s, 0));
    db_reset(s);
    return n;
}

static bool emit_to(db_t *db, arena_t *a, const char *kind, const char *subject, int64_t subject_id, const int64_t *to, int n,
                    const char *detail) {
    const char *group = notify_group_of(kind);
    for (int i = 0; i < n; i++) {
        const char *mode = notify_mode(db, to[i], group);
        stmt_t *s = db_prep(db, "INSERT INTO notify_items (user_id, kind, subject, subject_id, detail, created_at, mode, mail_status) "
                                "VALUES (:u, :k, :s, :id, :d, :now, :m, :st)");
        db_binds(s, DB_INT(":u", to[i]), DB_TEXT(":k", kind), DB_TEXT(":s", subject), DB_ID(":id", subject_id), DB_TEXT(":d", detail),
                    DB_TEXT(":now", now_utc(a)), DB_TEXT(":m", mode), DB_TEXT(":st", streq(mode, "never") ? "none" : "pending"));
        if (!db_run(s)) return false;
    }
    return true;
}

bool notify_emit(db_t *db, const char *kind, const char *subject, int64_t subject_id, notify_audience_t aud, const char *detail) {
    arena_t *a = arena_new();
    int64_t *to = arena_alloc(a, sizeof *to * MAX_AUDIENCE);
    int n = add_unique(to, 0, aud.user);
    for (int i = 0; i < aud.n_users; i++) n = add_unique(to, n, aud.users[i]);
    int64_t ids[256];
    if (aud.org_admins) {
        int k = org_member_ids(db, aud.org_admins, true, ids, 256);
        for (int i = 0; i < k; i++) n = add_unique(to, n, ids[i]);
    }
    for (int o = 0; o < aud.n_orgs; o++) {
        int k = org_member_ids(db, aud.orgs[o], !aud.members, ids, 256);
        for (int i = 0; i < k; i++) n = add_unique(to, n, ids[i]);
    }
    if (aud.followers && subject_id > 0) n = followers(db, subject, aprintf_text(a, "%lld", (long long)subject_id), to, n);
    if (aud.except)
        for (int i = 0; i < n; i++) if (to[i] == aud.except) { to[i--] = to[--n]; }
    bool ok = db_begin(db);
    if (ok) {
        ok = emit_to(db, a, kind, subject, subject_id, to, n, detail);
        if (ok) ok = db_commit(db);
        else db_rollback(db);
    }
    arena_free(a);
    return ok;
}

/* ---- after-save hooks: followers hear of saves ----
 * The serving process keeps the followed targets in memory (loaded by notify_init, kept by
 * notify_set_follow), so a save that nobody follows costs no query at all. Follows made by another
 * process are seen after this one restarts. */

/* version_of: the saved version (asked only when some theme or series of it is followed) */
static int64_t version_of(db_t *db, const char *subject, int64_t id, json_t *doc) {
    json_t *v = json_object_get(doc, "version");
    if (json_is_integer(v)) return json_integer_value(v);
    bool any = false;
    json_t *th = json_object_get(doc, "themes"), *x, *se = json_object_get(doc, "series");
    size_t i;
    json_array_foreach(th, i, x) if (json_is_string(x) && followed("theme", json_string_value(x))) any = true;
    if (json_is_object(se)) any = true;
    if (!any) return 2;   /* nobody to tell that it is new */
    json_t *d = streq(subject, "org") ? org_load(db, id, false) : streq(subject, "event") ? event_load(db, id) : NULL;
    int64_t ver = d ? json_integer_value(json_object_get(d, "version")) : 2;
    json_decref(d);
    return ver;
}

static void on_save(db_t *db, const char *subject, int64_t id, json_t *doc, bool with_series) {
    arena_t *a = arena_new();
    int64_t *to = arena_alloc(a, sizeof *to * MAX_AUDIENCE), *news = arena_alloc(a, sizeof *news * MAX_AUDIENCE);
    int n = followers(db, subject, aprintf_text(a, "%lld", (long long)id), to, 0), nn = 0;
    bool created = version_of(db, subject, id, doc) <= 1;
    if (created) themes_followers(db, a, doc, news, &nn);
    int ns = 0;
    int64_t *series = arena_alloc(a, sizeof *series * MAX_AUDIENCE);
    json_t *se = json_object_get(doc, "series");
    if (with_series && created && json_is_object(se))
        ns = followers(db, "series", aprintf_text(a, "%lld", (long long)json_integer_value(json_object_get(se, "id"))), series, 0);
    if ((n || nn || ns) && db_begin(db)) {
        bool ok = emit_to(db, a, "updated", subject, id, to, n, NULL) && emit_to(db, a, "new-in-theme", subject, id, news, nn, NULL) &&
                  emit_to(db, a, "new-in-series", subject, id, series, ns, NULL);
        if (!ok || !db_commit(db)) db_rollback(db);
    }
    arena_free(a);
}
/* organisations: also the saved searches a new one matches (searches.c; the index, subscribed
 * before notify_init, holds it already) */
static void org_saved(db_t *db, const doc_kind_t *k, int64_t id, json_t *doc) {
    (void)k;
    on_save(db, "org", id, doc, false);
    notify_searches_saved(db, "org", id);
}
static void event_saved(db_t *db, const doc_kind_t *k, int64_t id, json_t *doc) { (void)k; on_save(db, "event", id, doc, true); }
static void obs_saved(db_t *db, const doc_kind_t *k, int64_t id, json_t *doc) { (void)k; on_save(db, "obstacle", id, doc, false); }

void notify_init(void) {
    db_t *db = db_global_path() ? db_get() : NULL;
    if (db && !g_followed_on) {
        stmt_t *s = db_prep(db, "SELECT target, target_key FROM notify_follows");
        while (db_step(s)) followed_add(db_text(s, 0), db_text(s, 1), 1);
        g_followed_on = db_ok(s);
        db_request_end(db);
    }
    if (!doc_subscribed(&org_kind, org_saved)) doc_subscribe(&org_kind, org_saved);
    if (!doc_subscribed(&event_kind, event_saved)) doc_subscribe(&event_kind, event_saved);
    if (!doc_subscribed(&obs_kind, obs_saved)) doc_subscribe(&obs_kind, obs_saved);
}

/* ---- subjects: title and link ---- */

static const char *pick_title(arena_t *a, json_t *t, const char *lang) {
    if (json_is_string(t)) return arena_strdup(a, json_string_value(t));
    const char *v = json_string_value(json_object_get(t, lang));
    const char *const order[] = {"sv", "nb", "en"};
    for (int i = 0; (!v || !*v) && i < 3; i++) v = json_string_value(json_object_get(t, order[i]));
    return arena_strdup(a, v ? v : "");
}

const char *notify_subject_title(db_t *db, arena_t *a, const char *subject, int64_t id, const char *lang) {
    json_t *d = NULL;
    const char *t = "";
    if (streq(subject, "event")) {
        d = event_load(db, id);
        if (d) t = pick_title(a, json_object_get(d, "title"), lang);
    } else if (streq(subject, "org")) {
        const char *n = org_name(db, a, id);
        t = n ? n : "";
    } else if (streq(subject, "obstacle")) {
        d = obs_load(db, a, id);
        if (d) t = pick_title(a, json_object_get(d, "title"), lang);
    } else if (streq(subject, "project")) {
        const char *n = proj_label(db, a, id, lang);
        t = n ? n : "";
    }
    json_decref(d);
    return t;
}

const char *notify_subject_url(arena_t *a, const char *subject, int64_t id) {
    if (streq(subject, "event")) return aprintf_text(a, "/events/%lld", (long long)id);
    if (streq(subject, "org")) return aprintf_text(a, "/organisations/%lld", (long long)id);
    if (streq(subject, "obstacle")) return aprintf_text(a, "/obstacles/%lld", (long long)id);
    if (streq(subject, "project")) return aprintf_text(a, "/projects/%lld", (long long)id);
    return "/inbox";
}

/* notify_item_view: what an item says to a reader in lang: its text, its detail (NULL for none)
 * and its link; the details stored as codes (a section, a status, a date) are rendered here */
void notify_item_view(db_t *db, arena_t *a, const char *kind, const char *subject, int64_t sid, const char *detail, const char *lang,
                      notify_view_t *v) {
    const char *title = notify_subject_title(db, a, subject, sid, lang);
    v->text = aprintf_text(a, FMT_AS("%s", notify_kind_text(kind, lang)), title);
    v->detail = detail;
    v->url = notify_subject_url(a, subject, sid);
    const struct kind *k = kind_of(kind);
    if (!k || !detail) return;
    const char *tab = strchr(detail, '\t');
    const char *head = tab ? arena_strndup(a, detail, (size_t)(tab - detail)) : detail, *rest = tab ? tab + 1 : NULL;
    switch (k->detail) {
    case D_TEXT: break;
    case D_SECTION: {
        const proj_section_t *sec = proj_section(head);
        if (!sec) break;
        const char *label = tr(lang, sec->label);
        v->detail = rest && *rest ? aprintf_text(a, "%s · %s", label, rest) : label;
        v->url = aprintf_text(a, "/projects/%lld/sections/%s", (long long)sid, sec->slug);
        break;
    }
    case D_PROJ_STATUS: v->detail = proj_status_label(detail, lang); break;
    case D_OBS_STATUS: v->detail = obs_status_label(detail, lang); break;
    case D_VERSION: {
        long long ver;
        if (!parse_int(detail, 1, INT32_MAX, &ver)) break;
        v->detail = aprintf_text(a, tr(lang, "version %lld"), ver);
        v->url = aprintf_text(a, "/projects/%lld/submitted/%lld", (long long)sid, ver);
        break;
    }
    case D_DEADLINE: {
        char iso[32];
        time_t t;
        snprintf(iso, sizeof iso, "%.10sT12:00:00Z", head);
        if (!parse_utc(iso, &t)) break;
        v->detail = rest && *rest ? aprintf_text(a, "%s: %s", fmt_date(a, lang, t), rest) : fmt_date(a, lang, t);
        break;
    }
    }
}

/* ---- inbox ---- */

json_t *notify_items_json(db_t *db, arena_t *a, int64_t user_id, const char *lang, bool mark, const char *only) {
    stmt_t *s = db_prep(db, "SELECT id, kind, subject, subject_id, detail, created_at, read_at FROM notify_items "
                            "WHERE user_id = :u AND (:only IS NULL OR subject = :only) ORDER BY id DESC LIMIT 100");
    db_bind_int(s, ":u", user_id);
    db_bind_text(s, ":only", only);
    struct row { int64_t id, sid; const char *kind, *subject, *detail, *at; bool read; } rows[100];
    int n = 0;
    while (n < 100 && db_step(s))
        rows[n++] = (struct row){db_int(s, 0), db_is_null(s, 3) ? 0 : db_int(s, 3), db_text_dup(s, 1, a), db_text_dup(s, 2, a),
                                 db_text_dup(s, 4, a), db_text_dup(s, 5, a), !db_is_null(s, 6)};
    db_reset(s);
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        struct row *r = &rows[i];
        notify_view_t v;
        notify_item_view(db, a, r->kind, r->subject, r->sid, r->detail, lang, &v);
        json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s?, s:s, s:b}", "id", (json_int_t)r->id, "kind", r->kind, "subject",
                              r->subject, "subject_id", (json_int_t)r->sid, "title", notify_subject_title(db, a, r->subject, r->sid, lang),
                              "text", v.text, "url", v.url, "detail", v.detail, "created_at", r->at, "read", r->read);
        if (streq(r->subject, "event")) json_object_set_new(o, "event", json_integer(r->sid));
        json_array_append_new(out, o);
    }
    if (mark && db_begin(db)) {
        s = db_prep(db, "UPDATE notify_items SET read_at = :now WHERE user_id = :u AND read_at IS NULL AND (:only IS NULL OR subject = :only)");
        db_bind_text(s, ":now", now_utc(a));
        db_bind_int(s, ":u", user_id);
        db_bind_text(s, ":only", only);
        if (!db_run(s) || !db_commit(db)) db_rollback(db);
    }
    return out;
}

int notify_unread(db_t *db, int64_t user_id) {
    stmt_t *s = db_prep(db, "SELECT count(*) FROM notify_items WHERE user_id = :u AND read_at IS NULL");
    db_bind_int(s, ":u", user_id);
    return (int)db_int_of(s, 0);
}

/* notify_mark_read: the user's items read (all, or those with id <= upto); false on error */
bool notify_mark_read(db_t *db, arena_t *a, int64_t uid, int64_t only_id) {
    if (!db_begin(db)) return false;
    stmt_t *s = db_prep(db, "UPDATE notify_items SET read_at = :now WHERE user_id = :u AND read_at IS NULL AND (:id = 0 OR id = :id)");
    db_bind_text(s, ":now", now_utc(a));
    db_bind_int(s, ":u", uid);
    db_bind_int(s, ":id", only_id);
    if (!db_run(s) || !db_commit(db)) { db_rollback(db); return false; }
    return true;
}

/* ---- following ---- */

static const char *const targets[] = {"org", "theme", "event", "series", "obstacle", "project", "search", NULL};

bool notify_target_valid(const char *t) {
    for (int i = 0; targets[i]; i++) if (streq(t, targets[i])) return true;
    return false;
}

bool notify_following(db_t *db, int64_t uid, const char *target, const char *key) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM notify_follows WHERE user_id = :u AND target = :t AND target_key = :k");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":t", target);
    db_bind_text(s, ":k", key);
    return db_int_of(s, 0) == 1;
}

bool notify_set_follow(db_t *db, arena_t *a, int64_t uid, const char *target, const char *key, bool on) {
    if (streq(target, "search")) return notify_search_follow(db, a, uid, key, on, "sv");   /* a saved search (searches.c) */
    if (!db_begin(db)) return false;
    stmt_t *s;
    if (on) {
        s = db_prep(db, "INSERT INTO notify_follows (user_id, target, target_key, created_at) VALUES (:u, :t, :k, :now) "
                        "ON CONFLICT DO NOTHING");
        db_bind_text(s, ":now", now_utc(a));
    } else s = db_prep(db, "DELETE FROM notify_follows WHERE user_id = :u AND target = :t AND target_key = :k");
    db_bind_int(s, ":u", uid);
    db_bind_text(s, ":t", target);
    db_bind_text(s, ":k", key);
    if (!db_run(s)) { db_rollback(db); return false; }
    bool changed = db_changes(db) == 1;
    if (!db_commit(db)) { db_rollback(db); return false; }
    if (changed) followed_add(target, key, on ? 1 : -1);
    return true;
}

json_t *notify_follows_json(db_t *db, int64_t uid) {
    stmt_t *s = db_prep(db, "SELECT target, target_key, created_at FROM notify_follows WHERE user_id = :u ORDER BY created_at, target, target_key");
    db_bind_int(s, ":u", uid);
    return doc_rows(s, "target,key,created_at");
}

/* ---- signed unsubscribe links ---- */

static bool key_of(db_t *db, unsigned char key[crypto_auth_KEYBYTES]) {
    stmt_t *s = db_prep(db, "SELECT key FROM notify_key WHERE id = 1");
    bool got = false;
    if (db_step(s) && db_text(s, 0)) {
        const char *h = db_text(s, 0);
        size_t n = 0;
        got = sodium_hex2bin(key, crypto_auth_KEYBYTES, h, strlen(h), NULL, &n, NULL) == 0 && n == crypto_auth_KEYBYTES;
    }
    db_reset(s);
    if (got) return true;
    unsigned char k[crypto_auth_KEYBYTES];
    crypto_auth_keygen(k);
    char hex[2 * crypto_auth_KEYBYTES + 1];
    sodium_bin2hex(hex, sizeof hex, k, sizeof k);
    if (!db_begin(db)) return false;
    s = db_prep(db, "INSERT INTO notify_key (id, key) VALUES (1, CAST(:k AS BLOB)) ON CONFLICT DO NOTHING");
    db_bind_text(s, ":k", hex);
    if (!db_run(s) || !db_commit(db)) { db_rollback(db); return false; }
    s = db_prep(db, "SELECT key FROM notify_key WHERE id = 1");
    if (db_step(s) && db_text(s, 0)) {
        const char *h = db_text(s, 0);
        size_t n = 0;
        got = sodium_hex2bin(key, crypto_auth_KEYBYTES, h, strlen(h), NULL, &n, NULL) == 0 && n == crypto_auth_KEYBYTES;
    }
    db_reset(s);
    return got;
}

static const char *mac_hex(db_t *db, arena_t *a, int64_t uid, const char *group) {
    unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
    if (!key_of(db, key)) return NULL;
    const char *msg = aprintf_text(a, "unsubscribe:%lld:%s", (long long)uid, group);
    crypto_auth(mac, (const unsigned char *)msg, strlen(msg), key);
    sodium_memzero(key, sizeof key);
    return hex_encode(a, mac, sizeof mac);
}

bool notify_token_ok(db_t *db, arena_t *a, int64_t uid, const char *group, const char *token) {
    unsigned char key[crypto_auth_KEYBYTES], mac[crypto_auth_BYTES];
    size_t n = 0;
    if (!token || strlen(token) != 2 * crypto_auth_BYTES ||
        sodium_hex2bin(mac, sizeof mac, token, strlen(token), NULL, &n, NULL) != 0 || n != sizeof mac || !key_of(db, key))
        return false;
    const char *msg = aprintf_text(a, "unsubscribe:%lld:%s", (long long)uid, group);
    bool ok = crypto_auth_verify(mac, (const unsigned char *)msg, strlen(msg), key) == 0;
    sodium_memzero(key, sizeof key);
    return ok;
}

const char *notify_public_url(void) {
    const char *u = getenv("GRANSLOS_PUBLIC_URL");
    return u && *u ? u : "http://127.0.0.1:8080";
}

/* notify_unsubscribe_url: the signed link for a user and a group ("all" for every mail) */
const char *notify_unsubscribe_url(db_t *db, arena_t *a, int64_t uid, const char *group) {
    const char *mac = mac_hex(db, a, uid, group);
    if (!mac) return NULL;
    const char *lang = NULL, *email = NULL;
    if (!account_contact(db, a, uid, &email, &lang, NULL) || !lang || !i18n_known(lang)) lang = "sv";
    return aprintf_text(a, "%s/unsubscribe?u=%lld&g=%s&t=%s&l=%s", notify_public_url(), (long long)uid, group, mac, i18n_canonical(lang));
}

/* notify_mail_headers: RFC 8058 List-Unsubscribe (https + mailto) and List-Unsubscribe-Post */
const char *notify_mail_headers(db_t *db, arena_t *a, int64_t uid, const char *group, const char *from) {
    const char *url = notify_unsubscribe_url(db, a, uid, group);
    if (!url) return NULL;
    const char *at = from ? strchr(from, '@') : NULL;
    const char *domain = at ? at + 1 : "localhost";
    size_t dl = strcspn(domain, ">\r\n ");
    return aprintf_text(a, "List-Unsubscribe: <%s>, <mailto:unsubscribe@%.*s?subject=unsubscribe-%lld-%s>\r\n"
                           "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                        url, (int)dl, domain, (long long)uid, group);
}

bool notify_unsubscribe(db_t *db, arena_t *a, int64_t uid, const char *group) {
    if (!db_begin(db)) return false;
    bool ok;
    if (streq(group, "all")) {
        stmt_t *s = db_prep(db, "INSERT INTO notify_settings (user_id, unsubscribed_at) VALUES (:u, :now) "
                                "ON CONFLICT (user_id) DO UPDATE SET unsubscribed_at = :now");
        db_bind_int(s, ":u", uid);
        db_bind_text(s, ":now", now_utc(a));
        ok = db_run(s);
    } else ok = notify_set_mode(db, uid, group, "never");
    /* what is still waiting is not mailed any more */
    stmt_t *s = db_prep(db, "UPDATE notify_items SET mail_status = 'none' WHERE user_id = :u AND mail_status = 'pending'");
    db_bind_int(s, ":u", uid);
    if (ok && streq(group, "all")) ok = db_run(s);
    if (!ok || !db_commit(db)) { db_rollback(db); return false; }
    return true;
}

/* ---- immediate mail ---- */

int notify_deliver(db_t *db, const char *url, const char *from, long retry_base) {
    arena_t *a = arena_new();
    stmt_t *s = db_prep(db, "SELECT id, user_id, kind, subject, subject_id, detail, attempts FROM notify_items "
                            "WHERE mail_status = 'pending' AND mode = 'immediately' AND next_try <= :now ORDER BY id LIMIT 20");
    db_bind_int(s, ":now", now_unix());
    struct row { int64_t id, uid, sid; const char *kind, *subject, *detail; int attempts; } rows[20];
    int n = 0;
    while (n < 20 && db_step(s))
        rows[n++] = (struct row){db_int(s, 0), db_int(s, 1), db_is_null(s, 4) ? 0 : db_int(s, 4), db_text_dup(s, 2, a),
                                 db_text_dup(s, 3, a), db_text_dup(s, 5, a), (int)db_int(s, 6)};
    db_reset(s);
    static const char *const claim = "UPDATE notify_items SET next_try = :lease WHERE id = :id AND mail_status = 'pending' AND next_try <= :now";
    for (int i = 0; i < n; i++) {
        struct row *r = &rows[i];
        if (!mail_claim(db, claim, r->id)) continue;   /* another node's sender has it */
        const char *email = NULL, *lang = NULL, *err = NULL;
        long code = 0;
        bool permanent = false;
        if (!account_contact(db, a, r->uid, &email, &lang, NULL)) { err = "the user has no e-mail address any more"; permanent = true; }
        else if (mail_suppressed(db, email)) { err = "the address is suppressed after permanent failures"; permanent = true; }
        else {
            lang = lang && i18n_known(lang) ? i18n_canonical(lang) : "sv";
            notify_view_t v;
            notify_item_view(db, a, r->kind, r->subject, r->sid, r->detail, lang, &v);
            const char *group = notify_group_of(r->kind);
            notify_mail_t m;
            notify_mail_begin(&m, db, a, r->uid, lang, group);
            notify_mail_item(&m, v.text, v.detail, v.url);
            notify_mail_end(&m);
            err = mail_send_full(a, url, from, email, aprintf_text(a, "Gränslös: %s", v.text), m.text.data, m.html.data,
                                 notify_mail_headers(db, a, r->uid, group, from), aprintf_text(a, "notification-%lld", (long long)r->id), &code);
            if (err && code >= 500) { permanent = true; err = aprintf_text(a, "%s (SMTP %ld)", err, code); }
        }
        static const char *const mark[3] = {
            "UPDATE notify_items SET mail_status = 'sent', attempts = :a, last_error = NULL WHERE id = :id",
            "UPDATE notify_items SET mail_status = 'failed', attempts = :a, last_error = :e WHERE id = :id",
            "UPDATE notify_items SET attempts = :a, last_error = :e, next_try = :next WHERE id = :id"};
        int attempts = r->attempts + 1;
        mail_attempt_done(db, mark, r->id, attempts, err, permanent, code, email, retry_base);
        if (err) log_msg("mail: notification %lld to user: %s (attempt %d)", (long long)r->id, err, attempts);
    }
    arena_free(a);
    return n;
}

/* ---- personal data ---- */

json_t *notify_personal_data(db_t *db, int64_t uid) {
    return json_pack("{s:o, s:o, s:o, s:o, s:o}",
        "notifications", doc_user_rows(db, "SELECT subject_id, kind, subject, detail, created_at, read_at, mail_status FROM notify_items "
                                           "WHERE user_id = :u ORDER BY id", uid, "event,kind,subject,detail,created_at,read_at,mail"),
        "follows", doc_user_rows(db, "SELECT target, target_key, created_at FROM notify_follows WHERE user_id = :u ORDER BY created_at",
                                 uid, "target,key,created_at"),
        "notification_preferences", doc_user_rows(db, "SELECT kind, mode FROM notify_prefs WHERE user_id = :u ORDER BY kind", uid, "kind,mode"),
        "digests", doc_user_rows(db, "SELECT period, period_key, items, created_at FROM notify_digests WHERE user_id = :u ORDER BY id",
                                 uid, "period,key,items,created_at"),
        "saved_searches", doc_user_rows(db, "SELECT scope, path, query, name, notify, created_at FROM notify_searches WHERE user_id = :u ORDER BY id",
                                        uid, "scope,path,query,name,notify,created_at"));
}

bool notify_forget_user(db_t *db, arena_t *a, int64_t uid) {
    (void)a;
    static const char *const sql[] = {
        "DELETE FROM notify_items WHERE user_id = :u",
        "DELETE FROM notify_follows WHERE user_id = :u",
        "DELETE FROM notify_prefs WHERE user_id = :u",
        "DELETE FROM notify_settings WHERE user_id = :u",
        "DELETE FROM notify_digests WHERE user_id = :u",
        "DELETE FROM notify_search_hits WHERE search_id IN (SELECT id FROM notify_searches WHERE user_id = :u)",
        "DELETE FROM notify_searches WHERE user_id = :u",
    };
    for (size_t i = 0; i < sizeof sql / sizeof *sql; i++) {
        stmt_t *s = db_prep_static(db, sql[i]);
        db_bind_int(s, ":u", uid);
        if (!db_run(s)) return false;
    }
    return true;
}
