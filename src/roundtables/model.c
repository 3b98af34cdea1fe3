/* Roundtables: tables, questions, bullets, the report assembled from them, the importer and the
 * action plan (roundtables.h). Every write is one transaction: on any error nothing is kept. */
#include "roundtables/roundtables.h"
#include <stdlib.h>
#include <string.h>
#include "account/auth.h"
#include "core/util.h"
#include "http/api.h"
#include "doc/doc.h"
#include "events/events.h"
#include "i18n/i18n.h"
#include "obstacles/obstacles.h"
#include "org/org.h"
#include "ref/ref.h"

const char *const rt_bullet_types[3] = {"next-step", "challenge", "support"};
const char *const rt_action_statuses[5] = {"proposed", "agreed", "in-progress", "done", "dropped"};

const char *rt_type_label(const char *type, const char *lang) {
    if (streq(type, "next-step")) return tr(lang, "Next step");
    if (streq(type, "challenge")) return tr(lang, "Challenge");
    if (streq(type, "support")) return tr(lang, "Support wanted");
    return "";
}

const char *rt_action_status_label(const char *s, const char *lang) {
    if (streq(s, "proposed")) return tr(lang, "Proposed");
    if (streq(s, "agreed")) return tr(lang, "Agreed");
    if (streq(s, "in-progress")) return tr(lang, "In progress");
    if (streq(s, "done")) return tr(lang, "Done");
    if (streq(s, "dropped")) return tr(lang, "Dropped");
    return s ? s : "";
}

/* the allowed moves of an action item: forward through the plan, dropped from anywhere but done,
 * and back one step (reopening done or dropped work) */
bool rt_action_move_allowed(const char *from, const char *to) {
    static const char *const moves[][2] = {
        {"proposed", "agreed"}, {"proposed", "dropped"}, {"agreed", "in-progress"}, {"agreed", "done"},
        {"agreed", "dropped"},  {"agreed", "proposed"},  {"in-progress", "done"},   {"in-progress", "dropped"},
        {"in-progress", "agreed"}, {"done", "in-progress"}, {"dropped", "proposed"},
    };
    for (size_t i = 0; i < sizeof moves / sizeof *moves; i++)
        if (streq(moves[i][0], from) && streq(moves[i][1], to)) return true;
    return false;
}

static bool one_of(const char *const *l, int n, const char *s) {
    for (int i = 0; i < n; i++) if (streq(l[i], s)) return true;
    return false;
}

json_t *rt_default_questions(void) {
    return json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]",
                     "sv", "Vilka konkreta aktiviteter ser ni som nästa steg?",
                     "nb", "Hvilke konkrete aktiviteter ser dere som neste steg?",
                     "en", "What concrete activities do you see as next steps?",
                     "sv", "Vilka utmaningar finns det för samarbetet idag?",
                     "nb", "Hvilke utfordringer finnes det for samarbeidet i dag?",
                     "en", "What challenges does the cooperation face today?",
                     "sv", "Vilket stöd från nationella regeringar skulle kunna underlätta dessa utmaningar?",
                     "nb", "Hvilken støtte fra nasjonale myndigheter kunne gjøre disse utfordringene lettere?",
                     "en", "What support from the national governments could ease these challenges?");
}

/* ---- validation helpers ---- */
static void err(json_t **errors, const char *lang, const char *field, const char *msgid) {
    if (!*errors) *errors = json_object();
    if (!json_object_get(*errors, field)) json_object_set_new(*errors, field, json_string(tr(lang, msgid)));
}

/* one_line: s trimmed, runs of white space (newlines too) made one space, in the arena */
static char *one_line(arena_t *a, const char *s) {
    size_t n = strlen(s);
    char *o = arena_alloc(a, n + 1);
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') { space = true; continue; }
        if (c < 0x20 || c == 0x7f) continue; /* other control characters */
        if (space && k) o[k++] = ' ';
        space = false;
        o[k++] = (char)c;
    }
    o[k] = 0;
    return o;
}

/* text_field: a required or optional one-line text of at most max code points; NULL when
 * absent or invalid (error set when invalid or required and missing) */
static const char *text_field(arena_t *a, json_t **errors, const char *lang, json_t *in, const char *field, size_t max, bool required,
                              const char *missing) {
    json_t *v = json_object_get(in, field);
    if (!v || json_is_null(v)) { if (required) err(errors, lang, field, missing); return NULL; }
    if (!json_is_string(v)) { err(errors, lang, field, "This field must be text."); return NULL; }
    char *s = one_line(a, json_string_value(v));
    if (!*s) { if (required) err(errors, lang, field, missing); return NULL; }
    if (!check_text(s, true)) { err(errors, lang, field, "This text contains control characters."); return NULL; } /* C1, bidi overrides */
    if (utf8_len(s) > max) { err(errors, lang, field, max == RT_MAX_BULLET ? "A bullet may have at most 2000 characters." : "This text is too long (at most 500 characters)."); return NULL; }
    return s;
}

static bool theme_known(db_t *db, arena_t *a, const char *slug) {
    int n;
    theme_t *t = ref_themes(db, a, "en", &n);
    for (int i = 0; i < n; i++) if (streq(t[i].slug, slug)) return true;
    return false;
}

static void unknown_fields(json_t *in, const char *const *known, json_t **errors, const char *lang) {
    const char *k;
    json_t *v;
    json_object_foreach(in, k, v) {
        bool ok = false;
        for (const char *const *p = known; *p; p++) if (!strcmp(*p, k)) ok = true;
        if (!ok) err(errors, lang, k, "This field is unknown.");
    }
}

/* ---- the event's texts and question set ---- */
static json_t *load_json(const char *s) { return s ? json_loads(s, 0, NULL) : NULL; }

json_t *rt_event_get(db_t *db, int64_t event_id) {
    stmt_t *s = db_prep(db, "SELECT intro, outro, questions FROM rt_events WHERE event_id = :e");
    db_bind_int(s, ":e", event_id);
    json_t *intro = NULL, *outro = NULL, *q = NULL;
    if (db_step(s)) { intro = load_json(db_text(s, 0)); outro = load_json(db_text(s, 1)); q = load_json(db_text(s, 2)); }
    db_reset(s);
    bool custom = json_is_array(q);
    if (!custom) { json_decref(q); q = rt_default_questions(); }
    return json_pack("{s:o, s:o, s:o, s:b}", "intro", json_is_array(intro) ? intro : json_array(), "outro",
                     json_is_array(outro) ? outro : json_array(), "questions", q, "custom_questions", custom);
}

static json_t *clean_paras(arena_t *a, json_t **errors, const char *lang, json_t *v, const char *field) {
    if (!json_is_array(v) || json_array_size(v) > RT_MAX_PARAS) { err(errors, lang, field, "This field must be a list of paragraphs."); return NULL; }
    json_t *out = json_array();
    size_t i;
    json_t *p;
    json_array_foreach(v, i, p) {
        if (!json_is_string(p)) { err(errors, lang, field, "This field must be a list of paragraphs."); break; }
        char *s = one_line(a, json_string_value(p));
        if (utf8_len(s) > 10000) { err(errors, lang, field, "A paragraph may have at most 10 000 characters."); break; }
        if (*s) json_array_append_new(out, json_string(s));
    }
    return out;
}

/* clean_question: a question as text (all languages) or {sv, nb, en} (at least one) */
static json_t *clean_question(arena_t *a, json_t **errors, const char *lang, json_t *v, const char *field) {
    if (json_is_string(v)) {
        char *s = one_line(a, json_string_value(v));
        if (!*s || utf8_len(s) > RT_MAX_TEXT) { err(errors, lang, field, "Each question is a text of 1 to 500 characters, or an object with sv, nb and en."); return NULL; }
        return json_pack("{s:s}", "text", s);
    }
    if (!json_is_object(v)) { err(errors, lang, field, "Each question is a text of 1 to 500 characters, or an object with sv, nb and en."); return NULL; }
    json_t *o = json_object();
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) {
        if (strcmp(k, "sv") && strcmp(k, "nb") && strcmp(k, "en")) { err(errors, lang, field, "Each question is a text of 1 to 500 characters, or an object with sv, nb and en."); continue; }
        if (!json_is_string(x)) { err(errors, lang, field, "This field must be text."); continue; }
        char *s = one_line(a, json_string_value(x));
        if (utf8_len(s) > RT_MAX_TEXT) { err(errors, lang, field, "Each question is a text of 1 to 500 characters, or an object with sv, nb and en."); continue; }
        if (*s) json_object_set_new(o, k, json_string(s));
    }
    if (!json_object_size(o)) { err(errors, lang, field, "Each question is a text of 1 to 500 characters, or an object with sv, nb and en."); json_decref(o); return NULL; }
    return o;
}

static json_t *clean_questions(arena_t *a, json_t **errors, const char *lang, json_t *v) {
    if (!json_is_array(v) || !json_array_size(v) || json_array_size(v) > RT_MAX_QUESTIONS) {
        err(errors, lang, "questions", "Give one to ten questions.");
        return NULL;
    }
    json_t *out = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(v, i, q) {
        json_t *c = clean_question(a, errors, lang, q, "questions");
        if (c) json_array_append_new(out, c);
    }
    return out;
}

static void own_json(arena_t *a, json_t *j);

int rt_event_set(db_t *db, arena_t *a, const char *lang, int64_t event_id, json_t *in, json_t **errors) {
    *errors = NULL;
    static const char *const known[] = {"intro", "outro", "questions", NULL};
    unknown_fields(in, known, errors, lang);
    json_t *cur = rt_event_get(db, event_id);
    own_json(a, cur);
    json_t *intro = json_object_get(cur, "intro"), *outro = json_object_get(cur, "outro");
    json_t *q = json_is_true(json_object_get(cur, "custom_questions")) ? json_object_get(cur, "questions") : NULL;
    json_t *v;
    if ((v = json_object_get(in, "intro"))) own_json(a, intro = clean_paras(a, errors, lang, v, "intro"));
    if ((v = json_object_get(in, "outro"))) own_json(a, outro = clean_paras(a, errors, lang, v, "outro"));
    if ((v = json_object_get(in, "questions"))) {
        if (json_is_null(v)) q = NULL;
        else own_json(a, q = clean_questions(a, errors, lang, v));
    }
    if (*errors) return 422;
    char *si = json_dumps(intro, JSON_COMPACT), *so = json_dumps(outro, JSON_COMPACT), *sq = q ? json_dumps(q, JSON_COMPACT) : NULL;
    stmt_t *s = db_prep(db, "INSERT INTO rt_events (event_id, intro, outro, questions, updated_at) VALUES (:e, :i, :o, :q, :now) "
                            "ON CONFLICT (event_id) DO UPDATE SET intro = :i, outro = :o, questions = :q, updated_at = :now");
    db_binds(s, DB_INT(":e", event_id), DB_TEXT(":i", si), DB_TEXT(":o", so), DB_TEXT(":q", sq), DB_TEXT(":now", now_utc(a)));
    bool ok = db_run(s);
    free(si); free(so); free(sq);
    return ok ? 0 : 500;
}

static void jfree(void *p) { json_decref(p); }
static void own_json(arena_t *a, json_t *j) { if (j) arena_on_free(a, jfree, j); }

/* ---- tables ---- */
/* split_hosts_text: names in "A, B och C" (commas and och/og/and), like report.c's reading; a
 * name that names one organisation on the platform is linked to it (org_resolve_name) */
static json_t *split_hosts_text(db_t *db, arena_t *a, const char *s) {
    json_t *out = json_array();
    const char *p = s;
    while (*p) {
        const char *best = NULL;
        size_t skip = 0;
        static const char *const seps[] = {", ", " och ", " og ", " and ", NULL};
        for (int i = 0; seps[i]; i++) {
            const char *f = strstr(p, seps[i]);
            if (f && (!best || f < best)) { best = f; skip = strlen(seps[i]); }
        }
        size_t n = best ? (size_t)(best - p) : strlen(p);
        char *name = trim(a, aprintf_text(a, "%.*s", (int)n, p));
        if (*name) {
            int64_t org = org_resolve_name(db, a, name, "sv");
            json_array_append_new(out, json_pack("{s:s, s:o}", "name", name, "org", org ? json_integer(org) : json_null()));
        }
        p = best ? best + skip : p + n;
    }
    return out;
}

/* clean_hosts: *hosts [{name, org}] and *text from the input; false with errors set */
static bool clean_hosts(db_t *db, arena_t *a, json_t **errors, const char *lang, json_t *v, json_t **hosts, const char **text, const char *andw) {
    *hosts = NULL;
    *text = NULL;
    if (json_is_string(v)) {
        char *s = one_line(a, json_string_value(v));
        if (!*s) { err(errors, lang, "hosts", "Name at least one host organisation."); return false; }
        if (utf8_len(s) > RT_MAX_TEXT) { err(errors, lang, "hosts", "This text is too long (at most 500 characters)."); return false; }
        *hosts = split_hosts_text(db, a, s);
        own_json(a, *hosts);
        *text = s;
        if (!json_array_size(*hosts)) { err(errors, lang, "hosts", "Name at least one host organisation."); return false; }
        return true;
    }
    if (!json_is_array(v) || !json_array_size(v)) { err(errors, lang, "hosts", "Name at least one host organisation."); return false; }
    if (json_array_size(v) > RT_MAX_HOSTS) { err(errors, lang, "hosts", "A table has at most ten hosts."); return false; }
    json_t *out = json_array();
    own_json(a, out);
    buf_t b;
    buf_init(&b, a);
    size_t i;
    json_t *h;
    json_array_foreach(v, i, h) {
        const char *name = NULL;
        int64_t org = 0;
        if (json_is_string(h)) {   /* a name: the organisation it names, if one does */
            name = one_line(a, json_string_value(h));
            org = org_resolve_name(db, a, name, lang);
        }
        else if (json_is_integer(h)) org = json_integer_value(h);
        else if (json_is_object(h)) {
            json_t *o = json_object_get(h, "org");
            if (json_is_integer(o)) org = json_integer_value(o);
            else if (o && !json_is_null(o)) { err(errors, lang, "hosts", "There is no such organisation."); return false; }
            if (json_is_string(json_object_get(h, "name"))) name = one_line(a, json_string_value(json_object_get(h, "name")));
        } else { err(errors, lang, "hosts", "Each host is a name or an organisation: {\"org\": id}."); return false; }
        if (org) {
            if (!org_exists(db, org)) { err(errors, lang, "hosts", "There is no such organisation."); return false; }
            if (!name || !*name) name = org_name(db, a, org);
        }
        if (!name || !*name || utf8_len(name) > 200) { err(errors, lang, "hosts", "Each host is a name or an organisation: {\"org\": id}."); return false; }
        json_t *e = json_pack("{s:s}", "name", name);
        json_object_set_new(e, "org", org ? json_integer(org) : json_null());
        json_array_append_new(out, e);
        bprintf_text(&b, "%s%s", i ? (i + 1 == json_array_size(v) ? andw : ", ") : "", name);
    }
    *hosts = out;
    *text = b.data;
    return true;
}

static const char *new_token(arena_t *a) {
    /* 12 characters of a 256-bit base64url token: 72 bits, short enough to type from a screen */
    return aprintf_text(a, "%.12s", random_token(a));
}

static bool write_hosts(db_t *db, int64_t table_id, json_t *hosts) {
    if (!db_run_for(db_prep(db, "DELETE FROM rt_hosts WHERE table_id = :t"), ":t", table_id)) return false;
    size_t i;
    json_t *h;
    json_array_foreach(hosts, i, h) {
        stmt_t *s = db_prep(db, "INSERT INTO rt_hosts (table_id, pos, name, org_id) VALUES (:t, :p, :n, :o)");
        db_bind_int(s, ":t", table_id);
        db_bind_int(s, ":p", (int64_t)i);
        db_bind_text(s, ":n", json_string_value(json_object_get(h, "name")));
        doc_bind_int(s, ":o", json_object_get(h, "org"));
        if (!db_run(s)) return false;
    }
    return true;
}

static bool add_question(db_t *db, int64_t table_id, int pos, json_t *q, const char *qlang) {
    const char *text = json_string_value(json_object_get(q, "text"));
    if (!text) text = json_string_value(json_object_get(q, qlang));
    for (int i = 0; !text && i < 3; i++) text = json_string_value(json_object_get(q, i18n_langs[i]));
    stmt_t *s = db_prep(db, "INSERT INTO rt_questions (table_id, pos, text, text_sv, text_nb, text_en) VALUES (:t, :p, :x, :sv, :nb, :en)");
    db_binds(s, DB_INT(":t", table_id), DB_INT(":p", pos), DB_TEXT(":x", text), DB_TEXT(":sv", json_string_value(json_object_get(q, "sv"))),
                DB_TEXT(":nb", json_string_value(json_object_get(q, "nb"))), DB_TEXT(":en", json_string_value(json_object_get(q, "en"))));
    return db_run(s);
}

int64_t rt_table_save(db_t *db, arena_t *a, const char *lang, int64_t event_id, int64_t id, json_t *in, int64_t user_id,
                      json_t **errors) {
    *errors = NULL;
    static const char *const known[] = {"hosts", "label", "theme", "moderator", "questions", NULL};
    unknown_fields(in, known, errors, lang);
    json_t *hosts = NULL;
    const char *hosts_text = NULL;
    json_t *hv = json_object_get(in, "hosts");
    /* the stored label and "and" are the words the report prints, in the event's language (pages
     * render their own label); a label given (an imported report's) is kept */
    static const char *const words[3][3] = {{"Värd", "Värdar", " och "}, {"Vert", "Verter", " og "}, {"Host", "Hosts", " and "}}; /* label, plural, "and" */
    json_t *evd = event_load(db, event_id);
    own_json(a, evd);
    const char *el = json_string_value(json_object_get(evd, "language"));
    if (!el || strlen(el) != 2) el = streq(json_string_value(json_object_get(evd, "country")), "NO") ? "nb" : "sv";
    int wl = streq(el, "nb") ? 1 : streq(el, "en") ? 2 : 0;
    const char *label = text_field(a, errors, lang, in, "label", 20, false, NULL);
    if (label && !one_of((const char *const[]){"Värd", "Värdar", "Vert", "Verter", "Host", "Hosts"}, 6, label))
        err(errors, lang, "label", "The label is one of Värd, Värdar, Vert, Verter, Host or Hosts.");
    for (int k = 0; label && k < 3; k++) if (streq(label, words[k][0]) || streq(label, words[k][1])) wl = k;
    if (hv || !id) clean_hosts(db, a, errors, lang, hv, &hosts, &hosts_text, words[wl][2]);
    if (!label && hosts) label = words[wl][0];   /* the report's own word: the conference wrote "Värd" for one or several */
    const char *theme = text_field(a, errors, lang, in, "theme", 40, false, NULL);
    if (theme && !theme_known(db, a, theme)) err(errors, lang, "theme", "There is no such theme.");
    const char *moderator = text_field(a, errors, lang, in, "moderator", RT_MAX_TEXT, false, NULL);
    json_t *qs = NULL;
    json_t *qv = json_object_get(in, "questions");
    if (qv && id) err(errors, lang, "questions", "The questions of a table are set when it is created.");
    else if (qv) own_json(a, qs = clean_questions(a, errors, lang, qv));
    if (*errors) return 0;
    if (!qs) {
        json_t *ev = rt_event_get(db, event_id);
        own_json(a, ev);
        qs = json_object_get(ev, "questions");
    }
    if (!db_begin(db)) return 0;
    stmt_t *s;
    if (!id) {
        s = db_prep(db, "INSERT INTO roundtables (event_id, pos, label, hosts_text, theme, moderator, token, created_by, created_at) "
                        "VALUES (:e, (SELECT coalesce(max(pos), -1) + 1 FROM roundtables WHERE event_id = :e), :l, :h, :th, :m, :tok, :u, :now)");
        db_binds(s, DB_INT(":e", event_id), DB_TEXT(":l", label ? label : "Värd"), DB_TEXT(":h", hosts_text), DB_TEXT(":th", theme),
                    DB_TEXT(":m", moderator), DB_TEXT(":tok", new_token(a)), DB_ID(":u", user_id), DB_TEXT(":now", now_utc(a)));
        if (!db_run(s)) goto fail;
        id = db_last_id(db);
        size_t i;
        json_t *q;
        json_array_foreach(qs, i, q) if (!add_question(db, id, (int)i, q, "sv")) goto fail;
    } else {
        s = db_prep(db, "UPDATE roundtables SET label = coalesce(:l, label), hosts_text = coalesce(:h, hosts_text), "
                        "theme = CASE WHEN :setth THEN :th ELSE theme END, moderator = CASE WHEN :setm THEN :m ELSE moderator END WHERE id = :id");
        db_binds(s, DB_INT(":id", id), DB_TEXT(":l", label), DB_TEXT(":h", hosts_text),
                    DB_INT(":setth", json_object_get(in, "theme") != NULL), DB_TEXT(":th", theme),
                    DB_INT(":setm", json_object_get(in, "moderator") != NULL), DB_TEXT(":m", moderator));
        if (!db_run(s)) goto fail;
    }
    if (hosts && (!write_hosts(db, id, hosts) || !rt_named_sync(db, a, "host", id, user_id))) goto fail; /* issue 11 */
    if (!db_commit(db)) goto fail;
    return id;
fail:
    db_rollback(db);
    return 0;
}

bool rt_table_delete(db_t *db, int64_t id) {
    if (!db_begin(db)) return false;
    static const char *const sql[] = {
        "DELETE FROM rt_action_log WHERE action_id IN (SELECT a.id FROM rt_actions a JOIN rt_bullets b ON b.id = a.bullet_id WHERE b.table_id = :t)",
        "DELETE FROM rt_action_owners WHERE action_id IN (SELECT a.id FROM rt_actions a JOIN rt_bullets b ON b.id = a.bullet_id WHERE b.table_id = :t)",
        "DELETE FROM rt_named_confirmed WHERE kind = 'owner' AND ref IN (SELECT a.id FROM rt_actions a JOIN rt_bullets b ON b.id = a.bullet_id WHERE b.table_id = :t)",
        "DELETE FROM rt_named_confirmed WHERE kind = 'host' AND ref = :t",
        "DELETE FROM rt_actions WHERE bullet_id IN (SELECT id FROM rt_bullets WHERE table_id = :t)",
        "DELETE FROM rt_bullet_orgs WHERE bullet_id IN (SELECT id FROM rt_bullets WHERE table_id = :t)",
        "UPDATE rt_bullets SET merged_into = NULL WHERE table_id = :t",
        "DELETE FROM rt_bullets WHERE table_id = :t",
        "DELETE FROM rt_questions WHERE table_id = :t",
        "DELETE FROM rt_hosts WHERE table_id = :t",
        "DELETE FROM roundtables WHERE id = :t",
    };
    if (!db_run_each(db, sql, ":t", id)) { db_rollback(db); return false; }
    return db_commit(db);
}

int64_t rt_table_event(db_t *db, int64_t table_id) {
    return db_int_for(db_prep(db, "SELECT event_id FROM roundtables WHERE id = :id"), ":id", table_id);
}

int64_t rt_table_by_token(db_t *db, const char *token) {
    if (!token || strlen(token) != 12) return 0;
    return db_int_for_text(db_prep(db, "SELECT id FROM roundtables WHERE token = :t"), ":t", token);
}

int64_t rt_bullet_table(db_t *db, int64_t id) {
    return db_int_for(db_prep(db, "SELECT table_id FROM rt_bullets WHERE id = :id"), ":id", id);
}

int64_t rt_question_table(db_t *db, int64_t id) {
    return db_int_for(db_prep(db, "SELECT table_id FROM rt_questions WHERE id = :id"), ":id", id);
}

bool rt_can_host(db_t *db, const user_t *u, int64_t table_id) {
    if (!u) return false;
    int64_t ev = rt_table_event(db, table_id);
    if (!ev) return false;
    if (event_can_edit(db, u, ev)) return true;
    stmt_t *s = db_prep(db, "SELECT org_id FROM rt_hosts WHERE table_id = :t AND org_id IS NOT NULL ORDER BY pos");
    db_bind_int(s, ":t", table_id);
    int64_t orgs[RT_MAX_HOSTS];
    int n = 0;
    while (db_step(s) && n < RT_MAX_HOSTS) orgs[n++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < n; i++) if (org_can_edit(db, u, orgs[i])) return true;
    return false;
}

static json_t *bullet_orgs(db_t *db, int64_t id) {
    json_t *a = json_array();
    stmt_t *s = db_prep(db, "SELECT org_id FROM rt_bullet_orgs WHERE bullet_id = :b ORDER BY org_id");
    db_bind_int(s, ":b", id);
    while (db_step(s)) json_array_append_new(a, json_integer(db_int(s, 0)));
    db_reset(s);
    return a;
}

static int64_t action_of(db_t *db, int64_t bullet) {
    return db_int_for(db_prep(db, "SELECT id FROM rt_actions WHERE bullet_id = :b"), ":b", bullet);
}

/* bullet_row: the bullet at the statement's row (columns of BULLET_COLS) */
#define BULLET_COLS "id, table_id, question_id, pos, text, status, type, themes, merged_into, source, created_at, updated_at, version"
static json_t *bullet_row(stmt_t *s) {
    json_t *b = json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:s, s:s}", "id", (json_int_t)db_int(s, 0), "table",
                          (json_int_t)db_int(s, 1), "question", (json_int_t)db_int(s, 2), "pos", (json_int_t)db_int(s, 3), "text",
                          db_text(s, 4), "status", db_text(s, 5), "type", db_is_null(s, 6) ? json_null() : json_string(db_text(s, 6)),
                          "themes", json_split(db_text(s, 7), ','), "merged_into", db_is_null(s, 8) ? json_null() : json_integer(db_int(s, 8)),
                          "source", db_text(s, 9), "created_at", db_text(s, 10), "updated_at", db_text(s, 11));
    json_object_set_new(b, "version", json_integer(db_int(s, 12)));
    return b;
}

static void bullet_extras(db_t *db, json_t *b) {
    int64_t id = json_integer_value(json_object_get(b, "id"));
    json_object_set_new(b, "organisations", bullet_orgs(db, id));
    int64_t act = action_of(db, id);
    json_object_set_new(b, "action", act ? json_integer(act) : json_null());
}

json_t *rt_bullet_load(db_t *db, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT " BULLET_COLS " FROM rt_bullets WHERE id = :id");
    db_bind_int(s, ":id", id);
    json_t *b = db_step(s) ? bullet_row(s) : NULL;
    db_reset(s);
    if (b) bullet_extras(db, b);
    return b;
}

json_t *rt_table_load(db_t *db, int64_t id, bool with_private) {
    stmt_t *s = db_prep(db, "SELECT id, event_id, pos, label, hosts_text, theme, moderator, token, created_at FROM roundtables WHERE id = :id");
    db_bind_int(s, ":id", id);
    if (!db_step(s)) { db_reset(s); return NULL; }
    json_t *t = json_pack("{s:I, s:I, s:I, s:s, s:s, s:o, s:o, s:s}", "id", (json_int_t)db_int(s, 0), "event", (json_int_t)db_int(s, 1),
                          "pos", (json_int_t)db_int(s, 2), "label", db_text(s, 3), "hosts_text", db_text(s, 4), "theme",
                          db_is_null(s, 5) ? json_null() : json_string(db_text(s, 5)), "moderator",
                          db_is_null(s, 6) ? json_null() : json_string(db_text(s, 6)), "created_at", db_text(s, 8));
    if (with_private) json_object_set_new(t, "token", json_string(db_text(s, 7)));
    db_reset(s);
    json_t *hosts = json_array();
    s = db_prep(db, "SELECT name, org_id FROM rt_hosts WHERE table_id = :t ORDER BY pos");
    db_bind_int(s, ":t", id);
    while (db_step(s)) {
        json_t *h = json_pack("{s:s}", "name", db_text(s, 0));
        json_object_set_new(h, "org", db_is_null(s, 1) ? json_null() : json_integer(db_int(s, 1)));
        if (!db_is_null(s, 1)) json_object_set_new(h, "confirmed", json_boolean(rt_named_confirmed(db, "host", id, db_int(s, 1))));
        json_array_append_new(hosts, h);
    }
    db_reset(s);
    json_object_set_new(t, "hosts", hosts);
    json_t *qs = json_array();
    s = db_prep(db, "SELECT id, text, text_sv, text_nb, text_en FROM rt_questions WHERE table_id = :t ORDER BY pos, id");
    db_bind_int(s, ":t", id);
    while (db_step(s)) {
        json_t *q = json_pack("{s:I, s:s, s:o, s:o, s:o, s:[]}", "id", (json_int_t)db_int(s, 0), "text", db_text(s, 1), "text_sv",
                              db_is_null(s, 2) ? json_null() : json_string(db_text(s, 2)), "text_nb",
                              db_is_null(s, 3) ? json_null() : json_string(db_text(s, 3)), "text_en",
                              db_is_null(s, 4) ? json_null() : json_string(db_text(s, 4)), "bullets");
        json_array_append_new(qs, q);
    }
    db_reset(s);
    size_t i;
    json_t *q;
    json_array_foreach(qs, i, q) {
        json_t *bl = json_object_get(q, "bullets");
        s = db_prep(db, "SELECT " BULLET_COLS " FROM rt_bullets WHERE question_id = :q AND (:all OR status = 'approved') "
                        "ORDER BY (status = 'merged'), pos, id");
        db_bind_int(s, ":q", json_integer_value(json_object_get(q, "id")));
        db_bind_int(s, ":all", with_private);
        while (db_step(s)) json_array_append_new(bl, bullet_row(s));
        db_reset(s);
        size_t j;
        json_t *b;
        json_array_foreach(bl, j, b) bullet_extras(db, b);
    }
    json_object_set_new(t, "questions", qs);
    return t;
}

/* id_list: the ids that `ids` gives for its one parameter (name = v), at most as many as `count`
 * (the same parameter) counts, in the arena; *n of them */
static int64_t *id_list(arena_t *a, stmt_t *count, stmt_t *ids, const char *name, int64_t v, int *n) {
    int cap = (int)db_int_for(count, name, v);
    int64_t *out = arena_alloc(a, sizeof(int64_t) * (size_t)(cap + 1));
    *n = 0;
    db_bind_int(ids, name, v);
    while (db_step(ids) && *n < cap) out[(*n)++] = db_int(ids, 0);
    db_reset(ids);
    return out;
}

int64_t *rt_table_ids(db_t *db, arena_t *a, int64_t event_id, int *n) {
    return id_list(a, db_prep(db, "SELECT count(*) FROM roundtables WHERE event_id = :e"),
                   db_prep(db, "SELECT id FROM roundtables WHERE event_id = :e ORDER BY pos, id"), ":e", event_id, n);
}

json_t *rt_tables_of(db_t *db, int64_t event_id, bool with_private) {
    arena_t *a = arena_new();
    int n;
    int64_t *ids = rt_table_ids(db, a, event_id, &n);
    json_t *out = json_array();
    for (int i = 0; i < n; i++) {
        json_t *t = rt_table_load(db, ids[i], with_private);
        if (t) json_array_append_new(out, t);
    }
    arena_free(a);
    return out;
}

/* ---- bullets ---- */
/* clean_bullet_meta: type, themes, organisations, obstacles of a bullet's input */
typedef struct bmeta {
    bool has_type, has_themes, has_orgs;
    const char *type, *themes;
    json_t *orgs, *obstacles;
} bmeta_t;

static void clean_meta(db_t *db, arena_t *a, json_t **errors, const char *lang, json_t *in, bmeta_t *m) {
    memset(m, 0, sizeof *m);
    json_t *v;
    if ((v = json_object_get(in, "type"))) {
        m->has_type = true;
        if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) m->type = NULL;
        else if (!json_is_string(v) || !one_of(rt_bullet_types, 3, json_string_value(v)))
            err(errors, lang, "type", "The type is next-step, challenge or support.");
        else m->type = json_string_value(v);
    }
    if ((v = json_object_get(in, "themes"))) {
        m->has_themes = true;
        buf_t b;
        buf_init(&b, a);
        if (!json_is_array(v) || json_array_size(v) > 10) err(errors, lang, "themes", "This field must be a list.");
        else {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x) {
                if (!json_is_string(x) || !theme_known(db, a, json_string_value(x))) { err(errors, lang, "themes", "There is no such theme."); break; }
                bprintf_text(&b, "%s%s", b.len ? "," : "", json_string_value(x));
            }
        }
        m->themes = b.data;
    }
    if ((v = json_object_get(in, "organisations"))) {
        m->has_orgs = true;
        if (!json_is_array(v) || json_array_size(v) > 20) err(errors, lang, "organisations", "This field must be a list.");
        else {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x)
                if (!json_is_integer(x) || !org_exists(db, json_integer_value(x))) { err(errors, lang, "organisations", "There is no such organisation."); break; }
            m->orgs = v;
        }
    }
    if ((v = json_object_get(in, "obstacles"))) {
        if (!json_is_array(v) || json_array_size(v) > 20) err(errors, lang, "obstacles", "This field must be a list.");
        else {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x)
                if (!json_is_integer(x) || !obs_exists(db, json_integer_value(x))) { err(errors, lang, "obstacles", "There is no such obstacle."); break; }
            m->obstacles = v;
        }
    }
}

static bool write_meta(db_t *db, arena_t *a, int64_t id, const bmeta_t *m, int64_t user_id) {
    stmt_t *s;
    if (m->has_type || m->has_themes) {
        s = db_prep(db, "UPDATE rt_bullets SET type = CASE WHEN :st THEN :type ELSE type END, "
                        "themes = CASE WHEN :sth THEN :themes ELSE themes END WHERE id = :id");
        db_binds(s, DB_INT(":id", id), DB_INT(":st", m->has_type), DB_TEXT(":type", m->type), DB_INT(":sth", m->has_themes),
                    DB_TEXT(":themes", m->themes ? m->themes : ""));
        if (!db_run(s)) return false;
    }
    if (m->has_orgs) {
        if (!db_run_for(db_prep(db, "DELETE FROM rt_bullet_orgs WHERE bullet_id = :b"), ":b", id)) return false;
        size_t i;
        json_t *x;
        json_array_foreach(m->orgs, i, x) {
            s = db_prep(db, "INSERT INTO rt_bullet_orgs (bullet_id, org_id) VALUES (:b, :o) ON CONFLICT DO NOTHING");
            db_bind_int(s, ":b", id);
            db_bind_int(s, ":o", json_integer_value(x));
            if (!db_run(s)) return false;
        }
    }
    size_t i;
    json_t *x;
    json_array_foreach(m->obstacles, i, x)
        if (!obs_link_add(db, a, json_integer_value(x), "bullet", id, user_id)) return false;
    return true;
}

static int recent_link_bullets(db_t *db, arena_t *a, int64_t table_id, const char *ip) {
    time_t since = (time_t)now_unix() - RT_LINK_WINDOW;
    struct tm tm;
    gmtime_r(&since, &tm);
    char *at = aprintf(a, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    stmt_t *s = db_prep(db, "SELECT count(*) FROM rt_bullets WHERE ip = :ip AND created_at >= :at AND table_id = :t");
    db_bind_int(s, ":t", table_id);
    db_bind_text(s, ":ip", ip);
    db_bind_text(s, ":at", at);
    int n = db_step(s) ? (int)db_int(s, 0) : 0;
    db_reset(s);
    return n;
}

/* links_allowed: a bullet links organisations and border obstacles only from its hosts, and obstacles
 * only once it is approved (status: the bullet's status after the change): the obstacle register
 * is public, so no unreviewed text is attached to it (issue 11, low) */
static void links_allowed(json_t **errors, const char *lang, json_t *in, const char *source, const char *status) {
    bool orgs = json_array_size(json_object_get(in, "organisations")) > 0, obst = json_array_size(json_object_get(in, "obstacles")) > 0;
    if (streq(source, "link") && (orgs || obst)) {
        if (orgs) err(errors, lang, "organisations", "Only the table's hosts link a bullet to organisations and border obstacles.");
        if (obst) err(errors, lang, "obstacles", "Only the table's hosts link a bullet to organisations and border obstacles.");
    } else if (obst && !streq(status, "approved") && !streq(source, "import"))
        err(errors, lang, "obstacles", "Approve the bullet before linking it to a border obstacle.");
}

int64_t rt_bullet_add(db_t *db, arena_t *a, const char *lang, int64_t table_id, json_t *in, const char *source, int64_t user_id,
                      const char *ip, json_t **errors, int *code) {
    *errors = NULL;
    *code = 0;
    static const char *const known[] = {"question", "text", "type", "themes", "organisations", "obstacles", "status", "token", NULL};
    unknown_fields(in, known, errors, lang);
    json_t *qv = json_object_get(in, "question");
    int64_t qid = json_is_integer(qv) ? json_integer_value(qv) : 0;
    if (!qid || rt_question_table(db, qid) != table_id) err(errors, lang, "question", "Choose one of this table's questions.");
    const char *text = text_field(a, errors, lang, in, "text", RT_MAX_BULLET, true, "Write the bullet: it is empty.");
    const char *status = "pending";
    json_t *sv = json_object_get(in, "status");
    if (sv) {
        if (!json_is_string(sv) || (strcmp(json_string_value(sv), "pending") && strcmp(json_string_value(sv), "approved")))
            err(errors, lang, "status", "A new bullet is pending or approved.");
        else if (streq(source, "link") && streq(json_string_value(sv), "approved"))
            err(errors, lang, "status", "Only the table's hosts approve bullets.");
        else status = json_string_value(sv);
    }
    if (streq(source, "import")) status = "approved";
    bmeta_t m;
    clean_meta(db, a, errors, lang, in, &m);
    links_allowed(errors, lang, in, source, status);
    if (*errors) { *code = 422; return 0; }
    if (streq(source, "link") && ip && recent_link_bullets(db, a, table_id, ip) >= RT_LINK_RATE) { *code = 429; return 0; }
    if (!db_begin(db)) { *code = 500; return 0; }
    char *now = now_utc(a);
    stmt_t *s = db_prep(db, "INSERT INTO rt_bullets (table_id, question_id, pos, text, status, source, user_id, ip, created_at, updated_at) "
                            "VALUES (:t, :q, (SELECT coalesce(max(pos), -1) + 1 FROM rt_bullets WHERE question_id = :q), :x, :st, :src, :u, :ip, :now, :now)");
    db_binds(s, DB_INT(":t", table_id), DB_INT(":q", qid), DB_TEXT(":x", text), DB_TEXT(":st", status), DB_TEXT(":src", source),
                DB_ID(":u", user_id), DB_TEXT(":ip", streq(source, "link") ? ip : NULL), DB_TEXT(":now", now));
    if (!db_run(s)) goto fail;
    int64_t id = db_last_id(db);
    if (!write_meta(db, a, id, &m, user_id)) goto fail;
    if (!db_commit(db)) goto fail;
    return id;
fail:
    db_rollback(db);
    *code = 500;
    return 0;
}

/* bullet moves between review states; merged is reached only by merging */
static bool bullet_move_allowed(const char *from, const char *to) {
    if (streq(from, to)) return true;
    if (streq(from, "merged") || streq(to, "merged")) return false;
    return true; /* pending, approved and rejected move freely: the host reviews until publication */
}

/* action_publish: the action item of bullet id (if any) takes the bullet's text when the bullet is
 * approved: the text as published, which is all the action item shows (issue 11, finding 10) */
static bool action_publish(db_t *db, int64_t bullet) {
    stmt_t *s = db_prep(db, "UPDATE rt_actions SET text = (SELECT text FROM rt_bullets WHERE id = :b) "
                            "WHERE bullet_id = :b AND EXISTS (SELECT 1 FROM rt_bullets WHERE id = :b AND status = 'approved')");
    db_bind_int(s, ":b", bullet);
    return db_run(s);
}

int rt_bullet_update(db_t *db, arena_t *a, const char *lang, int64_t id, json_t *in, int64_t user_id, json_t **errors) {
    *errors = NULL;
    json_t *cur = rt_bullet_load(db, id);
    if (!cur) return 404;
    own_json(a, cur);
    static const char *const known[] = {"text", "type", "themes", "organisations", "obstacles", "status", "question", "version", NULL};
    unknown_fields(in, known, errors, lang);
    /* the version the editor saw: an edit or approval made from an older page is refused */
    json_t *vv = json_object_get(in, "version");
    int64_t seen = json_is_integer(vv) ? json_integer_value(vv) : 0;
    if (vv && (!json_is_integer(vv) || seen < 1)) err(errors, lang, "version", "The version is a whole number from 1.");
    else if (seen && seen != json_integer_value(json_object_get(cur, "version"))) {
        err(errors, lang, "version", "Someone else changed this bullet after you opened it. Look at it again, then make your change.");
        return 409;
    }
    const char *text = json_object_get(in, "text") ? text_field(a, errors, lang, in, "text", RT_MAX_BULLET, true, "Write the bullet: it is empty.") : NULL;
    const char *status = NULL;
    json_t *sv = json_object_get(in, "status");
    const char *from = json_string_value(json_object_get(cur, "status"));
    if (sv) {
        if (!json_is_string(sv) || !one_of((const char *const[]){"pending", "approved", "rejected"}, 3, json_string_value(sv)))
            err(errors, lang, "status", "The status is pending, approved or rejected.");
        else if (!bullet_move_allowed(from, json_string_value(sv)))
            err(errors, lang, "status", "A merged bullet cannot change its status.");
        else status = json_string_value(sv);
    } else if (streq(from, "merged") && text) err(errors, lang, "text", "A merged bullet cannot be changed.");
    int64_t table = json_integer_value(json_object_get(cur, "table"));
    int64_t qid = 0;
    json_t *qv = json_object_get(in, "question");
    if (qv) {
        qid = json_is_integer(qv) ? json_integer_value(qv) : 0;
        if (!qid || rt_question_table(db, qid) != table) err(errors, lang, "question", "Choose one of this table's questions.");
    }
    bmeta_t m;
    clean_meta(db, a, errors, lang, in, &m);
    links_allowed(errors, lang, in, "host", status ? status : from);
    if (*errors) return 422;
    if (!db_begin(db)) return 500;
    stmt_t *s = db_prep(db, "UPDATE rt_bullets SET text = coalesce(:x, text), status = coalesce(:st, status), "
                            "question_id = coalesce(:q, question_id), "
                            "pos = CASE WHEN :q IS NOT NULL AND :q <> question_id THEN (SELECT coalesce(max(pos), -1) + 1 FROM rt_bullets WHERE question_id = :q) ELSE pos END, "
                            "updated_at = :now, version = version + 1 WHERE id = :id AND (:seen = 0 OR version = :seen)");
    db_binds(s, DB_INT(":id", id), DB_TEXT(":x", text), DB_TEXT(":st", status), DB_ID(":q", qid), DB_TEXT(":now", now_utc(a)), DB_INT(":seen", seen));
    if (!db_run(s)) { db_rollback(db); return 500; }
    if (db_changes(db) != 1) { /* changed between the check above and this write */
        db_rollback(db);
        err(errors, lang, "version", "Someone else changed this bullet after you opened it. Look at it again, then make your change.");
        return 409;
    }
    if (!write_meta(db, a, id, &m, user_id) || !action_publish(db, id) || !db_commit(db)) { db_rollback(db); return 500; }
    return 0;
}

int rt_bullet_merge(db_t *db, arena_t *a, const char *lang, int64_t id, int64_t into, const char *text, json_t **errors) {
    *errors = NULL;
    json_t *src = rt_bullet_load(db, id), *dst = into ? rt_bullet_load(db, into) : NULL;
    own_json(a, src);
    own_json(a, dst);
    if (!src) return 404;
    if (!dst || into == id || json_integer_value(json_object_get(dst, "question")) != json_integer_value(json_object_get(src, "question")))
        err(errors, lang, "into", "Merge into another bullet of the same question.");
    else if (streq(json_string_value(json_object_get(src, "status")), "merged") || streq(json_string_value(json_object_get(dst, "status")), "merged"))
        err(errors, lang, "into", "This bullet has been merged already.");
    const char *merged = NULL;
    if (!*errors) {
        if (text) {
            merged = one_line(a, text);
            if (!*merged) err(errors, lang, "text", "Write the bullet: it is empty.");
        } else merged = aprintf_text(a, "%s %s", json_string_value(json_object_get(dst, "text")), json_string_value(json_object_get(src, "text")));
        if (merged && utf8_len(merged) > RT_MAX_BULLET) err(errors, lang, "text", "A bullet may have at most 2000 characters.");
    }
    if (*errors) return 422;
    if (!db_begin(db)) return 500;
    char *now = now_utc(a);
    stmt_t *s = db_prep(db, "UPDATE rt_bullets SET text = :x, updated_at = :now WHERE id = :id");
    db_bind_int(s, ":id", into);
    db_bind_text(s, ":x", merged);
    db_bind_text(s, ":now", now);
    if (!db_run(s)) goto fail;
    s = db_prep(db, "UPDATE rt_bullets SET status = 'merged', merged_into = :into, updated_at = :now WHERE id = :id");
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":into", into);
    db_bind_text(s, ":now", now);
    if (!db_run(s)) goto fail;
    s = db_prep(db, "INSERT INTO rt_bullet_orgs (bullet_id, org_id) SELECT CAST(:into AS BIGINT), org_id FROM rt_bullet_orgs WHERE bullet_id = :id ON CONFLICT DO NOTHING");
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":into", into);
    if (!db_run(s) || !action_publish(db, into) || !db_commit(db)) goto fail;
    return 0;
fail:
    db_rollback(db);
    return 500;
}

static int64_t *question_bullets(db_t *db, arena_t *a, int64_t qid, int *n) {
    return id_list(a, db_prep(db, "SELECT count(*) FROM rt_bullets WHERE question_id = :q AND status <> 'merged'"),
                   db_prep(db, "SELECT id FROM rt_bullets WHERE question_id = :q AND status <> 'merged' ORDER BY pos, id"), ":q", qid, n);
}

static bool write_order(db_t *db, const int64_t *ids, int n) {
    for (int i = 0; i < n; i++) {
        stmt_t *s = db_prep(db, "UPDATE rt_bullets SET pos = :p WHERE id = :id");
        db_bind_int(s, ":p", i);
        db_bind_int(s, ":id", ids[i]);
        if (!db_run(s)) return false;
    }
    return true;
}

bool rt_bullet_move(db_t *db, int64_t id, int delta) {
    stmt_t *s = db_prep(db, "SELECT question_id FROM rt_bullets WHERE id = :id");
    db_bind_int(s, ":id", id);
    int64_t q = db_int_of(s, 0);
    if (!q) return false;
    arena_t *a = arena_new();
    int n;
    int64_t *ids = question_bullets(db, a, q, &n);
    int at = -1;
    for (int i = 0; i < n; i++) if (ids[i] == id) at = i;
    bool ok = true;
    if (at >= 0 && at + delta >= 0 && at + delta < n) {
        int64_t t = ids[at];
        ids[at] = ids[at + delta];
        ids[at + delta] = t;
        ok = db_begin(db) && write_order(db, ids, n) && db_commit(db);
        if (!ok) db_rollback(db);
    }
    arena_free(a);
    return ok;
}

int rt_question_order(db_t *db, const char *lang, int64_t qid, json_t *order, json_t **errors) {
    *errors = NULL;
    arena_t *a = arena_new();
    int n;
    int64_t *ids = question_bullets(db, a, qid, &n);
    int rc = 0;
    if (!json_is_array(order) || json_array_size(order) != (size_t)n) rc = 422;
    int64_t *want = arena_alloc(a, sizeof(int64_t) * (size_t)(n + 1));
    for (int i = 0; !rc && i < n; i++) {
        json_t *x = json_array_get(order, (size_t)i);
        want[i] = json_is_integer(x) ? json_integer_value(x) : 0;
        bool in = false, dup = false;
        for (int k = 0; k < n; k++) if (ids[k] == want[i]) in = true;
        for (int k = 0; k < i; k++) if (want[k] == want[i]) dup = true;
        if (!in || dup) rc = 422;
    }
    if (rc) err(errors, lang, "bullets", "List every bullet of the question once, in the new order.");
    else if (!db_begin(db) || !write_order(db, want, n) || !db_commit(db)) { db_rollback(db); rc = 500; }
    arena_free(a);
    return rc;
}

/* ---- the report ---- */
static const char **strs_of(arena_t *a, json_t *arr, int *n) {
    *n = (int)json_array_size(arr);
    const char **out = arena_alloc(a, sizeof(char *) * (size_t)(*n + 1));
    for (int i = 0; i < *n; i++) out[i] = arena_strdup(a, json_string_value(json_array_get(arr, (size_t)i)));
    return out;
}

bool rt_report(db_t *db, arena_t *a, int64_t event_id, report_t *out) {
    memset(out, 0, sizeof *out);
    json_t *ev = rt_event_get(db, event_id);
    if (!ev) return false;
    own_json(a, ev);
    out->intro = strs_of(a, json_object_get(ev, "intro"), &out->nintro);
    out->outro = strs_of(a, json_object_get(ev, "outro"), &out->noutro);
    if (!out->nintro) { /* no introduction written: the event's description */
        json_t *e = event_load(db, event_id);
        own_json(a, e);
        json_t *d = json_object_get(e, "description");
        const char *desc = json_is_string(d) ? json_string_value(d) : NULL;
        for (int i = 0; str_empty(desc) && i < 3 && json_is_object(d); i++) desc = json_string_value(json_object_get(d, i18n_langs[i]));
        if (desc && *desc) {
            json_t *paras = json_array();
            own_json(a, paras);
            const char *p = desc;
            while (*p) {
                const char *nl = strchr(p, '\n');
                size_t n = nl ? (size_t)(nl - p) : strlen(p);
                char *line = trim(a, aprintf_text(a, "%.*s", (int)n, p));
                if (*line) json_array_append_new(paras, json_string(line));
                p = nl ? nl + 1 : p + n;
            }
            out->intro = strs_of(a, paras, &out->nintro);
        }
    }
    json_t *tables = rt_tables_of(db, event_id, false);
    own_json(a, tables);
    out->ntables = (int)json_array_size(tables);
    out->tables = arena_alloc(a, sizeof(report_table_t) * (size_t)(out->ntables + 1));
    for (int i = 0; i < out->ntables; i++) {
        json_t *t = json_array_get(tables, (size_t)i);
        report_table_t *rt = &out->tables[i];
        rt->label = arena_strdup(a, json_string_value(json_object_get(t, "label")));
        rt->hosts_text = arena_strdup(a, json_string_value(json_object_get(t, "hosts_text")));
        json_t *hosts = json_object_get(t, "hosts");
        rt->nhosts = (int)json_array_size(hosts);
        rt->hosts = arena_alloc(a, sizeof(char *) * (size_t)(rt->nhosts + 1));
        for (int k = 0; k < rt->nhosts; k++) rt->hosts[k] = arena_strdup(a, json_string_value(json_object_get(json_array_get(hosts, (size_t)k), "name")));
        json_t *qs = json_object_get(t, "questions");
        rt->nquestions = (int)json_array_size(qs);
        rt->questions = arena_alloc(a, sizeof(report_question_t) * (size_t)(rt->nquestions + 1));
        for (int k = 0; k < rt->nquestions; k++) {
            json_t *q = json_array_get(qs, (size_t)k);
            report_question_t *rq = &rt->questions[k];
            rq->text = arena_strdup(a, json_string_value(json_object_get(q, "text")));
            json_t *bl = json_object_get(q, "bullets");
            rq->nbullets = (int)json_array_size(bl);
            rq->bullets = arena_alloc(a, sizeof(char *) * (size_t)(rq->nbullets + 1));
            for (int j = 0; j < rq->nbullets; j++) rq->bullets[j] = arena_strdup(a, json_string_value(json_object_get(json_array_get(bl, (size_t)j), "text")));
        }
    }
    return true;
}

bool rt_import(db_t *db, arena_t *a, int64_t event_id, const report_t *rep, int64_t user_id) {
    if (!db_begin(db)) return false;
    json_t *ev = rt_event_get(db, event_id);
    own_json(a, ev);
    json_t *in = json_object();
    own_json(a, in);
    if (!json_array_size(json_object_get(ev, "intro")) && rep->nintro) {
        json_t *p = json_array();
        for (int i = 0; i < rep->nintro; i++) json_array_append_new(p, json_string(rep->intro[i]));
        json_object_set_new(in, "intro", p);
    }
    if (!json_array_size(json_object_get(ev, "outro")) && rep->noutro) {
        json_t *p = json_array();
        for (int i = 0; i < rep->noutro; i++) json_array_append_new(p, json_string(rep->outro[i]));
        json_object_set_new(in, "outro", p);
    }
    json_t *errors = NULL;
    if (json_object_size(in) && rt_event_set(db, a, "en", event_id, in, &errors)) { json_decref(errors); goto fail; }
    for (int i = 0; i < rep->ntables; i++) {
        const report_table_t *t = &rep->tables[i];
        json_t *tin = json_pack("{s:s, s:s, s:[]}", "hosts", t->hosts_text ? t->hosts_text : "", "label", t->label ? t->label : "Värd", "questions");
        own_json(a, tin);
        for (int k = 0; k < t->nquestions; k++) json_array_append_new(json_object_get(tin, "questions"), json_string(t->questions[k].text));
        int64_t tid = rt_table_save(db, a, "en", event_id, 0, tin, user_id, &errors);
        if (!tid) { json_decref(errors); goto fail; }
        json_t *tab = rt_table_load(db, tid, true);
        own_json(a, tab);
        for (int k = 0; k < t->nquestions; k++) {
            int64_t qid = json_integer_value(json_object_get(json_array_get(json_object_get(tab, "questions"), (size_t)k), "id"));
            for (int j = 0; j < t->questions[k].nbullets; j++) {
                json_t *bin = json_pack("{s:I, s:s}", "question", (json_int_t)qid, "text", t->questions[k].bullets[j]);
                own_json(a, bin);
                int code;
                if (!rt_bullet_add(db, a, "en", tid, bin, "import", user_id, NULL, &errors, &code)) { json_decref(errors); goto fail; }
            }
        }
    }
    return db_commit(db);
fail:
    db_rollback(db);
    return false;
}

/* ---- the action plan ---- */
static bool valid_date(const char *s) {
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i = 0; i < 10; i++) if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
    return true;
}

/* log_role: what user_id is to action's table when it changes the action item: "organiser" of the
 * event, "host" of the table, a platform "admin", "import" (no user: the command line), or NULL */
static const char *log_role(db_t *db, arena_t *a, int64_t action, int64_t user_id) {
    if (!user_id) return "import";
    user_t *u = user_load(db, a, user_id);
    if (!u) return NULL;
    stmt_t *s = db_prep(db, "SELECT b.table_id FROM rt_actions x JOIN rt_bullets b ON b.id = x.bullet_id WHERE x.id = :a");
    db_bind_int(s, ":a", action);
    int64_t table = db_int_of(s, 0);
    user_t member = *u;
    member.is_admin = false;
    if (event_can_edit(db, &member, rt_table_event(db, table))) return "organiser";
    if (rt_can_host(db, &member, table)) return "host";
    return u->is_admin ? "admin" : NULL;
}

static bool action_log(db_t *db, arena_t *a, int64_t action, int64_t user_id, const char *field, const char *old, const char *new,
                       const char *note, const char *note_date) {
    stmt_t *s = db_prep(db, "INSERT INTO rt_action_log (action_id, at, user_id, field, old, new, note, note_date, role) "
                            "VALUES (:a, :now, :u, :f, :o, :n, :note, :nd, :role)");
    db_binds(s, DB_TEXT(":role", log_role(db, a, action, user_id)), DB_INT(":a", action), DB_TEXT(":now", now_utc(a)), DB_ID(":u", user_id),
                DB_TEXT(":f", field), DB_TEXT(":o", old), DB_TEXT(":n", new), DB_TEXT(":note", note), DB_TEXT(":nd", note_date));
    return db_run(s);
}

static const char *owners_text(db_t *db, arena_t *a, int64_t action) {
    buf_t b;
    buf_init(&b, a);
    stmt_t *s = db_prep(db, "SELECT org_id FROM rt_action_owners WHERE action_id = :a ORDER BY org_id");
    db_bind_int(s, ":a", action);
    while (db_step(s)) bprintf(&b, "%s%lld", b.len ? "," : "", (long long)db_int(s, 0));
    db_reset(s);
    return b.data;
}

/* clean_action: owners, due, note, note_date; status checked by the callers */
static void clean_action(db_t *db, arena_t *a, json_t **errors, const char *lang, json_t *in, json_t **owners, const char **due, bool *has_due,
                         const char **note, const char **note_date) {
    *owners = NULL;
    *due = *note = *note_date = NULL;
    *has_due = false;
    json_t *v;
    if ((v = json_object_get(in, "owners"))) {
        if (!json_is_array(v) || json_array_size(v) > 20) err(errors, lang, "owners", "This field must be a list.");
        else {
            size_t i;
            json_t *x;
            json_array_foreach(v, i, x)
                if (!json_is_integer(x) || !org_exists(db, json_integer_value(x))) { err(errors, lang, "owners", "There is no such organisation."); break; }
            *owners = v;
        }
    }
    if ((v = json_object_get(in, "due"))) {
        *has_due = true;
        if (json_is_null(v) || (json_is_string(v) && !*json_string_value(v))) *due = NULL;
        else if (!json_is_string(v) || !valid_date(json_string_value(v))) err(errors, lang, "due", "Write the date as YYYY-MM-DD, e.g. 2027-03-10.");
        else *due = json_string_value(v);
    }
    *note = text_field(a, errors, lang, in, "note", RT_MAX_BULLET, false, NULL);
    if ((v = json_object_get(in, "note_date")) && !json_is_null(v) && !(json_is_string(v) && !*json_string_value(v))) {
        if (!json_is_string(v) || !valid_date(json_string_value(v))) err(errors, lang, "note_date", "Write the date as YYYY-MM-DD, e.g. 2027-03-10.");
        else *note_date = json_string_value(v);
    }
    if (*note_date && !*note) err(errors, lang, "note", "Write the follow-up note for that date.");
}

static bool write_owners(db_t *db, int64_t action, json_t *owners) {
    if (!db_run_for(db_prep(db, "DELETE FROM rt_action_owners WHERE action_id = :a"), ":a", action)) return false;
    size_t i;
    json_t *x;
    json_array_foreach(owners, i, x) {
        stmt_t *s = db_prep(db, "INSERT INTO rt_action_owners (action_id, org_id) VALUES (:a, :o) ON CONFLICT DO NOTHING");
        db_bind_int(s, ":a", action);
        db_bind_int(s, ":o", json_integer_value(x));
        if (!db_run(s)) return false;
    }
    return true;
}

int64_t rt_action_create(db_t *db, arena_t *a, const char *lang, int64_t bullet_id, json_t *in, int64_t user_id, json_t **errors,
                         int *code) {
    *errors = NULL;
    *code = 0;
    json_t *b = rt_bullet_load(db, bullet_id);
    own_json(a, b);
    if (!b) { *code = 404; return 0; }
    if (!json_is_null(json_object_get(b, "action"))) { *code = 409; return 0; }
    static const char *const known[] = {"owners", "due", "status", "note", "note_date", NULL};
    unknown_fields(in, known, errors, lang);
    if (!streq(json_string_value(json_object_get(b, "status")), "approved")) /* action items are public */
        err(errors, lang, "bullet", "Approve the bullet before it becomes an action item.");
    const char *status = "proposed";
    json_t *sv = json_object_get(in, "status");
    if (sv) {
        if (!json_is_string(sv) || !one_of(rt_action_statuses, 5, json_string_value(sv)))
            err(errors, lang, "status", "The status is proposed, agreed, in-progress, done or dropped.");
        else status = json_string_value(sv);
    }
    json_t *owners;
    const char *due, *note, *note_date;
    bool has_due;
    clean_action(db, a, errors, lang, in, &owners, &due, &has_due, &note, &note_date);
    if (*errors) { *code = 422; return 0; }
    if (!db_begin(db)) { *code = 500; return 0; }
    char *now = now_utc(a);
    stmt_t *s = db_prep(db, "INSERT INTO rt_actions (bullet_id, status, due, created_by, created_at, updated_at, text) "
                            "VALUES (:b, :st, :due, :u, :now, :now, :text)");
    db_bind_int(s, ":b", bullet_id);
    db_bind_text(s, ":text", json_string_value(json_object_get(b, "text"))); /* approved: the text as published */
    db_binds(s, DB_TEXT(":st", status), DB_TEXT(":due", due), DB_ID(":u", user_id), DB_TEXT(":now", now));
    if (!db_run(s)) goto fail;
    int64_t id = db_last_id(db);
    if (owners && (!write_owners(db, id, owners) || !rt_named_sync(db, a, "owner", id, user_id))) goto fail; /* issue 11 */
    if (!action_log(db, a, id, user_id, "created", NULL, status, NULL, NULL)) goto fail;
    if (owners && json_array_size(owners) && !action_log(db, a, id, user_id, "owners", NULL, owners_text(db, a, id), NULL, NULL)) goto fail;
    if (due && !action_log(db, a, id, user_id, "due", NULL, due, NULL, NULL)) goto fail;
    if (note && !action_log(db, a, id, user_id, "note", NULL, NULL, note, note_date ? note_date : aprintf_text(a, "%.10s", now))) goto fail;
    if (!db_commit(db)) goto fail;
    return id;
fail:
    db_rollback(db);
    *code = 500;
    return 0;
}

int rt_action_update(db_t *db, arena_t *a, const char *lang, int64_t id, json_t *in, int64_t user_id, json_t **errors) {
    *errors = NULL;
    stmt_t *s = db_prep(db, "SELECT status, due FROM rt_actions WHERE id = :id");
    db_bind_int(s, ":id", id);
    if (!db_step(s)) { db_reset(s); return 404; }
    char *from = db_text_dup(s, 0, a), *old_due = db_text_dup(s, 1, a);
    db_reset(s);
    static const char *const known[] = {"owners", "due", "status", "note", "note_date", NULL};
    unknown_fields(in, known, errors, lang);
    const char *to = NULL;
    bool move_refused = false;
    json_t *sv = json_object_get(in, "status");
    if (sv) {
        if (!json_is_string(sv) || !one_of(rt_action_statuses, 5, json_string_value(sv)))
            err(errors, lang, "status", "The status is proposed, agreed, in-progress, done or dropped.");
        else if (!streq(from, json_string_value(sv)) && !rt_action_move_allowed(from, json_string_value(sv))) {
            err(errors, lang, "status", "This status cannot follow the current one.");
            move_refused = true;
        }
        else if (!streq(from, json_string_value(sv))) to = json_string_value(sv);
    }
    json_t *owners;
    const char *due, *note, *note_date;
    bool has_due;
    clean_action(db, a, errors, lang, in, &owners, &due, &has_due, &note, &note_date);
    if (*errors) return move_refused && json_object_size(*errors) == 1 ? 409 : 422;
    if (!db_begin(db)) return 500;
    char *now = now_utc(a);
    if (to) {
        s = db_prep(db, "UPDATE rt_actions SET status = :st, updated_at = :now WHERE id = :id");
        db_bind_int(s, ":id", id);
        db_bind_text(s, ":st", to);
        db_bind_text(s, ":now", now);
        if (!db_run(s) || !action_log(db, a, id, user_id, "status", from, to, note, note ? (note_date ? note_date : aprintf_text(a, "%.10s", now)) : NULL))
            goto fail;
        if (note) note = NULL; /* the note went with the status change */
    }
    if (has_due && !streq(due, old_due)) {
        s = db_prep(db, "UPDATE rt_actions SET due = :due, updated_at = :now WHERE id = :id");
        db_bind_int(s, ":id", id);
        db_bind_text(s, ":due", due);
        db_bind_text(s, ":now", now);
        if (!db_run(s) || !action_log(db, a, id, user_id, "due", old_due, due, NULL, NULL)) goto fail;
    }
    if (owners) {
        const char *before = owners_text(db, a, id);
        if (!write_owners(db, id, owners) || !rt_named_sync(db, a, "owner", id, user_id)) goto fail; /* issue 11 */
        const char *after = owners_text(db, a, id);
        if (!streq(before, after)) {
            s = db_prep(db, "UPDATE rt_actions SET updated_at = :now WHERE id = :id");
            db_bind_int(s, ":id", id);
            db_bind_text(s, ":now", now);
            if (!db_run(s) || !action_log(db, a, id, user_id, "owners", before, after, NULL, NULL)) goto fail;
        }
    }
    if (note) {
        s = db_prep(db, "UPDATE rt_actions SET updated_at = :now WHERE id = :id");
        db_bind_int(s, ":id", id);
        db_bind_text(s, ":now", now);
        if (!db_run(s) || !action_log(db, a, id, user_id, "note", NULL, NULL, note, note_date ? note_date : aprintf_text(a, "%.10s", now))) goto fail;
    }
    if (!db_commit(db)) goto fail;
    return 0;
fail:
    db_rollback(db);
    return 500;
}

int64_t rt_action_bullet(db_t *db, int64_t id) {
    return db_int_for(db_prep(db, "SELECT bullet_id FROM rt_actions WHERE id = :id"), ":id", id);
}

/* action_bullet: the bullet as an action item shows it: while approved the public bullet, its text
 * the published one; otherwise only {id, text: as published or null, status: "unpublished"}.
 * Takes published. */
static json_t *action_bullet(db_t *db, int64_t bullet, json_t *published, bool approved) {
    json_t *b = approved ? rt_bullet_load(db, bullet) : NULL;
    if (!b) return json_pack("{s:I, s:o, s:s}", "id", (json_int_t)bullet, "text", published, "status", "unpublished");
    json_object_set_new(b, "text", published);
    return b;
}

json_t *rt_action_load(db_t *db, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT a.bullet_id, a.status, a.due, a.created_at, a.updated_at, t.event_id, t.id, t.theme, t.hosts_text, q.text, "
                            "a.text, b.status = 'approved' "
                            "FROM rt_actions a JOIN rt_bullets b ON b.id = a.bullet_id JOIN roundtables t ON t.id = b.table_id "
                            "JOIN rt_questions q ON q.id = b.question_id WHERE a.id = :id");
    db_bind_int(s, ":id", id);
    if (!db_step(s)) { db_reset(s); return NULL; }
    json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:s, s:I, s:I, s:o, s:s, s:s}", "id", (json_int_t)id, "status", db_text(s, 1), "due",
                          db_is_null(s, 2) ? json_null() : json_string(db_text(s, 2)), "created_at", db_text(s, 3), "updated_at",
                          db_text(s, 4), "event", (json_int_t)db_int(s, 5), "table", (json_int_t)db_int(s, 6), "table_theme",
                          db_is_null(s, 7) ? json_null() : json_string(db_text(s, 7)), "hosts", db_text(s, 8), "question", db_text(s, 9));
    int64_t bullet = db_int(s, 0);
    json_t *published = db_is_null(s, 10) ? json_null() : json_string(db_text(s, 10));
    bool approved = db_int(s, 11);
    db_reset(s);
    json_object_set_new(o, "bullet", action_bullet(db, bullet, published, approved));
    arena_t *a = arena_new();
    json_t *owners = json_array();
    s = db_prep(db, "SELECT org_id FROM rt_action_owners WHERE action_id = :a ORDER BY org_id");
    db_bind_int(s, ":a", id);
    int64_t ids[20];
    int n = 0;
    while (db_step(s) && n < 20) ids[n++] = db_int(s, 0);
    db_reset(s);
    for (int i = 0; i < n; i++) {
        org_view_t v;
        if (org_view(db, a, ids[i], false, &v))
            json_array_append_new(owners, json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)ids[i], "name", v.name, "country", v.country, "confirmed",
                                                    rt_named_confirmed(db, "owner", id, ids[i]))); /* issue 11 */
    }
    arena_free(a);
    json_object_set_new(o, "owners", owners);
    json_t *log = json_array();
    s = db_prep(db, "SELECT at, role, field, old, new, note, note_date FROM rt_action_log WHERE action_id = :a ORDER BY id");
    db_bind_int(s, ":a", id);
    while (db_step(s)) {
        json_t *e = json_pack("{s:s, s:s}", "at", db_text(s, 0), "field", db_text(s, 2));
        /* the public history says who by role, never by user id (issue 11) */
        json_object_set_new(e, "by", db_is_null(s, 1) ? json_null() : json_string(db_text(s, 1)));
        for (int c = 3; c <= 6; c++) {
            static const char *const names[] = {"old", "new", "note", "note_date"};
            json_object_set_new(e, names[c - 3], db_is_null(s, c) ? json_null() : json_string(db_text(s, c)));
        }
        json_array_append_new(log, e);
    }
    db_reset(s);
    json_object_set_new(o, "log", log);
    return o;
}

json_t *rt_followup(db_t *db, int64_t series_id, const char *theme, const char *lang) {
    (void)lang;
    /* the events with roundtables, and which belong to the series (through events.h) */
    stmt_t *s = db_prep(db, "SELECT DISTINCT event_id FROM roundtables ORDER BY event_id");
    int64_t evs[512];
    int ne = 0;
    while (db_step(s) && ne < 512) evs[ne++] = db_int(s, 0);
    db_reset(s);
    json_t *items = json_array();
    json_t *by_status = json_object(), *by_country = json_pack("{s:i, s:i, s:i, s:i}", "SE", 0, "NO", 0, "both", 0, "none", 0);
    for (int i = 0; i < 5; i++) json_object_set_new(by_status, rt_action_statuses[i], json_integer(0));
    for (int e = 0; e < ne; e++) {
        json_t *ev = event_load(db, evs[e]);
        if (!ev) continue;
        json_t *se = json_object_get(ev, "series");
        bool in = !series_id || (json_is_object(se) && json_integer_value(json_object_get(se, "id")) == series_id);
        json_t *title = json_object_get(ev, "title");
        const char *t = json_is_string(title) ? json_string_value(title) : NULL;
        if (json_is_object(title)) t = json_string_value(json_object_get(title, lang));
        for (int k = 0; str_empty(t) && k < 3 && json_is_object(title); k++) t = json_string_value(json_object_get(title, i18n_langs[k]));
        json_t *evinfo = json_pack("{s:I, s:s, s:O}", "id", (json_int_t)evs[e], "title", t ? t : "", "start", json_object_get(ev, "start"));
        json_decref(ev);
        if (!in) { json_decref(evinfo); continue; }
        s = db_prep(db, "SELECT a.id FROM rt_actions a JOIN rt_bullets b ON b.id = a.bullet_id JOIN roundtables t ON t.id = b.table_id "
                        "WHERE t.event_id = :e AND (:theme IS NULL OR t.theme = :theme OR ',' || b.themes || ',' LIKE '%,' || :theme || ',%') "
                        "ORDER BY t.pos, b.question_id, b.pos");
        db_bind_int(s, ":e", evs[e]);
        db_bind_text(s, ":theme", theme && *theme ? theme : NULL);
        int64_t ids[4096];
        int n = 0;
        while (db_step(s) && n < 4096) ids[n++] = db_int(s, 0);
        db_reset(s);
        for (int k = 0; k < n; k++) {
            json_t *act = rt_action_load(db, ids[k]);
            if (!act) continue;
            json_object_set(act, "event", evinfo);
            const char *st = json_string_value(json_object_get(act, "status"));
            json_object_set_new(by_status, st, json_integer(json_integer_value(json_object_get(by_status, st)) + 1));
            bool se_ = false, no = false;
            size_t j;
            json_t *o;
            json_array_foreach(json_object_get(act, "owners"), j, o) {
                if (!json_is_true(json_object_get(o, "confirmed"))) continue; /* issue 11: only owners who agreed count */
                if (streq(json_string_value(json_object_get(o, "country")), "SE")) se_ = true;
                if (streq(json_string_value(json_object_get(o, "country")), "NO")) no = true;
            }
            const char *c = se_ && no ? "both" : se_ ? "SE" : no ? "NO" : "none";
            json_object_set_new(by_country, c, json_integer(json_integer_value(json_object_get(by_country, c)) + 1));
            json_object_set_new(act, "country", json_string(c));
            json_array_append_new(items, act);
        }
        json_decref(evinfo);
    }
    return json_pack("{s:o, s:{s:o, s:o, s:I}}", "items", items, "summary", "by_status", by_status, "by_country", by_country, "total",
                     (json_int_t)json_array_size(items));
}

/* ---- personal data (roundtables.h) ---- */
json_t *rt_personal_data(db_t *db, int64_t uid) {
    return json_pack("{s:o, s:o, s:o, s:o}",
        "roundtable_bullets", doc_user_rows(db, "SELECT b.id, t.event_id, b.table_id, b.text, b.status, b.source, b.ip, b.created_at "
                                                "FROM rt_bullets b JOIN roundtables t ON t.id = b.table_id WHERE b.user_id = :u ORDER BY b.id",
                                            uid, "bullet,event,table,text,status,source,ip,created_at"),
        "action_items", doc_user_rows(db, "SELECT id, bullet_id, status, due, created_at FROM rt_actions WHERE created_by = :u ORDER BY id",
                                      uid, "action,bullet,status,due,created_at"),
        "action_notes", doc_user_rows(db, "SELECT action_id, at, field, old, new, note, note_date FROM rt_action_log WHERE user_id = :u "
                                          "ORDER BY id", uid, "action,at,field,old,new,note,note_date"),
        "roundtables_created", doc_user_rows(db, "SELECT id, event_id, hosts_text, created_at FROM roundtables WHERE created_by = :u "
                                                 "ORDER BY id", uid, "table,event,hosts,created_at"));
}

bool rt_forget_user(db_t *db, int64_t uid) {
    static const char *const sql[] = {
        "UPDATE rt_bullets SET user_id = NULL, ip = NULL WHERE user_id = :u",
        "UPDATE rt_actions SET created_by = NULL WHERE created_by = :u",
        "UPDATE rt_action_log SET user_id = NULL WHERE user_id = :u",
        "UPDATE roundtables SET created_by = NULL WHERE created_by = :u",
    };
    return db_run_each(db, sql, ":u", uid);
}
