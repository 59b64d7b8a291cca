/* sc-clock.h: the time the client core reads and the timers it sets (reconnecting,
 * waiting for a clean close), so that its unit tests can run hours of back-off in
 * microseconds. sc_clock_get_system() is GLib's monotonic clock and main context. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ScClock ScClock;

struct _ScClock
{
  gint64 (*now_us)      (const ScClock *clock);
  /* Like g_timeout_add(): @func runs once @ms have passed, again while it returns
   * G_SOURCE_CONTINUE. Returns an id (never 0) for remove. */
  guint  (*add_timeout) (const ScClock *clock,
                         guint          ms,
                         GSourceFunc    func,
                         gpointer       data);
  void   (*remove)      (const ScClock *clock,
                         guint          id);
};

const ScClock *sc_clock_get_system (void);

static inline gint64
sc_clock_now_us (const ScClock *clock)
{
  return clock->now_us (clock);
}

static inline guint
sc_clock_add_timeout (const ScClock *clock, guint ms, GSourceFunc func, gpointer data)
{
  return clock->add_timeout (clock, ms, func, data);
}

/* Removes the timer *@id if it is set, and clears it. */
static inline void
sc_clock_clear_timeout (const ScClock *clock, guint *id)
{
  if (*id)
    clock->remove (clock, *id);
  *id = 0;
}

G_END_DECLS
