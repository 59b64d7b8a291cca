/* test-term-graphics.c: what the terminal answers, and the pictures drawn for it: the
 * probe's parser on real answers (xterm as a VT340 and a VT100, kitty), on garbage and
 * on nothing; kitty's stream decoded back to the picture; the sixel image's structure. */
#include <gio/gio.h>
#include <string.h>

#include "sc-kitty.h"
#include "sc-sixel.h"
#include "sc-term-probe.h"

static ScTermReplies
parse (const char *answer)
{
  ScTermReplies r = { 0 };
  sc_term_probe_parse ((const guint8 *) answer, strlen (answer), &r);
  return r;
}

static void
test_probe_answers (void)
{
  /* xterm 379 -ti vt340, as it answered here (tests/e2e/test_terminal_graphics.py). */
  ScTermReplies r = parse ("\033P>|XTerm(379)\033\\\033[?1;0;1024S\033[?2;0;480;312S"
                           "\033[?63;1;2;4;6;9;15;16;22;28c");
  g_assert_true (r.da1 && r.sixel && !r.kitty);
  g_assert_cmpuint (r.colour_registers, ==, 1024);
  g_assert_cmpstr (r.name, ==, "XTerm(379)");
  g_assert_cmpint (sc_term_probe_choose (&r), ==, SC_TERM_GRAPHICS_SIXEL);

  /* The same xterm as a VT100: no 4. */
  r = parse ("\033P>|XTerm(379)\033\\\033[?1;3S\033[?2;3S\033[?1;2c");
  g_assert_true (r.da1 && !r.sixel);
  g_assert_cmpint (sc_term_probe_choose (&r), ==, SC_TERM_GRAPHICS_BLOCKS);

  /* kitty: the graphics reply before DA1, and its cell size. */
  r = parse ("\033_Gi=31;OK\033\\\033P>|kitty(0.26.5)\033\\\033[6;16;8t\033[4;640;960t"
             "\033[?62;c");
  g_assert_true (r.kitty && r.da1);
  g_assert_true (sc_term_probe_complete (&r, FALSE));
  /* Asked about shared memory too, and DA1 came before that answer (kitty 0.26.5 under
   * load): not done yet; then the answer, OK or not. */
  g_assert_false (sc_term_probe_complete (&r, TRUE));
  ScTermReplies late = parse ("\033_Gi=31;OK\033\\\033[?62;c\033_Gi=32;OK\033\\");
  g_assert_true (late.kitty_shm && sc_term_probe_complete (&late, TRUE));
  late = parse ("\033_Gi=31;OK\033\\\033[?62;c\033_Gi=32;EBADF:no such object\033\\");
  g_assert_true (!late.kitty_shm && sc_term_probe_complete (&late, TRUE));
  /* A terminal without kitty images never answers it: DA1 is enough. */
  ScTermReplies plain = parse ("\033[?62;c");
  g_assert_true (sc_term_probe_complete (&plain, TRUE));
  g_assert_cmpuint (r.cell_width, ==, 8);
  g_assert_cmpuint (r.cell_height, ==, 16);
  g_assert_cmpuint (r.window_width, ==, 960);
  g_assert_cmpint (sc_term_probe_choose (&r), ==, SC_TERM_GRAPHICS_KITTY);

  /* A kitty error still proves the protocol; another id does not. */
  g_assert_false (parse ("\033_Gi=31;ENOTSUPPORTED\033\\\033[?62c").kitty);
  g_assert_false (parse ("\033_Gi=7;OK\033\\\033[?62c").kitty);

  /* Keys typed meanwhile, and a terminal that says nothing but DA1. */
  r = parse ("abc\033[A\033[?6c");
  g_assert_true (r.da1 && !r.sixel && !r.kitty);
  /* Nothing at all: not even DA1; half blocks. */
  r = parse ("");
  g_assert_false (r.da1);
  g_assert_cmpint (sc_term_probe_choose (&r), ==, SC_TERM_GRAPHICS_BLOCKS);
  /* Sixel with too few colour registers for a picture. */
  r = parse ("\033[?1;0;8S\033[?62;4c");
  g_assert_cmpint (sc_term_probe_choose (&r), ==, SC_TERM_GRAPHICS_BLOCKS);
}

static void
test_probe_garbage (void)
{
  /* Truncated and hostile answers: bounded, never a crash, never read past the end. */
  const char *const cases[] = {
    "\033", "\033[", "\033[?", "\033[?4", "\033[?4;", "\033P>|", "\033P>|\033", "\033_G",
    "\033_Gi=31;OK", "\033[6;99999999999;8t", "\033[?1;0;99999999999999S",
    "\033[?;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;;4c", "\033P>|\001\002\x7f\xff\033\\",
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ScTermReplies r = parse (cases[i]);
      g_assert_cmpuint (strlen (r.name), <, sizeof r.name);
      for (const char *c = r.name; *c; c++)
        g_assert_true (*c >= 0x20 && *c < 0x7f);
    }
  g_autoptr(GRand) rand = g_rand_new_with_seed (25);
  guint8 buffer[256];
  for (guint round = 0; round < 20000; round++)
    {
      gsize len = g_rand_int_range (rand, 0, sizeof buffer);
      for (gsize k = 0; k < len; k++)
        {
          /* Mostly the bytes replies are made of. */
          static const char alphabet[] = "\033[?;0123456789cStP>|_G\\=OKi";
          buffer[k] = g_rand_boolean (rand) ? (guint8) alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)]
                                            : (guint8) g_rand_int_range (rand, 0, 256);
        }
      ScTermReplies r = { 0 };
      g_autofree guint8 *exact = g_memdup2 (buffer, len);   /* ASan sees an overread */
      sc_term_probe_parse (exact, len, &r);
    }
}

/* A picture of @w × @h: the left half red, the right half blue, a green top row. */
static guint8 *
make_picture (guint w, guint h)
{
  guint8 *rgb = g_malloc ((gsize) w * h * 3);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint8 *p = rgb + ((gsize) y * w + x) * 3;
        p[0] = y == 0 ? 0 : x < w / 2 ? 255 : 0;
        p[1] = y == 0 ? 255 : 0;
        p[2] = y == 0 ? 0 : x < w / 2 ? 0 : 255;
      }
  return rgb;
}

static void
test_kitty_stream (void)
{
  const guint w = 97, h = 61;   /* odd sizes: rows are not padded */
  g_autofree guint8 *rgb = make_picture (w, h);
  g_autoptr(GString) out = g_string_new (NULL);
  g_assert_true (sc_kitty_encode (rgb, w, h, w * 3, 42, 12, 4, TRUE, out));

  /* Decode it as a terminal would: APC G chunks, base64, zlib. */
  g_autoptr(GString) payload = g_string_new (NULL);
  const char *p = out->str;
  guint chunks = 0;
  gboolean last = FALSE;
  while ((p = strstr (p, "\033_G")) != NULL)
    {
      const char *semi = strchr (p, ';');
      const char *end = strstr (p, "\033\\");
      g_assert_nonnull (semi);
      g_assert_nonnull (end);
      g_autofree char *keys = g_strndup (p + 3, semi - p - 3);
      if (chunks == 0)
        {
          g_assert_nonnull (strstr (keys, "a=T"));
          g_assert_nonnull (strstr (keys, "f=24"));
          g_assert_nonnull (strstr (keys, "o=z"));
          g_assert_nonnull (strstr (keys, "i=42"));
          g_assert_nonnull (strstr (keys, "s=97"));
          g_assert_nonnull (strstr (keys, "v=61"));
          g_assert_nonnull (strstr (keys, "c=12"));
          g_assert_nonnull (strstr (keys, "r=4"));
          g_assert_nonnull (strstr (keys, "q=2"));
        }
      g_assert_false (last);
      last = strstr (keys, "m=0") != NULL;
      g_assert_cmpint (end - semi - 1, <=, 4096);
      g_string_append_len (payload, semi + 1, end - semi - 1);
      chunks++;
      p = end + 2;
    }
  g_assert_true (last);
  gsize packed_len;
  g_autofree guint8 *packed = g_base64_decode (payload->str, &packed_len);
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB);
  g_autofree guint8 *pixels = g_malloc ((gsize) w * h * 3 + 16);
  gsize read = 0, written = 0;
  g_autoptr(GError) error = NULL;
  GConverterResult r = g_converter_convert (G_CONVERTER (z), packed, packed_len, pixels,
                                            (gsize) w * h * 3 + 16, G_CONVERTER_INPUT_AT_END,
                                            &read, &written, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r, ==, G_CONVERTER_FINISHED);
  g_assert_cmpuint (written, ==, (gsize) w * h * 3);
  g_assert_cmpmem (pixels, written, rgb, (gsize) w * h * 3);

  /* Noise does not compress: the encoder says so, and raw pictures decode as they are. */
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  for (gsize i = 0; i < (gsize) w * h * 3; i++)
    rgb[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_string_truncate (out, 0);
  g_assert_false (sc_kitty_encode (rgb, w, h, w * 3, 42, 12, 4, TRUE, out));
  g_string_truncate (out, 0);
  sc_kitty_encode (rgb, w, h, w * 3, 42, 12, 4, FALSE, out);
  g_assert_null (strstr (out->str, "o=z"));
  g_autoptr(GString) raw = g_string_new (NULL);
  for (const char *q = out->str; (q = strstr (q, "\033_G")) != NULL;)
    {
      const char *semi = strchr (q, ';'), *end = strstr (q, "\033\\");
      g_string_append_len (raw, semi + 1, end - semi - 1);
      q = end + 2;
    }
  gsize raw_len;
  g_autofree guint8 *decoded = g_base64_decode (raw->str, &raw_len);
  g_assert_cmpmem (decoded, raw_len, rgb, (gsize) w * h * 3);

  g_string_truncate (out, 0);
  sc_kitty_delete (42, out);
  g_assert_cmpstr (out->str, ==, "\033_Ga=d,d=I,i=42,q=2\033\\");
}

static void
test_sixel_image (void)
{
  const guint w = 40, h = 13;   /* three bands, the last of one row */
  g_autofree guint8 *rgb = make_picture (w, h);
  g_autoptr(GString) out = g_string_new (NULL);
  sc_sixel_encode (rgb, w, h, w * 3, 1024, out);
  g_assert_true (g_str_has_prefix (out->str, "\033P0;0;0q\"1;1;40;13"));
  g_assert_true (g_str_has_suffix (out->str, "\033\\"));
  /* 216 colours defined; three bands, each ended with "-". */
  g_assert_nonnull (strstr (out->str, "#215;2;100;100;100"));
  guint bands = 0;
  for (const char *c = out->str; *c; c++)
    bands += *c == '-';
  g_assert_cmpuint (bands, ==, 3);
  /* Pure red is colour 5·36 = 180, pure blue 5, pure green 30: all used. */
  g_assert_nonnull (strstr (out->str, "#180!"));
  g_assert_nonnull (strstr (out->str, "#30"));
  /* Nothing but sixel data inside: no ESC before the end. */
  g_assert_null (memchr (out->str + 2, 0x1b, out->len - 4));

  /* Few registers: a smaller cube. */
  g_string_truncate (out, 0);
  sc_sixel_encode (rgb, w, h, w * 3, 16, out);
  g_assert_nonnull (strstr (out->str, "#7;2;100;100;100"));
  g_assert_null (strstr (out->str, "#8;2"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/term-graphics/probe-answers", test_probe_answers);
  g_test_add_func ("/term-graphics/probe-garbage", test_probe_garbage);
  g_test_add_func ("/term-graphics/kitty-stream", test_kitty_stream);
  g_test_add_func ("/term-graphics/sixel-image", test_sixel_image);
  return g_test_run ();
}
