/* sc-terminal-guard.c: see sc-terminal-guard.h. Only async-signal-safe calls (write,
 * tcsetattr, sigaction, raise) run in the handler. */
#define G_LOG_DOMAIN "showcast-ui"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sc-terminal-guard.h"

static int guard_fd = -1;
static struct termios saved_modes;
static gboolean have_modes;

static const int fatal_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };

void
sc_terminal_guard_restore (void)
{
  /* Reset colours, show the cursor, leave the alternate screen. */
  static const char reset[] = "\033[0m\033[?25h\033[?1049l\r\n";
  if (guard_fd < 0)
    return;
  if (write (guard_fd, reset, sizeof reset - 1) < 0)
    {
      /* nothing more can be done */
    }
  if (have_modes)
    tcsetattr (guard_fd, TCSAFLUSH, &saved_modes);
}

static void
on_fatal_signal (int sig)
{
  /* Say so in the log (stderr is the log file while the panel runs). */
  char note[] = "showcast: fatal signal 00\n";
  note[sizeof note - 4] = (char) ('0' + sig / 10 % 10);
  note[sizeof note - 3] = (char) ('0' + sig % 10);
  if (write (STDERR_FILENO, note, sizeof note - 1) < 0)
    {
      /* nothing more can be done */
    }
  sc_terminal_guard_restore ();
  signal (sig, SIG_DFL);
  raise (sig);
}

void
sc_terminal_guard_install (int fd)
{
  guard_fd = fd;
  have_modes = tcgetattr (fd, &saved_modes) == 0;

  struct sigaction action;
  memset (&action, 0, sizeof action);
  action.sa_handler = on_fatal_signal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (fatal_signals); i++)
    sigaction (fatal_signals[i], &action, NULL);
}
