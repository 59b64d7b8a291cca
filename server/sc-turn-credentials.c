/* sc-turn-credentials.c: see sc-turn-credentials.h. HMAC-SHA1 is GLib's GHmac. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <string.h>

#include "sc-turn-credentials.h"

void
sc_turn_credentials (const char *secret, const char *user_id, gint64 expires,
                     char **username, char **credential)
{
  *username = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", expires, user_id);
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA1, (const guchar *) secret, strlen (secret));
  g_hmac_update (hmac, (const guchar *) *username, strlen (*username));
  guint8 digest[20];
  gsize len = sizeof digest;
  g_hmac_get_digest (hmac, digest, &len);
  *credential = g_base64_encode (digest, len);
}
