/* sc-signalling.c: see sc-signalling.h.
 *
 * Signals (ScServerLink's, main context): "message" (ScMessage *, valid during the
 * emission) for every well-formed message from the server; "protocol-error" (GError *)
 * for a malformed one, which is dropped; "closed" once per connection, when its socket
 * is gone for whatever reason — including silence: the server pings every 5 s, the client pings too, and a
 * connection from which nothing came for 15 s is given up (a dead network path gives
 * no close at all).
 *
 * One object serves every connection of a client: connect again after "closed" (with a
 * ticket from sc_signalling_request_ticket_async to resume a session).
 */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "sc-signalling.h"
#include "sc-url.h"

#define WS_MAX_PAYLOAD (SC_MSG_SDP_MAX_BYTES + 4096)
#define PING_INTERVAL_S 5
#define SILENCE_TIMEOUT_S 15

struct _ScSignalling
{
  GObject parent_instance;

  char *url;
  SoupSession *session;
  SoupWebsocketConnection *ws;
  gboolean closed_emitted;
  gint64 last_heard_us;
  guint silence_check;
};

static void server_link_iface_init (ScServerLinkInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScSignalling, sc_signalling, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_SERVER_LINK, server_link_iface_init))

enum { SIG_MESSAGE, SIG_PROTOCOL_ERROR, SIG_CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
drop_ws (ScSignalling *self)
{
  g_clear_handle_id (&self->silence_check, g_source_remove);
  if (self->ws == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->ws, self);
  if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&self->ws);
}

static void
emit_closed (ScSignalling *self)
{
  if (self->closed_emitted)
    return;
  self->closed_emitted = TRUE;
  g_clear_handle_id (&self->silence_check, g_source_remove);
  g_signal_emit (self, signals[SIG_CLOSED], 0);
}

static gboolean
check_silence (gpointer data)
{
  ScSignalling *self = data;
  if (g_get_monotonic_time () - self->last_heard_us < SILENCE_TIMEOUT_S * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;
  g_info ("nothing from the server for %d s: the connection is given up", SILENCE_TIMEOUT_S);
  self->silence_check = 0;
  /* No close handshake over a dead path: forget the socket and say it is closed. */
  if (self->ws)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      g_clear_object (&self->ws);
    }
  emit_closed (self);
  return G_SOURCE_REMOVE;
}

static void
on_pong (SoupWebsocketConnection *ws, GBytes *payload, gpointer data)
{
  ScSignalling *self = data;
  self->last_heard_us = g_get_monotonic_time ();
}

static void
on_message (SoupWebsocketConnection *ws, gint type, GBytes *bytes, gpointer data)
{
  ScSignalling *self = data;
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) error = NULL;

  self->last_heard_us = g_get_monotonic_time ();
  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_set_error_literal (&error, SC_PROTOCOL_ERROR, SC_PROTOCOL_ERROR_BAD_MESSAGE,
                           "the server sent a binary frame");
      g_signal_emit (self, signals[SIG_PROTOCOL_ERROR], 0, error);
      return;
    }
  g_autoptr(ScMessage) msg = sc_message_decode (text, len, SC_FROM_SERVER, &error);
  if (msg == NULL)
    {
      g_signal_emit (self, signals[SIG_PROTOCOL_ERROR], 0, error);
      return;
    }
  g_signal_emit (self, signals[SIG_MESSAGE], 0, msg);
}

static void
on_closed (SoupWebsocketConnection *ws, gpointer data)
{
  ScSignalling *self = data;
  g_debug ("signalling closed (code %u)", soup_websocket_connection_get_close_code (ws));
  emit_closed (self);
}

static void
on_error (SoupWebsocketConnection *ws, GError *error, gpointer data)
{
  g_debug ("signalling error: %s", error->message);
}

static void
connected_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  ScSignalling *self = g_task_get_source_object (task);
  GError *error = NULL;

  SoupWebsocketConnection *ws = soup_session_websocket_connect_finish (SOUP_SESSION (source),
                                                                       result, &error);
  if (ws == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  drop_ws (self);
  self->ws = ws;
  self->closed_emitted = FALSE;
  self->last_heard_us = g_get_monotonic_time ();
  self->silence_check = g_timeout_add_seconds (1, check_silence, self);
  soup_websocket_connection_set_max_incoming_payload_size (ws, WS_MAX_PAYLOAD);
  soup_websocket_connection_set_keepalive_interval (ws, PING_INTERVAL_S);
  g_signal_connect (ws, "pong", G_CALLBACK (on_pong), self);
  g_signal_connect (ws, "message", G_CALLBACK (on_message), self);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (ws, "error", G_CALLBACK (on_error), self);
  g_task_return_boolean (task, TRUE);
}

/* Trust only the certificates in @ca_file instead of the system's. There is no way to
 * trust nothing: a certificate that does not verify is always refused. */
gboolean
sc_signalling_set_ca_file (ScSignalling *self, const char *ca_file, GError **error)
{
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (ca_file, error);
  if (database == NULL)
    return FALSE;
  g_object_set (self->session, "tls-database", database, NULL);
  return TRUE;
}

static void
ticket_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  SoupMessage *msg = g_task_get_task_data (task);
  GError *error = NULL;

  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  guint status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_new_error (task, SC_SERVER_LINK_ERROR, SC_SERVER_LINK_ERROR_BAD_TOKEN,
                               "the server does not know this session any more");
      return;
    }
  gsize len;
  const char *data_text = g_bytes_get_data (body, &len);
  char *ticket = status == SOUP_STATUS_OK ? sc_url_parse_ticket_reply (data_text, len) : NULL;
  if (ticket == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "the server gave no ticket (HTTP %u)", status);
      return;
    }
  g_task_return_pointer (task, ticket, g_free);
}

/**
 * sc_signalling_request_ticket_async:
 * Asks the server for a one-time ticket for the session of @token (POST
 * /session/ticket, the token in the Authorization header, never in a URL). Fails with
 * SC_SERVER_LINK_ERROR_BAD_TOKEN when the server no longer accepts the token.
 */
void
sc_signalling_request_ticket_async (ScSignalling *self, const char *token,
                                    GCancellable *cancellable, GAsyncReadyCallback callback,
                                    gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = sc_url_ticket_endpoint (self->url);
  SoupMessage *msg = url ? soup_message_new ("POST", url) : NULL;
  if (msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "cannot use the server URL “%s”", self->url);
      g_object_unref (task);
      return;
    }
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    ticket_cb, task);
}

char *
sc_signalling_request_ticket_finish (ScSignalling *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sc_signalling_connect_async (ScSignalling *self, const char *ticket, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *url = ticket ? sc_url_with_ticket (self->url, ticket) : NULL;
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url ? url : self->url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "cannot use the server URL “%s”", self->url);
      g_object_unref (task);
      return;
    }
  soup_session_websocket_connect_async (self->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, connected_cb, task);
}

gboolean
sc_signalling_connect_finish (ScSignalling *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
sc_signalling_is_open (ScSignalling *self)
{
  return self->ws && soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

void
sc_signalling_send (ScSignalling *self, const ScMessage *msg)
{
  if (!sc_signalling_is_open (self))
    {
      g_debug ("not sent (%s): the connection is not open", sc_message_type_to_string (msg->type));
      return;
    }
  g_autofree char *text = sc_message_encode (msg);
  soup_websocket_connection_send_text (self->ws, text);
}

/* A normal close (1000). "closed" follows when the server has answered, or when the
 * socket is gone. */
void
sc_signalling_close (ScSignalling *self)
{
  if (sc_signalling_is_open (self))
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  else
    emit_closed (self);
}

static void
sc_signalling_dispose (GObject *object)
{
  ScSignalling *self = SC_SIGNALLING (object);
  drop_ws (self);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (sc_signalling_parent_class)->dispose (object);
}

static void
sc_signalling_finalize (GObject *object)
{
  g_free (SC_SIGNALLING (object)->url);
  G_OBJECT_CLASS (sc_signalling_parent_class)->finalize (object);
}

static void
sc_signalling_class_init (ScSignallingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_signalling_dispose;
  object_class->finalize = sc_signalling_finalize;

  /* The signals are ScServerLink's (sc-server-link.h); same order. */
  for (guint i = 0; i < N_SIGNALS; i++)
    signals[i] = sc_server_link_signal_id ((ScServerLinkSignal) i);
}

static void
sc_signalling_init (ScSignalling *self)
{
}

ScSignalling *
sc_signalling_new (const char *url)
{
  ScSignalling *self = g_object_new (SC_TYPE_SIGNALLING, NULL);
  self->url = g_strdup (url);
  self->session = soup_session_new_with_options ("user-agent", "showcast/" PACKAGE_VERSION, NULL);
  return self;
}

/* ScServerLink: the client core talks to the server through the interface. */
static void
link_request_ticket_async (ScServerLink *link, const char *token, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  sc_signalling_request_ticket_async (SC_SIGNALLING (link), token, cancellable, callback,
                                      user_data);
}

static char *
link_request_ticket_finish (ScServerLink *link, GAsyncResult *result, GError **error)
{
  return sc_signalling_request_ticket_finish (SC_SIGNALLING (link), result, error);
}

static void
link_connect_async (ScServerLink *link, const char *ticket, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  sc_signalling_connect_async (SC_SIGNALLING (link), ticket, cancellable, callback, user_data);
}

static gboolean
link_connect_finish (ScServerLink *link, GAsyncResult *result, GError **error)
{
  return sc_signalling_connect_finish (SC_SIGNALLING (link), result, error);
}

static gboolean
link_is_open (ScServerLink *link)
{
  return sc_signalling_is_open (SC_SIGNALLING (link));
}

static void
link_send (ScServerLink *link, const ScMessage *msg)
{
  sc_signalling_send (SC_SIGNALLING (link), msg);
}

static void
link_close (ScServerLink *link)
{
  sc_signalling_close (SC_SIGNALLING (link));
}

static void
server_link_iface_init (ScServerLinkInterface *iface)
{
  iface->request_ticket_async = link_request_ticket_async;
  iface->request_ticket_finish = link_request_ticket_finish;
  iface->connect_async = link_connect_async;
  iface->connect_finish = link_connect_finish;
  iface->is_open = link_is_open;
  iface->send = link_send;
  iface->close = link_close;
}
