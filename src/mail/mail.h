/* Mail shared by every module: the SMTP transfer of one message (libcurl) and the outbox of
 * mail addressed to an e-mail address rather than about an event (table mail_outbox, owned here).
 * The sender thread that calls mail_outbox_deliver lives in events/mail.c (`serve --smtp URL`). */
#ifndef MAIL_MAIL_H
#define MAIL_MAIL_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include "db/db.h"

/* mail_send: deliver one plain-text UTF-8 message through the SMTP server at url (smtp:// or
 * smtps://) from `from` to `to`; message_id is the part before "@granslos". Line breaks in the
 * header values are replaced. Returns NULL on success, else the reason (static or curl's). */
const char *mail_send(arena_t *a, const char *url, const char *from, const char *to, const char *subject,
                      const char *body, const char *message_id);

/* mail_queue: put a message in the outbox (inside the caller's transaction, if any); it is sent
 * when a sender runs. Rows older than two days are dropped first, so links in unsent mail do not
 * linger. Returns false on a database error. */
bool mail_queue(db_t *db, const char *to, const char *subject, const char *body);

/* mail_outbox_deliver: one pass over the due outbox rows (at most 20): send, then mark sent
 * (body emptied), retry after retry_base * 2^(attempts-1) seconds, or mark failed after 6
 * attempts (body emptied). Returns the number of rows handled. */
int mail_outbox_deliver(db_t *db, const char *url, const char *from, long retry_base);
#endif
