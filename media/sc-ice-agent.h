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

/* TURN over TCP or TLS is a fallback for networks that drop UDP.  libnice keeps one
 * relay candidate per TURN server address ("relay cand redundant, ignoring"): given a
 * server over UDP and over TCP at once, whichever allocation answers first is the one a
 * call may use, and over TCP that is often the TCP one (measured in the lab: one side
 * of every cone/cone call relayed over TCP).  So a call starts with the UDP ones, and
 * the TCP and TLS ones join only if no UDP relay candidate came within this time:
 * a UDP allocation takes two round trips to the relay. */
#define SC_ICE_TCP_RELAY_AFTER_MS 1000

/* Splits the ICE server URIs of a call (webrtcbin's form, sc-ice-uri.h) into those to
 * use at once and the TCP/TLS TURN servers to hold back (NULL when nothing is held:
 * with no TURN server over UDP, TCP ones are used at once). */
void     sc_ice_agent_split_servers (const char *const   *uris,
                                     GStrv               *now,
                                     GStrv               *later);
/* Adds TURN servers (URIs) to the streams of a call that is already gathering. */
void     sc_ice_agent_add_relays    (GstElement          *webrtc,
                                     const char *const   *uris);

/* The way a call's packets go, read from the selected candidate pair: each end's
 * candidate type ("host", "srflx", "prflx" or "relay") and how this end reaches the
 * next hop ("udp", or "tcp" for a TURN server reached over TCP or TLS). */
typedef struct
{
  const char *local;
  const char *remote;
  const char *protocol;
} ScIcePath;

/* FALSE while no pair is selected. */
gboolean sc_ice_agent_get_path  (GstElement           *webrtc,
                                 ScIcePath            *path);

G_END_DECLS
