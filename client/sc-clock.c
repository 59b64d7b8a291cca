/* sc-clock.c: the system clock (see sc-clock.h). */
#include "sc-clock.h"

static gint64
system_now_us (const ScClock *clock)
{
  return g_get_monotonic_time ();
}

static guint
system_add_timeout (const ScClock *clock, guint ms, GSourceFunc func, gpointer data)
{
  return g_timeout_add (ms, func, data);
}

static void
system_remove (const ScClock *clock, guint id)
{
  g_source_remove (id);
}

const ScClock *
sc_clock_get_system (void)
{
  static const ScClock system = { system_now_us, system_add_timeout, system_remove };
  return &system;
}
