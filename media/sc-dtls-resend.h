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

/* The default delay (ScMediaConfig's dtls_resend_ms). */
#define SC_DTLS_RESEND_MS 50

/* One per call. The copies wait on GStreamer's system clock thread; each holds the
 * resender, never the ICE agent: the agent belongs to webrtcbin, and a NiceAgent that
 * outlives webrtcbin's ICE object can call into it after it is freed. */
typedef struct _ScDtlsResend ScDtlsResend;

/* Copies go out @delay_ms after their original. */
ScDtlsResend *sc_dtls_resend_new     (guint delay_ms);

/* Watches what @nicesink (one of webrtcbin's ICE sinks) sends. */
void     sc_dtls_resend_watch        (ScDtlsResend *self,
                                      GstElement   *nicesink);

/* No copy is sent once this returns (a copy being sent is waited for), and the copies
 * still waiting are taken off the clock. Call it before webrtcbin goes to NULL: until
 * then its ICE agent, which the copies go through, lives. */
void     sc_dtls_resend_close        (ScDtlsResend *self);

/* Copies sent, and copies dropped because the resender was closed first. */
void     sc_dtls_resend_get_counts   (ScDtlsResend *self,
                                      guint        *sent,
                                      guint        *dropped);

void     sc_dtls_resend_unref        (ScDtlsResend *self);

/* Whether a datagram is a DTLS handshake flight (RFC 7983: first byte 20–63 is DTLS;
 * content type 22 handshake or 20 change-cipher-spec). Application data (23, the data
 * channel's SCTP) and alerts are not: they have retransmissions of their own or none. */
gboolean sc_dtls_is_handshake        (const guint8 *data,
                                      gsize         len);

G_END_DECLS
