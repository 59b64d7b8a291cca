/* sc-keymap.c: see sc-keymap.h. */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include <curses.h>
#include <glib/gi18n.h>
#include <gio/gio.h>

#include "sc-keymap.h"

/* The default bindings. Editing keys (arrows, Home/End, Backspace/Delete, Enter) belong
 * to the input line and are not in the table. */
static const struct { const char *key; const char *command; } default_bindings[] = {
  { "C-n", "next" },
  { "F1", "help" },
  { "C-c", "quit" },
  { "C-q", "quit" },
  { "F2", "mute" },
  { "F3", "camera" },
  { "F4", "video cycle" },
  { "F5", "self" },
  { "C-r", "report" },
  { "PageUp", "scroll up" },
  { "PageDown", "scroll down" },
  { "C-l", "redraw" },
};

static const struct { const char *name; int code; } named_keys[] = {
  { "PageUp", KEY_PPAGE }, { "PageDown", KEY_NPAGE }, { "Home", KEY_HOME }, { "End", KEY_END },
  { "Up", KEY_UP }, { "Down", KEY_DOWN }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT },
  { "Insert", KEY_IC }, { "Delete", KEY_DC },
};

struct _ScKeymap
{
  GPtrArray *bindings;   /* ScBinding */
};

gboolean
sc_key_parse (const char *name, ScKey *out)
{
  if (name == NULL)
    return FALSE;
  if (g_str_has_prefix (name, "C-") && name[2] && !name[3] && g_ascii_isalpha (name[2]))
    {
      *out = (ScKey) { g_ascii_tolower (name[2]) - 'a' + 1, FALSE };
      return TRUE;
    }
  if (name[0] == 'F' && g_ascii_isdigit (name[1]))
    {
      guint64 n = 0;
      if (g_ascii_string_to_unsigned (name + 1, 10, 1, 12, &n, NULL))
        {
          *out = (ScKey) { KEY_F ((int) n), TRUE };
          return TRUE;
        }
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (named_keys); i++)
    if (g_str_equal (name, named_keys[i].name))
      {
        *out = (ScKey) { named_keys[i].code, TRUE };
        return TRUE;
      }
  return FALSE;
}

char *
sc_key_name (ScKey key)
{
  if (!key.is_key && key.code >= 1 && key.code <= 26)
    return g_strdup_printf ("C-%c", 'a' + key.code - 1);
  if (key.is_key && key.code >= KEY_F (1) && key.code <= KEY_F (12))
    return g_strdup_printf ("F%d", key.code - KEY_F (0));
  for (guint i = 0; i < G_N_ELEMENTS (named_keys); i++)
    if (key.is_key && key.code == named_keys[i].code)
      return g_strdup (named_keys[i].name);
  return g_strdup_printf ("%s%d", key.is_key ? "key" : "char", key.code);
}

static void
binding_free (ScBinding *b)
{
  g_free (b->key);
  g_free (b->command);
  g_free (b);
}

ScKeymap *
sc_keymap_new (void)
{
  ScKeymap *self = g_new0 (ScKeymap, 1);
  self->bindings = g_ptr_array_new_with_free_func ((GDestroyNotify) binding_free);
  for (guint i = 0; i < G_N_ELEMENTS (default_bindings); i++)
    sc_keymap_bind (self, default_bindings[i].key, default_bindings[i].command, NULL);
  return self;
}

void
sc_keymap_free (ScKeymap *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->bindings);
  g_free (self);
}

/**
 * sc_keymap_bind:
 * @command: (nullable): the command line; NULL or "" removes the binding
 */
gboolean
sc_keymap_bind (ScKeymap *self, const char *key_name, const char *command, GError **error)
{
  ScKey key;
  if (!sc_key_parse (key_name, &key))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a key name (C-a … C-z, F1 … F12, PageUp, PageDown, Home, "
                     "End, Up, Down, Left, Right, Insert, Delete)"), key_name);
      return FALSE;
    }
  g_autofree char *canonical = sc_key_name (key);
  for (guint i = 0; i < self->bindings->len; i++)
    {
      ScBinding *b = g_ptr_array_index (self->bindings, i);
      if (g_str_equal (b->key, canonical))
        {
          if (command == NULL || *command == '\0')
            g_ptr_array_remove_index (self->bindings, i);
          else
            {
              g_free (b->command);
              b->command = g_strstrip (g_strdup (command));
            }
          return TRUE;
        }
    }
  if (command == NULL || *command == '\0')
    return TRUE;
  ScBinding *b = g_new0 (ScBinding, 1);
  b->key = g_steal_pointer (&canonical);
  b->command = g_strstrip (g_strdup (command));
  g_ptr_array_add (self->bindings, b);
  return TRUE;
}

/* Every key of @group in @file binds that key name to its value. */
gboolean
sc_keymap_load (ScKeymap *self, GKeyFile *file, const char *group, GError **error)
{
  if (!g_key_file_has_group (file, group))
    return TRUE;
  g_auto(GStrv) keys = g_key_file_get_keys (file, group, NULL, error);
  if (keys == NULL)
    return FALSE;
  for (guint i = 0; keys[i]; i++)
    {
      g_autofree char *command = g_key_file_get_string (file, group, keys[i], error);
      if (command == NULL || !sc_keymap_bind (self, keys[i], command, error))
        return FALSE;
    }
  return TRUE;
}

const char *
sc_keymap_lookup (ScKeymap *self, ScKey key)
{
  g_autofree char *name = sc_key_name (key);
  for (guint i = 0; i < self->bindings->len; i++)
    {
      ScBinding *b = g_ptr_array_index (self->bindings, i);
      if (g_str_equal (b->key, name))
        return b->command;
    }
  return NULL;
}

GPtrArray *
sc_keymap_list (ScKeymap *self)
{
  return self->bindings;
}
