/* Sessions, tokens, CSRF, passwords and rate limiting (see auth.h). */
#include "account/auth.h"
#include <pthread.h>
#include <sodium.h>
#include <string.h>
#include <strings.h>
#include "core/util.h"
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

char *password_hash(arena_t *a, const char *pw) {
    char *out = arena_alloc(a, crypto_pwhash_STRBYTES);
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return NULL;
    return out;
}

bool password_verify(const char *hash, const char *pw) {
    return hash && crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

bool email_valid(const char *s) {
    if (!s) return false;
    size_t n = strlen(s);
    const char *at = strchr(s, '@');
    if (n < 3 || n > 254 || !at || at == s || strchr(at + 1, '@') || !strchr(at + 1, '.')) return false;
    if (at[1] == '.' || s[n - 1] == '.') return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || strchr("<>()[]\\,;:\"", *p)) return false;
    return true;
}

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
    int64_t id = db_step(s) ? db_int(s, 0) : 0;
    db_reset(s);
    return id;
}

int64_t user_create(db_t *db, arena_t *a, const char *email, const char *name, const char *pw, bool admin) {
    char *hash = password_hash(a, pw);
    if (!hash) return 0;
    stmt_t *s = db_prep(db, "INSERT INTO users (email, name, pw_hash, is_admin, created_at) "
                            "VALUES (lower(:email), :name, :hash, :admin, :now)");
    db_bind_text(s, ":email", email);
    db_bind_text(s, ":name", name);
    db_bind_text(s, ":hash", hash);
    db_bind_int(s, ":admin", admin);
    db_bind_text(s, ":now", now_utc(a));
    return db_run(s) ? db_last_id(db) : 0;
}

char *api_token_create(db_t *db, arena_t *a, int64_t user_id) {
    char *tok = random_token(a);
    stmt_t *s = db_prep(db, "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (:h, :u, :now)");
    db_bind_text(s, ":h", token_hash(a, tok));
    db_bind_int(s, ":u", user_id);
    db_bind_text(s, ":now", now_utc(a));
    return db_run(s) ? tok : NULL;
}

bool auth_resolve(req_t *r) {
    db_t *db = db_get();
    const char *authz = req_header(r, "Authorization");
    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        stmt_t *s = db_prep(db, "SELECT user_id FROM api_tokens WHERE token_hash = :h AND revoked_at IS NULL");
        db_bind_text(s, ":h", token_hash(r->arena, authz + 7));
        int64_t uid = db_step(s) ? db_int(s, 0) : 0;
        db_reset(s);
        if (!uid || !(r->user = user_load(db, r->arena, uid))) return false;
        r->via_token = true;
        return true;
    }
    const char *sid = req_cookie(r, "sid");
    if (sid) {
        char *h = token_hash(r->arena, sid);
        stmt_t *s = db_prep(db, "SELECT user_id, csrf FROM sessions WHERE token_hash = :h AND expires_at > :now");
        db_bind_text(s, ":h", h);
        db_bind_int(s, ":now", now_unix());
        if (db_step(s)) {
            int64_t uid = db_int(s, 0);
            r->csrf = db_text_dup(s, 1, r->arena);
            db_reset(s);
            r->user = user_load(db, r->arena, uid);
            if (r->user) r->session_hash = h;
            else r->csrf = NULL;
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

void session_start(req_t *r, int64_t user_id) {
    db_t *db = db_get();
    char *tok = random_token(r->arena);
    char *h = token_hash(r->arena, tok);
    char *csrf = random_token(r->arena);
    if (r->session_hash) session_end(r);
    stmt_t *s = db_prep(db, "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) "
                            "VALUES (:h, :u, :csrf, :now, :exp)");
    db_bind_text(s, ":h", h);
    db_bind_int(s, ":u", user_id);
    db_bind_text(s, ":csrf", csrf);
    db_bind_text(s, ":now", now_utc(r->arena));
    db_bind_int(s, ":exp", now_unix() + SESSION_DAYS * 86400);
    db_run(s);
    /* expired sessions go when someone logs in */
    stmt_t *d = db_prep(db, "DELETE FROM sessions WHERE expires_at < :now");
    db_bind_int(d, ":now", now_unix());
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

/* ---- rate limiting: a small fixed table; the oldest entry is replaced when full ---- */
#define RL_SLOTS 4096
#define RL_WINDOW 900          /* seconds */
#define RL_PER_ACCOUNT 5
#define RL_PER_ADDRESS 20
static pthread_mutex_t rl_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { char key[280]; int64_t start; int fails; } rl[RL_SLOTS];

static int rl_slot(const char *key, bool create) {
    int64_t now = now_unix();
    int oldest = 0;
    for (int i = 0; i < RL_SLOTS; i++) {
        if (rl[i].key[0] && !strcmp(rl[i].key, key)) {
            if (now - rl[i].start > RL_WINDOW) { rl[i].start = now; rl[i].fails = 0; }
            return i;
        }
        if (rl[i].start < rl[oldest].start) oldest = i;
    }
    if (!create) return -1;
    snprintf(rl[oldest].key, sizeof rl[oldest].key, "%s", key);
    rl[oldest].start = now;
    rl[oldest].fails = 0;
    return oldest;
}

static void keys(const char *email, const char *ip, char *ka, char *ki) {
    snprintf(ka, 280, "a:%.270s", email ? email : "");
    for (char *p = ka; *p; p++) if (*p >= 'A' && *p <= 'Z') *p += 32;
    snprintf(ki, 280, "i:%.270s", ip ? ip : "");
}

bool ratelimit_allowed(const char *email, const char *ip) {
    char ka[280], ki[280];
    keys(email, ip, ka, ki);
    pthread_mutex_lock(&rl_lock);
    int a = rl_slot(ka, false), i = rl_slot(ki, false);
    bool ok = (a < 0 || rl[a].fails < RL_PER_ACCOUNT) && (i < 0 || rl[i].fails < RL_PER_ADDRESS);
    pthread_mutex_unlock(&rl_lock);
    return ok;
}

void ratelimit_failed(const char *email, const char *ip) {
    char ka[280], ki[280];
    keys(email, ip, ka, ki);
    pthread_mutex_lock(&rl_lock);
    rl[rl_slot(ka, true)].fails++;
    rl[rl_slot(ki, true)].fails++;
    pthread_mutex_unlock(&rl_lock);
}

void ratelimit_succeeded(const char *email) {
    char ka[280], ki[280];
    keys(email, "", ka, ki);
    pthread_mutex_lock(&rl_lock);
    int a = rl_slot(ka, false);
    if (a >= 0) rl[a].fails = 0;
    pthread_mutex_unlock(&rl_lock);
}
