/* sc-chat-view.h: the chat's scrollback as a model: entries with time, sender and text,
 * laid out into display rows for a given width (word wrap by display width). Drawing
 * them is the panel's job; text is sanitised here, on the way in. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SC_CHAT_PEER,        /* the peer said something */
  SC_CHAT_SELF,        /* we said something */
  SC_CHAT_SYSTEM,      /* matched, peer left, … */
  SC_CHAT_ERROR,
  SC_CHAT_SEPARATOR,   /* a new peer: the text is their name */
  SC_CHAT_PLAIN,       /* wrapped text without time or sender */
} ScChatKind;

typedef struct
{
  ScChatKind kind;
  char *text;          /* one display row, sanitised */
  guint prefix_len;    /* bytes of text that are "HH:MM sender:" (drawn in colour) */
} ScChatRow;

typedef struct _ScChatView ScChatView;

ScChatView *sc_chat_view_new    (guint        max_entries);
void        sc_chat_view_free   (ScChatView  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScChatView, sc_chat_view_free)

void        sc_chat_view_add    (ScChatView  *self,
                                 ScChatKind   kind,
                                 const char  *sender,
                                 const char  *text);
void        sc_chat_view_add_at (ScChatView  *self,
                                 GDateTime   *when,
                                 ScChatKind   kind,
                                 const char  *sender,
                                 const char  *text);
/* Display rows for @width columns, oldest first. Owned by the view; valid until the
 * next add or layout. */
GPtrArray  *sc_chat_view_layout (ScChatView  *self,
                                 guint        width);
guint       sc_chat_view_n_entries (ScChatView *self);

G_END_DECLS
