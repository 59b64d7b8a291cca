/* fuzz-ws-frames.c: libFuzzer target for the WebSocket frames a stranger sends the
 * server (sc-ws-frames.c). The input's first byte sets how many bytes arrive at a time;
 * the rest is fed as sc-websocket.c feeds what it reads, and every whole message goes on
 * through the server's decoder (sc_server_decode_ws_message: the path from a socket to
 * the lobby). Whatever goes in: the parser uses no more than it was given, hands over
 * text only when it is UTF-8 and messages only within the size limit, never a NULL
 * payload; a close frame's code is one a peer may send; the decoder decodes or says
 * why, and no GLib critical is raised on the way (they are fatal here). */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "sc-server.h"
#include "sc-ws-frames.h"

#define MAX_MESSAGE 4096

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
is_utf8_with_nul (const guint8 *text, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (text[i] == 0)
      return is_utf8_with_nul (text, i) && is_utf8_with_nul (text + i + 1, len - i - 1);
  return g_utf8_validate_len ((const char *) text, len, NULL);
}

static void
on_message (guint8 opcode, const guint8 *payload, gsize len, gpointer user_data)
{
  gboolean *closed = user_data;
  if (*closed)
    __builtin_trap ();   /* nothing after a close frame */
  switch (opcode)
    {
    case SC_WS_TEXT:
    case SC_WS_BINARY:
      if (payload == NULL || len > MAX_MESSAGE ||
          (opcode == SC_WS_TEXT && !is_utf8_with_nul (payload, len)))
        __builtin_trap ();
      {
        GError *error = NULL;
        ScMessage *msg = sc_server_decode_ws_message (opcode == SC_WS_TEXT, payload, len,
                                                      &error);
        if ((msg == NULL) == (error == NULL) ||
            (error && sc_protocol_error_code (error) == NULL))
          __builtin_trap ();
        g_clear_pointer (&msg, sc_message_free);
        g_clear_error (&error);
      }
      break;
    case SC_WS_PING:
    case SC_WS_PONG:
      if (len > 125)
        __builtin_trap ();
      break;
    case SC_WS_CLOSE:
      if (len == 1 || len > 125)
        __builtin_trap ();
      if (len >= 2)
        {
          guint code = payload[0] << 8 | payload[1];
          if (code < 1000 || code == 1005 || code == 1006 || code >= 5000)
            __builtin_trap ();
        }
      *closed = TRUE;
      break;
    default:
      __builtin_trap ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static gboolean once;
  if (!once)
    {
      /* A failed precondition (json-glib handed NULL, say) is a crash, not a line. */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
      once = TRUE;
    }
  if (size < 1)
    return 0;
  gsize step = data[0] ? data[0] : size;
  data++, size--;

  ScWsReader reader;
  sc_ws_reader_init (&reader, MAX_MESSAGE);
  GByteArray *pending = g_byte_array_new ();
  gboolean closed = FALSE;
  for (gsize at = 0; at < size && !closed; at += step)
    {
      g_byte_array_append (pending, data + at, MIN (step, size - at));
      gushort code = 0;
      gssize used = sc_ws_reader_parse (&reader, pending->data, pending->len, on_message,
                                        &closed, &code);
      if (used < 0)
        {
          if (code != SC_WS_CLOSE_PROTOCOL_ERROR && code != SC_WS_CLOSE_BAD_DATA &&
              code != SC_WS_CLOSE_TOO_BIG)
            __builtin_trap ();
          break;
        }
      if ((gsize) used > pending->len || code != 0)
        __builtin_trap ();
      g_byte_array_remove_range (pending, 0, used);
    }
  g_byte_array_unref (pending);
  sc_ws_reader_clear (&reader);
  return 0;
}
