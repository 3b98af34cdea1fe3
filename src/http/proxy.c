/* The client's address behind a trusted reverse proxy, and per-address counters (see proxy.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/util.h"
#include "http/proxy.h"

/* the trusted proxies, canonical text; written by proxy_init before the server starts */
static char g_trusted[PROXY_MAX][ADDR_TEXT];
static int g_ntrusted;

bool proxy_canonical(const char *addr, char out[ADDR_TEXT]) {
    unsigned char b[16];
    if (inet_pton(AF_INET, addr, b) == 1) return inet_ntop(AF_INET, b, out, ADDR_TEXT) != NULL;
    if (inet_pton(AF_INET6, addr, b) != 1) return false;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (!memcmp(b, mapped, 12)) return inet_ntop(AF_INET, b + 12, out, ADDR_TEXT) != NULL;
    return inet_ntop(AF_INET6, b, out, ADDR_TEXT) != NULL;
}

bool proxy_init(const char *list, char *err, size_t n) {
    g_ntrusted = 0;
    if (!list) return true;
    const char *p = list;
    while (*p) {
        size_t k = strcspn(p, ",");
        char item[64];
        snprintf(item, sizeof item, "%.*s", (int)(k < sizeof item - 1 ? k : sizeof item - 1), p);
        if (g_ntrusted == PROXY_MAX) { snprintf(err, n, "more than %d addresses", PROXY_MAX); return false; }
        if (!proxy_canonical(item, g_trusted[g_ntrusted])) { snprintf(err, n, "%s", item); return false; }
        g_ntrusted++;
        p += k;
        if (*p == ',') p++;
    }
    return true;
}

bool proxy_enabled(void) { return g_ntrusted > 0; }

bool proxy_trusted(const char *addr) {
    if (!g_ntrusted || !addr) return false;
    char c[ADDR_TEXT];
    if (!proxy_canonical(addr, c)) return false;
    for (int i = 0; i < g_ntrusted; i++)
        if (!strcmp(c, g_trusted[i])) return true;
    return false;
}

/* the list of addresses a header names, in order */
#define HOPS 64
typedef struct { char a[HOPS][ADDR_TEXT]; int n; } hops_t;

static const char *skip_ows(const char *p) {
    while (*p == ' ' || *p == '\t') p++;
    return p;
}

/* parse_xff: "a, b, c"; false on an empty item or one that is not an address */
static bool parse_xff(const char *h, hops_t *o) {
    const char *p = h;
    for (;;) {
        p = skip_ows(p);
        size_t k = strcspn(p, ",");
        while (k && (p[k - 1] == ' ' || p[k - 1] == '\t')) k--;
        char item[64];
        if (!k || k >= sizeof item || o->n == HOPS) return false;
        memcpy(item, p, k);
        item[k] = 0;
        if (!proxy_canonical(item, o->a[o->n++])) return false;
        p = skip_ows(p + k);
        if (!*p) return true;
        if (*p != ',') return false;
        p++;
    }
}

/* forwarded_node: the address of a node of RFC 7239 (a value already unquoted): IPv4,
 * IPv4:port, [IPv6] or [IPv6]:port; "unknown" and obfuscated names are no address */
static bool forwarded_node(const char *v, char out[ADDR_TEXT]) {
    char a[64];
    if (v[0] == '[') {
        const char *e = strchr(v, ']');
        if (!e || (size_t)(e - v - 1) >= sizeof a || (e[1] && e[1] != ':')) return false;
        memcpy(a, v + 1, (size_t)(e - v - 1));
        a[e - v - 1] = 0;
        return strchr(a, ':') && proxy_canonical(a, out);
    }
    size_t k = strcspn(v, ":");
    if (k >= sizeof a) return false;
    memcpy(a, v, k);
    a[k] = 0;
    return !strchr(a, ':') && inet_pton(AF_INET, a, (unsigned char[4]){0}) == 1 && proxy_canonical(a, out);
}

/* parse_forwarded: elements "for=…;proto=…, for=…": every element must have a for= that is an
 * address */
static bool parse_forwarded(const char *h, hops_t *o) {
    const char *p = h;
    bool have_for = false;
    for (;;) {
        p = skip_ows(p);
        /* token */
        const char *t = p;
        while (*p && *p != '=' && *p != ';' && *p != ',' && *p != ' ' && *p != '\t' && *p != '"') p++;
        if (*p != '=' || p == t) return false;
        size_t tn = (size_t)(p - t);
        p++;
        char v[128];
        size_t vn = 0;
        if (*p == '"') {   /* quoted-string, with quoted-pairs */
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1]) p++;
                if (vn + 1 >= sizeof v) return false;
                v[vn++] = *p++;
            }
            if (*p != '"') return false;
            p++;
        } else {
            while (*p && *p != ';' && *p != ',' && *p != ' ' && *p != '\t') {
                if (vn + 1 >= sizeof v) return false;
                v[vn++] = *p++;
            }
            if (!vn) return false;
        }
        v[vn] = 0;
        if (tn == 3 && !strncasecmp(t, "for", 3)) {
            if (have_for || o->n == HOPS || !forwarded_node(v, o->a[o->n])) return false;
            o->n++;
            have_for = true;
        }
        p = skip_ows(p);
        if (*p == ';') { p++; continue; }
        if (!have_for) return false;   /* an element without for= */
        if (!*p) return true;
        if (*p != ',') return false;
        p++;
        have_for = false;
    }
}

bool proxy_client(const char *peer, const char *forwarded, const char *xff, char out[ADDR_TEXT]) {
    if (!peer || !proxy_canonical(peer, out)) snprintf(out, ADDR_TEXT, "%s", peer ? peer : "?");
    if (!proxy_trusted(peer) || (!forwarded && !xff)) return false;
    hops_t *h = xcalloc(1, sizeof *h);
    bool ok = forwarded ? parse_forwarded(forwarded, h) : parse_xff(xff, h);
    if (ok && h->n) {
        int i = h->n - 1;
        while (i > 0 && proxy_trusted(h->a[i])) i--;
        snprintf(out, ADDR_TEXT, "%s", h->a[i]);
    }
    ok = ok && h->n;
    free(h);
    return ok;
}

/* ---- counters per address: a chained hash table under one lock; an entry at zero goes ---- */
#define ADDR_BUCKETS 4096
struct addr_count {
    struct addr_count *next;
    int n;
    char key[];
};
static struct addr_count *g_counts[ADDR_BUCKETS]; /* entries malloc'd, freed when their count is 0 */
static pthread_mutex_t g_count_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned addr_hash(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h & (ADDR_BUCKETS - 1);
}

bool addr_take(const char *key, int max) {
    unsigned b = addr_hash(key);
    pthread_mutex_lock(&g_count_lock);
    struct addr_count *e = g_counts[b];
    while (e && strcmp(e->key, key)) e = e->next;
    bool ok = !e || e->n < max;
    if (ok && !e) {
        size_t n = strlen(key) + 1;
        e = xmalloc(sizeof *e + n);
        memcpy(e->key, key, n);
        e->n = 0;
        e->next = g_counts[b];
        g_counts[b] = e;
    }
    if (ok) e->n++;
    pthread_mutex_unlock(&g_count_lock);
    return ok;
}

int addr_count(const char *key) {
    unsigned b = addr_hash(key);
    pthread_mutex_lock(&g_count_lock);
    struct addr_count *e = g_counts[b];
    while (e && strcmp(e->key, key)) e = e->next;
    int n = e ? e->n : 0;
    pthread_mutex_unlock(&g_count_lock);
    return n;
}

void addr_put(const char *key) {
    unsigned b = addr_hash(key);
    pthread_mutex_lock(&g_count_lock);
    for (struct addr_count **p = &g_counts[b]; *p; p = &(*p)->next) {
        if (strcmp((*p)->key, key)) continue;
        if (--(*p)->n <= 0) {
            struct addr_count *e = *p;
            *p = e->next;
            free(e);
        }
        break;
    }
    pthread_mutex_unlock(&g_count_lock);
}
