/* sc-test-picture.c: see sc-test-picture.h. */
#include "config.h"

#include <string.h>

#include "sc-test-picture.h"

/* A point bouncing between 0 and @span: a triangle wave with period 2 × @span / speed. */
static guint
bounce (guint span, guint64 msec, guint pixels_per_second)
{
  if (span == 0)
    return 0;
  guint64 travelled = msec * pixels_per_second / 1000 % (2 * (guint64) span);
  return travelled <= span ? (guint) travelled : (guint) (2 * span - travelled);
}

void
sc_test_picture_ball (guint width, guint height, guint64 msec, guint *cx, guint *cy,
                      guint *radius)
{
  guint r = MAX (MIN (width, height) / 10, 1);
  if (2 * r >= MIN (width, height))
    r = MIN (width, height) / 2;
  /* Different speeds across and down, so that the path does not repeat soon. A quarter
   * of the picture's width a second across: smooth at 30 fps, fast enough to see. */
  *cx = r + bounce (width - MIN (width, 2 * r), msec, MAX (width / 4, 1));
  *cy = r + bounce (height - MIN (height, 2 * r), msec, MAX (height / 5, 1));
  *radius = r;
}

/* One horizontal run of the disc, [x0, x1), on line @y of a plane. */
static void
run (guint8 *plane, gsize stride, guint y, guint x0, guint x1, guint8 value)
{
  if (x1 > x0)
    memset (plane + y * stride + x0, value, x1 - x0);
}

/* Half the width of a disc of radius @r at @dy from its centre, in whole pixels. */
static guint
half_chord (guint r, guint dy)
{
  guint w = 0;
  while ((w + 1) * (w + 1) + dy * dy <= r * r)
    w++;
  return w;
}

void
sc_test_picture_draw (const ScPlanes *p, guint64 msec)
{
  g_return_if_fail (p != NULL && p->y && p->u && p->v);
  if (p->width < 2 || p->height < 2)
    return;
  guint cx, cy, r;
  sc_test_picture_ball (p->width, p->height, msec, &cx, &cy, &r);

  for (guint y = cy - MIN (cy, r); y < MIN (cy + r, p->height); y++)
    {
      guint dy = y > cy ? y - cy : cy - y;
      guint w = half_chord (r, dy);
      run (p->y, p->y_stride, y, cx - MIN (cx, w), MIN (cx + w, p->width), SC_TEST_PICTURE_BALL_Y);
    }

  /* Chroma at half resolution both ways. */
  guint ccx = cx / 2, ccy = cy / 2, cr = r / 2;
  guint cw = (p->width + 1) / 2, ch = (p->height + 1) / 2;
  for (guint y = ccy - MIN (ccy, cr); y < MIN (ccy + cr, ch); y++)
    {
      guint dy = y > ccy ? y - ccy : ccy - y;
      guint w = half_chord (cr, dy);
      guint x0 = ccx - MIN (ccx, w), x1 = MIN (ccx + w, cw);
      run (p->u, p->u_stride, y, x0, x1, SC_TEST_PICTURE_BALL_U);
      run (p->v, p->v_stride, y, x0, x1, SC_TEST_PICTURE_BALL_V);
    }
}
