/* Account handlers and the personal-data operations behind them. */
#ifndef ACCOUNT_ACCOUNT_H
#define ACCOUNT_ACCOUNT_H
#include <jansson.h>
#include "db/db.h"
#include "http/http.h"

/* account_personal_data: everything stored about the user (caller owns the JSON). */
json_t *account_personal_data(db_t *db, int64_t user_id);
/* account_delete: remove personal data, sessions, tokens and memberships in one transaction;
 * versions keep pointing at the (now anonymous) user row. */
bool account_delete(db_t *db, arena_t *a, int64_t user_id);
/* password_problem: msgid of what is wrong with a new password, or NULL. */
const char *password_problem(const char *pw);

void account_register_page(req_t *r);
void account_register_post(req_t *r);
void account_login_page(req_t *r);
void account_login_post(req_t *r);
void account_logout_post(req_t *r);
void account_page(req_t *r);
void account_post(req_t *r);
void account_password_post(req_t *r);
void account_export(req_t *r);
void account_delete_post(req_t *r);
void lang_switch(req_t *r);
#endif
