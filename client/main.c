/* main.c: the showcast client's command line. It reads options, builds the core and a
 * front end, and runs the main loop; everything else lives in the libraries. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include "sc-config.h"
#include "sc-core.h"
#include "sc-file.h"
#include "sc-headless.h"
#include "sc-tui.h"
#include "sc-log.h"
#include "sc-media.h"
#include "sc-url.h"
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
default_video_sink (gboolean headless)
{
  /* With a display, a window; without one (SSH), the terminal — or, for scripts,
   * nothing (frames are still decoded). */
  if (g_getenv ("DISPLAY") || g_getenv ("WAYLAND_DISPLAY"))
    return "window";
  return headless ? "none" : "terminal";
}

static gboolean
truecolor_terminal (void)
{
  const char *colorterm = g_getenv ("COLORTERM");
  return g_strcmp0 (colorterm, "truecolor") == 0 || g_strcmp0 (colorterm, "24bit") == 0;
}

/* The panel owns the screen: every log line, ours and the libraries' (GStreamer writes
 * to stderr directly), goes to a file instead. */
static gboolean
redirect_logs (const char *path, gboolean verbose, GError **error)
{
  int fd = sc_file_open_private (path, O_WRONLY | O_CREAT | O_APPEND, error);
  if (fd < 0)
    return FALSE;
  dup2 (fd, STDERR_FILENO);
  close (fd);
  return sc_log_init (verbose, NULL, error);
}

int
main (int argc, char **argv)
{
  gboolean headless = FALSE, verbose = FALSE, version = FALSE, whoami = FALSE, guest = FALSE;
  gboolean relay_only = FALSE;
  gboolean stamp_frames = FALSE;
  g_autofree char *server = NULL, *name = NULL, *log_file = NULL;
  g_autofree char *video_source = NULL, *audio_source = NULL;
  g_autofree char *video_sink = NULL, *audio_sink = NULL;
  g_autofree char *stun = NULL, *turn = NULL, *config_path = NULL, *ca_file = NULL;
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
      N_("window, terminal, none or a GStreamer pipeline description (default window with a "
         "display, else terminal; none with --headless)"), N_("SINK") },
    { "audio-sink", 0, 0, G_OPTION_ARG_STRING, &audio_sink,
      N_("auto, none or a GStreamer pipeline description (default auto)"), N_("SINK") },
    { "stun", 0, 0, G_OPTION_ARG_STRING, &stun,
      N_("Use this STUN server (stun:HOST:PORT) instead of the lobby's"), N_("URL") },
    { "turn", 0, 0, G_OPTION_ARG_STRING, &turn,
      N_("Use this TURN server (turn://USER:PASSWORD@HOST:PORT) instead of the lobby's"),
      N_("URL") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("Trust the server certificates signed by the authorities in FILE (PEM) instead of "
         "the system's"), N_("FILE") },
    { "ice-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &ice_addresses,
      N_("Offer host candidates on this local address only; repeatable"), N_("ADDRESS") },
    { "relay-only", 0, 0, G_OPTION_ARG_NONE, &relay_only,
      N_("Use TURN relay candidates only (strict NATs; testing the relay)"), NULL },
    { "stamp-frames", 0, 0, G_OPTION_ARG_NONE, &stamp_frames,
      N_("Stamp each sent picture with its capture time and report each received one's "
         "delay as a frame-delay event (glass-to-glass benchmark)"), NULL },
    { "guest", 0, 0, G_OPTION_ARG_NONE, &guest,
      N_("Sign in as a guest, without your key"), NULL },
    { "whoami", 0, 0, G_OPTION_ARG_NONE, &whoami,
      N_("Print your id (your key's fingerprint, made on first use) and exit"), NULL },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("Read settings from FILE (default $XDG_CONFIG_HOME/showcast/showcast.conf)"),
      N_("FILE") },
    { "log-file", 0, 0, G_OPTION_ARG_FILENAME, &log_file,
      N_("Write log lines to FILE (default: stderr with --headless, else "
         "$XDG_STATE_HOME/showcast/showcast.log)"), N_("FILE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Log info and debug lines too"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };

#ifdef __GLIBC__
  /* Every call starts new GStreamer streaming threads, and glibc gives threads arenas of
   * their own that keep what they freed: measured here, 170–220 MiB of RSS after 50
   * calls at 640x480 with the default (up to 8 arenas a core), 72–80 MiB with two. */
  mallopt (M_ARENA_MAX, 2);
#endif

  setlocale (LC_ALL, "");
  /* SHOWCAST_LOCALEDIR: translations of an uninstalled build (the tests use it). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SHOWCAST_LOCALEDIR") ? g_getenv ("SHOWCAST_LOCALEDIR")
                                                                    : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* stdout may be a pipe a script closes; that must end the program through EOF on
   * stdin, not kill it mid-teardown. */
  signal (SIGPIPE, SIG_IGN);

  g_autoptr(GOptionContext) context = g_option_context_new (_("— random video chat in the terminal"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, _(
    "Keys in the terminal panel (change them in the [keys] group of the config file):\n"
    "  Ctrl-N  next person        F1  help          Ctrl-C, Ctrl-Q  quit\n"
    "  F2  microphone on/off      F3  camera on/off  F4  video: terminal, window, off\n"
    "  PageUp/PageDown  scroll the chat             Ctrl-L  redraw\n"
    "Commands typed in the input line: /next /mute /camera /video MODE /help /quit;\n"
    "anything else is said to your peer. See showcast(1)."));
  g_autoptr(GError) error = NULL;
  /* GStreamer first: it takes its own --gst-* options out of argv. */
  if (!sc_media_init (&argc, &argv, &error))
    {
      g_printerr ("showcast: %s\n", error->message);
      return 1;
    }
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
  g_autofree char *key_path = sc_identity_default_path ();
  g_autoptr(ScIdentity) identity = NULL;
  if (whoami || !guest)
    {
      identity = sc_identity_load (key_path, TRUE, &error);
      if (identity == NULL)
        {
          g_printerr ("showcast: %s\n", error->message);
          return 2;
        }
    }
  if (whoami)
    {
      g_print ("%s\n", sc_identity_fingerprint (identity));
      return 0;
    }

  g_autofree char *default_config = sc_config_default_path ();
  g_autoptr(ScConfig) config = sc_config_load (config_path ? config_path : default_config,
                                               config_path != NULL, &error);
  if (config == NULL)
    {
      g_printerr ("showcast: %s\n", error->message);
      return 2;
    }
  /* The command line wins over the file, the file over the defaults. */
#define PICK(cli, field) if (cli == NULL && config->field) cli = g_strdup (config->field)
  PICK (server, server);
  PICK (name, name);
  PICK (video_source, video_source);
  PICK (audio_source, audio_source);
  PICK (video_sink, video_sink);
  PICK (audio_sink, audio_sink);
  PICK (stun, stun);
  PICK (turn, turn);
  PICK (log_file, log_file);
  PICK (ca_file, ca_file);
#undef PICK
  if (ice_addresses == NULL && config->ice_addresses)
    ice_addresses = g_strdupv (config->ice_addresses);

  if (!headless && (!isatty (STDIN_FILENO) || !isatty (STDOUT_FILENO)))
    {
      g_printerr ("showcast: %s\n", _("the terminal panel needs a terminal; scripts use --headless"));
      return 2;
    }
  g_autoptr(ScKeymap) keymap = NULL;
  if (!headless)
    {
      keymap = sc_keymap_new ();
      if (!sc_keymap_load (keymap, config->file, "keys", &error))
        {
          g_printerr ("showcast: %s\n", error->message);
          return 2;
        }
    }

  g_autofree char *url = sc_url_normalize (server ? server : "ws://127.0.0.1:8080",
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
  TAKE (video_sink, video_sink ? video_sink : default_video_sink (headless));
  TAKE (audio_sink, audio_sink);
  TAKE (stun, stun);
  TAKE (turn, turn);
#undef TAKE
  media->ice_addresses = g_strdupv (ice_addresses);
  media->relay_only = relay_only || config->relay_only;
  media->stamp_frames = stamp_frames;

  if (headless)
    {
      if (!sc_log_init (verbose, log_file, &error))
        {
          g_printerr ("showcast: %s\n", error->message);
          return 2;
        }
    }
  int tty_stderr = -1;
  if (!headless)
    {
      tty_stderr = dup (STDERR_FILENO);
      g_autofree char *default_log = g_build_filename (g_get_user_state_dir (), "showcast",
                                                       "showcast.log", NULL);
      if (!redirect_logs (log_file ? log_file : default_log, verbose, &error))
        {
          g_printerr ("showcast: %s\n", error->message);
          return 2;
        }
    }

  g_autoptr(ScCore) core = sc_core_new (url, valid_name, media, g_steal_pointer (&identity));
  if (ca_file && !sc_core_set_ca_file (core, ca_file, &error))
    {
      g_printerr ("showcast: --ca-file: %s\n", error->message);
      return 2;
    }
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(ScHeadless) headless_frontend = NULL;
  g_autoptr(ScTui) tui = NULL;
  if (headless)
    {
      input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      headless_frontend = sc_headless_new (core, input, stdout);
      sc_core_set_frontend (core, SC_FRONTEND (headless_frontend));
    }
  else
    {
      tui = sc_tui_new (core, g_steal_pointer (&keymap), truecolor_terminal ());
      sc_core_set_frontend (core, SC_FRONTEND (tui));
    }

  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  Run run = { loop, 0 };
  g_signal_connect (core, "finished", G_CALLBACK (on_finished), &run);
  guint sigint = g_unix_signal_add (SIGINT, on_signal, core);
  guint sigterm = g_unix_signal_add (SIGTERM, on_signal, core);

  if (tui && !sc_tui_start (tui, &error))
    {
      g_printerr ("showcast: %s\n", error->message);
      return 1;
    }
  sc_media_prepare ();   /* while signing in and waiting in the lobby */
  sc_core_start (core);
  if (headless_frontend)
    sc_headless_start (headless_frontend);
  /* The core may have finished already (no usable camera, say). */
  if (sc_core_get_state (core) != SC_CORE_CLOSED)
    g_main_loop_run (loop);
  if (tui)
    {
      sc_tui_stop (tui);
      if (run.exit_code != 0 && sc_tui_get_last_error (tui) && tty_stderr >= 0)
        {
          g_autofree char *text = g_strdup_printf ("showcast: %s\n", sc_tui_get_last_error (tui));
          if (write (tty_stderr, text, strlen (text)) < 0)
            run.exit_code = 1;
        }
    }

  g_source_remove (sigint);
  g_source_remove (sigterm);
  sc_core_set_frontend (core, NULL);
  sc_media_finish ();
  return run.exit_code;
}
