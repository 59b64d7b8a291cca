/* sc-web.h: the web client (server/web/), built into the binary as a GResource and
 * served at "/" by every shard's SoupServer.
 *
 * Why here and not a CDN or a second server: a friend without showcast joins from a
 * link to the same host and port as the lobby, and nothing else is contacted (the page's
 * Content-Security-Policy says so to the browser, too). */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A SoupServer handler for "/": GET and HEAD of the page's files, 404 for any other
 * path, 405 for any other method. Runs on the shard that read the request (the files
 * are constant; nothing is shared). */
void         sc_web_handle      (SoupServer        *soup,
                                 SoupServerMessage *msg,
                                 const char        *path,
                                 GHashTable        *query,
                                 gpointer           data);

/* The Content-Security-Policy every file goes with (for tests and the docs). */
const char  *sc_web_csp         (void);

G_END_DECLS
