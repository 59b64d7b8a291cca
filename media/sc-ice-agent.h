/* sc-ice-agent.h: how showcast sets up webrtcbin's ICE agent (libnice) for a call: no
 * UPnP, fast check pacing, aggressive nomination, no ICE-TCP, the local addresses to
 * gather on, and relay-only when asked.  Call it before the first set-local-description. */
#pragma once

#include <gst/gst.h>

#include "sc-media-config.h"

G_BEGIN_DECLS

/* Connectivity checks every 5 ms instead of libnice's 20: ICE needs about three rounds
 * (measured here: ~60 ms → ~16 ms on loopback). */
#define SC_ICE_PACING_MS 5

gboolean sc_ice_agent_configure (GstElement           *webrtc,
                                 const ScMediaConfig  *config,
                                 GError              **error);

/* Once ICE is connected (every transport): libnice's check timer stops soon (after the
 * shortest idle-timeout libnice allows, 50 ms, instead of its default 5 s). Left
 * alone it keeps ticking every SC_ICE_PACING_MS with nothing to do for that grace
 * period, which matters only for components not yet connected (measured
 * here: ~200 wake-ups a second of the ICE thread for the first 5 s of every call). Late
 * candidates from the peer start it again, and it stops again once they are checked. */
void     sc_ice_agent_settle    (GstElement           *webrtc);

G_END_DECLS
