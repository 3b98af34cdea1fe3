/* QR codes for the tables' short links: libqrencode encodes, we draw the modules as one SVG path. */
#include <qrencode.h>
#include <string.h>
#include "roundtables/roundtables.h"

bool rt_qr_svg(buf_t *b, const char *text) {
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!q) return false;
    int w = q->width, quiet = 4, size = w + 2 * quiet;
    bprintf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\">"
               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
            size, size, size * 6, size * 6, size, size);
    for (int y = 0; y < w; y++)
        for (int x = 0; x < w; x++) {
            if (!(q->data[y * w + x] & 1)) continue;
            int run = 1;
            while (x + run < w && (q->data[y * w + x + run] & 1)) run++;
            bprintf(b, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
            x += run - 1;
        }
    buf_puts(b, "\"/></svg>\n");
    QRcode_free(q);
    return true;
}
