/* showcast-server's command line (server/sc-server-config.c): its defaults, what each
 * option sets, and a refusal, naming the option, for anything out of bounds. */
#include "config.h"

#include "sc-server-config.h"
#include "sc-server.h"

static gboolean
parse (ScServerConfig *config, const char *line, GError **error)
{
  g_autofree char *full = g_strconcat ("showcast-server ", line, NULL);
  g_auto(GStrv) args = g_strsplit (full, " ", -1);
  int argc = (int) g_strv_length (args);
  /* GOption takes what it reads out of argv: a shallow copy, so that every string is
   * still freed with args. */
  g_autofree char **argv = g_memdup2 (args, sizeof (char *) * (argc + 1));
  char **moving = argv;
  return sc_server_config_parse (config, &argc, &moving, error);
}

static void
test_defaults (void)
{
  ScServerConfig config;
  g_autoptr(GError) error = NULL;
  g_assert_true (parse (&config, "--node-name n", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (config.listen, ==, "127.0.0.1:8080");
  g_assert_cmpuint (config.port, ==, 8080);
  g_assert_false (config.lobby.allow_guests);
  g_assert_cmpuint (config.lobby.ban_after, ==, 3);
  g_assert_cmpuint (config.lobby.grace_s, ==, SC_SESSION_GRACE_S);
  g_assert_true (config.lobby.session_limits);
  g_assert_cmpuint (config.ping_interval_s, ==, SC_SERVER_PING_INTERVAL_S);
  g_assert_cmpuint (config.silence_timeout_s, ==, SC_SERVER_SILENCE_TIMEOUT_S);
  g_assert_cmpint (config.max_connections, ==, -1);
  g_assert_null (config.lobby.turn_urls);
  g_assert_cmpuint (config.ice_servers->len, ==, 0);
  sc_server_config_clear (&config);
}

static void
test_options (void)
{
  ScServerConfig config;
  g_autoptr(GError) error = NULL;
  g_assert_true (parse (&config, "--listen [::1]:0 --node-name a --allow-guests --grace 0 "
                        "--stun stun:127.0.0.1:3478 --turn-url turn:127.0.0.1:3478?transport=udp "
                        "--turn-url turn:127.0.0.1:3478?transport=tcp --turn-secret s "
                        "--ping-interval 1 --silence-timeout 3 --no-session-limits", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (config.port, ==, 0);
  g_assert_true (config.lobby.allow_guests);
  g_assert_cmpuint (config.lobby.grace_s, ==, 0);
  g_assert_false (config.lobby.session_limits);
  g_assert_cmpuint (g_strv_length ((GStrv) config.lobby.turn_urls), ==, 2);
  g_assert_cmpstr (config.lobby.turn_secret, ==, "s");
  g_assert_cmpuint (config.lobby.ice_servers->len, ==, 1);
  g_assert_cmpuint (config.ping_interval_s, ==, 1);
  g_assert_cmpuint (config.silence_timeout_s, ==, 3);
  sc_server_config_clear (&config);
}

static const struct { const char *line; const char *names; } refused[] = {
  { "--turn-url turn:h:1", "--turn-secret" },
  { "--turn-secret s", "--turn-url" },
  { "--turn-url http://h --turn-secret s", "--turn-url" },
  { "--stun turn:h:1", "--stun" },
  { "--grace 3601", "--grace" },
  { "--ban-after -1", "--ban-after" },
  { "--ping-interval 5 --silence-timeout 5", "--silence-timeout" },
  { "--ping-interval 0", "--ping-interval" },
  { "--threads 100000", "--threads" },
  { "--tls-cert x.pem", "--tls-key" },
  { "--http-timeout 0", "--http-timeout" },
  { "--listen nowhere", "--listen" },
  { "--node-name a\"b", "--node-name" },
  { "--listen 127.0.0.1:0 --redis redis://127.0.0.1:1", "--node-name" },
};

static void
test_refused (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      ScServerConfig config;
      g_autoptr(GError) error = NULL;
      if (parse (&config, refused[i].line, &error))
        g_error ("accepted: %s", refused[i].line);
      g_assert_nonnull (error);
      if (strstr (error->message, refused[i].names) == NULL)
        g_error ("“%s”: the refusal “%s” does not name %s", refused[i].line, error->message,
                 refused[i].names);
      sc_server_config_clear (&config);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server-config/defaults", test_defaults);
  g_test_add_func ("/server-config/options", test_options);
  g_test_add_func ("/server-config/refused", test_refused);
  return g_test_run ();
}
