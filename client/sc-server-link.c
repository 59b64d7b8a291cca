/* sc-server-link.c: the ScServerLink interface: its signals and dispatch. */
#include "sc-server-link.h"

G_DEFINE_QUARK (sc-server-link-error-quark, sc_server_link_error)

G_DEFINE_INTERFACE (ScServerLink, sc_server_link, G_TYPE_OBJECT)

static guint link_signals[SC_SERVER_LINK_N_SIGNALS];

static void
sc_server_link_default_init (ScServerLinkInterface *iface)
{
  GType type = G_TYPE_FROM_INTERFACE (iface);
  /* (const ScMessage *), valid during the emission */
  link_signals[SC_SERVER_LINK_SIG_MESSAGE] =
    g_signal_new ("message", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
  link_signals[SC_SERVER_LINK_SIG_PROTOCOL_ERROR] =
    g_signal_new ("protocol-error", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
  link_signals[SC_SERVER_LINK_SIG_CLOSED] =
    g_signal_new ("closed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

guint
sc_server_link_signal_id (ScServerLinkSignal signal)
{
  g_return_val_if_fail (signal < SC_SERVER_LINK_N_SIGNALS, 0);
  /* Implementations ask from their class_init: make sure the signals exist. */
  gpointer iface = g_type_default_interface_ref (SC_TYPE_SERVER_LINK);
  g_type_default_interface_unref (iface);
  return link_signals[signal];
}

#define IFACE(self) SC_SERVER_LINK_GET_IFACE (self)

void
sc_server_link_request_ticket_async (ScServerLink *self, const char *token,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  g_return_if_fail (SC_IS_SERVER_LINK (self));
  IFACE (self)->request_ticket_async (self, token, cancellable, callback, user_data);
}

char *
sc_server_link_request_ticket_finish (ScServerLink *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SC_IS_SERVER_LINK (self), NULL);
  return IFACE (self)->request_ticket_finish (self, result, error);
}

void
sc_server_link_connect_async (ScServerLink *self, const char *ticket, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (SC_IS_SERVER_LINK (self));
  IFACE (self)->connect_async (self, ticket, cancellable, callback, user_data);
}

gboolean
sc_server_link_connect_finish (ScServerLink *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (SC_IS_SERVER_LINK (self), FALSE);
  return IFACE (self)->connect_finish (self, result, error);
}

gboolean
sc_server_link_is_open (ScServerLink *self)
{
  g_return_val_if_fail (SC_IS_SERVER_LINK (self), FALSE);
  return IFACE (self)->is_open (self);
}

void
sc_server_link_send (ScServerLink *self, const ScMessage *msg)
{
  g_return_if_fail (SC_IS_SERVER_LINK (self));
  IFACE (self)->send (self, msg);
}

void
sc_server_link_close (ScServerLink *self)
{
  g_return_if_fail (SC_IS_SERVER_LINK (self));
  IFACE (self)->close (self);
}
