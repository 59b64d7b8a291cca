/* sc-auth.c: see sc-auth.h. */
#define G_LOG_DOMAIN "showcast-common"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "sc-auth.h"

G_DEFINE_QUARK (sc-auth-error-quark, sc_auth_error)

gboolean
sc_auth_init (void)
{
  return sodium_init () >= 0;
}

char *
sc_auth_new_nonce (void)
{
  guint8 nonce[SC_AUTH_NONCE_BYTES];
  sc_auth_init ();
  randombytes_buf (nonce, sizeof nonce);
  return g_base64_encode (nonce, sizeof nonce);
}

char *
sc_auth_fingerprint (const guint8 *public_key)
{
  guint8 hash[16];
  sc_auth_init ();
  crypto_generichash (hash, sizeof hash, public_key, SC_AUTH_KEY_BYTES, NULL, 0);
  GString *hex = g_string_sized_new (2 * sizeof hash);
  for (guint i = 0; i < sizeof hash; i++)
    g_string_append_printf (hex, "%02x", hash[i]);
  return g_string_free (hex, FALSE);
}

char *
sc_auth_payload (const char *nonce, const char *name)
{
  return g_strdup_printf ("showcast sign-in v1\n%s\n%s", nonce, name);
}

/* Base64 that decodes to exactly @expected bytes. */
static guint8 *
decode_exact (const char *b64, gsize expected)
{
  gsize len = 0;
  if (b64 == NULL || strlen (b64) > 4 * ((expected + 2) / 3) + 4)
    return NULL;
  guint8 *bytes = g_base64_decode (b64, &len);
  if (len != expected)
    {
      g_free (bytes);
      return NULL;
    }
  return bytes;
}

/**
 * sc_auth_verify_sign_in:
 * Returns: (transfer full): the key's fingerprint if @signature_b64 signs the sign-in
 *   payload for @nonce and @name with @key_b64; NULL with @error set otherwise.
 */
char *
sc_auth_verify_sign_in (const char *key_b64, const char *signature_b64, const char *nonce,
                        const char *name, GError **error)
{
  sc_auth_init ();
  g_autofree guint8 *key = decode_exact (key_b64, SC_AUTH_KEY_BYTES);
  if (key == NULL)
    {
      g_set_error_literal (error, SC_AUTH_ERROR, SC_AUTH_ERROR_BAD_KEY,
                           "The key is not a base64 Ed25519 public key.");
      return NULL;
    }
  g_autofree guint8 *signature = decode_exact (signature_b64, SC_AUTH_SIGNATURE_BYTES);
  g_autofree char *payload = sc_auth_payload (nonce, name);
  if (signature == NULL ||
      crypto_sign_verify_detached (signature, (const guint8 *) payload, strlen (payload), key) != 0)
    {
      g_set_error_literal (error, SC_AUTH_ERROR, SC_AUTH_ERROR_BAD_SIGNATURE,
                           "The signature does not match the key.");
      return NULL;
    }
  return sc_auth_fingerprint (key);
}
