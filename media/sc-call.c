/* sc-call.c: see sc-call.h (and sc-call-private.h for the other rooms of ScCall).
 *
 * Threading rule: a callback that GStreamer runs on a streaming, ICE or SCTP thread may
 * build media elements (that is GStreamer's own way of reacting to new pads) but touches
 * nothing else: it packs what happened into a CallEvent and posts it to the call's main
 * context, where dispatch_event() emits the signals. Promise callbacks hold only a weak
 * reference, so a call that is dropped while webrtcbin still holds a promise is freed.
 */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include "sc-call-private.h"

G_DEFINE_QUARK (sc-call-error-quark, sc_call_error)

static const char *const mark_names[N_MARKS] = {
  "new", "built", "playing", "local-description", "remote-description",
  "first-candidate", "ice-connected", "connected", "peer-ready", "video-sent", "video-received",
  "incoming-video", "first-frame",
};

void
call_video_branch_free (VideoBranch *branch)
{
  g_clear_object (&branch->bin);
  g_clear_object (&branch->tee_pad);
  g_free (branch);
}

static void peer_call_iface_init (ScPeerCallInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScCall, sc_call, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_PEER_CALL, peer_call_iface_init))

static GWeakRef *weak_ref_new (ScCall *self);
static void weak_ref_free (gpointer data);

/* The first video packet from the peer reaching a jitter buffer, for the timeline. */
static GstPadProbeReturn
received_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  ScCall *self = g_weak_ref_get (data);
  if (self == NULL)
    return GST_PAD_PROBE_REMOVE;
  /* The payload type is in the RTP header's second byte. */
  guint8 header[2];
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;
  if (gst_buffer_extract (GST_PAD_PROBE_INFO_BUFFER (info), 0, header, 2) == 2 &&
      (header[1] & 0x7f) == g_atomic_int_get (&self->video_pt))
    {
      call_post_mark (self, MARK_VIDEO_RECEIVED);
      ret = GST_PAD_PROBE_REMOVE;
    }
  g_object_unref (self);
  return ret;
}

/* The first packet from the peer that it could only have sent with its DTLS handshake
 * complete, so with its SRTP keys (see release_when_peer_ready()): SRTP or SRTCP
 * (RFC 7983: first byte 128–191), or DTLS application data (content type 23; the
 * answerer opens the chat channel's SCTP association as soon as its handshake is done).
 * Seen as it arrives, before decryption: the peer's first SRTP packet costs it and us
 * 2–4 ms each to set up the SRTP sessions, and its DTLS data comes first anyway
 * (traced: the SCTP INIT 1 ms after the answerer's keys, its first SRTP packet 3–14 ms).
 * A forged packet could only make the offerer send its first keyframe a little early. */
static GstPadProbeReturn
peer_ready_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  guint8 first;
  if (gst_buffer_extract (GST_PAD_PROBE_INFO_BUFFER (info), 0, &first, 1) != 1 ||
      !(first == 23 || (first >= 128 && first <= 191)))
    return GST_PAD_PROBE_OK;
  ScCall *self = g_weak_ref_get (data);
  if (self == NULL)
    return GST_PAD_PROBE_REMOVE;
  if (g_atomic_int_compare_and_exchange (&self->peer_ready, 0, 1))
    call_post_mark (self, MARK_PEER_READY);
  g_object_unref (self);
  return GST_PAD_PROBE_REMOVE;
}

/* webrtcbin makes its transports (nicesrc → dtlssrtpdemux …) as the descriptions are
 * set. Their DTLS decoder gets the process's certificate (see sc-dtls-certificate.h)
 * before webrtcbin reads it for the description's fingerprint; the probe goes on each
 * demuxer, which sees every packet the peer sends. */
static void
on_deep_element_added (GstBin *pipeline, GstBin *bin, GstElement *element, gpointer data)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  const char *name = factory ? GST_OBJECT_NAME (factory) : "";
  if (g_str_equal (name, "dtlssrtpdec"))
    {
      const char *pem = sc_dtls_certificate_get ();
      if (pem)
        g_object_set (element, "pem", pem, NULL);
      ScCall *self = data;
      if (g_atomic_pointer_compare_and_exchange (&self->dtls_decoder, NULL, element))
        gst_object_ref (element);
      return;
    }
  if (g_str_equal (name, "nicesink"))
    {
      ScCall *self = data;
      sc_dtls_resend_watch (self->dtls_resend, element);
      return;
    }
  if (!g_str_equal (name, "dtlssrtpdemux"))
    return;
  g_autoptr(GstPad) sink = gst_element_get_static_pad (element, "sink");
  if (sink)
    gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, peer_ready_probe, weak_ref_new (data),
                       weak_ref_free);
}

/* Fast start, made reliable. rtpjitterbuffer (1.22) starts at once only if, when a
 * packet arrives, the first item it holds is a packet. But a new stream's opening
 * events (stream-start, caps, segment) are queued ahead of its first packet, and its
 * own thread forwards them a little later: when the whole first keyframe (one or two
 * packets, back to back) arrives before that, no arrival finds a packet first, and the
 * keyframe waits for the next packet — the next frame, up to 33 ms later (seen in
 * traces: 7–30 ms). So the first packet waits, at most FIRST_PACKET_WAIT_MS, until the
 * opening events are out; then its own arrival starts the stream. */
#define FIRST_PACKET_WAIT_MS 10

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean opened;                /* the segment event has left the jitter buffer */
} StreamOpening;

static void
stream_opening_clear (gpointer data)
{
  StreamOpening *opening = data;
  g_mutex_clear (&opening->lock);
  g_cond_clear (&opening->cond);
}

static void
stream_opening_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, stream_opening_clear);
}

static GstPadProbeReturn
opening_sent_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  StreamOpening *opening = data;
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_SEGMENT)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&opening->lock);
  opening->opened = TRUE;
  g_cond_broadcast (&opening->cond);
  g_mutex_unlock (&opening->lock);
  return GST_PAD_PROBE_REMOVE;
}

static GstPadProbeReturn
first_packet_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  StreamOpening *opening = data;
  gint64 until = g_get_monotonic_time () + FIRST_PACKET_WAIT_MS * G_TIME_SPAN_MILLISECOND;
  g_mutex_lock (&opening->lock);
  while (!opening->opened && g_cond_wait_until (&opening->cond, &opening->lock, until))
    ;
  g_mutex_unlock (&opening->lock);
  return GST_PAD_PROBE_REMOVE;
}

/* Called on a streaming thread; touches only the new jitter buffer. */
static void
on_new_jitterbuffer (GstElement *rtpbin, GstElement *jitterbuffer, guint session, guint ssrc,
                     gpointer data)
{
  g_autoptr(GstPad) sink = gst_element_get_static_pad (jitterbuffer, "sink");
  g_autoptr(GstPad) src = gst_element_get_static_pad (jitterbuffer, "src");
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, received_probe, weak_ref_new (data),
                     weak_ref_free);
  if (src)
    {
      StreamOpening *opening = g_atomic_rc_box_new0 (StreamOpening);
      g_mutex_init (&opening->lock);
      g_cond_init (&opening->cond);
      gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, opening_sent_probe,
                         g_atomic_rc_box_acquire (opening), stream_opening_release);
      gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                         first_packet_probe, opening, stream_opening_release);
    }

  /* Start with the first packet: the call's first keyframe may be a single packet
   * (measured: 2 → 1 took next → first-frame p50 from 79 to 76 ms). */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (jitterbuffer), "faststart-min-packets"))
    g_object_set (jitterbuffer, "faststart-min-packets", 1, NULL);
}

/* RTP sessions accept a new sender only after two packets in sequence (probation). A
 * call's first keyframe may fit in one packet and the next comes a frame later, so the
 * peer's first picture would wait ~30 ms for it. SRTP has authenticated every packet
 * before it gets here: no stray sender can pass, and there is nothing to wait for. */
static void
no_probation (GstElement *element)
{
  GstElementFactory *factory = gst_element_get_factory (element);
  if (factory && g_str_equal (GST_OBJECT_NAME (factory), "rtpsession"))
    g_object_set (element, "probation", 0, NULL);
}

static void
on_rtpbin_element_added (GstBin *rtpbin, GstElement *element, gpointer data)
{
  no_probation (element);
}

/* Sources of a call live on its context, not necessarily the thread-default one. */
static void
remove_source (ScCall *self, guint *id)
{
  if (*id == 0)
    return;
  GSource *source = g_main_context_find_source_by_id (self->context, *id);
  if (source)
    g_source_destroy (source);
  *id = 0;
}

guint call_signals[N_SIGNALS];

void
call_candidate_entry_free (CandidateEntry *entry)
{
  g_free (entry->candidate);
  g_free (entry);
}

/* The local description and candidates of an offer made ahead of its match: kept until
 * sc_call_start(), when there is a peer to send them to. */
typedef struct
{
  char *type;                     /* "offer", or NULL for a candidate */
  guint mline;
  char *text;                     /* the SDP, or the candidate */
} EarlySignal;

static void
early_signal_free (EarlySignal *early)
{
  g_free (early->type);
  g_free (early->text);
  g_free (early);
}

static gboolean
keep_early (ScCall *self, const char *type, guint mline, const char *text)
{
  if (self->started)
    return FALSE;
  if (self->early_signals->len >= 64)
    return TRUE;   /* libnice makes a few; more would be a fault, not worth sending */
  EarlySignal *early = g_new0 (EarlySignal, 1);
  early->type = g_strdup (type);
  early->mline = mline;
  early->text = g_strdup (text);
  g_ptr_array_add (self->early_signals, early);
  return TRUE;
}

/* ---- Posting from any thread to the main context --------------------------------- */


static void
call_event_free (gpointer data)
{
  CallEvent *ev = data;
  g_object_unref (ev->call);
  g_free (ev->text);
  g_free (ev->text2);
  g_clear_object (&ev->channel);
  g_clear_object (&ev->element);
  g_clear_pointer (&ev->branch, call_video_branch_free);
  g_free (ev);
}


void
call_mark (ScCall *self, Mark which, gint64 at_us)
{
  if (self->marks[which] == 0)
    self->marks[which] = at_us;
}

/* Logged once the first frame is decoded and our first video packet has gone, whichever
 * is later: on a loaded machine the offerer can decode the peer's picture before its own
 * release, and a timeline without it would be read as a call that never sent. */
static void
log_timeline (ScCall *self)
{
  if (self->timeline_logged || self->marks[MARK_FIRST_FRAME] == 0 ||
      self->marks[MARK_VIDEO_SENT] == 0)
    return;
  self->timeline_logged = TRUE;

  g_autoptr(GString) line = g_string_new (NULL);
  g_string_printf (line, "set-up timeline (%s, ms from the match):",
                   self->offerer ? "offerer" : "answerer");
  for (guint i = MARK_BUILT; i < N_MARKS; i++)
    if (self->marks[i] > self->marks[MARK_NEW])
      g_string_append_printf (line, " %s=%.1f", mark_names[i],
                              (self->marks[i] - self->marks[MARK_NEW]) / 1000.0);
  /* The monotonic clock is the system's: benchmarks pair the two ends of a call by it. */
  g_string_append_printf (line, " (match at monotonic %" G_GINT64_FORMAT " us)",
                          self->marks[MARK_NEW]);
  g_info ("%s", line->str);
}


static void release_held (ScCall *self);
static void release_when_peer_ready (ScCall *self);


/* TURN over TCP waits for the UDP relay (sc-ice-agent.h): the first local candidate
 * starts the wait (the ICE stream exists then); a UDP relay candidate ends it. */
static gboolean
add_held_relays (gpointer data)
{
  ScCall *self = data;
  self->held_relays_timeout = 0;
  g_auto(GStrv) relays = g_steal_pointer (&self->held_relays);
  if (relays && !g_atomic_int_get (&self->stopped))
    sc_ice_agent_add_relays (self->webrtc, (const char *const *) relays);
  return G_SOURCE_REMOVE;
}

static void
watch_relays (ScCall *self, const char *candidate)
{
  if (self->held_relays == NULL)
    return;
  if (strstr (candidate, " typ relay") != NULL)
    {
      remove_source (self, &self->held_relays_timeout);
      g_clear_pointer (&self->held_relays, g_strfreev);
      return;
    }
  if (self->held_relays_timeout == 0)
    {
      GSource *source = g_timeout_source_new (SC_ICE_TCP_RELAY_AFTER_MS);
      g_source_set_callback (source, add_held_relays, self, NULL);
      self->held_relays_timeout = g_source_attach (source, self->context);
      g_source_unref (source);
    }
}
static gboolean
dispatch_event (gpointer data)
{
  CallEvent *ev = data;
  ScCall *self = ev->call;

  if (g_atomic_int_get (&self->stopped))
    return G_SOURCE_REMOVE;

  switch (ev->kind)
    {
    case EV_NEGOTIATION_NEEDED:
      if (self->started && self->offerer && !self->offer_requested)
        call_create_offer (self);
      break;

    case EV_LOCAL_DESCRIPTION:
      g_debug ("local %s:\n%s", ev->text, ev->text2);
      if (keep_early (self, ev->text, 0, ev->text2))
        break;
      call_mark (self, MARK_LOCAL_DESCRIPTION, ev->at_us);
      g_signal_emit (self, call_signals[SIG_LOCAL_DESCRIPTION], 0, ev->text, ev->text2);
      break;

    case EV_LOCAL_CANDIDATE:
      watch_relays (self, ev->text);
      if (keep_early (self, NULL, ev->a, ev->text))
        break;
      call_mark (self, MARK_FIRST_CANDIDATE, ev->at_us);
      g_signal_emit (self, call_signals[SIG_LOCAL_CANDIDATE], 0, ev->a, ev->text);
      break;

    case EV_CONNECTION_STATE:
      if (ev->a == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && !self->connected &&
          !call_peer_certificate_matches (self))
        {
          g_signal_emit (self, call_signals[SIG_FAILED], 0,
                         "the peer's DTLS certificate is not the one its description announced");
          break;
        }
      if (ev->a == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED && !self->connected)
        {
          self->connected = TRUE;
          call_mark (self, MARK_CONNECTED, ev->at_us);
          release_when_peer_ready (self);
          self->media_seen_us = g_get_monotonic_time ();
          remove_source (self, &self->connect_timeout);
          call_start_stats (self);
          g_signal_emit (self, call_signals[SIG_CONNECTED], 0);
        }
      else if (ev->a == GST_WEBRTC_PEER_CONNECTION_STATE_FAILED)
        g_signal_emit (self, call_signals[SIG_FAILED], 0, "the peer-to-peer connection failed");
      break;

    case EV_ICE_STATE:
      if (ev->a == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED ||
          ev->a == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED)
        {
          call_mark (self, MARK_ICE_CONNECTED, ev->at_us);
          sc_ice_agent_settle (self->webrtc);
        }
      if (ev->a == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED)
        g_signal_emit (self, call_signals[SIG_FAILED], 0, "ICE failed: no route to the peer");
      break;

    case EV_FIRST_FRAME:
      call_mark (self, MARK_FIRST_FRAME, ev->at_us);
      log_timeline (self);
      g_signal_emit (self, call_signals[SIG_FIRST_FRAME], 0, ev->a, ev->b);
      break;

    case EV_FIRST_AUDIO:
      g_signal_emit (self, call_signals[SIG_FIRST_AUDIO], 0, ev->a, ev->b);
      break;

    case EV_VIDEO_TEE:
      if (self->video_tee == NULL)
        {
          self->video_tee = g_steal_pointer (&ev->element);
          call_attach_video_output (self);
        }
      break;

    case EV_VIDEO_FRAME:
      call_deliver_frame (self);
      break;

    case EV_BRANCH_DETACHED:
      gst_element_set_state (ev->branch->bin, GST_STATE_NULL);
      gst_bin_remove (GST_BIN (self->pipeline), ev->branch->bin);
      gst_element_release_request_pad (self->video_tee, ev->branch->tee_pad);
      break;

    case EV_STATS:
      call_report_stats (self, &ev->stats);
      break;

    case EV_CHANNEL:
      if (self->channel == NULL)
        self->channel = g_object_ref (ev->channel);
      break;

    case EV_CHANNEL_OPEN:
      if (!self->channel_open)
        {
          self->channel_open = TRUE;
          g_signal_emit (self, call_signals[SIG_CHANNEL_OPEN], 0);
        }
      break;

    case EV_DATA:
      g_signal_emit (self, call_signals[SIG_DATA_RECEIVED], 0, ev->text);
      break;

    case EV_FAILED:
      g_signal_emit (self, call_signals[SIG_FAILED], 0, ev->text);
      break;

    case EV_FRAME_DELAY:
      g_signal_emit (self, call_signals[SIG_FRAME_DELAY], 0, ev->number);
      break;

    case EV_MARK:
      call_mark (self, ev->a, ev->at_us);
      if (ev->a == MARK_PEER_READY && self->connected)
        release_held (self);
      if (ev->a == MARK_VIDEO_SENT)
        log_timeline (self);
      break;
    }
  return G_SOURCE_REMOVE;
}

CallEvent *
call_event_new (ScCall *self, EventKind kind)
{
  CallEvent *ev = g_new0 (CallEvent, 1);
  ev->call = g_object_ref (self);
  ev->kind = kind;
  ev->at_us = g_get_monotonic_time ();
  return ev;
}

void
call_post (CallEvent *ev)
{
  if (g_atomic_int_get (&ev->call->stopped))
    {
      call_event_free (ev);
      return;
    }
  GSource *source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, dispatch_event, ev, call_event_free);
  g_source_attach (source, ev->call->context);
  g_source_unref (source);
}

void
call_post_mark (ScCall *self, Mark which)
{
  CallEvent *ev = call_event_new (self, EV_MARK);
  ev->a = which;
  call_post (ev);
}

void
call_post_failure (ScCall *self, const char *format, ...) G_GNUC_PRINTF (2, 3);

void
call_post_failure (ScCall *self, const char *format, ...)
{
  va_list args;
  CallEvent *ev = call_event_new (self, EV_FAILED);
  va_start (args, format);
  ev->text = g_strdup_vprintf (format, args);
  va_end (args);
  call_post (ev);
}

/* ---- Promises: hold a weak reference, run on webrtcbin's thread ------------------- */

static GWeakRef *
weak_ref_new (ScCall *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  return ref;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* webrtcbin 1.22 loses promises two ways when a call is stopped mid-negotiation: a task
 * it queued but had not run when it closed is dropped with its promise unanswered (and
 * GStreamer warns when it frees an unanswered promise), and a task refused because it
 * is closed answers with an error that leaks when no promise was given. So every task
 * gets a promise, made here: the call holds a reference to it until it is answered,
 * and once the pipeline is down it interrupts the ones still waiting (as their owner:
 * gst_promise_expire() is the replier's, and in 1.22 it then calls the promise's destroy
 * notify with NULL, losing the change function's data). */
GstPromise *
call_promise_new (ScCall *self, GstPromiseChangeFunc func)
{
  GstPromise *promise = gst_promise_new_with_change_func (func, weak_ref_new (self),
                                                          weak_ref_free);
  g_mutex_lock (&self->promise_lock);
  g_ptr_array_add (self->promises, gst_promise_ref (promise));
  g_mutex_unlock (&self->promise_lock);
  return promise;
}

/* First in every change function: the call lets go of the answered promise. Returns a
 * reference to the call, or NULL when it is gone or stopped and nothing is to be done. */
ScCall *
call_promise_answered (GstPromise *promise, gpointer data)
{
  ScCall *self = g_weak_ref_get (data);
  if (self == NULL)
    return NULL;
  g_mutex_lock (&self->promise_lock);
  g_ptr_array_remove_fast (self->promises, promise);
  g_mutex_unlock (&self->promise_lock);
  if (g_atomic_int_get (&self->stopped))
    g_clear_object (&self);
  return self;
}

/* Once the pipeline is NULL (webrtcbin's thread is gone, so no task will run): whatever
 * was not answered is interrupted, and its change function finds the call stopped. */
void
call_interrupt_promises (ScCall *self)
{
  g_mutex_lock (&self->promise_lock);
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->promises);
  self->promises = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_promise_unref);
  g_mutex_unlock (&self->promise_lock);
  for (guint i = 0; i < waiting->len; i++)
    gst_promise_interrupt (g_ptr_array_index (waiting, i));
}

/* ---- webrtcbin callbacks (any thread) -------------------------------------------- */

static void
on_negotiation_needed (GstElement *webrtc, gpointer data)
{
  call_post (call_event_new (data, EV_NEGOTIATION_NEEDED));
}

static void
on_ice_candidate (GstElement *webrtc, guint mline, const char *candidate, gpointer data)
{
  g_debug ("local candidate %u: %s", mline, candidate);
  CallEvent *ev = call_event_new (data, EV_LOCAL_CANDIDATE);
  ev->a = mline;
  ev->text = g_strdup (candidate);
  call_post (ev);
}

static void
on_connection_state (GstElement *webrtc, GParamSpec *pspec, gpointer data)
{
  GstWebRTCPeerConnectionState state;
  g_object_get (webrtc, "connection-state", &state, NULL);
  g_debug ("connection state %d", state);
  CallEvent *ev = call_event_new (data, EV_CONNECTION_STATE);
  ev->a = state;
  call_post (ev);
}

static void
on_ice_connection_state (GstElement *webrtc, GParamSpec *pspec, gpointer data)
{
  GstWebRTCICEConnectionState state;
  g_object_get (webrtc, "ice-connection-state", &state, NULL);
  g_debug ("ICE connection state %d", state);
  CallEvent *ev = call_event_new (data, EV_ICE_STATE);
  ev->a = state;
  call_post (ev);
}

static void
on_channel_open (GstWebRTCDataChannel *channel, gpointer data)
{
  call_post (call_event_new (data, EV_CHANNEL_OPEN));
}

static void
on_channel_message (GstWebRTCDataChannel *channel, const char *text, gpointer data)
{
  CallEvent *ev = call_event_new (data, EV_DATA);
  ev->text = g_strdup (text ? text : "");
  call_post (ev);
}

static void
on_channel_error (GstWebRTCDataChannel *channel, GError *error, gpointer data)
{
  g_warning ("data channel error: %s", error ? error->message : "unknown");
}

static void
watch_channel (ScCall *self, GstWebRTCDataChannel *channel)
{
  GstWebRTCDataChannelState state;

  g_signal_connect (channel, "on-open", G_CALLBACK (on_channel_open), self);
  g_signal_connect (channel, "on-message-string", G_CALLBACK (on_channel_message), self);
  g_signal_connect (channel, "on-error", G_CALLBACK (on_channel_error), self);

  CallEvent *ev = call_event_new (self, EV_CHANNEL);
  ev->channel = g_object_ref (channel);
  call_post (ev);

  g_object_get (channel, "ready-state", &state, NULL);
  if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
    call_post (call_event_new (self, EV_CHANNEL_OPEN));
}

static void
on_data_channel (GstElement *webrtc, GstWebRTCDataChannel *channel, gpointer data)
{
  ScCall *self = data;
  if (self->offerer)
    return;   /* only the offerer's "chat" channel is used */
  watch_channel (self, channel);
}

/* ---- Bus (main context) ----------------------------------------------------------- */

/* webrtcbin's SCTP elements, which carry the data channel only. */
static gboolean
is_data_channel_element (GstObject *source)
{
  const char *type = G_OBJECT_TYPE_NAME (source);
  return g_str_equal (type, "GstSctpEnc") || g_str_equal (type, "GstSctpDec");
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer data)
{
  ScCall *self = data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;
        gst_message_parse_error (message, &error, &debug);
        if (is_data_channel_element (message->src))
          {
            /* The chat's SCTP association died, not the call: a browser that skips
             * sends next and closes its peer connection at once, and its SCTP abort
             * often comes before the server's peer-left (#23: 1 skip in 12 was heard
             * as "lost"). The media go on; the server says when the call ends. */
            g_info ("the chat channel failed (%s): %s", GST_OBJECT_NAME (message->src),
                    error->message);
            break;
          }
        g_warning ("pipeline error from %s: %s (%s)", GST_OBJECT_NAME (message->src),
                   error->message, debug ? debug : "");
        if (!g_atomic_int_get (&self->stopped))
          g_signal_emit (self, call_signals[SIG_FAILED], 0, error->message);
        break;
      }
    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) error = NULL;
        gst_message_parse_warning (message, &error, NULL);
        g_debug ("pipeline warning from %s: %s", GST_OBJECT_NAME (message->src),
                 error->message);
        break;
      }
    case GST_MESSAGE_LATENCY:
      gst_bin_recalculate_latency (GST_BIN (self->pipeline));
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* ---- Building the pipeline -------------------------------------------------------- */

/* The peer asked for a keyframe (RTCP PLI or FIR, turned into an upstream event by
 * webrtcbin and the payloader): the sender's encoder makes one. Any thread. */
static GstPadProbeReturn
keyframe_request_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  if (gst_video_event_is_force_key_unit (event))
    sc_sender_force_keyframe (data);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
sent_probe (GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  call_post_mark (data, MARK_VIDEO_SENT);
  return GST_PAD_PROBE_REMOVE;
}

/* Until DTLS is up webrtcbin has no SRTP keys, and what it is given is lost: the first
 * keyframe would be, and the peer's first frame would wait for the next one. So the
 * sender keeps the call's first keyframe until the call connects (sc_sender_attach()),
 * and sends it then. */
static void
release_held (ScCall *self)
{
  remove_source (self, &self->release_timeout);
  sc_sender_release (self->sender, self->video_feed);
}

static gboolean
release_timeout_cb (gpointer data)
{
  ScCall *self = data;
  self->release_timeout = 0;
  release_held (self);
  return G_SOURCE_REMOVE;
}

/* Both ends must have their keys. The answerer is the DTLS client (a=setup:active):
 * it completes the handshake last, when the offerer already has its keys, so it sends
 * at once. The offerer completes first, and what it sends before the answerer has
 * processed the last handshake message is dropped there (measured: the first keyframe
 * lost, the first frame ~35 ms later); it sends once a packet has come that the
 * answerer could only send with its keys (peer_ready_probe()), or after RELEASE_WAIT_MS
 * if the answerer sends nothing. */
static void
release_when_peer_ready (ScCall *self)
{
  if (!self->offerer || g_atomic_int_get (&self->peer_ready))
    {
      release_held (self);
      return;
    }
  GSource *timeout = g_timeout_source_new (RELEASE_WAIT_MS);
  g_source_set_callback (timeout, release_timeout_cb, self, NULL);
  self->release_timeout = g_source_attach (timeout, self->context);
  g_source_unref (timeout);
}

/* What @kind goes out as: payload type @pt (sc-rtp-format.h), on the payloader and in
 * the caps webrtcbin reads its descriptions from. Before the first frame is sent. */
void
call_set_send_format (ScCall *self, ScRtpKind kind, gint pt)
{
  GstElement *bin = kind == SC_RTP_VIDEO ? self->video_bin : self->audio_bin;
  if (bin == NULL)
    return;
  g_autoptr(GstElement) pay = gst_bin_get_by_name (GST_BIN (bin), "pay");
  g_autoptr(GstElement) format = gst_bin_get_by_name (GST_BIN (bin), "format");
  guint ssrc = 0;
  g_object_get (pay, "ssrc", &ssrc, NULL);
  if (ssrc == G_MAXUINT)
    {
      /* The payloader's "random" SSRC is picked at its first buffer, after the
       * description that must announce it: pick it now. */
      ssrc = g_random_int_range (1, G_MAXINT32);
      g_object_set (pay, "ssrc", ssrc, NULL);
    }
  g_object_set (pay, "pt", (guint) pt, NULL);
  g_autoptr(GstCaps) caps = sc_rtp_format_caps (kind, pt, ssrc);
  g_object_set (format, "caps", caps, NULL);
  g_atomic_int_set (kind == SC_RTP_VIDEO ? &self->video_pt : &self->audio_pt, pt);
}

/* "PAYLOADER" linked to a new webrtcbin sink pad, and a feed into it: the sender pushes
 * its encoded frames there (see sc-feed.h), from the connection on. PAYLOADER names its
 * payloader "pay" and ends in a capsfilter "format" (call_set_send_format()). */
static ScFeed *
add_sender (ScCall *self, const char *payloader, GstElement **bin_out, GError **error)
{
  g_autoptr(GError) local = NULL;
  GstElement *bin = gst_parse_bin_from_description (payloader, TRUE, &local);
  if (bin == NULL)
    {
      g_set_error (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                   "cannot make the sending chain: %s", local->message);
      return NULL;
    }
  gst_bin_add (GST_BIN (self->pipeline), bin);

  g_autoptr(GstPad) webrtc_pad = gst_element_request_pad_simple (self->webrtc, "sink_%u");
  g_autoptr(GstPad) bin_pad = gst_element_get_static_pad (bin, "src");
  g_autoptr(GstPad) bin_sink = gst_element_get_static_pad (bin, "sink");
  if (bin_pad == NULL || bin_sink == NULL || webrtc_pad == NULL ||
      gst_pad_link (bin_pad, webrtc_pad) != GST_PAD_LINK_OK)
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                           "cannot link the sending chain to webrtcbin");
      return NULL;
    }
  *bin_out = bin;
  ScFeed *feed = sc_feed_new (self->pipeline, bin_sink, &local);
  if (feed == NULL)
    g_set_error (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                 "cannot feed the sending chain: %s", local->message);
  return feed;
}


/* The match's STUN and TURN servers (TURN credentials are per match). Before any
 * description is set: libnice gathers when the local description is. */
static void
add_ice_servers (ScCall *self, const char *const *ice_uris)
{
  gboolean have_stun = FALSE;
  for (guint i = 0; ice_uris && ice_uris[i]; i++)
    {
      if (g_str_has_prefix (ice_uris[i], "stun://"))
        {
          if (!have_stun)
            g_object_set (self->webrtc, "stun-server", ice_uris[i], NULL);
          have_stun = TRUE;   /* webrtcbin uses a single STUN server */
        }
      else
        {
          gboolean ok = FALSE;
          g_signal_emit_by_name (self->webrtc, "add-turn-server", ice_uris[i], &ok);
          if (!ok)
            g_warning ("TURN server %s was refused", ice_uris[i]);
        }
    }
}

ScCall *
sc_call_new (const ScMediaConfig *config, ScSender *sender, GError **error)
{
  g_autoptr(ScCall) self = g_object_new (SC_TYPE_CALL, NULL);
  gint64 created_us = g_get_monotonic_time ();
  self->context = g_main_context_ref_thread_default ();
  self->config = sc_media_config_copy (config);
  self->dtls_resend = sc_dtls_resend_new (config->dtls_resend_ms);
  self->sender = g_object_ref (sender);
  self->video_output = sc_media_config_get_video_output (config);
  self->self_view = config->self_view;

  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("call"));
  g_signal_connect (self->pipeline, "deep-element-added", G_CALLBACK (on_deep_element_added), self);
  self->webrtc = gst_element_factory_make ("webrtcbin", "webrtc");
  if (self->webrtc == NULL)
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                           "GStreamer's webrtcbin is missing (gstreamer1.0-plugins-bad)");
      return NULL;
    }
  gst_object_ref (self->webrtc);
  g_object_set (self->webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
                "latency", JITTER_LATENCY_MS, NULL);
  /* The jitter buffers start with the first packets instead of holding them for the
   * whole latency: the first frame shows that much sooner. */
  g_autoptr(GstElement) rtpbin = gst_bin_get_by_name (GST_BIN (self->webrtc), "rtpbin");
  if (rtpbin)
    {
      g_signal_connect (rtpbin, "new-jitterbuffer", G_CALLBACK (on_new_jitterbuffer), self);
      g_signal_connect (rtpbin, "element-added", G_CALLBACK (on_rtpbin_element_added), NULL);
      g_autoptr(GstIterator) it = gst_bin_iterate_elements (GST_BIN (rtpbin));
      GValue item = G_VALUE_INIT;
      while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
        {
          no_probation (g_value_get_object (&item));
          g_value_reset (&item);
        }
      g_value_unset (&item);
    }
  gst_bin_add (GST_BIN (self->pipeline), self->webrtc);

  if (!sc_ice_agent_configure (self->webrtc, self->config, error))
    return NULL;

  self->video_feed = add_sender (self, "rtpvp8pay name=pay picture-id-mode=15-bit ! "
                                 "capsfilter name=format", &self->video_bin, error);
  if (self->video_feed == NULL)
    return NULL;
  call_set_send_format (self, SC_RTP_VIDEO, SC_RTP_VIDEO_PT);
  GstPad *video_pad = sc_feed_get_pad (self->video_feed);
  gst_pad_add_probe (video_pad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, keyframe_request_probe,
                     g_object_ref (sender), g_object_unref);
  gst_pad_add_probe (video_pad, GST_PAD_PROBE_TYPE_BUFFER, sent_probe, self, NULL);

  if (sc_sender_has_audio (sender))
    {
      self->audio_feed = add_sender (self, "rtpopuspay name=pay ! capsfilter name=format",
                                     &self->audio_bin, error);
      if (self->audio_feed == NULL)
        return NULL;
      call_set_send_format (self, SC_RTP_AUDIO, SC_RTP_AUDIO_PT);
    }
  else
    {
      /* Still receive the peer's audio. */
      g_autoptr(GstCaps) caps = sc_rtp_format_caps (SC_RTP_AUDIO, SC_RTP_AUDIO_PT, 0);
      g_signal_emit_by_name (self->webrtc, "add-transceiver",
                             GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, caps,
                             &self->audio_receiver);
      self->audio_pt = SC_RTP_AUDIO_PT;
    }

  g_signal_connect (self->webrtc, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed), self);
  g_signal_connect (self->webrtc, "on-ice-candidate", G_CALLBACK (on_ice_candidate), self);
  g_signal_connect (self->webrtc, "notify::connection-state", G_CALLBACK (on_connection_state), self);
  g_signal_connect (self->webrtc, "notify::ice-connection-state",
                    G_CALLBACK (on_ice_connection_state), self);
  g_signal_connect (self->webrtc, "on-data-channel", G_CALLBACK (on_data_channel), self);
  g_signal_connect (self->webrtc, "pad-added", G_CALLBACK (call_on_incoming_pad), self);

  g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus_message), self, NULL);
  g_source_attach (self->bus_source, self->context);

  self->marks[MARK_BUILT] = g_get_monotonic_time ();
  /* Playing already: a call made ahead of its match only waits for a peer. */
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                           "the call's pipeline would not start");
      return NULL;
    }
  self->marks[MARK_PLAYING] = g_get_monotonic_time ();
  g_debug ("call made ready in %.1f ms", (self->marks[MARK_PLAYING] - created_us) / 1000.0);
  return g_steal_pointer (&self);
}

static gboolean
connect_timeout_cb (gpointer data)
{
  ScCall *self = data;
  self->connect_timeout = 0;
  if (!self->connected && !g_atomic_int_get (&self->stopped))
    g_signal_emit (self, call_signals[SIG_FAILED], 0, "no connection to the peer within 15 s");
  return G_SOURCE_REMOVE;
}

/* Reliable and ordered are the defaults. Made before the offer, so that the offer
 * carries the data channel's m-line. */
gboolean
call_offer (ScCall *self, GError **error)
{
  GstWebRTCDataChannel *channel = NULL;
  g_signal_emit_by_name (self->webrtc, "create-data-channel", "chat", NULL, &channel);
  if (channel == NULL)
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_CHANNEL,
                           "cannot create the chat data channel");
      return FALSE;
    }
  watch_channel (self, channel);
  g_object_unref (channel);
  /* Negotiation was already needed while the call waited for its peer (and its role);
   * it will not be announced again. */
  if (!self->offer_requested)
    call_create_offer (self);
  return TRUE;
}

gboolean
sc_call_prepare_offer (ScCall *self, GError **error)
{
  g_return_val_if_fail (SC_IS_CALL (self), FALSE);
  g_return_val_if_fail (!self->started && !self->prepared, FALSE);

  if (self->config->relay_only)
    {
      /* Relay candidates need the match's TURN credentials. */
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                           "an offer for the relay cannot be made before the match");
      return FALSE;
    }
  self->offerer = TRUE;
  self->prepared = TRUE;
  return call_offer (self, error);
}

gboolean
sc_call_is_offer_ready (ScCall *self)
{
  g_return_val_if_fail (SC_IS_CALL (self), FALSE);
  gboolean description = FALSE, candidate = FALSE;
  for (guint i = 0; self->prepared && !self->started && i < self->early_signals->len; i++)
    {
      EarlySignal *made = g_ptr_array_index (self->early_signals, i);
      description |= made->type != NULL;
      candidate |= made->type == NULL;
    }
  return description && candidate;
}

gboolean
sc_call_start (ScCall *self, gboolean offerer, const char *peer_name,
               const char *const *ice_uris, GError **error)
{
  g_return_val_if_fail (SC_IS_CALL (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);

  if (self->prepared && (!offerer || (ice_uris && ice_uris[0])))
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_PIPELINE,
                           "a call with an offer made ahead can only offer, and only "
                           "without STUN or TURN servers");
      return FALSE;
    }
  self->started = TRUE;
  self->marks[MARK_NEW] = g_get_monotonic_time ();
  self->offerer = offerer;
  g_free (self->title);
  self->title = g_strdup_printf ("showcast — %s", peer_name ? peer_name : "");
  g_auto(GStrv) first = NULL;
  sc_ice_agent_split_servers (ice_uris, &first, &self->held_relays);
  add_ice_servers (self, (const char *const *) first);

  GSource *timeout = g_timeout_source_new_seconds (CONNECT_TIMEOUT_S);
  g_source_set_callback (timeout, connect_timeout_cb, self, NULL);
  self->connect_timeout = g_source_attach (timeout, self->context);
  g_source_unref (timeout);

  /* Frames from now on, beginning with a keyframe: the sender keeps it until the call
   * connects. */
  sc_sender_attach (self->sender, self->video_feed, self->audio_feed);

  if (self->prepared)
    {
      /* The offer and candidates made ahead go out now, in the order they were made. */
      gint64 now = g_get_monotonic_time ();
      g_autoptr(GPtrArray) early = g_steal_pointer (&self->early_signals);
      self->early_signals = g_ptr_array_new_with_free_func ((GDestroyNotify) early_signal_free);
      for (guint i = 0; i < early->len && !g_atomic_int_get (&self->stopped); i++)
        {
          EarlySignal *made = g_ptr_array_index (early, i);
          if (made->type)
            {
              call_mark (self, MARK_LOCAL_DESCRIPTION, now);
              g_signal_emit (self, call_signals[SIG_LOCAL_DESCRIPTION], 0, made->type, made->text);
            }
          else
            {
              call_mark (self, MARK_FIRST_CANDIDATE, now);
              g_signal_emit (self, call_signals[SIG_LOCAL_CANDIDATE], 0, made->mline, made->text);
            }
        }
    }
  else if (self->offerer)
    return call_offer (self, error);
  return TRUE;
}

gboolean
sc_call_send_data (ScCall *self, const char *text, GError **error)
{
  g_return_val_if_fail (SC_IS_CALL (self), FALSE);

  if (g_atomic_int_get (&self->stopped))
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_STOPPED, "the call has ended");
      return FALSE;
    }
  if (self->channel == NULL || !self->channel_open)
    {
      g_set_error_literal (error, SC_CALL_ERROR, SC_CALL_ERROR_CHANNEL,
                           "the chat channel is not open yet");
      return FALSE;
    }
  return gst_webrtc_data_channel_send_string_full (self->channel, text, error);
}

gboolean
sc_call_is_connected (ScCall *self)
{
  return self->connected;
}

gboolean
sc_call_is_channel_open (ScCall *self)
{
  return self->channel_open;
}

gboolean
sc_call_get_path (ScCall *self, ScIcePath *path)
{
  return self->webrtc != NULL && sc_ice_agent_get_path (self->webrtc, path);
}

/* ---- Stopping ------------------------------------------------------------------------ */

static gboolean
stop_signals (ScCall *self)
{
  if (!g_atomic_int_compare_and_exchange (&self->stopped, 0, 1))
    return FALSE;
  if (self->dtls_resend)
    sc_dtls_resend_close (self->dtls_resend);
  if (self->sender && self->video_feed)
    sc_sender_detach (self->sender, self->video_feed);
  if (self->channel)
    g_signal_handlers_disconnect_by_data (self->channel, self);
  if (self->bus_source)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  remove_source (self, &self->stats_source);
  remove_source (self, &self->connect_timeout);
  remove_source (self, &self->held_relays_timeout);
  remove_source (self, &self->release_timeout);
  return TRUE;
}

/**
 * sc_call_stop:
 * Ends the call at once: no signal is emitted after this returns. The pipeline goes to
 * NULL (every streaming thread joined, every socket of the call closed) on the reaper
 * thread, which holds a reference to the call until it is done; webrtcbin's handlers
 * stay connected until then, and find the call stopped. When REAPER_BACKLOG calls are
 * already waiting for the reaper, the pipeline goes to NULL here, before this returns.
 */
void
sc_call_stop (ScCall *self)
{
  g_return_if_fail (SC_IS_CALL (self));
  if (!stop_signals (self))
    return;

  call_reap_later (self);
}

static void
sc_call_dispose (GObject *object)
{
  ScCall *self = SC_CALL (object);
  /* Dropped without sc_call_stop(): stop here and now. */
  if (stop_signals (self) && self->pipeline)
    call_stop_pipeline (self);
  if (self->webrtc)
    g_signal_handlers_disconnect_by_data (self->webrtc, self);
  if (self->pipeline)
    g_signal_handlers_disconnect_by_data (self->pipeline, self);
  GstElement *decoder = g_atomic_pointer_exchange (&self->dtls_decoder, NULL);
  if (decoder)
    gst_object_unref (decoder);
  g_clear_object (&self->channel);
  g_clear_pointer (&self->video_branch, call_video_branch_free);
  g_clear_object (&self->terminal_caps);
  g_clear_object (&self->self_pad);
  g_clear_object (&self->video_tee);
  g_clear_object (&self->video_feed);
  g_clear_object (&self->audio_feed);
  g_clear_object (&self->audio_receiver);
  g_clear_object (&self->sender);
  g_clear_object (&self->webrtc);
  g_clear_object (&self->pipeline);
  G_OBJECT_CLASS (sc_call_parent_class)->dispose (object);
}

static void
sc_call_finalize (GObject *object)
{
  ScCall *self = SC_CALL (object);
  g_ptr_array_unref (self->pending_candidates);
  g_ptr_array_unref (self->early_signals);
  g_clear_pointer (&self->latest_frame, gst_sample_unref);
  g_mutex_clear (&self->frame_lock);
  call_interrupt_promises (self);   /* none, unless the pipeline never went to NULL */
  g_ptr_array_unref (self->promises);
  g_mutex_clear (&self->promise_lock);
  g_clear_pointer (&self->dtls_resend, sc_dtls_resend_unref);
  g_clear_pointer (&self->config, sc_media_config_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->title);
  g_free (self->remote_fingerprint);
  g_strfreev (self->held_relays);
  G_OBJECT_CLASS (sc_call_parent_class)->finalize (object);
}

static void
sc_call_class_init (ScCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_call_dispose;
  object_class->finalize = sc_call_finalize;

  /* The signals are ScPeerCall's (sc-peer-call.h); same order. */
  for (guint i = 0; i < N_SIGNALS; i++)
    call_signals[i] = sc_peer_call_signal_id ((ScPeerCallSignal) i);
}

static void
sc_call_init (ScCall *self)
{
  self->pending_candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) call_candidate_entry_free);
  self->early_signals = g_ptr_array_new_with_free_func ((GDestroyNotify) early_signal_free);
  g_mutex_init (&self->frame_lock);
  g_mutex_init (&self->promise_lock);
  self->promises = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_promise_unref);
  self->video_target = (ScVideoTarget) { 80, 48, FALSE };
}

/* ScPeerCall: the client core drives a call through the interface. */
static gboolean
iface_prepare_offer (ScPeerCall *call, GError **error)
{
  return sc_call_prepare_offer (SC_CALL (call), error);
}

static gboolean
iface_start (ScPeerCall *call, gboolean offerer, const char *peer_name,
             const char *const *ice_uris, GError **error)
{
  return sc_call_start (SC_CALL (call), offerer, peer_name, ice_uris, error);
}

static gboolean
iface_set_remote_description (ScPeerCall *call, const char *type, const char *sdp,
                              GError **error)
{
  return sc_call_set_remote_description (SC_CALL (call), type, sdp, error);
}

static void
iface_add_remote_candidate (ScPeerCall *call, guint mline, const char *candidate)
{
  sc_call_add_remote_candidate (SC_CALL (call), mline, candidate);
}

static gboolean
iface_send_data (ScPeerCall *call, const char *text, GError **error)
{
  return sc_call_send_data (SC_CALL (call), text, error);
}

static void
iface_set_video_output (ScPeerCall *call, ScVideoOutput output)
{
  sc_call_set_video_output (SC_CALL (call), output);
}

static void
iface_set_video_target (ScPeerCall *call, const ScVideoTarget *target)
{
  sc_call_set_video_target (SC_CALL (call), target);
}

static void
iface_set_self_view (ScPeerCall *call, gboolean on)
{
  sc_call_set_self_view (SC_CALL (call), on);
}

static void
iface_stop (ScPeerCall *call)
{
  sc_call_stop (SC_CALL (call));
}

static gboolean
iface_is_connected (ScPeerCall *call)
{
  return sc_call_is_connected (SC_CALL (call));
}

static gboolean
iface_is_channel_open (ScPeerCall *call)
{
  return sc_call_is_channel_open (SC_CALL (call));
}

static gboolean
iface_get_path (ScPeerCall *call, ScIcePath *path)
{
  return sc_call_get_path (SC_CALL (call), path);
}

static void
peer_call_iface_init (ScPeerCallInterface *iface)
{
  iface->prepare_offer = iface_prepare_offer;
  iface->start = iface_start;
  iface->set_remote_description = iface_set_remote_description;
  iface->add_remote_candidate = iface_add_remote_candidate;
  iface->send_data = iface_send_data;
  iface->set_video_output = iface_set_video_output;
  iface->set_video_target = iface_set_video_target;
  iface->set_self_view = iface_set_self_view;
  iface->stop = iface_stop;
  iface->is_connected = iface_is_connected;
  iface->is_channel_open = iface_is_channel_open;
  iface->get_path = iface_get_path;
}
