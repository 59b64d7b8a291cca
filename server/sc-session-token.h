/* sc-session-token.h: session tokens that any node holding the same secret can check,
 * without a database (libsodium's HMAC-SHA-256).
 *
 * A token reads "st1.PAYLOAD.MAC", both parts unpadded base64url; the payload is
 * "EXPIRES SESSION USER G|K NAME" (expiry in Unix seconds, G a guest, K a key). Tokens
 * are opaque to clients: they only ever hand them back (for a WebSocket ticket). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SC_SESSION_SECRET_BYTES 32

typedef struct {
  char *session;      /* the session's random id */
  char *user;         /* the user's id (key fingerprint or guest id) */
  char *name;         /* the display name as accepted */
  gboolean guest;
  gint64 expires;     /* Unix seconds */
} ScSessionClaims;

ScSessionClaims *sc_session_claims_new  (const char *session,
                                         const char *user,
                                         const char *name,
                                         gboolean    guest,
                                         gint64      expires);
ScSessionClaims *sc_session_claims_copy (const ScSessionClaims *claims);
void             sc_session_claims_free (ScSessionClaims *claims);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScSessionClaims, sc_session_claims_free)

typedef struct _ScTokenSigner ScTokenSigner;

/* A signer with a fresh random secret: tokens die with the process. */
ScTokenSigner   *sc_token_signer_new_random    (void);
/* The secret is derived from the file's bytes (at least 32 of them, such as
 * `head -c 32 /dev/urandom`); nodes that share the file accept each other's tokens. */
ScTokenSigner   *sc_token_signer_new_from_file (const char      *path,
                                                GError         **error);
void             sc_token_signer_free          (ScTokenSigner   *signer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTokenSigner, sc_token_signer_free)

char            *sc_token_signer_issue         (ScTokenSigner          *signer,
                                                const ScSessionClaims  *claims);
/* @now: Unix seconds. Fails for a malformed, forged or expired token. */
ScSessionClaims *sc_token_signer_verify        (ScTokenSigner   *signer,
                                                const char      *token,
                                                gint64           now,
                                                GError         **error);

G_END_DECLS
