/* Pictures drawn by the server as inline SVG: the map of both countries with dots where
 * organisations are, and grouped bar charts. Every picture has a text alternative next to it
 * (the caller's list or table); labels inside go through %h like any user text. */
#ifndef HTML_GRAPHICS_H
#define HTML_GRAPHICS_H
#include "http/http.h"

typedef struct map_dot {
    const char *country, *municipality;  /* where */
    long long count;                     /* how many */
    const char *label;                   /* tooltip, e.g. "Karlstad: 12" */
} map_dot_t;

/* map_svg: the counties of Sweden and Norway with a dot per municipality, sized by count. */
void map_svg(req_t *r, const char *title, const map_dot_t *dots, int n);

typedef struct bar_row {
    const char *label;
    long long a, b;                      /* the two series, e.g. Sweden and Norway */
} bar_row_t;

/* bars_svg: a horizontal bar chart with two series per row. */
void bars_svg(req_t *r, const char *title, const char *series_a, const char *series_b, const bar_row_t *rows, int n);
#endif
