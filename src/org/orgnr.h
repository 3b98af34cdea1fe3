/* Organisation numbers: Swedish organisationsnummer (10 digits, Luhn check digit) and
 * Norwegian organisasjonsnummer (9 digits, modulus 11 with weights 3,2,7,6,5,4,3,2). */
#ifndef ORG_ORGNR_H
#define ORG_ORGNR_H
#include <stdbool.h>
#include <stddef.h>

/* orgnr_normalise: copy the digits of s into out (spaces and one dash allowed between them).
 * Returns false if s holds anything else or does not fit. */
bool orgnr_normalise(const char *s, char *out, size_t outlen);
bool orgnr_valid_se(const char *digits);
bool orgnr_valid_no(const char *digits);
/* orgnr_valid: by country ("SE"/"NO"), after normalising. */
bool orgnr_valid(const char *country, const char *s);
/* orgnr_format: "556677-8899" for SE, "123 456 789" for NO (out at least 16 bytes). */
void orgnr_format(const char *country, const char *digits, char *out, size_t outlen);
#endif
