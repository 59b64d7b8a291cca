/* sc-tui.h: the full-screen terminal panel (ncursesw): status bar, remote video in the
 * terminal, chat, input line, help overlay. A front end like the headless one: it draws
 * the core's events and turns keys and typed lines into commands from the one table. */
#pragma once

#include <glib-object.h>

#include "sc-core.h"
#include "sc-term-probe.h"
#include "sc-frontend.h"
#include "sc-keymap.h"

G_BEGIN_DECLS

#define SC_TUI_MIN_COLS 80
#define SC_TUI_MIN_ROWS 24

#define SC_TYPE_TUI (sc_tui_get_type ())
G_DECLARE_FINAL_TYPE (ScTui, sc_tui, SC, TUI, GObject)

/* @keymap: (transfer full) */
ScTui    *sc_tui_new   (ScCore    *core,
                        ScKeymap  *keymap,
                        gboolean   truecolor,
                        ScTermGraphics graphics);
gboolean  sc_tui_start (ScTui     *self,
                        GError   **error);
void      sc_tui_stop  (ScTui     *self);
const char *sc_tui_get_last_error (ScTui *self);

G_END_DECLS
