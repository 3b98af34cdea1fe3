/* Mail shared by every module: SMTP transfer and the address outbox (see mail.h). */
#include "mail/mail.h"
#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "core/buf.h"
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

/* headers_safe: extra header lines, each "Name: value"; anything else is dropped */
static const char *headers_safe(arena_t *a, const char *h) {
    if (!h || !*h) return "";
    buf_t b;
    buf_init(&b, a);
    const char *p = h;
    while (*p) {
        const char *e = strstr(p, "\r\n");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *colon = memchr(p, ':', n);
        bool ok = colon && colon > p;
        for (const char *q = p; ok && q < p + n; q++) if (*q == '\r' || *q == '\n' || (q < colon && (*q == ' ' || *q == '\t'))) ok = false;
        if (ok) { buf_append(&b, p, n); buf_puts(&b, "\r\n"); }
        p += n;
        if (e) p += 2;
    }
    return b.data;
}

const char *mail_send_full(arena_t *a, const char *url, const char *from, const char *to, const char *subject,
                           const char *text, const char *html, const char *headers, const char *message_id, long *smtp_code) {
    if (smtp_code) *smtp_code = 0;
    CURL *c = curl_easy_init();
    if (!c) return "curl_easy_init failed";
    char date[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    const char *head = arena_printf_libc(a, "Date: %s\r\nFrom: %s\r\nTo: %s\r\nMessage-ID: <%s@granslos>\r\nSubject: %s\r\n%sMIME-Version: 1.0\r\n",
                                         date, header_safe(a, from), header_safe(a, to), header_safe(a, message_id),
                                         encoded(a, subject), headers_safe(a, headers));
    const char *msg;
    if (html) {
        unsigned char rnd[12];
        randombytes_buf(rnd, sizeof rnd);
        const char *boundary = arena_printf_libc(a, "=_granslos_%s", hex_encode(a, rnd, sizeof rnd));
        msg = arena_printf_libc(a, "%sContent-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
                                   "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
                                   "--%s\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n"
                                   "--%s--\r\n",
                                head, boundary, boundary, text, boundary, html, boundary);
    } else
        msg = arena_printf_libc(a, "%sContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n", head, text);
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
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (smtp_code) *smtp_code = code;
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    return rc == CURLE_OK ? NULL : curl_easy_strerror(rc);
}

const char *mail_send(arena_t *a, const char *url, const char *from, const char *to, const char *subject,
                      const char *body, const char *message_id) {
    return mail_send_full(a, url, from, to, subject, body, NULL, NULL, message_id, NULL);
}

/* crlf: a copy of s with CRLF line ends (SMTP wants them); malloc'ed, caller frees */
static char *crlf(const char *body) {
    size_t n = 0;
    for (const char *p = body; *p; p++) n += *p == '\n' ? 2 : 1;
    char *out = xmalloc(n + 1), *q = out;
    for (const char *p = body; *p; p++) {
        if (*p == '\r') continue;
        if (*p == '\n') *q++ = '\r';
        *q++ = *p;
    }
    *q = 0;
    return out;
}

int64_t mail_queue_full(db_t *db, const char *to, const char *subject, const char *body, const char *html, const char *headers) {
    if (!db_run_for(db_prep(db, "DELETE FROM mail_outbox WHERE created_at < :old"), ":old", now_unix() - KEEP_SECONDS)) return 0;
    char *t = crlf(body), *h = html ? crlf(html) : NULL;
    stmt_t *s = db_prep(db, "INSERT INTO mail_outbox (to_addr, subject, body, html, headers, created_at) VALUES (:to, :s, :b, :h, :hd, :now)");
    db_binds(s, DB_TEXT(":to", to), DB_TEXT(":s", subject), DB_TEXT(":b", t), DB_TEXT(":h", h), DB_TEXT(":hd", headers));
    free(t);
    free(h);
    db_bind_int(s, ":now", now_unix());
    return db_run(s) ? db_last_id(db) : 0;
}

bool mail_queue(db_t *db, const char *to, const char *subject, const char *body) {
    return mail_queue_full(db, to, subject, body, NULL, NULL) != 0;
}

bool mail_suppressed(db_t *db, const char *addr) {
    stmt_t *s = db_prep(db, "SELECT 1 FROM mail_bounces WHERE addr = :a AND suppressed_at IS NOT NULL");
    db_bind_text(s, ":a", addr);
    return db_int_of(s, 0) == 1;
}

bool mail_bounce(db_t *db, const char *addr, const char *error) {
    stmt_t *s = db_prep(db, "INSERT INTO mail_bounces (addr, failures, last_error) VALUES (:a, 1, :e) "
                            "ON CONFLICT (addr) DO UPDATE SET failures = mail_bounces.failures + 1, last_error = :e");
    db_bind_text(s, ":a", addr);
    db_bind_text(s, ":e", error);
    if (!db_run(s)) return false;
    s = db_prep(db, "UPDATE mail_bounces SET suppressed_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                    "WHERE addr = :a AND failures >= :n AND suppressed_at IS NULL");
    db_bind_text(s, ":a", addr);
    db_bind_int(s, ":n", MAIL_BOUNCE_LIMIT);
    return db_run(s);
}

json_t *mail_admin_json(db_t *db) {
    json_t *o = json_object();
    stmt_t *s = db_prep(db, "SELECT status, count(*) FROM mail_outbox GROUP BY status");
    json_object_set_new(o, "pending", json_integer(0));
    json_object_set_new(o, "sent", json_integer(0));
    json_object_set_new(o, "failed", json_integer(0));
    while (db_step(s)) json_object_set_new(o, db_text(s, 0), json_integer(db_int(s, 1)));
    json_t *fl = json_array();
    s = db_prep(db, "SELECT id, to_addr, subject, attempts, coalesce(last_error, ''), status FROM mail_outbox "
                    "WHERE last_error IS NOT NULL ORDER BY id DESC LIMIT 50");
    while (db_step(s))
        json_array_append_new(fl, json_pack("{s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)db_int(s, 0), "to", db_text(s, 1),
                                            "subject", db_text(s, 2), "attempts", (json_int_t)db_int(s, 3), "error", db_text(s, 4),
                                            "status", db_text(s, 5)));
    json_object_set_new(o, "failures", fl);
    json_t *b = json_array();
    s = db_prep(db, "SELECT addr, failures, suppressed_at IS NOT NULL, coalesce(last_error, '') FROM mail_bounces ORDER BY failures DESC LIMIT 50");
    while (db_step(s))
        json_array_append_new(b, json_pack("{s:s, s:I, s:b, s:s}", "addr", db_text(s, 0), "failures", (json_int_t)db_int(s, 1),
                                           "suppressed", (int)db_int(s, 2), "error", db_text(s, 3)));
    json_object_set_new(o, "bounced", b);
    return o;
}

void mail_attempt_done(db_t *db, const char *const sql[3], int64_t id, int attempts, const char *err, bool permanent, long code,
                       const char *bounce_to, long retry_base) {
    int which = !err ? 0 : permanent || attempts >= MAX_ATTEMPTS ? 1 : 2;
    stmt_t *s = db_prep_static(db, sql[which]);
    db_binds(s, DB_INT(":a", attempts), DB_INT(":id", id));
    if (err) db_bind_text(s, ":e", err);
    if (which == 2) db_bind_int(s, ":next", now_unix() + retry_base * (1L << (attempts - 1)));
    if (!db_begin(db)) return;
    bool bounce = err && code >= 500 && bounce_to;
    if (db_run(s) && (!bounce || mail_bounce(db, bounce_to, err)) && db_commit(db)) return;
    db_rollback(db);
}

bool mail_claim(db_t *db, const char *sql, int64_t id) {
    if (!db_begin(db)) return false;
    stmt_t *s = db_prep_static(db, sql);
    int64_t now = now_unix();
    db_binds(s, DB_INT(":id", id), DB_INT(":now", now), DB_INT(":lease", now + MAIL_LEASE));
    bool got = db_run(s) && db_changes(db) == 1;
    if (!db_commit(db)) { db_rollback(db); return false; }
    return got;
}

int mail_outbox_deliver(db_t *db, const char *url, const char *from, long retry_base) {
    arena_t *a = arena_new();
    stmt_t *s = db_prep(db, "SELECT id, to_addr, subject, body, attempts, html, headers FROM mail_outbox "
                            "WHERE status = 'pending' AND next_try <= :now ORDER BY id LIMIT 20");
    db_bind_int(s, ":now", now_unix());
    struct row { int64_t id; const char *to, *subject, *body; int attempts; const char *html, *headers; } rows[20];
    int n = 0;
    while (n < 20 && db_step(s))
        rows[n++] = (struct row){db_int(s, 0), db_text_dup(s, 1, a), db_text_dup(s, 2, a), db_text_dup(s, 3, a), (int)db_int(s, 4),
                                 db_text_dup(s, 5, a), db_text_dup(s, 6, a)};
    db_reset(s);
    static const char *const claim = "UPDATE mail_outbox SET next_try = :lease WHERE id = :id AND status = 'pending' AND next_try <= :now";
    for (int i = 0; i < n; i++) {
        struct row *r = &rows[i];
        if (!mail_claim(db, claim, r->id)) continue;   /* another sender has it */
        long code = 0;
        bool suppressed = mail_suppressed(db, r->to);
        const char *err = suppressed ? "the address is suppressed after permanent failures"
                                     : mail_send_full(a, url, from, r->to, r->subject, r->body, r->html, r->headers,
                                                      arena_printf_libc(a, "mail-%lld", (long long)r->id), &code);
        bool permanent = err && (suppressed || code >= 500);
        if (err && code >= 500) err = arena_printf_libc(a, "%s (SMTP %ld)", err, code);
        static const char *const mark[3] = {
            "UPDATE mail_outbox SET status = 'sent', body = '', html = NULL, attempts = :a, last_error = NULL WHERE id = :id",
            "UPDATE mail_outbox SET status = 'failed', body = '', html = NULL, attempts = :a, last_error = :e WHERE id = :id",
            "UPDATE mail_outbox SET attempts = :a, last_error = :e, next_try = :next WHERE id = :id"};
        int attempts = r->attempts + 1;
        mail_attempt_done(db, mark, r->id, attempts, err, permanent, code, suppressed ? NULL : r->to, retry_base);
        if (err) log_msg("mail: message %lld: %s (attempt %d)", (long long)r->id, err, attempts);
    }
    arena_free(a);
    return n;
}
