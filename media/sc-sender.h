/* sc-sender.h: the process's capture and encoders: camera (or test pattern) → VP8,
 * microphone (or tone) → Opus, in a pipeline of their own that runs from start to quit.
 *
 * Calls come and go; the sender stays. A call attaches its two feeds (sc-feed.h) while
 * it is being set up and gets encoded frames in its own pipeline from then on, starting
 * with a fresh keyframe; a skip builds no encoder and waits for no camera (issue #6).
 *
 * Threads: frames are pushed into the feeds on the sender's streaming threads.
 * sc_sender_attach(), sc_sender_release() and sc_sender_detach() may be called from any
 * thread; after detach returns nothing new is pushed into those feeds, though a push
 * already under way may still finish (into a call going down, it returns FLUSHING).
 */
#pragma once

#include <gst/gst.h>

#include "sc-feed.h"

#include "sc-media-config.h"

G_BEGIN_DECLS

/* The self-view: the sent picture at this size and rate, published on an intervideosink
 * of this channel (one process, one sender); each call's window or terminal picture
 * reads it with an intervideosrc and lays it over a corner (sc-call-receive.c). */
#define SC_SELF_VIEW_CHANNEL "showcast-self"
#define SC_SELF_VIEW_WIDTH 160
#define SC_SELF_VIEW_HEIGHT 120
#define SC_SELF_VIEW_FPS 15

#define SC_SENDER_ERROR (sc_sender_error_quark ())
GQuark sc_sender_error_quark (void);

#define SC_TYPE_SENDER (sc_sender_get_type ())
G_DECLARE_FINAL_TYPE (ScSender, sc_sender, SC, SENDER, GObject)

ScSender *sc_sender_new             (const ScMediaConfig *config,
                                     GError             **error);
gboolean  sc_sender_start           (ScSender            *self,
                                     GError             **error);
void      sc_sender_stop            (ScSender            *self);
gboolean  sc_sender_has_audio       (ScSender            *self);
/* @audio may be NULL. Replaces any earlier attachment. Until sc_sender_release() the
 * call gets nothing; the sender keeps the latest keyframe for it: a call waits for its
 * connection, and what would pile up meanwhile is stale by the time it could go. */
void      sc_sender_attach          (ScSender            *self,
                                     ScFeed              *video,
                                     ScFeed              *audio);
/* The call is connected: the kept keyframe goes out at once (pushed on the calling
 * thread), then everything from the next keyframe (asked for now) on. */
void      sc_sender_release         (ScSender            *self,
                                     ScFeed              *video);
void      sc_sender_detach          (ScSender            *self,
                                     ScFeed              *video);
/* Any thread. The next video frame is a keyframe. */
void      sc_sender_force_keyframe  (ScSender            *self);
void      sc_sender_set_mic_muted   (ScSender            *self,
                                     gboolean             muted);
void      sc_sender_set_camera_off  (ScSender            *self,
                                     gboolean             off);

G_END_DECLS
