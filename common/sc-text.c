/* sc-text.c: see sc-text.h. */
#define G_LOG_DOMAIN "showcast-common"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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

static gboolean
interest_error (GError **error, ScTextError code, const char *message)
{
  g_set_error_literal (error, SC_TEXT_ERROR, code, message);
  return FALSE;
}

/* One interest as it is compared: NFC, lower case (which can undo NFC: again after),
 * trimmed; NULL (and @error) if it is not 1–24 printable characters. */
static char *
normalize_interest (const char *text, GError **error)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      interest_error (error, SC_TEXT_ERROR_INVALID_UTF8, _("An interest is not valid UTF-8 text."));
      return NULL;
    }
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  g_autofree char *lower = nfc ? g_utf8_strdown (nfc, -1) : NULL;
  g_autofree char *again = lower ? g_utf8_normalize (lower, -1, G_NORMALIZE_NFC) : NULL;
  if (again == NULL)
    {
      interest_error (error, SC_TEXT_ERROR_INVALID_UTF8, _("An interest is not valid UTF-8 text."));
      return NULL;
    }
  g_strstrip (again);
  glong chars = g_utf8_strlen (again, -1);
  if (chars == 0)
    {
      interest_error (error, SC_TEXT_ERROR_EMPTY, _("An interest is empty."));
      return NULL;
    }
  if (chars > SC_INTEREST_MAX_CHARS)
    {
      g_set_error (error, SC_TEXT_ERROR, SC_TEXT_ERROR_TOO_LONG,
                   _("An interest is longer than %d characters."), SC_INTEREST_MAX_CHARS);
      return NULL;
    }
  for (const char *p = again; *p; p = g_utf8_next_char (p))
    if (!is_drawable (g_utf8_get_char (p)))
      {
        interest_error (error, SC_TEXT_ERROR_NOT_PRINTABLE,
                        _("An interest contains characters that cannot be shown."));
        return NULL;
      }
  return g_steal_pointer (&again);
}

GStrv
sc_text_normalize_interests (const char *const *list, GError **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; list && list[i]; i++)
    {
      char *one = normalize_interest (list[i], error);
      if (one == NULL)
        return NULL;
      if (g_ptr_array_find_with_equal_func (out, one, g_str_equal, NULL))
        {
          g_free (one);
          continue;
        }
      if (out->len == SC_INTERESTS_MAX)
        {
          g_free (one);
          g_set_error (error, SC_TEXT_ERROR, SC_TEXT_ERROR_TOO_LONG,
                       _("At most %d interests."), SC_INTERESTS_MAX);
          return NULL;
        }
      g_ptr_array_add (out, one);
    }
  g_ptr_array_add (out, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

GStrv
sc_text_split_interests (const char *text)
{
  if (text == NULL)
    return g_new0 (char *, 1);
  const char *separators = strchr (text, ',') ? "," : " \t";
  g_auto(GStrv) parts = g_strsplit_set (text, separators, -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  for (guint i = 0; parts[i]; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i])
        g_strv_builder_add (builder, parts[i]);
    }
  return g_strv_builder_end (builder);
}

gboolean
sc_text_is_language (const char *language)
{
  gsize len = language ? strlen (language) : 0;
  if (len < 2 || len > 3)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (language[i] < 'a' || language[i] > 'z')
      return FALSE;
  return TRUE;
}

char *
sc_text_language_of (const char *locale)
{
  if (locale == NULL)
    return NULL;
  gsize len = strcspn (locale, "_-.@");
  if (len < 2 || len > 3)
    return NULL;
  char *language = g_ascii_strdown (locale, (gssize) len);
  if (!sc_text_is_language (language))
    g_clear_pointer (&language, g_free);
  return language;
}
