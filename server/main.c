/* main.c: showcast-server's command line (read and checked in sc-server-config.c); it
 * builds the server from it. Everything else is in libshowcast-server. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <locale.h>
#include <sys/resource.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "sc-local-matcher.h"
#include "sc-log.h"
#include "sc-node-bus.h"
#include "sc-redis-matcher.h"
#include "sc-server-config.h"
#include "sc-server.h"

/* One file descriptor per WebSocket: take the whole hard limit. Returns the limit. */
static guint64
raise_file_limit (void)
{
  struct rlimit limit;
  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return 0;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }
  return limit.rlim_cur;
}

static gboolean
on_signal (gpointer loop)
{
  g_message ("stopping");
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_auto(ScServerConfig) config = { 0 };
  g_autoptr(GError) error = NULL;
  if (!sc_server_config_parse (&config, &argc, &argv, &error))
    {
      g_printerr ("showcast-server: %s\n", error->message);
      return 2;
    }
  int status = 0;
  if (config.version)
    g_print ("showcast-server %s (protocol %d)\n", PACKAGE_VERSION, SC_PROTOCOL_VERSION);
  else if (!sc_log_init (config.verbose, config.log_file, &error))
    {
      g_printerr ("showcast-server: %s\n", error->message);
      status = 2;
    }
  else
    status = -1;
  if (status >= 0)
    {
      return status;
    }

  /* One node alone matches in process; several share a lobby in Redis. */
  g_autoptr(ScRedis) redis = NULL;
  g_autoptr(ScMatcher) matcher = NULL;
  g_autoptr(ScNodeBus) bus = NULL;
  if (config.redis_url)
    {
      redis = sc_redis_new (config.redis_url, &error);
      if (redis == NULL)
        {
          g_printerr ("showcast-server: --redis: %s\n", error->message);
          return 2;
        }
      matcher = sc_redis_matcher_new (redis, config.node_name);
      bus = sc_node_bus_new (redis, config.node_name);
    }
  else
    matcher = sc_local_matcher_new ();
  sc_matcher_set_interest_wait (matcher, config.interest_wait_s * 1000);
  g_autoptr(ScServer) server = sc_server_new (matcher);
  ScLobby *lobby = sc_server_get_lobby (server);
  if (redis)
    {
      sc_lobby_set_bus (lobby, bus);
      sc_server_set_redis (server, redis);
    }
  sc_lobby_configure (lobby, &config.lobby);
  if (config.secret_file)
    {
      ScTokenSigner *signer = sc_token_signer_new_from_file (config.secret_file, &error);
      if (signer == NULL)
        {
          g_printerr ("showcast-server: --session-secret-file: %s\n", error->message);
          return 2;
        }
      sc_lobby_set_token_signer (lobby, signer);
    }
  if (config.tls_cert && !sc_server_set_tls (server, config.tls_cert, config.tls_key, &error))
    {
      g_printerr ("showcast-server: TLS: %s\n", error->message);
      return 2;
    }
  if (config.threads > 0)
    sc_server_set_threads (server, config.threads);
  guint64 file_limit = raise_file_limit ();
  g_info ("open-file limit: %" G_GUINT64_FORMAT, file_limit);
  sc_server_set_heartbeat (server, config.ping_interval_s, config.silence_timeout_s);
  /* By default every connection the process can hold, less a reserve for Redis, logs
   * and the listening sockets: past it accept(2) would fail for everyone. */
  guint max_conns = config.max_connections >= 0 ? (guint) config.max_connections
                    : file_limit > 128 ? (guint) MIN (file_limit - 64, G_MAXINT) : 64;
  sc_server_set_connection_limits (server, max_conns, config.max_connections_per_address);
  sc_server_set_timeouts (server, config.http_timeout_s, config.message_timeout_s);
  if (!sc_server_listen (server, config.listen, &error))
    {
      g_printerr ("showcast-server: cannot listen on %s: %s\n", config.listen, error->message);
      return 1;
    }
  sc_server_set_node_name (server, config.node_name);
  g_message ("node %s listening on %s (port %u, %s), WebSocket path %s", config.node_name,
             config.listen, sc_server_get_port (server), config.tls_cert ? "TLS" : "no TLS",
             SC_SERVER_WS_PATH);

  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  return 0;
}
