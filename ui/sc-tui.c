/* sc-tui.c: see sc-tui.h.
 *
 * Screen layout, top to bottom: the status bar; the main area (the peer's video on the
 * left when it is shown in the terminal, the chat on the right or across); a line of key
 * hints; the input line. Everything is redrawn from the model on each change and
 * ncurses sends only what changed. The video area is never drawn by ncurses: the video
 * renderer paints it around ncurses (sc-term-video.h).
 */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include <curses.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "sc-chat-view.h"
#include "sc-command.h"
#include "sc-input-line.h"
#include "sc-term-video.h"
#include "sc-terminal-guard.h"
#include "sc-text.h"
#include "sc-text-width.h"
#include "sc-theme.h"
#include "sc-tui.h"


struct _ScTui
{
  GObject parent_instance;

  ScCore *core;                 /* unowned: the program owns both */
  ScKeymap *keymap;
  gboolean truecolor;
  ScTermGraphics graphics_wanted;   /* --terminal-graphics */
  ScTermGraphics graphics;          /* what is drawn with, once started */
  ScTermReplies replies;            /* what the terminal said at start */
  guint pane_top, pane_left;        /* under tmux: the pane's place in the terminal */
  ScChatView *chat;
  ScInputLine *input;
  ScTermVideo *video;
  gboolean started;

  guint stdin_watch;
  guint winch_watch;
  guint tick;

  /* What the status bar shows. */
  char *state_text;
  gint64 state_since_us;
  gboolean show_clock;
  gboolean waiting;             /* in the lobby: the clock counts the wait */

  guint scroll;                 /* chat rows scrolled back from the bottom */
  gboolean repaint;             /* ncurses repaints the whole screen at the next refresh */
  gboolean help_visible;
  gboolean too_small;
  gboolean have_video_area;
  guint video_top, video_left, video_cols, video_rows;
  ScVideoFrame *last_frame;
  guint frames_painted;         /* for the log line that benchmarks read */
  gint64 frames_since_us;
  char *last_error;             /* shown on the real stderr after the screen is restored */
};

static void sc_tui_frontend_init (ScFrontendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScTui, sc_tui, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SC_TYPE_FRONTEND, sc_tui_frontend_init))

/* ---- Drawing helpers ---------------------------------------------------------------- */

/* The next refresh repaints every cell, the video area's too: the renderer must then
 * draw the whole picture again. */
static void
force_repaint (ScTui *self)
{
  clearok (curscr, TRUE);
  self->repaint = TRUE;
}

/* Draws UTF-8 @text at (@y, @x), cut to @cols cells. */
static void
put (int y, int x, const char *text, guint cols)
{
  gsize fit = sc_text_fit (text, cols);
  g_autofree char *cut = g_strndup (text, fit);
  mvaddstr (y, x, cut);
}

static void
fill_row (int y, int x, guint cols)
{
  move (y, x);
  for (guint i = 0; i < cols; i++)
    addch (' ');
}

static char *
format_clock (gint64 since_us)
{
  gint64 s = (g_get_monotonic_time () - since_us) / G_USEC_PER_SEC;
  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", s / 3600, (int) (s / 60 % 60), (int) (s % 60));
  return g_strdup_printf ("%02d:%02d", (int) (s / 60), (int) (s % 60));
}

/* One word for the way the call goes (the connected event's path): through the relay,
 * or straight between the two. */
static const char *
path_text (const ScIcePath *path)
{
  gboolean local = g_strcmp0 (path->local, "relay") == 0;
  if (local || g_strcmp0 (path->remote, "relay") == 0)
    return local && g_strcmp0 (path->protocol, "tcp") == 0 ? _("relay over TCP") : _("relay");
  return _("direct");
}

/* The call's connection quality, from the core's latest reading; NULL before one. */
static char *
quality_text (ScCore *core)
{
  ScCallStats st;
  if (!sc_core_get_stats (core, &st))
    return NULL;
  double loss = (gint64) (st.loss_percent * 10 + 0.5) / 10.0;
  if (st.rtt_ms >= 0)
    return g_strdup_printf (_("RTT %d ms ↓%d ↑%d kb/s loss %.1f%%"), (int) (st.rtt_ms + 0.5),
                            (int) (st.kbps_in + 0.5), (int) (st.kbps_out + 0.5), loss);
  return g_strdup_printf (_("↓%d ↑%d kb/s loss %.1f%%"), (int) (st.kbps_in + 0.5),
                          (int) (st.kbps_out + 0.5), loss);
}

static void
draw_status (ScTui *self)
{
  g_autofree char *clock = self->show_clock ? format_clock (self->state_since_us) : NULL;
  g_autofree char *left = clock ? g_strdup_printf (" showcast │ %s │ %s", self->state_text, clock)
                                : g_strdup_printf (" showcast │ %s", self->state_text);
  g_autofree char *devices = g_strdup_printf (
    "%s │ %s │ %s ",
    !sc_core_has_microphone (self->core) ? _("no mic")
    : sc_core_get_mic_muted (self->core) ? _("mic off") : _("mic on"),
    !sc_core_has_camera (self->core) ? _("no camera")
    : sc_core_get_camera_on (self->core) ? _("camera on") : _("camera off"),
    sc_core_get_video_mode (self->core));
  /* The state comes first; connection quality only where it fits. */
  g_autofree char *quality = quality_text (self->core);
  g_autofree char *right = quality ? g_strdup_printf ("%s │ %s", quality, devices)
                                   : g_strdup (devices);
  guint left_cols = sc_text_width (left);
  if (left_cols + 1 + sc_text_width (right) > (guint) COLS)
    {
      g_free (right);
      right = g_strdup (devices);
    }
  guint right_cols = sc_text_width (right);
  if (left_cols + 1 + right_cols > (guint) COLS)
    right_cols = 0;

  attron (sc_theme_attr (SC_THEME_STATUS));
  fill_row (0, 0, COLS);
  put (0, 0, left, COLS - right_cols);
  if (right_cols)
    put (0, COLS - right_cols, right, right_cols);
  attroff (sc_theme_attr (SC_THEME_STATUS));
}

static void
draw_chat (ScTui *self, int top, int left, guint cols, guint rows)
{
  GPtrArray *lines = sc_chat_view_layout (self->chat, cols);
  guint max_scroll = lines->len > rows ? lines->len - rows : 0;
  if (self->scroll > max_scroll)
    self->scroll = max_scroll;
  guint end = lines->len - self->scroll;
  guint start = end > rows ? end - rows : 0;

  for (guint i = start; i < end; i++)
    {
      ScChatRow *row = g_ptr_array_index (lines, i);
      int y = top + (int) (i - start) + (int) (rows - MIN (rows, end - start));
      attr_t attr = row->kind == SC_CHAT_SYSTEM ? sc_theme_attr (SC_THEME_SYSTEM)
                    : row->kind == SC_CHAT_ERROR ? sc_theme_attr (SC_THEME_ERROR)
                    : row->kind == SC_CHAT_SEPARATOR ? sc_theme_attr (SC_THEME_SEPARATOR)
                    : A_NORMAL;
      attron (attr);
      if (row->prefix_len > 0 && (row->kind == SC_CHAT_PEER || row->kind == SC_CHAT_SELF))
        {
          g_autofree char *prefix = g_strndup (row->text, row->prefix_len);
          attr_t name = sc_theme_attr (row->kind == SC_CHAT_SELF ? SC_THEME_SELF : SC_THEME_PEER);
          attron (name);
          put (y, left, prefix, cols);
          attroff (name);
          put (y, left + (int) sc_text_width (prefix), row->text + row->prefix_len,
               cols - MIN (cols, sc_text_width (prefix)));
        }
      else
        put (y, left, row->text, cols);
      attroff (attr);
    }
  if (self->scroll > 0)
    {
      g_autofree char *more = g_strdup_printf (_(" ↓ %u more "), self->scroll);
      attron (A_REVERSE);
      put (top + (int) rows - 1, left + (int) cols - (int) MIN (cols, sc_text_width (more)), more, cols);
      attroff (A_REVERSE);
    }
}

static char *
hints_text (ScTui *self)
{
  /* Built from the keymap, so rebinding shows here too. */
  static const char *const wanted[] = { "next", "help", "mute", "camera", "video cycle", "self",
                                        "quit" };
  static const char *const labels[] = { N_("next"), N_("help"), N_("mic"), N_("camera"),
                                        N_("video"), N_("self-view"), N_("quit") };
  GString *out = g_string_new (" ");
  GPtrArray *list = sc_keymap_list (self->keymap);
  for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
    for (guint i = 0; i < list->len; i++)
      {
        ScBinding *b = g_ptr_array_index (list, i);
        if (g_str_equal (b->command, wanted[w]))
          {
            g_string_append_printf (out, "%s %s  ", b->key, _(labels[w]));
            break;
          }
      }
  return g_string_free (out, FALSE);
}

static void
draw_help (ScTui *self)
{
  guint n;
  const ScCommand *commands = sc_command_table (&n);
  GPtrArray *keys = sc_keymap_list (self->keymap);
  guint rows = MIN ((guint) LINES - 2, keys->len + n + 9);
  guint cols = MIN ((guint) COLS - 4, 76);
  int top = (LINES - (int) rows) / 2, left = (COLS - (int) cols) / 2;

  attron (A_REVERSE);
  for (guint r = 0; r < rows; r++)
    fill_row (top + (int) r, left, cols);
  int y = top + 1;
  put (y++, left + 2, _("showcast — keys and commands (any key closes this)"), cols - 4);
  y++;
  for (guint i = 0; i < keys->len && y < top + (int) rows - 1; i++)
    {
      ScBinding *b = g_ptr_array_index (keys, i);
      g_autofree char *line = g_strdup_printf ("%-10s %s", b->key, b->command);
      put (y++, left + 2, line, cols - 4);
    }
  put (y++, left + 2, _("Arrows, Home, End, Backspace, Delete edit the line; Up/Down: history"),
       cols - 4);
  y++;
  for (guint i = 0; i < n && y < top + (int) rows - 1; i++)
    {
      g_autofree char *line = g_strdup_printf ("%-26s %s", commands[i].typed, _(commands[i].summary));
      put (y++, left + 2, line, cols - 4);
    }
  attroff (A_REVERSE);
}

/* Writes video escape sequences through stdout's buffer, after ncurses' own output. */
static void
write_video (GString *out)
{
  if (out->len == 0)
    return;
  fwrite (out->str, 1, out->len, stdout);
  fflush (stdout);
}

static void
paint_video (ScTui *self)
{
  if (!self->have_video_area)
    return;
  if (self->help_visible || self->too_small)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      sc_term_video_hide (self->video, out);
      write_video (out);
      return;
    }
  g_autoptr(GString) out = g_string_new (NULL);
  if (self->last_frame)
    {
      sc_term_video_render (self->video, self->last_frame, out);
      self->frames_painted++;
    }
  else
    sc_term_video_render_blank (self->video, out);
  write_video (out);

  gint64 now = g_get_monotonic_time ();
  if (self->frames_since_us == 0)
    self->frames_since_us = now;
  else if (now - self->frames_since_us >= 5 * G_USEC_PER_SEC)
    {
      g_debug ("terminal video: %.1f fps at %ux%u cells", self->frames_painted * 1e6 /
               (now - self->frames_since_us), self->video_cols, self->video_rows);
      self->frames_painted = 0;
      self->frames_since_us = now;
    }
}

/* The size of a cell in pixels: the kernel's window size where the terminal fills in
 * its pixels, else what the terminal answered at start. FALSE: not known. */
static gboolean
cell_pixels (ScTui *self, guint *width, guint *height)
{
  struct winsize ws;
  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_xpixel > 0 && ws.ws_ypixel > 0 &&
      ws.ws_col > 0 && ws.ws_row > 0)
    {
      *width = ws.ws_xpixel / ws.ws_col;
      *height = ws.ws_ypixel / ws.ws_row;   /* rounded down: an image never spills */
      return *width > 0 && *height > 0;
    }
  if (self->replies.cell_width && self->replies.cell_height)
    {
      *width = self->replies.cell_width;
      *height = self->replies.cell_height;
      return TRUE;
    }
  if (self->replies.window_width && self->replies.window_height && COLS > 0 && LINES > 0)
    {
      *width = self->replies.window_width / (guint) COLS;
      *height = self->replies.window_height / (guint) LINES;
      return *width > 0 && *height > 0;
    }
  return FALSE;
}

static void
request_video_size (ScTui *self)
{
  guint cell_width = 0, cell_height = 0;
  ScTermGraphics mode = self->graphics;
  if (mode != SC_TERM_GRAPHICS_BLOCKS && !cell_pixels (self, &cell_width, &cell_height))
    {
      /* Asked for by name: assume the common 8×16; found by asking: half blocks. */
      if (self->graphics_wanted == mode)
        cell_width = 8, cell_height = 16;
      else
        mode = SC_TERM_GRAPHICS_BLOCKS;
    }
  sc_term_video_set_graphics (self->video, mode, cell_width, cell_height,
                              self->replies.colour_registers);
  sc_term_video_set_shared_memory (self->video, self->replies.kitty_shm);
  sc_term_video_set_tmux_passthrough (self->video, self->replies.through_tmux,
                                      self->pane_top, self->pane_left);
  ScVideoTarget target;
  sc_term_video_get_target (self->video, self->truecolor, &target);
  sc_core_set_video_target (self->core, &target);
}

static void
redraw (ScTui *self)
{
  if (!self->started)
    return;
  erase ();
  self->too_small = COLS < SC_TUI_MIN_COLS || LINES < SC_TUI_MIN_ROWS;
  if (self->too_small)
    {
      g_autofree char *text = g_strdup_printf (_("showcast needs a terminal of at least %d×%d "
                                                 "(this one is %d×%d)."),
                                               SC_TUI_MIN_COLS, SC_TUI_MIN_ROWS, COLS, LINES);
      g_autoptr(ScChatView) wrap = sc_chat_view_new (1);
      sc_chat_view_add (wrap, SC_CHAT_PLAIN, NULL, text);
      GPtrArray *rows = sc_chat_view_layout (wrap, MAX (COLS, 10));
      for (guint i = 0; i < rows->len; i++)
        put (LINES / 2 - 1 + (int) i, 0, ((ScChatRow *) g_ptr_array_index (rows, i))->text, COLS);
      refresh ();
      return;
    }

  draw_status (self);

  int main_top = 1;
  guint main_rows = LINES - 3;
  gboolean video = g_strcmp0 (sc_core_get_video_mode (self->core), "terminal") == 0;
  guint video_cols = video ? (guint) COLS * 11 / 20 : 0;   /* 55 % */
  if (video)
    {
      /* Keep to the area the renderer knows; a change of area repaints all of it. */
      if (!self->have_video_area || self->video_cols != video_cols || self->video_rows != main_rows ||
          self->video_top != (guint) main_top)
        {
          self->video_top = main_top;
          self->video_left = 0;
          self->video_cols = video_cols;
          self->video_rows = main_rows;
          sc_term_video_set_area (self->video, main_top, 0, video_cols, main_rows);
          request_video_size (self);
          force_repaint (self);
        }
      self->have_video_area = TRUE;
      /* ncurses believes the video area holds black half blocks, which it never needs
       * to change: so it never writes there, nor clears there to save bytes. */
      attron (sc_theme_attr (SC_THEME_VIDEO));
      for (guint r = 0; r < main_rows; r++)
        for (guint c = 0; c < video_cols; c++)
          mvaddstr (main_top + (int) r, (int) c, "▀");
      attroff (sc_theme_attr (SC_THEME_VIDEO));
      for (guint r = 0; r < main_rows; r++)
        mvaddstr (main_top + (int) r, video_cols, "│");
    }
  else if (self->have_video_area)
    {
      self->have_video_area = FALSE;
      g_autoptr(GString) out = g_string_new (NULL);
      sc_term_video_hide (self->video, out);
      write_video (out);
      force_repaint (self);   /* ncurses repaints the cells the video used */
    }

  guint chat_left = video ? video_cols + 2 : 1;
  draw_chat (self, main_top, chat_left, COLS - chat_left - 1, main_rows);

  g_autofree char *hints = hints_text (self);
  attron (sc_theme_attr (SC_THEME_HINT));
  fill_row (LINES - 2, 0, COLS);
  put (LINES - 2, 0, hints, COLS);
  attroff (sc_theme_attr (SC_THEME_HINT));

  guint cursor_col = 0;
  g_autofree char *visible = sc_input_line_visible (self->input, COLS - 3, &cursor_col);
  attron (A_BOLD);
  mvaddstr (LINES - 1, 0, "› ");
  attroff (A_BOLD);
  put (LINES - 1, 2, visible, COLS - 3);

  if (self->help_visible)
    draw_help (self);

  move (LINES - 1, 2 + (int) cursor_col);
  refresh ();
  if (self->repaint)
    {
      self->repaint = FALSE;
      sc_term_video_invalidate (self->video);
    }
  if (video)
    paint_video (self);
}

/* ---- Events ------------------------------------------------------------------------ */

static void
set_state (ScTui *self, const char *text, gboolean clock)
{
  self->waiting = FALSE;
  g_free (self->state_text);
  self->state_text = g_strdup (text);
  self->state_since_us = g_get_monotonic_time ();
  self->show_clock = clock;
}

static void
system_line (ScTui *self, ScChatKind kind, const char *text)
{
  sc_chat_view_add (self->chat, kind, NULL, text);
}

/* Whole sentences, so that translations can order their words. */
static char *
peer_left_text (const char *peer, ScLeaveReason reason)
{
  if (reason == SC_LEAVE_NEXT)
    return g_strdup_printf (_("%s skipped to the next person."), peer);
  if (reason == SC_LEAVE_LEFT)
    return g_strdup_printf (_("%s left."), peer);
  return g_strdup_printf (_("%s lost the connection."), peer);
}

/* The peer's name as the panel shows it (sanitised), or a stand-in. */
static char *
shown_name (const char *name)
{
  return name ? sc_text_sanitize (name, SC_NAME_MAX_CHARS) : g_strdup ("?");
}

/* Events say what happened; what the panel shows of the state (peer, chat, devices,
 * quality) it reads from the core when it draws. */
static void
sc_tui_handle_event (ScFrontend *frontend, const ScEvent *event)
{
  ScTui *self = SC_TUI (frontend);

  switch (event->kind)
    {
    case SC_EVENT_SIGNED_IN:
      {
        g_autofree char *me = sc_text_sanitize (event->signed_in.name, SC_NAME_MAX_CHARS);
        g_autofree char *text = g_strdup_printf (_("Signed in as %s."), me);
        set_state (self, _("signed in"), FALSE);
        system_line (self, SC_CHAT_SYSTEM, text);
        break;
      }
    case SC_EVENT_WAITING:
      {
        g_autofree char *text = g_strdup_printf (_("waiting in the lobby (%d waiting)"),
                                                 (int) event->waiting.queue);
        gint64 since = self->state_since_us;
        gboolean was_waiting = self->waiting;
        set_state (self, text, TRUE);
        self->waiting = TRUE;
        if (was_waiting)
          self->state_since_us = since;   /* the queue changed; the wait did not restart */
        break;
      }
    case SC_EVENT_COOLDOWN:
      {
        /* The call ended; matching waits for the server's skip limit. */
        g_autofree char *text = g_strdup_printf (_("skipping fast: next match in %.1f s"),
                                                 event->cooldown.ms / 1000.0);
        set_state (self, text, FALSE);
        break;
      }
    case SC_EVENT_MATCHED:
      {
        g_autofree char *who = shown_name (event->matched.peer.name);
        g_autofree char *state = g_strdup_printf (_("matched with %s · connecting"), who);
        g_autofree char *text = g_strdup_printf (_("You are now talking to %s. Say hi!"), who);
        set_state (self, state, FALSE);
        sc_chat_view_add (self->chat, SC_CHAT_SEPARATOR, NULL, who);
        system_line (self, SC_CHAT_SYSTEM, text);
        if (event->matched.common && event->matched.common[0])
          {
            /* Made safe by the core (sc_text_sanitize), as names are. */
            g_autofree char *liked = g_strjoinv (", ", event->matched.common);
            g_autofree char *line = g_strdup_printf (_("You both like: %s"), liked);
            system_line (self, SC_CHAT_SYSTEM, line);
          }
        g_clear_pointer (&self->last_frame, sc_video_frame_free);
        sc_term_video_invalidate (self->video);
        self->scroll = 0;
        break;
      }
    case SC_EVENT_CONNECTED:
      {
        g_autofree char *who = shown_name (sc_core_get_peer_name (self->core));
        const char *way = event->connected.has_path ? path_text (&event->connected.path) : NULL;
        g_autofree char *state = way ? g_strdup_printf (_("in call with %s · %s"), who, way)
                                     : g_strdup_printf (_("in call with %s"), who);
        set_state (self, state, TRUE);
        break;
      }
    case SC_EVENT_CHAT:
      sc_chat_view_add (self->chat, SC_CHAT_PEER, event->chat.from, event->chat.text);
      self->scroll = 0;
      break;
    case SC_EVENT_SAID:
      sc_chat_view_add (self->chat, SC_CHAT_SELF, _("you"), event->said.text);
      self->scroll = 0;
      break;
    case SC_EVENT_PEER_LEFT:
      {
        g_autofree char *who = event->peer_left.peer.name
                               ? sc_text_sanitize (event->peer_left.peer.name, SC_NAME_MAX_CHARS)
                               : g_strdup (_("Your peer"));
        g_autofree char *text = peer_left_text (who, event->peer_left.reason);
        system_line (self, SC_CHAT_SYSTEM, text);
        g_clear_pointer (&self->last_frame, sc_video_frame_free);
        break;
      }
    case SC_EVENT_MUTE:
      system_line (self, SC_CHAT_SYSTEM, event->mute.on ? _("Microphone muted.") : _("Microphone on."));
      break;
    case SC_EVENT_CAMERA:
      system_line (self, SC_CHAT_SYSTEM, event->camera.on ? _("Camera on.")
                                                           : _("Camera off: your peer sees black."));
      break;
    case SC_EVENT_SELF_VIEW:
      system_line (self, SC_CHAT_SYSTEM, event->self_view.on ? _("Self-view on.")
                                                              : _("Self-view off."));
      break;
    case SC_EVENT_INTERESTS:
      {
        g_autofree char *list = g_strjoinv (", ", event->interests.list);
        g_autofree char *line = *list ? g_strdup_printf (_("Your interests, from the next match: %s"), list)
                                      : g_strdup (_("No interests: you meet anyone."));
        system_line (self, SC_CHAT_SYSTEM, line);
        break;
      }
    case SC_EVENT_REPORTED:
      {
        g_autofree char *who = shown_name (event->reported.peer.name);
        g_autofree char *text = g_strdup_printf (_("You reported %s. You will not meet again."), who);
        system_line (self, SC_CHAT_SYSTEM, text);
        g_clear_pointer (&self->last_frame, sc_video_frame_free);
        break;
      }
    case SC_EVENT_HELP:
      self->help_visible = TRUE;
      break;
    case SC_EVENT_ERROR:
      {
        g_autofree char *text = g_strdup_printf (_("Error: %s"), event->error.message);
        system_line (self, SC_CHAT_ERROR, text);
        g_free (self->last_error);
        self->last_error = sc_text_sanitize (event->error.message, 0);
        break;
      }
    case SC_EVENT_RECONNECTING:
      {
        /* The call, if any, goes on peer to peer; only the lobby is out of reach. */
        g_autofree char *text = g_strdup_printf (
          _("Lost the server; reconnecting in %d s (attempt %d)…"),
          (int) ((event->reconnecting.in_ms + 500) / 1000), (int) event->reconnecting.attempt);
        system_line (self, SC_CHAT_SYSTEM, text);
        break;
      }
    case SC_EVENT_RECONNECTED:
      system_line (self, SC_CHAT_SYSTEM, event->reconnected.resumed
                                           ? _("Back on the server; nothing was lost.")
                                           : _("Back on the server with a new session."));
      break;
    case SC_EVENT_CHAT_OPEN:
    case SC_EVENT_STATS:
    case SC_EVENT_VIDEO:
      break;   /* drawn from the core's state */
    default:
      return;  /* first-frame, status, bye…: nothing to draw */
    }

  redraw (self);
}

static void
sc_tui_video_frame (ScFrontend *frontend, const ScVideoFrame *frame)
{
  ScTui *self = SC_TUI (frontend);
  if (!self->started)
    return;
  g_clear_pointer (&self->last_frame, sc_video_frame_free);
  self->last_frame = g_new0 (ScVideoFrame, 1);
  *self->last_frame = *frame;
  self->last_frame->data = g_bytes_ref (frame->data);
  paint_video (self);
}

static void
sc_tui_frontend_init (ScFrontendInterface *iface)
{
  iface->handle_event = sc_tui_handle_event;
  iface->video_frame = sc_tui_video_frame;
}

/* ---- Input --------------------------------------------------------------------------- */

static void
run_request (ScTui *self, JsonObject *request)
{
  g_autoptr(GError) error = NULL;
  if (!sc_command_run (self->core, request, &error))
    system_line (self, SC_CHAT_ERROR, error->message);
}

/* /redraw and /scroll: commands of the one table that only the view can carry out. */
static void
on_view_request (ScCore *core, const char *what, gpointer data)
{
  ScTui *self = data;
  guint page = MAX (1, LINES - 5);
  if (g_str_equal (what, "scroll-up"))
    self->scroll += page;
  else if (g_str_equal (what, "scroll-down"))
    self->scroll = self->scroll > page ? self->scroll - page : 0;
  else if (g_str_equal (what, "redraw"))
    force_repaint (self);
}

/* A bound command line, run as typed ("scroll up" is /scroll up). */
static void
run_binding (ScTui *self, const char *command)
{
  g_autofree char *line = g_strconcat ("/", command, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = sc_command_parse_typed (line, &error);
  if (request == NULL)
    system_line (self, SC_CHAT_ERROR, error->message);
  else
    run_request (self, request);
}

static void
submit_line (ScTui *self)
{
  g_autofree char *line = sc_input_line_text (self->input);
  if (*line == '\0')
    return;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = sc_command_parse_typed (line, &error);
  if (request == NULL || !sc_command_run (self->core, request, &error))
    {
      /* Refused (too long, not in a call…): say why and keep the line to edit. */
      system_line (self, SC_CHAT_ERROR, error->message);
      return;
    }
  /* Taken before the chat is open: the core holds it, and it shows as said when it goes. */
  if (!sc_core_get_chat_open (self->core) && g_strcmp0 (json_object_get_string_member_with_default (request, "cmd", NULL), "say") == 0)
    system_line (self, SC_CHAT_SYSTEM, _("Not connected yet: your line goes when the chat opens."));
  sc_input_line_commit (self->input);
}

static void
handle_key (ScTui *self, int result, wint_t ch)
{
  gboolean is_key = result == KEY_CODE_YES;

  if (is_key && ch == KEY_RESIZE)
    return;
  if (self->help_visible)
    {
      self->help_visible = FALSE;
      force_repaint (self);
      return;
    }

  ScKey key = { (int) ch, is_key };
  const char *command = sc_keymap_lookup (self->keymap, key);
  if (command)
    {
      run_binding (self, command);
      return;
    }

  if (is_key)
    switch (ch)
      {
      case KEY_LEFT: sc_input_line_left (self->input); return;
      case KEY_RIGHT: sc_input_line_right (self->input); return;
      case KEY_HOME: sc_input_line_home (self->input); return;
      case KEY_END: sc_input_line_end (self->input); return;
      case KEY_BACKSPACE: sc_input_line_backspace (self->input); return;
      case KEY_DC: sc_input_line_delete (self->input); return;
      case KEY_UP: sc_input_line_history_up (self->input); return;
      case KEY_DOWN: sc_input_line_history_down (self->input); return;
      case KEY_ENTER: submit_line (self); return;
      default: return;
      }

  switch (ch)
    {
    case '\r':
    case '\n':
      submit_line (self);
      return;
    case 127:
    case 8:
      sc_input_line_backspace (self->input);
      return;
    case 1:  /* C-a and C-e, as in a shell, unless rebound above */
      sc_input_line_home (self->input);
      return;
    case 5:
      sc_input_line_end (self->input);
      return;
    default:
      if (ch >= 32 && g_unichar_validate (ch) && !sc_input_line_insert (self->input, ch))
        beep ();
    }
}

static gboolean
on_stdin (gint fd, GIOCondition condition, gpointer data)
{
  ScTui *self = data;
  wint_t ch;
  int result;
  gboolean any = FALSE;

  while ((result = get_wch (&ch)) != ERR)
    {
      handle_key (self, result, ch);
      any = TRUE;
      if (!self->started)
        return G_SOURCE_REMOVE;
    }
  if (any)
    redraw (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_winch (gpointer data)
{
  ScTui *self = data;
  /* Let ncurses learn the new size, then lay everything out again. */
  endwin ();
  refresh ();
  self->have_video_area = FALSE;
  force_repaint (self);
  redraw (self);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (gpointer data)
{
  ScTui *self = data;
  if (self->show_clock && !self->too_small && !self->help_visible)
    redraw (self);
  return G_SOURCE_CONTINUE;
}

gboolean
sc_tui_start (ScTui *self, GError **error)
{
  sc_terminal_guard_install (STDOUT_FILENO);
  /* What the terminal can draw: asked before ncurses takes the screen. */
  self->graphics = self->graphics_wanted;
  if (self->graphics == SC_TERM_GRAPHICS_AUTO)
    {
      gint64 start = g_get_monotonic_time ();
      sc_term_probe_run (STDIN_FILENO, STDOUT_FILENO, SC_TERM_PROBE_BUDGET_MS, &self->replies);
      self->graphics = sc_term_probe_choose (&self->replies);
      g_info ("terminal graphics: %s (terminal “%s”, %s, sixel %s, kitty %s, shared memory %s, "
              "%u colour registers, cell %ux%u px; asked in %.0f ms)",
              sc_term_graphics_to_string (self->graphics), self->replies.name,
              self->replies.da1 ? "answered" : "no answer", self->replies.sixel ? "yes" : "no",
              self->replies.kitty ? "yes" : "no", self->replies.kitty_shm ? "yes" : "no",
              self->replies.colour_registers,
              self->replies.cell_width, self->replies.cell_height,
              (g_get_monotonic_time () - start) / 1000.0);
    }
  else
    g_info ("terminal graphics: %s (chosen)", sc_term_graphics_to_string (self->graphics));
  if (self->replies.through_tmux)
    {
      /* Pictures go to the terminal around tmux: where is this pane in it? */
      g_autofree char *where = NULL;
      const char *argv[] = { "tmux", "display-message", "-p", "#{pane_top} #{pane_left}", NULL };
      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                        NULL, NULL, &where, NULL, NULL, NULL) && where)
        sscanf (where, "%u %u", &self->pane_top, &self->pane_left);
      g_info ("terminal graphics: through tmux, the pane at row %u, column %u",
              self->pane_top, self->pane_left);
    }
  if (initscr () == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot start the terminal interface."));
      return FALSE;
    }
  raw ();                 /* Ctrl-C and Ctrl-Q are keys here, not signals */
  noecho ();
  nonl ();
  keypad (stdscr, TRUE);
  nodelay (stdscr, TRUE);
  /* No terminal scrolling or line insertion: they would move the video's cells, which
   * ncurses does not know about. */
  idlok (stdscr, FALSE);
  scrollok (stdscr, FALSE);
  set_escdelay (25);
  sc_theme_start (sc_theme_choose (g_getenv ("NO_COLOR"), sc_theme_terminal_colors ()));
  self->started = TRUE;
  self->stdin_watch = g_unix_fd_add (STDIN_FILENO, G_IO_IN, on_stdin, self);
  self->winch_watch = g_unix_signal_add (SIGWINCH, on_winch, self);
  self->tick = g_timeout_add_seconds (1, on_tick, self);
  redraw (self);
  return TRUE;
}

const char *
sc_tui_get_last_error (ScTui *self)
{
  return self->last_error;
}

/* Gives the terminal back as it was. Idempotent. */
void
sc_tui_stop (ScTui *self)
{
  if (!self->started)
    return;
  self->started = FALSE;
  g_clear_handle_id (&self->stdin_watch, g_source_remove);
  g_clear_handle_id (&self->winch_watch, g_source_remove);
  g_clear_handle_id (&self->tick, g_source_remove);
  endwin ();
}

static void
sc_tui_dispose (GObject *object)
{
  ScTui *self = SC_TUI (object);
  sc_tui_stop (self);
  if (self->core)
    g_signal_handlers_disconnect_by_data (self->core, self);
  self->core = NULL;
  G_OBJECT_CLASS (sc_tui_parent_class)->dispose (object);
}

static void
sc_tui_finalize (GObject *object)
{
  ScTui *self = SC_TUI (object);
  sc_keymap_free (self->keymap);
  sc_chat_view_free (self->chat);
  sc_input_line_free (self->input);
  sc_term_video_free (self->video);
  g_clear_pointer (&self->last_frame, sc_video_frame_free);
  g_free (self->state_text);
  g_free (self->last_error);
  G_OBJECT_CLASS (sc_tui_parent_class)->finalize (object);
}

static void
sc_tui_class_init (ScTuiClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->dispose = sc_tui_dispose;
  object_class->finalize = sc_tui_finalize;
}

static void
sc_tui_init (ScTui *self)
{
  self->chat = sc_chat_view_new (1000);
  self->input = sc_input_line_new ();
  self->video = sc_term_video_new ();
  self->state_text = g_strdup (_("connecting"));
  self->state_since_us = g_get_monotonic_time ();
}

ScTui *
sc_tui_new (ScCore *core, ScKeymap *keymap, gboolean truecolor, ScTermGraphics graphics)
{
  ScTui *self = g_object_new (SC_TYPE_TUI, NULL);
  self->core = core;
  self->keymap = keymap;
  self->truecolor = truecolor;
  self->graphics_wanted = graphics;
  g_signal_connect (core, "view-request", G_CALLBACK (on_view_request), self);
  return self;
}
