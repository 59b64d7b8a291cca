/* sc-acceptor.c: accepts TCP connections for a SoupServer; see sc-acceptor.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-acceptor.h"

#include <gio/gnetworking.h>
#include <sys/socket.h>

/* Accepts taken in one turn of the loop: a burst of reconnections is let in quickly
 * without starving the connections already open. */
#define ACCEPTS_PER_TURN 64
/* After an accept fails for another reason than "none waiting" (out of descriptors,
 * mostly), the socket would stay readable and the loop spin: wait this long instead. */
#define PAUSE_MS 100

struct _ScAcceptor
{
  GSocket *listener;
  SoupServer *soup;
  GTlsCertificate *tls;
  GMainContext *context;
  GSource *watch;            /* readable listener; NULL while paused */
  GSource *pause;
  ScConnLimits *limits;
  gint64 deadline_us;
  GQueue pending;            /* of Pending, oldest first: connections not upgraded yet */
};

/* A connection that must be upgraded by @deadline_us. Weak: it may be gone by then. */
typedef struct
{
  GWeakRef socket;
  gint64 deadline_us;
} Pending;

/* The accepted GSocket rides on the remote address that libsoup keeps for the
 * connection, and goes when that does. */
static GQuark
socket_quark (void)
{
  return g_quark_from_static_string ("sc-acceptor-socket");
}

static GQuark
upgraded_quark (void)
{
  return g_quark_from_static_string ("sc-acceptor-upgraded");
}

void
sc_acceptor_upgraded (SoupServerMessage *msg)
{
  GSocket *socket = sc_acceptor_socket_of (msg);
  if (socket)
    g_object_set_qdata (G_OBJECT (socket), upgraded_quark (), GINT_TO_POINTER (TRUE));
}

static void
pending_free (gpointer data)
{
  Pending *pending = data;
  g_weak_ref_clear (&pending->socket);
  g_free (pending);
}

void
sc_acceptor_tick (ScAcceptor *self, gint64 now_us)
{
  Pending *pending;
  while ((pending = g_queue_peek_head (&self->pending)) && pending->deadline_us <= now_us)
    {
      g_queue_pop_head (&self->pending);
      g_autoptr(GSocket) socket = g_weak_ref_get (&pending->socket);
      if (socket && !g_object_get_qdata (G_OBJECT (socket), upgraded_quark ()))
        {
          /* Not closed under libsoup's feet (it owns the descriptor): shut down, so
           * that its next read or write fails and it lets the connection go. */
          g_debug ("connection not upgraded within its deadline: shut down");
          shutdown (g_socket_get_fd (socket), SHUT_RDWR);
        }
      pending_free (pending);
    }
}

/* Over a cap: told so on plain HTTP (503, come back later), then closed. */
static void
refuse (ScAcceptor *self, GSocket *socket)
{
  static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 10\r\n"
                             "Content-Length: 0\r\nConnection: close\r\n\r\n";
  if (self->tls == NULL)
    g_socket_send (socket, busy, sizeof busy - 1, NULL, NULL);
  g_socket_close (socket, NULL);
}

GSocket *
sc_acceptor_socket_of (SoupServerMessage *msg)
{
  GSocket *socket = soup_server_message_get_socket (msg);
  if (socket)
    return socket;
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  return remote ? g_object_get_qdata (G_OBJECT (remote), socket_quark ()) : NULL;
}

static void
hand_over (ScAcceptor *self, GSocket *socket)
{
  g_autoptr(GError) error = NULL;
  /* Small frames, sent at once (a burst of them leaves in one write: sc-websocket.c). */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, &error);
  g_autoptr(GSocketAddress) remote = local ? g_socket_get_remote_address (socket, &error) : NULL;
  if (remote == NULL)
    {
      /* Gone already (reset before we got to it). */
      g_debug ("accepted connection: %s", error->message);
      g_socket_close (socket, NULL);
      return;
    }
  g_autofree char *address = G_IS_INET_SOCKET_ADDRESS (remote)
    ? g_inet_address_to_string (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)))
    : NULL;
  if (!sc_conn_limits_admit (self->limits, socket, address))
    {
      g_debug ("connection from %s refused: at the cap", address ? address : "?");
      refuse (self, socket);
      return;
    }
  Pending *pending = g_new0 (Pending, 1);
  g_weak_ref_init (&pending->socket, socket);
  pending->deadline_us = g_get_monotonic_time () + self->deadline_us;
  g_queue_push_tail (&self->pending, pending);
  g_object_set_qdata_full (G_OBJECT (remote), socket_quark (), g_object_ref (socket),
                           g_object_unref);

  g_autoptr(GIOStream) stream = G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
  if (self->tls)
    {
      GIOStream *tls = g_tls_server_connection_new (stream, self->tls, &error);
      if (tls == NULL)
        {
          g_warning ("TLS for an accepted connection: %s", error->message);
          g_io_stream_close (stream, NULL, NULL);
          return;
        }
      /* As libsoup's own listener: a client may close without a TLS goodbye. */
      g_object_set (tls, "require-close-notify", FALSE, NULL);
      g_object_unref (stream);
      stream = tls;
    }
  if (!soup_server_accept_iostream (self->soup, stream, local, remote, &error))
    {
      g_debug ("accepted connection refused: %s", error->message);
      g_io_stream_close (stream, NULL, NULL);
    }
}

static void watch_listener (ScAcceptor *self);

static gboolean
on_pause_over (gpointer data)
{
  ScAcceptor *self = data;
  g_clear_pointer (&self->pause, g_source_unref);
  watch_listener (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_incoming (GSocket *listener, GIOCondition condition, gpointer data)
{
  ScAcceptor *self = data;
  for (guint i = 0; i < ACCEPTS_PER_TURN; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener, NULL, &error);
      if (socket)
        {
          hand_over (self, socket);
          continue;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      g_warning ("cannot accept a connection: %s; trying again in %d ms", error->message,
                 PAUSE_MS);
      g_clear_pointer (&self->watch, g_source_unref);
      self->pause = g_timeout_source_new (PAUSE_MS);
      g_source_set_callback (self->pause, on_pause_over, self, NULL);
      g_source_attach (self->pause, self->context);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
watch_listener (ScAcceptor *self)
{
  self->watch = g_socket_create_source (self->listener, G_IO_IN, NULL);
  g_source_set_callback (self->watch, G_SOURCE_FUNC (on_incoming), self, NULL);
  g_source_attach (self->watch, self->context);
}

ScAcceptor *
sc_acceptor_new (GSocket *listener, SoupServer *soup, GTlsCertificate *tls,
                 GMainContext *context, ScConnLimits *limits, guint deadline_s)
{
  ScAcceptor *self = g_new0 (ScAcceptor, 1);
  self->limits = sc_conn_limits_ref (limits);
  self->deadline_us = (gint64) deadline_s * G_USEC_PER_SEC;
  g_queue_init (&self->pending);
  self->listener = g_object_ref (listener);
  self->soup = g_object_ref (soup);
  self->tls = tls ? g_object_ref (tls) : NULL;
  self->context = g_main_context_ref (context);
  g_socket_set_blocking (listener, FALSE);
  watch_listener (self);
  return self;
}

static void
source_drop (GSource **source)
{
  if (*source)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void
sc_acceptor_free (ScAcceptor *self)
{
  if (self == NULL)
    return;
  source_drop (&self->watch);
  source_drop (&self->pause);
  g_socket_close (self->listener, NULL);
  g_object_unref (self->listener);
  g_object_unref (self->soup);
  g_clear_object (&self->tls);
  g_queue_clear_full (&self->pending, pending_free);
  sc_conn_limits_unref (self->limits);
  g_main_context_unref (self->context);
  g_free (self);
}
