/* sc-sixel.c: see sc-sixel.h. */
#include "config.h"

#include <string.h>

#include "sc-sixel.h"

/* 4×4 ordered dithering: thresholds 0–15. */
static const guint8 bayer[4][4] = {
  { 0, 8, 2, 10 }, { 12, 4, 14, 6 }, { 3, 11, 1, 9 }, { 15, 7, 13, 5 },
};

static guint
levels_for (guint registers)
{
  if (registers == 0 || registers >= 216)
    return 6;
  guint n = 2;
  while ((n + 1) * (n + 1) * (n + 1) <= registers)
    n++;
  return n;
}

/* Appends @count sixels of value @c (63 + bits), run-length coded from four on. */
static void
put_run (GString *out, guint count, char c)
{
  if (count >= 4)
    g_string_append_printf (out, "!%u%c", count, c);
  else
    while (count--)
      g_string_append_c (out, c);
}

void
sc_sixel_encode (const guint8 *rgb, guint width, guint height, guint stride, guint registers,
                 GString *out)
{
  guint n = levels_for (registers);
  guint colours = n * n * n;

  /* Each channel 0–255 to a level 0…n-1, with the dither threshold: a table a channel. */
  guint8 level[16][256];
  for (guint t = 0; t < 16; t++)
    for (guint v = 0; v < 256; v++)
      {
        guint scaled = v * (n - 1) * 16 / 255 + t;   /* 16ths of a level step */
        level[t][v] = (guint8) MIN (scaled / 16, n - 1);
      }

  g_string_append_printf (out, "\033P0;0;0q\"1;1;%u;%u", width, height);
  for (guint i = 0; i < colours; i++)
    {
      guint r = i / (n * n), g = (i / n) % n, b = i % n;
      g_string_append_printf (out, "#%u;2;%u;%u;%u", i, r * 100 / (n - 1), g * 100 / (n - 1),
                              b * 100 / (n - 1));
    }

  /* Per band: each colour's sixels, and where in the band it occurs. */
  guint8 *bits = g_malloc ((gsize) colours * width);
  guint *first = g_new (guint, colours);
  guint *last = g_new (guint, colours);
  guint *used = g_new (guint, colours);
  guint8 *seen = g_malloc0 (colours);
  guint8 *index = g_malloc ((gsize) width * 6);

  for (guint top = 0; top < height; top += 6)
    {
      guint band = MIN (6u, height - top);
      guint n_used = 0;
      for (guint row = 0; row < band; row++)
        {
          guint y = top + row;
          const guint8 *p = rgb + (gsize) y * stride;
          const guint8 *thresholds = bayer[y & 3];
          guint8 *line = index + (gsize) row * width;
          for (guint x = 0; x < width; x++, p += 3)
            {
              guint t = thresholds[x & 3];
              line[x] = (guint8) ((level[t][p[0]] * n + level[t][p[1]]) * n + level[t][p[2]]);
            }
        }
      for (guint x = 0; x < width; x++)
        for (guint row = 0; row < band; row++)
          {
            guint c = index[(gsize) row * width + x];
            guint8 *cb = bits + (gsize) c * width;
            if (!seen[c])
              {
                seen[c] = 1;
                used[n_used++] = c;
                first[c] = x;
                memset (cb + x, 0, width - x);
              }
            cb[x] |= (guint8) (1u << row);
            last[c] = x;
          }
      for (guint u = 0; u < n_used; u++)
        {
          guint c = used[u];
          seen[c] = 0;
          const guint8 *cb = bits + (gsize) c * width;
          g_string_append_printf (out, "#%u", c);
          put_run (out, first[c], '?');
          guint x = first[c];
          while (x <= last[c])
            {
              guint8 v = cb[x];
              guint run = 1;
              while (x + run <= last[c] && cb[x + run] == v)
                run++;
              put_run (out, run, (char) (63 + v));
              x += run;
            }
          g_string_append_c (out, u + 1 < n_used ? '$' : '-');
        }
    }
  g_string_append (out, "\033\\");
  g_free (bits);
  g_free (first);
  g_free (last);
  g_free (used);
  g_free (seen);
  g_free (index);
}
