/* sc-term-probe.h: asking the terminal what it can draw, at start, before ncurses takes
 * the screen: kitty's graphics query (a=q), XTVERSION, the cell and window size in
 * pixels, the sixel colour registers (XTSMGRAPHICS), and DA1 last, which every terminal
 * answers: its "4" means sixel, and its arrival ends the wait. Whatever has not come
 * within the budget (250 ms) is taken as "no"; garbage is skipped. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How long the panel waits for the terminal's answers at start. */
#define SC_TERM_PROBE_BUDGET_MS 250

typedef enum
{
  SC_TERM_GRAPHICS_AUTO,     /* ask the terminal */
  SC_TERM_GRAPHICS_BLOCKS,   /* half blocks: two pixels a cell, any terminal */
  SC_TERM_GRAPHICS_SIXEL,
  SC_TERM_GRAPHICS_KITTY,
} ScTermGraphics;

typedef struct
{
  gboolean kitty;            /* answered the kitty graphics query */
  gboolean kitty_shm;        /* and read a picture from our shared memory: it is local */
  gboolean kitty_shm_answered; /* the shared-memory query was answered, OK or not */
  gboolean sixel;            /* DA1 lists 4 */
  gboolean da1;              /* DA1 came: the terminal has said all it will */
  guint colour_registers;    /* sixel colour registers; 0: not said */
  guint cell_width;          /* pixels; 0: not said */
  guint cell_height;
  guint window_width;        /* pixels of the text area; 0: not said */
  guint window_height;
  char name[64];             /* XTVERSION's answer, printable ASCII only; "" if none */
  gboolean through_tmux;     /* the answers are the terminal's around tmux, which passes
                              * our sequences on (its allow-passthrough option) */
} ScTermReplies;

/* --terminal-graphics and the config file's terminal-graphics: FALSE if not a mode. */
gboolean       sc_term_graphics_from_string (const char          *text,
                                             ScTermGraphics      *mode);
const char    *sc_term_graphics_to_string   (ScTermGraphics       mode);

/* The queries, as written to the terminal; @shm_name: a POSIX shared memory object of
 * one RGB pixel for kitty's shared-memory query, or NULL to leave that query out. */
char          *sc_term_probe_queries        (const char          *shm_name);
/* Reads every reply in @data (the terminal's answers, possibly mixed with typed keys and
 * garbage) into @replies; returns TRUE once DA1 was among them. */
gboolean       sc_term_probe_parse          (const guint8        *data,
                                             gsize                len,
                                             ScTermReplies       *replies);
/* Has the terminal said all it will? DA1 (it answers in order, DA1 last), and, when
 * @asked_shm and it draws kitty images, the shared-memory query's answer: kitty reads the
 * object apart from its answers to the rest, so under load that answer can come after
 * DA1 (seen once in 0.26.5). */
gboolean       sc_term_probe_complete       (const ScTermReplies *replies,
                                             gboolean             asked_shm);
/* Wraps @sequence for tmux to pass on to the terminal around it (DCS tmux; …, every
 * ESC doubled). */
void           sc_term_probe_wrap_tmux      (const char          *sequence,
                                             gsize                len,
                                             GString             *out);
/* Asks the terminal (queries to @out_fd, answers from the tty @in_fd) and waits up to
 * @budget_ms for its answers. Under tmux (its own XTVERSION answer) it asks again
 * through tmux's passthrough, within what is left of the budget: a tmux that allows it
 * lets the terminal around it answer, and draw. */
void           sc_term_probe_run            (int                  in_fd,
                                             int                  out_fd,
                                             guint                budget_ms,
                                             ScTermReplies       *replies);
/* What to draw with: the best the replies allow. */
ScTermGraphics sc_term_probe_choose         (const ScTermReplies *replies);

G_END_DECLS
