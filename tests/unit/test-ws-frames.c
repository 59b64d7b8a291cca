/* test-ws-frames.c: the server's WebSocket frame parser and builder (sc-ws-frames.c):
 * whole messages out of masked frames however the bytes arrive, fragments joined,
 * control frames between fragments, and each way a client can break RFC 6455 closing
 * with its code. */
#include "config.h"

#include <string.h>

#include "sc-ws-frames.h"

#define MAX_MESSAGE 100000

/* A client's frame: FIRST is the first byte (FIN, RSV, opcode), masked unless told. */
static void
client_frame (GByteArray *out, guint8 first, const void *payload, gsize len, gboolean mask)
{
  static const guint8 key[4] = { 0x37, 0xfa, 0x21, 0x3d };
  guint8 header[10];
  gsize n;

  header[0] = first;
  if (len < 126)
    {
      header[1] = len;
      n = 2;
    }
  else if (len <= 0xFFFF)
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
  if (mask)
    header[1] |= 0x80;
  g_byte_array_append (out, header, n);
  if (mask)
    g_byte_array_append (out, key, 4);
  for (gsize i = 0; i < len; i++)
    {
      guint8 b = ((const guint8 *) payload)[i] ^ (mask ? key[i & 3] : 0);
      g_byte_array_append (out, &b, 1);
    }
}

#define FIN 0x80

typedef struct
{
  GPtrArray *messages;   /* of GBytes, the opcode in front */
} Heard;

static void
on_message (guint8 opcode, const guint8 *payload, gsize len, gpointer data)
{
  Heard *heard = data;
  GByteArray *m = g_byte_array_new ();
  g_byte_array_append (m, &opcode, 1);
  g_byte_array_append (m, payload, len);
  g_ptr_array_add (heard->messages, g_byte_array_free_to_bytes (m));
}

static void
assert_message (Heard *heard, guint i, guint8 opcode, const void *payload, gsize len)
{
  g_assert_cmpuint (i, <, heard->messages->len);
  gsize got_len;
  const guint8 *got = g_bytes_get_data (g_ptr_array_index (heard->messages, i), &got_len);
  g_assert_cmpuint (got[0], ==, opcode);
  g_assert_cmpmem (got + 1, got_len - 1, payload, len);
}

/* Feeds @wire to a reader @step bytes at a time, as sc-websocket.c does: what a call
 * leaves unused is given again with the next bytes. Returns the close code of a
 * protocol error, or 0, and how many bytes were never used. */
static gushort
feed (const GByteArray *wire, gsize step, Heard *heard, gsize *unused)
{
  ScWsReader reader;
  sc_ws_reader_init (&reader, MAX_MESSAGE);
  g_autoptr(GByteArray) pending = g_byte_array_new ();
  gushort code = 0;

  for (gsize at = 0; at < wire->len; at += step)
    {
      g_byte_array_append (pending, wire->data + at, MIN (step, wire->len - at));
      gssize used = sc_ws_reader_parse (&reader, pending->data, pending->len, on_message,
                                        heard, &code);
      if (used < 0)
        break;
      g_assert_cmpint (used, <=, pending->len);
      g_byte_array_remove_range (pending, 0, used);
      g_assert_cmpuint (code, ==, 0);
    }
  *unused = pending->len;
  sc_ws_reader_clear (&reader);
  return code;
}

static void
heard_init (Heard *heard)
{
  heard->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
}

static void
test_whole_messages (void)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  g_autofree char *medium = g_strnfill (300, 'm');      /* a 16-bit length */
  g_autofree char *large = g_strnfill (70000, 'L');     /* a 64-bit length */
  const char nul[] = "a\0b";
  client_frame (wire, FIN | SC_WS_TEXT, "{\"type\":\"next\"}", 15, TRUE);
  client_frame (wire, FIN | SC_WS_TEXT, medium, 300, TRUE);
  client_frame (wire, FIN | SC_WS_BINARY, "\xff\x00", 2, TRUE);
  client_frame (wire, FIN | SC_WS_TEXT, large, 70000, TRUE);
  client_frame (wire, FIN | SC_WS_TEXT, nul, 3, TRUE);   /* U+0000 is UTF-8 */
  client_frame (wire, FIN | SC_WS_PING, "hi", 2, TRUE);
  client_frame (wire, FIN | SC_WS_TEXT, "", 0, TRUE);

  /* All at once, one byte at a time, and in odd steps: the same messages. */
  const gsize steps[] = { G_MAXSIZE / 2, 1, 7, 4096 };
  for (guint s = 0; s < G_N_ELEMENTS (steps); s++)
    {
      Heard heard;
      heard_init (&heard);
      gsize unused;
      g_assert_cmpuint (feed (wire, MIN (steps[s], wire->len), &heard, &unused), ==, 0);
      g_assert_cmpuint (unused, ==, 0);
      g_assert_cmpuint (heard.messages->len, ==, 7);
      assert_message (&heard, 0, SC_WS_TEXT, "{\"type\":\"next\"}", 15);
      assert_message (&heard, 1, SC_WS_TEXT, medium, 300);
      assert_message (&heard, 2, SC_WS_BINARY, "\xff\x00", 2);
      assert_message (&heard, 3, SC_WS_TEXT, large, 70000);
      assert_message (&heard, 4, SC_WS_TEXT, nul, 3);
      assert_message (&heard, 5, SC_WS_PING, "hi", 2);
      assert_message (&heard, 6, SC_WS_TEXT, "", 0);
      g_ptr_array_unref (heard.messages);
    }
}

static void
test_fragments (void)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  /* "é" split between two fragments: only the whole message must be UTF-8. */
  client_frame (wire, SC_WS_TEXT, "caf\xc3", 4, TRUE);
  client_frame (wire, FIN | SC_WS_PING, "p", 1, TRUE);
  client_frame (wire, SC_WS_CONTINUATION, "\xa9 ", 2, TRUE);
  client_frame (wire, FIN | SC_WS_CONTINUATION, "noir", 4, TRUE);
  client_frame (wire, FIN | SC_WS_TEXT, "after", 5, TRUE);
  /* Empty fragments make an empty message (the fuzzer's find: no data at all). */
  client_frame (wire, SC_WS_TEXT, "", 0, TRUE);
  client_frame (wire, FIN | SC_WS_CONTINUATION, "", 0, TRUE);

  for (gsize step = 1; step <= wire->len; step += 5)
    {
      Heard heard;
      heard_init (&heard);
      gsize unused;
      g_assert_cmpuint (feed (wire, step, &heard, &unused), ==, 0);
      g_assert_cmpuint (heard.messages->len, ==, 4);
      assert_message (&heard, 0, SC_WS_PING, "p", 1);
      assert_message (&heard, 1, SC_WS_TEXT, "caf\xc3\xa9 noir", 10);
      assert_message (&heard, 2, SC_WS_TEXT, "after", 5);
      assert_message (&heard, 3, SC_WS_TEXT, "", 0);
      g_ptr_array_unref (heard.messages);
    }
}

static void
test_stops_after_close (void)
{
  g_autoptr(GByteArray) wire = g_byte_array_new ();
  client_frame (wire, FIN | SC_WS_CLOSE, "\x03\xe8" "bye", 5, TRUE);
  gsize close_len = wire->len;
  client_frame (wire, FIN | SC_WS_TEXT, "late", 4, TRUE);

  Heard heard;
  heard_init (&heard);
  gsize unused;
  g_assert_cmpuint (feed (wire, wire->len, &heard, &unused), ==, 0);
  g_assert_cmpuint (heard.messages->len, ==, 1);
  assert_message (&heard, 0, SC_WS_CLOSE, "\x03\xe8" "bye", 5);
  g_assert_cmpuint (unused, ==, wire->len - close_len);
  g_ptr_array_unref (heard.messages);
}

typedef struct
{
  const char *what;
  void (*build) (GByteArray *wire);
  gushort code;
} BadCase;

static void
bad_rsv (GByteArray *w)
{
  client_frame (w, FIN | 0x40 | SC_WS_TEXT, "{}", 2, TRUE);
}

static void
bad_unmasked (GByteArray *w)
{
  client_frame (w, FIN | SC_WS_TEXT, "{}", 2, FALSE);
}

static void
bad_opcode_data (GByteArray *w)
{
  client_frame (w, FIN | 0x3, "x", 1, TRUE);
}

static void
bad_opcode_control (GByteArray *w)
{
  client_frame (w, FIN | 0xB, "x", 1, TRUE);
}

static void
bad_big_ping (GByteArray *w)
{
  g_autofree char *p = g_strnfill (126, 'p');
  client_frame (w, FIN | SC_WS_PING, p, 126, TRUE);
}

static void
bad_fragmented_ping (GByteArray *w)
{
  client_frame (w, SC_WS_PING, "p", 1, TRUE);
}

static void
bad_lone_continuation (GByteArray *w)
{
  client_frame (w, FIN | SC_WS_CONTINUATION, "x", 1, TRUE);
}

static void
bad_new_inside_fragments (GByteArray *w)
{
  client_frame (w, SC_WS_TEXT, "{", 1, TRUE);
  client_frame (w, FIN | SC_WS_BINARY, "x", 1, TRUE);
}

static void
bad_too_big_header (GByteArray *w)
{
  /* Only the header: the verdict must not wait for 200,000 bytes. */
  const guint8 header[] = { FIN | SC_WS_TEXT, 0x80 | 127, 0, 0, 0, 0, 0, 0x03, 0x0d, 0x40 };
  g_byte_array_append (w, header, sizeof header);
}

static void
bad_too_big_fragments (GByteArray *w)
{
  g_autofree char *part = g_strnfill (40000, 'v');
  client_frame (w, SC_WS_TEXT, part, 40000, TRUE);
  client_frame (w, SC_WS_CONTINUATION, part, 40000, TRUE);
  client_frame (w, FIN | SC_WS_CONTINUATION, part, 40000, TRUE);
}

static void
bad_length_top_bit (GByteArray *w)
{
  const guint8 header[] = { FIN | SC_WS_BINARY, 0x80 | 127, 0x80, 0, 0, 0, 0, 0, 0, 1 };
  g_byte_array_append (w, header, sizeof header);
}

static void
bad_utf8 (GByteArray *w)
{
  client_frame (w, FIN | SC_WS_TEXT, "{\"a\":\"\xff\"}", 9, TRUE);
}

static void
bad_utf8_fragments (GByteArray *w)
{
  client_frame (w, SC_WS_TEXT, "ok", 2, TRUE);
  client_frame (w, FIN | SC_WS_CONTINUATION, "\xc3", 1, TRUE);   /* cut short */
}

static void
bad_close_one_byte (GByteArray *w)
{
  client_frame (w, FIN | SC_WS_CLOSE, "\x03", 1, TRUE);
}

static void
bad_close_code_1005 (GByteArray *w)
{
  client_frame (w, FIN | SC_WS_CLOSE, "\x03\xed", 2, TRUE);
}

static void
bad_close_code_999 (GByteArray *w)
{
  client_frame (w, FIN | SC_WS_CLOSE, "\x03\xe7", 2, TRUE);
}

static void
bad_close_reason (GByteArray *w)
{
  client_frame (w, FIN | SC_WS_CLOSE, "\x03\xe8\xc0\xaf", 4, TRUE);
}

static const BadCase bad_cases[] = {
  { "reserved bit", bad_rsv, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "unmasked", bad_unmasked, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "data opcode 3", bad_opcode_data, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "control opcode 0xB", bad_opcode_control, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "ping of 126 bytes", bad_big_ping, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "fragmented ping", bad_fragmented_ping, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "continuation of nothing", bad_lone_continuation, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "new message inside fragments", bad_new_inside_fragments, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "too big, from the header", bad_too_big_header, SC_WS_CLOSE_TOO_BIG },
  { "too big, in fragments", bad_too_big_fragments, SC_WS_CLOSE_TOO_BIG },
  { "length with the top bit set", bad_length_top_bit, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "text not UTF-8", bad_utf8, SC_WS_CLOSE_BAD_DATA },
  { "text not UTF-8 once joined", bad_utf8_fragments, SC_WS_CLOSE_BAD_DATA },
  { "close of one byte", bad_close_one_byte, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "close code 1005", bad_close_code_1005, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "close code 999", bad_close_code_999, SC_WS_CLOSE_PROTOCOL_ERROR },
  { "close reason not UTF-8", bad_close_reason, SC_WS_CLOSE_BAD_DATA },
};

static void
test_protocol_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(GByteArray) wire = g_byte_array_new ();
      bad_cases[i].build (wire);
      for (gsize step = 1; step <= wire->len; step = step * 3 + 1)
        {
          Heard heard;
          heard_init (&heard);
          gsize unused;
          gushort code = feed (wire, step, &heard, &unused);
          if (code != bad_cases[i].code)
            g_error ("%s (fed %" G_GSIZE_FORMAT " at a time): code %u, expected %u",
                     bad_cases[i].what, step, code, bad_cases[i].code);
          /* Nothing of a bad message is handed over. */
          for (guint m = 0; m < heard.messages->len; m++)
            {
              const guint8 *got = g_bytes_get_data (g_ptr_array_index (heard.messages, m), NULL);
              g_assert_cmpuint (got[0], ==, SC_WS_PING);
            }
          g_ptr_array_unref (heard.messages);
        }
    }
}

static void
test_build (void)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  sc_ws_frame_append (out, SC_WS_TEXT, "hey", 3);
  g_assert_cmpmem (out->data, out->len, "\x81\x03hey", 5);

  g_byte_array_set_size (out, 0);
  g_autofree char *medium = g_strnfill (300, 'm');
  sc_ws_frame_append (out, SC_WS_TEXT, medium, 300);
  g_assert_cmpuint (out->len, ==, 4 + 300);
  g_assert_cmpmem (out->data, 4, "\x81\x7e\x01\x2c", 4);

  g_byte_array_set_size (out, 0);
  g_autofree char *large = g_strnfill (70000, 'L');
  sc_ws_frame_append (out, SC_WS_BINARY, large, 70000);
  g_assert_cmpuint (out->len, ==, 10 + 70000);
  g_assert_cmpmem (out->data, 10, "\x82\x7f\0\0\0\0\0\x01\x11\x70", 10);

  g_byte_array_set_size (out, 0);
  sc_ws_close_append (out, 0, "ignored");
  g_assert_cmpmem (out->data, out->len, "\x88\x00", 2);

  /* A reason past 123 bytes is cut before the character that would not fit whole. */
  g_byte_array_set_size (out, 0);
  g_autofree char *filler = g_strnfill (122, 'r');
  g_autofree char *reason = g_strconcat (filler, "\xc3\xa9", NULL);
  sc_ws_close_append (out, SC_WS_CLOSE_POLICY_VIOLATION, reason);
  g_assert_cmpuint (out->len, ==, 2 + 2 + 122);
  g_assert_cmpmem (out->data, 4, "\x88\x7c\x03\xf0", 4);
  g_assert_true (g_utf8_validate_len ((const char *) out->data + 4, out->len - 4, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ws-frames/whole-messages", test_whole_messages);
  g_test_add_func ("/ws-frames/fragments", test_fragments);
  g_test_add_func ("/ws-frames/stops-after-close", test_stops_after_close);
  g_test_add_func ("/ws-frames/protocol-errors", test_protocol_errors);
  g_test_add_func ("/ws-frames/build", test_build);
  return g_test_run ();
}
