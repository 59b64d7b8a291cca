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

typedef struct
{
  NiceAgent *agent;
  guint stream;
  guint component;
  gsize len;
  guint8 data[];
} Resend;

gboolean
sc_dtls_is_handshake (const guint8 *data, gsize len)
{
  return len >= DTLS_RECORD_HEADER && len <= DATAGRAM_MAX && (data[0] == 22 || data[0] == 20);
}

static void
resend_free (gpointer data)
{
  Resend *resend = data;
  g_object_unref (resend->agent);
  g_free (resend);
}

/* On the system clock's thread. nice_agent_send() takes the agent's own lock; a stream
 * gone meanwhile (the call ended) makes it return -1, and the copy is dropped. */
static gboolean
resend_now (GstClock *clock, GstClockTime time, GstClockID id, gpointer data)
{
  Resend *resend = data;
  if (!GST_CLOCK_TIME_IS_VALID (time))
    return TRUE;   /* not scheduled at all (see below) */
  nice_agent_send (resend->agent, resend->stream, resend->component, (guint) resend->len,
                   (const gchar *) resend->data);
  return TRUE;
}

static GstPadProbeReturn
handshake_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_PAD_PROBE_OK;
  if (!sc_dtls_is_handshake (map.data, map.size))
    {
      gst_buffer_unmap (buffer, &map);
      return GST_PAD_PROBE_OK;
    }

  GstElement *sink = data;
  NiceAgent *agent = NULL;
  guint stream = 0, component = 0;
  g_object_get (sink, "agent", &agent, "stream", &stream, "component", &component, NULL);
  if (agent == NULL)
    {
      gst_buffer_unmap (buffer, &map);
      return GST_PAD_PROBE_OK;
    }
  Resend *resend = g_malloc (sizeof (Resend) + map.size);
  resend->agent = agent;   /* the reference g_object_get gave */
  resend->stream = stream;
  resend->component = component;
  resend->len = map.size;
  memcpy (resend->data, map.data, map.size);
  gst_buffer_unmap (buffer, &map);

  g_autoptr(GstClock) clock = gst_system_clock_obtain ();
  GstClockID id = gst_clock_new_single_shot_id (
    clock, gst_clock_get_time (clock) + SC_DTLS_RESEND_MS * GST_MSECOND);
  /* Only these two refusals leave the copy ours; on any other the clock entry has
   * taken it, and frees it with the entry. */
  GstClockReturn ret = gst_clock_id_wait_async (id, resend_now, resend, resend_free);
  if (ret == GST_CLOCK_BADTIME || ret == GST_CLOCK_UNSUPPORTED)
    resend_free (resend);
  gst_clock_id_unref (id);
  return GST_PAD_PROBE_OK;
}

void
sc_dtls_resend_attach (GstElement *nicesink)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad (nicesink, "sink");
  if (pad == NULL)
    return;
  /* The sink outlives its pad's probes: no reference needed. */
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, handshake_probe, nicesink, NULL);
}
