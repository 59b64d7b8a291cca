/* sc-ice-uri.h: turns ICE server URLs as the protocol carries them (RFC 7064/7065:
 * "stun:HOST:PORT", "turn:HOST:PORT?transport=udp" plus username and credential) into
 * the URIs webrtcbin takes ("stun://HOST:PORT", "turn://USER:PASS@HOST:PORT"). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *sc_ice_uri_from_url (const char  *url,
                           const char  *username,
                           const char  *credential,
                           GError     **error);

G_END_DECLS
