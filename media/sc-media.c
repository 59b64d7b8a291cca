/* sc-media.c: see sc-media.h. */
#define G_LOG_DOMAIN "showcast-media"

#include "config.h"

#include <X11/Xlib.h>
#include <gst/gst.h>

#include "sc-media.h"

/**
 * sc_media_init:
 * Initialises GStreamer. With an X display, it first makes Xlib thread-safe: video
 * window sinks use Xlib from streaming threads, and without XInitThreads() Xlib aborts
 * the whole process ("XIO: fatal IO error") when a call's window closes.
 */
gboolean
sc_media_init (int *argc, char ***argv, GError **error)
{
  if (g_getenv ("DISPLAY"))
    XInitThreads ();
  return gst_init_check (argc, argv, error);
}
