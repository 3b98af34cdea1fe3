/* Mail shared by every module: the SMTP transfer of one message (libcurl) and the outbox of
 * mail addressed to an e-mail address rather than about an event (table mail_outbox, owned here).
 * The sender thread that calls mail_outbox_deliver lives in events/mail.c (`serve --smtp URL`). */
#ifndef MAIL_MAIL_H
#define MAIL_MAIL_H
#include <stdbool.h>
#include <stdint.h>
#include "core/arena.h"
#include <jansson.h>
#include "db/db.h"

/* mail_send: deliver one plain-text UTF-8 message through the SMTP server at url (smtp:// or
 * smtps://) from `from` to `to`; message_id is the part before "@granslos". Line breaks in the
 * header values are replaced. Returns NULL on success, else the reason (static or curl's). */
const char *mail_send(arena_t *a, const char *url, const char *from, const char *to, const char *subject,
                      const char *body, const char *message_id);

/* mail_send_full: mail_send with an optional text/html alternative (multipart/alternative when
 * html is not NULL) and extra header lines (CRLF separated, NULL for none; each line is checked to
 * be "Name: value" without bare line breaks). *smtp_code gets the SMTP server's last reply code
 * (0 when none: the server could not be reached). */
const char *mail_send_full(arena_t *a, const char *url, const char *from, const char *to, const char *subject,
                           const char *text, const char *html, const char *headers, const char *message_id, long *smtp_code);

/* mail_queue: put a message in the outbox (inside the caller's transaction, if any); it is sent
 * when a sender runs. Rows older than two days are dropped first, so links in unsent mail do not
 * linger. Returns false on a database error. */
bool mail_queue(db_t *db, const char *to, const char *subject, const char *body);
/* mail_queue_full: the same with a text/html alternative and extra header lines (either NULL);
 * returns the outbox row's id, 0 on a database error. */
int64_t mail_queue_full(db_t *db, const char *to, const char *subject, const char *body, const char *html, const char *headers);

/* mail_suppressed: whether an address has failed permanently (5xx) MAIL_BOUNCE_LIMIT times and is
 * no longer mailed. mail_outbox_deliver counts the failures (table mail_bounces) and fails the
 * rows of a suppressed address at once. */
enum { MAIL_BOUNCE_LIMIT = 3 };
bool mail_suppressed(db_t *db, const char *addr);
/* mail_bounce: count one permanent failure of addr (inside or outside a transaction). */
bool mail_bounce(db_t *db, const char *addr, const char *error);
/* mail_admin_json: {"pending","failed","sent","bounced":[{addr, failures, suppressed, error}],
 * "failures":[{id, to, subject, attempts, error, status}]} for the admin page. Caller owns it. */
json_t *mail_admin_json(db_t *db);

/* mail_claim: take queue row id for this sender before sending it: the claim statement (the
 * queue's own, with :id, :now and :lease) moves the row's next try a lease ahead only if it is
 * still due, in a transaction of its own; true if this sender got it. Another node's sender (or a
 * second process on the file) then skips it, so nothing is sent twice; a sender that dies with
 * the row claimed leaves it to be tried again when the lease (MAIL_LEASE seconds) has passed. */
#define MAIL_LEASE 300
bool mail_claim(db_t *db, const char *sql, int64_t id);
/* mail_attempt_done: the one retry policy of every mail the platform sends, after an attempt at
 * the row `id` (attempts counts it; err NULL: sent). In one transaction, the row is marked by one
 * of the owner's three statements: sql[0] sent, sql[1] failed (permanent, or the 6th attempt),
 * sql[2] to try again after retry_base * 2^(attempts-1) seconds (parameters :id, :a the
 * attempts, :e the error, :next the time of the next try); a 5xx (code) also counts a bounce of
 * bounce_to unless it is NULL. */
void mail_attempt_done(db_t *db, const char *const sql[3], int64_t id, int attempts, const char *err, bool permanent, long code,
                       const char *bounce_to, long retry_base);

/* mail_outbox_deliver: one pass over the due outbox rows (at most 20): send, then mark sent
 * (body emptied), retry after retry_base * 2^(attempts-1) seconds, or mark failed after 6
 * attempts (body emptied). Returns the number of rows handled. */
int mail_outbox_deliver(db_t *db, const char *url, const char *from, long retry_base);
#endif
