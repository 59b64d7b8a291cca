/* sc-theme.h: the panel's colours, readable in any terminal theme.
 *
 * Text is in the terminal's own default colours; the two bars are those colours
 * reversed. Accents (names, notices, errors) are colours whose relative luminance lies
 * between 0.1 and 0.3, which keeps a contrast of at least 3:1 against both a black and
 * a white background (WCAG 2's formula): no yellow or cyan, unreadable on white. With
 * fewer than 256 colours the nearest basic colours stand in; with NO_COLOR set (and not
 * empty, https://no-color.org) or no colours at all the panel uses bold, dim and reverse
 * only. The peer's picture is content, not decoration, and keeps its colours.
 */
#pragma once

#include <curses.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SC_THEME_STATUS,      /* the status bar */
  SC_THEME_HINT,        /* the key hints' bar */
  SC_THEME_SYSTEM,      /* the panel's own notices */
  SC_THEME_ERROR,
  SC_THEME_SELF,        /* your name before your lines */
  SC_THEME_PEER,        /* the peer's name before theirs */
  SC_THEME_SEPARATOR,   /* between calls */
  SC_THEME_VIDEO,       /* the video area before its first picture: black */
  SC_THEME_N_ROLES
} ScThemeRole;

typedef enum
{
  SC_THEME_MONO,        /* NO_COLOR, or a terminal without colours */
  SC_THEME_BASIC,       /* 8 or 16 colours */
  SC_THEME_256,         /* the xterm 256-colour palette */
} ScThemeMode;

typedef struct
{
  ScThemeRole role;
  short xterm256;       /* -1: the terminal's default colour */
  short basic;          /* COLOR_*; -1: default */
  attr_t mono;          /* the attributes in every mode; alone in SC_THEME_MONO */
} ScThemeEntry;

/* @no_color: NO_COLOR's value (NULL: unset); @colors: the terminal's colours (COLORS). */
ScThemeMode         sc_theme_choose       (const char  *no_color,
                                           int          colors);
/* After initscr(): how many colours the terminal has (0: none). */
int                 sc_theme_terminal_colors (void);
/* After initscr(): makes the colour pairs for @mode. */
void                sc_theme_start        (ScThemeMode  mode);
/* What to attron() for @role in the mode started last. */
attr_t              sc_theme_attr         (ScThemeRole  role);
const ScThemeEntry *sc_theme_entry        (ScThemeRole  role);
/* The sRGB value (0xRRGGBB) of an xterm 256-colour palette index (16–255). */
guint32             sc_theme_xterm256_rgb (guint         index);
/* WCAG 2's contrast ratio of two sRGB colours (1 to 21). */
double              sc_theme_contrast     (guint32      rgb_a,
                                           guint32      rgb_b);

G_END_DECLS
