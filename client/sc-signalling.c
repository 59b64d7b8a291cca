/* sc-signalling.c: see sc-signalling.h.
 *
 * Signals (main context): "message" (ScMessage *, valid during the emission) for every
 * well-formed message from the server; "protocol-error" (GError *) for a malformed one,
 * which is dropped; "closed" once, when the socket is gone for whatever reason.
 */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <libsoup/soup.h>

#include "sc-signalling.h"

#define WS_PATH "/ws"
#define WS_MAX_PAYLOAD (SC_MSG_SDP_MAX_BYTES + 4096)

struct _ScSignalling
{
  GObject parent_instance;

  char *url;
  SoupSession *session;
  SoupWebsocketConnection *ws;
  gboolean closed_emitted;
};

G_DEFINE_FINAL_TYPE (ScSignalling, sc_signalling, G_TYPE_OBJECT)

enum { SIG_MESSAGE, SIG_PROTOCOL_ERROR, SIG_CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

/**
 * sc_signalling_normalize_url:
 * Accepts ws:// and wss:// URLs; an empty path means the server's WebSocket path.
 */
char *
sc_signalling_normalize_url (const char *url, GError **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    return NULL;

  const char *scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "ws") != 0 && g_strcmp0 (scheme, "wss") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the server URL must start with ws:// or wss://, not “%s”", url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the server URL “%s” has no host", url);
      return NULL;
    }
  const char *path = g_uri_get_path (uri);
  if (path[0] == '\0' || g_str_equal (path, "/"))
    {
      g_autoptr(GUri) with_path = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL,
                                               g_uri_get_host (uri), g_uri_get_port (uri),
                                               WS_PATH, NULL, NULL);
      return g_uri_to_string (with_path);
    }
  return g_uri_to_string (uri);
}

static void
emit_closed (ScSignalling *self)
{
  if (self->closed_emitted)
    return;
  self->closed_emitted = TRUE;
  g_signal_emit (self, signals[SIG_CLOSED], 0);
}

static void
on_message (SoupWebsocketConnection *ws, gint type, GBytes *bytes, gpointer data)
{
  ScSignalling *self = data;
  gsize len;
  const char *text = g_bytes_get_data (bytes, &len);
  g_autoptr(GError) error = NULL;

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
  self->ws = ws;
  soup_websocket_connection_set_max_incoming_payload_size (ws, WS_MAX_PAYLOAD);
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

void
sc_signalling_connect_async (ScSignalling *self, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", self->url);
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
  if (self->ws)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->ws);
    }
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

  signals[SIG_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIG_PROTOCOL_ERROR] = g_signal_new ("protocol-error", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_ERROR);
  signals[SIG_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 0);
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
