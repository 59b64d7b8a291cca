/* sc-config.h: the client's configuration file, $XDG_CONFIG_HOME/showcast/showcast.conf
 * or --config FILE (GKeyFile). Group [showcast] holds the same settings as the command
 * line (which wins); group [keys] holds key bindings, read by the panel. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *server;
  char *name;
  char *video_source;
  char *audio_source;
  char *video_sink;
  char *audio_sink;
  char *terminal_graphics;
  char *interests;
  char *language;
  char *stun;
  char *turn;
  char *log_file;
  char *ca_file;
  GStrv ice_addresses;
  gboolean relay_only;
  GKeyFile *file;       /* the whole file, for other groups */
} ScConfig;

char     *sc_config_default_path (void);
ScConfig *sc_config_load         (const char  *path,
                                  gboolean     must_exist,
                                  GError     **error);
void      sc_config_free         (ScConfig    *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScConfig, sc_config_free)

G_END_DECLS
