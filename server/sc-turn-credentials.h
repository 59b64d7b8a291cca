/* sc-turn-credentials.h: time-limited TURN credentials in the scheme of the TURN REST
 * API draft, which coturn implements with use-auth-secret / static-auth-secret:
 *
 *   username   = "<expiry, Unix seconds>:<user id>"
 *   credential = base64 (HMAC-SHA1 (secret, username))
 *
 * coturn recomputes the credential from the shared secret and refuses it after the
 * expiry; nothing is stored anywhere. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SC_TURN_CREDENTIAL_LIFETIME_S (6 * 3600)

void sc_turn_credentials (const char  *secret,
                          const char  *user_id,
                          gint64       expires,
                          char       **username,
                          char       **credential);

G_END_DECLS
