/* main.c: showcast-loadgen's command line. The engine is sc-loadgen.c. */
#define G_LOG_DOMAIN "showcast-loadgen"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* The child's results travel to the parent over a pipe: GIO's unix streams write and
 * read them whole (short writes and EINTR handled there). */
static gboolean
write_all (GOutputStream *out, const void *data, gsize len)
{
  return g_output_stream_write_all (out, data, len, NULL, NULL, NULL);
}

static gboolean
read_all (GInputStream *in, void *data, gsize len)
{
  gsize got = 0;
  return g_input_stream_read_all (in, data, len, &got, NULL, NULL) && got == len;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* Runs the load in @n processes, each with its share of the clients, its own main loop
 * and its own sockets: one GLib main loop polls every socket it has on every turn, so
 * one process with thousands of connections measures itself, not the server. Forked
 * before any thread or main context exists. The figures are merged: counts summed,
 * the lobby → matched times of every client pooled before taking percentiles. */
static gboolean
run_in_processes (const ScLoadgenOptions *options, guint n, ScLoadgenResult *total,
                  GError **error)
{
  g_autofree pid_t *pids = g_new0 (pid_t, n);
  g_autofree int *fds = g_new0 (int, n);
  memset (total, 0, sizeof *total);
  total->latencies = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < n; i++)
    {
      int pipe_fds[2];
      if (pipe (pipe_fds) != 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "pipe: %s",
                       g_strerror (errno));
          return FALSE;
        }
      ScLoadgenOptions mine = *options;
      mine.first_client = options->clients / n * i + MIN (i, options->clients % n);
      mine.clients = options->clients / n + (i < options->clients % n ? 1 : 0);
      mine.seed = options->seed + i;
      pids[i] = fork ();
      if (pids[i] == 0)
        {
          close (pipe_fds[0]);
          ScLoadgenResult r;
          g_autoptr(GString) report = g_string_new (NULL);
          g_autoptr(GError) child_error = NULL;
          if (!sc_loadgen_run (&mine, &r, report, &child_error))
            {
              g_printerr ("showcast-loadgen: %s\n", child_error->message);
              _exit (2);
            }
          guint32 count = r.latencies->len;
          g_autoptr(GOutputStream) out = g_unix_output_stream_new (pipe_fds[1], TRUE);
          gboolean ok = write_all (out, &r, sizeof r) && write_all (out, &count, sizeof count) &&
                        write_all (out, r.latencies->data, count * sizeof (double));
          _exit (ok ? 0 : 2);
        }
      close (pipe_fds[1]);
      fds[i] = pipe_fds[0];
    }

  gboolean ok = TRUE;
  for (guint i = 0; i < n; i++)
    {
      ScLoadgenResult r;
      guint32 count = 0;
      g_autoptr(GInputStream) in = g_unix_input_stream_new (fds[i], TRUE);
      if (read_all (in, &r, sizeof r) && read_all (in, &count, sizeof count) &&
          count <= 100000000)
        {
          g_autofree double *values = g_new (double, count);
          if (read_all (in, values, count * sizeof (double)))
            g_array_append_vals (total->latencies, values, count);
          total->matches += r.matches;
          total->seconds = MAX (total->seconds, r.seconds);
          total->errors += r.errors;
          total->rematches += r.rematches;
          total->connected += r.connected;
        }
      else
        ok = FALSE;
      g_input_stream_close (in, NULL, NULL);
      int status;
      if (waitpid (pids[i], &status, 0) < 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
        ok = FALSE;
    }
  if (!ok)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "a load process failed");
      return FALSE;
    }
  g_array_sort (total->latencies, compare_double);
  guint len = total->latencies->len;
  if (len > 0)
    {
      total->p50_ms = g_array_index (total->latencies, double, len / 2);
      total->p99_ms = g_array_index (total->latencies, double, MIN (len - 1, len * 99 / 100));
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autofree char *servers = NULL;
  gint clients = 100, duration = 10, hold = -1, seed = 0, ramp = 2000, processes = 1;
  gint grace = 10;   /* showcast-server's default --grace */
  gboolean chaos = FALSE, verbose = FALSE, idle = FALSE;
  double interests = 0;
  gint interest_tags = 1000;
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
    { "grace", 0, 0, G_OPTION_ARG_INT, &grace,
      "With --chaos: the servers' --grace; some dropped clients stay away longer "
      "(default 10)", "SECONDS" },
    { "idle", 0, 0, G_OPTION_ARG_NONE, &idle,
      "Clients sign in, leave the lobby and hold their connections (idle sessions)", NULL },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Seed of the random choices (default: random)", "N" },
    { "ramp", 0, 0, G_OPTION_ARG_INT, &ramp,
      "Connections opened per second at the start (default 2000; 0: all at once)", "N" },
    { "processes", 'p', 0, G_OPTION_ARG_INT, &processes,
      "Spread the clients over N processes (default 1; not with --chaos, whose checks need "
      "every client in one)", "N" },
    { "interests", 0, 0, G_OPTION_ARG_DOUBLE, &interests,
      "This share of clients (0–1) sign in with three interests drawn from a Zipf law over "
      "--interest-tags tags (default 0)", "SHARE" },
    { "interest-tags", 0, 0, G_OPTION_ARG_INT, &interest_tags,
      "How many tags --interests draws from (default 1000)", "N" },
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
  if (servers == NULL || clients < 1 || duration < 1 || hold < -1 || ramp < 0 ||
      processes < 1 || processes > clients || (chaos && processes > 1) || grace < 0 ||
      grace > 3600 || interests < 0 || interests > 1 || interest_tags < 3)
    {
      g_printerr ("showcast-loadgen: --server URL is required; --clients, --duration ≥ 1; "
                  "1 ≤ --processes ≤ --clients, and 1 with --chaos; 0 ≤ --grace ≤ 3600\n");
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
    .grace_s = (guint) grace,
    .idle = idle,
    .seed = seed ? (guint32) seed : g_random_int (),
    .ramp_per_s = (guint) ramp,
    .quiet = !verbose,
    .interests_share = interests,
    .interest_tags = (guint) interest_tags,
  };
  ScLoadgenResult r;
  g_autoptr(GString) report = g_string_new (NULL);
  if (processes > 1)
    {
      /* Each process opens connections at its share of the ramp. */
      options.ramp_per_s = (guint) ramp / (guint) processes;
      if (ramp > 0 && options.ramp_per_s == 0)
        options.ramp_per_s = 1;
    }
  if (processes > 1 ? !run_in_processes (&options, (guint) processes, &r, &error)
                    : !sc_loadgen_run (&options, &r, report, &error))
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
  g_array_unref (r.latencies);
  return r.violations > 0 ? 1 : 0;
}
