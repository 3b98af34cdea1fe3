/* Reference data: municipalities and counties of both countries, NACE Rev. 2 with the
 * Swedish (SNI 2007) and Norwegian (SN2007) labels, organisation kinds. Loaded once from the
 * embedded files in data/ref/; everything returned lives for the process and is read-only.
 * Themes are in the database (admins add them): see ref_themes(). */
#ifndef REF_REF_H
#define REF_REF_H
#include <stdbool.h>
#include "core/arena.h"
#include "db/db.h"

typedef struct municipality {
    const char *country, *code, *name, *county; /* county: 2-digit code */
} municipality_t;
typedef struct county { const char *country, *code, *name; } county_t;

void ref_init(void);
const municipality_t *ref_municipality(const char *country, const char *code);
const county_t *ref_county(const char *country, const char *code);
/* ref_se_postcode: the Swedish kommun of a postal code ("41101" or "411 01"), or NULL. */
const municipality_t *ref_se_postcode(const char *postcode);
/* ref_municipalities: all, sorted by country, county and name. */
const municipality_t *ref_municipalities(int *n);
const county_t *ref_counties(int *n);

/* NACE: code "NN.NNN" (5-digit) or "NN.NN" (4-digit class). */
bool ref_nace_valid(const char *code);
/* ref_nace_label: the label in the organisation's country's classification
 * (SNI 2007 in Swedish for SE, SN2007 in bokmål for NO), falling back to the other; NULL if unknown.
 * *lang (if not NULL) is set to the label's language, "sv" or "nb". */
const char *ref_nace_label(const char *code, const char *country, const char **lang);
/* ref_nace_class: the 4-digit class (NACE Rev. 2, the same in SNI 2007 and SN2007) of a 4- or
 * 5-digit code, with its labels on both sides of the border: sv (the labels of SNI's detail
 * groups, joined by "; "), nb (SN2007) and notes (what SN2007 says the class includes; may be
 * NULL). false if the code is unknown. The strings live for the process. */
typedef struct ref_nace_class {
    char code[6];
    const char *sv, *nb, *notes;
    /* the everyday words people use for what the class does ("rörmokare", "rørlegger",
     * "plumber"), comma-separated, [0] Swedish, [1] bokmål, [2] English (data/ref/nace-words.tsv;
     * each may be NULL) */
    const char *words[3];
} ref_nace_class_t;
bool ref_nace_class(const char *code, ref_nace_class_t *out);
/* The industry terms search indexes (search/index.h: search_org_t.classes). An organisation's
 * code gives "c62.01", its class (shared by both countries' codes of the class), and for a
 * Norwegian 5-digit code whose own SN2007 label is not its class's, "n62.010" too.
 * ref_nace_index_keys writes them to out (each < 16 bytes) and returns how many (0 for an
 * unknown code). */
int ref_nace_index_keys(const char *code, const char *country, char out[2][16]);
/* ref_nace_key_texts: the texts of such a key, in a: out[0] the Swedish labels and everyday
 * words, out[1] the bokmål label, the SN2007 notes and the bokmål words, out[2] the English
 * words (for an "n" key only out[1], its own label); "" where there is none. false if the key is
 * unknown. (The signature is search_class_texts_fn's.) */
bool ref_nace_key_texts(arena_t *a, const char *key, const char *out[3]);
/* ref_nace_section: the section letter ("C") of a code, or NULL. */
const char *ref_nace_section(const char *code);
/* ref_nace_code: the i-th known industry code in code order (0 <= i < *n), for generators. */
const char *ref_nace_code(int i, int *n);
const char *ref_section_label(const char *letter, const char *lang);
extern const char *const ref_sections; /* "ABCDEFGHIJKLMNOPQRSTU" */

/* Organisation kinds, in display order. */
extern const char *const ref_kinds[7];
bool ref_kind_valid(const char *kind);
const char *ref_kind_label(const char *kind, const char *lang);

/* Themes from the database. */
typedef struct theme { const char *slug, *name; } theme_t;
theme_t *ref_themes(db_t *db, arena_t *a, const char *lang, int *n);
const char *ref_theme_name(db_t *db, arena_t *a, const char *slug, const char *lang);
/* ref_theme_add: a new theme (slug: a-z, 0-9 and '-'); false if it exists or on error. */
bool ref_theme_add(db_t *db, const char *slug, const char *sv, const char *nb, const char *en);
bool ref_theme_slug_valid(const char *slug);
const char *ref_country_name(const char *country, const char *lang);
#endif
