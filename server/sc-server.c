/* sc-server.c: see sc-server.h.
 *
 * Threads. The lobby (and Redis, and everything in sc-lobby.c) runs on the main
 * context, one thread. The sockets are spread over connection threads ("shards"),
 * each with its own GMainContext and its own SoupServer listening on the same port
 * (SO_REUSEPORT: the kernel spreads new connections). Why: a GLib main loop looks at
 * every source it has on every turn, so one loop with thousands of sockets spends its
 * time there; a shard's turn costs its share. Frames are decoded and encoded on the
 * shards, too. With one shard (the default) it runs on the main context itself: the
 * same code, no thread, no wake-ups, the cheapest per message.
 *
 * The two sides talk only through mailboxes (sc-mailbox.c), in order. A ServerConn
 * (one per WebSocket) is shared: its socket fields belong to its shard, its user to
 * the main thread; it is reference-counted, and every job in flight holds a reference.
 * Nothing here knows the lobby's rules; nothing in the lobby knows about sockets.
 */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <libsoup/soup.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "sc-acceptor.h"
#include "sc-conn-limits.h"
#include "sc-mailbox.h"
#include "sc-server.h"
#include "sc-websocket.h"
#include "sc-web.h"

/* Hard cap (sc-ws-frames.c): a larger message closes the socket (1009). Messages under
 * it but over the protocol's limits get an error message back instead. */
#define WS_MAX_PAYLOAD (SC_MSG_SDP_MAX_BYTES + 4096)

/* Heartbeats: the server pings every ping_interval_s; a connection from which nothing
 * came (no message, no ping, no pong) for silence_timeout_s is lost. Both are kept by
 * each shard's once-a-second tick, not a timer per socket. */
#define LISTEN_BACKLOG 4096

typedef struct _Shard Shard;

struct _ScServer
{
  GObject parent_instance;

  ScLobby *lobby;
  ScMailbox *inbox;          /* jobs for the main context */
  GPtrArray *shards;         /* of Shard */
  GTlsCertificate *tls;
  guint n_threads;           /* shards, made by sc_server_listen */
  guint silence_check;
  GSource *lobby_wake;       /* ready when the lobby has something due (a cooldown) */
  guint silence_timeout_s;
  guint ping_interval_s;
  guint64 messages_in;       /* main thread */
  guint64 messages_out;      /* main thread */
  gint n_conns;              /* atomic */
  char *node_name;
  ScRedis *redis;            /* NULL: a node alone */
  guint port;
  ScConnLimits *conn_limits; /* made by sc_server_listen */
  guint max_conns;
  guint max_conns_per_address;
  guint http_timeout_s;
  guint message_timeout_s;
  gint closed_bad_messages;  /* atomic */
  gint http_bodies_refused;  /* atomic */
};

G_DEFINE_FINAL_TYPE (ScServer, sc_server, G_TYPE_OBJECT)

struct _Shard
{
  ScServer *server;
  guint index;
  GThread *thread;
  GMainContext *context;
  GMainLoop *loop;
  SoupServer *soup;
  ScAcceptor *acceptor;      /* the shard's listening socket */
  ScMailbox *inbox;          /* jobs for this shard's context */
  ScPoller *poller;          /* its WebSocket connections' sockets (plain TCP) */
  GHashTable *conns;         /* ServerConn set; shard thread only */
  GSource *tick;
};

typedef struct _Job Job;

typedef struct
{
  gint ref;                  /* atomic */
  ScServer *server;
  Shard *shard;
  /* The frames for this socket not yet sent: the lobby adds to this job, already in
   * the shard's mailbox, rather than post another (see lobby_send). Both sides. */
  GMutex send_lock;
  Job *pending_send;
  /* The shard's. */
  ScWebsocket *ws;
  gint64 last_heard_us;
  gint64 next_ping_us;
  gboolean silenced;
  guint bad_in_a_row;        /* undecodable messages since the last good one */
  gboolean sent_away;        /* closed by us for them: its session ends, no grace */
  /* The main thread's. */
  ScLobbyUser *user;
} ServerConn;

static ServerConn *
conn_ref (ServerConn *conn)
{
  g_atomic_int_inc (&conn->ref);
  return conn;
}

static void
conn_unref (ServerConn *conn)
{
  if (!g_atomic_int_dec_and_test (&conn->ref))
    return;
  g_warn_if_fail (conn->ws == NULL);
  g_mutex_clear (&conn->send_lock);
  g_free (conn);
}

/* ---- Jobs between the threads ---------------------------------------------------- */

struct _Job
{
  ServerConn *conn;          /* a reference, or NULL */
  ScMessage *msg;
  char *text;
  GPtrArray *frames;         /* of char *: a send's text frames, in order */
  char *address;
  char *ticket;
  char *code;
  gushort close_code;
  gboolean broke_protocol;
  /* HTTP requests handled by the lobby: the message, paused on its shard. */
  Shard *shard;
  SoupServerMessage *http;
  void (*handle) (ScServer *self, gpointer job);
  guint status;
  const char *content_type;
};

static Job *
job_new (ServerConn *conn)
{
  Job *job = g_new0 (Job, 1);
  job->conn = conn ? conn_ref (conn) : NULL;
  return job;
}

static void
job_free (gpointer data)
{
  Job *job = data;
  if (job->frames && job->conn)
    {
      /* Dropped unsent (at shutdown): the lobby must not add to it any more. */
      g_mutex_lock (&job->conn->send_lock);
      if (job->conn->pending_send == job)
        job->conn->pending_send = NULL;
      g_mutex_unlock (&job->conn->send_lock);
    }
  g_clear_pointer (&job->frames, g_ptr_array_unref);
  if (job->conn)
    conn_unref (job->conn);
  g_clear_pointer (&job->msg, sc_message_free);
  g_free (job->text);
  g_free (job->address);
  g_free (job->ticket);
  g_free (job->code);
  if (job->http)
    {
      /* Dropped at shutdown: the shard's server is gone with it. */
      g_object_unref (job->http);
    }
  g_free (job);
}

static void shard_send (gpointer data);
static void shard_close (gpointer data);

/* ---- On the main thread: the lobby's side -------------------------------------------- */

/* One user's messages often come in bursts from one turn of the lobby: a partner who
 * pressed next makes "peer-left", "waiting" and "matched" for the other. They join the
 * send job already waiting in the shard's mailbox, and go out in one TCP segment
 * (shard_send): one transmission, and one wake-up and read at the other end, instead of
 * three. At saturation 38 % of the frames were such followers. */
static void
lobby_send (gpointer transport, const ScMessage *msg, gpointer data)
{
  ServerConn *conn = transport;
  char *text = sc_message_encode (msg);
  conn->server->messages_out++;

  g_mutex_lock (&conn->send_lock);
  Job *job = conn->pending_send;
  gboolean fresh = job == NULL;
  if (fresh)
    {
      job = job_new (conn);
      job->frames = g_ptr_array_new_with_free_func (g_free);
      conn->pending_send = job;
    }
  g_ptr_array_add (job->frames, text);
  g_mutex_unlock (&conn->send_lock);

  if (fresh)
    sc_mailbox_post (conn->shard->inbox, shard_send, job);
}

/* The lobby asks for a connection to be closed (abuse, a ban, a newer sign-in, a session
 * resumed on another connection) and has already let its user go: forget the user,
 * close with "policy violation". */
static void
lobby_close (gpointer transport, const char *reason, gpointer data)
{
  ServerConn *conn = transport;
  conn->user = NULL;
  Job *job = job_new (conn);
  job->text = g_strdup (reason);
  sc_mailbox_post (conn->shard->inbox, shard_close, job);
}

static void
main_connect (gpointer data)
{
  Job *job = data;
  ServerConn *conn = job->conn;
  /* The main thread's reference, until the socket's close has been handled. */
  conn_ref (conn);
  conn->user = sc_lobby_connect (conn->server->lobby, conn, job->address, job->ticket);
  job_free (job);
}

static void
main_receive (gpointer data)
{
  Job *job = data;
  ServerConn *conn = job->conn;
  ScServer *self = conn->server;
  if (conn->user)   /* else already lost: nothing it says counts */
    {
      self->messages_in++;
      if (job->msg)
        sc_lobby_receive (self->lobby, conn->user, job->msg);
      else
        sc_lobby_receive_bad (self->lobby, conn->user, job->code, job->text);
    }
  job_free (job);
}

/* A connection silent for too long is lost now: its session is detached at once (its
 * partner is told "lost" if it does not come back within the grace period); the
 * socket's own close follows and finds nothing left to do. */
static void
main_silent (gpointer data)
{
  Job *job = data;
  ServerConn *conn = job->conn;
  if (conn->user)
    {
      g_info ("%s silent for %u s: lost", sc_lobby_user_get_id (conn->user) ?
              sc_lobby_user_get_id (conn->user) : "a connection", conn->server->silence_timeout_s);
      sc_lobby_detach (conn->server->lobby, g_steal_pointer (&conn->user));
    }
  job_free (job);
}

static void
main_closed (gpointer data)
{
  Job *job = data;
  ServerConn *conn = job->conn;
  ScServer *self = conn->server;
  if (conn->user)
    {
      /* A close frame means the client meant to go, and a client that broke the
       * WebSocket protocol is sent away; anything else (no close frame: a killed
       * process, a dropped network) may come back within the grace period. */
      g_debug ("%s: connection closed with code %u", sc_lobby_user_get_id (conn->user)
               ? sc_lobby_user_get_id (conn->user) : "a connection", job->close_code);
      ScLobbyUser *user = g_steal_pointer (&conn->user);
      if (job->close_code == SC_WS_CLOSE_NORMAL ||
          job->close_code == SC_WS_CLOSE_GOING_AWAY || job->broke_protocol)
        sc_lobby_disconnect (self->lobby, user);
      else
        sc_lobby_detach (self->lobby, user);
    }
  conn_unref (conn);   /* the main thread's reference */
  job_free (job);
}

/* ---- On a shard: the sockets ----------------------------------------------------------- */

static void
shard_send (gpointer data)
{
  Job *job = data;
  ServerConn *conn = job->conn;
  /* From here on the lobby posts a new job for this socket. */
  g_mutex_lock (&conn->send_lock);
  if (conn->pending_send == job)
    conn->pending_send = NULL;
  g_mutex_unlock (&conn->send_lock);

  if (conn->ws)
    {
      /* A burst leaves in one write. */
      sc_websocket_send_texts (conn->ws, (const char *const *) job->frames->pdata,
                               job->frames->len);
    }
  job_free (job);
}

static void
shard_close (gpointer data)
{
  Job *job = data;
  if (job->conn->ws)
    sc_websocket_close (job->conn->ws, SC_WS_CLOSE_POLICY_VIOLATION, job->text);
  job_free (job);
}

static void
on_ws_message (ScWebsocket *ws, gboolean text, const guint8 *data, gsize len,
               gpointer user_data)
{
  ServerConn *conn = user_data;
  conn->last_heard_us = g_get_monotonic_time ();
  Job *job = job_new (conn);
  g_autoptr(GError) error = NULL;
  job->msg = sc_server_decode_ws_message (text, data, len, &error);
  if (job->msg == NULL)
    {
      g_debug ("bad message: %s", error->message);
      job->code = g_strdup (sc_protocol_error_code (error));
      job->text = g_strdup (error->message);
      /* Refused like any message over the rate (the lobby counts them against the
       * session's limits), and a client that sends nothing decodable is sent away. */
      if (++conn->bad_in_a_row >= SC_SERVER_MAX_BAD_MESSAGES)
        {
          g_atomic_int_inc (&conn->server->closed_bad_messages);
          conn->sent_away = TRUE;
          sc_websocket_close (ws, SC_WS_CLOSE_POLICY_VIOLATION, "nothing but undecodable messages");
        }
    }
  else
    conn->bad_in_a_row = 0;
  sc_mailbox_post (conn->server->inbox, main_receive, job);
}

ScMessage *
sc_server_decode_ws_message (gboolean text, const guint8 *data, gsize len, GError **error)
{
  if (!text)
    {
      g_set_error_literal (error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_MESSAGE,
                           "Messages are JSON text frames.");
      return NULL;
    }
  return sc_message_decode ((const char *) data, len, SC_FROM_CLIENT, error);
}

static void
on_ws_closed (ScWebsocket *ws, gushort code, gboolean broke_protocol, gpointer user_data)
{
  ServerConn *conn = user_data;
  Shard *shard = conn->shard;

  g_hash_table_remove (shard->conns, conn);
  g_atomic_int_dec_and_test (&conn->server->n_conns);
  Job *job = job_new (conn);
  job->close_code = code;
  job->broke_protocol = broke_protocol || conn->sent_away;   /* both: sent away */
  g_clear_pointer (&conn->ws, sc_websocket_free);
  sc_mailbox_post (conn->server->inbox, main_closed, job);
  conn_unref (conn);   /* the shard's reference */
}

static void
on_ws_heartbeat (ScWebsocket *ws, gpointer user_data)
{
  ServerConn *conn = user_data;
  conn->last_heard_us = g_get_monotonic_time ();
}

static const ScWebsocketCallbacks ws_callbacks = {
  .message = on_ws_message,
  .heartbeat = on_ws_heartbeat,
  .closed = on_ws_closed,
};

/* Once a second on each shard: its connections are pinged every ping_interval_s
 * (each on its own phase, from when it opened), and the silent ones reported and
 * closed. */
static gboolean
shard_tick (gpointer data)
{
  Shard *shard = data;
  gint64 now = g_get_monotonic_time ();
  gint64 limit = (gint64) shard->server->silence_timeout_s * G_USEC_PER_SEC;
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GPtrArray) silent = g_ptr_array_new ();

  sc_acceptor_tick (shard->acceptor, now);
  g_hash_table_iter_init (&iter, shard->conns);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ServerConn *conn = key;
      sc_websocket_tick (conn->ws, now);
      if (!sc_websocket_is_open (conn->ws))
        continue;
      if (now - conn->last_heard_us >= limit && !conn->silenced)
        g_ptr_array_add (silent, conn);
      else if (now >= conn->next_ping_us)
        {
          conn->next_ping_us += (gint64) shard->server->ping_interval_s * G_USEC_PER_SEC;
          sc_websocket_ping (conn->ws);
        }
    }
  for (guint i = 0; i < silent->len; i++)
    {
      ServerConn *conn = g_ptr_array_index (silent, i);
      conn->silenced = TRUE;
      sc_mailbox_post (shard->server->inbox, main_silent, job_new (conn));
      sc_websocket_close (conn->ws, SC_WS_CLOSE_GOING_AWAY, "silent");
    }
  return G_SOURCE_CONTINUE;
}

/* The lobby asks to be woken at @at_us (a cooldown ends then): the wake source is made
 * ready by then, or sooner if it already was. */
static void
lobby_wake_at (gint64 at_us, gpointer data)
{
  ScServer *self = data;
  gint64 ready = g_source_get_ready_time (self->lobby_wake);
  if (ready < 0 || at_us < ready)
    g_source_set_ready_time (self->lobby_wake, at_us);
}

static gboolean
lobby_wake_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  ScServer *self = data;
  g_source_set_ready_time (source, sc_lobby_wake (self->lobby));
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs lobby_wake_funcs = {
  .dispatch = lobby_wake_dispatch,
};

/* The lobby's own time-keeping, once a second on the main thread. */
static gboolean
tick (gpointer data)
{
  ScServer *self = data;
  sc_lobby_tick (self->lobby);
  return G_SOURCE_CONTINUE;
}

static char *
remote_address (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  if (remote && G_IS_INET_SOCKET_ADDRESS (remote))
    return g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  return NULL;
}

/* The 101 response is out: the connection is ours (sc-websocket.h says why not
 * libsoup's SoupWebsocketConnection). */
static void
websocket_upgraded (SoupServerMessage *msg, gpointer data)
{
  Shard *shard = data;
  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;
  sc_acceptor_upgraded (msg);
  /* Plain TCP is read and written on the socket itself, TLS through its streams. */
  GSocket *socket = shard->server->tls ? NULL : sc_acceptor_socket_of (msg);
  ServerConn *conn = g_new0 (ServerConn, 1);

  conn->ref = 1;   /* the shard's, until the socket closes */
  conn->server = shard->server;
  conn->shard = shard;
  g_mutex_init (&conn->send_lock);
  Job *job = job_new (conn);
  job->address = remote_address (msg);
  /* A reconnecting client opens the socket with a one-time ticket, never its token. */
  GUri *uri = soup_server_message_get_uri (msg);
  if (uri && g_uri_get_query (uri))
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                         G_URI_PARAMS_NONE, NULL);
      const char *value = params ? g_hash_table_lookup (params, "ticket") : NULL;
      if (value && strlen (value) <= 64)
        job->ticket = g_strdup (value);
    }

  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  conn->ws = sc_websocket_new (stream, socket, shard->poller, WS_MAX_PAYLOAD,
                               (gint64) shard->server->message_timeout_s * G_USEC_PER_SEC,
                               &ws_callbacks, conn);
  conn->last_heard_us = g_get_monotonic_time ();
  conn->next_ping_us = conn->last_heard_us + (gint64) conn->server->ping_interval_s * G_USEC_PER_SEC;
  g_hash_table_add (shard->conns, conn);
  g_atomic_int_inc (&shard->server->n_conns);
  sc_mailbox_post (shard->server->inbox, main_connect, job);
}

static void
count_header (const char *name, const char *value, gpointer data)
{
  if (g_ascii_strcasecmp (name, "Sec-WebSocket-Key") == 0)
    (*(guint *) data)++;
}

/* The WebSocket handshake is libsoup's: it answers 101, or 400 to a request that is
 * not one. Before it, what libsoup 3.2 lets through: a repeated Sec-WebSocket-Key
 * (RFC 6455 4.2.1: exactly one) gets 400, and so does another version than 13, with
 * the "Sec-WebSocket-Version: 13" header that says which one we speak (4.4). No
 * extensions are offered (each message is a few hundred bytes of JSON). */
static void
websocket_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
              gpointer data)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  const char *version = soup_message_headers_get_one (request, "Sec-WebSocket-Version");
  guint keys = 0;
  soup_message_headers_foreach (request, count_header, &keys);
  if (version && g_strcmp0 (version, "13") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Sec-WebSocket-Version", "13");
      return;
    }
  if (keys > 1)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  if (soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    g_signal_connect (msg, "wrote-informational", G_CALLBACK (websocket_upgraded), data);
}

/* ---- HTTP request bodies: none wanted ------------------------------------------------- */

/* No endpoint takes a body, but libsoup reads a request's body whole before any
 * handler runs (a 256 MiB body: 524 MiB at peak). A request that announces more than
 * SC_SERVER_MAX_REQUEST_BODY bytes, or a chunked one, is paused before its body is
 * read; then the connection is taken from libsoup, told 413, and closed. */
static gboolean
refuse_body (gpointer data)
{
  SoupServerMessage *msg = data;
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  if (stream)
    {
      static const char reply[] = "HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n"
                                  "Connection: close\r\n\r\n";
      GOutputStream *out = g_io_stream_get_output_stream (stream);
      if (G_IS_POLLABLE_OUTPUT_STREAM (out))
        g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (out), reply,
                                                    sizeof reply - 1, NULL, NULL);
      g_io_stream_close (stream, NULL, NULL);
    }
  return G_SOURCE_REMOVE;
}

static void
on_got_headers (SoupServerMessage *msg, gpointer data)
{
  Shard *shard = data;
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (request);
  if (encoding == SOUP_ENCODING_NONE ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_content_length (request) <= SC_SERVER_MAX_REQUEST_BODY))
    return;
  g_atomic_int_inc (&shard->server->http_bodies_refused);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_server_message_pause (msg);
  /* Not from inside libsoup's read: the connection is taken on the next turn. */
  GSource *idle = g_idle_source_new ();
  g_source_set_callback (idle, refuse_body, g_object_ref (msg), g_object_unref);
  g_source_attach (idle, shard->context);
  g_source_unref (idle);
}

static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, gpointer data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), data);
}

/* ---- HTTP: read on a shard, answered by the lobby's thread ---------------------------- */

/* On the shard: the answer goes out and the message resumes. */
static void
shard_http_reply (gpointer data)
{
  Job *job = data;
  soup_server_message_set_status (job->http, job->status, NULL);
  if (job->text)
    {
      gsize len = strlen (job->text);
      soup_server_message_set_response (job->http, job->content_type, SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&job->text), len);
    }
  soup_server_message_unpause (job->http);
  job_free (job);
}

static void
main_http (gpointer data)
{
  Job *job = data;
  job->handle (job->shard->server, job);
  sc_mailbox_post (job->shard->inbox, shard_http_reply, job);
}

/* Pauses @msg and has @handle fill in @job's status and body on the main thread. */
static void
http_to_main (Shard *shard, SoupServerMessage *msg, Job *job,
              void (*handle) (ScServer *self, gpointer job))
{
  job->shard = shard;
  job->http = g_object_ref (msg);
  job->handle = handle;
  soup_server_message_pause (msg);
  sc_mailbox_post (shard->server->inbox, main_http, job);
}

static void
set_json (Job *job, guint status, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
set_json (Job *job, guint status, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  job->text = g_strdup_vprintf (format, args);
  va_end (args);
  job->status = status;
  job->content_type = "application/json";
}

static void
handle_ticket (ScServer *self, gpointer data)
{
  Job *job = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *ticket = sc_lobby_issue_ticket (self->lobby, job->ticket + strlen ("Bearer "),
                                                   job->address, &error);
  if (ticket == NULL)
    {
      gboolean busy = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY);
      g_autofree char *quoted = g_strescape (error->message, NULL);
      set_json (job, busy ? 429 : SOUP_STATUS_UNAUTHORIZED, "{\"error\":\"%s\",\"message\":\"%s\"}\n",
                busy ? "rate-limited" : "bad-token", quoted);
      return;
    }
  /* The ticket is [A-Za-z0-9]: nothing to escape. */
  set_json (job, SOUP_STATUS_OK, "{\"ticket\":\"%s\",\"expires_in\":%d}\n", ticket,
            SC_TICKET_LIFETIME_S);
}

/* POST /session/ticket with "Authorization: Bearer TOKEN": a one-time ticket to open
 * the WebSocket with, so the long-lived token never appears in a URL (or a log). */
static void
ticket_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer data)
{
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  if (auth == NULL || !g_str_has_prefix (auth, "Bearer ") || strlen (auth) > 1024)
    {
      const char *body = "{\"error\":\"bad-token\",\"message\":\"Send Authorization: Bearer TOKEN.\"}\n";
      soup_server_message_set_status (msg, SOUP_STATUS_UNAUTHORIZED, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                        strlen (body));
      return;
    }
  Job *job = job_new (NULL);
  job->ticket = g_strdup (auth);   /* the Authorization header */
  job->address = remote_address (msg);
  http_to_main (data, msg, job, handle_ticket);
}

/* GET /metrics: Prometheus text format. */
static void
handle_metrics (ScServer *self, gpointer data)
{
  Job *job = data;
  const ScLobbyStats *st = sc_lobby_get_stats (self->lobby);
  ScConnLimitsStats conn_stats = { 0 };
  if (self->conn_limits)
    sc_conn_limits_get_stats (self->conn_limits, &conn_stats);
  GString *out = g_string_new (NULL);
  const struct { const char *name, *help, *type; guint64 value; } rows[] = {
    { "showcast_sessions", "Signed-in sessions, connected or in their grace period", "gauge",
      sc_lobby_get_n_users (self->lobby) },
    { "showcast_sessions_detached", "Sessions whose connection dropped, in their grace period",
      "gauge", sc_lobby_get_n_detached (self->lobby) },
    { "showcast_waiting", "Users waiting in the lobby", "gauge",
      sc_lobby_get_n_waiting (self->lobby) },
    { "showcast_pairs", "Active pairs", "gauge", sc_lobby_get_n_pairs (self->lobby) },
    { "showcast_connections", "Open WebSocket connections", "gauge",
      (guint64) g_atomic_int_get (&self->n_conns) },
    { "showcast_tcp_connections", "TCP connections held, WebSocket or not yet", "gauge",
      conn_stats.open },
    { "showcast_connections_refused_total", "Connections refused at accept: the server "
      "held --max-connections", "counter", conn_stats.refused_total },
    { "showcast_connections_refused_address_total", "Connections refused at accept: their "
      "address held --max-connections-per-address", "counter", conn_stats.refused_address },
    { "showcast_closed_bad_messages_total", "WebSockets closed after "
      G_STRINGIFY (SC_SERVER_MAX_BAD_MESSAGES) " undecodable messages in a row", "counter",
      (guint64) g_atomic_int_get (&self->closed_bad_messages) },
    { "showcast_http_bodies_refused_total", "HTTP requests refused (413) for a body",
      "counter", (guint64) g_atomic_int_get (&self->http_bodies_refused) },
    { "showcast_sign_ins_total", "Sessions started", "counter", st->sessions_signed_in },
    { "showcast_matches_total", "Pairs made", "counter", st->matches },
    { "showcast_pairs_ended_total", "Pairs ended", "counter", st->pairs_ended },
    { "showcast_nexts_total", "next messages", "counter", st->nexts },
    { "showcast_reports_total", "Reports", "counter", st->reports },
    { "showcast_bans_total", "Bans", "counter", st->bans },
    { "showcast_calls_failed_total", "Calls ended by call-failed", "counter", st->calls_failed },
    { "showcast_calls_failed_no_relay_total", "Calls ended by call-failed on a lobby with no "
      "TURN server (--turn-url) to hand out (a pair across nodes may count on both)", "counter",
      st->calls_failed_no_relay },
    { "showcast_resumed_total", "Sessions resumed within the grace period", "counter", st->resumed },
    { "showcast_grace_expired_total", "Sessions ended by the grace period", "counter",
      st->grace_expired },
    { "showcast_rate_limited_total", "Messages refused by a rate limit", "counter",
      st->rate_limited },
    { "showcast_cooldowns_total", "Skips over the next limit: the call ended at once, the "
      "return to matching waited", "counter", st->cooldowns },
    { "showcast_signalling_relayed_total", "Signalling messages relayed", "counter", st->relayed },
    { "showcast_signalling_dropped_total", "Signalling messages dropped (no such call)",
      "counter", st->dropped },
    { "showcast_messages_in_total", "Messages received", "counter", self->messages_in },
    { "showcast_messages_out_total", "Messages sent", "counter",
      self->messages_out },
    { "showcast_invariant_violations_total",
      "Lobby invariant violations found (checked with --check-invariants)", "counter",
      sc_lobby_get_invariant_violations (self->lobby) },
  };
  /* Every figure carries the node's name, so one Prometheus can scrape every node. */
  g_autofree char *node = g_strescape (self->node_name ? self->node_name : "", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n%s{node=\"%s\"} %" G_GUINT64_FORMAT "\n",
                            rows[i].name, rows[i].help, rows[i].name, rows[i].type,
                            rows[i].name, node, rows[i].value);
  g_string_append (out, "# HELP showcast_lobby_wait_seconds Time from entering the lobby to "
                        "being matched\n# TYPE showcast_lobby_wait_seconds histogram\n");
  guint64 cumulative = 0;
  for (guint b = 0; b <= SC_WAIT_BUCKETS; b++)
    {
      cumulative += st->wait_buckets[b];
      char bound[32];
      if (b < SC_WAIT_BUCKETS)
        g_ascii_dtostr (bound, sizeof bound, sc_lobby_wait_bounds[b]);
      else
        g_strlcpy (bound, "+Inf", sizeof bound);
      g_string_append_printf (out, "showcast_lobby_wait_seconds_bucket{node=\"%s\",le=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", node, bound, cumulative);
    }
  g_string_append (out, "# HELP showcast_matches_by_reason_total Pairs made by this node, by "
                        "why: a shared interest, else the language, else a fallback (one had "
                        "waited out --interest-wait), else anyone (neither gave either)\n"
                        "# TYPE showcast_matches_by_reason_total counter\n");
  for (guint r = 0; r < SC_MATCH_N_REASONS; r++)
    g_string_append_printf (out, "showcast_matches_by_reason_total{node=\"%s\",reason=\"%s\"} %"
                            G_GUINT64_FORMAT "\n", node, sc_match_reason_to_string (r),
                            st->matches_by_reason[r]);
  char sum[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (sum, sizeof sum, st->wait_sum_s);
  g_string_append_printf (out, "showcast_lobby_wait_seconds_sum{node=\"%s\"} %s\n"
                          "showcast_lobby_wait_seconds_count{node=\"%s\"} %" G_GUINT64_FORMAT "\n",
                          node, sum, node, st->wait_count);
  job->status = SOUP_STATUS_OK;
  job->content_type = "text/plain; version=0.0.4";
  job->text = g_string_free (out, FALSE);
}

static void
metrics_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  http_to_main (data, msg, job_new (NULL), handle_metrics);
}

static void
handle_healthz (ScServer *self, gpointer data)
{
  Job *job = data;
  job->content_type = "text/plain";
  if (self->redis && !sc_redis_is_connected (self->redis))
    {
      job->status = SOUP_STATUS_SERVICE_UNAVAILABLE;
      job->text = g_strdup ("redis unreachable\n");
      return;
    }
  job->status = SOUP_STATUS_OK;
  job->text = g_strdup (self->redis ? "ok redis\n" : "ok\n");
}

static void
healthz_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET &&
      soup_server_message_get_method (msg) != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  http_to_main (data, msg, job_new (NULL), handle_healthz);
}

gboolean
sc_parse_listen_address (const char *address, GSocketAddress **out, GError **error)
{
  g_autoptr(GSocketConnectable) parsed = g_network_address_parse (address, 0, error);
  if (parsed == NULL)
    return FALSE;

  const char *host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
  guint16 port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (host);
  if (inet == NULL || (port == 0 && !g_str_has_suffix (address, ":0")))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not ADDRESS:PORT with an IP address, such as 127.0.0.1:8080 "
                   "or [::1]:8080", address);
      return FALSE;
    }
  *out = g_inet_socket_address_new (inet, port);
  return TRUE;
}

/* With a certificate the server speaks only https:// and wss:// (TLS by GIO's backend,
 * glib-networking). */
gboolean
sc_server_set_tls (ScServer *self, const char *cert_file, const char *key_file, GError **error)
{
  g_autoptr(GTlsCertificate) cert = g_tls_certificate_new_from_files (cert_file, key_file, error);
  if (cert == NULL)
    return FALSE;
  g_set_object (&self->tls, cert);
  return TRUE;
}

void
sc_server_set_connection_limits (ScServer *self, guint max_total, guint max_per_address)
{
  g_return_if_fail (self->shards->len == 0);
  self->max_conns = max_total;
  self->max_conns_per_address = max_per_address;
}

void
sc_server_set_timeouts (ScServer *self, guint http_s, guint message_s)
{
  g_return_if_fail (self->shards->len == 0);
  self->http_timeout_s = MAX (http_s, 1);
  self->message_timeout_s = MAX (message_s, 1);
}

void
sc_server_set_heartbeat (ScServer *self, guint ping_s, guint silence_s)
{
  g_return_if_fail (self->shards->len == 0);
  self->ping_interval_s = MAX (ping_s, 1);
  self->silence_timeout_s = MAX (silence_s, self->ping_interval_s + 1);
}

void
sc_server_set_threads (ScServer *self, guint n)
{
  g_return_if_fail (self->shards->len == 0);
  self->n_threads = CLAMP (n, 1, SC_SERVER_MAX_THREADS);
}

static gpointer
shard_run (gpointer data)
{
  Shard *shard = data;
  g_main_context_push_thread_default (shard->context);
  g_main_loop_run (shard->loop);
  g_main_context_pop_thread_default (shard->context);
  return NULL;
}

/* A listening socket on @sockaddr shared with the other shards (SO_REUSEPORT), or
 * (@shared FALSE) a socket bound alone, to claim the port. */
static GSocket *
bound_socket (GSocketAddress *sockaddr, gboolean shared, GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (sockaddr),
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL ||
      !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEADDR, 1, error) ||
      !g_socket_set_option (socket, SOL_SOCKET, SO_REUSEPORT, shared, error))
    return NULL;
  /* bind(2) itself: g_socket_bind() turns SO_REUSEPORT off for stream sockets. */
  struct sockaddr_storage native;
  gssize len = g_socket_address_get_native_size (sockaddr);
  if (len < 0 || !g_socket_address_to_native (sockaddr, &native, sizeof native, error))
    return NULL;
  if (bind (g_socket_get_fd (socket), (struct sockaddr *) &native, (socklen_t) len) != 0)
    {
      int saved = errno;
      g_autofree char *where = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (sockaddr));
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "Error binding to address %s: %s", where, g_strerror (saved));
      return NULL;
    }
  /* GIO's default backlog is 10: a burst of (re)connections — thousands of clients
   * coming back after a restart — would lose SYNs and wait a second or more for the
   * retry. The kernel caps this at net.core.somaxconn. */
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (shared && !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

/* A shard with a thread of its own, or (@inline) one on the main context: one thread
 * for everything, as cheap per message as it gets, for a node with few connections. */
static Shard *
shard_new (ScServer *self, guint index, GSocket *socket, gboolean inline_, GError **error)
{
  g_autoptr(GMainContext) context = inline_ ? g_main_context_ref_thread_default ()
                                            : g_main_context_new ();
  ScPoller *poller = sc_poller_new (context, error);
  if (poller == NULL)
    return NULL;
  Shard *shard = g_new0 (Shard, 1);
  shard->server = self;
  shard->index = index;
  shard->context = g_steal_pointer (&context);
  shard->poller = poller;
  shard->loop = g_main_loop_new (shard->context, FALSE);
  shard->conns = g_hash_table_new (NULL, NULL);
  shard->inbox = sc_mailbox_new (shard->context);

  /* The server's sources go to the shard's context: it is the thread default while
   * they are made, and in the shard's thread. */
  g_main_context_push_thread_default (shard->context);
  shard->soup = soup_server_new ("server-header", "showcast-server/" PACKAGE_VERSION, NULL);
  g_signal_connect (shard->soup, "request-started", G_CALLBACK (on_request_started), shard);
  soup_server_add_handler (shard->soup, "/healthz", healthz_cb, shard, NULL);
  soup_server_add_handler (shard->soup, SC_SERVER_TICKET_PATH, ticket_cb, shard, NULL);
  soup_server_add_handler (shard->soup, "/metrics", metrics_cb, shard, NULL);
  soup_server_add_handler (shard->soup, SC_SERVER_WS_PATH, websocket_cb, shard, NULL);
  /* Everything else: the web page (the longest matching path wins, so not the above). */
  soup_server_add_handler (shard->soup, "/", sc_web_handle, NULL, NULL);
  shard->acceptor = sc_acceptor_new (socket, shard->soup, self->tls, shard->context,
                                     self->conn_limits, self->http_timeout_s);
  shard->tick = g_timeout_source_new_seconds (1);
  g_source_set_callback (shard->tick, shard_tick, shard, NULL);
  g_source_attach (shard->tick, shard->context);
  g_main_context_pop_thread_default (shard->context);
  g_ptr_array_add (self->shards, shard);   /* freed by dispose */

  if (!inline_)
    {
      g_autofree char *name = g_strdup_printf ("conn-%u", index);
      shard->thread = g_thread_new (name, shard_run, shard);
    }
  return shard;
}

gboolean
sc_server_listen (ScServer *self, const char *address, GError **error)
{
  g_return_val_if_fail (self->shards->len == 0, FALSE);
  g_autoptr(GSocketAddress) sockaddr = NULL;
  if (!sc_parse_listen_address (address, &sockaddr, error))
    return FALSE;
  /* SO_REUSEPORT would also let a second showcast-server share the port and silently
   * take half the connections: the port is first claimed by a socket of our own
   * without it, which fails as any listener would if the port is in use (and, for
   * port 0, learns which port the shards take). */
  g_autoptr(GSocket) claim = bound_socket (sockaddr, FALSE, error);
  if (claim == NULL)
    return FALSE;
  g_clear_object (&sockaddr);
  sockaddr = g_socket_get_local_address (claim, error);
  if (sockaddr == NULL)
    return FALSE;
  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (sockaddr));
  g_socket_close (claim, NULL);
  self->conn_limits = sc_conn_limits_new (self->max_conns, self->max_conns_per_address);
  for (guint i = 0; i < self->n_threads; i++)
    {
      g_autoptr(GSocket) socket = bound_socket (sockaddr, TRUE, error);
      if (socket == NULL)
        return FALSE;
      if (shard_new (self, i, socket, self->n_threads == 1, error) == NULL)
        return FALSE;
    }
  return TRUE;
}

guint
sc_server_get_port (ScServer *self)
{
  return self->port;
}

ScLobby *
sc_server_get_lobby (ScServer *self)
{
  return self->lobby;
}

/* Stops every shard, then lets every session go, on the calling (main) thread. */
static void
stop_shards (ScServer *self)
{
  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);
      if (shard->thread)
        {
          g_main_loop_quit (shard->loop);
          g_thread_join (g_steal_pointer (&shard->thread));
        }
    }
  /* What the shards said last is heard (connections opened and closed)... */
  sc_mailbox_run_pending (self->inbox);
  /* ...then every connection still open ends its session. */
  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);
      GHashTableIter iter;
      gpointer key;
      g_hash_table_iter_init (&iter, shard->conns);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          ServerConn *conn = key;
          g_clear_pointer (&conn->ws, sc_websocket_free);
          if (conn->user)
            sc_lobby_disconnect (self->lobby, g_steal_pointer (&conn->user));
          g_hash_table_iter_remove (&iter);
          conn_unref (conn);   /* the main thread's */
          conn_unref (conn);   /* the shard's */
        }
    }
  for (guint i = 0; i < self->shards->len; i++)
    {
      Shard *shard = g_ptr_array_index (self->shards, i);
      sc_mailbox_free (shard->inbox, job_free);   /* unsent messages */
      shard->inbox = NULL;
      g_clear_pointer (&shard->acceptor, sc_acceptor_free);
      if (shard->soup)
        soup_server_disconnect (shard->soup);
    }
}

static void
shard_free (gpointer data)
{
  Shard *shard = data;
  g_warn_if_fail (shard->thread == NULL);
  sc_mailbox_free (shard->inbox, job_free);
  g_clear_pointer (&shard->acceptor, sc_acceptor_free);
  g_clear_object (&shard->soup);
  if (shard->tick)
    {
      g_source_destroy (shard->tick);
      g_source_unref (shard->tick);
    }
  g_hash_table_unref (shard->conns);
  sc_poller_free (shard->poller);
  g_main_loop_unref (shard->loop);
  g_main_context_unref (shard->context);
  g_free (shard);
}

static void
sc_server_dispose (GObject *object)
{
  ScServer *self = SC_SERVER (object);

  g_clear_handle_id (&self->silence_check, g_source_remove);
  if (self->lobby_wake)
    {
      g_source_destroy (self->lobby_wake);
      g_clear_pointer (&self->lobby_wake, g_source_unref);
    }
  if (self->inbox)
    {
      stop_shards (self);
      g_ptr_array_set_size (self->shards, 0);
      sc_mailbox_free (self->inbox, job_free);
      self->inbox = NULL;
    }
  g_clear_object (&self->lobby);
  g_clear_object (&self->redis);
  g_clear_object (&self->tls);
  G_OBJECT_CLASS (sc_server_parent_class)->dispose (object);
}

void
sc_server_set_redis (ScServer *self, ScRedis *redis)
{
  g_set_object (&self->redis, redis);
}

void
sc_server_set_node_name (ScServer *self, const char *name)
{
  g_free (self->node_name);
  self->node_name = g_strdup (name);
}

const char *
sc_server_get_node_name (ScServer *self)
{
  return self->node_name;
}

static void
sc_server_finalize (GObject *object)
{
  ScServer *self = SC_SERVER (object);
  g_free (self->node_name);
  g_ptr_array_unref (self->shards);
  g_clear_pointer (&self->conn_limits, sc_conn_limits_unref);
  G_OBJECT_CLASS (sc_server_parent_class)->finalize (object);
}

static void
sc_server_class_init (ScServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_server_dispose;
  object_class->finalize = sc_server_finalize;
}

static void
sc_server_init (ScServer *self)
{
  self->shards = g_ptr_array_new_with_free_func (shard_free);
  self->n_threads = 1;
  self->silence_timeout_s = SC_SERVER_SILENCE_TIMEOUT_S;
  self->ping_interval_s = SC_SERVER_PING_INTERVAL_S;
  self->max_conns_per_address = SC_SERVER_MAX_CONNS_PER_ADDRESS;
  self->http_timeout_s = SC_SERVER_HTTP_TIMEOUT_S;
  self->message_timeout_s = SC_SERVER_MESSAGE_TIMEOUT_S;
  self->inbox = sc_mailbox_new (NULL);
  self->silence_check = g_timeout_add_seconds (1, tick, self);
}

ScServer *
sc_server_new (ScMatcher *matcher)
{
  ScServer *self = g_object_new (SC_TYPE_SERVER, NULL);
  self->lobby = sc_lobby_new (matcher, lobby_send, self);
  sc_lobby_set_close_func (self->lobby, lobby_close, self);
  /* The lobby's clock is the monotonic clock, as a source's ready time is. */
  self->lobby_wake = g_source_new (&lobby_wake_funcs, sizeof (GSource));
  g_source_set_static_name (self->lobby_wake, "showcast lobby wake");
  g_source_set_callback (self->lobby_wake, NULL, self, NULL);
  g_source_attach (self->lobby_wake, NULL);
  sc_lobby_set_wake_func (self->lobby, lobby_wake_at, self);
  return self;
}
