/* sc-text.c: see sc-text.h. */
#define G_LOG_DOMAIN "showcast-common"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sc-text.h"

G_DEFINE_QUARK (sc-text-error-quark, sc_text_error)

/* Characters that change how the rest of a line is drawn although they take no cell of
 * their own: bidirectional overrides and isolates. A stranger could use them to make a
 * chat line read as if it came from someone else. */
static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x200E || c == 0x200F || c == 0x061C;
}

static gboolean
is_drawable (gunichar c)
{
  if (is_bidi_control (c))
    return FALSE;
  if (c == ' ')
    return TRUE;
  /* isprint is FALSE for C0/C1 controls (ESC, CSI 0x9B …), line and paragraph separators
   * and unassigned code points. Combining marks and emoji are printable. */
  return g_unichar_isprint (c) || g_unichar_ismark (c);
}

/**
 * sc_text_validate_name:
 * Trims @name and checks it is 1–32 printable UTF-8 characters.
 * Returns: (transfer full): the trimmed name, or %NULL with @error set.
 */
char *
sc_text_validate_name (const char *name, GError **error)
{
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, SC_TEXT_ERROR, SC_TEXT_ERROR_INVALID_UTF8,
                           _("The name is not valid UTF-8 text."));
      return NULL;
    }

  g_autofree char *trimmed = g_strstrip (g_strdup (name));
  glong chars = g_utf8_strlen (trimmed, -1);
  if (chars == 0)
    {
      g_set_error_literal (error, SC_TEXT_ERROR, SC_TEXT_ERROR_EMPTY,
                           _("The name is empty."));
      return NULL;
    }
  if (chars > SC_NAME_MAX_CHARS)
    {
      g_set_error (error, SC_TEXT_ERROR, SC_TEXT_ERROR_TOO_LONG,
                   _("The name is longer than %d characters."), SC_NAME_MAX_CHARS);
      return NULL;
    }
  for (const char *p = trimmed; *p; p = g_utf8_next_char (p))
    {
      if (!is_drawable (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, SC_TEXT_ERROR, SC_TEXT_ERROR_NOT_PRINTABLE,
                               _("The name contains characters that cannot be shown."));
          return NULL;
        }
    }
  return g_steal_pointer (&trimmed);
}

/**
 * sc_text_validate_chat:
 * A chat line is 1–1000 characters of valid UTF-8. Control characters are allowed
 * here (they are removed when the line is drawn), so that what was sent is what arrives.
 */
gboolean
sc_text_validate_chat (const char *text, GError **error)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, SC_TEXT_ERROR, SC_TEXT_ERROR_INVALID_UTF8,
                           _("The message is not valid UTF-8 text."));
      return FALSE;
    }
  if (*text == '\0')
    {
      g_set_error_literal (error, SC_TEXT_ERROR, SC_TEXT_ERROR_EMPTY,
                           _("The message is empty."));
      return FALSE;
    }
  if (g_utf8_strlen (text, -1) > SC_CHAT_MAX_CHARS)
    {
      g_set_error (error, SC_TEXT_ERROR, SC_TEXT_ERROR_TOO_LONG,
                   _("The message is longer than %d characters."), SC_CHAT_MAX_CHARS);
      return FALSE;
    }
  return TRUE;
}

/**
 * sc_text_sanitize:
 * Makes untrusted text safe to draw: invalid UTF-8 becomes U+FFFD, tabs and line breaks
 * become spaces, every other control character (and so every escape sequence's
 * introducer) and bidi override is dropped, and the result is cut to @max_chars
 * characters (0: no limit). What is left of an escape sequence after its ESC is gone is
 * plain printable text and harmless.
 */
char *
sc_text_sanitize (const char *text, gsize max_chars)
{
  if (text == NULL)
    return g_strdup ("");

  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *out = g_string_sized_new (strlen (valid));
  gsize n = 0;

  for (const char *p = valid; *p && (max_chars == 0 || n < max_chars); p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c == '\t' || c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029)
        c = ' ';
      if (!is_drawable (c))
        continue;
      g_string_append_unichar (out, c);
      n++;
    }
  return g_string_free (out, FALSE);
}
