/* sc-kitty.h: an RGB picture in kitty's graphics protocol (kitty, Ghostty, WezTerm,
 * Konsole): sent as 24-bit RGB, zlib-compressed (GIO's GZlibCompressor), base64 in
 * chunks of 4096, under one image id and placement for the whole call, so that each
 * picture replaces the last in place (no flicker) and nothing piles up in the terminal.
 * Replies are suppressed (q=2). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends the picture, displayed at the cursor over @cols × @rows cells without moving
 * the cursor; zlib-compressed if @compress. Returns whether compressing paid (the data
 * shrank by a fifth or more): for noise-like pictures it costs more CPU than it saves
 * in bytes, and the caller may send the next ones raw. */
gboolean sc_kitty_encode (const guint8 *rgb,
                          guint         width,
                          guint         height,
                          guint         stride,
                          guint         image_id,
                          guint         cols,
                          guint         rows,
                          gboolean      compress,
                          GString      *out);
/* The same through POSIX shared memory (t=s), for a terminal on this machine: the
 * picture is written to the object @shm_name, which the terminal reads and removes, and
 * only that name goes through the pty. No compression, no base64. FALSE (nothing
 * appended) if the object cannot be made. */
gboolean sc_kitty_encode_shm (const guint8 *rgb,
                              guint         width,
                              guint         height,
                              guint         stride,
                              guint         image_id,
                              guint         cols,
                              guint         rows,
                              const char   *shm_name,
                              GString      *out);
/* Appends what deletes the image and frees its data in the terminal. */
void sc_kitty_delete (guint         image_id,
                      GString      *out);

G_END_DECLS
