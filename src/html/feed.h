/* The one Atom (RFC 4287) writer and the one base URL: every feed of the platform is written
 * with atom_begin/atom_entry/atom_end into r->out; text goes through %h (its entities are
 * XML's too) after the control characters XML 1.0 forbids are replaced. */
#ifndef HTML_FEED_H
#define HTML_FEED_H
#include "http/http.h"

/* base_url: "https://host" or "http://host" from the Host header when it is a plausible host
 * name (letters, digits, . - : [ ], under 256 bytes), else "…://localhost". Arena-owned. */
const char *base_url(req_t *r);

/* atom_begin: the feed head, in the page's language (xml:lang). self and alt are local paths; id is the feed's id (NULL: the
 * alternate page's absolute URL); updated NULL is now. */
void atom_begin(req_t *r, const char *title, const char *id, const char *self, const char *alt, const char *updated);
typedef struct atom_entry {
    const char *title;
    const char *id;                     /* NULL: the link's absolute URL */
    const char *link;                   /* a local path */
    const char *published, *updated;    /* published may be NULL */
    const char *author;                 /* NULL: none */
    const char *category, *category_label; /* NULL: none */
    const char *summary;                /* in the feed's language */
    const char *content;                /* NULL: none; the entry's own text */
    const char *lang;                   /* the language of title and content, NULL: the feed's
                                           (written as xml:lang where it differs) */
    const char *content_lang;           /* the language of content when it differs from title's (NULL: lang) */
} atom_entry_t;
void atom_entry(req_t *r, const atom_entry_t *e);
void atom_end(req_t *r);
#endif
