/* sc-dtls-resend.c: see sc-dtls-resend.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <agent.h>
#include <string.h>

#include "sc-dtls-resend.h"

/* A DTLS record header is 13 bytes; a datagram larger than an Ethernet frame is not
 * one webrtcbin sends. */
#define DTLS_RECORD_HEADER 13
#define DATAGRAM_MAX 1500

struct _ScDtlsResend
{
  GMutex lock;          /* held while a copy is sent or scheduled, so closing waits */
  gboolean closed;
  guint delay_ms;
  GPtrArray *waiting;   /* GstClockID of the copies on the clock */
  guint sent;
  guint dropped;
};

/* One copy, waiting on the system clock. @agent is borrowed: it is used only while the
 * resender is open, and webrtcbin keeps its agent until after the call closes it. */
typedef struct
{
  ScDtlsResend *resend;
  NiceAgent *agent;
  guint stream;
  guint component;
  gsize len;
  guint8 data[];
} Copy;

gboolean
sc_dtls_is_handshake (const guint8 *data, gsize len)
{
  return len >= DTLS_RECORD_HEADER && len <= DATAGRAM_MAX && (data[0] == 22 || data[0] == 20);
}

static void
resend_clear (gpointer data)
{
  ScDtlsResend *self = data;
  g_ptr_array_unref (self->waiting);
  g_mutex_clear (&self->lock);
}

ScDtlsResend *
sc_dtls_resend_new (guint delay_ms)
{
  ScDtlsResend *self = g_atomic_rc_box_new0 (ScDtlsResend);
  g_mutex_init (&self->lock);
  self->delay_ms = delay_ms;
  self->waiting = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_clock_id_unref);
  return self;
}

void
sc_dtls_resend_unref (ScDtlsResend *self)
{
  g_atomic_rc_box_release_full (self, resend_clear);
}

void
sc_dtls_resend_close (ScDtlsResend *self)
{
  g_mutex_lock (&self->lock);
  self->closed = TRUE;
  /* Off the clock now, rather than at their time: nothing of the call's waits on the
   * clock's thread once it has stopped. */
  for (guint i = 0; i < self->waiting->len; i++)
    gst_clock_id_unschedule (g_ptr_array_index (self->waiting, i));
  self->dropped += self->waiting->len;
  g_ptr_array_set_size (self->waiting, 0);
  g_mutex_unlock (&self->lock);
}

void
sc_dtls_resend_get_counts (ScDtlsResend *self, guint *sent, guint *dropped)
{
  g_mutex_lock (&self->lock);
  if (sent)
    *sent = self->sent;
  if (dropped)
    *dropped = self->dropped;
  g_mutex_unlock (&self->lock);
}

static void
copy_free (gpointer data)
{
  Copy *copy = data;
  sc_dtls_resend_unref (copy->resend);
  g_free (copy);
}

/* On the system clock's thread, which calls this without the clock's lock (the lock
 * order is the resender's, then the clock's). nice_agent_send() takes the agent's own
 * lock; a stream gone meanwhile makes it return -1, and the copy is lost. */
static gboolean
send_copy (GstClock *clock, GstClockTime time, GstClockID id, gpointer data)
{
  Copy *copy = data;
  ScDtlsResend *self = copy->resend;
  if (!GST_CLOCK_TIME_IS_VALID (time))
    return TRUE;   /* unscheduled: counted when the resender was closed */
  g_mutex_lock (&self->lock);
  if (!self->closed && g_ptr_array_remove_fast (self->waiting, id))
    {
      nice_agent_send (copy->agent, copy->stream, copy->component, (guint) copy->len,
                       (const gchar *) copy->data);
      self->sent++;
    }
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static GstPadProbeReturn
handshake_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  ScDtlsResend *self = data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_PAD_PROBE_OK;
  if (!sc_dtls_is_handshake (map.data, map.size))
    {
      gst_buffer_unmap (buffer, &map);
      return GST_PAD_PROBE_OK;
    }

  /* The sink holds its agent: the reference taken here is never the last. */
  g_autoptr(GstElement) sink = gst_pad_get_parent_element (pad);
  g_autoptr(GObject) agent = NULL;
  guint stream = 0, component = 0;
  if (sink)
    g_object_get (sink, "agent", &agent, "stream", &stream, "component", &component, NULL);
  if (agent == NULL || !NICE_IS_AGENT (agent))
    {
      gst_buffer_unmap (buffer, &map);
      return GST_PAD_PROBE_OK;
    }
  Copy *copy = g_malloc (sizeof (Copy) + map.size);
  copy->resend = g_atomic_rc_box_acquire (self);
  copy->agent = NICE_AGENT (agent);
  copy->stream = stream;
  copy->component = component;
  copy->len = map.size;
  memcpy (copy->data, map.data, map.size);
  gst_buffer_unmap (buffer, &map);

  g_autoptr(GstClock) clock = gst_system_clock_obtain ();
  g_mutex_lock (&self->lock);
  if (self->closed)
    {
      g_mutex_unlock (&self->lock);
      copy_free (copy);
      return GST_PAD_PROBE_OK;
    }
  GstClockID id = gst_clock_new_single_shot_id (
    clock, gst_clock_get_time (clock) + self->delay_ms * GST_MSECOND);
  /* Only these two refusals leave the copy ours; on any other the clock entry has
   * taken it, and frees it with the entry. */
  GstClockReturn ret = gst_clock_id_wait_async (id, send_copy, copy, copy_free);
  if (ret == GST_CLOCK_BADTIME || ret == GST_CLOCK_UNSUPPORTED)
    {
      copy_free (copy);
      gst_clock_id_unref (id);
    }
  else
    g_ptr_array_add (self->waiting, id);   /* our reference, until sent or closed */
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

void
sc_dtls_resend_watch (ScDtlsResend *self, GstElement *nicesink)
{
  if (self->delay_ms == 0)
    return;
  g_autoptr(GstPad) pad = gst_element_get_static_pad (nicesink, "sink");
  if (pad == NULL)
    return;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, handshake_probe,
                     g_atomic_rc_box_acquire (self), (GDestroyNotify) sc_dtls_resend_unref);
}
