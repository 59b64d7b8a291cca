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
#define SC_INTERESTS_MAX 8            /* interests a user may give */
#define SC_INTEREST_MAX_CHARS 24

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

/* Interests (#27): each trimmed, NFC, lower-cased and checked like a name (1–24
 * printable characters); duplicates dropped; at most SC_INTERESTS_MAX. An empty list is
 * a list. Returns a new NULL-terminated vector, or NULL with @error set. */
GStrv     sc_text_normalize_interests (const char *const *list,
                                       GError           **error);
/* Splits "chess, cats" or "chess cats" (commas, or spaces when there is no comma) into
 * the words a user typed, for sc_text_normalize_interests. */
GStrv     sc_text_split_interests     (const char        *text);
/* The language a user speaks, as matching compares it: the primary subtag of a locale
 * name or language tag ("de_DE.UTF-8", "pt-BR", "DE" → "de", "pt", "de"), two or three
 * ASCII letters, lower case. NULL for "C", "POSIX" or anything else (no error: a locale
 * without a language is not a mistake). */
char     *sc_text_language_of         (const char        *locale);
/* TRUE if @language is already what sc_text_language_of returns (the server's check). */
gboolean  sc_text_is_language         (const char        *language);

G_END_DECLS
