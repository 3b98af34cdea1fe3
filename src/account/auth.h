/* Who is asking: sessions (cookie "sid"), API bearer tokens, CSRF tokens, password hashing,
 * and login rate limiting. Owns the tables users, sessions and api_tokens. */
#ifndef ACCOUNT_AUTH_H
#define ACCOUNT_AUTH_H
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "http/http.h"

#define SESSION_DAYS 30

/* auth_resolve: fill r->user from a bearer token or the session cookie, and r->csrf.
 * Returns false only for a bearer token that is not valid. */
bool auth_resolve(req_t *r);
/* auth_csrf_ok: constant-time comparison of a submitted token with the request's. */
bool auth_csrf_ok(req_t *r, const char *submitted);
/* auth_csrf: the CSRF token for forms on this page (creating the visitor cookie when needed). */
const char *auth_csrf(req_t *r);

/* Passwords (argon2id, libsodium). */
char *password_hash(arena_t *a, const char *pw);      /* NULL on failure */
bool password_verify(const char *hash, const char *pw);
/* random_token: 32 random bytes, base64url, in the arena. */
char *random_token(arena_t *a);
/* token_hash: hex BLAKE2b-256 of a token (what the database stores). */
char *token_hash(arena_t *a, const char *token);

/* Sessions. */
void session_start(req_t *r, int64_t user_id);        /* sets the cookie and r->user */
void session_end(req_t *r);

/* Users and tokens (also used by the command line). */
int64_t user_create(db_t *db, arena_t *a, const char *email, const char *name, const char *pw, bool admin);
int64_t user_by_email(db_t *db, const char *email);
user_t *user_load(db_t *db, arena_t *a, int64_t id);
char *api_token_create(db_t *db, arena_t *a, int64_t user_id); /* returns the token; only its hash is kept */

/* Login rate limiting: per account and per address, in memory. */
bool ratelimit_allowed(const char *email, const char *ip);
void ratelimit_failed(const char *email, const char *ip);
void ratelimit_succeeded(const char *email);

/* Validation shared by forms, API and command line. */
bool email_valid(const char *s);
#endif
