/* sc-term-video.h: draws remote video inside the terminal. With half blocks (any
 * terminal) each cell is "▀" with the upper pixel as foreground and the lower as
 * background, two pixels a cell, and only cells that changed are redrawn. Where the
 * terminal shows pixels (sc-term-probe.h), each picture is one image at the area's size
 * in pixels: kitty's protocol (sc-kitty.h) or sixel (sc-sixel.h), inside a synchronized
 * update (CSI ? 2026 h … l) so that a terminal that knows it shows whole pictures only.
 * Frames arrive already scaled and converted by GStreamer (sc_term_video_get_target); a
 * picture of another size (a resize under way) is not drawn at all.
 *
 * The output is written around ncurses (which never draws in the video area): it saves
 * and restores the cursor and attributes, so ncurses' idea of the screen stays true. */
#pragma once

#include <glib.h>

#include "sc-term-probe.h"
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
/* How to draw: SC_TERM_GRAPHICS_BLOCKS, _SIXEL (with the terminal's @registers, 0 if not
 * known) or _KITTY, for cells of @cell_width × @cell_height pixels. */
void         sc_term_video_set_graphics (ScTermVideo      *self,
                                         ScTermGraphics    mode,
                                         guint             cell_width,
                                         guint             cell_height,
                                         guint             registers);
/* Under tmux that passes our sequences on: pictures go to the terminal around it, at
 * the pane's place in that terminal (@pane_top, @pane_left: cells). */
void         sc_term_video_set_tmux_passthrough (ScTermVideo *self,
                                                 gboolean     on,
                                                 guint        pane_top,
                                                 guint        pane_left);
/* kitty only: the terminal reads our shared memory (it runs on this machine). */
void         sc_term_video_set_shared_memory (ScTermVideo *self,
                                              gboolean     on);
ScTermGraphics sc_term_video_get_graphics (ScTermVideo    *self);
/* The pictures the area wants: pixels (two a cell for half blocks) and colours. */
void         sc_term_video_get_target (ScTermVideo        *self,
                                       gboolean            truecolor,
                                       ScVideoTarget      *target);
/* Appends what to write to the terminal; returns the number of cells redrawn. */
guint        sc_term_video_render     (ScTermVideo        *self,
                                       const ScVideoFrame *frame,
                                       GString            *out);
guint        sc_term_video_render_blank (ScTermVideo      *self,
                                         GString          *out);
/* Takes a kitty image off the screen (it lies above text: the help overlay, or the
 * area given back to the chat, would be under it); other modes leave that to text. */
void         sc_term_video_hide       (ScTermVideo        *self,
                                       GString            *out);

G_END_DECLS
