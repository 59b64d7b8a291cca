/* sc-call-reaper.c: stopped calls taken down on a low-priority thread of their
 * own, while the next call is set up. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sc-call-private.h"

/* ---- Tearing down ------------------------------------------------------------------ */

/* Taking a pipeline to NULL joins its streaming, ICE and SCTP threads and closes its
 * sockets: 20–50 ms here, which on the main context would delay the next call's
 * set-up (a skip's new match arrives while the old call is still going down). One
 * reaper thread does it instead, one call after the other; sc_call_join_teardowns()
 * waits for it before the process exits.
 *
 * The reaper runs at the lowest priority, so when the CPU is starved it gets nothing and
 * stopped calls pile up, each holding its threads, sockets and buffers: a 1,500-skip run
 * beside the whole test suite had 400 open files and 600 threads at 500 skips, and RSS
 * stayed at its 270–400 MiB high-water mark after they were gone. So at most
 * REAPER_BACKLOG calls wait for the reaper; a call stopped beyond those goes down on the
 * stopping thread, at that thread's priority: a slower skip when the machine is starved,
 * in exchange for resources that stay bounded. */
#define REAPER_BACKLOG 2

static GMutex reaper_lock;
static GThreadPool *reaper;
static gint reaper_calls;   /* atomic: calls given to the reaper and not yet torn down */

/* Takes to NULL what is still above it inside @bin, however deep; returns how many. */
static guint
stop_stragglers (GstBin *bin)
{
  guint found = 0;
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (bin);
  GValue item = G_VALUE_INIT;
  gboolean done = FALSE;
  while (!done)
    switch (gst_iterator_next (it, &item))
      {
      case GST_ITERATOR_OK:
        {
          GstElement *element = g_value_get_object (&item);
          GstState state = GST_STATE_VOID_PENDING;
          gst_element_get_state (element, &state, NULL, 0);
          if (state != GST_STATE_NULL)
            {
              GstStateChangeReturn ret = gst_element_set_state (element, GST_STATE_NULL);
              g_debug ("stopping %s, left %s in a stopped call: %s", GST_ELEMENT_NAME (element),
                       gst_element_state_get_name (state),
                       gst_element_state_change_return_get_name (ret));
              found++;
            }
          g_value_reset (&item);
          break;
        }
      case GST_ITERATOR_RESYNC:
        gst_iterator_resync (it);
        break;
      default:
        done = TRUE;
        break;
      }
  g_value_unset (&item);
  return found;
}

void
call_stop_pipeline (ScCall *self)
{
  gint64 start_us = g_get_monotonic_time ();
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  /* webrtcbin 1.22 adds elements and starts them from its own thread (a transport's
   * nicesrc when a description is applied, a data channel's appsrc): one started while
   * the pipeline was going down stays PLAYING inside it, its thread running for ever
   * (a test process then hung in gst_deinit(), 4 runs in about 100 under load). Until
   * none is left: taking one down may let another's thread finish adding its own. */
  for (guint pass = 0; pass < 50 && stop_stragglers (GST_BIN (self->pipeline)) > 0; pass++)
    g_usleep (2000);
  call_interrupt_promises (self);
  guint copies_sent, copies_dropped;
  sc_call_get_dtls_copies (self, &copies_sent, &copies_dropped);
  g_debug ("call stopped in %.1f ms (DTLS handshake copies: %u sent, %u dropped)",
           (g_get_monotonic_time () - start_us) / 1000.0, copies_sent, copies_dropped);
}

static void
reap (gpointer data, gpointer unused)
{
  ScCall *self = data;
  /* Tearing a call down costs 20-40 ms of CPU, just when the next call is being set up
   * and needs the same cores: the reaper runs at the lowest priority (Linux: a nice
   * value is per thread), on CPU time the set-up leaves. It holds no lock the set-up
   * takes; the old pipeline's own threads keep their priority. */
  setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), 19);
  call_stop_pipeline (self);
  g_atomic_int_dec_and_test (&reaper_calls);
  g_object_unref (self);   /* the call's last reference, usually */
}

guint
sc_call_pending_teardowns (void)
{
  return (guint) g_atomic_int_get (&reaper_calls);
}

void
sc_call_get_dtls_copies (ScCall *self, guint *sent, guint *dropped)
{
  g_return_if_fail (SC_IS_CALL (self));
  if (sent)
    *sent = 0;
  if (dropped)
    *dropped = 0;
  if (self->dtls_resend)
    sc_dtls_resend_get_counts (self->dtls_resend, sent, dropped);
}

void
sc_call_join_teardowns (void)
{
  g_mutex_lock (&reaper_lock);
  GThreadPool *pool = g_steal_pointer (&reaper);
  g_mutex_unlock (&reaper_lock);
  if (pool)
    g_thread_pool_free (pool, FALSE, TRUE);
}

/* Main context side of stopping: after this no signal is emitted and no callback
 * touches the caller's objects. */
/* Hands @self to the reaper, or stops its pipeline here when the reaper is behind. */
void
call_reap_later (ScCall *self)
{
  g_autoptr(GError) error = NULL;
  g_mutex_lock (&reaper_lock);
  if (reaper == NULL)
    reaper = g_thread_pool_new (reap, NULL, 1, TRUE, &error);   /* its own thread */
  gboolean behind = reaper && g_thread_pool_unprocessed (reaper) >= REAPER_BACKLOG;
  gboolean queued = FALSE;
  if (reaper && !behind)
    {
      g_atomic_int_inc (&reaper_calls);
      queued = g_thread_pool_push (reaper, g_object_ref (self), &error);
      if (!queued)
        {
          g_atomic_int_dec_and_test (&reaper_calls);
          g_object_unref (self);   /* a failed push keeps nothing */
        }
    }
  g_mutex_unlock (&reaper_lock);
  if (queued)
    return;
  if (behind)
    g_debug ("the reaper is %u calls behind: stopping this one here", REAPER_BACKLOG);
  else
    g_warning ("stopping the call here: %s", error ? error->message : "no reaper");
  call_stop_pipeline (self);
}
