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

G_END_DECLS
