/* sc-term-video.h: draws remote video inside the terminal with half-block characters:
 * each cell is "▀" with the upper pixel as foreground and the lower as background, so a
 * cell shows two pixels. Frames arrive already scaled and converted by GStreamer; this
 * only turns pixels into escape sequences, and only for cells that changed.
 *
 * The output is written around ncurses (which never draws in the video area): it saves
 * and restores the cursor and attributes, so ncurses' idea of the screen stays true. */
#pragma once

#include <glib.h>

#include "sc-video-frame.h"

G_BEGIN_DECLS

typedef struct _ScTermVideo ScTermVideo;

ScTermVideo *sc_term_video_new        (void);
void         sc_term_video_free       (ScTermVideo        *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScTermVideo, sc_term_video_free)

void         sc_term_video_set_area   (ScTermVideo        *self,
                                       guint               top,
                                       guint               left,
                                       guint               cols,
                                       guint               rows);
void         sc_term_video_invalidate (ScTermVideo        *self);
/* Appends what to write to the terminal; returns the number of cells redrawn. */
guint        sc_term_video_render     (ScTermVideo        *self,
                                       const ScVideoFrame *frame,
                                       GString            *out);
guint        sc_term_video_render_blank (ScTermVideo      *self,
                                         GString          *out);

G_END_DECLS
