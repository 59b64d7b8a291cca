/* sc-input-line.h: the line the user types into: editing, cursor, history. A model,
 * with no drawing: sc_input_line_visible says what part to show. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SC_INPUT_MAX_CHARS 4000
#define SC_INPUT_HISTORY 100

typedef struct _ScInputLine ScInputLine;

ScInputLine *sc_input_line_new        (void);
void         sc_input_line_free       (ScInputLine *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScInputLine, sc_input_line_free)

gboolean     sc_input_line_insert     (ScInputLine *self,
                                       gunichar     c);
void         sc_input_line_left       (ScInputLine *self);
void         sc_input_line_right      (ScInputLine *self);
void         sc_input_line_home       (ScInputLine *self);
void         sc_input_line_end        (ScInputLine *self);
void         sc_input_line_backspace  (ScInputLine *self);
void         sc_input_line_delete     (ScInputLine *self);
void         sc_input_line_history_up   (ScInputLine *self);
void         sc_input_line_history_down (ScInputLine *self);
char        *sc_input_line_text       (ScInputLine *self);
void         sc_input_line_commit     (ScInputLine *self);
guint        sc_input_line_cursor     (ScInputLine *self);
char        *sc_input_line_visible    (ScInputLine *self,
                                       guint        width,
                                       guint       *cursor_col);

G_END_DECLS
