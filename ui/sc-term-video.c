/* sc-term-video.c: see sc-term-video.h. */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include <sys/mman.h>
#include <unistd.h>

#include "sc-kitty.h"
#include "sc-sixel.h"
#include "sc-term-video.h"

/* The one kitty image of the video area: each picture replaces the last. */
#define KITTY_IMAGE_ID 7331
/* Shared memory objects left for the terminal to read and remove: one that has not been
 * read four pictures later never will be, and goes (a terminal that stopped reading must
 * not fill /dev/shm). */
#define SHM_RING 4

typedef struct
{
  guint32 fg, bg;
} Cell;

struct _ScTermVideo
{
  guint top, left, cols, rows;
  Cell *cells;       /* what the terminal shows now, cols × rows */
  ScTermGraphics mode;
  guint cell_width, cell_height, registers;
  gboolean image_shown;   /* a kitty image is in the terminal */
  guint raw_pictures;     /* kitty: this many more sent without compressing */
  gboolean shm;           /* kitty: pictures through shared memory */
  gboolean tmux;          /* pictures wrapped for tmux to pass on */
  guint pane_top, pane_left;
  guint shm_serial;       /* names /showcast-PID-N; the last SHM_RING may still exist */
};

static char *
shm_name (guint serial)
{
  return g_strdup_printf ("/showcast-%d-%u", (int) getpid (), serial);
}

/* The name for the next picture; the one SHM_RING pictures back goes. */
static char *
next_shm_name (ScTermVideo *self)
{
  if (self->shm_serial >= SHM_RING)
    {
      g_autofree char *old = shm_name (self->shm_serial - SHM_RING);
      shm_unlink (old);
    }
  return shm_name (self->shm_serial++);
}

/* What the terminal has not read (or removed) yet goes. */
static void
forget_shm (ScTermVideo *self)
{
  for (guint k = 0; k < SHM_RING && k < self->shm_serial; k++)
    {
      g_autofree char *name = shm_name (self->shm_serial - 1 - k);
      shm_unlink (name);
    }
}

void
sc_term_video_set_shared_memory (ScTermVideo *self, gboolean on)
{
  self->shm = on;
}

void
sc_term_video_set_tmux_passthrough (ScTermVideo *self, gboolean on, guint pane_top,
                                    guint pane_left)
{
  self->tmux = on;
  self->pane_top = pane_top;
  self->pane_left = pane_left;
}

/* @sequence, as the terminal must get it: through tmux, wrapped (a sequence tmux itself
 * would parse, such as a cursor move, goes to the terminal around it too: the picture's
 * place is then the pane's place plus ours). */
static void
emit (ScTermVideo *self, GString *sequence, GString *out)
{
  if (self->tmux)
    sc_term_probe_wrap_tmux (sequence->str, sequence->len, out);
  else
    g_string_append_len (out, sequence->str, (gssize) sequence->len);
}

/* A cell's colours: 24-bit RGB, or a 256-colour index with this bit set. */
#define INDEXED 0x1000000u
#define UNKNOWN 0xFFFFFFFFu


ScTermVideo *
sc_term_video_new (void)
{
  ScTermVideo *self = g_new0 (ScTermVideo, 1);
  self->mode = SC_TERM_GRAPHICS_BLOCKS;
  return self;
}

void
sc_term_video_set_graphics (ScTermVideo *self, ScTermGraphics mode, guint cell_width,
                            guint cell_height, guint registers)
{
  if (mode != SC_TERM_GRAPHICS_BLOCKS && (cell_width == 0 || cell_height == 0))
    mode = SC_TERM_GRAPHICS_BLOCKS;   /* pixels, but not how many a cell holds */
  self->mode = mode;
  self->cell_width = cell_width;
  self->cell_height = cell_height;
  self->registers = registers;
  if (self->cells)
    sc_term_video_invalidate (self);
}

ScTermGraphics
sc_term_video_get_graphics (ScTermVideo *self)
{
  return self->mode;
}

void
sc_term_video_get_target (ScTermVideo *self, gboolean truecolor, ScVideoTarget *target)
{
  if (self->mode == SC_TERM_GRAPHICS_BLOCKS)
    *target = (ScVideoTarget) { self->cols, self->rows * 2, truecolor };
  else
    *target = (ScVideoTarget) { self->cols * self->cell_width, self->rows * self->cell_height,
                                TRUE };
}

void
sc_term_video_free (ScTermVideo *self)
{
  if (self == NULL)
    return;
  forget_shm (self);
  g_free (self->cells);
  g_free (self);
}

void
sc_term_video_invalidate (ScTermVideo *self)
{
  for (guint i = 0; i < self->cols * self->rows; i++)
    self->cells[i] = (Cell) { UNKNOWN, UNKNOWN };
}

void
sc_term_video_set_area (ScTermVideo *self, guint top, guint left, guint cols, guint rows)
{
  self->top = top;
  self->left = left;
  if (cols != self->cols || rows != self->rows)
    {
      g_free (self->cells);
      self->cells = g_new (Cell, (gsize) cols * rows);
      self->cols = cols;
      self->rows = rows;
    }
  sc_term_video_invalidate (self);
}

static guint32
pixel (const ScVideoFrame *frame, const guint8 *data, guint x, guint y)
{
  if (x >= frame->width || y >= frame->height)
    return frame->format == SC_VIDEO_FORMAT_RGB ? 0 : INDEXED | 16;   /* black border */
  const guint8 *p = data + (gsize) y * frame->stride;
  if (frame->format == SC_VIDEO_FORMAT_RGB)
    {
      p += (gsize) x * 3;
      return ((guint32) p[0] << 16) | ((guint32) p[1] << 8) | p[2];
    }
  return INDEXED | (16u + MIN (p[x], 215u));   /* xterm's 6×6×6 cube starts at 16 */
}

static void
append_colour (GString *out, gboolean background, guint32 colour)
{
  if (colour & INDEXED)
    g_string_append_printf (out, "\033[%d;5;%um", background ? 48 : 38, colour & 0xFF);
  else
    g_string_append_printf (out, "\033[%d;2;%u;%u;%um", background ? 48 : 38,
                            (colour >> 16) & 0xFF, (colour >> 8) & 0xFF, colour & 0xFF);
}

/* Paints every cell whose colours differ from what the terminal shows. FRAME may be
 * NULL: black. A frame of another size (during a resize) is centred and cut. */
static guint
render (ScTermVideo *self, const ScVideoFrame *frame, GString *out)
{
  gsize size = 0;
  const guint8 *data = frame ? g_bytes_get_data (frame->data, &size) : NULL;
  guint frame_cols = frame ? frame->width : 0;
  guint frame_rows = frame ? (frame->height + 1) / 2 : 0;
  gint off_x = ((gint) self->cols - (gint) frame_cols) / 2;
  gint off_y = ((gint) self->rows - (gint) frame_rows) / 2;
  guint32 black = frame && frame->format == SC_VIDEO_FORMAT_RGB ? 0 : INDEXED | 16;
  guint32 fg = UNKNOWN, bg = UNKNOWN;
  gboolean started = FALSE;
  guint changed = 0;

  for (guint row = 0; row < self->rows; row++)
    {
      gboolean positioned = FALSE;
      for (guint col = 0; col < self->cols; col++)
        {
          gint fx = (gint) col - off_x, fy = ((gint) row - off_y) * 2;
          Cell want = { black, black };
          if (frame && fx >= 0 && fy >= 0 && (guint) fx < frame->width && (guint) fy < frame->height)
            want = (Cell) { pixel (frame, data, fx, fy), pixel (frame, data, fx, fy + 1) };

          Cell *have = &self->cells[row * self->cols + col];
          if (have->fg == want.fg && have->bg == want.bg)
            {
              positioned = FALSE;
              continue;
            }
          if (!started)
            {
              g_string_append (out, "\0337");   /* save cursor and attributes */
              started = TRUE;
            }
          if (!positioned)
            {
              g_string_append_printf (out, "\033[%u;%uH", self->top + row + 1, self->left + col + 1);
              positioned = TRUE;
            }
          if (want.fg != fg)
            append_colour (out, FALSE, fg = want.fg);
          if (want.bg != bg)
            append_colour (out, TRUE, bg = want.bg);
          g_string_append (out, "▀");
          *have = want;
          changed++;
        }
    }
  if (started)
    g_string_append (out, "\033[0m\0338");   /* restore what ncurses expects */
  return changed;
}

static void
render_kitty (ScTermVideo *self, const ScVideoFrame *frame, const guint8 *data, GString *out)
{
  /* A local terminal reads shared memory: nothing to compress or encode. */
  if (self->shm)
    {
      g_autofree char *name = next_shm_name (self);
      if (sc_kitty_encode_shm (data, frame->width, frame->height, frame->stride,
                               KITTY_IMAGE_ID, self->cols, self->rows, name, out))
        return;
    }
  /* Compressing noise-like pictures costs more than it saves: after one that did not
   * pay, the next second's go raw, then compression is tried again. */
  if (self->raw_pictures > 0)
    {
      self->raw_pictures--;
      sc_kitty_encode (data, frame->width, frame->height, frame->stride, KITTY_IMAGE_ID,
                       self->cols, self->rows, FALSE, out);
    }
  else if (!sc_kitty_encode (data, frame->width, frame->height, frame->stride, KITTY_IMAGE_ID,
                             self->cols, self->rows, TRUE, out))
    self->raw_pictures = 30;
}

/* One picture as an image over the whole area. Returns 0 (and draws nothing) for a
 * picture of another size than the area's: during a resize the old size still comes
 * for a moment, and would spill over the panel or leave half a picture. */
static guint
render_image (ScTermVideo *self, const ScVideoFrame *frame, GString *out)
{
  ScVideoTarget want;
  sc_term_video_get_target (self, TRUE, &want);
  if (frame->format != SC_VIDEO_FORMAT_RGB || frame->width != want.width ||
      frame->height != want.height)
    return 0;
  const guint8 *data = g_bytes_get_data (frame->data, NULL);
  g_autoptr(GString) picture = g_string_new (NULL);
  GString *whole = out;
  out = picture;
  guint top = self->top + (self->tmux ? self->pane_top : 0);
  guint left = self->left + (self->tmux ? self->pane_left : 0);
  g_string_append_printf (out, "\033[?2026h\0337\033[%u;%uH", top + 1, left + 1);
  if (self->mode == SC_TERM_GRAPHICS_KITTY)
    {
      render_kitty (self, frame, data, out);
      self->image_shown = TRUE;
    }
  else
    sc_sixel_encode (data, frame->width, frame->height, frame->stride, self->registers, out);
  g_string_append (out, "\0338\033[?2026l");
  emit (self, picture, whole);
  /* The cells hold a picture now, not the blocks the table says: a blank repaints. */
  for (guint i = 0; i < self->cols * self->rows; i++)
    self->cells[i] = (Cell) { UNKNOWN, UNKNOWN };
  return self->cols * self->rows;
}

guint
sc_term_video_render (ScTermVideo *self, const ScVideoFrame *frame, GString *out)
{
  if (self->cells == NULL || frame == NULL)
    return 0;
  gsize size = g_bytes_get_size (frame->data);
  gsize bpp = frame->format == SC_VIDEO_FORMAT_RGB ? 3 : 1;
  if (frame->stride < frame->width * bpp || size < (gsize) frame->stride * frame->height)
    return 0;   /* malformed: never read past the data */
  if (self->mode != SC_TERM_GRAPHICS_BLOCKS)
    return render_image (self, frame, out);
  return render (self, frame, out);
}

static void
delete_image (ScTermVideo *self, GString *out)
{
  g_autoptr(GString) sequence = g_string_new (NULL);
  sc_kitty_delete (KITTY_IMAGE_ID, sequence);
  emit (self, sequence, out);
}

void
sc_term_video_hide (ScTermVideo *self, GString *out)
{
  if (self->image_shown)
    delete_image (self, out);
  self->image_shown = FALSE;
  if (self->cells)
    sc_term_video_invalidate (self);
}

guint
sc_term_video_render_blank (ScTermVideo *self, GString *out)
{
  if (self->cells == NULL)
    return 0;
  if (self->image_shown)
    {
      delete_image (self, out);
      self->image_shown = FALSE;
    }
  return render (self, NULL, out);
}
