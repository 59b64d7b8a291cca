/* sc-call-receive.c: the peer's streams: a receive branch for each (built on
 * the streaming thread that found the pad), and where the decoded video goes (a window,
 * the terminal, nowhere), switched on the main context. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include "sc-call-private.h"

/* ---- Receive branches: built on the streaming thread that found the pad ----------- */

static GstElement *
make_audio_sink (const ScMediaConfig *config, GError **error)
{
  const char *choice = config->audio_sink;
  if (config->speaker_device)
    {
      GstElement *sink = gst_device_create_element (config->speaker_device, NULL);
      if (sink == NULL)
        g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED, "cannot open %s", choice);
      return sink;
    }
  if (g_str_equal (choice, "none"))
    return gst_element_factory_make ("fakesink", NULL);
  if (g_str_equal (choice, "auto"))
    return gst_element_factory_make ("autoaudiosink", NULL);
  return gst_parse_bin_from_description (choice, TRUE, error);
}

/* Posts @kind with two integer fields of the pad's current caps (0 when absent). */
static void
post_caps_fields (ScCall *self, GstPad *pad, EventKind kind, const char *field_a,
                  const char *field_b)
{
  gint a = 0, b = 0;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  if (caps)
    {
      GstStructure *s = gst_caps_get_structure (caps, 0);
      gst_structure_get_int (s, field_a, &a);
      gst_structure_get_int (s, field_b, &b);
    }
  CallEvent *ev = call_event_new (self, kind);
  ev->a = (guint) MAX (a, 0);
  ev->b = (guint) MAX (b, 0);
  call_post (ev);
}

static GstPadProbeReturn
first_frame_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  ScCall *self = data;

  if (!g_atomic_int_compare_and_exchange (&self->first_frame_seen, 0, 1))
    return GST_PAD_PROBE_REMOVE;

  /* Window sinks take their title from the stream's title tag. */
  GstTagList *tags = gst_tag_list_new (GST_TAG_TITLE, self->title, NULL);
  gst_pad_push_event (pad, gst_event_new_tag (tags));
  post_caps_fields (self, pad, EV_FIRST_FRAME, "width", "height");
  return GST_PAD_PROBE_REMOVE;
}

static GstPadProbeReturn
first_audio_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  ScCall *self = data;

  if (g_atomic_int_compare_and_exchange (&self->first_audio_seen, 0, 1))
    post_caps_fields (self, pad, EV_FIRST_AUDIO, "rate", "channels");
  return GST_PAD_PROBE_REMOVE;
}

/* Glass-to-glass benchmark: the age of each decoded picture's stamp. */
static GstPadProbeReturn
read_stamp_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  ScCall *self = data;
  guint32 now = sc_frame_stamp_now ();
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstVideoInfo video;
  GstVideoFrame frame;
  guint32 stamp;
  if (caps && gst_video_info_from_caps (&video, caps) &&
      gst_video_frame_map (&frame, &video, GST_PAD_PROBE_INFO_BUFFER (info), GST_MAP_READ))
    {
      gboolean stamped = GST_VIDEO_FRAME_FORMAT (&frame) == GST_VIDEO_FORMAT_I420 &&
                         sc_frame_stamp_read (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
                                              GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
                                              GST_VIDEO_FRAME_WIDTH (&frame),
                                              GST_VIDEO_FRAME_HEIGHT (&frame), &stamp);
      gst_video_frame_unmap (&frame);
      if (stamped)
        {
          CallEvent *ev = call_event_new (self, EV_FRAME_DELAY);
          ev->number = sc_frame_stamp_age_ms (stamp, now);
          call_post (ev);
        }
    }
  return GST_PAD_PROBE_OK;
}

/* The decoded picture goes to a tee; how it is shown (window, terminal, nothing) hangs
 * off it and can change during the call. */
static gboolean
attach_video_tee (ScCall *self, GstPad *decoded)
{
  GstElement *tee = gst_element_factory_make ("tee", NULL);
  g_object_set (tee, "allow-not-linked", TRUE, NULL);
  gst_bin_add (GST_BIN (self->pipeline), tee);
  gst_element_sync_state_with_parent (tee);
  g_autoptr(GstPad) tee_sink = gst_element_get_static_pad (tee, "sink");
  if (gst_pad_link (decoded, tee_sink) != GST_PAD_LINK_OK)
    return FALSE;
  gst_pad_add_probe (decoded, GST_PAD_PROBE_TYPE_BUFFER, first_frame_probe, self, NULL);
  if (self->config->stamp_frames)
    gst_pad_add_probe (decoded, GST_PAD_PROBE_TYPE_BUFFER, read_stamp_probe, self, NULL);
  CallEvent *ev = call_event_new (self, EV_VIDEO_TEE);
  ev->element = gst_object_ref (tee);
  call_post (ev);
  return TRUE;
}

static gboolean
attach_audio_sink (ScCall *self, GstPad *decoded)
{
  g_autoptr(GError) error = NULL;
  GstElement *sink = make_audio_sink (self->config, &error);
  if (sink == NULL)
    {
      call_post_failure (self, "cannot make the audio sink: %s",
                    error ? error->message : "missing element");
      return TRUE;   /* said why already */
    }

  /* A sink that plays: behind a queue (its own thread, so the decoder never waits on the
   * device) and the conversions it may need. None: each decoded buffer is discarded on
   * the thread that decoded it — waiting for each buffer's time on a thread of its own
   * cost 1 % of a core and bought nothing. */
  GstElement *chain[4];
  guint n = 0;
  if (g_str_equal (self->config->audio_sink, "none"))
    g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  else
    {
      chain[n++] = gst_element_factory_make ("queue", NULL);
      chain[n++] = gst_element_factory_make ("audioconvert", NULL);
      chain[n++] = gst_element_factory_make ("audioresample", NULL);
    }
  chain[n++] = sink;

  gboolean linked = TRUE;
  for (guint i = 0; i < n; i++)
    {
      gst_bin_add (GST_BIN (self->pipeline), chain[i]);
      if (i > 0)
        linked = linked && gst_element_link (chain[i - 1], chain[i]);
    }
  /* Downstream first, so that nothing is pushed into an element not yet playing. */
  for (guint i = n; i-- > 0;)
    gst_element_sync_state_with_parent (chain[i]);

  g_autoptr(GstPad) first_pad = gst_element_get_static_pad (chain[0], "sink");
  if (!linked || gst_pad_link (decoded, first_pad) != GST_PAD_LINK_OK)
    return FALSE;
  gst_pad_add_probe (decoded, GST_PAD_PROBE_TYPE_BUFFER, first_audio_probe, self, NULL);
  return TRUE;
}

/* A stream from the peer: depayloader and decoder for the codec the call negotiated,
 * made directly rather than found by decodebin (typefinding and autoplugging cost
 * several milliseconds on the way to the first frame). The depayloader asks for a
 * keyframe when packets are lost, and waits for it rather than showing a smeared
 * picture. */
void
call_on_incoming_pad (GstElement *webrtc, GstPad *pad, gpointer data)
{
  ScCall *self = data;
  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC || g_atomic_int_get (&self->stopped))
    return;

  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  const GstStructure *s = gst_caps_is_empty (caps) ? NULL : gst_caps_get_structure (caps, 0);
  const char *encoding = s ? gst_structure_get_string (s, "encoding-name") : NULL;
  gboolean video = FALSE;
  const char *chain;
  if (g_strcmp0 (encoding, "VP8") == 0)
    {
      chain = "rtpvp8depay request-keyframe=true wait-for-keyframe=true ! vp8dec";
      video = TRUE;
      call_post_mark (self, MARK_INCOMING_VIDEO);
    }
  else if (g_strcmp0 (encoding, "OPUS") == 0)
    chain = "rtpopusdepay ! opusdec";
  else
    {
      g_warning ("ignoring an incoming %s stream", encoding ? encoding : "unknown");
      return;
    }

  g_autoptr(GError) error = NULL;
  GstElement *decoder = gst_parse_bin_from_description (chain, TRUE, &error);
  if (decoder == NULL)
    {
      call_post_failure (self, "cannot decode the peer's %s: %s", encoding, error->message);
      return;
    }
  gst_bin_add (GST_BIN (self->pipeline), decoder);
  g_autoptr(GstPad) decoded = gst_element_get_static_pad (decoder, "src");
  gboolean ok = video ? attach_video_tee (self, decoded) : attach_audio_sink (self, decoded);
  gst_element_sync_state_with_parent (decoder);
  g_autoptr(GstPad) sink = gst_element_get_static_pad (decoder, "sink");
  if (!ok || gst_pad_link (pad, sink) != GST_PAD_LINK_OK)
    call_post_failure (self, "cannot link the incoming %s stream", encoding);
}

/* ---- Remote video outputs (main context) ------------------------------------------ */

static GstFlowReturn
on_terminal_sample (GstAppSink *sink, gpointer data)
{
  ScCall *self = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  if (sample == NULL)
    return GST_FLOW_OK;

  /* Keep only the newest picture: a slow terminal skips frames, it never queues them. */
  g_mutex_lock (&self->frame_lock);
  g_clear_pointer (&self->latest_frame, gst_sample_unref);
  self->latest_frame = sample;
  gboolean need_post = !self->frame_posted;
  self->frame_posted = TRUE;
  g_mutex_unlock (&self->frame_lock);

  if (need_post)
    call_post (call_event_new (self, EV_VIDEO_FRAME));
  return GST_FLOW_OK;
}

void
call_deliver_frame (ScCall *self)
{
  g_mutex_lock (&self->frame_lock);
  g_autoptr(GstSample) sample = g_steal_pointer (&self->latest_frame);
  self->frame_posted = FALSE;
  g_mutex_unlock (&self->frame_lock);
  if (sample == NULL || self->video_output != SC_VIDEO_OUTPUT_TERMINAL)
    return;

  GstVideoInfo info;
  GstMapInfo map;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return;

  ScVideoFrame frame = {
    .width = GST_VIDEO_INFO_WIDTH (&info),
    .height = GST_VIDEO_INFO_HEIGHT (&info),
    .stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0),
    .format = GST_VIDEO_INFO_FORMAT (&info) == GST_VIDEO_FORMAT_RGB8P ? SC_VIDEO_FORMAT_CUBE6
                                                                     : SC_VIDEO_FORMAT_RGB,
  };
  gsize size = MIN (map.size, (gsize) frame.stride * frame.height);
  frame.data = g_bytes_new (map.data, size);
  gst_buffer_unmap (buffer, &map);
  if (size == (gsize) frame.stride * frame.height)
    g_signal_emit (self, call_signals[SIG_VIDEO_FRAME], 0, &frame);
  g_bytes_unref (frame.data);
}

/* The video sink for a window, from the session type. autovideosink would try sinks by
 * rank, kmssink among them, which takes over the whole display and fails inside a
 * desktop session. ximagesink works on every X server (xvimagesink needs the Xv
 * extension, which virtual and remote displays often lack). */
static const char *
window_sink_name (void)
{
  if (g_getenv ("WAYLAND_DISPLAY") && !g_getenv ("DISPLAY"))
    return "waylandsink";
  if (g_getenv ("DISPLAY"))
    return "ximagesink";
  return "autovideosink";
}

static char *
terminal_caps_string (const ScVideoTarget *target)
{
  /* Square pixels: a cell is two pixels high with half blocks, and about twice as high
   * as wide, so videoscale's borders keep the picture's aspect ratio. RGB8P is a 6×6×6
   * colour cube, the same as xterm's colours 16–231. */
  return g_strdup_printf ("video/x-raw,format=%s,width=%u,height=%u,pixel-aspect-ratio=1/1",
                          target->truecolor ? "RGB" : "RGB8P",
                          MAX (target->width, 2), MAX (target->height, 2));
}

/* The self-view (sc-sender.h) over the bottom right corner of the peer's picture, a
 * quarter of its width: a compositor whose first input is the peer and whose second is
 * the sender's small picture, read from the inter channel. Its output is I420 (left to
 * itself it picks a 64-bit format) at the peer's size and rate (place_self_view), and the
 * self-view waits for the peer's first caps: a compositor that meets the self-view first
 * settles on its 15 fps and on 1x1, and a window sink never resizes its window after.
 * @rest: after the compositor. */
static char *
with_self_view (const char *queue, const char *rest)
{
  return g_strdup_printf (
    "%s ! selfmix.sink_0 compositor name=selfmix background=black ! "
    "capsfilter name=selfsize caps=video/x-raw,format=I420 ! %s "
    "intervideosrc channel=" SC_SELF_VIEW_CHANNEL " ! video/x-raw,format=I420,width="
    G_STRINGIFY (SC_SELF_VIEW_WIDTH) ",height=" G_STRINGIFY (SC_SELF_VIEW_HEIGHT)
    ",framerate=" G_STRINGIFY (SC_SELF_VIEW_FPS) "/1 ! selfmix.sink_1", queue, rest);
}

typedef struct
{
  GstPad *self_pad;       /* the compositor's pad for the self-view */
  GstElement *size;       /* the capsfilter after the compositor */
  gulong hold;            /* the probe holding the self-view until then; 0: released */
  gint placed;            /* atomic: the output's caps are the peer's */
} SelfViewPlace;

static GstPadProbeReturn
hold_self_view (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  return GST_PAD_PROBE_OK;   /* blocking is the point */
}

/* Before the peer's caps, a live compositor still makes pictures, at 1x1: none of
 * them, nor their caps, reaches the sink (a window sink would keep a 1x1 window). */
static GstPadProbeReturn
drop_until_placed (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  SelfViewPlace *place = data;
  if (g_atomic_int_get (&place->placed))
    return GST_PAD_PROBE_REMOVE;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    return GST_PAD_PROBE_DROP;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  return event && GST_EVENT_TYPE (event) == GST_EVENT_CAPS ? GST_PAD_PROBE_DROP
                                                           : GST_PAD_PROBE_OK;
}

static void
self_view_place_free (SelfViewPlace *place)
{
  gst_object_unref (place->self_pad);
  gst_object_unref (place->size);
  g_free (place);
}

/* On the peer's input (its caps, on its streaming thread): the output takes the peer's
 * size, and the self-view its corner. */
static GstPadProbeReturn
place_self_view (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  SelfViewPlace *place = data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  GstCaps *caps;
  gst_event_parse_caps (event, &caps);
  GstStructure *s = gst_caps_get_structure (caps, 0);
  gint width = 0, height = 0;
  if (!gst_structure_get_int (s, "width", &width) || !gst_structure_get_int (s, "height", &height) ||
      width < 8 || height < 8)
    return GST_PAD_PROBE_OK;
  gint w = width / 4, h = w * SC_SELF_VIEW_HEIGHT / SC_SELF_VIEW_WIDTH;
  g_object_set (place->self_pad, "width", w, "height", h, "xpos", width - w - width / 40,
                "ypos", height - h - height / 40, NULL);
  gint par_n = 1, par_d = 1;
  gst_structure_get_fraction (s, "pixel-aspect-ratio", &par_n, &par_d);
  gint fps_n = 0, fps_d = 1;
  if (!gst_structure_get_fraction (s, "framerate", &fps_n, &fps_d) || fps_n <= 0)
    fps_n = 30, fps_d = 1;   /* a variable rate (WebRTC's): the most a camera sends */
  g_autoptr(GstCaps) size = gst_caps_new_simple ("video/x-raw", "format", G_TYPE_STRING, "I420",
                                                 "width", G_TYPE_INT, width,
                                                 "height", G_TYPE_INT, height,
                                                 "pixel-aspect-ratio", GST_TYPE_FRACTION, par_n,
                                                 par_d, "framerate", GST_TYPE_FRACTION, fps_n,
                                                 fps_d, NULL);
  g_object_set (place->size, "caps", size, NULL);
  g_atomic_int_set (&place->placed, 1);
  gulong hold = place->hold;
  place->hold = 0;
  if (hold)
    gst_pad_remove_probe (place->self_pad, hold);
  return GST_PAD_PROBE_OK;
}

/* The compositor keeps the stream's tags to itself: the window's title (see
 * first_frame_probe) is given again after it, once. */
static GstPadProbeReturn
retitle_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  ScCall *self = data;
  if (self->title)
    gst_pad_push_event (pad, gst_event_new_tag (gst_tag_list_new (GST_TAG_TITLE, self->title,
                                                                  NULL)));
  return GST_PAD_PROBE_REMOVE;
}

static void
show_self_view (ScCall *self)
{
  if (self->self_pad)
    g_object_set (self->self_pad, "alpha", self->self_view ? 1.0 : 0.0, NULL);
}

void
call_attach_video_output (ScCall *self)
{
  g_autofree char *description = NULL;

  if (self->video_tee == NULL || self->video_branch != NULL)
    return;
  switch (self->video_output)
    {
    case SC_VIDEO_OUTPUT_NONE:
      return;
    case SC_VIDEO_OUTPUT_WINDOW:
      {
        /* async=false: this sink joins a pipeline that is already playing, and must not
         * make it wait for a preroll. */
        g_autofree char *rest = g_strdup_printf ("videoconvert ! videoscale ! %s async=false",
                                                 window_sink_name ());
        description = with_self_view ("queue max-size-buffers=3 leaky=downstream", rest);
        break;
      }
    case SC_VIDEO_OUTPUT_TERMINAL:
      {
        g_autofree char *caps = terminal_caps_string (&self->video_target);
        g_autofree char *rest = g_strdup_printf (
          "videoscale add-borders=true ! videoconvert dither=none ! capsfilter "
          "name=terminalcaps caps=\"%s\" ! appsink name=terminalsink max-buffers=1 drop=true "
          "sync=false async=false", caps);
        description = with_self_view ("queue max-size-buffers=1 leaky=downstream", rest);
        break;
      }
    case SC_VIDEO_OUTPUT_PIPELINE:
      description = g_strdup (self->config->video_sink);
      break;
    }

  g_autoptr(GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (description, TRUE, &error);
  if (bin == NULL)
    {
      g_signal_emit (self, call_signals[SIG_FAILED], 0, error->message);
      return;
    }
  gst_bin_add (GST_BIN (self->pipeline), bin);

  g_autoptr(GstElement) mix = gst_bin_get_by_name (GST_BIN (bin), "selfmix");
  if (mix)
    {
      g_autoptr(GstPad) peer_pad = gst_element_get_static_pad (mix, "sink_0");
      self->self_pad = gst_element_get_static_pad (mix, "sink_1");
      SelfViewPlace *place = g_new0 (SelfViewPlace, 1);
      place->self_pad = gst_object_ref (self->self_pad);
      place->size = gst_bin_get_by_name (GST_BIN (bin), "selfsize");
      place->hold = gst_pad_add_probe (self->self_pad, GST_PAD_PROBE_TYPE_BLOCK_DOWNSTREAM,
                                       hold_self_view, NULL, NULL);
      g_autoptr(GstPad) sized = gst_element_get_static_pad (place->size, "src");
      gst_pad_add_probe (sized, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                         drop_until_placed, place, NULL);
      gst_pad_add_probe (peer_pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, place_self_view, place,
                         (GDestroyNotify) self_view_place_free);
      g_autoptr(GstPad) mixed = gst_element_get_static_pad (mix, "src");
      gst_pad_add_probe (mixed, GST_PAD_PROBE_TYPE_BUFFER, retitle_probe, self, NULL);
      show_self_view (self);
    }
  if (self->video_output == SC_VIDEO_OUTPUT_TERMINAL)
    {
      g_autoptr(GstElement) appsink = gst_bin_get_by_name (GST_BIN (bin), "terminalsink");
      GstAppSinkCallbacks callbacks = { .new_sample = on_terminal_sample };
      gst_app_sink_set_callbacks (GST_APP_SINK (appsink), &callbacks, self, NULL);
      self->terminal_caps = gst_bin_get_by_name (GST_BIN (bin), "terminalcaps");
    }

  /* The branch reaches the pipeline's state before it is linked: a buffer pushed into a
   * branch still in NULL comes back FLUSHING, which the tee would pass upstream, and
   * that stops the decoder's streaming thread for the rest of the call. */
  gst_element_sync_state_with_parent (bin);
  VideoBranch *branch = g_new0 (VideoBranch, 1);
  branch->bin = gst_object_ref (bin);
  branch->tee_pad = gst_element_request_pad_simple (self->video_tee, "src_%u");
  g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (bin, "sink");
  if (sink_pad == NULL || gst_pad_link (branch->tee_pad, sink_pad) != GST_PAD_LINK_OK)
    g_warning ("cannot link the video output “%s”", description);
  self->video_branch = branch;
}

static GstPadProbeReturn
detach_probe (GstPad *tee_pad, GstPadProbeInfo *info, gpointer data)
{
  CallEvent *ev = data;
  g_autoptr(GstPad) peer = gst_pad_get_peer (tee_pad);
  if (peer)
    gst_pad_unlink (tee_pad, peer);
  call_post (ev);   /* the rest happens on the main context */
  return GST_PAD_PROBE_REMOVE;
}

static void
detach_video_output (ScCall *self)
{
  VideoBranch *branch = g_steal_pointer (&self->video_branch);
  if (branch == NULL)
    return;
  g_clear_object (&self->terminal_caps);
  g_clear_object (&self->self_pad);

  /* Unlink when no buffer is passing, then stop and drop the branch. */
  CallEvent *ev = call_event_new (self, EV_BRANCH_DETACHED);
  ev->branch = branch;
  gst_pad_add_probe (branch->tee_pad, GST_PAD_PROBE_TYPE_IDLE, detach_probe, ev, NULL);
}

/**
 * sc_call_set_video_output:
 * Switches how the remote video is shown, during the call too. A window closes when it
 * is switched away from.
 */
void
sc_call_set_video_output (ScCall *self, ScVideoOutput output)
{
  g_return_if_fail (SC_IS_CALL (self));
  if (output == self->video_output)
    return;
  self->video_output = output;
  if (g_atomic_int_get (&self->stopped))
    return;
  detach_video_output (self);
  call_attach_video_output (self);
}

/**
 * sc_call_set_self_view:
 * Shows or hides the self-view in the window or terminal picture, during the call too.
 */
void
sc_call_set_self_view (ScCall *self, gboolean on)
{
  g_return_if_fail (SC_IS_CALL (self));
  self->self_view = on;
  show_self_view (self);
}

/**
 * sc_call_set_video_target:
 * The size (and colour depth) of the terminal picture; the scaler follows at once.
 */
void
sc_call_set_video_target (ScCall *self, const ScVideoTarget *target)
{
  g_return_if_fail (SC_IS_CALL (self));
  if (target->width == self->video_target.width && target->height == self->video_target.height &&
      target->truecolor == self->video_target.truecolor)
    return;
  self->video_target = *target;
  if (self->terminal_caps)
    {
      g_autofree char *text = terminal_caps_string (target);
      g_autoptr(GstCaps) caps = gst_caps_from_string (text);
      g_object_set (self->terminal_caps, "caps", caps, NULL);
    }
}
