/* test-media.c: the media pieces that need no other process: the frame stamp of the
 * glass-to-glass benchmark (raw, and through a real VP8 encoder and decoder), the test
 * picture, the process-wide sender's attach and detach with a real GStreamer pipeline,
 * the set-up of webrtcbin's ICE agent, the DTLS certificate, and an offer made ahead of
 * its match, answered by a second call in this process (127.0.0.1 only). */
#include "config.h"

#include <gio/gio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "sc-call.h"
#include "sc-dtls-certificate.h"
#include "sc-dtls-resend.h"
#include "sc-frame-stamp.h"
#include "sc-ice-agent.h"
#include "sc-media-config.h"
#include "sc-sender.h"
#include "sc-test-picture.h"

/* ---- The stamp alone ---------------------------------------------------------------- */

static void
test_stamp_round_trip (void)
{
  static const struct { guint width, height; gsize stride; } sizes[] = {
    { 160, 16, 160 }, { 320, 240, 320 }, { 640, 480, 640 }, { 641, 480, 704 }, { 1280, 720, 1280 },
  };
  static const guint32 values[] = { 0, 1, 0x80000000u, 0xDEADBEEFu, 0xFFFFFFFFu, 0x12345678u };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    for (guint j = 0; j < G_N_ELEMENTS (values); j++)
      {
        gsize size = sizes[i].stride * sizes[i].height;
        g_autofree guint8 *luma = g_malloc (size);
        memset (luma, 90, size);   /* grey, neither black nor white */
        g_assert_true (sc_frame_stamp_write (luma, sizes[i].stride, sizes[i].width,
                                             sizes[i].height, values[j]));
        guint32 read = 0;
        g_assert_true (sc_frame_stamp_read (luma, sizes[i].stride, sizes[i].width,
                                            sizes[i].height, &read));
        g_assert_cmphex (read, ==, values[j]);
      }
}

static void
test_stamp_refuses (void)
{
  guint8 luma[640 * 32];
  guint32 read = 0;

  /* No stamp: a blank picture, black or white. */
  memset (luma, 16, sizeof luma);
  g_assert_false (sc_frame_stamp_read (luma, 640, 640, 32, &read));
  memset (luma, 235, sizeof luma);
  g_assert_false (sc_frame_stamp_read (luma, 640, 640, 32, &read));

  /* Too small to hold one. */
  g_assert_false (sc_frame_stamp_write (luma, 100, 100, 32, 7));
  g_assert_false (sc_frame_stamp_write (luma, 640, 640, 8, 7));

  /* One value cell flipped: the check nibble no longer matches. */
  g_assert_true (sc_frame_stamp_write (luma, 640, 640, 32, 0x0F0F0F0Fu));
  guint cell_width = 640 / SC_FRAME_STAMP_CELLS;
  for (guint line = 0; line < SC_FRAME_STAMP_LINES; line++)
    memset (luma + line * 640 + 10 * cell_width, luma[line * 640 + 10 * cell_width] > 128 ? 16 : 235,
            cell_width);
  g_assert_false (sc_frame_stamp_read (luma, 640, 640, 32, &read));
}

static void
test_stamp_age (void)
{
  g_assert_cmpfloat (sc_frame_stamp_age_ms (1000, 1000 + 4200), ==, 42.0);
  /* Across the wrap of the 32-bit clock. */
  g_assert_cmpfloat (sc_frame_stamp_age_ms (0xFFFFFF00u, 0x00000100u), ==, 5.12);
}

/* ---- The stamp through VP8 ------------------------------------------------------------- */

static GstPadProbeReturn
stamp_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  guint *count = data;
  GstBuffer *buffer = gst_buffer_make_writable (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  GstMapInfo map;
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_WRITE));
  g_assert_true (sc_frame_stamp_write (map.data, 640, 640, 480, 0xC0DE0000u + (*count)++));
  gst_buffer_unmap (buffer, &map);
  return GST_PAD_PROBE_OK;
}

static void
test_stamp_through_vp8 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (
    "videotestsrc num-buffers=30 pattern=ball ! video/x-raw,format=I420,width=640,height=480 "
    "! identity name=stamp ! vp8enc deadline=1 cpu-used=8 end-usage=cbr target-bitrate=800000 "
    "lag-in-frames=0 ! vp8dec ! video/x-raw,format=I420 ! appsink name=out sync=false",
    &error);
  g_assert_no_error (error);
  guint written = 0;
  g_autoptr(GstElement) stamp = gst_bin_get_by_name (GST_BIN (pipeline), "stamp");
  g_autoptr(GstPad) pad = gst_element_get_static_pad (stamp, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, stamp_probe, &written, NULL);
  g_autoptr(GstElement) out = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  guint read_count = 0;
  GstSample *sample;
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (out), 5 * GST_SECOND)))
    {
      GstVideoInfo info;
      GstVideoFrame frame;
      g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
      g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample),
                                          GST_MAP_READ));
      guint32 value = 0;
      g_assert_true (sc_frame_stamp_read (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0),
                                          GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0),
                                          GST_VIDEO_FRAME_WIDTH (&frame),
                                          GST_VIDEO_FRAME_HEIGHT (&frame), &value));
      g_assert_cmphex (value, ==, 0xC0DE0000u + read_count);
      read_count++;
      gst_video_frame_unmap (&frame);
      gst_sample_unref (sample);
    }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_assert_cmpuint (written, ==, 30);
  g_assert_cmpuint (read_count, ==, 30);
}

/* ---- The test picture ------------------------------------------------------------------ */

static const struct { guint width, height; } picture_sizes[] = {
  { 640, 480 }, { 320, 240 }, { 1280, 720 }, { 33, 17 }, { 2, 2 }, { 5, 3 },
};

/* Wherever it is, the ball is wholly inside the picture, and it moves. */
static void
test_picture_geometry (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (picture_sizes); i++)
    {
      guint w = picture_sizes[i].width, h = picture_sizes[i].height;
      guint moves = 0, last_x = G_MAXUINT;
      for (guint64 msec = 0; msec < 120000; msec += 7)
        {
          guint cx, cy, r;
          sc_test_picture_ball (w, h, msec, &cx, &cy, &r);
          g_assert_cmpuint (r, >=, 1);
          g_assert_cmpuint (cx, >=, r);
          g_assert_cmpuint (cy, >=, r);
          g_assert_cmpuint (cx + r, <=, w);
          g_assert_cmpuint (cy + r, <=, h);
          moves += cx != last_x;
          last_x = cx;
        }
      if (w >= 32)
        g_assert_cmpuint (moves, >, 500);
    }
  /* Far into a long call the arithmetic still holds (no overflow in msec × speed). */
  guint cx, cy, r;
  sc_test_picture_ball (640, 480, G_GUINT64_CONSTANT (1) << 50, &cx, &cy, &r);
  g_assert_cmpuint (cx + r, <=, 640);
}

/* Planes of exactly the picture's size, so that AddressSanitizer catches a stray write. */
static void
test_picture_draw (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (picture_sizes); i++)
    {
      guint w = picture_sizes[i].width, h = picture_sizes[i].height;
      guint cw = (w + 1) / 2, ch = (h + 1) / 2;
      g_autofree guint8 *y = g_malloc (w * h);
      g_autofree guint8 *u = g_malloc (cw * ch);
      g_autofree guint8 *v = g_malloc (cw * ch);
      for (guint64 msec = 0; msec < 5000; msec += 333)
        {
          memset (y, 16, w * h);
          memset (u, 128, cw * ch);
          memset (v, 128, cw * ch);
          ScPlanes planes = { y, u, v, w, cw, cw, w, h };
          sc_test_picture_draw (&planes, msec);

          guint cx, cy, r;
          sc_test_picture_ball (w, h, msec, &cx, &cy, &r);
          guint changed = 0;
          for (guint j = 0; j < w * h; j++)
            changed += y[j] != 16;
          if (r < 8)
            continue;   /* too small a disc to compare with π r² */
          /* The disc's area, give or take its rim; its colour at its centre. */
          double area = G_PI * r * r;
          g_assert_cmpfloat (changed, >, area * 0.85);
          g_assert_cmpfloat (changed, <, area * 1.15);
          g_assert_cmpuint (y[cy * w + cx], ==, SC_TEST_PICTURE_BALL_Y);
          g_assert_cmpuint (u[cy / 2 * cw + cx / 2], ==, SC_TEST_PICTURE_BALL_U);
          g_assert_cmpuint (v[cy / 2 * cw + cx / 2], ==, SC_TEST_PICTURE_BALL_V);
          /* Outside the ball's square nothing changed. */
          guint far_x = cx > w / 2 ? 0 : w - 1, far_y = cy > h / 2 ? 0 : h - 1;
          g_assert_cmpuint (y[far_y * w + far_x], ==, 16);
        }
    }
}

/* Where the orange ball is in a decoded I420 picture: the mean position of its pixels. */
static gboolean
find_ball (GstSample *sample, double *x, double *y)
{
  GstVideoInfo info;
  GstVideoFrame frame;
  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return FALSE;
  const guint8 *u = GST_VIDEO_FRAME_PLANE_DATA (&frame, 1);
  const guint8 *v = GST_VIDEO_FRAME_PLANE_DATA (&frame, 2);
  gsize us = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 1), vs = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 2);
  double sx = 0, sy = 0;
  guint n = 0;
  for (guint row = 0; row < (guint) (GST_VIDEO_FRAME_HEIGHT (&frame) + 1) / 2; row++)
    for (guint col = 0; col < (guint) (GST_VIDEO_FRAME_WIDTH (&frame) + 1) / 2; col++)
      if (ABS ((int) u[row * us + col] - SC_TEST_PICTURE_BALL_U) < 16 &&
          ABS ((int) v[row * vs + col] - SC_TEST_PICTURE_BALL_V) < 16)
        sx += col * 2, sy += row * 2, n++;
  gst_video_frame_unmap (&frame);
  if (n < 100)
    return FALSE;
  *x = sx / n;
  *y = sy / n;
  return TRUE;
}

/* `--video-source test` and `--audio-source test` through the real sender: an orange
 * ball that moves, through VP8; Opus in 40 ms packets. */
static void
test_sender_test_sources (void)
{
  g_autoptr(ScMediaConfig) config = sc_media_config_new ();
  g_assert_cmpstr (config->video_source, ==, "test");
  g_assert_cmpstr (config->audio_source, ==, "test");
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSender) sender = sc_sender_new (config, &error);
  g_assert_no_error (error);
  g_assert_true (sc_sender_has_audio (sender));
  g_assert_true (sc_sender_start (sender, &error));

  g_autoptr(GstElement) call = gst_parse_launch (
    "vp8dec name=decoder ! video/x-raw,format=I420 ! appsink name=pictures sync=false async=false "
    "appsink name=packets sync=false async=false", &error);
  g_assert_no_error (error);
  g_autoptr(GstElement) decoder = gst_bin_get_by_name (GST_BIN (call), "decoder");
  g_autoptr(GstElement) pictures = gst_bin_get_by_name (GST_BIN (call), "pictures");
  g_autoptr(GstElement) packets = gst_bin_get_by_name (GST_BIN (call), "packets");
  g_autoptr(GstPad) decoder_in = gst_element_get_static_pad (decoder, "sink");
  g_autoptr(GstPad) packets_in = gst_element_get_static_pad (packets, "sink");
  g_autoptr(ScFeed) video = sc_feed_new (call, decoder_in, &error);
  g_assert_no_error (error);
  g_autoptr(ScFeed) audio = sc_feed_new (call, packets_in, &error);
  g_assert_no_error (error);
  gst_element_set_state (call, GST_STATE_PLAYING);
  sc_sender_attach (sender, video, audio);
  sc_sender_release (sender, video);

  double x0 = -1, y0 = -1, x1 = -1, y1 = -1;
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GstSample) s = gst_app_sink_try_pull_sample (GST_APP_SINK (pictures), 5 * GST_SECOND);
      g_assert_nonnull (s);
      double x, y;
      g_assert_true (find_ball (s, &x, &y));
      if (i == 0)
        x0 = x, y0 = y;
      x1 = x, y1 = y;
    }
  /* 19 frames at 30 fps: the ball went about 100 pixels across, 60 down (or bounced). */
  g_assert_cmpfloat (ABS (x1 - x0) + ABS (y1 - y0), >, 20);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GstSample) s = gst_app_sink_try_pull_sample (GST_APP_SINK (packets), 5 * GST_SECOND);
      g_assert_nonnull (s);
      g_assert_true (gst_structure_has_name (gst_caps_get_structure (gst_sample_get_caps (s), 0),
                                             "audio/x-opus"));
      GstBuffer *buffer = gst_sample_get_buffer (s);
      if (GST_BUFFER_DURATION_IS_VALID (buffer) && i > 0)
        g_assert_cmpuint (GST_BUFFER_DURATION (buffer), ==, 40 * GST_MSECOND);
    }

  sc_sender_detach (sender, video);
  sc_sender_stop (sender);
  gst_element_set_state (call, GST_STATE_NULL);
}

/* ---- The sender ------------------------------------------------------------------------ */

static void
test_sender_attach_detach (void)
{
  g_autoptr(ScMediaConfig) config = sc_media_config_new ();
  g_free (config->video_source);
  config->video_source = g_strdup ("videotestsrc is-live=true ! video/x-raw,width=320,"
                                   "height=240,framerate=30/1");
  g_free (config->audio_source);
  config->audio_source = g_strdup ("none");

  g_autoptr(GError) error = NULL;
  g_autoptr(ScSender) sender = sc_sender_new (config, &error);
  g_assert_no_error (error);
  g_assert_false (sc_sender_has_audio (sender));
  g_assert_true (sc_sender_start (sender, &error));

  /* A call's receiving end of the sender, as ScCall has it: a feed into the pipeline. */
  g_autoptr(GstElement) call = gst_pipeline_new ("call");
  g_autoptr(GstElement) out = gst_element_factory_make ("appsink", "out");
  g_object_set (out, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add (GST_BIN (call), gst_object_ref (out));
  g_autoptr(GstPad) out_in = gst_element_get_static_pad (out, "sink");
  g_autoptr(ScFeed) in = sc_feed_new (call, out_in, &error);
  g_assert_no_error (error);
  gst_element_set_state (call, GST_STATE_PLAYING);

  /* Let the encoder run a while: a call joining later still starts on a keyframe. */
  g_usleep (300 * 1000);
  sc_sender_attach (sender, in, NULL);

  /* Not connected yet: nothing goes out (what piled up would be stale); the sender keeps
   * the call's first keyframe. */
  g_assert_null (gst_app_sink_try_pull_sample (GST_APP_SINK (out), 300 * GST_MSECOND));

  /* Connected: that keyframe at once, pushed by the release itself... */
  sc_sender_release (sender, in);
  {
    g_autoptr(GstSample) kept = gst_app_sink_try_pull_sample (GST_APP_SINK (out), 0);
    g_assert_nonnull (kept);
    g_assert_false (GST_BUFFER_FLAG_IS_SET (gst_sample_get_buffer (kept), GST_BUFFER_FLAG_DELTA_UNIT));
  }
  /* ...then a fresh keyframe (the frames in between were never sent), then the rest. */
  GstClockTime last_pts = 0;
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (out), 5 * GST_SECOND);
      g_assert_nonnull (sample);
      GstBuffer *buffer = gst_sample_get_buffer (sample);
      /* The first is a keyframe, the ones after are not; stamped in this pipeline. */
      g_assert_cmpint (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT), ==, i > 0);
      g_assert_true (GST_BUFFER_PTS_IS_VALID (buffer));
      g_assert_cmpuint (GST_BUFFER_PTS (buffer), >, last_pts);
      last_pts = GST_BUFFER_PTS (buffer);
      g_assert_true (gst_structure_has_name (gst_caps_get_structure (gst_sample_get_caps (sample), 0),
                                             "video/x-vp8"));
    }
  /* The feed answers the questions a payloader asks upstream. */
  {
    g_autoptr(GstCaps) caps = gst_pad_peer_query_caps (out_in, NULL);
    g_assert_true (gst_structure_has_name (gst_caps_get_structure (caps, 0), "video/x-vp8"));
    g_autoptr(GstQuery) latency = gst_query_new_latency ();
    g_assert_true (gst_pad_peer_query (out_in, latency));
    gboolean live;
    gst_query_parse_latency (latency, &live, NULL, NULL);
    g_assert_true (live);
  }

  /* Detached: nothing more comes, whatever was in flight aside. */
  sc_sender_detach (sender, in);
  GstSample *late;
  while ((late = gst_app_sink_try_pull_sample (GST_APP_SINK (out), 100 * GST_MSECOND)))
    gst_sample_unref (late);
  g_assert_null (gst_app_sink_try_pull_sample (GST_APP_SINK (out), 300 * GST_MSECOND));

  /* Attached again (the next call): a keyframe first again. */
  sc_sender_attach (sender, in, NULL);
  g_usleep (100 * 1000);
  sc_sender_release (sender, in);
  g_autoptr(GstSample) again = gst_app_sink_try_pull_sample (GST_APP_SINK (out), 5 * GST_SECOND);
  g_assert_nonnull (again);
  g_assert_false (GST_BUFFER_FLAG_IS_SET (gst_sample_get_buffer (again), GST_BUFFER_FLAG_DELTA_UNIT));

  /* Pushing into a pipeline that has gone down fails, and blocks nothing. */
  gst_element_set_state (call, GST_STATE_NULL);
  g_assert_cmpint (sc_feed_push (in, again), ==, GST_FLOW_FLUSHING);

  sc_sender_detach (sender, in);
  sc_sender_stop (sender);
}

static void
test_sender_bad_source (void)
{
  g_autoptr(ScMediaConfig) config = sc_media_config_new ();
  g_free (config->video_source);
  config->video_source = g_strdup ("no-such-element-here");
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSender) sender = sc_sender_new (config, &error);
  g_assert_null (sender);
  g_assert_error (error, SC_SENDER_ERROR, 0);
  g_assert_nonnull (strstr (error->message, "no-such-element-here"));
}

/* ---- webrtcbin's ICE agent ------------------------------------------------------------ */

static GstElement *
new_webrtcbin (void)
{
  GstElement *webrtc = gst_element_factory_make ("webrtcbin", NULL);
  g_assert_nonnull (webrtc);
  return gst_object_ref_sink (webrtc);
}

static GObject *
nice_agent_of (GstElement *webrtc)
{
  g_autoptr(GObject) ice = NULL;
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  g_assert_nonnull (ice);
  GObject *agent = NULL;
  g_object_get (ice, "agent", &agent, NULL);
  g_assert_nonnull (agent);
  return agent;
}

static const char *
nomination_of (GObject *agent)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (agent), "nomination-mode");
  g_assert_true (pspec && G_IS_PARAM_SPEC_ENUM (pspec));
  int mode = -1;
  g_object_get (agent, "nomination-mode", &mode, NULL);
  GEnumValue *value = g_enum_get_value (G_PARAM_SPEC_ENUM (pspec)->enum_class, mode);
  g_assert_nonnull (value);
  return value->value_nick;
}

static void
test_ice_agent_setup (void)
{
  g_autoptr(ScMediaConfig) config = sc_media_config_new ();
  config->ice_addresses = g_strsplit ("127.0.0.1", ",", -1);
  g_autoptr(GError) error = NULL;

  /* webrtcbin's own agent nominates regularly: the change below is ours. */
  g_autoptr(GstElement) webrtc = new_webrtcbin ();
  g_autoptr(GObject) agent = nice_agent_of (webrtc);
  g_assert_cmpstr (nomination_of (agent), ==, "regular");

  g_assert_true (sc_ice_agent_configure (webrtc, config, &error));
  g_assert_no_error (error);
  gboolean upnp = TRUE, ice_tcp = TRUE;
  guint pacing = 0;
  g_object_get (agent, "upnp", &upnp, "stun-pacing-timer", &pacing, NULL);
  g_assert_false (upnp);   /* no SSDP multicast, ever */
  g_assert_cmpuint (pacing, ==, SC_ICE_PACING_MS);
  g_assert_cmpstr (nomination_of (agent), ==, "aggressive");
  /* Connected: the check timer's grace period as short as libnice allows. */
  guint idle = 0;
  g_object_get (agent, "idle-timeout", &idle, NULL);
  g_assert_cmpuint (idle, ==, 5000);
  sc_ice_agent_settle (webrtc);
  g_object_get (agent, "idle-timeout", &idle, NULL);
  g_assert_cmpuint (idle, ==, 50);
  g_autoptr(GObject) ice = NULL;
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  g_object_get (ice, "ice-tcp", &ice_tcp, NULL);
  g_assert_false (ice_tcp);
  GstWebRTCICETransportPolicy policy = GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY;
  g_object_get (webrtc, "ice-transport-policy", &policy, NULL);
  g_assert_cmpint (policy, ==, GST_WEBRTC_ICE_TRANSPORT_POLICY_ALL);

  /* Relay only. */
  g_autoptr(GstElement) relay = new_webrtcbin ();
  config->relay_only = TRUE;
  g_assert_true (sc_ice_agent_configure (relay, config, &error));
  g_assert_no_error (error);
  g_object_get (relay, "ice-transport-policy", &policy, NULL);
  g_assert_cmpint (policy, ==, GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY);

  /* A local address that is not one. */
  g_autoptr(GstElement) bad = new_webrtcbin ();
  g_strfreev (config->ice_addresses);
  config->ice_addresses = g_strsplit ("no-such-address", ",", -1);
  g_assert_false (sc_ice_agent_configure (bad, config, &error));
  g_assert_error (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE);
  g_assert_nonnull (strstr (error->message, "no-such-address"));
}

/* ---- The DTLS certificate ---------------------------------------------------------- */

static X509 *
certificate_of (const char *pem)
{
  BIO *in = BIO_new_mem_buf (pem, -1);
  X509 *cert = PEM_read_bio_X509 (in, NULL, NULL, NULL);
  BIO_free (in);
  g_assert_nonnull (cert);
  return cert;
}

/* "AB:CD:…", as a description's a=fingerprint:sha-256 gives it. */
static char *
fingerprint_of (const char *pem)
{
  X509 *cert = certificate_of (pem);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  g_assert_true (X509_digest (cert, EVP_sha256 (), digest, &length));
  X509_free (cert);
  GString *text = g_string_new (NULL);
  for (unsigned int i = 0; i < length; i++)
    g_string_append_printf (text, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (text, FALSE);
}

static void
test_dtls_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = sc_dtls_certificate_generate (&error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (pem, "-----BEGIN CERTIFICATE-----"));
  g_assert_nonnull (strstr (pem, "-----BEGIN PRIVATE KEY-----"));

  /* An ECDSA P-256 key, the certificate signed with it, valid now, and the key in the
   * PEM the one certified. */
  X509 *cert = certificate_of (pem);
  EVP_PKEY *public = X509_get0_pubkey (cert);
  g_assert_cmpint (EVP_PKEY_get_base_id (public), ==, EVP_PKEY_EC);
  char group[32] = "";
  g_assert_true (EVP_PKEY_get_group_name (public, group, sizeof group, NULL));
  g_assert_cmpstr (group, ==, "prime256v1");
  g_assert_cmpint (X509_verify (cert, public), ==, 1);
  g_assert_cmpint (X509_cmp_current_time (X509_get0_notBefore (cert)), <, 0);
  g_assert_cmpint (X509_cmp_current_time (X509_get0_notAfter (cert)), >, 0);
  BIO *in = BIO_new_mem_buf (pem, -1);
  EVP_PKEY *private = PEM_read_bio_PrivateKey (in, NULL, NULL, NULL);
  BIO_free (in);
  g_assert_nonnull (private);
  g_assert_cmpint (EVP_PKEY_eq (private, public), ==, 1);
  EVP_PKEY_free (private);
  X509_free (cert);

  /* Each one is new; the process's is made once. */
  g_autofree char *other = sc_dtls_certificate_generate (&error);
  g_assert_no_error (error);
  g_autofree char *a = fingerprint_of (pem), *b = fingerprint_of (other);
  g_assert_cmpstr (a, !=, b);
  g_autofree char *a2 = sc_dtls_certificate_fingerprint (pem, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a2, ==, a);
  g_assert_null (sc_dtls_certificate_fingerprint ("-----BEGIN CERTIFICATE-----\nnot base64\n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_autofree char *process = fingerprint_of (sc_dtls_certificate_get ());
  g_assert_cmpstr (process, ==, sc_dtls_certificate_get_fingerprint ());
  g_assert_nonnull (sc_dtls_certificate_get ());
  g_assert_true (sc_dtls_certificate_get () == sc_dtls_certificate_get ());
}

/* ---- An offer made ahead of the match ---------------------------------------------- */

typedef struct
{
  ScCall *peer;                   /* where this call's descriptions and candidates go */
  char *type;
  char *sdp;
  guint descriptions;
  guint candidates;
  gboolean connected;
  gboolean first_frame;
  gboolean answer_set;
  char *failure;
} CallEnd;

static void
end_description (ScCall *call, const char *type, const char *sdp, gpointer data)
{
  CallEnd *end = data;
  end->descriptions++;
  g_free (end->type);
  g_free (end->sdp);
  end->type = g_strdup (type);
  end->sdp = g_strdup (sdp);
  if (end->peer && g_str_equal (type, "answer"))
    {
      g_autoptr(GError) error = NULL;
      end->answer_set = sc_call_set_remote_description (end->peer, type, sdp, &error);
      g_assert_no_error (error);
    }
}

static void
end_candidate (ScCall *call, guint mline, const char *candidate, gpointer data)
{
  CallEnd *end = data;
  end->candidates++;
  if (end->peer)
    sc_call_add_remote_candidate (end->peer, mline, candidate);
}

static void
end_connected (ScCall *call, gpointer data)
{
  ((CallEnd *) data)->connected = TRUE;
}

static void
end_failed (ScCall *call, const char *message, gpointer data)
{
  CallEnd *end = data;
  g_free (end->failure);
  end->failure = g_strdup (message);
}

static void
end_first_frame (ScCall *call, guint width, guint height, gpointer data)
{
  ((CallEnd *) data)->first_frame = TRUE;
}

/* The calls' set-up timelines, as logged with their first frames (see log_writer()). */
static GPtrArray *timelines;

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (timelines && g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, "set-up timeline"))
      g_ptr_array_add (timelines, g_strdup (fields[i].value));
  return g_log_writer_default (level, fields, n_fields, data);
}

/* A mark of the offerer's timeline, in ms from its match; < 0 when absent. */
static double
offerer_mark (const char *name)
{
  for (guint i = 0; timelines && i < timelines->len; i++)
    {
      const char *line = g_ptr_array_index (timelines, i);
      if (!g_str_has_prefix (line, "set-up timeline (offerer"))
        continue;
      g_autofree char *key = g_strdup_printf (" %s=", name);
      const char *at = strstr (line, key);
      return at ? g_ascii_strtod (at + strlen (key), NULL) : -1;
    }
  return -1;
}

static void
spin (gint64 ms, gboolean *until)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < end && !(until && *until))
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

/* Calls on 127.0.0.1 only, that show nothing. */
static ScMediaConfig *
loopback_config (void)
{
  ScMediaConfig *config = sc_media_config_new ();
  g_strfreev (config->ice_addresses);
  config->ice_addresses = g_strsplit ("127.0.0.1", ",", -1);
  g_free (config->video_sink);
  config->video_sink = g_strdup ("none");
  return config;
}

/* A sender feeds one call at a time: each end of a call has its own. */
static ScSender *
started_sender (const ScMediaConfig *config)
{
  g_autoptr(GError) error = NULL;
  ScSender *sender = sc_sender_new (config, &error);
  g_assert_no_error (error);
  g_assert_true (sc_sender_start (sender, &error));
  return sender;
}

/* @end records what @call says, and hands its candidates (and answer) to @peer. */
static void
watch_end (ScCall *call, CallEnd *end, ScCall *peer)
{
  end->peer = peer;
  g_signal_connect (call, "local-description", G_CALLBACK (end_description), end);
  g_signal_connect (call, "local-candidate", G_CALLBACK (end_candidate), end);
  g_signal_connect (call, "connected", G_CALLBACK (end_connected), end);
  g_signal_connect (call, "first-frame", G_CALLBACK (end_first_frame), end);
  g_signal_connect (call, "failed", G_CALLBACK (end_failed), end);
}

static void
call_end_clear (CallEnd *end)
{
  g_free (end->type);
  g_free (end->sdp);
  g_free (end->failure);
}

/* This process's threads called @name (webrtcbin names its own): how many, and their
 * context switches in all (@wakeups may be NULL). */
static guint
threads_named (const char *name, guint64 *wakeups)
{
  guint count = 0;
  guint64 total = 0;
  g_autofree char *first_line = g_strdup_printf ("Name:\t%s\n", name);
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  g_assert_nonnull (tasks);
  const char *tid;
  while ((tid = g_dir_read_name (tasks)))
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/status", tid);
      g_autofree char *status = NULL;
      if (!g_file_get_contents (path, &status, NULL, NULL) ||
          !g_str_has_prefix (status, first_line))
        continue;
      count++;
      g_auto(GStrv) lines = g_strsplit (status, "\n", -1);
      for (guint i = 0; lines[i]; i++)
        if (strstr (lines[i], "ctxt_switches:"))
          total += g_ascii_strtoull (strchr (lines[i], ':') + 1, NULL, 10);
    }
  if (wakeups)
    *wakeups = total;
  return count;
}

static guint64
ice_thread_wakeups (void)
{
  guint64 wakeups = 0;
  threads_named ("webrtc:ice", &wakeups);
  return wakeups;
}

/* Every stopped call's webrtcbin is down: its negotiation thread is gone. (One left
 * PLAYING by a stop that raced its own thread kept the process from exiting.) */
static void
assert_no_webrtcbin_running (void)
{
  g_assert_cmpuint (threads_named ("webrtc:pc", NULL), ==, 0);
}

/* The offerer's call makes its offer and gathers while it waits: nothing is said
 * before the match, everything at once when it starts, and the offer works: a plain
 * call answers it, both connect and both show the other's picture. Such a call refuses
 * the answerer's role, and STUN or TURN servers (those come with a match, after its
 * candidates were gathered). */
static void
test_call_offer_ahead (void)
{
  g_autoptr(ScMediaConfig) config = loopback_config ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ScSender) sender = started_sender (config);
  g_autoptr(ScSender) sender2 = started_sender (config);

  CallEnd offerer = { 0 }, answerer = { 0 };
  g_autoptr(ScCall) ahead = sc_call_new (config, sender, &error);
  g_assert_no_error (error);
  g_autoptr(ScCall) plain = sc_call_new (config, sender2, &error);
  g_assert_no_error (error);
  watch_end (ahead, &offerer, plain);
  watch_end (plain, &answerer, ahead);
  timelines = g_ptr_array_new_with_free_func (g_free);

  g_assert_false (sc_call_is_offer_ready (ahead));
  g_assert_true (sc_call_prepare_offer (ahead, &error));
  g_assert_no_error (error);
  /* The offer is made and the candidates gathered meanwhile (the process's first
   * DTLS certificate too, so this may take a while). */
  gint64 give_up = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (!sc_call_is_offer_ready (ahead) && g_get_monotonic_time () < give_up)
    spin (10, NULL);
  g_assert_true (sc_call_is_offer_ready (ahead));
  g_assert_cmpuint (offerer.descriptions, ==, 0);
  g_assert_cmpuint (offerer.candidates, ==, 0);

  /* Started: the offer and its candidates come out before sc_call_start() returns. */
  g_assert_true (sc_call_start (ahead, TRUE, "bob", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (sc_call_is_offer_ready (ahead));
  g_assert_cmpuint (offerer.descriptions, ==, 1);
  g_assert_cmpstr (offerer.type, ==, "offer");
  g_assert_nonnull (strstr (offerer.sdp, "m=application"));   /* the chat channel */
  /* The call's DTLS certificate is the process's ECDSA one, not GStreamer's own. */
  g_autofree char *fingerprint = fingerprint_of (sc_dtls_certificate_get ());
  g_autofree char *fingerprint_line = g_strdup_printf ("a=fingerprint:sha-256 %s", fingerprint);
  g_assert_nonnull (strstr (offerer.sdp, fingerprint_line));
  g_assert_cmpuint (offerer.candidates, >=, 1);

  g_assert_true (sc_call_start (plain, FALSE, "alice", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (sc_call_set_remote_description (plain, "offer", offerer.sdp, &error));
  g_assert_no_error (error);
  spin (10000, &offerer.connected);
  spin (10000, &answerer.connected);
  g_assert_true (answerer.answer_set);
  g_assert_true (offerer.connected);
  g_assert_true (answerer.connected);

  /* Pictures both ways. The offerer sent its first frame once the answerer had shown
   * it had its keys (peer-ready), not after the fallback wait. */
  spin (10000, &offerer.first_frame);
  spin (10000, &answerer.first_frame);
  g_assert_true (offerer.first_frame);
  g_assert_true (answerer.first_frame);
  double ready = offerer_mark ("peer-ready"), sent = offerer_mark ("video-sent");
  g_assert_cmpfloat (ready, >, 0);
  g_assert_cmpfloat (ready, <=, sent);
  g_clear_pointer (&timelines, g_ptr_array_unref);

  /* Connected, the ICE agents' check timers stop: their threads go quiet instead of
   * waking every 5 ms for libnice's 5 s grace period (about 400 wake-ups a second for
   * the two agents). */
  spin (300, NULL);
  guint64 before = ice_thread_wakeups ();
  spin (1000, NULL);
  guint64 woken = ice_thread_wakeups () - before;
  g_test_message ("ICE threads woke %" G_GUINT64_FORMAT " times in 1 s of the call", woken);
  g_assert_cmpuint (woken, <, 50);
  /* Each side's DTLS handshake went out twice: the copies, 50 ms after, were sent. */
  for (ScCall **c = (ScCall *[]) { ahead, plain, NULL }; *c; c++)
    {
      guint copies = 0, dropped = 0;
      sc_call_get_dtls_copies (*c, &copies, &dropped);
      g_assert_cmpuint (copies, >=, 1);
      g_assert_cmpuint (dropped, ==, 0);
    }
  /* What assert_no_webrtcbin_running() looks for is there while calls run. */
  g_assert_cmpuint (threads_named ("webrtc:pc", NULL), >=, 2);

  /* The roles and servers a call made ahead cannot take. */
  g_autoptr(ScCall) other = sc_call_new (config, sender, &error);
  g_assert_no_error (error);
  g_assert_true (sc_call_prepare_offer (other, &error));
  g_assert_false (sc_call_start (other, FALSE, "carol", NULL, &error));
  g_assert_error (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE);
  g_clear_error (&error);
  g_autoptr(ScCall) stun = sc_call_new (config, sender, &error);
  g_assert_no_error (error);
  g_assert_true (sc_call_prepare_offer (stun, &error));
  const char *const servers[] = { "stun://127.0.0.1:3478", NULL };
  g_assert_false (sc_call_start (stun, TRUE, "dave", servers, &error));
  g_assert_error (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE);
  g_clear_error (&error);

  /* With relay_only there is nothing to gather before the match. */
  config->relay_only = TRUE;
  g_autoptr(ScCall) relay = sc_call_new (config, sender, &error);
  g_assert_no_error (error);
  g_assert_false (sc_call_prepare_offer (relay, &error));
  g_assert_error (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE);
  g_clear_error (&error);

  for (ScCall **c = (ScCall *[]) { ahead, plain, other, stun, relay, NULL }; *c; c++)
    sc_call_stop (*c);
  sc_call_join_teardowns ();
  assert_no_webrtcbin_running ();
  sc_sender_stop (sender);
  sc_sender_stop (sender2);
  call_end_clear (&offerer);
  call_end_clear (&answerer);
}

/* Calls stopped faster than the reaper tears them down (a starved CPU; here, stops in a
 * row): at most two wait for it, the rest go down in sc_call_stop() itself, so that
 * stopped calls, with their threads and sockets, never pile up. */
static void
test_call_teardown_backlog (void)
{
  g_autoptr(ScMediaConfig) config = loopback_config ();
  g_autoptr(ScSender) sender = started_sender (config);
  g_autoptr(GError) error = NULL;
  enum { CALLS = 8 };
  ScCall *calls[CALLS];
  for (guint i = 0; i < CALLS; i++)
    {
      calls[i] = sc_call_new (config, sender, &error);
      g_assert_no_error (error);
      g_assert_true (sc_call_prepare_offer (calls[i], &error));
      g_object_add_weak_pointer (G_OBJECT (calls[i]), (gpointer *) &calls[i]);
    }
  for (guint i = 0; i < CALLS; i++)
    {
      ScCall *call = calls[i];
      sc_call_stop (call);
      g_object_unref (call);
    }
  /* One being torn down by the reaper, two waiting: the others went down in
   * sc_call_stop(). */
  guint pending = sc_call_pending_teardowns ();
  g_test_message ("%u of %u stopped calls wait for the reaper", pending, CALLS);
  g_assert_cmpuint (pending, <=, 3);

  sc_call_join_teardowns ();
  assert_no_webrtcbin_running ();
  g_assert_cmpuint (sc_call_pending_teardowns (), ==, 0);
  /* Nothing but the events they posted to this (unrun) main context holds them. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < CALLS; i++)
    g_assert_null (calls[i]);
  sc_sender_stop (sender);
}

/* Two calls, each with its own sender, wired to each other: the caller has started and
 * made its offer (in caller_end.sdp); the callee is not started. */
typedef struct
{
  ScSender *senders[2];
  ScCall *caller;
  ScCall *callee;
  CallEnd caller_end;
  CallEnd callee_end;
} Pair;

static void
pair_offer (Pair *p, const ScMediaConfig *config)
{
  g_autoptr(GError) error = NULL;
  for (guint i = 0; i < 2; i++)
    p->senders[i] = started_sender (config);
  p->caller = sc_call_new (config, p->senders[0], &error);
  g_assert_no_error (error);
  p->callee = sc_call_new (config, p->senders[1], &error);
  g_assert_no_error (error);
  watch_end (p->caller, &p->caller_end, p->callee);
  watch_end (p->callee, &p->callee_end, p->caller);

  g_assert_true (sc_call_start (p->caller, TRUE, "bob", NULL, &error));
  g_assert_no_error (error);
  gint64 give_up = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (p->caller_end.descriptions == 0 && g_get_monotonic_time () < give_up)
    spin (10, NULL);
  g_assert_cmpstr (p->caller_end.type, ==, "offer");
}

/* Stops both calls and waits until they are down. */
static void
pair_clear (Pair *p)
{
  sc_call_stop (p->caller);
  sc_call_stop (p->callee);
  sc_call_join_teardowns ();
  assert_no_webrtcbin_running ();
  g_clear_object (&p->caller);
  g_clear_object (&p->callee);
  for (guint i = 0; i < 2; i++)
    {
      sc_sender_stop (p->senders[i]);
      g_clear_object (&p->senders[i]);
    }
  call_end_clear (&p->caller_end);
  call_end_clear (&p->callee_end);
}

/* A stranger's description whose certificate fingerprint is not the certificate it then
 * shows in the handshake: the call fails instead of connecting (webrtcbin 1.22 does not
 * compare them). Descriptions without one fingerprint are refused. */
static void
test_call_wrong_fingerprint (void)
{
  g_autoptr(ScMediaConfig) config = loopback_config ();
  g_autoptr(GError) error = NULL;
  Pair pair = { 0 };
  pair_offer (&pair, config);
  CallEnd *offerer = &pair.caller_end, *answerer = &pair.callee_end;
  const char *ours = sc_dtls_certificate_get_fingerprint ();
  g_assert_nonnull (strstr (offerer->sdp, ours));

  /* No fingerprint at all, and two different ones: refused. */
  g_autofree char *other_pem = sc_dtls_certificate_generate (&error);
  g_assert_no_error (error);
  g_autofree char *other = sc_dtls_certificate_fingerprint (other_pem, &error);
  g_assert_no_error (error);
  g_autoptr(GString) none = g_string_new (offerer->sdp);
  g_autofree char *ours_line = g_strdup_printf ("a=fingerprint:sha-256 %s\r\n", ours);
  g_string_replace (none, ours_line, "", 0);
  g_autoptr(GString) two = g_string_new (offerer->sdp);
  g_string_replace (two, ours, other, 1);
  for (GString **bad = (GString *[]) { none, two, NULL }; *bad; bad++)
    {
      g_autoptr(ScCall) refuses = sc_call_new (config, pair.senders[1], &error);
      g_assert_no_error (error);
      g_assert_true (sc_call_start (refuses, FALSE, "mallory", NULL, &error));
      g_assert_false (sc_call_set_remote_description (refuses, "offer", (*bad)->str, &error));
      g_assert_error (error, SC_CALL_ERROR, SC_CALL_ERROR_SDP);
      g_clear_error (&error);
      sc_call_stop (refuses);
    }

  /* Another certificate's fingerprint everywhere: the handshake completes, and the
   * callee finds the certificate it was shown is not the one announced. */
  g_autoptr(GString) forged = g_string_new (offerer->sdp);
  g_assert_cmpuint (g_string_replace (forged, ours, other, 0), >=, 1);
  g_assert_true (sc_call_start (pair.callee, FALSE, "mallory", NULL, &error));
  g_test_expect_message ("showcast-media", G_LOG_LEVEL_WARNING, "*not the one announced*");
  g_assert_true (sc_call_set_remote_description (pair.callee, "offer", forged->str, &error));
  g_assert_no_error (error);
  gint64 give_up = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  while (answerer->failure == NULL && !answerer->connected && g_get_monotonic_time () < give_up)
    spin (10, NULL);
  g_test_assert_expected_messages ();
  g_assert_false (answerer->connected);
  g_assert_nonnull (answerer->failure);
  g_assert_nonnull (strstr (answerer->failure, "certificate"));

  pair_clear (&pair);
}

/* Which datagrams a call sends twice: DTLS handshake flights only. */
static void
test_dtls_resend_classify (void)
{
  static const struct
  {
    guint8 first;
    gsize len;
    gboolean resent;
  } cases[] = {
    { 22, 100, TRUE },     /* handshake (ClientHello, ServerHello, …, Finished) */
    { 20, 14, TRUE },      /* change-cipher-spec, which starts a final flight */
    { 23, 100, FALSE },    /* application data: the data channel's SCTP */
    { 21, 100, FALSE },    /* alert */
    { 0, 100, FALSE },     /* STUN (ICE checks) */
    { 1, 100, FALSE },
    { 0x80, 100, FALSE },  /* SRTP */
    { 0xbf, 100, FALSE },  /* SRTCP */
    { 22, 12, FALSE },     /* shorter than a record header */
    { 22, 1501, FALSE },   /* larger than any datagram webrtcbin sends */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *data = g_malloc0 (cases[i].len);
      data[0] = cases[i].first;
      g_assert_cmpint (sc_dtls_is_handshake (data, cases[i].len), ==, cases[i].resent);
    }
  g_assert_false (sc_dtls_is_handshake (NULL, 0));
}

/* A call that stops sends none of the copies still waiting: they come off the clock
 * when it stops (here they would have gone out 10 s after their originals). */
static void
test_dtls_resend_close (void)
{
  g_autoptr(ScMediaConfig) config = loopback_config ();
  config->dtls_resend_ms = 10000;
  g_autoptr(GError) error = NULL;
  Pair pair = { 0 };
  pair_offer (&pair, config);
  g_assert_true (sc_call_start (pair.callee, FALSE, "alice", NULL, &error));
  g_assert_true (sc_call_set_remote_description (pair.callee, "offer", pair.caller_end.sdp,
                                                 &error));
  g_assert_no_error (error);
  spin (10000, &pair.caller_end.connected);
  spin (10000, &pair.callee_end.connected);
  g_assert_true (pair.caller_end.connected);
  g_assert_true (pair.callee_end.connected);

  ScCall *calls[] = { pair.caller, pair.callee };
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      guint sent = 0, dropped = 0;
      sc_call_get_dtls_copies (calls[i], &sent, &dropped);
      g_assert_cmpuint (sent, ==, 0);
      g_assert_cmpuint (dropped, ==, 0);
      sc_call_stop (calls[i]);
      sc_call_get_dtls_copies (calls[i], &sent, &dropped);
      g_assert_cmpuint (sent, ==, 0);
      g_assert_cmpuint (dropped, >=, 1);   /* at least its last flight's */
    }
  sc_call_join_teardowns ();
  spin (200, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      guint sent = 0;
      sc_call_get_dtls_copies (calls[i], &sent, NULL);
      g_assert_cmpuint (sent, ==, 0);
    }
  pair_clear (&pair);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);
  g_test_add_func ("/stamp/round-trip", test_stamp_round_trip);
  g_test_add_func ("/stamp/refuses", test_stamp_refuses);
  g_test_add_func ("/stamp/age", test_stamp_age);
  g_test_add_func ("/stamp/through-vp8", test_stamp_through_vp8);
  g_test_add_func ("/test-picture/geometry", test_picture_geometry);
  g_test_add_func ("/test-picture/draw", test_picture_draw);
  g_test_add_func ("/sender/test-sources", test_sender_test_sources);
  g_test_add_func ("/sender/attach-detach", test_sender_attach_detach);
  g_test_add_func ("/sender/bad-source", test_sender_bad_source);
  g_test_add_func ("/ice/agent-setup", test_ice_agent_setup);
  g_test_add_func ("/dtls/certificate", test_dtls_certificate);
  g_test_add_func ("/dtls/resend-classify", test_dtls_resend_classify);
  g_test_add_func ("/call/offer-ahead", test_call_offer_ahead);
  g_test_add_func ("/call/wrong-fingerprint", test_call_wrong_fingerprint);
  g_test_add_func ("/call/teardown-backlog", test_call_teardown_backlog);
  g_test_add_func ("/call/dtls-resend-close", test_dtls_resend_close);
  int status = g_test_run ();
  /* GStreamer's thread pools and registry go away only here; without it LeakSanitizer
   * reports what GLib allocated for their threads. */
  gst_deinit ();
  return status;
}
