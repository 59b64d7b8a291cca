/* sc-url.c: see sc-url.h. */
#define G_LOG_DOMAIN "showcast-common"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "sc-protocol.h"
#include "sc-url.h"

#define TICKET_REPLY_MAX_BYTES 4096

char *
sc_url_normalize (const char *url, GError **error)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, error);
  if (uri == NULL)
    return NULL;

  const char *scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "ws") != 0 && g_strcmp0 (scheme, "wss") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the server URL must start with ws:// or wss://, not “%s”", url);
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the server URL “%s” has no host", url);
      return NULL;
    }
  const char *path = g_uri_get_path (uri);
  if (path[0] == '\0' || g_str_equal (path, "/"))
    {
      g_autoptr(GUri) with_path = g_uri_build (G_URI_FLAGS_NONE, scheme, NULL,
                                               g_uri_get_host (uri), g_uri_get_port (uri),
                                               SC_URL_WS_PATH, NULL, NULL);
      return g_uri_to_string (with_path);
    }
  return g_uri_to_string (uri);
}

char *
sc_url_ticket_endpoint (const char *ws_url)
{
  g_autoptr(GUri) uri = g_uri_parse (ws_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  gboolean tls = g_strcmp0 (g_uri_get_scheme (uri), "wss") == 0;
  g_autoptr(GUri) built = g_uri_build (G_URI_FLAGS_NONE, tls ? "https" : "http", NULL,
                                       g_uri_get_host (uri), g_uri_get_port (uri),
                                       SC_URL_TICKET_PATH, NULL, NULL);
  return g_uri_to_string (built);
}

char *
sc_url_with_ticket (const char *ws_url, const char *ticket)
{
  g_autoptr(GUri) uri = g_uri_parse (ws_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return NULL;
  g_autofree char *query = g_strconcat ("ticket=", ticket, NULL);
  g_autoptr(GUri) built = g_uri_build (G_URI_FLAGS_ENCODED_QUERY, g_uri_get_scheme (uri), NULL,
                                       g_uri_get_host (uri), g_uri_get_port (uri),
                                       g_uri_get_path (uri), query, NULL);
  return g_uri_to_string (built);
}

char *
sc_url_parse_ticket_reply (const char *body, gsize len)
{
  g_autoptr(JsonObject) reply = sc_json_parse_object (body, len, TICKET_REPLY_MAX_BYTES, 2, NULL);
  JsonNode *node = reply ? json_object_get_member (reply, "ticket") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  const char *ticket = json_node_get_string (node);
  gsize n = strlen (ticket);
  if (n == 0 || n > SC_TICKET_MAX_CHARS)
    return NULL;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (ticket[i]))
      return NULL;
  return g_strdup (ticket);
}
