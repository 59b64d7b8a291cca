/* sc-call-private.h: what the files of ScCall share. sc-call.c: building the pipeline,
 * posting to the main context, promises, webrtcbin's callbacks, the bus;
 * sc-call-negotiation.c: descriptions (payload types, fingerprints) and candidates;
 * sc-call-receive.c: the peer's streams and where its video goes; sc-call-statistics.c:
 * webrtcbin's statistics and a silent peer; sc-call-reaper.c: tearing calls down off
 * the main context. Not for anyone else. */
#pragma once

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>

#include "sc-call.h"
#include "sc-call-stats.h"
#include "sc-dtls-certificate.h"
#include "sc-dtls-resend.h"
#include "sc-frame-stamp.h"
#include "sc-ice-agent.h"
#include "sc-rtp-format.h"
#include "sc-sender.h"

G_BEGIN_DECLS

#define STATS_INTERVAL_MS 1000
/* A dead peer: the call fails when no media has come for PEER_SILENCE_MS once connected
 * (audio flows all the time, muted or not), or when it has not connected within
 * CONNECT_TIMEOUT_S of starting. ICE consent checks would notice too, but only after
 * about 30 s with this libnice. */
#define PEER_SILENCE_MS 4000
/* Call set-up (issue #6): the jitter buffers' latency (webrtcbin's
 * default is 200 ms; on loopback and good networks 60 ms is plenty, and fast start
 * releases the first frame without waiting for it). */
#define JITTER_LATENCY_MS 60
#define CONNECT_TIMEOUT_S 15
#define RELEASE_WAIT_MS 40

/* One way of showing the remote video, hanging off the tee after the decoder. */
typedef struct
{
  GstElement *bin;
  GstPad *tee_pad;
} VideoBranch;

/* Running totals from webrtcbin's statistics. */
typedef struct
{
  guint64 bytes_in, bytes_out, packets_in;
  gint64 packets_lost;
  double rtt_ms;
  gint64 at_us;
} StatsTotals;


/* The set-up timeline, logged with the first frame (-v): where a call's first
 * hundred milliseconds go (issue #6). Written on the main context only. */
typedef enum {
  MARK_NEW,
  MARK_BUILT,
  MARK_PLAYING,
  MARK_LOCAL_DESCRIPTION,
  MARK_REMOTE_DESCRIPTION,
  MARK_FIRST_CANDIDATE,
  MARK_ICE_CONNECTED,
  MARK_CONNECTED,
  MARK_PEER_READY,
  MARK_VIDEO_SENT,
  MARK_VIDEO_RECEIVED,
  MARK_INCOMING_VIDEO,
  MARK_FIRST_FRAME,
  N_MARKS
} Mark;

struct _ScCall
{
  GObject parent_instance;

  GMainContext *context;
  ScMediaConfig *config;
  gboolean offerer;
  char *title;                    /* window title: the peer's name */

  GstElement *pipeline;
  GstElement *webrtc;
  ScSender *sender;
  ScFeed *video_feed;             /* where the sender's frames come in */
  ScFeed *audio_feed;             /* NULL without an audio source */
  GstElement *video_bin;          /* payloader and caps of each stream sent */
  GstElement *audio_bin;
  GstWebRTCRTPTransceiver *audio_receiver;  /* receive-only audio, without a microphone */
  gint video_pt;                  /* atomic: read by received_probe */
  gint audio_pt;
  gboolean started;
  GSource *bus_source;

  GstElement *video_tee;          /* main context only, like the branch */
  VideoBranch *video_branch;
  ScVideoOutput video_output;
  ScVideoTarget video_target;
  GstElement *terminal_caps;      /* the terminal branch's capsfilter */
  gboolean self_view;             /* main context: the self-view shows */
  GstPad *self_pad;               /* the branch's compositor pad for it, or NULL */

  GMutex frame_lock;              /* guards the two below, shared with the appsink thread */
  GstSample *latest_frame;
  gboolean frame_posted;

  guint stats_source;
  guint connect_timeout;
  GStrv held_relays;              /* TURN over TCP/TLS, until a UDP relay candidate comes */
  guint held_relays_timeout;
  gint64 media_seen_us;           /* the last time the packet count grew */
  gboolean silence_reported;
  StatsTotals last_stats;

  GstWebRTCDataChannel *channel;  /* main context only */
  gboolean channel_open;
  gboolean offer_requested;
  gboolean remote_requested;
  GPtrArray *pending_candidates;  /* CandidateEntry, until the remote description */
  gboolean prepared;              /* the offer was made ahead of the match */
  GPtrArray *early_signals;       /* EarlySignal: what the offer made before the start */
  gboolean connected;
  gint first_frame_seen;          /* atomic: set on a streaming thread */
  gint first_audio_seen;          /* atomic: set on a streaming thread */
  gint peer_ready;                /* atomic: set on a streaming thread */
  GstElement *dtls_decoder;       /* atomic: webrtcbin's dtlssrtpdec, once made */
  ScDtlsResend *dtls_resend;      /* the handshake copies; closed when the call stops */
  char *remote_fingerprint;       /* SHA-256, from the peer's description */
  guint release_timeout;
  GMutex promise_lock;            /* guards promises, shared with webrtcbin's thread */
  GPtrArray *promises;            /* GstPromise handed to webrtcbin, not yet answered */
  gint stopped;                   /* atomic: read on other threads */
  gint64 marks[N_MARKS];          /* monotonic µs, 0 = not yet */
  gboolean timeline_logged;
};

typedef enum {
  EV_NEGOTIATION_NEEDED,
  EV_LOCAL_DESCRIPTION,
  EV_LOCAL_CANDIDATE,
  EV_CONNECTION_STATE,
  EV_ICE_STATE,
  EV_FIRST_FRAME,
  EV_FIRST_AUDIO,
  EV_VIDEO_TEE,
  EV_VIDEO_FRAME,
  EV_BRANCH_DETACHED,
  EV_STATS,
  EV_CHANNEL,
  EV_CHANNEL_OPEN,
  EV_DATA,
  EV_FAILED,
  EV_MARK,
  EV_FRAME_DELAY,
} EventKind;

typedef struct
{
  ScCall *call;
  EventKind kind;
  gint64 at_us;                   /* when it happened, on whichever thread */
  char *text;
  char *text2;
  guint a, b;
  double number;
  GstWebRTCDataChannel *channel;
  GstElement *element;
  VideoBranch *branch;
  StatsTotals stats;
} CallEvent;

enum {
  SIG_LOCAL_DESCRIPTION,
  SIG_LOCAL_CANDIDATE,
  SIG_CONNECTED,
  SIG_FIRST_FRAME,
  SIG_FIRST_AUDIO,
  SIG_VIDEO_FRAME,
  SIG_STATS,
  SIG_FRAME_DELAY,
  SIG_CHANNEL_OPEN,
  SIG_DATA_RECEIVED,
  SIG_FAILED,
  N_SIGNALS
};
G_GNUC_INTERNAL extern guint call_signals[N_SIGNALS];

/* A remote candidate that came before the remote description: applied after it. */
typedef struct
{
  guint mline;
  char *candidate;
} CandidateEntry;

G_GNUC_INTERNAL CallEvent *call_event_new (ScCall *self, EventKind kind);
G_GNUC_INTERNAL void call_post (CallEvent *ev);
G_GNUC_INTERNAL void call_post_failure (ScCall *self, const char *format, ...) G_GNUC_PRINTF (2, 3);
G_GNUC_INTERNAL void call_post_mark (ScCall *self, Mark which);
G_GNUC_INTERNAL void call_interrupt_promises (ScCall *self);
G_GNUC_INTERNAL void call_mark (ScCall *self, Mark which, gint64 at_us);
G_GNUC_INTERNAL void call_on_incoming_pad (GstElement *webrtc, GstPad *pad, gpointer data);
G_GNUC_INTERNAL void call_deliver_frame (ScCall *self);
G_GNUC_INTERNAL void call_attach_video_output (ScCall *self);
G_GNUC_INTERNAL void call_report_stats (ScCall *self, const StatsTotals *now);
G_GNUC_INTERNAL void call_start_stats (ScCall *self);
G_GNUC_INTERNAL void call_stop_pipeline (ScCall *self);
G_GNUC_INTERNAL void call_video_branch_free (VideoBranch *branch);
G_GNUC_INTERNAL GstPromise *call_promise_new (ScCall *self, GstPromiseChangeFunc func);
G_GNUC_INTERNAL ScCall *call_promise_answered (GstPromise *promise, gpointer data);
G_GNUC_INTERNAL void call_reap_later (ScCall *self);

G_GNUC_INTERNAL void call_candidate_entry_free (CandidateEntry *entry);
G_GNUC_INTERNAL gboolean call_offer (ScCall *self, GError **error);
G_GNUC_INTERNAL void call_set_send_format (ScCall *self, ScRtpKind kind, gint pt);
G_GNUC_INTERNAL void call_create_offer (ScCall *self);
G_GNUC_INTERNAL gboolean call_peer_certificate_matches (ScCall *self);
G_GNUC_INTERNAL char *call_remote_fingerprint (const GstSDPMessage *sdp);

G_END_DECLS
