/* Bringing reports in: `granslos import report FILE [--event ID | --org ID]` and the demo event's
 * roundtables (the seed report, data/demo/motesplats-vision-2022.txt). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "core/embedded.h"
#include "core/util.h"
#include "events/events.h"
#include "i18n/i18n.h"
#include "obstacles/obstacles.h"
#include "org/org.h"
#include "roundtables/roundtables.h"

static void jfree(void *p) { json_decref(p); }

/* report_date: the first "15 mars 2022" / "15. mars 2022" / "15 March 2022" in the
 * introduction, as YYYY-MM-DD into out; false when there is none */
static bool report_date(const report_t *r, char out[40]) {
    static const char *const months[][3] = {
        {"januari", "januar", "january"}, {"februari", "februar", "february"}, {"mars", "mars", "march"},
        {"april", "april", "april"},      {"maj", "mai", "may"},              {"juni", "juni", "june"},
        {"juli", "juli", "july"},         {"augusti", "august", "august"},    {"september", "september", "september"},
        {"oktober", "oktober", "october"}, {"november", "november", "november"}, {"december", "desember", "december"},
    };
    for (int i = 0; i < r->nintro; i++) {
        const char *p = r->intro[i];
        for (; *p; p++) {
            if (!isdigit((unsigned char)*p) || (p > r->intro[i] && isalnum((unsigned char)p[-1]))) continue;
            char *end;
            long d = strtol(p, &end, 10);
            if (d < 1 || d > 31 || end - p > 2) continue;
            if (*end == '.') end++;
            if (*end != ' ') continue;
            end++;
            for (int m = 0; m < 12; m++)
                for (int l = 0; l < 3; l++) {
                    size_t n = strlen(months[m][l]);
                    if (strncasecmp(end, months[m][l], n) || end[n] != ' ') continue;
                    const char *y = end + n + 1;
                    if (!isdigit((unsigned char)y[0]) || !isdigit((unsigned char)y[1]) || !isdigit((unsigned char)y[2]) ||
                        !isdigit((unsigned char)y[3]) || isdigit((unsigned char)y[4]))
                        continue;
                    int year = atoi(y);
                    if (year < 1900 || year > 2200) continue;
                    snprintf(out, 40, "%04d-%02d-%02ld", year, m + 1, d);
                    return true;
                }
        }
    }
    return false;
}

/* report_title: the first paragraph of the introduction with four words or more that does not
 * end like a sentence (the seed's "Mötesplats Vision – Gränslöst företagande …") */
static const char *report_title(const report_t *r) {
    for (int i = 0; i < r->nintro; i++) {
        const char *p = r->intro[i];
        size_t n = strlen(p);
        if (!n || n > 200 || strchr(".?!:", p[n - 1])) continue;
        int words = 1;
        for (const char *c = p; *c; c++) if (*c == ' ') words++;
        if (words >= 4) return p;
    }
    return NULL;
}

/* report_organisers: the organisers of the event a report creates: org, or else the report's hosts
 * that are organisations of the directory (by their exact name), in the report's order, at most
 * EVENT_MAX_ORGANISERS. The array is the caller's. */
static json_t *report_organisers(db_t *db, const report_t *r, int64_t org) {
    json_t *out = json_array();
    if (org) json_array_append_new(out, json_integer(org));
    for (int i = 0; !org && i < r->ntables; i++)
        for (int k = 0; k < r->tables[i].nhosts && json_array_size(out) < EVENT_MAX_ORGANISERS; k++) {
            int64_t id = org_find_name(db, r->tables[i].hosts[k]);
            bool dup = !id;
            size_t j;
            json_t *x;
            json_array_foreach(out, j, x) if (json_integer_value(x) == id) dup = true;
            if (!dup) json_array_append_new(out, json_integer(id));
        }
    return out;
}

int rt_import_file(db_t *db, const char *path, int64_t event_id, int64_t org, FILE *out, FILE *err) {
    if (event_id && !event_exists(db, event_id)) { fprintf(err, "granslos: there is no event %lld; nothing imported\n", (long long)event_id); return 1; }
    if (org && !org_exists(db, org)) { fprintf(err, "granslos: there is no organisation %lld; nothing imported\n", (long long)org); return 1; }
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(err, "granslos: cannot open %s: %s\n", path, strerror(errno)); return 1; }
    struct stat sb;
    if (fstat(fileno(f), &sb) || sb.st_size > (off_t)REPORT_MAX_BYTES) {
        fclose(f);
        fprintf(err, "granslos: %s: the file is larger than 8 MiB; nothing imported\n", path);
        return 1;
    }
    arena_t *a = arena_new();
    char *text = arena_alloc(a, (size_t)sb.st_size + 1);
    size_t n = fread(text, 1, (size_t)sb.st_size, f);
    fclose(f);
    report_t rep;
    report_error_t e;
    int rc = 1;
    if (!utf8_valid(text, n)) { fprintf(err, "granslos: %s: the file is not UTF-8 text; nothing imported\n", path); goto done; }
    if (!report_parse(a, text, n, REPORT_AUTO, &rep, &e)) {
        if (e.line) fprintf(err, "granslos: %s:%d: %s (nothing imported)\n", path, e.line, e.reason);
        else fprintf(err, "granslos: %s: %s (nothing imported)\n", path, e.reason);
        goto done;
    }
    if (!db_begin(db)) goto done;
    if (!event_id) {
        json_t *orgs = report_organisers(db, &rep, org);
        arena_on_free(a, jfree, orgs);
        if (!json_array_size(orgs)) {
            /* an event has at least one organiser (events/model.c): say how to name one */
            fprintf(err, "granslos: %s: none of the report's hosts is an organisation in the directory; name the organiser with --org ID "
                         "(nothing imported)\n", path);
            db_rollback(db);
            goto done;
        }
        /* the first organiser's country and municipality are the event's */
        json_t *o = org_load(db, json_integer_value(json_array_get(orgs, 0)), false);
        char date[40];
        if (!report_date(&rep, date)) {
            /* no date in the file: the day before the import, a past event */
            time_t t = (time_t)now_unix() - 86400;
            struct tm tm;
            localtime_r(&t, &tm);
            snprintf(date, sizeof date, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        }
        const char *country = json_string_value(json_object_get(o, "country"));
        const char *title = report_title(&rep);
        json_t *in = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:O}", "title",
                               title ? title : aprintf_text(a, "Rapport %s", date), "status", "confirmed", "start", aprintf_text(a, "%sT09:00", date),
                               "end", aprintf_text(a, "%sT16:00", date), "timezone", streq(country, "NO") ? "Europe/Oslo" : "Europe/Stockholm",
                               "country", streq(country, "NO") ? "NO" : "SE", "municipality", json_object_get(o, "municipality"),
                               "organisers", orgs);
        json_decref(o);
        json_t *doc;
        json_t *errs = event_validate(db, "en", in, NULL, 0, &doc);
        json_decref(in);
        if (json_object_size(errs)) {
            char *s = json_dumps(errs, JSON_COMPACT);
            fprintf(err, "granslos: the event cannot be created: %s; nothing imported\n", s);
            free(s);
            json_decref(errs);
            db_rollback(db);
            goto done;
        }
        json_decref(errs);
        arena_on_free(a, jfree, doc);
        bool changed;
        event_id = event_save(db, a, 0, doc, 0, "import report", &changed);
        if (!event_id) { db_rollback(db); fprintf(err, "granslos: the event could not be saved; nothing imported\n"); goto done; }
    }
    if (!rt_import(db, a, event_id, &rep, 0) || !db_commit(db)) {
        db_rollback(db);
        fprintf(err, "granslos: %s: the report could not be saved; nothing imported\n", path);
        goto done;
    }
    fprintf(out, "%lld\n", (long long)event_id);
    rc = 0;
done:
    arena_free(a);
    return rc;
}

/* the demo Mötesplats Vision 2022 event: the confirmed event of the series on 15 March 2022 */
static int64_t demo_event(db_t *db, arena_t *a) {
    event_filter_t f = {0};
    struct tm tm = {.tm_year = 122, .tm_mon = 2, .tm_mday = 15, .tm_hour = 0, .tm_isdst = -1};
    f.from = mktime(&tm);
    f.to = f.from + 86400;
    f.status = "all";
    event_row_t *rows;
    int n = event_list(db, a, &f, "sv", &rows);
    for (int i = 0; i < n; i++) {
        if (!rows[i].demo) continue;
        json_t *e = event_load(db, rows[i].id);
        json_t *se = json_object_get(e, "series");
        bool mv = json_is_object(se) && streq(json_string_value(json_object_get(se, "name")), "Mötesplats Vision");
        json_decref(e);
        if (mv) return rows[i].id;
    }
    return 0;
}

static int64_t bullet_starting(db_t *db, int64_t event_id, const char *prefix) {
    stmt_t *s = db_prep(db, "SELECT b.id FROM rt_bullets b JOIN roundtables t ON t.id = b.table_id "
                            "WHERE t.event_id = :e AND substr(b.text, 1, length(:p)) = :p ORDER BY b.id LIMIT 1");
    db_bind_int(s, ":e", event_id);
    db_bind_text(s, ":p", prefix);
    return db_int_of(s, 0);
}

/* demo_actions: what became of some of the conference's proposals (invented follow-up, marked
 * demo by the event), and the RAS point linked to its border obstacle */
static bool demo_actions(db_t *db, arena_t *a, int64_t ev) {
    static const struct {
        const char *bullet, *owners[2], *due;
        const char *steps[3][3]; /* status, note, note date */
    } acts[] = {
        {"Nästa steg blir att skriva en ansökan till Interreg", {"iuc-stal-verkstad", NULL}, "2023-03-31",
         {{"agreed", "IUC Stål & Verkstad och 7Sterke skriver ansökan tillsammans.", "2022-05-10"},
          {"in-progress", "Utkastet är klart; partner i Innlandet tillfrågade.", "2022-11-15"},
          {"done", "Ansökan inlämnad i programmets första utlysning.", "2023-02-28"}}},
        {"Lagstiftning och regler för den Blå bioekonomin", {"region-varmland", NULL}, "2023-12-31",
         {{"agreed", "Region Värmland lyfter frågan i gränshinderregistret och med Tillväxtverket.", "2022-06-01"}, {NULL}, {NULL}}},
        {"Skapa en gemensam Tech Innovation Plattform", {"compare", "digital-innlandet"}, NULL,
         {{"agreed", "Första arbetsmöte i Karlstad.", "2022-09-20"}, {"in-progress", "Gemensam plattform i pilotdrift.", "2023-04-12"}, {NULL}}},
        {"Tillsammans med vår norska systerorganisation Solenergiklyngen", {"glava-energy-center", "solenergiklyngen"}, NULL, {{NULL}, {NULL}, {NULL}}},
    };
    for (size_t i = 0; i < sizeof acts / sizeof *acts; i++) {
        int64_t b = bullet_starting(db, ev, acts[i].bullet);
        if (!b) continue;
        json_t *owners = json_array();
        for (int k = 0; k < 2 && acts[i].owners[k]; k++) {
            int64_t o = org_demo_id(db, acts[i].owners[k]);
            if (o) json_array_append_new(owners, json_integer(o));
        }
        json_t *in = json_pack("{s:o}", "owners", owners);
        if (acts[i].due) json_object_set_new(in, "due", json_string(acts[i].due));
        json_t *errors = NULL;
        int code;
        int64_t id = rt_action_create(db, a, "sv", b, in, 0, &errors, &code);
        json_decref(in);
        json_decref(errors);
        if (!id) return false;
        for (int k = 0; k < 3 && acts[i].steps[k][0]; k++) {
            json_t *up = json_pack("{s:s, s:s, s:s}", "status", acts[i].steps[k][0], "note", acts[i].steps[k][1], "note_date", acts[i].steps[k][2]);
            int rc = rt_action_update(db, a, "sv", id, up, 0, &errors);
            json_decref(up);
            json_decref(errors);
            if (rc) return false;
        }
    }
    int64_t ras = bullet_starting(db, ev, "RAS-anläggningar är exkluderade");
    if (!ras) ras = bullet_starting(db, ev, "Lagstiftning och regler för den Blå bioekonomin");
    int64_t obs = obs_demo_id(db, "ras-regional-investment-aid");
    if (ras && obs && !obs_link_add(db, a, obs, "bullet", ras, 0)) return false;
    return true;
}

int rt_demo_load(db_t *db) {
    arena_t *a = arena_new();
    int rc = 0;
    int64_t ev = demo_event(db, a);
    int n;
    if (!ev) goto done;
    rt_table_ids(db, a, ev, &n);
    if (n) goto done; /* loaded before */
    const struct embedded_file *f = embedded_find("data/demo/motesplats-vision-2022.txt");
    report_t rep;
    report_error_t e;
    if (!f || !report_parse(a, f->data, f->len, REPORT_TEXT, &rep, &e)) { fprintf(stderr, "granslos: the demo report does not parse\n"); rc = -1; goto done; }
    if (!db_begin(db)) { rc = -1; goto done; }
    if (!rt_import(db, a, ev, &rep, 0) || !demo_actions(db, a, ev) || !db_commit(db)) { db_rollback(db); rc = -1; goto done; }
    rc = rep.ntables;
done:
    arena_free(a);
    return rc;
}
