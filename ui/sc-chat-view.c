/* sc-chat-view.c: see sc-chat-view.h. */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include <string.h>

#include "sc-chat-view.h"
#include "sc-text.h"
#include "sc-text-width.h"

typedef struct
{
  ScChatKind kind;
  char *prefix;   /* "12:04 alice: " or "12:04 " */
  char *text;
} Entry;

struct _ScChatView
{
  GQueue entries;
  guint max_entries;
  GPtrArray *rows;      /* cached layout */
  guint rows_width;     /* 0: stale */
};

static void
entry_free (Entry *e)
{
  g_free (e->prefix);
  g_free (e->text);
  g_free (e);
}

static void
row_free (ScChatRow *row)
{
  g_free (row->text);
  g_free (row);
}

ScChatView *
sc_chat_view_new (guint max_entries)
{
  ScChatView *self = g_new0 (ScChatView, 1);
  g_queue_init (&self->entries);
  self->max_entries = MAX (max_entries, 1);
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) row_free);
  return self;
}

void
sc_chat_view_free (ScChatView *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->entries, (GDestroyNotify) entry_free);
  g_ptr_array_unref (self->rows);
  g_free (self);
}

void
sc_chat_view_add_at (ScChatView *self, GDateTime *when, ScChatKind kind, const char *sender,
                     const char *text)
{
  Entry *e = g_new0 (Entry, 1);
  g_autofree char *clock = g_date_time_format (when, "%H:%M");
  g_autofree char *clean_sender = sender ? sc_text_sanitize (sender, SC_NAME_MAX_CHARS) : NULL;

  e->kind = kind;
  e->text = sc_text_sanitize (text, SC_CHAT_MAX_CHARS);
  if (kind == SC_CHAT_SEPARATOR || kind == SC_CHAT_PLAIN)
    e->prefix = g_strdup ("");
  else if (clean_sender)
    e->prefix = g_strdup_printf ("%s %s: ", clock, clean_sender);
  else
    e->prefix = g_strdup_printf ("%s ", clock);

  g_queue_push_tail (&self->entries, e);
  while (g_queue_get_length (&self->entries) > self->max_entries)
    entry_free (g_queue_pop_head (&self->entries));
  self->rows_width = 0;
}

void
sc_chat_view_add (ScChatView *self, ScChatKind kind, const char *sender, const char *text)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  sc_chat_view_add_at (self, now, kind, sender, text);
}

static void
add_row (ScChatView *self, ScChatKind kind, GString *text, guint prefix_len)
{
  ScChatRow *row = g_new0 (ScChatRow, 1);
  row->kind = kind;
  row->text = g_strdup (text->str);
  row->prefix_len = prefix_len;
  g_ptr_array_add (self->rows, row);
}

/* Word wrap: break at spaces where possible, inside a word only when the word alone is
 * wider than a row. Continuation rows are indented under the text. */
static void
layout_entry (ScChatView *self, const Entry *e, guint width)
{
  if (e->kind == SC_CHAT_SEPARATOR)
    {
      g_autofree char *name = g_strndup (e->text, sc_text_fit (e->text, width > 8 ? width - 8 : 0));
      guint used = sc_text_width (name) + 2;
      guint left = width > used ? (width - used) / 2 : 0;
      guint right = width > used + left ? width - used - left : 0;
      GString *row = g_string_new (NULL);
      for (guint i = 0; i < left; i++)
        g_string_append (row, "─");
      g_string_append_printf (row, " %s ", name);
      for (guint i = 0; i < right; i++)
        g_string_append (row, "─");
      add_row (self, e->kind, row, 0);
      g_string_free (row, TRUE);
      return;
    }

  guint prefix_cols = sc_text_width (e->prefix);
  guint indent = prefix_cols <= width / 2 ? prefix_cols : 2;
  GString *row = g_string_new (e->prefix);
  guint row_cols = prefix_cols;
  guint prefix_len = strlen (e->prefix);
  if (prefix_cols > width)
    {
      /* A name too wide for the row: cut it. */
      g_string_truncate (row, sc_text_fit (e->prefix, width));
      row_cols = sc_text_width (row->str);
      prefix_len = row->len;
    }

  const char *p = e->text;
  while (*p)
    {
      /* The next word and the spaces before it. */
      const char *word = p;
      while (*word == ' ')
        word++;
      const char *end = word;
      while (*end && *end != ' ')
        end = g_utf8_next_char (end);
      g_autofree char *piece = g_strndup (p, end - p);
      guint piece_cols = sc_text_width (piece);

      if (row_cols + piece_cols <= width)
        {
          g_string_append (row, piece);
          row_cols += piece_cols;
          p = end;
          continue;
        }
      if (row_cols > indent)
        {
          /* Start a new row with this word (dropping the spaces at the break). */
          add_row (self, e->kind, row, prefix_len);
          prefix_len = 0;
          g_string_truncate (row, 0);
          for (guint i = 0; i < indent; i++)
            g_string_append_c (row, ' ');
          row_cols = indent;
          p = word;
          continue;
        }
      /* The word alone is too wide: break it where the row ends. */
      gsize fit = sc_text_fit (p, width - row_cols);
      if (fit == 0)
        fit = g_utf8_next_char (p) - p;   /* a wide char in a 1-column gap: never stall */
      g_string_append_len (row, p, fit);
      add_row (self, e->kind, row, prefix_len);
      prefix_len = 0;
      g_string_truncate (row, 0);
      for (guint i = 0; i < indent; i++)
        g_string_append_c (row, ' ');
      row_cols = indent;
      p += fit;
    }
  if (row_cols > indent || self->rows->len == 0 || prefix_len > 0)
    add_row (self, e->kind, row, prefix_len);
  g_string_free (row, TRUE);
}

GPtrArray *
sc_chat_view_layout (ScChatView *self, guint width)
{
  if (width == 0)
    width = 1;
  if (self->rows_width == width)
    return self->rows;
  g_ptr_array_set_size (self->rows, 0);
  for (GList *l = self->entries.head; l; l = l->next)
    layout_entry (self, l->data, width);
  self->rows_width = width;
  return self->rows;
}

guint
sc_chat_view_n_entries (ScChatView *self)
{
  return g_queue_get_length (&self->entries);
}
