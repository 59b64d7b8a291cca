/* sc-options.c: see sc-options.h. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sc-options.h"

gboolean
sc_options_parse (ScOptions *o, int *argc, char ***argv, GError **error)
{
  *o = (ScOptions) { 0 };
  const GOptionEntry entries[] = {
    { "headless", 0, 0, G_OPTION_ARG_NONE, &o->headless,
      N_("Read JSON commands on stdin and print JSON events on stdout"), NULL },
    { "server", 's', 0, G_OPTION_ARG_STRING, &o->server,
      N_("Lobby server (default ws://127.0.0.1:8080)"), N_("URL") },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &o->name,
      N_("Name shown to peers, 1–32 characters (default: your user name)"), N_("NAME") },
    { "video-source", 0, 0, G_OPTION_ARG_STRING, &o->video_source,
      N_("auto, device:NAME, test, card or a GStreamer pipeline description (default auto: "
         "your camera, or a card with your name when there is none)"), N_("SOURCE") },
    { "audio-source", 0, 0, G_OPTION_ARG_STRING, &o->audio_source,
      N_("auto, device:NAME, test, none or a GStreamer pipeline description (default auto: "
         "your microphone, or none)"), N_("SOURCE") },
    { "video-sink", 0, 0, G_OPTION_ARG_STRING, &o->video_sink,
      N_("window, terminal, none or a GStreamer pipeline description (default window with a "
         "display, else terminal; none with --headless)"), N_("SINK") },
    { "audio-sink", 0, 0, G_OPTION_ARG_STRING, &o->audio_sink,
      N_("auto, device:NAME, none or a GStreamer pipeline description (default auto)"),
      N_("SINK") },
    { "terminal-graphics", 0, 0, G_OPTION_ARG_STRING, &o->terminal_graphics,
      N_("How video is drawn in the terminal: auto (ask the terminal), kitty, sixel or "
         "blocks (default auto)"), N_("MODE") },
    { "interests", 0, 0, G_OPTION_ARG_STRING, &o->interests,
      N_("Meet people who share one of these first: up to 8, comma-separated, such as "
         "chess,cats"), N_("LIST") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &o->language,
      N_("The language you speak, as two or three letters such as de (default: your "
         "locale's)"), N_("LANG") },
    { "list-devices", 0, 0, G_OPTION_ARG_NONE, &o->list_devices,
      N_("List the cameras, microphones and speakers, with the names the options take, "
         "and exit"), NULL },
    { "stun", 0, 0, G_OPTION_ARG_STRING, &o->stun,
      N_("Use this STUN server (stun:HOST:PORT) instead of the lobby's"), N_("URL") },
    { "turn", 0, 0, G_OPTION_ARG_STRING, &o->turn,
      N_("Use this TURN server (turn://USER:PASSWORD@HOST:PORT) instead of the lobby's"),
      N_("URL") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &o->ca_file,
      N_("Trust the server certificates signed by the authorities in FILE (PEM) instead of "
         "the system's"), N_("FILE") },
    { "ice-address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->ice_addresses,
      N_("Offer host candidates on this local address only; repeatable"), N_("ADDRESS") },
    { "relay-only", 0, 0, G_OPTION_ARG_NONE, &o->relay_only,
      N_("Use TURN relay candidates only (strict NATs; testing the relay)"), NULL },
    { "stamp-frames", 0, 0, G_OPTION_ARG_NONE, &o->stamp_frames,
      N_("Stamp each sent picture with its capture time and report each received one's "
         "delay as a frame-delay event (glass-to-glass benchmark)"), NULL },
    { "guest", 0, 0, G_OPTION_ARG_NONE, &o->guest,
      N_("Sign in as a guest, without your key"), NULL },
    { "whoami", 0, 0, G_OPTION_ARG_NONE, &o->whoami,
      N_("Print your id (your key's fingerprint, made on first use) and exit"), NULL },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &o->config_path,
      N_("Read settings from FILE (default $XDG_CONFIG_HOME/showcast/showcast.conf)"),
      N_("FILE") },
    { "log-file", 0, 0, G_OPTION_ARG_FILENAME, &o->log_file,
      N_("Write log lines to FILE (default: stderr with --headless, else "
         "$XDG_STATE_HOME/showcast/showcast.log)"), N_("FILE") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &o->verbose, N_("Log info and debug lines too"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &o->version, N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_autoptr(GOptionContext) context = g_option_context_new (_("— random video chat in the terminal"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context, _(
    "Keys in the terminal panel (change them in the [keys] group of the config file):\n"
    "  Ctrl-N  next person        F1  help          Ctrl-C, Ctrl-Q  quit\n"
    "  F2  microphone on/off      F3  camera on/off  F4  video: terminal, window, off\n"
    "  F5  self-view on/off       PageUp/PageDown  scroll the chat  Ctrl-L  redraw\n"
    "Commands typed in the input line: /next /mute /camera /self /video MODE /help /quit;\n"
    "anything else is said to your peer. See showcast(1)."));
  return g_option_context_parse (context, argc, argv, error);
}

void
sc_options_merge_config (ScOptions *o, const ScConfig *config)
{
#define PICK(field) if (o->field == NULL && config->field) o->field = g_strdup (config->field)
  PICK (server);
  PICK (name);
  PICK (video_source);
  PICK (audio_source);
  PICK (video_sink);
  PICK (audio_sink);
  PICK (terminal_graphics);
  PICK (interests);
  PICK (language);
  PICK (stun);
  PICK (turn);
  PICK (log_file);
  PICK (ca_file);
#undef PICK
  if (o->ice_addresses == NULL && config->ice_addresses)
    o->ice_addresses = g_strdupv (config->ice_addresses);
  o->relay_only = o->relay_only || config->relay_only;
}

ScMediaConfig *
sc_options_media_config (const ScOptions *o, const char *default_video_sink)
{
  ScMediaConfig *media = sc_media_config_new ();
#define TAKE(field, value) if (value) { g_free (media->field); media->field = g_strdup (value); }
  /* The program's default is the user's own camera and microphone. */
  TAKE (video_source, o->video_source ? o->video_source : "auto");
  TAKE (audio_source, o->audio_source ? o->audio_source : "auto");
  TAKE (video_sink, o->video_sink ? o->video_sink : default_video_sink);
  TAKE (audio_sink, o->audio_sink);
  TAKE (stun, o->stun);
  TAKE (turn, o->turn);
#undef TAKE
  media->ice_addresses = g_strdupv (o->ice_addresses);
  media->relay_only = o->relay_only;
  media->stamp_frames = o->stamp_frames;
  return media;
}

void
sc_options_clear (ScOptions *o)
{
  g_clear_pointer (&o->server, g_free);
  g_clear_pointer (&o->name, g_free);
  g_clear_pointer (&o->log_file, g_free);
  g_clear_pointer (&o->video_source, g_free);
  g_clear_pointer (&o->audio_source, g_free);
  g_clear_pointer (&o->video_sink, g_free);
  g_clear_pointer (&o->audio_sink, g_free);
  g_clear_pointer (&o->terminal_graphics, g_free);
  g_clear_pointer (&o->interests, g_free);
  g_clear_pointer (&o->language, g_free);
  g_clear_pointer (&o->stun, g_free);
  g_clear_pointer (&o->turn, g_free);
  g_clear_pointer (&o->config_path, g_free);
  g_clear_pointer (&o->ca_file, g_free);
  g_clear_pointer (&o->ice_addresses, g_strfreev);
}
