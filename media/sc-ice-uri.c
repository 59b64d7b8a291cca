/* sc-ice-uri.c: see sc-ice-uri.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sc-ice-uri.h"

char *
sc_ice_uri_from_url (const char *url, const char *username, const char *credential,
                     GError **error)
{
  const char *scheme = NULL;
  const char *rest = NULL;

  static const char *const schemes[] = { "stun", "turn", "turns" };
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      g_autofree char *with_slashes = g_strconcat (schemes[i], "://", NULL);
      g_autofree char *plain = g_strconcat (schemes[i], ":", NULL);
      if (g_str_has_prefix (url, with_slashes))
        {
          /* Already webrtcbin's form (credentials may be inside). */
          return g_strdup (url);
        }
      if (g_str_has_prefix (url, plain))
        {
          scheme = schemes[i];
          rest = url + strlen (plain);
          break;
        }
    }
  if (scheme == NULL || *rest == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a stun:, turn: or turns: URL", url);
      return NULL;
    }

  /* The transport parameter selects TURN over TCP or UDP; webrtcbin reads the same
   * query, so it is kept. */
  if (g_str_equal (scheme, "stun"))
    return g_strconcat ("stun://", rest, NULL);

  if (username == NULL || credential == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "TURN server “%s” comes without a username and credential", url);
      return NULL;
    }
  g_autofree char *user = g_uri_escape_string (username, NULL, FALSE);
  g_autofree char *pass = g_uri_escape_string (credential, NULL, FALSE);
  return g_strdup_printf ("%s://%s:%s@%s", scheme, user, pass, rest);
}
