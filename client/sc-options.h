/* sc-options.h: the showcast client's command line, and the configuration file merged
 * under it (the command line wins over the file, the file over the defaults). Every
 * option is in README.md and docs/showcast.1. */
#pragma once

#include "sc-config.h"
#include "sc-media-config.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean headless;
  gboolean verbose;
  gboolean version;
  gboolean whoami;
  gboolean list_devices;
  gboolean guest;
  gboolean relay_only;
  gboolean stamp_frames;
  char *server;
  char *name;
  char *log_file;
  char *video_source;
  char *audio_source;
  char *video_sink;
  char *audio_sink;
  char *terminal_graphics;
  char *interests;           /* "chess,cats" as given */
  char *language;
  char *stun;
  char *turn;
  char *config_path;
  char *ca_file;
  GStrv ice_addresses;
} ScOptions;

/* Reads the command line (after GStreamer took its own --gst-* options). */
gboolean       sc_options_parse        (ScOptions      *options,
                                        int            *argc,
                                        char         ***argv,
                                        GError        **error);
/* Fills what the command line left out from @config. */
void           sc_options_merge_config (ScOptions      *options,
                                        const ScConfig *config);
/* The media settings: sources, sinks (@default_video_sink where none was given),
 * STUN/TURN, local addresses. */
ScMediaConfig *sc_options_media_config (const ScOptions *options,
                                        const char      *default_video_sink);
void           sc_options_clear        (ScOptions      *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScOptions, sc_options_clear)

G_END_DECLS
