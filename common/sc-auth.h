/* sc-auth.h: key sign-in, the part client and server share (libsodium, Ed25519).
 *
 * The server sends a random nonce in "hello"; the client signs
 * "showcast sign-in v1\n" NONCE "\n" NAME with its key and sends the public key and the
 * signature in "sign-in". The user's stable id is the key's fingerprint: 16 bytes of
 * BLAKE2b over the public key, in hex. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SC_AUTH_KEY_BYTES 32
#define SC_AUTH_SIGNATURE_BYTES 64
#define SC_AUTH_NONCE_BYTES 32

#define SC_AUTH_ERROR (sc_auth_error_quark ())
GQuark sc_auth_error_quark (void);

typedef enum {
  SC_AUTH_ERROR_BAD_KEY,        /* "bad-key" */
  SC_AUTH_ERROR_BAD_SIGNATURE,  /* "bad-signature" */
} ScAuthError;

gboolean sc_auth_init             (void);
char    *sc_auth_new_nonce        (void);
char    *sc_auth_fingerprint      (const guint8 *public_key);
char    *sc_auth_payload          (const char   *nonce,
                                   const char   *name);
char    *sc_auth_verify_sign_in   (const char   *key_b64,
                                   const char   *signature_b64,
                                   const char   *nonce,
                                   const char   *name,
                                   GError      **error);

G_END_DECLS
