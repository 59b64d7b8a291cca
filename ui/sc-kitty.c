/* sc-kitty.c: see sc-kitty.h. */
#include "config.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sc-kitty.h"

#define CHUNK 4096   /* base64 bytes an escape sequence, the protocol's limit */

static GBytes *
compress_rgb (const guint8 *rgb, guint width, guint height, guint stride)
{
  gsize row = (gsize) width * 3, size = row * height;
  g_autofree guint8 *packed = NULL;
  if (stride != row)
    {
      packed = g_malloc (size);
      for (guint y = 0; y < height; y++)
        memcpy (packed + y * row, rgb + (gsize) y * stride, row);
      rgb = packed;
    }
  /* Level 1: most of the gain (a picture's flat areas and borders) at a fraction of
   * the default's time. */
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 1);
  GByteArray *out = g_byte_array_sized_new ((guint) (size / 2 + 1024));
  gsize done = 0;
  for (;;)
    {
      guint8 buffer[65536];
      gsize read = 0, written = 0;
      GConverterResult r = g_converter_convert (G_CONVERTER (z), rgb + done, size - done,
                                                buffer, sizeof buffer,
                                                G_CONVERTER_INPUT_AT_END, &read, &written, NULL);
      if (r == G_CONVERTER_ERROR)
        {
          g_byte_array_unref (out);
          return NULL;
        }
      g_byte_array_append (out, buffer, (guint) written);
      done += read;
      if (r == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (out);
}

gboolean
sc_kitty_encode (const guint8 *rgb, guint width, guint height, guint stride, guint image_id,
                 guint cols, guint rows, gboolean compress, GString *out)
{
  gsize raw_size = (gsize) width * height * 3;
  g_autoptr(GBytes) packed = compress ? compress_rgb (rgb, width, height, stride) : NULL;
  g_autofree guint8 *plain = NULL;
  const guint8 *data;
  gsize size;
  gboolean paid = FALSE;
  if (packed)
    {
      data = g_bytes_get_data (packed, &size);
      paid = size * 5 <= raw_size * 4;
    }
  else
    {
      data = rgb;
      if (stride != (guint) width * 3)
        {
          plain = g_malloc (raw_size);
          for (guint y = 0; y < height; y++)
            memcpy (plain + (gsize) y * width * 3, rgb + (gsize) y * stride, (gsize) width * 3);
          data = plain;
        }
      size = raw_size;
    }
  g_autofree char *base64 = g_base64_encode (data, size);
  gsize total = strlen (base64);
  for (gsize at = 0; at < total || at == 0; at += CHUNK)
    {
      gsize n = MIN (CHUNK, total - at);
      gboolean more = at + n < total;
      if (at == 0)
        g_string_append_printf (out, "\033_Ga=T,f=24,%ss=%u,v=%u,i=%u,p=1,c=%u,r=%u,C=1,q=2,"
                                     "m=%d;", packed ? "o=z," : "", width, height, image_id,
                                cols, rows, more);
      else
        g_string_append_printf (out, "\033_Gm=%d;", more);
      g_string_append_len (out, base64 + at, (gssize) n);
      g_string_append (out, "\033\\");
      if (!more)
        break;
    }
  return paid;
}

gboolean
sc_kitty_encode_shm (const guint8 *rgb, guint width, guint height, guint stride, guint image_id,
                     guint cols, guint rows, const char *shm_name, GString *out)
{
  gsize row = (gsize) width * 3, size = row * height;
  int fd = shm_open (shm_name, O_CREAT | O_EXCL | O_RDWR, 0600);
  if (fd < 0)
    return FALSE;
  guint8 *map = ftruncate (fd, (off_t) size) == 0
                ? mmap (NULL, size, PROT_WRITE, MAP_SHARED, fd, 0) : MAP_FAILED;
  close (fd);
  if (map == MAP_FAILED)
    {
      shm_unlink (shm_name);
      return FALSE;
    }
  for (guint y = 0; y < height; y++)
    memcpy (map + y * row, rgb + (gsize) y * stride, row);
  munmap (map, size);
  g_autofree char *name = g_base64_encode ((const guint8 *) shm_name, strlen (shm_name));
  g_string_append_printf (out, "\033_Ga=T,t=s,f=24,s=%u,v=%u,S=%" G_GSIZE_FORMAT ",i=%u,p=1,"
                               "c=%u,r=%u,C=1,q=2;%s\033\\", width, height, size, image_id,
                          cols, rows, name);
  return TRUE;
}

void
sc_kitty_delete (guint image_id, GString *out)
{
  g_string_append_printf (out, "\033_Ga=d,d=I,i=%u,q=2\033\\", image_id);
}
