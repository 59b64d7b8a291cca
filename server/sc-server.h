/* sc-server.h: showcast-server's network side: HTTP and the WebSocket handshake with
 * libsoup, WebSocket frames with sc-websocket.c, every message decoded with the shared
 * protocol and handed to the ScLobby. */
#pragma once

#include <gio/gio.h>

#include "sc-lobby.h"
#include "sc-matcher.h"
#include "sc-redis.h"
#include "sc-url.h"

G_BEGIN_DECLS

#define SC_SERVER_WS_PATH SC_URL_WS_PATH
#define SC_SERVER_TICKET_PATH SC_URL_TICKET_PATH

#define SC_TYPE_SERVER (sc_server_get_type ())
G_DECLARE_FINAL_TYPE (ScServer, sc_server, SC, SERVER, GObject)

ScServer *sc_server_new              (ScMatcher   *matcher);
gboolean  sc_server_set_tls          (ScServer    *self,
                                      const char  *cert_file,
                                      const char  *key_file,
                                      GError     **error);
/* Connection threads (each with its share of the sockets); before sc_server_listen.
 * Default 1: the sockets on the main thread with the lobby. Each thread costs two file
 * descriptors (its listening socket and its main loop's wake-up) and about 20 KiB. */
#define SC_SERVER_MAX_THREADS 512
/* Bounds on what a connection may hold before and while it is a WebSocket (#22). */
#define SC_SERVER_HTTP_TIMEOUT_S        10    /* accept to WebSocket upgrade */
#define SC_SERVER_MESSAGE_TIMEOUT_S     10    /* a message's first byte to its last */
#define SC_SERVER_PING_INTERVAL_S       5     /* a ping to every connection */
#define SC_SERVER_SILENCE_TIMEOUT_S     15    /* nothing heard: the connection is lost */
#define SC_SERVER_MAX_CONNS_PER_ADDRESS 64
#define SC_SERVER_MAX_REQUEST_BODY      1024  /* no endpoint takes a body */
/* Undecodable messages in a row (bad JSON, binary frames, unknown types...) after which
 * the connection is closed (1008). */
#define SC_SERVER_MAX_BAD_MESSAGES      32
/* Connections held, in all (0: no cap) and from one address (0: no cap). Before
 * sc_server_listen(). */
void      sc_server_set_connection_limits (ScServer *self,
                                           guint     max_total,
                                           guint     max_per_address);
/* Seconds a TCP connection has to become a WebSocket, and a WebSocket message has to
 * arrive whole once its first byte has. Before sc_server_listen(). */
void      sc_server_set_timeouts     (ScServer    *self,
                                      guint        http_s,
                                      guint        message_s);
/* Ping every connection every @ping_s seconds; one silent for @silence_s (more than
 * @ping_s) is lost. Before sc_server_listen(). */
void      sc_server_set_heartbeat    (ScServer    *self,
                                      guint        ping_s,
                                      guint        silence_s);
void      sc_server_set_threads      (ScServer    *self,
                                      guint        n);
gboolean  sc_server_listen           (ScServer    *self,
                                      const char  *address,
                                      GError     **error);
guint     sc_server_get_port         (ScServer    *self);
ScLobby  *sc_server_get_lobby        (ScServer    *self);
/* The node's name in /metrics (and, with Redis, among the nodes). */
void        sc_server_set_node_name  (ScServer    *self,
                                      const char  *name);
const char *sc_server_get_node_name  (ScServer    *self);
/* /healthz reports whether @redis is reachable. */
void        sc_server_set_redis      (ScServer    *self,
                                      ScRedis     *redis);

gboolean  sc_parse_listen_address    (const char      *address,
                                      GSocketAddress **out,
                                      GError         **error);

/* A WebSocket message from a client, as the server decodes it: text through the
 * shared strict decoder, a binary message refused with "bad-message". The one path
 * from a socket's frames to the decoder (the fuzzer fuzz-ws-frames takes it too). */
ScMessage *sc_server_decode_ws_message (gboolean      text,
                                        const guint8 *data,
                                        gsize         len,
                                        GError      **error);

G_END_DECLS
