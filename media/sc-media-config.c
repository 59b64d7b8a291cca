/* sc-media-config.c: see sc-media-config.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include "sc-dtls-resend.h"
#include "sc-media-config.h"

ScMediaConfig *
sc_media_config_new (void)
{
  ScMediaConfig *config = g_new0 (ScMediaConfig, 1);
  config->video_source = g_strdup ("test");
  config->audio_source = g_strdup ("test");
  config->video_sink = g_strdup ("window");
  config->audio_sink = g_strdup ("auto");
  config->dtls_resend_ms = SC_DTLS_RESEND_MS;
  config->self_view = TRUE;
  return config;
}

ScMediaConfig *
sc_media_config_copy (const ScMediaConfig *config)
{
  ScMediaConfig *copy = g_new0 (ScMediaConfig, 1);
  copy->video_source = g_strdup (config->video_source);
  copy->audio_source = g_strdup (config->audio_source);
  copy->video_sink = g_strdup (config->video_sink);
  copy->audio_sink = g_strdup (config->audio_sink);
  copy->ice_addresses = g_strdupv (config->ice_addresses);
  copy->stun = g_strdup (config->stun);
  copy->turn = g_strdup (config->turn);
  copy->relay_only = config->relay_only;
  copy->mic_muted = config->mic_muted;
  copy->camera_off = config->camera_off;
  copy->self_view = config->self_view;
  copy->stamp_frames = config->stamp_frames;
  copy->dtls_resend_ms = config->dtls_resend_ms;
  g_set_object (&copy->video_device, config->video_device);
  g_set_object (&copy->audio_device, config->audio_device);
  g_set_object (&copy->speaker_device, config->speaker_device);
  copy->card_name = g_strdup (config->card_name);
  return copy;
}

void
sc_media_config_free (ScMediaConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->video_source);
  g_free (config->audio_source);
  g_free (config->video_sink);
  g_free (config->audio_sink);
  g_strfreev (config->ice_addresses);
  g_free (config->stun);
  g_free (config->turn);
  g_clear_object (&config->video_device);
  g_clear_object (&config->audio_device);
  g_clear_object (&config->speaker_device);
  g_free (config->card_name);
  g_free (config);
}

ScVideoOutput
sc_media_config_get_video_output (const ScMediaConfig *config)
{
  if (g_str_equal (config->video_sink, "window"))
    return SC_VIDEO_OUTPUT_WINDOW;
  if (g_str_equal (config->video_sink, "terminal"))
    return SC_VIDEO_OUTPUT_TERMINAL;
  if (g_str_equal (config->video_sink, "none") || g_str_equal (config->video_sink, "off"))
    return SC_VIDEO_OUTPUT_NONE;
  return SC_VIDEO_OUTPUT_PIPELINE;
}
