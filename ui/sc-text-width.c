/* sc-text-width.c: see sc-text-width.h. */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include "sc-text-width.h"

guint
sc_char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

guint
sc_text_width (const char *utf8)
{
  guint cols = 0;
  for (const char *p = utf8; *p; p = g_utf8_next_char (p))
    cols += sc_char_width (g_utf8_get_char (p));
  return cols;
}

gsize
sc_text_fit (const char *utf8, guint cols)
{
  guint used = 0;
  const char *p = utf8;
  while (*p)
    {
      guint w = sc_char_width (g_utf8_get_char (p));
      if (used + w > cols)
        break;
      used += w;
      p = g_utf8_next_char (p);
    }
  return (gsize) (p - utf8);
}
