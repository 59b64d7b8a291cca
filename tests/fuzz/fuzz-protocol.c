/* fuzz-protocol.c: libFuzzer target for the protocol decoder that server and client
 * share: any bytes, either direction. Whatever decodes must encode, and decode again to
 * the same type; nothing may crash, leak or read out of bounds. The data channel's chat
 * decoder is fed the same bytes. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sc-protocol.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check (const uint8_t *data, size_t size, ScDirection from)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ScMessage) msg = sc_message_decode ((const char *) data, size, from, &error);
  if (msg == NULL)
    {
      if (error == NULL || sc_protocol_error_code (error) == NULL)
        __builtin_trap ();
      return;
    }
  g_autofree char *again = sc_message_encode (msg);
  g_autoptr(GError) error2 = NULL;
  g_autoptr(ScMessage) back = sc_message_decode (again, strlen (again), from, &error2);
  /* A message that decoded once decodes again after encoding, as the same type. (Not
   * byte for byte: member order and escapes may differ.) Oversized re-encodings are the
   * only exception: escaping can lengthen a message past the limit. */
  if (back == NULL && !g_error_matches (error2, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_TOO_LARGE))
    __builtin_trap ();
  if (back && back->type != msg->type)
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gboolean once;
  if (!once)
    {
      /* A failed precondition inside json-glib is a crash here, not a line. */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      once = TRUE;
    }
  check (data, size, SC_FROM_CLIENT);
  check (data, size, SC_FROM_SERVER);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sc_peer_chat_decode ((const char *) data, size, &error);
  if ((text == NULL) == (error == NULL))
    __builtin_trap ();
  return 0;
}
