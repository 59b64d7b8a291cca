/* sc-input-line.c: see sc-input-line.h. */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include "sc-input-line.h"
#include "sc-text-width.h"

struct _ScInputLine
{
  GArray *chars;        /* gunichar */
  guint cursor;         /* index into chars */
  guint scroll;         /* first shown char */
  GPtrArray *history;   /* oldest first */
  gint history_pos;     /* -1: editing a new line */
  char *draft;          /* the new line, kept while browsing history */
};

ScInputLine *
sc_input_line_new (void)
{
  ScInputLine *self = g_new0 (ScInputLine, 1);
  self->chars = g_array_new (FALSE, FALSE, sizeof (gunichar));
  self->history = g_ptr_array_new_with_free_func (g_free);
  self->history_pos = -1;
  return self;
}

void
sc_input_line_free (ScInputLine *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->chars);
  g_ptr_array_unref (self->history);
  g_free (self->draft);
  g_free (self);
}

/* FALSE when the line is full (the caller beeps). */
gboolean
sc_input_line_insert (ScInputLine *self, gunichar c)
{
  if (self->chars->len >= SC_INPUT_MAX_CHARS)
    return FALSE;
  g_array_insert_val (self->chars, self->cursor, c);
  self->cursor++;
  return TRUE;
}

void
sc_input_line_left (ScInputLine *self)
{
  if (self->cursor > 0)
    self->cursor--;
}

void
sc_input_line_right (ScInputLine *self)
{
  if (self->cursor < self->chars->len)
    self->cursor++;
}

void
sc_input_line_home (ScInputLine *self)
{
  self->cursor = 0;
}

void
sc_input_line_end (ScInputLine *self)
{
  self->cursor = self->chars->len;
}

void
sc_input_line_backspace (ScInputLine *self)
{
  if (self->cursor == 0)
    return;
  g_array_remove_index (self->chars, --self->cursor);
}

void
sc_input_line_delete (ScInputLine *self)
{
  if (self->cursor < self->chars->len)
    g_array_remove_index (self->chars, self->cursor);
}

char *
sc_input_line_text (ScInputLine *self)
{
  return g_ucs4_to_utf8 ((gunichar *) self->chars->data, self->chars->len, NULL, NULL, NULL);
}

static void
set_text (ScInputLine *self, const char *text)
{
  g_array_set_size (self->chars, 0);
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_array_append_val (self->chars, c);
    }
  self->cursor = self->chars->len;
  self->scroll = 0;
}

/* The line was used: remember it and start a new one. */
void
sc_input_line_commit (ScInputLine *self)
{
  g_autofree char *text = sc_input_line_text (self);
  if (*text && (self->history->len == 0 ||
                g_strcmp0 (g_ptr_array_index (self->history, self->history->len - 1), text) != 0))
    g_ptr_array_add (self->history, g_steal_pointer (&text));
  if (self->history->len > SC_INPUT_HISTORY)
    g_ptr_array_remove_index (self->history, 0);
  self->history_pos = -1;
  g_clear_pointer (&self->draft, g_free);
  set_text (self, "");
}

void
sc_input_line_history_up (ScInputLine *self)
{
  if (self->history->len == 0 || self->history_pos == 0)
    return;
  if (self->history_pos < 0)
    {
      g_free (self->draft);
      self->draft = sc_input_line_text (self);
      self->history_pos = self->history->len;
    }
  self->history_pos--;
  set_text (self, g_ptr_array_index (self->history, self->history_pos));
}

void
sc_input_line_history_down (ScInputLine *self)
{
  if (self->history_pos < 0)
    return;
  self->history_pos++;
  if ((guint) self->history_pos >= self->history->len)
    {
      self->history_pos = -1;
      set_text (self, self->draft ? self->draft : "");
      g_clear_pointer (&self->draft, g_free);
      return;
    }
  set_text (self, g_ptr_array_index (self->history, self->history_pos));
}

guint
sc_input_line_cursor (ScInputLine *self)
{
  return self->cursor;
}

/* The part of the line to show in @width cells, scrolled so the cursor is visible;
 * control characters are shown as "?" (they are removed before sending anyway). */
char *
sc_input_line_visible (ScInputLine *self, guint width, guint *cursor_col)
{
  if (width < 2)
    width = 2;
  if (self->scroll > self->cursor)
    self->scroll = self->cursor;
  for (;;)
    {
      guint cols = 0;
      for (guint i = self->scroll; i < self->cursor; i++)
        cols += sc_char_width (g_array_index (self->chars, gunichar, i));
      if (cols < width || self->scroll >= self->cursor)
        {
          *cursor_col = cols;
          break;
        }
      self->scroll++;
    }

  GString *out = g_string_new (NULL);
  guint cols = 0;
  for (guint i = self->scroll; i < self->chars->len; i++)
    {
      gunichar c = g_array_index (self->chars, gunichar, i);
      if (!g_unichar_isprint (c) && !g_unichar_ismark (c))
        c = '?';
      guint w = sc_char_width (c);
      if (cols + w > width)
        break;
      g_string_append_unichar (out, c);
      cols += w;
    }
  return g_string_free (out, FALSE);
}
