/* sc-rtp-format.h: how showcast's streams go out as RTP — codec, payload type, SSRC —
 * and how an answer takes the payload types of the offer it answers.
 *
 * Standard WebRTC peers (browsers) expect (RFC 7587, RFC 8829):
 *   - Opus as "OPUS/48000/2" (two channels announced, whatever is sent);
 *   - an answer that uses the offer's payload types (Chromium offers Opus as 111,
 *     Firefox VP8 as 120 and Opus as 109);
 *   - SSRCs signalled (a=ssrc): with BUNDLE and no MID header extension a receiver
 *     demultiplexes by SSRC.
 * webrtcbin writes a=rtpmap from the caps on its sink pads and a=ssrc for an "ssrc" in
 * them, and matches an offer's m-lines to those caps; so the caps are the one place. */
#pragma once

#include <gst/gst.h>
#include <gst/sdp/sdp.h>

G_BEGIN_DECLS

typedef enum
{
  SC_RTP_VIDEO,
  SC_RTP_AUDIO,
} ScRtpKind;

/* The payload types showcast offers (any dynamic ones would do). */
#define SC_RTP_VIDEO_PT 96
#define SC_RTP_AUDIO_PT 97

/* The caps @kind is sent with, as payload type @pt; with @ssrc unless it is 0. */
GstCaps *sc_rtp_format_caps        (ScRtpKind             kind,
                                    gint                  pt,
                                    guint32               ssrc);
/* The payload type the first m-line of @kind in @sdp gives showcast's codec for it
 * (VP8/90000, or Opus at 48000 Hz: "opus/48000/2", or "OPUS/48000" as showcast sent it
 * before it followed RFC 7587), or -1 when it offers none. */
gint     sc_rtp_format_offered_pt  (const GstSDPMessage  *sdp,
                                    ScRtpKind             kind);

G_END_DECLS
