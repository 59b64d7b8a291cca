/* sc-frame-stamp.c: see sc-frame-stamp.h. */
#include "config.h"

#include <string.h>

#include "sc-frame-stamp.h"

#define MARKER 0xBu   /* 1 0 1 1 */
#define WHITE 235      /* video range luma */
#define BLACK 16

static guint
check_nibble (guint32 value)
{
  guint check = 0;
  for (guint i = 0; i < 8; i++)
    check ^= (value >> (4 * i)) & 0xF;
  return check;
}

/* Bit @cell of the stamp row for @value. */
static gboolean
cell_bit (guint32 value, guint cell)
{
  if (cell < 4)
    return (MARKER >> (3 - cell)) & 1;
  if (cell < 36)
    return (value >> (35 - cell)) & 1;
  return (check_nibble (value) >> (39 - cell)) & 1;
}

static gboolean
fits (gsize stride, guint width, guint height)
{
  return width >= SC_FRAME_STAMP_MIN_WIDTH && height >= SC_FRAME_STAMP_LINES && stride >= width;
}

gboolean
sc_frame_stamp_write (guint8 *luma, gsize stride, guint width, guint height, guint32 value)
{
  if (luma == NULL || !fits (stride, width, height))
    return FALSE;
  guint cell_width = width / SC_FRAME_STAMP_CELLS;
  for (guint line = 0; line < SC_FRAME_STAMP_LINES; line++)
    {
      guint8 *row = luma + line * stride;
      for (guint cell = 0; cell < SC_FRAME_STAMP_CELLS; cell++)
        memset (row + cell * cell_width, cell_bit (value, cell) ? WHITE : BLACK, cell_width);
    }
  return TRUE;
}

gboolean
sc_frame_stamp_read (const guint8 *luma, gsize stride, guint width, guint height,
                     guint32 *value)
{
  if (luma == NULL || !fits (stride, width, height))
    return FALSE;
  guint cell_width = width / SC_FRAME_STAMP_CELLS;
  guint32 bits[SC_FRAME_STAMP_CELLS];
  for (guint cell = 0; cell < SC_FRAME_STAMP_CELLS; cell++)
    {
      /* The middle half of the cell, both ways: edges blur. */
      guint x0 = cell * cell_width + cell_width / 4;
      guint x1 = cell * cell_width + cell_width - cell_width / 4;
      guint sum = 0, n = 0;
      for (guint line = SC_FRAME_STAMP_LINES / 4; line < SC_FRAME_STAMP_LINES * 3 / 4; line++)
        for (guint x = x0; x < x1; x++, n++)
          sum += luma[line * stride + x];
      bits[cell] = sum / MAX (n, 1) >= (WHITE + BLACK) / 2;
    }

  guint marker = bits[0] << 3 | bits[1] << 2 | bits[2] << 1 | bits[3];
  guint32 v = 0;
  for (guint cell = 4; cell < 36; cell++)
    v = v << 1 | bits[cell];
  guint check = bits[36] << 3 | bits[37] << 2 | bits[38] << 1 | bits[39];
  if (marker != MARKER || check != check_nibble (v))
    return FALSE;
  *value = v;
  return TRUE;
}

guint32
sc_frame_stamp_now (void)
{
  return (guint32) (g_get_monotonic_time () / 10);
}

double
sc_frame_stamp_age_ms (guint32 stamp, guint32 now)
{
  return (guint32) (now - stamp) / 100.0;
}
