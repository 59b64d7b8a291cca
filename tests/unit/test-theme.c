/* test-theme.c: the panel's colours are readable on dark and light backgrounds, and
 * NO_COLOR takes them away. */
#include <glib.h>

#include "sc-theme.h"

#define BLACK 0x000000
#define WHITE 0xffffff

static void
test_palette (void)
{
  g_assert_cmphex (sc_theme_xterm256_rgb (16), ==, 0x000000);
  g_assert_cmphex (sc_theme_xterm256_rgb (231), ==, 0xffffff);
  g_assert_cmphex (sc_theme_xterm256_rgb (166), ==, 0xd75f00);
  g_assert_cmphex (sc_theme_xterm256_rgb (33), ==, 0x0087ff);
  g_assert_cmphex (sc_theme_xterm256_rgb (232), ==, 0x080808);
  g_assert_cmpfloat_with_epsilon (sc_theme_contrast (BLACK, WHITE), 21.0, 0.01);
  g_assert_cmpfloat_with_epsilon (sc_theme_contrast (WHITE, WHITE), 1.0, 0.01);
  /* Yellow on white, the panel's old peer name: what this is about. */
  g_assert_cmpfloat (sc_theme_contrast (sc_theme_xterm256_rgb (226), WHITE), <, 1.1);
}

static void
test_accents_readable (void)
{
  for (guint role = 0; role < SC_THEME_N_ROLES; role++)
    {
      const ScThemeEntry *e = sc_theme_entry (role);
      g_assert_cmpuint (e->role, ==, role);
      if (role == SC_THEME_VIDEO)
        continue;   /* a picture's background, not text */
      if (e->xterm256 < 0)
        {
          /* The terminal's own colours, or them reversed: readable by definition. */
          g_assert_cmpint (e->basic, ==, -1);
          continue;
        }
      guint32 rgb = sc_theme_xterm256_rgb ((guint) e->xterm256);
      g_test_message ("role %u: #%06x, %.1f on black, %.1f on white", role, rgb,
                      sc_theme_contrast (rgb, BLACK), sc_theme_contrast (rgb, WHITE));
      g_assert_cmpfloat (sc_theme_contrast (rgb, BLACK), >=, 3.0);
      g_assert_cmpfloat (sc_theme_contrast (rgb, WHITE), >=, 3.0);
      /* With basic colours: never those a light or a dark theme washes out. */
      g_assert_cmpint (e->basic, !=, COLOR_YELLOW);
      g_assert_cmpint (e->basic, !=, COLOR_CYAN);
      g_assert_cmpint (e->basic, !=, COLOR_WHITE);
      g_assert_cmpint (e->basic, !=, COLOR_BLACK);
    }
}

static void
test_choose (void)
{
  g_assert_cmpint (sc_theme_choose (NULL, 256), ==, SC_THEME_256);
  g_assert_cmpint (sc_theme_choose (NULL, 16), ==, SC_THEME_BASIC);
  g_assert_cmpint (sc_theme_choose (NULL, 8), ==, SC_THEME_BASIC);
  g_assert_cmpint (sc_theme_choose (NULL, 0), ==, SC_THEME_MONO);
  /* no-color.org: set and not empty. */
  g_assert_cmpint (sc_theme_choose ("1", 256), ==, SC_THEME_MONO);
  g_assert_cmpint (sc_theme_choose ("", 256), ==, SC_THEME_256);
}

static void
test_mono_attributes (void)
{
  /* Without colours every role still stands out by its attributes: no pair at all. */
  sc_theme_start (SC_THEME_MONO);
  for (guint role = 0; role < SC_THEME_N_ROLES; role++)
    g_assert_cmpuint (sc_theme_attr (role) & A_COLOR, ==, 0);
  g_assert_cmpuint (sc_theme_attr (SC_THEME_STATUS) & A_REVERSE, !=, 0);
  g_assert_cmpuint (sc_theme_attr (SC_THEME_PEER) & A_BOLD, !=, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/theme/palette", test_palette);
  g_test_add_func ("/theme/accents-readable", test_accents_readable);
  g_test_add_func ("/theme/choose", test_choose);
  g_test_add_func ("/theme/mono-attributes", test_mono_attributes);
  return g_test_run ();
}
