/* bench-bare-webrtcbin.c: the reference that #6 compares showcast's calls against, on
 * the host of the day. Two processes, each a bare webrtcbin (VP8 640x480@30, Opus, one
 * data channel), signal each other over a socket pair, with nothing of showcast in
 * between: no lobby, no protocol, no code of ours in the media path. It applies the
 * tuning the issue lists for its reference (ICE-TCP off, the DTLS certificate made
 * before negotiation, the jitter buffer's fast start, a 5 ms ICE check interval, UPnP
 * off, a keyframe asked for when the call connects) and nothing else.
 *
 * It prints, over --calls calls each between two fresh processes, the time from the
 * offerer's create-offer to ICE connected, DTLS connected and the first decoded frame;
 * then one process's CPU share (median of --windows windows of --seconds) and peak RSS
 * in one more call. Why in the repo: this virtual machine's speed moves by half from day
 * to day (the client measured 7 % of a core one day and 13 % another), so a client
 * figure means something only beside the reference measured the same hour.
 *
 * Loopback only: run it inside its own network namespace (tests/netns-run). */
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIDE_TIMEOUT_S 60
#define SETTLE_MS 2000

static const char *video_source =
  "videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=640,height=480,framerate=30/1";
static const char *video_encoder = "vp8enc deadline=1";

typedef struct
{
  gboolean offerer;
  GMainLoop *loop;
  GstElement *pipeline;
  GstElement *webrtc;
  GstElement *encoder;
  GIOChannel *peer;          /* signalling, one message a line; read on the main thread */
  int peer_fd;
  GMutex write_lock;         /* webrtcbin's threads send candidates and descriptions */
  int results_fd;

  gint64 t0;                 /* the offerer's create-offer, CLOCK_MONOTONIC µs */
  gint64 ice_connected;
  gint64 dtls_connected;
  gint64 first_frame;        /* written on a streaming thread before has_frame is set */
  gboolean has_frame;        /* main thread */
  gboolean peer_has_frame;
  gboolean reported;
  gboolean peer_finished;
  gboolean finished;

  guint seconds, windows, window;
  double *shares;
  double window_cpu;
  gint64 window_start;
} Side;

static void
die (const char *what)
{
  fprintf (stderr, "bench-bare-webrtcbin: %s\n", what);
  _exit (2);
}

static void
send_line (Side *side, const char *line)
{
  g_mutex_lock (&side->write_lock);
  gsize len = strlen (line);
  g_autofree char *out = g_strconcat (line, "\n", NULL);
  for (gsize done = 0; done < len + 1;)
    {
      ssize_t n = write (side->peer_fd, out + done, len + 1 - done);
      if (n <= 0)
        die ("the peer's socket closed");
      done += n;
    }
  g_mutex_unlock (&side->write_lock);
}

static void
send_description (Side *side, const char *kind, GstWebRTCSessionDescription *desc)
{
  g_autofree char *sdp = gst_sdp_message_as_text (desc->sdp);
  g_autofree char *b64 = g_base64_encode ((const guchar *) sdp, strlen (sdp));
  g_autofree char *line = g_strdup_printf ("%s %" G_GINT64_FORMAT " %s", kind, side->t0, b64);
  send_line (side, line);
}

static double
cpu_seconds (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static double
since_t0 (Side *side, gint64 t)
{
  return t ? (t - side->t0) / 1000.0 : -1;
}

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
maybe_quit (Side *side)
{
  if (side->finished && side->peer_finished)
    g_main_loop_quit (side->loop);
}

static void
finish (Side *side)
{
  double cpu = -1, lo = -1, hi = -1;
  if (side->windows > 0)
    {
      qsort (side->shares, side->windows, sizeof (double), compare_doubles);
      cpu = side->shares[side->windows / 2];
      lo = side->shares[0];
      hi = side->shares[side->windows - 1];
    }
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  char line[256];
  int n = g_snprintf (line, sizeof line, "%s %.2f %.2f %.2f %.2f %.2f %.2f %.1f\n",
                      side->offerer ? "offerer" : "answerer", since_t0 (side, side->ice_connected),
                      since_t0 (side, side->dtls_connected), since_t0 (side, side->first_frame),
                      cpu, lo, hi, ru.ru_maxrss / 1024.0);
  if (write (side->results_fd, line, n) != n)
    die ("cannot write the results");
  side->finished = TRUE;
  send_line (side, "finished");
  maybe_quit (side);
}

static gboolean
on_window_end (gpointer data)
{
  Side *side = data;
  double now = cpu_seconds ();
  gint64 t = g_get_monotonic_time ();
  if (side->window_start)
    side->shares[side->window++] = (now - side->window_cpu) / ((t - side->window_start) / 1e6) * 100;
  if (side->window == side->windows)
    {
      finish (side);
      return G_SOURCE_REMOVE;
    }
  side->window_cpu = now;
  side->window_start = t;
  g_timeout_add_seconds (side->seconds, on_window_end, side);
  return G_SOURCE_REMOVE;
}

/* Both sides have decoded a frame: the set-up is over; measure resources, or stop. */
static void
maybe_measure (Side *side)
{
  if (side->reported || !side->has_frame || !side->peer_has_frame)
    return;
  side->reported = TRUE;
  if (side->windows == 0)
    finish (side);
  else
    g_timeout_add (SETTLE_MS, on_window_end, side);
}

static gboolean
first_frame_on_main (gpointer data)
{
  Side *side = data;
  side->has_frame = TRUE;
  send_line (side, "frame");
  maybe_measure (side);
  return G_SOURCE_REMOVE;
}

static GstPadProbeReturn
on_decoded_frame (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  Side *side = data;
  side->first_frame = g_get_monotonic_time ();
  g_idle_add (first_frame_on_main, side);
  return GST_PAD_PROBE_REMOVE;
}

/* Each incoming stream straight to its depayloader and decoder: what a tuned bare
 * application would do (decodebin's autoplugging costs the first frame ~30 ms). */
static void
on_incoming_stream (GstElement *webrtc, GstPad *pad, gpointer data)
{
  Side *side = data;
  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  /* The pad's caps say only application/x-rtp here; its transceiver knows the kind. */
  g_autoptr(GstWebRTCRTPTransceiver) transceiver = NULL;
  GstWebRTCKind kind = GST_WEBRTC_KIND_UNKNOWN;
  g_object_get (pad, "transceiver", &transceiver, NULL);
  if (transceiver)
    g_object_get (transceiver, "kind", &kind, NULL);
  gboolean video = kind == GST_WEBRTC_KIND_VIDEO;
  g_autoptr(GError) error = NULL;
  GstElement *bin = gst_parse_bin_from_description (
    video ? "queue ! rtpvp8depay ! vp8dec ! fakesink name=sink sync=false async=false"
          : "queue ! rtpopusdepay ! opusdec ! fakesink sync=false async=false", TRUE, &error);
  if (bin == NULL)
    die (error->message);
  gst_bin_add (GST_BIN (side->pipeline), bin);
  gst_element_sync_state_with_parent (bin);
  if (video)
    {
      g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (bin), "sink");
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (sink, "sink");
      gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, on_decoded_frame, side, NULL);
    }
  g_autoptr(GstPad) binpad = gst_element_get_static_pad (bin, "sink");
  if (gst_pad_link (pad, binpad) != GST_PAD_LINK_OK)
    die ("cannot link an incoming stream");
}

static void
on_ice_candidate (GstElement *webrtc, guint mline, const char *candidate, gpointer data)
{
  g_autofree char *line = g_strdup_printf ("cand %u %s", mline, candidate);
  send_line (data, line);
}

static void
on_ice_state (GObject *webrtc, GParamSpec *pspec, gpointer data)
{
  Side *side = data;
  GstWebRTCICEConnectionState state;
  g_object_get (webrtc, "ice-connection-state", &state, NULL);
  if ((state == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
       state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED) && !side->ice_connected)
    side->ice_connected = g_get_monotonic_time ();
}

static void
on_connection_state (GObject *webrtc, GParamSpec *pspec, gpointer data)
{
  Side *side = data;
  GstWebRTCPeerConnectionState state;
  g_object_get (webrtc, "connection-state", &state, NULL);
  if (state != GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED || side->dtls_connected)
    return;
  side->dtls_connected = g_get_monotonic_time ();
  /* The encoder made its keyframe long ago and the picture since waited for DTLS. */
  g_autoptr(GstPad) src = gst_element_get_static_pad (side->encoder, "src");
  gst_pad_send_event (src, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                        TRUE, 0));
}

/* The offer or answer KIND that PROMISE made, sent to the other side first (the
 * candidates that setting it starts must not overtake it), then set as ours. */
static void
description_created (GstPromise *promise, Side *side, const char *kind)
{
  const GstStructure *reply = gst_promise_get_reply (promise);
  GstWebRTCSessionDescription *desc = NULL;
  if (reply == NULL || !gst_structure_get (reply, kind, GST_TYPE_WEBRTC_SESSION_DESCRIPTION,
                                           &desc, NULL))
    {
      g_autofree char *what = g_strdup_printf ("no %s", kind);
      die (what);
    }
  gst_promise_unref (promise);
  send_description (side, kind, desc);
  g_signal_emit_by_name (side->webrtc, "set-local-description", desc, NULL);
  gst_webrtc_session_description_free (desc);
}

static void
on_answer_created (GstPromise *promise, gpointer data)
{
  description_created (promise, data, "answer");
}

static void
on_offer_set (GstPromise *promise, gpointer data)
{
  Side *side = data;
  gst_promise_unref (promise);
  g_signal_emit_by_name (side->webrtc, "create-answer", NULL,
                         gst_promise_new_with_change_func (on_answer_created, side, NULL));
}

static void
on_offer_created (GstPromise *promise, gpointer data)
{
  description_created (promise, data, "offer");
}

static GstWebRTCSessionDescription *
parse_description (const char *b64, GstWebRTCSDPType type)
{
  gsize len = 0;
  g_autofree guchar *text = g_base64_decode (b64, &len);
  GstSDPMessage *sdp = NULL;
  gst_sdp_message_new (&sdp);
  if (gst_sdp_message_parse_buffer (text, len, sdp) != GST_SDP_OK)
    die ("an unreadable session description");
  return gst_webrtc_session_description_new (type, sdp);
}

static void
start_offer (Side *side)
{
  GstWebRTCDataChannel *channel = NULL;
  g_signal_emit_by_name (side->webrtc, "create-data-channel", "chat", NULL, &channel);
  g_clear_object (&channel);
  side->t0 = g_get_monotonic_time ();
  g_signal_emit_by_name (side->webrtc, "create-offer", NULL,
                         gst_promise_new_with_change_func (on_offer_created, side, NULL));
}

static void
handle_line (Side *side, char *line)
{
  g_auto(GStrv) parts = g_strsplit (g_strchomp (line), " ", 3);
  const char *kind = parts[0] ? parts[0] : "";
  if (g_str_equal (kind, "ready") && side->offerer)
    start_offer (side);
  else if ((g_str_equal (kind, "offer") || g_str_equal (kind, "answer")) && parts[1] && parts[2])
    {
      gboolean offer = g_str_equal (kind, "offer");
      if (offer)
        side->t0 = g_ascii_strtoll (parts[1], NULL, 10);
      GstWebRTCSessionDescription *desc =
        parse_description (parts[2], offer ? GST_WEBRTC_SDP_TYPE_OFFER : GST_WEBRTC_SDP_TYPE_ANSWER);
      GstPromise *promise = offer ? gst_promise_new_with_change_func (on_offer_set, side, NULL) : NULL;
      g_signal_emit_by_name (side->webrtc, "set-remote-description", desc, promise);
      gst_webrtc_session_description_free (desc);
    }
  else if (g_str_equal (kind, "cand") && parts[1] && parts[2])
    g_signal_emit_by_name (side->webrtc, "add-ice-candidate",
                           (guint) g_ascii_strtoull (parts[1], NULL, 10), parts[2]);
  else if (g_str_equal (kind, "frame"))
    {
      side->peer_has_frame = TRUE;
      maybe_measure (side);
    }
  else if (g_str_equal (kind, "finished"))
    {
      side->peer_finished = TRUE;
      maybe_quit (side);
    }
}

static gboolean
on_peer_readable (GIOChannel *channel, GIOCondition condition, gpointer data)
{
  Side *side = data;
  for (;;)
    {
      g_autofree char *line = NULL;
      GIOStatus status = g_io_channel_read_line (channel, &line, NULL, NULL, NULL);
      if (status == G_IO_STATUS_NORMAL)
        handle_line (side, line);
      else if (status == G_IO_STATUS_AGAIN)
        return G_SOURCE_CONTINUE;
      else if (side->finished && side->peer_finished)
        return G_SOURCE_REMOVE;
      else
        die ("the peer went away");
      if (g_io_channel_get_buffer_condition (channel) == 0)
        return G_SOURCE_CONTINUE;
    }
}

static gboolean
on_timeout (gpointer data)
{
  die ("no call within the time limit");
  return G_SOURCE_REMOVE;
}

static void
configure_ice (GstElement *webrtc)
{
  g_autoptr(GObject) ice = NULL;
  g_autoptr(GObject) agent = NULL;
  g_object_get (webrtc, "ice-agent", &ice, NULL);
  g_object_get (ice, "agent", &agent, NULL);
  g_object_set (agent, "upnp", FALSE, "stun-pacing-timer", 5, NULL);
  g_object_set (ice, "ice-tcp", FALSE, NULL);
  gboolean ok = FALSE;
  g_signal_emit_by_name (ice, "add-local-ip-address", "127.0.0.1", &ok);
  if (!ok)
    die ("127.0.0.1 is not usable");
}

static void
on_new_jitterbuffer (GstElement *rtpbin, GstElement *jitterbuffer, guint session, guint ssrc,
                     gpointer data)
{
  g_object_set (jitterbuffer, "faststart-min-packets", 1, NULL);
}

static int
run_side (gboolean offerer, int peer_fd, int results_fd, guint seconds, guint windows)
{
  gst_init (NULL, NULL);
  Side side = { .offerer = offerer, .peer_fd = peer_fd, .results_fd = results_fd,
                .seconds = seconds, .windows = windows };
  g_mutex_init (&side.write_lock);
  side.shares = g_new0 (double, MAX (windows, 1));
  side.loop = g_main_loop_new (NULL, FALSE);

  /* The process's DTLS certificate: made with the first DTLS element, so make one now. */
  g_autoptr(GstElement) warm = gst_element_factory_make ("dtlsdec", NULL);
  if (warm == NULL)
    die ("no dtlsdec");
  gst_object_ref_sink (warm);

  g_autofree char *description = g_strdup_printf (
    "webrtcbin name=webrtc bundle-policy=max-bundle "
    "%s ! %s name=encoder ! rtpvp8pay pt=96 ! application/x-rtp,media=video,encoding-name=VP8,payload=96 ! webrtc. "
    "audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=97 "
    "! application/x-rtp,media=audio,encoding-name=OPUS,payload=97 ! webrtc.",
    video_source, video_encoder);
  g_autoptr(GError) error = NULL;
  side.pipeline = gst_parse_launch (description, &error);
  if (side.pipeline == NULL)
    die (error->message);
  side.webrtc = gst_bin_get_by_name (GST_BIN (side.pipeline), "webrtc");
  side.encoder = gst_bin_get_by_name (GST_BIN (side.pipeline), "encoder");
  configure_ice (side.webrtc);
  g_autoptr(GstElement) rtpbin = gst_bin_get_by_name (GST_BIN (side.webrtc), "rtpbin");
  if (rtpbin)
    g_signal_connect (rtpbin, "new-jitterbuffer", G_CALLBACK (on_new_jitterbuffer), NULL);
  g_signal_connect (side.webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate), &side);
  g_signal_connect (side.webrtc, "pad-added", G_CALLBACK (on_incoming_stream), &side);
  g_signal_connect (side.webrtc, "notify::ice-connection-state", G_CALLBACK (on_ice_state), &side);
  g_signal_connect (side.webrtc, "notify::connection-state", G_CALLBACK (on_connection_state),
                    &side);

  side.peer = g_io_channel_unix_new (peer_fd);
  g_io_channel_set_encoding (side.peer, NULL, NULL);
  g_io_add_watch (side.peer, G_IO_IN | G_IO_HUP | G_IO_ERR, on_peer_readable, &side);
  g_timeout_add_seconds (SIDE_TIMEOUT_S + seconds * windows, on_timeout, NULL);

  if (gst_element_set_state (side.pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    die ("the pipeline does not play");
  /* Negotiation starts once both have their sources running, as a warm client would. */
  if (!offerer)
    send_line (&side, "ready");
  g_main_loop_run (side.loop);

  gst_element_set_state (side.pipeline, GST_STATE_NULL);
  gst_object_unref (side.encoder);
  gst_object_unref (side.webrtc);
  gst_object_unref (side.pipeline);
  g_io_channel_unref (side.peer);
  g_main_loop_unref (side.loop);
  g_free (side.shares);
  return 0;
}

typedef struct
{
  double ice, dtls, frame, cpu, cpu_lo, cpu_hi, rss;
} Result;

/* One call between two fresh processes; FALSE if either failed. */
static gboolean
run_call (guint seconds, guint windows, Result *offerer, Result *answerer)
{
  int sv[2], results[2];
  if (socketpair (AF_UNIX, SOCK_STREAM, 0, sv) != 0 || pipe (results) != 0)
    die ("no socket pair");
  pid_t pids[2];
  fflush (stdout);
  for (int i = 0; i < 2; i++)
    {
      pids[i] = fork ();
      if (pids[i] == 0)
        {
          close (results[0]);
          close (sv[1 - i]);
          _exit (run_side (i == 0, sv[i], results[1], seconds, windows));
        }
    }
  close (sv[0]);
  close (sv[1]);
  close (results[1]);
  gboolean ok = TRUE;
  for (int i = 0; i < 2; i++)
    {
      int status = 0;
      waitpid (pids[i], &status, 0);
      ok = ok && WIFEXITED (status) && WEXITSTATUS (status) == 0;
    }
  FILE *in = fdopen (results[0], "r");
  char role[16];
  Result r;
  int got = 0;
  while (fscanf (in, "%15s %lf %lf %lf %lf %lf %lf %lf", role, &r.ice, &r.dtls, &r.frame, &r.cpu,
                 &r.cpu_lo, &r.cpu_hi, &r.rss) == 8)
    {
      *(g_str_equal (role, "offerer") ? offerer : answerer) = r;
      got++;
    }
  fclose (in);
  return ok && got == 2;
}

static double
percentile (GArray *values, double p)
{
  g_array_sort (values, compare_doubles);
  double k = (values->len - 1) * p / 100;
  guint lo = (guint) k, hi = MIN (lo + 1, values->len - 1);
  double a = g_array_index (values, double, lo), b = g_array_index (values, double, hi);
  return a + (b - a) * (k - lo);
}

static void
print_row (const char *label, GArray *values)
{
  printf ("  %-30s p50 %6.1f ms   p95 %6.1f ms   max %6.1f ms\n", label, percentile (values, 50),
          percentile (values, 95), percentile (values, 100));
}

int
main (int argc, char **argv)
{
  int calls = 20, seconds = 6, windows = 5;
  g_autofree char *video = NULL;
  g_autofree char *encoder = NULL;
  GOptionEntry entries[] = {
    { "calls", 0, 0, G_OPTION_ARG_INT, &calls, "calls timed, each between two fresh processes (20)", "N" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds, "length of a CPU window (6)", "S" },
    { "windows", 0, 0, G_OPTION_ARG_INT, &windows, "CPU windows in the resources call; 0: none (5)", "N" },
    { "video", 0, 0, G_OPTION_ARG_STRING, &video, "video source, up to raw 640x480@30 (videotestsrc pattern=ball)", "DESC" },
    { "encoder", 0, 0, G_OPTION_ARG_STRING, &encoder, "video encoder (vp8enc deadline=1)", "DESC" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- bare webrtcbin reference calls");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error) || calls < 0 || seconds < 1 ||
      windows < 0)
    {
      fprintf (stderr, "%s\n", error ? error->message : "bad numbers");
      return 1;
    }
  if (video)
    video_source = video;
  if (encoder)
    video_encoder = encoder;
  signal (SIGPIPE, SIG_IGN);

  printf ("bare webrtcbin, two processes a call, VP8 640x480@30 (%s, %s) + Opus + data channel\n",
          video_source, video_encoder);
  g_autoptr(GArray) ice = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) dtls = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) offerer_frame = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) answerer_frame = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) both_frames = g_array_new (FALSE, FALSE, sizeof (double));
  int failed = 0;
  for (int i = 0; i < calls; i++)
    {
      Result o, a;
      if (!run_call (seconds, 0, &o, &a))
        {
          failed++;
          continue;
        }
      g_array_append_val (ice, o.ice);
      g_array_append_val (dtls, o.dtls);
      g_array_append_val (offerer_frame, o.frame);
      g_array_append_val (answerer_frame, a.frame);
      double later = MAX (o.frame, a.frame);
      g_array_append_val (both_frames, later);
    }
  if (ice->len > 0)
    {
      printf ("%u calls (%d failed), ms from the offerer's create-offer:\n", ice->len, failed);
      print_row ("ICE connected (offerer)", ice);
      print_row ("DTLS connected (offerer)", dtls);
      print_row ("first frame, offerer", offerer_frame);
      print_row ("first frame, answerer", answerer_frame);
      print_row ("first frame, both sides", both_frames);
    }
  if (windows > 0)
    {
      Result o, a;
      if (!run_call (seconds, windows, &o, &a))
        {
          printf ("resources: the call failed\n");
          return 1;
        }
      printf ("one process in a call, median of %d windows of %d s:\n", windows, seconds);
      printf ("  offerer  CPU %5.1f %% of one core (windows %.1f–%.1f)   peak RSS %5.1f MiB\n",
              o.cpu, o.cpu_lo, o.cpu_hi, o.rss);
      printf ("  answerer CPU %5.1f %% of one core (windows %.1f–%.1f)   peak RSS %5.1f MiB\n",
              a.cpu, a.cpu_lo, a.cpu_hi, a.rss);
    }
  return failed > 0 && ice->len == 0 ? 1 : 0;
}
