/* sc-poller.h: many sockets watched through one epoll descriptor, dispatched from one
 * GSource on a main context.
 *
 * Why: GLib 2.74's main loop gives poll() every descriptor it watches on every turn,
 * and walks every source to prepare and check it. With one source per socket, a busy
 * server with 200 connections spent 12 % of its time in the kernel's poll() alone
 * (sock_poll, tcp_poll, fdget), and a turn's cost grows with the sockets held. Through
 * epoll a turn costs what is ready, not what is open.
 *
 * Single-threaded: a poller and its watches belong to its context's thread. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScPoller ScPoller;
typedef struct _ScPollerWatch ScPollerWatch;

/* @ready: what the descriptor is ready for (G_IO_HUP and G_IO_ERR whether asked for or
 * not), or 0 when the call comes from sc_poller_poke(). May remove its own watch, or
 * any other. */
typedef void (*ScPollerFunc) (GIOCondition ready, gpointer data);

ScPoller      *sc_poller_new    (GMainContext  *context,
                                 GError       **error);
/* Frees the watches left too; calls nothing. */
void           sc_poller_free   (ScPoller      *poller);

/* Watches @fd for @events (G_IO_IN, G_IO_OUT). */
ScPollerWatch *sc_poller_add    (ScPoller      *poller,
                                 int            fd,
                                 GIOCondition   events,
                                 ScPollerFunc   func,
                                 gpointer       data,
                                 GError       **error);
void           sc_poller_modify (ScPollerWatch *watch,
                                 GIOCondition   events);
/* Has @watch's function called (with @ready 0) on the next turn of the loop. */
void           sc_poller_poke   (ScPollerWatch *watch);
/* Stops watching (before the descriptor is closed): its function is not called again. */
void           sc_poller_remove (ScPollerWatch *watch);

G_END_DECLS
