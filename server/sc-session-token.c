/* sc-session-token.c: see sc-session-token.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "sc-protocol.h"
#include "sc-session-token.h"

#define TOKEN_PREFIX "st1."

struct _ScTokenSigner
{
  guint8 key[crypto_auth_hmacsha256_KEYBYTES];
};

ScSessionClaims *
sc_session_claims_new (const char *session, const char *user, const char *name,
                       gboolean guest, gint64 expires)
{
  ScSessionClaims *claims = g_new0 (ScSessionClaims, 1);
  claims->session = g_strdup (session);
  claims->user = g_strdup (user);
  claims->name = g_strdup (name);
  claims->guest = guest;
  claims->expires = expires;
  return claims;
}

ScSessionClaims *
sc_session_claims_copy (const ScSessionClaims *claims)
{
  return sc_session_claims_new (claims->session, claims->user, claims->name, claims->guest,
                                claims->expires);
}

void
sc_session_claims_free (ScSessionClaims *claims)
{
  if (claims == NULL)
    return;
  g_free (claims->session);
  g_free (claims->user);
  g_free (claims->name);
  g_free (claims);
}

ScTokenSigner *
sc_token_signer_new_random (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  ScTokenSigner *signer = g_new0 (ScTokenSigner, 1);
  crypto_auth_hmacsha256_keygen (signer->key);
  return signer;
}

ScTokenSigner *
sc_token_signer_new_from_file (const char *path, GError **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  if (len < SC_SESSION_SECRET_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "the session secret in %s has %" G_GSIZE_FORMAT " bytes; it needs at "
                   "least %d (for example: head -c 32 /dev/urandom > %s)",
                   path, len, SC_SESSION_SECRET_BYTES, path);
      return NULL;
    }
  ScTokenSigner *signer = g_new0 (ScTokenSigner, 1);
  crypto_generichash (signer->key, sizeof signer->key, (const guint8 *) contents, len,
                      (const guint8 *) "showcast session", 16);
  sodium_memzero (contents, len);
  return signer;
}

void
sc_token_signer_free (ScTokenSigner *signer)
{
  if (signer == NULL)
    return;
  sodium_memzero (signer->key, sizeof signer->key);
  g_free (signer);
}

static char *
b64url (const guint8 *data, gsize len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = g_malloc (size);
  sodium_bin2base64 (out, size, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

static guint8 *
unb64url (const char *text, gsize text_len, gsize max, gsize *len)
{
  guint8 *out = g_malloc (max + 1);
  if (sodium_base642bin (out, max, text, text_len, NULL, len, NULL,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    {
      g_free (out);
      return NULL;
    }
  out[*len] = '\0';
  return out;
}

static gboolean
printable_word (const char *s)
{
  if (*s == '\0' || strlen (s) > SC_ID_MAX_BYTES)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s))
      return FALSE;
  return TRUE;
}

char *
sc_token_signer_issue (ScTokenSigner *signer, const ScSessionClaims *claims)
{
  g_return_val_if_fail (printable_word (claims->session) && printable_word (claims->user), NULL);
  g_autofree char *payload = g_strdup_printf ("%" G_GINT64_FORMAT " %s %s %c %s",
                                              claims->expires, claims->session, claims->user,
                                              claims->guest ? 'G' : 'K', claims->name);
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256 (mac, (const guint8 *) payload, strlen (payload), signer->key);
  g_autofree char *p64 = b64url ((const guint8 *) payload, strlen (payload));
  g_autofree char *m64 = b64url (mac, sizeof mac);
  return g_strconcat (TOKEN_PREFIX, p64, ".", m64, NULL);
}

static ScSessionClaims *
bad_token (GError **error, const char *why)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "session token %s", why);
  return NULL;
}

ScSessionClaims *
sc_token_signer_verify (ScTokenSigner *signer, const char *token, gint64 now, GError **error)
{
  if (token == NULL || strlen (token) > SC_TOKEN_MAX_BYTES || !g_str_has_prefix (token, TOKEN_PREFIX))
    return bad_token (error, "is malformed");
  const char *p64 = token + strlen (TOKEN_PREFIX);
  const char *dot = strchr (p64, '.');
  if (dot == NULL)
    return bad_token (error, "is malformed");

  gsize payload_len = 0, mac_len = 0;
  g_autofree guint8 *payload = unb64url (p64, dot - p64, SC_TOKEN_MAX_BYTES, &payload_len);
  g_autofree guint8 *mac = unb64url (dot + 1, strlen (dot + 1), crypto_auth_hmacsha256_BYTES,
                                     &mac_len);
  if (payload == NULL || mac == NULL || mac_len != crypto_auth_hmacsha256_BYTES)
    return bad_token (error, "is malformed");
  if (crypto_auth_hmacsha256_verify (mac, payload, payload_len, signer->key) != 0)
    return bad_token (error, "was not issued with this server's secret");
  if (memchr (payload, '\0', payload_len) != NULL)
    return bad_token (error, "is malformed");

  /* Signed by us, so well-formed unless the format changed: check all the same. */
  g_auto(GStrv) parts = g_strsplit ((const char *) payload, " ", 5);
  if (g_strv_length (parts) != 5 || !printable_word (parts[1]) || !printable_word (parts[2]) ||
      (g_strcmp0 (parts[3], "G") != 0 && g_strcmp0 (parts[3], "K") != 0))
    return bad_token (error, "is malformed");
  gint64 expires = g_ascii_strtoll (parts[0], NULL, 10);
  if (expires <= now)
    return bad_token (error, "has expired");
  return sc_session_claims_new (parts[1], parts[2], parts[4], g_str_equal (parts[3], "G"),
                                expires);
}
