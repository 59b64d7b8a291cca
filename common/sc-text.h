/* sc-text.h: validation and sanitising of text that comes from strangers.
 *
 * Everything a peer or a client can type (names, chat) passes through here before it
 * is accepted (validate) or shown (sanitize). Nothing in this file touches a terminal.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SC_NAME_MAX_CHARS 32
#define SC_CHAT_MAX_CHARS 1000

#define SC_TEXT_ERROR (sc_text_error_quark ())
GQuark sc_text_error_quark (void);

typedef enum {
  SC_TEXT_ERROR_INVALID_UTF8,
  SC_TEXT_ERROR_EMPTY,
  SC_TEXT_ERROR_TOO_LONG,
  SC_TEXT_ERROR_NOT_PRINTABLE,
} ScTextError;

char     *sc_text_validate_name (const char  *name,
                                 GError     **error);
gboolean  sc_text_validate_chat (const char  *text,
                                 GError     **error);
char     *sc_text_sanitize      (const char  *text,
                                 gsize        max_chars);

G_END_DECLS
