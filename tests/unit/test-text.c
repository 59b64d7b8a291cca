/* test-text.c: names are validated, strangers' text is made safe to draw. */
#include "config.h"

#include "sc-text.h"

typedef struct { const char *in; const char *out; } NameCase;

static void
test_names (void)
{
  const NameCase good[] = {
    { "alice", "alice" }, { "  bob  ", "bob" }, { "Zoë", "Zoë" }, { "李小龍", "李小龍" },
    { "🦊 fox", "🦊 fox" }, { "abcdefghijklmnopqrstuvwxyz012345", "abcdefghijklmnopqrstuvwxyz012345" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = sc_text_validate_name (good[i].in, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (name, ==, good[i].out);
    }

  const char *bad[] = { "", "   ", "abcdefghijklmnopqrstuvwxyz0123456", "a\x1b]0;owned\x07",
                        "tab\there", "new\nline", "\xff\xfe", "rtl\u202Eevil", "bell\x07" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = sc_text_validate_name (bad[i], &error);
      g_assert_null (name);
      g_assert_error (error, SC_TEXT_ERROR, error->code);
    }
}

static void
test_interests (void)
{
  struct { const char *in; const char *out; } good[] = {
    { "chess", "chess" },
    { "  Chess ", "chess" },
    { "E\xcc\x81" "checs", "\xc3\xa9" "checs" },   /* E + combining acute: NFC, lower case */
    { "ÉCHECS", "échecs" },
    { "board games", "board games" },
    { "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx" },   /* 24 */
  };
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      const char *list[] = { good[i].in, NULL };
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) out = sc_text_normalize_interests (list, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (out[0], ==, good[i].out);
    }
  const char *dupes[] = { "Chess", "chess", " CHESS", "cats", NULL };
  g_auto(GStrv) deduped = sc_text_normalize_interests (dupes, NULL);
  g_assert_cmpuint (g_strv_length (deduped), ==, 2);
  g_auto(GStrv) none = sc_text_normalize_interests (NULL, NULL);
  g_assert_cmpuint (g_strv_length (none), ==, 0);

  const char *bad[][10] = {
    { "", NULL }, { "   ", NULL }, { "abcdefghijklmnopqrstuvwxy", NULL },   /* 25 */
    { "bell\a", NULL }, { "\xe2\x80\xae" "evil", NULL }, { "\xff", NULL },
    { "a", "b", "c", "d", "e", "f", "g", "h", "i", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) out = sc_text_normalize_interests (bad[i], &error);
      g_assert_null (out);
      g_assert_error (error, SC_TEXT_ERROR, error->code);
    }

  g_auto(GStrv) commas = sc_text_split_interests ("chess, board games ,,cats");
  g_assert_cmpuint (g_strv_length (commas), ==, 3);
  g_assert_cmpstr (commas[1], ==, "board games");
  g_auto(GStrv) spaces = sc_text_split_interests ("chess  cats");
  g_assert_cmpuint (g_strv_length (spaces), ==, 2);
}

static void
test_language (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "de_DE.UTF-8", "de" }, { "pt-BR", "pt" }, { "DE", "de" }, { "fil_PH", "fil" },
    { "C", NULL }, { "C.UTF-8", NULL }, { "POSIX", NULL }, { "", NULL }, { NULL, NULL },
    { "e1", NULL }, { "english", NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = sc_text_language_of (cases[i].in);
      g_assert_cmpstr (got, ==, cases[i].out);
    }
  g_assert_true (sc_text_is_language ("de"));
  g_assert_false (sc_text_is_language ("De"));
  g_assert_false (sc_text_is_language ("deu1"));
}

static void
test_chat (void)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (sc_text_validate_chat ("hello", &error));
  g_autofree char *max = g_strnfill (SC_CHAT_MAX_CHARS, 'x');
  g_assert_true (sc_text_validate_chat (max, &error));
  g_autofree char *over = g_strnfill (SC_CHAT_MAX_CHARS + 1, 'x');
  g_assert_false (sc_text_validate_chat (over, &error));
  g_assert_error (error, SC_TEXT_ERROR, SC_TEXT_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_false (sc_text_validate_chat ("", &error));
  g_clear_error (&error);
  g_assert_false (sc_text_validate_chat ("\xc3\x28", &error));
}

static void
test_sanitize (void)
{
  const NameCase cases[] = {
    { "plain", "plain" },
    { "\x1b]0;pwned\x07title", "]0;pwnedtitle" },
    { "\x1b[2J\x1b[Hclear", "[2J[Hclear" },
    { "csi\xc2\x9b" "31m", "csi31m" },           /* C1 CSI */
    { "line\nbreak\ttab\r", "line break tab " },
    { "bidi\u202Eoverride\u2066", "bidioverride" },
    { "bad\xff" "utf8", "bad\uFFFDutf8" },
    { "日本語 🦊", "日本語 🦊" },
    { "e\u0301", "e\u0301" },                   /* combining accent stays */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = sc_text_sanitize (cases[i].in, 0);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_autofree char *cut = sc_text_sanitize ("日本語テキスト", 3);
  g_assert_cmpstr (cut, ==, "日本語");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/text/names", test_names);
  g_test_add_func ("/text/interests", test_interests);
  g_test_add_func ("/text/language", test_language);
  g_test_add_func ("/text/chat", test_chat);
  g_test_add_func ("/text/sanitize", test_sanitize);
  return g_test_run ();
}
