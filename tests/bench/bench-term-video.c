/* bench-term-video.c: CPU time per frame of the terminal video renderer, on real frames
 * from GStreamer (videotestsrc, scaled and converted as the panel's pipeline does), at
 * the video areas of an 80x24 and a 200x60 terminal, in 24-bit and 256 colours. Prints
 * the figures; asserts nothing. */
#include "config.h"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <stdio.h>
#include <time.h>

#include "sc-term-video.h"

#define FRAMES 300

static double
thread_cpu_seconds (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
bench (guint term_cols, guint term_rows, gboolean truecolor, const char *pattern)
{
  /* The panel's layout: video in 55 % of the width, all rows but three. */
  guint cols = term_cols * 11 / 20, rows = term_rows - 3;
  g_autofree char *desc = g_strdup_printf (
    "videotestsrc pattern=%s num-buffers=%d ! video/x-raw,width=640,height=480 "
    "! videoscale add-borders=true ! videoconvert dither=none "
    "! video/x-raw,format=%s,width=%u,height=%u,pixel-aspect-ratio=1/1 "
    "! appsink name=sink sync=false", pattern, FRAMES, truecolor ? "RGB" : "RGB8P", cols, rows * 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, &error);
  g_assert_no_error (error);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  g_autoptr(ScTermVideo) video = sc_term_video_new ();
  sc_term_video_set_area (video, 1, 0, cols, rows);
  g_autoptr(GString) out = g_string_new (NULL);
  FILE *null = fopen ("/dev/null", "w");
  double cpu = 0;
  guint frames = 0, cells = 0;
  gsize bytes = 0;

  GstSample *sample;
  while ((sample = gst_app_sink_pull_sample (GST_APP_SINK (sink))) != NULL)
    {
      GstVideoInfo info;
      GstMapInfo map;
      gst_video_info_from_caps (&info, gst_sample_get_caps (sample));
      gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
      ScVideoFrame frame = { GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info),
                             GST_VIDEO_INFO_PLANE_STRIDE (&info, 0),
                             truecolor ? SC_VIDEO_FORMAT_RGB : SC_VIDEO_FORMAT_CUBE6,
                             g_bytes_new (map.data, map.size) };
      g_string_truncate (out, 0);
      double t0 = thread_cpu_seconds ();
      cells += sc_term_video_render (video, &frame, out);
      fwrite (out->str, 1, out->len, null);
      cpu += thread_cpu_seconds () - t0;
      bytes += out->len;
      frames++;
      g_bytes_unref (frame.data);
      gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
      gst_sample_unref (sample);
    }
  fclose (null);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  printf ("  %-5s %3ux%-3u terminal (%3ux%-3u video cells), %-8s %6.3f ms CPU a frame "
          "→ %7.0f frames/s possible; %5.0f cells and %6.1f KiB redrawn a frame\n",
          pattern, term_cols, term_rows, cols, rows, truecolor ? "24-bit:" : "256:", cpu / frames * 1000,
          frames / cpu, (double) cells / frames, bytes / 1024.0 / frames);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  printf ("terminal video renderer, %d frames each; ball: a moving ball (few cells change),\n"
          "snow: noise (every cell changes every frame, the worst case):\n", FRAMES);
  const char *patterns[] = { "ball", "snow" };
  for (guint p = 0; p < 2; p++)
    {
      bench (80, 24, TRUE, patterns[p]);
      bench (80, 24, FALSE, patterns[p]);
      bench (200, 60, TRUE, patterns[p]);
      bench (200, 60, FALSE, patterns[p]);
    }
  return 0;
}
