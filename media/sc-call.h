/* sc-call.h: one WebRTC call with one peer: a GStreamer pipeline around webrtcbin
 * sending VP8 video and Opus audio, receiving the peer's, and a reliable ordered data
 * channel. It is the real ScPeerCall (sc-peer-call.h), and emits that interface's signals.
 *
 * Threads: webrtcbin, libnice and SCTP call back on their own threads. ScCall hands all
 * of that to the GMainContext it was created in; every signal is emitted there, and
 * every method must be called there. After sc_call_stop() no signal is emitted.
 */
#pragma once

#include <glib-object.h>

#include "sc-call-stats.h"
#include "sc-ice-agent.h"
#include "sc-media-config.h"
#include "sc-peer-call.h"
#include "sc-sender.h"
#include "sc-video-frame.h"

G_BEGIN_DECLS

#define SC_CALL_ERROR (sc_call_error_quark ())
GQuark sc_call_error_quark (void);

typedef enum {
  SC_CALL_ERROR_PIPELINE,
  SC_CALL_ERROR_SDP,
  SC_CALL_ERROR_CHANNEL,
  SC_CALL_ERROR_STOPPED,
} ScCallError;

#define SC_TYPE_CALL (sc_call_get_type ())
G_DECLARE_FINAL_TYPE (ScCall, sc_call, SC, CALL, GObject)

/* Builds the call's pipeline and sets it playing, ready for a peer: a call can be made
 * ahead of its match (webrtcbin, the ICE agent and the receive side take a few
 * milliseconds to make and start). Frames come from @sender once started. */
ScCall   *sc_call_new                    (const ScMediaConfig *config,
                                          ScSender            *sender,
                                          GError             **error);
/* Makes the offer (with the data channel) and gathers the local candidates ahead of the
 * match, kept until sc_call_start() sends them: the offerer's first milliseconds of a
 * skip, off the critical path. Such a call can only be started as the offerer, and
 * without STUN or TURN servers (those come with the match); not with relay_only. */
gboolean  sc_call_prepare_offer          (ScCall              *self,
                                          GError             **error);
/* TRUE once such a call holds its offer and a candidate, not yet started. */
gboolean  sc_call_is_offer_ready         (ScCall              *self);
/* The match: the role, the peer's name (the window title), and @ice_uris, webrtcbin
 * URIs (stun://…, turn://…, see sc-ice-uri.h). The offerer makes the offer at once. */
gboolean  sc_call_start                  (ScCall              *self,
                                          gboolean             offerer,
                                          const char          *peer_name,
                                          const char *const   *ice_uris,
                                          GError             **error);
gboolean  sc_call_set_remote_description (ScCall              *self,
                                          const char          *type,
                                          const char          *sdp,
                                          GError             **error);
void      sc_call_add_remote_candidate   (ScCall              *self,
                                          guint                mline,
                                          const char          *candidate);
gboolean  sc_call_send_data              (ScCall              *self,
                                          const char          *text,
                                          GError             **error);
void      sc_call_set_video_output       (ScCall              *self,
                                          ScVideoOutput        output);
void      sc_call_set_video_target       (ScCall              *self,
                                          const ScVideoTarget *target);
void      sc_call_set_self_view          (ScCall              *self,
                                          gboolean             on);
void      sc_call_stop                   (ScCall              *self);

gboolean  sc_call_is_connected           (ScCall              *self);
gboolean  sc_call_is_channel_open        (ScCall              *self);
/* The way the call's packets go now (sc-ice-agent.h); FALSE before ICE has chosen. */
gboolean  sc_call_get_path               (ScCall              *self,
                                          ScIcePath           *path);
/* The DTLS handshake copies (sc-dtls-resend.h) this call sent, and those it dropped
 * because it stopped first. */
void      sc_call_get_dtls_copies        (ScCall              *self,
                                          guint               *sent,
                                          guint               *dropped);
/* Any thread. Stopped calls whose pipelines the reaper has not yet taken down (at most
 * three: one under way, two waiting; see sc_call_stop()). */
guint     sc_call_pending_teardowns      (void);
/* Waits until every stopped call is completely torn down; before the process exits. */
void      sc_call_join_teardowns         (void);

G_END_DECLS
