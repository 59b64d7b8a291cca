/* sc-dtls-certificate.c: see sc-dtls-certificate.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <gio/gio.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "sc-dtls-certificate.h"

/* Peers compare the certificate with the fingerprint in the description and nothing
 * else; the dates only have to be plausible, with a day's slack for a clock behind. */
#define VALID_DAYS 365

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIGNUM, BN_free)

static void
openssl_failed (GError **error, const char *what)
{
  char reason[256];
  ERR_error_string_n (ERR_get_error (), reason, sizeof reason);
  ERR_clear_error ();
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot make the DTLS certificate (%s): %s",
               what, reason);
}

/* A positive random serial number of 64 bits (RFC 5280 allows up to 20 octets). */
static gboolean
set_random_serial (X509 *cert)
{
  unsigned char bytes[8];
  if (RAND_bytes (bytes, sizeof bytes) != 1)
    return FALSE;
  bytes[0] &= 0x7f;
  g_autoptr(BIGNUM) serial = BN_bin2bn (bytes, sizeof bytes, NULL);
  return serial && BN_to_ASN1_INTEGER (serial, X509_get_serialNumber (cert)) != NULL;
}

char *
sc_dtls_certificate_generate (GError **error)
{
  g_autoptr(EVP_PKEY) key = EVP_EC_gen ("P-256");
  if (key == NULL)
    {
      openssl_failed (error, "key");
      return NULL;
    }

  g_autoptr(X509) cert = X509_new ();
  X509_NAME *name = cert ? X509_get_subject_name (cert) : NULL;
  if (cert == NULL || !X509_set_version (cert, X509_VERSION_3) || !set_random_serial (cert) ||
      !X509_gmtime_adj (X509_getm_notBefore (cert), -24 * 3600) ||
      !X509_gmtime_adj (X509_getm_notAfter (cert), (long) VALID_DAYS * 24 * 3600) ||
      !X509_set_pubkey (cert, key) ||
      !X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_ASC, (const unsigned char *) "showcast",
                                   -1, -1, 0) ||
      !X509_set_issuer_name (cert, name) || X509_sign (cert, key, EVP_sha256 ()) <= 0)
    {
      openssl_failed (error, "certificate");
      return NULL;
    }

  g_autoptr(BIO) out = BIO_new (BIO_s_mem ());
  if (out == NULL || !PEM_write_bio_X509 (out, cert) ||
      !PEM_write_bio_PrivateKey (out, key, NULL, NULL, 0, NULL, NULL))
    {
      openssl_failed (error, "PEM");
      return NULL;
    }
  char *data = NULL;
  long length = BIO_get_mem_data (out, &data);
  return g_strndup (data, length);
}

char *
sc_dtls_certificate_fingerprint (const char *pem, GError **error)
{
  g_autoptr(BIO) in = BIO_new_mem_buf (pem, -1);
  g_autoptr(X509) cert = in ? PEM_read_bio_X509 (in, NULL, NULL, NULL) : NULL;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (cert == NULL || !X509_digest (cert, EVP_sha256 (), digest, &length))
    {
      ERR_clear_error ();
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "not a PEM certificate");
      return NULL;
    }
  GString *text = g_string_sized_new (length * 3);
  for (unsigned int i = 0; i < length; i++)
    g_string_append_printf (text, i ? ":%02X" : "%02X", digest[i]);
  return g_string_free (text, FALSE);
}

typedef struct
{
  char *pem;
  char *fingerprint;
} Certificate;

static gpointer
make_once (gpointer unused)
{
  static Certificate made;
  g_autoptr(GError) error = NULL;
  made.pem = sc_dtls_certificate_generate (&error);
  if (made.pem)
    made.fingerprint = sc_dtls_certificate_fingerprint (made.pem, &error);
  if (made.fingerprint == NULL)
    {
      g_warning ("%s; calls use GStreamer's own certificate", error->message);
      g_clear_pointer (&made.pem, g_free);
    }
  return &made;
}

static const Certificate *
process_certificate (void)
{
  static GOnce once = G_ONCE_INIT;
  return g_once (&once, make_once, NULL);
}

const char *
sc_dtls_certificate_get (void)
{
  return process_certificate ()->pem;
}

const char *
sc_dtls_certificate_get_fingerprint (void)
{
  return process_certificate ()->fingerprint;
}
