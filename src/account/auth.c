/* Sessions, tokens, CSRF, passwords, links, known devices and throttling (see auth.h). */
#include "account/auth.h"
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "core/embedded.h"
#include "core/util.h"
#include "i18n/i18n.h"
#include "http/csrf.h"

char *random_token(arena_t *a) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    size_t n = sodium_base64_ENCODED_LEN(sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *s = arena_alloc(a, n);
    sodium_bin2base64(s, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return s;
}

char *token_hash(arena_t *a, const char *token) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    return hex_encode(a, h, sizeof h);
}

/* ---- Argon2: a counting semaphore bounds the runs at once (each takes 64 MiB) ---- */
static pthread_mutex_t pw_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pw_cond = PTHREAD_COND_INITIALIZER;
static int pw_running, pw_max = -1;
static long pw_wait_ms = 2000;

static long env_long(const char *name, long lo, long hi, long def) {
    const char *v = getenv(name);
    long long n;
    return v && parse_int(v, lo, hi, &n) ? (long)n : def;
}

/* pw_enter: take a turn, waiting up to pw_wait_ms; false when none came */
static bool pw_enter(void) {
    pthread_mutex_lock(&pw_lock);
    if (pw_max < 0) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        pw_max = (int)env_long("GRANSLOS_ARGON2_MAX", 1, 256, ncpu > 0 ? ncpu : 2);
        pw_wait_ms = env_long("GRANSLOS_ARGON2_WAIT_MS", 0, 60000, 2000);
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += pw_wait_ms / 1000;
    until.tv_nsec += (pw_wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) { until.tv_sec++; until.tv_nsec -= 1000000000L; }
    bool ok = true;
    while (pw_running >= pw_max) {
        if (pw_wait_ms == 0 || pthread_cond_timedwait(&pw_cond, &pw_lock, &until) == ETIMEDOUT) {
            ok = pw_running < pw_max;
            break;
        }
    }
    if (ok) pw_running++;
    pthread_mutex_unlock(&pw_lock);
    return ok;
}

static void pw_leave(void) {
    pthread_mutex_lock(&pw_lock);
    pw_running--;
    pthread_cond_signal(&pw_cond);
    pthread_mutex_unlock(&pw_lock);
}

static bool hash_raw(char out[crypto_pwhash_STRBYTES], const char *pw) {
    return crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                                 crypto_pwhash_ALG_ARGON2ID13) == 0;
}

char *password_hash(arena_t *a, const char *pw, bool *busy) {
    if (busy) *busy = false;
    if (!pw_enter()) {
        if (busy) *busy = true;
        return NULL;
    }
    char *out = arena_alloc(a, crypto_pwhash_STRBYTES);
    bool ok = hash_raw(out, pw);
    pw_leave();
    return ok ? out : NULL;
}

/* the dummy hash an unknown account is checked against: same algorithm and cost as real ones */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static void dummy_make(void) {
    char pw[33];
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(pw, sizeof pw, raw, sizeof raw);
    if (!hash_raw(dummy_hash, pw)) dummy_hash[0] = 0;
}

pw_result_t password_verify(const char *hash, const char *pw) {
    pthread_once(&dummy_once, dummy_make);
    if (!pw) pw = "";
    if (!pw_enter()) return PW_BUSY;
    bool ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, pw, strlen(pw)) == 0;
    pw_leave();
    return ok && hash ? PW_OK : PW_WRONG;
}

/* ---- password policy ---- */
/* the common passwords, case-folded and sorted; loaded once, read-only afterwards */
static char **common;
static size_t ncommon;
static pthread_once_t common_once = PTHREAD_ONCE_INIT;
static int cmp_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }
static void common_load(void) {
    const struct embedded_file *f = embedded_find("data/account/common-passwords.txt");
    if (!f) return;
    static arena_t *a; /* lives for the process (kept here so that it stays reachable) */
    a = arena_new();
    size_t cap = 64;
    common = xmalloc(cap * sizeof *common);
    for (const char *p = f->data; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n && p[0] != '#') {
            char *line = arena_alloc(a, n + 1);
            memcpy(line, p, n);
            line[n] = 0;
            while (n && (line[n - 1] == '\r' || line[n - 1] == ' ')) line[--n] = 0;
            char *folded = n ? text_fold(a, line) : NULL;
            if (folded) {
                if (ncommon == cap) common = xrealloc(common, (cap *= 2) * sizeof *common);
                common[ncommon++] = folded;
            }
        }
        p += n + (nl ? 1 : 0);
        if (!nl) break;
    }
    qsort(common, ncommon, sizeof *common, cmp_str);
}
static bool is_common(const char *folded) {
    pthread_once(&common_once, common_load);
    return ncommon && bsearch(&folded, common, ncommon, sizeof *common, cmp_str);
}

/* alnum: the letters and digits of a folded text (bytes >= 0x80 kept), in the arena */
static char *alnum(arena_t *a, const char *s) {
    char *o = arena_alloc(a, strlen(s) + 1), *q = o;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p >= 0x80 || isalnum((unsigned char)*p)) *q++ = *p;
    *q = 0;
    return o;
}

static bool is_sequence(const char *f) {
    static const char *const runs[] = {
        "012345678901234567890", "098765432109876543210", "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba",
        "qwertyuiopåasdfghjklöäzxcvbnm", "qwertyuiopasdfghjklzxcvbnm", "mnbvcxzlkjhgfdsapoiuytrewq", "qwertzuiop",
        "azertyuiop", "1qaz2wsx3edc4rfv5tgb6yhn7ujm", "qazwsxedcrfvtgbyhnujmikolp", "1q2w3e4r5t6y7u8i9o0p",
        "q1w2e3r4t5y6u7i8o9p0", NULL};
    for (int i = 0; runs[i]; i++) if (strstr(runs[i], f)) return true;
    /* a pattern of up to four characters repeated ("aaaaaaaaaa", "abcabcabca", "12121212") */
    size_t n = strlen(f);
    for (size_t k = 1; k <= 4 && k < n; k++) {
        size_t i = k;
        while (i < n && f[i] == f[i % k]) i++;
        if (i == n) return true;
    }
    return false;
}

const char *password_problem(const char *pw, const char *email, const char *name) {
    if (!pw || !utf8_valid(pw, strlen(pw)) || utf8_len(pw) < 10) return N_("The password must have at least 10 characters.");
    if (strlen(pw) > 1024) return N_("The password is too long.");
    arena_t *a = arena_new();
    const char *msg = NULL;
    char *f = text_fold(a, pw);
    if (!f) f = arena_strdup(a, pw);
    /* without what people append: "sommar2024!" is "sommar" */
    char *base = arena_strdup(a, f);
    size_t n = strlen(base);
    while (n && ((unsigned char)base[n - 1] < 0x80 && !isalpha((unsigned char)base[n - 1]))) base[--n] = 0;
    char *af = alnum(a, f);
    if (is_common(f) || (n >= 4 && is_common(base)) || (strlen(af) >= 4 && is_common(af)))
        msg = N_("This is one of the most common passwords. Choose a longer phrase of unrelated words.");
    else if (is_sequence(f) || is_sequence(af))
        msg = N_("This password is too easy to guess: it repeats a character or a pattern, or follows the keyboard or the alphabet.");
    else {
        const char *fe = email ? text_fold(a, email) : NULL;
        const char *fn = name ? text_fold(a, name) : NULL;
        if (fe) {
            char *local = arena_strdup(a, fe), *at = strchr(local, '@');
            if (at) *at = 0;
            if (strstr(f, fe) || streq(af, alnum(a, fe)) || streq(af, alnum(a, local)) || streq(base, local))
                msg = N_("The password must not be your e-mail address.");
        }
        if (!msg && fn && *alnum(a, fn) && (streq(af, alnum(a, fn)) || streq(alnum(a, base), alnum(a, fn))))
            msg = N_("The password must not be your name.");
    }
    arena_free(a);
    return msg;
}

const char *name_problem(const char *name) {
    if (str_empty(name)) return N_("This field is required.");
    if (!utf8_valid(name, strlen(name))) return N_("The name contains characters that are not allowed.");
    if (utf8_len(name) > 120) return N_("This text is too long.");
    for (const unsigned char *p = (const unsigned char *)name; *p;) {
        uint32_t c;
        int len;
        if (*p < 0x80) { c = *p; len = 1; }
        else if (*p < 0xE0) { c = (uint32_t)(*p & 0x1F) << 6 | (p[1] & 0x3F); len = 2; }
        else if (*p < 0xF0) { c = (uint32_t)(*p & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F); len = 3; }
        else { c = (uint32_t)(*p & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 | (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F); len = 4; }
        bool bad = c < 0x20 || (c >= 0x7F && c < 0xA0)       /* C0 (CR, LF, tab), DEL, C1 */
                   || c == 0x061C || c == 0x200E || c == 0x200F /* bidi marks */
                   || (c >= 0x202A && c <= 0x202E)              /* embeddings and overrides */
                   || (c >= 0x2066 && c <= 0x2069)              /* isolates */
                   || c == 0x2028 || c == 0x2029 || c == 0xFEFF; /* line/paragraph separators, BOM */
        if (bad) return N_("The name contains characters that are not allowed.");
        p += len;
    }
    return NULL;
}

bool email_valid(const char *s) {
    if (!s) return false;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n < 3 || n > 254 || !at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.')) return false;
    if (at[1] == '.' || s[n - 1] == '.') return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7F || strchr("<>()[]\\,;:\"", *p)) return false;
    return true;
}

/* ---- users ---- */
user_t *user_load(db_t *db, arena_t *a, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT id, email, name, lang, is_admin FROM users WHERE id = :id AND deleted_at IS NULL");
    db_bind_int(s, ":id", id);
    if (!db_step(s)) return NULL;
    user_t *u = arena_alloc(a, sizeof *u);
    u->id = db_int(s, 0);
    u->email = db_text_dup(s, 1, a);
    u->name = db_text_dup(s, 2, a);
    u->lang = db_text_dup(s, 3, a);
    u->is_admin = db_int(s, 4) != 0;
    db_reset(s);
    return u;
}

int64_t user_by_email(db_t *db, const char *email) {
    stmt_t *s = db_prep(db, "SELECT id FROM users WHERE email = lower(:email) AND deleted_at IS NULL");
    db_bind_text(s, ":email", email);
    return db_int_of(s, 0);
}

char *user_pw_hash(db_t *db, arena_t *a, int64_t id) {
    stmt_t *s = db_prep(db, "SELECT pw_hash FROM users WHERE id = :id AND deleted_at IS NULL");
    db_bind_int(s, ":id", id);
    return db_text_of(s, a);
}

bool user_set_password(db_t *db, int64_t id, const char *pw_hash) {
    stmt_t *s = db_prep(db, "UPDATE users SET pw_hash = :h WHERE id = :id AND deleted_at IS NULL");
    db_bind_text(s, ":h", pw_hash);
    db_bind_int(s, ":id", id);
    return db_run(s) && db_changes(db) == 1;
}

int64_t user_create_hashed(db_t *db, arena_t *a, const char *email, const char *name, const char *pw_hash, const char *lang) {
    stmt_t *s = db_prep(db, "INSERT INTO users (email, name, pw_hash, lang, created_at) VALUES (lower(:email), :name, :hash, :lang, :now)");
    db_binds(s, DB_TEXT(":email", email), DB_TEXT(":name", name), DB_TEXT(":hash", pw_hash), DB_TEXT(":lang", lang),
                DB_TEXT(":now", now_utc(a)));
    return db_run(s) ? db_last_id(db) : 0;
}

int64_t user_create(db_t *db, arena_t *a, const char *email, const char *name, const char *pw, bool admin) {
    char *hash = password_hash(a, pw, NULL);
    if (!hash || !db_begin(db)) return 0;
    int64_t id = user_create_hashed(db, a, email, name, hash, NULL);
    stmt_t *s = db_prep(db, "UPDATE users SET is_admin = :admin WHERE id = :id");
    db_bind_int(s, ":admin", admin);
    db_bind_int(s, ":id", id);
    if (!id || !db_run(s) || !db_commit(db)) { db_rollback(db); return 0; }
    return id;
}

/* ---- API tokens ---- */
static char *utc_of(arena_t *a, int64_t t) {
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char b[32];
    strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return arena_strdup(a, b);
}

char *api_token_create(db_t *db, arena_t *a, int64_t user_id, const char *name, int days) {
    if (days <= 0) days = TOKEN_DAYS;
    if (days > TOKEN_DAYS_MAX) days = TOKEN_DAYS_MAX;
    char *tok = random_token(a);
    stmt_t *s = db_prep(db, "INSERT INTO api_tokens (token_hash, user_id, created_at, name, expires_at) VALUES (:h, :u, :now, :n, :exp)");
    db_binds(s, DB_TEXT(":h", token_hash(a, tok)), DB_INT(":u", user_id), DB_TEXT(":now", now_utc(a)),
                DB_TEXT(":n", name && *name ? name : NULL), DB_INT(":exp", now_unix() + (int64_t)days * 86400));
    return db_run(s) ? tok : NULL;
}

json_t *api_tokens_list(db_t *db, arena_t *a, int64_t user_id) {
    json_t *out = json_array();
    stmt_t *s = db_prep(db, "SELECT rowid, name, created_at, expires_at, last_used, revoked_at FROM api_tokens "
                            "WHERE user_id = :u ORDER BY rowid DESC LIMIT 200");
    db_bind_int(s, ":u", user_id);
    int64_t now = now_unix();
    while (db_step(s)) {
        json_t *t = json_object();
        json_object_set_new(t, "id", json_integer(db_int(s, 0)));
        json_object_set_new(t, "name", db_is_null(s, 1) ? json_null() : json_string(db_text(s, 1)));
        json_object_set_new(t, "created_at", json_string(db_text(s, 2)));
        json_object_set_new(t, "expires_at", db_is_null(s, 3) ? json_null() : json_string(utc_of(a, db_int(s, 3))));
        json_object_set_new(t, "last_used", db_is_null(s, 4) ? json_null() : json_string(utc_of(a, db_int(s, 4))));
        const char *state = !db_is_null(s, 5) ? "revoked" : !db_is_null(s, 3) && db_int(s, 3) <= now ? "expired" : "active";
        json_object_set_new(t, "state", json_string(state));
        json_array_append_new(out, t);
    }
    db_reset(s);
    return out;
}

bool api_token_revoke(db_t *db, arena_t *a, int64_t user_id, int64_t id) {
    stmt_t *s = user_id > 0 ? db_prep(db, "UPDATE api_tokens SET revoked_at = :now WHERE rowid = :id AND user_id = :u AND revoked_at IS NULL")
                            : db_prep(db, "UPDATE api_tokens SET revoked_at = :now WHERE rowid = :id AND revoked_at IS NULL");
    db_bind_text(s, ":now", now_utc(a));
    db_bind_int(s, ":id", id);
    if (user_id > 0) db_bind_int(s, ":u", user_id);
    return db_run(s) && db_changes(db) == 1;
}

int api_tokens_revoke_all(db_t *db, arena_t *a, int64_t user_id) {
    stmt_t *s = db_prep(db, "UPDATE api_tokens SET revoked_at = :now WHERE user_id = :u AND revoked_at IS NULL");
    db_bind_text(s, ":now", now_utc(a));
    db_bind_int(s, ":u", user_id);
    return db_run(s) ? db_changes(db) : -1;
}

/* ---- who is asking ---- */
static int64_t session_idle(void) {
    static long idle = -1;
    if (idle < 0) idle = env_long("GRANSLOS_SESSION_IDLE", 1, SESSION_DAYS * 86400L, SESSION_IDLE);
    return idle;
}

/* touch: a short write outside the request's read snapshot */
static void touch(db_t *db, stmt_t *s) {
    if (!db_begin(db)) { db_reset(s); return; }
    if (db_run(s) && db_commit(db)) return;
    db_rollback(db);
}

bool auth_resolve(req_t *r) {
    db_t *db = db_get();
    int64_t now = now_unix();
    const char *authz = req_header(r, "Authorization");
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        char *h = token_hash(r->arena, authz + 7);
        stmt_t *s = db_prep(db, "SELECT user_id, last_used FROM api_tokens WHERE token_hash = :h AND revoked_at IS NULL "
                                "AND (expires_at IS NULL OR expires_at > :now)");
        db_bind_text(s, ":h", h);
        db_bind_int(s, ":now", now);
        int64_t uid = 0, used = 0;
        if (db_step(s)) { uid = db_int(s, 0); used = db_int(s, 1); }
        db_reset(s);
        if (!uid || !(r->user = user_load(db, r->arena, uid))) return false;
        r->via_token = true;
        if (now - used >= 3600) {
            s = db_prep(db, "UPDATE api_tokens SET last_used = :now WHERE token_hash = :h");
            db_bind_int(s, ":now", now);
            db_bind_text(s, ":h", h);
            touch(db, s);
        }
        return true;
    }
    const char *sid = req_cookie(r, "sid");
    if (sid) {
        char *h = token_hash(r->arena, sid);
        int64_t idle = session_idle();
        stmt_t *s = db_prep(db, "SELECT user_id, csrf, last_seen FROM sessions WHERE token_hash = :h AND expires_at > :now AND last_seen > :idle");
        db_bind_text(s, ":h", h);
        db_bind_int(s, ":now", now);
        db_bind_int(s, ":idle", now - idle);
        if (db_step(s)) {
            int64_t uid = db_int(s, 0), seen = db_int(s, 2);
            r->csrf = db_text_dup(s, 1, r->arena);
            db_reset(s);
            r->user = user_load(db, r->arena, uid);
            if (r->user) {
                r->session_hash = h;
                int64_t every = idle / 4 < 300 ? idle / 4 : 300;
                if (now - seen > every) {
                    s = db_prep(db, "UPDATE sessions SET last_seen = :now WHERE token_hash = :h");
                    db_bind_int(s, ":now", now);
                    db_bind_text(s, ":h", h);
                    touch(db, s);
                }
            } else r->csrf = NULL;
        }
    }
    if (!r->user) {
        const char *c = req_cookie(r, "csrf");
        if (c && strlen(c) == 43) r->csrf = arena_strdup(r->arena, c);
    }
    return true;
}

const char *auth_csrf(req_t *r) { return csrf_token(r); }   /* http/csrf.h */

bool auth_csrf_ok(req_t *r, const char *submitted) { return csrf_ok(r, submitted); }

/* ---- sessions ---- */
void session_start(req_t *r, int64_t user_id) {
    db_t *db = db_get();
    char *tok = random_token(r->arena);
    char *h = token_hash(r->arena, tok);
    char *csrf = random_token(r->arena);
    if (r->session_hash) session_end(r);
    int64_t now = now_unix();
    stmt_t *s = db_prep(db, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at, last_seen, ip) "
                            "VALUES (:h, :u, :csrf, :now, :exp, :seen, :ip)");
    db_binds(s, DB_TEXT(":h", h), DB_INT(":u", user_id), DB_TEXT(":csrf", csrf), DB_TEXT(":now", now_utc(r->arena)),
                DB_INT(":exp", now + SESSION_DAYS * 86400), DB_INT(":seen", now), DB_TEXT(":ip", r->ip));
    db_run(s);
    /* expired and idle sessions go when someone logs in */
    stmt_t *d = db_prep(db, "DELETE FROM sessions WHERE expires_at < :now OR last_seen < :idle");
    db_bind_int(d, ":now", now);
    db_bind_int(d, ":idle", now - session_idle());
    db_run(d);
    resp_set_cookie(r, "sid", tok, SESSION_DAYS * 86400);
    r->user = user_load(db, r->arena, user_id);
    r->session_hash = h;
    r->csrf = csrf;
    r->set_csrf_cookie = false;
}

void session_end(req_t *r) {
    if (r->session_hash) {
        stmt_t *s = db_prep(db_get(), "DELETE FROM sessions WHERE token_hash = :h");
        db_bind_text(s, ":h", r->session_hash);
        db_run(s);
    }
    resp_set_cookie(r, "sid", "", 0);
    r->user = NULL;
    r->session_hash = NULL;
    r->csrf = NULL;
}

json_t *sessions_list(db_t *db, arena_t *a, int64_t user_id, const char *current_hash) {
    json_t *out = json_array();
    stmt_t *s = db_prep(db, "SELECT rowid, created_at, last_seen, ip, token_hash FROM sessions WHERE user_id = :u "
                            "AND expires_at > :now AND last_seen > :idle ORDER BY last_seen DESC LIMIT 100");
    int64_t now = now_unix();
    db_bind_int(s, ":u", user_id);
    db_bind_int(s, ":now", now);
    db_bind_int(s, ":idle", now - session_idle());
    while (db_step(s)) {
        json_t *o = json_object();
        json_object_set_new(o, "id", json_integer(db_int(s, 0)));
        json_object_set_new(o, "created_at", json_string(db_text(s, 1)));
        json_object_set_new(o, "last_seen", json_string(utc_of(a, db_int(s, 2))));
        json_object_set_new(o, "ip", db_is_null(s, 3) ? json_null() : json_string(db_text(s, 3)));
        json_object_set_new(o, "current", json_boolean(current_hash && streq(current_hash, db_text(s, 4))));
        json_array_append_new(out, o);
    }
    db_reset(s);
    return out;
}

bool session_revoke(db_t *db, int64_t user_id, int64_t id) {
    stmt_t *s = db_prep(db, "DELETE FROM sessions WHERE rowid = :id AND user_id = :u");
    db_bind_int(s, ":id", id);
    db_bind_int(s, ":u", user_id);
    return db_run(s) && db_changes(db) == 1;
}

bool sessions_end_all(db_t *db, int64_t user_id, const char *keep_hash) {
    stmt_t *s = db_prep(db, "DELETE FROM sessions WHERE user_id = :id AND token_hash <> :h");
    db_bind_int(s, ":id", user_id);
    db_bind_text(s, ":h", keep_hash ? keep_hash : "");
    return db_run(s);
}

/* ---- links ---- */
char *link_create(db_t *db, arena_t *a, const account_link_t *l, int ttl) {
    char *tok = random_token(a);
    if (!db_run_for(db_prep(db, "DELETE FROM account_links WHERE expires_at < :now"), ":now", now_unix())) return NULL;
    stmt_t *s = db_prep(db, "INSERT INTO account_links (token_hash, kind, user_id, email, name, pw_hash, lang, created_at, expires_at) "
                            "VALUES (:h, :k, :u, lower(:e), :n, :p, :l, :now, :exp)");
    db_binds(s, DB_TEXT(":h", token_hash(a, tok)), DB_TEXT(":k", l->kind), DB_ID(":u", l->user_id), DB_TEXT(":e", l->email),
                DB_TEXT(":n", l->name), DB_TEXT(":p", l->pw_hash), DB_TEXT(":l", l->lang), DB_TEXT(":now", now_utc(a)),
                DB_INT(":exp", now_unix() + ttl));
    return db_run(s) ? tok : NULL;
}

account_link_t *link_find(db_t *db, arena_t *a, const char *kind, const char *token, bool consume) {
    if (!token || strlen(token) != 43) return NULL;
    char *h = token_hash(a, token);
    stmt_t *s = db_prep(db, "SELECT user_id, email, name, pw_hash, lang FROM account_links WHERE token_hash = :h AND kind = :k AND expires_at > :now");
    db_bind_text(s, ":h", h);
    db_bind_text(s, ":k", kind);
    db_bind_int(s, ":now", now_unix());
    if (!db_step(s)) { db_reset(s); return NULL; }
    account_link_t *l = arena_alloc(a, sizeof *l);
    l->kind = kind;
    l->user_id = db_is_null(s, 0) ? 0 : db_int(s, 0);
    l->email = db_text_dup(s, 1, a);
    l->name = db_text_dup(s, 2, a);
    l->pw_hash = db_text_dup(s, 3, a);
    l->lang = db_text_dup(s, 4, a);
    db_reset(s);
    if (consume) {
        s = db_prep(db, "DELETE FROM account_links WHERE token_hash = :h");
        db_bind_text(s, ":h", h);
        if (!db_run(s) || db_changes(db) != 1) return NULL; /* someone else used it first */
    }
    return l;
}

void links_drop(db_t *db, const char *kind, int64_t user_id, const char *email) {
    stmt_t *s = user_id > 0 ? db_prep(db, "DELETE FROM account_links WHERE kind = :k AND user_id = :u")
                            : db_prep(db, "DELETE FROM account_links WHERE kind = :k AND email = lower(:e)");
    db_bind_text(s, ":k", kind);
    if (user_id > 0) db_bind_int(s, ":u", user_id); else db_bind_text(s, ":e", email);
    db_run(s);
}

/* ---- known devices ---- */
static const char *device_hash(req_t *r) {
    const char *d = req_cookie(r, "device");
    return d && strlen(d) == 43 ? token_hash(r->arena, d) : NULL;
}

bool device_known(req_t *r, int64_t user_id) {
    const char *h = device_hash(r);
    if (!h || !user_id) return false;
    stmt_t *s = db_prep(db_get(), "SELECT 1 FROM known_devices WHERE device_hash = :h AND user_id = :u");
    db_bind_text(s, ":h", h);
    db_bind_int(s, ":u", user_id);
    return db_exists(s);
}

void device_remember(req_t *r, int64_t user_id) {
    const char *h = device_hash(r);
    if (!h) {
        const char *tok = random_token(r->arena);
        h = token_hash(r->arena, tok);
        resp_set_cookie(r, "device", tok, 400 * 86400);
    }
    stmt_t *s = db_prep(db_get(), "INSERT INTO known_devices (device_hash, user_id, created_at, last_login) VALUES (:h, :u, :now, :t) "
                                  "ON CONFLICT (device_hash, user_id) DO UPDATE SET last_login = excluded.last_login");
    db_binds(s, DB_TEXT(":h", h), DB_INT(":u", user_id), DB_TEXT(":now", now_utc(r->arena)), DB_INT(":t", now_unix()));
    db_run(s);
}

bool account_forget_security(db_t *db, int64_t user_id) {
    if (!db_run_for(db_prep(db, "DELETE FROM account_links WHERE user_id = :u"), ":u", user_id)) return false;
    /* the throttling counters keyed by the address ("a:", "p:…|", "d:…|", see keys_of) */
    if (!db_run_for(db_prep(db, "DELETE FROM rate_limits WHERE key = 'a:' || (SELECT lower(email) FROM users WHERE id = :u) "
                                "OR (substr(key, 1, 2) IN ('p:', 'd:') AND substr(key, 3, length((SELECT email FROM users WHERE id = :u)) + 1) = "
                                "(SELECT lower(email) FROM users WHERE id = :u) || '|')"), ":u", user_id))
        return false;
    return db_run_for(db_prep(db, "DELETE FROM known_devices WHERE user_id = :u"), ":u", user_id);
}

json_t *account_security_data(db_t *db, arena_t *a, int64_t user_id) {
    json_t *devices = json_array(), *links = json_array();
    stmt_t *s = db_prep(db, "SELECT created_at, last_login FROM known_devices WHERE user_id = :u ORDER BY created_at");
    db_bind_int(s, ":u", user_id);
    while (db_step(s))
        json_array_append_new(devices, json_pack("{s:s, s:s}", "created_at", db_text(s, 0), "last_login", utc_of(a, db_int(s, 1))));
    db_reset(s);
    s = db_prep(db, "SELECT kind, email, created_at FROM account_links WHERE user_id = :u AND expires_at > :now ORDER BY created_at");
    db_bind_int(s, ":u", user_id);
    db_bind_int(s, ":now", now_unix());
    while (db_step(s))
        json_array_append_new(links, json_pack("{s:s, s:s, s:s}", "kind", db_text(s, 0), "email", db_text(s, 1), "created_at", db_text(s, 2)));
    db_reset(s);
    return json_pack("{s:o, s:o, s:o, s:o}", "sessions", sessions_list(db, a, user_id, NULL), "api_tokens", api_tokens_list(db, a, user_id),
                     "known_devices", devices, "pending_links", links);
}

/* ---- throttling: counters in the store (rate_limits), so that every node counts the same ---- */
#define RL_FREE 5             /* failures before the back-off starts */
#define RL_BACKOFF 30         /* seconds after the 5th failure, doubling with each further one */
#define RL_BACKOFF_MAX 3600
#define RL_FORGET 86400       /* a back-off entry is forgotten a day after its last failure */
#define RL_ADDR_MAX 30        /* failures per address (unknown devices) in RL_ADDR_WINDOW */
#define RL_ADDR_WINDOW 900
#define RL_ACCT_MAX 100       /* failures per account from unknown devices in RL_ACCT_WINDOW */
#define RL_ACCT_WINDOW 3600
struct rl { const char *key; int64_t start, last, until; int count; bool found; };

/* rl_load: the counter of key as the store has it; window > 0 restarts a fixed window that has
 * passed, window < 0 forgets a counter idle for -window seconds (a missing one starts at 0) */
static struct rl rl_load(db_t *db, const char *key, int window) {
    int64_t now = now_unix();
    struct rl e = {key, now, now, 0, 0, false};
    stmt_t *s = db_prep(db, "SELECT start_at, last_at, until_at, count FROM rate_limits WHERE key = :k");
    db_bind_text(s, ":k", key);
    if (db_step(s)) {
        e.found = true;
        e.start = db_int(s, 0);
        e.last = db_int(s, 1);
        e.until = db_int(s, 2);
        e.count = (int)db_int(s, 3);
    }
    db_reset(s);
    if (e.found && ((window > 0 && now - e.start >= window) || (window < 0 && now - e.last >= -window)))
        e = (struct rl){key, now, now, 0, 0, true};
    return e;
}

static bool rl_store(db_t *db, const struct rl *e) {
    stmt_t *s = db_prep(db, "INSERT INTO rate_limits (key, start_at, last_at, until_at, count) VALUES (:k, :s, :l, :u, :c) "
                            "ON CONFLICT (key) DO UPDATE SET start_at = :s, last_at = :l, until_at = :u, count = :c");
    db_binds(s, DB_TEXT(":k", e->key), DB_INT(":s", e->start), DB_INT(":l", e->last), DB_INT(":u", e->until), DB_INT(":c", e->count));
    return db_run(s);
}

/* rl_prune: counters idle for a day say nothing any more (every window is shorter) */
static bool rl_prune(db_t *db) {
    stmt_t *s = db_prep(db, "DELETE FROM rate_limits WHERE last_at < :old AND until_at < :now");
    db_binds(s, DB_INT(":old", now_unix() - RL_FORGET), DB_INT(":now", now_unix()));
    return db_run(s);
}

bool rate_take(const char *key, int max, int window, int64_t *retry_after) {
    db_t *db = db_get();
    if (!db_begin(db)) return false;
    struct rl e = rl_load(db, key, window);
    bool ok = e.count < max;
    if (ok) {
        e.count++;
        e.last = now_unix();
        ok = rl_store(db, &e) && rl_prune(db);
    } else if (retry_after) *retry_after = e.start + window - now_unix();
    if (!db_commit(db)) { db_rollback(db); ok = false; }
    if (retry_after && *retry_after < 1) *retry_after = 1;
    return ok;
}

/* the keys of an attempt: who (folded address) and from where (device or address) */
struct keys { char pair[320], addr[300], acct[300]; bool known; };
static void keys_of(req_t *r, const char *email, struct keys *k) {
    char e[256];
    snprintf(e, sizeof e, "%s", email ? email : "");
    for (char *p = e; *p; p++) *p = (char)tolower((unsigned char)*p);
    int64_t uid = *e ? user_by_email(db_get(), e) : 0;
    k->known = uid && device_known(r, uid);
    const char *d = k->known ? req_cookie(r, "device") : NULL;
    if (k->known) snprintf(k->pair, sizeof k->pair, "d:%s|%.43s", e, d);
    else snprintf(k->pair, sizeof k->pair, "p:%s|%s", e, r->ip ? r->ip : "");
    snprintf(k->addr, sizeof k->addr, "i:%s", r->ip ? r->ip : "");
    snprintf(k->acct, sizeof k->acct, "a:%s", e);
}

int64_t login_wait(req_t *r, const char *email) {
    db_t *db = db_get();
    struct keys k;
    keys_of(r, email, &k);
    int64_t now = now_unix(), wait = 0;
    struct rl p = rl_load(db, k.pair, -RL_FORGET);
    if (p.until > now) wait = p.until - now;
    if (!k.known) {
        struct rl i = rl_load(db, k.addr, RL_ADDR_WINDOW), a = rl_load(db, k.acct, RL_ACCT_WINDOW);
        if (i.count >= RL_ADDR_MAX && i.start + RL_ADDR_WINDOW - now > wait) wait = i.start + RL_ADDR_WINDOW - now;
        if (a.count >= RL_ACCT_MAX && a.start + RL_ACCT_WINDOW - now > wait) wait = a.start + RL_ACCT_WINDOW - now;
    }
    return wait;
}

void login_failed(req_t *r, const char *email) {
    db_t *db = db_get();
    struct keys k;
    keys_of(r, email, &k);
    int64_t now = now_unix();
    if (!db_begin(db)) return;
    struct rl p = rl_load(db, k.pair, -RL_FORGET);
    p.count++;
    p.last = now;
    if (p.count >= RL_FREE) {
        int shift = p.count - RL_FREE;
        int64_t d = shift > 7 ? RL_BACKOFF_MAX : (int64_t)RL_BACKOFF << shift;
        p.until = now + (d < RL_BACKOFF_MAX ? d : RL_BACKOFF_MAX);
    }
    bool ok = rl_store(db, &p);
    if (!k.known) {
        struct rl i = rl_load(db, k.addr, RL_ADDR_WINDOW), a = rl_load(db, k.acct, RL_ACCT_WINDOW);
        i.count++;
        i.last = now;
        a.count++;
        a.last = now;
        ok = ok && rl_store(db, &i) && rl_store(db, &a);
    }
    ok = ok && rl_prune(db);
    if (!ok || !db_commit(db)) db_rollback(db);
}

void login_succeeded(req_t *r, const char *email) {
    db_t *db = db_get();
    struct keys k;
    keys_of(r, email, &k);
    if (!db_begin(db)) return;
    struct rl p = rl_load(db, k.pair, -RL_FORGET);
    bool ok = true;
    if (p.found) {
        p.count = 0;
        p.until = 0;
        ok = rl_store(db, &p);
    }
    if (!ok || !db_commit(db)) db_rollback(db);
}
