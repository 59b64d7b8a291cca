/* sc-acceptor.h: accepts the TCP connections of one listening socket and hands each to
 * a SoupServer (with TLS, when the server has a certificate).
 *
 * Why not soup_server_listen_socket(): libsoup 3.2's listener keeps a reference to every
 * GSocket it accepts and never drops it, 344 bytes a connection for the life of the
 * process (a million connections: ~330 MiB). Accepting here and giving libsoup the
 * stream (soup_server_accept_iostream) loses nothing. It also accepts a burst of
 * connections in one turn of the loop, where libsoup's listener takes one a turn. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _ScAcceptor ScAcceptor;

/* Starts accepting on @listener (bound and listening) in @context, the context that
 * runs @soup. @tls may be NULL (plain TCP). */
ScAcceptor *sc_acceptor_new    (GSocket           *listener,
                                SoupServer        *soup,
                                GTlsCertificate   *tls,
                                GMainContext      *context);
/* Stops accepting and closes the listening socket. Call from the context's thread, or
 * once that thread has stopped. Connections already handed over are libsoup's. */
void        sc_acceptor_free   (ScAcceptor        *acceptor);
/* The TCP socket under a request that came through an acceptor, or NULL (libsoup does
 * not know it for streams it was handed). Not a new reference. */
GSocket    *sc_acceptor_socket_of (SoupServerMessage *msg);

G_END_DECLS
