/* sc-theme.c: see sc-theme.h. */
#include "sc-theme.h"

#include <math.h>
#include <term.h>

/* Accents from the 256-colour cube, each with 3:1 or more against black and white:
 * 33 #0087ff (5.9 on black, 3.6 on white), 160 #d70000 (3.9, 5.4), 28 #008700 (4.5,
 * 4.7), 166 #d75f00 (5.5, 3.8), 127 #af00af (3.4, 6.1). tests/unit/test-theme.c checks. */
static const ScThemeEntry entries[SC_THEME_N_ROLES] = {
  { SC_THEME_STATUS, -1, -1, A_REVERSE | A_BOLD },
  { SC_THEME_HINT, -1, -1, A_REVERSE },
  { SC_THEME_SYSTEM, 33, COLOR_BLUE, A_NORMAL },
  { SC_THEME_ERROR, 160, COLOR_RED, A_BOLD },
  { SC_THEME_SELF, 28, COLOR_GREEN, A_BOLD },
  { SC_THEME_PEER, 166, COLOR_MAGENTA, A_BOLD },
  { SC_THEME_SEPARATOR, 127, COLOR_MAGENTA, A_DIM },
  { SC_THEME_VIDEO, 16, COLOR_BLACK, A_NORMAL },
};

static ScThemeMode current = SC_THEME_MONO;

ScThemeMode
sc_theme_choose (const char *no_color, int colors)
{
  if (no_color && *no_color)
    return SC_THEME_MONO;
  if (colors >= 256)
    return SC_THEME_256;
  if (colors >= 8)
    return SC_THEME_BASIC;
  return SC_THEME_MONO;
}

int
sc_theme_terminal_colors (void)
{
  /* COLORS is only set by start_color(), which NO_COLOR must not need: ask terminfo. */
  if (!has_colors ())
    return 0;
  int colors = tigetnum ("colors");
  return colors > 0 ? colors : 0;
}

void
sc_theme_start (ScThemeMode mode)
{
  current = mode;
  if (mode == SC_THEME_MONO)
    return;
  start_color ();
  use_default_colors ();
  for (guint i = 0; i < SC_THEME_N_ROLES; i++)
    {
      short fg = mode == SC_THEME_256 ? entries[i].xterm256 : entries[i].basic;
      if (fg < 0)
        continue;   /* default colours: no pair */
      /* The video area is black on black; every other accent is on the default
       * background. */
      short bg = entries[i].role == SC_THEME_VIDEO ? fg : -1;
      init_pair ((short) (i + 1), fg, bg);
    }
}

const ScThemeEntry *
sc_theme_entry (ScThemeRole role)
{
  g_return_val_if_fail (role < SC_THEME_N_ROLES, NULL);
  return &entries[role];
}

attr_t
sc_theme_attr (ScThemeRole role)
{
  g_return_val_if_fail (role < SC_THEME_N_ROLES, A_NORMAL);
  const ScThemeEntry *e = &entries[role];
  short fg = current == SC_THEME_256 ? e->xterm256 : current == SC_THEME_BASIC ? e->basic : -1;
  /* The video area's black stands for a picture, not for text: kept in MONO too, if the
   * terminal has colours at all. */
  if (role == SC_THEME_VIDEO)
    return current == SC_THEME_MONO ? A_NORMAL : COLOR_PAIR (role + 1);
  return e->mono | (fg >= 0 ? COLOR_PAIR (role + 1) : 0);
}

guint32
sc_theme_xterm256_rgb (guint index)
{
  g_return_val_if_fail (index >= 16 && index <= 255, 0);
  if (index >= 232)
    {
      guint v = 8 + 10 * (index - 232);
      return (v << 16) | (v << 8) | v;
    }
  static const guint levels[6] = { 0, 95, 135, 175, 215, 255 };
  guint i = index - 16;
  return (levels[i / 36] << 16) | (levels[(i / 6) % 6] << 8) | levels[i % 6];
}

static double
luminance (guint32 rgb)
{
  double channel[3];
  for (int i = 0; i < 3; i++)
    {
      double c = ((rgb >> (16 - 8 * i)) & 0xff) / 255.0;
      channel[i] = c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
    }
  return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2];
}

double
sc_theme_contrast (guint32 rgb_a, guint32 rgb_b)
{
  double a = luminance (rgb_a), b = luminance (rgb_b);
  return (MAX (a, b) + 0.05) / (MIN (a, b) + 0.05);
}
