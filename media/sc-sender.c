/* sc-sender.c: see sc-sender.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "sc-feed.h"
#include "sc-frame-stamp.h"
#include "sc-sender.h"
#include "sc-test-picture.h"

G_DEFINE_QUARK (sc-sender-error-quark, sc_sender_error)

struct _ScSender
{
  GObject parent_instance;

  GstElement *pipeline;
  GstElement *video_encoder;
  GstElement *camera_balance;
  GstElement *mic_volume;        /* NULL without an audio source */
  GSource *bus_source;
  char *card_name;               /* drawn on the card when there is no camera */

  GMutex lock;                   /* guards the five below; never held while pushing */
  ScFeed *video_target;
  ScFeed *audio_target;
  gboolean need_keyframe;        /* drop delta frames until the next keyframe */
  gboolean holding;              /* the call is not connected: keep its first keyframe */
  GstSample *held;               /* that keyframe, pushed when the call is released */
};

G_DEFINE_FINAL_TYPE (ScSender, sc_sender, G_TYPE_OBJECT)

/* No camera: a card with the user's name and "no camera", drawn here (pango's
 * textoverlay; its text is markup, so the name is escaped), 15 pictures a second. */
#define CARD_BACKGROUND "0xff2b3a42"

static char *
video_source_description (const char *choice)
{
  /* The background only; test_picture_probe draws the ball (see sc-test-picture.h). */
  if (g_str_equal (choice, "test"))
    return g_strdup ("videotestsrc name=testpicture is-live=true pattern=solid-color "
                     "foreground-color=" SC_TEST_PICTURE_BACKGROUND " "
                     "! video/x-raw,format=I420,width=640,height=480,framerate=30/1");
  if (g_str_equal (choice, "card"))
    return g_strdup ("videotestsrc is-live=true pattern=solid-color foreground-color="
                     CARD_BACKGROUND " ! video/x-raw,format=I420,width=640,height=480,"
                     "framerate=15/1 ! textoverlay name=card halignment=center "
                     "valignment=center line-alignment=center shaded-background=false "
                     "font-desc=\"Sans Bold 30\"");
  if (g_str_equal (choice, "camera"))
    return g_strdup ("autovideosrc");
  return g_strdup (choice);
}

static char *
audio_source_description (const char *choice)
{
  /* 48 kHz mono, Opus's own rate (nothing to resample), one buffer per Opus frame. */
  if (g_str_equal (choice, "test"))
    return g_strdup ("audiotestsrc is-live=true wave=sine freq=440 volume=0.2 samplesperbuffer=1920 "
                     "! audio/x-raw,rate=48000,channels=1");
  if (g_str_equal (choice, "mic"))
    return g_strdup ("autoaudiosrc");
  return g_strdup (choice);
}

/* The frames are pushed on this (the encoder's or the microphone's) thread, outside the
 * lock: a push runs the call's whole sending path, and a call going down meanwhile only
 * makes it return FLUSHING. */
static GstFlowReturn
on_video_sample (GstAppSink *sink, gpointer data)
{
  ScSender *self = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  if (sample == NULL)
    return GST_FLOW_OK;
  gboolean delta = GST_BUFFER_FLAG_IS_SET (gst_sample_get_buffer (sample),
                                           GST_BUFFER_FLAG_DELTA_UNIT);

  g_autoptr(ScFeed) target = NULL;
  g_mutex_lock (&self->lock);
  if (self->video_target && self->holding && !delta)
    {
      g_clear_pointer (&self->held, gst_sample_unref);
      self->held = gst_sample_ref (sample);
    }
  else if (self->video_target && !self->holding && !(delta && self->need_keyframe))
    {
      self->need_keyframe = FALSE;
      target = g_object_ref (self->video_target);
    }
  g_mutex_unlock (&self->lock);
  if (target)
    sc_feed_push (target, sample);
  return GST_FLOW_OK;
}

static GstFlowReturn
on_audio_sample (GstAppSink *sink, gpointer data)
{
  ScSender *self = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  if (sample == NULL)
    return GST_FLOW_OK;

  g_autoptr(ScFeed) target = NULL;
  g_mutex_lock (&self->lock);
  if (self->audio_target && !self->holding)
    target = g_object_ref (self->audio_target);
  g_mutex_unlock (&self->lock);
  if (target)
    sc_feed_push (target, sample);
  return GST_FLOW_OK;
}

/* Maps @buffer's picture for writing when it is I420; the pad's caps describe it. */
static gboolean
map_i420 (GstPad *pad, GstBuffer *buffer, GstVideoFrame *frame)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  GstVideoInfo video;
  return caps && gst_video_info_from_caps (&video, caps) &&
         GST_VIDEO_INFO_FORMAT (&video) == GST_VIDEO_FORMAT_I420 &&
         gst_video_frame_map (frame, &video, buffer, GST_MAP_WRITE);
}

/* The test picture's ball, drawn where it is at the picture's time. */
static GstPadProbeReturn
test_picture_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  GstVideoFrame frame;
  if (GST_BUFFER_PTS_IS_VALID (buffer) && map_i420 (pad, buffer, &frame))
    {
      ScPlanes planes = {
        .y = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
        .u = GST_VIDEO_FRAME_PLANE_DATA (&frame, 1),
        .v = GST_VIDEO_FRAME_PLANE_DATA (&frame, 2),
        .y_stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
        .u_stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 1),
        .v_stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 2),
        .width = GST_VIDEO_FRAME_WIDTH (&frame),
        .height = GST_VIDEO_FRAME_HEIGHT (&frame),
      };
      sc_test_picture_draw (&planes, GST_BUFFER_PTS (buffer) / GST_MSECOND);
      gst_video_frame_unmap (&frame);
    }
  return GST_PAD_PROBE_OK;
}

/* Glass-to-glass benchmark: each picture carries the time it left the camera's
 * conversion, just before it is queued for the encoder. */
static GstPadProbeReturn
stamp_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  GstVideoFrame frame;
  if (map_i420 (pad, buffer, &frame))
    {
      sc_frame_stamp_write (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
                            GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
                            GST_VIDEO_FRAME_WIDTH (&frame), GST_VIDEO_FRAME_HEIGHT (&frame),
                            sc_frame_stamp_now ());
      gst_video_frame_unmap (&frame);
    }
  return GST_PAD_PROBE_OK;
}

/* "SOURCE ! CHAIN ! appsink" as one bin in the pipeline; one description, so that a
 * source may end in caps. The chain names the elements the sender controls later. With
 * @device, the device's own element is the source instead of @source. */
static gboolean
add_branch (ScSender *self, GstDevice *device, const char *source, const char *chain,
            const char *more, GstAppSinkCallbacks *callbacks, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *description = g_strdup_printf (
    "%s%s%s ! appsink name=out sync=false async=false max-buffers=4 drop=false "
    "emit-signals=false %s", device ? "" : source, device ? "" : " ! ", chain, more);
  GstElement *bin = gst_parse_bin_from_description (description, device != NULL, &local);
  if (bin == NULL)
    {
      g_set_error (error, SC_SENDER_ERROR, 0, "cannot make the source “%s”: %s", source,
                   local->message);
      return FALSE;
    }
  if (device)
    {
      GstElement *element = gst_device_create_element (device, NULL);
      if (element == NULL)
        {
          gst_object_unref (bin);
          g_set_error (error, SC_SENDER_ERROR, 0, "cannot open the device “%s”", source);
          return FALSE;
        }
      GstElement *both = gst_bin_new (NULL);
      gst_bin_add_many (GST_BIN (both), element, bin, NULL);
      if (!gst_element_link (element, bin))
        {
          gst_object_unref (both);
          g_set_error (error, SC_SENDER_ERROR, 0, "cannot use the device “%s”", source);
          return FALSE;
        }
      bin = both;
    }
  gst_bin_add (GST_BIN (self->pipeline), bin);

  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (bin), "out");
  if (sink == NULL)
    {
      g_set_error (error, SC_SENDER_ERROR, 0, "cannot use the source “%s”", source);
      return FALSE;
    }
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), callbacks, self, NULL);

  GstElement *named;
  if ((named = gst_bin_get_by_name (GST_BIN (bin), "encoder")))
    self->video_encoder = named;
  if ((named = gst_bin_get_by_name (GST_BIN (bin), "camera")))
    self->camera_balance = named;
  if ((named = gst_bin_get_by_name (GST_BIN (bin), "mic")))
    self->mic_volume = named;
  if ((named = gst_bin_get_by_name (GST_BIN (bin), "stamp")))
    {
      g_autoptr(GstPad) pad = gst_element_get_static_pad (named, "src");
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, stamp_probe, NULL, NULL);
      gst_object_unref (named);
    }
  if ((named = gst_bin_get_by_name (GST_BIN (bin), "card")))
    {
      g_autofree char *markup = g_markup_printf_escaped (
        "%s\n<span size=\"smaller\" weight=\"normal\">%s</span>",
        self->card_name ? self->card_name : "", _("no camera"));
      g_object_set (named, "text", markup, NULL);
      gst_object_unref (named);
    }
  if ((named = gst_bin_get_by_name (GST_BIN (bin), "testpicture")))
    {
      g_autoptr(GstPad) pad = gst_element_get_static_pad (named, "src");
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, test_picture_probe, NULL, NULL);
      gst_object_unref (named);
    }
  return TRUE;
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer data)
{
  ScSender *self = data;
  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;
      gst_message_parse_error (message, &error, &debug);
      g_warning ("capture error from %s: %s (%s)", GST_OBJECT_NAME (message->src),
                 error->message, debug ? debug : "");
    }
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_LATENCY)
    gst_bin_recalculate_latency (GST_BIN (self->pipeline));
  return G_SOURCE_CONTINUE;
}

ScSender *
sc_sender_new (const ScMediaConfig *config, GError **error)
{
  g_autoptr(ScSender) self = g_object_new (SC_TYPE_SENDER, NULL);
  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("capture"));

  g_autofree char *video_src = video_source_description (config->video_source);
  /* One encoder thread: libvpx's VP8 worker threads busy-wait, which doubled the
   * encoder's CPU time on two loaded cores (measured: 20 % → 10 % of a core at
   * 640x480@30). The queue before the encoder drops late pictures rather than
   * delaying the newest. */
  /* I420 is what vp8enc takes anyway; fixed here so that the stamp knows its plane. */
  g_autofree char *video_chain = g_strdup_printf (
    "videoconvert ! videobalance name=camera ! video/x-raw,format=I420 ! tee name=selftee ! %s"
    "queue name=vp8enc max-size-buffers=2 leaky=downstream ! vp8enc name=encoder deadline=1 cpu-used=16 end-usage=cbr target-bitrate=800000 "
    "lag-in-frames=0 keyframe-max-dist=300 threads=1",
    config->stamp_frames ? "identity name=stamp ! " : "");
  /* A device's pictures come as the device gives them: to the size and rate the call
   * sends (the aspect kept, with borders). */
  g_autofree char *device_chain = g_strdup_printf (
    "videoconvert ! videoscale ! videorate ! video/x-raw,width=640,height=480,"
    "framerate=30/1 ! %s", video_chain);
  GstAppSinkCallbacks video_callbacks = { .new_sample = on_video_sample };
  self->card_name = g_strdup (config->card_name);
  /* The self-view: what is sent (the camera off: black), small, to every call's window
   * or terminal picture through GStreamer's inter elements (sc-sender.h). */
  const char *self_view =
    "selftee. ! queue leaky=downstream max-size-buffers=1 ! videorate drop-only=true "
    "max-rate=" G_STRINGIFY (SC_SELF_VIEW_FPS) " ! videoscale ! videoconvert "
    "! video/x-raw,format=I420,width=" G_STRINGIFY (SC_SELF_VIEW_WIDTH) ",height="
    G_STRINGIFY (SC_SELF_VIEW_HEIGHT) " ! intervideosink channel=" SC_SELF_VIEW_CHANNEL
    " sync=false async=false";
  if (!add_branch (self, config->video_device, video_src,
                   config->video_device ? device_chain : video_chain, self_view,
                   &video_callbacks, error))
    return NULL;

  if (!g_str_equal (config->audio_source, "none"))
    {
      g_autofree char *audio_src = audio_source_description (config->audio_source);
      /* Encoded on the source's own thread: an Opus frame takes ~0.2 ms, and a queue's
       * thread for it cost more in wake-ups than the encoding itself. 40 ms frames, not
       * the usual 20: every packet wakes five threads on its way from the microphone to
       * the peer's decoder, and on this machine each wake-up costs 0.1–0.2 ms of CPU —
       * half the packets took 1.5–2 % of a core off each client. The price is 20 ms more
       * audio delay, well below what a conversation notices. Complexity 5 of 10: a fifth
       * less encoding time here, for a little quality at the same bit rate. */
      const char *audio_chain =
        "audioconvert ! audioresample ! volume name=mic ! opusenc frame-size=40 complexity=5";
      GstAppSinkCallbacks audio_callbacks = { .new_sample = on_audio_sample };
      if (!add_branch (self, config->audio_device, audio_src, audio_chain, "", &audio_callbacks,
                       error))
        return NULL;
    }

  sc_sender_set_mic_muted (self, config->mic_muted);
  sc_sender_set_camera_off (self, config->camera_off);

  g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus_message), self, NULL);
  g_source_attach (self->bus_source, g_main_context_get_thread_default ());
  return g_steal_pointer (&self);
}

gboolean
sc_sender_start (ScSender *self, GError **error)
{
  g_return_val_if_fail (SC_IS_SENDER (self), FALSE);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, SC_SENDER_ERROR, 0,
                           "the media pipeline would not start (is the camera or microphone "
                           "available?)");
      return FALSE;
    }
  return TRUE;
}

void
sc_sender_stop (ScSender *self)
{
  g_return_if_fail (SC_IS_SENDER (self));
  g_mutex_lock (&self->lock);
  g_clear_object (&self->video_target);
  g_clear_object (&self->audio_target);
  g_clear_pointer (&self->held, gst_sample_unref);
  g_mutex_unlock (&self->lock);
  if (self->pipeline)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
}

gboolean
sc_sender_has_audio (ScSender *self)
{
  return self->mic_volume != NULL;
}

void
sc_sender_attach (ScSender *self, ScFeed *video, ScFeed *audio)
{
  g_return_if_fail (SC_IS_SENDER (self));
  g_mutex_lock (&self->lock);
  g_set_object (&self->video_target, video);
  g_set_object (&self->audio_target, audio);
  g_clear_pointer (&self->held, gst_sample_unref);
  self->need_keyframe = TRUE;
  self->holding = TRUE;
  g_mutex_unlock (&self->lock);
  sc_sender_force_keyframe (self);
}

void
sc_sender_release (ScSender *self, ScFeed *video)
{
  g_return_if_fail (SC_IS_SENDER (self));
  g_autoptr(GstSample) held = NULL;
  g_mutex_lock (&self->lock);
  gboolean ours = self->video_target == video && self->holding;
  if (ours)
    held = g_steal_pointer (&self->held);
  g_mutex_unlock (&self->lock);
  if (!ours)
    return;

  /* Still holding while the kept keyframe goes out from here, so that nothing from the
   * encoder's thread overtakes it. */
  if (held)
    sc_feed_push (video, held);
  g_mutex_lock (&self->lock);
  if (self->video_target == video && self->holding)
    {
      self->holding = FALSE;
      /* The frames after the kept keyframe were not sent: the next one sent must not
       * refer to them. */
      self->need_keyframe = TRUE;
      g_clear_pointer (&self->held, gst_sample_unref);
    }
  g_mutex_unlock (&self->lock);
  sc_sender_force_keyframe (self);
}

void
sc_sender_detach (ScSender *self, ScFeed *video)
{
  g_return_if_fail (SC_IS_SENDER (self));
  g_mutex_lock (&self->lock);
  if (self->video_target == video)
    {
      g_clear_object (&self->video_target);
      g_clear_object (&self->audio_target);
      g_clear_pointer (&self->held, gst_sample_unref);
    }
  g_mutex_unlock (&self->lock);
}

void
sc_sender_force_keyframe (ScSender *self)
{
  g_return_if_fail (SC_IS_SENDER (self));
  if (self->video_encoder == NULL)
    return;
  g_autoptr(GstPad) pad = gst_element_get_static_pad (self->video_encoder, "src");
  gst_pad_send_event (pad, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                        TRUE, 0));
}

void
sc_sender_set_mic_muted (ScSender *self, gboolean muted)
{
  if (self->mic_volume)
    g_object_set (self->mic_volume, "mute", muted, NULL);
}

void
sc_sender_set_camera_off (ScSender *self, gboolean off)
{
  /* Camera off sends black frames rather than none, so the peer's picture does not
   * freeze on the last frame and the stream stays negotiated. */
  if (self->camera_balance)
    g_object_set (self->camera_balance, "contrast", off ? 0.0 : 1.0,
                  "brightness", off ? -1.0 : 0.0, "saturation", off ? 0.0 : 1.0, NULL);
}

static void
sc_sender_dispose (GObject *object)
{
  ScSender *self = SC_SENDER (object);
  if (self->pipeline)
    sc_sender_stop (self);
  if (self->bus_source)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  g_clear_object (&self->video_encoder);
  g_clear_object (&self->camera_balance);
  g_clear_object (&self->mic_volume);
  g_clear_object (&self->pipeline);
  G_OBJECT_CLASS (sc_sender_parent_class)->dispose (object);
}

static void
sc_sender_finalize (GObject *object)
{
  ScSender *self = SC_SENDER (object);
  g_mutex_clear (&self->lock);
  g_free (self->card_name);
  G_OBJECT_CLASS (sc_sender_parent_class)->finalize (object);
}

static void
sc_sender_class_init (ScSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_sender_dispose;
  object_class->finalize = sc_sender_finalize;
}

static void
sc_sender_init (ScSender *self)
{
  g_mutex_init (&self->lock);
}
