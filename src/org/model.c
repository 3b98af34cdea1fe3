/* Organisation documents: load, validate, save with versions; roles and membership. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "notify/notify.h"
#include "org/org.h"
#include "org/orgnr.h"
#include "ref/ref.h"

#define MAX_NAME 200
#define MAX_TEXT 5000
#define MAX_SHORT 2000
#define MAX_TAG 80
#define MAX_TAGS 30
#define MAX_LIST 20
#define MAX_URL 300

/* The editable fields, in the order versions list them. */
static const char *const fields[] = {"name", "country", "orgnr", "kind", "municipality", "website", "description",
                                     "competences", "offers", "needs", "competences_text", "offers_text",
                                     "needs_text", "nace", "themes", "contacts", "networks", "status", "ended_on",
                                     "successors", "employees", NULL};
/* Read-only fields a client may send back unchanged. */
static const char *const readonly[] = {"id", "county", "version", "demo", "created_at", "updated_at", "url", NULL};


int64_t org_demo_id(db_t *db, const char *key) {
    stmt_t *s = db_prep(db, "SELECT id FROM organisations WHERE demo_key = :k");
    db_bind_text(s, ":k", key);
    int64_t id = db_int_of(s, 0);
    return id;
}

bool org_exists(db_t *db, int64_t id) {
    return db_exists_for(db_prep(db, "SELECT 1 FROM organisations WHERE id = :id"), ":id", id);
}

const char *org_name(db_t *db, arena_t *a, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT name FROM organisations WHERE id = :id");
    db_bind_int(s, ":id", id);
    const char *n = db_text_of(s, a);
    return n;
}

/* by_id: ids[0..n) sorted with their positions, to place rows that come in id order */
struct pos { int64_t id; int i; };
static int pos_cmp(const void *x, const void *y) {
    const struct pos *p = x, *q = y;
    return p->id < q->id ? -1 : p->id > q->id ? 1 : p->i - q->i;
}
/* first: the first of p[0..n) with this id, or n */
static int first(const struct pos *p, int n, int64_t id) {
    int lo = 0, hi = n;
    while (lo < hi) { int m = (lo + hi) / 2; if (p[m].id < id) lo = m + 1; else hi = m; }
    return lo < n && p[lo].id == id ? lo : n;
}

json_t *org_load(db_t *db, int64_t id, bool with_private) {
    json_t *o = NULL;
    org_load_many(db, &id, 1, with_private, &o);
    return o;
}

void org_load_many(db_t *db, const int64_t *ids, int n, bool with_private, json_t **out) {
    for (int i = 0; i < n; i++) out[i] = NULL;
    if (n <= 0) return;
    arena_t *a = arena_new();
    struct pos *p = xcalloc((size_t)n, sizeof *p);
    for (int i = 0; i < n; i++) p[i] = (struct pos){ids[i], i};
    qsort(p, (size_t)n, sizeof *p, pos_cmp);
    const char *list = db_id_list(a, ids, n);
    /* the rows: each statement reads every organisation of the list at once (one round trip on
     * PostgreSQL however many there are); a row's document goes to each position of its id */
    stmt_t *s = db_prep(db,
        "SELECT id, name, country, orgnr, kind, municipality, county, website, desc_sv, desc_nb, desc_en, "
        "competences_text, offers_text, needs_text, employees, status, ended_on, demo_key IS NOT NULL, version, "
        "created_at, updated_at FROM organisations WHERE id IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids))");
    db_bind_text(s, ":ids", list);
    json_t **doc = xcalloc((size_t)n, sizeof *doc);   /* by sorted position */
    while (db_step(s)) {
        int k = first(p, n, db_int(s, 0));
        if (k == n || doc[k]) continue;
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(p[k].id));
        doc_row_into(s, 1, "name,country,orgnr,kind,municipality,county,website", o);
        json_object_set_new(o, "description", json_pack("{s:s, s:s, s:s}", "sv", db_text(s, 8) ? db_text(s, 8) : "",
                                                        "nb", db_text(s, 9) ? db_text(s, 9) : "", "en",
                                                        db_text(s, 10) ? db_text(s, 10) : ""));
        json_object_set_new(o, "competences_text", json_string(db_text(s, 11) ? db_text(s, 11) : ""));
        json_object_set_new(o, "offers_text", json_string(db_text(s, 12) ? db_text(s, 12) : ""));
        json_object_set_new(o, "needs_text", json_string(db_text(s, 13) ? db_text(s, 13) : ""));
        doc_row_into(s, 14, "employees,status,ended_on,demo?,version,created_at,updated_at", o);
        static const char *const lists[] = {"competences", "offers", "needs", "nace", "themes", "contacts", "networks", "successors"};
        for (size_t l = 0; l < sizeof lists / sizeof *lists; l++) json_object_set_new(o, lists[l], json_array());
        doc[k] = o;
    }
    db_reset(s);
    /* tags, industry codes and themes in one statement; each branch reads in its key's order */
    stmt_t *t = db_prep(db, "SELECT org_id, substr(kind, 1, 1), pos, tag FROM org_tags WHERE org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids)) "
                            "UNION ALL SELECT org_id, 'x', pos, code FROM org_nace WHERE org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids)) "
                            "UNION ALL SELECT t.org_id, 't', h.pos, t.theme FROM org_themes t JOIN themes h ON h.slug = t.theme "
                            "WHERE t.org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids)) "
                            "ORDER BY 1, 2, 3, 4");
    db_bind_text(t, ":ids", list);
    while (db_step(t)) {
        int k = first(p, n, db_int(t, 0));
        if (k == n || !doc[k]) continue;
        char c = db_text(t, 1)[0];
        const char *to = c == 'c' ? "competences" : c == 'o' ? "offers" : c == 'n' ? "needs" : c == 'x' ? "nace" : "themes";
        json_array_append_new(json_object_get(doc[k], to), json_string(db_text(t, 3)));
    }
    stmt_t *c = db_prep(db, "SELECT org_id, name, role, email, phone, consent FROM org_contacts "
                            "WHERE org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids)) ORDER BY org_id, pos");
    db_bind_text(c, ":ids", list);
    while (db_step(c)) {
        int k = first(p, n, db_int(c, 0));
        if (k == n || !doc[k] || (!with_private && !db_int(c, 5))) continue;
        json_array_append_new(json_object_get(doc[k], "contacts"),
                              json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", db_text(c, 1), "role", db_text(c, 2) ? db_text(c, 2) : "",
                                        "email", db_text(c, 3) ? db_text(c, 3) : "", "phone", db_text(c, 4) ? db_text(c, 4) : "",
                                        "consent", (int)db_int(c, 5)));
    }
    stmt_t *l = db_prep(db, "SELECT org_id, 0, network_id FROM org_networks WHERE org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids)) "
                            "UNION ALL SELECT org_id, 1, successor_id FROM org_successors WHERE org_id IN (SELECT CAST(value AS BIGINT) FROM json_each(:ids)) "
                            "ORDER BY 1, 2, 3");
    db_bind_text(l, ":ids", list);
    while (db_step(l)) {
        int k = first(p, n, db_int(l, 0));
        if (k == n || !doc[k]) continue;
        json_array_append_new(json_object_get(doc[k], db_int(l, 1) ? "successors" : "networks"), json_integer(db_int(l, 2)));
    }
    /* each position of an id gets its document (a repeated id shares it: one reference each) */
    for (int k = 0; k < n; k++) {
        int f = first(p, n, p[k].id);
        if (doc[f]) out[p[k].i] = f == k ? doc[f] : json_incref(doc[f]);
    }
    free(doc);
    free(p);
    arena_free(a);
}

/* ---- validation ---- */

/* clean_string: trimmed, length-checked string or NULL (error recorded) */
/* clean_string: check_string, texts over MAX_URL characters may have lines */
static json_t *clean_string(check_ctx_t *v, json_t *in, const char *field, size_t max, bool required, bool nullable) {
    return check_string(v, in, field, max,
                        (required ? CHECK_REQUIRED : 0) | (nullable ? CHECK_NULLABLE : 0) | (max > MAX_URL ? CHECK_LINES : 0));
}

static json_t *clean_tags(check_ctx_t *v, json_t *in, const char *field, size_t maxlen, int maxn) {
    if (!in || json_is_null(in)) return json_array();
    if (!json_is_array(in)) { check_err(v, field, "This field must be a list."); return NULL; }
    if ((int)json_array_size(in) > maxn) { check_err(v, field, "This list is too long."); return NULL; }
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(in, i, x) {
        json_t *s = clean_string(v, x, field, maxlen, false, false);
        if (!s) { json_decref(out); return NULL; }
        const char *t = json_string_value(s);
        bool dup = false;
        size_t k;
        json_t *y;
        json_array_foreach(out, k, y) if (!strcmp(json_string_value(y), t)) dup = true;
        if (*t && !dup) json_array_append(out, s);
        json_decref(s);
    }
    return out;
}

static json_t *clean_ids(check_ctx_t *v, json_t *in, const char *field, int64_t self, bool networks_only) {
    if (!in || json_is_null(in)) return json_array();
    if (!json_is_array(in) || json_array_size(in) > MAX_LIST) { check_err(v, field, "This field must be a list of organisations."); return NULL; }
    json_t *out = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(in, i, x) {
        if (!json_is_integer(x)) { check_err(v, field, "This field must be a list of organisations."); json_decref(out); return NULL; }
        int64_t id = json_integer_value(x);
        stmt_t *s = db_prep(v->db, "SELECT kind FROM organisations WHERE id = :id");
        db_bind_int(s, ":id", id);
        bool found = db_step(s);
        bool is_net = found && (streq(db_text(s, 0), "cluster") || streq(db_text(s, 0), "network"));
        db_reset(s);
        if (!found || id == self) { check_err(v, field, "There is no such organisation."); json_decref(out); return NULL; }
        if (networks_only && !is_net) { check_err(v, field, "Only clusters and networks can have members."); json_decref(out); return NULL; }
        bool dup = false;
        size_t k;
        json_t *y;
        json_array_foreach(out, k, y) if (json_integer_value(y) == id) dup = true;
        if (!dup) json_array_append_new(out, json_integer(id));
    }
    return out;
}


json_t *org_validate(db_t *db, const char *lang, json_t *input, json_t *base, int64_t self_id, json_t **doc) {
    check_ctx_t v = {db, lang, json_object()};
    json_t *m = check_begin(&v, &org_kind, input, base, doc);   /* input over base */
    if (!m) return v.errors;
    const char *key;
    json_t *val;
    json_t *d = json_object();

    json_t *x;
    if ((x = clean_string(&v, json_object_get(m, "name"), "name", MAX_NAME, true, false))) json_object_set_new(d, "name", x);
    const char *country = json_string_value(json_object_get(m, "country"));
    if (!country || (strcmp(country, "SE") && strcmp(country, "NO"))) {
        check_err(&v, "country", "Choose Sweden or Norway.");
        country = NULL;
    } else {
        json_object_set_new(d, "country", json_string(country));
    }
    json_t *on = json_object_get(m, "orgnr");
    if (!on || json_is_null(on) || (json_is_string(on) && !*json_string_value(on))) {
        json_object_set_new(d, "orgnr", json_null());
    } else if (!json_is_string(on)) {
        check_err(&v, "orgnr", "This field must be text.");
    } else {
        char digits[32];
        if (!orgnr_normalise(json_string_value(on), digits, sizeof digits)) {
            check_err(&v, "orgnr", "An organisation number has only digits (and perhaps one dash).");
        } else if (country && !strcmp(country, "SE") && !orgnr_valid_se(digits)) {
            check_err(&v, "orgnr", "This is not a valid Swedish organisation number (10 digits with a correct check digit).");
        } else if (country && !strcmp(country, "NO") && !orgnr_valid_no(digits)) {
            check_err(&v, "orgnr", "This is not a valid Norwegian organisation number (9 digits with a correct check digit).");
        } else if (country) {
            stmt_t *s = db_prep(db, "SELECT id FROM organisations WHERE country = :c AND orgnr = :n AND id <> :self");
            db_bind_text(s, ":c", country);
            db_bind_text(s, ":n", digits);
            db_bind_int(s, ":self", self_id);
            if (db_step(s)) check_err(&v, "orgnr", "An organisation with this number is already in the directory.");
            db_reset(s);
            json_object_set_new(d, "orgnr", json_string(digits));
        }
    }
    const char *kind = json_string_value(json_object_get(m, "kind"));
    if (!ref_kind_valid(kind)) check_err(&v, "kind", "Choose what kind of organisation this is.");
    else json_object_set_new(d, "kind", json_string(kind));
    const char *muni = json_string_value(json_object_get(m, "municipality"));
    if (!muni || !*muni) check_err(&v, "municipality", "Choose a municipality.");
    else if (country && !ref_municipality(country, muni)) check_err(&v, "municipality", "There is no municipality with this code in the chosen country.");
    else if (country) json_object_set_new(d, "municipality", json_string(muni));
    /* issue 12: a second record of the same organisation is refused: the same name (letter case
     * aside) in the same municipality, unless both carry different organisation numbers (then they
     * are two legal entities). Only when creating: a PATCH stays at its ten SELECTs (tests/http/documents). */
    const char *nm = json_string_value(json_object_get(d, "name"));
    if (!base && nm && country && json_object_get(d, "municipality")) {
        stmt_t *s = db_prep(db, "SELECT id FROM organisations WHERE country = :c AND municipality = :m AND lower(name) = lower(:n) AND id <> :self "
                                "AND (orgnr IS NULL OR :nr IS NULL OR orgnr = :nr) LIMIT 1");
        db_binds(s, DB_TEXT(":c", country), DB_TEXT(":m", muni), DB_TEXT(":n", nm), DB_TEXT(":nr", jstr(d, "orgnr")),
                    DB_INT(":self", self_id));
        if (db_int_of(s, 0)) check_err(&v, "name", "An organisation with this name in this municipality is already in the directory: claim or join it instead.");
    }
    if ((x = clean_string(&v, json_object_get(m, "website"), "website", MAX_URL, false, true))) {
        if (json_is_string(x) && !check_url(json_string_value(x))) { check_err(&v, "website", "A web address starts with https:// or http://."); json_decref(x); }
        else json_object_set_new(d, "website", x);
    }
    json_t *desc = json_object_get(m, "description");
    if (desc && !json_is_null(desc) && !json_is_object(desc)) {
        check_err(&v, "description", "The description must be an object with sv, nb and en.");
    } else {
        json_t *dd = json_object();
        json_object_foreach(desc, key, val)
            if (strcmp(key, "sv") && strcmp(key, "nb") && strcmp(key, "en")) check_err(&v, "description", "The description must be an object with sv, nb and en.");
        for (int i = 0; i < 3; i++) {
            char f[32];
            snprintf(f, sizeof f, "description.%s", i18n_langs[i]);
            json_t *t = clean_string(&v, json_object_get(desc, i18n_langs[i]), f, MAX_TEXT, false, false);
            if (t) json_object_set_new(dd, i18n_langs[i], t);
        }
        json_object_set_new(d, "description", dd);
    }
    static const char *const tagf[] = {"competences", "offers", "needs"};
    for (int i = 0; i < 3; i++) {
        if ((x = clean_tags(&v, json_object_get(m, tagf[i]), tagf[i], MAX_TAG, MAX_TAGS))) json_object_set_new(d, tagf[i], x);
        char f[32];
        snprintf(f, sizeof f, "%s_text", tagf[i]);
        if ((x = clean_string(&v, json_object_get(m, f), f, MAX_SHORT, false, false))) json_object_set_new(d, f, x);
    }
    if ((x = clean_tags(&v, json_object_get(m, "nace"), "nace", 6, 10))) {
        size_t i;
        json_t *c;
        json_array_foreach(x, i, c) if (!ref_nace_valid(json_string_value(c))) check_err(&v, "nace", "Unknown industry code: use NACE codes such as 62.010.");
        json_object_set_new(d, "nace", x);
    }
    if ((x = clean_tags(&v, json_object_get(m, "themes"), "themes", 64, 30))) {
        size_t i;
        json_t *c;
        arena_t *ta = arena_new();
        int nt;
        theme_t *all = ref_themes(db, ta, "en", &nt);   /* cached: no statement per theme */
        json_array_foreach(x, i, c) {
            bool known = false;
            for (int k = 0; k < nt && !known; k++) known = streq(all[k].slug, json_string_value(c));
            if (!known) check_err(&v, "themes", "Unknown theme.");
        }
        arena_free(ta);
        json_object_set_new(d, "themes", x);
    }
    json_t *cs = json_object_get(m, "contacts");
    if (check_list(&v, cs, "contacts", MAX_LIST, "Contacts must be a list of people.")) {
        json_t *out = json_array();
        size_t i;
        json_t *c;
        json_array_foreach(cs, i, c) {
            if (!json_is_object(c)) { check_err(&v, "contacts", "Contacts must be a list of people."); break; }
            json_object_foreach(c, key, val)
                if (strcmp(key, "name") && strcmp(key, "role") && strcmp(key, "email") && strcmp(key, "phone") && strcmp(key, "consent"))
                    check_err(&v, "contacts", "A contact has a field that is unknown.");
            json_t *n = clean_string(&v, json_object_get(c, "name"), "contacts", 120, false, false);
            json_t *ro = clean_string(&v, json_object_get(c, "role"), "contacts", 120, false, false);
            json_t *em = clean_string(&v, json_object_get(c, "email"), "contacts", 254, false, false);
            json_t *ph = clean_string(&v, json_object_get(c, "phone"), "contacts", 40, false, false);
            json_t *co = json_object_get(c, "consent");
            if (co && !json_is_boolean(co)) check_err(&v, "contacts", "Consent must be true or false.");
            if (n && em && ph && ro) {
                const char *e = json_string_value(em);
                if (!*json_string_value(n) && (*e || *json_string_value(ph))) check_err(&v, "contacts", "Every contact needs a name.");
                else if (*e && (!strchr(e, '@') || strpbrk(e, " <>\"'"))) check_err(&v, "contacts", "This is not a valid e-mail address.");
                else if (*json_string_value(n))
                    json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:O, s:b}", "name", n, "role", ro, "email", em,
                                                         "phone", ph, "consent", json_is_true(co)));
            }
            json_decref(n); json_decref(ro); json_decref(em); json_decref(ph);
        }
        json_object_set_new(d, "contacts", out);
    }
    if ((x = clean_ids(&v, json_object_get(m, "networks"), "networks", self_id, true))) json_object_set_new(d, "networks", x);
    const char *status = json_string_value(json_object_get(m, "status"));
    if (!status) status = "active";
    if (strcmp(status, "active") && strcmp(status, "dissolved") && strcmp(status, "merged")) check_err(&v, "status", "Unknown status.");
    else json_object_set_new(d, "status", json_string(status));
    json_t *ended = json_object_get(m, "ended_on");
    if (!strcmp(status, "active")) {
        json_object_set_new(d, "ended_on", json_null());
    } else if (!json_is_string(ended) || !check_date(json_string_value(ended))) {
        check_err(&v, "ended_on", "Give the date (YYYY-MM-DD) the organisation was dissolved or merged.");
    } else {
        json_object_set_new(d, "ended_on", json_string(json_string_value(ended)));
    }
    if ((x = clean_ids(&v, json_object_get(m, "successors"), "successors", self_id, false))) json_object_set_new(d, "successors", x);
    json_t *emp = json_object_get(m, "employees");
    if (!emp || json_is_null(emp)) json_object_set_new(d, "employees", json_null());
    else if (!json_is_integer(emp) || json_integer_value(emp) < 0 || json_integer_value(emp) > 10000000)
        check_err(&v, "employees", "The number of employees must be a whole number.");
    else json_object_set_new(d, "employees", json_integer(json_integer_value(emp)));

    json_decref(m);
    if (json_object_size(v.errors)) { json_decref(d); return v.errors; }
    *doc = d;
    return v.errors;
}

/* ---- saving: through the document pipeline (doc/doc.h) ---- */
static void add_fold(buf_t *b, const char *s) { if (s && *s) { buf_puts(b, s); buf_putc(b, ' '); } }

static bool write_children(db_t *db, int64_t id, json_t *d) {
    static const char *const del[] = {"DELETE FROM org_tags WHERE org_id = :id", "DELETE FROM org_themes WHERE org_id = :id",
                                      "DELETE FROM org_nace WHERE org_id = :id", "DELETE FROM org_contacts WHERE org_id = :id",
                                      "DELETE FROM org_networks WHERE org_id = :id", "DELETE FROM org_successors WHERE org_id = :id"};
    if (!db_run_each(db, del, ":id", id)) return false;
    static const char *const tk[3][2] = {{"competences", "competence"}, {"offers", "offer"}, {"needs", "need"}};
    size_t i;
    json_t *x;
    for (int k = 0; k < 3; k++) {
        json_array_foreach(json_object_get(d, tk[k][0]), i, x) {
            stmt_t *s = db_prep(db, "INSERT INTO org_tags (org_id, kind, pos, tag) VALUES (:id, :kind, :pos, :tag)");
            db_binds(s, DB_INT(":id", id), DB_TEXT(":kind", tk[k][1]), DB_INT(":pos", (int64_t)i), DB_TEXT(":tag", json_string_value(x)));
            if (!db_run(s)) return false;
        }
    }
    json_array_foreach(json_object_get(d, "nace"), i, x) {
        stmt_t *s = db_prep(db, "INSERT INTO org_nace (org_id, pos, code, section) VALUES (:id, :pos, :code, :sec)");
        db_binds(s, DB_INT(":id", id), DB_INT(":pos", (int64_t)i), DB_TEXT(":code", json_string_value(x)),
                    DB_TEXT(":sec", ref_nace_section(json_string_value(x))));
        if (!db_run(s)) return false;
    }
    json_array_foreach(json_object_get(d, "contacts"), i, x) {
        stmt_t *s = db_prep(db, "INSERT INTO org_contacts (org_id, pos, name, role, email, phone, consent) "
                                "VALUES (:id, :pos, :name, :role, :email, :phone, :consent)");
        db_binds(s, DB_INT(":id", id), DB_INT(":pos", (int64_t)i), DB_TEXT(":name", jstr(x, "name")), DB_TEXT(":role", jstr(x, "role")),
                    DB_TEXT(":email", jstr(x, "email")), DB_TEXT(":phone", jstr(x, "phone")),
                    DB_INT(":consent", json_is_true(json_object_get(x, "consent"))));
        if (!db_run(s)) return false;
    }
    /* the lists of one value each: key areas (text), networks and successors (ids) */
    static const char *const lists[][2] = {{"themes", "INSERT INTO org_themes (org_id, theme) VALUES (:id, :v)"},
                                           {"networks", "INSERT INTO org_networks (org_id, network_id) VALUES (:id, :v)"},
                                           {"successors", "INSERT INTO org_successors (org_id, successor_id) VALUES (:id, :v)"}};
    for (int k = 0; k < 3; k++) {
        json_array_foreach(json_object_get(d, lists[k][0]), i, x) {
            stmt_t *s = db_prep_static(db, lists[k][1]);
            db_bind_int(s, ":id", id);
            if (json_is_integer(x)) db_bind_int(s, ":v", json_integer_value(x));
            else db_bind_text(s, ":v", json_string_value(x));
            if (!db_run(s)) return false;
        }
    }
    return true;
}

/* org_write: the row and its child tables (doc_kind_t.write) */
static int64_t org_write(db_t *db, arena_t *a, int64_t id, json_t *doc, json_t *old, int version, int64_t user_id) {
    (void)old;
    json_t *newd = doc;
    const char *country = json_string_value(json_object_get(newd, "country"));
    const char *muni = json_string_value(json_object_get(newd, "municipality"));
    const municipality_t *mu = ref_municipality(country, muni);
    json_t *desc = json_object_get(newd, "description");
    /* folded text for the directory's plain search */
    buf_t st;
    buf_init(&st, a);
    add_fold(&st, json_string_value(json_object_get(newd, "name")));
    for (int i = 0; i < 3; i++) add_fold(&st, json_string_value(json_object_get(desc, i18n_langs[i])));
    static const char *const tf[] = {"competences", "offers", "needs"};
    for (int k = 0; k < 3; k++) {
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(newd, tf[k]), i, x) add_fold(&st, json_string_value(x));
        char f[32];
        snprintf(f, sizeof f, "%s_text", tf[k]);
        add_fold(&st, json_string_value(json_object_get(newd, f)));
    }
    char *folded = text_fold(a, st.data);
    const char *now = now_utc(a);
    stmt_t *s;
    if (!id) {
        s = db_prep(db, "INSERT INTO organisations (name, country, orgnr, kind, municipality, county, website, desc_sv, "
                        "desc_nb, desc_en, competences_text, offers_text, needs_text, employees, status, ended_on, "
                        "search_text, demo_key, version, created_at, updated_at) VALUES (:name, :country, :orgnr, :kind, "
                        ":muni, :county, :website, :sv, :nb, :en, :ct, :ot, :nt, :emp, :status, :ended, :search, :demo, "
                        ":version, :now, :now)");
        db_bind_text(s, ":demo", json_string_value(json_object_get(doc, "demo_key")));
    } else {
        s = db_prep(db, "UPDATE organisations SET name = :name, country = :country, orgnr = :orgnr, kind = :kind, "
                        "municipality = :muni, county = :county, website = :website, desc_sv = :sv, desc_nb = :nb, "
                        "desc_en = :en, competences_text = :ct, offers_text = :ot, needs_text = :nt, employees = :emp, "
                        "status = :status, ended_on = :ended, search_text = :search, version = :version, "
                        "updated_at = :now WHERE id = :id");
        db_bind_int(s, ":id", id);
    }
    db_binds(s, DB_TEXT(":name", jstr(newd, "name")), DB_TEXT(":country", country), DB_TEXT(":orgnr", jstr(newd, "orgnr")),
                DB_TEXT(":kind", jstr(newd, "kind")), DB_TEXT(":muni", muni), DB_TEXT(":county", mu ? mu->county : NULL),
                DB_TEXT(":website", jstr(newd, "website")), DB_TEXT(":sv", jstr(desc, "sv")), DB_TEXT(":nb", jstr(desc, "nb")),
                DB_TEXT(":en", jstr(desc, "en")), DB_TEXT(":ct", jstr(newd, "competences_text")), DB_TEXT(":ot", jstr(newd, "offers_text")),
                DB_TEXT(":nt", jstr(newd, "needs_text")));
    doc_bind_int(s, ":emp", json_object_get(newd, "employees"));
    db_binds(s, DB_TEXT(":status", jstr(newd, "status")), DB_TEXT(":ended", jstr(newd, "ended_on")), DB_TEXT(":search", folded),
                DB_INT(":version", version), DB_TEXT(":now", now));
    if (!db_run(s)) return 0;
    if (!id) id = db_last_id(db);
    if (!write_children(db, id, newd) || !org_networks_sync(db, a, id, user_id, json_array_size(json_object_get(newd, "networks")) > 0, json_object_get(old, "networks"))) return 0; /* issue 11: claimed memberships */
    if (version == 1 && user_id) {
        s = db_prep(db, "INSERT INTO org_members (org_id, user_id, role, since) VALUES (:o, :u, 'admin', :now)");
        db_bind_int(s, ":o", id);
        db_bind_int(s, ":u", user_id);
        db_bind_text(s, ":now", now);
        if (!db_run(s)) return 0;
    }
    return id;
}

static json_t *org_kind_validate(db_t *db, const char *lang, json_t *input, json_t *base, int64_t id, const user_t *u, json_t **doc) {
    (void)u;
    return org_validate(db, lang, input, base, id, doc);
}

static json_t *org_kind_load(db_t *db, arena_t *a, int64_t id, const user_t *u, bool editor) {
    (void)a;
    return org_load(db, id, editor || org_can_edit(db, u, id));
}

doc_kind_t org_kind = {
    .name = "organisation", .fields = fields, .readonly = readonly, .validate = org_kind_validate, .write = org_write,
    .load = org_kind_load, .may_edit = org_can_edit, .may_revert = org_can_admin, .api_path = "/api/v1/organisations",
    .msg_not_found = N_("There is no such organisation."),
    .msg_forbidden_edit = N_("Only the organisation's members may edit it."),
    .msg_forbidden_history = N_("Only the organisation's members may see its history."),
    .msg_forbidden_revert = N_("Only the organisation's administrators may revert it."),
    .msg_save_failed = N_("The organisation could not be saved. Nothing was changed."),
};

int64_t org_save(db_t *db, arena_t *a, int64_t id, json_t *doc, int64_t user_id, const char *note, bool *changed) {
    return doc_save_simple(&org_kind, db, a, id, doc, user_id, note, changed);
}

json_t *org_history(db_t *db, int64_t id) { return doc_history(&org_kind, db, id); }

/* ---- roles ---- */
org_role_t org_role(db_t *db, int64_t org_id, int64_t user_id) {
    stmt_t *s = db_prep(db, "SELECT role FROM org_members WHERE org_id = :o AND user_id = :u");
    db_bind_int(s, ":o", org_id);
    db_bind_int(s, ":u", user_id);
    org_role_t r = ROLE_NONE;
    if (db_step(s)) r = streq(db_text(s, 0), "admin") ? ROLE_ADMIN : ROLE_MEMBER;
    db_reset(s);
    return r;
}

bool org_can_edit(db_t *db, const user_t *u, int64_t org_id) {
    return u && (u->is_admin || org_role(db, org_id, u->id) >= ROLE_MEMBER);
}
bool org_can_admin(db_t *db, const user_t *u, int64_t org_id) {
    return u && (u->is_admin || org_role(db, org_id, u->id) == ROLE_ADMIN);
}

int org_active_admins(db_t *db, int64_t org_id) {
    stmt_t *s = db_prep(db, "SELECT count(*) FROM org_members m JOIN users u ON u.id = m.user_id "
                            "WHERE m.org_id = :o AND m.role = 'admin' AND u.deleted_at IS NULL");
    db_bind_int(s, ":o", org_id);
    int n = db_step(s) ? (int)db_int(s, 0) : 0;
    db_reset(s);
    return n;
}

bool org_request_join(db_t *db, arena_t *a, int64_t org_id, int64_t user_id, const char *message) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM org_join_requests WHERE org_id = :o AND user_id = :u AND status = 'pending'");
    db_bind_int(s, ":o", org_id);
    db_bind_int(s, ":u", user_id);
    bool pending = db_exists(s);
    if (pending) return true;
    s = db_prep(db, "INSERT INTO org_join_requests (org_id, user_id, message, created_at) VALUES (:o, :u, :m, :now)");
    db_binds(s, DB_INT(":o", org_id), DB_INT(":u", user_id), DB_TEXT(":m", message), DB_TEXT(":now", now_utc(a)));
    return db_run(s);
}

bool org_decide_request(db_t *db, arena_t *a, int64_t request_id, int64_t org_id, bool approve, int64_t by) {
    if (!db_begin(db)) return false;
    stmt_t *s = db_prep(db, "SELECT user_id FROM org_join_requests WHERE id = :id AND org_id = :o AND status = 'pending'");
    db_bind_int(s, ":id", request_id);
    db_bind_int(s, ":o", org_id);
    int64_t uid = db_int_of(s, 0);
    if (!uid) { db_rollback(db); return false; }
    s = db_prep(db, "UPDATE org_join_requests SET status = :st, decided_by = :by, decided_at = :now WHERE id = :id");
    db_binds(s, DB_TEXT(":st", approve ? "approved" : "rejected"), DB_INT(":by", by), DB_TEXT(":now", now_utc(a)),
                DB_INT(":id", request_id));
    bool ok = db_run(s);
    if (ok && approve && org_role(db, org_id, uid) == ROLE_NONE) ok = org_set_role(db, a, org_id, uid, "member");
    if (!ok || !db_commit(db)) { db_rollback(db); return false; }
    /* the one who asked hears the answer (issue 14) */
    if (!notify_emit(db, approve ? "join-accepted" : "join-declined", "org", org_id, (notify_audience_t){.user = uid}, NULL))
        log_msg("org: the answer to join request %lld could not be told", (long long)request_id);
    return true;
}

bool org_set_role(db_t *db, arena_t *a, int64_t org_id, int64_t user_id, const char *role) {
    stmt_t *s;
    if (!role) {
        s = db_prep(db, "DELETE FROM org_members WHERE org_id = :o AND user_id = :u");
    } else {
        s = db_prep(db, "INSERT INTO org_members (org_id, user_id, role, since) VALUES (:o, :u, :role, :now) "
                        "ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role");
        db_bind_text(s, ":role", role);
        db_bind_text(s, ":now", now_utc(a));
    }
    db_bind_int(s, ":o", org_id);
    db_bind_int(s, ":u", user_id);
    return db_run(s);
}

json_t *org_personal_data(db_t *db, int64_t uid) {
    return json_pack("{s:o, s:o, s:o, s:o, s:o}",
        "claims", doc_user_rows(db, "SELECT org_id, message, status, created_at FROM org_claims WHERE user_id = :u ORDER BY id",
                                uid, "organisation,message?,status,created_at"),
        "messages_sent", doc_user_rows(db, "SELECT org_id, subject, body, created_at FROM org_messages WHERE from_user = :u ORDER BY id",
                                       uid, "organisation,subject,body,created_at"),
        "memberships", doc_user_rows(db, "SELECT m.org_id, o.name, m.role, m.since FROM org_members m JOIN organisations o "
                                         "ON o.id = m.org_id WHERE m.user_id = :u ORDER BY o.name", uid, "organisation,name,role,since"),
        "join_requests", doc_user_rows(db, "SELECT org_id, message, status, created_at FROM org_join_requests WHERE user_id = :u ORDER BY id",
                                       uid, "organisation,message,status,created_at"),
        "edits", doc_user_edits(&org_kind, db, uid, "organisation"));
}

bool org_forget_user(db_t *db, int64_t uid) {
    /* issue 12: join requests and claims lose their message (pending ones are refused); the
     * messages sent are deleted (the copies already mailed are the recipients') */
    static const char *const forget[] = {
        "DELETE FROM org_members WHERE user_id = :id",
        "UPDATE org_join_requests SET message = NULL, status = CASE status WHEN 'pending' THEN 'rejected' ELSE status END WHERE user_id = :id",
        "UPDATE org_claims SET message = NULL, status = CASE status WHEN 'pending' THEN 'refused' ELSE status END WHERE user_id = :id",
        "DELETE FROM org_messages WHERE from_user = :id",
    };
    return db_run_each(db, forget, ":id", uid);
}

json_t *org_without_admin(db_t *db, int limit, long long *total) {
    stmt_t *s = db_prep(db, "SELECT count(*) FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM org_members m JOIN users u "
                            "ON u.id = m.user_id WHERE m.org_id = o.id AND m.role = 'admin' AND u.deleted_at IS NULL) AND o.status = 'active'");
    *total = db_int_of(s, 0);
    db_reset(s);
    s = db_prep(db, "SELECT o.id, o.name, o.country, (SELECT count(*) FROM org_join_requests j WHERE j.org_id = o.id AND j.status = 'pending') AS p "
                    "FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM org_members m JOIN users u ON u.id = m.user_id "
                    "WHERE m.org_id = o.id AND m.role = 'admin' AND u.deleted_at IS NULL) AND o.status = 'active' "
                    "ORDER BY p DESC, o.name LIMIT :limit");
    db_bind_int(s, ":limit", limit);
    return doc_rows(s, "id,name,country,pending");
}

int org_revert(db_t *db, arena_t *a, const char *lang, int64_t id, int version, int64_t user_id, json_t **errors) {
    *errors = NULL;
    doc_save_opts_t o = {.user_id = user_id, .lang = lang};
    doc_result_t res;
    doc_rc_t rc = doc_revert(&org_kind, db, a, id, version, &o, &res);
    if (rc == DOC_NOT_FOUND) return 404;
    if (rc == DOC_INVALID) { *errors = json_incref(res.conflicts); return 409; }
    return rc == DOC_SAVED || rc == DOC_UNCHANGED ? 0 : 500;
}

int64_t org_find_orgnr(db_t *db, const char *country, const char *orgnr) {
    stmt_t *s = db_prep(db, "SELECT id FROM organisations WHERE country = :c AND orgnr = :n");
    db_bind_text(s, ":c", country);
    db_bind_text(s, ":n", orgnr);
    return db_int_of(s, 0);
}

int64_t org_find_name(db_t *db, const char *name) {
    stmt_t *s = db_prep(db, "SELECT CASE WHEN count(*) = 1 THEN min(id) ELSE 0 END FROM organisations WHERE name = :n COLLATE NOCASE");
    return db_int_for_text(s, ":n", name);
}

bool org_has_owner(db_t *db, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM org_members WHERE org_id = :id LIMIT 1");
    db_bind_int(s, ":id", id);
    bool owned = db_exists(s);
    return owned || doc_edited_by_user(&org_kind, db, id);
}

static int link_cmp(const void *x, const void *y) {
    return strcmp(((const org_link_t *)x)->name, ((const org_link_t *)y)->name);
}

static void push_str(arena_t *a, const char ***arr, int *n, const char *v) {
    const char **na = arena_alloc(a, sizeof(char *) * (size_t)(*n + 1));
    if (*n) memcpy(na, *arr, sizeof(char *) * (size_t)*n);
    na[(*n)++] = arena_strdup(a, v ? v : "");
    *arr = na;
}

bool org_view(db_t *db, arena_t *a, int64_t id, bool with_private, org_view_t *v) {
    memset(v, 0, sizeof *v);
    stmt_t *s = db_prep(db,
        "SELECT name, country, orgnr, kind, municipality, website, desc_sv, desc_nb, desc_en, competences_text, offers_text, "
        "needs_text, employees, status, ended_on, demo_key IS NOT NULL, updated_at FROM organisations WHERE id = :id");
    db_bind_int(s, ":id", id);
    if (!db_step(s)) return false;
    v->id = id;
    v->name = db_text_dup(s, 0, a);
    v->country = db_text_dup(s, 1, a);
    v->orgnr = db_text_dup(s, 2, a);
    v->kind = db_text_dup(s, 3, a);
    v->municipality = db_text_dup(s, 4, a);
    v->website = db_text_dup(s, 5, a);
    for (int i = 0; i < 3; i++) v->desc[i] = db_text_dup(s, 6 + i, a);
    for (int i = 0; i < 3; i++) v->text[i] = db_text_dup(s, 9 + i, a);
    v->employees = db_is_null(s, 12) ? -1 : db_int(s, 12);
    v->status = db_text_dup(s, 13, a);
    v->ended_on = db_text_dup(s, 14, a);
    v->demo = db_int(s, 15) != 0;
    v->updated_at = db_text_dup(s, 16, a);
    db_reset(s);
    /* tags, industry codes and themes in one statement */
    int64_t tpos[64];
    s = db_prep(db, "SELECT substr(kind, 1, 1), pos, tag FROM org_tags WHERE org_id = :id "
                    "UNION ALL SELECT 'x', pos, code FROM org_nace WHERE org_id = :id "
                    "UNION ALL SELECT 't', h.pos, t.theme FROM org_themes t JOIN themes h ON h.slug = t.theme WHERE t.org_id = :id");
    /* no ORDER BY: each branch reads its primary key in order (kind, pos); themes are sorted below */
    db_bind_int(s, ":id", id);
    while (db_step(s)) {
        char k = db_text(s, 0)[0];
        const char *val = db_text(s, 2);
        if (k == 'c') push_str(a, &v->tags[0], &v->ntags[0], val);
        else if (k == 'o') push_str(a, &v->tags[1], &v->ntags[1], val);
        else if (k == 'n') push_str(a, &v->tags[2], &v->ntags[2], val);
        else if (k == 'x') push_str(a, &v->nace, &v->nnace, val);
        else if (k == 't' && v->nthemes < 64) { tpos[v->nthemes] = db_int(s, 1); push_str(a, &v->themes, &v->nthemes, val); }
    }
    for (int i = 1; i < v->nthemes; i++) /* insertion sort by the themes' display order */
        for (int k = i; k > 0 && tpos[k] < tpos[k - 1]; k--) {
            int64_t tp = tpos[k]; tpos[k] = tpos[k - 1]; tpos[k - 1] = tp;
            const char *ts = v->themes[k]; v->themes[k] = v->themes[k - 1]; v->themes[k - 1] = ts;
        }
    s = db_prep(db, "SELECT name, role, email, phone, consent FROM org_contacts WHERE org_id = :id ORDER BY pos");
    db_bind_int(s, ":id", id);
    while (db_step(s)) {
        if (!with_private && !db_int(s, 4)) continue;
        org_contact_t *nc = arena_alloc(a, sizeof *nc * (size_t)(v->ncontacts + 1));
        if (v->ncontacts) memcpy(nc, v->contacts, sizeof *nc * (size_t)v->ncontacts);
        nc[v->ncontacts] = (org_contact_t){db_text_dup(s, 0, a), db_text_dup(s, 1, a), db_text_dup(s, 2, a), db_text_dup(s, 3, a),
                                           db_int(s, 4) != 0};
        v->contacts = nc;
        v->ncontacts++;
    }
    /* networks it belongs to, its members, successors and predecessors */
    /* memberships only once the cluster accepted them (issue 11; org/networks.c) */
    s = db_prep(db, "SELECT 0, o.id, o.name, o.country FROM org_networks n JOIN organisations o ON o.id = n.network_id "
                    "JOIN org_network_confirmed c ON c.org_id = n.org_id AND c.network_id = n.network_id AND c.state = 'confirmed' WHERE n.org_id = :id "
                    "UNION ALL SELECT 1, o.id, o.name, o.country FROM org_networks n JOIN organisations o ON o.id = n.org_id "
                    "JOIN org_network_confirmed c ON c.org_id = n.org_id AND c.network_id = n.network_id AND c.state = 'confirmed' WHERE n.network_id = :id "
                    "UNION ALL SELECT 2, o.id, o.name, o.country FROM org_successors s JOIN organisations o ON o.id = s.successor_id WHERE s.org_id = :id "
                    "UNION ALL SELECT 3, o.id, o.name, o.country FROM org_successors s JOIN organisations o ON o.id = s.org_id WHERE s.successor_id = :id");
    db_bind_int(s, ":id", id);
    while (db_step(s)) {
        int k = (int)db_int(s, 0);
        if (k < 0 || k > 3) continue;
        org_link_t *nl = arena_alloc(a, sizeof *nl * (size_t)(v->nlinks[k] + 1));
        if (v->nlinks[k]) memcpy(nl, v->links[k], sizeof *nl * (size_t)v->nlinks[k]);
        nl[v->nlinks[k]] = (org_link_t){db_int(s, 1), db_text_dup(s, 2, a), db_text_dup(s, 3, a)};
        v->links[k] = nl;
        v->nlinks[k]++;
    }
    for (int k = 0; k < 4; k++)
        if (v->nlinks[k] > 1) qsort(v->links[k], (size_t)v->nlinks[k], sizeof(org_link_t), link_cmp);
    return true;
}

/* org_member_ids: up to max users of an organisation (admins only when admins), active accounts;
 * returns the count (used by notify/ to address join requests and news from the other side). */
int org_member_ids(db_t *db, int64_t org_id, bool admins, int64_t *out, int max) {
    stmt_t *s = db_prep(db, "SELECT m.user_id FROM org_members m JOIN users u ON u.id = m.user_id "
                            "WHERE m.org_id = :o AND (m.role = 'admin' OR NOT :adm) AND u.deleted_at IS NULL ORDER BY m.user_id");
    db_bind_int(s, ":o", org_id);
    db_bind_int(s, ":adm", admins);
    int n = 0;
    while (n < max && db_step(s)) out[n++] = db_int(s, 0);
    db_reset(s);
    return n;
}

/* org_of_user_ids: up to max organisations a user belongs to; returns the count. */
int org_of_user_ids(db_t *db, int64_t user_id, int64_t *out, int max) {
    stmt_t *s = db_prep(db, "SELECT org_id FROM org_members WHERE user_id = :u ORDER BY org_id");
    db_bind_int(s, ":u", user_id);
    int n = 0;
    while (n < max && db_step(s)) out[n++] = db_int(s, 0);
    db_reset(s);
    return n;
}

/* org_member_users: every live user who belongs to some organisation, ascending; *n the count.
 * The array is malloc'ed: the caller frees it (notify/'s weekly "news from the other side"). */
int64_t *org_member_users(db_t *db, size_t *n) {
    stmt_t *s = db_prep(db, "SELECT DISTINCT m.user_id FROM org_members m JOIN users u ON u.id = m.user_id "
                            "WHERE u.deleted_at IS NULL ORDER BY m.user_id");
    int64_t *out = NULL;
    size_t cap = 0;
    *n = 0;
    while (db_step(s)) {
        if (*n == cap) out = xrealloc(out, (cap = cap ? 2 * cap : 256) * sizeof *out);
        out[(*n)++] = db_int(s, 0);
    }
    db_reset(s);
    return out;
}

/* org_new_since: organisations with after_id < id <= upto_id created at or after created_after
 * (ISO UTC, may be NULL), ascending, with their country; malloc'ed (caller frees), *n the count.
 * org_last_id: the highest organisation id (0 when none). For notify/'s news from the other side. */
org_brief_t *org_new_since(db_t *db, arena_t *a, int64_t after_id, int64_t upto_id, const char *created_after, size_t *n) {
    stmt_t *s = db_prep(db, "SELECT id, country FROM organisations WHERE id > :after AND id <= :upto "
                            "AND (:since IS NULL OR created_at >= :since) ORDER BY id");
    db_bind_int(s, ":after", after_id);
    db_bind_int(s, ":upto", upto_id);
    db_bind_text(s, ":since", created_after);
    org_brief_t *out = NULL;
    size_t cap = 0;
    *n = 0;
    while (db_step(s)) {
        if (*n == cap) out = xrealloc(out, (cap = cap ? 2 * cap : 256) * sizeof *out);
        out[(*n)++] = (org_brief_t){db_int(s, 0), db_text_dup(s, 1, a)};
    }
    db_reset(s);
    return out;
}

int64_t org_last_id(db_t *db) { return db_int_of(db_prep(db, "SELECT coalesce(max(id), 0) FROM organisations"), 0); }
