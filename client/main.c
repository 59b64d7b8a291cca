/* main.c: the showcast client. Its options are read in sc-options.c; here it builds the
 * core and a front end from them and runs the main loop; everything else lives in the
 * libraries. */
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
#include "sc-devices.h"
#include "sc-file.h"
#include "sc-headless.h"
#include "sc-tui.h"
#include "sc-log.h"
#include "sc-media.h"
#include "sc-options.h"
#include "sc-signalling.h"
#include "sc-url.h"
#include "sc-webrtc-factory.h"
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
  g_auto(ScOptions) o = { 0 };


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


  g_autoptr(GError) error = NULL;
  /* GStreamer first: it takes its own --gst-* options out of argv. */
  if (!sc_media_init (&argc, &argv, &error))
    {
      g_printerr ("showcast: %s\n", error->message);
      return 1;
    }
  if (!sc_options_parse (&o, &argc, &argv, &error))
    {
      g_printerr ("showcast: %s\n", error->message);
      return 2;
    }
  if (o.version)
    {
      g_print ("showcast %s (protocol %d)\n", PACKAGE_VERSION, SC_PROTOCOL_VERSION);
      return 0;
    }
  if (o.list_devices)
    {
      g_autoptr(GPtrArray) devices = sc_devices_list ();
      g_autofree char *text = sc_devices_describe (devices);
      g_print ("%s", text);
      return 0;
    }
  g_autofree char *key_path = sc_identity_default_path ();
  g_autoptr(ScIdentity) identity = NULL;
  if (o.whoami || !o.guest)
    {
      identity = sc_identity_load (key_path, TRUE, &error);
      if (identity == NULL)
        {
          g_printerr ("showcast: %s\n", error->message);
          return 2;
        }
    }
  if (o.whoami)
    {
      g_print ("%s\n", sc_identity_fingerprint (identity));
      return 0;
    }

  g_autofree char *default_config = sc_config_default_path ();
  g_autoptr(ScConfig) config = sc_config_load (o.config_path ? o.config_path : default_config,
                                               o.config_path != NULL, &error);
  if (config == NULL)
    {
      g_printerr ("showcast: %s\n", error->message);
      return 2;
    }
  /* The command line wins over the file, the file over the defaults. */
  sc_options_merge_config (&o, config);

  if (!o.headless && (!isatty (STDIN_FILENO) || !isatty (STDOUT_FILENO)))
    {
      g_printerr ("showcast: %s\n", _("the terminal panel needs a terminal; scripts use --headless"));
      return 2;
    }
  ScTermGraphics graphics = SC_TERM_GRAPHICS_AUTO;
  if (o.terminal_graphics && !sc_term_graphics_from_string (o.terminal_graphics, &graphics))
    {
      g_printerr ("showcast: --terminal-graphics: %s\n",
                  _("takes auto, kitty, sixel or blocks"));
      return 2;
    }
  g_autoptr(ScKeymap) keymap = NULL;
  if (!o.headless)
    {
      keymap = sc_keymap_new ();
      if (!sc_keymap_load (keymap, config->file, "keys", &error))
        {
          g_printerr ("showcast: %s\n", error->message);
          return 2;
        }
    }

  g_autofree char *url = sc_url_normalize (o.server ? o.server : "ws://127.0.0.1:8080",
                                                      &error);
  if (url == NULL)
    {
      g_printerr ("showcast: %s\n", error->message);
      return 2;
    }
  g_autofree char *valid_name = sc_text_validate_name (o.name ? o.name : g_get_user_name (), &error);
  if (valid_name == NULL)
    {
      g_printerr ("showcast: --name: %s\n", error->message);
      return 2;
    }

  /* Interests as typed; the language given, or the locale's (none for C or POSIX). Bad
   * ones are said before anything starts. */
  g_auto(GStrv) interests = sc_text_split_interests (o.interests);
  g_auto(GStrv) normalized = sc_text_normalize_interests ((const char *const *) interests, &error);
  if (normalized == NULL)
    {
      g_printerr ("showcast: --interests: %s\n", error->message);
      return 2;
    }
  g_autofree char *language = o.language ? g_ascii_strdown (o.language, -1)
                                         : sc_text_language_of (g_get_language_names ()[0]);
  if (language && !sc_text_is_language (language))
    {
      g_printerr ("showcast: --language: %s\n",
                  _("two or three letters, such as de"));
      return 2;
    }

  g_autoptr(ScMediaConfig) media = sc_options_media_config (&o, default_video_sink (o.headless));
  media->card_name = g_strdup (valid_name);
  /* "auto" and device:NAME: which camera, microphone and speaker, now; a missing one is
   * said before anything starts. */
  if (!sc_devices_resolve (media, &error))
    {
      g_printerr ("showcast: %s\n", error->message);
      return 2;
    }

  if (o.headless)
    {
      if (!sc_log_init (o.verbose, o.log_file, &error))
        {
          g_printerr ("showcast: %s\n", error->message);
          return 2;
        }
    }
  int tty_stderr = -1;
  if (!o.headless)
    {
      tty_stderr = dup (STDERR_FILENO);
      g_autofree char *default_log = g_build_filename (g_get_user_state_dir (), "showcast",
                                                       "showcast.log", NULL);
      if (!redirect_logs (o.log_file ? o.log_file : default_log, o.verbose, &error))
        {
          g_printerr ("showcast: %s\n", error->message);
          return 2;
        }
    }

  g_autoptr(ScSignalling) signalling = sc_signalling_new (url);
  if (o.ca_file && !sc_signalling_set_ca_file (signalling, o.ca_file, &error))
    {
      g_printerr ("showcast: --ca-file: %s\n", error->message);
      return 2;
    }
  g_autoptr(ScCallFactory) factory = sc_webrtc_factory_new ();
  g_autoptr(ScCore) core = sc_core_new (SC_SERVER_LINK (signalling), factory, url, valid_name,
                                        media, g_steal_pointer (&identity));
  sc_core_set_preferences (core, (const char *const *) normalized, language);
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(ScHeadless) headless_frontend = NULL;
  g_autoptr(ScTui) tui = NULL;
  if (o.headless)
    {
      input = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      headless_frontend = sc_headless_new (core, input, stdout);
      sc_core_set_frontend (core, SC_FRONTEND (headless_frontend));
    }
  else
    {
      tui = sc_tui_new (core, g_steal_pointer (&keymap), truecolor_terminal (), graphics);
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
