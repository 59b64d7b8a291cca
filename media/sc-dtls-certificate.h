/* sc-dtls-certificate.h: the process's DTLS certificate. An ECDSA P-256 key and a
 * self-signed certificate, as browsers make for WebRTC, generated with OpenSSL and given
 * to every call's DTLS elements as PEM. GStreamer's own is RSA-2048: its key takes
 * 50–300 ms to make, and each of the two signatures in every handshake costs ~0.8 ms
 * here against ~0.05 ms for ECDSA (measured: DTLS 2 ms shorter, issue #6). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new key and certificate, PEM: the certificate, then the key (PKCS #8). */
char       *sc_dtls_certificate_generate    (GError     **error);
/* The process's, made on the first call from any thread; NULL if OpenSSL cannot make
 * one (calls then use GStreamer's own, with a warning logged once). */
const char *sc_dtls_certificate_get         (void);
/* The SHA-256 fingerprint of the process's certificate, as a description's
 * a=fingerprint gives it ("AB:CD:…"); NULL with no certificate. */
const char *sc_dtls_certificate_get_fingerprint (void);
/* The SHA-256 fingerprint of the first certificate in @pem. */
char       *sc_dtls_certificate_fingerprint (const char  *pem,
                                             GError     **error);

G_END_DECLS
