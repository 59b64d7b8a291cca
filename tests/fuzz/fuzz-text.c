/* fuzz-text.c: libFuzzer target for the text a stranger controls: names and chat. The
 * sanitised result must be valid UTF-8 with no control character and no bidi override,
 * whatever went in. */
#include "config.h"

#include <stdint.h>

#include "sc-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autofree char *clean = sc_text_sanitize (input, 0);
  if (!g_utf8_validate (clean, -1, NULL))
    __builtin_trap ();
  for (const char *p = clean; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x202a && c <= 0x202e) ||
          (c >= 0x2066 && c <= 0x2069))
        __builtin_trap ();
    }
  g_autoptr(GError) error = NULL;
  g_autofree char *name = sc_text_validate_name (input, &error);
  if ((name == NULL) == (error == NULL))
    __builtin_trap ();
  g_clear_error (&error);
  sc_text_validate_chat (input, &error);
  return 0;
}
