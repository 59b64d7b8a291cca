/* sc-text-width.h: how many terminal cells text takes: 2 for wide (CJK, most emoji),
 * 0 for combining and zero-width characters, 1 otherwise. From GLib's Unicode tables, so
 * it does not depend on the C library's locale. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint sc_char_width    (gunichar    c);
guint sc_text_width    (const char *utf8);
/* The longest prefix of @utf8 that fits in @cols cells; returns its length in bytes. */
gsize sc_text_fit      (const char *utf8,
                        guint       cols);

G_END_DECLS
