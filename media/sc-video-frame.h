/* sc-video-frame.h: a decoded, scaled remote picture for a front end to draw. Plain data:
 * front ends need not know GStreamer. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SC_VIDEO_FORMAT_RGB,    /* 3 bytes a pixel: red, green, blue */
  SC_VIDEO_FORMAT_CUBE6,  /* 1 byte a pixel: 36·r + 6·g + b, each 0–5 (xterm colour 16 + it) */
} ScVideoFormat;

typedef struct
{
  guint width;
  guint height;
  guint stride;           /* bytes from one row to the next */
  ScVideoFormat format;
  GBytes *data;
} ScVideoFrame;

/* What the terminal wants: the size in pixels (a cell is two pixels high) and whether
 * it takes 24-bit colour. */
typedef struct
{
  guint width;
  guint height;
  gboolean truecolor;
} ScVideoTarget;

typedef enum {
  SC_VIDEO_OUTPUT_NONE,
  SC_VIDEO_OUTPUT_WINDOW,
  SC_VIDEO_OUTPUT_TERMINAL,
  SC_VIDEO_OUTPUT_PIPELINE,   /* the gst-launch description in the media config */
} ScVideoOutput;

void sc_video_frame_free (ScVideoFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScVideoFrame, sc_video_frame_free)

G_END_DECLS
