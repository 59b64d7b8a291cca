/* sc-peer-call.h: one call with one peer, as the client core sees it. ScCall (webrtcbin)
 * is the real one; the core's unit tests give the core a fake that emits the same
 * signals when the test says so (tests/unit/core-fakes.h).
 *
 * Signals, all emitted on the main context, never after stop():
 *   local-description (type, sdp)   an offer or answer to send to the peer
 *   local-candidate (mline, cand)   a local ICE candidate to send
 *   connected ()                    ICE and DTLS are up
 *   first-frame (width, height)     the peer's first decoded picture
 *   first-audio (rate, channels)    the peer's first decoded audio
 *   video-frame (ScVideoFrame *)    a decoded picture for terminal output
 *   stats (ScCallStats *)           connection quality, every second once connected
 *   frame-delay (double ms)         capture-to-decode time of a stamped frame
 *   channel-open ()                 the chat channel is open
 *   data-received (text)            a chat channel message
 *   failed (reason)                 the call cannot go on
 */
#pragma once

#include <glib-object.h>

#include "sc-call-stats.h"
#include "sc-ice-agent.h"
#include "sc-video-frame.h"

G_BEGIN_DECLS

#define SC_TYPE_PEER_CALL (sc_peer_call_get_type ())
G_DECLARE_INTERFACE (ScPeerCall, sc_peer_call, SC, PEER_CALL, GObject)

struct _ScPeerCallInterface
{
  GTypeInterface parent_iface;

  gboolean (*prepare_offer)          (ScPeerCall          *self,
                                      GError             **error);
  gboolean (*start)                  (ScPeerCall          *self,
                                      gboolean             offerer,
                                      const char          *peer_name,
                                      const char *const   *ice_uris,
                                      GError             **error);
  gboolean (*set_remote_description) (ScPeerCall          *self,
                                      const char          *type,
                                      const char          *sdp,
                                      GError             **error);
  void     (*add_remote_candidate)   (ScPeerCall          *self,
                                      guint                mline,
                                      const char          *candidate);
  gboolean (*send_data)              (ScPeerCall          *self,
                                      const char          *text,
                                      GError             **error);
  void     (*set_video_output)       (ScPeerCall          *self,
                                      ScVideoOutput        output);
  void     (*set_video_target)       (ScPeerCall          *self,
                                      const ScVideoTarget *target);
  void     (*set_self_view)          (ScPeerCall          *self,
                                      gboolean             on);
  void     (*stop)                   (ScPeerCall          *self);
  gboolean (*is_connected)           (ScPeerCall          *self);
  gboolean (*is_channel_open)        (ScPeerCall          *self);
  gboolean (*get_path)               (ScPeerCall          *self,
                                      ScIcePath           *path);
};

typedef enum {
  SC_PEER_CALL_SIG_LOCAL_DESCRIPTION,
  SC_PEER_CALL_SIG_LOCAL_CANDIDATE,
  SC_PEER_CALL_SIG_CONNECTED,
  SC_PEER_CALL_SIG_FIRST_FRAME,
  SC_PEER_CALL_SIG_FIRST_AUDIO,
  SC_PEER_CALL_SIG_VIDEO_FRAME,
  SC_PEER_CALL_SIG_STATS,
  SC_PEER_CALL_SIG_FRAME_DELAY,
  SC_PEER_CALL_SIG_CHANNEL_OPEN,
  SC_PEER_CALL_SIG_DATA_RECEIVED,
  SC_PEER_CALL_SIG_FAILED,
  SC_PEER_CALL_N_SIGNALS,
} ScPeerCallSignal;

/* For implementations: the signal ids, to pass to g_signal_emit(). */
guint    sc_peer_call_signal_id             (ScPeerCallSignal     signal);

gboolean sc_peer_call_prepare_offer         (ScPeerCall          *self,
                                             GError             **error);
gboolean sc_peer_call_start                 (ScPeerCall          *self,
                                             gboolean             offerer,
                                             const char          *peer_name,
                                             const char *const   *ice_uris,
                                             GError             **error);
gboolean sc_peer_call_set_remote_description (ScPeerCall         *self,
                                             const char          *type,
                                             const char          *sdp,
                                             GError             **error);
void     sc_peer_call_add_remote_candidate  (ScPeerCall          *self,
                                             guint                mline,
                                             const char          *candidate);
gboolean sc_peer_call_send_data             (ScPeerCall          *self,
                                             const char          *text,
                                             GError             **error);
void     sc_peer_call_set_video_output      (ScPeerCall          *self,
                                             ScVideoOutput        output);
void     sc_peer_call_set_video_target      (ScPeerCall          *self,
                                             const ScVideoTarget *target);
void     sc_peer_call_set_self_view         (ScPeerCall          *self,
                                             gboolean             on);
void     sc_peer_call_stop                  (ScPeerCall          *self);
gboolean sc_peer_call_is_connected          (ScPeerCall          *self);
gboolean sc_peer_call_is_channel_open       (ScPeerCall          *self);
gboolean sc_peer_call_get_path              (ScPeerCall          *self,
                                             ScIcePath           *path);

G_END_DECLS
