/* Shared glue for the JSON API handlers: the body as a JSON object, jansson values tied to
 * the request's arena, 422 with field errors, one-line 404/403 guards. */
#ifndef HTTP_API_H
#define HTTP_API_H
#include <jansson.h>
#include <stdbool.h>
#include "http/http.h"

/* api_own: j is released when the request's arena is freed; returns j (NULL stays NULL). */
json_t *api_own(req_t *r, json_t *j);
/* jstr: the string value of o's member k, or NULL (borrowed from o). */
const char *jstr(json_t *o, const char *k);
/* api_body: the request body as a JSON object (arena-owned), or NULL after answering:
 * 415 unless Content-Type is exactly application/json (parameters such as charset allowed),
 * 400 for malformed JSON (with jansson's text), 422 when it is not an object. */
json_t *api_body(req_t *r);
/* api_invalid: 422 "validation" with the field errors (borrowed). */
void api_invalid(req_t *r, json_t *errors);
/* api_found / api_allowed: true, or false after answering 404 / 403 with msgid translated. */
bool api_found(req_t *r, bool found, const char *msgid);
bool api_allowed(req_t *r, bool allowed, const char *msgid);
/* api_may: like api_allowed, but a visitor who is not logged in gets 401 "login-required". */
bool api_may(req_t *r, bool allowed, const char *msgid);
/* json_split: the pieces of s between the separators sep as a JSON array of strings (a new
 * reference), each without trailing spaces and carriage returns, empty ones left out; NULL: []. */
json_t *json_split(const char *s, char sep);
/* req_paging: a list's ?page= (from 1) and ?per_page= (1 to 100), for pages and the API alike:
 * each one given is stored in *page / *per_page; NULL, or the message (translated) for a bad one. */
const char *req_paging(req_t *r, int *page, int *per_page);
/* media_type_is: the header's media type (before ';', trimmed, case-insensitive) equals type. */
bool media_type_is(const char *header, const char *type);
#endif
