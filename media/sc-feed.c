/* sc-feed.c: see sc-feed.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include "sc-feed.h"

struct _ScFeed
{
  GObject parent_instance;

  GstElement *pipeline;
  GstPad *pad;

  GMutex push_lock;              /* serialises pushes; guards the two below */
  GstCaps *caps;                 /* the last caps sent */
  gboolean started;              /* stream-start and segment sent */
};

G_DEFINE_FINAL_TYPE (ScFeed, sc_feed, G_TYPE_OBJECT)

/* What the payloader asks of its source: a live one, with no latency of its own, whose
 * caps are those of the frames it has pushed (anything before the first). */
static gboolean
feed_query (GstPad *pad, GstObject *parent, GstQuery *query)
{
  switch (GST_QUERY_TYPE (query))
    {
    case GST_QUERY_LATENCY:
      gst_query_set_latency (query, TRUE, 0, GST_CLOCK_TIME_NONE);
      return TRUE;
    case GST_QUERY_CAPS:
      {
        GstCaps *filter = NULL;
        gst_query_parse_caps (query, &filter);
        g_autoptr(GstCaps) current = gst_pad_get_current_caps (pad);
        g_autoptr(GstCaps) caps = current ? gst_caps_ref (current) : gst_caps_new_any ();
        if (filter)
          {
            GstCaps *both = gst_caps_intersect_full (filter, caps, GST_CAPS_INTERSECT_FIRST);
            gst_caps_take (&caps, both);
          }
        gst_query_set_caps_result (query, caps);
        return TRUE;
      }
    default:
      return gst_pad_query_default (pad, parent, query);
    }
}

/* Upstream events end here: a keyframe request has been seen by the probe that wants
 * it; there is nothing upstream of a feed to send anything to. */
static gboolean
feed_event (GstPad *pad, GstObject *parent, GstEvent *event)
{
  gst_event_unref (event);
  return TRUE;
}

ScFeed *
sc_feed_new (GstElement *pipeline, GstPad *peer, GError **error)
{
  g_return_val_if_fail (GST_IS_ELEMENT (pipeline), NULL);
  g_return_val_if_fail (GST_IS_PAD (peer), NULL);

  g_autoptr(ScFeed) self = g_object_new (SC_TYPE_FEED, NULL);
  self->pipeline = gst_object_ref (pipeline);
  self->pad = gst_object_ref_sink (gst_pad_new ("feed", GST_PAD_SRC));
  gst_pad_set_query_function (self->pad, feed_query);
  gst_pad_set_event_function (self->pad, feed_event);
  GstPadLinkReturn link = gst_pad_link (self->pad, peer);
  if (link != GST_PAD_LINK_OK)
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_PAD, "cannot link a feed to %s:%s (%s)",
                   GST_DEBUG_PAD_NAME (peer), gst_pad_link_get_name (link));
      return NULL;
    }
  gst_pad_set_active (self->pad, TRUE);
  return g_steal_pointer (&self);
}

/* The pipeline's running time now (0 before it has a clock). */
static GstClockTime
running_time (ScFeed *self)
{
  g_autoptr(GstClock) clock = gst_element_get_clock (self->pipeline);
  if (clock == NULL)
    return 0;
  GstClockTime now = gst_clock_get_time (clock);
  GstClockTime base = gst_element_get_base_time (self->pipeline);
  return now > base ? now - base : 0;
}

GstFlowReturn
sc_feed_push (ScFeed *self, GstSample *sample)
{
  g_return_val_if_fail (SC_IS_FEED (self), GST_FLOW_ERROR);
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  if (buffer == NULL || caps == NULL)
    return GST_FLOW_ERROR;

  static guint streams;
  g_mutex_lock (&self->push_lock);
  if (!self->started)
    {
      g_autofree char *id = g_strdup_printf ("showcast/feed/%u", g_atomic_int_add (&streams, 1));
      GstEvent *start = gst_event_new_stream_start (id);
      gst_event_set_group_id (start, gst_util_group_id_next ());
      gst_pad_push_event (self->pad, start);
    }
  if (self->caps == NULL || !gst_caps_is_equal (self->caps, caps))
    {
      gst_caps_replace (&self->caps, caps);
      gst_pad_push_event (self->pad, gst_event_new_caps (caps));
    }
  if (!self->started)
    {
      GstSegment segment;
      gst_segment_init (&segment, GST_FORMAT_TIME);
      gst_pad_push_event (self->pad, gst_event_new_segment (&segment));
      self->started = TRUE;
    }
  /* Metadata copied, memory shared. */
  GstBuffer *out = gst_buffer_copy (buffer);
  GST_BUFFER_PTS (out) = running_time (self);
  GST_BUFFER_DTS (out) = GST_CLOCK_TIME_NONE;
  GstFlowReturn ret = gst_pad_push (self->pad, out);
  g_mutex_unlock (&self->push_lock);
  return ret;
}

GstPad *
sc_feed_get_pad (ScFeed *self)
{
  g_return_val_if_fail (SC_IS_FEED (self), NULL);
  return self->pad;
}

static void
sc_feed_dispose (GObject *object)
{
  ScFeed *self = SC_FEED (object);
  if (self->pad)
    {
      g_autoptr(GstPad) peer = gst_pad_get_peer (self->pad);
      if (peer)
        gst_pad_unlink (self->pad, peer);
      gst_pad_set_active (self->pad, FALSE);
      g_clear_object (&self->pad);
    }
  g_clear_object (&self->pipeline);
  G_OBJECT_CLASS (sc_feed_parent_class)->dispose (object);
}

static void
sc_feed_finalize (GObject *object)
{
  ScFeed *self = SC_FEED (object);
  gst_clear_caps (&self->caps);
  g_mutex_clear (&self->push_lock);
  G_OBJECT_CLASS (sc_feed_parent_class)->finalize (object);
}

static void
sc_feed_class_init (ScFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_feed_dispose;
  object_class->finalize = sc_feed_finalize;
}

static void
sc_feed_init (ScFeed *self)
{
  g_mutex_init (&self->push_lock);
}
