/* sc-config.c: see sc-config.h. */
#define G_LOG_DOMAIN "showcast-client"

#include "config.h"

#include <glib/gi18n.h>

#include "sc-config.h"

#define GROUP "showcast"

char *
sc_config_default_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "showcast", "showcast.conf", NULL);
}

static char *
get (GKeyFile *file, const char *key)
{
  return g_key_file_get_string (file, GROUP, key, NULL);
}

/**
 * sc_config_load:
 * @must_exist: FALSE for the default file, which may well not exist
 */
ScConfig *
sc_config_load (const char *path, gboolean must_exist, GError **error)
{
  g_autoptr(ScConfig) config = g_new0 (ScConfig, 1);
  g_autoptr(GError) local = NULL;
  config->file = g_key_file_new ();

  if (!g_key_file_load_from_file (config->file, path, G_KEY_FILE_NONE, &local))
    {
      if (!must_exist && g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&config);
      g_set_error (error, local->domain, local->code, "%s: %s", path, local->message);
      return NULL;
    }

  static const char *const known[] = { "server", "name", "video-source", "audio-source",
                                       "video-sink", "audio-sink", "terminal-graphics",
                                       "interests", "language",
                                       "stun", "turn",
                                       "ice-address", "log-file", "ca-file", "relay-only", NULL };
  g_auto(GStrv) keys = g_key_file_get_keys (config->file, GROUP, NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    if (!g_strv_contains (known, keys[i]))
      {
        g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                     _("%s: unknown setting “%s” in [%s]"), path, keys[i], GROUP);
        return NULL;
      }

  config->server = get (config->file, "server");
  config->name = get (config->file, "name");
  config->video_source = get (config->file, "video-source");
  config->audio_source = get (config->file, "audio-source");
  config->video_sink = get (config->file, "video-sink");
  config->audio_sink = get (config->file, "audio-sink");
  config->terminal_graphics = get (config->file, "terminal-graphics");
  config->interests = get (config->file, "interests");
  config->language = get (config->file, "language");
  config->stun = get (config->file, "stun");
  config->turn = get (config->file, "turn");
  config->log_file = get (config->file, "log-file");
  config->ca_file = get (config->file, "ca-file");
  config->ice_addresses = g_key_file_get_string_list (config->file, GROUP, "ice-address", NULL, NULL);
  g_autoptr(GError) bool_error = NULL;
  config->relay_only = g_key_file_get_boolean (config->file, GROUP, "relay-only", &bool_error);
  if (bool_error && !g_error_matches (bool_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   _("%s: relay-only must be true or false"), path);
      return NULL;
    }
  return g_steal_pointer (&config);
}

void
sc_config_free (ScConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->server);
  g_free (config->name);
  g_free (config->video_source);
  g_free (config->audio_source);
  g_free (config->video_sink);
  g_free (config->audio_sink);
  g_free (config->terminal_graphics);
  g_free (config->interests);
  g_free (config->language);
  g_free (config->stun);
  g_free (config->turn);
  g_free (config->log_file);
  g_free (config->ca_file);
  g_strfreev (config->ice_addresses);
  g_clear_pointer (&config->file, g_key_file_unref);
  g_free (config);
}
