/* sc-frame-stamp.h: a 32-bit number drawn into the top of a picture's luma plane, and
 * read back after the picture has been through a lossy codec. The glass-to-glass
 * benchmark (issue #6) stamps each sent frame with its capture time and reads it where
 * the peer has decoded the frame.
 *
 * The stamp is one row of SC_FRAME_STAMP_CELLS cells, 16 lines high, across the top of
 * the picture: 4 marker cells (1 0 1 1), the 32 bits most significant first, and 4 check
 * cells (the XOR of the value's eight nibbles). A 1 is white, a 0 black; a cell is read
 * from the mean of its middle, so VP8 at ordinary bitrates keeps it exact. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SC_FRAME_STAMP_CELLS 40
#define SC_FRAME_STAMP_LINES 16
/* Narrower pictures cannot hold a readable stamp. */
#define SC_FRAME_STAMP_MIN_WIDTH (SC_FRAME_STAMP_CELLS * 4)

gboolean sc_frame_stamp_write (guint8 *luma, gsize stride, guint width, guint height,
                               guint32 value);
gboolean sc_frame_stamp_read  (const guint8 *luma, gsize stride, guint width, guint height,
                               guint32 *value);
/* The clock the benchmark stamps with: CLOCK_MONOTONIC in units of 10 µs, modulo 2^32
 * (wraps every ~12 h; differences are taken modulo 2^32 too). */
guint32  sc_frame_stamp_now   (void);
/* Milliseconds from @stamp to @now. */
double   sc_frame_stamp_age_ms (guint32 stamp, guint32 now);

G_END_DECLS
