/* sc-test-picture.h: the moving picture of `--video-source test` — an orange ball
 * bouncing across a dark background, drawn into I420 frames.
 *
 * Why not videotestsrc's own ball: it paints every pixel of every frame through its
 * generic line renderer, ~2 ms a 640×480 frame, which was 7.5 % of a core at 30 fps —
 * more than encoding the picture. Here videotestsrc only fills the background (a memset
 * per plane) and the ball is drawn over it: about 1 % of that work. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint8 *y, *u, *v;                  /* the three planes of an I420 picture */
  gsize y_stride, u_stride, v_stride;
  guint width, height;
} ScPlanes;

/* The ball's colour: orange (255, 140, 0) in BT.601 video-range YUV. The background's
 * is SC_TEST_PICTURE_BACKGROUND (0xAARRGGBB, as videotestsrc's foreground-color takes
 * it): dark slate. */
#define SC_TEST_PICTURE_BALL_Y 152
#define SC_TEST_PICTURE_BALL_U 50
#define SC_TEST_PICTURE_BALL_V 188
#define SC_TEST_PICTURE_BACKGROUND "0xff203040"

/* Where the ball's centre is at @msec into the stream and its radius, in pixels of a
 * @width × @height picture. The ball stays wholly inside the picture. */
void sc_test_picture_ball (guint width, guint height, guint64 msec,
                           guint *cx, guint *cy, guint *radius);

/* Draws the ball for @msec into @planes. Touches only the pixels of the ball. */
void sc_test_picture_draw (const ScPlanes *planes, guint64 msec);

G_END_DECLS
