/* test-server.c: showcast-server's connections, in process, over real sockets on
 * 127.0.0.1: WebSocket clients connect (each greeted with hello), close, and the node
 * counts them back to none in /metrics; on one main thread and on connection threads.
 * Run under AddressSanitizer (./run test does), it also fails on anything a connection
 * leaves behind — libsoup 3.2's own listener lost every accepted GSocket (see
 * sc-acceptor.h). */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "sc-local-matcher.h"
#include "sc-protocol.h"
#include "sc-server.h"
#include "sc-web.h"

#define CLIENTS 12

typedef struct
{
  guint connected;
  guint greeted;
  guint closed;
  GPtrArray *sockets;
} Clients;

static void
on_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer data)
{
  Clients *clients = data;
  gsize len = 0;
  const char *text = g_bytes_get_data (message, &len);
  g_autofree char *copy = g_strndup (text, len);
  if (strstr (copy, "\"hello\""))
    clients->greeted++;
}

static void
on_closed (SoupWebsocketConnection *ws, gpointer data)
{
  ((Clients *) data)->closed++;
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer data)
{
  Clients *clients = data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws =
    soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
  clients->connected++;
  g_signal_connect (ws, "message", G_CALLBACK (on_message), clients);
  g_signal_connect (ws, "closed", G_CALLBACK (on_closed), clients);
  g_ptr_array_add (clients->sockets, ws);
}

static void
on_body (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;
  *(GBytes **) data = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

/* The node's showcast_connections gauge, read through /metrics (asynchronously: with
 * one thread the server answers on this one). */
static guint
connections_in_metrics (SoupSession *session, guint port)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/metrics", port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_body, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  const char *line = strstr (text, "\nshowcast_connections{");
  g_assert_nonnull (line);
  const char *value = strchr (line, '}');
  g_assert_nonnull (value);
  return (guint) g_ascii_strtoull (value + 1, NULL, 10);
}

static void
spin_until (guint *counter, guint wanted)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (*counter < wanted && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (*counter, ==, wanted);
}

static void
test_connections (gconstpointer data)
{
  guint threads = GPOINTER_TO_UINT (data);
  g_autoptr(ScMatcher) matcher = sc_local_matcher_new ();
  g_autoptr(ScServer) server = sc_server_new (matcher);
  sc_server_set_threads (server, threads);
  g_autoptr(GError) error = NULL;
  g_assert_true (sc_server_listen (server, "127.0.0.1:0", &error));
  g_assert_no_error (error);
  guint port = sc_server_get_port (server);

  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL,
                                                                  "max-conns", CLIENTS * 2,
                                                                  "max-conns-per-host", CLIENTS * 2,
                                                                  NULL);
  Clients clients = { .sockets = g_ptr_array_new_with_free_func (g_object_unref) };
  g_autofree char *url = g_strdup_printf ("ws://127.0.0.1:%u%s", port, SC_SERVER_WS_PATH);
  for (guint i = 0; i < CLIENTS; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
      soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                            NULL, on_connected, &clients);
    }
  spin_until (&clients.connected, CLIENTS);
  spin_until (&clients.greeted, CLIENTS);
  g_assert_cmpuint (connections_in_metrics (session, port), ==, CLIENTS);

  for (guint i = 0; i < clients.sockets->len; i++)
    soup_websocket_connection_close (g_ptr_array_index (clients.sockets, i),
                                     SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  spin_until (&clients.closed, CLIENTS);
  /* The server hears each close on its own thread(s): wait for its count to settle. */
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint open = CLIENTS;
  while ((open = connections_in_metrics (session, port)) > 0 &&
         g_get_monotonic_time () < deadline)
    {
      /* Let the main thread's share of the work run between the looks. */
      for (gint64 until = g_get_monotonic_time () + 10000; g_get_monotonic_time () < until;)
        g_main_context_iteration (NULL, FALSE);
    }
  g_assert_cmpuint (open, ==, 0);
  g_ptr_array_unref (clients.sockets);
}

/* The web page (sc-web.c): each file with its type and the Content-Security-Policy;
 * anything else 404; a method other than GET and HEAD 405; an unchanged file 304. */
static void
test_web_page (void)
{
  static const struct { const char *method, *path; guint status; const char *type, *contains; } cases[] = {
    { "GET", "/", 200, "text/html", "<script type=\"module\" src=\"showcast.js\">" },
    { "GET", "/?name=alice", 200, "text/html", "id=\"start\"" },
    { "GET", "/index.html", 200, "text/html", "<title>showcast</title>" },
    { "GET", "/showcast.js", 200, "text/javascript", "showcast sign-in v1" },
    { "GET", "/showcast.css", 200, "text/css", "@media" },
    { "GET", "/icon.svg", 200, "image/svg+xml", "<svg" },
    { "HEAD", "/", 200, "text/html", NULL },
    { "GET", "/showcast.js.map", 404, NULL, NULL },
    { "GET", "/../meson.build", 404, NULL, NULL },
    { "GET", "/web/index.html", 404, NULL, NULL },
    { "DELETE", "/", 405, NULL, NULL },
  };
  g_autoptr(ScMatcher) matcher = sc_local_matcher_new ();
  g_autoptr(ScServer) server = sc_server_new (matcher);
  g_autoptr(GError) error = NULL;
  g_assert_true (sc_server_listen (server, "127.0.0.1:0", &error));
  guint port = sc_server_get_port (server);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  char etag[80] = "";
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", port, cases[i].path);
      g_autoptr(SoupMessage) msg = soup_message_new (cases[i].method, url);
      g_autoptr(GBytes) body = NULL;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_body, &body);
      while (body == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_test_message ("%s %s: %u", cases[i].method, cases[i].path, soup_message_get_status (msg));
      g_assert_cmpuint (soup_message_get_status (msg), ==, cases[i].status);
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
      /* Every answer of the page's handler, even a refusal, goes with the policy. */
      g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Security-Policy"), ==,
                       sc_web_csp ());
      g_assert_null (strstr (sc_web_csp (), "unsafe-inline"));
      g_assert_cmpstr (soup_message_headers_get_one (headers, "X-Content-Type-Options"), ==,
                       "nosniff");
      if (cases[i].type)
        g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL),
                                         cases[i].type));
      if (cases[i].contains)
        {
          g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
          g_assert_nonnull (strstr (text, cases[i].contains));
        }
      if (g_str_equal (cases[i].path, "/index.html"))
        g_strlcpy (etag, soup_message_headers_get_one (headers, "ETag"), sizeof etag);
    }
  /* Asked again with the ETag it had: 304, no body. */
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/", port);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", etag);
  g_autoptr(GBytes) body = NULL;
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_body, &body);
  while (body == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 304);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
}

/* g_test_init() prints every library's debug lines into the test's log; GIO's
 * GSocketClient and libsoup write several per connection and per frame, which buried
 * the server's own lines. Theirs are dropped; ours stay. */
static void
drop_library_debug (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_handler ("GLib-GIO", G_LOG_LEVEL_DEBUG, drop_library_debug, NULL);
  g_log_set_handler ("libsoup", G_LOG_LEVEL_DEBUG, drop_library_debug, NULL);
  g_test_add_data_func ("/server/connections/main-thread", GUINT_TO_POINTER (1),
                        test_connections);
  g_test_add_data_func ("/server/connections/threads", GUINT_TO_POINTER (3), test_connections);
  g_test_add_func ("/server/web-page", test_web_page);
  return g_test_run ();
}
