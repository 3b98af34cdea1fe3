/* Who is asking: sessions (cookie "sid"), API bearer tokens, CSRF tokens, password hashing and
 * policy, login throttling, the e-mailed links (sign-up, reset, change of e-mail) and known
 * devices. Owns the tables users, sessions, api_tokens, account_links, known_devices and rate_limits. */
#ifndef ACCOUNT_AUTH_H
#define ACCOUNT_AUTH_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "db/db.h"
#include "http/http.h"

#define SESSION_DAYS 30             /* absolute lifetime of a session */
#define SESSION_IDLE (8 * 3600)     /* a session ends after this long without a request (env GRANSLOS_SESSION_IDLE) */
#define TOKEN_DAYS 90               /* default lifetime of an API token */
#define TOKEN_DAYS_MAX 3650
#define LINK_SIGNUP_SECONDS (24 * 3600)
#define LINK_RESET_SECONDS 3600
#define LINK_EMAIL_SECONDS (24 * 3600)

/* auth_resolve: fill r->user from a bearer token or the session cookie, and r->csrf.
 * Returns false only for a bearer token that is not valid (unknown, revoked or expired). */
bool auth_resolve(req_t *r);
/* auth_csrf_ok: constant-time comparison of a submitted token with the request's. */
bool auth_csrf_ok(req_t *r, const char *submitted);
/* auth_csrf: the CSRF token for forms on this page (creating the visitor cookie when needed). */
const char *auth_csrf(req_t *r);

/* Passwords (argon2id, libsodium). At most GRANSLOS_ARGON2_MAX (default: the number of CPUs)
 * hashes run at once; a caller that waited GRANSLOS_ARGON2_WAIT_MS (default 2000) for a turn
 * gets "busy" and should answer 503 with Retry-After. */
typedef enum { PW_OK, PW_WRONG, PW_BUSY } pw_result_t;
char *password_hash(arena_t *a, const char *pw, bool *busy);   /* NULL on failure (*busy: no turn) */
/* password_verify: a NULL hash is checked against a dummy hash, so an unknown account takes as
 * long as a wrong password, and is PW_WRONG. */
pw_result_t password_verify(const char *hash, const char *pw);
/* password_problem: msgid of what is wrong with a new password, or NULL: too short or long, one
 * of the common passwords (data/account/common-passwords.txt, also with digits or signs
 * appended), all one character or a repeated pattern, a run of the alphabet, digits or a
 * keyboard row, or the e-mail address or name (either may be NULL). */
const char *password_problem(const char *pw, const char *email, const char *name);
/* name_problem: msgid of what is wrong with a display name, or NULL: required, at most 120
 * characters, no control characters (CR, LF, tab ...), no bidirectional overrides or isolates. */
const char *name_problem(const char *name);
/* random_token: 32 random bytes, base64url, in the arena. */
char *random_token(arena_t *a);
/* token_hash: hex BLAKE2b-256 of a token (what the database stores). */
char *token_hash(arena_t *a, const char *token);

/* Sessions. */
void session_start(req_t *r, int64_t user_id);        /* sets the cookie and r->user */
void session_end(req_t *r);
/* sessions_list: the user's live sessions [{id, created_at, last_seen, ip, current}] (caller owns). */
json_t *sessions_list(db_t *db, arena_t *a, int64_t user_id, const char *current_hash);
/* session_revoke: end one of the user's sessions by id; false if it is not theirs. */
bool session_revoke(db_t *db, int64_t user_id, int64_t id);
/* sessions_end_all: end every session of the user except the one with keep_hash (may be NULL). */
bool sessions_end_all(db_t *db, int64_t user_id, const char *keep_hash);

/* Users (also used by the command line). Users made here or by the command line are verified:
 * an account exists only once its address has been confirmed. */
int64_t user_create(db_t *db, arena_t *a, const char *email, const char *name, const char *pw, bool admin);
int64_t user_create_hashed(db_t *db, arena_t *a, const char *email, const char *name, const char *pw_hash, const char *lang);
int64_t user_by_email(db_t *db, const char *email);
user_t *user_load(db_t *db, arena_t *a, int64_t id);
char *user_pw_hash(db_t *db, arena_t *a, int64_t id);
bool user_set_password(db_t *db, int64_t id, const char *pw_hash);

/* API tokens. api_token_create returns the token (only its hash is kept); days 0 means
 * TOKEN_DAYS; name may be NULL. */
char *api_token_create(db_t *db, arena_t *a, int64_t user_id, const char *name, int days);
/* api_tokens_list: [{id, name, created_at, expires_at, last_used, state}] with state
 * "active" | "expired" | "revoked", newest first (caller owns). */
json_t *api_tokens_list(db_t *db, arena_t *a, int64_t user_id);
/* api_token_revoke: revoke token id; with user_id > 0 only if it is theirs. False if none was. */
bool api_token_revoke(db_t *db, arena_t *a, int64_t user_id, int64_t id);
/* api_tokens_revoke_all: revoke every active token of the user; returns how many, -1 on error. */
int api_tokens_revoke_all(db_t *db, arena_t *a, int64_t user_id);

/* Links sent by e-mail: single use, expiring; only the token's hash is stored. */
typedef struct account_link {
    const char *kind;      /* "signup", "reset", "email" */
    int64_t user_id;       /* 0 for signup */
    const char *email, *name, *pw_hash, *lang;
} account_link_t;
/* link_create: store a link and return its token (NULL on error). ttl in seconds. */
char *link_create(db_t *db, arena_t *a, const account_link_t *l, int ttl);
/* link_find: the live link of that kind for the token, or NULL; consume deletes it. */
account_link_t *link_find(db_t *db, arena_t *a, const char *kind, const char *token, bool consume);
/* links_drop: delete every link of a kind for a user (user_id > 0) or for an address. */
void links_drop(db_t *db, const char *kind, int64_t user_id, const char *email);

/* Known devices: the "device" cookie (random, one per browser) remembered with each account that
 * logged in from it. device_remember sets the cookie when needed. */
void device_remember(req_t *r, int64_t user_id);
bool device_known(req_t *r, int64_t user_id);
/* account_forget_security: drop the user's links and known devices (for account deletion). */
bool account_forget_security(db_t *db, int64_t user_id);
/* account_security_data: what account/ keeps about a user's access, for the personal-data
 * export: {"sessions": sessions_list, "api_tokens": api_tokens_list, "known_devices":
 * [{created_at, last_login}], "pending_links": [{kind, email, created_at}]} (caller owns). */
json_t *account_security_data(db_t *db, arena_t *a, int64_t user_id);

/* Login throttling, in memory, per (account, address) — or (account, device) from a known
 * device — with exponential back-off after 5 failures; per address (30 failures in 15 minutes)
 * and per account (100 in an hour) for unknown devices only, so the owner is never locked out
 * of a browser they have logged in from. login_wait: seconds until an attempt is allowed, 0 now. */
int64_t login_wait(req_t *r, const char *email);
void login_failed(req_t *r, const char *email);
void login_succeeded(req_t *r, const char *email);
/* rate_take: a fixed-window counter (e.g. "register:<ip>"): true and counted if fewer than max
 * in the window, else false with *retry_after seconds. */
bool rate_take(const char *key, int max, int window, int64_t *retry_after);

/* Validation shared by forms, API and command line. */
bool email_valid(const char *s);
#endif
