/* sc-keymap.h: key bindings as data: a key name ("C-n", "F1", "PageUp") bound to a
 * command line as it would be typed without the slash ("next", "video cycle"). The
 * defaults are one table; the config file's [keys] group changes or removes bindings. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int code;           /* a character (is_key FALSE) or an ncurses KEY_* code */
  gboolean is_key;
} ScKey;

typedef struct
{
  char *key;          /* canonical name */
  char *command;
} ScBinding;

typedef struct _ScKeymap ScKeymap;

gboolean   sc_key_parse        (const char  *name,
                                ScKey       *out);
char      *sc_key_name         (ScKey        key);

ScKeymap  *sc_keymap_new       (void);
void       sc_keymap_free      (ScKeymap    *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScKeymap, sc_keymap_free)

gboolean   sc_keymap_bind      (ScKeymap    *self,
                                const char  *key_name,
                                const char  *command,
                                GError     **error);
gboolean   sc_keymap_load      (ScKeymap    *self,
                                GKeyFile    *file,
                                const char  *group,
                                GError     **error);
const char *sc_keymap_lookup   (ScKeymap    *self,
                                ScKey        key);
GPtrArray *sc_keymap_list      (ScKeymap    *self);   /* of ScBinding, in default order */

G_END_DECLS
