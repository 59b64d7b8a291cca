/* sc-url.h: the server's addresses as clients (showcast, showcast-loadgen) use them:
 * the WebSocket URL, the ticket endpoint beside it, a WebSocket URL carrying a ticket,
 * and the ticket endpoint's reply. Shared so both build them the same way. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SC_URL_WS_PATH     "/ws"
#define SC_URL_TICKET_PATH "/session/ticket"
#define SC_TICKET_MAX_CHARS 64

/* Accepts ws:// and wss:// URLs; an empty path means the server's WebSocket path. */
char *sc_url_normalize         (const char  *url,
                                GError     **error);
/* http(s)://HOST:PORT/session/ticket for the server of @ws_url. */
char *sc_url_ticket_endpoint   (const char  *ws_url);
/* @ws_url?ticket=@ticket (@ticket as sc_url_parse_ticket_reply returns it). */
char *sc_url_with_ticket       (const char  *ws_url,
                                const char  *ticket);
/* The ticket in the endpoint's JSON reply ({"ticket":"…"}), checked to be 1–64 ASCII
 * letters and digits (it goes into a URL), or NULL. */
char *sc_url_parse_ticket_reply (const char *body,
                                 gsize       len);

G_END_DECLS
