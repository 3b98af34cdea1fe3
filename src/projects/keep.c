/* Track record from keep.eu (2014–20): `granslos import keep FILE` reads keep.eu's project or
 * partner export (CSV with quoted fields that may span lines), and an organisation's page of
 * projects lists its platform projects and the past projects its name appears in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/util.h"
#include "html/html.h"
#include "http/api.h"
#include "i18n/i18n.h"
#include "org/match.h"
#include "org/org.h"
#include "projects/projects.h"

enum { KEEP_MAX_FIELDS = 64, KEEP_MAX_BYTES = 64 << 20 };

/* csv_record: the next record of RFC 4180 CSV from *p (quotes, "" and line breaks inside quotes);
 * fields are NUL-terminated in place. Returns the number of fields, 0 at the end, -1 for an
 * unterminated quote. */
static int csv_record(char **p, char **fields, int max) {
    char *s = *p;
    if (!*s) return 0;
    int n = 0;
    for (;;) {
        char *out = s, *start = s;
        if (*s == '"') {
            s++;
            for (;;) {
                if (!*s) return -1;
                if (*s == '"' && s[1] == '"') { *out++ = '"'; s += 2; continue; }
                if (*s == '"') { s++; break; }
                *out++ = *s++;
            }
            while (*s && *s != ',' && *s != '\n' && *s != '\r') s++;  /* junk after a closing quote is dropped */
        } else {
            while (*s && *s != ',' && *s != '\n' && *s != '\r') *out++ = *s++;
        }
        char end = *s;
        *out = 0;
        if (n < max) fields[n++] = start;
        /* the terminator was read before the NUL was written (it may be the same byte) */
        if (end == ',') { s++; continue; }
        if (end == '\r') { s++; if (*s == '\n') s++; }
        else if (end == '\n') s++;
        break;
    }
    *p = s;
    return n;
}

char *proj_read_file(const char *path, size_t max, FILE *err) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(err, "granslos: cannot open %s\n", path); return NULL; }
    size_t cap = 1 << 16, len = 0, got;
    char *data = malloc(cap);
    while ((got = fread(data + len, 1, cap - len - 1, f)) > 0 && (len += got) <= max)
        if (cap - len < 2) data = xrealloc(data, cap *= 2);
    fclose(f);
    if (len > max) {
        fprintf(err, "granslos: %s is over %zu MiB\n", path, max >> 20);
        free(data);
        return NULL;
    }
    data[len] = 0;
    return data;
}

int proj_import_keep(db_t *db, const char *path, FILE *out, FILE *err) {
    char *data = proj_read_file(path, KEEP_MAX_BYTES, err);
    if (!data) return 1;
    char *p = data;
    if (!strncmp(p, "\xEF\xBB\xBF", 3)) p += 3;
    char *h[KEEP_MAX_FIELDS];
    int nh = csv_record(&p, h, KEEP_MAX_FIELDS);
    bool partners = nh >= 8 && streq(h[0], "Programme") && streq(h[1], "Acronym") && streq(h[2], "Project Partner") && streq(h[3], "Lead Partner");
    bool projects = nh >= 7 && streq(h[0], "Programme") && streq(h[1], "Acronym") && streq(h[2], "Project Name") && streq(h[5], "Lead Partner");
    if (!partners && !projects) {
        fprintf(err, "granslos: %s is not keep.eu's project export (Programme,Acronym,Project Name,…) nor its partner export (Programme,Acronym,Project Partner,Lead Partner,…)\n", path);
        free(data);
        return 1;
    }
    if (!db_begin(db)) { free(data); return 1; }
    stmt_t *s = partners ? db_prep(db, "DELETE FROM keep_partners") : db_prep(db, "DELETE FROM keep_projects");
    bool ok = db_run(s);
    long n = 0, line = 1;
    arena_t *a = arena_new();
    char *fl[KEEP_MAX_FIELDS];
    for (int nf; ok && (nf = csv_record(&p, fl, KEEP_MAX_FIELDS)) != 0; line++) {
        if (nf < 0) { fprintf(err, "granslos: record %ld: a quote is not closed\n", line + 1); ok = false; break; }
        if (nf == 1 && !*fl[0]) continue;   /* an empty line */
        if (nf < (partners ? 8 : 7)) { fprintf(err, "granslos: record %ld: %d fields, not %d\n", line + 1, nf, nh); ok = false; break; }
        for (int i = 0; i < (partners ? 8 : 7); i++)
            if (!check_text(fl[i], false) || !text_fold(a, fl[i])) { fprintf(err, "granslos: record %ld: not valid text\n", line + 1); ok = false; }
        if (!ok) break;
        const char *prog = trim(a, fl[0]), *acr = trim(a, fl[1]);
        if (!*prog || !*acr) { fprintf(err, "granslos: record %ld: no programme or acronym\n", line + 1); ok = false; break; }
        if (partners) {
            const char *name = trim(a, fl[2]);
            if (!*name) continue;
            s = db_prep(db, "INSERT INTO keep_partners (programme, acronym, partner, name_fold, lead, country) VALUES (:p, :a, :n, :f, :l, :c) "
                            "ON CONFLICT (programme, acronym, partner) DO UPDATE SET lead = max(keep_partners.lead, excluded.lead)");
            db_bind_text(s, ":n", name);
            db_bind_text(s, ":f", text_fold(a, name));
            db_bind_int(s, ":l", streq(trim(a, fl[3]), "Yes"));
            db_bind_text(s, ":c", trim(a, fl[7]));
        } else {
            s = db_prep(db, "INSERT INTO keep_projects (programme, acronym, name, lead, period) VALUES (:p, :a, :n, :l, :c) "
                            "ON CONFLICT (programme, acronym) DO UPDATE SET name = excluded.name, period = excluded.period, "
                            "lead = CASE WHEN instr(keep_projects.lead, excluded.lead) > 0 THEN keep_projects.lead ELSE keep_projects.lead || ', ' || excluded.lead END");
            /* the name in the first language given (Sverige–Norge projects often have only the second) */
            const char *nm = trim(a, fl[2]);
            if (!*nm) nm = trim(a, fl[3]);
            if (!*nm) nm = trim(a, fl[4]);
            db_bind_text(s, ":n", nm);
            db_bind_text(s, ":l", trim(a, fl[5]));
            db_bind_text(s, ":c", trim(a, fl[6]));
        }
        db_bind_text(s, ":p", prog);
        db_bind_text(s, ":a", acr);
        ok = db_run(s);
        n++;
        arena_free(a);
        a = arena_new();
    }
    arena_free(a);
    free(data);
    if (!ok || !db_commit(db)) { db_rollback(db); fprintf(err, "granslos: nothing imported\n"); return 1; }
    fprintf(out, "%ld keep.eu %s imported\n", n, partners ? "partner rows" : "projects");
    return 0;
}

/* the track record of an organisation: the past projects its name appears in */
json_t *proj_track_record(db_t *db, arena_t *a, int64_t org) {
    const char *name = org_name(db, a, org);
    char *fold = name ? text_fold(a, name) : NULL;
    json_t *outj = json_array();
    if (!fold) return outj;
    stmt_t *s = db_prep(db, "SELECT k.programme, k.acronym, coalesce(p.name, ''), k.lead, k.country FROM keep_partners k "
                            "LEFT JOIN keep_projects p ON p.programme = k.programme AND p.acronym = k.acronym "
                            "WHERE k.name_fold = :f ORDER BY k.programme, k.acronym");
    db_bind_text(s, ":f", fold);
    while (db_step(s))
        json_array_append_new(outj, json_pack("{s:s, s:s, s:s, s:b, s:s}", "programme", db_text(s, 0), "acronym", db_text(s, 1), "name", db_text(s, 2),
                                              "lead", db_int(s, 3) != 0, "country", db_text(s, 4)));
    return outj;
}

/* the platform projects an organisation is a partner of */
static json_t *org_projects(db_t *db, int64_t org) {
    stmt_t *s = db_prep(db, "SELECT p.id, p.acronym, p.status, x.role, x.state FROM project_partners x JOIN projects p ON p.id = x.project_id "
                            "WHERE x.org_id = :o AND x.state <> 'declined' ORDER BY p.updated_at DESC, p.id DESC");
    db_bind_int(s, ":o", org);
    return doc_rows(s, "id,acronym,status,role,state");
}

void proj_org_summary_html(req_t *r, int64_t org) {
    db_t *db = db_get();
    json_t *pr = api_own(r, org_projects(db, org)), *trk = api_own(r, proj_track_record(db, r->arena, org));
    bprintf(&r->out, "<section id=\"projects\"><h2>%h</h2>", T(r, "Projects"));
    size_t i;
    json_t *x;
    if (json_array_size(pr)) buf_puts(&r->out, "<ul class=\"plain\">");
    json_array_foreach(pr, i, x) {
        if (i == 5) break;
        bprintf(&r->out, "<li><a href=\"/projects/%lld\">%h</a> · %h</li>", (long long)json_integer_value(json_object_get(x, "id")), jstr(x, "acronym"),
                proj_status_label(jstr(x, "status"), r->lang));
    }
    if (json_array_size(pr)) buf_puts(&r->out, "</ul>");
    /* the track record, one line per programme: "3 projects in Interreg V-A Sverige-Norge" */
    const char *prev = NULL;
    json_array_foreach(trk, i, x) {
        const char *prog = jstr(x, "programme");
        if (streq(prev, prog)) continue;
        long cnt = 0;
        size_t j;
        json_t *y;
        json_array_foreach(trk, j, y) cnt += streq(jstr(y, "programme"), prog);
        bprintf(&r->out, "<p>%h</p>", aprintf_text(r->arena, TN(r, "Did %ld project in %s (keep.eu, 2014–2020).", "Did %ld projects in %s (keep.eu, 2014–2020).", cnt), cnt, prog));
        prev = prog;
    }
    if (!json_array_size(pr) && !json_array_size(trk)) bprintf(&r->out, "<p class=\"muted\">%h</p>", T(r, "No projects on the platform yet."));
    bprintf(&r->out, "<p><a href=\"/organisations/%lld/projects\">%h</a>", (long long)org, T(r, "Its projects and Interreg track record"));
    if (r->user) bprintf(&r->out, " · <a href=\"/projects/new?organisation=%lld\">%h</a>", (long long)org, T(r, "Start a project with this organisation"));
    buf_puts(&r->out, "</p></section>\n");
}

void proj_api_org_projects(req_t *r) {
    db_t *db = db_get();
    if (!api_found(r, org_exists(db, r->id[0]), N_("There is no such organisation."))) return;
    resp_json(r, 200, json_pack("{s:o, s:o}", "projects", org_projects(db, r->id[0]), "track_record", proj_track_record(db, r->arena, r->id[0])));
}

void proj_org_projects_page(req_t *r) {
    db_t *db = db_get();
    const char *name = org_exists(db, r->id[0]) ? org_name(db, r->arena, r->id[0]) : NULL;
    if (!name) { resp_error(r, 404, "not-found", T(r, "There is no such organisation.")); return; }
    json_t *pr = api_own(r, org_projects(db, r->id[0])), *trk = api_own(r, proj_track_record(db, r->arena, r->id[0]));
    page_begin(r, aprintf_text(r->arena, T(r, "Projects of %s"), name));
    bprintf(&r->out, "<h1>%h</h1><p><a href=\"/organisations/%lld\">%h</a></p>", aprintf_text(r->arena, T(r, "Projects of %s"), name), (long long)r->id[0],
            T(r, "Back to the organisation"));
    bprintf(&r->out, "<section><h2>%h</h2>", T(r, "On the platform"));
    size_t i;
    json_t *x;
    if (json_array_size(pr)) {
        buf_puts(&r->out, "<ul>");
        json_array_foreach(pr, i, x)
            bprintf(&r->out, "<li><a href=\"/projects/%lld\">%h</a> · %h</li>", (long long)json_integer_value(json_object_get(x, "id")), jstr(x, "acronym"),
                    proj_status_label(jstr(x, "status"), r->lang));
        buf_puts(&r->out, "</ul>");
    } else {
        bprintf(&r->out, "<p>%h</p>", T(r, "No projects on the platform yet."));
    }
    bprintf(&r->out, "</section><section id=\"track-record\"><h2>%h</h2>", T(r, "Track record: Interreg 2014–2020 (keep.eu)"));
    if (json_array_size(trk)) {
        /* "did 3 Interreg Sweden–Norway projects: …", per programme */
        const char *prev = NULL;
        json_array_foreach(trk, i, x) {
            const char *prog = jstr(x, "programme");
            if (!streq(prev, prog)) {
                if (prev) buf_puts(&r->out, "</ul>");
                long cnt = 0;
                size_t j;
                json_t *y;
                json_array_foreach(trk, j, y) if (streq(jstr(y, "programme"), prog)) cnt++;
                bprintf(&r->out, "<h3>%h</h3><ul>", aprintf_text(r->arena, TN(r, "%ld project in %s", "%ld projects in %s", cnt), cnt, prog));
                prev = prog;
            }
            bprintf(&r->out, "<li><strong>%h</strong> %h%s%h%s</li>", jstr(x, "acronym"), jstr(x, "name"),
                    json_is_true(json_object_get(x, "lead")) ? " (" : "", json_is_true(json_object_get(x, "lead")) ? T(r, "lead partner") : "",
                    json_is_true(json_object_get(x, "lead")) ? ")" : "");
        }
        buf_puts(&r->out, "</ul>");
    } else {
        bprintf(&r->out, "<p>%h</p>", T(r, "No past Interreg project found under this name."));
    }
    buf_puts(&r->out, "</section>");
    page_end(r);
}

/* ---- partner search: the sought-partner profiles through matchmaking (org/match.h) ---- */
json_t *proj_partner_search(db_t *db, arena_t *a, int64_t id, json_t *doc, const char *lang) {
    json_t *out = json_array();
    size_t i, k;
    json_t *x, *m;
    json_array_foreach(json_object_get(doc, "sought"), i, x) {
        match_query_t q = {.need = json_string_value(json_object_get(x, "text")), .country = json_string_value(json_object_get(x, "country")),
                           .lang = lang, .limit = 20};
        json_t *found = match_find(db, &q), *keep = json_array(), *rest = json_array();
        json_array_foreach(found, k, m) {
            int64_t org = json_integer_value(json_object_get(m, "id"));
            bool partner = false;
            size_t j;
            json_t *p;
            json_array_foreach(json_object_get(doc, "partners"), j, p) if (json_integer_value(json_object_get(p, "organisation")) == org) partner = true;
            if (partner) continue;
            /* "has done a similar project before": a past Interreg project counts in the ranking */
            json_t *tr = proj_track_record(db, a, org);
            json_t *e = json_deep_copy(m);
            if (json_array_size(tr)) {
                json_t *reasons = json_object_get(e, "reasons");
                if (!json_is_array(reasons)) { reasons = json_array(); json_object_set_new(e, "reasons", reasons); }
                json_array_append_new(reasons, json_pack("{s:s, s:s}", "type", "track-record", "text",
                    aprintf_text(a, trn(lang, "has done %ld Interreg project before", "has done %ld Interreg projects before", (long)json_array_size(tr)),
                            (long)json_array_size(tr))));
            }
            json_object_set_new(e, "track_record", tr);
            json_array_append_new(json_array_size(tr) ? keep : rest, e);
        }
        json_array_extend(keep, rest);   /* those with a track record first, each group in matchmaking's order */
        while (json_array_size(keep) > 5) json_array_remove(keep, json_array_size(keep) - 1);
        json_array_append_new(out, json_pack("{s:O, s:O, s:o}", "text", json_object_get(x, "text"), "country",
                                             json_object_get(x, "country") ? json_object_get(x, "country") : json_null(), "matches", keep));
        json_decref(rest);
        json_decref(found);
    }
    (void)id;
    return out;
}

void proj_api_partner_search(req_t *r) {
    db_t *db = db_get();
    json_t *d = api_own(r, doc_snapshot(&proj_kind, db, r->id[0], 0, NULL));
    if (!api_found(r, d != NULL, proj_kind.msg_not_found)) return;
    resp_json(r, 200, json_pack("{s:o}", "profiles", proj_partner_search(db, r->arena, r->id[0], d, r->lang)));
}
