/* Loading and lookup of the reference tables (see ref.h). */
#include "ref/ref.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/buf.h"
#include "core/embedded.h"
#include "core/util.h"
#include "i18n/i18n.h"

const char *const ref_kinds[7] = {"company", "cluster", "public-body", "municipality-region", "research", "investor", "network"};
const char *const ref_sections = "ABCDEFGHIJKLMNOPQRSTU";

/* process-lifetime tables, filled once by load() */
static municipality_t *munis;
static int nmunis;
static county_t *counties;
static int ncounties;
/* a class (4-digit) also keeps its Swedish label (its SNI detail groups' labels joined: SNI has
 * none of its own at four digits) and the bokmål note of what it includes */
struct nace { char code[8]; const char *sv, *nb, *notes, *words[3]; char *sv_class; char section; };
static struct nace *naces;
static int nnaces;
static const char *sections[21][3];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static char **keep[512];  /* line tables and small strings owned by this module for the process */
static int nkeep;

/* split a line in place on sep; handles "quoted" fields without embedded quotes */
static int split(char *line, char sep, char **f, int max) {
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            p++;
            f[n++] = p;
            char *q = strchr(p, '"');
            if (!q) break;
            *q = 0;
            p = q + 1;
            if (*p == sep) p++;
            else break;
        } else {
            f[n++] = p;
            char *q = strchr(p, sep);
            if (!q) break;
            *q = 0;
            p = q + 1;
        }
    }
    return n;
}

/* lines: a writable copy of an embedded file split into lines (process lifetime) */
static char **lines(const char *name, int *n) {
    const struct embedded_file *f = embedded_find(name);
    if (!f) { log_msg("reference file %s missing", name); *n = 0; return NULL; }
    char *copy = xstrdup(f->data);
    int cap = 1;
    for (char *p = copy; *p; p++) if (*p == '\n') cap++;
    char **ls = xcalloc((size_t)cap, sizeof(char *));
    *n = 0;
    for (char *save = NULL, *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        size_t len = strlen(l);
        if (len && l[len - 1] == '\r') l[len - 1] = 0;
        ls[(*n)++] = l;
    }
    keep[nkeep++] = ls;
    return ls;
}

static const municipality_t **muni_index; /* munis sorted by country and code, for lookups */
static int muni_key_cmp(const void *a, const void *b) {
    const municipality_t *x = *(const municipality_t *const *)a, *y = *(const municipality_t *const *)b;
    int c = strcmp(x->country, y->country);
    return c ? c : strcmp(x->code, y->code);
}

static int muni_cmp(const void *a, const void *b) {
    const municipality_t *x = a, *y = b;
    int c = strcmp(x->country, y->country);
    if (!c) c = strcmp(x->county, y->county);
    return c ? c : strcmp(x->name, y->name);
}
static int nace_cmp(const void *a, const void *b) { return strcmp(((const struct nace *)a)->code, ((const struct nace *)b)->code); }

static struct nace *nace_find(const char *code) {
    struct nace key;
    snprintf(key.code, sizeof key.code, "%s", code);
    return bsearch(&key, naces, (size_t)nnaces, sizeof *naces, nace_cmp);
}

static void load(void) {
    int n;
    char *f[8];
    /* Swedish län and kommuner */
    char **l = lines("data/ref/se-lan.csv", &n);
    counties = xcalloc(64, sizeof *counties);
    for (int i = 1; i < n; i++)
        if (split(l[i], ',', f, 3) >= 2) counties[ncounties++] = (county_t){"SE", f[0], f[1]};
    int nk;
    char **k = lines("data/ref/se-kommuner.csv", &nk);
    int nn;
    char **no = lines("data/ref/no-regions-2024.csv", &nn);
    munis = xcalloc((size_t)(nk + nn), sizeof *munis);
    for (int i = 1; i < nk; i++)
        if (split(k[i], ',', f, 4) >= 4) munis[nmunis++] = (municipality_t){"SE", f[0], f[2], f[3]};
    /* Norwegian fylker ("NN,name") and kommuner ("NN.NN,name") */
    for (int i = 1; i < nn; i++) {
        if (split(no[i], ',', f, 2) < 2) continue;
        char *name = f[1];
        char *dash = strstr(name, " - "); /* keep the Norwegian name; Sami and Kven names follow a dash */
        if (dash) *dash = 0;
        /* SSB's list also has pseudo-regions: 21-28 (Svalbard, Jan Mayen, the continental shelf,
         * air space, abroad, sea areas …) and 99 (unknown); only the 15 fylker and their 357
         * kommuner are places an organisation can be registered in */
        bool pseudo = (f[0][0] == '2') || !strncmp(f[0], "99", 2);
        if (pseudo) continue;
        if (strlen(f[0]) == 2) {
            counties[ncounties++] = (county_t){"NO", f[0], name};
        } else if (strlen(f[0]) == 5 && f[0][2] == '.') {
            /* "NN.NN" becomes code "NNNN" and county "NN", rewritten in place */
            char *code = f[0], *county = f[0] + 3;
            char c3 = f[0][3], c4 = f[0][4];
            code[2] = c3; code[3] = c4; code[4] = 0; /* f[0] was "NN.NN\0": now "NNNN\0\0" */
            county = xstrdup(code);
            county[2] = 0;
            keep[nkeep++] = (char **)county;
            munis[nmunis++] = (municipality_t){"NO", code, name, county};
        }
    }
    qsort(munis, (size_t)nmunis, sizeof *munis, muni_cmp);
    muni_index = xcalloc((size_t)nmunis + 1, sizeof *muni_index);
    for (int i = 0; i < nmunis; i++) muni_index[i] = &munis[i];
    qsort(muni_index, (size_t)nmunis, sizeof *muni_index, muni_key_cmp);
    /* NACE: SN2007 (all levels) then SNI 2007 labels */
    int nl;
    char **nb = lines("data/ref/nace-sn2007-nb.tsv", &nl);
    int ns;
    char **sv = lines("data/ref/nace-sni2007-sv.tsv", &ns);
    naces = xcalloc((size_t)(nl + ns), sizeof *naces);
    char division_section[100] = {0};
    for (int i = 1; i < nl; i++) {
        if (split(nb[i], '\t', f, 4) < 4) continue;
        if (!strcmp(f[2], "2")) division_section[atoi(f[0]) % 100] = f[1][0];
        if (strlen(f[0]) < 5) continue; /* keep classes (4-digit) and subclasses (5-digit) */
        struct nace *x = &naces[nnaces++];
        snprintf(x->code, sizeof x->code, "%s", f[0]);
        x->nb = f[3];
    }
    qsort(naces, (size_t)nnaces, sizeof *naces, nace_cmp);
    int before = nnaces;
    for (int i = 1; i < ns; i++) {
        if (split(sv[i], '\t', f, 2) < 2) continue;
        struct nace *x = NULL;
        struct nace key;
        snprintf(key.code, sizeof key.code, "%s", f[0]);
        x = bsearch(&key, naces, (size_t)before, sizeof *naces, nace_cmp);
        if (!x) { x = &naces[nnaces++]; snprintf(x->code, sizeof x->code, "%s", f[0]); }
        x->sv = f[1];
    }
    qsort(naces, (size_t)nnaces, sizeof *naces, nace_cmp);
    for (int i = 0; i < nnaces; i++) naces[i].section = division_section[atoi(naces[i].code) % 100];
    /* classes: the Swedish labels of their detail groups (which sort right after them), joined */
    for (int i = 0; i < nnaces; i++) {
        if (strlen(naces[i].code) != 5) continue;
        size_t len = 0;
        for (int j = i + 1; j < nnaces && !strncmp(naces[j].code, naces[i].code, 5); j++) if (naces[j].sv) len += strlen(naces[j].sv) + 2;
        if (!len) continue;
        char *joined = xmalloc(len + 1);
        joined[0] = 0;
        for (int j = i + 1; j < nnaces && !strncmp(naces[j].code, naces[i].code, 5); j++) {
            if (!naces[j].sv || strstr(joined, naces[j].sv)) continue;
            if (*joined) strcat(joined, "; ");
            strcat(joined, naces[j].sv);
        }
        naces[i].sv_class = joined;
    }
    /* what SN2007 says each class includes */
    int nnotes;
    char **notes = lines("data/ref/nace-sn2007-nb-notes.tsv", &nnotes);
    for (int i = 1; i < nnotes; i++) {
        if (split(notes[i], '\t', f, 2) < 2) continue;
        struct nace *x = nace_find(f[0]);
        if (x) x->notes = f[1];
    }
    /* the everyday words for what each class does, in Swedish, bokmål and English
     * (data/ref/nace-words.tsv: entries separated by "|", read here as ", ") */
    int nwords;
    char **words = lines("data/ref/nace-words.tsv", &nwords);
    for (int i = 0; i < nwords; i++) {
        if (words[i][0] == '#' || split(words[i], '\t', f, 4) < 4) continue;
        struct nace *x = strlen(f[0]) == 5 ? nace_find(f[0]) : NULL;
        if (!x) continue;
        for (int w = 0; w < 3; w++) {
            for (char *p = f[w + 1]; *p; p++) if (*p == '|') *p = ',';
            x->words[w] = *f[w + 1] ? f[w + 1] : NULL;
        }
    }
    /* sections */
    int nsec;
    char **sec = lines("data/ref/nace-sections.tsv", &nsec);
    for (int i = 1; i < nsec; i++) {
        if (split(sec[i], '\t', f, 4) < 4) continue;
        int idx = f[0][0] - 'A';
        if (idx >= 0 && idx < 21) { sections[idx][0] = f[1]; sections[idx][1] = f[2]; sections[idx][2] = f[3]; }
    }
}

void ref_init(void) { pthread_once(&once, load); }

const municipality_t *ref_municipality(const char *country, const char *code) {
    ref_init();
    if (!country || !code) return NULL;
    municipality_t key = {country, code, NULL, NULL};
    const municipality_t *kp = &key;
    const municipality_t **hit = bsearch(&kp, muni_index, (size_t)nmunis, sizeof *muni_index, muni_key_cmp);
    return hit ? *hit : NULL;
}
/* Swedish postal codes -> kommun, from the embedded data/ref/se-postcodes.csv (sorted by code);
 * loaded on first use, read-only afterwards, owned by this module for the process. */
struct postcode { char code[6], kommun[5]; };
static struct postcode *postcodes;
static int npostcodes;
static pthread_once_t postcodes_once = PTHREAD_ONCE_INIT;
static void load_postcodes(void) {
    int n;
    char **l = lines("data/ref/se-postcodes.csv", &n);
    postcodes = xcalloc((size_t)n + 1, sizeof *postcodes);
    for (int i = 1; i < n; i++) {
        struct postcode *p = &postcodes[npostcodes];
        if (sscanf(l[i], "%5[0-9],%4[0-9]", p->code, p->kommun) == 2) npostcodes++;
    }
}
static int postcode_cmp(const void *a, const void *b) { return strcmp(((const struct postcode *)a)->code, ((const struct postcode *)b)->code); }

const municipality_t *ref_se_postcode(const char *postcode) {
    pthread_once(&postcodes_once, load_postcodes);
    struct postcode key = {{0}, {0}};
    int k = 0;
    for (const char *p = postcode; p && *p && k < 5; p++) if (*p >= '0' && *p <= '9') key.code[k++] = *p; else if (*p != ' ') return NULL;
    if (k != 5) return NULL;
    const struct postcode *hit = bsearch(&key, postcodes, (size_t)npostcodes, sizeof *postcodes, postcode_cmp);
    return hit ? ref_municipality("SE", hit->kommun) : NULL;
}

const county_t *ref_county(const char *country, const char *code) {
    ref_init();
    if (!country || !code) return NULL;
    for (int i = 0; i < ncounties; i++)
        if (!strcmp(counties[i].code, code) && !strcmp(counties[i].country, country)) return &counties[i];
    return NULL;
}
const municipality_t *ref_municipalities(int *n) { ref_init(); *n = nmunis; return munis; }
const county_t *ref_counties(int *n) { ref_init(); *n = ncounties; return counties; }

const char *ref_nace_code(int i, int *n) {
    ref_init();
    *n = nnaces;
    return i >= 0 && i < nnaces ? naces[i].code : NULL;
}

bool ref_nace_valid(const char *code) { ref_init(); return code && strlen(code) <= 6 && nace_find(code); }

const char *ref_nace_label(const char *code, const char *country, const char **lang) {
    ref_init();
    struct nace *x = code && strlen(code) <= 6 ? nace_find(code) : NULL;
    if (!x) return NULL;
    bool nb = country && !strcmp(country, "NO") ? x->nb != NULL : x->sv == NULL;
    if (lang) *lang = nb ? "nb" : "sv";
    return nb ? x->nb : x->sv;
}

bool ref_nace_class(const char *code, ref_nace_class_t *out) {
    ref_init();
    memset(out, 0, sizeof *out);
    if (!code || strlen(code) < 5 || strlen(code) > 6) return false;
    char cls[6];
    memcpy(cls, code, 5);
    cls[5] = 0;
    struct nace *x = nace_find(cls);
    if (!x) return false;
    snprintf(out->code, sizeof out->code, "%s", cls);
    out->sv = x->sv_class ? x->sv_class : x->sv;
    out->nb = x->nb;
    out->notes = x->notes;
    for (int k = 0; k < 3; k++) out->words[k] = x->words[k];
    return out->sv || out->nb;
}

const char *ref_nace_section(const char *code) {
    ref_init();
    static const char *letters[21] = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K",
                                      "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U"};
    struct nace *x = code && strlen(code) <= 6 ? nace_find(code) : NULL;
    if (!x || x->section < 'A' || x->section > 'U') return NULL;
    return letters[x->section - 'A'];
}

const char *ref_section_label(const char *letter, const char *lang) {
    ref_init();
    if (!letter || letter[0] < 'A' || letter[0] > 'U' || letter[1]) return NULL;
    int li = lang && lang[0] == 'n' ? 1 : lang && lang[0] == 'e' ? 2 : 0;
    return sections[letter[0] - 'A'][li];
}

bool ref_kind_valid(const char *kind) {
    for (int i = 0; i < 7; i++) if (streq(kind, ref_kinds[i])) return true;
    return false;
}

const char *ref_kind_label(const char *kind, const char *lang) {
    static const char *msg[7] = {N_("Company"), N_("Cluster"), N_("Public body"), N_("Municipality or region"),
                                 N_("University or research institute"), N_("Investor"), N_("Network or association")};
    for (int i = 0; i < 7; i++) if (streq(kind, ref_kinds[i])) return tr(lang, msg[i]);
    return kind;
}

const char *ref_country_name(const char *country, const char *lang) {
    if (streq(country, "SE")) return tr(lang, "Sweden");
    if (streq(country, "NO")) return tr(lang, "Norway");
    return country;
}

/* Theme names are read often (every card and profile) and change rarely: they are cached
 * per process and reloaded when this process adds one, or when the themes table's row count
 * differs from the cache (another node added one). The cache is owned by this module. */
struct theme_row { char slug[48]; char *name[3]; };
static pthread_rwlock_t theme_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct theme_row *theme_cache;
static int theme_n = -1;

static void theme_reload(db_t *db) {
    stmt_t *c = db_prep(db, "SELECT count(*) FROM themes");
    int count = db_step(c) ? (int)db_int(c, 0) : 0;
    db_reset(c);
    pthread_rwlock_rdlock(&theme_lock);
    bool fresh = theme_n == count;
    pthread_rwlock_unlock(&theme_lock);
    if (fresh) return;
    pthread_rwlock_wrlock(&theme_lock);
    for (int i = 0; i < theme_n; i++) for (int k = 0; k < 3; k++) free(theme_cache[i].name[k]);
    free(theme_cache);
    theme_cache = xcalloc((size_t)count + 1, sizeof *theme_cache);
    theme_n = 0;
    stmt_t *s = db_prep(db, "SELECT slug, name_sv, name_nb, name_en FROM themes ORDER BY pos, slug");
    while (db_step(s) && theme_n < count) {
        struct theme_row *t = &theme_cache[theme_n++];
        snprintf(t->slug, sizeof t->slug, "%s", db_text(s, 0));
        for (int k = 0; k < 3; k++) t->name[k] = xstrdup(db_text(s, k + 1));
    }
    db_reset(s);
    pthread_rwlock_unlock(&theme_lock);
}

static int lang_col(const char *lang) { return lang && lang[0] == 'n' ? 1 : lang && lang[0] == 'e' ? 2 : 0; }

theme_t *ref_themes(db_t *db, arena_t *a, const char *lang, int *n) {
    theme_reload(db);
    pthread_rwlock_rdlock(&theme_lock);
    theme_t *t = arena_alloc(a, sizeof *t * (size_t)(theme_n + 1));
    for (int i = 0; i < theme_n; i++) {
        t[i].slug = arena_strdup(a, theme_cache[i].slug);
        t[i].name = arena_strdup(a, theme_cache[i].name[lang_col(lang)]);
    }
    *n = theme_n;
    pthread_rwlock_unlock(&theme_lock);
    return t;
}

const char *ref_theme_name(db_t *db, arena_t *a, const char *slug, const char *lang) {
    if (theme_n < 0) theme_reload(db);
    const char *name = NULL;
    pthread_rwlock_rdlock(&theme_lock);
    for (int i = 0; i < theme_n && !name; i++)
        if (!strcmp(theme_cache[i].slug, slug)) name = arena_strdup(a, theme_cache[i].name[lang_col(lang)]);
    pthread_rwlock_unlock(&theme_lock);
    if (!name) { theme_reload(db); return slug; }
    return name;
}

bool ref_theme_slug_valid(const char *slug) {
    if (!slug || !*slug || strlen(slug) > 40 || slug[0] == '-') return false;
    for (const char *p = slug; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) return false;
    return true;
}

bool ref_theme_add(db_t *db, const char *slug, const char *sv, const char *nb, const char *en) {
    /* an existing slug is an answer, not an error (an aggregate SELECT always yields a row, so
     * "WHERE NOT EXISTS" could not stop the insert: ON CONFLICT does) */
    stmt_t *s = db_prep(db, "INSERT INTO themes (slug, name_sv, name_nb, name_en, pos) "
                            "VALUES (:slug, :sv, :nb, :en, (SELECT coalesce(max(pos), 0) + 1 FROM themes)) "
                            "ON CONFLICT (slug) DO NOTHING");
    db_binds(s, DB_TEXT(":slug", slug), DB_TEXT(":sv", sv), DB_TEXT(":nb", nb), DB_TEXT(":en", en));
    bool ok = db_run(s) && db_changes(db) == 1;
    if (ok) theme_reload(db);
    return ok;
}

int ref_nace_index_keys(const char *code, const char *country, char out[2][16]) {
    ref_nace_class_t c;
    if (!ref_nace_class(code, &c)) return 0;
    snprintf(out[0], 16, "c%s", c.code);
    if (!country || strcmp(country, "NO") || strlen(code) != 6) return 1;
    const char *own = ref_nace_label(code, "NO", NULL);
    if (!own || (c.nb && !strcmp(own, c.nb))) return 1;
    snprintf(out[1], 16, "n%s", code);
    return 2;
}

bool ref_nace_key_texts(arena_t *a, const char *key, const char *out[3]) {
    for (int k = 0; k < 3; k++) out[k] = "";
    if (!key || (key[0] != 'c' && key[0] != 'n')) return false;
    ref_nace_class_t c;
    if (!ref_nace_class(key + 1, &c)) return false;
    if (key[0] == 'n') {
        const char *own = ref_nace_label(key + 1, "NO", NULL);
        if (!own) return false;
        out[1] = arena_strdup(a, own);
        return true;
    }
    out[0] = aprintf_text(a, "%s. %s.", c.sv ? c.sv : "", c.words[0] ? c.words[0] : "");
    out[1] = aprintf_text(a, "%s. %s. %s.", c.nb ? c.nb : "", c.notes ? c.notes : "", c.words[1] ? c.words[1] : "");
    out[2] = c.words[2] ? arena_strdup(a, c.words[2]) : "";
    return true;
}
