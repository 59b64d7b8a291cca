/* sc-ws-frames.h: WebSocket frames (RFC 6455, section 5) as the server sees them:
 * frames from a client parsed and checked, frames to a client built. No I/O, no state
 * but a fragmented message's, so the parser can be fuzzed on its own
 * (tests/fuzz/fuzz-ws-frames.c) and unit-tested (tests/unit/test-ws-frames.c).
 *
 * Why our own: see sc-websocket.h. The HTTP handshake stays libsoup's. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SC_WS_CONTINUATION = 0x0,
  SC_WS_TEXT = 0x1,
  SC_WS_BINARY = 0x2,
  SC_WS_CLOSE = 0x8,
  SC_WS_PING = 0x9,
  SC_WS_PONG = 0xA,
} ScWsOpcode;

/* Close codes (RFC 6455, 7.4.1). */
#define SC_WS_CLOSE_NORMAL           1000
#define SC_WS_CLOSE_GOING_AWAY       1001
#define SC_WS_CLOSE_PROTOCOL_ERROR   1002
#define SC_WS_CLOSE_NO_STATUS        1005   /* never on the wire */
#define SC_WS_CLOSE_ABNORMAL         1006   /* never on the wire */
#define SC_WS_CLOSE_BAD_DATA         1007
#define SC_WS_CLOSE_POLICY_VIOLATION 1008
#define SC_WS_CLOSE_TOO_BIG          1009

/* The longest close reason: a control frame's payload is at most 125 bytes. */
#define SC_WS_MAX_REASON 123

typedef struct
{
  gsize max_message;         /* a message's payload, all fragments together */
  GByteArray *fragments;     /* a fragmented message so far, or NULL */
  guint8 fragments_opcode;
} ScWsReader;

/* One whole message: a text (valid UTF-8) or binary message, its fragments joined, or
 * a control frame (a close frame's payload is checked: no code, or a valid code and a
 * UTF-8 reason). @payload is the callee's only during the call; it is never NULL, even
 * for an empty message. */
typedef void (*ScWsMessageFunc) (guint8 opcode, const guint8 *payload, gsize len,
                                 gpointer user_data);

void   sc_ws_reader_init  (ScWsReader      *reader,
                           gsize            max_message);
void   sc_ws_reader_clear (ScWsReader      *reader);

/* Parses the whole frames at the start of @data (masked client frames: unmasked in
 * place) and calls @func for each whole message. Stops after a close frame. Returns the
 * bytes used; what is left is the start of a frame, to be given again with more after
 * it. On a frame that breaks the protocol returns -1 and sets @close_code to the code
 * to close with: 1002 (bad header, unmasked, bad fragments, a control frame over 125
 * bytes), 1007 (text or a close reason that is not UTF-8), 1009 (a message over
 * max_message, told from its header alone). */
gssize sc_ws_reader_parse (ScWsReader      *reader,
                           guint8          *data,
                           gsize            len,
                           ScWsMessageFunc  func,
                           gpointer         user_data,
                           gushort         *close_code);

/* Appends one final, unmasked frame (a server's). */
void   sc_ws_frame_append (GByteArray      *out,
                           ScWsOpcode       opcode,
                           const void      *payload,
                           gsize            len);
/* Appends a close frame: no payload when @code is 0, else @code and @reason, cut on a
 * character's boundary to SC_WS_MAX_REASON bytes. */
void   sc_ws_close_append (GByteArray      *out,
                           gushort          code,
                           const char      *reason);

G_END_DECLS
