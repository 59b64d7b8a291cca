/* main.c: showcast-server's command line. Everything else is in libshowcast-server. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "sc-local-matcher.h"
#include "sc-node-bus.h"
#include "sc-redis-matcher.h"
#include "sc-log.h"
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
  g_autofree char *listen = NULL;
  g_auto(GStrv) stun = NULL;
  gboolean verbose = FALSE, version = FALSE, allow_guests = FALSE;
  gint ban_after = 3, ban_time = 24 * 3600, grace = SC_SESSION_GRACE_S;
  gint sign_in_limit = SC_LIMIT_SIGN_IN_BURST, threads = 0;
  gint max_conns = -1, max_conns_per_address = SC_SERVER_MAX_CONNS_PER_ADDRESS;
  gint http_timeout = SC_SERVER_HTTP_TIMEOUT_S, message_timeout = SC_SERVER_MESSAGE_TIMEOUT_S;
  gint ping_interval = SC_SERVER_PING_INTERVAL_S, silence_timeout = SC_SERVER_SILENCE_TIMEOUT_S;
  gboolean check_invariants = FALSE, no_session_limits = FALSE;
  g_autofree char *log_file = NULL, *tls_cert = NULL, *tls_key = NULL, *secret_file = NULL;
  g_auto(GStrv) turn_urls = NULL;
  g_autofree char *turn_secret = NULL, *node_name = NULL, *redis_url = NULL;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on ADDRESS:PORT, such as 127.0.0.1:8080 or [::1]:8080 (default 127.0.0.1:8080)"),
      N_("ADDRESS:PORT") },
    { "stun", 0, 0, G_OPTION_ARG_STRING_ARRAY, &stun,
      N_("Hand this STUN server (stun:HOST:PORT) to matched clients; repeatable"), N_("URL") },
    { "turn-url", 0, 0, G_OPTION_ARG_STRING_ARRAY, &turn_urls,
      N_("Hand matched pairs this TURN server (turn:HOST:PORT[?transport=udp|tcp]) with "
         "time-limited credentials; with --turn-secret; repeatable (UDP and TCP)"), N_("URL") },
    { "turn-secret", 0, 0, G_OPTION_ARG_STRING, &turn_secret,
      N_("The secret shared with the TURN server (coturn's static-auth-secret)"), N_("SECRET") },
    { "allow-guests", 0, 0, G_OPTION_ARG_NONE, &allow_guests,
      N_("Let users sign in without a key, as guests (keys only without it)"), NULL },
    { "ban-after", 0, 0, G_OPTION_ARG_INT, &ban_after,
      N_("Ban a user reported by N different users (default 3; 0: never)"), N_("N") },
    { "ban-time", 0, 0, G_OPTION_ARG_INT, &ban_time,
      N_("How long a ban lasts, in seconds (default 86400)"), N_("SECONDS") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve wss:// and https:// with this certificate (PEM; with --tls-key)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The private key of --tls-cert (PEM)"), N_("FILE") },
    { "grace", 0, 0, G_OPTION_ARG_INT, &grace,
      N_("Keep a dropped connection's session (and its call) this long, in seconds (default 10)"),
      N_("SECONDS") },
    { "session-secret-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_file,
      N_("Sign session tokens with the secret in FILE (32 bytes or more), shared by every node; "
         "without it a random secret lives as long as the process"), N_("FILE") },
    { "sign-in-limit", 0, 0, G_OPTION_ARG_INT, &sign_in_limit,
      N_("Sign-ins from one address: a burst of N, then N every 20 s (default 10; 0: no limit)"),
      N_("N") },
    { "no-session-limits", 0, 0, G_OPTION_ARG_NONE, &no_session_limits,
      N_("Switch the per-session message and next limits off (capacity benchmarks only)"),
      NULL },
    { "check-invariants", 0, 0, G_OPTION_ARG_NONE, &check_invariants,
      N_("Check the lobby's invariants after every change and count violations (for tests)"),
      NULL },
    { "redis", 0, 0, G_OPTION_ARG_STRING, &redis_url,
      N_("Share the lobby with every node on this Redis (redis://HOST:PORT); without it the "
         "lobby is this process's own"), N_("URL") },
    { "node-name", 0, 0, G_OPTION_ARG_STRING, &node_name,
      N_("This node's name in /metrics and among the nodes (default HOST:PORT it listens on)"),
      N_("NAME") },
    { "max-connections", 0, 0, G_OPTION_ARG_INT, &max_conns,
      N_("Hold at most N connections in all; more are refused (default: the open-file limit "
         "less 64; 0: no cap)"), N_("N") },
    { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT, &max_conns_per_address,
      N_("Hold at most N connections from one IP address (default 64; 0: no cap)"), N_("N") },
    { "http-timeout", 0, 0, G_OPTION_ARG_INT, &http_timeout,
      N_("A connection that has not become a WebSocket after this many seconds is closed "
         "(default 10)"), N_("SECONDS") },
    { "message-timeout", 0, 0, G_OPTION_ARG_INT, &message_timeout,
      N_("A WebSocket message not whole this many seconds after its first byte closes the "
         "connection (default 10)"), N_("SECONDS") },
    { "ping-interval", 0, 0, G_OPTION_ARG_INT, &ping_interval,
      N_("Ping every connection this often, in seconds (default 5)"), N_("SECONDS") },
    { "silence-timeout", 0, 0, G_OPTION_ARG_INT, &silence_timeout,
      N_("A connection from which nothing has come for this many seconds is lost (default "
         "15; more than --ping-interval)"), N_("SECONDS") },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads,
      N_("Spread the connections over N threads (default 1: the lobby's own; more for "
         "many cores)"), N_("N") },
    { "log-file", 0, 0, G_OPTION_ARG_FILENAME, &log_file,
      N_("Write log lines to FILE instead of stderr"), N_("FILE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Log info and debug lines too"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— the showcast lobby and signalling server"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("showcast-server: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("showcast-server %s (protocol %d)\n", PACKAGE_VERSION, SC_PROTOCOL_VERSION);
      return 0;
    }
  if (!sc_log_init (verbose, log_file, &error))
    {
      g_printerr ("showcast-server: %s\n", error->message);
      return 2;
    }

  g_autoptr(GPtrArray) ice_servers = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_ice_server_free);
  for (guint i = 0; stun && stun[i]; i++)
    {
      if (!g_str_has_prefix (stun[i], "stun:"))
        {
          g_printerr ("showcast-server: --stun takes stun:HOST:PORT, not “%s”\n", stun[i]);
          return 2;
        }
      const char *urls[] = { stun[i], NULL };
      g_ptr_array_add (ice_servers, sc_ice_server_new (urls, NULL, NULL));
    }

  const char *address = listen ? listen : "127.0.0.1:8080";
  g_autoptr(GSocketAddress) sockaddr = NULL;
  if (!sc_parse_listen_address (address, &sockaddr, &error))
    {
      g_printerr ("showcast-server: --listen: %s\n", error->message);
      return 2;
    }
  guint port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (sockaddr));
  if (node_name == NULL && port == 0 && redis_url)
    {
      g_printerr ("showcast-server: with --redis and port 0, give --node-name\n");
      return 2;
    }
  if (node_name == NULL)
    node_name = g_strdup_printf ("%s:%u", g_get_host_name (), port);
  if (strlen (node_name) > 200 || strpbrk (node_name, " \t\r\n\"\\") != NULL)
    {
      g_printerr ("showcast-server: --node-name: at most 200 characters, no spaces or quotes\n");
      return 2;
    }

  /* One node alone matches in process; several share a lobby in Redis. */
  g_autoptr(ScRedis) redis = NULL;
  g_autoptr(ScMatcher) matcher = NULL;
  g_autoptr(ScNodeBus) bus = NULL;
  if (redis_url)
    {
      redis = sc_redis_new (redis_url, &error);
      if (redis == NULL)
        {
          g_printerr ("showcast-server: --redis: %s\n", error->message);
          return 2;
        }
      matcher = sc_redis_matcher_new (redis, node_name);
      bus = sc_node_bus_new (redis, node_name);
    }
  else
    matcher = sc_local_matcher_new ();
  g_autoptr(ScServer) server = sc_server_new (matcher);
  if (redis)
    {
      sc_lobby_set_bus (sc_server_get_lobby (server), bus);
      sc_server_set_redis (server, redis);
    }
  sc_server_set_ice_servers (server, ice_servers);
  sc_server_set_allow_guests (server, allow_guests);
  if (ban_after < 0 || ban_time < 0)
    {
      g_printerr ("showcast-server: --ban-after and --ban-time take numbers from 0\n");
      return 2;
    }
  sc_server_set_ban_policy (server, (guint) ban_after, (guint) ban_time);
  if (grace < 0 || grace > 3600)
    {
      g_printerr ("showcast-server: --grace takes 0 to 3600 seconds\n");
      return 2;
    }
  ScLobby *lobby = sc_server_get_lobby (server);
  sc_lobby_set_grace (lobby, (guint) grace);
  sc_lobby_set_check_invariants (lobby, check_invariants);
  if (sign_in_limit < 0)
    {
      g_printerr ("showcast-server: --sign-in-limit takes a number from 0\n");
      return 2;
    }
  sc_lobby_set_sign_in_limit (lobby, (guint) sign_in_limit);
  sc_lobby_set_session_limits (lobby, !no_session_limits);
  if ((turn_urls == NULL) != (turn_secret == NULL))
    {
      g_printerr ("showcast-server: --turn-url and --turn-secret go together\n");
      return 2;
    }
  for (guint i = 0; turn_urls && turn_urls[i]; i++)
    if (!g_str_has_prefix (turn_urls[i], "turn:") && !g_str_has_prefix (turn_urls[i], "turns:"))
      {
        g_printerr ("showcast-server: --turn-url takes turn:HOST:PORT, not “%s”\n", turn_urls[i]);
        return 2;
      }
  if (turn_urls)
    sc_lobby_set_turn (lobby, (const char *const *) turn_urls, turn_secret);
  if (secret_file)
    {
      ScTokenSigner *signer = sc_token_signer_new_from_file (secret_file, &error);
      if (signer == NULL)
        {
          g_printerr ("showcast-server: --session-secret-file: %s\n", error->message);
          return 2;
        }
      sc_lobby_set_token_signer (lobby, signer);
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("showcast-server: --tls-cert and --tls-key go together\n");
      return 2;
    }
  if (tls_cert && !sc_server_set_tls (server, tls_cert, tls_key, &error))
    {
      g_printerr ("showcast-server: TLS: %s\n", error->message);
      return 2;
    }
  if (threads < 0 || threads > SC_SERVER_MAX_THREADS)
    {
      g_printerr ("showcast-server: --threads takes 1 to %d\n", SC_SERVER_MAX_THREADS);
      return 2;
    }
  if (threads > 0)
    sc_server_set_threads (server, (guint) threads);
  guint64 file_limit = raise_file_limit ();
  g_info ("open-file limit: %" G_GUINT64_FORMAT, file_limit);
  if (max_conns < -1 || max_conns_per_address < 0 || http_timeout < 1 || http_timeout > 3600 ||
      message_timeout < 1 || message_timeout > 3600)
    {
      g_printerr ("showcast-server: --max-connections and --max-connections-per-address take "
                  "numbers from 0, --http-timeout and --message-timeout 1 to 3600 seconds\n");
      return 2;
    }
  if (ping_interval < 1 || ping_interval > 3600 || silence_timeout <= ping_interval ||
      silence_timeout > 3600)
    {
      g_printerr ("showcast-server: --ping-interval takes 1 to 3600 seconds, --silence-timeout "
                  "more than that, up to 3600\n");
      return 2;
    }
  sc_server_set_heartbeat (server, (guint) ping_interval, (guint) silence_timeout);
  /* By default every connection the process can hold, less a reserve for Redis, logs
   * and the listening sockets: past it accept(2) would fail for everyone. */
  if (max_conns < 0)
    max_conns = file_limit > 128 ? (gint) MIN (file_limit - 64, G_MAXINT) : 64;
  sc_server_set_connection_limits (server, (guint) max_conns, (guint) max_conns_per_address);
  sc_server_set_timeouts (server, (guint) http_timeout, (guint) message_timeout);
  if (!sc_server_listen (server, address, &error))
    {
      g_printerr ("showcast-server: cannot listen on %s: %s\n", address, error->message);
      return 1;
    }
  sc_server_set_node_name (server, node_name);
  g_message ("node %s listening on %s (port %u, %s), WebSocket path %s", node_name, address,
             sc_server_get_port (server), tls_cert ? "TLS" : "no TLS", SC_SERVER_WS_PATH);

  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  return 0;
}
