/* sc-signalling.h: the client's WebSocket to showcast-server (libsoup), the real
 * ScServerLink (sc-server-link.h). It sends and receives protocol messages and nothing
 * else: it knows no call and no front end. */
#pragma once

#include <gio/gio.h>

#include "sc-protocol.h"
#include "sc-server-link.h"

G_BEGIN_DECLS

#define SC_TYPE_SIGNALLING (sc_signalling_get_type ())
G_DECLARE_FINAL_TYPE (ScSignalling, sc_signalling, SC, SIGNALLING, GObject)

ScSignalling *sc_signalling_new            (const char          *url);
gboolean      sc_signalling_set_ca_file    (ScSignalling        *self,
                                            const char          *ca_file,
                                            GError             **error);
void          sc_signalling_request_ticket_async  (ScSignalling        *self,
                                                   const char          *token,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
char         *sc_signalling_request_ticket_finish (ScSignalling        *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
/* @ticket: (nullable): open the WebSocket with this one-time ticket */
void          sc_signalling_connect_async  (ScSignalling        *self,
                                            const char          *ticket,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      sc_signalling_connect_finish (ScSignalling        *self,
                                            GAsyncResult        *result,
                                            GError             **error);
gboolean      sc_signalling_is_open        (ScSignalling        *self);
void          sc_signalling_send           (ScSignalling        *self,
                                            const ScMessage     *msg);
void          sc_signalling_close          (ScSignalling        *self);

G_END_DECLS
