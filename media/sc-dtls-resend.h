/* sc-dtls-resend.h: each DTLS handshake datagram a call sends goes out a second time,
 * SC_DTLS_RESEND_MS later, straight through the call's ICE agent.
 *
 * Why: a lost handshake datagram costs a call's set-up a whole second. GStreamer 1.22's
 * DTLS connection leaves OpenSSL's retransmission timer at its default (1 s, then 2 s,
 * 4 s…) and offers no way to change it (OpenSSL's DTLS_set_timer_cb() takes the
 * connection's SSL object, which the plugin keeps to itself). Measured with 1 % of UDP
 * packets dropped: next → first frame p95 1.08 s, against 54 ms at p50. libwebrtc starts
 * that timer at 50 ms; an early second copy of each datagram does the same for the
 * common case of one lost datagram, and OpenSSL's own timer still covers the rest.
 * The peer's DTLS drops a copy it already has (its handshake messages are numbered). */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define SC_DTLS_RESEND_MS 50

/* Watches what @nicesink (one of webrtcbin's ICE sinks) sends. */
void     sc_dtls_resend_attach       (GstElement   *nicesink);

/* Whether a datagram is a DTLS handshake flight (RFC 7983: first byte 20–63 is DTLS;
 * content type 22 handshake or 20 change-cipher-spec). Application data (23, the data
 * channel's SCTP) and alerts are not: they have retransmissions of their own or none. */
gboolean sc_dtls_is_handshake        (const guint8 *data,
                                      gsize         len);

G_END_DECLS
