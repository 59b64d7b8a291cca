/* sc-websocket.h: one server-side WebSocket connection, after libsoup has done the HTTP
 * upgrade: the socket read and written on the shard's main context, frames parsed and
 * built by sc-ws-frames.c, pings answered, the close handshake kept.
 *
 * Why not libsoup's SoupWebsocketConnection: at saturation the server spent most of its
 * time around frames, not in the lobby. libsoup emits a GObject signal and builds a
 * GBytes per frame, formats a debug line per frame, writes each frame with its own
 * send(), and its GIO sources, blocked and unblocked around every dispatch, wake the
 * main loop once more each time: 0.18–0.19 ms of CPU a match against 0.12–0.14 here.
 * Why not wslay (a frame library in Debian): its context holds two 4 KiB buffers, 9.4
 * KiB per connection; idle sessions went from 7.2 to 12.9 KiB each, over #5's 10 KiB.
 * Here a connection is a small struct watched through the shard's epoll (sc-poller.h);
 * the read buffer is the thread's, a burst of frames leaves in one send(), and a message
 * is handed over in place (docs/performance.md: what a match costs).
 *
 * Everything here runs on the thread of the context that was thread-default when the
 * connection was made; nothing is thread-safe. */
#pragma once

#include <gio/gio.h>

#include "sc-poller.h"
#include "sc-ws-frames.h"

G_BEGIN_DECLS

typedef struct _ScWebsocket ScWebsocket;

typedef struct
{
  /* A whole message: @text TRUE for a text message (valid UTF-8, checked), FALSE for
   * binary. @data is the callee's only during the call. Must not free @ws. */
  void (*message) (ScWebsocket *ws, gboolean text, const guint8 *data, gsize len,
                   gpointer user_data);
  /* A ping or a pong came in. Must not free @ws. */
  void (*heartbeat) (ScWebsocket *ws, gpointer user_data);
  /* The connection is over and its socket closed; called once. @code is the peer's
   * close code (SC_WS_CLOSE_NO_STATUS for a close frame without one), or
   * SC_WS_CLOSE_ABNORMAL when no close frame came (the socket dropped, or we
   * gave up waiting). @broke_protocol: closed by us for a bad frame (unmasked, too big,
   * bad UTF-8, an unknown opcode…: sc-ws-frames.h). The callee may free @ws here. */
  void (*closed) (ScWebsocket *ws, gushort code, gboolean broke_protocol,
                  gpointer user_data);
} ScWebsocketCallbacks;

/* Takes over @stream, upgraded to WebSocket (the 101 response written). @socket is the
 * TCP socket under it when @stream is that socket's own connection (plain TCP: read and
 * written directly, watched by @poller), or NULL (TLS: read and written through
 * @stream's pollable streams, watched by a GSource of its own). Messages over
 * @max_payload bytes close the connection (1009), and so does a message not whole
 * @message_timeout_us after its first byte came (1008; see sc_websocket_tick). */
ScWebsocket *sc_websocket_new        (GIOStream                  *stream,
                                      GSocket                    *socket,
                                      ScPoller                   *poller,
                                      gsize                       max_payload,
                                      gint64                      message_timeout_us,
                                      const ScWebsocketCallbacks *callbacks,
                                      gpointer                    user_data);
/* Closes the socket at once if it is still open, without calling closed. */
void         sc_websocket_free       (ScWebsocket                *ws);

/* TRUE until a close frame has been sent or received, or the socket failed. */
gboolean     sc_websocket_is_open    (ScWebsocket                *ws);
/* Sends @n text messages in one write (what the socket will not take now goes when it
 * will), or a ping. Ignored once the connection is not open. */
void         sc_websocket_send_texts (ScWebsocket                *ws,
                                      const char *const          *texts,
                                      guint                       n);
void         sc_websocket_ping       (ScWebsocket                *ws);
/* Starts the close handshake: sends a close frame with @code and @reason (cut to 123
 * bytes), ignores what else comes, and closes the socket when the peer answers, or
 * after a few seconds. */
void         sc_websocket_close      (ScWebsocket                *ws,
                                      gushort                     code,
                                      const char                 *reason);
/* Call about once a second (@now: g_get_monotonic_time()): a close handshake the peer
 * left unanswered ends here, and a message that takes too long is refused. */
void         sc_websocket_tick       (ScWebsocket                *ws,
                                      gint64                      now);

G_END_DECLS
