/* sc-ws-frames.c: WebSocket frames parsed and built; see sc-ws-frames.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-ws-frames.h"

#include <string.h>

void
sc_ws_reader_init (ScWsReader *reader, gsize max_message)
{
  memset (reader, 0, sizeof *reader);
  reader->max_message = max_message;
}

void
sc_ws_reader_clear (ScWsReader *reader)
{
  g_clear_pointer (&reader->fragments, g_byte_array_unref);
}

static gboolean
is_control (guint8 opcode)
{
  return (opcode & 0x8) != 0;
}

/* Codes a peer may send (RFC 6455, 7.4.1 and 7.4.2; 1004–1006 and 1015 are never
 * sent, 1016–2999 are reserved, 3000–4999 are for applications). */
static gboolean
is_valid_close_code (guint code)
{
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

/* Eight bytes at a time: the key repeats every four, so twice over is a word's mask. */
static void
unmask (guint8 *payload, gsize len, const guint8 key[4])
{
  guint8 key8[8];
  guint64 word_key, word;
  gsize i = 0;

  for (int k = 0; k < 8; k++)
    key8[k] = key[k & 3];
  memcpy (&word_key, key8, 8);
  for (; i + 8 <= len; i += 8)
    {
      memcpy (&word, payload + i, 8);
      word ^= word_key;
      memcpy (payload + i, &word, 8);
    }
  for (; i < len; i++)
    payload[i] ^= key[i & 3];
}

/* UTF-8 as RFC 6455 means it: U+0000 is a character (GLib's check stops at it). */
static gboolean
is_utf8 (const guint8 *text, gsize len)
{
  if (len == 0)
    return TRUE;   /* an empty message joined from empty fragments has no data at all */
  const char *p = (const char *) text, *end = p + len, *bad;
  while (!g_utf8_validate_len (p, end - p, &bad))
    {
      if (*bad != '\0')
        return FALSE;
      p = bad + 1;
    }
  return TRUE;
}

gssize
sc_ws_reader_parse (ScWsReader *reader, guint8 *data, gsize len, ScWsMessageFunc func,
                    gpointer user_data, gushort *close_code)
{
  gsize at = 0;

  for (;;)
    {
      guint8 *p = data + at;
      gsize left = len - at;
      if (left < 2)
        return at;
      gboolean fin = (p[0] & 0x80) != 0;
      guint8 rsv = p[0] & 0x70;
      guint8 opcode = p[0] & 0x0F;
      gboolean masked = (p[1] & 0x80) != 0;
      guint64 size = p[1] & 0x7F;
      gsize header = 2;

      /* No extension was agreed, so no reserved bit may be set; clients mask. */
      if (rsv != 0 || !masked ||
          (opcode > SC_WS_BINARY && opcode < SC_WS_CLOSE) || opcode > SC_WS_PONG)
        goto protocol_error;
      if (is_control (opcode) && (!fin || size > 125))
        goto protocol_error;
      if (size == 126)
        {
          if (left < 4)
            return at;
          size = (guint64) p[2] << 8 | p[3];
          header = 4;
        }
      else if (size == 127)
        {
          if (left < 10)
            return at;
          size = 0;
          for (int i = 0; i < 8; i++)
            size = size << 8 | p[2 + i];
          if (size >> 63)
            goto protocol_error;
          header = 10;
        }
      /* Fragments: a continuation needs a message to continue, a new data frame
       * needs none in progress (control frames may come between fragments). */
      if (opcode == SC_WS_CONTINUATION && reader->fragments == NULL)
        goto protocol_error;
      if ((opcode == SC_WS_TEXT || opcode == SC_WS_BINARY) && reader->fragments != NULL)
        goto protocol_error;
      /* Too big is known from the header: nothing of it is waited for. */
      gsize so_far = opcode == SC_WS_CONTINUATION ? reader->fragments->len : 0;
      if (size > reader->max_message || so_far + size > reader->max_message)
        {
          *close_code = SC_WS_CLOSE_TOO_BIG;
          return -1;
        }
      if (left < header + 4 + size)
        return at;

      const guint8 *key = p + header;
      guint8 *payload = p + header + 4;
      unmask (payload, size, key);
      at += header + 4 + size;

      if (is_control (opcode))
        {
          if (opcode == SC_WS_CLOSE)
            {
              if (size == 1)
                goto protocol_error;
              if (size >= 2 && !is_valid_close_code ((guint) payload[0] << 8 | payload[1]))
                goto protocol_error;
              if (size > 2 && !is_utf8 (payload + 2, size - 2))
                goto bad_data;
              func (opcode, payload, size, user_data);
              return at;   /* nothing after a close frame counts */
            }
          func (opcode, payload, size, user_data);
          continue;
        }

      const guint8 *message = payload;
      gsize message_len = size;
      guint8 message_opcode = opcode;
      if (opcode != SC_WS_CONTINUATION && fin)
        ;   /* the common case: a whole message in one frame, handed over in place */
      else
        {
          if (opcode != SC_WS_CONTINUATION)
            {
              reader->fragments = g_byte_array_sized_new (size);
              reader->fragments_opcode = opcode;
            }
          g_byte_array_append (reader->fragments, payload, size);
          if (!fin)
            continue;
          /* Empty fragments join into an array that never got a byte: its data is
           * NULL. Nothing past this point is handed a NULL payload. */
          message = reader->fragments->len > 0 ? reader->fragments->data : (const guint8 *) "";
          message_len = reader->fragments->len;
          message_opcode = reader->fragments_opcode;
        }
      if (message_opcode == SC_WS_TEXT && !is_utf8 (message, message_len))
        goto bad_data;
      func (message_opcode, message, message_len, user_data);
      g_clear_pointer (&reader->fragments, g_byte_array_unref);
    }

protocol_error:
  *close_code = SC_WS_CLOSE_PROTOCOL_ERROR;
  return -1;
bad_data:
  *close_code = SC_WS_CLOSE_BAD_DATA;
  return -1;
}

void
sc_ws_frame_append (GByteArray *out, ScWsOpcode opcode, const void *payload, gsize len)
{
  guint8 header[10];
  gsize n;

  header[0] = 0x80 | opcode;
  if (len < 126)
    {
      header[1] = len;
      n = 2;
    }
  else if (len <= G_MAXUINT16)
    {
      header[1] = 126;
      header[2] = len >> 8;
      header[3] = len & 0xFF;
      n = 4;
    }
  else
    {
      header[1] = 127;
      for (int i = 0; i < 8; i++)
        header[2 + i] = ((guint64) len >> (56 - 8 * i)) & 0xFF;
      n = 10;
    }
  g_byte_array_append (out, header, n);
  if (len > 0)
    g_byte_array_append (out, payload, len);
}

void
sc_ws_close_append (GByteArray *out, gushort code, const char *reason)
{
  guint8 payload[2 + SC_WS_MAX_REASON];
  gsize len = 0;

  if (code != 0)
    {
      gsize reason_len = reason ? strlen (reason) : 0;
      if (reason_len > SC_WS_MAX_REASON)
        {
          /* The start of the character that holds the byte past the limit. */
          const char *end = g_utf8_find_prev_char (reason, reason + SC_WS_MAX_REASON + 1);
          reason_len = end ? (gsize) (end - reason) : 0;
        }
      payload[0] = code >> 8;
      payload[1] = code & 0xFF;
      if (reason_len > 0)
        memcpy (payload + 2, reason, reason_len);
      len = 2 + reason_len;
    }
  sc_ws_frame_append (out, SC_WS_CLOSE, payload, len);
}
