/* Mail shared by every module: SMTP transfer and the address outbox (see mail.h). */
#include "mail/mail.h"
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/util.h"

#define MAX_ATTEMPTS 6
#define KEEP_SECONDS (2 * 86400)

struct payload { const char *data; size_t len, pos; };
static size_t read_cb(char *out, size_t size, size_t n, void *p) {
    struct payload *pl = p;
    size_t room = size * n, left = pl->len - pl->pos;
    size_t k = left < room ? left : room;
    memcpy(out, pl->data + pl->pos, k);
    pl->pos += k;
    return k;
}

/* header_safe: no line breaks in a header value */
static char *header_safe(arena_t *a, const char *s) {
    char *c = arena_strdup(a, s ? s : "");
    for (char *p = c; *p; p++) if (*p == '\r' || *p == '\n') *p = ' ';
    return c;
}

/* encoded: an RFC 2047 encoded word for a UTF-8 subject */
static char *encoded(arena_t *a, const char *s) {
    size_t n = strlen(s), m = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
    char *b = arena_alloc(a, m);
    sodium_bin2base64(b, m, (const unsigned char *)s, n, sodium_base64_VARIANT_ORIGINAL);
    return arena_printf_libc(a, "=?UTF-8?B?%s?=", b);
}

const char *mail_send(arena_t *a, const char *url, const char *from, const char *to, const char *subject,
                      const char *body, const char *message_id) {
    CURL *c = curl_easy_init();
    if (!c) return "curl_easy_init failed";
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    const char *msg = arena_printf_libc(a, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@granslos>\r\nSubject: %s\r\n"
                                      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
                                   date, header_safe(a, from), header_safe(a, to), header_safe(a, message_id),
                                   encoded(a, subject), body);
    struct payload pl = {msg, strlen(msg), 0};
    struct curl_slist *rcpt = curl_slist_append(NULL, arena_printf_libc(a, "<%s>", header_safe(a, to)));
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, arena_printf_libc(a, "<%s>", header_safe(a, from)));
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_READDATA, &pl);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? NULL : curl_easy_strerror(rc);
}

bool mail_queue(db_t *db, const char *to, const char *subject, const char *body) {
    stmt_t *s = db_prep(db, "DELETE FROM mail_outbox WHERE created_at < :old");
    db_bind_int(s, ":old", now_unix() - KEEP_SECONDS);
    if (!db_run(s)) return false;
    /* SMTP wants CRLF line ends */
    size_t n = 0;
    for (const char *p = body; *p; p++) n += *p == '\n' ? 2 : 1;
    char *crlf = xmalloc(n + 1), *q = crlf;
    for (const char *p = body; *p; p++) {
        if (*p == '\r') continue;
        if (*p == '\n') *q++ = '\r';
        *q++ = *p;
    }
    *q = 0;
    s = db_prep(db, "INSERT INTO mail_outbox (to_addr, subject, body, created_at) VALUES (:to, :s, :b, :now)");
    db_bind_text(s, ":to", to);
    db_bind_text(s, ":s", subject);
    db_bind_text(s, ":b", crlf);
    free(crlf);
    db_bind_int(s, ":now", now_unix());
    return db_run(s);
}

int mail_outbox_deliver(db_t *db, const char *url, const char *from, long retry_base) {
    arena_t *a = arena_new();
    stmt_t *s = db_prep(db, "SELECT id, to_addr, subject, body, attempts FROM mail_outbox "
                            "WHERE status = 'pending' AND next_try <= :now ORDER BY id LIMIT 20");
    db_bind_int(s, ":now", now_unix());
    struct row { int64_t id; const char *to, *subject, *body; int attempts; } rows[20];
    int n = 0;
    while (n < 20 && db_step(s))
        rows[n++] = (struct row){db_int(s, 0), db_text_dup(s, 1, a), db_text_dup(s, 2, a), db_text_dup(s, 3, a), (int)db_int(s, 4)};
    db_reset(s);
    for (int i = 0; i < n; i++) {
        struct row *r = &rows[i];
        const char *err = mail_send(a, url, from, r->to, r->subject, r->body, arena_printf_libc(a, "mail-%lld", (long long)r->id));
        int attempts = r->attempts + 1;
        if (!err) s = db_prep(db, "UPDATE mail_outbox SET status = 'sent', body = '', attempts = :a, last_error = NULL WHERE id = :id");
        else if (attempts >= MAX_ATTEMPTS)
            s = db_prep(db, "UPDATE mail_outbox SET status = 'failed', body = '', attempts = :a, last_error = :e WHERE id = :id");
        else {
            s = db_prep(db, "UPDATE mail_outbox SET attempts = :a, last_error = :e, next_try = :next WHERE id = :id");
            db_bind_int(s, ":next", now_unix() + retry_base * (1L << (attempts - 1)));
        }
        db_bind_int(s, ":a", attempts);
        if (err) db_bind_text(s, ":e", err);
        db_bind_int(s, ":id", r->id);
        if (db_begin(db)) {
            if (db_run(s) && db_commit(db)) {} else db_rollback(db);
        }
        if (err) log_msg("mail: message %lld: %s (attempt %d)", (long long)r->id, err, attempts);
    }
    arena_free(a);
    return n;
}
