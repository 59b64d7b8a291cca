/* sc-video-frame.c: see sc-video-frame.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include "sc-video-frame.h"

void
sc_video_frame_free (ScVideoFrame *frame)
{
  if (frame == NULL)
    return;
  g_clear_pointer (&frame->data, g_bytes_unref);
  g_free (frame);
}
