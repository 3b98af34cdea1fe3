/* Account handlers and the personal-data operations behind them. */
#ifndef ACCOUNT_ACCOUNT_H
#define ACCOUNT_ACCOUNT_H
#include <jansson.h>
#include "db/db.h"
#include "http/http.h"

/* The personal-data registry (src/personal.c, like the route table): each module that keeps
 * something about a user names how to export it (an object whose keys join the export) and how
 * to forget it inside the deletion's transaction. account/ calls no domain module by name. */
typedef struct personal_data {
    const char *module;
    json_t *(*export)(db_t *db, int64_t user_id);          /* caller owns the result */
    bool (*forget)(db_t *db, arena_t *a, int64_t user_id);  /* NULL: nothing to forget */
} personal_data_t;
extern const personal_data_t personal_data[];               /* ends with {NULL} */

/* account_personal_data: everything stored about the user (caller owns the JSON). */
json_t *account_personal_data(db_t *db, int64_t user_id);
/* account_delete: remove personal data, sessions, tokens and memberships in one transaction;
 * versions keep pointing at the (now anonymous) user row. */
bool account_delete(db_t *db, arena_t *a, int64_t user_id);
/* account_contact: a live user's e-mail, language (may be NULL) and name in a; false if none. */
bool account_contact(db_t *db, arena_t *a, int64_t user_id, const char **email, const char **lang, const char **name);

void account_register_page(req_t *r);
void account_register_post(req_t *r);
void account_register_sent_page(req_t *r);
void account_register_confirm_page(req_t *r);
void account_register_confirm_post(req_t *r);
void account_forgot_page(req_t *r);
void account_forgot_post(req_t *r);
void account_reset_page(req_t *r);
void account_reset_post(req_t *r);
void account_email_post(req_t *r);
void account_email_confirm_page(req_t *r);
void account_email_confirm_post(req_t *r);
void account_token_create_post(req_t *r);
void account_token_revoke_post(req_t *r);
void account_session_end_post(req_t *r);
void account_api_tokens(req_t *r);
void account_api_token_revoke(req_t *r);
void account_login_page(req_t *r);
void account_login_post(req_t *r);
void account_logout_post(req_t *r);
void account_page(req_t *r);
void account_post(req_t *r);
void account_password_post(req_t *r);
void account_export(req_t *r);
void account_delete_post(req_t *r);
void lang_switch(req_t *r);

/* account_token_cli: granslos token add EMAIL [--name NAME] [--days N] | list EMAIL |
 * revoke ID... | revoke --all EMAIL (pos[0] is "token"). Returns the exit code. */
#include <stdio.h>
int account_token_cli(db_t *db, int npos, char **pos, const char *name, long long days, bool all, FILE *out, FILE *err);
#endif
