/* main.c: showcast-loadgen's command line. The engine is sc-loadgen.c. */
#define G_LOG_DOMAIN "showcast-loadgen"

#include "config.h"

#include <locale.h>
#include <sys/resource.h>

#include "sc-loadgen.h"
#include "sc-log.h"
#include "sc-url.h"

/* Thousands of sockets: the open-file limit goes to its hard maximum. */
static void
raise_file_limit (void)
{
  struct rlimit limit;
  if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

int
main (int argc, char **argv)
{
  g_autofree char *servers = NULL;
  gint clients = 100, duration = 10, hold = -1, seed = 0, ramp = 2000;
  gboolean chaos = FALSE, verbose = FALSE, idle = FALSE;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &servers,
      "Lobby servers, ws://HOST:PORT[,ws://HOST:PORT…]; client i uses server i mod n", "URL[,URL…]" },
    { "clients", 'n', 0, G_OPTION_ARG_INT, &clients, "How many clients (default 100)", "N" },
    { "duration", 'd', 0, G_OPTION_ARG_INT, &duration, "How long to run, in seconds (default 10)",
      "SECONDS" },
    { "hold", 0, 0, G_OPTION_ARG_INT, &hold,
      "How long each call lasts before next, in ms (default: random 500–1500; 0: next at once)",
      "MS" },
    { "chaos", 0, 0, G_OPTION_ARG_NONE, &chaos,
      "Random next, leave, report, dropped connections, reconnects and quits; check the "
      "lobby's invariants from the clients' side and exit 1 on a violation", NULL },
    { "idle", 0, 0, G_OPTION_ARG_NONE, &idle,
      "Clients sign in, leave the lobby and hold their connections (idle sessions)", NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the random choices (default: random)", "N" },
    { "ramp", 0, 0, G_OPTION_ARG_INT, &ramp,
      "Connections opened per second at the start (default 2000; 0: all at once)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Log more", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  g_autoptr(GOptionContext) context =
    g_option_context_new ("— signalling-only load and chaos for showcast-server");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("showcast-loadgen: %s\n", error->message);
      return 2;
    }
  if (servers == NULL || clients < 1 || duration < 1 || hold < -1 || ramp < 0)
    {
      g_printerr ("showcast-loadgen: --server URL is required; --clients, --duration ≥ 1\n");
      return 2;
    }
  if (!sc_log_init (verbose, NULL, &error))
    {
      g_printerr ("showcast-loadgen: %s\n", error->message);
      return 2;
    }
  raise_file_limit ();

  /* ws://HOST:PORT means the server's WebSocket path, as for showcast. */
  g_auto(GStrv) urls = g_strsplit (servers, ",", -1);
  for (guint i = 0; urls[i]; i++)
    {
      char *url = sc_url_normalize (urls[i], &error);
      if (url == NULL)
        {
          g_printerr ("showcast-loadgen: %s\n", error->message);
          return 2;
        }
      g_free (urls[i]);
      urls[i] = url;
    }
  ScLoadgenOptions options = {
    .servers = urls,
    .clients = (guint) clients,
    .duration_s = (guint) duration,
    .hold_ms = hold,
    .chaos = chaos,
    .idle = idle,
    .seed = seed ? (guint32) seed : g_random_int (),
    .ramp_per_s = (guint) ramp,
    .quiet = !verbose,
  };
  ScLoadgenResult r;
  g_autoptr(GString) report = g_string_new (NULL);
  if (!sc_loadgen_run (&options, &r, report, &error))
    {
      g_printerr ("showcast-loadgen: %s\n", error->message);
      return 2;
    }

  g_print ("clients: %u, servers: %u, %.1f s, seed %u\n", options.clients,
           g_strv_length (urls), r.seconds, options.seed);
  g_print ("lobby to matched: p50 %.1f ms, p99 %.1f ms\n", r.p50_ms, r.p99_ms);
  g_print ("errors: %" G_GUINT64_FORMAT "\n", r.errors);
  g_print ("rematched with the partner just left: %" G_GUINT64_FORMAT " (%.2f %%)\n",
           r.rematches, r.matches ? 100.0 * r.rematches / (2.0 * r.matches) : 0.0);
  if (chaos)
    {
      g_print ("chaos: %" G_GUINT64_FORMAT " calls, %" G_GUINT64_FORMAT " nexts, %"
               G_GUINT64_FORMAT " leaves, %" G_GUINT64_FORMAT " reports, %" G_GUINT64_FORMAT
               " drops, %" G_GUINT64_FORMAT " resumed, %" G_GUINT64_FORMAT " new sessions, %"
               G_GUINT64_FORMAT " quits; %u of %u signed in at the end\n",
               r.calls_seen, r.nexts, r.leaves, r.reports, r.drops, r.resumes,
               r.fresh_sessions, r.quits, r.connected, options.clients);
      g_print ("invariant violations (clients' view): %u\n%s", r.violations, report->str);
    }
  if (idle)
    g_print ("idle sessions signed in: %u of %u\n", r.connected, options.clients);
  g_print ("%.1f matches/s\n", r.matches / r.seconds);
  return r.violations > 0 ? 1 : 0;
}
