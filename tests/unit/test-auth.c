/* test-auth.c: key sign-in with real Ed25519 keys: a good signature verifies and yields
 * the key's fingerprint; a changed name, another nonce, another key or garbage does not. */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "sc-auth.h"

static char *
sign (const guint8 *sk, const char *nonce, const char *name)
{
  guint8 sig[crypto_sign_BYTES];
  g_autofree char *payload = sc_auth_payload (nonce, name);
  crypto_sign_detached (sig, NULL, (const guint8 *) payload, strlen (payload), sk);
  return g_base64_encode (sig, sizeof sig);
}

static void
test_sign_in (void)
{
  g_assert_true (sc_auth_init ());
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  guint8 pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair (pk, sk);
  crypto_sign_keypair (pk2, sk2);
  g_autofree char *key = g_base64_encode (pk, sizeof pk);
  g_autofree char *nonce = sc_auth_new_nonce ();
  g_autofree char *other_nonce = sc_auth_new_nonce ();
  g_assert_cmpstr (nonce, !=, other_nonce);
  g_autofree char *sig = sign (sk, nonce, "alice");

  g_autoptr(GError) error = NULL;
  g_autofree char *id = sc_auth_verify_sign_in (key, sig, nonce, "alice", &error);
  g_assert_no_error (error);
  g_autofree char *fingerprint = sc_auth_fingerprint (pk);
  g_assert_cmpstr (id, ==, fingerprint);
  g_assert_cmpuint (strlen (id), ==, 32);

  struct { const char *key, *sig, *nonce, *name; int code; } bad[] = {
    { key, sig, nonce, "mallory", SC_AUTH_ERROR_BAD_SIGNATURE },     /* other name */
    { key, sig, other_nonce, "alice", SC_AUTH_ERROR_BAD_SIGNATURE }, /* replayed */
    { NULL, sig, nonce, "alice", SC_AUTH_ERROR_BAD_KEY },
    { "AAAA", sig, nonce, "alice", SC_AUTH_ERROR_BAD_KEY },
    { "!!not base64!!", sig, nonce, "alice", SC_AUTH_ERROR_BAD_KEY },
    { key, "AAAA", nonce, "alice", SC_AUTH_ERROR_BAD_SIGNATURE },
    { key, NULL, nonce, "alice", SC_AUTH_ERROR_BAD_SIGNATURE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autofree char *r = sc_auth_verify_sign_in (bad[i].key, bad[i].sig, bad[i].nonce,
                                                   bad[i].name, &e);
      g_assert_null (r);
      g_assert_error (e, SC_AUTH_ERROR, bad[i].code);
    }

  /* Another key's signature over the same payload does not pass for this key. */
  g_autofree char *sig2 = sign (sk2, nonce, "alice");
  g_autoptr(GError) e2 = NULL;
  g_autofree char *r2 = sc_auth_verify_sign_in (key, sig2, nonce, "alice", &e2);
  g_assert_null (r2);
  g_assert_error (e2, SC_AUTH_ERROR, SC_AUTH_ERROR_BAD_SIGNATURE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/auth/sign-in", test_sign_in);
  return g_test_run ();
}
