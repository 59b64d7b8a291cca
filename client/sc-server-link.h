/* sc-server-link.h: the client core's line to showcast-server: protocol messages in
 * and out, a ticket for resuming, and nothing else. ScSignalling (a libsoup WebSocket)
 * is the real one; the core's unit tests give the core a fake.
 *
 * Signals, on the main context:
 *   message (const ScMessage *)   a valid message from the server
 *   protocol-error (GError *)     something that is not one (the link closes)
 *   closed ()                     the connection is gone
 */
#pragma once

#include <gio/gio.h>

#include "sc-protocol.h"

G_BEGIN_DECLS

#define SC_SERVER_LINK_ERROR (sc_server_link_error_quark ())
GQuark sc_server_link_error_quark (void);

typedef enum {
  SC_SERVER_LINK_ERROR_BAD_TOKEN,   /* the server refused the session token */
} ScServerLinkError;

#define SC_TYPE_SERVER_LINK (sc_server_link_get_type ())
G_DECLARE_INTERFACE (ScServerLink, sc_server_link, SC, SERVER_LINK, GObject)

struct _ScServerLinkInterface
{
  GTypeInterface parent_iface;

  void     (*request_ticket_async)  (ScServerLink        *self,
                                     const char          *token,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  char    *(*request_ticket_finish) (ScServerLink        *self,
                                     GAsyncResult        *result,
                                     GError             **error);
  void     (*connect_async)         (ScServerLink        *self,
                                     const char          *ticket,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
  gboolean (*connect_finish)        (ScServerLink        *self,
                                     GAsyncResult        *result,
                                     GError             **error);
  gboolean (*is_open)               (ScServerLink        *self);
  void     (*send)                  (ScServerLink        *self,
                                     const ScMessage     *msg);
  void     (*close)                 (ScServerLink        *self);
};

typedef enum {
  SC_SERVER_LINK_SIG_MESSAGE,
  SC_SERVER_LINK_SIG_PROTOCOL_ERROR,
  SC_SERVER_LINK_SIG_CLOSED,
  SC_SERVER_LINK_N_SIGNALS,
} ScServerLinkSignal;

/* For implementations: the signal ids, to pass to g_signal_emit(). */
guint    sc_server_link_signal_id             (ScServerLinkSignal   signal);

/* A one-time ticket for resuming the session of @token (sc-session-token.h);
 * SC_SERVER_LINK_ERROR_BAD_TOKEN when the server no longer accepts the token. */
void     sc_server_link_request_ticket_async  (ScServerLink        *self,
                                               const char          *token,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char    *sc_server_link_request_ticket_finish (ScServerLink        *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* @ticket: (nullable): open the connection with this one-time ticket */
void     sc_server_link_connect_async         (ScServerLink        *self,
                                               const char          *ticket,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean sc_server_link_connect_finish        (ScServerLink        *self,
                                               GAsyncResult        *result,
                                               GError             **error);
gboolean sc_server_link_is_open               (ScServerLink        *self);
void     sc_server_link_send                  (ScServerLink        *self,
                                               const ScMessage     *msg);
void     sc_server_link_close                 (ScServerLink        *self);

G_END_DECLS
