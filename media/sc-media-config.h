/* sc-media-config.h: what the user chose for capture, playback and ICE. Plain data,
 * filled by the client's options and read by ScSender and ScCall. A new config sends
 * the test picture and tone (the library's default, for tests); the program's default
 * is "auto" (sc-options.c). */
#pragma once

#include <gst/gst.h>

#include "sc-video-frame.h"

G_BEGIN_DECLS

typedef struct
{
  char *video_source;   /* "test", "camera", "card", "auto", "device:NAME" or a gst-launch
                           description; "auto" and "device:" are resolved (sc-devices.h)
                           into video_device, or "card" when there is no camera */
  char *audio_source;   /* "test", "mic", "none", "auto", "device:NAME" or a description */
  char *video_sink;     /* "window", "terminal", "none" or a gst-launch description */
  char *audio_sink;     /* "auto", "none", "device:NAME" or a gst-launch description */
  GstDevice *video_device;   /* resolved devices (sc_devices_resolve), or NULL */
  GstDevice *audio_device;
  GstDevice *speaker_device;
  char *card_name;      /* the name the card shows when there is no camera */
  GStrv ice_addresses;  /* local addresses for host candidates; NULL: all */
  char *stun;           /* overrides the server's STUN servers */
  char *turn;           /* overrides the server's TURN servers */
  gboolean relay_only;   /* relay (TURN) candidates only */
  gboolean mic_muted;
  gboolean camera_off;
  gboolean self_view;    /* the self-view over the peer's picture (window, terminal) */
  gboolean stamp_frames; /* glass-to-glass benchmark: stamp sent frames, time received ones */
  guint dtls_resend_ms;  /* each DTLS handshake datagram sent again this much later; 0: not */
} ScMediaConfig;

ScMediaConfig *sc_media_config_new  (void);
ScMediaConfig *sc_media_config_copy (const ScMediaConfig *config);
void           sc_media_config_free (ScMediaConfig       *config);
ScVideoOutput  sc_media_config_get_video_output (const ScMediaConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScMediaConfig, sc_media_config_free)

G_END_DECLS
