/* main.c: the showcast client's command line. It reads options, builds the core and a
 * front end, and runs the main loop; everything else lives in the libraries. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <gst/gst.h>

#include "sc-core.h"
#include "sc-headless.h"
#include "sc-log.h"
#include "sc-signalling.h"
#include "sc-text.h"

typedef struct
{
  GMainLoop *loop;
  int exit_code;
} Run;

static void
on_finished (ScCore *core, int exit_code, gpointer data)
{
  Run *run = data;
  run->exit_code = exit_code;
  g_main_loop_quit (run->loop);
}

static gboolean
on_signal (gpointer core)
{
  sc_core_quit (core);
  return G_SOURCE_CONTINUE;
}

static const char *
default_video_sink (void)
{
  /* With a display, a window; without one (SSH), nothing until terminal video exists. */
  if (g_getenv ("DISPLAY") || g_getenv ("WAYLAND_DISPLAY"))
    return "window";
  return "none";
}

int
main (int argc, char **argv)
{
  gboolean headless = FALSE, verbose = FALSE, version = FALSE;
  g_autofree char *server = NULL, *name = NULL, *log_file = NULL;
  g_autofree char *video_source = NULL, *audio_source = NULL;
  g_autofree char *video_sink = NULL, *audio_sink = NULL;
  g_autofree char *stun = NULL, *turn = NULL;
  g_auto(GStrv) ice_addresses = NULL;

  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &headless,
      N_("Read JSON commands on stdin and print JSON events on stdout"), NULL },
    { "server", 's', 0, G_OPTION_ARG_STRING, &server,
      N_("Lobby server (default ws://127.0.0.1:8080)"), N_("URL") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name,
      N_("Name shown to peers, 1–32 characters (default: your user name)"), N_("NAME") },
    { "video-source", 0, 0, G_OPTION_ARG_STRING, &video_source,
      N_("test, camera or a GStreamer pipeline description (default test)"), N_("SOURCE") },
    { "audio-source", 0, 0, G_OPTION_ARG_STRING, &audio_source,
      N_("test, mic, none or a GStreamer pipeline description (default test)"), N_("SOURCE") },
    { "video-sink", 0, 0, G_OPTION_ARG_STRING, &video_sink,
      N_("window, none or a GStreamer pipeline description (default window with a display, "
         "else none)"), N_("SINK") },
    { "audio-sink", 0, 0, G_OPTION_ARG_STRING, &audio_sink,
      N_("auto, none or a GStreamer pipeline description (default auto)"), N_("SINK") },
    { "stun", 0, 0, G_OPTION_ARG_STRING, &stun,
      N_("Use this STUN server (stun:HOST:PORT) instead of the lobby's"), N_("URL") },
    { "turn", 0, 0, G_OPTION_ARG_STRING, &turn,
      N_("Use this TURN server (turn://USER:PASSWORD@HOST:PORT) instead of the lobby's"),
      N_("URL") },
    { "ice-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ice_addresses,
      N_("Offer host candidates on this local address only; repeatable"), N_("ADDRESS") },
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
  /* stdout may be a pipe a script closes; that must end the program through EOF on
   * stdin, not kill it mid-teardown. */
  signal (SIGPIPE, SIG_IGN);

  g_autoptr(GOptionContext) context = g_option_context_new (_("— random video chat in the terminal"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_group (context, gst_init_get_option_group ());
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("showcast: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("showcast %s (protocol %d)\n", PACKAGE_VERSION, SC_PROTOCOL_VERSION);
      return 0;
    }
  if (!sc_log_init (verbose, log_file, &error))
    {
      g_printerr ("showcast: %s\n", error->message);
      return 2;
    }

  g_autofree char *url = sc_signalling_normalize_url (server ? server : "ws://127.0.0.1:8080",
                                                      &error);
  if (url == NULL)
    {
      g_printerr ("showcast: %s\n", error->message);
      return 2;
    }
  g_autofree char *valid_name = sc_text_validate_name (name ? name : g_get_user_name (), &error);
  if (valid_name == NULL)
    {
      g_printerr ("showcast: --name: %s\n", error->message);
      return 2;
    }

  g_autoptr(ScMediaConfig) media = sc_media_config_new ();
#define TAKE(field, value) if (value) { g_free (media->field); media->field = g_strdup (value); }
  TAKE (video_source, video_source);
  TAKE (audio_source, audio_source);
  TAKE (video_sink, video_sink ? video_sink : default_video_sink ());
  TAKE (audio_sink, audio_sink);
  TAKE (stun, stun);
  TAKE (turn, turn);
#undef TAKE
  media->ice_addresses = g_strdupv (ice_addresses);

  if (!headless)
    g_printerr ("showcast: the terminal panel is not built yet; running the headless "
                "interface (JSON lines). Pass --headless to silence this note.\n");

  g_autoptr(ScCore) core = sc_core_new (url, valid_name, media);
  g_autoptr(GInputStream) input = g_unix_input_stream_new (0, FALSE);
  g_autoptr(ScHeadless) frontend = sc_headless_new (core, input, stdout);
  sc_core_set_frontend (core, SC_FRONTEND (frontend));

  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Run run = { loop, 0 };
  g_signal_connect (core, "finished", G_CALLBACK (on_finished), &run);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, core);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, core);

  sc_core_start (core);
  sc_headless_start (frontend);
  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  sc_core_set_frontend (core, NULL);
  return run.exit_code;
}
