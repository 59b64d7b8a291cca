/* sc-identity.c: see sc-identity.h. The file holds one line, "ed25519 " and the base64
 * of libsodium's 64-byte secret key (seed and public key). */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sc-auth.h"
#include "sc-file.h"
#include "sc-identity.h"

#define PREFIX "ed25519 "

struct _ScIdentity
{
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  char *fingerprint;
};

char *
sc_identity_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "showcast", "identity.key", NULL);
}

static gboolean
create_key (const char *path, GError **error)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair (pk, sk);
  g_autofree char *b64 = g_base64_encode (sk, sizeof sk);
  sodium_memzero (sk, sizeof sk);
  g_autofree char *line = g_strconcat (PREFIX, b64, "\n", NULL);

  /* O_EXCL: never overwrite a key; 0600 from the start, not chmod after. */
  int fd = sc_file_open_private (path, O_WRONLY | O_CREAT | O_EXCL, error);
  if (fd < 0)
    return FALSE;
  gboolean ok = write (fd, line, strlen (line)) == (gssize) strlen (line);
  ok = close (fd) == 0 && ok;
  sodium_memzero (b64, strlen (b64));
  if (!ok)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO, _("%s: cannot write the key"), path);
      g_unlink (path);
    }
  return ok;
}

/**
 * sc_identity_load:
 * @create: make a new key if there is none
 */
ScIdentity *
sc_identity_load (const char *path, gboolean create, GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "libsodium cannot start");
      return NULL;
    }
  struct stat st;
  if (stat (path, &st) != 0)
    {
      if (errno != ENOENT || !create || !create_key (path, error))
        {
          if (error && *error == NULL)
            g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("%s: no key"), path);
          return NULL;
        }
      stat (path, &st);
    }
  if (st.st_mode & (S_IRWXG | S_IRWXO))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   _("%s can be read by others; make it private (chmod 600) and try again."),
                   path);
      return NULL;
    }

  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  g_strstrip (text);
  gsize len = 0;
  g_autofree guint8 *sk = g_str_has_prefix (text, PREFIX)
                            ? g_base64_decode (text + strlen (PREFIX), &len) : NULL;
  sodium_memzero (text, strlen (text));
  if (sk == NULL || len != crypto_sign_SECRETKEYBYTES)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, _("%s is not a showcast key file."),
                   path);
      return NULL;
    }

  ScIdentity *self = g_new0 (ScIdentity, 1);
  memcpy (self->secret_key, sk, sizeof self->secret_key);
  sodium_memzero (sk, len);
  crypto_sign_ed25519_sk_to_pk (self->public_key, self->secret_key);
  self->fingerprint = sc_auth_fingerprint (self->public_key);
  return self;
}

void
sc_identity_free (ScIdentity *self)
{
  if (self == NULL)
    return;
  sodium_memzero (self->secret_key, sizeof self->secret_key);
  g_free (self->fingerprint);
  g_free (self);
}

const char *
sc_identity_fingerprint (ScIdentity *self)
{
  return self->fingerprint;
}

char *
sc_identity_public_key (ScIdentity *self)
{
  return g_base64_encode (self->public_key, sizeof self->public_key);
}

/* The signature of the sign-in payload for @nonce and @name, in base64. */
char *
sc_identity_sign_in (ScIdentity *self, const char *nonce, const char *name)
{
  guint8 signature[crypto_sign_BYTES];
  g_autofree char *payload = sc_auth_payload (nonce, name);
  crypto_sign_detached (signature, NULL, (const guint8 *) payload, strlen (payload),
                        self->secret_key);
  return g_base64_encode (signature, sizeof signature);
}
