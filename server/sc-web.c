/* sc-web.c: see sc-web.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include "sc-web.h"
#include "sc-web-resources.h"

/* Only the page's own files run, from this server only: no inline script or style (a
 * stranger's name or chat that ever reached the DOM as HTML could not run), no plugin,
 * no framing; the WebSocket and the ticket request go to this origin ('self' covers ws:
 * and wss: of the same host and port). mediastream: and blob: let <video> play the
 * camera and the peer. */
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
            "media-src 'self' blob: mediastream:; connect-src 'self'; base-uri 'none'; "      \
            "form-action 'none'; frame-ancestors 'none'"

typedef struct
{
  const char *path;          /* as requested */
  const char *resource;      /* in showcast.gresource.xml */
  const char *content_type;
} WebFile;

static const WebFile files[] = {
  { "/", "/org/showcast/web/index.html", "text/html; charset=utf-8" },
  { "/index.html", "/org/showcast/web/index.html", "text/html; charset=utf-8" },
  { "/showcast.js", "/org/showcast/web/showcast.js", "text/javascript; charset=utf-8" },
  { "/showcast.css", "/org/showcast/web/showcast.css", "text/css; charset=utf-8" },
  { "/icon.svg", "/org/showcast/web/icon.svg", "image/svg+xml" },
};

const char *
sc_web_csp (void)
{
  return CSP;
}

static void
set_common_headers (SoupMessageHeaders *headers)
{
  soup_message_headers_replace (headers, "Content-Security-Policy", CSP);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cross-Origin-Opener-Policy", "same-origin");
  soup_message_headers_replace (headers, "Permissions-Policy",
                                "camera=(self), microphone=(self), geolocation=()");
  /* Small files, and a new server version must not meet an old page: ask each time
   * (an unchanged file costs a 304 thanks to the ETag). */
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
}

void
sc_web_handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
               gpointer data)
{
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  set_common_headers (headers);
  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (headers, "Allow", "GET, HEAD");
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  const WebFile *file = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (files) && file == NULL; i++)
    if (g_strcmp0 (path, files[i].path) == 0)
      file = &files[i];
  g_autoptr(GBytes) bytes = file
    ? g_resource_lookup_data (sc_web_get_resource (), file->resource,
                              G_RESOURCE_LOOKUP_FLAGS_NONE, NULL)
    : NULL;
  if (bytes == NULL)
    {
      static const char missing[] = "not found\n";
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, missing,
                                        sizeof missing - 1);
      return;
    }
  /* The file's hash: constant for a given binary. */
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autofree char *etag = g_strdup_printf ("\"%.32s\"", hash);
  soup_message_headers_replace (headers, "ETag", etag);
  const char *match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                    "If-None-Match");
  if (match && g_strcmp0 (match, etag) == 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  gsize size;
  const char *body = g_bytes_get_data (bytes, &size);
  /* Static: the bytes live in the binary's resource section. */
  soup_server_message_set_response (msg, file->content_type, SOUP_MEMORY_STATIC, body, size);
}
