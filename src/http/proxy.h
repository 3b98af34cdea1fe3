/* The client's address behind a reverse proxy (--trust-proxy), and per-address counters.
 *
 * Only a request whose peer (the TCP connection's address) is one of the trusted proxies has
 * its X-Forwarded-For or Forwarded (RFC 7239) header believed: Forwarded when the request has
 * one, else X-Forwarded-For (every line of the header, in order). The client is the right-most
 * address in that list that is not a trusted proxy (each proxy appends the address it got the
 * request from, so everything left of it may be the client's own invention); when every address
 * is trusted, the left-most. A missing header, or one that does not parse (an element that is
 * not an address: "unknown", an obfuscated name, a port on an X-Forwarded-For item, garbage),
 * leaves the peer address. Addresses are compared and written canonically (inet_ntop; an
 * IPv4-mapped IPv6 address as IPv4). */
#ifndef HTTP_PROXY_H
#define HTTP_PROXY_H
#include <stdbool.h>
#include <stddef.h>

#define PROXY_MAX 32   /* trusted addresses */
#define ADDR_TEXT 46   /* INET6_ADDRSTRLEN */

/* proxy_init: the trusted addresses, "ADDR[,ADDR…]" (NULL or "": none). On an error false, with
 * the item that is not an address in err. Called once before the server starts. */
bool proxy_init(const char *list, char *err, size_t n);
bool proxy_enabled(void);                 /* some proxy is trusted */
bool proxy_trusted(const char *addr);     /* addr (text) is a trusted proxy */
/* proxy_canonical: addr as inet_ntop writes it (IPv4-mapped IPv6 as IPv4); false when addr is
 * not an IPv4 or IPv6 address */
bool proxy_canonical(const char *addr, char out[ADDR_TEXT]);
/* proxy_client: the client address of a request from peer whose Forwarded and X-Forwarded-For
 * headers are forwarded and xff (NULL when absent): written to out; true when it came from a
 * header (the peer is trusted and the header parsed), false when out is the peer. */
bool proxy_client(const char *peer, const char *forwarded, const char *xff, char out[ADDR_TEXT]);

/* Counters per address, for the per-address limits (thread-safe). addr_take: count one more
 * for key unless it has max already (then false, nothing counted); addr_put: one less. */
bool addr_take(const char *key, int max);
int addr_count(const char *key);
void addr_put(const char *key);
#endif
