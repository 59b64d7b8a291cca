/* sc-acceptor.h: accepts the TCP connections of one listening socket and hands each to
 * a SoupServer (with TLS, when the server has a certificate).
 *
 * Why not soup_server_listen_socket(): libsoup 3.2's listener keeps a reference to every
 * GSocket it accepts and never drops it, 344 bytes a connection for the life of the
 * process (a million connections: ~330 MiB). Accepting here and giving libsoup the
 * stream (soup_server_accept_iostream) loses nothing. It also accepts a burst of
 * connections in one turn of the loop, where libsoup's listener takes one a turn.
 *
 * Here too the bounds every connection has before it is a WebSocket (#22): caps on the
 * connections held (sc-conn-limits.h), and a deadline by which a connection must have
 * been upgraded — an idle connection, or a request dripped a byte a second, is shut
 * down then (sc_acceptor_tick). */
#pragma once

#include <libsoup/soup.h>

#include "sc-conn-limits.h"

G_BEGIN_DECLS

typedef struct _ScAcceptor ScAcceptor;

/* Starts accepting on @listener (bound and listening) in @context, the context that
 * runs @soup. @tls may be NULL (plain TCP). Each connection counts against @limits; one
 * not upgraded to WebSocket within @deadline_s seconds is shut down. */
ScAcceptor *sc_acceptor_new    (GSocket           *listener,
                                SoupServer        *soup,
                                GTlsCertificate   *tls,
                                GMainContext      *context,
                                ScConnLimits      *limits,
                                guint              deadline_s);
/* Shuts down the connections past their deadline. Call about once a second from the
 * context's thread. */
void        sc_acceptor_tick   (ScAcceptor        *acceptor,
                                gint64             now_us);
/* The connection under @msg became a WebSocket: no deadline for it any more. */
void        sc_acceptor_upgraded (SoupServerMessage *msg);
/* Stops accepting and closes the listening socket. Call from the context's thread, or
 * once that thread has stopped. Connections already handed over are libsoup's. */
void        sc_acceptor_free   (ScAcceptor        *acceptor);
/* The TCP socket under a request that came through an acceptor, or NULL (libsoup does
 * not know it for streams it was handed). Not a new reference. */
GSocket    *sc_acceptor_socket_of (SoupServerMessage *msg);

G_END_DECLS
