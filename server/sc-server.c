/* sc-server.c: see sc-server.h.
 *
 * One ServerConn per WebSocket. Its lifetime is the socket's: created in the WebSocket
 * handler, freed when the socket closes, after the lobby has been told. Nothing here
 * knows the lobby's rules; nothing in the lobby knows about sockets.
 */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "sc-server.h"

/* Hard cap enforced by libsoup: a larger frame closes the socket (1009). Messages under
 * it but over the protocol's limits get an error message back instead. */
#define WS_MAX_PAYLOAD (SC_MSG_SDP_MAX_BYTES + 4096)

/* Heartbeats: the server pings every PING_INTERVAL_S; a connection from which nothing
 * came (no message, no pong) for SILENCE_TIMEOUT_S is lost. libsoup 3.2 sends the pings
 * but has no pong timeout, so the silence is measured here. */
#define PING_INTERVAL_S 5
#define SILENCE_TIMEOUT_S 15

struct _ScServer
{
  GObject parent_instance;

  SoupServer *soup;
  ScLobby *lobby;
  GHashTable *conns;   /* ServerConn set */
  gboolean tls;
  guint silence_check;
  guint silence_timeout_s;
  guint64 messages_in;
  guint64 messages_out;
  char *node_name;
  ScRedis *redis;          /* NULL: a node alone */
};

G_DEFINE_FINAL_TYPE (ScServer, sc_server, G_TYPE_OBJECT)

typedef struct
{
  ScServer *server;
  SoupWebsocketConnection *ws;
  ScLobbyUser *user;
  gint64 last_heard_us;
  gboolean broke_protocol;   /* libsoup closed it for a bad frame (too big, unmasked…) */
} ServerConn;

static void
lobby_send (gpointer transport, const ScMessage *msg, gpointer data)
{
  ServerConn *conn = transport;
  if (soup_websocket_connection_get_state (conn->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  g_autofree char *text = sc_message_encode (msg);
  soup_websocket_connection_send_text (conn->ws, text);
  conn->server->messages_out++;
}

/* The lobby asks for a connection to be closed (abuse, a ban, a newer sign-in, a session
 * resumed on another connection) and has already let its user go: forget the user,
 * close with "policy violation". */
static void
lobby_close (gpointer transport, const char *reason, gpointer data)
{
  ServerConn *conn = transport;
  conn->user = NULL;
  if (soup_websocket_connection_get_state (conn->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (conn->ws, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, reason);
}

static void
on_ws_message (SoupWebsocketConnection *ws, gint type, GBytes *bytes, gpointer data)
{
  ServerConn *conn = data;
  ScLobby *lobby = conn->server->lobby;

  conn->last_heard_us = g_get_monotonic_time ();
  if (conn->user == NULL)
    return;   /* already lost: nothing it says counts */
  conn->server->messages_in++;
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      sc_lobby_send_error (lobby, conn->user, "bad-message", "Messages are JSON text frames.");
      return;
    }

  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) error = NULL;
  g_autoptr(ScMessage) msg = sc_message_decode (text, len, SC_FROM_CLIENT, &error);
  if (msg == NULL)
    {
      g_debug ("bad message from %s: %s", sc_lobby_user_get_id (conn->user), error->message);
      sc_lobby_send_error (lobby, conn->user, sc_protocol_error_code (error), error->message);
      return;
    }
  sc_lobby_receive (lobby, conn->user, msg);
}

static void
on_ws_closed (SoupWebsocketConnection *ws, gpointer data)
{
  ServerConn *conn = data;
  ScServer *self = conn->server;

  g_signal_handlers_disconnect_by_data (ws, conn);
  g_hash_table_remove (self->conns, conn);
  if (conn->user)
    {
      /* A close frame means the client meant to go, and a client that broke the
       * WebSocket protocol is sent away; anything else (no close frame: a killed
       * process, a dropped network) may come back within the grace period. */
      gushort code = soup_websocket_connection_get_close_code (ws);
      g_debug ("%s: connection closed with code %u", sc_lobby_user_get_id (conn->user)
               ? sc_lobby_user_get_id (conn->user) : "a connection", code);
      if (code == SOUP_WEBSOCKET_CLOSE_NORMAL || code == SOUP_WEBSOCKET_CLOSE_GOING_AWAY ||
          conn->broke_protocol)
        sc_lobby_disconnect (self->lobby, conn->user);
      else
        sc_lobby_detach (self->lobby, conn->user);
    }
  g_object_unref (conn->ws);
  g_free (conn);
}

static void
on_ws_pong (SoupWebsocketConnection *ws, GBytes *payload, gpointer data)
{
  ServerConn *conn = data;
  conn->last_heard_us = g_get_monotonic_time ();
}

/* Once a second: a connection silent for too long is lost now. Its session is detached
 * at once (its partner is told "lost" if it does not come back within the grace period);
 * the socket's own close follows and finds nothing left to do. Then the lobby's own
 * time-keeping. */
static gboolean
tick (gpointer data)
{
  ScServer *self = data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      ServerConn *conn = key;
      if (now - conn->last_heard_us < (gint64) self->silence_timeout_s * G_USEC_PER_SEC)
        continue;
      if (conn->user == NULL ||
          soup_websocket_connection_get_state (conn->ws) != SOUP_WEBSOCKET_STATE_OPEN)
        continue;
      g_info ("%s silent for %u s: lost", sc_lobby_user_get_id (conn->user) ?
              sc_lobby_user_get_id (conn->user) : "a connection", self->silence_timeout_s);
      sc_lobby_detach (self->lobby, g_steal_pointer (&conn->user));
      soup_websocket_connection_close (conn->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "silent");
    }
  sc_lobby_tick (self->lobby);
  return G_SOURCE_CONTINUE;
}

static void
on_ws_error (SoupWebsocketConnection *ws, GError *error, gpointer data)
{
  ServerConn *conn = data;
  g_debug ("WebSocket error: %s", error->message);
  if (error->domain == SOUP_WEBSOCKET_ERROR)
    conn->broke_protocol = TRUE;
}

static void
websocket_cb (SoupServer *soup, SoupServerMessage *msg, const char *path,
              SoupWebsocketConnection *ws, gpointer data)
{
  ScServer *self = data;
  ServerConn *conn = g_new0 (ServerConn, 1);

  conn->server = self;
  conn->ws = g_object_ref (ws);
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autofree char *address = NULL;
  if (remote && G_IS_INET_SOCKET_ADDRESS (remote))
    address = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  /* A reconnecting client opens the socket with a one-time ticket, never its token. */
  g_autofree char *ticket = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  if (uri && g_uri_get_query (uri))
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                         G_URI_PARAMS_NONE, NULL);
      const char *value = params ? g_hash_table_lookup (params, "ticket") : NULL;
      if (value && strlen (value) <= 64)
        ticket = g_strdup (value);
    }

  conn->last_heard_us = g_get_monotonic_time ();
  g_hash_table_add (self->conns, conn);
  soup_websocket_connection_set_max_incoming_payload_size (ws, WS_MAX_PAYLOAD);
  conn->user = sc_lobby_connect (self->lobby, conn, address, ticket);

  soup_websocket_connection_set_keepalive_interval (ws, PING_INTERVAL_S);
  g_signal_connect (ws, "pong", G_CALLBACK (on_ws_pong), conn);
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), conn);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), conn);
  g_signal_connect (ws, "error", G_CALLBACK (on_ws_error), conn);
}

static void
respond_json (SoupServerMessage *msg, guint status, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
respond_json (SoupServerMessage *msg, guint status, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  char *body = g_strdup_vprintf (format, args);
  va_end (args);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, body,
                                    strlen (body));
}

/* POST /session/ticket with "Authorization: Bearer TOKEN": a one-time ticket to open
 * the WebSocket with, so the long-lived token never appears in a URL (or a log). */
static void
ticket_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer data)
{
  ScServer *self = data;
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  if (auth == NULL || !g_str_has_prefix (auth, "Bearer ") || strlen (auth) > 1024)
    {
      respond_json (msg, SOUP_STATUS_UNAUTHORIZED,
                    "{\"error\":\"bad-token\",\"message\":\"Send Authorization: Bearer TOKEN.\"}\n");
      return;
    }
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  g_autofree char *address = NULL;
  if (remote && G_IS_INET_SOCKET_ADDRESS (remote))
    address = g_inet_address_to_string (
      g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  g_autoptr(GError) error = NULL;
  g_autofree char *ticket = sc_lobby_issue_ticket (self->lobby, auth + strlen ("Bearer "),
                                                   address, &error);
  if (ticket == NULL)
    {
      gboolean busy = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BUSY);
      g_autofree char *quoted = g_strescape (error->message, NULL);
      respond_json (msg, busy ? 429 : SOUP_STATUS_UNAUTHORIZED,
                    "{\"error\":\"%s\",\"message\":\"%s\"}\n",
                    busy ? "rate-limited" : "bad-token", quoted);
      return;
    }
  /* The ticket is [A-Za-z0-9]: nothing to escape. */
  respond_json (msg, SOUP_STATUS_OK, "{\"ticket\":\"%s\",\"expires_in\":%d}\n", ticket,
                SC_TICKET_LIFETIME_S);
}

/* GET /metrics: Prometheus text format. */
static void
metrics_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer data)
{
  ScServer *self = data;
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  const ScLobbyStats *st = sc_lobby_get_stats (self->lobby);
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
      g_hash_table_size (self->conns) },
    { "showcast_sign_ins_total", "Sessions started", "counter", st->sessions_signed_in },
    { "showcast_matches_total", "Pairs made", "counter", st->matches },
    { "showcast_pairs_ended_total", "Pairs ended", "counter", st->pairs_ended },
    { "showcast_nexts_total", "next messages", "counter", st->nexts },
    { "showcast_reports_total", "Reports", "counter", st->reports },
    { "showcast_bans_total", "Bans", "counter", st->bans },
    { "showcast_calls_failed_total", "Calls ended by call-failed", "counter", st->calls_failed },
    { "showcast_resumed_total", "Sessions resumed within the grace period", "counter", st->resumed },
    { "showcast_grace_expired_total", "Sessions ended by the grace period", "counter",
      st->grace_expired },
    { "showcast_rate_limited_total", "Messages refused by a rate limit", "counter",
      st->rate_limited },
    { "showcast_signalling_relayed_total", "Signalling messages relayed", "counter", st->relayed },
    { "showcast_signalling_dropped_total", "Signalling messages dropped (no such call)",
      "counter", st->dropped },
    { "showcast_messages_in_total", "Messages received", "counter", self->messages_in },
    { "showcast_messages_out_total", "Messages sent", "counter", self->messages_out },
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
  char sum[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_dtostr (sum, sizeof sum, st->wait_sum_s);
  g_string_append_printf (out, "showcast_lobby_wait_seconds_sum{node=\"%s\"} %s\n"
                          "showcast_lobby_wait_seconds_count{node=\"%s\"} %" G_GUINT64_FORMAT "\n",
                          node, sum, node, st->wait_count);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  gsize len = out->len;
  soup_server_message_set_response (msg, "text/plain; version=0.0.4", SOUP_MEMORY_TAKE,
                                    g_string_free (out, FALSE), len);
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
  ScServer *self = data;
  if (self->redis && !sc_redis_is_connected (self->redis))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC,
                                        "redis unreachable\n", 18);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (self->redis)
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok redis\n", 9);
  else
    soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok\n", 3);
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
  g_object_set (self->soup, "tls-certificate", cert, NULL);
  self->tls = TRUE;
  return TRUE;
}

gboolean
sc_server_listen (ScServer *self, const char *address, GError **error)
{
  g_autoptr(GSocketAddress) sockaddr = NULL;
  if (!sc_parse_listen_address (address, &sockaddr, error))
    return FALSE;
  return soup_server_listen (self->soup, sockaddr, self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

guint
sc_server_get_port (ScServer *self)
{
  GSList *listeners = soup_server_get_listeners (self->soup);
  guint port = 0;
  if (listeners)
    {
      g_autoptr(GSocketAddress) addr = g_socket_get_local_address (listeners->data, NULL);
      if (addr)
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (addr));
    }
  g_slist_free (listeners);
  return port;
}

ScLobby *
sc_server_get_lobby (ScServer *self)
{
  return self->lobby;
}

void
sc_server_set_ban_policy (ScServer *self, guint reports, guint seconds)
{
  sc_lobby_set_ban_policy (self->lobby, reports, seconds);
}

void
sc_server_set_allow_guests (ScServer *self, gboolean allow)
{
  sc_lobby_set_allow_guests (self->lobby, allow);
}

void
sc_server_set_ice_servers (ScServer *self, GPtrArray *servers)
{
  sc_lobby_set_ice_servers (self->lobby, servers);
}

static void
sc_server_dispose (GObject *object)
{
  ScServer *self = SC_SERVER (object);
  GHashTableIter iter;
  gpointer conn;

  g_clear_handle_id (&self->silence_check, g_source_remove);
  if (self->soup)
    soup_server_disconnect (self->soup);
  g_hash_table_iter_init (&iter, self->conns);
  while (g_hash_table_iter_next (&iter, &conn, NULL))
    {
      ServerConn *c = conn;
      g_signal_handlers_disconnect_by_data (c->ws, c);
      if (c->user)
        sc_lobby_disconnect (self->lobby, c->user);
      g_object_unref (c->ws);
      g_free (c);
      g_hash_table_iter_remove (&iter);
    }
  g_clear_object (&self->soup);
  g_clear_object (&self->lobby);
  g_clear_object (&self->redis);
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
  g_free (SC_SERVER (object)->node_name);
  g_hash_table_unref (SC_SERVER (object)->conns);
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
  self->conns = g_hash_table_new (NULL, NULL);
  self->silence_timeout_s = SILENCE_TIMEOUT_S;
  self->silence_check = g_timeout_add_seconds (1, tick, self);
}

ScServer *
sc_server_new (ScMatcher *matcher)
{
  ScServer *self = g_object_new (SC_TYPE_SERVER, NULL);
  self->soup = soup_server_new ("server-header", "showcast-server/" PACKAGE_VERSION, NULL);
  self->lobby = sc_lobby_new (matcher, lobby_send, self);
  sc_lobby_set_close_func (self->lobby, lobby_close, self);
  soup_server_add_handler (self->soup, "/healthz", healthz_cb, self, NULL);
  soup_server_add_handler (self->soup, SC_SERVER_TICKET_PATH, ticket_cb, self, NULL);
  soup_server_add_handler (self->soup, "/metrics", metrics_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup, SC_SERVER_WS_PATH, NULL, NULL,
                                     websocket_cb, self, NULL);
  return self;
}
