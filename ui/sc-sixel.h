/* sc-sixel.h: an RGB picture as one sixel image (DEC's six-pixels-a-character graphics:
 * xterm as a VT340, foot, WezTerm, mlterm, Windows Terminal). Its own encoder: a fixed
 * colour cube sized to the terminal's colour registers (6×6×6 from 216 on), ordered
 * (Bayer) dithering, one pass over the picture per band of six rows. Measured against
 * chafa in docs/performance.md. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends the image (DCS … ST, raster attributes 1:1, @width × @height) to @out.
 * @registers: the terminal's colour registers (0: unknown, taken as 256). */
void sc_sixel_encode (const guint8 *rgb,
                      guint         width,
                      guint         height,
                      guint         stride,
                      guint         registers,
                      GString      *out);

G_END_DECLS
