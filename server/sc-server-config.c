/* sc-server-config.c: see sc-server-config.h. */
#define G_LOG_DOMAIN "showcast-server"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sc-protocol.h"
#include "sc-server.h"
#include "sc-server-config.h"

static gboolean
refuse (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (GError **error, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *message = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, message);
  return FALSE;
}

gboolean
sc_server_config_parse (ScServerConfig *config, int *argc, char ***argv, GError **error)
{
  g_autofree char *listen = NULL;
  g_auto(GStrv) stun = NULL;
  gboolean verbose = FALSE, version = FALSE, allow_guests = FALSE;
  gint ban_after = 3, ban_time = 24 * 3600, grace = SC_SESSION_GRACE_S;
  gint interest_wait = SC_MATCHER_DEFAULT_INTEREST_WAIT_MS / 1000;
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
    { "interest-wait", 0, 0, G_OPTION_ARG_INT, &interest_wait,
      N_("Pair a user with anyone after this many seconds without a partner who shares an "
         "interest or the language (default 5; 0: at once)"), N_("SECONDS") },
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

  *config = (ScServerConfig) { 0 };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— the showcast lobby and signalling server"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  config->version = version;
  config->verbose = verbose;
  config->log_file = g_steal_pointer (&log_file);
  if (version)
    return TRUE;

  config->ice_servers = g_ptr_array_new_with_free_func ((GDestroyNotify) sc_ice_server_free);
  for (guint i = 0; stun && stun[i]; i++)
    {
      if (!g_str_has_prefix (stun[i], "stun:"))
        return refuse (error, "--stun takes stun:HOST:PORT, not “%s”", stun[i]);
      const char *urls[] = { stun[i], NULL };
      g_ptr_array_add (config->ice_servers, sc_ice_server_new (urls, NULL, NULL));
    }

  config->listen = g_strdup (listen ? listen : "127.0.0.1:8080");
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GError) local = NULL;
  if (!sc_parse_listen_address (config->listen, &sockaddr, &local))
    return refuse (error, "--listen: %s", local->message);
  config->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (sockaddr));
  if (node_name == NULL && config->port == 0 && redis_url)
    return refuse (error, "with --redis and port 0, give --node-name");
  config->node_name = node_name ? g_steal_pointer (&node_name)
                                : g_strdup_printf ("%s:%u", g_get_host_name (), config->port);
  if (strlen (config->node_name) > 200 || strpbrk (config->node_name, " \t\r\n\"\\") != NULL)
    return refuse (error, "--node-name: at most 200 characters, no spaces or quotes");
  config->redis_url = g_steal_pointer (&redis_url);

  if (ban_after < 0 || ban_time < 0)
    return refuse (error, "--ban-after and --ban-time take numbers from 0");
  if (grace < 0 || grace > 3600)
    return refuse (error, "--grace takes 0 to 3600 seconds");
  if (interest_wait < 0 || interest_wait > 600)
    return refuse (error, "--interest-wait takes 0 to 600 seconds");
  if (sign_in_limit < 0)
    return refuse (error, "--sign-in-limit takes a number from 0");
  if ((turn_urls == NULL) != (turn_secret == NULL))
    return refuse (error, "--turn-url and --turn-secret go together");
  for (guint i = 0; turn_urls && turn_urls[i]; i++)
    if (!g_str_has_prefix (turn_urls[i], "turn:") && !g_str_has_prefix (turn_urls[i], "turns:"))
      return refuse (error, "--turn-url takes turn:HOST:PORT, not “%s”", turn_urls[i]);
  if ((tls_cert == NULL) != (tls_key == NULL))
    return refuse (error, "--tls-cert and --tls-key go together");
  if (threads < 0 || threads > SC_SERVER_MAX_THREADS)
    return refuse (error, "--threads takes 1 to %d", SC_SERVER_MAX_THREADS);
  if (max_conns < -1 || max_conns_per_address < 0 || http_timeout < 1 || http_timeout > 3600 ||
      message_timeout < 1 || message_timeout > 3600)
    return refuse (error, "--max-connections and --max-connections-per-address take numbers "
                   "from 0, --http-timeout and --message-timeout 1 to 3600 seconds");
  if (ping_interval < 1 || ping_interval > 3600 || silence_timeout <= ping_interval ||
      silence_timeout > 3600)
    return refuse (error, "--ping-interval takes 1 to 3600 seconds, --silence-timeout more than "
                   "that, up to 3600");

  config->tls_cert = g_steal_pointer (&tls_cert);
  config->tls_key = g_steal_pointer (&tls_key);
  config->secret_file = g_steal_pointer (&secret_file);
  config->threads = (guint) threads;
  config->max_connections = max_conns;
  config->max_connections_per_address = (guint) max_conns_per_address;
  config->http_timeout_s = (guint) http_timeout;
  config->message_timeout_s = (guint) message_timeout;
  config->ping_interval_s = (guint) ping_interval;
  config->silence_timeout_s = (guint) silence_timeout;
  config->turn_urls = g_steal_pointer (&turn_urls);
  config->turn_secret = g_steal_pointer (&turn_secret);

  sc_lobby_config_init (&config->lobby);
  config->lobby.allow_guests = allow_guests;
  config->lobby.ban_after = (guint) ban_after;
  config->lobby.ban_seconds = (guint) ban_time;
  config->lobby.grace_s = (guint) grace;
  config->interest_wait_s = (guint) interest_wait;
  config->lobby.sign_in_burst = (guint) sign_in_limit;
  config->lobby.session_limits = !no_session_limits;
  config->lobby.check_invariants = check_invariants;
  config->lobby.ice_servers = config->ice_servers;
  config->lobby.turn_urls = (const char *const *) config->turn_urls;
  config->lobby.turn_secret = config->turn_secret;
  return TRUE;
}

void
sc_server_config_clear (ScServerConfig *config)
{
  g_clear_pointer (&config->listen, g_free);
  g_clear_pointer (&config->node_name, g_free);
  g_clear_pointer (&config->redis_url, g_free);
  g_clear_pointer (&config->tls_cert, g_free);
  g_clear_pointer (&config->tls_key, g_free);
  g_clear_pointer (&config->secret_file, g_free);
  g_clear_pointer (&config->log_file, g_free);
  g_clear_pointer (&config->ice_servers, g_ptr_array_unref);
  g_clear_pointer (&config->turn_urls, g_strfreev);
  g_clear_pointer (&config->turn_secret, g_free);
  config->lobby.ice_servers = NULL;
  config->lobby.turn_urls = NULL;
  config->lobby.turn_secret = NULL;
}
