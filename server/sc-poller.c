/* sc-poller.c: sockets behind one epoll descriptor; see sc-poller.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-poller.h"

#include <errno.h>
#include <gio/gio.h>
#include <sys/epoll.h>
#include <unistd.h>

/* Events taken in one turn of the loop; more wait for the next turn (the epoll
 * descriptor stays readable, so the loop comes straight back). */
#define MAX_EVENTS 256

struct _ScPollerWatch
{
  ScPoller *poller;
  int fd;
  ScPollerFunc func;
  gpointer data;
  gboolean poked;
  gboolean removed;
};

typedef struct
{
  GSource base;
  ScPoller *poller;
} PollerSource;

struct _ScPoller
{
  int epfd;
  GSource *source;
  GPtrArray *poked;          /* of ScPollerWatch, called on the next turn */
  /* Removed watches are freed at the end of the next turn, never sooner: an event
   * already taken from epoll, or a poke, may still name them. */
  GPtrArray *removed;
};

static guint32
to_epoll (GIOCondition events)
{
  return ((events & G_IO_IN) ? EPOLLIN : 0) | ((events & G_IO_OUT) ? EPOLLOUT : 0);
}

static GIOCondition
from_epoll (guint32 events)
{
  return ((events & EPOLLIN) ? G_IO_IN : 0) | ((events & EPOLLOUT) ? G_IO_OUT : 0) |
         ((events & EPOLLHUP) ? G_IO_HUP : 0) | ((events & EPOLLERR) ? G_IO_ERR : 0);
}

static gboolean
poller_dispatch (GSource *source, GSourceFunc callback, gpointer data)
{
  ScPoller *poller = ((PollerSource *) source)->poller;
  struct epoll_event events[MAX_EVENTS];

  /* Taken first, so that what the calls below poke waits for the next turn. */
  g_autoptr(GPtrArray) poked = NULL;
  if (poller->poked->len > 0)
    {
      poked = poller->poked;
      poller->poked = g_ptr_array_new ();
    }
  g_autoptr(GPtrArray) removed = NULL;
  if (poller->removed->len > 0)
    {
      removed = poller->removed;
      poller->removed = g_ptr_array_new_with_free_func (g_free);
    }

  for (guint i = 0; poked && i < poked->len; i++)
    {
      ScPollerWatch *watch = g_ptr_array_index (poked, i);
      watch->poked = FALSE;
      if (!watch->removed)
        watch->func (0, watch->data);
    }

  int n;
  do
    n = epoll_wait (poller->epfd, events, MAX_EVENTS, 0);
  while (n < 0 && errno == EINTR);
  for (int i = 0; i < n; i++)
    {
      ScPollerWatch *watch = events[i].data.ptr;
      if (!watch->removed)
        watch->func (from_epoll (events[i].events), watch->data);
    }

  /* @removed (freed as it goes) holds only watches removed before this turn began:
   * nothing of this turn names them. */
  g_source_set_ready_time (source, poller->poked->len > 0 || poller->removed->len > 0 ? 0 : -1);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs poller_source_funcs = {
  .dispatch = poller_dispatch,
};

ScPoller *
sc_poller_new (GMainContext *context, GError **error)
{
  int epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (epfd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "epoll: %s",
                   g_strerror (saved));
      return NULL;
    }
  ScPoller *poller = g_new0 (ScPoller, 1);
  poller->epfd = epfd;
  poller->poked = g_ptr_array_new ();
  poller->removed = g_ptr_array_new_with_free_func (g_free);
  poller->source = g_source_new (&poller_source_funcs, sizeof (PollerSource));
  ((PollerSource *) poller->source)->poller = poller;
  g_source_set_static_name (poller->source, "showcast sockets");
  /* It runs no loop inside: no need for GLib to block it around each dispatch (which
   * in GLib 2.74 also wakes the loop). */
  g_source_set_can_recurse (poller->source, TRUE);
  g_source_add_unix_fd (poller->source, epfd, G_IO_IN);
  g_source_attach (poller->source, context);
  return poller;
}

void
sc_poller_free (ScPoller *poller)
{
  if (poller == NULL)
    return;
  g_source_destroy (poller->source);
  g_source_unref (poller->source);
  close (poller->epfd);
  g_ptr_array_unref (poller->poked);
  g_ptr_array_unref (poller->removed);
  g_free (poller);
}

ScPollerWatch *
sc_poller_add (ScPoller *poller, int fd, GIOCondition events, ScPollerFunc func,
               gpointer data, GError **error)
{
  ScPollerWatch *watch = g_new0 (ScPollerWatch, 1);
  watch->poller = poller;
  watch->fd = fd;
  watch->func = func;
  watch->data = data;
  struct epoll_event event = { .events = to_epoll (events), .data.ptr = watch };
  if (epoll_ctl (poller->epfd, EPOLL_CTL_ADD, fd, &event) < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "epoll_ctl: %s",
                   g_strerror (saved));
      g_free (watch);
      return NULL;
    }
  return watch;
}

void
sc_poller_modify (ScPollerWatch *watch, GIOCondition events)
{
  struct epoll_event event = { .events = to_epoll (events), .data.ptr = watch };
  if (epoll_ctl (watch->poller->epfd, EPOLL_CTL_MOD, watch->fd, &event) < 0)
    g_warning ("epoll_ctl MOD on %d: %s", watch->fd, g_strerror (errno));
}

void
sc_poller_poke (ScPollerWatch *watch)
{
  if (watch->poked || watch->removed)
    return;
  watch->poked = TRUE;
  g_ptr_array_add (watch->poller->poked, watch);
  g_source_set_ready_time (watch->poller->source, 0);
}

void
sc_poller_remove (ScPollerWatch *watch)
{
  if (watch == NULL || watch->removed)
    return;
  watch->removed = TRUE;
  if (epoll_ctl (watch->poller->epfd, EPOLL_CTL_DEL, watch->fd, NULL) < 0)
    g_debug ("epoll_ctl DEL on %d: %s", watch->fd, g_strerror (errno));
  g_ptr_array_add (watch->poller->removed, watch);
  g_source_set_ready_time (watch->poller->source, 0);
}
