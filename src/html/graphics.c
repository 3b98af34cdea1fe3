/* Inline SVG pictures (see graphics.h). The map's projection mirrors tools/prepare-map.py:
 * equirectangular, scaled at 63°N, 50 units a degree of latitude, origin 4°E 71.3°N. */
#include "html/graphics.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/embedded.h"
#include "core/util.h"

#define LON0 4.0
#define LAT1 71.3
#define K 50.0
#define MAP_W 640
#define MAP_H 830

struct point { char country[3], code[5]; double x, y; };
struct outline { char country[3]; const char *d; };
static struct point *points;      /* process lifetime, read-only after load */
static int npoints;
static struct outline *outlines;
static int noutlines;
static char *outline_text;        /* owns the path strings */
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load(void) {
    double c = cos(63.0 * M_PI / 180.0);
    const struct embedded_file *f = embedded_find("data/ref/municipality-points.csv");
    if (f) {
        points = xcalloc(f->len / 20 + 1, sizeof *points);
        const char *p = strchr(f->data, '\n');
        while (p && *++p) {
            char country[3], code[5];
            double lon, lat;
            if (sscanf(p, "%2[A-Z],%4[0-9],%lf,%lf", country, code, &lon, &lat) == 4) {
                struct point *pt = &points[npoints++];
                memcpy(pt->country, country, 3);
                memcpy(pt->code, code, 5);
                pt->x = (lon - LON0) * c * K;
                pt->y = (LAT1 - lat) * K;
            }
            p = strchr(p, '\n');
        }
    }
    f = embedded_find("data/ref/map-outlines.tsv");
    if (f) {
        outline_text = xstrdup(f->data);
        outlines = xcalloc(64, sizeof *outlines);
        char *save = NULL;
        for (char *line = strtok_r(outline_text, "\n", &save); line && noutlines < 64; line = strtok_r(NULL, "\n", &save)) {
            char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
            if (!t2 || t1 - line != 2) continue;
            memcpy(outlines[noutlines].country, line, 2);
            outlines[noutlines].d = t2 + 1;
            noutlines++;
        }
    }
}

static const struct point *find(const char *country, const char *code) {
    for (int i = 0; i < npoints; i++)
        if (!strcmp(points[i].code, code) && !strcmp(points[i].country, country)) return &points[i];
    return NULL;
}

void map_svg(req_t *r, const char *title, const map_dot_t *dots, int n) {
    pthread_once(&once, load);
    bprintf(&r->out, "<svg class=\"map\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"map-title\" "
                     "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"map-title\">%h</title>",
            MAP_W, MAP_H, title);
    for (int i = 0; i < noutlines; i++)
        bprintf(&r->out, "<path class=\"land land-%s\" d=\"%h\"/>", outlines[i].country[0] == 'S' ? "se" : "no", outlines[i].d);
    long long max = 1;
    for (int i = 0; i < n; i++) if (dots[i].count > max) max = dots[i].count;
    for (int i = 0; i < n; i++) {
        const struct point *p = find(dots[i].country, dots[i].municipality);
        if (!p) continue;
        double radius = 4.0 + 12.0 * sqrt((double)dots[i].count / (double)max);
        bprintf(&r->out, "<circle class=\"dot dot-%s\" cx=\"%.0f\" cy=\"%.0f\" r=\"%.1f\"><title>%h</title></circle>",
                p->country[0] == 'S' ? "se" : "no", p->x, p->y, radius, dots[i].label);
    }
    buf_puts(&r->out, "</svg>");
}

void bars_svg(req_t *r, const char *title, const char *series_a, const char *series_b, const bar_row_t *rows, int n) {
    const int label_w = 190, bar_w = 360, row_h = 34, top = 34;
    long long max = 1;
    for (int i = 0; i < n; i++) { if (rows[i].a > max) max = rows[i].a; if (rows[i].b > max) max = rows[i].b; }
    int h = top + n * row_h + 8;
    bprintf(&r->out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%h\" xmlns=\"http://www.w3.org/2000/svg\">",
            label_w + bar_w + 50, h, title);
    /* legend */
    bprintf(&r->out, "<rect class=\"bar-a\" x=\"%d\" y=\"6\" width=\"14\" height=\"14\"/><text x=\"%d\" y=\"18\">%h</text>"
                     "<rect class=\"bar-b\" x=\"%d\" y=\"6\" width=\"14\" height=\"14\"/><text x=\"%d\" y=\"18\">%h</text>",
            label_w, label_w + 20, series_a, label_w + 140, label_w + 160, series_b);
    for (int i = 0; i < n; i++) {
        int y = top + i * row_h;
        int wa = (int)((double)rows[i].a / (double)max * bar_w), wb = (int)((double)rows[i].b / (double)max * bar_w);
        bprintf(&r->out, "<text class=\"row-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%h</text>", label_w - 10, y + 19, rows[i].label);
        bprintf(&r->out, "<rect class=\"bar-a\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\"/>"
                         "<text class=\"val\" x=\"%d\" y=\"%d\">%lld</text>",
                label_w, y + 3, wa > 0 ? wa : 1, label_w + wa + 5, y + 13, rows[i].a);
        bprintf(&r->out, "<rect class=\"bar-b\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\"/>"
                         "<text class=\"val\" x=\"%d\" y=\"%d\">%lld</text>",
                label_w, y + 17, wb > 0 ? wb : 1, label_w + wb + 5, y + 27, rows[i].b);
    }
    buf_puts(&r->out, "</svg>");
}
